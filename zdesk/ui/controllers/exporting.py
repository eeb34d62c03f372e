"""Exporteren naar Excel: the save dialog, the workbook written in the background, open it after."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from zdesk.domain.severity import Severity
from zdesk.present.remedies import Action
from zdesk.ui.jobs import Job
from zdesk.ui.shell import Shell, show_error, start_job

if TYPE_CHECKING:
    from zdesk.domain.checks import CheckRun
    from zdesk.domain.model import Project
    from zdesk.ui.controllers.session import PortalSession


class Exporting(QObject):
    """Writes the project on screen (from `shown`) to a workbook."""

    changed = Signal()  # an export started or ended

    def __init__(
        self,
        session: PortalSession,
        shell: Shell,
        shown: Callable[[], tuple[Project, CheckRun] | None],
        parent: QObject | None = None,
        extras: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.shell = shell
        self.shown = shown
        # What the history adds to the workbook (a comparison, known marks, where it is kept).
        self.extras = extras or dict
        self.job: Job | None = None

    @property
    def pseudonymise(self) -> bool:
        return self.session.settings.pseudonymise_export

    def set_pseudonymise(self, on: bool) -> None:
        self.session.settings.pseudonymise_export = on
        self.session.save_settings()

    def ask_target(self, project: Project, near: Path | None = None) -> Path | None:
        """The file to write, from the save dialog; `near`: a target that could not be written."""
        from PySide6.QtWidgets import QFileDialog

        from zdesk.export.xlsx import default_filename
        from zdesk.store.paths import documents_dir

        folder = self.session.settings.export_dir or str(documents_dir())
        suggested = str(near or Path(folder) / default_filename(project))
        name, _ = QFileDialog.getSaveFileName(
            self.shell.dialog_parent(),
            self.tr("Exporteren naar Excel"),
            suggested,
            self.tr("Excel-werkmap (*.xlsx)"),
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")

    def export(self, target: Path | None = None) -> None:
        """Export to `target`, or to where the save dialog says."""
        from zdesk.export.xlsx import write_workbook

        shown = self.shown()
        if shown is None or self.job is not None:
            return
        project, run = shown
        target = target or self.ask_target(project)
        if target is None:
            return
        settings = self.session.settings
        settings.export_dir = str(target.parent)
        self.session.save_settings()
        pseudonymise = settings.pseudonymise_export
        extras = self.extras()
        client = self.session.client
        secrets = (client.token,) if client is not None and client.token else ()

        def work(progress, _cancel) -> Path:
            from zdesk.store.paths import temp_root

            return write_workbook(
                target,
                project,
                run,
                pseudonymise=pseudonymise,
                progress=progress,
                scratch=temp_root(),
                secrets=secrets,
                **extras,
            )

        job = Job(work, "exporteren", self)
        job.progress.connect(
            lambda f: self.shell.show_progress(int(f * 100), 100, self.tr("Exporteren…"))
        )
        job.succeeded.connect(self._exported)
        job.failed.connect(
            lambda exc: show_error(
                self.shell,
                exc,
                {
                    Action.RETRY: lambda: self.export(target),
                    Action.ELSEWHERE: lambda: self.export_elsewhere(target),
                },
            )
        )
        job.ended.connect(self._ended)
        self.job = job
        self.shell.show_busy(self.tr("Exporteren…"), cancellable=False)
        self.changed.emit()
        start_job(self.shell, job)

    def export_elsewhere(self, failed: Path) -> None:
        """After "kan niet worden opgeslagen": the save dialog again, at the same name."""
        shown = self.shown()
        if shown is None:
            return
        target = self.ask_target(shown[0], near=failed)
        if target is not None:
            self.export(target)

    def _ended(self) -> None:
        self.job = None
        self.shell.show_idle()
        self.changed.emit()

    def _exported(self, path: Path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        def open_url(target: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

        self.shell.show_message(
            self.tr("Geëxporteerd naar %s.") % path,
            Severity.INFO,
            [
                (self.tr("Bestand openen"), lambda: open_url(path)),
                (self.tr("Map openen"), lambda: open_url(path.parent)),
            ],
        )
