"""Load one project into a `Project`: parallel reads, progress, cancel, partial rights.

A handful of requests run at once. Afdelingsdeelnames, the heaviest read, are split by afdeling when
a project is large, so that every request stays far below the portal's 60-second limit; student
names are read by code, only for the students of this project, and only when granted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any

from zdesk.domain.model import (
    Branch,
    Choosable,
    Department,
    PlannedGroup,
    Project,
    ProjectInfo,
    ScheduleGroup,
    Student,
    StudentPlacement,
)
from zdesk.portal.client import PARALLEL, CancelFlag, PortalClient
from zdesk.portal.errors import Cancelled, NotFound
from zdesk.portal.rights import NAME_FIELDS, RightsReport, probe_rights

WORKERS = PARALLEL  # "a handful of parallel requests at most"
SPLIT_ABOVE_DEPARTMENTS = 60
DEPARTMENTS_PER_REQUEST = 40
CODES_PER_REQUEST = 400  # keeps a users URL around 3 KB

LABELS = {
    "rights": "toegangsrechten",
    "schoolsinschoolyears": "project",
    "branchesofschools": "vestigingen",
    "departmentsofbranches": "afdelingen",
    "choosableindepartments": "keuzevakken",
    "plannedgroups": "geplande groepen",
    "groupindepartments": "roostergroepen",
    "studentsindepartments": "afdelingsdeelnames",
    "users": "namen van leerlingen",
}
RECORDS: dict[str, type] = {
    "schoolsinschoolyears": ProjectInfo,
    "branchesofschools": Branch,
    "departmentsofbranches": Department,
    "choosableindepartments": Choosable,
    "plannedgroups": PlannedGroup,
    "groupindepartments": ScheduleGroup,
    "studentsindepartments": StudentPlacement,
    "users": Student,
}


@dataclass(frozen=True)
class LoadProgress:
    """One step of a load: `endpoint` just finished with `rows` rows and `bytes` bytes."""

    endpoint: str
    rows: int
    bytes: int
    done: int
    total: int
    running: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return LABELS.get(self.endpoint, self.endpoint)


ProgressCallback = Callable[[LoadProgress], None]


@dataclass(frozen=True)
class _Task:
    endpoint: str
    params: dict[str, str]
    fields: tuple[str, ...]
    block: int = 0  # afdelingsdeelnames: which block of afdelingen, in the order asked


@dataclass
class LoadStats:
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    per_endpoint: dict[str, int] = field(default_factory=dict)


class _EitherFlag:
    """Set when the user cancels or when another request of this load has failed."""

    def __init__(self, user: CancelFlag | None) -> None:
        self.user = user
        self.internal = threading.Event()

    def is_set(self) -> bool:
        return self.internal.is_set() or (self.user is not None and self.user.is_set())


def load_project(
    client: PortalClient,
    project_id: int,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelFlag | None = None,
    rights: RightsReport | None = None,
    workers: int = WORKERS,
    stats: LoadStats | None = None,
    prepare: Callable[[Project], None] | None = None,
) -> Project:
    """Read every structure endpoint of `project_id` and build the Project.

    The Project is built while the answers come in: the structure once it is complete, then each
    block of afdelingsdeelnames as it arrives. `prepare(project)`, if given, is called as soon as
    everything but the student names is in, and runs while the names are still being read (checks
    and views do not need names; they are in `project.students` before this returns).

    Raises Cancelled when `cancel` is set, RightMissing when a right without which nothing can be
    shown is missing, or another PortalError; never returns a half-loaded Project.
    """
    started = time.perf_counter()
    stats = stats if stats is not None else LoadStats()
    flag = _EitherFlag(cancel)
    report = progress or (lambda _p: None)
    if rights is None:
        report(LoadProgress("rights", 0, 0, 0, 1, ("rights",)))
        rights = probe_rights(client, project_id, flag)
    rights.raise_if_blocking()
    if flag.is_set():
        raise Cancelled()

    results: dict[str, list[Any]] = {e: [] for e in RECORDS}
    project_filter = {"schoolInSchoolYear": str(project_id)}

    def task(endpoint: str, params: dict[str, str]) -> _Task:
        return _Task(endpoint, params, tuple(rights.fields_for(endpoint) or ()))

    first_wave = [task("schoolsinschoolyears", {"id": str(project_id)})] + [
        task(e, project_filter)
        for e in (
            "branchesofschools",
            "departmentsofbranches",
            "choosableindepartments",
            "plannedgroups",
            "groupindepartments",
        )
    ]
    with_placements = rights.fields_for("studentsindepartments") is not None
    users_fields = rights.fields_for("users")
    # Names are read by student code, so without afdelingsdeelnames there are none to read.
    with_names = (
        with_placements and users_fields is not None and any(f in users_fields for f in NAME_FIELDS)
    )
    expected = len(first_wave) + int(with_placements) + int(with_names)

    def fetch(t: _Task) -> tuple[list[Any], int]:
        return client.fetch(
            t.endpoint, RECORDS[t.endpoint], params=t.params, fields=t.fields, cancel=flag
        )

    unavailable = {e for e in RECORDS if rights.fields_for(e) is None}
    if not with_names:
        unavailable.add("users")
    structure_left = {t.endpoint for t in first_wave}
    built: Project | None = None
    prepared = prepare is None
    placements_asked = not with_placements  # the blocks are asked for once afdelingen are in

    def build() -> Project:
        infos = results["schoolsinschoolyears"]
        if not infos:
            raise NotFound(what=f"project {project_id}", portal=client.portal.name)
        return Project(
            info=infos[0],
            branches=results["branchesofschools"],
            departments=results["departmentsofbranches"],
            choosables=results["choosableindepartments"],
            planned_groups=results["plannedgroups"],
            groups=results["groupindepartments"],
            placements=results["studentsindepartments"],
            missing_rights=list(rights.missing),
            unavailable=unavailable,
            portal=client.portal.name,
        )

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zdesk-load")
    pending: dict[Future, _Task] = {}
    blocks = 0  # blocks of afdelingsdeelnames asked for
    arrived: dict[int, list[Any]] = {}  # blocks in, waiting for an earlier block
    taken = 0  # blocks taken into the project, in the order asked
    asked: set[str] = set()  # student codes whose names are requested
    waiting: list[str] = []  # codes not yet in a names request
    done = 0

    def take(rows: list[Any]) -> None:
        """One block of afdelingsdeelnames into the project, and names asked for its students.

        Blocks are taken in the order they were asked, whatever order they arrive in: the same
        project gives the same names requests on every load (a portal or proxy can cache them)
        and a placement given twice is always resolved the same way.
        """
        nonlocal waiting, expected
        if built is not None:
            built.add_placements(rows)
        else:
            results["studentsindepartments"].extend(rows)
        if not with_names:
            return
        # Ask for the names of these students now, not after every block of afdelingen has
        # arrived: one round trip less on a slow connection.
        new = sorted({p.student_code for p in rows} - asked - {""})
        asked.update(new)
        waiting += new
        last = taken == blocks
        while len(waiting) >= CODES_PER_REQUEST or (last and waiting):
            chunk, waiting = waiting[:CODES_PER_REQUEST], waiting[CODES_PER_REQUEST:]
            ut = _Task("users", {"code": ",".join(chunk)}, tuple(users_fields))
            pending[pool.submit(fetch, ut)] = ut
            expected += 1
        if last:
            expected -= 1  # the one names request counted in advance

    try:
        for t in first_wave:
            pending[pool.submit(fetch, t)] = t
        while pending:
            finished, _ = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
            if flag.is_set():
                raise Cancelled()
            for future in finished:
                t = pending.pop(future)
                rows, size = future.result()
                done += 1
                stats.requests += 1
                stats.bytes += size
                stats.per_endpoint[t.endpoint] = stats.per_endpoint.get(t.endpoint, 0) + 1
                if t.endpoint == "studentsindepartments":
                    arrived[t.block] = rows
                    while taken in arrived:
                        taken += 1
                        take(arrived.pop(taken - 1))
                else:
                    results[t.endpoint].extend(rows)
                structure_left.discard(t.endpoint)
                if t.endpoint == "departmentsofbranches" and with_placements:
                    for params in _placement_params(project_id, rows):
                        pt = replace(task("studentsindepartments", params), block=blocks)
                        pending[pool.submit(fetch, pt)] = pt
                        blocks += 1
                    placements_asked = True
                    expected += blocks - 1
                running = tuple(dict.fromkeys(p.endpoint for p in pending.values()))
                report(
                    LoadProgress(t.endpoint, len(rows), size, done, max(expected, done), running)
                )
            if built is None and not structure_left:
                # The structure is complete: index it (and the blocks already in) while the
                # other answers are on their way.
                built = build()
            if not prepared and built is not None and placements_asked and taken == blocks:
                prepared = True
                prepare(built)  # type: ignore[misc]  # not None when not prepared
                if flag.is_set():
                    raise Cancelled()
    except BaseException:
        flag.internal.set()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if flag.is_set():  # cancelled as the last answer came in: still cancelled
        raise Cancelled()

    # Every read has answered: the structure was built and `prepare` ran in the last pass.
    project = built if built is not None else build()
    project.students = {str(s.code): s for s in results["users"]}
    stats.seconds = time.perf_counter() - started
    return project


def _placement_params(project_id: int, departments: list[Department]) -> list[dict[str, str]]:
    """One request for the whole project, or one per block of afdelingen when it is large."""
    if len(departments) <= SPLIT_ABOVE_DEPARTMENTS:
        return [{"schoolInSchoolYear": str(project_id)}]
    ids = sorted(d.id for d in departments)
    return [
        {"departmentOfBranch": ",".join(map(str, ids[i : i + DEPARTMENTS_PER_REQUEST]))}
        for i in range(0, len(ids), DEPARTMENTS_PER_REQUEST)
    ]
