"""The tables behave like a spreadsheet: select many rows, copy them with headers, read cut text."""

from __future__ import annotations

import msgspec
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QStyleOptionViewItem

from tests.ui.tree_rows import first_real_department
from zdesk.ui.models.table import Column, RecordTableModel
from zdesk.ui.views import MiddleElide, column_widths, fit_columns, make_table, rows_as_tsv

ROWS = [
    {"code": "havo.grp1", "name": "Émilie 'tHooft", "size": 26},
    {"code": "0123", "name": "=1+1", "size": 12},
    {"code": "v5.wisB.grp2", "name": "Tab\there\nand line", "size": None},
]
COLUMNS = [
    Column("Code", lambda r: r["code"], role="code"),
    Column("Naam", lambda r: r["name"], role="name"),
    Column("Leerlingen", lambda r: r["size"], numeric=True, role="number"),
]


@pytest.fixture
def table(qtbot):
    model = RecordTableModel(COLUMNS)
    model.set_rows(ROWS)
    view = make_table(model)
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def select(view, *rows):
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        view.selectionModel().select(view.model().index(row, 0), flags)


def test_ctrl_c_copies_the_selected_rows_with_a_header_row(qtbot, table):
    model = table.model()
    model.sort(0, Qt.SortOrder.AscendingOrder)  # shown order: 0123, havo.grp1, v5...
    table.setFocus()
    select(table, 0, 2)
    assert table.selectionMode() == table.SelectionMode.ExtendedSelection
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == (
        "Code\tNaam\tLeerlingen\n0123\t'=1+1\t12\nv5.wisB.grp2\tTab here and line\t\n"
    )
    html = mime.html()
    assert html.startswith("<table><tr><th>Code</th>")
    # Excel reads HTML first: a formula-like name and a leading zero stay text there.
    assert "<td style=\"mso-number-format:'\\@'\">0123</td>" in html
    assert "<td style=\"mso-number-format:'\\@'\">=1+1</td>" in html
    assert "<td>12</td>" in html


def test_copying_follows_the_columns_as_shown(table):
    assert table.model().row_object(0) is ROWS[0]  # as prepared: no sort before a click
    header = table.horizontalHeader()
    header.moveSection(2, 0)
    table.setColumnHidden(1, True)
    select(table, 0)
    assert table.copy_rows(with_header=True) == 1
    assert QGuiApplication.clipboard().text() == "Leerlingen\tCode\n26\thavo.grp1\n"
    assert table.copy_rows(with_header=False) == 1
    assert QGuiApplication.clipboard().text() == "26\thavo.grp1\n"
    table.clearSelection()
    assert table.copy_rows() == 0


def test_the_context_menu_copies_and_takes_the_windows_actions(table):
    seen = []
    table.menu_hook = lambda menu, objects: (
        seen.append(objects),
        menu.addAction("Toon in de boom"),
    )
    select(table, 1)
    menu = table.context_menu()
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Kopiëren met kolomkoppen", "Kopiëren zonder kolomkoppen", "Toon in de boom"]
    assert menu.actions()[0].shortcut() == QKeySequence(QKeySequence.StandardKey.Copy)
    assert seen == [[ROWS[1]]]
    menu.actions()[1].trigger()
    assert QGuiApplication.clipboard().text() == "0123\t'=1+1\t12\n"


def test_a_cut_off_cell_shows_its_whole_text_on_hover(table):
    model = table.model()
    index = model.index(0, 1)
    table.setColumnWidth(1, 300)
    assert table.full_text_tip(index) == ""
    table.setColumnWidth(1, 30)
    assert table.full_text_tip(index) == "Émilie 'tHooft"
    assert model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == (
        "Leerlingen"
    )


def test_codes_are_cut_in_the_middle(table):
    fit_columns(table)
    assert isinstance(table.itemDelegateForColumn(0), MiddleElide)
    assert table.itemDelegateForColumn(1) is None
    option = QStyleOptionViewItem()
    table.itemDelegateForColumn(0).initStyleOption(option, table.model().index(0, 0))
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle


def test_names_and_messages_get_room_first():
    roles = ["severity", "code", "text", "name", "message"]
    chars = [12, 20, 40, 30, 80]
    wide = column_widths(roles, chars, 7, 5000)
    assert wide == [12 * 7 + 36, 16 * 7 + 16, 26 * 7 + 16, 30 * 7 + 16, 80 * 7 + 16]
    narrow = column_widths(roles, chars, 7, 1100)
    assert narrow[0] == wide[0]  # the severity is never cut
    assert narrow[4] == wide[4]  # the message has all it needs
    assert narrow[3] == wide[3]  # and so have the names
    assert narrow[1] == 6 * 7 + 16 + 48  # the codes get what is left
    assert narrow[2] == 8 * 7 + 16  # and plain text its least
    assert sum(narrow) == 1100
    tiny = column_widths(roles, chars, 7, 100)
    assert tiny == [12 * 7 + 36, 6 * 7 + 16, 8 * 7 + 16, 14 * 7 + 16, 24 * 7 + 16]
    # Too narrow for every minimum: a message takes what is on screen after the columns before.
    first = column_widths(["severity", "message", "code", "text"], [12, 80, 20, 40], 7, 400)
    assert first[0] == 12 * 7 + 36 and first[1] == 400 - first[0]
    assert first[2:] == [6 * 7 + 16, 8 * 7 + 16]
    exact = column_widths(roles, chars, 7, 5000, exact={0: 111})
    assert exact[0] == 111 and exact[1:] == wide[1:]


