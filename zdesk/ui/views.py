"""Table views: selecting and copying like a spreadsheet, column widths, work done when idle."""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QHelpEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QTreeView,
)

from zdesk.ui.models.style import STYLES
from zdesk.ui.models.table import RecordTableModel, TableData, search_text, sort_keys
from zdesk.ui.models.tree import GrownNodes, Node, lookup_in_slices
from zdesk.ui.mouse_navigation import MouseNavigation

SEARCH_SLICE = 1000  # rows of search text per idle step: a few milliseconds each

# Column widths in characters per role: (at least, at most). Names and messages get room first;
# codes, flags and numbers are narrow; plain text gets what is left.
WIDTHS = {
    "severity": (12, 12),
    "message": (24, 90),
    "name": (14, 30),
    "number": (4, 10),
    "flag": (3, 12),
    "code": (6, 16),
    "text": (8, 26),
}
FIRST = ("severity", "message", "name", "number", "flag", "code", "text")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


# Cells Excel would read as a formula (also after leading spaces or tabs, which it skips), or as
# a number that loses its leading zeros.
_AS_TEXT = re.compile(r"\s*(?:[=+\-@]|0\d)")
_FORMULA = re.compile(r"\s*[=+\-@]")
_NUMBER = re.compile(r"\s*[+-]?\d+(?:[.,]\d+)?\s*")
# How a spreadsheet is told that typed or pasted text is text: a leading apostrophe, which it
# does not show. The workbook writes such cells as text; the plain-text flavour says it so.
TEXT_MARK = "'"
_CONTROL = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})

MenuHook = Callable[[QMenu, list[Any]], None]
MAX_KEPT = 5000  # selected rows kept across a reload; more is a select-all nobody misses


def table_mime(header: Sequence[str] | None, body: Sequence[Sequence[Any]]) -> QMimeData:
    """Rows for the clipboard as a spreadsheet reads them: tab-separated text and an HTML table."""
    mime = QMimeData()
    mime.setText(rows_as_tsv(header, body))
    mime.setHtml(rows_as_html(header, body))
    return mime


def cell_mime(text: str) -> QMimeData:
    """One cell for the clipboard (a tree node): plain text without a line break, marked text
    where a spreadsheet would read it as a formula, and the same cell as an HTML table."""
    mime = QMimeData()
    mime.setText(_tsv_cell(text))
    mime.setHtml(rows_as_html(None, [[text]]))
    return mime


@dataclass
class TableSnapshot:
    selected: list[Any]
    current: Any
    scroll: int


@dataclass
class TreeSnapshot:
    expanded: list[tuple[str, Any]]
    current: tuple[str, Any] | None
    scroll: int


def tree_snapshot(view: QTreeView) -> TreeSnapshot:
    """The open nodes, the current node and the scroll position of the project tree, by key."""
    model: Any = view.model()
    expanded: list[tuple[str, Any]] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):  # open nodes only: their children exist
            index = model.index(row, 0, parent)
            if view.isExpanded(index):
                node = model.node(index)
                if node.obj is not None:  # a folder opens again with its afdeling
                    expanded.append(node.key)
                walk(index)

    walk(QModelIndex())
    current = model.node(view.currentIndex())
    return TreeSnapshot(
        expanded,
        current.key if current is not None and current.obj is not None else None,
        view.verticalScrollBar().value(),
    )


def restore_tree(view: QTreeView, snapshot: TreeSnapshot) -> None:
    """Open the same nodes again where they still exist, select the same node, scroll back."""
    model: Any = view.model()
    # Parents come before their children in the snapshot, so each node is looked for among the
    # nodes that exist once its parent is open again: the tree is never grown whole for this.
    grown = GrownNodes(model.root)
    for key in snapshot.expanded:
        index = model.index_of(*key, among=grown)
        if index.isValid():
            view.expand(index)
            model.rowCount(index)  # an afdeling grows its nodes when first opened
            grown.opened(model.node(index))
    if snapshot.current is not None:
        index = model.index_of(*snapshot.current, among=grown)
        if index.isValid():
            view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
    view.verticalScrollBar().setValue(snapshot.scroll)


