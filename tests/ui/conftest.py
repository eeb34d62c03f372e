"""Fixtures for the app: a window whose dialogs tests drive, and that fails on any other dialog."""

from __future__ import annotations

import pytest


class DialogDriver:
    """Replaces MainWindow.run_dialog: each dialog class is answered by a registered handler.

    A dialog without a handler is answered "closed" and fails the test when it ends: a crash box
    (CrashBox) or a message nobody expected can no longer pass unnoticed.
    """

    def __init__(self) -> None:
        self.handlers: dict[str, object] = {}
        self.seen: list[object] = []
        self.unhandled: list[str] = []

    def on(self, class_name: str, handler) -> None:
        self.handlers[class_name] = handler

    def close(self, class_name: str) -> None:
        """Expect dialogs of this class, and close them without choosing."""
        self.on(class_name, lambda _dialog: 0)

    def __call__(self, dialog) -> int:
        self.seen.append(dialog)
        name = type(dialog).__name__
        handler = self.handlers.get(name)
        if handler is None:
            details = getattr(dialog, "detailedText", lambda: "")()
            self.unhandled.append(f"{name}: {dialog.windowTitle()}\n{details}".rstrip())
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
    if driver.unhandled:
        pytest.fail("Dialogs nobody expected:\n" + "\n".join(driver.unhandled), pytrace=False)


@pytest.fixture
def drive(window, qtbot):
    """The window as tests drive it: by intent, through what it shows (see driver.py)."""
    from .driver import WindowDriver

    return WindowDriver(window, qtbot)


@pytest.fixture
def second_window(qtbot):
    """A second start of the app on the same profile, as a person opens zdesk the next day."""
    from zdesk.ui.jobs import wait_for_jobs
    from zdesk.ui.main_window import MainWindow

    made = []

    def make():
        win = MainWindow()
        win.run_dialog = win.driver = DialogDriver()
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.shutdown()
    wait_for_jobs(5000)
    for win in made:
        assert not win.driver.unhandled, win.driver.unhandled


@pytest.fixture(autouse=True, scope="session")
def dutch_qt(qapp):
    """Qt's own texts in Dutch, as the app starts them (`run_app`)."""
    from zdesk.ui.app import install_translations

    return install_translations(qapp)


@pytest.fixture(autouse=True, scope="session")
def clipboard_emptied_at_end(qapp):
    """Data left on the clipboard crashes the offscreen platform as Qt ends (exit 139)."""
    yield
    qapp.clipboard().clear()
