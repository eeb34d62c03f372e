"""Over zdesk: versions of zdesk, Qt and Python, copyable for a support question."""

from __future__ import annotations

import platform
import sys

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zdesk import __version__
from zdesk.store.history import retention_of
from zdesk.store.paths import config_dir, history_dir, log_dir, shown_path
from zdesk.store.settings import Settings


def version_text() -> str:
    return "\n".join(
        (
            f"zdesk {__version__}",
            f"Qt {qVersion()} (PySide6 {PySide6.__version__})",
            f"Python {sys.version.split()[0]}",
            f"{platform.system()} {platform.release()} ({platform.machine()})",
            # Within the user's folder written from there: the text is copied into a support
            # question, and the full path names the account.
            f"Instellingen: {shown_path(config_dir())}",
            f"Logbestanden: {shown_path(log_dir())}",
            f"Geschiedenis: {shown_path(history_dir())} (versleuteld). "
            + retention_of(Settings.load()).describe(),
        )
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Over zdesk"))
        self.resize(520, 320)
        intro = QLabel(
            self.tr(
                "<b>zdesk</b> toont de formatie en roostergroepen uit het Zermelo-portaal, "
                "wijst aan "
                "wat aandacht vraagt en exporteert alles naar Excel. zdesk leest alleen; het "
                "verandert niets in het portaal."
            )
        )
        intro.setWordWrap(True)
        self.versions = QPlainTextEdit(version_text())
        self.versions.setReadOnly(True)
        copy = QPushButton(self.tr("&Kopiëren"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(version_text()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.versions)
        layout.addWidget(buttons)
