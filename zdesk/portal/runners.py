"""Daemon threads kept for the portal's request attempts (see `Runners`)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

Job = tuple[Callable[..., None], tuple[Any, ...]]


class JobQueue(Protocol):
    """Where attempts wait for a thread: a `queue.SimpleQueue`, or one a test watches."""

    def put(self, item: Job) -> None: ...

    def get(self, timeout: float | None = None) -> Job: ...


class Runners:
    """Daemon threads for attempts, kept a while for the next one.

    A new thread per attempt made each request wait for the new thread to get the interpreter;
    a kept thread takes the next attempt at once. An abandoned attempt keeps its thread until its
    socket gives up; the next attempt then gets another thread. A thread idle for `idle_seconds`
    ends.
    """

    def __init__(self, idle_seconds: float = 30.0, jobs: JobQueue | None = None) -> None:
        self._jobs: JobQueue = queue.SimpleQueue() if jobs is None else jobs
        self._lock = threading.Lock()
        self._idle = 0  # threads waiting for a job that no job has been promised to
        self._idle_seconds = idle_seconds

    @property
    def idle(self) -> int:
        """How many threads wait for work that no attempt has been promised to."""
        with self._lock:
            return self._idle

    def run(self, function: Callable[..., None], *args: Any) -> None:
        with self._lock:
            if self._idle:
                self._idle -= 1  # promised to this job
                self._jobs.put((function, args))
                return
        threading.Thread(
            target=self._serve, args=(function, args), name="zdesk-request", daemon=True
        ).start()

    def _serve(self, function: Callable[..., None], args: tuple[Any, ...]) -> None:
        while True:
            function(*args)
            del function, args  # hold on to nothing of the attempt while idle
            with self._lock:
                self._idle += 1
            while True:
                try:
                    function, args = self._jobs.get(timeout=self._idle_seconds)
                    break
                except queue.Empty:
                    with self._lock:
                        if self._idle:  # no job promised to a waiting thread: this one ends
                            self._idle -= 1
                            return
                    # A job was promised as the wait ended; another thread may take it first,
                    # so wait for it again with the same limit, never for good.


RUNNERS = Runners()  # the one kept set, shared by every portal client
