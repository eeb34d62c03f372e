"""The doorstroom as a matrix: last year's afdelingen against this year's, and its students.

One matrix for the app's Doorstroom tab and the workbook's sheet, so both show the same numbers
under the same headers. A row is an afdeling of last year, a column an afdeling of this year that
receives anyone from the rows shown, then "nog niet geplaatst", "examenjaar" and "vertrokken";
each cell holds the codes of its students. A student placed in two afdelingen this year is in
both cells; a total counts each student once, so the cells of a row may add up to more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from zdesk.collation import dutch_key
from zdesk.domain.doorstroom import EXAM, LEFT, NOT_PLACED, Doorstroom, branch_keys
from zdesk.domain.locate import department_label
from zdesk.domain.model import PREVIOUS, Department, Project, StudentPlacement

SPECIAL = (NOT_PLACED, EXAM, LEFT)
_first = itemgetter(0)
TOTAL = "Totaal"
ROW_HEADER = "Afdeling vorig jaar"  # the matrix's first column in the workbook


def no_previous_sentence(project: Project) -> str:
    """Why there is no doorstroom, in a calm Dutch sentence."""
    why = (project.unavailable_because.get(PREVIOUS) or "").strip().rstrip(".")
    text = "Er is geen doorstroom te tonen: zdesk heeft geen project van het vorige schooljaar"
    return f"{text} ({why})." if why else f"{text}."


class MatrixColumn(NamedTuple):  # a NamedTuple: a large school's matrix makes hundreds
    header: str
    department: Department | None = None  # this year's afdeling; None for the others
    kind: str = ""  # "" for an afdeling; else one of SPECIAL, or TOTAL

    @property
    def warns(self) -> bool:
        """Its non-empty cells are a waarschuwing (students not yet placed)."""
        return self.kind == NOT_PLACED


@dataclass
class DoorstroomMatrix:
    """Rows and columns with their totals last; `cells[row][column]` the codes of its students."""

    row_labels: list[str]  # the last one is TOTAL
    rows: list[Department | None]  # last year's afdeling per row; None for the total
    columns: list[MatrixColumn]  # the last one is TOTAL
    cells: list[list[tuple[str, ...]]]

    def count(self, row: int, column: int) -> int:
        return len(self.cells[row][column])

    def counts(self) -> list[list[int]]:
        """The number of students per cell (made once: the app asks for it on the GUI thread,
        after the load made it in its worker)."""
        made = self.__dict__.get("_counts")
        if made is None:
            made = self.__dict__["_counts"] = [[len(c) for c in row] for row in self.cells]
        return made

    def widest(self) -> list[int]:
        """Per column its largest count (how wide it must be shown)."""
        made = self.__dict__.get("_widest")
        if made is None:
            columns = zip(*self.counts(), strict=True)  # every row has every column
            made = self.__dict__["_widest"] = [max(column) for column in columns]
        return made

    def not_placed(self) -> tuple[str, ...]:
        """The students not yet placed, as their total cell lists them (by last year's afdeling,
        in the order of the rows): what the tab lists first and the sheet lists below the
        matrix, in the same order as a click on that cell."""
        return self.cells[-1][self.not_placed_column()]

    def not_placed_column(self) -> int:
        """The column of the students not yet placed (the one that warns)."""
        return next(i for i, c in enumerate(self.columns) if c.warns)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def describe(self, row: int, column: int) -> str:
        """What a cell counts, in words: "h3 → h4", "h3: nog niet geplaatst"."""
        where = self.row_labels[row]
        col = self.columns[column]
        if row == len(self.rows) - 1:
            where = "alle afdelingen van vorig jaar"
        if col.kind == TOTAL:
            return f"{where}: totaal"
        if col.kind:
            return f"{where}: {col.header}"
        return f"{where} → {col.header}"


def _order(project: Project) -> Callable[[Department], tuple]:
    branches = {b.id: dutch_key(b.label) for b in project.branches}  # each vestiging's key once

    def key(d: Department) -> tuple:
        return (
            branches.get(d.branch_of_school, ""),  # type: ignore[arg-type]
            d.is_pseudo,
            d.year_of_education if d.year_of_education is not None else 99,
            dutch_key(d.label),
        )

    return key


def _rows_in_scope(project: Project, ds: Doorstroom, departments: frozenset[int]) -> set[int]:
    """Last year's afdelingen that belong with this year's `departments`: those sending anyone
    into them, the same afdeling (code and vestiging) last year, and every afdeling of a
    vestiging when all of that vestiging's afdelingen this year are chosen."""
    previous = ds.previous
    chosen = [project.department_by_id[d] for d in departments if d in project.department_by_id]
    this_key, last_key = branch_keys(project), branch_keys(previous)
    same = {(this_key[d.branch_of_school], d.code) for d in chosen}
    of_branch = project.departments_of_branch
    whole = {
        this_key[d.branch_of_school]
        for d in chosen
        if all(x.id in departments for x in of_branch.get(d.branch_of_school, ()))  # type: ignore[arg-type]
    }
    out = {last for last, row in ds.flows.items() if not departments.isdisjoint(row)}
    for d in previous.departments:
        key = last_key[d.branch_of_school]
        if (key, d.code) in same or key in whole:
            out.add(d.id)
    return out


