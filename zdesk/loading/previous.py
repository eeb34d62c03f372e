"""The previous project, read beside the project for the doorstroom.

Which project: the one the user chose in Bestand > Instellingen (or `--previous-project`), or by
the rule: the same school's project whose `year` is one lower; with several, the one not
archived, then the highest id. Of it only what the doorstroom needs is read
(`rights.PREVIOUS_NEEDS`: no names, no groups, no pakketkeuzes), by a load of its own
(`loader._Load`, so refusals, unknown fields, ignored filters and blocks go as for every read),
started with the project's own load and run in a thread beside it.

With hints from the last load the previous project is asked for in the first wave, beside the
project list that confirms the choice; a choice that turns out different is read again. Whatever
goes wrong here never fails the project's load: the doorstroom checks are skipped with the reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from zdesk.domain.model import PREVIOUS, Project, ProjectInfo
from zdesk.loading.report import LoadHints, LoadStats
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import Cancelled, NotFound, PortalError, RightMissing
from zdesk.portal.rights import MissingRight

log = logging.getLogger(__name__)

AUTO = "auto"  # the previous project by the rule
# A previous project chosen by the rule is taken from the hints for this long; then the project
# list is read again beside it, to see whether another project now fits the rule better.
RECHECK_CHOICE_AFTER = 24 * 3600.0
PreviousChoice = int | str | None  # a project id, AUTO, or None: no previous project


def choose_previous(projects: list[ProjectInfo], project_id: int) -> ProjectInfo | None:
    """The same school's project of the year before, by the rule (None: there is none)."""
    own = next((p for p in projects if p.id == project_id), None)
    if own is None or own.school is None or own.year is None:
        return None
    candidates = [
        p
        for p in projects
        if p.school == own.school and p.year == own.year - 1 and p.id != project_id
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (bool(p.archived), -p.id))


@dataclass
class PreviousOutcome:
    """What the previous project's read gave: the project, or why not (Dutch)."""

    project: Project | None = None
    why: str = ""
    project_id: int | None = None  # the one chosen, also when it could not be read
    hints: LoadHints | None = None
    stats: LoadStats = field(default_factory=LoadStats)
    checked_at: float = 0.0  # when the choice by the rule was last confirmed by the list
    gone: bool = False  # the project is not (or no longer) in the portal


# Read with the project's own requests when the previous project is known at the start: the API
# takes a comma-separated list of projects in `schoolInSchoolYear` (ZERMELO_API.md), and each
# row's owner says which project it belongs to.
SHARED = ("branchesofschools", "departmentsofbranches", "choosableindepartments")


class Handoff:
    """The previous project's rows of the shared reads, handed over by the project's load."""

    def __init__(self, project_id: int) -> None:
        self.project_id = project_id  # the previous project's
        self._rows: dict[str, list[Any]] | None = None
        self._given = threading.Event()

    def give(self, rows: dict[str, list[Any]] | None) -> None:
        """The rows per shared endpoint; None: the project's load ended without them."""
        if not self._given.is_set():
            self._rows = rows
            self._given.set()

    def wait(self, endpoint: str, flag: Any, until: float) -> list[Any]:
        while not self._given.wait(0.05):
            if flag.is_set():
                raise Cancelled()
            if time.monotonic() > until:
                raise HandoffMissing()
        if self._rows is None:
            raise HandoffMissing()
        return self._rows.get(endpoint, [])


class HandoffMissing(Exception):
    """The project's load did not hand the shared rows over: the previous read asks itself."""


class _Reading(Protocol):
    """A load of one project as `loader._Load` is: what this module needs of it."""

    results: dict[str, list[Any]]
    outstanding: dict[Any, int]
    rights: Any

    def run(self) -> Project: ...


# (project id, its hints, the figures to count in, the shared rows to wait for or None) -> a load
# reading what the doorstroom needs
NewLoad = Callable[[int, LoadHints | None, LoadStats, Handoff | None], _Reading]


