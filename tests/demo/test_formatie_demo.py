"""The formatie over real HTTP: the demo school's pakketkeuzes loaded, its planted anomalies found
exactly, and a token without `selectedsubjects` losing only the two checks that need them."""

from __future__ import annotations

from tests.raw_formatie import expected_cells
from zdesk.demo.server import FakePortal, Rights
from zdesk.domain.checks import run_checks
from zdesk.domain.formatie import build_formatie
from zdesk.loading import limits
from zdesk.loading.loader import LoadStats, load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal

FORMATIE = {
    "choice-without-group": "choices_without_group",
    "group-without-choice": "groups_without_choice",
    "planned-groups-too-few": "planned_groups_too_few",
    "planned-groups-too-many": "planned_groups_too_many",
}
STUDENT_CHOICE_CHECKS = {"choice-without-group", "group-without-choice"}


def load(fake: FakePortal, school, token: str | None = None):
    client = PortalClient(normalise_portal(fake.url), token or fake.token)
    return load_project(client, school.current_project)


def cells_of(formatie):
    return {
        (r.branch.label, r.department.label, subject): (
            c.students,
            c.needed,
            c.planned,
            c.realised,
        )
        for r in formatie.rows
        for subject, c in r.cells.items()
    }


def test_planted_formatie_anomalies_found_exactly(small_school, small_project):
    project, run = small_project
    seeded = small_school.anomalies[small_school.current_project]
    for check, attr in FORMATIE.items():
        found = {f.object_id for f in run.findings if f.check == check}
        assert found == getattr(seeded, attr), check
        assert found, check  # the small school has every kind
    assert run.skipped == []
    assert len(project.selected_subjects) == sum(
        1 for _ in small_school.rows_of("selectedsubjects", small_school.current_project)
    )


def test_exemptions_are_read_and_not_counted(small_school, small_project):
    project, _ = small_project
    exempt = [s for s in project.selected_subjects if s.exemption]
    seeded = small_school.anomalies[small_school.current_project]
    assert {project.placement_by_id[s.student_in_department].student_code for s in exempt} == (
        seeded.exemptions
    )
    assert cells_of(build_formatie(project)) == expected_cells(small_school)


def test_without_selectedsubjects_the_checks_that_need_them_are_skipped(small_school):
    """The matrix still shows groups needed from the afdelingen's sizes (everyone counts for every
    vak, said in the sheet); but whether a keuzevak has too few or too many geplande groepen cannot
    be told without knowing who chose it, so those signaleringen are skipped, not guessed."""
    with FakePortal(small_school) as fake:
        token = fake.issue_token(rights=Rights.without("selectedsubjects"))
        project = load(fake, small_school, token)
    assert project.lacks("selectedsubjects") and project.selected_subjects == []
    run = run_checks(project)
    assert {s.check for s in run.skipped} == STUDENT_CHOICE_CHECKS | {
        "planned-groups-too-few",
        "planned-groups-too-many",
    }
    assert all(s.endpoint == "selectedsubjects" for s in run.skipped)
    formatie = build_formatie(project, findings=run.findings)
    assert not formatie.choices_known and all(r.without_choices for r in formatie.rows)
    assert cells_of(formatie) == expected_cells(small_school, with_choices=False)


def test_large_projects_read_pakketkeuzes_per_block_of_afdelingen(small_school, monkeypatch):
    monkeypatch.setattr(limits, "SPLIT_ABOVE_DEPARTMENTS", 1)
    monkeypatch.setattr(limits, "DEPARTMENTS_PER_REQUEST", 2)
    pid = small_school.current_project
    with FakePortal(small_school) as fake:
        client = PortalClient(normalise_portal(fake.url), fake.token)
        first = load_project(client, pid)
        fake.clear_log()
        stats = LoadStats()
        project = load_project(client, pid, hints=first.hints, stats=stats)
        asked = [r.query for r in fake.requests if r.path.endswith("/selectedsubjects")]
    # 5 afdelingen (#uit among them), known from the first load, in blocks of 2
    assert stats.per_endpoint["selectedsubjects"] == 3
    assert all("departmentOfBranch=" in q for q in asked)
    assert sorted(s.id for s in project.selected_subjects) == sorted(
        r["id"] for r in small_school.rows_of("selectedsubjects", pid)
    )


def test_planted_pakketkeuzes_are_what_they_claim_in_the_raw_rows(small_school):
    pid = small_school.current_project
    rows = small_school.rows_of
    placements = {p["id"]: p for p in rows("studentsindepartments", pid)}
    groups = {g["id"]: g for g in rows("groupindepartments", pid)}
    choosables = {c["id"]: c for c in rows("choosableindepartments", pid)}
    linked: dict[int, set[int]] = {}  # keuzevak -> roostergroepen; and back
    of_group: dict[int, set[int]] = {}
    for pg in rows("plannedgroups", pid):
        if pg["groupInDepartment"] is not None:
            linked.setdefault(pg["choosableInDepartment"], set()).add(pg["groupInDepartment"])
            of_group.setdefault(pg["groupInDepartment"], set()).add(pg["choosableInDepartment"])
    keuzes: dict[int, dict[int, bool]] = {}  # placement -> keuzevak -> exempt
    for s in rows("selectedsubjects", pid):
        keuzes.setdefault(s["studentInDepartment"], {})[s["choosableInDepartment"]] = s["exemption"]
    seeded = small_school.anomalies[pid]

    def taught(cid):
        return choosables[cid]["subjectType"] not in ("education", "profile")

    without_group, without_choice, exempt = set(), set(), set()
    for pid_, chosen in keuzes.items():
        p = placements[pid_]
        mine = set(p["groupInDepartments"] or ())
        for cid, is_exempt in chosen.items():
            if is_exempt:
                exempt.add(p["student"])
            elif taught(cid) and not mine & linked.get(cid, set()):
                without_group.add(p["student"])
        for gid in mine:
            g, ks = groups[gid], {k for k in of_group.get(gid, ()) if taught(k)}
            lesson = ks and not (g["isMainGroup"] or g["isMentorGroup"])
            if lesson and not any(k in chosen and not chosen[k] for k in ks):
                without_choice.add(p["student"])
    assert without_group == seeded.choices_without_group
    assert without_choice == seeded.groups_without_choice
    assert exempt == seeded.exemptions
    # The onderbouw and second afdelingsdeelnames have none; the bovenbouw's first ones do.
    assert len(keuzes) < len(placements)
