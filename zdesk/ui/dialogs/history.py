"""Bestand > Geschiedenis...: where and how long loads are kept, what to compare with, wissen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from zdesk.store.history import Choice, Retention, SavedLoad


class HistoryDialog(QDialog):
    """Retention settings, the loads to compare the shown one with, and "Geschiedenis wissen".

    After it closes: `retention()` is what the user set, `chosen()` the load to compare with (when
    Vergelijken was pressed), `clear_requested` whether the history is to be wiped.
    """

    def __init__(
        self,
        statement: str,
        retention: Retention,
        choices: list[Choice],
        compared: SavedLoad | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Geschiedenis"))
        self.resize(560, 420)
        self.clear_requested = False
        self._compare = False
        self._open = False
        where = QLabel(statement)
        where.setWordWrap(True)
        where.setTextFormat(Qt.TextFormat.PlainText)  # a path is never rich text

        self.keep_weeks = QSpinBox()
        self.keep_weeks.setRange(0, 52)
        self.keep_weeks.setSuffix(self.tr(" weken"))
        self.keep_weeks.setSpecialValueText(self.tr("niet bewaren"))
        self.keep_weeks.setValue(retention.keep_days // 7)
        self.every_days = QSpinBox()
        self.every_days.setRange(0, 364)
        self.every_days.setSuffix(self.tr(" dagen"))
        self.every_days.setValue(retention.every_load_days)
        form = QFormLayout()
        form.addRow(self.tr("Ladingen bewaren:"), self.keep_weeks)
        form.addRow(self.tr("Elke lading bewaren, daarna één per dag:"), self.every_days)

        self.loads = QListWidget()
        for choice in choices:
            text = choice.label
            from zdesk.domain.when import table_moment

            stamp = table_moment(choice.saved.when)
            if stamp not in text:
                text = f"{text} ({stamp})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, choice.saved)
            self.loads.addItem(item)
            if compared is not None and choice.saved.path == compared.path:
                self.loads.setCurrentItem(item)
        if self.loads.currentItem() is None and self.loads.count():
            self.loads.setCurrentRow(0)
        compare = QPushButton(self.tr("&Vergelijken"))
        compare.setEnabled(self.loads.count() > 0)
        compare.clicked.connect(self._compare_chosen)
        show = QPushButton(self.tr("&Openen"))
        show.setToolTip(self.tr("De gekozen lading tonen zoals ze was (alleen lezen)"))
        show.setEnabled(self.loads.count() > 0)
        show.clicked.connect(self._open_chosen)
        wipe = QPushButton(self.tr("Geschiedenis &wissen"))
        wipe.clicked.connect(self._wipe)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(compare, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(show, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(wipe, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.accept)  # closing keeps the retention that was set

        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Vergelijken met een eerdere lading:")))
        layout.addWidget(self.loads, 1)
        layout.addWidget(buttons)

    def _compare_chosen(self) -> None:
        self._compare = True
        self.accept()

    def _open_chosen(self) -> None:
        self._open = True
        self.accept()

    def _wipe(self) -> None:
        self.clear_requested = True
        self.accept()

    def retention(self) -> Retention:
        from zdesk.store.history import Retention

        return Retention(
            keep_days=self.keep_weeks.value() * 7, every_load_days=self.every_days.value()
        )

    def chosen(self) -> SavedLoad | None:
        """The load to compare with, when Vergelijken was pressed."""
        item = self.loads.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if self._compare and item is not None else None

    def to_open(self) -> SavedLoad | None:
        """The load to show as it was, when Openen was pressed."""
        item = self.loads.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if self._open and item is not None else None
