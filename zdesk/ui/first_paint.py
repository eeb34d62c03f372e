"""Work that waits until a window has first been painted: what its first sight does not need."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

# A window that is not painted soon (started minimised, on a screen that is off) gets the work
# done after this long all the same.
AT_THE_LATEST_MS = 500


class FirstPaint:
    """Work kept for the event loop's pass after the window's first paint (its `paintEvent`
    calls `painted`); work asked for after that pass runs at once."""

    def __init__(self, window: QObject) -> None:
        self.window = window
        self.pending: list[Callable[[], object]] | None = []
        self.due = False
        QTimer.singleShot(AT_THE_LATEST_MS, window, self.run)

    def later(self, work: Callable[[], object]) -> None:
        if self.pending is None:
            work()
        else:
            self.pending.append(work)

    def painted(self) -> None:
        if self.pending is not None and not self.due:
            self.due = True
            QTimer.singleShot(0, self.window, self.run)

    def run(self) -> None:
        pending, self.pending = self.pending, None
        for work in pending or ():
            work()
