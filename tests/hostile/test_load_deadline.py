"""A whole load, and so `zdesk check`, ends within its own deadline when every answer is slow but
each stays within the per-request deadline."""

from __future__ import annotations

import io
import time

from zdesk.cli.check import run_check_command
from zdesk.demo.server import FakePortal
from zdesk.loading import limits


def test_check_ends_at_the_loads_deadline_with_the_dutch_message(small_school, monkeypatch):
    monkeypatch.setattr(limits, "LOAD_DEADLINE", 1.0)
    with FakePortal(small_school, latency_ms=20_000) as slow:  # each answer within 55 s
        monkeypatch.setenv("ZDESK_TOKEN", slow.token)
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        code = run_check_command(
            slow.url, small_school.current_project, False, True, None, out=out, err=err
        )
        took = time.monotonic() - started
    assert code == 4
    assert "duurde langer dan 1 seconden" in err.getvalue()
    assert took < 10  # the deadline, not the 20 s answers, ended it
