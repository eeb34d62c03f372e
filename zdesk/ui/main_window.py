"""The main window: builds the views and menus, wires the controllers, shows what they report.

It implements the `Shell` the controllers talk to (messages, status texts, dialogs) and holds no
flow of its own: the portal session, loading, linking and exporting are controllers
(`ui/controllers/`), and what a project looks like on screen is the `ProjectView`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from zdesk.domain.severity import Severity
from zdesk.ui.controllers.exporting import Exporting
from zdesk.ui.controllers.linking import Linking
from zdesk.ui.controllers.loading import Loading, LoadResult
from zdesk.ui.controllers.remembering import Remembering
from zdesk.ui.controllers.session import PortalSession
from zdesk.ui.first_paint import FirstPaint
from zdesk.ui.plain import elide
from zdesk.ui.shell import MessageAction
from zdesk.ui.tabs import TABS
from zdesk.ui.widgets import EmptyState, MessageBar, StatusBar
from zdesk.ui.window_state import WindowState

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent
    from PySide6.QtWidgets import QDialog

    from zdesk.domain.checks import CheckRun
    from zdesk.domain.model import Project
    from zdesk.ui.project_view import ProjectView


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("zdesk")
        self.session = PortalSession(parent=self)
        self._view: ProjectView | None = None
        self.state = WindowState(
            self, self.session, lambda: self._view.widgets_with_state() if self._view else {}
        )
        self.loading = Loading(self.session, self, lambda: self._shown_project(), self)
        self.linking = Linking(self.session, self, self.loading, self)
        self.remembering = Remembering(self.session, self, self)
        self.exporting = Exporting(
            self.session, self, self.shown, self, extras=self.remembering.export_extras
        )
        self._build()
        self._build_menus()
        self._connect()
        self.state.restore()
        self.update_actions()
        # The empty page is what the first paint shows; the project page is built right after it.
        self.first_paint = FirstPaint(self)
        self.first_paint.later(lambda: self.view)

    @property
    def view(self) -> ProjectView:
        """The project page: built after the window is first painted, or once it is needed."""
        if self._view is None:
            from zdesk.ui.project_view import ProjectView

            self._view = view = ProjectView(self.state.saved)
            self.pages.addWidget(view)
            view.split.splitterMoved.connect(lambda _pos, _i: self._sync_panes())
            view.right.splitterMoved.connect(lambda _pos, _i: self._sync_panes())
            view.only_flagged_changed.connect(self.act_flagged.setChecked)
            view.shown.connect(self.update_status)
            view.mark_requested.connect(self.ask_known)
            self.state.restore_widgets()
            self._sync_panes()  # the splitters as kept: a pane may be closed
        return self._view

    def _shown_project(self) -> Project | None:
        return self._view.project if self._view is not None else None

    # ---- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.messages = MessageBar()
        self.empty = EmptyState()
        self.empty.link.clicked.connect(lambda: self.linking.link_portal())
        self.empty.demo.clicked.connect(lambda: self.linking.start_demo())
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.messages)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.resize(self._first_size())

    def _first_size(self) -> QSize:
        """1280×800, or less on a smaller screen (saved geometry wins later)."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None or screen.isEmpty():
            return QSize(1280, 800)
        return QSize(min(1280, screen.width() * 95 // 100), min(800, screen.height() * 95 // 100))

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcut=None, checkable=False) -> QAction:
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.setCheckable(checkable)
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        linking, loading, exporting = self.linking, self.loading, self.exporting
        file = self.menuBar().addMenu(self.tr("&Bestand"))
        self.act_link = action(file, self.tr("&Koppelen…"), lambda: linking.link_portal(), "Ctrl+K")
        self.portals_menu = file.addMenu(self.tr("&Portaal wisselen"))
        self.portals_menu.aboutToShow.connect(self.fill_portals_menu)
        self.act_unlink = action(file, self.tr("&Ontkoppelen…"), lambda: linking.unlink_portal())
        file.addSeparator()
        self.act_open = action(
            file,
            self.tr("Project &openen…"),
            lambda: loading.choose_project(),
            QKeySequence.StandardKey.Open,
        )
        self.act_reload = action(file, self.tr("&Vernieuwen"), lambda: loading.reload(), "F5")
        self.act_export = action(
            file, self.tr("&Exporteren naar Excel…"), lambda: exporting.export(), "Ctrl+E"
        )
        self.act_pseudo = action(
            file,
            self.tr("Exporteren &zonder namen"),
            lambda on: exporting.set_pseudonymise(on),
            checkable=True,
        )
        self.act_pseudo.setChecked(exporting.pseudonymise)
        self.act_history = action(
            file, self.tr("&Geschiedenis…"), lambda: self.remembering.show_dialog(self.shown())
        )
        file.addSeparator()
        action(file, self.tr("&Instellingen…"), lambda: self.show_settings())
        file.addSeparator()
        action(file, self.tr("&Afsluiten"), self.close, QKeySequence.StandardKey.Quit)

        menu = self.menuBar().addMenu(self.tr("B&eeld"))
        action(
            menu,
            self.tr("&Zoeken"),
            lambda: self.view.focus_search(),
            QKeySequence.StandardKey.Find,
        )
        self.act_flagged = action(
            menu,
            self.tr("Alleen met &signaleringen"),
            lambda on: self.view.only_flagged.setChecked(on),
            "Ctrl+Shift+S",
            checkable=True,
        )
        menu.addSeparator()
        # On a small screen the tree and the details make room for the tabs (also by dragging
        # the splitters shut); the choice is kept with the splitters.
        self.act_tree = action(
            menu, self.tr("Boom &tonen"), lambda on: self.view.show_tree(on), "Ctrl+Shift+B", True
        )
        self.act_details = action(
            menu,
            self.tr("&Details tonen"),
            lambda on: self.view.show_details(on),
            "Ctrl+Shift+D",
            True,
        )
        self.act_tree.setChecked(True)
        self.act_details.setChecked(True)
        menu.aboutToShow.connect(self._sync_panes)
        menu.addSeparator()
        action(menu, self.tr("Alles &uitklappen"), lambda: self.view.tree.expandAll())
        action(menu, self.tr("Alles &inklappen"), lambda: self.view.tree.collapseAll())
        menu.addSeparator()
        self.act_back = action(
            menu, self.tr("&Terug"), lambda: self.view.go_back(), QKeySequence.StandardKey.Back
        )
        self.act_forward = action(
            menu,
            self.tr("&Vooruit"),
            lambda: self.view.go_forward(),
            QKeySequence.StandardKey.Forward,
        )
        menu.addSeparator()
        action(menu, self.tr("&Boom"), lambda: self.view.tree.setFocus(), "Ctrl+0")
        for i, tab in enumerate(TABS):
            action(
                menu,
                self.tr(tab.name),
                lambda _c=False, i=i: self.view.show_tab(i),
                f"Ctrl+{i + 1}",
            )

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        action(help_menu, self.tr("&Toegangsrechten…"), lambda: loading.show_rights())
        action(help_menu, self.tr("&Portaalrapport…"), lambda: loading.portal_report())
        action(help_menu, self.tr("&Logbestanden openen"), lambda: self.open_logs())
        action(help_menu, self.tr("&Over zdesk"), lambda: self.show_about())
        self.cancel_action = QAction(self)
        self.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_action.triggered.connect(lambda: loading.cancel())
        self.addAction(self.cancel_action)

    def _sync_panes(self) -> None:
        self.act_tree.setChecked(self.view.tree_shown())
        self.act_details.setChecked(self.view.details_shown())

    def _connect(self) -> None:
        # What reaches the project page goes through `view`: built, if it was not yet, on the way.
        self.session.changed.connect(self.update_actions)
        self.loading.loaded.connect(self.show_result)
        self.loading.loaded.connect(self.remembering.remember)
        self.loading.started.connect(self._load_started)
        self.remembering.reopened.connect(self.show_saved)
        self.remembering.opened.connect(self.show_result)
        self.remembering.compared.connect(lambda comparison: self.view.show_changes(comparison))
        self.remembering.changed.connect(self.update_status)
        self.remembering.known_changed.connect(lambda marks: self.view.set_known(marks))
        self.loading.started.connect(lambda: self.view.pause_idle_work())
        self.loading.ended.connect(lambda: self.view.resume_idle_work())
        self.loading.changed.connect(self.update_status)
        self.exporting.changed.connect(self.update_actions)
        self.status.cancel_requested.connect(self.loading.cancel)

    # ---- showing a result ---------------------------------------------------------------------

    def shown(self) -> tuple[Project, CheckRun] | None:
        """The project on screen and its checks, if any."""
        view = self._view
        if view is None or view.project is None or view.run is None:
            return None
        return view.project, view.run

    def show_result(self, result: LoadResult) -> None:
        self.view.show_project(result.project, result.run, result.views)
        self.pages.setCurrentWidget(self.view)

    def show_saved(self, result: LoadResult) -> None:
        """A load read from the history, shown until the portal's answer replaces it."""
        if self.view.project is None:
            self.view.show_project(result.project, result.run, result.views)
            # The project page at once, whether or not the portal answers.
            self.pages.setCurrentWidget(self.view)
            self.loading.saved_shown()

    def ask_known(self, finding: Any) -> None:
        """Mark a signalering "bekend" with a note, or take the mark away again."""
        remembering = self.remembering
        if remembering.is_known(finding):
            remembering.unmark_known(finding)
            return
        from PySide6.QtWidgets import QDialog, QInputDialog

        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Signalering bekend"))
        dialog.setLabelText(
            self.tr("Een korte notitie, bijvoorbeeld 'h4/v4 combinatiegroep, zo bedoeld':")
        )
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            remembering.mark_known(finding, dialog.textValue())

    def update_actions(self) -> None:
        session = self.session
        linked = session.client is not None
        loading = self.loading.job is not None
        self.act_unlink.setEnabled(linked and not session.is_demo)
        self.act_open.setEnabled(linked and not loading)
        self.act_reload.setEnabled(linked and session.project_id is not None and not loading)
        shown = self._shown_project() is not None
        self.act_export.setEnabled(shown and self.exporting.job is None)

    def update_status(self) -> None:
        bar = self.status
        view = self._view
        project, run = (view.project, view.run) if view is not None else (None, None)
        demo = self.session.is_demo
        stale = self.loading.stale
        if project is None:
            bar.project.setText(self.tr("Geen project geladen"))
            bar.age.clear()
            bar.counts.clear()
        else:
            where = self.tr("demoportaal") if demo else project.portal
            bar.project.setText(f"{elide(project.info.label)} — {elide(where)}")
            loaded = time.strftime("%H:%M", time.localtime(project.loaded_at))
            age = self.tr("geladen om %s") % loaded
            saved = self.remembering.saved_shown
            if saved is not None:
                from zdesk.domain.when import moment_name

                age = self.tr("opgeslagen gegevens van %s") % moment_name(
                    saved.loaded_at, time.time()
                )
                if self.loading.job is not None:
                    age += ", " + self.tr("wordt bijgewerkt…")
            if stale:
                age += " — " + self.tr("niet bijgewerkt")
                if self.loading.failure:
                    age += ": " + self.loading.failure
            # Without a keyring no load is kept: said here, the reason in the tooltip.
            unavailable = self.remembering.unavailable
            if unavailable:
                age += " — " + self.tr("geen geschiedenis")
            bar.age.setToolTip(unavailable)
            bar.age.setText(age)
            bar.age.setStyleSheet("color: #c0392b;" if stale else "")
            known = self.remembering.known
            findings = run.findings if run else []
            if known:  # one pass, only when some signalering is marked "bekend"
                from zdesk.domain.known import split_known

                shown = split_known(findings, known)[0]
            else:
                shown = findings
            from zdesk.present.palette import tally

            n = tally(shown)
            counts = self.tr("%d fouten, %d waarschuwingen, %d info") % (
                n[Severity.FOUT],
                n[Severity.WAARSCHUWING],
                n[Severity.INFO],
            )
            hidden = len(run.findings) - len(shown) if run and known else 0
            if hidden:
                counts += " " + self.tr("(%d bekend)") % hidden
            comparison = self.remembering.comparison
            if comparison is not None:
                from zdesk.domain.when import since

                counts += " — " + self.tr("%s: %d nieuw, %d opgelost, %d wijzigingen") % (
                    since(comparison.before_loaded_at, time.time()),
                    len(comparison.new_findings),
                    len(comparison.resolved_findings),
                    len(comparison.changes),
                )
            bar.counts.setText(counts)
        title = "zdesk"
        if project is not None:
            title = f"{elide(project.info.label)} — zdesk" + (" (demo)" if demo else "")
            saved = self.remembering.saved_shown
            if saved is not None and self.loading.job is None:
                # A saved load looked at on its own: its date in the title.
                from datetime import datetime

                from zdesk.domain.when import table_moment

                moment = table_moment(datetime.fromtimestamp(saved.loaded_at))
                title = (
                    f"{elide(project.info.label)} — "
                    + self.tr("opgeslagen %s (alleen lezen)") % moment
                    + " — zdesk"
                )
        self.setWindowTitle(title)
        self.update_actions()

    def fill_portals_menu(self) -> None:
        menu = self.portals_menu
        menu.clear()
        portals = self.session.settings.portals
        current = self.session.portal_name
        for name in portals:
            act = menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(current == name)
            act.triggered.connect(lambda _c=False, n=name: self.linking.switch_portal(n))
        if not portals:
            menu.addAction(self.tr("(nog geen gekoppelde portalen)")).setEnabled(False)

    # ---- Shell --------------------------------------------------------------------------------

    def show_message(
        self,
        text: str,
        severity: Severity = Severity.WAARSCHUWING,
        actions: Sequence[MessageAction] = (),
    ) -> None:
        self.messages.show_message(text, severity, actions)

    def hide_message(self) -> None:
        self.messages.hide()

    def show_busy(self, text: str, cancellable: bool = True) -> None:
        self.status.busy(True, text)
        if not cancellable:
            self.status.cancel.setVisible(False)

    def show_idle(self) -> None:
        self.status.busy(False)

    def show_progress(self, done: int, total: int, text: str) -> None:
        self.status.step(done, total, text)

    def show_activity(self, text: str) -> None:
        self.status.activity.setText(text)

    def show_session_only(self, session_only: bool) -> None:
        label = self.status.session_only
        label.setVisible(session_only)
        label.setText(self.tr("⚠ koppeling alleen voor deze sessie"))
        label.setToolTip(
            self.tr(
                "Deze computer heeft geen beveiligde sleutelopslag; na afsluiten moet u opnieuw "
                "koppelen. zdesk bewaart het token nergens anders."
            )
        )

    def run_dialog(self, dialog: QDialog) -> int:
        """Show a dialog modally (the one place tests replace to drive dialogs)."""
        return dialog.exec()

    def confirm(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Ja"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Nee"))
        return self.run_dialog(box) == QMessageBox.StandardButton.Yes

    def dialog_parent(self) -> QWidget:
        return self

    def show_crash(self, _error: Exception, details: str) -> None:
        from zdesk.ui.dialogs.crash import CrashBox

        self.run_dialog(CrashBox(details, self))

    # ---- dialogs of the window itself ---------------------------------------------------------

    def show_settings(self) -> None:
        from zdesk.ui.dialogs.settings import change_settings

        change_settings(self, self.session, self.loading, self._shown_project)

    def show_about(self) -> None:
        from zdesk.ui.dialogs.about import AboutDialog

        self.run_dialog(AboutDialog(self))

    def open_logs(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from zdesk.store.paths import log_dir, private_dir

        folder = private_dir(log_dir())
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ---- start and end ------------------------------------------------------------------------

    def startup(self, demo: bool = False) -> None:
        self.linking.startup(demo)

    def _load_started(self) -> None:
        # Nothing on screen yet (the start, or the first project of a portal): the project opens
        # at once from the history while the portal is asked.
        if self._shown_project() is None and self.session.project_id is not None:
            self.remembering.reopen(self.session.project_id)

    def shutdown(self) -> None:
        from zdesk.ui.jobs import wait_for_jobs

        if self._view is not None:
            self._view.stop_idle_work()
        for job in (self.loading.job, self.exporting.job):
            if job is not None:
                job.cancel()
        self.remembering.cancel()
        wait_for_jobs(3000)
        self.session.close()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.first_paint.painted()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.state.save()
        self.shutdown()
        super().closeEvent(event)
