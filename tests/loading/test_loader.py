"""Loading a project over loopback: counts, progress, cancel, partial rights, bad references."""

from __future__ import annotations

import threading
import time

import pytest

from tests.portal.probe import probe_rights
from zdesk.demo.data import PortalData
from zdesk.demo.seed import PROJECT as SEED_PROJECT
from zdesk.demo.server import FakePortal, Rights
from zdesk.domain.model import MissingRight
from zdesk.loading import limits
from zdesk.loading.loader import LoadHints, LoadStats, load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import Cancelled, RightMissing, ServerError, TokenRejected
from zdesk.portal.names import normalise_portal


def client_for(portal, token=None):
    return PortalClient(normalise_portal(portal.url), token or portal.token, backoff=0.01)


def test_load_matches_what_the_portal_holds(portal, small_school):
    pid = small_school.current_project
    project = load_project(client_for(portal), pid)
    assert project.info.id == pid
    expected = {
        "branches": "branchesofschools",
        "departments": "departmentsofbranches",
        "choosables": "choosableindepartments",
        "planned_groups": "plannedgroups",
        "groups": "groupindepartments",
        "placements": "studentsindepartments",
    }
    counts = project.counts()
    for name, endpoint in expected.items():
        assert counts[name] == len(small_school.rows_of(endpoint, pid)), name
    assert counts["students"] == 150 and len(project.students) == 150
    assert project.problems == [] and project.missing_rights == []
    # Indices: the roostergroep of a planned group and the students of a roostergroep agree.
    pg = next(p for p in project.planned_groups if p.realised)
    assert project.group_of(pg).id == pg.group_in_department
    assert pg in project.planned_of_group[pg.group_in_department]
    placement = project.placements[0]
    for group in project.groups_of_placement(placement):
        assert placement in project.placements_of_group[group.id]
    assert project.placements_of_student[placement.student_code][0] is placement


def test_asks_only_for_the_fields_it_needs(portal, small_school):
    portal.clear_log()
    load_project(client_for(portal), small_school.current_project)
    # The project list (to find the previous project for the doorstroom) is read whole, as the
    # project chooser reads it; every other read names its fields.
    listing = [r for r in portal.requests if r.query == ""]
    assert [r.path.rsplit("/", 1)[-1] for r in listing] == ["schoolsinschoolyears"]
    reads = [r for r in portal.requests if r not in listing]
    assert reads and all("fields=" in r.query for r in reads)
    assert not any("id=0" in r.query or "~" in r.query for r in reads)  # no probes, no aliases
    # Names come with the afdelingsdeelnames: no separate users read.
    assert not any(r.path.endswith("/users") for r in reads)
    own = f"schoolInSchoolYear={small_school.current_project}&"
    placements = next(
        r for r in reads if r.path.endswith("/studentsindepartments") and own in r.query
    )
    assert "firstName" in placements.query and "lastName" in placements.query
    assert {r.method for r in reads} == {"GET"}


def test_progress_reports_every_request_in_order(portal, small_school):
    seen = []
    stats = LoadStats()
    load_project(
        client_for(portal), small_school.current_project, progress=seen.append, stats=stats
    )
    steps = seen
    assert [p.done for p in steps] == list(range(1, len(steps) + 1))
    assert steps[-1].done == steps[-1].total == stats.requests == 8  # 6 + placements + keuzes
    assert {p.endpoint for p in steps} >= {
        "plannedgroups",
        "groupindepartments",
        "studentsindepartments",
    }
    placements = next(p for p in steps if p.endpoint == "studentsindepartments")
    assert placements.rows == 162 and placements.bytes > 0 and placements.label


def test_large_projects_split_placements_by_department(portal, small_school, monkeypatch):
    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 2)
    monkeypatch.setattr(limits, "DEPARTMENTS_PER_REQUEST", 3)
    client = client_for(portal)
    first = load_project(client, small_school.current_project)
    # Without hints the project is read in one request; its afdelingen are kept for next time.
    assert len(first.hints.departments) == 5  # h4, v4, h5, v5 and the pseudo afdeling #uit
    stats = LoadStats()
    project = load_project(client, small_school.current_project, stats=stats, hints=first.hints)
    assert stats.per_endpoint["studentsindepartments"] == 2  # 5 afdelingen in blocks of 3
    assert "users" not in stats.per_endpoint
    assert project.counts()["placements"] == 162 and len(project.students) == 150


