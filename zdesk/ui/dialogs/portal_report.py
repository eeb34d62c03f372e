"""Help > Portaalrapport…: how the portal answers, readable before it is saved or copied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zdesk.app.portal_report import report_text, write_report


class PortalReportDialog(QDialog):
    """Shows the report as text; the portal's name only when ticked; copy or save as JSON."""

    def __init__(
        self,
        report: dict[str, Any],
        portal_name: str,
        parent: QWidget | None = None,
        save: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Portaalrapport"))
        self.resize(760, 600)
        self._report = dict(report)
        self._portal_name = portal_name
        self._save = save
        intro = QLabel(
            self.tr(
                "Hoe het portaal antwoordt, zonder namen, leerlingnummers, id's, codes of "
                "tokens. Stuur het naar de makers van zdesk als iets niet klopt."
            )
        )
        intro.setWordWrap(True)
        self.with_name = QCheckBox(self.tr("&Naam van het portaal opnemen"))
        self.with_name.toggled.connect(self._refresh)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        copy = QPushButton(self.tr("Tekst &kopiëren"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        store = QPushButton(self.tr("&Opslaan als…"))
        store.clicked.connect(self._save_as)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(store, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.with_name)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self._refresh()

    def report(self) -> dict[str, Any]:
        """The report as it would be saved now."""
        return {**self._report, "portal": self._portal_name if self.with_name.isChecked() else None}

    def _refresh(self) -> None:
        self.text.setPlainText(report_text(self.report()))

    def _save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Portaalrapport opslaan"), "portaalrapport.json", "JSON (*.json)"
        )
        if not path:
            return
        try:
            (self._save or write_report)(path, self.report())
        except Exception as exc:  # a ZdeskError: its message is Dutch and says what to do
            QMessageBox.warning(self, self.tr("Niet opgeslagen"), str(exc))
