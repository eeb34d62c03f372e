"""Bestand > Instellingen: what the formatie counts with when the portal does not say, and
which project the doorstroom follows (per portal)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from zdesk.store.settings import AUTO_PREVIOUS, MAX_GROUP_SIZES

NONE_CHOICE = "none"


class SettingsDialog(QDialog):
    def __init__(
        self,
        default_max_group_size: int,
        parent: QWidget | None = None,
        *,
        previous: int | str | None = AUTO_PREVIOUS,
        projects: Sequence[Any] = (),
        project_id: int | None = None,
        in_use: str = "",
        portal: str | None = None,
    ) -> None:
        """`previous`: the choice for this portal (an id, AUTO_PREVIOUS, or None for none);
        `projects`: the portal's projects as far as known (ProjectInfo); `in_use`: what the
        last load followed, in words; without `portal` the choice cannot be made."""
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
        self.previous = QComboBox()
        self.previous.setObjectName("previous_project")
        self.previous.addItem(
            self.tr("Automatisch: hetzelfde schoolproject, een jaar eerder"), AUTO_PREVIOUS
        )
        self.previous.addItem(self.tr("Geen (geen doorstroom)"), NONE_CHOICE)
        listed = [p for p in projects if getattr(p, "id", None) != project_id]
        if isinstance(previous, int) and all(p.id != previous for p in listed):
            self.previous.addItem(self.tr("project %1").replace("%1", str(previous)), previous)
        for p in sorted(listed, key=lambda p: (-(p.year or 0), p.label)):
            self.previous.addItem(f"{p.label} (id {p.id})", p.id)
        wanted = NONE_CHOICE if previous is None else previous
        index = self.previous.findData(wanted)
        self.previous.setCurrentIndex(max(0, index))
        self.previous.setEnabled(portal is not None)
        previous_note = QLabel(
            self.tr(
                "De doorstroom vergelijkt de leerlingen van het vorige project met dit project: "
                "wie nog niet geplaatst is, zittenblijvers, op- en afstroom. De keuze geldt voor "
                "dit portaal. Een wijziging laadt het project opnieuw."
            )
            + (f"\n{in_use}" if in_use else "")
        )
        previous_note.setWordWrap(True)
        previous_note.setObjectName("previous_note")
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
        previous_form = QFormLayout()
        previous_form.addRow(self.tr("&Vorig project:"), self.previous)
        layout.addLayout(previous_form)
        layout.addWidget(previous_note)
        layout.addWidget(self.buttons)

    def default_max_group_size(self) -> int:
        return self.max_group_size.value()

    def previous_choice(self) -> int | str | None:
        """The project the doorstroom follows: an id, AUTO_PREVIOUS, or None (none)."""
        data = self.previous.currentData()
        return None if data == NONE_CHOICE else data


def previous_in_use(project: Any) -> str:
    """What the shown project's doorstroom follows, in words ("" without a project)."""
    if project is None:
        return ""
    info = project.previous_info
    if info is not None:
        return f"Nu gevolgd: {info.label} (id {info.id})."
    why = project.unavailable_because.get("vorig project", "geen vorig project")
    return f"Nu geen doorstroom: {why}."


def change_settings(window: Any, session: Any, loading: Any, shown: Callable[[], Any]) -> None:
    """Bestand > Instellingen from the window: a change is saved, and the project on screen
    (`shown()`, or None) is loaded again with it (the formatie, the doorstroom and their checks).
    `window` runs the dialog (`run_dialog`); `session` and `loading` are its controllers."""
    settings = session.settings
    portal = session.portal_name
    previous = settings.previous_for(portal)
    dialog = SettingsDialog(
        settings.default_max_group_size,
        window,
        previous=previous,
        projects=loading.projects[1] if loading.projects[0] == portal else [],
        project_id=session.project_id,
        in_use=previous_in_use(shown()),
        portal=portal or None,
    )
    if window.run_dialog(dialog) != QDialog.DialogCode.Accepted:
        return
    value = dialog.default_max_group_size()
    chosen = dialog.previous_choice()
    changed = value != settings.default_max_group_size or (portal and chosen != previous)
    if not changed:
        return
    settings.default_max_group_size = value
    if portal:
        settings.choose_previous(portal, chosen)
    session.save_settings()
    if shown() is not None:
        loading.reload()
