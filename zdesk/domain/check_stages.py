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

import weakref
from dataclasses import dataclass

from zdesk.domain.checks import CHECK_BY_ID, CHECKS, CheckOptions, CheckRun, run_checks
from zdesk.domain.doorstroom_checks import DOORSTROOM_CHECKS
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


# The reads the first stage's checks need: only their being unavailable can change its skips.
_NEEDED = frozenset(e for c in BEFORE_CHOICES for e, _field in CHECK_BY_ID[c].needs)


def _stamp(project: Project) -> tuple:
    previous = project.previous()
    because = project.unavailable_because
    return (
        len(project.placements),
        tuple(project.missing_rights),
        # A read the first stage does not need (names, pakketkeuzes) may turn out unavailable
        # at the end of a load without changing what it found.
        tuple(sorted((e, because.get(e, "")) for e in project.unavailable if e in _NEEDED)),
        len(previous.placements) if previous is not None else -1,
    )


@dataclass(frozen=True)
class EarlyChecks:
    """The first stage's findings and skips, with what they were made from: the Project and its
    previous project themselves (held weakly, compared by identity) and a stamp of the rest."""

    run: CheckRun
    checks: frozenset[str]  # the checks it ran
    stamp: tuple
    project: weakref.ref[Project]
    previous: weakref.ref[Project] | None

    def valid_for(self, project: Project, options: CheckOptions) -> bool:
        previous = project.previous()
        return (
            self.project() is project
            and (self.previous() if self.previous is not None else None) is previous
            and options == self.run.options
            and _stamp(project) == self.stamp
        )


def checks_before_choices(project: Project, options: CheckOptions) -> EarlyChecks:
    """The first stage: every check that needs no pakketkeuzes."""
    stamp = _stamp(project)
    run = run_checks(project, BEFORE_CHOICES, options)
    previous = project.previous()
    return EarlyChecks(
        run,
        BEFORE_CHOICES,
        stamp,
        weakref.ref(project),
        weakref.ref(previous) if previous is not None else None,
    )


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
