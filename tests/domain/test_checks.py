"""Each signalering on small hand-made projects, and on the demo school against what was seeded."""

from __future__ import annotations

import pytest

from zdesk.demo.school import DEMO_TIER
from zdesk.domain.checks import CHECKS, CheckOptions, Severity, run_checks
from zdesk.domain.model import MissingRight, StudentPlacement

from .factory import Build


def ids(project, check, **kwargs):
    return {f.object_id for f in run_checks(project, [check], **kwargs).findings}


def findings(project, check):
    return run_checks(project, [check]).findings


def test_planned_group_unrealised():
    b = Build()
    d = b.dept("h4", 4)
    c = b.choosable(d)
    g = b.group(d, "ak1")
    realised = b.plan(c, g)
    unrealised = b.plan(c, None, rank=2)
    project = b.project()
    (finding,) = findings(project, "planned-group-unrealised")
    assert (finding.object_type, finding.object_id) == ("planned_group", unrealised)
    assert finding.severity == Severity.WAARSCHUWING
    assert "ak.grp2" in finding.message and "nog geen roostergroep" in finding.message
    assert realised not in ids(project, "planned-group-unrealised")


@pytest.mark.parametrize(
    ("second", "severity", "words"),
    [
        (("v4", 4, 1), "info", "prognose"),
        (("h5", 5, 1), "info", "andere leerlaag"),
        (("h4", 4, 2), "waarschuwing", "andere vestiging"),
        (("v5", 5, 2), "info", "andere vestiging en andere leerlaag"),
    ],
)
def test_student_multiple_departments(second, severity, words):
    b = Build()
    d1 = b.dept("h4", 4)
    d2 = b.dept(*second)
    b.place("111", d1, [])
    b.place("111", d2, [])
    b.place("222", d1, [])
    (finding,) = findings(b.project(), "student-multiple-departments")
    assert (finding.object_type, finding.object_id) == ("student", "111")
    assert finding.severity == severity and words in finding.message
    assert "h4 (Noord)" in finding.message


def test_two_placements_in_one_department_is_not_multiple_departments():
    b = Build()
    d = b.dept("h4", 4)
    b.place("111", d, [])
    b.place("111", d, [])
    assert ids(b.project(), "student-multiple-departments") == set()


@pytest.mark.parametrize(
    ("check", "attr"),
    [("student-multiple-main-groups", "main"), ("student-multiple-mentor-groups", "mentor")],
)
def test_more_than_one_main_or_mentor_group(check, attr):
    b = Build()
    d = b.dept("h4", 4)
    g1 = b.group(d, "h4a", **{attr: True})
    g2 = b.group(d, "h4b", **{attr: True})
    lesson = b.group(d, "ak1")
    b.place("111", d, [g1, g2, lesson])
    b.place("222", d, [g1, lesson])
    (finding,) = findings(b.project(), check)
    assert finding.object_id == "111" and finding.severity == Severity.FOUT
    assert "h4.h4a" in finding.message and "h4.h4b" in finding.message


def test_student_without_main_group_includes_null_and_empty_lists():
    b = Build()
    d = b.dept("h4", 4)
    main = b.group(d, "h4a", main=True)
    lesson = b.group(d, "ak1")
    b.place("null", d, None)
    b.place("empty", d, [])
    b.place("lessons", d, [lesson])
    b.place("fine", d, [main, lesson])
    assert ids(b.project(), "student-without-main-group") == {"null", "empty", "lessons"}


def test_lessons_in_a_second_department_need_no_second_main_group():
    b = Build()
    d1, d2 = b.dept("h4", 4), b.dept("h5", 5)
    main = b.group(d1, "h4a", main=True)
    lesson = b.group(d2, "ak1")
    b.place("111", d1, [main])
    b.place("111", d2, [lesson])
    assert ids(b.project(), "student-without-main-group") == set()


def test_group_without_planned_group_skips_pseudo_groups():
    b = Build()
    d = b.dept("h4", 4)
    c = b.choosable(d)
    linked = b.group(d, "ak1")
    b.plan(c, linked)
    lonely = b.group(d, "hwb1")
    b.group(d, "#uit")
    assert ids(b.project(), "group-without-planned-group") == {lonely}