class PreviousRead:
    """The previous project's read, in a thread of its own beside the project's load."""

    def __init__(
        self,
        client: PortalClient,
        project_id: int,
        choice: PreviousChoice,
        hints: LoadHints,
        flag: Any,
        new_load: NewLoad,
    ) -> None:
        self.new_load = new_load
        self.client = client
        self.project_id = project_id
        self.choice = choice
        self.hints = hints
        self.flag = flag  # the project's load's: set when it is cancelled or fails
        self.outcome: PreviousOutcome | None = None
        # Known at the start (chosen by id, or by the rule and confirmed lately): read with the
        # project's own requests where they can be shared.
        early = self._early()
        self.handoff = Handoff(early) if early is not None else None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="zdesk-previous", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def wait(self, until: float) -> PreviousOutcome:
        """The outcome, waiting at most until `until` (time.monotonic)."""
        self.done.wait(max(0.0, until - time.monotonic()))
        if self.outcome is None:
            return PreviousOutcome(why="het vorige project antwoordde niet op tijd")
        return self.outcome

    def _run(self) -> None:
        try:
            self.outcome = self._read()
        except Cancelled:
            self.outcome = PreviousOutcome(why="het lezen is afgebroken")
        except PortalError as error:
            self.outcome = PreviousOutcome(why=_why(error))
        except Exception:  # never worth the project's load: said, logged, and gone without
            log.exception("Het vorige project kon niet worden gelezen")
            self.outcome = PreviousOutcome(why="het vorige project kon niet worden gelezen")
        finally:
            self.done.set()

    def _early(self) -> int | None:
        choice = self.choice
        if isinstance(choice, int):
            return choice if choice != self.project_id else None
        return self._confirmed() if choice == AUTO else None

    def _confirmed(self) -> int | None:
        """The previous project of the hints, when the project list confirmed it lately."""
        hinted = self.hints.previous_project
        age = time.time() - self.hints.previous_checked_at
        return hinted if hinted is not None and 0 <= age < RECHECK_CHOICE_AFTER else None

    def _read(self) -> PreviousOutcome:
        choice = self.choice
        if choice is None:
            return PreviousOutcome(why="geen vorig project gekozen (Bestand > Instellingen)")
        if isinstance(choice, int):
            if choice == self.project_id:
                return PreviousOutcome(why="het gekozen vorige project is dit project zelf")
            outcome = self._load(choice, None, self._hints_for(choice), shared=True)
            if outcome.gone and self.handoff is not None:
                outcome = self._load(choice, None, self._hints_for(choice))  # asked itself
            return outcome
        hinted = self.hints.previous_project
        confirmed = self._confirmed()
        if confirmed is not None:
            # Confirmed by the list lately: its own row is not asked again either.
            known = ProjectInfo(confirmed, name=self.hints.previous_name or None)
            outcome = self._load(confirmed, known, self.hints.previous, shared=True)
            if not outcome.gone:
                outcome.checked_at = self.hints.previous_checked_at
                return outcome
            hinted = None
        if hinted is None:
            checked = time.time()
            chosen = choose_previous(self.client.projects(cancel=self.flag), self.project_id)
            if chosen is None:
                return PreviousOutcome(why="geen vorig project")
            outcome = self._load(chosen.id, chosen, None)
            outcome.checked_at = checked
            return outcome
        # The hinted project is read at once; the list, asked beside it, confirms the choice.
        checked = time.time()
        with ThreadPoolExecutor(1, thread_name_prefix="zdesk-previous-list") as pool:
            listing = pool.submit(self.client.projects, cancel=self.flag)
            outcome = self._load(hinted, None, self.hints.previous)
            chosen = choose_previous(listing.result(), self.project_id)
        if chosen is None:
            return PreviousOutcome(why="geen vorig project")
        if chosen.id != hinted:
            outcome = self._load(chosen.id, chosen, None)
        outcome.checked_at = checked
        return outcome

    def _hints_for(self, project_id: int) -> LoadHints | None:
        return self.hints.previous if self.hints.previous_project == project_id else None

    def _load(
        self,
        project_id: int,
        info: ProjectInfo | None,
        hints: LoadHints | None,
        shared: bool = False,
    ) -> PreviousOutcome:
        handoff = self.handoff if shared else None
        if handoff is not None and handoff.project_id != project_id:
            handoff = None
        stats = LoadStats()
        load = self.new_load(project_id, hints, stats, handoff)
        if info is not None:
            load.results["schoolsinschoolyears"] = [info]
            load.outstanding[("schoolsinschoolyears", 0)] = 0
        try:
            project = load.run()
        except RightMissing as error:
            missing = MissingRight(error.endpoint, error.field)
            why = f"{missing.describe()} van het vorige project"
            return PreviousOutcome(
                why=why, project_id=project_id, hints=_hints_after(load), stats=stats
            )
        except NotFound:
            return PreviousOutcome(
                why=f"het vorige project ({project_id}) bestaat niet in dit portaal",
                stats=stats,
                gone=True,
            )
        except HandoffMissing:  # the shared reads did not bring it: asked apart after all
            return PreviousOutcome(why="niet gelezen", project_id=project_id, gone=True)
        if not project.departments:  # no afdelingen: not (any more) a project to follow
            return PreviousOutcome(
                why=f"het vorige project ({project_id}) heeft geen afdelingen",
                project_id=project_id,
                stats=stats,
                gone=True,
            )
        outcome = PreviousOutcome(project, "", project_id, project.hints, stats)
        if "studentsindepartments" in project.unavailable:
            reason = project.placements_unavailable_because or "niet gelezen"
            outcome.project = None
            outcome.why = f"de afdelingsdeelnames van het vorige project: {reason}"
        return outcome


def _hints_after(load: Any) -> LoadHints:
    return LoadHints.learned(load.rights.missing, [], LoadHints(), time.time())


def _why(error: PortalError) -> str:
    return f"het vorige project kon niet worden gelezen ({error})"


def attach_previous(project: Project, outcome: PreviousOutcome) -> None:
    """Put what the doorstroom needs of the previous project into `project`, or why not."""
    read = outcome.project
    if read is None:
        project.previous_info = None
        project.unavailable.add(PREVIOUS)
        project.unavailable_because[PREVIOUS] = outcome.why or "geen vorig project"
        return
    project.unavailable.discard(PREVIOUS)
    project.unavailable_because.pop(PREVIOUS, None)
    project.previous_info = read.info
    project.previous_branches = read.branches
    project.previous_departments = read.departments
    # Only the opleidingen among its keuzevakken are kept: the doorstroom needs no other.
    project.previous_choosables = [c for c in read.choosables if c.subject_type == "education"]
    project.previous_placements = read.placements
    # Its indices were built by its read, beside the load: the doorstroom takes that Project
    # (its other keuzevakken are left alone by every rule) rather than building them again.
    project.__dict__["_previous"] = read
