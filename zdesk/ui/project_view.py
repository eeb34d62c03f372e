"""What the window shows of one project: the tree, the tabs, the details pane and the search row.

It shows the domain and never computes it: a load's views are prepared in the worker, so showing
them is model resets. It moves between views (search, tabs, jumping to an object) and keeps what
it shows (`project`, `run`) for the others to read. The Signaleringen and Overzicht tabs are
pages of their own (`findings_page`, `overview_page`); it holds them and reaches their widgets.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QLocale,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from zdesk.ui.details import DetailsPane
from zdesk.ui.findings_page import FindingsPage
from zdesk.ui.history import JumpHistory
from zdesk.ui.jobs import release_in_background
from zdesk.ui.models.style import ObjectRole
from zdesk.ui.models.table import RecordTableModel
from zdesk.ui.models.tree import ProjectTreeModel, release
from zdesk.ui.overview_page import OverviewPage
from zdesk.ui.row_menus import RowMenus
from zdesk.ui.tabs import CHANGES, FINDINGS, OVERVIEW, TABS, Tab, Tabs
from zdesk.ui.views import (
    IdleWork,
    TreeSnapshot,
    build_search_when_idle,
    fit_columns,
    make_table,
    restore_tree,
    tree_snapshot,
)
from zdesk.ui.widgets import ScopeChip

if TYPE_CHECKING:
    from zdesk.domain.checks import CheckRun, Finding
    from zdesk.domain.model import Project
    from zdesk.ui.models.overview import Target
    from zdesk.ui.models.scope import Scope
    from zdesk.ui.models.tables import Views

# The domain (msgspec records, checks) is imported when a project is first shown, not at start.

TREE = "tree"  # the filter row's target when it is the tree, not a tab
RELEASE_AFTER_MS = 300  # a replaced project is freed this long after the new one is shown


class ProjectView(QWidget):
    shown = Signal()  # a project is now on screen
    only_flagged_changed = Signal(bool)  # the "only flagged" box, for the View menu's check
    mark_requested = Signal(object)  # a Finding to mark "bekend" (or no longer)

    def __init__(
        self, saved_columns: Callable[[str], str | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.saved_columns = saved_columns  # a tab's saved column widths, by state key
        self.project: Project | None = None
        self.run: CheckRun | None = None
        self.prepared: Views | None = None
        self.by_object: dict[tuple[str, Any], list[Finding]] = {}
        self.known: dict[Any, Any] = {}  # marks "bekend" of the shown project, by known_key
        self.settled_columns: set[str] = set()  # tabs whose widths were restored or fitted
        self.idle_work: IdleWork | None = None
        self.filtering = TREE  # the view the search row works on: the tree or a tab's name
        self._build()
        self._sync_filter_box()

    # ---- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.tree_model = ProjectTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The counts get a width from their header and five digits, not from their contents:
        # sizing to contents asks the model about a thousand rows on every relayout.
        digits = self.tree.fontMetrics().horizontalAdvance("00000") + 16
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(header.sectionSizeHint(column), digits))
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(lambda pos: self.menus.tree_menu(pos))

        built = []
        for spec in TABS:
            model = RecordTableModel([], self)
            view = self._table(model)
            if spec.name == FINDINGS:
                page = self.findings_page = FindingsPage(model, view)
            elif spec.name == OVERVIEW:
                page = self.overview_page = OverviewPage(model, view)
            else:
                page = view
            built.append(Tab(spec, model, view, page))
        self.tabs = Tabs(built)
        findings = self.tabs[FINDINGS]
        self.findings_page.filters_changed.connect(self._refilter_findings)
        self.findings_page.mark_requested.connect(self.mark_requested)
        self.matrix_model = self.overview_page.matrix_model
        self.matrix = self.overview_page.matrix
        self.overview_page.target_chosen.connect(self.open_target)
        # Enter and a double-click both "activate" a row: either jumps to the object.
        findings.view.activated.connect(lambda index: self.jump_to_finding(index.row()))
        self.menus = RowMenus(self)
        copy = QAction(self.tr("Kopiëren"), self.tree)
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.menus.copy_tree_node)
        self.tree.addAction(copy)
        for tab in self.tabs:
            tab.view.menu_hook = partial(self.menus.table_menu, tab)
        self.history = JumpHistory()
        self._navigating = False  # going back or forward: not a new jump
        self.scope: Scope | None = None
        self._tree_before_filter: TreeSnapshot | None = None
        self._selecting = False  # zdesk moves the tree's selection, not the user
        self.tabs[CHANGES].view.activated.connect(lambda index: self.jump_to_change(index.row()))
        self.comparison: Any = None  # the Comparison shown in Wijzigingen, if any

        self.tab_widget = QTabWidget()
        # Narrow windows shorten the tab titles instead of scrolling tabs out of sight.
        self.tab_widget.setUsesScrollButtons(False)
        self.tab_widget.setElideMode(Qt.TextElideMode.ElideRight)
        for tab in self.tabs:
            self.tab_widget.addTab(tab.page, self.tr(tab.name))
        self.tab_widget.currentChanged.connect(self._tab_changed)

        self.details = DetailsPane()
        self.details.jump.connect(self.jump_to)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoeken in de huidige weergave (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.only_flagged = QCheckBox(self.tr("Alleen met signaleringen"))
        self.only_flagged.toggled.connect(lambda _on: self._apply_filter())
        self.only_flagged.toggled.connect(self.only_flagged_changed)
        self.search.installEventFilter(self)  # Esc clears it
        # What the search row filters, for the user to see and to choose (focus also moves it).
        self.search_target = QComboBox()
        self.search_target.addItem(self.tr("de boom"), TREE)
        for tab in self.tabs:
            self.search_target.addItem(self.tr(tab.name), tab.name)
        self.search_target.setToolTip(self.tr("Waarin het zoekveld zoekt"))
        self.search_target.activated.connect(
            lambda i: self._choose_target(self.search_target.itemData(i))
        )
        search_label = QLabel(self.tr("&Zoeken in:"))
        search_label.setBuddy(self.search_target)
        self.match_count = QLabel()
        self.match_count.setToolTip(self.tr("Gevonden van het totaal"))
        self.scope_chip = ScopeChip()
        self.scope_chip.cleared.connect(self.clear_scope)
        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search_target)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.match_count)
        filters.addWidget(self.scope_chip)
        filters.addWidget(self.only_flagged)

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.tab_widget)
        self.right.addWidget(self.details)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.tree)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setSizes([460, 820])  # kept in proportion: the afdelingen and counts fit at 1024
        self.right.setSizes([640, 140])  # the tabs first: on a laptop the details stay small

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.split, 1)
        self.tree.installEventFilter(self)
        self.tree.viewport().installEventFilter(self)  # the mouse's back and forward buttons
        for tab in self.tabs:
            tab.view.installEventFilter(self)
            tab.view.viewport().installEventFilter(self)
        self.matrix.installEventFilter(self)  # the Overzicht's matrix: searching means its tab
        self.matrix.viewport().installEventFilter(self)

    def _table(self, model: RecordTableModel) -> QTableView:
        view = make_table(model)
        view.selectionModel().currentRowChanged.connect(
            lambda current, _old, m=model: self._show_details(
                m.row_object(current.row()) if current.isValid() else None
            )
        )
        return view

    def set_known(self, marks: dict[Any, Any]) -> None:
        """The marks of the shown project: known ones are hidden unless asked for, and count
        apart in the Overzicht (handled, not keeping an afdeling from ready)."""
        changed = marks != self.known
        self.known = marks
        if changed and self.project is not None and self.run is not None:
            self._show_overview()
        self._refilter_findings()

    def _show_overview(self) -> None:
        """The Overzicht again, with the marks bekend of now."""
        from zdesk.domain.formatie import build_formatie
        from zdesk.ui.models.overview import summary_table

        project, run = self.project, self.run
        assert project is not None and run is not None
        formatie = build_formatie(project, run.options, run.findings, self.known)
        self.tabs[OVERVIEW].model.set_data(summary_table(formatie))
        self.overview_page.show_formatie(formatie, project)

    def open_target(self, target: Target | None) -> bool:
        """Go to what an overview cell stands for; False when there is nothing to go to.

        A count opens exactly what it counts (by the objects' ids); Alt+Left comes back.
        """
        if target is None or self.project is None:
            return False
        if target.kind not in ("findings", "objects"):
            if target.object_id is None:
                return False
            self._activate(OVERVIEW)
            return self.jump_to(target.kind, target.object_id)
        self._activate(OVERVIEW)
        origin = self.place()
        if target.kind == "findings":
            tab = self.tabs[FINDINGS]
            if self.scope is not None:
                self.clear_scope()
            tab.model.set_filter("", False)
            self.findings_page.show_only(list(target.findings), target.label)
        else:
            from zdesk.ui.models.scope import Scope

            tab = self.tabs[target.tab]
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

    def widgets_with_state(self) -> dict[str, Any]:
        """What keeps its state across sessions, by the key it is kept under."""
        widgets: dict[str, Any] = {tab.spec.state_key: tab.view for tab in self.tabs}
        widgets["tree"] = self.tree.header()
        widgets["split"] = self.split
        widgets["right"] = self.right
        widgets["overview"] = self.overview_page
        return widgets

    def tree_shown(self) -> bool:
        return self.split.sizes()[0] > 0

    def details_shown(self) -> bool:
        return self.right.sizes()[1] > 0

    def show_tree(self, on: bool) -> None:
        """Show the tree, or give its room to the tabs (the splitter can also be dragged shut)."""
        _show_pane(self.split, 0, on, 2 / 5)

    def show_details(self, on: bool) -> None:
        _show_pane(self.right, 1, on, 1 / 4)

    # ---- showing a project --------------------------------------------------------------------

    def findings_of_object(self, obj: Any) -> list[Finding]:
        from zdesk.domain.checks import Finding, object_key

        if isinstance(obj, Finding):
            return [obj]
        key = object_key(obj)
        return self.by_object.get(key, []) if key else []

    def show_project(self, project: Project, run: CheckRun, views: Views | None = None) -> None:
        """Show a load; `views` is prepared in the worker so this is only model resets."""
        from zdesk.ui.models.tables import prepare_views

        views = views or prepare_views(project, run)
        # A reload of the same project keeps open nodes, selections and scroll positions.
        same = (
            self.project is not None
            and self.project.info.id == project.info.id
            and self.project.portal == project.portal
        )
        kept = self._snapshot() if same else None
        if not same:  # another project: nothing of the last one's places or scope applies
            self.history.clear()
            self.set_scope(None)
        # What is shown now is freed in the background once nothing here refers to it.
        old: list[Any] = [self.project, self.run, self.prepared, self.by_object]
        self.project, self.run, self.prepared = project, run, views
        self.by_object = views.by_object
        old_root = self.tree_model.set_root(views.tree, keep_old=True)
        for tab in self.tabs:
            if tab.name != FINDINGS:
                tab.model.set_data(tab.spec.rows(views))
        if self.known:  # prepared without the marks bekend: counted again with them
            self._show_overview()
        else:
            self.overview_page.show_formatie(views.formatie, project)
        self.findings_page.fill_checks(run)
        if not self.findings_page.narrowed and not self.known:
            self.tabs[FINDINGS].model.set_data(views.findings)
        else:
            self._refilter_findings()
        for tab in self.tabs:
            tab.view.setEnabled(tab.spec.available(project))
        for tab in self.tabs:
            self._restore_columns(tab)
            self._fit_columns(tab)
        if self.search.text() or self.only_flagged.isChecked():
            self._apply_filter()
        if kept is not None:
            self._restore(kept)
        # Open the vestigingen, unless that means hundreds of afdelingen: then the first one.
        elif len(project.departments) <= 80:
            self.tree.expandToDepth(0)
        elif self.tree_model.rowCount():
            self.tree.expand(self.tree_model.index(0, 0))
        if kept is None:
            self._show_details(None)
        self.shown.emit()
        self._prefetch_search(views)
        old.append(old_root)
        # Freed a moment later, in a worker, in small pieces: not while the window paints the
        # new project (two busy threads take turns on the interpreter, each slowing the other).
        freeing = partial(release_in_background, old, partial(release, old_root))
        QTimer.singleShot(RELEASE_AFTER_MS, self, freeing)

    def run_when_idle(self, steps: Generator[None, None, None]) -> IdleWork:
        """Work for idle moments, in place of the last (which lets go of what it held)."""
        if self.idle_work is not None:  # it would keep the old views alive
            self.idle_work.cancel()
        self.idle_work = IdleWork(self, steps)
        return self.idle_work

    def _prefetch_search(self, views: Views) -> None:
        if self.idle_work is not None:
            self.idle_work.cancel()
        self.idle_work = build_search_when_idle(
            self, [(tab.model, tab.spec.rows(views)) for tab in self.tabs], views.tree
        )

    def pause_idle_work(self) -> None:
        """During a load each slice would wait for the load's threads between every step."""
        if self.idle_work is not None:
            self.idle_work.pause()

    def resume_idle_work(self) -> None:
        if self.idle_work is not None:
            self.idle_work.resume()  # the new load's, or the old one's when the load failed

    def stop_idle_work(self) -> None:
        if self.idle_work is not None:
            self.idle_work.cancel()

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

    def _refilter_findings(self) -> None:
        if self.project is None or self.run is None:
            return
        text = self.search.text() if self.filtering == FINDINGS else ""
        self.findings_page.refilter(self.project, self.run, self.known, text)

    def _show_details(self, obj: Any) -> None:
        if obj is not None and self.project is not None:
            from zdesk.domain.formatie import BranchRow, DepartmentRow
            from zdesk.ui.models.changes import ChangeRow

            if isinstance(obj, DepartmentRow):  # an Overzicht row: its afdeling
                obj = obj.department
            elif isinstance(obj, BranchRow):
                obj = obj.branch
            elif isinstance(obj, ChangeRow):  # a change: the object as it is now
                obj = self.project.object_of(obj.object_type, obj.object_id) or obj.finding
        self.details.show_object(self.project, obj, self.findings_of_object, self.known)

    def _tab_changed(self, i: int) -> None:
        """The details follow the tab now shown: its current row, or nothing."""
        tab = self.tabs[i]
        self._activate(tab.name)
        current = tab.view.currentIndex()
        if self.project is not None:
            self._show_details(tab.model.row_object(current.row()) if current.isValid() else None)

    # ---- filtering ------------------------------------------------------------------------------

    def eventFilter(self, watched: Any, event: Any) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn and watched is not self.search:
            current = self.tabs[self.tab_widget.currentIndex()].name
            self._activate(TREE if watched is self.tree else current)
        elif watched is self.search and kind in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                if kind == QEvent.Type.KeyPress:
                    self.search.clear()
                event.accept()  # Esc clears the search here; it cancels a load elsewhere
                return kind == QEvent.Type.KeyPress
        elif kind == QEvent.Type.MouseButtonPress:
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return False

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

    def filtered_model(self) -> Any:
        """The model the search row filters now."""
        if self.filtering == TREE:
            return self.tree_model
        return self.tabs[self.filtering].model

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
            tab.model.set_scope(scope)
        self.matrix_model.set_departments(scope.departments if scope is not None else None)
        self.scope_chip.show_scope(scope.label if scope is not None else None)
        self._show_count()

    def clear_scope(self) -> None:
        self.set_scope(None)

    # ---- keeping the place across a reload ------------------------------------------------------

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

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def show_tab(self, i: int) -> None:
        self.tab_widget.setCurrentIndex(i)
        self._activate(self.tabs[i].name)
        self.tabs[i].view.setFocus()

    # ---- jumping to an object -------------------------------------------------------------------

    def jump_to_finding(self, row: int) -> bool:
        """Select the object of the finding in row `row` of Signaleringen (Enter, double-click)."""
        finding = self.tabs[FINDINGS].model.row_object(row)
        return self.jump_to(finding.object_type, finding.object_id)

    def jump_to_change(self, row: int) -> bool:
        """Select the object of the change in row `row` of Wijzigingen (as a double-click)."""
        change = self.tabs[CHANGES].model.row_object(row)
        return self.jump_to(change.object_type, change.object_id)

    def show_changes(self, comparison: Any) -> None:
        """The comparison with an earlier load in Wijzigingen (None: no comparison)."""
        from zdesk.domain.when import day_name
        from zdesk.ui.models.changes import changes_table, marker_texts, names_in

        self.comparison = comparison
        since = day_name(comparison.before_loaded_at, time.time()) if comparison else ""
        markers = marker_texts(comparison, since)
        self.tree_model.set_changes(markers)
        for other in self.tabs:
            if other.name not in (CHANGES, FINDINGS):
                other.model.set_changes(markers)
        tab = self.tabs[CHANGES]
        names = names_in(self.project) if self.project is not None else None
        tab.model.set_data(changes_table(comparison, names) if names else changes_table(comparison))
        index = self.tab_widget.indexOf(tab.page)
        count = tab.model.rowCount()
        self.tab_widget.setTabText(
            index, self.tr("Wijzigingen (%d)") % count if comparison else self.tr("Wijzigingen")
        )
        self._fit_columns(tab)

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
        if self.filtering == OVERVIEW:  # the cell of the summary or the matrix
            where = self.overview_page.where()
            if where is not None:
                return (OVERVIEW, where)
        tab = self.tabs[self.filtering]
        current = tab.view.currentIndex()
        return (tab.name, tab.model.row_object(current.row())) if current.isValid() else None

    def go_to(self, place: tuple[str, Any]) -> bool:
        view, what = place
        self._navigating = True
        try:
            if view == TREE:
                return self._select_in_tree(*what)
            tab = self.tabs[view]
            if view == OVERVIEW and isinstance(what, tuple):
                self.tab_widget.setCurrentWidget(tab.page)
                self._activate(OVERVIEW)
                return self.overview_page.select(what)
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


def _show_pane(splitter: QSplitter, which: int, on: bool, share: float) -> None:
    """Open a splitter's pane at `share` of its room, or close it (size 0)."""
    sizes = splitter.sizes()
    total = sum(sizes) or 1
    if on == (sizes[which] > 0):
        return
    size = round(total * share) if on else 0
    other = 1 - which
    sizes[which], sizes[other] = size, total - size
    splitter.setSizes(sizes)
