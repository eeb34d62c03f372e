"""The Doorstroom tab: its matrix agrees with a count from the demo school's raw rows, a count
lists exactly its students, it narrows with the tree, is used with the keyboard, and says why
when there is no previous project; its models pass qtmodeltester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.raw_doorstroom import NOT_PLACED, TOTAL, expected_students
from zdesk.demo.server import FakePortal
from zdesk.domain.checks import run_checks
from zdesk.domain.doorstroom import doorstroom_of
from zdesk.domain.severity import Severity
from zdesk.loading.loader import load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.present.doorstroom import doorstroom_matrix
from zdesk.ui import project_view
from zdesk.ui.models.doorstroom import DoorstroomModel, doorstroom_table
from zdesk.ui.models.scope import scope_of
from zdesk.ui.models.style import ALIGNMENT, BACKGROUND, DISPLAY, HORIZONTAL, SeverityRole
from zdesk.ui.models.table import RecordTableModel

VERTICAL = Qt.Orientation.Vertical


@pytest.fixture
def view(qtbot, small_project):
    shown = project_view.ProjectView(lambda _key: None)
    qtbot.addWidget(shown)
    shown.resize(1024, 700)
    project, run = small_project
    shown.show_project(project, run)
    tab = shown.tabs["Doorstroom"]
    shown.show_tab(list(shown.tabs).index(tab))
    return shown


def shown_counts(model) -> dict[tuple[str, str], int]:
    """(row header, column header) -> the number a cell shows; empty cells left out."""
    out = {}
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            text = model.data(model.index(r, c), DISPLAY)
            if text is not None:
                key = (model.headerData(r, VERTICAL), model.headerData(c, HORIZONTAL))
                out[key] = int(text)
    return out


def cell_of(model, row: str, column: str):
    rows = [model.headerData(r, VERTICAL) for r in range(model.rowCount())]
    columns = [model.headerData(c, HORIZONTAL) for c in range(model.columnCount())]
    return model.index(rows.index(row), columns.index(column))


def listed(tab) -> list[str]:
    return [tab.model.row_object(r).code for r in range(tab.model.rowCount())]


def test_the_matrix_agrees_with_the_raw_rows(view, small_school):
    expected = expected_students(small_school)
    model = view.tabs["Doorstroom"].page.matrix_model
    assert shown_counts(model) == {key: len(codes) for key, codes in expected.items()}
    headers = [model.headerData(c, HORIZONTAL) for c in range(model.columnCount())]
    assert headers[-4:] == [NOT_PLACED, "examenjaar", "vertrokken", TOTAL]
    assert set(headers[:-4]) == {col for (_r, col) in expected} - {NOT_PLACED, "examenjaar", TOTAL}
    assert model.headerData(model.rowCount() - 1, VERTICAL) == TOTAL
    # Right-aligned; "nog niet geplaatst" is a waarschuwing where it counts anyone, and only there.
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            index = model.index(r, c)
            assert model.data(index, ALIGNMENT) & Qt.AlignmentFlag.AlignRight
            warns = headers[c] == NOT_PLACED and model.data(index, DISPLAY) is not None
            assert (model.data(index, SeverityRole) == Severity.WAARSCHUWING) == warns
            assert (model.data(index, BACKGROUND) is not None) == warns


def test_a_count_lists_exactly_its_students(qtbot, view, small_school, small_project):
    project, _run = small_project
    expected = expected_students(small_school)
    tab = view.tabs["Doorstroom"]
    page, model = tab.page, tab.page.matrix_model
    # At first: every student not yet placed.
    assert sorted(listed(tab)) == sorted(expected[(TOTAL, NOT_PLACED)])
    for row, column in [("h4", "h5"), ("v4", "v4"), ("h5", "examenjaar"), (TOTAL, TOTAL)]:
        index = cell_of(model, row, column)
        rect = page.matrix.visualRect(index)
        qtbot.mouseClick(page.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert sorted(listed(tab)) == sorted(expected[(row, column)])
        assert all(isinstance(code, str) for code in listed(tab))
    # A student placed this year: their name, afdeling and stamklas of this year.
    index = cell_of(model, "h4", "h5")
    page.choose(index)
    student = tab.model.row_object(0)
    assert student.last == "h4" and student.now == "h5"
    assert student.name == project.student_name(student.code)
    placement = project.placements_of_student[student.code][0]
    main = [g.label for g in project.groups_of_placement(placement) if g.is_main_group]
    assert student.main_group == ", ".join(main)


def test_codes_stay_text(small_project, small_school):
    project, run = small_project
    planted = small_school.anomalies[small_school.current_project].leading_zero_students
    ds = doorstroom_of(project)
    codes = [c for c in planted if c in ds.previous.placements_of_student]
    if not codes:
        pytest.skip("no student with a leading zero in both years")
    data = doorstroom_table(project, ds, codes, run.by_object())
    assert [s.code for s in data.rows] == codes and codes[0].startswith("0")


def test_the_keyboard_moves_chooses_and_copies(qtbot, view, small_school):
    expected = expected_students(small_school)
    tab = view.tabs["Doorstroom"]
    page, model = tab.page, tab.page.matrix_model
    page.matrix.setFocus()
    page.matrix.setCurrentIndex(cell_of(model, "h4", "h4"))
    qtbot.keyClick(page.matrix, Qt.Key.Key_Right)  # h4 -> v4
    qtbot.keyClick(page.matrix, Qt.Key.Key_Return)
    assert sorted(listed(tab)) == sorted(expected[("h4", "v4")])
    page.matrix.selectionModel().clearSelection()
    page.matrix.setCurrentIndex(cell_of(model, "h4", "h4"))
    qtbot.keyClick(page.matrix, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(page.matrix, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text().splitlines()
    h4_h4, h4_v4 = len(expected[("h4", "h4")]), len(expected[("h4", "v4")])
    assert copied == ["\th4\tv4", f"h4\t{h4_h4}\t{h4_v4}"]


def test_the_tree_narrows_the_matrix(view, small_project, small_school):
    project, _run = small_project
    expected = expected_students(small_school)
    model = view.tabs["Doorstroom"].page.matrix_model
    h5 = next(d for d in project.departments if d.code == "h5")
    view.set_scope(scope_of(project, h5))
    rows = [model.headerData(r, VERTICAL) for r in range(model.rowCount())]
    columns = [model.headerData(c, HORIZONTAL) for c in range(model.columnCount())]
    assert columns == ["h5", NOT_PLACED, "examenjaar", "vertrokken", TOTAL]
    # Those sending anyone into h5, and h5 itself last year.
    senders = {r for (r, c) in expected if c == "h5" and r != TOTAL}
    assert set(rows[:-1]) == senders | {"h5"} and rows[-1] == TOTAL
    assert shown_counts(model)[(TOTAL, "h5")] == len(expected[(TOTAL, "h5")])
    branch = project.branches[0]
    view.set_scope(scope_of(project, branch))
    assert shown_counts(model) == {key: len(codes) for key, codes in expected.items()}
    view.set_scope(None)
    assert shown_counts(model) == {key: len(codes) for key, codes in expected.items()}


def test_models_pass_the_model_tester(qtmodeltester, small_project):
    project, run = small_project
    ds = doorstroom_of(project)
    matrix = DoorstroomModel()
    matrix.set_matrix(doorstroom_matrix(project, ds))
    qtmodeltester.check(matrix)
    students = RecordTableModel([])
    students.set_data(doorstroom_table(project, ds, ds.not_placed, run.by_object()))
    qtmodeltester.check(students)
    matrix.set_matrix(None)
    qtmodeltester.check(matrix)


def test_without_a_previous_project_the_tab_says_why(qtbot, small_school):
    with FakePortal(small_school) as fake:
        client = PortalClient(normalise_portal(fake.url), fake.token)
        project = load_project(client, small_school.current_project, previous=None)
    shown = project_view.ProjectView(lambda _key: None)
    qtbot.addWidget(shown)
    shown.show_project(project, run_checks(project))
    page = shown.tabs["Doorstroom"].page
    assert page.why.isVisibleTo(page) and not page.split.isVisibleTo(page)
    text = page.why.text()
    assert "vorige schooljaar" in text
    assert project.unavailable_because["vorig project"] in text
    assert page.matrix_model.rowCount() == 0


def test_two_vestigingen_label_and_narrow_by_vestiging(typical_school):
    with FakePortal(typical_school) as fake:
        client = PortalClient(normalise_portal(fake.url), fake.token)
        project = load_project(client, typical_school.current_project)
    ds = doorstroom_of(project)
    whole = doorstroom_matrix(project, ds)
    assert len(project.branches) == 2
    assert all("(" in label for label in whole.row_labels[:-1])
    assert all("(" in c.header for c in whole.columns if c.department is not None)
    counts = {
        (r, c): n
        for r, line in zip(whole.row_labels, whole.counts(), strict=True)
        for c, n in zip(whole.headers, line, strict=True)
    }
    branch = project.branches[0]
    chosen = frozenset(d.id for d in project.departments_of_branch[branch.id])
    narrowed = doorstroom_matrix(project, ds, chosen)
    assert {c.department.id for c in narrowed.columns if c.department} <= chosen
    previous = ds.previous
    of_branch = {
        d.label + f" ({branch.label})"
        for d in previous.departments
        if (b := previous.branch_of(d)) is not None and b.branch == branch.branch
    }
    assert of_branch - {"#uit (" + branch.label + ")"} <= set(narrowed.row_labels)
    # A cell of an afdeling is the same count narrowed or not; the totals count what is shown.
    for r, line in zip(narrowed.row_labels[:-1], narrowed.counts()[:-1], strict=True):
        for c, n in zip(narrowed.headers[:-1], line[:-1], strict=True):
            assert n == counts[(r, c)]


def test_a_student_not_placed_is_described_as_the_doorstroom_knows_them(view, small_project):
    project, _run = small_project
    tab = view.tabs["Doorstroom"]
    student = tab.model.row_object(0)  # the list starts with the students not yet placed
    assert student.code not in project.placements_of_student
    tab.view.setCurrentIndex(tab.model.index(0, 0))  # chosen in the list: its details
    assert f"Leerling {student.code}" in view.details.title.text()
    facts = view.details.facts.text()
    assert f"Vorig jaar: {student.last}" in facts
    assert "nog geen afdeling in dit project" in facts
    assert "heeft nog geen afdeling" in facts  # its signalering, with the message
    assert "Leerlingen &gt; Prognoses" in facts or "Leerlingen > Prognoses" in facts


def test_a_reload_keeps_the_chosen_cell(view, small_project, small_school):
    project, run = small_project
    expected = expected_students(small_school)
    tab = view.tabs["Doorstroom"]
    page, model = tab.page, tab.page.matrix_model
    page.choose(cell_of(model, "h4", "h5"))
    view.show_project(project, run)  # as F5 shows the load again
    current = page.matrix.currentIndex()
    assert model.headerData(current.row(), VERTICAL) == "h4"
    assert model.headerData(current.column(), HORIZONTAL) == "h5"
    assert sorted(listed(tab)) == sorted(expected[("h4", "h5")])


def test_behind_another_tab_the_matrix_goes_in_after_the_window_paints(qtbot, small_project):
    """With another tab on screen, a load's matrix is put in the view in a later pass of the
    event loop; opening the tab before that shows it at once, narrowed as the tree says."""
    project, run = small_project
    shown = project_view.ProjectView(lambda _key: None)
    qtbot.addWidget(shown)
    shown.resize(1024, 700)
    shown.show()
    qtbot.waitExposed(shown)
    tab = shown.tabs["Doorstroom"]
    page, model = tab.page, tab.page.matrix_model
    assert not page.isVisible()  # the Overzicht is on screen

    shown.show_project(project, run)
    assert model.matrix is None  # not yet: the window paints the load first
    assert listed(tab)  # the list below is there at once
    qtbot.waitUntil(lambda: model.matrix is not None)
    whole = shown_counts(model)
    assert whole[("h4", NOT_PLACED)] > 0
    assert "nog niet geplaatst" in page.caption.text()

    # F5 and at once to the tab: shown before it paints, the chosen cell kept.
    page.choose(cell_of(model, "h4", "h5"))
    shown.show_project(project, run)
    shown.show_tab(list(shown.tabs).index(tab))
    assert page.isVisible() and model.matrix is not None
    current = page.matrix.currentIndex()
    assert model.headerData(current.row(), VERTICAL) == "h4"
    assert model.headerData(current.column(), HORIZONTAL) == "h5"
    assert shown_counts(model) == whole


def test_the_students_not_placed_are_in_one_order_everywhere(qtbot, typical_school):
    """The list shown first, a click on its cell and the sheet list them alike: by last year's
    afdeling, in the order of the matrix's rows (two vestigingen)."""
    from zdesk.export.doorstroom_sheet import NOT_PLACED_TITLE, doorstroom_sheet

    with FakePortal(typical_school) as fake:
        client = PortalClient(normalise_portal(fake.url), fake.token)
        project = load_project(client, typical_school.current_project)
    shown = project_view.ProjectView(lambda _key: None)
    qtbot.addWidget(shown)
    shown.show_project(project, run_checks(project))
    tab = shown.tabs["Doorstroom"]
    page, model = tab.page, tab.page.matrix_model
    first = listed(tab)
    # Grouped by last year's afdeling, as the rows of the matrix come.
    row_of = {label: r for r, label in enumerate(model.matrix.row_labels)}
    rows = [
        row_of[f"{s.last} ({s.last_branch})"]
        for s in (tab.model.row_object(r) for r in range(tab.model.rowCount()))
    ]
    assert rows == sorted(rows) and len(set(rows)) > 1
    page.choose(cell_of(model, TOTAL, NOT_PLACED))
    assert listed(tab) == first
    _headers, lines = doorstroom_sheet(project, {})
    start = next(i for i, (values, _) in enumerate(lines) if values[:1] == [NOT_PLACED_TITLE])
    assert [values[0] for values, _ in lines[start + 2 :]] == first


