"""Background jobs: the outcome contract (succeeded, failed or crashed, then ended), and the
interpreter tweaks around them (quick switching; no cyclic collection during a heavy job)."""

from __future__ import annotations

import gc
import logging
import sys
import threading
import weakref
from typing import Any, ClassVar

import pytest

from zdesk.errors import Cancelled, FileProblem
from zdesk.portal.errors import NetworkError
from zdesk.runtime.switching import QUICK_SWITCH
from zdesk.ui.jobs import Job, tuned_for_jobs

from .waiting import wait_until_released


def test_the_switch_interval_is_short_while_jobs_run_and_restored_after(qtbot):
    usual = sys.getswitchinterval()
    assert usual != QUICK_SWITCH
    release = threading.Event()
    seen: list[float] = []

    def work(_progress, _cancel):
        release.wait(5)
        seen.append(sys.getswitchinterval())
        return 42

    first, second = Job(work, "een"), Job(lambda _p, _c: "klaar", "twee")
    results: list[object] = []
    first.succeeded.connect(results.append)
    with qtbot.waitSignal(second.ended, timeout=5000):
        first.start()
        second.start()
    assert sys.getswitchinterval() == QUICK_SWITCH  # the first job still runs
    with qtbot.waitSignal(first.ended, timeout=5000):
        release.set()
    assert seen == [QUICK_SWITCH] and results == [42]
    assert sys.getswitchinterval() == usual


class Outcome:
    """Every signal of one job, in the order they came."""

    def __init__(self, job: Job) -> None:
        self.events: list[tuple[str, tuple]] = []
        for name in ("progress", "succeeded", "failed", "crashed", "ended"):
            getattr(job, name).connect(lambda *args, name=name: self.events.append((name, args)))

    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def args(self, name: str) -> tuple:
        (args,) = [a for n, a in self.events if n == name]
        return args


def run_job(qtbot, function, heavy: bool = False) -> Outcome:
    job = Job(function, "proef", heavy=heavy)
    outcome = Outcome(job)
    with qtbot.waitSignal(job.ended, timeout=5000):
        job.start()
    assert not job.running
    return outcome


def test_a_job_that_returns_reports_its_progress_then_succeeds_then_ends(qtbot):
    def work(progress, _cancel):
        progress(1)
        progress(2)
        return "klaar"

    outcome = run_job(qtbot, work)
    assert outcome.names() == ["progress", "progress", "succeeded", "ended"]
    assert outcome.args("succeeded") == ("klaar",)


@pytest.mark.parametrize(
    "error", [Cancelled(), NetworkError(portal="mijnschool"), FileProblem("x")]
)
def test_an_error_the_user_can_act_on_fails_the_job_and_is_no_crash(qtbot, error):
    def work(_progress, _cancel):
        raise error

    outcome = run_job(qtbot, work)
    assert outcome.names() == ["failed", "ended"]
    assert outcome.args("failed") == (error,)


def test_a_bug_in_a_job_crashes_it_with_the_traceback_and_is_logged(qtbot, logfail, caplog):
    logfail.expect("zdesk.ui.jobs", "Fout in achtergrondtaak proef")

    def work(_progress, _cancel):
        raise ValueError("stuk")

    outcome = run_job(qtbot, work)
    assert outcome.names() == ["crashed", "ended"]
    error, details = outcome.args("crashed")
    assert isinstance(error, ValueError)
    assert "Traceback" in details and "ValueError: stuk" in details and "in work" in details
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "ValueError: stuk" in record.getMessage()


def test_cancel_sets_the_flag_the_function_sees(qtbot):
    started, seen = threading.Event(), []

    def work(_progress, cancel):
        started.set()
        seen.append(cancel.wait(5))
        raise Cancelled()

    job = Job(work, "proef")
    outcome = Outcome(job)
    with qtbot.waitSignal(job.ended, timeout=5000):
        job.start()
        assert started.wait(5)
        job.cancel()
    assert seen == [True] and outcome.names() == ["failed", "ended"]


def test_a_heavy_job_keeps_the_collector_off_and_freezes_what_it_leaves(qtbot):
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    during: list[bool] = []

    def work(_progress, _cancel):
        during.append(gc.isenabled())
        return [object() for _ in range(100)]

    outcome = run_job(qtbot, work, heavy=True)
    assert during == [False] and gc.isenabled()
    assert gc.get_freeze_count() > frozen
    assert outcome.names() == ["succeeded", "ended"]
    # A light job leaves the collector alone.
    assert run_job(qtbot, lambda _p, _c: gc.isenabled()).args("succeeded") == (True,)


def test_the_tweaks_are_counted_when_they_overlap():
    usual = sys.getswitchinterval()
    with tuned_for_jobs(heavy=True):
        with tuned_for_jobs(heavy=True):
            pass
        assert not gc.isenabled() and sys.getswitchinterval() == QUICK_SWITCH
        with tuned_for_jobs():
            pass
        assert sys.getswitchinterval() == QUICK_SWITCH
    assert gc.isenabled() and sys.getswitchinterval() == usual


class _Rows(list):
    """A list that says how many entries each step took from it, and how many it still had
    when it was freed."""

    freed_with: ClassVar[list[int]] = []
    steps: ClassVar[list[int]] = []

    def __delitem__(self, where: Any) -> None:
        before = len(self)
        super().__delitem__(where)
        _Rows.steps.append(before - len(self))

    def __del__(self) -> None:
        _Rows.freed_with.append(len(self))


class _Record:
    """A row of loaded data (one that can be watched to see when it is freed)."""


class _Held:
    def __init__(self, n: int) -> None:
        self.rows = _Rows(_Record() for _ in range(n))
        self.index = {i: row for i, row in enumerate(self.rows)}
        self.part = _Part(n)


class _Part:
    def __init__(self, n: int) -> None:
        self.cells = _Rows(range(n))


def test_what_only_a_released_object_holds_is_emptied_in_pieces_then_freed(qtbot):
    from zdesk.ui.jobs import PIECE, release_in_background, wait_for_jobs

    _Rows.freed_with.clear()
    _Rows.steps.clear()
    objects = [_Held(3 * PIECE + 5)]
    one_row = objects[0].rows[-1]  # a record someone else still refers to survives
    release_in_background(objects)
    del objects
    assert wait_for_jobs(5000)
    qtbot.waitUntil(lambda: len(_Rows.freed_with) == 2, timeout=5000)
    # Both lists (the object's own and its part's) were emptied before they were freed: no
    # single step let go of all their entries at once.
    assert _Rows.freed_with == [0, 0]
    assert len(_Rows.steps) == 2 * 4 and max(_Rows.steps) <= PIECE  # four pieces per list
    # Whole, and held by this test alone now: once it lets go, the record is freed.
    survivor = weakref.ref(one_row)
    del one_row
    assert survivor() is None


def test_a_released_object_someone_still_uses_is_left_whole(qtbot):
    from zdesk.ui.jobs import release_in_background, wait_for_jobs

    saving = _Held(10)  # as a save or an export of the shown project still running
    release_in_background([saving])
    assert wait_for_jobs(5000)
    wait_until_released(qtbot)
    assert len(saving.rows) == 10 and len(saving.index) == 10 and len(saving.part.cells) == 10
    # A container someone holds apart from its object is left whole too.
    alone = _Held(10)
    rows = alone.rows
    release_in_background([alone])
    del alone
    assert wait_for_jobs(5000)
    wait_until_released(qtbot)
    assert len(rows) == 10
