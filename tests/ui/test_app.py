"""The app driven as a person would: link, pick a project, look at highlights, export."""

from __future__ import annotations

import json

import keyring
import keyring.backends.fail
import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from zdesk.export.xlsx import SHEETS
from zdesk.ui.models.style import ObjectRole, SeverityRole
from zdesk.ui.models.tree import NOT_REALISED

from .driver import LOAD_TIMEOUT, WindowDriver
from .test_models import all_nodes
from .waiting import wait_until_released


def answer_link(qtbot, portal_text, code):
    def handler(dialog):
        qtbot.keyClicks(dialog.portal, portal_text)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # no code typed yet
        qtbot.keyClicks(dialog.secret, code[:4] + " " + code[4:8] + " " + code[8:])
        assert ok.isEnabled() and "compleet" in dialog.secret_hint.text()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: dialog.linked is not None or bool(dialog.error.text()), timeout=LOAD_TIMEOUT
        )
        return dialog.result() if dialog.linked else QDialog.DialogCode.Rejected

    return handler


def pick(project_id, seen):
    def handler(dialog):
        seen.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        for i in range(dialog.list.count()):
            item = dialog.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == project_id:
                dialog.list.setCurrentItem(item)
        return QDialog.DialogCode.Accepted

    return handler


def link_and_load(qtbot, window, portal, school, code=None):
    listed: list[list[str]] = []
    window.driver.on("LinkDialog", answer_link(qtbot, portal.url, code or portal.koppelcodes[0]))
    window.driver.on("ProjectDialog", pick(school.current_project, listed))
    drive = WindowDriver(window, qtbot)
    drive.trigger("Koppelen")
    drive.wait_until_loaded()
    return listed


def test_link_pick_load_highlight_and_export(
    qtbot, window, drive, portal, small_school, tmp_path, memory_keyring
):
    listed = link_and_load(qtbot, window, portal, small_school)
    project = window.view.project
    assert project.info.id == small_school.current_project
    # The picker showed this school year's project (last year's only on request).
    assert listed == [["Scholengemeenschap De Vaart 2026-2027"]]
    name = portal.url.split("//")[1]
    assert memory_keyring.items[("zdesk", name)] == window.session.client.token

    # Highlighted planned groups in the tree are exactly the domain's unrealised ones.
    tree = window.view.tree_model
    marked = {
        tree.data(i, ObjectRole).id
        for i in all_nodes(tree)
        if NOT_REALISED in tree.data(i) and tree.data(i, SeverityRole) is not None
    }
    assert marked == {pg.id for pg in project.unrealised_planned_groups()}
    # ... and in the Geplande groepen table.
    planned = drive.table("Geplande groepen")
    flagged = {
        planned.row_object(r).id
        for r in range(planned.rowCount())
        if planned.data(planned.index(r, 0), SeverityRole) is not None
    }
    unrealised = {pg.id for pg in project.unrealised_planned_groups()}
    assert unrealised <= flagged
    # Multi-afdeling students in the Leerlingen table are exactly those the domain reports.
    multi = {
        f.object_id for f in window.view.run.findings if f.check == "student-multiple-departments"
    }
    students = drive.table("Leerlingen")
    shown = {
        students.row_object(r).student_code
        for r in range(students.rowCount())
        if "Ook in afdeling"
        in (students.data(students.index(r, 0), Qt.ItemDataRole.ToolTipRole) or "")
    }
    assert multi and shown == multi
    assert "geladen om" in window.status.age.text()
    assert "fouten" in window.status.counts.text()

    target = tmp_path / "export.xlsx"
    window.exporting.export(target)
    qtbot.waitUntil(lambda: window.exporting.job is None, timeout=LOAD_TIMEOUT)
    assert "Geëxporteerd naar" in drive.message()
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == list(SHEETS)
    headers, *rows = book["Structuur"].iter_rows(values_only=True)
    pid, realised = headers.index("Geplande groep (id)"), headers.index("Gerealiseerd")
    assert len(rows) == len(project.planned_groups)
    assert {r[pid] for r in rows if r[realised] == "nee"} == unrealised
    about = dict(list(book["Over deze export"].iter_rows(values_only=True))[1:])
    assert about["Project-id"] == project.info.id


