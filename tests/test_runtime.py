"""The collector pause every caller shares: overlapping pauses compose."""

from __future__ import annotations

import gc
import threading

from zdesk.domain import codec
from zdesk.runtime import collector
from zdesk.ui.jobs import tuned_for_jobs


def test_a_history_save_ending_during_a_load_keeps_the_collector_off():
    """A save (on its own thread) that began before an F5 and ends during it must not turn the
    collector back on for the rest of the load."""
    assert gc.isenabled()
    save_began, load_began, save_may_end = threading.Event(), threading.Event(), threading.Event()

    def save() -> None:
        with codec.collector_paused():
            save_began.set()
            save_may_end.wait(10)

    saving = threading.Thread(target=save)
    saving.start()
    save_began.wait(10)
    with tuned_for_jobs(heavy=True):  # the load
        load_began.set()
        save_may_end.set()
        saving.join(10)
        assert not gc.isenabled()  # the save ended; the load still runs
    assert gc.isenabled()


def test_pauses_nest_and_restore_what_was_before():
    gc.disable()
    try:
        with collector.paused(), collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before the first pause: it stays off
    finally:
        gc.enable()
    with collector.paused():
        assert collector.pausing()
    assert gc.isenabled() and not collector.pausing()
    assert collector.resume() is False  # an unpaired resume changes nothing
