"""Background jobs: a plain function runs in the thread pool; its progress and outcome come back as
signals on the main thread. The function gets a progress callback and a cancel flag, nothing of Qt.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from zdesk.errors import ZdeskError
from zdesk.runtime import collector, switching

log = logging.getLogger(__name__)

JobFunction = Callable[[Callable[[Any], None], threading.Event], Any]


@contextlib.contextmanager
def tuned_for_jobs(heavy: bool = False) -> Iterator[None]:
    """The interpreter tweaks around a background job, entered when it starts, left when it ends.

    Every job: a short switch interval (`runtime.switching`), so the window's paints get the
    interpreter soon. A heavy job (a load) also keeps the cyclic garbage collector off: a project
    is hundreds of thousands of objects, and a full collection during the load would freeze the
    window for 50-100 ms at a time. The loaded data holds no cycles; once the last heavy job
    ends, what is on screen now stays for a long time, so it is frozen out of future
    collections. Nested and overlapping uses are counted.
    """
    with switching.quick():
        if not heavy:
            yield
            return
        with collector.paused(freeze_after=True):
            yield


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

    def __init__(
        self,
        function: JobFunction,
        name: str,
        parent: QObject | None = None,
        *,
        heavy: bool = False,
    ) -> None:
        super().__init__(parent)
        self.function = function
        self.name = name
        self.heavy = heavy  # a load: see tuned_for_jobs
        self.cancel_flag = threading.Event()
        self.running = False
        self._tuning = contextlib.ExitStack()
        self.ended.connect(self._on_ended)

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        self._tuning.enter_context(tuned_for_jobs(self.heavy))
        (pool or QThreadPool.globalInstance()).start(_Runner(self))

    def cancel(self) -> None:
        self.cancel_flag.set()

    def _on_ended(self) -> None:
        self.running = False
        self._tuning.close()  # the first slot on `ended`: the tweaks end before the others run


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
        while objects:
            obj = objects.pop()
            # Held by `obj` and getrefcount's argument alone: nobody else sees it.
            if sys.getrefcount(obj) <= 2:
                _take_apart(obj)
            del obj

    job = Job(work, "opruimen", QCoreApplication.instance())
    job.ended.connect(job.deleteLater)
    job.start()


# How many entries a container lets go of in one step: a step frees at most this many records,
# well under a millisecond, so the window gets the interpreter between steps.
PIECE = 2048


def _take_apart(obj: Any) -> None:
    """Let go of what `obj` holds, emptying the lists, dicts and sets only it holds a piece at a
    time; `obj` itself is the caller's alone.

    Dropping the last reference to a loaded project frees hundreds of thousands of objects in
    one step that holds the interpreter (35-50 ms on a stress-sized school, the window frozen
    meanwhile). Only what nobody else refers to is emptied: a part another job still uses (a
    project being saved or exported) is merely let go of, untouched.
    """
    attributes = getattr(obj, "__dict__", None)
    if not isinstance(attributes, dict):
        return
    for name in list(attributes):
        value = attributes.pop(name)
        if sys.getrefcount(value) <= 2:  # `value` and the argument: it was `obj`'s alone
            if isinstance(value, list | dict | set):
                _empty(value)
            else:
                _take_apart(value)  # a part of its own: a table's data, a check run
        del value


def _empty(container: list[Any] | dict[Any, Any] | set[Any]) -> None:
    if isinstance(container, list):
        while container:
            del container[-PIECE:]
    elif isinstance(container, dict):
        pop = container.popitem
        while container:
            for _ in range(min(PIECE, len(container))):
                pop()
    else:
        pop = container.pop
        while container:
            for _ in range(min(PIECE, len(container))):
                pop()


def wait_for_jobs(timeout_ms: int = 5000) -> bool:
    """Wait until background jobs are done (at exit, and in tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