def test_never_more_than_a_handful_of_requests_at_once(small_school, monkeypatch):
    """The API asks for a handful of requests at once at most: the probe and the load keep six."""
    from zdesk.portal.client import PARALLEL

    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 2)
    monkeypatch.setattr(limits, "DEPARTMENTS_PER_REQUEST", 1)
    departments = [
        d["id"] for d in small_school.rows_of("departmentsofbranches", small_school.current_project)
    ]
    with FakePortal(small_school, latency_ms=40) as slow:  # answers overlap
        # Names refused with the afdelingsdeelnames: every block is read again in columns.
        token = slow.issue_token(Rights.without(fields={"studentsindepartments": {"firstName"}}))
        client = client_for(slow, token)
        probe_rights(client, small_school.current_project)
        probed = slow.most_in_flight
        slow.clear_log()
        hints = LoadHints(departments=departments)
        load_project(client, small_school.current_project, hints=hints)
        loaded, requests = slow.most_in_flight, len(slow.requests)
    assert PARALLEL == 6
    assert requests > 3 * PARALLEL  # enough to overrun the limit if it were not kept
    assert 1 < probed <= PARALLEL and 1 < loaded <= PARALLEL


def test_cancel_mid_load_raises_without_waiting_for_slow_requests(portal, small_school):
    client = client_for(portal)
    portal.add_fault("latency", "studentsindepartments", delay_ms=1500)
    flag = threading.Event()

    def on_progress(p):
        if p.endpoint == "plannedgroups":
            flag.set()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        load_project(client, small_school.current_project, progress=on_progress, cancel=flag)
    # The slow afdelingsdeelnames request is still running; the load did not wait for it.
    assert time.monotonic() - started < 1.0


def test_cancel_before_start(portal, small_school):
    flag = threading.Event()
    flag.set()
    with pytest.raises(Cancelled):
        load_project(client_for(portal), small_school.current_project, cancel=flag)


def test_error_mid_load_stops_the_load(portal, small_school):
    portal.add_fault("status", "groupindepartments", status=500)
    with pytest.raises(ServerError):
        load_project(client_for(portal), small_school.current_project)


def test_token_expired_mid_load(portal, small_school):
    portal.add_fault("status", "studentsindepartments", status=401)
    with pytest.raises(TokenRejected):
        load_project(client_for(portal), small_school.current_project)


def test_partial_rights_give_a_partial_project_that_says_so(portal, small_school):
    token = portal.issue_token(
        Rights.without("studentsindepartments", fields={"departmentsofbranches": {"maxGroupSize"}})
    )
    project = load_project(client_for(portal, token), small_school.current_project)
    assert project.placements == [] and project.students == {}
    assert MissingRight("studentsindepartments") in project.missing_rights
    assert project.lacks("studentsindepartments") and project.lacks("users")
    assert project.lacks("departmentsofbranches", "maxGroupSize")
    assert all(d.max_group_size is None for d in project.departments)
    assert len(project.planned_groups) == len(
        small_school.rows_of("plannedgroups", small_school.current_project)
    )


def test_names_are_optional(portal, small_school):
    names = {"firstName", "prefix", "lastName"}
    token = portal.issue_token(
        Rights.without(fields={"users": names, "studentsindepartments": names})
    )
    project = load_project(client_for(portal, token), small_school.current_project)
    assert project.students == {} and not project.has_names
    assert project.counts()["students"] == 150
    assert "geen leesrecht" in project.names_unavailable_because
    assert "firstName" in project.names_unavailable_because


def test_required_right_missing_is_an_error(portal, small_school):
    token = portal.issue_token(Rights.without("groupindepartments"))
    with pytest.raises(RightMissing) as info:
        load_project(client_for(portal, token), small_school.current_project)
    assert info.value.endpoint == "groupindepartments"


def test_dangling_references_and_duplicates_are_kept_as_problems(small_school):
    import copy

    rows = copy.deepcopy(small_school.rows)
    pid = small_school.current_project
    planned = next(
        p
        for p in rows["plannedgroups"]
        if p["schoolInSchoolYear"] == pid and p["groupInDepartment"]
    )
    planned["groupInDepartment"] = 999_999
    placement = next(p for p in rows["studentsindepartments"] if p["schoolInSchoolYear"] == pid)
    placement["groupInDepartments"] = [*(placement["groupInDepartments"] or []), 888_888]
    duplicate = dict(next(g for g in rows["groupindepartments"] if g["schoolInSchoolYear"] == pid))
    rows["groupindepartments"].append(duplicate)
    data = PortalData(rows, small_school.users, small_school.me, pid)
    with FakePortal(data) as fake:
        project = load_project(client_for(fake), pid)
    problems = {(p.object_type, p.object_id, p.field, p.value, p.kind) for p in project.problems}
    assert ("plannedgroup", planned["id"], "groupInDepartment", 999_999, "dangling") in problems
    assert ("placement", placement["id"], "groupInDepartments", 888_888, "dangling") in problems
    assert ("group", duplicate["id"], "id", duplicate["id"], "duplicate") in problems
    assert project.group_of(project.planned_by_id[planned["id"]]) is None
    assert len(project.groups) == len(small_school.rows_of("groupindepartments", pid))


