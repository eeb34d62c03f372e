"""Attempts run on kept daemon threads: the next attempt takes an idle one, an abandoned one never
holds up the next, and an idle thread ends after a while."""

from __future__ import annotations

import threading
import time

from zdesk.portal.transport import _Runners


def _run_and_wait(runners: _Runners, function, *args) -> None:
    done = threading.Event()

    def job(*a):
        try:
            function(*a)
        finally:
            done.set()

    runners.run(job, *args)
    assert done.wait(5)


def _settle(runners: _Runners, idle: int) -> None:
    """Wait until `idle` threads wait for work (a thread marks itself idle after its job)."""
    until = time.monotonic() + 5
    while runners._idle != idle:
        assert time.monotonic() < until, runners._idle
        time.sleep(0.001)


def test_an_idle_thread_takes_the_next_attempt():
    runners = _Runners(idle_seconds=5)
    names: list[int] = []
    for _ in range(5):
        _run_and_wait(runners, lambda: names.append(threading.get_ident()))
        _settle(runners, 1)
    assert len(set(names)) == 1
    assert all(t.daemon for t in threading.enumerate() if t.name == "zdesk-request")


def test_a_busy_thread_never_holds_up_the_next_attempt():
    runners = _Runners(idle_seconds=5)
    stuck = threading.Event()
    runners.run(stuck.wait, 5)  # an abandoned attempt whose socket has not given up yet
    ran = []
    _run_and_wait(runners, lambda: ran.append(threading.get_ident()))
    assert ran and ran[0] != threading.get_ident()
    stuck.set()
    _settle(runners, 2)  # both wait for work now


def test_an_idle_thread_ends_and_a_new_one_starts_when_needed():
    runners = _Runners(idle_seconds=0.05)
    first: list[threading.Thread] = []
    _run_and_wait(runners, lambda: first.append(threading.current_thread()))
    first[0].join(5)
    assert not first[0].is_alive()
    assert runners._idle == 0
    again: list[threading.Thread] = []
    _run_and_wait(runners, lambda: again.append(threading.current_thread()))
    assert again[0] is not first[0]


def test_many_attempts_at_once_each_run_exactly_once():
    runners = _Runners(idle_seconds=0.01)  # threads end and start while work comes in
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
        if i % 20 == 0:
            time.sleep(0.015)  # let some threads time out between bursts
    assert all_done.wait(10)
    assert sorted(seen) == list(range(count))
