"""What the project view keeps across a reload: per tab its selection and scroll, the tree's open
nodes, and the column widths a user set. A part of `ProjectView`, apart for its size."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
)

from zdesk.ui.models.style import ObjectRole
from zdesk.ui.overview_page import ShownState
from zdesk.ui.project_search import TREE
from zdesk.ui.tabs import Tab
from zdesk.ui.views import (
    fit_columns,
    restore_tree,
    tree_snapshot,
)

if TYPE_CHECKING:
    pass


class KeepingPlace:
    """Methods of ProjectView; the state they use is made by its `_build`."""

    def _snapshot(self) -> dict[str, Any]:
        kept: dict[str, Any] = {TREE: tree_snapshot(self.tree), "scoped": self.scope is not None}
        if self._tree_before_filter is not None:  # searching: what to go back to afterwards
            kept["before filter"] = self._tree_before_filter
        for tab in self.tabs:
            kept[tab.name] = tab.view.snapshot()
        return kept

    def _restore(self, kept: dict[str, Any]) -> None:
        """Open, select and scroll as before where the objects still exist; the tree's current
        node scopes the tables again (made anew from the new load)."""
        self._selecting = True
        try:
            restore_tree(self.tree, kept[TREE])
        finally:
            self._selecting = False
        self.set_scope(None)
        if kept["scoped"] and kept[TREE].current is not None:
            # made anew from the new load (an objects' scope from a menu is not kept)
            self.scope_to(self.tree_model.data(self.tree.currentIndex(), ObjectRole))
        self._tree_before_filter = kept.get("before filter")
        for tab in self.tabs:
            tab.view.restore(kept[tab.name])

    def _restore_columns(self, tab: Tab) -> None:
        """The user's own widths, saved last time, win over fitting to the data."""
        saved = self.saved_columns(tab.spec.state_key)
        if tab.name in self.settled_columns or not saved or tab.model.columnCount() == 0:
            return
        if tab.view.horizontalHeader().restoreState(QByteArray.fromBase64(saved.encode())):
            self.settled_columns.add(tab.name)

    def _fit_columns(self, tab: Tab) -> None:
        """Size columns to their text once, unless the user's own widths were restored."""
        if tab.name in self.settled_columns or tab.model.rowCount() == 0:
            return
        self.settled_columns.add(tab.name)
        fit_columns(tab.view)

    def widgets_with_state(self) -> dict[str, Any]:
        """What keeps its state across sessions, by the key it is kept under."""
        widgets: dict[str, Any] = {tab.spec.state_key: tab.view for tab in self.tabs}
        widgets["tree"] = self.tree.header()
        widgets["split"] = self.split
        widgets["right"] = self.right
        widgets["overview"] = self.overview_page
        widgets["overview:shows"] = ShownState(self.overview_page.shows)
        return widgets
