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

import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any

from zdesk.domain.belonging import OWNER, owned
from zdesk.domain.model import Project, ProjectInfo, Student
from zdesk.loading.refusals import merge_column, name_refusal, refusal_reason
from zdesk.loading.report import (
    LABELS,
    LoadHints,
    LoadProgress,
    LoadStats,
    ProgressCallback,
)
from zdesk.portal.client import PARALLEL, CancelFlag, PortalClient
from zdesk.portal.errors import (
    AnswerTooLarge,
    BadResponse,
    Cancelled,
    FieldUnknown,
    FilterUnknown,
    LoadTimeout,
    NotFound,
    PortalError,
    RightMissing,
    TokenRejected,
)
from zdesk.portal.records import RECORDS
from zdesk.portal.rights import (
    NAME_FIELDS,
    NEED_BY_ENDPOINT,
    REFUSED,
    UNKNOWN,
    MissingRight,
    RightsReport,
    probe_filter,
)
from zdesk.portal.wire import RepairLog

WORKERS = PARALLEL  # "a handful of parallel requests at most"
SPLIT_ABOVE_DEPARTMENTS = 60
# Retries of a load's requests start only within this many seconds of its start: a portal that
# keeps failing ends the load in about the portal's own limit, not in one limit per request.
RETRY_BUDGET = 75.0
# A whole load ends within this many seconds, whatever each request does within its own deadline
# (55 s): `zdesk check` and `export` too, as they are a load and then local work.
LOAD_DEADLINE = 120.0
DEPARTMENTS_PER_REQUEST = 40
# Rows a whole load may hold (each answer has its own cap, `client.MAX_ROWS`): what bounds the
# memory of a load whose afdelingsdeelnames come in blocks. About 25 times the largest real project.
MAX_LOAD_ROWS = 1_500_000
# Hints naming more afdelingen than this are not a project's (the largest scholengroep has a few
# hundred): they are ignored and the project is read as on a first load.
MAX_HINTED_DEPARTMENTS = 2000

STRUCTURE = (
    "schoolsinschoolyears",
    "branchesofschools",
    "departmentsofbranches",
    "choosableindepartments",
    "plannedgroups",
    "groupindepartments",
)
PLACEMENTS = "studentsindepartments"
USERS = "users"
SELECTED = "selectedsubjects"


class _EitherFlag:
    """Set when the user cancels or when another request of this load has failed."""

    def __init__(self, user: CancelFlag | None) -> None:
        self.user = user
        self.internal = threading.Event()

    def is_set(self) -> bool:
        return self.internal.is_set() or (self.user is not None and self.user.is_set())


Part = tuple[str, int]  # (endpoint, block): one read whose columns may come in several answers


@dataclass(frozen=True)
class _Task:
    part: Part
    params: dict[str, str]
    fields: tuple[str, ...] | None  # None: no `fields=` (an endpoint probe)
    kind: str = "data"  # "data", "column" (one optional field) or "probe" (matches no rows)
    column: str | None = None  # with "column" and "probe": the field (None: the endpoint)
    round: int = 1  # 1 for what is asked at the start; one more than the answer that led to it

    @property
    def endpoint(self) -> str:
        return self.part[0]


def load_project(
    client: PortalClient,
    project_id: int,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelFlag | None = None,
    hints: LoadHints | None = None,
    workers: int = WORKERS,
    stats: LoadStats | None = None,
    prepare: Callable[[Project], None] | None = None,
    info: ProjectInfo | None = None,
) -> Project:
    """Read every structure endpoint of `project_id` and build the Project.

    `info`, when the caller has just read the project list, saves reading the project again.

    The Project is built while the answers come in: the structure once it is complete, then each
    block of afdelingsdeelnames as it arrives. `prepare(project)`, if given, is called as soon as
    everything but a separate names read is in. `project.rights` says what the token may read
    and `project.hints` what the next load of this project can start from.

    Raises Cancelled when `cancel` is set, RightMissing when a right without which nothing can be
    shown is missing, or another PortalError; never returns a half-loaded Project.
    """
    load = _Load(client, project_id, progress, cancel, hints, workers, stats, prepare)
    if info is not None and info.id == project_id:
        load.results["schoolsinschoolyears"] = [info]
        load.outstanding[("schoolsinschoolyears", 0)] = 0
    return load.run()


