"""Wat is er veranderd: the comparison of two loads lists exactly what changed, object by object."""

from __future__ import annotations

import json

import msgspec

from zdesk.domain.checks import run_checks
from zdesk.domain.diff import (
    ADDED,
    CHANGED,
    REMOVED,
    Change,
    compare,
    describe,
    rights_changed_text,
)
from zdesk.domain.model import MissingRight, StudentPlacement

from ..store.helpers import copy_project

replace = msgspec.structs.replace


def _parts(project):
    unrealised = project.unrealised_planned_groups()[0]
    h4a = next(g for g in project.groups if g.label == "h4.h4a")
    h4b = next(g for g in project.groups if g.label == "h4.h4b")
    mover = next(
        p for p in project.placements if p.group_in_departments and h4a.id in p.group_in_departments
    )
    target = next(g for g in project.groups if g.department_of_branch == unrealised_dept(project))
    empty = next(g for g in project.groups if not project.placements_of_group[g.id])
    h5 = next(d for d in project.departments if d.code == "h5")
    newcomer = next(
        code
        for code, ps in project.placements_of_student.items()
        if len(ps) == 1 and ps[0].department_of_branch != h5.id and code != mover.student_code
    )
    return unrealised, h4a, h4b, mover, target, empty, h5, newcomer


def unrealised_dept(project):
    pg = project.unrealised_planned_groups()[0]
    return project.choosable_by_id[pg.choosable_in_department].department_of_branch


def changed_school(project):
    """The four changes of the issue: realised, moved, placed, removed."""
    unrealised, h4a, h4b, mover, target, empty, h5, newcomer = _parts(project)
    planned = [
        replace(pg, group_in_department=target.id)
        if pg.id == unrealised.id
        else replace(pg, group_in_department=None)
        if pg.group_in_department == empty.id
        else pg
        for pg in project.planned_groups
    ]
    placements = [
        replace(
            p,
            group_in_departments=[h4b.id if g == h4a.id else g for g in p.group_in_departments],
        )
        if p.id == mover.id
        else p
        for p in project.placements
    ]
    placements.append(StudentPlacement(999_001, newcomer, h5.id, []))
    groups = [g for g in project.groups if g.id != empty.id]
    return copy_project(
        project,
        planned_groups=planned,
        placements=placements,
        groups=groups,
        loaded_at=project.loaded_at + 86400,
    )


def test_the_four_changes_and_nothing_else(small_project):
    before, before_run = small_project
    after = changed_school(before)
    unrealised, _h4a, _h4b, mover, target, empty, _h5, newcomer = _parts(before)
    unlinked = before.planned_of_group[empty.id][0]
    result = compare(before, after, before_run.findings, run_checks(after).findings)
    found = {
        (c.change, c.object_type, c.object_id, c.what, c.before, c.after) for c in result.changes
    }
    assert found == {
        (CHANGED, "planned_group", unrealised.id, "realised", None, target.label),
        (CHANGED, "student", mover.student_code, "groups", "h4.h4a", "h4.h4b"),
        (ADDED, "student", newcomer, "placement", None, "h5"),
        (REMOVED, "group", empty.id, "group", empty.label, None),
        (CHANGED, "planned_group", unlinked.id, "unlinked", empty.label, None),
    }
    assert len(result.changes) == 5
    assert result.counts() == {ADDED: 1, REMOVED: 1, CHANGED: 3}
    resolved = {(f.check, f.object_id) for f in result.resolved_findings}
    new = {(f.check, f.object_id) for f in result.new_findings}
    assert ("planned-group-unrealised", unrealised.id) in resolved
    assert ("group-empty", empty.id) in resolved
    assert ("planned-group-unrealised", unlinked.id) in new
    assert ("student-multiple-departments", newcomer) in new
    # Findings on both sides are neither new nor resolved.
    assert not {(f.check, f.object_id) for f in before_run.findings} & new - {
        ("planned-group-unrealised", unlinked.id)
    }


def test_nothing_changed_means_no_changes(small_project):
    project, run = small_project
    again = copy_project(project)
    result = compare(project, again, run.findings, run.findings)
    assert result.changes == [] and result.new_findings == [] and result.resolved_findings == []


