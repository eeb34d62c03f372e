"""The Doorstroom tab's page: the matrix last year x this year above, the students of a cell below.

A click, Enter or a double-click on a count lists its students below the matrix (the tab's own
table, searched like the other tabs); the list first shows every student not yet placed. The
tree's selection narrows the matrix (`narrow`). Without a previous project the page says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zdesk.ui.models.doorstroom import DoorstroomModel
from zdesk.ui.views import table_mime

if TYPE_CHECKING:
    from zdesk.domain.doorstroom import Doorstroom
    from zdesk.domain.model import Project
    from zdesk.present.doorstroom import DoorstroomMatrix
    from zdesk.ui.models.doorstroom import DoorstroomView
    from zdesk.ui.models.table import RecordTableModel, TableData


class MatrixView(QTableView):
    """The matrix cell by cell; Ctrl+C copies the selected cells with their headers."""

    def __init__(self, model: DoorstroomModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(22)
        self.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )

    def model(self) -> DoorstroomModel:  # type: ignore[override]
        return super().model()  # type: ignore[return-value]

    def selection_as_mime(self) -> QMimeData | None:
        """The selected cells' rectangle as tab-separated text (and HTML), headers included."""
        indexes = self.selectionModel().selectedIndexes() or (
            [self.currentIndex()] if self.currentIndex().isValid() else []
        )
        if not indexes:
            return None
        model = self.model()
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        header = ["", *(model.headerData(c, Qt.Orientation.Horizontal) for c in columns)]
        texts = model.texts(rows, columns)
        body = [
            [model.headerData(r, Qt.Orientation.Vertical), *line]
            for r, line in zip(rows, texts, strict=True)
        ]
        return table_mime(header, body)

    def keyPressEvent(self, event: Any) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            mime = self.selection_as_mime()
            if mime is not None:
                QGuiApplication.clipboard().setMimeData(mime)
            event.accept()
            return
        super().keyPressEvent(event)


