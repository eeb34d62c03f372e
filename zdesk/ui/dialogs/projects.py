"""Project openen: this school year's projects first; earlier and archived ones on request."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zdesk.domain.model import ProjectInfo
from zdesk.domain.schoolyear import current_school_year, is_current


def ordered_projects(projects: list[ProjectInfo], show_all: bool) -> list[ProjectInfo]:
    """Current school year first, then newer before older; archived ones only with `show_all`."""
    year = current_school_year()
    shown = [p for p in projects if show_all or is_current(p, year)]
    return sorted(shown, key=lambda p: (p.year != year, bool(p.archived), -(p.year or 0), p.label))


class ProjectDialog(QDialog):
    def __init__(
        self, projects: list[ProjectInfo], current: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Project openen"))
        self.setMinimumSize(460, 320)
        self.projects = projects
        self.current = current
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.show_all = QCheckBox(self.tr("Ook vorige schooljaren en gearchiveerde projecten"))
        self.empty = QLabel(self.tr("Dit schooljaar heeft geen projecten in dit portaal."))
        self.empty.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Open).setText(self.tr("&Openen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Kies het project (school en schooljaar):")))
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.show_all)
        layout.addWidget(buttons)
        self.show_all.toggled.connect(self.refresh)
        self.list.currentItemChanged.connect(
            lambda item, _old: self.open_button.setEnabled(item is not None)
        )
        current_info = next((p for p in projects if p.id == current), None)
        needs_all = current_info is not None and current_info not in ordered_projects(
            projects, False
        )
        self.show_all.setChecked(needs_all or not ordered_projects(projects, False))
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        year = current_school_year()
        for p in ordered_projects(self.projects, self.show_all.isChecked()):
            notes = []
            if p.year is not None and p.year != year:
                notes.append(f"schooljaar {p.year}-{p.year + 1}")
            if p.archived:
                notes.append(self.tr("gearchiveerd"))
            text = p.label + (f"  ({', '.join(notes)})" if notes else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.list.addItem(item)
            if p.id == self.current or self.list.currentItem() is None:
                self.list.setCurrentItem(item)
        self.empty.setVisible(self.list.count() == 0)
        self.open_button.setEnabled(self.list.currentItem() is not None)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))