def test_choosable_without_planned_groups():
    b = Build()
    d = b.dept("h4", 4)
    with_groups = b.choosable(d, "ak")
    b.plan(with_groups, None)
    without = b.choosable(d, "fi")
    assert ids(b.project(), "choosable-without-planned-groups") == {without}


def test_planned_group_cross_department():
    b = Build()
    h4, v4 = b.dept("h4", 4), b.dept("v4", 4)
    g = b.group(h4, "inf1")
    own = b.plan(b.choosable(h4, "inf"), g)
    cross = b.plan(b.choosable(v4, "inf"), g)
    (finding,) = findings(b.project(), "planned-group-cross-department")
    assert finding.object_id == cross and finding.severity == Severity.INFO
    assert "h4.inf1" in finding.message and "gecombineerde groep" in finding.message
    assert own not in ids(b.project(), "planned-group-cross-department")


def test_group_empty_and_over_max():
    b = Build()
    d = b.dept("h4", 4, max_size=30)
    empty = b.group(d, "sptl1")
    full = b.group(d, "ak1")
    over = b.group(d, "bi1")
    b.group(d, "#uit")
    b.fill(d, full, 30)
    b.fill(d, over, 31)
    project = b.project()
    assert ids(project, "group-empty") == {empty}
    (finding,) = findings(project, "group-over-max")
    assert finding.object_id == over and "31 leerlingen" in finding.message
    assert "maximum van afdeling h4 (Noord) is 30" in finding.message


def test_group_over_max_needs_a_maximum():
    b = Build()
    d = b.dept("h4", 4, max_size=None)
    g = b.group(d, "ak1")
    b.fill(d, g, 40)
    assert ids(b.project(), "group-over-max") == set()


@pytest.mark.parametrize(
    ("sizes", "flagged"),
    [((31, 12), True), ((24, 12), False), ((16, 8), False), ((20, 9), True), ((30, 0), False)],
)
def test_parallel_groups_unbalanced(sizes, flagged):
    b = Build()
    d = b.dept("h4", 4, max_size=40)
    c = b.choosable(d)
    for rank, n in enumerate(sizes, start=1):
        g = b.group(d, f"ak{rank}")
        b.plan(c, g, rank)
        b.fill(d, g, n)
    assert (ids(b.project(), "parallel-groups-unbalanced") == {c}) is flagged


def test_parallel_groups_factor_is_configurable():
    b = Build()
    d = b.dept("h4", 4, max_size=40)
    c = b.choosable(d)
    for rank, n in enumerate((24, 12), start=1):
        g = b.group(d, f"ak{rank}")
        b.plan(c, g, rank)
        b.fill(d, g, n)
    options = CheckOptions(unbalanced_factor=1.5, unbalanced_min_difference=8)
    assert ids(b.project(), "parallel-groups-unbalanced", options=options) == {c}


def test_dangling_references_and_duplicates():
    b = Build()
    d = b.dept("h4", 4)
    c = b.choosable(d)
    g = b.group(d, "ak1")
    bad_group = b.plan(c, 999)
    bad_choosable = b.plan(777, g)
    placement = b.place("111", d, [g, 555])
    b.placements.append(StudentPlacement(placement, "222", d, []))
    project = b.project()
    dangling = findings(project, "dangling-reference")
    assert {(f.object_type, f.object_id) for f in dangling} == {
        ("planned_group", bad_group),
        ("planned_group", bad_choosable),
        ("placement", placement),
    }
    assert all(f.severity == Severity.FOUT for f in dangling)
    assert any("roostergroep 999" in f.message for f in dangling)
    (dup,) = findings(project, "duplicate-id")
    assert (dup.object_type, dup.object_id) == ("placement", placement)


def test_pseudo_groups_listed_as_info():
    b = Build()
    d = b.dept("h4", 4)
    uit = b.group(d, "#uit")
    allen = b.group(d, "#allen")
    b.group(d, "ak1")
    found = findings(b.project(), "pseudo-group")
    assert {f.object_id for f in found} == {uit, allen}
    assert {f.severity for f in found} == {Severity.INFO}


