"""The Overzicht tab's page: per vestiging and afdeling above, the matrix afdeling x vak below.

Enter, a double-click or a click on a cell chooses what is behind it (`target_chosen`): the
afdeling or the keuzevak in the tree, or the signaleringen of that severity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zdesk.ui.models.overview import (
    ALL_SHOWN,
    AVERAGE_SHOWN,
    GROUPS_SHOWN,
    SHOWS,
    STUDENTS_SHOWN,
    MatrixModel,
    Target,
    legend,
    summary_target,
)
from zdesk.ui.models.style import ObjectRole
from zdesk.ui.views import make_table

if TYPE_CHECKING:
    from zdesk.domain.formatie import Formatie
    from zdesk.domain.model import Project
    from zdesk.ui.models.table import RecordTableModel


# The widest text a cell of each kind shows (measured, never taken from the data; the domain
# is not imported before a load).
SAMPLES = {
    STUDENTS_SHOWN: "9999",
    GROUPS_SHOWN: "99/99/99",
    AVERAGE_SHOWN: "99,9",
    ALL_SHOWN: "999 · 99/99/99 · ⌀99,9",
}


class OverviewPage(QSplitter):
    target_chosen = Signal(object)  # the Target of a cell (None: nothing behind it)

    def __init__(
        self, summary_model: RecordTableModel, summary: QTableView, parent: QWidget | None = None
    ) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.summary_model = summary_model
        self.matrix_model = MatrixModel(self)
        self.matrix = make_table(self.matrix_model)
        self.matrix.setSortingEnabled(False)
        # Cell by cell with the arrow keys: each cell is a vak of an afdeling.
        self.matrix.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.matrix.horizontalHeader().setStretchLastSection(False)
        self.matrix_note = QLabel()
        self.matrix_note.setWordWrap(True)
        self.matrix_note.setTextFormat(Qt.TextFormat.PlainText)
        # What a cell shows: one number by default, chosen here; the legend says what it is.
        self.shows = QComboBox()
        for key, (words, _short) in SHOWS.items():
            self.shows.addItem(words, key)
        self.shows.setToolTip(self.tr("Wat elke cel van de matrix toont"))
        self.shows.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.shows.setMinimumContentsLength(16)
        self.shows.currentIndexChanged.connect(lambda _i: self._set_shows())
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.PlainText)
        self._sample = self.matrix.fontMetrics()
        summary.setSortingEnabled(False)
        self.summary = summary
        self.project: Project | None = None
        # The cell a target was last chosen from (Alt+Left comes back to it).
        self.last: tuple[str, int, int] | None = None
        for name, view, target in (
            ("summary", summary, self._summary_target),
            ("matrix", self.matrix, lambda index: self.matrix_model.data(index, ObjectRole)),
        ):
            for signal in (view.activated, view.clicked):
                signal.connect(lambda index, n=name, t=target: self._chosen(n, index, t(index)))
        self.addWidget(summary)
        below = QWidget()
        column = QVBoxLayout(below)
        column.setContentsMargins(0, 4, 0, 0)
        chooser = QHBoxLayout()
        label = QLabel(self.tr("&Cellen tonen:"))
        label.setBuddy(self.shows)
        chooser.addWidget(label)
        chooser.addWidget(self.shows)
        chooser.addWidget(self.legend, 1)
        column.addLayout(chooser)
        column.addWidget(self.matrix_note)
        column.addWidget(self.matrix, 1)
        self.addWidget(below)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)
        self._set_shows()

    def _set_shows(self) -> None:
        shows = self.shows.currentData() or STUDENTS_SHOWN
        self.matrix_model.set_shows(shows)
        self.legend.setText(legend(shows))
        # Wide enough for a flagged cell of this kind; measured, never from the data.
        sample = "▼◌ " + SAMPLES[shows]
        width = max(self._sample.horizontalAdvance(sample) + 12, 56)
        self.matrix.horizontalHeader().setDefaultSectionSize(width)

    def _chosen(self, name: str, index: Any, target: Target | None) -> None:
        if index.isValid():
            self.last = (name, index.row(), index.column())
        self.target_chosen.emit(target)

    def _summary_target(self, index: Any) -> Target | None:
        if not index.isValid():
            return None
        line = self.summary_model.row_object(index.row())
        return summary_target(line, index.column(), self.project)

    def where(self) -> tuple[str, int, int] | None:
        """The cell last chosen, while it is still the current one of its view."""
        if self.last is None:
            return None
        name, row, column = self.last
        current = (self.summary if name == "summary" else self.matrix).currentIndex()
        if (current.row(), current.column()) != (row, column):
            return None
        return self.last

    def select(self, where: tuple[str, int, int]) -> bool:
        """Make this cell current again and give its view the focus."""
        name, row, column = where
        view = self.summary if name == "summary" else self.matrix
        index = view.model().index(row, column)
        if not index.isValid():
            return False
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.setFocus()
        self.last = where
        return True

    def show_formatie(self, formatie: Formatie, project: Project | None = None) -> None:
        """The matrix of a load's formatie, with its note (what it counts, what it leaves out)."""
        from zdesk.ui.models.overview import matrix_note

        self.project = project
        self.matrix_model.set_formatie(formatie)
        self.matrix_note.setText(matrix_note(formatie))


class ShownState:
    """What "Cellen tonen" shows, kept with the window's state (as a splitter keeps its sizes):
    the chosen kind's key; an unknown or old key leaves the chooser as it is."""

    def __init__(self, chooser: QComboBox) -> None:
        self.chooser = chooser

    def saveState(self) -> QByteArray:  # the name of the protocol of Qt's saveState
        return QByteArray(str(self.chooser.currentData() or "").encode())

    def restoreState(self, state: QByteArray) -> bool:
        at = self.chooser.findData(bytes(state.data()).decode("utf-8", "replace"))
        if at < 0:
            return False
        self.chooser.setCurrentIndex(at)
        return True
