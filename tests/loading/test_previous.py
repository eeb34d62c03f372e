"""The previous project, read beside the project for the doorstroom, over real HTTP."""

from __future__ import annotations

import pytest

from zdesk.demo.protocol import Rights
from zdesk.demo.server import FakePortal
from zdesk.domain.checks import run_checks
from zdesk.domain.model import PREVIOUS
from zdesk.loading.loader import load_project
from zdesk.loading.previous import choose_previous
from zdesk.loading.report import LoadHints
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.portal.records import ProjectInfo

DOORSTROOM = {"student-not-placed-next-year", "student-repeats-year", "student-changes-education"}


def client_for(portal, token=None) -> PortalClient:
    return PortalClient(normalise_portal(portal.url), token or portal.token, backoff=0.01)


def previous_id(school) -> int:
    (last,) = [p for p in school.project_ids() if p != school.current_project]
    return last


def per_check(run) -> dict[str, set]:
    out: dict[str, set] = {}
    for f in run.findings:
        out.setdefault(f.check, set()).add(f.object_id)
    return out


@pytest.fixture(scope="module")
def full(small_school):
    with FakePortal(small_school) as portal:
        project = load_project(client_for(portal), small_school.current_project)
    return project, run_checks(project)


def test_the_previous_project_is_the_schools_year_before(full, small_school):
    project, run = full
    assert project.previous_info is not None
    assert project.previous_info.id == previous_id(small_school)
    assert not project.lacks(PREVIOUS)
    assert project.hints.previous_project == previous_id(small_school)
    assert not {s.check for s in run.skipped} & DOORSTROOM
    # Only what the doorstroom needs of it: no names, no groups, no pakketkeuzes.
    assert project.previous_placements
    assert all(not p.has_name and not p.group_in_departments for p in project.previous_placements)
    assert all(c.subject_type == "education" for c in project.previous_choosables)


def test_the_previous_read_asks_only_for_its_fields(small_school):
    with FakePortal(small_school) as portal:
        load_project(client_for(portal), small_school.current_project)
        reads = [
            r
            for r in portal.requests
            if f"schoolInSchoolYear={previous_id(small_school)}" in r.query
        ]
    asked = {r.path.rsplit("/", 1)[-1]: r.query for r in reads}
    assert set(asked) == {
        "branchesofschools",
        "departmentsofbranches",
        "choosableindepartments",
        "studentsindepartments",
    }
    placements = asked["studentsindepartments"]
    assert "firstName" not in placements and "groupInDepartments" not in placements


def test_refused_afdelingsdeelnames_of_the_previous_project_skip_exactly_the_three(
    small_school, full
):
    _, with_all = full
    with FakePortal(small_school) as portal:
        portal.add_fault(
            "status",
            "studentsindepartments",
            status=403,
            query=f"schoolInSchoolYear={previous_id(small_school)}&",
        )
        project = load_project(client_for(portal), small_school.current_project)
    run = run_checks(project)
    skipped = {s.check: s.reason for s in run.skipped}
    assert set(skipped) == DOORSTROOM
    assert all("vorige project" in why for why in skipped.values())
    without, before = per_check(run), per_check(with_all)
    assert {k: v for k, v in before.items() if k not in DOORSTROOM} == without
    assert project.placements  # the project itself is whole


def test_the_oldest_project_has_no_previous(small_school):
    with FakePortal(small_school) as portal:
        project = load_project(client_for(portal), previous_id(small_school))
    run = run_checks(project)
    skipped = {s.check: s.reason for s in run.skipped}
    assert set(skipped) == DOORSTROOM
    assert all("geen vorig project" in why for why in skipped.values())
    assert project.previous_info is None
    assert project.hints.previous_project is None


def test_none_chosen_reads_nothing_more(small_school):
    with FakePortal(small_school) as portal:
        project = load_project(client_for(portal), small_school.current_project, previous=None)
        paths = [r.path.rsplit("/", 1)[-1] for r in portal.requests]
    assert len(paths) == 8 and "schoolsinschoolyears" in paths
    reasons = {s.reason for s in run_checks(project).skipped if s.check in DOORSTROOM}
    assert reasons == {"overgeslagen: geen vorig project gekozen (Bestand > Instellingen)"}


def test_the_reason_without_a_previous_project_outlasts_the_end_of_a_prepared_load(small_school):
    """Prepared (as the app loads: checks while the names come) and then completed: the reason
    stays with the project, for every later run of the checks (a changed option, a reopen)."""
    prepared = {}
    with FakePortal(small_school) as portal:
        project = load_project(
            client_for(portal),
            small_school.current_project,
            previous=None,
            prepare=lambda p: prepared.setdefault("run", run_checks(p)),
        )
    for run in (prepared["run"], run_checks(project)):
        reasons = {s.reason for s in run.skipped if s.check in DOORSTROOM}
        assert reasons == {"overgeslagen: geen vorig project gekozen (Bestand > Instellingen)"}


def test_a_project_chosen_by_id_and_the_project_itself(small_school, full):
    _, with_all = full
    with FakePortal(small_school) as portal:
        chosen = load_project(
            client_for(portal), small_school.current_project, previous=previous_id(small_school)
        )
        itself = load_project(
            client_for(portal), small_school.current_project, previous=small_school.current_project
        )
        unknown = load_project(client_for(portal), small_school.current_project, previous=987654)
    assert per_check(run_checks(chosen)) == per_check(with_all)
    assert "dit project zelf" in itself.unavailable_because[PREVIOUS]
    assert unknown.previous_info is None and PREVIOUS in unknown.unavailable


