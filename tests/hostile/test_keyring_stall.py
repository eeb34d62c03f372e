"""A keyring backend's `priority` is its own code: one that stalls never hangs the caller (the
store's time limit holds), one that raises ends in a Dutch message, never a traceback."""

from __future__ import annotations

import io
import threading

import keyring
import pytest

from zdesk.cli.check import run_check_command
from zdesk.errors import KeyringRefused, KeyringUnresponsive
from zdesk.present.remedies import exit_code_for
from zdesk.store.secrets import SecretStore

from ..conftest import MemoryKeyring


class OddPriority(MemoryKeyring):
    """A working in-memory keyring whose priority stalls until released, or raises."""

    def __init__(self, behaviour: str) -> None:
        super().__init__()
        self.behaviour = behaviour
        self.release = threading.Event()

    @property
    def priority(self):  # type: ignore[override]
        if self.behaviour == "stall":
            self.release.wait(30)  # released by the test as it ends
        elif self.behaviour == "raise":
            raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")
        return 1


@pytest.fixture
def odd_keyring(isolated):
    made: list[OddPriority] = []

    def install(behaviour: str) -> OddPriority:
        backend = OddPriority(behaviour)
        made.append(backend)
        keyring.set_keyring(backend)
        return backend

    yield install
    for backend in made:
        backend.release.set()


def in_thread(call):
    """Run `call` on a thread of its own; (finished within 3 s, its outcome)."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(3.0)
    return not thread.is_alive(), outcome


def test_a_stalling_priority_is_bounded_by_the_time_limit(odd_keyring, logfail):
    logfail.expect("zdesk.store.secrets", "geen antwoord binnen")
    odd_keyring("stall")
    store = SecretStore(time_limit=0.2)
    finished, outcome = in_thread(lambda: store.save("mijnschool", "geheim"))
    assert finished, "the caller hung on the backend's priority"
    assert outcome == {"value": False}  # kept for this session only
    assert isinstance(store.problem, KeyringUnresponsive)
    assert store.load("mijnschool") == "geheim"  # from this session, without asking again


def test_a_raising_priority_is_a_dutch_message_not_a_traceback(odd_keyring, logfail):
    logfail.expect("zdesk.store.secrets", "RuntimeError")
    odd_keyring("raise")
    store = SecretStore(time_limit=1.0)
    finished, outcome = in_thread(lambda: store.save("mijnschool", "geheim"))
    assert finished and outcome == {"value": False}
    assert isinstance(store.problem, KeyringRefused)

    out, err = io.StringIO(), io.StringIO()
    finished, outcome = in_thread(
        lambda: run_check_command("mijnschool", 401, False, False, None, out=out, err=err)
    )
    assert finished and outcome == {"value": exit_code_for(KeyringRefused())}, outcome
    assert "sleutelopslag" in err.getvalue() and "Traceback" not in err.getvalue()
    assert "DBus" not in err.getvalue()
