"""The Overzicht tab: first after a load, its models pass qtmodeltester, its matrix agrees with a
count from the demo school's raw rows, and it is used with the keyboard alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.raw_formatie import expected_cells
from zdesk.domain.formatie import build_formatie
from zdesk.domain.severity import Severity
from zdesk.ui.models.overview import (
    KNOWN,
    SEVERITY_COLUMNS,
    VERDICT,
    MatrixModel,
    Target,
    summary_table,
    summary_target,
)
from zdesk.ui.models.style import ObjectRole, SeverityRole
from zdesk.ui.models.table import RecordTableModel

from .test_app import load_directly


@pytest.fixture
def formatie(small_project):
    project, run = small_project
    return build_formatie(project, run.options, run.findings)


def test_models_pass_the_model_tester(qtmodeltester, formatie):
    matrix = MatrixModel()
    matrix.set_formatie(formatie)
    qtmodeltester.check(matrix)
    summary = RecordTableModel([])
    summary.set_data(summary_table(formatie))
    qtmodeltester.check(summary)
    matrix.set_formatie(None)
    assert matrix.rowCount() == matrix.columnCount() == 0


def test_matrix_agrees_cell_for_cell_with_the_raw_rows(formatie, small_school):
    matrix = MatrixModel()
    matrix.set_formatie(formatie)
    subjects = [
        matrix.headerData(c, Qt.Orientation.Horizontal).split("\n")[0]
        for c in range(matrix.columnCount())
    ]
    assert subjects[0] == "Afdeling" and subjects[-1] == "Totaal"
    seen = {}
    for r, row in enumerate(formatie.rows):
        for c in range(1, matrix.columnCount() - 1):
            cell = matrix.cell_at(r, c)
            if cell is not None:
                key = (row.branch.label, row.department.label, subjects[c])
                seen[key] = (cell.students, cell.needed, cell.planned, cell.realised)
    assert seen == expected_cells(small_school)


def test_flagged_cells_have_symbol_words_and_colour(formatie):
    matrix = MatrixModel()
    matrix.set_formatie(formatie)
    flagged = 0
    for r in range(len(formatie.rows)):
        for c in range(1, matrix.columnCount() - 1):
            cell = matrix.cell_at(r, c)
            if cell is None:
                continue
            index = matrix.index(r, c)
            text, tip = index.data(), index.data(Qt.ItemDataRole.ToolTipRole)
            if cell.flags:
                flagged += 1
                assert text[0] in "▼▲◌" and all(f in tip for f in cell.flags)
                assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
                assert index.data(SeverityRole) == cell.severity
            else:
                assert text[0].isdigit() and index.data(Qt.ItemDataRole.BackgroundRole) is None
            assert index.data(ObjectRole) == Target("choosable", cell.choosables[0])
    assert flagged  # the demo school has cells that need attention
    total = matrix.index(len(formatie.rows), matrix.columnCount() - 1)
    assert total.data().startswith(str(formatie.total.students))


def test_a_cells_tooltip_says_which_way_it_was_counted(formatie):
    matrix = MatrixModel()
    matrix.set_formatie(formatie)
    ways = set()
    for r in range(len(formatie.rows)):
        for c in range(1, matrix.columnCount() - 1):
            cell = matrix.cell_at(r, c)
            if cell is None:
                continue
            tip = matrix.index(r, c).data(Qt.ItemDataRole.ToolTipRole)
            way = "Geteld per klas" if cell.per_class else "Geteld naar leerlingen"
            assert way in tip
            ways.add(way)
    assert len(ways) == 2  # the demo school has vakken counted both ways


def test_summary_counts_and_where_they_lead(formatie, small_project):
    project, _ = small_project
    data = summary_table(formatie)
    first_department = data.rows[1]
    assert first_department is formatie.branches[0].departments[0]
    values = [c.value(first_department) for c in data.columns]
    assert values[VERDICT].startswith(("✔ klaar", "✖ niet klaar: "))
    assert values[2:5] == [first_department.findings[s] for s in Severity]
    target = summary_target(first_department, 3, project)
    assert target.kind == "findings" and target.severity == Severity.WAARSCHUWING
    assert list(target.findings) == first_department.found[Severity.WAARSCHUWING]
    assert summary_target(first_department, 0) == Target(
        "department", first_department.department.id
    )


def test_the_verdict_comes_first_with_its_reason_in_words(formatie):
    data = summary_table(formatie)
    # The afdeling, then at once its verdict: visible without scrolling.
    assert [c.header for c in data.columns[:2]] == ["Afdeling", "Klaar voor overdracht"]
    for line in data.rows:
        text = data.columns[VERDICT].value(line)
        if line.ready:
            assert text == "✔ klaar"
        else:
            assert text == "✖ niet klaar: " + ", ".join(line.reasons) and line.reasons
    assert any(not line.ready for line in data.rows)


def test_overview_is_the_first_tab_and_works_by_keyboard(
    qtbot, window, drive, portal, small_school
):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    assert view.tab_widget.tabText(0) == "Overzicht"
    assert view.tab_widget.currentIndex() == 0
    # A narrow window shortens the tab titles; each says its whole title when pointed at.
    titles = [view.tab_widget.tabText(i) for i in range(view.tab_widget.count())]
    assert [view.tab_widget.tabToolTip(i) for i in range(len(titles))] == titles
    assert "Groepen nodig" in view.overview_page.matrix_note.text()
    # Ctrl+1 is the Overzicht; Tab moves on to the matrix; arrows pick a vak; Enter opens it.
    view.show_tab(0)
    view.matrix.setFocus()
    qtbot.keyClick(view.matrix, Qt.Key.Key_Home)
    qtbot.keyClick(view.matrix, Qt.Key.Key_Right)
    current = view.matrix.currentIndex()
    assert (current.row(), current.column()) == (0, 1)
    target = current.data(ObjectRole)
    qtbot.keyClick(view.matrix, Qt.Key.Key_Return)
    assert view.tree.hasFocus()
    assert drive.tree_current().id == target.object_id
    # A jump: Alt+Left returns to the matrix, the same cell current.
    qtbot.keyClick(view.tree, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    back = view.matrix.currentIndex()
    assert view.tab_widget.currentIndex() == 0 and (back.row(), back.column()) == (0, 1)
    assert view.matrix.hasFocus()
    # A count of waarschuwingen opens Signaleringen on that severity and afdeling.
    summary = view.tabs["Overzicht"].view
    view.show_tab(0)
    index = summary.model().index(1, 3)  # Waarschuwing
    summary.setCurrentIndex(index)
    qtbot.keyClick(summary, Qt.Key.Key_Return)
    findings = view.tabs["Signaleringen"]
    assert view.tab_widget.currentWidget() is findings.page
    assert "(waarschuwing)" in view.findings_page.only_label.text()
    line = summary.model().row_object(1)
    assert view.search.text() == ""  # by the objects counted, never by a text search
    model = findings.model
    shown = [model.row_object(r) for r in range(model.rowCount())]
    assert shown and sorted(map(id, shown)) == sorted(map(id, line.found[Severity.WAARSCHUWING]))


def test_the_default_group_size_is_a_setting_that_counts_again(qtbot, window, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    assert window.view.run.options.default_max_group_size == 30

    def answer(dialog):
        assert dialog.default_max_group_size() == 30
        dialog.max_group_size.setValue(12)
        return dialog.DialogCode.Accepted

    window.driver.on("SettingsDialog", answer)
    before = window.view.project
    window.show_settings()
    qtbot.waitUntil(
        lambda: window.view.project is not before and window.loading.job is None, timeout=20_000
    )
    assert window.session.settings.default_max_group_size == 12
    assert window.view.run.options.default_max_group_size == 12
    assert "anders 12" in window.view.overview_page.matrix_note.text()


def test_the_matrix_narrows_to_the_trees_afdelingen_with_their_own_totals(qtmodeltester, formatie):
    matrix = MatrixModel()
    matrix.set_formatie(formatie)
    everything = matrix.rowCount()
    chosen = [r for r in formatie.rows if r.cells][:2]
    matrix.set_departments(frozenset(r.department.id for r in chosen))
    qtmodeltester.check(matrix)
    assert matrix.rowCount() == len(chosen) + 1  # and the totals
    shown = {
        matrix.headerData(c, Qt.Orientation.Horizontal).split("\n")[0]
        for c in range(matrix.columnCount())
    }
    assert shown == {"Afdeling", "Totaal"} | {s for r in chosen for s in r.cells}
    last_row, last_column = len(chosen), matrix.columnCount() - 1
    grand = matrix.cell_at(last_row, last_column)
    assert grand.students == sum(r.total.students for r in chosen)
    assert grand.planned == sum(r.total.planned for r in chosen)
    for c in range(1, last_column):  # each vak's total is over the shown afdelingen only
        column_total = matrix.cell_at(last_row, c)
        cells = [matrix.cell_at(r, c) for r in range(len(chosen))]
        assert column_total.planned == sum(cell.planned for cell in cells if cell is not None)
    # A new load keeps the narrowing; None shows every afdeling again.
    matrix.set_formatie(formatie)
    assert matrix.rowCount() == len(chosen) + 1
    matrix.set_departments(None)
    assert matrix.rowCount() == everything


def test_selecting_an_afdeling_in_the_tree_narrows_the_matrix(qtbot, window, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    project = view.project
    dept = next(r.department for r in view.matrix_model.formatie.rows if r.cells)
    view.scope_to(dept)
    assert view.matrix_model.rowCount() == 2
    assert view.matrix_model.data(view.matrix_model.index(0, 0)) == dept.label
    view.clear_scope()
    assert view.matrix_model.rowCount() == len(view.matrix_model.formatie.rows) + 1
    assert project is view.project


def test_every_count_of_the_overzicht_opens_exactly_what_it_counts(
    qtbot, window, drive, typical_school
):
    """The demo school (two vestigingen): every non-zero count, by Enter, then Alt+Left."""
    from zdesk.demo.server import FakePortal
    from zdesk.ui.models.overview import PLANNED, REALISED, STUDENTS
    from zdesk.ui.tabs import FINDINGS, OVERVIEW

    with FakePortal(typical_school) as portal:
        drive.load(portal, typical_school)
    project = drive.project
    summary = drive.tab(OVERVIEW).view
    model = summary.model()
    assert len({drive.overview_line(r).branch.id for r in range(model.rowCount())}) == 2
    opened = 0
    for row in range(model.rowCount()):
        line = drive.overview_line(row)
        codes = set()
        departments = getattr(line, "departments", [line])
        for r in departments:
            codes |= project.students_of_department.get(r.department.id, set())
        planned = [
            pg
            for r in departments
            for cell in r.cells.values()
            for cid in cell.choosables
            for pg in project.planned_of_choosable.get(cid, ())
        ]
        realised = [pg for pg in planned if pg.group_in_department in project.placements_of_group]
        for column in [*SEVERITY_COLUMNS, KNOWN, STUDENTS, PLANNED, REALISED]:
            count = line.known if column == KNOWN else model.index(row, column).data()
            drive.click_count(row, column)
            if not count:  # a count of 0 opens nothing
                assert drive.shows(OVERVIEW)
                continue
            opened += 1
            if column in SEVERITY_COLUMNS or column == KNOWN:
                assert drive.shows(FINDINGS)
                objects = drive.rows(FINDINGS)
                expected = line.found[SEVERITY_COLUMNS[column]] if column != KNOWN else line.marked
                assert sorted(map(id, objects)) == sorted(map(id, expected))
                assert len(objects) == count
            elif column == STUDENTS:
                assert drive.shows("Leerlingen")
                objects, keys = drive.rows("Leerlingen"), drive.keys("Leerlingen")
                assert keys == {("student", c) for c in codes} and len(codes) == count
                assert all(
                    any(p.department_of_branch == r.department.id for r in departments)
                    for p in objects
                )
            else:
                assert drive.shows("Geplande groepen")
                keys = drive.keys("Geplande groepen")
                wanted = planned if column == PLANNED else realised
                assert keys == {("planned_group", pg.id) for pg in wanted} and len(wanted) == count
            # Alt+Left: back to the Overzicht, the same cell current.
            drive.go_back()
            assert drive.shows(OVERVIEW)
            current = summary.currentIndex()
            assert (current.row(), current.column()) == (row, column)
            window.view.clear_scope()
    assert opened > 10


def test_the_matrix_names_each_afdeling_with_its_vestiging_where_there_are_two():
    from tests.domain.test_formatie import school

    b, _ = school()
    project = b.project()
    matrix = MatrixModel()
    matrix.set_formatie(build_formatie(project))
    names = [matrix.index(r, 0).data() for r in range(matrix.rowCount() - 1)]
    code = {r.department.label: r.branch.branch or r.branch.label for r in matrix.formatie.rows}
    assert names == [f"{d} ({code[d]})" for d in ("h1", "h4", "v4")]
    branch = {r.department.label: r.branch.label for r in matrix.formatie.rows}
    tip = matrix.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == f"afdeling h1 ({branch['h1']})"


def test_a_cell_shows_one_number_by_default_and_the_chooser_says_which(
    qtbot, window, portal, small_school
):
    from zdesk.ui.models.overview import ALL_SHOWN, AVERAGE_SHOWN, GROUPS_SHOWN, STUDENTS_SHOWN

    load_directly(qtbot, window, portal, small_school)
    page = window.view.overview_page
    matrix = page.matrix_model
    r, c = next(
        (r, c)
        for r in range(matrix.rowCount() - 1)
        for c in range(1, matrix.columnCount() - 1)
        if (cell := matrix.cell_at(r, c)) is not None and not cell.flags and cell.average_size
    )
    cell = matrix.cell_at(r, c)
    assert matrix.shows == STUDENTS_SHOWN
    assert matrix.index(r, c).data() == str(cell.students)
    assert matrix.headerData(c, Qt.Orientation.Horizontal).endswith("\nlln")
    assert "Elke cel: leerlingen." in page.legend.text()
    expected = {
        GROUPS_SHOWN: f"{cell.needed}/{cell.planned}/{cell.realised}",
        AVERAGE_SHOWN: f"{cell.average_size:.1f}".replace(".", ","),
        ALL_SHOWN: f"{cell.students} · {cell.needed}/{cell.planned}/{cell.realised} · ⌀",
    }
    for shows, text in expected.items():
        page.shows.setCurrentIndex(page.shows.findData(shows))
        assert matrix.shows == shows
        assert matrix.index(r, c).data().startswith(text)
        assert page.legend.text().startswith("Elke cel: ")
    # Every way, the tooltip has all the numbers.
    assert "Gemiddelde groepsgrootte" in matrix.index(r, c).data(Qt.ItemDataRole.ToolTipRole)


def test_the_tree_and_details_make_room_and_the_overview_split_is_kept(
    qtbot, window, portal, small_school
):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    window.resize(1024, 700)
    assert view.tree_shown() and view.details_shown()
    window.act_tree.trigger()  # Beeld > Boom tonen, unticked
    assert not view.tree_shown() and view.split.sizes()[1] > 0
    window.act_tree.trigger()
    assert view.tree_shown()
    view.show_details(False)
    assert not view.details_shown()
    assert view.widgets_with_state()["overview"] is view.overview_page
    # No tab scrolls out of sight in a narrow window: the titles shorten instead.
    assert not view.tab_widget.usesScrollButtons()


def test_the_details_follow_the_tab_shown(qtbot, window, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    view = window.view
    groups, students = view.tabs["Roostergroepen"], view.tabs["Leerlingen"]
    view.tab_widget.setCurrentWidget(groups.page)
    groups.view.setCurrentIndex(groups.model.index(0, 0))
    assert view.details.title.text().startswith("<b>Roostergroep")
    view.tab_widget.setCurrentWidget(students.page)  # nothing chosen there yet
    assert "Selecteer iets" in view.details.title.text()
    students.view.setCurrentIndex(students.model.index(0, 0))
    assert view.details.title.text().startswith("<b>Leerling")
    view.tab_widget.setCurrentWidget(groups.page)  # back: its row again
    assert view.details.title.text().startswith("<b>Roostergroep")
    # An Overzicht row shows its afdeling.
    view.show_tab(0)
    summary = view.tabs["Overzicht"]
    summary.view.setCurrentIndex(summary.model.index(1, 0))
    assert view.details.title.text().startswith("<b>Afdeling")


def test_a_vak_marked_bekend_shows_without_colour_and_says_so(small_project):
    from zdesk.domain.known import KnownMark, known_key

    project, run = small_project
    flagged = [f for f in run.findings if f.check == "planned-groups-too-many"]
    marks = {known_key(f): KnownMark(*known_key(f), note="zo bedoeld") for f in flagged}
    formatie = build_formatie(project, run.options, run.findings, marks)
    matrix = MatrixModel()
    matrix.set_formatie(formatie)
    seen = 0
    for r, line in enumerate(formatie.rows):
        for subject in line.accepted:
            c = formatie.subjects.index(subject) + 1
            index = matrix.index(r, c)
            assert index.data(Qt.ItemDataRole.BackgroundRole) is None
            assert index.data(SeverityRole) is None
            assert index.data(Qt.ItemDataRole.ToolTipRole).startswith("Bekend")
            seen += 1
    assert seen
