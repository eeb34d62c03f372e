"""Background jobs: a plain function runs in the thread pool; its progress and outcome come back as
signals on the main thread. The function gets a progress callback and a cancel flag, nothing of Qt.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from zdesk.portal.errors import ZdeskError

log = logging.getLogger(__name__)

JobFunction = Callable[[Callable[[Any], None], threading.Event], Any]


class Job(QObject):
    """One background run of `function(progress, cancel)`.

    Signals arrive on the thread that owns the Job (the main thread): `progress(value)`,
    then exactly one of `succeeded(result)`, `failed(error)` (a ZdeskError the user can act on,
    Cancelled included) or `crashed(error, traceback text)` (a bug).
    """

    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    crashed = Signal(object, str)
    ended = Signal()

    def __init__(self, function: JobFunction, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.function = function
        self.name = name
        self.cancel_flag = threading.Event()
        self.running = False
        self.ended.connect(self._on_ended)

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        (pool or QThreadPool.globalInstance()).start(_Runner(self))

    def cancel(self) -> None:
        self.cancel_flag.set()

    def _on_ended(self) -> None:
        self.running = False


class _Runner(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        job = self.job
        try:
            result = job.function(job.progress.emit, job.cancel_flag)
        except ZdeskError as exc:
            job.failed.emit(exc)
        except Exception as exc:  # a bug: show it, with details, and log it
            import traceback

            details = "".join(traceback.format_exception(exc))
            log.error("Fout in achtergrondtaak %s:\n%s", job.name, details)
            job.crashed.emit(exc, details)
        else:
            job.succeeded.emit(result)
        finally:
            job.ended.emit()


def wait_for_jobs(timeout_ms: int = 5000) -> bool:
    """Wait until background jobs are done (at exit, and in tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
