"""The workbook's sheet "Doorstroom": the app's matrix last year x this year, then the students
not yet placed.

The matrix has the headers and numbers of the app's Doorstroom tab (`present/doorstroom.py`), its
totals last; an empty cell is no student. A count of students not yet placed is highlighted as a
waarschuwing, and each of them is listed below it with last year's afdeling and vestiging (no
names: they are not in this year's project). Without a previous project: one line saying why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from zdesk.domain.doorstroom import doorstroom_of
from zdesk.domain.findings import Finding
from zdesk.domain.model import Project
from zdesk.domain.severity import Severity
from zdesk.present.columns import doorstroom_columns, found_in
from zdesk.present.doorstroom import (
    ROW_HEADER,
    doorstroom_matrix,
    doorstroom_students,
    no_previous_sentence,
)

NOT_PLACED_TITLE = "Nog niet geplaatst"


def doorstroom_sheet(
    project: Project, by_object: Mapping[tuple[str, Any], Sequence[Finding]]
) -> tuple[list[str], list[tuple[list[Any], Any]]]:
    """Headers and (values, severity) rows as the other sheets give them; a row's severity may
    be per column ({column: severity}), for the cells of students not yet placed."""
    ds = doorstroom_of(project)
    if ds is None:
        return ["Doorstroom"], [([no_previous_sentence(project)], None)]
    matrix = doorstroom_matrix(project, ds)
    warns = [c for c, column in enumerate(matrix.columns, start=1) if column.warns]
    rows: list[tuple[list[Any], Any]] = []
    for label, counts in zip(matrix.row_labels, matrix.counts(), strict=True):
        flagged = {c: Severity.WAARSCHUWING for c in warns if counts[c - 1]}
        rows.append(([label, *(n or None for n in counts)], flagged or None))
    table = doorstroom_columns(project, found_in(by_object), with_names=False)
    students = doorstroom_students(project, ds, matrix.not_placed())  # as the tab lists them
    rows.append(([], None))
    rows.append(([NOT_PLACED_TITLE, len(students)], None))
    rows.append(([c.in_sheet for c in table.for_sheet()], None))
    values = table.sheet_row()
    rows += [(values(s), Severity.WAARSCHUWING) for s in students]
    return [ROW_HEADER, *matrix.headers], rows
