"""The formatie in one look: per vestiging and afdeling, and the matrix afdeling x vak.

Each cell holds students, groups needed, geplande and gerealiseerde groepen and the average size of
the realised roostergroepen of one vak in one afdeling, with what is wrong with it (too few, too
many, not realised); rows and columns have totals. The numbers follow the rules in `pakket.py`, so
the overview, its export and the checks `planned-groups-too-few/-many` always agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import msgspec

from zdesk.domain.doorstroom import doorstroom_of
from zdesk.domain.findings import CheckOptions, Finding
from zdesk.domain.known import KnownKey, KnownMark, known_key
from zdesk.domain.locate import departments_of
from zdesk.domain.model import Branch, Department, Project
from zdesk.domain.pakket import Demand, pakket_of
from zdesk.domain.severity import Severity

# What can be wrong with a cell, as the view and the export name it (the symbols live there).
TOO_FEW = "te weinig"
TOO_MANY = "te veel"
UNREALISED = "niet gerealiseerd"
# As serious as the signalering that says the same (planned-groups-too-few/-too-many,
# planned-group-unrealised), so a highlighted cell and its signalering share a colour.
FLAG_SEVERITY = {
    TOO_FEW: Severity.WAARSCHUWING,
    TOO_MANY: Severity.INFO,
    UNREALISED: Severity.WAARSCHUWING,
}


class Cell(msgspec.Struct, frozen=True, gc=False):
    """One vak in one afdeling, or a total of several: numbers only, None where unknown."""

    students: int | None
    needed: int | None
    planned: int
    realised: int
    members: int = 0  # students in the realised roostergroepen, each group once
    groups: int = 0  # those roostergroepen
    choosables: tuple[int, ...] = ()
    problems: int = 0  # in a total: how many cells have something wrong
    per_class: bool = False  # its keuzevakken are taught per klas (counted by stamklassen)
    expected: bool = False  # counted by the students the doorstroom expects (none placed yet)

    @property
    def average_size(self) -> float | None:
        return self.members / self.groups if self.groups else None

    @property
    def too_few(self) -> bool:
        return self.needed is not None and self.planned < self.needed

    @property
    def too_many(self) -> bool:
        return self.needed is not None and self.planned > self.needed

    @property
    def unrealised(self) -> bool:
        return self.realised < self.planned

    @property
    def flags(self) -> tuple[str, ...]:
        """What is wrong, in the order the overview shows it; () when the cell is fine."""
        out = []
        if self.too_few:
            out.append(TOO_FEW)
        if self.too_many:
            out.append(TOO_MANY)
        if self.unrealised:
            out.append(UNREALISED)
        return tuple(out)

    @property
    def severity(self) -> Severity | None:
        """The most serious of its flags (None when the cell is fine)."""
        return min((FLAG_SEVERITY[f] for f in self.flags), key=lambda s: s.rank, default=None)

    def __add__(self, other: Cell) -> Cell:
        return Cell(
            _plus(self.students, other.students),
            _plus(self.needed, other.needed),
            self.planned + other.planned,
            self.realised + other.realised,
            self.members + other.members,
            self.groups + other.groups,
            self.choosables + other.choosables,
            self.problems + other.problems,
            self.per_class and other.per_class,
            self.expected and other.expected,
        )


def _plus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _cell(d: Demand, students_known: bool) -> Cell:
    return Cell(
        d.students if students_known else None,
        d.needed if students_known else None,
        d.planned,
        d.realised,
        sum(d.sizes) if students_known else 0,
        len(d.sizes) if students_known else 0,
        (d.choosable.id,),
        per_class=d.per_class,
        expected=d.expected,
    )


def _total(cells: Iterable[Cell], students_known: bool) -> Cell:
    students = needed = planned = realised = members = groups = problems = 0
    for c in cells:
        if students_known:
            students += c.students  # type: ignore[operator]
            needed += c.needed  # type: ignore[operator]
        planned += c.planned
        realised += c.realised
        members += c.members
        groups += c.groups
        problems += c.problems + (
            (c.needed is not None and c.planned != c.needed) or c.realised < c.planned
        )
    return Cell(
        students if students_known else None,
        needed if students_known else None,
        planned,
        realised,
        members,
        groups,
        (),
        problems,
    )


SEVERITIES = tuple(Severity)


def _severities() -> dict[Severity, int]:
    return dict.fromkeys(SEVERITIES, 0)


Found = dict[Severity, list[Finding]]


def _found() -> Found:
    return {s: [] for s in SEVERITIES}


def _notes(marked: list[Finding], known: Mapping[KnownKey, KnownMark]) -> list[str]:
    return [note for f in marked if (note := known[known_key(f)].note)]


# The check whose signalering says what a cell's flag says, and the object it is about.
FLAG_CHECKS = {
    TOO_FEW: "planned-groups-too-few",
    TOO_MANY: "planned-groups-too-many",
    UNREALISED: "planned-group-unrealised",
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass
class DepartmentRow:
    department: Department
    branch: Branch | None
    students: int | None  # distinct students placed in it; None without afdelingsdeelnames
    without_choices: bool  # no pakketkeuzes here: every student counts for every vak
    cells: dict[str, Cell]  # vak (subject code) -> cell
    total: Cell
    findings: dict[Severity, int] = field(default_factory=_severities)  # open ones only
    known: int = 0  # signaleringen marked bekend: handled, counted apart
    notes: list[str] = field(default_factory=list)  # the notes of those marks
    # Vakken whose every flag is a signalering marked bekend: handled, like the mark says.
    accepted: frozenset[str] = frozenset()
    found: Found = field(default_factory=_found)  # the open signaleringen behind the counts
    marked: list[Finding] = field(default_factory=list)  # those marked bekend
    # Students expected by the doorstroom (None without a previous project) and the portal's
    # prognose (None where it has none).
    expected: int | None = None
    prognose: float | None = None

    def open_cells(self, flag: str) -> int:
        """How many vakken have this flag and are not accepted as they are."""
        return sum(1 for s, c in self.cells.items() if flag in c.flags and s not in self.accepted)

    @property
    def ready(self) -> bool:
        """Nothing to settle before the handover: no open flagged vak, no open fout or
        waarschuwing (signaleringen marked bekend count as handled)."""
        return not self.reasons

    @cached_property  # a row is made whole and not changed: asked for every painted cell
    def reasons(self) -> list[str]:
        """Why it is not ready, in words ("3 fouten", "2 vakken te weinig groepen"); [] if ready."""
        out = []
        fouten, waarschuwingen = self.findings[Severity.FOUT], self.findings[Severity.WAARSCHUWING]
        if fouten:
            out.append(_plural(fouten, "fout", "fouten"))
        if waarschuwingen:
            out.append(_plural(waarschuwingen, "waarschuwing", "waarschuwingen"))
        for flag, words in (
            (TOO_FEW, "te weinig groepen"),
            (TOO_MANY, "te veel groepen"),
            (UNREALISED, "niet gerealiseerd"),
        ):
            n = self.open_cells(flag)
            if n:
                out.append(f"{_plural(n, 'vak', 'vakken')} {words}")
        return out


@dataclass
class BranchRow:
    branch: Branch | None
    departments: list[DepartmentRow]
    students: int | None  # distinct students over its afdelingen
    total: Cell
    findings: dict[Severity, int] = field(default_factory=_severities)  # open ones only
    known: int = 0  # signaleringen marked bekend, each once
    notes: list[str] = field(default_factory=list)
    found: Found = field(default_factory=_found)
    marked: list[Finding] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(r.ready for r in self.departments)

    @property
    def expected(self) -> int | None:
        return _sum_known(r.expected for r in self.departments)

    @property
    def prognose(self) -> float | None:
        return _sum_known(r.prognose for r in self.departments)

    @cached_property  # a row is made whole and not changed: asked for every painted cell
    def reasons(self) -> list[str]:
        """How many of its afdelingen are not ready ([] when all are)."""
        waiting = sum(1 for r in self.departments if not r.ready)
        return [f"{_plural(waiting, 'afdeling', 'afdelingen')} niet klaar"] if waiting else []


@dataclass
class Formatie:
    branches: list[BranchRow]
    rows: list[DepartmentRow]  # afdelingen, in the order of their vestigingen
    subjects: list[str]  # the matrix's columns
    column_totals: dict[str, Cell]
    total: Cell
    students: int | None
    students_known: bool  # afdelingsdeelnames were read
    choices_known: bool  # pakketkeuzes were read
    default_max_group_size: int

    def row_of(self, department_id: int) -> DepartmentRow | None:
        return next((r for r in self.rows if r.department.id == department_id), None)

    @property
    def expected(self) -> int | None:
        return _sum_known(r.expected for r in self.rows)

    @property
    def prognose(self) -> float | None:
        return _sum_known(r.prognose for r in self.rows)


def _sum_known(values: Iterable[Any]) -> Any:
    """The sum of the values that are known; None when none is."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