class DoorstroomPage(QWidget):
    def __init__(
        self, students: RecordTableModel, list_view: QTableView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.students = students
        self.list_view = list_view
        self.matrix_model = DoorstroomModel(self)
        self.matrix = MatrixView(self.matrix_model)
        self.project: Project | None = None
        self.doorstroom: Doorstroom | None = None
        self.by_object: Any = {}
        self.departments: frozenset[int] | None = None
        self.whole: DoorstroomMatrix | None = None  # the whole school's matrix of this load
        # The cell listed below, by what it is (it stays chosen while the matrix narrows).
        self.chosen: tuple[Any, str] | None = None
        # A load's matrix not yet put in the view (`show_doorstroom`): the list it shows first.
        self._pending: TableData | None = None
        # A timer, not QTimer.singleShot(0): that one is a posted event, handled before the
        # window's own timers and input get their turn.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self._show_matrix)
        for signal in (self.matrix.activated, self.matrix.clicked):
            signal.connect(self.choose)

        self.why = QLabel()  # without a previous project: why, instead of an empty matrix
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.why.setMargin(12)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setBuddy(list_view)

        above = QWidget()
        column = QVBoxLayout(above)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.note)
        column.addWidget(self.matrix, 1)
        below = QWidget()
        column = QVBoxLayout(below)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.caption)
        column.addWidget(list_view, 1)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(above)
        self.split.addWidget(below)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.why)
        layout.addWidget(self.split, 1)
        self.why.hide()

    # ---- showing a load -------------------------------------------------------------------------

    def show_doorstroom(self, project: Project, shown: DoorstroomView, by_object: Any) -> None:
        self.project, self.doorstroom, self.by_object = project, shown.doorstroom, by_object
        self.whole = shown.matrix
        available = shown.doorstroom is not None
        self.why.setVisible(not available)
        self.split.setVisible(available)
        self.why.setText(shown.why)
        self.students.set_data(shown.students)
        if shown.matrix is None or shown.doorstroom is None:
            self._pending = None
            self.matrix_model.set_matrix(None)
            self.note.clear()
            self.caption.clear()
            return
        previous = shown.doorstroom.previous.info.label
        self.note.setText(
            self.tr(
                "Rijen: de afdelingen van vorig jaar (%s); kolommen: de afdelingen van dit jaar. "
                "Een aantal aanklikken of Enter toont de leerlingen eronder."
            )
            % previous
        )
        self._pending = shown.students
        if self.window().isVisible() and not self.isVisible():
            # Another tab is on screen: the matrix (a few hundred rows and columns on a large
            # school) goes in right after the window has painted the load, or when this tab is
            # opened first, not in the same pass as the rest of the load.
            self._later.start()
        else:
            self._show_matrix()

    def _show_matrix(self) -> None:
        """Put the load's matrix in the view, if not done yet."""
        students, self._pending = self._pending, None
        if students is None or self.whole is None:
            return
        if self.departments is not None:
            self._narrowed()
            return
        bars = (self.matrix.horizontalScrollBar(), self.matrix.verticalScrollBar())
        scrolled = [bar.value() for bar in bars]
        self.matrix_model.set_matrix(self.whole)
        self._fit_columns()
        # F5 keeps the cell that was chosen, where it still is, and the matrix where it was.
        if self._choose_again(scroll=False):
            self.matrix.updateGeometries()  # the scroll ranges of the new matrix, now
            for bar, value in zip(bars, scrolled, strict=True):
                bar.setValue(value)
        else:
            self._choose_not_placed(students)

    def showEvent(self, event: Any) -> None:
        self._show_matrix()  # opened before the window had a moment: now, before it paints
        super().showEvent(event)

    def _choose_not_placed(self, students: Any = None) -> None:
        """The list's first content: every student not yet placed (the total of its column)."""
        matrix = self.matrix_model.matrix
        if matrix is None:
            return
        # Chosen without scrolling to it: the matrix is read from its first row and column.
        index = self.matrix_model.index(len(matrix.rows) - 1, matrix.not_placed_column())
        self.choose(index, students, scroll=False)
        self.matrix.scrollToTop()
        self.matrix.horizontalScrollBar().setValue(0)

    def _key(self, row: int, column: int) -> tuple[Any, str]:
        matrix = self.matrix_model.matrix
        assert matrix is not None
        department = matrix.rows[row]
        col = matrix.columns[column]
        return (department.id if department else None, col.kind or str(col.department.id))  # type: ignore[union-attr]

    def choose(self, index: Any, students: Any = None, scroll: bool = True) -> None:
        """List the students of this cell below the matrix (scrolled to it unless `scroll` is
        False)."""
        from zdesk.ui.models.doorstroom import doorstroom_table

        matrix = self.matrix_model.matrix
        if matrix is None or self.project is None or not index.isValid():
            return
        r, c = index.row(), index.column()
        codes = matrix.cells[r][c]
        self.chosen = self._key(r, c)
        if self.matrix.currentIndex() != index:
            self.matrix.setAutoScroll(scroll)  # a view scrolls to a new current cell if set
            try:
                self.matrix.setCurrentIndex(index)
            finally:
                self.matrix.setAutoScroll(True)
        if students is None:
            students = doorstroom_table(self.project, self.doorstroom, codes, self.by_object)
        self.students.set_data(students)
        count = len(codes)
        self.caption.setText(
            self.tr("Leerlingen: %s (%s)")
            % (matrix.describe(r, c), "1 leerling" if count == 1 else f"{count} leerlingen")
        )

    # ---- narrowing ------------------------------------------------------------------------------

    def narrow(self, departments: frozenset[int] | None) -> None:
        """Only the rows and columns of this year's `departments` (None: the whole school)."""
        unchanged = departments == self.departments and self.matrix_model.matrix is not None
        self.departments = departments
        if self.doorstroom is not None and not unchanged:
            self._narrowed()

    def _narrowed(self) -> None:
        from zdesk.present.doorstroom import doorstroom_matrix

        assert self.project is not None and self.doorstroom is not None
        self._pending = None  # the load's matrix, narrowed: shown now
        if self.departments is None and self.whole is not None:
            matrix = self.whole  # the whole school's, made in the load's worker
        else:
            matrix = doorstroom_matrix(self.project, self.doorstroom, self.departments)
        self.matrix_model.set_matrix(matrix)
        self._fit_columns()
        if not self._choose_again():
            self._choose_not_placed()

    def _choose_again(self, scroll: bool = True) -> bool:
        """Choose the cell chosen before, by its row's and column's afdeling (scrolled to it
        unless `scroll` is False); False when it is not in the matrix now (or none was chosen)."""
        matrix, chosen = self.matrix_model.matrix, self.chosen
        if matrix is None or chosen is None:
            return False
        row_of = {(d.id if d else None): r for r, d in enumerate(matrix.rows)}
        r = row_of.get(chosen[0])
        c = next((c for c in range(len(matrix.columns)) if self._key(0, c)[1] == chosen[1]), None)
        if r is None or c is None:
            return False
        self.choose(self.matrix_model.index(r, c), scroll=scroll)
        return True

    def _fit_columns(self) -> None:
        """Each column as wide as its header and its largest count, from the font alone: asking
        every cell for its size (resizeColumnsToContents) costs seconds on a large school's
        matrix of a few hundred afdelingen each way."""
        matrix = self.matrix_model.matrix
        if matrix is None:
            return
        header = self.matrix.horizontalHeader()
        bold = QFont(self.matrix.font())
        bold.setBold(True)
        cell = QFontMetrics(bold)  # totals and the special columns are bold: the widest
        heading = header.fontMetrics()
        pad = 2 * self.matrix.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 12
        widest = matrix.widest()
        for c, column in enumerate(matrix.columns):
            largest = widest[c] if c < len(widest) else 0
            width = max(
                max(
                    (heading.horizontalAdvance(line) for line in column.header.split("\n")),
                    default=0,
                ),
                cell.horizontalAdvance(str(largest)),
            )
            header.resizeSection(c, width + pad)
