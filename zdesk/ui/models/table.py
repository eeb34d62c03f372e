"""A table over domain objects that filters and sorts itself in Python.

QSortFilterProxyModel would call back into Python for every row; here a keystroke is one list
comprehension over precomputed lower-case text, and sorting is one `list.sort` with a cached key,
followed by a layout change. Rows with signaleringen get their colour, icon and tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import contains
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from zdesk.collation import dutch_key
from zdesk.ui.models.filter_state import FilterState
from zdesk.ui.models.style import (
    ALIGNMENT,
    ANSWERED,
    BACKGROUND,
    DECORATION,
    DISPLAY,
    FOREGROUND,
    HORIZONTAL,
    RIGHT_ALIGNED,
    TOOLTIP,
    ObjectRole,
    SeverityRole,
    SortRole,
    background,
    marked_icon,
    muted_text,
    tooltip,
    worst,
)
from zdesk.ui.plain import elide

if TYPE_CHECKING:
    from zdesk.domain.checks import Finding
    from zdesk.present.columns import Table as ColumnTable

Index = QModelIndex | QPersistentModelIndex


class Later:
    """A list of one value per row, made when first needed.

    A table's signaleringen, keys and afdelingen per row each cost a pass over all its rows; a
    tab nobody opens, or a table nobody narrows, never needs them, so a load is shown without
    waiting for them.
    """

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], list[Any]]) -> None:
        self._make: Callable[[], list[Any]] | None = make
        self._value: list[Any] | None = None

    def get(self) -> list[Any]:
        if self._value is None:
            assert self._make is not None
            self._value, self._make = self._make(), None
        return self._value


@dataclass
class TableData:
    """Everything a table shows, prepared in plain Python (so a worker thread can build it)."""

    columns: list[Column]
    rows: list[Any]
    findings: list[Sequence[Finding]] | Later  # per row, () for most
    search: list[str] | None = None  # lower-case text per row; built when first needed
    extra_tooltip: Callable[[Any], str] | None = None
    widths: list[int] | None = None  # characters per column, measured on the first rows
    # What the tree's selection narrows by (see models/scope.py): per row the object's key and
    # the afdelingen it sits in; None where a table cannot be narrowed.
    keys: list[Any] | Later | None = None
    places: list[Sequence[int]] | Later | None = None
    # Rows shown greyed (a signalering marked "bekend"); None: none are.
    muted: Callable[[Any], bool] | None = None

    # sort keys per column, filled by the model on a first sort or ahead of time when idle
    sort_keys: dict[int, list[Any]] = field(default_factory=dict)

    def now(self, name: str) -> Any:
        """`findings`, `keys` or `places` as a list (made now if it was left for later). The list
        replaces its Later here: a replaced project is freed a piece at a time through its plain
        lists and dicts (ui/jobs.py), never through an object with slots such as a Later."""
        value = getattr(self, name)
        if isinstance(value, Later):
            value = value.get()
            setattr(self, name, value)
        return value

    def with_search(self) -> TableData:
        if self.search is None:
            self.search = search_text(self.columns, self.rows)
        return self

    def with_sort_keys(self) -> TableData:
        for column in range(len(self.columns)):
            if column not in self.sort_keys:
                self.sort_keys[column] = column_keys(self.columns[column], self.rows)
        return self


def column_keys(column: Column, rows: Sequence[Any]) -> list[Any]:
    """Sort keys of one column for every row (see `sort_keys`)."""
    get = column.sort or column.value
    return sort_keys([get(r) for r in rows])


def text_widths(columns: Sequence[Column], rows: Sequence[Any], sample: int = 50) -> list[int]:
    """How many characters each column needs for its header and its first `sample` rows.

    A start for the column widths (capped, and the user's own widths win): fifty rows show what
    a column holds; measuring more cost 5% of a load on a large school.
    """
    widths = [len(c.header) for c in columns]
    for row in rows[:sample]:
        for i, c in enumerate(columns):
            value = c.value(row)
            if value is not None:
                widths[i] = max(widths[i], len(str(value)))
    return widths


def search_text(columns: Sequence[Column], rows: Sequence[Any]) -> list[str]:
    return [
        " ".join(str(v) for c in columns if (v := c.value(r)) is not None).casefold() for r in rows
    ]


def prepare(
    columns: Sequence[Column],
    rows: Sequence[Any],
    findings_of: Callable[[Any], Sequence[Finding]] | None = None,
    extra_tooltip: Callable[[Any], str] | None = None,
    *,
    findings: list[Sequence[Finding]] | Later | None = None,
    keys: list[Any] | Later | None = None,
    places: list[Sequence[int]] | Later | None = None,
    muted: Callable[[Any], bool] | None = None,
) -> TableData:
    """A table's data, ready for `RecordTableModel.set_data`.

    The search text is left for `TableData.with_search` (done in the background once the table
    is on screen), so showing a load does not wait for text nobody has typed yet.
    """
    columns, rows = list(columns), list(rows)
    if findings is None:  # per row from `findings_of`, or none at all
        if findings_of is not None:
            of = findings_of
            findings = Later(lambda: [tuple(f) if (f := of(r)) else () for r in rows])
        else:
            findings = [()] * len(rows)
    return TableData(
        columns,
        rows,
        findings,
        None,
        extra_tooltip,
        text_widths(columns, rows),
        keys=keys,
        places=places,
        muted=muted,
    )


def app_columns(table: ColumnTable) -> list[Column]:
    """The columns the app shows of a table's column specs (`present/columns.py`), in the
    app's order."""
    return [
        Column(c.header, c.app_value(), c.sort, c.right_aligned, c.hint, c.fit)
        for c in table.for_app()
    ]


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]  # what the cell shows (str, int or None)
    sort: Callable[[Any], Any] | None = None  # sort key when it differs from the value
    numeric: bool = False  # right-aligned
    hint: str = ""  # header tooltip
    # What the column holds, for its width and eliding: "name" and "message" get room first,
    # a "code" is cut in the middle (both ends tell codes apart), "severity" is never cut.
    role: str = "text"


