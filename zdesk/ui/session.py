"""What the main window does with a portal: start, the project picker, and loading.

Every slow step runs as a background Job; the window stays responsive and shows progress. A load
that fails or is cancelled leaves the previous data on screen, marked as not fresh, and the message
bar offers the action that helps (link again, show rights, try again). Linking and the export have
their own modules (linking_flow.py, export_flow.py).
"""

from __future__ import annotations

import gc
import logging
import time
from typing import TYPE_CHECKING, Any

from zdesk.domain.severity import Severity
from zdesk.errors import SecretStoreError
from zdesk.portal.errors import Cancelled, ProxyPage, RightMissing, TokenRejected
from zdesk.store.settings import Settings
from zdesk.ui.jobs import Job

# What talks to the network, the keyring or Excel is imported when first used: the window should
# be on screen before requests, keyring and XlsxWriter are loaded.

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from zdesk.domain.model import Project
    from zdesk.portal.client import PortalClient
    from zdesk.portal.linking import Linked
    from zdesk.portal.rights import RightsReport
    from zdesk.store.secrets import SecretStore
    from zdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class SessionFlows:
    """Mixed into MainWindow: the portal, the token and the jobs that talk to them."""

    def __init__(self: MainWindow) -> None:
        self.settings = Settings.load()
        self._secrets: SecretStore | None = None
        self.client: PortalClient | None = None
        self.who = ""
        self.demo_portal: Any = None
        self.rights: RightsReport | None = None
        self.project_id: int | None = None
        self.load_job: Job | None = None
        self.export_job: Job | None = None
        self.stale = False
        self.rights_shown_for: set[tuple[str, int]] = set()
        self.status.cancel_requested.connect(self.cancel_load)
        self.update_actions()

    # ---- small helpers ------------------------------------------------------------------------

    @property
    def secrets(self: MainWindow) -> SecretStore:
        if self._secrets is None:
            from zdesk.store.secrets import SecretStore

            self._secrets = SecretStore()
        return self._secrets

    def save_settings(self: MainWindow) -> None:
        try:
            self.settings.save()
        except OSError as exc:
            log.warning("Instellingen niet opgeslagen: %s", exc)

    def update_actions(self: MainWindow) -> None:
        linked = self.client is not None
        loading = self.load_job is not None
        self.act_unlink.setEnabled(linked and self.demo_portal is None)
        self.act_open.setEnabled(linked and not loading)
        self.act_reload.setEnabled(linked and self.project_id is not None and not loading)
        self.act_export.setEnabled(self.project is not None and self.export_job is None)

    def update_status(self: MainWindow) -> None:
        bar = self.status
        if self.project is None:
            bar.project.setText(self.tr("Geen project geladen"))
            bar.age.clear()
            bar.counts.clear()
        else:
            p = self.project
            where = self.tr("demoportaal") if self.demo_portal is not None else p.portal
            bar.project.setText(f"{p.info.label} — {where}")
            loaded = time.strftime("%H:%M", time.localtime(p.loaded_at))
            age = self.tr("geladen om %s") % loaded
            if self.stale:
                age += " — " + self.tr("niet bijgewerkt")
            bar.age.setText(age)
            bar.age.setStyleSheet("color: #c0392b;" if self.stale else "")
            n = {s: 0 for s in Severity}
            for f in self.run.findings if self.run else ():
                n[f.severity] += 1
            bar.counts.setText(
                self.tr("%d fouten, %d waarschuwingen, %d info")
                % (n[Severity.FOUT], n[Severity.WAARSCHUWING], n[Severity.INFO])
            )
        title = "zdesk"
        if self.project is not None:
            title = f"{self.project.info.label} — zdesk" + (" (demo)" if self.demo_portal else "")
        self.setWindowTitle(title)
        self.update_actions()

    def run_dialog(self: MainWindow, dialog: QDialog) -> int:
        """Show a dialog modally (the one place tests replace to drive dialogs)."""
        return dialog.exec()

    def confirm(self: MainWindow, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Ja"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Nee"))
        return self.run_dialog(box) == QMessageBox.StandardButton.Yes

    def start_job(self: MainWindow, job: Job) -> None:
        job.crashed.connect(self.show_crash)
        job.start()

    def show_crash(self: MainWindow, _error: Exception, details: str) -> None:
        from zdesk.ui.dialogs.crash import crash_box

        self.run_dialog(crash_box(details, self))

    # ---- start --------------------------------------------------------------------------------

    def startup(self: MainWindow, demo: bool = False) -> None:
        from zdesk.portal.client import PortalClient
        from zdesk.portal.names import normalise_portal

        if demo:
            self.start_demo()
            return
        name = self.settings.last_portal
        token = None
        if name:
            try:
                token = self.secrets.load(name)
            except SecretStoreError as exc:
                self.messages.show_message(str(exc), Severity.WAARSCHUWING)
        if name and token:
            self.adopt(PortalClient(normalise_portal(name), token), "")
            last = self.settings.last_project.get(name)
            if last is not None:
                self.open_project(last)
            else:
                self.choose_project()
        else:
            self.link_portal()

    def start_demo(self: MainWindow) -> None:
        """The embedded fake portal, linked through the same code path as a real school."""
        from zdesk.demo.school import DEMO_TIER, generate_school
        from zdesk.demo.server import FakePortal
        from zdesk.portal.linking import link

        self.demo_portal = FakePortal(generate_school(DEMO_TIER)).start()
        portal = self.demo_portal

        def work(_progress, _cancel) -> Linked:
            return link(portal.url, koppelcode=portal.koppelcodes[0])

        job = Job(work, "demo koppelen", self)
        job.succeeded.connect(self._demo_linked)
        job.failed.connect(lambda exc: self.messages.show_message(str(exc), Severity.FOUT))
        self.status.busy(True, self.tr("Demoschool koppelen…"))
        job.ended.connect(lambda: self.status.busy(False))
        self.start_job(job)

    def _demo_linked(self: MainWindow, linked: Linked) -> None:
        self.adopt(linked.client, linked.who)
        self.open_project(self.demo_portal.data.current_project)

    # ---- projects -----------------------------------------------------------------------------

    def choose_project(self: MainWindow) -> None:
        client = self.client
        if client is None:
            self.link_portal()
            return
        job = Job(lambda _p, cancel: client.projects(cancel), "projecten", self)
        job.succeeded.connect(self._pick_project)
        job.failed.connect(self.load_failed)
        self.status.busy(True, self.tr("Projecten ophalen…"))
        job.ended.connect(lambda: self.status.busy(False))
        self.start_job(job)

    def _pick_project(self: MainWindow, projects: list) -> None:
        from PySide6.QtWidgets import QDialog

        from zdesk.ui.dialogs.projects import ProjectDialog

        dialog = ProjectDialog(projects, self.project_id, self)
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted and dialog.chosen() is not None:
            self.open_project(dialog.chosen())

    def open_project(self: MainWindow, project_id: int) -> None:
        self.project_id = project_id
        self.reload()

    def reload(self: MainWindow) -> None:
        from zdesk.domain.checks import run_checks
        from zdesk.domain.loader import LoadHints, load_project
        from zdesk.store.load_hints import read_hints, write_hints
        from zdesk.ui.models.tables import prepare_views

        client, project_id = self.client, self.project_id
        if client is None or project_id is None or self.load_job is not None:
            return
        holder: dict[str, RightsReport] = {}
        portal = client.portal.name

        def work(progress, cancel) -> tuple:
            # The last load of this project says which rights were refused and which afdelingen
            # there are: the load asks for its data at once, without probing first.
            hints = LoadHints.from_json(read_hints(portal, project_id))
            shown: dict[str, Any] = {}

            def prepare(project: Project) -> None:
                # Runs inside the load while a separate names read may still be out.
                shown["run"] = run = run_checks(project)
                shown["views"] = prepare_views(project, run)

            project = load_project(
                client, project_id, progress=progress, cancel=cancel, hints=hints, prepare=prepare
            )
            holder["rights"] = project.rights
            if cancel.is_set():  # cancelled while the checks ran: keep what is on screen
                raise Cancelled()
            write_hints(portal, project_id, project.hints.as_json())
            return project, shown["run"], project.rights, shown["views"]

        job = Job(work, "laden", self)
        job.progress.connect(self._load_progress)
        job.succeeded.connect(self._loaded)
        job.failed.connect(lambda exc: self.load_failed(exc, holder.get("rights")))
        job.ended.connect(self._load_ended)
        self.load_job = job
        # A large project is hundreds of thousands of objects; a full cyclic collection during
        # the load would freeze the window for 50-100 ms at a time. The loaded data holds no
        # cycles, so the collector waits until the load is done (see _load_ended).
        gc.disable()
        # The idle work of the last load (search text, the rest of the tree) waits: during a
        # load each slice of it would wait for the load's threads between every step.
        if self._idle_work is not None:
            self._idle_work.pause()
        self.status.busy(True, self.tr("Laden…"))
        self.update_actions()
        self.start_job(job)

    def cancel_load(self: MainWindow) -> None:
        if self.load_job is not None:
            self.load_job.cancel()
            self.status.activity.setText(self.tr("Afbreken…"))

    def _load_progress(self: MainWindow, p: Any) -> None:
        from zdesk.domain.loader import LABELS

        reading = ", ".join(LABELS.get(e, e) for e in p.running)
        text = self.tr("Bezig: %s") % reading if reading else self.tr("Verwerken…")
        self.status.step(p.done, p.total, text)

    def _loaded(self: MainWindow, result: tuple) -> None:
        project, run, rights, views = result
        self.rights = rights
        self.stale = False
        self.messages.hide()
        self.show_project(project, run, views)
        name = project.portal
        if self.demo_portal is None:
            self.settings.last_project[name] = project.info.id
            self.save_settings()
        key = (name, project.info.id)
        if rights.missing and key not in self.rights_shown_for:
            self.rights_shown_for.add(key)
            self.messages.show_message(
                self.tr(
                    "Niet alles kon worden gelezen: er ontbreken leesrechten. De bijbehorende "
                    "weergaven en controles zijn overgeslagen."
                ),
                Severity.INFO,
                [(self.tr("Toegangsrechten"), self.show_rights)],
            )
            self.show_rights()

    def _load_ended(self: MainWindow) -> None:
        if self._idle_work is not None:
            self._idle_work.resume()  # the new load's, or the old one's when this one failed
        gc.enable()
        # What is on screen now stays for a long time: keep it out of future collections.
        gc.freeze()
        self.load_job = None
        self.status.busy(False)
        self.update_actions()

    def load_failed(self: MainWindow, error: Exception, rights: RightsReport | None = None) -> None:
        if rights is not None:
            self.rights = rights
        if self.project is not None:
            self.stale = True
        kept = (
            self.tr(" De gegevens op het scherm zijn van eerder en niet bijgewerkt.")
            if (self.project is not None)
            else ""
        )
        if isinstance(error, Cancelled):
            self.messages.show_message(
                self.tr("Het laden is afgebroken.") + kept,
                Severity.INFO,
                [(self.tr("Opnieuw laden"), self.reload)],
            )
        elif isinstance(error, TokenRejected):
            portal = self.client.portal.name if self.client else ""
            self.messages.show_message(
                str(error) + kept,
                Severity.FOUT,
                [
                    (self.tr("Opnieuw koppelen"), lambda: self.link_portal(portal)),
                ],
            )
        elif isinstance(error, RightMissing):
            self.messages.show_message(
                str(error) + kept,
                Severity.FOUT,
                [
                    (self.tr("Toegangsrechten"), self.show_rights),
                ],
            )
            if self.rights is not None:
                self.show_rights()
        else:
            actions = [(self.tr("Opnieuw proberen"), self.reload)]
            if isinstance(error, ProxyPage):
                actions.append((self.tr("Opnieuw koppelen"), lambda: self.link_portal()))
            self.messages.show_message(str(error) + kept, Severity.FOUT, actions)
        self.update_status()

    # ---- dialogs ------------------------------------------------------------------------------

    def show_rights(self: MainWindow) -> None:
        from zdesk.ui.dialogs.rights import RightsDialog

        if self.rights is None:
            self.messages.show_message(
                self.tr(
                    "Er is nog niets gelezen; de toegangsrechten worden bij het laden "
                    "gecontroleerd."
                ),
                Severity.INFO,
            )
            return
        from zdesk.domain.data_problems import repair_message

        repairs = self.project.repairs if self.project is not None else []
        problems = [repair_message(r) for r in repairs]
        if self.project is not None and self.project.names_unavailable_because:
            why = self.project.names_unavailable_because
            problems.insert(0, self.tr("Namen niet beschikbaar, omdat %s.") % why)
        self.run_dialog(RightsDialog(self.rights, self, problems))

    def show_about(self: MainWindow) -> None:
        from zdesk.ui.dialogs.about import AboutDialog

        self.run_dialog(AboutDialog(self))

    def open_logs(self: MainWindow) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from zdesk.store.paths import log_dir

        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ---- end ----------------------------------------------------------------------------------

    def stop_demo(self: MainWindow) -> None:
        if self.demo_portal is not None:
            self.demo_portal.stop()
            self.demo_portal = None

    def shutdown(self: MainWindow) -> None:
        if self._idle_work is not None:
            self._idle_work.cancel()
        for job in (self.load_job, self.export_job):
            if job is not None:
                job.cancel()
        from zdesk.ui.jobs import wait_for_jobs

        wait_for_jobs(3000)
        if self.client is not None:
            self.client.close()
        self.stop_demo()
