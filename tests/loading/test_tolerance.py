"""Tolerant loads over loopback HTTP: odd data becomes signaleringen, never a crash; a cancel at any
stage of a load gives no project at all."""

from __future__ import annotations

import threading

import pytest

from zdesk.domain.checks import run_checks
from zdesk.loading.loader import load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import BadResponse, Cancelled
from zdesk.portal.names import normalise_portal


def client_for(portal):
    return PortalClient(normalise_portal(portal.url), portal.token, backoff=0.01)


def envelope(rows):
    return {
        "response": {
            "status": 200,
            "message": "",
            "details": "",
            "eventId": 0,
            "startRow": 0,
            "endRow": len(rows),
            "totalRows": len(rows),
            "data": rows,
            "somethingNew": {"x": 1},
        }
    }


def test_nulls_unknown_fields_duplicates_and_dangling_ids(portal, small_school):
    pid = small_school.current_project
    dept = small_school.rows_of("departmentsofbranches", pid)[0]["id"]
    odd_groups = [
        {
            "id": 1,
            "departmentOfBranch": dept,
            "name": None,
            "isMainGroup": None,
            "isMentorGroup": None,
            "extendedName": None,
            "colour": "blue",
        },
        {
            "id": 1,
            "departmentOfBranch": dept,
            "name": "twin",
            "isMainGroup": False,
            "isMentorGroup": False,
            "extendedName": "x.twin",
        },
        {
            "id": 2,
            "departmentOfBranch": 999_999,
            "name": "lost",
            "isMainGroup": True,
            "isMentorGroup": True,
            "extendedName": "?.lost",
            "nested": [1, {"a": None}],
        },
    ]
    portal.add_fault("body", "groupindepartments", body=envelope(odd_groups))
    project = load_project(client_for(portal), pid)
    # Group 2 belongs to an afdeling this project does not have: outside the project, left out
    # and counted as a note on the load, not a signalering.
    assert [g.id for g in project.groups] == [1]
    notes = {(r.endpoint, r.field, r.action): r.count for r in project.repairs}
    assert notes == {("groupindepartments", "departmentOfBranch", "outside-project"): 1}
    run = run_checks(project)
    checks = {f.check for f in run.findings}
    assert {"dangling-reference", "duplicate-id"} <= checks and "data-repaired" not in checks
    # The placements now point at groups that are not there: each is a dangling reference.
    dangling = [f for f in run.findings if f.check == "dangling-reference"]
    assert not any(f.object_type == "group" for f in dangling)
    assert any(f.object_type == "placement" for f in dangling)


def test_the_lessentabel_is_read_when_asked_in_whatever_shape_it_came(portal, small_school):
    pid = small_school.current_project
    dept = small_school.rows_of("departmentsofbranches", pid)[0]["id"]
    table = [{"classPeriod": 1, "lessonHours": 3}, {"classPeriod": 2, "lessonHours": 2}]
    shapes = {1: table, 2: [], 3: None, 4: "drie uur", 5: {"classPeriod": 1}}
    rows = [{"id": i, "departmentOfBranch": dept, "subjectCode": f"v{i}"} for i in range(1, 7)]
    for row in rows:
        if row["id"] in shapes:
            row["lessonHoursInClassPeriods"] = shapes[row["id"]]
    portal.add_fault("body", "choosableindepartments", body=envelope(rows))
    project = load_project(client_for(portal), pid)
    lessons = {c.id: c.lesson_hours for c in project.choosables}
    # A list as given; anything else (absent, null, text, one object) is no lessentabel.
    assert lessons == {1: table, 2: [], 3: [], 4: [], 5: [], 6: []}


def test_empty_data(portal, small_school):
    pid = small_school.current_project
    portal.add_fault("body", "plannedgroups", body=envelope([]))
    project = load_project(client_for(portal), pid)
    assert project.planned_groups == []
    run = run_checks(project)
    without = {f.object_id for f in run.findings if f.check == "choosable-without-planned-groups"}
    # Opleidingen and profielen are structure and need no geplande groep.
    assert without == {c.id for c in project.choosables if not c.is_structure}
    assert any(c.is_structure for c in project.choosables)


def test_data_null_instead_of_a_list_is_no_answer(portal, small_school):
    # `data` is always a list: null is a broken answer, never an empty project part that would
    # silently replace what was shown.
    portal.add_fault("body", "branchesofschools", body={"response": {"status": 200, "data": None}})
    with pytest.raises(BadResponse):
        load_project(client_for(portal), small_school.current_project)


def count_progress(portal, school):
    seen = []
    load_project(client_for(portal), school.current_project, progress=seen.append)
    return len(seen)


@pytest.mark.parametrize("stage", range(9))
def test_cancel_at_every_stage(portal, small_school, stage):
    stages = count_progress(portal, small_school)
    if stage >= stages:
        pytest.skip(f"a small school loads in {stages} steps")
    flag = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if len(seen) > stage:
            flag.set()

    with pytest.raises(Cancelled):
        load_project(
            client_for(portal), small_school.current_project, progress=progress, cancel=flag
        )
