"""A bug reached the user: say so calmly, with details to copy, and where the log is."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from zdesk.store.paths import log_dir


def crash_box(details: str, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(box.tr("Er ging iets mis in zdesk"))
    box.setText(
        box.tr(
            "Er ging iets mis in zdesk zelf. Uw gegevens in het portaal zijn niet veranderd; "
            "wat op "
            "het scherm stond, blijft staan."
        )
    )
    box.setInformativeText(
        box.tr("Wilt u dit melden? Kopieer dan de details hieronder. Het logbestand staat in %s.")
        % log_dir()
    )
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box