def test_seed_dataset_loads_as_given(seed_portal):
    project = load_project(client_for(seed_portal), SEED_PROJECT)
    assert {g.id for g in project.groups} >= {27, 28}
    r3a = project.group_by_id[27]
    assert (r3a.name, r3a.extended_name, r3a.is_main_group, r3a.is_mentor_group) == (
        "r3a",
        "r3.r3a",
        True,
        False,
    )
    assert project.placement_by_id[704].group_in_departments == [59, 48, 60, 46, 61, 44, 50]
    assert project.placement_by_id[746].student_code == "779801"
    assert [p.id for p in project.unrealised_planned_groups()] == [1152]
    assert project.group_of(project.planned_by_id[3101]).name == "h4a"
    assert project.problems == []
    assert project.student_name("775021") == "Émilie van der Berg"


def test_prepare_runs_while_the_names_are_read(portal, small_school, monkeypatch):
    """Checks and views start as soon as all but the names is in; names are there at the end."""
    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 2)
    monkeypatch.setattr(limits, "DEPARTMENTS_PER_REQUEST", 3)
    names = {"firstName", "prefix", "lastName"}
    token = portal.issue_token(Rights.without(fields={"studentsindepartments": names}))
    client = client_for(portal, token)
    hints = load_project(client, small_school.current_project).hints  # names come from users
    portal.add_fault("latency", "users", delay_ms=600)
    seen: list[tuple[int, int, float]] = []
    started = time.monotonic()

    def prepare(project):
        seen.append((len(project.placements), len(project.students), time.monotonic()))

    project = load_project(client, small_school.current_project, hints=hints, prepare=prepare)
    ended = time.monotonic()
    # Called once, with every afdelingsdeelname (from both blocks) and no names yet ...
    assert [(n, s) for n, s, _ in seen] == [(162, 0)]
    # ... while the slow names requests were still out.
    assert ended - seen[0][2] > 0.3 and ended - started >= 0.6
    assert len(project.students) == 150
    assert project.counts()["placements"] == 162


def test_the_same_project_gives_the_same_requests_whatever_order_blocks_arrive(
    portal, small_school, monkeypatch
):
    """Blocks are taken in the order they were asked, not as they arrive: same requests, same
    project (a placement given twice resolves the same way)."""
    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 2)
    monkeypatch.setattr(limits, "DEPARTMENTS_PER_REQUEST", 1)
    client = client_for(portal)
    hints = load_project(client, small_school.current_project).hints

    def load() -> tuple[list[str], list[int]]:
        portal.clear_log()
        project = load_project(client, small_school.current_project, hints=hints, previous=None)
        return sorted(r.query for r in portal.requests), [p.id for p in project.placements]

    in_order = load()
    # The first block to reach the portal answers last.
    portal.add_fault("latency", "studentsindepartments", delay_ms=400, times=1)
    out_of_order = load()
    # 5 afdelingen (#uit among them) one by one: afdelingsdeelnames and pakketkeuzes
    assert len([q for q in in_order[0] if "departmentOfBranch=" in q]) == 10
    assert out_of_order == in_order


def test_prepare_runs_without_names_or_placements(portal, small_school):
    token = portal.issue_token(Rights.without("studentsindepartments"))
    calls = []
    project = load_project(
        client_for(portal, token), small_school.current_project, prepare=calls.append
    )
    assert calls == [project]


def test_an_error_in_prepare_stops_the_load(portal, small_school):
    def prepare(_project):
        raise ValueError("kapot")

    with pytest.raises(ValueError, match="kapot"):
        load_project(client_for(portal), small_school.current_project, prepare=prepare)


def test_placements_added_per_block_keep_the_first_of_a_duplicate(small_school):
    from zdesk.domain.model import Project, StudentPlacement

    project = load_project_offline(small_school)
    first = project.placements[0]
    before = len(project.placements)
    again = StudentPlacement(first.id, "elders", first.department_of_branch, [])
    project.add_placements([again])
    assert len(project.placements) == before
    assert project.placement_by_id[first.id] is first
    assert ("placement", first.id, "duplicate") in {
        (p.object_type, p.object_id, p.kind) for p in project.problems
    }
    # Built in one go or block by block: the same indices.
    whole = Project(
        info=project.info,
        groups=project.groups,
        departments=project.departments,
        placements=list(project.placements),
    )
    split = Project(info=project.info, groups=project.groups, departments=project.departments)
    half = len(project.placements) // 2
    split.add_placements(project.placements[:half])
    split.add_placements(project.placements[half:])
    assert split.placements == whole.placements
    assert dict(split.placements_of_group) == dict(whole.placements_of_group)
    assert dict(split.placements_of_student) == dict(whole.placements_of_student)


