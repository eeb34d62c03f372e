"""Bestand > Instellingen: what the formatie counts with when the portal does not say."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from zdesk.store.settings import MAX_GROUP_SIZES


class SettingsDialog(QDialog):
    def __init__(self, default_max_group_size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Instellingen"))
        self.max_group_size = QSpinBox()
        low, high = MAX_GROUP_SIZES[0], MAX_GROUP_SIZES[-1]
        self.max_group_size.setRange(low, high)
        self.max_group_size.setValue(max(low, min(high, default_max_group_size)))
        self.max_group_size.setSuffix(self.tr(" leerlingen"))
        explain = QLabel(
            self.tr(
                "Groepen nodig per vak = leerlingen ÷ maximale groepsgrootte. Het maximum dat "
                "het portaal bij de afdeling geeft (Onderwijs > Afdelingen) gaat voor; dit getal "
                "geldt voor afdelingen zonder maximum. Een vak dat alleen in stamklassen les "
                "krijgt, heeft één groep per stamklas nodig. Een wijziging laadt het project "
                "opnieuw."
            )
        )
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Maximale groepsgrootte:"), self.max_group_size)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(self.buttons)

    def default_max_group_size(self) -> int:
        return self.max_group_size.value()