def load_directly(qtbot, window, portal, school, token=None):
    WindowDriver(window, qtbot).load(portal, school, token)


def test_cancel_keeps_the_previous_data_marked_not_fresh(
    qtbot, window, drive, portal, small_school
):
    load_directly(qtbot, window, portal, small_school)
    before = window.view.project
    # A reload reuses the rights found at the first load; the afdelingsdeelnames read is slow.
    portal.add_fault("latency", "studentsindepartments", delay_ms=3000)
    drive.press("F5")
    qtbot.waitUntil(lambda: "afdelingsdeelnames" in window.status.activity.text(), timeout=5000)
    window.loading.cancel()
    drive.wait_until_load_ends(1500)  # not the 3 s of the read
    assert window.view.project is before
    assert window.loading.stale and "niet bijgewerkt" in window.status.age.text()
    assert "afgebroken" in drive.message()
    assert drive.message_buttons() == ["Opnieuw laden"]


def test_a_reload_frees_what_it_replaces_and_keeps_the_window_still(
    qtbot, window, drive, portal, small_school
):
    import sys
    import weakref

    from zdesk.ui.jobs import wait_for_jobs

    load_directly(qtbot, window, portal, small_school)
    window.view.tree.expandAll()  # the old tree fully grown, as after a while of looking at it
    old_project = weakref.ref(window.view.project)
    old_root = window.view.tree_model.root
    old_child = old_root.all_children[0]
    size = window.size()
    drive.press("F5")
    window.status.step(1, 9, "Bezig: " + ", ".join(["afdelingsdeelnames"] * 20))
    drive.wait_until_load_ends(LOAD_TIMEOUT)
    assert wait_for_jobs(5000)
    # Freed by reference counting (the loaded data is kept out of garbage collection), a moment
    # after the new project is shown: the project is gone, the old tree is held by this test
    # alone and taken apart.
    qtbot.waitUntil(lambda: old_project() is None and wait_for_jobs(0), timeout=5000)
    wait_until_released(qtbot)  # the release job's end is handled
    assert sys.getrefcount(old_root) == 2
    assert old_root.all_children == [] and old_root.parent is None
    assert old_child.parent is None and old_child.all_children == []  # taken apart node by node
    # A long progress text is cut short; it does not widen the window.
    assert window.size() == size


def test_idle_work_waits_while_a_load_runs_and_resumes_when_it_fails(
    qtbot, window, drive, portal, small_school
):
    load_directly(qtbot, window, portal, small_school)
    steps: list[int] = []

    def work():  # stands for the last load's unfinished idle work
        while True:
            steps.append(1)
            yield

    idle = window.view.run_when_idle(work())
    qtbot.waitUntil(lambda: len(steps) > 3)
    portal.add_fault("status", "plannedgroups", status=500)
    drive.press("F5")
    assert not idle.running
    drive.wait_until_load_ends(LOAD_TIMEOUT)
    assert window.messages.isVisible() and idle.running  # failed: the old work goes on
    portal.clear_faults()
    drive.press("F5")
    drive.wait_until_load_ends(LOAD_TIMEOUT)
    # Replaced by the new load's, and the old work let go of what it held.
    assert window.view.idle_work is not idle and idle.done and not idle.running


def test_401_during_load_offers_relinking_and_keeps_data(
    qtbot, window, drive, portal, small_school
):
    load_directly(qtbot, window, portal, small_school)
    before = window.view.project
    portal.add_fault("status", "plannedgroups", status=401)
    drive.press("F5")
    qtbot.waitUntil(
        lambda: window.loading.job is None and window.messages.isVisible(), timeout=LOAD_TIMEOUT
    )
    assert window.view.project is before and window.loading.stale
    assert "Koppel opnieuw" in drive.message()
    assert drive.message_buttons() == ["Opnieuw koppelen"]
    # One click: the link dialog opens for the same portal.
    window.driver.on("LinkDialog", lambda d: QDialog.DialogCode.Rejected)
    drive.press_message_button("Opnieuw koppelen")
    assert window.driver.seen[-1].portal.text() == portal.url.split("//")[1]