def test_a_reload_keeps_the_matrix_where_it_was(qtbot, small_project):
    """F5 keeps the chosen cell without scrolling to it: the matrix stays where it was, also
    when the tab was behind another during the reload."""
    project, run = small_project
    shown = project_view.ProjectView(lambda _key: None)
    qtbot.addWidget(shown)
    shown.resize(700, 500)
    tab = shown.tabs["Doorstroom"]
    shown.show_tab(list(shown.tabs).index(tab))
    shown.show()
    qtbot.waitExposed(shown)
    shown.show_project(project, run)
    page, model = tab.page, tab.page.matrix_model
    bars = (page.matrix.horizontalScrollBar(), page.matrix.verticalScrollBar())
    assert all(bar.maximum() > 0 for bar in bars)  # room to scroll both ways
    page.choose(cell_of(model, TOTAL, NOT_PLACED))  # bottom right, scrolled out of sight below
    for bar in bars:
        bar.setValue(1)
    shown.show_tab(0)  # F5 while another tab is on screen, then back
    shown.show_project(project, run)
    qtbot.wait(20)
    shown.show_tab(list(shown.tabs).index(tab))
    current = page.matrix.currentIndex()
    assert (model.headerData(current.row(), VERTICAL), current.column()) == (
        TOTAL,
        cell_of(model, TOTAL, NOT_PLACED).column(),
    )
    assert [bar.value() for bar in bars] == [1, 1]
