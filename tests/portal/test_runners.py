"""Attempts run on kept daemon threads: the next attempt takes an idle one, an abandoned one never
holds up the next, and an idle thread ends after a while."""

from __future__ import annotations

import queue
import threading

from zdesk.portal.runners import Runners


class WatchedJobs:
    """The runners' queue, telling the test each time a thread waits for work or its wait ends
    with nothing to do, so a test waits for that instead of for a while."""

    def __init__(self) -> None:
        self.real: queue.SimpleQueue = queue.SimpleQueue()
        self.changed = threading.Condition()
        self.timeouts = 0

    def put(self, item) -> None:
        self.real.put(item)

    def get(self, timeout=None):
        with self.changed:  # the thread counts itself idle before it asks for work
            self.changed.notify_all()
        try:
            return self.real.get(timeout=timeout)
        except queue.Empty:
            with self.changed:
                self.timeouts += 1
                self.changed.notify_all()
            raise

    def wait_for(self, predicate, timeout: float = 5) -> None:
        with self.changed:
            assert self.changed.wait_for(predicate, timeout)


def _run_and_wait(runners: Runners, function, *args, timeout: float = 5) -> None:
    done = threading.Event()

    def job(*a):
        try:
            function(*a)
        finally:
            done.set()

    runners.run(job, *args)
    assert done.wait(timeout)


def _settle(runners: Runners, jobs: WatchedJobs, idle: int) -> None:
    """Wait until `idle` threads wait for work (a thread marks itself idle after its job)."""
    jobs.wait_for(lambda: runners.idle == idle)


def test_an_idle_thread_takes_the_next_attempt():
    jobs = WatchedJobs()
    runners = Runners(idle_seconds=5, jobs=jobs)
    names: list[int] = []
    for _ in range(5):
        _run_and_wait(runners, lambda: names.append(threading.get_ident()))
        _settle(runners, jobs, 1)
    assert len(set(names)) == 1
    assert all(t.daemon for t in threading.enumerate() if t.name == "zdesk-request")


def test_a_busy_thread_never_holds_up_the_next_attempt():
    jobs = WatchedJobs()
    runners = Runners(idle_seconds=5, jobs=jobs)
    stuck, started = threading.Event(), threading.Event()
    busy: list[int] = []

    def hang() -> None:  # an abandoned attempt whose socket has not given up yet
        busy.append(threading.get_ident())
        started.set()
        stuck.wait()

    runners.run(hang)
    try:
        assert started.wait(5)
        ran: list[int] = []
        # Well within any wait of the stuck attempt: queued behind it, this would not run.
        _run_and_wait(runners, lambda: ran.append(threading.get_ident()), timeout=1)
        assert ran[0] != busy[0]
    finally:
        stuck.set()
    _settle(runners, jobs, 2)  # both wait for work now


def test_an_idle_thread_ends_and_a_new_one_starts_when_needed():
    runners = Runners(idle_seconds=0.05)
    first: list[threading.Thread] = []
    _run_and_wait(runners, lambda: first.append(threading.current_thread()))
    first[0].join(5)
    assert not first[0].is_alive()
    assert runners.idle == 0
    again: list[threading.Thread] = []
    _run_and_wait(runners, lambda: again.append(threading.current_thread()))
    assert again[0] is not first[0]


def test_many_attempts_at_once_each_run_exactly_once():
    jobs = WatchedJobs()
    runners = Runners(idle_seconds=0.01, jobs=jobs)  # threads end and start while work comes in
    count = 200
    seen: list[int] = []
    lock = threading.Lock()
    all_done = threading.Event()

    def job(i: int) -> None:
        with lock:
            seen.append(i)
            if len(seen) == count:
                all_done.set()

    for i in range(count):
        runners.run(job, i)
        if i % 20 == 0:  # let some thread time out between bursts
            before = jobs.timeouts
            jobs.wait_for(lambda before=before: jobs.timeouts > before)
    assert all_done.wait(10)
    assert sorted(seen) == list(range(count))


def test_a_thread_whose_promised_job_went_to_another_still_ends():
    """T's idle wait ends just as a job is promised to the waiting threads; before T waits again
    another thread, just done, takes that job. T must not wait for good: it ends in time."""
    real: queue.SimpleQueue = queue.SimpleQueue()
    release_u, x_ran = threading.Event(), threading.Event()
    t_thread: list[threading.Thread] = []
    calls = [0]

    class Jobs:
        def put(self, item):
            real.put(item)

        def get(self, timeout=None):
            if not (t_thread and threading.current_thread() is t_thread[0]):
                return real.get(timeout=timeout)
            calls[0] += 1
            if calls[0] == 1:  # T's wait ends with nothing to do; a job X is promised just then
                try:
                    item = real.get(timeout=timeout)
                except queue.Empty:
                    runners.run(x_ran.set)
                    raise
                raise AssertionError(f"no job was due while U is busy: {item}")
            if calls[0] == 2:  # before T waits again, U finishes and takes X
                release_u.set()
                assert x_ran.wait(5)
            return real.get(timeout=timeout)

    runners = Runners(idle_seconds=0.05, jobs=Jobs())
    runners.run(release_u.wait, 5)  # U: busy until released
    started = threading.Event()

    def quick():
        t_thread.append(threading.current_thread())
        started.set()

    runners.run(quick)  # T
    assert started.wait(5)
    t_thread[0].join(2)  # forty times idle_seconds
    assert not t_thread[0].is_alive(), "T waits for a job that went to another thread"
    assert x_ran.is_set()
