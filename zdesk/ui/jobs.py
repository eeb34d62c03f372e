"""Background jobs: a plain function runs in the thread pool; its progress and outcome come back as
signals on the main thread. The function gets a progress callback and a cancel flag, nothing of Qt.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from zdesk.portal.errors import ZdeskError

log = logging.getLogger(__name__)

JobFunction = Callable[[Callable[[Any], None], threading.Event], Any]

# While a job computes, the window still asks Python for every cell it paints, one short call at
# a time, and each call waits for the job to hand over the interpreter: at most this long instead
# of Python's default 5 ms. Measured loading the stress school: repaints went from 50-66 ms to
# 20-30 ms, and the load itself was not slower.
QUICK_SWITCH = 0.001
_jobs_running = 0
_usual_switch = sys.getswitchinterval()


def _job_count(change: int) -> None:
    global _jobs_running, _usual_switch
    if _jobs_running == 0 and change > 0:
        _usual_switch = sys.getswitchinterval()
    _jobs_running += change
    sys.setswitchinterval(QUICK_SWITCH if _jobs_running else _usual_switch)


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
        _job_count(+1)
        (pool or QThreadPool.globalInstance()).start(_Runner(self))

    def cancel(self) -> None:
        self.cancel_flag.set()

    def _on_ended(self) -> None:
        if self.running:
            _job_count(-1)
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


def release_in_background(objects: list[Any], before: Callable[[], None] | None = None) -> None:
    """Let a worker thread drop the last references to `objects`, freeing them there.

    A shown project is hundreds of thousands of objects: freeing them when a new load replaces
    them took 35 ms on the main thread. The caller must keep no reference of its own; `before`
    (say, breaking a tree's parent links) runs in the worker first. Nothing of them stays
    behind in the job: a job made during a load is frozen out of garbage collection with it.
    """
    steps = [before] if before is not None else []

    def work(_progress: Callable[[Any], None], _cancel: threading.Event) -> None:
        while steps:
            steps.pop()()
        objects.clear()

    job = Job(work, "opruimen", QCoreApplication.instance())
    job.ended.connect(job.deleteLater)
    job.start()


def wait_for_jobs(timeout_ms: int = 5000) -> bool:
    """Wait until background jobs are done (at exit, and in tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
