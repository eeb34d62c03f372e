"""The Qt models: pytest-qt's model tester, and what they show, without any widget."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from tests.ui.tree_rows import first_real_department
from zdesk.domain.checks import Severity
from zdesk.ui.models.style import ObjectRole, SeverityRole, SortRole
from zdesk.ui.models.table import Column, RecordTableModel
from zdesk.ui.models.tables import findings_table, groups_table, placements_table, planned_table
from zdesk.ui.models.tree import NOT_REALISED, ProjectTreeModel


def subtree(node):
    """Every node below `node` (as built so far)."""
    for child in node.all_children:
        yield child
        yield from subtree(child)


def all_nodes(model, parent=None):
    parent = parent if parent is not None else QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from all_nodes(model, index)


def test_tree_passes_the_model_tester(qtmodeltester, small_project):
    project, run = small_project
    model = ProjectTreeModel()
    model.set_project(project, run.by_object())
    qtmodeltester.check(model)
    model.set_filter("grp2", False)
    qtmodeltester.check(model)
    model.set_filter("", True)
    qtmodeltester.check(model)


def test_tree_marks_unrealised_planned_groups_three_ways(qapp, small_project):
    project, run = small_project
    model = ProjectTreeModel()
    model.set_project(project, run.by_object())
    marked = set()
    for index in all_nodes(model):
        obj = model.data(index, ObjectRole)
        if NOT_REALISED in model.data(index):
            assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
            assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
            assert "nog niet gerealiseerd" in model.data(index, Qt.ItemDataRole.ToolTipRole)
            assert model.data(index, SeverityRole) == Severity.WAARSCHUWING
            marked.add(obj.id)
    assert marked == {pg.id for pg in project.unrealised_planned_groups()}


def test_tree_counts_and_problems_beneath(qapp, small_project):
    project, run = small_project
    model = ProjectTreeModel()
    model.set_project(project, run.by_object())
    (branch,) = [model.index(r, 0) for r in range(model.rowCount())]
    assert model.data(branch.siblingAtColumn(1)) == 150  # students in the vestiging
    assert model.data(branch.siblingAtColumn(2)) == len(project.groups)
    tree_objects = {"planned_group", "group", "choosable", "department", "branch"}
    expected = {f for f in run.findings if f.object_type in tree_objects}
    assert model.data(branch.siblingAtColumn(3)) == len(expected)
    for row in range(model.rowCount(branch)):
        dept_index = model.index(row, 0, branch)
        dept = model.data(dept_index, ObjectRole)
        assert model.data(dept_index.siblingAtColumn(1)) == len(
            {p.student_code for p in project.placements if p.department_of_branch == dept.id}
        )


def test_tree_filter_keeps_ancestors_and_finds_objects(qapp, small_project):
    project, run = small_project
    model = ProjectTreeModel()
    model.set_project(project, run.by_object())
    unrealised = project.unrealised_planned_groups()[0]
    model.set_filter(NOT_REALISED, False)
    shown = {
        model.data(i, ObjectRole).id for i in all_nodes(model) if NOT_REALISED in model.data(i)
    }
    assert shown == {pg.id for pg in project.unrealised_planned_groups()}
    assert model.index_of("planned_group", unrealised.id).isValid()
    realised = next(pg for pg in project.planned_groups if pg.realised)
    assert not model.index_of("planned_group", realised.id).isValid()  # filtered away
    model.set_filter("", False)
    assert model.index_of("planned_group", realised.id).isValid()


def test_tables_pass_the_model_tester(qtmodeltester, small_project):
    project, run = small_project
    for table in (groups_table, placements_table, planned_table):
        model = RecordTableModel([])
        model.set_data(table(project, run.by_object()))
        qtmodeltester.check(model)
        model.sort(1, Qt.SortOrder.DescendingOrder)
        model.set_filter("h4", True)
        qtmodeltester.check(model)
    model = RecordTableModel([])
    model.set_data(findings_table(project, run.findings))
    qtmodeltester.check(model)


def test_placements_table_highlights_multi_department_students(qapp, small_project):
    project, run = small_project
    model = RecordTableModel([])
    model.set_data(placements_table(project, run.by_object()))
    multi = {
        code
        for code, ps in project.placements_of_student.items()
        if len({p.department_of_branch for p in ps}) > 1
    }
    highlighted, named_elsewhere = set(), set()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        placement = model.data(index, ObjectRole)
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole) or ""
        if "Ook in afdeling" in tip:
            named_elsewhere.add(placement.student_code)
        if model.data(index, SeverityRole) is not None and any(
            f.check == "student-multiple-departments"
            for f in run.by_object().get(("student", placement.student_code), ())
        ):
            highlighted.add(placement.student_code)
    assert multi and highlighted == multi == named_elsewhere


def people(n):
    return [
        {"name": f"Naam {i:05d}", "size": (i * 7919) % 1000, "flag": i % 3 == 0} for i in range(n)
    ]


def simple_model(rows):
    model = RecordTableModel(
        [
            Column("Naam", lambda r: r["name"]),
            Column("Grootte", lambda r: r["size"], numeric=True),
        ]
    )
    model.set_rows(rows, lambda r: ("x",) if r["flag"] else ())
    return model


def test_filter_and_sort_happen_in_the_model(qapp):
    rows = people(2000)
    model = simple_model(rows)
    model.set_filter("naam 0001")
    assert model.rowCount() == 10
    model.set_filter("")
    assert model.rowCount() == 2000
    model.set_filter(None, only_flagged=True)
    assert model.rowCount() == len([r for r in rows if r["flag"]])
    model.set_filter(None, only_flagged=False)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    sizes = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert sizes == sorted(r["size"] for r in rows)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "Naam 01999"
    assert model.data(model.index(0, 1), SortRole) == rows[1999]["size"]


def test_selection_follows_its_row_through_sort_and_filter(qapp):
    model = simple_model(people(100))
    tracked = QPersistentModelIndex(model.index(42, 0))
    obj = model.data(tracked, ObjectRole)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.data(tracked, ObjectRole) is obj
    model.set_filter(obj["name"].lower())
    assert tracked.isValid() and tracked.row() == 0
    model.set_filter("no such text")
    assert not tracked.isValid()


def test_many_selected_rows_follow_through_sort_and_filter(qapp):
    """A few kept rows are looked up one by one, many by numbering the rows: both keep them."""
    model = simple_model(people(200))
    for count in (3, 40):
        model.set_filter("")
        model.sort(1, Qt.SortOrder.AscendingOrder)
        tracked = [QPersistentModelIndex(model.index(r, 1)) for r in range(0, 5 * count, 5)]
        objects = [model.data(t, ObjectRole) for t in tracked]
        model.sort(0, Qt.SortOrder.DescendingOrder)
        assert [model.data(t, ObjectRole) for t in tracked] == objects
        assert all(t.column() == 1 for t in tracked)
        model.set_filter("naam 001")  # Naam 00100 .. 00199 stay
        kept = [o["name"].startswith("Naam 001") for o in objects]
        assert any(kept) and not all(kept)
        assert [t.isValid() for t in tracked] == kept
        shown = [model.data(t, ObjectRole) for t in tracked]
        assert [o for o, k in zip(shown, kept, strict=True) if k] == [
            o for o, k in zip(objects, kept, strict=True) if k
        ]


def test_keys_built_ahead_are_what_a_first_sort_uses(qapp):
    from zdesk.ui.models.table import prepare

    rows = people(500)
    calls = []
    columns = [
        Column("Naam", lambda r: calls.append(1) or r["name"]),
        Column("Grootte", lambda r: r["size"], numeric=True),
    ]
    data = prepare(columns, rows).with_search().with_sort_keys()
    model = RecordTableModel([])
    model.set_data(data)
    calls.clear()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert calls == []  # no value was computed at click time
    assert model.data(model.index(0, 0)) == "Naam 00499"
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 1)) == min(r["size"] for r in rows)


def test_tree_grows_an_afdeling_when_first_needed_with_the_counts_it_promised(qapp, small_project):
    from zdesk.ui.models.tree import build_tree, grow, grow_all, lookup

    project, run = small_project
    root = build_tree(project, run.by_object())
    # The pseudo afdeling #uit has no keuzevakken or groups: nothing to grow.
    departments = [d for b in root.all_children for d in b.all_children if not d.obj.is_pseudo]
    assert departments and all(d.grow is not None and not d.all_children for d in departments)
    promised = {id(d): (d.beneath, d.students, d.groups) for d in departments}

    grow(departments[0])
    assert departments[0].grow is None and departments[0].children
    assert [c.row for c in departments[0].children] == list(range(len(departments[0].children)))
    assert all(d.grow is not None for d in departments[1:])  # the others wait
    for _ in grow_all(root):
        pass
    flagged = 0
    for d in departments:
        below = set(d.findings).union(*(n.findings for n in subtree(d)))
        assert (frozenset(below), d.students, d.groups) == promised[id(d)]
        flagged += bool(below)
    assert flagged >= 2  # the small school's findings are spread over its afdelingen
    index = lookup(root)
    assert all(("planned_group", pg.id) in index for pg in project.planned_groups)


def test_tree_model_grows_an_afdeling_when_the_view_opens_it(qapp, small_project):
    project, run = small_project
    model = ProjectTreeModel()
    model.set_project(project, run.by_object())
    branch = model.index(0, 0)
    dept = first_real_department(model, branch)
    node = model.node(dept)
    assert model.hasChildren(dept) and node.grow is not None
    assert model.rowCount(dept) == len(project.choosables_of_department[node.obj.id]) + bool(
        [
            g
            for g in project.groups_of_department[node.obj.id]
            if not project.planned_of_group.get(g.id)
        ]
    )
    assert node.grow is None
    # A lookup reaches objects under afdelingen nobody opened.
    last = project.planned_groups[-1]
    assert model.node(model.index_of("planned_group", last.id)).obj is last


def test_tree_promises_the_findings_of_groups_whose_own_afdeling_is_missing(qapp):
    from zdesk.domain.checks import Finding
    from zdesk.domain.model import (
        Branch,
        Choosable,
        Department,
        PlannedGroup,
        Project,
        ProjectInfo,
        ScheduleGroup,
    )
    from zdesk.ui.models.tree import build_tree, grow_all

    project = Project(
        info=ProjectInfo(1),
        branches=[Branch(10, name="Centrum")],
        departments=[Department(20, branch_of_school=10, code="h4")],
        choosables=[Choosable(30, department_of_branch=20, subject_code="netl")],
        planned_groups=[
            PlannedGroup(40, choosable_in_department=30, group_in_department=50),
            PlannedGroup(41, choosable_in_department=30, group_in_department=None),
        ],
        groups=[
            ScheduleGroup(50, department_of_branch=999, name="elders"),  # afdeling unknown
            ScheduleGroup(51, department_of_branch=20, name="los"),  # linked to nothing
            ScheduleGroup(52, department_of_branch=999, name="weg"),  # shown nowhere
        ],
    )
    flagged = {
        ("group", g): (Finding("group-empty", "fout", "group", g, "x"),) for g in (50, 51, 52)
    }
    root = build_tree(project, flagged)
    (dept,) = root.all_children[0].all_children
    promised = dept.beneath
    for _ in grow_all(root):
        pass

    shown = frozenset(f for n in subtree(dept) for f in n.findings)
    assert promised == shown and {f.object_id for f in shown} == {50, 51}


def test_details_show_the_lessentabel_of_a_keuzevak(small_project):
    from zdesk.ui.details import describe

    project, _run = small_project
    with_table = next(c for c in project.choosables if c.lesson_hours)
    _title, facts, _related = describe(project, with_table)
    first = with_table.lesson_hours[0]
    table = dict(facts)["Lessentabel"]
    assert f"periode {first['classPeriod']}: {first['lessonHours']} lesuren" in table
    assert "classPeriod" not in table and "lessonHours" not in table
