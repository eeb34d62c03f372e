"""Table views: how they are made, column widths from prepared text, work done when idle."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QTableView

from zdesk.ui.models.table import RecordTableModel, TableData, search_text, sort_keys
from zdesk.ui.models.tree import Node, grow_all, lookup

SEARCH_SLICE = 1500  # rows of search text per idle step: a few milliseconds each
MAX_COLUMN = 260  # pixels; a wider column hides the ones after it


def make_table(model: RecordTableModel) -> QTableView:
    """A read-only, row-selecting, sortable table view over one of the app's table models."""
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    header = view.horizontalHeader()
    header.setSortIndicatorShown(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(22)
    view.setWordWrap(False)
    return view


def fit_columns(view: QTableView) -> None:
    """Size columns to the widths (in characters) that came with the prepared data.

    Asking the model would cost tens of thousands of Python calls on the main thread.
    """
    model: Any = view.model()
    header = view.horizontalHeader()
    char = view.fontMetrics().averageCharWidth()
    for column, chars in enumerate(model.widths[:-1]):
        extra = 36 if column == 0 else 16  # room for the severity icon and the padding
        header.resizeSection(column, min(chars * char + extra, MAX_COLUMN))


class IdleWork:
    """Work done in small steps on the main thread whenever the window is idle.

    `pause()` and `resume()` around a load; `cancel()` drops what the work refers to at once.
    """

    def __init__(self, parent: QObject, steps: Generator[None, None, None]) -> None:
        self._steps: Generator[None, None, None] | None = steps
        self.timer = QTimer(parent)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._step)
        self.timer.start()

    @property
    def done(self) -> bool:
        return self._steps is None

    @property
    def running(self) -> bool:
        return self.timer.isActive()

    def _step(self) -> None:
        if self._steps is not None and next(self._steps, StopIteration) is StopIteration:
            self.cancel()

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        if self._steps is not None:
            self.timer.start()

    def cancel(self) -> None:
        self.timer.stop()
        if self._steps is not None:
            steps, self._steps = self._steps, None
            steps.close()  # lets go of what it refers to now, not when the timer is deleted


def build_search_when_idle(  # and the sort keys, and the rest of the tree
    parent: QObject, pairs: list[tuple[RecordTableModel, TableData]], tree: Node | None = None
) -> IdleWork:
    """Build the tables' search text in small slices while the window is idle.

    A Python thread would hold the interpreter while Qt paints (every cell asks Python for its
    data), so the slices run on the main thread between events instead; a keystroke before they
    are done builds what it needs on the spot. First the tree's afdelingen are grown, one per
    slice, so that filtering the tree or jumping to an object finds them ready.
    """

    def slices():
        if tree is not None:
            yield from grow_all(tree)
            lookup(tree)
            yield
        for model, data in pairs:
            texts: list[str] = []
            for start in range(0, len(data.rows), SEARCH_SLICE):
                texts += search_text(data.columns, data.rows[start : start + SEARCH_SLICE])
                yield
            if data.search is None:
                data.search = texts
            model.adopt_search(data)
        # Then the sort keys, in the same slices, so a first click on a header is quick too.
        for _model, data in pairs:
            for column, spec in enumerate(data.columns):
                get = spec.sort or spec.value
                values: list = []
                for start in range(0, len(data.rows), SEARCH_SLICE):
                    values += [get(r) for r in data.rows[start : start + SEARCH_SLICE]]
                    yield
                if column not in data.sort_keys:
                    data.sort_keys[column] = sort_keys(values)

    return IdleWork(parent, slices())
