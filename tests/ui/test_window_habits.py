"""The window works as Excel people work: the tree drives the tables, Enter jumps and back comes
back, a reload or a filter keeps the place, one visible search target with a count."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt

from zdesk.ui.models.style import ObjectRole

from .test_app import LOAD_TIMEOUT, load_directly


def shown_rows(model):
    return [model.row_object(r) for r in range(model.rowCount())]


def department_index(view, n=1):
    model = view.tree_model
    return model.index(n, 0, model.index(0, 0))


def test_choosing_an_afdeling_in_the_tree_narrows_every_table(qtbot, window, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    project = view.project
    tabs = {tab.name: tab for tab in view.tabs}
    totals = {name: tab.model.rowCount() for name, tab in tabs.items()}
    index = department_index(view)
    dept = view.tree_model.data(index, ObjectRole)
    view.tree.setFocus()
    view.tree.setCurrentIndex(index)  # as a click or an arrow key does
    assert view.scope_chip.isVisible()
    assert view.scope_chip.text.text() == f"alleen {dept.label}"
    groups = shown_rows(tabs["Roostergroepen"].model)
    assert groups and {g.department_of_branch for g in groups} == {dept.id}
    placements = shown_rows(tabs["Leerlingen"].model)
    assert placements and {p.department_of_branch for p in placements} == {dept.id}
    for name, tab in tabs.items():
        if totals[name]:  # a tab with nothing in it (Wijzigingen before a comparison) has no less
            assert tab.model.rowCount() < totals[name], name
    assert view.match_count.isHidden()  # the tree is not searched: no count there

    qtbot.mouseClick(view.scope_chip.clear_button, Qt.MouseButton.LeftButton)
    assert not view.scope_chip.isVisible()
    assert {name: tab.model.rowCount() for name, tab in tabs.items()} == totals
    assert project is view.project


def test_enter_jumps_and_alt_left_comes_back(qtbot, window, drive, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    view.show_tab(list(view.tabs).index(view.tabs["Signaleringen"]))
    findings = view.tabs["Signaleringen"]
    row = findings.model.row_of(lambda f: f.check == "planned-group-unrealised")
    finding = findings.model.row_object(row)
    findings.view.setCurrentIndex(findings.model.index(row, 0))
    qtbot.keyClick(findings.view, Qt.Key.Key_Return)
    assert view.tree.hasFocus()
    assert drive.tree_current().id == finding.object_id
    assert not view.scope_chip.isVisible()  # a jump shows the object, it narrows nothing

    qtbot.keyClick(view.tree, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.tab_widget.currentWidget() is findings.page
    assert findings.model.row_object(findings.view.currentIndex().row()) == finding
    qtbot.keyClick(findings.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert drive.tree_current().id == finding.object_id
    # The mouse's back button does what Alt+Left does.
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.BackButton, pos=QPoint(5, 5))
    assert findings.model.row_object(findings.view.currentIndex().row()) == finding
    assert not view.history.can_go_back and view.history.can_go_forward


def test_a_reload_keeps_open_nodes_selection_and_scope(qtbot, window, drive, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    index = department_index(view, 2)
    view.tree.expand(index)
    view.tree.setCurrentIndex(index)
    dept = view.tree_model.data(index, ObjectRole)
    groups = view.tabs["Roostergroepen"]
    flags = QItemSelectionModel.SelectionFlag
    for row in (1, 2):
        groups.view.selectionModel().select(groups.model.index(row, 0), flags.Select | flags.Rows)
    chosen = [groups.model.row_object(r).id for r in (1, 2)]
    before = view.project

    drive.press("F5")
    qtbot.waitUntil(
        lambda: view.project is not before and window.loading.job is None, timeout=LOAD_TIMEOUT
    )
    current = view.tree.currentIndex()
    assert view.tree_model.data(current, ObjectRole).id == dept.id
    assert view.tree.isExpanded(current)
    assert view.scope_chip.isVisible() and dept.label in view.scope_chip.text.text()
    assert [groups.model.row_object(r).id for r in groups.view.selected_rows()] == chosen


def test_filters_keep_the_tree_open_and_esc_clears_the_search(qtbot, window, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    index = department_index(view, 2)
    view.tree.expand(index)
    view.tree.setCurrentIndex(index)
    key = view.tree_model.node(index).key
    view.tree.setFocus()
    view.only_flagged.setChecked(True)
    view.only_flagged.setChecked(False)
    current = view.tree.currentIndex()
    assert view.tree_model.node(current).key == key and view.tree.isExpanded(current)

    view.focus_search()
    qtbot.keyClicks(view.search, "zzz-nergens")
    assert view.tree_model.rowCount() == 0
    assert view.match_count.text() == "0 van " + view.match_count.text().split(" van ")[1]
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    current = view.tree.currentIndex()
    assert view.tree_model.node(current).key == key and view.tree.isExpanded(current)


def test_one_visible_search_target_with_a_count(qtbot, window, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    target = view.search_target
    assert target.currentText() == "de boom"
    target.setCurrentIndex(target.findData("Leerlingen"))
    target.activated.emit(target.currentIndex())
    assert view.tab_widget.currentWidget() is view.tabs["Leerlingen"].page
    assert view.search.hasFocus()
    model = view.tabs["Leerlingen"].model
    total = model.total
    code = model.row_object(0).student_code
    qtbot.keyClicks(view.search, code)
    assert view.match_count.isVisible()
    shown = f"{model.rowCount()} van {total:,}".replace(",", ".")
    assert view.match_count.text() == shown
    view.show_tab(1)  # focus moves the target, visibly
    assert target.currentText() == "Roostergroepen" and view.search.text() == ""
    assert not view.match_count.isVisible()


def test_context_menus_offer_what_a_row_can_do(qtbot, window, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    findings = view.tabs["Signaleringen"]
    row = findings.model.row_of(lambda f: f.check == "planned-group-unrealised")
    findings.view.selectRow(row)
    menu = findings.view.context_menu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:2] == ["Kopiëren met kolomkoppen", "Kopiëren zonder kolomkoppen"]
    assert "Toon in de boom" in texts and "Waar los ik dit op?" in texts
    where = next(a for a in menu.actions() if a.text() == "Waar los ik dit op?").menu()
    assert [a.text() for a in where.actions()] == [
        "Oplossen in het portaal bij Leerlingen > Geplande groepen > Geplande groepen (details)"
    ]
    next(a for a in menu.actions() if a.text() == "Toon in de boom").trigger()
    assert view.tree.hasFocus()

    groups = view.tabs["Roostergroepen"]
    flagged = groups.model.row_of(lambda g: bool(view.findings_of_object(g)))
    groups.view.selectRow(flagged)
    group = groups.model.row_object(flagged)
    menu = groups.view.context_menu()
    show = next(a for a in menu.actions() if a.text() == "Toon signaleringen")
    show.trigger()
    assert view.tab_widget.currentWidget() is findings.page
    assert {(f.object_type, f.object_id) for f in shown_rows(findings.model)} == {
        ("group", group.id)
    }
    assert view.scope_chip.text.text().startswith("alleen roostergroep ")


def test_an_empty_window_says_what_to_do(qtbot, window):
    from PySide6.QtWidgets import QDialog

    window.driver.on("LinkDialog", lambda d: QDialog.DialogCode.Rejected)
    window.startup()  # nothing linked yet: the link dialog, cancelled
    assert window.pages.currentWidget() is window.empty
    assert window.empty.link.text() == "&Koppelen…" and window.empty.demo.isVisible()
    qtbot.mouseClick(window.empty.demo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.view.project is not None and window.loading.job is None,
        timeout=LOAD_TIMEOUT,
    )
    assert window.pages.currentWidget() is window.view


def test_a_failed_save_offers_another_place(qtbot, window, drive, portal, small_school, tmp_path):
    load_directly(qtbot, window, portal, small_school)
    asked = []

    def ask(project, near=None):
        asked.append(near)
        return tmp_path / "elders.xlsx"

    window.exporting.ask_target = ask
    gone = tmp_path / "weg" / "export.xlsx"
    window.exporting.export(gone)
    qtbot.waitUntil(lambda: window.exporting.job is None, timeout=LOAD_TIMEOUT)
    buttons = {b.text(): b for b in window.messages.buttons}
    assert "bestaat niet" in drive.message()
    assert list(buttons) == ["Opnieuw proberen", "Andere plek kiezen…"]
    qtbot.mouseClick(buttons["Andere plek kiezen…"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.exporting.job is None, timeout=LOAD_TIMEOUT)
    assert asked == [gone]  # the dialog opens at the name that failed
    assert (tmp_path / "elders.xlsx").is_file()
    assert "Geëxporteerd naar" in drive.message()


def test_switching_to_a_portal_on_this_computer_and_relinking_it(
    qtbot, window, portal, small_school, memory_keyring
):
    from PySide6.QtWidgets import QDialog

    from .test_app import link_and_load, pick

    link_and_load(qtbot, window, portal, small_school)
    name = window.session.portal_name
    assert name.startswith("127.0.0.1:")
    before = window.view.project
    window.driver.on("ProjectDialog", pick(small_school.current_project, []))
    window.linking.switch_portal(name)
    qtbot.waitUntil(
        lambda: window.view.project is not before and window.loading.job is None,
        timeout=LOAD_TIMEOUT,
    )
    assert window.session.portal_name == name

    prefilled = []

    def look(dialog):
        prefilled.append((dialog.portal.text(), dialog.portal_hint.text(), dialog.validate()))
        return QDialog.DialogCode.Rejected

    window.driver.on("LinkDialog", look)
    window.linking.link_portal()  # "Opnieuw koppelen" starts from the portal's own name
    ((text, hint, _ok),) = prefilled
    assert text == name and hint == f"Portaal: http://{name}"


def test_signaleringen_show_severity_and_message_first(qtbot, window, drive, portal, small_school):
    window.resize(1024, 700)
    load_directly(qtbot, window, portal, small_school)
    tab = drive.tab("Signaleringen")
    header = tab.view.horizontalHeader()
    assert [tab.model.columns[i].header for i in (0, 1)] == ["Ernst", "Melding"]
    metrics = tab.view.fontMetrics()
    assert header.sectionSize(0) > metrics.horizontalAdvance("waarschuwing") + 16
    # Sized while hidden, for the room its tab has.
    window.view.show_tab(list(window.view.tabs).index(tab))
    room = tab.view.viewport().width()
    assert header.sectionSize(0) + header.sectionSize(1) >= room * 0.9


def test_the_tree_copies_and_shows_the_signaleringen_beneath_a_node(
    qtbot, window, portal, small_school
):
    from PySide6.QtGui import QGuiApplication

    load_directly(qtbot, window, portal, small_school)
    view = window.view
    index = next(
        department_index(view, n)
        for n in range(20)
        if view.tree_model.node(department_index(view, n)).beneath
    )
    node = view.tree_model.node(index)
    view.tree.setCurrentIndex(index)
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == node.label
    menu = view.menus.tree_menu_for(index)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["Kopiëren", "Toon signaleringen", "Waar los ik dit op?"]
    next(a for a in menu.actions() if a.text() == "Toon signaleringen").trigger()
    findings = view.tabs["Signaleringen"]
    assert view.tab_widget.currentWidget() is findings.page
    shown = {f for r in range(findings.model.rowCount()) for f in [findings.model.row_object(r)]}
    # What the tree counts beneath the afdeling, and its students' signaleringen as well.
    assert set(node.beneath) <= shown
    assert {f.object_type for f in shown - set(node.beneath)} <= {"student"}


def test_another_project_starts_without_the_last_ones_scope(qtbot, window, portal, small_school):
    from tests.domain.factory import Build
    from zdesk.domain.checks import run_checks

    load_directly(qtbot, window, portal, small_school)
    view = window.view
    view.tree.setCurrentIndex(department_index(view))
    assert view.scope is not None and view.scope_chip.isVisible()
    b = Build()
    dept = b.dept("h4", 4)
    b.group(dept, "1")
    other = b.project()
    view.show_project(other, run_checks(other))
    assert view.scope is None and not view.scope_chip.isVisible()
    assert all(tab.model.scope is None for tab in view.tabs)
    assert view.tabs["Roostergroepen"].model.rowCount() == 1
    assert not view.history.can_go_back
