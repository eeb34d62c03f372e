"""Fixtures for the app: a loaded small school, and a window whose dialogs tests can drive."""

from __future__ import annotations

import pytest


class DialogDriver:
    """Replaces MainWindow.run_dialog: each dialog class is answered by a registered handler."""

    def __init__(self) -> None:
        self.handlers: dict[str, object] = {}
        self.seen: list[object] = []

    def on(self, class_name: str, handler) -> None:
        self.handlers[class_name] = handler

    def __call__(self, dialog) -> int:
        self.seen.append(dialog)
        handler = self.handlers.get(type(dialog).__name__)
        if handler is None:
            return 0  # closed without choosing
        return handler(dialog)


@pytest.fixture
def window(qtbot):
    from zdesk.ui.jobs import wait_for_jobs
    from zdesk.ui.main_window import MainWindow

    win = MainWindow()
    driver = DialogDriver()
    win.run_dialog = driver
    win.driver = driver
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
    wait_for_jobs(5000)
