"""Toegangsrechten: what the token may read, and the text to send to the portal's administrator."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zdesk.portal.rights import RightsReport


class RightsDialog(QDialog):
    def __init__(
        self, report: RightsReport, parent: QWidget | None = None, problems: list[str] = ()
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Toegangsrechten"))
        self.resize(760, 560)
        summary = QLabel(
            self.tr("Alle benodigde leesrechten zijn aanwezig.")
            if not report.missing
            else self.tr("Er ontbreken %n leesrecht(en) of velden.", "", len(report.missing))
        )
        matrix = report.matrix()
        self.table = QTableWidget(len(matrix), 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Gegevens"), self.tr("Veld"), self.tr("Lezen"), self.tr("Nodig voor")]
        )
        from zdesk.loading.report import LABELS

        for row, (endpoint, field, _granted, purpose) in enumerate(matrix):
            # In words, with the portal's name the administrator looks for after it.
            words = LABELS.get(endpoint)
            what = f"{words} ({endpoint})" if words else endpoint
            status = report.status(endpoint, field)
            said = {
                "ja": self.tr("ja"),
                "geen leesrecht": self.tr("NEE: geen leesrecht"),
                "bestaat niet in dit portaal": self.tr("bestaat niet in dit portaal"),
            }[status]
            values = (what, field, said, purpose)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        self.guide = QPlainTextEdit(report.guide())
        self.guide.setReadOnly(True)
        copy = QPushButton(self.tr("Tekst &kopiëren"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report.guide()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel(self.tr("Voor de beheerder van het portaal:")))
        layout.addWidget(self.guide, 2)
        # What the portal sent that did not fit: repaired or left out, never silently.
        self.problems = QPlainTextEdit("\n".join(problems))
        self.problems.setReadOnly(True)
        self.problems.setVisible(bool(problems))
        heading = QLabel(self.tr("Gegevens: wat het portaal stuurde en niet paste"))
        heading.setVisible(bool(problems))
        layout.addWidget(heading)
        layout.addWidget(self.problems, 1)
        layout.addWidget(buttons)
