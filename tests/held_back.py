"""For tests that some work of a load is done while the pakketkeuzes are still on their way:
hold their requests back until that work has happened."""

from __future__ import annotations

import threading
from typing import Any

from zdesk.portal.client import PortalClient


def hold_pakketkeuzes(monkeypatch: Any, until: threading.Event, what: str) -> None:
    """No pakketkeuzes request goes out before `until` is set; after 10 s of waiting the test
    fails with "`what` waited for the pakketkeuzes" (the work would never come first)."""
    real_fetch = PortalClient.fetch

    def fetch(self, endpoint, *args, **kwargs):
        if endpoint == "selectedsubjects":
            assert until.wait(10), f"{what} waited for the pakketkeuzes"
        return real_fetch(self, endpoint, *args, **kwargs)

    monkeypatch.setattr(PortalClient, "fetch", fetch)


def signal_when_done(monkeypatch: Any, module: Any, name: str) -> threading.Event:
    """`module.name` replaced by itself setting the returned event once it has returned."""
    done = threading.Event()
    real = getattr(module, name)

    def doing(*args, **kwargs):
        found = real(*args, **kwargs)
        done.set()
        return found

    monkeypatch.setattr(module, name, doing)
    return done
