"""Background jobs: outcome signals, and the interpreter handing over quickly while one runs."""

from __future__ import annotations

import sys
import threading

from zdesk.ui.jobs import QUICK_SWITCH, Job


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