def test_checks_without_their_data_are_skipped_with_the_right_named():
    b = Build()
    b.dept("h4", 4)
    b.missing.append(MissingRight("studentsindepartments"))
    b.missing.append(MissingRight("departmentsofbranches", "maxGroupSize"))
    project = b.project()
    project.unavailable = {"studentsindepartments", "users"}
    run = run_checks(project)
    skipped = {s.check: s for s in run.skipped}
    assert set(skipped) == {
        "student-multiple-departments",
        "student-multiple-main-groups",
        "student-multiple-mentor-groups",
        "student-without-main-group",
        "group-empty",
        "group-over-max",
        "parallel-groups-unbalanced",
        "choice-without-group",
        "group-without-choice",
        "planned-groups-too-few",
        "planned-groups-too-many",
        # no previous project in a hand-made one: the doorstroom is skipped, and says so
        "student-not-placed-next-year",
        "student-repeats-year",
        "student-changes-education",
    }
    assert "studentsindepartments" in skipped["group-empty"].reason


def test_only_runs_the_named_checks_and_refuses_unknown_ones():
    b = Build()
    project = b.project()
    assert run_checks(project, ["pseudo-group"]).findings == []
    with pytest.raises(ValueError, match="onbekende controle"):
        run_checks(project, ["nonsense"])


def test_every_check_has_a_unique_id_and_a_dutch_title():
    assert len({c.id for c in CHECKS}) == len(CHECKS)
    assert all(c.title and c.title[0].isupper() for c in CHECKS)


SEEDED = {
    "planned-group-unrealised": "unrealised_planned_groups",
    "student-multiple-departments": "multi_department_students",
    "student-multiple-main-groups": "multiple_main_groups",
    "student-multiple-mentor-groups": "multiple_mentor_groups",
    "student-without-main-group": "without_main_group",
    "group-without-planned-group": "groups_without_planned_group",
    "choosable-without-planned-groups": "choosables_without_planned_groups",
    "planned-group-cross-department": "cross_department_planned_groups",
    "group-empty": "empty_groups",
    "group-over-max": "over_max_groups",
    "parallel-groups-unbalanced": "unbalanced_choosables",
    "pseudo-group": "pseudo_groups",
    "pseudo-department": "pseudo_departments",
    "choice-without-group": "choices_without_group",
    "group-without-choice": "groups_without_choice",
    "planned-groups-too-few": "planned_groups_too_few",
    "planned-groups-too-many": "planned_groups_too_many",
    "student-not-placed-next-year": "not_placed_next_year",
    "student-repeats-year": "repeats_year",
    "student-changes-education": "changes_education",
}


@pytest.fixture(scope="module")
def demo_run():
    """The demo school loaded the way the app loads it, over loopback HTTP."""
    from zdesk.demo.school import generate_school
    from zdesk.demo.server import FakePortal
    from zdesk.loading.loader import load_project
    from zdesk.portal.client import PortalClient
    from zdesk.portal.names import normalise_portal

    school = generate_school(DEMO_TIER, seed=2026, year=2026)
    with FakePortal(school) as fake:
        project = load_project(
            PortalClient(normalise_portal(fake.url), fake.token), school.current_project
        )
    return school.anomalies[school.current_project], run_checks(project)


def test_demo_school_every_seeded_anomaly_found_and_nothing_else(demo_run):
    seeded, run = demo_run
    found: dict[str, set] = {}
    for f in run.findings:
        found.setdefault(f.check, set()).add(f.object_id)
    assert set(found) == set(SEEDED)  # no dangling references or duplicates in the demo
    for check, attr in SEEDED.items():
        assert found[check] == set(getattr(seeded, attr)), check
    assert run.skipped == []


def test_object_key_names_records_as_findings_do():
    from zdesk.domain.checks import object_key

    b = Build()
    d = b.dept("h4", 4)
    g = b.group(d, "ak1")
    c = b.choosable(d)
    pg = b.plan(c, g)
    p = b.place("111", d, [g])
    project = b.project()
    assert object_key(project.group_by_id[g]) == ("group", g)
    assert object_key(project.planned_by_id[pg]) == ("planned_group", pg)
    assert object_key(project.choosable_by_id[c]) == ("choosable", c)
    assert object_key(project.placement_by_id[p]) == ("student", "111")
    assert object_key(project.department_by_id[d]) == ("department", d)
    assert object_key("something else") is None
