"""The token store against keyring backends that raise or hang: Dutch messages, session-only
fallback, every call within a time limit, and the token in no exception or log line."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import keyring
import keyring.backend
import keyring.errors
import pytest

from zdesk.errors import KeyringRefused, KeyringUnresponsive, SecretStoreError
from zdesk.store.secrets import SecretStore

TOKEN = "geheim-token-1234567890"


@pytest.fixture(autouse=True)
def _expected_warnings(logfail):
    """Every test here makes zdesk warn on purpose; the warning is part of what is tested."""
    logfail.expect("zdesk.store.secrets", r"^Sleutelopslag")


class RaisingKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service, username):
        raise self.error

    def set_password(self, service, username, password):
        raise type(self.error)(f"could not store {password}")  # a backend that tells too much

    def delete_password(self, service, username):
        raise self.error


class HangingKeyring(keyring.backend.KeyringBackend):
    """Every call waits until the test releases it, like a D-Bus service that never answers."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0

    def _hang(self):
        self.calls += 1
        self.release.wait(30)

    def get_password(self, service, username):
        self._hang()

    def set_password(self, service, username, password):
        self._hang()

    def delete_password(self, service, username):
        self._hang()


@pytest.fixture
def hanging():
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()


def chain(error: BaseException | None):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


@pytest.mark.parametrize(
    "error", [RuntimeError("dbus broke"), keyring.errors.KeyringError("backend failed")]
)
def test_a_raising_backend_is_refused_with_the_session_only_fallback(error, caplog):
    keyring.set_keyring(RaisingKeyring(error))
    store = SecretStore()
    assert store.save("mijnschool", TOKEN) is False
    assert isinstance(store.problem, KeyringRefused) and "weigert" in str(store.problem)
    assert store.load("mijnschool") == TOKEN  # for this session
    with pytest.raises(KeyringRefused) as info:
        SecretStore().load("mijnschool")
    with pytest.raises(KeyringRefused):
        SecretStore().delete("mijnschool")
    for e in chain(info.value):
        assert TOKEN not in str(e) and TOKEN not in repr(e.args)
    assert TOKEN not in caplog.text


def test_a_hanging_backend_is_given_up_within_the_time_limit(hanging):
    store = SecretStore(time_limit=0.3)
    started = time.monotonic()
    assert store.save("mijnschool", TOKEN) is False
    assert time.monotonic() - started < 1.0
    assert isinstance(store.problem, KeyringUnresponsive)
    assert "reageert niet" in str(store.problem)
    assert store.load("mijnschool") == TOKEN  # the session keeps it
    calls = hanging.calls
    started = time.monotonic()
    with pytest.raises(SecretStoreError, match="reageert niet"):
        store.load("andere")
    store.delete("andere")  # forgetting never waits either
    assert time.monotonic() - started < 0.1 and hanging.calls == calls  # not asked again


def test_a_hanging_backend_on_a_fresh_start_says_so(hanging):
    started = time.monotonic()
    with pytest.raises(KeyringUnresponsive):
        SecretStore(time_limit=0.3).load("mijnschool")
    assert time.monotonic() - started < 1.0


@pytest.mark.skipif(sys.platform == "darwin", reason="the macOS backend is used there")
def test_choosing_a_backend_elsewhere_than_macos_never_loads_the_macos_api():
    # Loading it asks the system's linker for the Security framework (child processes).
    script = (
        "import sys, keyring.backend, zdesk.store.secrets\n"
        "keyring.backend.get_all_keyring()\n"
        "print(sys.modules.get('keyring.backends.macOS.api', 'absent'))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"