class MiddleElide(QStyledItemDelegate):
    """Cuts a cell's text in the middle: codes such as "havo.grp1" differ at both ends."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class RecordTable(MouseNavigation, QTableView):
    """A read-only, sortable table that selects and copies rows the way a spreadsheet does.

    Ctrl+C copies the selected rows with a header row, as tab-separated text (and as an HTML
    table for Excel, which keeps codes as text); a cut-off cell shows its whole text on hover.
    `menu_hook(menu, objects)` may add the window's own actions to the context menu.
    """

    def __init__(self, model: RecordTableModel) -> None:
        super().__init__()
        self.setModel(model)
        self.menu_hook: MenuHook | None = None
        self._middle = MiddleElide(self)

    def model(self) -> RecordTableModel:  # type: ignore[override]
        return super().model()  # type: ignore[return-value]

    # ---- selection and copying -----------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        """The selected rows in the order shown (from the selection's ranges: no index per cell)."""
        rows: set[int] = set()
        for part in self.selectionModel().selection():
            rows.update(range(part.top(), part.bottom() + 1))
        return sorted(rows)

    def selected_objects(self) -> list[Any]:
        model = self.model()
        return [model.row_object(r) for r in self.selected_rows()]

    def shown_columns(self) -> list[int]:
        header = self.horizontalHeader()
        logical = (header.logicalIndex(v) for v in range(header.count()))
        return [c for c in logical if not header.isSectionHidden(c)]

    def copy_rows(self, with_header: bool = True) -> int:
        """Put the selected rows on the clipboard; returns how many rows were copied."""
        rows = self.selected_rows()
        if not rows:
            return 0
        QGuiApplication.clipboard().setMimeData(self.rows_as_mime(rows, with_header))
        return len(rows)

    def rows_as_mime(self, rows: Sequence[int], with_header: bool = True) -> QMimeData:
        model = self.model()
        columns = self.shown_columns()
        body = model.texts(rows, columns)
        header = [model.columns[c].header for c in columns] if with_header else None
        return table_mime(header, body)

    def keyPressEvent(self, event: Any) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_rows(with_header=True)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: Any) -> None:
        index = self.indexAt(event.pos())
        if index.isValid() and not self.selectionModel().isRowSelected(index.row()):
            self.selectRow(index.row())
        if not self.selected_rows():
            return
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        copy = menu.addAction(self.tr("Kopiëren met kolomkoppen"))
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        copy.triggered.connect(lambda: self.copy_rows(with_header=True))
        rows_only = menu.addAction(self.tr("Kopiëren zonder kolomkoppen"))
        rows_only.triggered.connect(lambda: self.copy_rows(with_header=False))
        if self.menu_hook is not None:
            self.menu_hook(menu, self.selected_objects())
        return menu

    # ---- keeping the place across a reload ------------------------------------------------------

    def snapshot(self) -> TableSnapshot:
        """What is selected and where the view is scrolled, by the objects' keys."""
        model = self.model()
        current = self.currentIndex()
        selected = [model.key_of(r) for r in self.selected_rows()[:MAX_KEPT]]
        return TableSnapshot(
            [k for k in selected if k is not None],
            model.key_of(current.row()) if current.isValid() else None,
            self.verticalScrollBar().value(),
        )

    def restore(self, snapshot: TableSnapshot) -> None:
        """Select the same objects again where they are still shown, and scroll back."""
        model = self.model()
        flags = QItemSelectionModel.SelectionFlag
        current = model.rows_of_keys([snapshot.current]) if snapshot.current is not None else []
        if current:
            self.selectionModel().setCurrentIndex(model.index(current[0], 0), flags.NoUpdate)
        selection = QItemSelection()
        for row in model.rows_of_keys(snapshot.selected):
            selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        self.selectionModel().select(selection, flags.ClearAndSelect)
        self.verticalScrollBar().setValue(snapshot.scroll)

    # ---- whole text of a cut-off cell ----------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            if index.isValid():
                text = self.full_text_tip(index)
                if text:
                    QToolTip.showText(
                        event.globalPos(), text, self.viewport(), self.visualRect(index)
                    )
                    return True
        return super().viewportEvent(event)

    def full_text_tip(self, index: QModelIndex | QPersistentModelIndex) -> str:
        """The cell's own tooltip, with the cell's text first when the column cuts it off."""
        model = self.model()
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole) or ""
        value = model.data(index, Qt.ItemDataRole.DisplayRole)
        text = "" if value is None else str(value)
        room = self.visualRect(index).width() - 12  # the cell's padding
        if model.data(index, Qt.ItemDataRole.DecorationRole) is not None:
            room -= self.iconSize().width() or 20
        if text and self.fontMetrics().horizontalAdvance(text) > room:
            return f"{text}\n{tip}" if tip else text
        return tip

    # ---- columns ---------------------------------------------------------------------------------

    def apply_roles(self) -> None:
        """Codes are cut in the middle; every other column at its end."""
        for column, spec in enumerate(self.model().columns):
            self.setItemDelegateForColumn(column, self._middle if spec.role == "code" else None)


