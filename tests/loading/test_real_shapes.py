"""What real portals send, over real HTTP: odd types, partial grants, names in one call, round
trips, pseudo afdelingen, repeated group ids, placements without a student."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.domain.factory import Build
from zdesk.demo.protocol import (
    DEEP_PLACEHOLDER,
    ENDPOINT_FIELDS,
    RETYPES,
    Fault,
    retype_rows,
)
from zdesk.demo.server import FakePortal, Rights
from zdesk.domain.checks import run_checks
from zdesk.loading import limits
from zdesk.loading.loader import LoadHints, LoadStats, load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.portal.rights import NEEDS, MissingRight
from zdesk.portal.wire import ROW_SKIPPED

READ = {  # the fields zdesk asks of each endpoint, by the API's names
    n.endpoint: {*n.fields, *n.extra} for n in NEEDS if n.endpoint != "users"
}
NAMES = {"firstName", "prefix", "lastName"}


def client_for(portal, token=None):
    return PortalClient(normalise_portal(portal.url), token or portal.token, backoff=0.01)


def findings(project) -> set[tuple]:
    return {
        (f.check, f.object_type, f.object_id)
        for f in run_checks(project).findings
        if f.check != "data-repaired"
    }


def test_the_demo_speaks_the_real_shapes(portal, small_school):
    project = load_project(client_for(portal), small_school.current_project)
    assert all(isinstance(i, int) for d in project.departments for i in d.educations or ())
    assert any(d.profiles for d in project.departments)
    structure = [c for c in project.choosables if c.is_structure]
    assert {c.subject_type for c in structure} == {"education", "profile"}
    assert not any(project.planned_of_choosable.get(c.id) for c in structure)
    assert any(code.startswith("0") for code in project.placements_of_student)
    assert len(project.students) == 150 and project.repairs == []
    # The afdeling's opleidingen by name, from its opleiding keuzevak, never the id list.
    dept = project.departments[0]
    assert project.educations_of(dept) and not project.educations_of(dept)[0].isdigit()
    # Unrealised planned groups carry no service fields at all.
    for pg in project.unrealised_planned_groups():
        assert pg.group_in_department_name is None and pg.group_in_department_is_main_group is None


SERVED = sorted(
    (endpoint, field)
    for endpoint in READ
    for field in set(ENDPOINT_FIELDS[endpoint][0]) | set(ENDPOINT_FIELDS[endpoint][1])
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays repeatable
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    served=st.sampled_from(SERVED),
    to=st.sampled_from(RETYPES),
    share=st.sampled_from([0.3, 1.0]),
    seed=st.integers(0, 1000),
)
def test_any_field_in_any_type_loads_and_is_reported(small_school, served, to, share, seed):
    endpoint, field = served
    pid = small_school.current_project
    with FakePortal(small_school) as fake:
        before = load_project(client_for(fake), pid)
        fake.add_fault("retype", endpoint, field=field, to=to, share=share, seed=seed)
        after = load_project(client_for(fake), pid)
    repaired = {(r.endpoint, r.field) for r in after.repairs}
    fault = Fault("retype", endpoint, field=field, to=to, share=share, seed=seed)
    change = _change(small_school.rows_of(endpoint, pid), fault)
    if change == "type" and field in READ[endpoint] and field != "lessonHoursInClassPeriods":
        # A value zdesk reads came in another type: reported, with the signalering.
        assert (endpoint, field) in repaired
        assert any(f.check == "data-repaired" for f in run_checks(after).findings)
    if change == "none" or field not in READ[endpoint]:
        assert after.repairs == [] and findings(after) == findings(before)
    # What came in a type with the same meaning ("5" for 5) gives the same signaleringen.
    lossless = to == "str" and field not in ("name", "code", "subjectCode", "student")
    if lossless and field != "id" and all(r.action != ROW_SKIPPED for r in after.repairs):
        assert findings(after) == findings(before)


def _kind(value: object) -> str:
    return "bool" if isinstance(value, bool) else type(value).__name__


def _change(rows: list[dict], fault: Fault) -> str:
    """What the fault does to the field as served: "type" (some value in another JSON type),
    "null" (values only made null, a legal "absent"), or "none"."""
    changed = retype_rows(rows, fault)
    # The field's own types, as the portal serves it where it has a value.
    own = {_kind(r[fault.field]) for r in rows if r.get(fault.field) is not None}
    kinds = set()
    for old, new in zip(rows, changed, strict=True):
        before, after = old.get(fault.field), new.get(fault.field)
        if fault.field not in old or (before == after and _kind(before) == _kind(after)):
            continue
        value = new[fault.field]
        if value == DEEP_PLACEHOLDER:  # served as a value nested 5000 deep
            kinds.add("type")
        elif value is None:
            kinds.add("type" if fault.field == "id" else "null")
        elif _kind(value) not in own:
            kinds.add("type")
        else:
            kinds.add("null")  # its own type, another value: a change of data, not of shape
    return "type" if "type" in kinds else ("null" if kinds else "none")


def test_a_field_not_granted_costs_only_the_checks_that_need_it(portal, small_school):
    token = portal.issue_token(
        Rights.without(fields={"studentsindepartments": {"groupInDepartments"}})
    )
    stats = LoadStats()
    project = load_project(client_for(portal, token), small_school.current_project, stats=stats)
    assert project.counts()["placements"] == 162 and len(project.students) == 150
    assert project.missing_rights == [MissingRight("studentsindepartments", "groupInDepartments")]
    run = run_checks(project)
    ran = {f.check for f in run.findings}
    assert "student-multiple-departments" in ran
    skipped = {s.check: s for s in run.skipped}
    assert set(skipped) == {
        "student-multiple-main-groups",
        "student-multiple-mentor-groups",
        "student-without-main-group",
        "group-empty",
        "group-over-max",
        "parallel-groups-unbalanced",
        # without group memberships no choice can be matched to a group
        "choice-without-group",
        "group-without-choice",
    }
    assert all(s.field == "groupInDepartments" for s in skipped.values())
    assert stats.rounds == 2  # the refused read, then its essentials and each optional field


def test_names_fall_back_to_one_read_of_all_students(portal, small_school):
    token = portal.issue_token(Rights.without(fields={"studentsindepartments": NAMES}))
    portal.clear_log()
    project = load_project(client_for(portal, token), small_school.current_project)
    users = [r for r in portal.requests if r.path.endswith("/users")]
    assert len(users) == 1
    assert "isStudent=true" in users[0].query and "schoolInSchoolYear=" in users[0].query
    assert "code=" not in users[0].query
    assert len(project.students) == 150 and project.has_names


def test_names_that_cannot_be_read_never_fail_the_load(portal, small_school):
    token = portal.issue_token(Rights.without(fields={"studentsindepartments": NAMES}))
    portal.add_fault("status", "users", status=400)
    project = load_project(client_for(portal, token), small_school.current_project)
    assert project.counts()["placements"] == 162 and not project.has_names
    assert "Bad Request" in project.names_unavailable_because  # the portal's own words
    portal.clear_faults()
    portal.add_fault("body", "users", body={"response": {"status": 200, "data": 7}})
    project = load_project(client_for(portal, token), small_school.current_project)
    assert not project.has_names and project.names_unavailable_because


def test_round_trips(portal, small_school, monkeypatch):
    pid = small_school.current_project
    client = client_for(portal)
    # Everything granted, small project, nothing known: one round of data, no probe, no names.
    stats = LoadStats()
    first = load_project(client, pid, stats=stats)
    assert stats.rounds == 1 and stats.requests == 8  # 6 structure, placements, pakketkeuzes
    # A refused field: one round more; the next load knows and probes it alongside its data.
    token = portal.issue_token(Rights.without(fields={"departmentsofbranches": {"maxGroupSize"}}))
    refused = client_for(portal, token)
    stats = LoadStats()
    known = load_project(refused, pid, stats=stats).hints
    assert stats.rounds == 2 and known.missing == [
        MissingRight("departmentsofbranches", "maxGroupSize")
    ]
    stats = LoadStats()
    load_project(refused, pid, stats=stats, hints=known)
    assert stats.rounds == 1
    # Granted since: the probe notices and the field is read in one round more.
    stats = LoadStats()
    again = load_project(client, pid, stats=stats, hints=known)
    assert stats.rounds == 2 and again.missing_rights == []
    assert any(d.max_group_size for d in again.departments)
    # A large project split per block of afdelingen: one round when its afdelingen are known.
    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 2)
    monkeypatch.setattr(limits, "DEPARTMENTS_PER_REQUEST", 2)
    stats = LoadStats()
    split = load_project(
        client, pid, stats=stats, hints=LoadHints(departments=first.hints.departments)
    )
    # 5 afdelingen (h4, v4, h5, v5, #uit) in blocks of 2
    assert stats.rounds == 1 and stats.per_endpoint["studentsindepartments"] == 3
    assert split.counts() == first.counts()


def test_pseudo_afdelingen_repeated_group_ids_and_placements_without_student():
    b = Build()
    h4 = b.dept("h4", 4)
    uit = b.dept("#uit", 4)
    main = b.group(h4, "h4a", main=True, mentor=True)
    b.place("s1", h4, [main, main])  # the same stamklas twice: one membership
    b.place("s1", uit, [])  # a pseudo afdeling: no second afdeling
    b.place("s2", uit, [])  # only in a pseudo afdeling: needs no stamklas
    lost = b.place(None, h4, [main])  # no student code: a data problem, never student ""
    project = b.project()
    assert "" not in project.placements_of_student
    assert project.student_count(project.group_by_id[main]) == 1
    run = run_checks(project)
    got = {(f.check, f.object_id) for f in run.findings}
    assert ("pseudo-department", uit) in got
    assert ("placement-without-student", 9) in got
    assert not any(c.startswith("student-") for c, _ in got)
    [problem] = [f for f in run.findings if f.check == "placement-without-student"]
    assert str(lost) in problem.message


def test_a_koppelcode_answer_in_any_type_gives_the_token(portal):
    for expires in ("57600", 57600.0, None, {"s": 1}):
        portal.add_fault(
            "body",
            "oauth/token",
            times=1,
            body={"access_token": "abc123", "token_type": 1, "expires_in": expires},
        )
        client = PortalClient(normalise_portal(portal.url))
        assert client.exchange_koppelcode(portal.new_koppelcode()) == "abc123"
