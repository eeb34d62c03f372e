"""The school as a tree: vestiging → afdeling → keuzevak → geplande groep → its roostergroep.

Nodes are plain objects with parent links. A load builds the vestigingen and afdelingen with
their counts; what lies under an afdeling (thousands of nodes on a large project) is built when it
is first needed: when the afdeling is opened, when a filter or a lookup needs it, or in idle moments
after the load. Each node knows the distinct signaleringen on itself and beneath it (a stamklas
that carries fourteen planned groups is counted once). Filtering rebuilds the visible children in
Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from zdesk.ui.models.filter_state import FilterState
from zdesk.ui.models.style import (
    ALIGNMENT,
    ANSWERED,
    BACKGROUND,
    DECORATION,
    DISPLAY,
    HORIZONTAL,
    RIGHT_ALIGNED,
    TOOLTIP,
    ObjectRole,
    SeverityRole,
    SortRole,
    background,
    marked_icon,
    tooltip,
    worst,
)
from zdesk.ui.models.tree_nodes import (
    HEADERS,
    NOT_REALISED,
    GrownNodes,
    Node,
    build_tree,
    grow,
    grow_all,
    lookup,
    lookup_in_slices,
    release,
)
from zdesk.ui.plain import elide

if TYPE_CHECKING:
    from zdesk.domain.checks import Finding
    from zdesk.domain.model import Project

Index = QModelIndex | QPersistentModelIndex

__all__ = [
    "HEADERS",
    "NOT_REALISED",
    "GrownNodes",
    "Node",
    "ProjectTreeModel",
    "build_tree",
    "grow",
    "grow_all",
    "lookup",
    "lookup_in_slices",
    "release",
]


class ProjectTreeModel(FilterState, QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = Node("root", None, None, "")
        # Objects changed since the compared load: (kind, id) -> tooltip text ("nieuw sinds ...").
        self.changes: dict[tuple[str, Any], str] = {}

    def set_changes(self, changes: dict[tuple[str, Any], str]) -> None:
        """Mark the nodes of changed objects with an icon and a tooltip."""
        # Any shown node may gain or lose its marker; the nodes themselves stay where they are.
        self.layoutAboutToBeChanged.emit()
        self.changes = changes
        self.layoutChanged.emit()

    def set_project(
        self,
        project: Project | None,
        by_object: Mapping[tuple[str, Any], Sequence[Finding]] | None = None,
    ) -> None:
        self.set_root(build_tree(project, by_object or {}) if project else None)

    def set_root(self, root: Node | None, *, keep_old: bool = False) -> Node:
        """Show a tree built by `build_tree` (possibly in a worker thread); returns the old root.

        The old tree is released here, unless `keep_old`: then the caller releases it (say, in
        the background).
        """
        self.beginResetModel()
        old = self.root
        if not keep_old:
            release(old)
        self.root = root or Node("root", None, None, "")
        if self.filtered:
            self._apply_filter()
        self.endResetModel()
        return old

    # ---- filter ---------------------------------------------------------------------------------

    def set_filter(self, text: str | None = None, only_flagged: bool | None = None) -> None:
        if not self._take_filter(text, only_flagged):
            return
        self.beginResetModel()
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        text, flagged = self._text, self._only_flagged

        def keep(node: Node, shown_by_parent: bool) -> bool:
            grow(node)  # a filter looks at everything
            if text and not node.search:
                node.search = node.label.casefold()
            own = shown_by_parent or (bool(text) and text in node.search)
            if flagged and not node.beneath:
                node.children = []
                return False
            node.children = [c for c in node.all_children if keep(c, own)]
            for row, child in enumerate(node.children):
                child.row = row
            return own or bool(node.children) or not text

        keep(self.root, not text)

    def counts(self) -> tuple[int, int]:
        """(nodes whose own label matches the search, all nodes) for a "12 van 1.620"."""
        text, shown, total = self._text, 0, 0
        stack = list(self.root.all_children)
        while stack:
            node = stack.pop()
            total += 1
            shown += bool(text) and text in (node.search or node.label.casefold())
            stack.extend(node.all_children)
        return shown, total

    @property
    def filtered(self) -> bool:
        return bool(self._text) or self._only_flagged

    # ---- lookup -------------------------------------------------------------------------------

    def index_of(
        self, kind: str, object_id: Any, *, among: GrownNodes | None = None
    ) -> QModelIndex:
        """The index of the first node for this object, or invalid when hidden or absent.

        With `among`, only the nodes grown so far are searched (see `GrownNodes`): the whole
        tree is not grown on the GUI thread (hundreds of afdelingen on a large project).
        """
        key = (kind, object_id)
        if among is None or self.root.index is not None:
            node = lookup(self.root).get(key)
        else:
            node = among.nodes.get(key)
        if node is None or not self._shown(node):
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def _shown(self, node: Node) -> bool:
        while node.parent is not None:
            siblings = node.parent.children
            if node.row >= len(siblings) or siblings[node.row] is not node:
                return False
            node = node.parent
        return True

    def node(self, index: Index) -> Node | None:
        return index.internalPointer() if index.isValid() else None

    # ---- Qt model -----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        node = parent.internalPointer() if parent.isValid() else self.root
        return self.createIndex(row, column, node.children[row])

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return False
        node = parent.internalPointer() if parent.isValid() else self.root
        return node.grow is not None or bool(node.children)

    def parent(self, *args: Any) -> Any:
        if not args:
            return QObject.parent(self)
        index = args[0]
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        node = parent.internalPointer() if parent.isValid() else self.root
        if node.grow is not None:
            grow(node)  # an afdeling opened (or asked about) for the first time
        return len(node.children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == HORIZONTAL and role == DISPLAY and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in ANSWERED or not index.isValid():
            return None
        node: Node = index.internalPointer()
        column = index.column()
        if role in (DISPLAY, SortRole):
            if column == 0:
                return elide(node.label) if role == DISPLAY else node.label
            if column == 1:
                return node.students
            if column == 2:
                return node.groups
            return len(node.beneath) or None
        if role == ObjectRole:
            return node.obj
        if role == SeverityRole:
            return worst(node.findings)
        if role == BACKGROUND:
            return background(worst(node.findings)) if node.findings else None
        if role == DECORATION:
            if column != 0:
                return None
            changed = bool(self.changes) and node.key in self.changes
            return marked_icon(worst(node.findings) if node.findings else None, changed)
        if role == TOOLTIP:
            extra = self.changes.get(node.key, "") if self.changes else ""
            if node.kind == "planned_group" and not node.obj.realised:
                unrealised = (
                    "Deze geplande groep is nog niet gerealiseerd: er is nog geen roostergroep."
                )
                extra = f"{extra}\n{unrealised}" if extra else unrealised
            if column == 3 and node.beneath:
                extra = f"{len(node.beneath)} signaleringen hieronder"
            elif column == 0:  # the whole label, for when the column cuts it off
                extra = f"{node.label}\n{extra}" if extra else node.label
            return tooltip(node.findings, extra) or None
        if role == ALIGNMENT and column > 0:
            return RIGHT_ALIGNED
        return None
