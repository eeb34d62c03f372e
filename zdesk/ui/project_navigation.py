"""Moving through the project view: opening what a count or signalering points at, jumping to an
object in a tab or the tree, and going back and forward between places (Alt+Left, Alt+Right). A
part of `ProjectView`, apart for its size."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QItemSelectionModel,
)

from zdesk.ui.project_search import TREE
from zdesk.ui.tabs import Tab

if TYPE_CHECKING:
    from zdesk.ui.models.overview import Target


class Navigating:
    """Methods of ProjectView; the state they use is made by its `_build`."""

    def open_target(self, target: Target | None) -> bool:
        """Go to what an overview cell stands for; False when there is nothing to go to.

        A count opens exactly what it counts (by the objects' ids); Alt+Left comes back.
        """
        if target is None or self.project is None:
            return False
        if target.kind not in ("findings", "objects"):
            if target.object_id is None:
                return False
            self._activate(self.overview_tab.name)
            return self.jump_to(target.kind, target.object_id)
        self._activate(self.overview_tab.name)
        origin = self.place()
        if target.kind == "findings":
            tab = self.findings_tab
            if self.scope is not None:
                self.clear_scope()
            tab.model.set_filter("", False)
            self.findings_page.show_only(list(target.findings), target.label)
        else:
            from zdesk.ui.models.scope import Scope

            listing = self.tabs.keyed_by(target.keyed_by)
            if listing is None:
                return False
            tab = listing
            # Only that tab is narrowed (the Overzicht keeps its rows); the chip undoes it.
            tab.model.set_scope(Scope(target.label, target.departments, target.keys))
            self.scope_chip.show_scope(target.label)
            tab.model.set_filter("", False)
        self.tab_widget.setCurrentWidget(tab.page)
        self._activate(tab.name)
        self._sync_filter_box()
        if tab.model.rowCount():
            self._select_row(tab, 0)
        tab.view.setFocus()
        if not self._navigating:
            self.history.jumped(origin, self.place())
        return True

    def _show_overview(self) -> None:
        """The Overzicht again, with the marks bekend of now."""
        from zdesk.domain.formatie import build_formatie
        from zdesk.ui.models.overview import summary_table

        project, run = self.project, self.run
        assert project is not None and run is not None
        formatie = build_formatie(project, run.options, run.findings, self.known)
        self.overview_tab.model.set_data(summary_table(formatie))
        self.overview_page.show_formatie(formatie, project)

    def _activate(self, name: str) -> None:
        """The view the filter box works on: the tree or the tab last looked at."""
        if name != self.filtering:
            self.filtering = name
            self._sync_filter_box()

    def _choose_target(self, name: str) -> None:
        """The user chose where to search: show that view and keep typing."""
        if name == TREE:
            self._activate(TREE)
        else:
            self.tab_widget.setCurrentWidget(self.tabs[name].page)
            self._activate(name)
        self.search.setFocus()

    def show_tab(self, i: int) -> None:
        self.tab_widget.setCurrentIndex(i)
        self._activate(self.tabs[i].name)
        self.tabs[i].view.setFocus()

    # ---- jumping to an object -------------------------------------------------------------------

    def jump_to_object_of(self, tab: Tab, row: int) -> bool:
        """Select the object a row points at (a signalering's, a change's: Enter, double-click)."""
        points_at = tab.spec.points_at
        if points_at is None:
            return False
        return self.jump_to(*points_at(tab.model.row_object(row)))

    def jump_to(self, kind: str, object_id: Any) -> bool:
        """Select the object in the tree or the tab where it lives; False when not found.

        The jump is remembered: Alt+Left (or the mouse's back button) comes back here.
        """
        if self.project is None:
            return False
        origin = self.place()
        tab = self.tabs.holding(kind)
        found = (
            self._select_in_tab(tab, kind, object_id)
            if tab is not None
            else self._select_in_tree(kind, object_id)
        )
        if found and not self._navigating:
            self.history.jumped(origin, self.place())
        return found

    def place(self) -> tuple[str, Any] | None:
        """Where the user is: the view with the search row's attention and its current object."""
        if self.filtering == TREE:
            node = self.tree_model.node(self.tree.currentIndex())
            return (TREE, node.key) if node is not None and node.obj is not None else None
        tab = self.tabs[self.filtering]
        # A page that knows a finer place than its table's row (the Overzicht's cell) says so.
        where = getattr(tab.page, "where", None)
        if where is not None and (cell := where()) is not None:
            return (tab.name, cell)
        current = tab.view.currentIndex()
        return (tab.name, tab.model.row_object(current.row())) if current.isValid() else None

    def go_to(self, place: tuple[str, Any]) -> bool:
        view, what = place
        self._navigating = True
        try:
            if view == TREE:
                return self._select_in_tree(*what)
            tab = self.tabs[view]
            if isinstance(what, tuple) and hasattr(tab.page, "where"):  # a page's own place
                self.tab_widget.setCurrentWidget(tab.page)
                self._activate(tab.name)
                return tab.page.select(what)
            row = tab.model.row_of(lambda obj: obj == what)
            if row is None and (tab.model.filter_text or tab.model.only_flagged or self.scope):
                tab.model.set_filter("", False)
                self.clear_scope()
                row = tab.model.row_of(lambda obj: obj == what)
            return row is not None and self._select_row(tab, row)
        finally:
            self._navigating = False

    def go_back(self) -> bool:
        place = self.history.back()
        return place is not None and self.go_to(place)

    def go_forward(self) -> bool:
        place = self.history.forward()
        return place is not None and self.go_to(place)

    def _select_in_tab(self, tab: Tab, kind: str, object_id: Any) -> bool:
        row = tab.row_of(kind, object_id)
        if row is None and self.scope is not None:  # narrowed away by the tree: show all again
            self.clear_scope()
            row = tab.row_of(kind, object_id)
        if row is None:
            return False
        return self._select_row(tab, row)

    def _select_row(self, tab: Tab, row: int) -> bool:
        self.tab_widget.setCurrentWidget(tab.page)
        index = tab.model.index(row, 0)
        tab.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        tab.view.scrollTo(index)
        tab.view.setFocus()
        self._activate(tab.name)
        return True

    def _select_in_tree(self, kind: str, object_id: Any, focus: bool = True) -> bool:
        index = self.tree_model.index_of(kind, object_id)
        if not index.isValid() and self.tree_model.filtered:
            self.tree_model.set_filter("", False)
            index = self.tree_model.index_of(kind, object_id)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self._selecting = True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._selecting = False
        self.tree.scrollTo(index)
        if focus:
            self.tree.setFocus()
            self._activate(TREE)
        return True
