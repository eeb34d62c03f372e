"""The main window: tree and tables of one project, its signaleringen, details, menus, status.

It shows the domain and never computes it: the flows that talk to the portal (linking, loading,
exporting) live in `ui/session.py`; this module arranges the views and moves between them.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from zdesk.domain.severity import Severity
from zdesk.ui.details import DetailsPane
from zdesk.ui.export_flow import ExportFlows
from zdesk.ui.jobs import release_in_background
from zdesk.ui.linking_flow import LinkFlows
from zdesk.ui.models.style import ObjectRole
from zdesk.ui.models.table import RecordTableModel
from zdesk.ui.models.tree import ProjectTreeModel, release
from zdesk.ui.session import SessionFlows
from zdesk.ui.views import IdleWork, build_search_when_idle, fit_columns, make_table
from zdesk.ui.widgets import MessageBar, StatusBar
from zdesk.ui.window_state import WindowState

if TYPE_CHECKING:
    from zdesk.domain.checks import CheckRun, Finding
    from zdesk.domain.model import Project
    from zdesk.ui.models.tables import Views

# The domain (msgspec records, checks) is imported when a project is first shown, not at start.

TABS = ("Roostergroepen", "Leerlingen", "Geplande groepen", "Signaleringen")


class MainWindow(SessionFlows, LinkFlows, ExportFlows, WindowState, QMainWindow):
    def __init__(self) -> None:
        QMainWindow.__init__(self)
        self.project: Project | None = None
        self.run: CheckRun | None = None
        self._by_object: dict[tuple[str, Any], list[Finding]] = {}
        self._views: Views | None = None
        self.setWindowTitle("zdesk")
        self._build_views()
        self._build_menus()
        self._sync_filter_box()
        SessionFlows.__init__(self)
        self.restore_state()

    # ---- layout -------------------------------------------------------------------------------

    def _table(self, model: RecordTableModel) -> QTableView:
        view = make_table(model)
        view.selectionModel().currentRowChanged.connect(
            lambda current, _old, m=model: self._show_details(
                m.row_object(current.row()) if current.isValid() else None
            )
        )
        return view

    def _build_views(self) -> None:
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
        self.tree.selectionModel().currentChanged.connect(
            lambda current, _old: self._show_details(
                self.tree_model.data(current, ObjectRole) if current.isValid() else None
            )
        )

        self.groups_model = RecordTableModel([], self)
        self.placements_model = RecordTableModel([], self)
        self.planned_model = RecordTableModel([], self)
        self.findings_model = RecordTableModel([], self)
        self.tables = {
            "Roostergroepen": self._table(self.groups_model),
            "Leerlingen": self._table(self.placements_model),
            "Geplande groepen": self._table(self.planned_model),
        }
        self.findings_view = self._table(self.findings_model)
        self.findings_view.doubleClicked.connect(self._jump_to_finding)
        self.check_filter = QComboBox()
        self.severity_filter = QComboBox()
        self.severity_filter.addItem(self.tr("Alle ernst"), None)
        for severity in Severity:
            self.severity_filter.addItem(severity.value, severity.value)
        self.check_filter.currentIndexChanged.connect(self._refilter_findings)
        self.severity_filter.currentIndexChanged.connect(self._refilter_findings)
        findings_page = QWidget()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Controle:")))
        bar.addWidget(self.check_filter, 2)
        bar.addWidget(QLabel(self.tr("Ernst:")))
        bar.addWidget(self.severity_filter, 1)
        page = QVBoxLayout(findings_page)
        page.setContentsMargins(0, 4, 0, 0)
        page.addLayout(bar)
        page.addWidget(self.findings_view)

        self.tabs = QTabWidget()
        for name, view in self.tables.items():
            self.tabs.addTab(view, self.tr(name))
        self.tabs.addTab(findings_page, self.tr("Signaleringen"))
        self.tabs.currentChanged.connect(lambda i: self._activate(TABS[i]))

        self.details = DetailsPane()
        self.details.jump.connect(self.jump_to)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoeken in de huidige weergave (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.only_flagged = QCheckBox(self.tr("Alleen met signaleringen"))
        self.only_flagged.toggled.connect(lambda _on: self._apply_filter())
        self.filter_scope = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.filter_scope)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.only_flagged)

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.tabs)
        self.right.addWidget(self.details)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.tree)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setSizes([560, 720])
        self.right.setSizes([560, 220])
        self._fitted: set[str] = set()
        self._idle_work: IdleWork | None = None

        self.messages = MessageBar()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.messages)
        layout.addLayout(filters)
        layout.addWidget(self.split, 1)
        self.setCentralWidget(central)
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self._active = "tree"
        self.tree.installEventFilter(self)
        for view in (*self.tables.values(), self.findings_view):
            view.installEventFilter(self)
        self.resize(1280, 800)

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcut=None, checkable=False) -> QAction:
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.setCheckable(checkable)
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        file = self.menuBar().addMenu(self.tr("&Bestand"))
        self.act_link = action(file, self.tr("&Koppelen…"), lambda: self.link_portal(), "Ctrl+K")
        self.portals_menu = file.addMenu(self.tr("&Portaal wisselen"))
        self.portals_menu.aboutToShow.connect(self.fill_portals_menu)
        self.act_unlink = action(file, self.tr("&Ontkoppelen…"), lambda: self.unlink_portal())
        file.addSeparator()
        self.act_open = action(
            file,
            self.tr("Project &openen…"),
            lambda: self.choose_project(),
            QKeySequence.StandardKey.Open,
        )
        self.act_reload = action(file, self.tr("&Vernieuwen"), lambda: self.reload(), "F5")
        self.act_export = action(
            file, self.tr("&Exporteren naar Excel…"), lambda: self.export_excel(), "Ctrl+E"
        )
        self.act_pseudo = action(
            file,
            self.tr("Exporteren &zonder namen"),
            lambda on: self.set_pseudonymise(on),
            checkable=True,
        )
        file.addSeparator()
        action(file, self.tr("&Afsluiten"), self.close, QKeySequence.StandardKey.Quit)

        view = self.menuBar().addMenu(self.tr("B&eeld"))
        action(view, self.tr("&Zoeken"), self.focus_search, QKeySequence.StandardKey.Find)
        self.act_flagged = action(
            view,
            self.tr("Alleen met &signaleringen"),
            lambda on: self.only_flagged.setChecked(on),
            "Ctrl+Shift+S",
            checkable=True,
        )
        self.only_flagged.toggled.connect(self.act_flagged.setChecked)
        view.addSeparator()
        action(view, self.tr("Alles &uitklappen"), self.tree.expandAll)
        action(view, self.tr("Alles &inklappen"), self.tree.collapseAll)
        view.addSeparator()
        action(view, self.tr("&Boom"), lambda: self.tree.setFocus(), "Ctrl+0")
        for i, name in enumerate(TABS):
            action(view, self.tr(name), lambda _c=False, i=i: self.show_tab(i), f"Ctrl+{i + 1}")

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        action(help_menu, self.tr("&Toegangsrechten…"), lambda: self.show_rights())
        action(help_menu, self.tr("&Logbestanden openen"), lambda: self.open_logs())
        action(help_menu, self.tr("&Over zdesk"), lambda: self.show_about())
        self.cancel_action = QAction(self)
        self.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_action.triggered.connect(lambda: self.cancel_load())
        self.addAction(self.cancel_action)

    # ---- showing a project --------------------------------------------------------------------

    def findings_of(self, kind: str, object_id: Any) -> list[Finding]:
        return self._by_object.get((kind, object_id), [])

    def findings_of_object(self, obj: Any) -> list[Finding]:
        from zdesk.domain.checks import Finding, object_key

        if isinstance(obj, Finding):
            return [obj]
        key = object_key(obj)
        return self._by_object.get(key, []) if key else []

    def show_project(self, project: Project, run: CheckRun, views: Views | None = None) -> None:
        """Show a load; `views` is prepared in the worker so this is only model resets."""
        from zdesk.ui.models.tables import prepare_views

        views = views or prepare_views(project, run)
        # What is shown now is freed in the background once nothing here refers to it.
        old: list[Any] = [self.project, self.run, self._views, self._by_object]
        self.project, self.run, self._views = project, run, views
        self._by_object = views.by_object
        old_root = self.tree_model.set_root(views.tree, keep_old=True)
        self.groups_model.set_data(views.groups)
        self.placements_model.set_data(views.placements)
        self.planned_model.set_data(views.planned)
        self._fill_check_filter()
        if self.check_filter.currentData() is None and self.severity_filter.currentData() is None:
            self.findings_model.set_data(views.findings)
        else:
            self._refilter_findings()
        for i, view in enumerate(self.tables.values()):
            view.setEnabled(i != 1 or project.has_placements)
        for name, view in (*self.tables.items(), ("Signaleringen", self.findings_view)):
            self._restore_columns(name, view)
            self._fit_columns(name, view)
        if self.search.text() or self.only_flagged.isChecked():
            self._apply_filter()
        # Open the vestigingen, unless that means hundreds of afdelingen: then the first one.
        if len(project.departments) <= 80:
            self.tree.expandToDepth(0)
        elif self.tree_model.rowCount():
            self.tree.expand(self.tree_model.index(0, 0))
        self._show_details(None)
        self.update_status()
        self._prefetch_search(views)
        old.append(old_root)
        release_in_background(old, partial(release, old_root))

    def _prefetch_search(self, views: Views) -> None:
        if self._idle_work is not None:  # it would keep the old views alive
            self._idle_work.cancel()
        self._idle_work = build_search_when_idle(
            self,
            [
                (self.groups_model, views.groups),
                (self.placements_model, views.placements),
                (self.planned_model, views.planned),
                (self.findings_model, views.findings),
            ],
            views.tree,
        )

    def _fit_columns(self, name: str, view: QTableView) -> None:
        """Size columns to their text once, unless the user's own widths were restored."""
        if name in self._fitted or view.model().rowCount() == 0:
            return
        self._fitted.add(name)
        fit_columns(view)

    def _fill_check_filter(self) -> None:
        from zdesk.domain.checks import CHECKS

        assert self.run is not None
        counts = self.run.counts()
        current = self.check_filter.currentData()
        self.check_filter.blockSignals(True)
        self.check_filter.clear()
        self.check_filter.addItem(self.tr("Alle controles (%d)") % len(self.run.findings), None)
        for check in CHECKS:
            if check.id in counts:
                self.check_filter.addItem(f"{check.title} ({counts[check.id]})", check.id)
        skipped = {s.check for s in self.run.skipped}
        for check in CHECKS:
            if check.id in skipped:
                self.check_filter.addItem(f"{check.title} (overgeslagen)", check.id)
        found = self.check_filter.findData(current)
        self.check_filter.setCurrentIndex(max(found, 0))
        self.check_filter.blockSignals(False)

    def _refilter_findings(self) -> None:
        from zdesk.ui.models.tables import filter_findings

        if self.project is None or self.run is None:
            return
        filter_findings(
            self.findings_model,
            self.run.findings,
            self.project,
            self.check_filter.currentData(),
            self.severity_filter.currentData(),
        )
        self.findings_model.set_filter(
            self.search.text() if self._active == "Signaleringen" else "", None
        )

    def _show_details(self, obj: Any) -> None:
        self.details.show_object(self.project, obj, self.findings_of_object)

    # ---- filtering ------------------------------------------------------------------------------

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self._activate("tree" if watched is self.tree else TABS[self.tabs.currentIndex()])
        return False

    def _activate(self, name: str) -> None:
        """The view the filter box works on: the tree or the tab last looked at."""
        if name != self._active:
            self._active = name
            self._sync_filter_box()

    def active_model(self) -> Any:
        if self._active == "tree":
            return self.tree_model
        return {
            "Roostergroepen": self.groups_model,
            "Leerlingen": self.placements_model,
            "Geplande groepen": self.planned_model,
            "Signaleringen": self.findings_model,
        }[self._active]

    def _sync_filter_box(self) -> None:
        model = self.active_model()
        self.filter_scope.setText(
            self.tr("Zoeken in %s:")
            % (self.tr("de boom") if self._active == "tree" else self.tr(self._active))
        )
        self.search.blockSignals(True)
        self.search.setText(getattr(model, "_text", ""))
        self.search.blockSignals(False)
        self.only_flagged.blockSignals(True)
        self.only_flagged.setChecked(getattr(model, "_only_flagged", False))
        self.act_flagged.setChecked(self.only_flagged.isChecked())
        self.only_flagged.blockSignals(False)

    def _apply_filter(self) -> None:
        self.active_model().set_filter(self.search.text(), self.only_flagged.isChecked())
        if self._active == "tree" and self.search.text().strip():
            self.tree.expandAll()
        self.update_status()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def show_tab(self, i: int) -> None:
        self.tabs.setCurrentIndex(i)
        self._activate(TABS[i])
        view = list(self.tables.values())[i] if i < len(self.tables) else self.findings_view
        view.setFocus()

    # ---- jumping to an object -------------------------------------------------------------------

    def _jump_to_finding(self, index: QModelIndex) -> None:
        finding = self.findings_model.row_object(index.row())
        self.jump_to(finding.object_type, finding.object_id)

    def jump_to(self, kind: str, object_id: Any) -> bool:
        """Select the object in the tree or the table where it lives; False when not found."""
        if self.project is None:
            return False
        if kind in ("group", "student", "placement"):
            name = "Roostergroepen" if kind == "group" else "Leerlingen"
            model = self.groups_model if kind == "group" else self.placements_model

            def wanted(obj: Any) -> bool:
                if kind == "group":
                    return obj.id == object_id
                if kind == "placement":
                    return obj.id == object_id
                return obj.student_code == str(object_id)

            row = model.row_of(wanted)
            if row is None:
                model.set_filter("", False)
                row = model.row_of(wanted)
            if row is None:
                return False
            view = self.tables[name]
            self.tabs.setCurrentWidget(view)
            index = model.index(row, 0)
            view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            view.scrollTo(index)
            view.setFocus()
            self._activate(name)
            return True
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
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)
        self.tree.setFocus()
        self._activate("tree")
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.shutdown()
        super().closeEvent(event)