class _Load:
    """The state of one load; `run` is its event loop over the answers."""

    def __init__(
        self,
        client: PortalClient,
        project_id: int,
        progress: ProgressCallback | None,
        cancel: CancelFlag | None,
        hints: LoadHints | None,
        workers: int,
        stats: LoadStats | None,
        prepare: Callable[[Project], None] | None,
    ) -> None:
        self.client = client
        self.project_id = project_id
        self.report = progress or (lambda _p: None)
        self.flag = _EitherFlag(cancel)
        self.hints = (hints or LoadHints()).current(time.time())
        hinted = sorted(set(self.hints.departments))
        # The afdelingen the afdelingsdeelnames and pakketkeuzes are asked for block by block;
        # None: one read of the whole project. Hints only make a load cheaper, never different:
        # every afdeling that arrives is read (`departments_arrived`), and rows of a hinted
        # afdeling that is no longer in the project are left out (`stale`).
        self.split: list[int] | None = (
            hinted if SPLIT_ABOVE_DEPARTMENTS < len(hinted) <= MAX_HINTED_DEPARTMENTS else None
        )
        self.department_ids: set[int] | None = None  # the project's, once it is built
        self.placement_ids: set[int] = set()  # of the afdelingsdeelnames taken in
        self.ignored: set[str] = set()  # endpoints whose filter the portal was seen to ignore
        self.filters_refused: set[tuple[str, str]] = set()  # (endpoint, parameter): 400
        self.whole_asked: set[str] = set()  # block reads turned into one of the whole project
        self.rights = RightsReport(client.portal.name, project_id, list(self.hints.missing))
        self.workers = workers
        self.stats = stats if stats is not None else LoadStats()
        self.prepare = prepare
        self.repairs = RepairLog()
        self.retry_until = time.monotonic() + RETRY_BUDGET
        self.deadline = time.monotonic() + LOAD_DEADLINE
        self.pool: ThreadPoolExecutor | None = None
        self.pending: dict[Future, _Task] = {}
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

    def submit(self, task: _Task) -> None:
        assert self.pool is not None
        task = replace(task, round=self.round)
        self.stats.rounds = max(self.stats.rounds, task.round)
        self.pending[self.pool.submit(self.fetch, task)] = task
        self.expected += 1

    def fetch(self, task: _Task) -> tuple[list[Any], int]:
        record = dict if task.kind == "probe" else RECORDS[task.endpoint]
        return self.client.fetch(
            task.endpoint,
            record,
            params=task.params,
            fields=task.fields,
            cancel=self.flag,
            repairs=None if task.kind == "probe" else self.repairs,
            retry_until=self.retry_until,
        )

    def open_part(self, part: Part, params: dict[str, str]) -> None:
        """Ask for one read with every field the token may read (as far as known)."""
        endpoint = part[0]
        fields = self.rights.fields_for(endpoint)
        assert fields is not None
        self.params[part] = params
        self.outstanding[part] = 1 + self.probes_out.get(endpoint, 0)
        self.submit(_Task(part, params, tuple(fields)))

    def ask_placements(self, departments: list[int] | None = None) -> None:
        """The afdelingsdeelnames: of the whole project, or per block of `departments` (by
        default the afdelingen the load splits on)."""
        self.placements_planned = True
        for params in self.block_params(PLACEMENTS, departments):
            self.open_part((PLACEMENTS, self.placement_blocks), params)
            self.placement_blocks += 1

    def ask_selected(self, departments: list[int] | None = None) -> None:
        """The pakketkeuzes, split per block of afdelingen like the afdelingsdeelnames."""
        self.selected_planned = True
        for params in self.block_params(SELECTED, departments):
            self.open_part((SELECTED, self.selected_blocks), params)
            self.selected_blocks += 1

    def block_params(self, endpoint: str, departments: list[int] | None) -> list[dict[str, str]]:
        if departments is not None:
            return _department_blocks(departments)
        if self.split is None or endpoint in self.hints.ignored_filters:
            # One read; also where the portal ignored the filter last time (then every block
            # would bring every row again): one read of everything is the cheapest that works.
            return [{"schoolInSchoolYear": str(self.project_id)}]
        return _department_blocks(self.split)

    def departments_arrived(self, rows: list[Any]) -> None:
        """The afdelingen are known: read those the hints did not name (what comes for hinted
        afdelingen the project no longer has is left out as every row outside it is)."""
        if self.split is None:
            for endpoint in sorted(self.too_large):
                self.ask_per_block(endpoint, sorted(d.id for d in rows))
            return
        arrived = {d.id for d in rows}
        asked = set(self.split)
        new = sorted(arrived - asked)
        if not new:
            return
        self.split = sorted(asked | arrived)  # a read asked later (a right granted) asks all
        if self.placements_planned and PLACEMENTS not in self.unavailable:
            self.ask_placements(new)
        if self.selected_planned and SELECTED not in self.unavailable:
            self.ask_selected(new)

    def read_in_blocks(self, task: _Task, error: AnswerTooLarge) -> bool:
        """A whole-project read too large for one answer is asked again per block of afdelingen
        (as the hints would have split it), within this load. False: it was a block already."""
        if task.endpoint not in (PLACEMENTS, SELECTED) or "schoolInSchoolYear" not in task.params:
            return False
        if task.kind != "data" or task.endpoint in self.too_large:
            return False
        self.too_large.add(task.endpoint)
        part = task.part
        self.rows[part] = []  # the whole read counts as empty; the blocks bring its rows
        self.close(part)
        departments = self.results["departmentsofbranches"]
        if self.outstanding.get(("departmentsofbranches", 0), 1) == 0:
            self.ask_per_block(task.endpoint, sorted(d.id for d in departments))
        return True

    def ask_otherwise(self, task: _Task, error: FilterUnknown) -> bool:
        """A filter the portal does not take: ask the next way (per afdeling -> the project ->
        the whole endpoint), and let the rows' owners decide what belongs to the project."""
        params = dict(task.params)
        refused = error.parameter
        if refused not in params or task.kind == "probe":
            return False
        self.filters_refused.add((task.endpoint, refused))
        del params[refused]
        if refused == "departmentOfBranch":
            if task.endpoint in self.whole_asked:
                # Another block already asks for the whole project: this one brings nothing.
                self.rows[task.part] = []
                self.close(task.part)
                return True
            self.whole_asked.add(task.endpoint)
            params["schoolInSchoolYear"] = str(self.project_id)
        self.params[task.part] = params
        self.submit(replace(task, params=params))
        return True

    def ask_per_block(self, endpoint: str, departments: list[int]) -> None:
        if endpoint not in self.too_large or endpoint in self.unavailable or not departments:
            return
        if endpoint == PLACEMENTS:
            self.ask_placements(departments)
        else:
            self.ask_selected(departments)

    def owned(self, endpoint: str, rows: list[Any], owners: Collection[Any]) -> list[Any]:
        """The rows that belong to the project; those outside it counted as a note."""
        kept, outside = owned(endpoint, rows, owners)
        if outside:
            self.repairs.left_out(endpoint, OWNER[endpoint][1], outside)
            # Rows of other projects mean the filter cannot be trusted: the next load asks in
            # one read rather than per block (each block would bring them all again).
            self.ignored.add(endpoint)
        return kept

    def placements_in_project(self, rows: list[Any]) -> list[Any]:
        """A block of afdelingsdeelnames without those of afdelingen outside the project."""
        assert self.department_ids is not None  # only asked once the project is built
        rows = self.owned(PLACEMENTS, rows, self.department_ids)
        self.placement_ids.update(r.id for r in rows)
        return rows

    def ask_users(self) -> None:
        """All students of the project with their names in one read (names not granted with
        the afdelingsdeelnames)."""
        if self.users_asked or self.rights.fields_for(USERS) is None:
            return
        self.users_asked = True
        params = {"schoolInSchoolYear": str(self.project_id), "isStudent": "true"}
        self.open_part((USERS, 0), params)

    def probe_known_refusals(self) -> None:
        """A right refused at the last load may have been granted since: one cheap probe each."""
        for m in self.rights.missing:
            if m.unknown:
                continue  # a field the portal does not have: asked again when the hints age
            self.probes_out[m.endpoint] = self.probes_out.get(m.endpoint, 0) + 1
            params = probe_filter(m.endpoint, self.project_id)
            fields = None if m.field is None else (m.field,)
            self.submit(_Task((m.endpoint, -1), params, fields, "probe", m.field))

    def names_from_users(self) -> bool:
        fields = self.rights.fields_for(USERS) or ()
        return (
            self.users_asked
            and USERS not in self.unavailable
            and any(f in fields for f in NAME_FIELDS)
        )

    def names_with_placements(self) -> bool:
        fields = self.rights.fields_for(PLACEMENTS) or ()
        return any(f in fields for f in NAME_FIELDS)

    # ---- answers -----------------------------------------------------------------------------

    def answered(self, task: _Task, rows: list[Any], size: int) -> None:
        if task.kind == "probe":
            self.probe_answered(task, granted=True)
            return
        if task.kind == "column":
            self.columns.setdefault(task.part, []).append((task.column or "", rows))
        else:
            self.rows[task.part] = rows
        self.close(task.part)

    def refused(self, task: _Task, error: RightMissing) -> None:
        endpoint = task.endpoint
        need = NEED_BY_ENDPOINT[endpoint]
        if task.kind == "probe":
            self.probe_answered(task, granted=False)
            return
        reason = UNKNOWN if isinstance(error, FieldUnknown) else REFUSED
        if task.kind == "column":
            self.rights.add(MissingRight(endpoint, task.column, reason))
            if endpoint == PLACEMENTS and task.column in NAME_FIELDS:
                self.ask_users()
            self.close(task.part)
            return
        essentials = tuple(f for f in need.fields)
        asked = task.fields or ()
        if tuple(asked) != essentials:
            # Some field was refused: the essentials in one read, each optional field apart.
            params = self.params[task.part]
            self.submit(_Task(task.part, params, essentials))
            for name in asked:
                if name not in essentials:
                    self.outstanding[task.part] += 1
                    self.submit(_Task(task.part, params, (essentials[0], name), "column", name))
            if endpoint == PLACEMENTS and any(n in asked for n in NAME_FIELDS):
                self.ask_users()  # in the same round, in case the names are what was refused
            return
        if isinstance(error, FieldUnknown):
            # The portal does not take even the essential fields: that is no missing right but
            # an answer zdesk cannot use, said with the portal's own words.
            detail = f"{LABELS.get(endpoint, endpoint)}: {error.portal_message}"
            if need.required:
                raise BadResponse(detail, portal=self.client.portal.name)
            self.go_without(endpoint, f"het portaal weigerde de vraag naar de {detail}")
            return
        # The essentials themselves are refused: name the missing right, then go without.
        self.stats.rounds = max(self.stats.rounds, self.round)
        missing = name_refusal(self.client, endpoint, need, self.project_id, self.flag)
        for m in missing:
            self.rights.add(m)
        if need.required:
            first = missing[0] if missing else MissingRight(endpoint)
            raise RightMissing(first.endpoint, first.field, portal=self.client.portal.name)
        self.go_without(endpoint, refusal_reason(missing or [MissingRight(endpoint)]))

    def probe_answered(self, task: _Task, *, granted: bool) -> None:
        endpoint = task.endpoint
        self.probes_out[endpoint] -= 1
        if granted:
            self.rights.remove(MissingRight(endpoint, task.column))
        parts = [p for p, n in self.outstanding.items() if p[0] == endpoint and n > 0]
        if granted and task.column is None:
            # The whole endpoint may be read now: ask for it.
            if endpoint == PLACEMENTS and not self.placements_planned:
                self.ask_placements()
                if not self.names_with_placements():
                    self.ask_users()
            elif endpoint == USERS and not self.names_with_placements():
                self.ask_users()
            elif endpoint == SELECTED and not self.selected_planned:
                self.ask_selected()
            return
        for part in parts:
            if granted and part in self.params:
                key = NEED_BY_ENDPOINT[endpoint].fields[0]
                self.submit(
                    _Task(part, self.params[part], (key, task.column or ""), "column", task.column)
                )
            else:
                self.close(part)

    def go_without(self, endpoint: str, why: str) -> None:
        """An optional read that cannot be done: the load goes on, and says why."""
        self.unavailable[endpoint] = why
        if endpoint == PLACEMENTS and USERS not in self.unavailable:
            self.go_without(USERS, "er zijn geen afdelingsdeelnames")
        for part in [p for p in self.outstanding if p[0] == endpoint]:
            self.outstanding[part] = 0
            self.rows[part] = []
            self.columns.pop(part, None)
            self.finish(part)
        for future, task in list(self.pending.items()):
            if task.endpoint == endpoint:
                future.cancel()
                del self.pending[future]

    def close(self, part: Part) -> None:
        self.outstanding[part] -= 1
        if self.outstanding[part] == 0 and part in self.rows:
            self.finish(part)

    def finish(self, part: Part) -> None:
        """A part is complete: its optional columns join its rows, and it goes to the project."""
        rows = self.rows[part]
        for name, column in self.columns.pop(part, ()):
            merge_column(rows, column, name, part[0])
        endpoint, block = part
        if endpoint == PLACEMENTS:
            self.arrived[block] = rows
            while self.taken in self.arrived:
                self.taken += 1
                self.take(self.arrived.pop(self.taken - 1))
        elif endpoint == USERS:
            self.names = rows
        elif endpoint == SELECTED:
            self.selected[block] = rows
            if self.built is not None and self.selected_done():
                self.built.selected_subjects = self.selected_rows()
        else:
            self.results[endpoint] = rows
            if endpoint == "departmentsofbranches":
                self.departments_arrived(rows)

    def take(self, rows: list[Any]) -> None:
        """One block of afdelingsdeelnames into the project, in the order the blocks were asked
        (a placement given twice is always resolved the same way)."""
        if self.built is not None:
            self.built.add_placements(self.placements_in_project(rows))
        else:
            self.results.setdefault(PLACEMENTS, []).extend(rows)

    # ---- the loop ----------------------------------------------------------------------------

    def structure_done(self) -> bool:
        return all(self.outstanding.get((e, 0), 1) == 0 for e in STRUCTURE)

    def placements_done(self) -> bool:
        if PLACEMENTS in self.unavailable or self.rights.fields_for(PLACEMENTS) is None:
            return not self.probes_out.get(PLACEMENTS)
        return self.placements_planned and self.taken == self.placement_blocks

    def selected_done(self) -> bool:
        if SELECTED in self.unavailable or self.rights.fields_for(SELECTED) is None:
            return not self.probes_out.get(SELECTED)
        return self.selected_planned and len(self.selected) == self.selected_blocks

    def selected_rows(self) -> list[Any]:
        """Every block's pakketkeuzes, in the order the blocks were asked: one list, made again
        only when a block has come in since, so the project's pakketkeuzes (and what the checks
        derived from them) stay the same object from the checks to the end of the load."""
        judged = self.built is not None and self.placements_read()
        made = (len(self.selected), judged)
        if self._selected_rows is None or self._selected_rows[0] != made:
            rows = list(chain.from_iterable(self.selected[b] for b in sorted(self.selected)))
            if judged:
                # A pakketkeuze of an afdelingsdeelname the project does not have is outside it,
                # not dangling. Judged once, when every afdelingsdeelname is in.
                rows = self.owned(SELECTED, rows, self.placement_ids)
            self._selected_rows = (made, rows)
        return self._selected_rows[1]

    def placements_read(self) -> bool:
        """Every afdelingsdeelname is in (False where they could not be read)."""
        if PLACEMENTS in self.unavailable or self.rights.fields_for(PLACEMENTS) is None:
            return False
        return self.placements_planned and self.taken == self.placement_blocks

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
            for endpoint in STRUCTURE:
                if (endpoint, 0) in self.outstanding:
                    continue  # known already
                params = (
                    {"id": str(self.project_id)} if endpoint == STRUCTURE[0] else project_filter
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
                        detail=f"{LOAD_DEADLINE:.0f} seconden", portal=self.client.portal.name
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
                    self.prepare(self.built)  # type: ignore[misc]  # set when not prepared
                    if flag.is_set():
                        raise Cancelled()
        except BaseException:
            flag.internal.set()
            raise
        finally:
            self.pool.shutdown(wait=False, cancel_futures=True)
        if flag.is_set():  # cancelled as the last answer came in: still cancelled
            raise Cancelled()
        project = self.built if self.built is not None else self.build()
        self.complete(project)
        self.stats.seconds = time.perf_counter() - started
        return project

    def settle(self, task: _Task, future: Future) -> None:
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
                self.go_without(task.endpoint, _why_not_read(task.endpoint, error))
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
                    self.go_without(task.endpoint, _why_not_read(task.endpoint, error))
                return
            raise
        self.count(task, len(rows), size)
        self.answered(task, rows, size)

    def count(self, task: _Task, rows: int, size: int) -> None:
        self.done += 1
        self.rows_read += rows
        if self.rows_read > MAX_LOAD_ROWS:
            raise AnswerTooLarge(
                detail=f"{MAX_LOAD_ROWS:,} rijen in één lading".replace(",", "."),
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

    def complete(self, project: Project) -> None:
        """What is known only at the end: names, what was unavailable, repairs, hints."""
        unavailable = set(self.unavailable)
        if self.rights.fields_for(PLACEMENTS) is None:
            unavailable.add(PLACEMENTS)
        if PLACEMENTS in unavailable:
            project.placements_unavailable_because = self.unavailable.get(
                PLACEMENTS, refusal_reason(self.rights.missing_of(PLACEMENTS))
            )
        if self.rights.fields_for(SELECTED) is None:
            unavailable.add(SELECTED)
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


def _why_not_read(endpoint: str, error: PortalError) -> str:
    """Why an optional read was not done, in Dutch: the real reason, never a right it was not."""
    what = LABELS.get(endpoint, endpoint)
    if isinstance(error, NotFound):
        return f"het portaal kent de {what} niet (het antwoordde 'niet gevonden')"
    if isinstance(error, AnswerTooLarge):
        return f"de {what} waren te veel om te lezen (meer dan {error.detail})"
    return f"het portaal gaf een fout bij de {what}: {error.detail or error}"


def _department_blocks(departments: list[int]) -> list[dict[str, str]]:
    """One request per block of afdelingen."""
    ids = sorted(departments)
    return [
        {"departmentOfBranch": ",".join(map(str, ids[i : i + DEPARTMENTS_PER_REQUEST]))}
        for i in range(0, len(ids), DEPARTMENTS_PER_REQUEST)
    ]
