"""The workbook's sheet "Formatie": the overview's matrix afdeling x vak, one row per cell.

One row per vak in an afdeling, then the afdeling's total (its students counted once, the sum over
its vakken in a column of its own, the students the doorstroom expects and the portal's prognose,
and its verdict in words); after all afdelingen the total per
vak and the grand total (every student once). The first column says which kind of row it is, so
a filter or a pivot table takes the cells alone. Numbers stay numbers; a row is highlighted like
the signalering that says the same, and the symbol and words of what is wrong are in a column of
their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zdesk.domain.checks import CheckRun
from zdesk.domain.findings import CheckOptions
from zdesk.domain.formatie import Cell, DepartmentRow, Formatie, build_formatie
from zdesk.domain.known import KnownKey, KnownMark
from zdesk.domain.model import Project
from zdesk.present.palette import flags_text

HEADERS = (
    "Soort",
    "Vestiging",
    "Afdeling",
    "Vak",
    "Leerlingen",
    "Groepen nodig",
    "Geplande groepen",
    "Gerealiseerde groepen",
    "Gemiddelde groepsgrootte",
    "Maximum per groep",
    "Telling",
    "Leerlingen opgeteld over vakken",
    "Verwacht",
    "Prognose",
    "Aandachtspunten",
)
CELL, DEPARTMENT_TOTAL, SUBJECT_TOTAL, TOTAL = "vak", "totaal afdeling", "totaal vak", "totaal"
BY_CHOICES = "pakketkeuzes"
EVERYONE = "alle leerlingen van de afdeling"
PER_CLASS = "per klas (stamklassen)"


def _numbers(cell: Cell) -> list[Any]:
    average = cell.average_size
    return [
        cell.students,
        cell.needed,
        cell.planned,
        cell.realised,
        None if average is None else round(average, 1),
    ]


def _attention(total: Cell) -> str:
    if not total.problems:
        return ""
    return f"{total.problems} vak{'ken' if total.problems != 1 else ''} vragen aandacht"


def department_verdict(row: DepartmentRow) -> str:
    """The afdeling's verdict in words, as the Overzicht says it, with what is marked bekend."""
    reasons = row.reasons
    text = "niet klaar: " + ", ".join(reasons) if reasons else "klaar"
    return text + (f"; {row.known} bekend" if row.known else "")


def _row(kind: str, branch: str, department: str, subject: str, cell: Cell, *rest: Any) -> list:
    return [kind, branch, department, subject, *_numbers(cell), *rest]


def _summed(total: Cell, students: int | None) -> list[Any]:
    """A total's row counts its students once (`students`); the sum over its vakken apart."""
    return [students, *_numbers(total)[1:]]


def formatie_sheet(
    project: Project,
    run: CheckRun,
    options: CheckOptions | None = None,
    known: Mapping[KnownKey, KnownMark] | None = None,
    formatie: Formatie | None = None,
):
    """Headers and (values, severity) rows, as the other sheets of `xlsx.py` give them.
    `formatie`: the overview already built of these (the front sheet's verdicts need it too)."""
    if formatie is None:
        formatie = build_formatie(project, options or run.options, run.findings, known)
    rows: list[tuple[list[Any], Any]] = []
    for r in formatie.rows:
        branch, dept = (r.branch.label if r.branch else ""), r.department.label
        limit = r.department.max_group_size or formatie.default_max_group_size
        counted = EVERYONE if r.without_choices else BY_CHOICES
        for subject in formatie.subjects:
            cell = r.cells.get(subject)
            if cell is not None:
                how = PER_CLASS if cell.per_class else counted
                values = _row(CELL, branch, dept, subject, cell, limit, how, None)
                rows.append(([*values, None, None, flags_text(cell.flags)], cell.severity))
        total = r.total
        rows.append(
            (
                [
                    DEPARTMENT_TOTAL,
                    branch,
                    dept,
                    "",
                    *_summed(total, r.students),
                    None,
                    counted,
                    total.students,
                    r.expected,
                    None if r.prognose is None else round(r.prognose, 1),
                    department_verdict(r),
                ],
                None,
            )
        )
    for subject in formatie.subjects:
        total = formatie.column_totals[subject]
        rows.append(
            (
                [
                    *_row(SUBJECT_TOTAL, "", "", subject, total, None, "", None, None, None),
                    _attention(total),
                ],
                None,
            )
        )
    total = formatie.total
    rows.append(
        (
            [
                TOTAL,
                "",
                "",
                "",
                *_summed(total, formatie.students),
                None,
                "",
                total.students,
                formatie.expected,
                None if formatie.prognose is None else round(formatie.prognose, 1),
                _attention(total),
            ],
            None,
        )
    )
    return HEADERS, rows