def test_every_table_places_its_rows_and_signaleringen_open_with_fouten(small_project):
    from zdesk.ui.models.tables import prepare_views

    project, run = small_project
    views = prepare_views(project, run)
    for data in (views.groups, views.placements, views.planned, views.findings):
        headers = [c.header for c in data.columns]
        assert "Afdeling" in headers and "Vestiging" in headers
    ranks = [f.severity.rank for f in views.findings.rows]
    assert ranks == sorted(ranks) and ranks[0] == 0  # the small school has fouten
    headers = [c.header for c in views.findings.columns]
    unrealised = next(f for f in views.findings.rows if f.check == "planned-group-unrealised")
    pg = project.planned_by_id[unrealised.object_id]
    dept = project.department_of(project.choosable_by_id[pg.choosable_in_department])
    row = {h: c.value(unrealised) for h, c in zip(headers, views.findings.columns, strict=True)}
    assert row["Afdeling"] == dept.label
    assert row["Vestiging"] == project.branch_of(dept).label


def test_tsv_of_no_rows_is_the_header_alone():
    assert rows_as_tsv(["A", "B"], []) == "A\tB\n"
    assert rows_as_tsv(None, [["x\ry", ""]]) == "x y\t\n"


def test_tree_labels_show_whole_in_their_tooltip(small_project):
    from zdesk.ui.models.tree import ProjectTreeModel, build_tree

    project, run = small_project
    model = ProjectTreeModel()
    model.set_root(build_tree(project, run.by_object()))
    branch = model.index(0, 0)
    dept = first_real_department(model, branch)
    from PySide6.QtGui import QTextDocument

    tip = QTextDocument()  # tooltips are portal text escaped into a paragraph: read it back
    tip.setHtml(model.data(dept, Qt.ItemDataRole.ToolTipRole))
    assert tip.toPlainText().splitlines()[0] == model.data(dept, Qt.ItemDataRole.DisplayRole)
    assert model.data(dept.siblingAtColumn(1), Qt.ItemDataRole.ToolTipRole) is None


def test_afdeling_labels_name_the_leerlaag_only_when_the_code_does_not():
    from tests.domain.factory import Build
    from zdesk.ui.models.tree import build_tree

    b = Build()
    b.dept("mk4", 4)
    b.dept("brugklas", 1)
    for name in ("mavo", "vmbo-k"):
        c = b.choosable(b.departments[0].id, name)
        b.choosables[-1] = msgspec.structs.replace(
            b.choosables[-1], subject_name=name, subject_type="education"
        )
        assert b.choosables[-1].id == c
    root = build_tree(b.project(), {})
    labels = sorted(d.label for d in root.all_children[0].all_children)
    assert labels == ["brugklas — leerlaag 1", "mk4 — mavo, vmbo-k"]


class _CountedLookups(dict):
    """Signaleringen by object that count how often they are looked up."""

    lookups = 0

    def get(self, key, default=None):
        self.lookups += 1
        return super().get(key, default)


def test_a_tables_signaleringen_keys_and_afdelingen_are_made_when_first_needed(
    small_project, monkeypatch
):
    from zdesk.ui.models import tables
    from zdesk.ui.models.scope import scope_of
    from zdesk.ui.models.style import DECORATION, SeverityRole

    project, run = small_project
    by_object = _CountedLookups(run.by_object())
    placed = []
    in_departments = tables.in_departments
    monkeypatch.setattr(tables, "in_departments", lambda *a: placed.append(1) or in_departments(*a))
    data = tables.placements_table(project, by_object)
    model = RecordTableModel([])
    model.set_data(data)  # shown: a reset, nothing looked up yet
    assert by_object.lookups == 0 and not placed
    # Painting a row asks for its signaleringen: made then, the same as made at once.
    flagged = [r for r in range(model.rowCount()) if model.data(model.index(r, 0), SeverityRole)]
    assert by_object.lookups == len(project.placements)
    expected = [
        r
        for r in range(model.rowCount())
        if by_object.get(("student", model.row_object(r).student_code))
    ]
    assert flagged == expected and flagged
    assert model.data(model.index(flagged[0], 0), DECORATION) is not None
    # Narrowing to an afdeling makes the keys and places (once), and narrows as before.
    assert not placed
    dept = project.departments[0]
    model.set_scope(scope_of(project, dept))
    model.set_scope(scope_of(project, project.departments[-1]))
    model.set_scope(scope_of(project, dept))
    assert placed == [1]
    assert model.rowCount() == sum(
        1 for p in project.placements if p.department_of_branch == dept.id
    )


