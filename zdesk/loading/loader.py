"""Load one project into a `Project`: the data first, rights learned from what the portal refuses.

Every read of a project goes out at once, a handful at a time: the six structure endpoints, and the
afdelingsdeelnames with the students' names in the same call. Nothing is probed beforehand. A read
the portal refuses (403) is split into its essential fields plus one request per optional field,
so a refused field costs one round more and names exactly what is missing. Where names cannot be
read with the afdelingsdeelnames, one request reads all students of the project.

What a load learns (refused rights, the afdelingen) comes back as `LoadHints`; given to the next
load, it asks only for what it may read, splits a large project per block of afdelingen from the
start, and checks with a cheap probe whether a refused right has been granted since.

What a load reports (progress, figures, hints) is in `report`; what a refused read leads to
that needs none of the load's state (naming the missing right, joining columns read apart), in
`refusals`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from zdesk.domain.model import Project, ProjectInfo, Student
from zdesk.loading import limits
from zdesk.loading.answering import Answering
from zdesk.loading.asking import Asking
from zdesk.loading.limits import PLACEMENTS, SELECTED, STRUCTURE, USERS
from zdesk.loading.previous import (
    AUTO,
    SHARED,
    Handoff,
    PreviousChoice,
    PreviousRead,
    attach_previous,
)
from zdesk.loading.refusals import refusal_reason
from zdesk.loading.report import (
    LoadHints,
    LoadProgress,
    LoadStats,
    ProgressCallback,
)
from zdesk.loading.tasks import EitherFlag, Part, Task, why_not_read
from zdesk.portal.client import CancelFlag, PortalClient
from zdesk.portal.errors import (
    AnswerTooLarge,
    BadResponse,
    Cancelled,
    FilterUnknown,
    LoadTimeout,
    NotFound,
    PortalError,
    RightMissing,
    TokenRejected,
)
from zdesk.portal.rights import (
    NAME_FIELDS,
    PREVIOUS_NEED_BY_ENDPOINT,
    Need,
    RightsReport,
)
from zdesk.portal.wire import RepairLog

__all__ = ["LoadHints", "LoadStats", "load_project"]


def load_project(
    client: PortalClient,
    project_id: int,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelFlag | None = None,
    hints: LoadHints | None = None,
    workers: int | None = None,
    stats: LoadStats | None = None,
    prepare: Callable[[Project], None] | None = None,
    info: ProjectInfo | None = None,
    previous: PreviousChoice = AUTO,
    early: Callable[[Project], None] | None = None,
) -> Project:
    """Read every structure endpoint of `project_id` and build the Project.

    `info`, when the caller has just read the project list, saves reading the project again.

    The Project is built while the answers come in: the structure once it is complete, then each
    block of afdelingsdeelnames as it arrives. `prepare(project)`, if given, is called as soon as
    everything but a separate names read is in; `early(project)` before that, as soon as the
    afdelingsdeelnames are in while the pakketkeuzes are not (`Answering.early_stage`).
    `project.rights` says what the token may read
    and `project.hints` what the next load of this project can start from.

    `previous` is the project whose students the doorstroom follows: AUTO (the same school's
    project of the year before, `previous.choose_previous`), a project id, or None (none). It is
    read beside this project (`previous.PreviousRead`); whatever goes wrong there only skips the
    doorstroom checks, with the reason.

    Raises Cancelled when `cancel` is set, RightMissing when a right without which nothing can be
    shown is missing, or another PortalError; never returns a half-loaded Project.
    """
    load = _Load(client, project_id, progress, cancel, hints, workers, stats, prepare)
    load.early = early
    if info is not None and info.id == project_id:
        load.results["schoolsinschoolyears"] = [info]
        load.outstanding[("schoolsinschoolyears", 0)] = 0

    flag = load.flag  # not the load itself: the read it makes holds this function

    def previous_load(
        previous_id: int, hints: LoadHints | None, stats: LoadStats, handoff: Handoff | None
    ) -> _Load:
        read = _Load(
            client,
            previous_id,
            None,
            flag,
            hints,
            limits.PREVIOUS_WORKERS,
            stats,
            None,
            needs=PREVIOUS_NEED_BY_ENDPOINT,
        )
        read.handed = handoff
        # Three columns of afdelingsdeelnames make a small answer: one read, never in blocks
        # (a block read is still chosen when the portal says the answer is too large).
        read.split = None
        return read

    load.previous = PreviousRead(client, project_id, previous, load.hints, load.flag, previous_load)
    load.shares_with = load.previous.handoff  # the previous project asked beside this one
    load.previous.start()
    return load.run()


class _Load(Asking, Answering):
    """The state of one load; `run` is its event loop over the answers."""

    def __init__(
        self,
        client: PortalClient,
        project_id: int,
        progress: ProgressCallback | None,
        cancel: CancelFlag | None,
        hints: LoadHints | None,
        workers: int | None,
        stats: LoadStats | None,
        prepare: Callable[[Project], None] | None,
        needs: dict[str, Need] | None = None,
    ) -> None:
        self.client = client
        self.project_id = project_id
        self.report = progress or (lambda _p: None)
        self.flag = EitherFlag(cancel)
        self.hints = (hints or LoadHints()).current(time.time())
        hinted = sorted(set(self.hints.departments))
        # The afdelingen the afdelingsdeelnames and pakketkeuzes are asked for block by block;
        # None: one read of the whole project. Hints only make a load cheaper, never different:
        # every afdeling that arrives is read (`departments_arrived`), and rows of a hinted
        # afdeling that is no longer in the project are left out (`stale`).
        self.split: list[int] | None = (
            hinted
            if limits.SPLIT_ABOVE_DEPARTMENTS < len(hinted) <= limits.MAX_HINTED_DEPARTMENTS
            else None
        )
        self.department_ids: set[int] | None = None  # the project's, once it is built
        self.placement_ids: set[int] = set()  # of the afdelingsdeelnames taken in
        self.ignored: set[str] = set()  # endpoints whose filter the portal was seen to ignore
        self.filters_refused: set[tuple[str, str]] = set()  # (endpoint, parameter): 400
        self.whole_asked: set[str] = set()  # block reads turned into one of the whole project
        self.rights = RightsReport(client.portal.name, project_id, list(self.hints.missing))
        if needs is not None:  # the previous project's read: less of each endpoint
            self.rights.needs = needs
        self.structure = tuple(e for e in STRUCTURE if e in self.rights.needs)
        self.previous: PreviousRead | None = None  # the doorstroom's read beside this one
        self.previous_into: Project | None = None  # the Project it was put into
        self.early_done = False  # what needs no pakketkeuzes, done while they came in
        self.early: Callable[[Project], None] | None = None
        # The project's load: the previous project whose rows its shared reads bring along.
        self.shares_with: Handoff | None = None
        # The previous project's load: where the rows of the shared reads come from.
        self.handed: Handoff | None = None
        self.workers = workers or limits.WORKERS
        self.stats = stats if stats is not None else LoadStats()
        self.prepare = prepare
        self.repairs = RepairLog()
        self.retry_until = time.monotonic() + limits.RETRY_BUDGET
        self.deadline = time.monotonic() + limits.LOAD_DEADLINE
        self.pool: ThreadPoolExecutor | None = None
        self.pending: dict[Future, Task] = {}
        # Per part: its rows, the optional columns that came apart, the answers still out.
        self.rows: dict[Part, list[Any]] = {}
        self.columns: dict[Part, list[tuple[str, list[Any]]]] = {}
        self.outstanding: dict[Part, int] = {}
        self.params: dict[Part, dict[str, str]] = {}
        self.probes_out: dict[str, int] = {}  # endpoint -> probes of refused rights still out
        self.results: dict[str, list[Any]] = {e: [] for e in STRUCTURE}
        self.placement_blocks = 0
        self.placements_planned = False
        self.selected_blocks = 0
        self.selected_planned = False
        self.selected: dict[int, list[Any]] = {}  # pakketkeuzes per block, as they come in
        # (blocks in it, whether the afdelingsdeelnames were complete when made, the rows)
        self._selected_rows: tuple[tuple[int, bool], list[Any]] | None = None
        self.arrived: dict[int, list[Any]] = {}
        self.taken = 0
        self.unavailable: dict[str, str] = {}  # endpoint -> why (Dutch)
        self.users_asked = False
        self.names: list[Student] = []
        self.built: Project | None = None
        self.prepared = prepare is None
        self.done = 0
        self.rows_read = 0
        self.too_large: set[str] = set()  # whole-project reads too large: asked per block
        self.expected = 0
        self.round = 1  # the round of what is asked now

    # ---- asking ------------------------------------------------------------------------------

    def run(self) -> Project:
        started = time.perf_counter()
        flag = self.flag
        # Hints never hold a blocking refusal (such a load ends without hints), but a right of
        # the structure is always asked for again rather than assumed missing.
        blocking = self.rights.blocking()
        self.rights.missing = [m for m in self.rights.missing if m not in blocking]
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="zdesk-load")
        try:
            self.probe_known_refusals()
            project_filter = {"schoolInSchoolYear": str(self.project_id)}
            shared = self.shares_with
            both = (
                {"schoolInSchoolYear": f"{self.project_id},{shared.project_id}"}
                if shared is not None
                else project_filter
            )
            for endpoint in self.structure:
                if (endpoint, 0) in self.outstanding:
                    continue  # known already
                params = (
                    {"id": str(self.project_id)}
                    if endpoint == STRUCTURE[0]
                    else both
                    if endpoint in SHARED
                    else project_filter
                )
                self.open_part((endpoint, 0), params)
            if self.rights.fields_for(PLACEMENTS) is not None:
                # Split per block of afdelingen when the last load saw many; else one read.
                self.ask_placements()
                if not self.names_with_placements():
                    self.ask_users()
            if self.rights.fields_for(SELECTED) is not None:
                self.ask_selected()
            while self.pending:
                finished, _ = wait(self.pending, timeout=0.05, return_when=FIRST_COMPLETED)
                if flag.is_set():
                    raise Cancelled()
                if time.monotonic() > self.deadline:
                    raise LoadTimeout(
                        detail=f"{limits.LOAD_DEADLINE:.0f} seconden",
                        portal=self.client.portal.name,
                    )
                for future in finished:
                    task = self.pending.pop(future, None)
                    if task is None:
                        continue
                    self.settle(task, future)
                if self.built is None and self.structure_done():
                    self.built = self.build()
                    if self.selected_done():
                        self.built.selected_subjects = self.selected_rows()
                self.early_stage()
                if (
                    self.built is not None
                    and not self.users_asked
                    and self.placements_done()
                    and self.built.placements
                    and not any(p.has_name for p in self.built.placements)
                ):
                    # Names may be read but none came with the afdelingsdeelnames: ask users.
                    self.ask_users()
                if (
                    not self.prepared
                    and self.built is not None
                    and self.placements_done()
                    and self.selected_done()
                ):
                    self.prepared = True
                    self.built.selected_subjects = self.selected_rows()
                    self.built.repairs = self.repairs.repairs()
                    self.say_unavailable(self.built)
                    self.take_previous(self.built)
                    self.prepare(self.built)  # type: ignore[misc]  # set when not prepared
                    if flag.is_set():
                        raise Cancelled()
        except BaseException:
            flag.internal.set()
            if self.shares_with is not None:
                self.shares_with.give(None)
            raise
        finally:
            self.pool.shutdown(wait=False, cancel_futures=True)
        if flag.is_set():  # cancelled as the last answer came in: still cancelled
            raise Cancelled()
        project = self.built if self.built is not None else self.build()
        self.complete(project)
        self.stats.seconds = time.perf_counter() - started
        return project

    def settle(self, task: Task, future: Future) -> None:
        self.round = task.round + 1  # what this answer makes us ask waited for it
        try:
            rows, size = future.result()
        except RightMissing as error:
            self.count(task, 0, 0)
            self.refused(task, error)
            return
        except (BadResponse, NotFound) as error:
            self.count(task, 0, 0)
            if task.kind == "probe":  # a probe the portal cannot answer: assume still refused
                self.probe_answered(task, granted=False)
                return
            if isinstance(error, AnswerTooLarge) and self.read_in_blocks(task, error):
                return
            if isinstance(error, FilterUnknown) and self.ask_otherwise(task, error):
                return
            # Names are never worth losing a load over; afdelingsdeelnames the portal does not
            # know are absent, but a broken answer on them fails the load (and keeps what was
            # shown) rather than silently showing a project without students.
            if task.endpoint in (USERS, SELECTED) or (
                task.endpoint == PLACEMENTS and isinstance(error, NotFound)
            ):
                self.go_without(task.endpoint, why_not_read(task.endpoint, error))
                return
            raise
        except (Cancelled, TokenRejected):
            raise
        except PortalError as error:
            if task.endpoint in (USERS, SELECTED) or task.kind == "probe":
                # Names, pakketkeuzes and rechecks of refused rights are never worth losing a
                # load over.
                self.count(task, 0, 0)
                if task.kind == "probe":
                    self.probe_answered(task, granted=False)
                else:
                    self.go_without(task.endpoint, why_not_read(task.endpoint, error))
                return
            raise
        self.count(task, len(rows), size)
        self.answered(task, rows, size)

    def count(self, task: Task, rows: int, size: int) -> None:
        self.done += 1
        self.rows_read += rows
        if self.rows_read > limits.MAX_LOAD_ROWS:
            raise AnswerTooLarge(
                detail=f"{limits.MAX_LOAD_ROWS:,} rijen in één lading".replace(",", "."),
                portal=self.client.portal.name,
            )
        stats = self.stats
        stats.requests += 1
        stats.bytes += size
        stats.per_endpoint[task.endpoint] = stats.per_endpoint.get(task.endpoint, 0) + 1
        running = tuple(dict.fromkeys(t.endpoint for t in self.pending.values()))
        self.report(
            LoadProgress(
                task.endpoint, rows, size, self.done, max(self.expected, self.done), running
            )
        )

    def build(self) -> Project:
        infos = self.results["schoolsinschoolyears"]
        if not infos and self.repairs.skipped("schoolsinschoolyears"):
            # The project's own row came without a usable id: it is the one asked for.
            infos = [ProjectInfo(self.project_id)]
        if not infos:
            raise NotFound(what=f"project {self.project_id}", portal=self.client.portal.name)
        results, owned = self.results, self.owned
        if self.shares_with is not None:
            self.hand_over(self.shares_with)
        branches = owned("branchesofschools", results["branchesofschools"], {self.project_id})
        departments = owned(
            "departmentsofbranches", results["departmentsofbranches"], {b.id for b in branches}
        )
        self.department_ids = department_ids = {d.id for d in departments}
        choosables = owned(
            "choosableindepartments", results["choosableindepartments"], department_ids
        )
        project = Project(
            info=infos[0],
            branches=branches,
            departments=departments,
            choosables=choosables,
            planned_groups=owned(
                "plannedgroups", results["plannedgroups"], {c.id for c in choosables}
            ),
            groups=owned("groupindepartments", results["groupindepartments"], department_ids),
            placements=self.placements_in_project(results.pop(PLACEMENTS, [])),
            missing_rights=self.rights.missing,
            portal=self.client.portal.name,
        )
        return project

    def hand_over(self, handoff: Handoff) -> None:
        """The previous project's rows of the shared reads go to its load (by their owners);
        the rest stays, to be judged as every row is."""
        results, other = self.results, handoff.project_id
        branches = results["branchesofschools"]
        theirs_b = [b for b in branches if b.school_in_school_year == other]
        ids_b = {b.id for b in theirs_b}
        departments = results["departmentsofbranches"]
        theirs_d = [d for d in departments if d.branch_of_school in ids_b]
        ids_d = {d.id for d in theirs_d}
        choosables = results["choosableindepartments"]
        theirs_c = [c for c in choosables if c.department_of_branch in ids_d]
        results["branchesofschools"] = [b for b in branches if b.id not in ids_b]
        results["departmentsofbranches"] = [d for d in departments if d.id not in ids_d]
        ids_c = {id(c) for c in theirs_c}
        results["choosableindepartments"] = [c for c in choosables if id(c) not in ids_c]
        handoff.give(
            {
                "branchesofschools": theirs_b,
                "departmentsofbranches": theirs_d,
                "choosableindepartments": theirs_c,
            }
        )
        self.departments_arrived(results["departmentsofbranches"])

    def fetch(self, task: Task) -> tuple[list[Any], int]:
        handed = self.handed
        if handed is not None and task.endpoint in SHARED and task.kind == "data":
            return handed.wait(task.endpoint, self.flag, self.deadline), 0
        return super().fetch(task)

    def complete(self, project: Project) -> None:
        """What is known only at the end: names, what was unavailable, repairs, hints."""
        unavailable = self.not_read()
        if PLACEMENTS in unavailable:
            project.placements_unavailable_because = self.unavailable.get(
                PLACEMENTS, refusal_reason(self.rights.missing_of(PLACEMENTS))
            )
        project.selected_subjects = [] if SELECTED in unavailable else self.selected_rows()
        project.missing_rights = self.rights.missing
        project.rights = self.rights
        students: dict[str, Student] = {}
        if PLACEMENTS not in unavailable:
            for p in project.placements:
                if p.has_name and p.student not in students:
                    students[p.student] = Student(  # type: ignore[index]
                        p.student or "", p.first_name, p.prefix, p.last_name
                    )
            if not students:
                names = self.owned(USERS, self.names, project.placements_of_student)
                students = {s.code: s for s in names if s.first_name or s.last_name}
        if PLACEMENTS in unavailable:
            why = "er zijn geen afdelingsdeelnames (namen horen bij leerlingnummers)"
        elif self.names_with_placements() or self.names_from_users():
            why = ""
        else:
            why = self.unavailable.get(USERS) or refusal_reason(
                self.rights.missing_of(PLACEMENTS, NAME_FIELDS) + self.rights.missing_of(USERS)
            )
        if why:
            unavailable.add(USERS)
            project.names_unavailable_because = why
        project.students = students
        project.unavailable = unavailable
        project.unavailable_because = dict(self.unavailable)
        project.repairs = self.repairs.repairs()
        project.hints = LoadHints.learned(
            self.rights.missing, sorted(project.department_by_id), self.hints, time.time()
        )
        project.hints.ignored_filters = sorted(self.ignored)
        self.previous_into = None  # put in again: what was unavailable was just set anew
        self.take_previous(project)

    def take_previous(self, project: Project) -> None:
        """The previous project's read into `project` (waiting for it within the deadline)."""
        if self.previous is None:
            return
        outcome = self.previous.wait(self.deadline)
        if self.flag.is_set():
            raise Cancelled()
        if self.previous_into is not project:  # once per Project (prepared, then complete)
            attach_previous(project, outcome)
            self.previous_into = project
        if project.hints is not None:  # set at the end of the load (`complete`)
            hints = project.hints
            hints.previous_project = outcome.project_id
            hints.previous = outcome.hints
            read = outcome.project
            hints.previous_name = read.info.name or "" if read is not None else ""
            hints.previous_checked_at = outcome.checked_at
