"""The project view's search row and scope: filtering the tree or a tab on text and "only
flagged", the count it shows, and narrowing every table to what the tree has selected. A part of
`ProjectView`, apart for its size."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QLocale,
)

from zdesk.ui.models.style import ObjectRole
from zdesk.ui.views import (
    TreeSnapshot,
    restore_tree,
    tree_snapshot,
)

if TYPE_CHECKING:
    from zdesk.ui.models.scope import Scope

TREE = "tree"  # the filter row's target when it is the tree, not a tab


class Searching:
    """Methods of ProjectView; the state they use is made by its `_build`."""

    def _sync_filter_box(self) -> None:
        model = self.filtered_model()
        self.search_target.setCurrentIndex(self.search_target.findData(self.filtering))
        self.search.setPlaceholderText(
            self.tr("Zoeken in %s (Ctrl+F)")
            % (self.tr("de boom") if self.filtering == TREE else self.tr(self.filtering))
        )
        self.search.blockSignals(True)
        self.search.setText(model.filter_text)
        self.search.blockSignals(False)
        self.only_flagged.blockSignals(True)
        self.only_flagged.setChecked(model.only_flagged)
        self.only_flagged.blockSignals(False)
        self.only_flagged_changed.emit(self.only_flagged.isChecked())
        self._show_count()

    def _apply_filter(self) -> None:
        model = self.filtered_model()
        text, flagged = self.search.text(), self.only_flagged.isChecked()
        if self.filtering == TREE:
            self._filter_tree(text, flagged)
        else:
            model.set_filter(text, flagged)
        self._show_count()

    def _filter_tree(self, text: str, flagged: bool) -> None:
        """Filter the tree, keeping open what was open: after the filter, the tree is as before
        it (with the node chosen meanwhile chosen still)."""
        model = self.tree_model
        before = tree_snapshot(self.tree)
        if not model.filtered:
            self._tree_before_filter = before
        base = self._tree_before_filter or before
        model.set_filter(text, flagged)
        current = before.current or base.current
        if text.strip():
            self.tree.expandAll()
            kept = TreeSnapshot([], current, 0)
        elif model.filtered:  # only flagged: open what was open, where it is still shown
            kept = TreeSnapshot(base.expanded + before.expanded, current, before.scroll)
        else:
            kept = TreeSnapshot(base.expanded, current, base.scroll)
            self._tree_before_filter = None
        self._selecting = True
        try:
            restore_tree(self.tree, kept)
            if current is not None and not model.filtered:  # its afdeling opened, if closed
                self._select_in_tree(*current, focus=False)
        finally:
            self._selecting = False

    def _show_count(self) -> None:
        """ "12 van 1.620" while a filter hides rows."""
        model = self.filtered_model()
        locale = QLocale()
        if self.filtering == TREE:
            shown, total = self.tree_model.counts() if self.tree_model.filtered else (0, 0)
            filtered = self.tree_model.filtered
        else:
            shown, total = model.rowCount(), model.total
            filtered = shown != total
        self.match_count.setVisible(filtered)
        self.match_count.setText(
            self.tr("%s van %s") % (locale.toString(shown), locale.toString(total))
        )

    # ---- the tree's selection scopes the tables --------------------------------------------------

    def filtered_model(self) -> Any:
        """The model the search row filters now."""
        if self.filtering == TREE:
            return self.tree_model
        return self.tabs[self.filtering].model

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _refilter_findings(self) -> None:
        if self.project is None or self.run is None:
            return
        text = self.search.text() if self.filtering == self.findings_tab.name else ""
        self.findings_page.refilter(self.project, self.run, self.known, text)

    def _tree_current_changed(self, current: Any, _old: Any) -> None:
        obj = self.tree_model.data(current, ObjectRole) if current.isValid() else None
        self._show_details(obj)
        if not self._selecting:  # the user's choice; a jump shows a node but narrows nothing
            self.scope_to(obj)

    def scope_to(self, obj: Any) -> None:
        if obj is not None and self.project is not None:
            from zdesk.ui.models.scope import scope_of

            scope = scope_of(self.project, obj)
            if scope is not None:
                self.set_scope(scope)

    def set_scope(self, scope: Scope | None) -> None:
        """Narrow every table to a scope (None: show every row again)."""
        self.scope = scope
        for tab in self.tabs:
            tab.spec.narrow(self, tab, scope)
        self.matrix_model.set_departments(scope.departments if scope is not None else None)
        self.scope_chip.show_scope(scope.label if scope is not None else None)
        self._show_count()

    def clear_scope(self) -> None:
        self.set_scope(None)

    # ---- keeping the place across a reload ------------------------------------------------------