LAST = "\U0010ffff"  # sorts after every text: empty cells go last


def sort_keys(values: list[Any]) -> list[Any]:
    """One plain key per row (numbers, or case-folded text), cheap to compare.

    A column whose values are all numbers (or empty) sorts numerically, anything else as text in
    Dutch order (accents and case ignored); empty cells sort last either way.
    """
    if all(v is None or v == "" or isinstance(v, int | float) for v in values):
        inf = float("inf")
        return [inf if v is None or v == "" else v for v in values]
    return [LAST if v is None or v == "" else dutch_key(str(v)) for v in values]


class RecordTableModel(FilterState, QAbstractTableModel):
    """Rows are domain objects; `findings_of(row)` gives the signaleringen of a row."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._visible: list[int] = []
        self._data: TableData | None = None
        # The shown data's findings, kept here too: data() reads them for every painted cell.
        self._findings: list[Sequence[Finding]] | Later = []
        self._search: list[str] | None = None
        self._sort_keys: dict[int, list[Any]] = {}
        self._scope: Any = None  # a models.scope.Scope, or None for every row
        self._order: tuple[int, Qt.SortOrder] | None = None
        self.extra_tooltip: Callable[[Any], str] | None = None
        self.muted: Callable[[Any], bool] | None = None
        self.widths: list[int] = []
        # Objects changed since the compared load: (kind, id) -> tooltip text ("nieuw sinds ...").
        self.changes: dict[tuple[str, Any], str] = {}

    # ---- content ------------------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[Any],
        findings_of: Callable[[Any], Sequence[Finding]] | None = None,
        columns: Sequence[Column] | None = None,
    ) -> None:
        rows = list(rows)
        findings = [tuple(findings_of(r)) if findings_of else () for r in rows]
        self.set_data(
            TableData(list(columns or self.columns), rows, findings, None, self.extra_tooltip)
        )

    def set_data(self, data: TableData) -> None:
        """Show prepared data; only a model reset happens here, on the main thread."""
        self.beginResetModel()
        if len(data.columns) != len(self.columns):
            self._order = None  # a different table: the old sort column means nothing
        self.columns = data.columns
        self.widths = data.widths or text_widths(data.columns, data.rows)
        self.extra_tooltip = data.extra_tooltip
        self.muted = data.muted
        self._data = data
        self._rows = data.rows
        self._findings = data.findings
        self._search = data.search
        self._sort_keys = data.sort_keys  # shared: keys built ahead of time show up here
        self._visible = self._matching()
        if self._order is not None:
            self._sort_visible(*self._order)
        self.endResetModel()

    def adopt_search(self, data: TableData) -> None:
        """Take search text computed in the background, if it is for the rows shown now."""
        if data.rows is self._rows and data.search is not None and self._search is None:
            self._search = data.search

    def set_changes(self, changes: dict[tuple[str, Any], str]) -> None:
        """Mark the rows of changed objects with an icon and a tooltip."""
        self.changes = changes
        if self._visible:
            last = self.index(len(self._visible) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [DECORATION, TOOLTIP])

    def _change_of(self, row: Any) -> str:
        from zdesk.domain.findings import object_key

        key = object_key(row)
        return self.changes.get(key, "") if key is not None else ""

    def row_object(self, row: int) -> Any:
        return self._rows[self._visible[row]]

    def row_of(self, predicate: Callable[[Any], bool]) -> int | None:
        """The visible row of the first object that satisfies `predicate`."""
        for r, i in enumerate(self._visible):
            if predicate(self._rows[i]):
                return r
        return None

    @property
    def total(self) -> int:
        return len(self._rows)

    def key_of(self, row: int) -> Any:
        """The key of the object in a visible row (None for a table without keys)."""
        keys = self._now("keys")
        return None if keys is None else keys[self._visible[row]]

    def rows_of_keys(self, keys: Sequence[Any]) -> list[int]:
        """The visible rows of these keys, in the order of `keys` (keys not shown left out)."""
        mine = self._now("keys")
        if mine is None or not keys:
            return []
        wanted = set(keys)
        found = {mine[i]: r for r, i in enumerate(self._visible) if mine[i] in wanted}
        return [found[k] for k in keys if k in found]

    def texts(self, rows: Sequence[int], columns: Sequence[int]) -> list[list[str]]:
        """The shown text of these visible rows and columns (for copying), "" for empty cells."""
        getters = [self.columns[c].value for c in columns]
        out = []
        for r in rows:
            obj = self._rows[self._visible[r]]
            out.append(["" if (v := get(obj)) is None else str(v) for get in getters])
        return out

    # ---- filter and sort ----------------------------------------------------------------------

    def set_filter(self, text: str | None = None, only_flagged: bool | None = None) -> None:
        self._take_filter(text, only_flagged)  # the same filter again still lays the rows out

        def refilter() -> None:
            self._visible = self._matching()
            if self._order is not None:
                self._sort_visible(*self._order)

        self._relayout(refilter)

    @property
    def scope(self) -> Any:
        return self._scope

    @property
    def scoped(self) -> bool:
        """True when a scope is set and this table can be narrowed by it."""
        data = self._data
        return (
            self._scope is not None
            and data is not None
            and data.keys is not None
            and data.places is not None
        )

    def set_scope(self, scope: Any) -> None:
        """Show only the rows within a scope (see models/scope.py); None shows every row."""
        self._scope = scope

        def refilter() -> None:
            self._visible = self._matching()
            if self._order is not None:
                self._sort_visible(*self._order)

        self._relayout(refilter)

    def _relayout(self, change: Callable[[], None]) -> None:
        """Apply `change` to the visible rows; selections follow their rows where still shown."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self._visible[i.row()] if i.row() < len(self._visible) else -1 for i in old]
        change()
        if old:
            position = _positions(self._visible, set(old_rows))
            self.changePersistentIndexList(
                old,
                [
                    self.index(position[o], i.column()) if o in position else QModelIndex()
                    for i, o in zip(old, old_rows, strict=True)
                ],
            )
        self.layoutChanged.emit()

    def _now(self, name: str) -> Any:
        """The shown data's `findings`, `keys` or `places`, made now if left for later (the data
        keeps what it made: as a plain list it can be freed in pieces, see ui/jobs.py)."""
        if self._data is None:
            return [] if name == "findings" else None
        value = self._data.now(name)
        if name == "findings":
            self._findings = value
        return value

    def _matching(self) -> list[int]:
        candidates: Sequence[int] = range(len(self._rows))
        if self.scoped:
            keys, places, matches = self._now("keys"), self._now("places"), self._scope.matches
            candidates = [i for i in candidates if matches(keys[i], places[i])]  # type: ignore[index]
        if self._only_flagged:
            findings = self._now("findings")
            candidates = [i for i in candidates if findings[i]]
        if not self._text:
            return list(candidates)
        if self._search is None:
            self._search = search_text(self.columns, self._rows)
        search, needle = self._search, self._text
        if isinstance(candidates, range):  # one pass in C over every row's text
            return list(compress(candidates, map(contains, search, repeat(needle))))
        return [i for i in candidates if needle in search[i]]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._order = (column, order)
        self._relayout(lambda: self._sort_visible(column, order))

    def _sort_visible(self, column: int, order: Qt.SortOrder) -> None:
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = column_keys(self.columns[column], self._rows)
        self._visible.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    # ---- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != HORIZONTAL or not 0 <= section < len(self.columns):
            return None
        if role == DISPLAY:
            return self.columns[section].header
        if role == TOOLTIP:  # the whole header, in case its section is narrow
            column = self.columns[section]
            return f"{column.header}: {column.hint}" if column.hint else column.header
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in ANSWERED or not index.isValid():
            return None
        r = index.row()
        if r >= len(self._visible):
            return None
        i = self._visible[r]
        row = self._rows[i]
        column = index.column()
        col = self.columns[column]
        if role == DISPLAY:
            value = col.value(row)
            if value is None or isinstance(value, int):
                return value
            return elide(str(value))  # a 40,000-character name is shown cut, exported whole
        if role == SortRole:
            return (col.sort or col.value)(row)
        if role == ObjectRole:
            return row
        findings = self._findings
        if type(findings) is Later:
            findings = self._now("findings")
        findings = findings[i]
        if role == SeverityRole:
            return worst(findings)
        if role == BACKGROUND:
            return background(worst(findings)) if findings else None
        if role == FOREGROUND:
            return muted_text() if self.muted is not None and self.muted(row) else None
        if role == DECORATION:
            if column != 0:
                return None
            changed = bool(self.changes) and bool(self._change_of(row))
            return marked_icon(worst(findings) if findings else None, changed)
        if role == TOOLTIP:
            extra = self.extra_tooltip(row) if self.extra_tooltip else ""
            if self.changes:
                extra = "\n".join(t for t in (self._change_of(row), extra) if t)
            return tooltip(findings, extra) or None
        if role == ALIGNMENT and col.numeric:
            return RIGHT_ALIGNED
        return None


FEW_ROWS = 8  # rows kept across a relayout: looked up one by one up to this many


def _positions(visible: list[int], rows: set[int]) -> dict[int, int]:
    """Where each of `rows` (row numbers in the data) is shown now; rows not shown are left out.

    A view keeps a few rows (current and selected) across a filter or sort: looking those up
    with list.index is much cheaper than numbering every visible row.
    """
    if len(rows) > FEW_ROWS:
        return {row: r for r, row in enumerate(visible) if row in rows}
    out: dict[int, int] = {}
    for row in rows:
        with suppress(ValueError):  # not found: filtered out
            out[row] = visible.index(row)
    return out
