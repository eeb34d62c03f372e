"""The Doorstroom tab's models: the matrix last year x this year, and the students of a cell.

The matrix is a `present.doorstroom.DoorstroomMatrix` (plain lists, made once per load or scope);
this model only chooses words and colours. A count of students not yet placed is a waarschuwing:
its colour goes with a symbol and a tooltip (never colour alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from zdesk.domain.severity import Severity
from zdesk.present.palette import STYLES
from zdesk.ui.models.style import (
    ALIGNMENT,
    BACKGROUND,
    DISPLAY,
    HORIZONTAL,
    RIGHT_ALIGNED,
    TOOLTIP,
    ObjectRole,
    SeverityRole,
    SortRole,
    background,
)
from zdesk.ui.models.table import Index, TableData, app_columns, prepare

if TYPE_CHECKING:
    from zdesk.domain.checks import Finding
    from zdesk.domain.doorstroom import Doorstroom
    from zdesk.domain.model import Project
    from zdesk.present.doorstroom import DoorstroomMatrix

VERTICAL = Qt.Orientation.Vertical
WARNING = STYLES[Severity.WAARSCHUWING]


class DoorstroomModel(QAbstractTableModel):
    """Rows: last year's afdelingen and the total; columns: this year's, the three kinds of
    leaving and the total. A cell's ObjectRole is the codes of its students."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matrix: DoorstroomMatrix | None = None
        self._counts: list[list[int]] = []

    def set_matrix(self, matrix: DoorstroomMatrix | None) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self._counts = matrix.counts() if matrix is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._counts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.matrix is None:
            return 0
        return len(self.matrix.columns)

    def headerData(self, section: int, orientation: Any, role: int = DISPLAY) -> Any:
        matrix = self.matrix
        if matrix is None or role not in (DISPLAY, TOOLTIP):
            return None
        if orientation == HORIZONTAL:
            if not 0 <= section < len(matrix.columns):
                return None
            column = matrix.columns[section]
            if role == DISPLAY:
                return column.header
            if column.department is not None:
                return f"Dit jaar in {column.header}"
            return _COLUMN_HINTS.get(column.kind, column.header)
        if not 0 <= section < len(matrix.row_labels):
            return None
        label = matrix.row_labels[section]
        if role == DISPLAY or section == len(matrix.rows) - 1:
            return label
        return f"Vorig jaar in {label}"

    def warns(self, row: int, column: int) -> bool:
        matrix = self.matrix
        return matrix is not None and matrix.columns[column].warns and self._counts[row][column] > 0

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or self.matrix is None:
            return None
        r, c = index.row(), index.column()
        if r >= len(self._counts) or c >= len(self.matrix.columns):
            return None
        count = self._counts[r][c]
        if role == DISPLAY:
            return str(count) if count else None
        if role == ALIGNMENT:
            return RIGHT_ALIGNED
        if role == SortRole:
            return count
        if role == ObjectRole:
            return self.matrix.cells[r][c]
        warns = self.warns(r, c)
        if role == SeverityRole:
            return Severity.WAARSCHUWING if warns else None
        if role == BACKGROUND:
            return background(Severity.WAARSCHUWING) if warns else None
        if role == TOOLTIP:
            what = self.matrix.describe(r, c)
            said = f"{what}: {_students(count)}"
            if warns:
                said = f"{WARNING.symbol} {WARNING.label}: {said}"
            return said + ("\nEnter of klik: toon deze leerlingen" if count else "")
        return None

    def texts(self, rows: Sequence[int], columns: Sequence[int]) -> list[list[str]]:
        """The shown text of these cells (for copying): counts, "" for an empty cell."""
        counts = self._counts
        return [[str(counts[r][c]) if counts[r][c] else "" for c in columns] for r in rows]


_COLUMN_HINTS = {
    "nog niet geplaatst": "Vorig jaar geplaatst, dit jaar nog niet, en niet in het examenjaar: "
    "een waarschuwing",
    "examenjaar": "Vorig jaar in het examenjaar, dit jaar niet geplaatst: geslaagd of vertrokken",
    "vertrokken": "Dit jaar niet geplaatst, en vorig jaar al in een afdeling als #uit (of een "
    "afdeling zonder bekend leerjaar of opleiding)",
    "Totaal": "Elke leerling één keer, ook wie in twee afdelingen staat",
}


def _students(count: int) -> str:
    return "1 leerling" if count == 1 else f"{count} leerlingen"


def doorstroom_table(
    project: Project,
    ds: Doorstroom | None,
    codes: Iterable[str],
    by_object: Mapping[tuple[str, Any], Sequence[Finding]],
) -> TableData:
    """The students of a cell, as the list below the matrix shows them."""
    from zdesk.present.columns import doorstroom_columns, found_in
    from zdesk.present.doorstroom import doorstroom_students

    columns = app_columns(doorstroom_columns(project, found_in(by_object), project.has_names))
    rows = doorstroom_students(project, ds, codes) if ds is not None else []
    return prepare(columns, rows, findings=[by_object.get(("student", s.code), ()) for s in rows])


@dataclass
class DoorstroomView:
    """What the tab shows of a load, prepared off the main thread."""

    doorstroom: Doorstroom | None
    matrix: DoorstroomMatrix | None
    students: TableData  # the list shown first: every student not yet placed
    why: str  # without a previous project: why, in a sentence


def whole_matrix(project: Project) -> tuple[Doorstroom, DoorstroomMatrix] | None:
    """The matrix of the whole school with its column widths counted, and the doorstroom it is
    of (None without one); a load makes it before the pakketkeuzes are in (it needs none)."""
    from zdesk.domain.doorstroom import doorstroom_of
    from zdesk.present.doorstroom import doorstroom_matrix

    ds = doorstroom_of(project)
    if ds is None:
        return None
    matrix = doorstroom_matrix(project, ds)
    matrix.widest()  # counted here, in the load's worker, not when the window shows it
    return ds, matrix


def prepare_doorstroom(
    project: Project,
    by_object: Mapping[tuple[str, Any], Sequence[Finding]],
    made: tuple[Doorstroom, DoorstroomMatrix] | None = None,
) -> DoorstroomView:
    """`made`: the `whole_matrix` made earlier in the load, taken when it is of the doorstroom
    the project has now."""
    from zdesk.domain.doorstroom import doorstroom_of
    from zdesk.present.doorstroom import no_previous_sentence

    ds = doorstroom_of(project)
    if ds is None:
        why = no_previous_sentence(project)
        return DoorstroomView(None, None, doorstroom_table(project, None, (), by_object), why)
    if made is None or made[0] is not ds:
        made = whole_matrix(project)
    assert made is not None
    matrix = made[1]
    students = doorstroom_table(project, ds, matrix.not_placed(), by_object)
    return DoorstroomView(ds, matrix, students, "")