def doorstroom_matrix(
    project: Project, ds: Doorstroom, departments: frozenset[int] | None = None
) -> DoorstroomMatrix:
    """The matrix, narrowed to this year's `departments` (None: the whole school)."""
    previous = ds.previous
    sending = set(ds.flows)
    for by_department in ds.unplaced.values():
        sending |= {d for d, codes in by_department.items() if codes}
    if departments is not None:
        sending &= _rows_in_scope(project, ds, departments)
    rows = sorted(
        (previous.department_by_id[d] for d in sending if d in previous.department_by_id),
        key=_order(previous),
    )
    receiving = {t for r in rows for t in ds.flows.get(r.id, ())}
    if departments is not None:
        receiving &= departments
    targets = sorted(
        (project.department_by_id[t] for t in receiving if t in project.department_by_id),
        key=_order(project),
    )
    columns = [MatrixColumn(department_label(project, t), t) for t in targets]
    columns += [MatrixColumn(kind, None, kind) for kind in SPECIAL]
    # Only the cells that hold anyone are visited: a large school's matrix is mostly empty.
    where = {t.id: i for i, t in enumerate(targets)}
    width = len(columns)
    per_column: list[list[list[str]]] = [[] for _ in range(width)]
    cells: list[list[tuple[str, ...]]] = []
    for r in rows:
        line: list[tuple[str, ...]] = [()] * width
        filled = [
            (i, codes)
            for t, codes in ds.flows.get(r.id, {}).items()
            if codes and (i := where.get(t)) is not None
        ]
        filled += [
            (len(targets) + k, codes)
            for k, kind in enumerate(SPECIAL)
            if (codes := ds.unplaced.get(kind, {}).get(r.id))
        ]
        filled.sort(key=_first)  # the row's codes in the order of its columns
        for i, codes in filled:
            line[i] = tuple(codes)
            per_column[i].append(codes)
        cells.append([*line, _once([codes for _, codes in filled])])
    total_row = [_once(lists) for lists in per_column]
    cells.append([*total_row, _once(total_row)])
    return DoorstroomMatrix(
        [department_label(previous, r) for r in rows] + [TOTAL],
        [*rows, None],
        [*columns, MatrixColumn(TOTAL, None, TOTAL)],
        cells,
    )


def _once(cells: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Every code of these cells once, in the order first met."""
    if len(cells) == 1:  # one cell (a row or column with students in one place): as it is
        return tuple(cells[0])
    return tuple(dict.fromkeys(chain.from_iterable(cells)))


class DoorstroomStudent(NamedTuple):
    """A student of the doorstroom: where they were last year and are this year."""

    code: str
    name: str  # this year's name where the project has names; else ""
    last: str  # last year's afdeling(en)
    last_branch: str  # last year's vestiging(en)
    now: str  # this year's afdeling(en)
    main_group: str  # this year's stamklas(sen)
    groups: str  # this year's roostergroepen


def _placed_in(project: Project, placement: StudentPlacement) -> str:
    """This year's afdeling of a placement, or why there is none to name."""
    d = project.department_of(placement)
    if d is not None:
        return department_label(project, d)
    known = placement.department_of_branch
    return "zonder afdeling" if known is None else f"onbekende afdeling ({known})"


def _joined(values: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(v for v in values if v))


def doorstroom_students(
    project: Project, ds: Doorstroom, codes: Iterable[str]
) -> list[DoorstroomStudent]:
    """The students of these codes, in the order given."""
    previous = ds.previous
    named = project.has_names
    out = []
    for code in codes:
        before = previous.placements_of_student.get(code, ())
        last = [d for p in before if (d := previous.department_of(p)) is not None]
        now = project.placements_of_student.get(code, ())
        groups = [g for p in now for g in project.groups_of_placement(p)]
        out.append(
            DoorstroomStudent(
                code,
                project.student_name(code) if named else "",
                _joined(d.label for d in last),
                _joined(b.label for d in last if (b := previous.branch_of(d)) is not None),
                _joined(_placed_in(project, p) for p in now),
                _joined(g.label for g in groups if g.is_main_group),
                _joined(g.label for g in groups),
            )
        )
    return out