@dataclass(frozen=True)
class Matrix:
    """The matrix afdeling x vak of some afdelingen: their rows, the vakken they have, totals."""

    rows: list[DepartmentRow]
    subjects: list[str]
    column_totals: dict[str, Cell]
    total: Cell


def matrix_of(formatie: Formatie, departments: frozenset[int] | None = None) -> Matrix:
    """The whole matrix, or only these afdelingen with their own vakken and totals."""
    if departments is None:
        return Matrix(formatie.rows, formatie.subjects, formatie.column_totals, formatie.total)
    rows = [r for r in formatie.rows if r.department.id in departments]
    subjects = [s for s in formatie.subjects if any(s in r.cells for r in rows)]
    return _matrix(rows, subjects, formatie.students_known)


def _matrix(rows: list[DepartmentRow], subjects: list[str], students_known: bool) -> Matrix:
    """These rows and vakken with their totals per vak and in all."""
    column_totals = {
        s: _total([r.cells[s] for r in rows if s in r.cells], students_known) for s in subjects
    }
    total = _sum_totals(r.total for r in rows) if rows else _total((), students_known)
    return Matrix(rows, subjects, column_totals, total)


def build_formatie(
    project: Project,
    options: CheckOptions | None = None,
    findings: Iterable[Finding] = (),
    known: Mapping[KnownKey, KnownMark] | None = None,
) -> Formatie:
    """The overview of a project; `findings` (a check run's) are counted per afdeling, those
    marked bekend in `known` apart (they do not keep an afdeling from being ready)."""
    options = options or CheckOptions()
    known = known or {}
    findings = list(findings)
    handled = [f for f in findings if known_key(f) in known] if known else []
    if handled:
        findings = [f for f in findings if known_key(f) not in known]
    pakket = pakket_of(project)
    students_known = project.has_placements
    demand = pakket.demand(options.default_max_group_size)

    cells_of: dict[int, dict[str, Cell]] = {}
    for d in demand.values():
        c = d.choosable
        cells = cells_of.setdefault(c.department_of_branch, {})  # type: ignore[arg-type]
        cell = _cell(d, students_known)
        subject = c.label
        # Two keuzevakken with one code in one afdeling share a cell.
        cells[subject] = cells[subject] + cell if subject in cells else cell

    branch_order = {b.id: i for i, b in enumerate(project.branches)}
    departments = sorted(
        (d for d in project.departments if d.id not in pakket.pseudo_departments),
        key=lambda d: (
            branch_order.get(d.branch_of_school, len(branch_order)),  # type: ignore[arg-type]
            d.year_of_education or 0,
            d.code or "",
            d.id,
        ),
    )

    # Per afdeling every finding that concerns it; per vestiging each finding once, even when
    # it concerns two of its afdelingen (a student placed in both). Kept as lists, so a count
    # opens exactly the signaleringen behind it.
    branch_of = {d.id: d.branch_of_school for d in departments}
    per_dept: defaultdict[int | None, Found] = defaultdict(_found)
    per_branch: defaultdict[int | None, Found] = defaultdict(_found)
    known_dept: defaultdict[int | None, list[Finding]] = defaultdict(list)
    known_branch: defaultdict[int | None, list[Finding]] = defaultdict(list)
    # Grouped per object first: a student often has several findings.
    grouped: dict[tuple[str, Any], list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[f.object_type, f.object_id].append(f)
    for f in handled:
        grouped[f.object_type, f.object_id].append(f)
    for (kind, object_id), its in grouped.items():
        ids = [d.id for d in departments_of(project, kind, object_id) if d.id in branch_of]
        for where, places in ((per_dept, ids), (per_branch, {branch_of[d] for d in ids})):
            marked = known_dept if where is per_dept else known_branch
            for place in places:
                found = where[place]
                for f in its:
                    if known and known_key(f) in known:
                        marked[place].append(f)
                    else:
                        found[f.severity].append(f)
    of_dept = project.students_of_department
    flow = doorstroom_of(project)
    expected = flow.expected if flow is not None else None
    rows: list[DepartmentRow] = []
    for d in departments:
        cells = cells_of.get(d.id, {})
        found = per_dept.get(d.id) or _found()
        marked = known_dept.get(d.id, [])
        rows.append(
            DepartmentRow(
                d,
                project.branch_of(d),
                len(of_dept.get(d.id, ())) if students_known else None,
                pakket.counts_everyone(d.id),
                cells,
                _total(cells.values(), students_known),
                {s: len(fs) for s, fs in found.items()},
                len(marked),
                _notes(marked, known),
                _accepted(project, cells, known) if known else frozenset(),
                found,
                marked,
                None if expected is None else expected.get(d.id),
                d.prognostic_student_count,
            )
        )

    subjects = sorted({s for r in rows for s in r.cells}, key=lambda s: (s.casefold(), s))
    matrix = _matrix(rows, subjects, students_known)

    branches: list[BranchRow] = []
    for key in dict.fromkeys(d.branch_of_school for d in departments):
        its = [r for r in rows if r.department.branch_of_school == key]
        codes: set[str] = set()
        for r in its:
            codes.update(of_dept.get(r.department.id, ()))
        found = per_branch.get(key) or _found()
        marked = known_branch.get(key, [])
        branches.append(
            BranchRow(
                its[0].branch,
                its,
                len(codes) if students_known else None,
                _sum_totals(r.total for r in its),
                {s: len(fs) for s, fs in found.items()},
                len(marked),
                _notes(marked, known),
                found,
                marked,
            )
        )
    everyone: set[str] = set()
    for r in rows:
        everyone.update(of_dept.get(r.department.id, ()))
    return Formatie(
        branches,
        rows,
        subjects,
        matrix.column_totals,
        matrix.total,
        len(everyone) if students_known else None,
        students_known,
        pakket.known,
        options.default_max_group_size,
    )


def _accepted(
    project: Project, cells: dict[str, Cell], known: Mapping[KnownKey, KnownMark]
) -> frozenset[str]:
    """The flagged vakken whose every flag is said by a signalering marked bekend."""
    out = set()
    for subject, cell in cells.items():
        if not cell.flags:
            continue
        keys: list[KnownKey] = []
        for flag in cell.flags:
            if flag == UNREALISED:
                keys.extend(
                    (FLAG_CHECKS[flag], "planned_group", pg.id)
                    for cid in cell.choosables
                    for pg in project.planned_of_choosable.get(cid, ())
                    if pg.group_in_department not in project.group_by_id
                )
            else:  # said of each of its keuzevakken that has it (one, nearly always)
                keys.append((FLAG_CHECKS[flag], "choosable", cell.choosables[0]))
        if all(k in known for k in keys):
            out.add(subject)
    return frozenset(out)


def _sum_totals(totals: Iterable[Cell]) -> Cell:
    it = iter(totals)
    first = next(it)
    for t in it:
        first = first + t
    return first
