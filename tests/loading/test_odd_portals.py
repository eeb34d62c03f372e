"""Portals that behave where the public evidence is silent: a field it does not have, a filter it
ignores, an optional read too large. The load succeeds, every check that had its data finds what
it finds on a normal portal, the others say why they were skipped, and what was left out is a
note, never a signalering."""

from __future__ import annotations

import pytest

from zdesk.demo.server import FakePortal, Quirks
from zdesk.domain.checks import run_checks
from zdesk.loading.loader import LoadStats, load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import BadResponse
from zdesk.portal.names import normalise_portal


def client_for(portal):
    return PortalClient(normalise_portal(portal.url), portal.token, backoff=0.01)


def found(run):
    return sorted((f.check, f.object_type, str(f.object_id), f.message) for f in run.findings)


@pytest.fixture(scope="module")
def normal(small_school):
    with FakePortal(small_school) as portal:
        project = load_project(client_for(portal), small_school.current_project)
    return project, run_checks(project)


def load_odd(school, **quirks):
    with FakePortal(school, quirks=Quirks(**quirks)) as portal:
        client = client_for(portal)
        stats = LoadStats()
        project = load_project(client, school.current_project, stats=stats)
        again = LoadStats()
        load_project(client, school.current_project, hints=project.hints, stats=again)
    return project, run_checks(project), stats, again


@pytest.mark.parametrize(
    "endpoint, field, checks",
    [
        ("plannedgroups", "rank", set()),
        ("departmentsofbranches", "maxGroupSize", {"group-over-max"}),
        ("studentsindepartments", "groupInDepartments", None),
    ],
)
def test_a_field_the_portal_does_not_have(small_school, normal, endpoint, field, checks):
    project, run, stats, again = load_odd(
        small_school, absent_fields=frozenset({(endpoint, field)})
    )
    [missing] = project.missing_rights
    assert (missing.endpoint, missing.field, missing.reason) == (endpoint, field, "unknown")
    skipped = {s.check: s.reason for s in run.skipped}
    assert all("bestaat niet in dit portaal" in r for r in skipped.values()), skipped
    if checks is not None:
        assert set(skipped) == checks
        if not checks:  # nothing needed the field: the findings are a normal portal's
            assert found(run) == found(normal[1])
    # Learned: the next load does not ask for it again, and costs no extra round.
    assert again.requests <= stats.requests - 1 and again.rounds == 1


def test_essential_fields_the_portal_does_not_have_are_an_error_in_its_words(small_school):
    with (
        FakePortal(
            small_school,
            quirks=Quirks(absent_fields=frozenset({("groupindepartments", "departmentOfBranch")})),
        ) as portal,
        pytest.raises(BadResponse) as raised,
    ):
        load_project(client_for(portal), small_school.current_project)
    assert "Unknown field(s): departmentOfBranch" in str(raised.value)


@pytest.mark.parametrize(
    "endpoint",
    [
        "selectedsubjects",
        "studentsindepartments",
        "choosableindepartments",
        "plannedgroups",
        "groupindepartments",
        "departmentsofbranches",
        "branchesofschools",
    ],
)
def test_a_filter_the_portal_ignores(small_school, normal, endpoint):
    """Every project's rows come back: those of the other projects are left out and counted as
    a note, the findings are a normal portal's, and no signalering says anything of them."""
    others = sum(
        len(small_school.rows_of(endpoint, p))
        for p in small_school.project_ids()
        if p != small_school.current_project
    )
    assert others  # the demo school has another project to leak
    project, run, _, _ = load_odd(small_school, ignored_filters=frozenset({endpoint}))
    notes = {r.endpoint: r for r in project.repairs}
    assert notes[endpoint].action == "outside-project" and notes[endpoint].count == others
    assert found(run) == found(normal[1])
    assert project.counts() == normal[0].counts()
    assert project.hints.ignored_filters == [endpoint]


def test_an_optional_read_too_large_never_fails_the_load(small_school, normal):
    project, run, _, _ = load_odd(small_school, too_large=frozenset({"selectedsubjects"}))
    assert project.missing_rights == [] and project.selected_subjects == []
    skipped = {s.check: s.reason for s in run.skipped}
    assert set(skipped) == {
        "choice-without-group",
        "group-without-choice",
        "planned-groups-too-few",
        "planned-groups-too-many",
    }
    assert all("te veel om te lezen" in r for r in skipped.values())
    with_all = {c for c, *_ in found(normal[1])} - set(skipped)
    assert {c for c, *_ in found(run)} == with_all


@pytest.mark.parametrize(
    "endpoint, parameter",
    [
        ("selectedsubjects", "schoolInSchoolYear"),
        ("selectedsubjects", "departmentOfBranch"),
        ("studentsindepartments", "departmentOfBranch"),
        ("choosableindepartments", "schoolInSchoolYear"),
    ],
)
def test_a_filter_the_portal_does_not_take(small_school, normal, monkeypatch, endpoint, parameter):
    """A 400 naming a filter falls back to the next way to ask, never to a failed load."""
    from zdesk.loading import limits

    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 1)  # blocks per afdeling with hints
    with FakePortal(
        small_school, quirks=Quirks(refused_filters=frozenset({(endpoint, parameter)}))
    ) as portal:
        client = client_for(portal)
        first = load_project(client, small_school.current_project)
        project = load_project(client, small_school.current_project, hints=first.hints)
    for loaded in (first, project):
        assert found(run_checks(loaded)) == found(normal[1])
        assert loaded.counts() == normal[0].counts()


def test_a_read_that_failed_is_said_in_the_checks_the_window_shows(small_school):
    """The window's checks run while the load still waits for names (`prepare`): a read that
    failed before then is unavailable in that run too, with its reason, as at the end."""
    shown = {}
    with FakePortal(small_school, quirks=Quirks(too_large=frozenset({"selectedsubjects"}))) as p:
        project = load_project(
            client_for(p),
            small_school.current_project,
            prepare=lambda built: shown.setdefault("run", run_checks(built)),
        )
    at_the_end = run_checks(project)
    assert {s.check: s.reason for s in shown["run"].skipped} == {
        s.check: s.reason for s in at_the_end.skipped
    }
    assert "choice-without-group" in {s.check for s in at_the_end.skipped}
