"""A bug reached the user: say so calmly, with details to copy, and where the log is."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from zdesk.store.paths import log_dir


class CrashBox(QMessageBox):
    """Its own class, so that a test's dialog driver can never take it for another message box."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Er ging iets mis in zdesk"))
        self.setText(
            self.tr(
                "Er ging iets mis in zdesk zelf. Uw gegevens in het portaal zijn niet veranderd; "
                "wat op het scherm stond, blijft staan."
            )
        )
        self.setInformativeText(
            self.tr(
                "Wilt u dit melden? Kopieer dan de details hieronder. Het logbestand staat in %s."
            )
            % log_dir()
        )
        self.setDetailedText(details)
        self.setStandardButtons(QMessageBox.StandardButton.Close)
