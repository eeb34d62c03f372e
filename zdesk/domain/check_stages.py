"""The checks in two stages, as a load runs them.

Most checks read only the structure, the afdelingsdeelnames and the previous project. A load runs
those as soon as these are in, while the pakketkeuzes (its largest answers) are still on their
way, and the rest once everything is in (`checks_after`), taking the first stage's results over:
the outcome is the same as one run of every check.

What a check of the first stage may read is fixed by the moment it runs. The afdelingsdeelnames
and the previous project are complete. Nothing it reads changes after that: no pakketkeuzes, no
names, no repairs or data problems of later answers, no options other than the load's. The first
stage is taken over only when the project still has the same afdelingsdeelnames, rights, previous
project and unavailable reads (`EarlyChecks.valid_for`); otherwise every check runs again.
"""

from __future__ import annotations

from dataclasses import dataclass

from zdesk.domain.checks import CHECKS, CheckOptions, CheckRun, run_checks
from zdesk.domain.doorstroom import DOORSTROOM_CHECKS
from zdesk.domain.model import Project

BEFORE_CHOICES: frozenset[str] = frozenset(
    {
        "planned-group-unrealised",
        "student-multiple-departments",
        "student-multiple-main-groups",
        "student-multiple-mentor-groups",
        "student-without-main-group",
        "group-without-planned-group",
        "choosable-without-planned-groups",
        "planned-group-cross-department",
        "group-empty",
        "group-over-max",
        "parallel-groups-unbalanced",
        "pseudo-department",
        "pseudo-group",
        *(spec[0] for spec in DOORSTROOM_CHECKS),
    }
)


def _stamp(project: Project) -> tuple:
    previous = project.previous()
    return (
        len(project.placements),
        tuple(project.missing_rights),
        frozenset(project.unavailable),
        id(previous),
        len(previous.placements) if previous is not None else -1,
    )


@dataclass(frozen=True)
class EarlyChecks:
    """The first stage's findings and skips, with what they were made from."""

    run: CheckRun
    checks: frozenset[str]  # the checks it ran
    stamp: tuple
    project_id: int  # id() of the Project: the same object, not an equal one

    def valid_for(self, project: Project, options: CheckOptions) -> bool:
        return (
            id(project) == self.project_id
            and options == self.run.options
            and _stamp(project) == self.stamp
        )


def checks_before_choices(project: Project, options: CheckOptions) -> EarlyChecks:
    """The first stage: every check that needs no pakketkeuzes."""
    stamp = _stamp(project)
    run = run_checks(project, BEFORE_CHOICES, options)
    return EarlyChecks(run, BEFORE_CHOICES, stamp, id(project))


_ORDER = {check.id: i for i, check in enumerate(CHECKS)}


def checks_after(project: Project, options: CheckOptions, first: EarlyChecks | None) -> CheckRun:
    """Every check, those of `first` taken over where it is still valid: in the order and with
    the findings of `run_checks(project, options=options)`."""
    if first is None or not first.valid_for(project, options):
        return run_checks(project, options=options)
    rest = run_checks(project, [c.id for c in CHECKS if c.id not in first.checks], options)
    done = first.run
    # Sorted by check, stably: within a check its findings keep their order.
    rest.findings = sorted(done.findings + rest.findings, key=lambda f: _ORDER[f.check])
    rest.skipped = sorted(done.skipped + rest.skipped, key=lambda s: _ORDER[s.check])
    rest.seconds += done.seconds
    return rest
