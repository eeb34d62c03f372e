"""The window's own state across sessions: geometry, splitters, the tree's and tables' columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView

    from zdesk.ui.main_window import MainWindow


class WindowState:
    """Mixed into MainWindow: kept in the settings file, restored at start."""

    def _views_with_state(self: MainWindow) -> dict[str, Any]:
        views = {f"table:{n}": v for n, v in self.tables.items()}
        views["table:Signaleringen"] = self.findings_view
        views["tree"] = self.tree.header()
        views["split"] = self.split
        views["right"] = self.right
        return views

    def restore_state(self: MainWindow) -> None:
        """Window, splitters and tree now; table columns once a project gives them columns."""
        state = self.settings.window
        if "geometry" in state:
            self.restoreGeometry(QByteArray.fromBase64(state["geometry"].encode()))
        for key, widget in self._views_with_state().items():
            if key in state and not key.startswith("table:"):
                widget.restoreState(QByteArray.fromBase64(state[key].encode()))
        self.act_pseudo.setChecked(self.settings.pseudonymise_export)

    def _restore_columns(self: MainWindow, name: str, view: QTableView) -> None:
        saved = self.settings.window.get(f"table:{name}")
        if name in self._fitted or not saved or view.model().columnCount() == 0:
            return
        if view.horizontalHeader().restoreState(QByteArray.fromBase64(saved.encode())):
            self._fitted.add(name)  # the user's own widths win over fitting to the data

    def save_state(self: MainWindow) -> None:
        state = dict(self.settings.window)
        state["geometry"] = bytes(self.saveGeometry().toBase64()).decode()
        for key, widget in self._views_with_state().items():
            if key.startswith("table:"):
                if widget.model().columnCount() == 0:
                    continue  # no project shown: keep the widths saved before
                widget = widget.horizontalHeader()
            state[key] = bytes(widget.saveState().toBase64()).decode()
        self.settings.window = state
        self.save_settings()
