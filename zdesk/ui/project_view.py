"""What the window shows of one project: the tree, the tabs, the details pane and the search row.

It shows the domain and never computes it: a load's views are prepared in the worker, so showing
them is model resets. It moves between views (search, tabs, jumping to an object) and keeps what
it shows (`project`, `run`) for the others to read. Each tab's spec builds its page and shows
its part of a load (`tabs`, `tab_pages`); the Signaleringen and Overzicht pages plug themselves
in (`findings_page`, `overview_page`) and it reaches their widgets.
Its roles beyond laying out the page are parts of their own: searching and scope
(`project_search`), moving between places and jumping to objects (`project_navigation`), and
keeping its place across a reload (`project_place`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zdesk.ui.details import DetailsPane
from zdesk.ui.history import JumpHistory
from zdesk.ui.jobs import release_in_background
from zdesk.ui.models.table import RecordTableModel
from zdesk.ui.models.tree import ProjectTreeModel, release
from zdesk.ui.mouse_navigation import NavigatingTree
from zdesk.ui.project_navigation import Navigating
from zdesk.ui.project_place import KeepingPlace
from zdesk.ui.project_search import TREE, Searching
from zdesk.ui.row_menus import RowMenus
from zdesk.ui.tabs import TABS, Tab, Tabs
from zdesk.ui.views import (
    IdleWork,
    RecordTable,
    TreeSnapshot,
    build_search_when_idle,
    make_table,
)
from zdesk.ui.widgets import ScopeChip

if TYPE_CHECKING:
    from zdesk.domain.checks import CheckRun, Finding
    from zdesk.domain.model import Project
    from zdesk.ui.findings_page import FindingsPage
    from zdesk.ui.models.overview import MatrixModel
    from zdesk.ui.models.scope import Scope
    from zdesk.ui.models.tables import Views
    from zdesk.ui.overview_page import OverviewPage

# The domain (msgspec records, checks) is imported when a project is first shown, not at start.

RELEASE_AFTER_MS = 300  # a replaced project is freed this long after the new one is shown


class ProjectView(Searching, Navigating, KeepingPlace, QWidget):
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
        self.tree = NavigatingTree()
        self.tree.navigate = self._navigate
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

        # Set by the pages of their tabs (see tab_pages.py), as each tab's page is built.
        self.overview_page: OverviewPage
        self.findings_page: FindingsPage
        self.matrix_model: MatrixModel
        self.matrix: RecordTable
        self.overview_tab: Tab
        self.findings_tab: Tab
        self.changes_tab: Tab
        built = []
        for spec in TABS:
            model = RecordTableModel([], self)
            view = self._table(model)
            tab = Tab(spec, model, view, view)
            tab.page = spec.page(self, tab)
            if spec.points_at is not None:
                # Enter and a double-click both "activate" a row: either jumps to the object.
                view.activated.connect(lambda index, t=tab: self.jump_to_object_of(t, index.row()))
            built.append(tab)
        self.tabs = Tabs(built)
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
        self.comparison: Any = None  # the Comparison shown in Wijzigingen, if any

        self.tab_widget = QTabWidget()
        # Narrow windows shorten the tab titles instead of scrolling tabs out of sight.
        self.tab_widget.setUsesScrollButtons(False)
        self.tab_widget.setElideMode(Qt.TextElideMode.ElideRight)
        for tab in self.tabs:
            at = self.tab_widget.addTab(tab.page, self.tr(tab.name))
            self.tab_widget.setTabToolTip(at, self.tr(tab.name))  # the whole title when shortened
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
        for tab in self.tabs:
            tab.view.installEventFilter(self)
            tab.view.navigate = self._navigate
        self.matrix.installEventFilter(self)  # the Overzicht's matrix: searching means its tab
        self.matrix.navigate = self._navigate

    def _table(self, model: RecordTableModel) -> RecordTable:
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
        from zdesk.present.doorstroom import DoorstroomStudent

        if isinstance(obj, Finding):
            return [obj]
        key = ("student", obj.code) if isinstance(obj, DoorstroomStudent) else object_key(obj)
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
            tab.spec.show(self, tab, views)
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

    def _show_details(self, obj: Any) -> None:
        if obj is not None and self.project is not None:
            from zdesk.domain.formatie import BranchRow, DepartmentRow
            from zdesk.present.columns import ChangeRow

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
        elif (
            watched is self.search
            and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and event.key() == Qt.Key.Key_Escape
            and self.search.text()
        ):
            if kind == QEvent.Type.KeyPress:
                self.search.clear()
            event.accept()  # Esc clears the search here; it cancels a load elsewhere
            return kind == QEvent.Type.KeyPress
        return False

    def _navigate(self, forward: bool) -> None:
        """The mouse's back or forward button over the tree or a table."""
        if forward:
            self.go_forward()
        else:
            self.go_back()

    def show_changes(self, comparison: Any) -> None:
        """The comparison with an earlier load in Wijzigingen (None: no comparison)."""
        from zdesk.domain.when import day_name
        from zdesk.ui.models.changes import changes_table, marker_texts, names_in

        self.comparison = comparison
        since = day_name(comparison.before_loaded_at, time.time()) if comparison else ""
        markers = marker_texts(comparison, since)
        self.tree_model.set_changes(markers)
        for other in self.tabs:
            if other.spec.marks_changes:
                other.model.set_changes(markers)
        tab = self.changes_tab
        names = names_in(self.project) if self.project is not None else None
        tab.model.set_data(changes_table(comparison, names) if names else changes_table(comparison))
        index = self.tab_widget.indexOf(tab.page)
        count = tab.model.rowCount()
        self.tab_widget.setTabText(
            index, self.tr("Wijzigingen (%d)") % count if comparison else self.tr("Wijzigingen")
        )
        self._fit_columns(tab)


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
