"""Loading a project: the picker, open, reload (F5), cancel; the outcome as a LoadResult.

Every slow step runs as a background Job; the window stays responsive and shows progress. A load
that fails or is cancelled leaves the previous data on screen, marked as not fresh, and the message
bar offers the actions of the error's remedy (link again, show rights, try again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from zdesk.domain.severity import Severity
from zdesk.present.remedies import Action
from zdesk.ui.jobs import Job
from zdesk.ui.shell import Shell, show_error, start_job

# The domain (msgspec records, checks) and the network are imported when a load starts.

if TYPE_CHECKING:
    import threading

    from zdesk.domain.checks import CheckRun
    from zdesk.domain.model import Project
    from zdesk.loading.previous import PreviousChoice
    from zdesk.loading.report import LoadProgress
    from zdesk.portal.client import PortalClient
    from zdesk.portal.rights import RightsReport
    from zdesk.ui.controllers.session import PortalSession
    from zdesk.ui.models.tables import Views


@dataclass(frozen=True)
class LoadResult:
    """One load that succeeded: the project, its checks, the rights found, the prepared views."""

    project: Project
    run: CheckRun
    rights: RightsReport
    views: Views


class LoadAttempt:
    """One load in a worker thread. `rights` is what it found, kept even when it is cancelled.

    The last load of this project (its hints, kept on this computer) says which rights were
    refused and which afdelingen there are: the load asks for its data at once, without probing.
    """

    def __init__(
        self,
        client: PortalClient,
        project_id: int,
        default_max_group_size: int = 30,
        previous: PreviousChoice = "auto",  # loading.previous.AUTO: the rule
    ) -> None:
        self.client = client
        self.project_id = project_id
        self.previous = previous  # the doorstroom's previous project (Bestand > Instellingen)
        self.default_max_group_size = default_max_group_size  # Bestand > Instellingen
        self.rights: RightsReport | None = None

    def __call__(self, progress: Callable[[Any], None], cancel: threading.Event) -> LoadResult:
        from zdesk.domain.check_stages import checks_after
        from zdesk.domain.checks import CheckOptions
        from zdesk.errors import Cancelled
        from zdesk.loading.loader import LoadHints, load_project
        from zdesk.store.load_hints import read_hints, write_hints
        from zdesk.ui.models.tables import Early, early_work, prepare_views

        client, project_id = self.client, self.project_id
        portal = client.portal.name
        hints = LoadHints.from_json(read_hints(portal, project_id))
        prepared: list[tuple[CheckRun, Views]] = []
        options = CheckOptions(default_max_group_size=self.default_max_group_size)
        made: list[Early] = []

        def early(project: Project) -> None:
            # Runs inside the load while the pakketkeuzes are still on their way.
            made.append(early_work(project, options))

        def prepare(project: Project) -> None:
            # Runs inside the load while a separate names read may still be out.
            first = made[-1] if made else None
            run = checks_after(project, options, first.checks if first else None)
            prepared.append((run, prepare_views(project, run, first)))

        project = load_project(
            client,
            project_id,
            progress=progress,
            cancel=cancel,
            hints=hints,
            prepare=prepare,
            previous=self.previous,
            early=early,
        )
        self.rights = project.rights
        if cancel.is_set():  # cancelled while the checks ran: keep what is on screen
            raise Cancelled()
        write_hints(portal, project_id, project.hints.as_json())
        run, views = prepared[-1]
        return LoadResult(project, run, project.rights, views)


class Loading(QObject):
    """Opens and reloads the session's project; the window shows what `loaded` hands it."""

    loaded = Signal(object)  # LoadResult, to be shown
    started = Signal()  # a load began (the window's idle work waits)
    ended = Signal()  # it ended, whichever way
    relink_requested = Signal(str)  # the portal whose link a message offers to renew
    changed = Signal()  # busy or not; what the actions offer may change

    def __init__(
        self,
        session: PortalSession,
        shell: Shell,
        shown: Callable[[], Project | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.shell = shell
        self.shown = shown  # the project on screen now, if any
        self.job: Job | None = None
        self.listing: Job | None = None  # "Projecten ophalen…": cancelled by Esc like a load
        self.report_job: Job | None = None  # Help > Portaalrapport…
        self.stale = False  # what is on screen is older than a load that failed
        self.failure = ""  # why the last load failed, in a few words ("" after a good load)
        self.rights_shown_for: set[tuple[str, int]] = set()
        self.projects: tuple[str, list[Any]] = ("", [])  # a portal's projects, as last listed

    # ---- projects -----------------------------------------------------------------------------

    def choose_project(self) -> None:
        client = self.session.client
        if client is None:
            self.relink_requested.emit("")
            return
        if self.listing is not None:
            return
        job = Job(lambda _p, cancel: client.projects(cancel), "projecten", self)
        job.succeeded.connect(self._pick_project)
        job.failed.connect(self.failed)
        self.shell.show_busy(self.tr("Projecten ophalen…"))
        job.ended.connect(self.shell.show_idle)
        job.ended.connect(self._listed)
        self.listing = job
        start_job(self.shell, job)

    def _listed(self) -> None:
        self.listing = None

    def _pick_project(self, projects: list) -> None:
        from PySide6.QtWidgets import QDialog

        from zdesk.ui.dialogs.projects import ProjectDialog

        # Bestand > Instellingen offers them as vorig project (for this portal only).
        self.projects = (self.session.portal_name, list(projects))
        dialog = ProjectDialog(projects, self.session.project_id, self.shell.dialog_parent())
        if self.shell.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            chosen = dialog.chosen()
            if chosen is not None:
                self.open_project(chosen)

    def open_project(self, project_id: int) -> None:
        self.session.project_id = project_id
        self.reload()

    # ---- a load -------------------------------------------------------------------------------

    def reload(self) -> None:
        session = self.session
        client, project_id = session.client, session.project_id
        if client is None or project_id is None or self.job is not None:
            return
        settings = self.session.settings
        attempt = LoadAttempt(
            client,
            project_id,
            settings.default_max_group_size,
            settings.previous_for(client.portal.name),
        )
        job = Job(attempt, "laden", self, heavy=True)
        job.progress.connect(self._progress)
        job.succeeded.connect(self._loaded)
        job.failed.connect(lambda exc: self.failed(exc, attempt.rights))
        job.ended.connect(self._ended)
        self.job = job
        self.started.emit()
        self.shell.show_busy(self.tr("Laden…"))
        self.changed.emit()
        start_job(self.shell, job)

    def cancel(self) -> None:
        for job in (self.job, self.listing):
            if job is not None:
                job.cancel()
                self.shell.show_activity(self.tr("Afbreken…"))

    def _progress(self, p: LoadProgress) -> None:
        from zdesk.loading.report import LABELS

        reading = ", ".join(LABELS.get(e, e) for e in p.running)
        text = self.tr("Bezig: %s") % reading if reading else self.tr("Verwerken…")
        self.shell.show_progress(p.done, p.total, text)

    def _loaded(self, result: LoadResult) -> None:
        session = self.session
        session.rights = result.rights
        self.stale = False
        self.failure = ""
        self.shell.hide_message()
        self.loaded.emit(result)
        project = result.project
        name = project.portal
        if not session.is_demo:
            session.settings.last_project[name] = project.info.id
            session.save_settings()
        key = (name, project.info.id)
        if result.rights.missing and key not in self.rights_shown_for:
            self.rights_shown_for.add(key)
            self.shell.show_message(
                self.tr(
                    "Niet alles kon worden gelezen: er ontbreken leesrechten. De bijbehorende "
                    "weergaven en controles zijn overgeslagen."
                ),
                Severity.INFO,
                [(self.tr("Toegangsrechten"), self.show_rights)],
            )
            self.show_rights()

    def _ended(self) -> None:
        self.job = None
        if self.failure and self.shown() is not None:
            # Saved data may have come on screen between the failure and this end.
            self.stale = True
        self.shell.show_idle()
        self.ended.emit()
        self.changed.emit()

    def failed(self, error: Exception, rights: RightsReport | None = None) -> None:
        """Say what went wrong with the actions that help; what is on screen stays, marked."""
        if rights is not None:
            self.session.rights = rights
        on_screen = self.shown() is not None
        self.failure = short_reason(error)
        if on_screen:
            self.stale = True
        kept = (
            self.tr(" De gegevens op het scherm zijn van eerder en niet bijgewerkt.")
            if on_screen
            else ""
        )
        portal = self.session.portal_name
        remedy = show_error(
            self.shell,
            error,
            {
                Action.RETRY: self.reload,
                Action.RELOAD: self.reload,
                Action.RELINK: lambda: self.relink_requested.emit(portal),
                Action.RIGHTS: self.show_rights,
            },
            kept,
        )
        if Action.RIGHTS in remedy.actions and self.session.rights is not None:
            self.show_rights()
        self.changed.emit()

    def saved_shown(self) -> None:
        """Saved data came on screen: after a load that failed already, it is not up to date."""
        if self.job is None and self.failure:
            self.stale = True
            self.changed.emit()

    # ---- rights -------------------------------------------------------------------------------

    def portal_report(self) -> None:
        """Help > Portaalrapport…: ask the portal as a load does and describe its answers."""
        from zdesk.app.portal_report import make_report
        from zdesk.ui.dialogs.portal_report import PortalReportDialog

        client, project = self.session.client, self.shown()
        if client is None or project is None or self.job is not None:
            self.shell.show_message(
                self.tr(
                    "Open eerst een project; het rapport beschrijft hoe het portaal dat geeft."
                ),
                Severity.INFO,
            )
            return
        job = Job(
            lambda _p, cancel: make_report(client, project, cancel=cancel), "portaalrapport", self
        )
        job.succeeded.connect(
            lambda report: self.shell.run_dialog(
                PortalReportDialog(report, client.portal.name, self.shell.dialog_parent())
            )
        )
        job.failed.connect(self.failed)
        self.shell.show_busy(self.tr("Portaalrapport maken…"))
        job.ended.connect(self.shell.show_idle)
        self.report_job = job
        start_job(self.shell, job)

    def show_rights(self) -> None:
        from zdesk.ui.dialogs.rights import RightsDialog

        if self.session.rights is None:
            self.shell.show_message(
                self.tr(
                    "Er is nog niets gelezen; de toegangsrechten worden bij het laden "
                    "gecontroleerd."
                ),
                Severity.INFO,
            )
            return
        from zdesk.domain.data_problems import repair_message

        project = self.shown()
        repairs = project.repairs if project is not None else []
        problems = [repair_message(r) for r in repairs]
        if project is not None and project.names_unavailable_because:
            why = project.names_unavailable_because
            problems.insert(0, self.tr("Namen niet beschikbaar, omdat %s.") % why)
        parent = self.shell.dialog_parent()
        self.shell.run_dialog(RightsDialog(self.session.rights, parent, problems))


def short_reason(error: Exception) -> str:
    """The first sentence of an error's message, for the status bar."""
    text = " ".join(str(error).split())
    first = text.split(". ", 1)[0].rstrip(".")
    return first[:120] or type(error).__name__