def test_a_changed_row_with_a_signalering_shows_both_marks(qapp):
    from zdesk.domain.findings import Finding
    from zdesk.domain.severity import Severity
    from zdesk.portal.records import ScheduleGroup
    from zdesk.ui.models.style import DECORATION, change_icon, icon, marked_icon

    rows = [ScheduleGroup(id=1), ScheduleGroup(id=2), ScheduleGroup(id=3)]
    flagged = Finding("group-empty", Severity.WAARSCHUWING, "group", 1, "leeg")
    model = RecordTableModel([Column("Id", lambda r: r.id)])
    model.set_rows(rows, lambda r: [flagged] if r.id in (1, 2) else [])
    model.set_changes(
        {("group", 1): "gewijzigd sinds maandag", ("group", 3): "nieuw sinds maandag"}
    )

    def key(r):
        found = model.data(model.index(r, 0), DECORATION)
        return None if found is None else found.cacheKey()

    both = marked_icon(Severity.WAARSCHUWING, True)
    assert key(0) == both.cacheKey()  # changed and flagged: one icon with both marks
    assert both.cacheKey() not in (icon(Severity.WAARSCHUWING).cacheKey(), change_icon().cacheKey())
    assert not both.pixmap(16, 16).toImage().isNull()
    assert key(1) == icon(Severity.WAARSCHUWING).cacheKey()  # flagged only
    assert key(2) == change_icon().cacheKey()  # changed only


def test_names_sort_in_dutch_order_accents_and_case_ignored():
    from zdesk.ui.models.table import sort_keys

    names = ["Siëlle", "émile", "Zoë", "Émilie", "anna", "Çelik", "Bram", None]
    keys = sort_keys(names)
    ordered = [n for _k, n in sorted(zip(keys, range(len(names)), strict=True))]
    assert [names[i] for i in ordered] == [
        "anna",
        "Bram",
        "Çelik",
        "émile",
        "Émilie",
        "Siëlle",
        "Zoë",
        None,
    ]


def test_with_student_name():
    from zdesk.present.words import with_student_name

    said = "Leerling 123401 heeft ak gekozen (afdeling h4)."
    assert with_student_name(said, "123401", "Émilie Çelik") == (
        "Leerling Émilie Çelik (123401) heeft ak gekozen (afdeling h4)."
    )
    assert with_student_name(said, "123401", "") == said  # no name granted: the number only
    assert with_student_name("Roostergroep h4a is leeg.", "1", "X") == "Roostergroep h4a is leeg."


def test_the_signaleringen_table_names_students(small_project):
    from zdesk.ui.models.tables import findings_table

    project, run = small_project
    data = findings_table(project, run.findings)
    melding = next(c for c in data.columns if c.header == "Melding")
    named = [
        f
        for f in data.rows
        if f.object_type == "student"
        and project.student_name(str(f.object_id))
        and f"Leerling {f.object_id} " in f.message
    ]
    assert named
    for f in named:
        name = project.student_name(str(f.object_id))
        assert f"Leerling {name} ({f.object_id})" in melding.value(f)


def test_wijzigingen_says_once_what_could_not_be_compared():
    from zdesk.domain.diff import Comparison
    from zdesk.ui.models.changes import change_rows, changes_table

    comparison = Comparison(
        0.0, 1.0, rights_changed=[("student", "groups")], not_compared=["group"]
    )
    rows = change_rows(comparison)
    assert [(r.change, r.object_type, r.what, r.text) for r in rows] == [
        (
            "niet te vergelijken",
            "student",
            "roostergroepen",
            "niet te vergelijken: leesrechten veranderd (studentsindepartments, veld "
            "groupInDepartments)",
        ),
        (
            "niet te vergelijken",
            "group",
            "",
            "niet te vergelijken: in één van de twee ladingen niet leesbaar",
        ),
    ]
    assert len(changes_table(comparison).rows) == 2


def test_a_tree_node_copies_as_one_cell_that_stays_text(qtbot):
    from types import SimpleNamespace

    from zdesk.ui.row_menus import copy_node

    clipboard = QGuiApplication.clipboard()
    copy_node(SimpleNamespace(label="-uit (vertrokken)"))
    assert clipboard.text() == "'-uit (vertrokken)"  # not a formula when pasted as text
    assert "mso-number-format" in clipboard.mimeData().html()  # nor when Excel takes the HTML
    copy_node(SimpleNamespace(label="havo 4"))
    assert clipboard.text() == "havo 4"  # one cell: no line break to paste along
