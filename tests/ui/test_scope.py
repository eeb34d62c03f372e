"""The tree's selection narrows every table: by vestiging, afdeling, keuzevak or group."""

from __future__ import annotations

import pytest

from tests.domain.factory import Build
from zdesk.ui.models.scope import scope_of
from zdesk.ui.models.table import RecordTableModel
from zdesk.ui.models.tables import prepare_views


@pytest.fixture
def tables(small_project, qtbot):
    project, run = small_project
    views = prepare_views(project, run)
    models = {}
    for name in ("groups", "placements", "planned", "findings"):
        model = RecordTableModel([])
        model.set_data(getattr(views, name))
        models[name] = model
    return project, run, models


def shown(model):
    return [model.row_object(r) for r in range(model.rowCount())]


def test_an_afdeling_narrows_every_table_to_itself(tables):
    project, run, models = tables
    dept = max(project.departments, key=lambda d: len(project.groups_of_department.get(d.id, ())))
    scope = scope_of(project, dept)
    assert scope.label == dept.label  # one vestiging: no need to name it
    for model in models.values():
        model.set_scope(scope)
        assert model.scoped
    assert {g.id for g in shown(models["groups"])} == {
        g.id for g in project.groups_of_department[dept.id]
    }
    assert {p.id for p in shown(models["placements"])} == {
        p.id for p in project.placements if p.department_of_branch == dept.id
    }
    planned = shown(models["planned"])
    assert planned and all(
        project.choosable_by_id[pg.choosable_in_department].department_of_branch == dept.id
        for pg in planned
    )
    findings = shown(models["findings"])
    assert 0 < len(findings) < len(run.findings)
    models["groups"].set_scope(None)
    assert models["groups"].rowCount() == len(project.groups)


def test_a_keuzevak_narrows_to_its_groups_and_their_students(tables):
    project, _run, models = tables
    choosable = next(
        c
        for c in project.choosables
        if any(pg.realised for pg in project.planned_of_choosable.get(c.id, ()))
    )
    scope = scope_of(project, choosable)
    for model in models.values():
        model.set_scope(scope)
    planned = project.planned_of_choosable[choosable.id]
    groups = {project.group_of(pg).id for pg in planned if project.group_of(pg)}
    assert {pg.id for pg in shown(models["planned"])} == {pg.id for pg in planned}
    assert {g.id for g in shown(models["groups"])} == groups
    members = {p.id for g in groups for p in project.placements_of_group[g]}
    assert members and {p.id for p in shown(models["placements"])} == members
    assert scope.label.startswith(f"keuzevak {choosable.label} in ")


def test_scope_text_filter_and_flagged_work_together(tables):
    project, _run, models = tables
    model = models["groups"]
    branch = project.branches[0]
    model.set_scope(scope_of(project, branch))
    assert model.rowCount() == len(project.groups)  # one vestiging holds every group
    dept = project.departments[0]
    model.set_scope(scope_of(project, dept))
    narrowed = model.rowCount()
    model.set_filter("zzz-nothing", None)
    assert model.rowCount() == 0
    model.set_filter("", None)
    assert model.rowCount() == narrowed
    assert scope_of(project, None) is None


def test_two_afdelingen_with_one_code_are_told_apart_by_vestiging(qtbot):
    b = Build()
    north, south = b.dept("h4", 4, branch=1), b.dept("h4", 4, branch=2)
    g_north, g_south = b.group(north, "1"), b.group(south, "1")
    b.place("1", north, [g_north])
    b.place("2", south, [g_south])
    project = b.project()
    from zdesk.domain.checks import run_checks

    views = prepare_views(project, run_checks(project))
    model = RecordTableModel([])
    model.set_data(views.groups)
    scope = scope_of(project, project.department_by_id[north])
    assert scope.label == "h4 (Noord)"
    model.set_scope(scope)
    assert [g.id for g in shown(model)] == [g_north]
    assert scope_of(project, project.branches[1]).label == "vestiging Zuid"
    model.set_scope(scope_of(project, project.group_by_id[g_south]))
    assert [g.id for g in shown(model)] == [g_south]


def test_the_trees_selection_narrows_the_changes_tab(qapp, small_project):
    from tests.domain.test_diff import _parts, changed_school
    from zdesk.domain.checks import run_checks
    from zdesk.domain.diff import compare
    from zdesk.ui.models.changes import changes_table
    from zdesk.ui.models.scope import scope_of
    from zdesk.ui.models.table import RecordTableModel

    before, before_run = small_project
    after = changed_school(before)
    _unrealised, _h4a, _h4b, _mover, _target, empty, _h5, _newcomer = _parts(before)
    result = compare(before, after, before_run.findings, run_checks(after).findings)
    model = RecordTableModel([])
    model.set_data(changes_table(result))
    everything = model.rowCount()
    dept = after.department_by_id[empty.department_of_branch]
    model.set_scope(scope_of(after, dept))
    shown = [model.row_object(r) for r in range(model.rowCount())]
    assert 0 < len(shown) < everything
    assert any(r.object_type == "group" and r.object_id == empty.id for r in shown)
    assert all(dept.id in result.departments[(r.object_type, r.object_id)] for r in shown)