def test_network_error_offers_retry(qtbot, window, drive, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    portal.add_fault("drop", "groupindepartments")
    drive.press("F5")
    qtbot.waitUntil(
        lambda: window.loading.job is None and window.messages.isVisible(), timeout=LOAD_TIMEOUT
    )
    assert "niet bereikbaar" in drive.message()
    assert drive.message_buttons() == ["Opnieuw proberen"]
    portal.clear_faults()
    drive.press_message_button("Opnieuw proberen")
    qtbot.waitUntil(
        lambda: window.loading.job is None and not window.loading.stale, timeout=LOAD_TIMEOUT
    )


def test_missing_rights_open_the_rights_report(qtbot, window, drive, portal, small_school):
    from zdesk.demo.server import Rights

    token = portal.issue_token(Rights.without("studentsindepartments"))
    window.driver.close("RightsDialog")
    load_directly(qtbot, window, portal, small_school, token)
    dialogs = [type(d).__name__ for d in window.driver.seen]
    assert "RightsDialog" in dialogs
    rights = next(d for d in window.driver.seen if type(d).__name__ == "RightsDialog")
    assert "studentsindepartments" in rights.guide.toPlainText()
    assert rights.table.horizontalHeaderItem(0).text() == "Gegevens"
    shown = [rights.table.item(r, 0).text() for r in range(rights.table.rowCount())]
    assert "afdelingsdeelnames (studentsindepartments)" in shown
    assert not drive.tab("Leerlingen").view.isEnabled()


def test_without_a_keyring_the_token_is_kept_for_this_session_only(
    qtbot, window, drive, portal, small_school, tmp_path
):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    link_and_load(qtbot, window, portal, small_school)
    assert window.status.session_only.isVisible()  # said in the window, not only in a log
    assert "alleen voor deze sessie" in window.status.session_only.text()
    assert "sleutelopslag" in drive.message()
    token = window.session.client.token
    home = tmp_path / "zdesk-home"
    for path in home.rglob("*"):
        if path.is_file():
            assert token not in path.read_text(encoding="utf-8", errors="replace")
    settings = json.loads((home / "config" / "settings.json").read_text())
    # A local portal (a new port every run) is remembered for this session, never in the file.
    assert window.session.settings.last_portal == portal.url.split("//")[1]
    assert settings["last_portal"] is None


def test_filter_as_you_type_and_only_flagged(qtbot, window, drive, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    drive.press("Ctrl+3")
    assert drive.shows("Leerlingen")
    model = drive.table("Leerlingen")
    total = model.rowCount()
    code = model.row_object(0).student_code
    window.view.focus_search()
    qtbot.keyClicks(window.view.search, code)
    assert 1 <= model.rowCount() < total
    assert all(model.row_object(r).student_code == code for r in range(model.rowCount()))
    window.view.search.clear()
    assert model.rowCount() == total
    window.view.only_flagged.setChecked(True)
    assert 0 < model.rowCount() < total
    assert all(model.data(model.index(r, 0), SeverityRole) for r in range(model.rowCount()))


def test_double_clicking_a_signalering_jumps_to_its_object(
    qtbot, window, drive, portal, small_school
):
    load_directly(qtbot, window, portal, small_school)
    drive.open_tab("Signaleringen")
    assert drive.shows("Signaleringen")
    model = drive.table("Signaleringen")
    row = model.row_of(lambda f: f.check == "planned-group-unrealised")
    finding = model.row_object(row)
    drive.activate_row("Signaleringen", row)
    assert drive.tree_current().id == finding.object_id
    assert "Geplande groep" in window.view.details.title.text()
    row = model.row_of(lambda f: f.object_type == "student")
    drive.activate_row("Signaleringen", row)
    assert drive.shows("Leerlingen")
    assert drive.chosen().student_code == model.row_object(row).object_id


def test_findings_tab_filters_by_check_and_severity(qtbot, window, drive, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    combo = window.view.findings_page.check_filter
    index = combo.findData("planned-group-unrealised")
    combo.setCurrentIndex(index)
    model = drive.table("Signaleringen")
    assert model.rowCount() == window.view.run.counts()["planned-group-unrealised"]
    assert f"({model.rowCount()})" in combo.currentText()
    combo.setCurrentIndex(0)
    window.view.findings_page.severity_filter.setCurrentIndex(
        window.view.findings_page.severity_filter.findData("fout")
    )
    assert all(model.row_object(r).severity == "fout" for r in range(model.rowCount()))


def test_unlinking_revokes_and_forgets(qtbot, window, portal, small_school, memory_keyring):
    link_and_load(qtbot, window, portal, small_school)
    token = window.session.client.token
    name = window.session.client.portal.name
    window.driver.on("QMessageBox", lambda box: box.StandardButton.Yes)
    window.linking.unlink_portal()
    qtbot.waitUntil(lambda: window.session.client is None, timeout=LOAD_TIMEOUT)
    assert ("zdesk", name) not in memory_keyring.items
    assert portal.token_state(token).revoked
    assert name not in window.session.settings.portals


def test_about_shows_versions(window):
    from zdesk.ui.dialogs.about import version_text

    window.driver.close("AboutDialog")
    window.show_about()
    (about,) = window.driver.seen
    text = about.versions.toPlainText()
    assert text == version_text() and "zdesk" in text and "Qt" in text and "Python" in text


@pytest.mark.parametrize("demo", [True])
def test_demo_mode_links_with_a_koppelcode_and_opens_the_current_project(qtbot, window, demo):
    window.startup(demo=demo)
    qtbot.waitUntil(
        lambda: window.view.project is not None and window.loading.job is None, timeout=LOAD_TIMEOUT
    )
    portal = window.session.demo_portal
    assert window.view.project.info.id == portal.data.current_project
    posts = [r for r in portal.requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/api/v3/oauth/token"]
    assert "demo" in window.windowTitle()


def test_odd_values_from_the_portal_are_shown_not_hidden(qtbot, window, portal, small_school):
    # A portal that sends isMainGroup as an object: the project loads, the signalering says how
    # many roostergroepen it cost, and Help > Toegangsrechten lists it under Gegevens.
    portal.add_fault("retype", "groupindepartments", field="isMainGroup", to="object", share=0.5)
    load_directly(qtbot, window, portal, small_school)
    project = window.loading.shown()
    assert project is not None and project.repairs
    findings = [f for f in window.view.run.findings if f.check == "data-repaired"]
    assert findings and "isMainGroup" in findings[0].message
    window.driver.close("RightsDialog")
    window.loading.show_rights()
    rights = next(d for d in window.driver.seen if type(d).__name__ == "RightsDialog")
    assert "isMainGroup" in rights.problems.toPlainText()
    assert rights.problems.isVisibleTo(rights)


def test_the_portal_report_is_shown_before_it_is_saved(qtbot, window, portal, small_school):
    """Help > Portaalrapport…: readable text without personal data; the portal's name only when
    ticked; copied as shown."""
    load_directly(qtbot, window, portal, small_school)
    window.driver.close("PortalReportDialog")
    window.loading.portal_report()
    qtbot.waitUntil(
        lambda: any(type(d).__name__ == "PortalReportDialog" for d in window.driver.seen),
        timeout=LOAD_TIMEOUT,
    )
    dialog = next(d for d in window.driver.seen if type(d).__name__ == "PortalReportDialog")
    text = dialog.text.toPlainText()
    assert "== studentsindepartments" in text and "Portaal: (niet vermeld)" in text
    student = window.view.project.placements[0].student_code
    assert student not in text and portal.token not in text
    dialog.with_name.setChecked(True)
    assert dialog.report()["portal"] == window.session.client.portal.name
    assert window.session.client.portal.name in dialog.text.toPlainText()