def test_with_hints_the_previous_project_is_read_in_the_first_wave(small_school, full):
    project, with_all = full
    hints = LoadHints.from_json(project.hints.as_json())
    assert hints.previous_project == previous_id(small_school)
    with FakePortal(small_school) as portal:
        again = load_project(client_for(portal), small_school.current_project, hints=hints)
        paths = [r.path.rsplit("/", 1)[-1] for r in portal.requests]
        queries = [r.query for r in portal.requests]
    assert per_check(run_checks(again)) == per_check(with_all)
    # Confirmed by the list within a day: its vestigingen, afdelingen and keuzevakken come with
    # this project's own (a list of projects in the filter); only its afdelingsdeelnames apart.
    assert paths.count("schoolsinschoolyears") == 1 and len(paths) == 8 + 1
    both = f"schoolInSchoolYear={small_school.current_project}%2C{previous_id(small_school)}"
    assert sum(both in q or both.replace("%2C", ",") in q for q in queries) == 3
    assert again.previous_info.label == project.previous_info.label
    # A day later the list is read again beside it (and its own row), to confirm the choice.
    stale = LoadHints.from_json(project.hints.as_json() | {"previous_checked_at": 1.0})
    with FakePortal(small_school) as portal:
        checked = load_project(client_for(portal), small_school.current_project, hints=stale)
        paths = [r.path.rsplit("/", 1)[-1] for r in portal.requests]
    assert paths.count("schoolsinschoolyears") == 3
    assert checked.hints.previous_checked_at > 1.0
    assert per_check(run_checks(checked)) == per_check(with_all)
    # Hints naming a project that is not the previous one: the right one is read after all.
    wrong = LoadHints.from_json(project.hints.as_json() | {"previous_project": 987654})
    with FakePortal(small_school) as portal:
        fixed = load_project(client_for(portal), small_school.current_project, hints=wrong)
    assert fixed.previous_info is not None
    assert fixed.previous_info.id == previous_id(small_school)
    assert fixed.hints.previous_project == previous_id(small_school)


def test_without_the_school_or_year_field_there_is_no_previous(small_school):
    with FakePortal(small_school) as portal:
        token = portal.issue_token(Rights.without(fields={"schoolsinschoolyears": {"school"}}))
        project = load_project(client_for(portal, token), small_school.current_project)
    assert project.previous_info is None
    skipped = {s.check for s in run_checks(project).skipped}
    assert skipped >= DOORSTROOM


def info(id_, school=7, year=2026, archived=False) -> ProjectInfo:
    return ProjectInfo(id_, school=school, year=year, archived=archived)


def test_choose_previous_by_the_rule():
    this = info(10, year=2026)
    assert choose_previous([this], 10) is None
    assert choose_previous([this, info(5, year=2025)], 10).id == 5
    # Not archived first, then the highest id; another school's or another year's never.
    projects = [
        this,
        info(3, year=2025, archived=True),
        info(4, year=2025),
        info(6, year=2025),
        info(8, year=2025, school=9),
        info(9, year=2024),
    ]
    assert choose_previous(projects, 10).id == 6
    projects = [this, info(3, year=2025, archived=True), info(2, year=2025, archived=True)]
    assert choose_previous(projects, 10).id == 3
    assert choose_previous([info(10, year=None), info(5, year=2025)], 10) is None
    assert choose_previous([info(10, school=None), info(5, year=2025)], 10) is None
    assert choose_previous([info(5, year=2025)], 10) is None  # the project itself not listed


def test_shared_reads_that_bring_nothing_of_it_are_asked_apart(small_school, full, monkeypatch):
    """A portal whose shared reads do not bring the previous project along (a list in the
    filter not taken): it is read apart after all, with the same doorstroom."""
    from zdesk.loading.previous import Handoff

    project, with_all = full
    hints = LoadHints.from_json(project.hints.as_json())
    give = Handoff.give
    monkeypatch.setattr(Handoff, "give", lambda self, rows: give(self, {}))
    with FakePortal(small_school) as portal:
        again = load_project(client_for(portal), small_school.current_project, hints=hints)
        paths = [r.path.rsplit("/", 1)[-1] for r in portal.requests]
    assert again.previous_info is not None
    assert per_check(run_checks(again)) == per_check(with_all)
    assert not again.repairs  # nothing of the previous project counted as left out
    assert paths.count("schoolsinschoolyears") == 2  # its own row and the list that chose it again


def test_the_doorstroom_is_made_while_the_pakketkeuzes_are_on_their_way(small_school, monkeypatch):
    """The pakketkeuzes are the largest answers: the doorstroom (which does not need them) is
    made while they come, and what is shown is the doorstroom of the whole project."""
    import time

    from tests.held_back import hold_pakketkeuzes, signal_when_done
    from zdesk.domain.doorstroom import doorstroom_of
    from zdesk.loading import answering

    with FakePortal(small_school) as portal:
        client = client_for(portal)
        hints = load_project(client, small_school.current_project).hints  # knows the previous
        made = signal_when_done(monkeypatch, answering, "doorstroom_of")
        hold_pakketkeuzes(monkeypatch, made, "the doorstroom")
        started = time.monotonic()
        project = load_project(client, small_school.current_project, hints=hints)
    assert made.is_set() and time.monotonic() - started < 8
    shown = doorstroom_of(project)
    assert shown is not None and shown.not_placed and project.selected_subjects
    fresh = project.__dict__.pop("_doorstroom")[1]
    again = doorstroom_of(project)
    assert again is not fresh and again.not_placed == fresh.not_placed
    assert again.flows == fresh.flows and again.expected == fresh.expected
