"""The window's own state across sessions: geometry, splitters, the tree's and tables' columns."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from zdesk.ui.controllers.session import PortalSession


class WindowState:
    """Kept in the settings file, restored at start; table columns once a project gives columns."""

    def __init__(
        self,
        window: QWidget,
        session: PortalSession,
        widgets: Callable[[], dict[str, Any]],
    ) -> None:
        self.window = window
        self.session = session
        self.widgets = widgets  # what keeps a state, by key; "table:" ones are table views

    def saved(self, key: str) -> str | None:
        return self.session.settings.window.get(key)

    def restore(self) -> None:
        """Window, splitters and tree now; the tables' columns are restored as they fill."""
        state = self.session.settings.window
        if "geometry" in state:
            self.window.restoreGeometry(QByteArray.fromBase64(state["geometry"].encode()))
        self.restore_widgets()

    def restore_widgets(self) -> None:
        """The splitters and the tree (of a project page built after the window)."""
        state = self.session.settings.window
        for key, widget in self.widgets().items():
            if key in state and not key.startswith("table:"):
                widget.restoreState(QByteArray.fromBase64(state[key].encode()))

    def save(self) -> None:
        state = dict(self.session.settings.window)
        state["geometry"] = bytes(self.window.saveGeometry().toBase64()).decode()
        for key, widget in self.widgets().items():
            if key.startswith("table:"):
                if widget.model().columnCount() == 0:
                    continue  # no project shown: keep the widths saved before
                widget = widget.horizontalHeader()
            state[key] = bytes(widget.saveState().toBase64()).decode()
        self.session.settings.window = state
        self.session.save_settings()