def test_groups_renamed_flagged_and_keuzevakken_added_and_removed(small_project):
    before, _ = small_project
    group = next(g for g in before.groups if g.is_main_group)
    gone = before.choosables[0]
    extra = replace(before.choosables[1], id=888_001, subject_code="nieuw")
    relinked = next(
        pg for pg in before.planned_groups if pg.realised and pg.choosable_in_department != gone.id
    )
    other = next(g for g in before.groups if g.id not in (relinked.group_in_department, group.id))
    after = copy_project(
        before,
        groups=[
            replace(
                g, name="h4z", extended_name="h4.h4z", is_main_group=False, is_mentor_group=True
            )
            if g.id == group.id
            else g
            for g in before.groups
        ],
        choosables=[c for c in before.choosables if c.id != gone.id] + [extra],
        planned_groups=[
            replace(pg, group_in_department=other.id) if pg.id == relinked.id else pg
            for pg in before.planned_groups
            if pg.choosable_in_department != gone.id
        ],
    )
    result = compare(before, after)
    by_what = {(c.object_id, c.what): c for c in result.changes}
    assert by_what[group.id, "name"].before == group.label
    assert by_what[group.id, "name"].after == "h4.h4z"
    assert by_what[group.id, "main_group"].before is True
    assert by_what[group.id, "main_group"].after is False
    if group.is_mentor_group:
        assert (group.id, "mentor_group") not in by_what
    else:
        assert by_what[group.id, "mentor_group"].after is True
    assert by_what[gone.id, "choosable"].change == REMOVED
    assert by_what[extra.id, "choosable"].change == ADDED
    change = by_what[relinked.id, "relinked"]
    assert change.before == before.group_by_id[relinked.group_in_department].label
    assert change.after == other.label
    assert describe(by_what[group.id, "name"]) == f"Roostergroep {group.label} heet nu h4.h4z"
    assert describe(by_what[group.id, "main_group"]).endswith("stamklas ja → nee")


def test_a_student_who_left_an_afdeling(small_project):
    before, _ = small_project
    code, placements = next(
        (c, ps) for c, ps in before.placements_of_student.items() if len(ps) == 2
    )
    after = copy_project(
        before, placements=[p for p in before.placements if p.id != placements[1].id]
    )
    changes = [c for c in compare(before, after).changes if c.object_id == code]
    left = before.department_by_id[placements[1].department_of_branch].label
    assert changes[0] == Change(REMOVED, "student", code, "placement", left, None, code)
    assert describe(changes[0]) == f"Leerling {code} is niet meer geplaatst in afdeling {left}"


def test_what_one_load_could_not_read_is_not_compared(small_project):
    before, _ = small_project
    after = copy_project(
        before,
        placements=[],
        unavailable={"studentsindepartments"},
        missing_rights=[MissingRight("studentsindepartments")],
    )
    result = compare(before, after)
    assert result.changes == []
    assert result.not_compared == ["student"]


def test_a_field_refused_now_and_read_before_is_not_a_change_of_every_row(small_project):
    before, _ = small_project
    # The token may no longer read the afdelingsdeelnames' roostergroepen nor isMainGroup.
    after = copy_project(
        before,
        placements=[replace(p, group_in_departments=None) for p in before.placements],
        groups=[replace(g, is_main_group=None) for g in before.groups],
        missing_rights=[
            MissingRight("studentsindepartments", "groupInDepartments"),
            MissingRight("groupindepartments", "isMainGroup"),
        ],
    )
    result = compare(before, after)
    assert result.changes == []
    assert sorted(result.rights_changed) == [("group", "main_group"), ("student", "groups")]
    # Not compared, and said so (Wijzigingen and `zdesk diff` show it in words).
    assert rights_changed_text(("student", "groups")) == (
        "niet te vergelijken: leesrechten veranderd (studentsindepartments, veld "
        "groupInDepartments)"
    )
    # A field neither load could read is simply not compared.
    again = compare(after, after)
    assert again.changes == [] and again.rights_changed == []


def test_the_json_shape(small_project):
    before, before_run = small_project
    after = changed_school(before)
    shaped = compare(before, after, before_run.findings, run_checks(after).findings).as_json()
    assert set(shaped) == {"from", "to", "changes", "findings"}
    assert (
        set(shaped["from"]) == {"loaded_at"}
        and shaped["to"]["loaded_at"] > shaped["from"]["loaded_at"]
    )
    assert {tuple(sorted(c)) for c in shaped["changes"]} == {
        ("after", "before", "change", "object_id", "object_type", "what")
    }
    assert set(shaped["findings"]) == {"new", "resolved"}
    assert set(shaped["findings"]["new"][0]) >= {"check", "severity", "object_type", "object_id"}
    json.dumps(shaped)


def test_every_change_is_placed_in_its_afdelingen_even_when_gone(small_project):
    before, before_run = small_project
    after = changed_school(before)
    unrealised, _h4a, _h4b, mover, _target, empty, h5, newcomer = _parts(before)
    result = compare(before, after, before_run.findings, run_checks(after).findings)
    where = result.departments
    # A removed roostergroep sits where it sat in the older load.
    assert where[("group", empty.id)] == (empty.department_of_branch,)
    assert where[("planned_group", unrealised.id)] == (unrealised_dept(before),)
    assert where[("student", mover.student_code)] == (mover.department_of_branch,)
    # The newcomer now sits in two afdelingen: both narrow to the change.
    assert set(where[("student", newcomer)]) == {
        before.placements_of_student[newcomer][0].department_of_branch,
        h5.id,
    }
    keys = {c.key for c in result.changes} | {
        (f.object_type, f.object_id) for f in result.new_findings + result.resolved_findings
    }
    assert keys == set(where)