def load_project_offline(data: PortalData):
    with FakePortal(data) as fake:
        return load_project(client_for(fake), data.current_project)


def test_retries_stay_within_the_whole_loads_budget(portal, small_school, monkeypatch):
    portal.add_fault("status", "groupindepartments", status=503)
    client = PortalClient(normalise_portal(portal.url), portal.token, retries=3, backoff=0.05)
    with pytest.raises(ServerError):
        load_project(client, small_school.current_project)
    assert sum(r.path.endswith("/groupindepartments") for r in portal.requests) == 4
    portal.clear_log()
    monkeypatch.setattr(limits, "RETRY_BUDGET", 0.0)  # the load's budget is spent: no retries
    with pytest.raises(ServerError):
        load_project(client, small_school.current_project)
    assert sum(r.path.endswith("/groupindepartments") for r in portal.requests) == 1


def test_the_pakketkeuzes_the_checks_saw_are_the_projects_at_the_end(portal, small_school):
    """What the checks derived from the pakketkeuzes (the Pakket) stays valid after the load:
    the project's list of pakketkeuzes is not made anew once the checks have run."""
    from zdesk.domain.pakket import pakket_of

    seen = []
    project = load_project(
        client_for(portal, portal.token),
        small_school.current_project,
        prepare=lambda p: seen.append((p.selected_subjects, pakket_of(p))),
    )
    rows, pakket = seen[0]
    assert rows and project.selected_subjects is rows
    assert pakket_of(project) is pakket


def _department_ids(school, project):
    return sorted(d["id"] for d in school.rows_of("departmentsofbranches", project))


def test_stale_hints_never_leave_afdelingen_out(portal, small_school, monkeypatch):
    """Hints from a load before the portal gained afdelingen: every afdeling that arrives is
    read, so the load is the same as one without hints."""
    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 1)
    monkeypatch.setattr(limits, "DEPARTMENTS_PER_REQUEST", 1)
    client = client_for(portal)
    pid = small_school.current_project
    whole = load_project(client, pid)
    known = _department_ids(small_school, pid)[:2]  # the last load saw two of the five
    stats = LoadStats()
    project = load_project(client, pid, hints=LoadHints(departments=known), stats=stats)
    assert stats.per_endpoint["studentsindepartments"] == 5  # two hinted, three that arrived
    assert sorted(p.id for p in project.placements) == sorted(p.id for p in whole.placements)
    assert sorted(s.id for s in project.selected_subjects) == sorted(
        s.id for s in whole.selected_subjects
    )
    assert project.selected_subjects and project.repairs == whole.repairs == []
    assert project.problems == whole.problems


def test_hinted_afdelingen_outside_the_project_are_left_out(portal, small_school, monkeypatch):
    """Ids in the hints that are not in the project (another project's afdelingen) add nothing
    to it: their rows are left out and counted as a note, never as the project's data."""
    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 1)
    pid = small_school.current_project
    other = next(p for p in small_school.project_ids() if p != pid)
    foreign = _department_ids(small_school, other)
    client = client_for(portal)
    whole = load_project(client, pid)
    hints = LoadHints(departments=_department_ids(small_school, pid) + foreign)
    project = load_project(client, pid, hints=hints)
    assert sorted(p.id for p in project.placements) == sorted(p.id for p in whole.placements)
    assert sorted(s.id for s in project.selected_subjects) == sorted(
        s.id for s in whole.selected_subjects
    )
    notes = {(r.endpoint, r.action): r.count for r in project.repairs}
    foreign_placements = [
        r
        for r in small_school.rows_of("studentsindepartments", other)
        if r["departmentOfBranch"] in foreign
    ]
    assert foreign_placements
    assert notes[("studentsindepartments", "outside-project")] == len(foreign_placements)
    assert project.problems == whole.problems  # nothing of the other project dangles


def test_absurd_hints_are_ignored(portal, small_school):
    """A hints file naming 100,000 afdelingen makes no thousands of requests."""
    stats = LoadStats()
    project = load_project(
        client_for(portal),
        small_school.current_project,
        hints=LoadHints(departments=list(range(1, 100_001))),
        stats=stats,
    )
    assert stats.requests == 8
    assert project.counts()["placements"] == 162