def rows_as_tsv(header: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> str:
    """Tab-separated lines (a tab or line break inside a cell becomes a space), ending in one; a
    cell a spreadsheet would read as a formula is marked text (a leading apostrophe)."""
    lines = [header] if header is not None else []
    lines += rows
    return "".join("\t".join(_tsv_cell(c) for c in line) + "\n" for line in lines)


def _tsv_cell(text: str) -> str:
    text = text.translate(_CONTROL)
    if _FORMULA.match(text) and not _NUMBER.fullmatch(text):
        return TEXT_MARK + text
    return text


def rows_as_html(header: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> str:
    """An HTML table, the format Excel takes first: cells it would misread are marked text."""

    def cell(text: str, tag: str = "td") -> str:
        style = " style=\"mso-number-format:'\\@'\"" if _AS_TEXT.match(text) else ""
        return f"<{tag}{style}>{text.translate(_ENTITIES)}</{tag}>"

    parts = ["<table>"]
    if header is not None:
        parts.append("<tr>" + "".join(cell(h, "th") for h in header) + "</tr>")
    parts += ["<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in rows]
    parts.append("</table>")
    return "".join(parts)


def make_table(model: RecordTableModel) -> RecordTable:
    """A read-only, row-selecting, sortable table view over one of the app's table models."""
    view = RecordTable(model)
    header = view.horizontalHeader()
    # No sort column before sorting is switched on: Qt's default (the first column, descending)
    # would sort the rows at once. Rows keep the order they were prepared in until a click.
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    header.setSortIndicatorShown(True)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(22)
    view.setWordWrap(False)
    return view


def column_widths(
    roles: Sequence[str],
    chars: Sequence[int],
    char: int,
    available: int,
    icon: int = 20,
    exact: dict[int, int] | None = None,
) -> list[int]:
    """Pixel widths for columns holding `chars` characters, in `available` pixels.

    Each column gets at least its role's minimum; what room is left goes to messages and names
    first, then numbers, flags, codes and other text, each up to what it needs (capped). When
    even the minimums do not fit, a message still gets what is on screen after the columns
    before it (the ones after it scroll into view). `exact`: columns whose width is known
    (the severity's words). The last column takes whatever is left over on screen.
    """
    pad = 16
    need, least = [], []
    for i, (role, n) in enumerate(zip(roles, chars, strict=True)):
        low, high = WIDTHS.get(role, WIDTHS["text"])
        extra = pad + (icon if i == 0 else 0)  # the first column has the severity icon
        if exact and i in exact:
            need.append(exact[i])
            least.append(exact[i])
            continue
        need.append(min(n, high) * char + extra)
        least.append(min(n, low) * char + extra)
    widths = list(least)
    room = available - sum(least)
    if room < 0:
        for i, role in enumerate(roles):
            if role == "message":
                widths[i] = max(least[i], min(need[i], available - sum(widths[:i])))
        return widths
    for role in FIRST:
        for i, r in enumerate(roles):
            if r != role or room <= 0:
                continue
            more = min(need[i] - widths[i], room)
            widths[i] += more
            room -= more
    return widths


def fit_columns(view: QTableView) -> None:
    """Size columns to the widths (in characters) that came with the prepared data.

    Asking the model would cost tens of thousands of Python calls on the main thread. A table on
    a tab not shown yet is sized for the room its tab will have.
    """
    model: Any = view.model()
    header = view.horizontalHeader()
    roles = [c.role for c in model.columns]
    metrics = view.fontMetrics()
    # The average of the letters: Qt's averageCharWidth is narrower than running text.
    char = -(-metrics.horizontalAdvance(LETTERS) // len(LETTERS))
    icon = view.iconSize().width() if view.iconSize().isValid() else 16
    exact = {
        i: max(metrics.horizontalAdvance(style.label) for style in STYLES.values()) + icon + 24
        for i, role in enumerate(roles)
        if role == "severity"
    }
    widths = column_widths(roles, model.widths, char, _room(view), icon=icon + 8, exact=exact)
    for column, width in enumerate(widths[:-1]):
        header.resizeSection(column, width)
    if isinstance(view, RecordTable):
        view.apply_roles()


def _room(view: QTableView) -> int:
    """The width a table has on screen, or will have once its tab is shown."""
    widget: Any = view
    while widget is not None and not widget.isVisible():
        widget = widget.parentWidget()
    if widget is None or widget is view:
        return view.viewport().width() or view.horizontalHeader().width()
    return widget.width() - view.verticalScrollBar().sizeHint().width() - 8


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
            yield from lookup_in_slices(tree)
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
