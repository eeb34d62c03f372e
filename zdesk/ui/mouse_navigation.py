"""The mouse's back and forward buttons over a view: the window's own going back and forward."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QTreeView


class MouseNavigation:
    """Mixed in before a view's Qt class: the mouse's back or forward button pressed on the view
    calls `navigate(forward)` and goes no further.

    Taken in `viewportEvent`, not by an event filter on `viewport()`: the first Python wrapper
    of a viewport makes PySide build every QWidget subclass and its enums (20 ms of the start).
    """

    navigate: Callable[[bool], object] | None = None

    def viewportEvent(self, event: QEvent) -> bool:
        if self.navigate is not None and event.type() == QEvent.Type.MouseButtonPress:
            button: Any = event.button()  # type: ignore[attr-defined]
            if button in (Qt.MouseButton.BackButton, Qt.MouseButton.ForwardButton):
                self.navigate(button == Qt.MouseButton.ForwardButton)
                return True
        return super().viewportEvent(event)  # type: ignore[misc]


class NavigatingTree(MouseNavigation, QTreeView):
    """A tree view that hands the mouse's back and forward buttons to `navigate`."""
