"""Exporteren naar Excel from the window: save dialog, background write, open file or folder."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from zdesk.domain.severity import Severity
from zdesk.ui.jobs import Job

if TYPE_CHECKING:
    from zdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class ExportFlows:
    """Mixed into MainWindow: the Excel export."""

    def set_pseudonymise(self: MainWindow, on: bool) -> None:
        self.settings.pseudonymise_export = on
        self.save_settings()

    def export_target(self: MainWindow) -> Path | None:
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        from zdesk.export.xlsx import default_filename

        assert self.project is not None
        folder = self.settings.export_dir or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        suggested = str(Path(folder) / default_filename(self.project))
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Exporteren naar Excel"), suggested, self.tr("Excel-werkmap (*.xlsx)")
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")

    def export_excel(self: MainWindow, target: Path | None = None) -> None:
        from zdesk.export.xlsx import write_workbook

        if self.project is None or self.run is None or self.export_job is not None:
            return
        target = target or self.export_target()
        if target is None:
            return
        self.settings.export_dir = str(target.parent)
        self.save_settings()
        project, run = self.project, self.run
        pseudonymise = self.settings.pseudonymise_export

        def work(progress, _cancel) -> Path:
            return write_workbook(
                target, project, run, pseudonymise=pseudonymise, progress=progress
            )

        job = Job(work, "exporteren", self)
        job.progress.connect(lambda f: self.status.step(int(f * 100), 100, self.tr("Exporteren…")))
        job.succeeded.connect(self._exported)
        job.failed.connect(
            lambda exc: self.messages.show_message(
                str(exc),
                Severity.FOUT,
                [
                    (self.tr("Opnieuw proberen"), lambda: self.export_excel(target)),
                ],
            )
        )
        job.ended.connect(self._export_ended)
        self.export_job = job
        self.status.busy(True, self.tr("Exporteren…"))
        self.status.cancel.setVisible(False)
        self.update_actions()
        self.start_job(job)

    def _export_ended(self: MainWindow) -> None:
        self.export_job = None
        self.status.busy(False)
        self.update_actions()

    def _exported(self: MainWindow, path: Path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        self.last_export = path
        self.messages.show_message(
            self.tr("Geëxporteerd naar %s.") % path,
            Severity.INFO,
            [
                (
                    self.tr("Bestand openen"),
                    lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))),
                ),
                (
                    self.tr("Map openen"),
                    lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))),
                ),
            ],
        )
