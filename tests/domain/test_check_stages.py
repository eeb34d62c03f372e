"""The checks in two stages (`domain.check_stages`): the first stage reads nothing that comes
later in a load, and taking it over gives what one run of every check gives."""

from __future__ import annotations

from tests.store.helpers import copy_project
from zdesk.domain.check_stages import BEFORE_CHOICES, checks_after, checks_before_choices
from zdesk.domain.checks import CHECK_BY_ID, CheckOptions, run_checks
from zdesk.domain.model import StudentPlacement


def _by_check(run) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in run.findings:
        out.setdefault(f.check, []).append((f.object_type, f.object_id, f.message))
    for s in run.skipped:
        out.setdefault(s.check, []).append(("skipped", s.reason))
    return out


def test_the_first_stage_reads_no_pakketkeuzes_names_or_repairs(small_project) -> None:
    loaded, _ = small_project
    assert set(CHECK_BY_ID) >= BEFORE_CHOICES
    whole = copy_project(loaded)
    assert whole.selected_subjects and whole.students and whole.previous() is not None
    bare = copy_project(loaded, selected_subjects=[], students={}, repairs=[])
    full, early = (run_checks(p, BEFORE_CHOICES) for p in (whole, bare))
    assert _by_check(full) == _by_check(early)
    assert {f.check for f in full.findings} >= {
        "student-multiple-departments",
        "student-not-placed-next-year",
    }


def test_taking_the_first_stage_over_gives_one_runs_result(small_project) -> None:
    loaded, _ = small_project
    project = copy_project(loaded)
    options = CheckOptions(default_max_group_size=24)
    first = checks_before_choices(project, options)
    taken = checks_after(project, options, first)
    alone = run_checks(copy_project(loaded), options=options)
    assert [(f.check, f.object_id, f.message) for f in taken.findings] == [
        (f.check, f.object_id, f.message) for f in alone.findings
    ]
    assert taken.skipped == alone.skipped


def test_the_first_stage_is_not_taken_when_the_project_changed_since(small_project) -> None:
    loaded, _ = small_project
    project = copy_project(loaded)
    options = CheckOptions()
    first = checks_before_choices(project, options)
    somewhere = project.departments[0].id
    twice = next(iter(project.placements_of_student))
    project.add_placements([StudentPlacement(10**9, twice, somewhere)])  # a late block's row
    again = checks_after(project, options, first)
    assert _by_check(again) == _by_check(run_checks(copy_project(project), options=options))
    assert "student-multiple-departments" in {f.check for f in again.findings}
    assert any(f.object_id == twice for f in again.findings)
    other_options = CheckOptions(unbalanced_factor=1.1)
    assert not first.valid_for(copy_project(loaded), options)  # another Project
    assert not checks_before_choices(project, options).valid_for(project, other_options)


def test_only_a_read_the_first_stage_needs_makes_it_run_again(small_project) -> None:
    """Names or pakketkeuzes found unavailable at the end of a load leave the first stage as it
    is; afdelingsdeelnames found unavailable do not."""
    loaded, _ = small_project
    project = copy_project(loaded)
    options = CheckOptions()
    first = checks_before_choices(project, options)
    project.unavailable = set(project.unavailable) | {"users", "selectedsubjects"}
    assert first.valid_for(project, options)
    project.unavailable = project.unavailable | {"studentsindepartments"}
    assert not first.valid_for(project, options)
