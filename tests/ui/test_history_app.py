"""The history in the app: the last project at once from history, then the fresh load; what
changed since the last load in Wijzigingen, the status bar and the export; unlinking forgets."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLabel

from tests.ui.tree_rows import first_real_department
from zdesk.app.history import open_history
from zdesk.export.xlsx import CHANGES_SHEET
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.store.history import portal_folder
from zdesk.store.secrets import HISTORY_SERVICE
from zdesk.ui.models.style import DECORATION as DECORATION_ROLE
from zdesk.ui.models.style import TOOLTIP as TOOLTIP_ROLE
from zdesk.ui.tabs import CHANGES

from ..school_changes import make_the_four_changes
from .driver import press_button
from .test_app import LOAD_TIMEOUT, link_and_load


def saved_once(qtbot, window):
    """Wait until the shown load is in the history (it is kept in a worker)."""
    name, pid = window.session.portal_name, window.view.project.info.id
    qtbot.waitUntil(lambda: bool(open_history(name).loads(pid)), timeout=LOAD_TIMEOUT)
    qtbot.waitUntil(lambda: not window.remembering.jobs, timeout=LOAD_TIMEOUT)


@pytest.fixture
def own_portal():
    """A portal with a school of its own: these tests change it, the shared one stays as it is."""
    from zdesk.demo.school import generate_school
    from zdesk.demo.server import FakePortal

    from ..conftest import TEST_YEAR

    school = generate_school("small", seed=7, year=TEST_YEAR)
    with FakePortal(school) as running:
        yield running, school


def test_saved_data_is_shown_before_the_portal_answers_then_the_fresh_data(
    qtbot, window, portal, small_school, second_window, monkeypatch
):
    from zdesk.ui.controllers import remembering as remembering_module

    made: list[tuple[str, bool]] = []
    real_job = remembering_module.Job

    def recording(function, name, parent=None, **options):
        job = real_job(function, name, parent, **options)
        made.append((name, job.heavy))
        return job

    monkeypatch.setattr(remembering_module, "Job", recording)
    link_and_load(qtbot, window, portal, small_school)
    first = window.view.project
    saved_once(qtbot, window)
    window.shutdown()

    # The portal is slow to answer the next start: what was saved shows first. (A local portal
    # is not kept in the settings, so the start is done here as the app does for a kept one.)
    portal.add_fault("latency", "groupindepartments", delay_ms=1000, times=1)
    again = second_window()
    again.session.adopt(PortalClient(normalise_portal(portal.url), portal.token))
    again.loading.open_project(first.info.id)
    qtbot.waitUntil(lambda: again.view.project is not None, timeout=LOAD_TIMEOUT)
    assert again.loading.job is not None  # the portal has not answered yet
    assert again.remembering.saved_shown is not None
    assert again.view.project.loaded_at == pytest.approx(first.loaded_at, abs=0.001)
    assert again.view.project.counts() == first.counts()
    assert "opgeslagen gegevens van vandaag" in again.status.age.text()
    assert "wordt bijgewerkt" in again.status.age.text()
    # Opened as a load is: a job that makes a whole project, the collector kept away meanwhile.
    assert ("geschiedenis openen", True) in made

    # The user finds their place in the saved data while the portal is asked.
    tree, model = again.view.tree, again.view.tree_model
    branch = model.index(0, 0)
    department = first_real_department(model, branch)
    tree.expand(department)
    chosen = model.index(1, 0, department)
    tree.selectionModel().setCurrentIndex(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    keys = model.node(department).key, model.node(chosen).key

    qtbot.waitUntil(lambda: again.loading.job is None, timeout=LOAD_TIMEOUT)
    assert again.remembering.saved_shown is None
    assert again.view.project.loaded_at > first.loaded_at + 1
    assert "opgeslagen" not in again.status.age.text()
    # ... and keeps it when the fresh data replaces the saved.
    current = tree.selectionModel().currentIndex()
    assert model.node(current).key == keys[1]
    assert tree.isExpanded(current.parent()) and model.node(current.parent()).key == keys[0]


def test_with_the_portal_unreachable_the_start_shows_the_saved_data(
    qtbot, window, own_portal, second_window
):
    portal, school = own_portal
    link_and_load(qtbot, window, portal, school)
    first = window.view.project
    saved_once(qtbot, window)
    window.shutdown()
    url, token = portal.url, portal.token
    portal.stop()  # away from school: nothing answers

    again = second_window()
    assert again.pages.currentWidget() is again.empty
    again.session.adopt(PortalClient(normalise_portal(url), token, backoff=0.01))
    again.loading.open_project(first.info.id)
    qtbot.waitUntil(
        lambda: again.view.project is not None and again.loading.job is None,
        timeout=LOAD_TIMEOUT,
    )
    # The project page with the saved data, not the empty page, marked as not up to date.
    assert again.pages.currentWidget() is again.view
    assert again.view.project.counts() == first.counts()
    assert again.remembering.saved_shown is not None
    qtbot.waitUntil(lambda: "niet bijgewerkt: " in again.status.age.text(), timeout=LOAD_TIMEOUT)
    assert "opgeslagen gegevens van vandaag" in again.status.age.text()


def test_what_changed_since_the_last_load_is_in_the_tab_the_status_bar_and_the_export(
    qtbot, window, drive, own_portal, tmp_path
):
    portal, small_school = own_portal
    link_and_load(qtbot, window, portal, small_school)
    saved_once(qtbot, window)
    assert window.remembering.comparison is None  # nothing earlier to compare with
    made = make_the_four_changes(portal)
    drive.press("F5")
    qtbot.waitUntil(lambda: window.remembering.comparison is not None, timeout=LOAD_TIMEOUT)
    comparison = window.remembering.comparison
    found = {
        (c.change, c.object_type, c.object_id, c.what, c.before, c.after)
        for c in comparison.changes
    }
    assert found == made.expected

    rows = drive.rows(CHANGES)
    changed = [r for r in rows if not r.change.startswith("signalering")]
    assert {(r.object_type, r.object_id) for r in changed} == {(c[1], c[2]) for c in made.expected}
    new = [r for r in rows if r.change == "signalering nieuw"]
    assert len(new) == len(comparison.new_findings)
    status = drive.status_text()
    assert f"{len(comparison.resolved_findings)} opgelost" in status
    assert "sinds vandaag" in status and "5 wijzigingen" in status

    # Markers in the tree and the tables agree: an icon and a tooltip on each changed object.
    tree = window.view.tree_model
    planned = tree.index_of("planned_group", made.realised)
    assert "gewijzigd sinds vandaag" in tree.data(planned, TOOLTIP_ROLE)
    assert tree.data(planned, DECORATION_ROLE) is not None
    students = drive.table("Leerlingen")
    marked = {
        students.row_object(r).student_code: students.data(students.index(r, 0), TOOLTIP_ROLE)
        for r in range(students.rowCount())
        if "sinds vandaag" in (students.data(students.index(r, 0), TOOLTIP_ROLE) or "")
    }
    assert {made.moved_student, made.placed_student} <= set(marked)
    assert "nieuw sinds vandaag" in marked[made.placed_student]
    assert "gewijzigd sinds vandaag" in marked[made.moved_student]
    unchanged = next(
        r for r in range(students.rowCount()) if students.row_object(r).student_code not in marked
    )
    assert "sinds" not in (students.data(students.index(unchanged, 0), TOOLTIP_ROLE) or "")

    # Enter (as a double-click) on a change jumps to its object.
    row = next(i for i, r in enumerate(rows) if r.object_type == "group")
    drive.activate_row(CHANGES, row)
    assert drive.shows(CHANGES)  # a removed group is no longer there: nothing to jump to
    row = next(i for i, r in enumerate(rows) if r.object_type == "student")
    moved = rows[row].object_id
    drive.activate_row(CHANGES, row)
    assert drive.shows("Leerlingen")
    assert drive.chosen().student_code == moved

    # The export's sheet Wijzigingen lists the same changes.
    target = tmp_path / "formatie.xlsx"
    window.exporting.export(target)
    qtbot.waitUntil(lambda: window.exporting.job is None, timeout=LOAD_TIMEOUT)
    book = openpyxl.load_workbook(target)
    sheet = list(book[CHANGES_SHEET].iter_rows(values_only=True))
    body = [r for r in sheet[3:] if not str(r[0]).startswith("signalering")]
    assert {r[3] for r in body} == {c[2] for c in made.expected}
    about = dict(list(book["Over deze export"].iter_rows(values_only=True))[1:])
    assert "Versleuteld op deze computer" in about["Geschiedenis"]


def test_unlinking_deletes_the_history_and_its_key(
    qtbot, window, portal, small_school, memory_keyring
):
    link_and_load(qtbot, window, portal, small_school)
    name = window.session.client.portal.name
    saved_once(qtbot, window)
    assert (HISTORY_SERVICE, name) in memory_keyring.items and portal_folder(name).exists()
    window.driver.on("QMessageBox", lambda box: box.StandardButton.Yes)
    window.linking.unlink_portal()
    qtbot.waitUntil(lambda: window.session.client is None, timeout=LOAD_TIMEOUT)
    assert (HISTORY_SERVICE, name) not in memory_keyring.items
    assert not portal_folder(name).exists()


def test_a_known_signalering_is_hidden_counted_apart_and_kept_across_loads(
    qtbot, window, drive, portal, small_school
):
    from PySide6.QtWidgets import QDialog

    from zdesk.ui.tabs import FINDINGS

    link_and_load(qtbot, window, portal, small_school)
    saved_once(qtbot, window)
    findings = drive.table(FINDINGS)
    before = findings.rowCount()
    target = findings.row_object(0)

    def answer(dialog):
        dialog.setTextValue("h4/v4 combinatiegroep, zo bedoeld")
        return QDialog.DialogCode.Accepted

    window.driver.on("QInputDialog", answer)
    drive.select_row(FINDINGS, 0)
    press_button(drive.tab(FINDINGS).page, "Bekend")
    assert findings.rowCount() == before - 1
    assert target not in drive.rows(FINDINGS)
    assert "(1 bekend)" in drive.status_text()
    # The Overzicht counts it apart, with its note, where it counted before.
    from zdesk.ui.models.overview import KNOWN
    from zdesk.ui.tabs import OVERVIEW

    summary = drive.table(OVERVIEW)
    marked = [r for r in range(summary.rowCount()) if summary.row_object(r).known]
    assert marked
    for r in marked:
        line = summary.row_object(r)
        assert line.marked == [target] and target not in line.found[target.severity]
        assert summary.data(summary.index(r, KNOWN)) == "1 bekend"
        assert "zo bedoeld" in summary.data(summary.index(r, KNOWN), TOOLTIP_ROLE)

    window.view.findings_page.show_known.setChecked(True)
    assert findings.rowCount() == before
    row = next(r for r in range(findings.rowCount()) if findings.row_object(r) == target)
    assert findings.data(findings.index(row, 0)).startswith("bekend (")
    assert "zo bedoeld" in findings.data(findings.index(row, 0), TOOLTIP_ROLE)
    window.view.findings_page.show_known.setChecked(False)

    # The mark is kept with the history: a new load of the project still knows it.
    drive.press("F5")
    drive.wait_until_load_ends()
    qtbot.waitUntil(lambda: not window.remembering.jobs, timeout=LOAD_TIMEOUT)
    assert findings.rowCount() == before - 1
    summary = drive.table(OVERVIEW)  # the new load's Overzicht counts it apart too
    assert [summary.row_object(r).known for r in range(summary.rowCount())].count(1) == len(marked)
    # Marked again, the mark goes.
    window.view.mark_requested.emit(target)
    assert findings.rowCount() == before
    assert "bekend" not in drive.status_text()


def test_a_signalering_is_marked_known_from_its_context_menu_and_shown_greyed(
    qtbot, window, drive, portal, small_school
):
    from PySide6.QtWidgets import QDialog

    from zdesk.ui.models.style import FOREGROUND
    from zdesk.ui.tabs import FINDINGS

    link_and_load(qtbot, window, portal, small_school)
    saved_once(qtbot, window)
    tab = drive.tab(FINDINGS)
    findings = tab.model
    target = findings.row_object(0)
    assert findings.data(findings.index(0, 0), FOREGROUND) is None

    def answer(dialog):
        dialog.setTextValue("zo bedoeld")
        return QDialog.DialogCode.Accepted

    window.driver.on("QInputDialog", answer)
    tab.view.selectRow(0)
    menu = tab.view.context_menu()
    mark = next(a for a in menu.actions() if a.text() == "Markeer als bekend…")
    mark.trigger()
    assert target not in [findings.row_object(r) for r in range(findings.rowCount())]
    window.view.findings_page.show_known.setChecked(True)
    row = next(r for r in range(findings.rowCount()) if findings.row_object(r) == target)
    assert findings.data(findings.index(row, 0), FOREGROUND) is not None  # greyed
    tab.view.selectRow(row)
    menu = tab.view.context_menu()
    unmark = next(a for a in menu.actions() if a.text() == "Niet meer als bekend markeren")
    unmark.trigger()
    row = next(r for r in range(findings.rowCount()) if findings.row_object(r) == target)
    assert findings.data(findings.index(row, 0), FOREGROUND) is None


def test_the_history_dialog_sets_retention_compares_with_a_chosen_load_and_wipes(
    qtbot, window, drive, own_portal
):
    portal, small_school = own_portal
    from zdesk.store.history import Retention, retention_of

    link_and_load(qtbot, window, portal, small_school)
    saved_once(qtbot, window)
    first = open_history(window.session.portal_name).loads()[0]
    made_realised = make_the_four_changes(portal).realised
    drive.press("F5")
    qtbot.waitUntil(lambda: window.remembering.comparison is not None, timeout=LOAD_TIMEOUT)
    assert window.remembering.compared_with is None  # the default: the load before

    seen = []

    def choose_first(dialog):
        seen.append(dialog)
        assert "tot 8 weken" in dialog.findChildren(QLabel)[0].text()
        dialog.keep_weeks.setValue(4)
        dialog.every_days.setValue(3)
        rows = [dialog.loads.item(i) for i in range(dialog.loads.count())]
        dialog.loads.setCurrentItem(
            next(r for r in rows if r.data(Qt.ItemDataRole.UserRole).path == first.path)
        )
        press_button(dialog, "Vergelijken")
        return 1

    window.driver.on("HistoryDialog", choose_first)
    drive.trigger("Geschiedenis")
    assert retention_of(window.session.settings) == Retention(keep_days=28, every_load_days=3)
    qtbot.waitUntil(lambda: window.remembering.compared_with is not None, timeout=LOAD_TIMEOUT)
    assert window.remembering.compared_with.path == first.path
    assert len(window.remembering.comparison.changes) == 5

    # Openen shows a saved load as it was, its date in the title; F5 brings the fresh one back.
    def open_first(dialog):
        rows = [dialog.loads.item(i) for i in range(dialog.loads.count())]
        dialog.loads.setCurrentItem(
            next(r for r in rows if r.data(Qt.ItemDataRole.UserRole).path == first.path)
        )
        press_button(dialog, "Openen")
        return 1

    window.driver.on("HistoryDialog", open_first)
    drive.trigger("Geschiedenis")
    qtbot.waitUntil(
        lambda: (
            window.remembering.saved_shown is not None
            and window.view.project.loaded_at == pytest.approx(first.loaded_at, abs=0.001)
        ),
        timeout=LOAD_TIMEOUT,
    )
    assert "(alleen lezen)" in window.windowTitle() and "opgeslagen" in window.windowTitle()
    assert made_before(window, made_realised) is None
    drive.press("F5")
    qtbot.waitUntil(lambda: window.remembering.saved_shown is None, timeout=LOAD_TIMEOUT)
    qtbot.waitUntil(lambda: not window.remembering.jobs, timeout=LOAD_TIMEOUT)
    assert "alleen lezen" not in window.windowTitle()

    window.driver.on(
        "HistoryDialog", lambda dialog: (press_button(dialog, "Geschiedenis wissen"), 1)[1]
    )
    window.driver.on("QMessageBox", lambda box: box.StandardButton.Yes)
    drive.trigger("Geschiedenis")
    assert open_history(window.session.portal_name).loads() == []
    assert window.remembering.comparison is None


def test_without_a_keyring_the_window_says_there_is_no_history(
    qtbot, window, portal, small_school, monkeypatch
):
    import keyring
    import keyring.backends.fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    link_and_load(qtbot, window, portal, small_school)
    qtbot.waitUntil(lambda: "geen geschiedenis" in window.status.age.text(), timeout=LOAD_TIMEOUT)
    assert "geen beveiligde sleutelopslag" in window.status.age.toolTip()
    assert not portal_folder(window.session.portal_name).exists()


def made_before(window, planned_id):
    """The roostergroep of a planned group in the shown project (None: not realised)."""
    return window.view.project.planned_by_id[planned_id].group_in_department
