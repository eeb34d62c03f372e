"""Shared fixtures: Qt offscreen, the fake portal over loopback, isolated paths and keyring."""

from __future__ import annotations

import logging
import os
import re

# Before anything imports Qt: tests never need a screen.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

from zdesk.demo.data import PortalData
from zdesk.demo.school import generate_school
from zdesk.demo.seed import seed_school
from zdesk.demo.server import FakePortal

TEST_YEAR = 2026


@pytest.fixture(scope="session")
def small_school() -> PortalData:
    return generate_school("small", seed=7, year=TEST_YEAR)


@pytest.fixture(scope="session")
def typical_school() -> PortalData:
    return generate_school("typical", seed=2026, year=TEST_YEAR)


@pytest.fixture(scope="session")
def small_project(small_school: PortalData):
    """The small school loaded over loopback HTTP, with its checks run (read-only in tests)."""
    from zdesk.domain.checks import run_checks
    from zdesk.loading.loader import load_project
    from zdesk.portal.client import PortalClient
    from zdesk.portal.names import normalise_portal

    with FakePortal(small_school) as fake:
        project = load_project(
            PortalClient(normalise_portal(fake.url), fake.token), small_school.current_project
        )
    return project, run_checks(project)


@pytest.fixture
def portal(small_school: PortalData):
    with FakePortal(small_school) as running:
        yield running


@pytest.fixture
def seed_portal():
    with FakePortal(seed_school()) as running:
        yield running


# ---- isolation: no real paths, no real keyring -------------------------------------------

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
import keyring.errors  # noqa: E402


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring for tests; `locked` makes every call fail like a locked store."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.locked = False

    def _check(self) -> None:
        if self.locked:
            raise keyring.errors.KeyringLocked("locked")

    def get_password(self, service, username):
        self._check()
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self._check()
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self._check()
        if (service, username) not in self.items:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.items[(service, username)]


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every test gets its own zdesk home folder and an empty in-memory keyring."""
    home = tmp_path / "zdesk-home"
    monkeypatch.setenv("ZDESK_HOME", str(home))
    monkeypatch.delenv("ZDESK_TOKEN", raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(isolated) -> MemoryKeyring:
    return isolated


# ---- logs: a WARNING nobody expected fails the test ---------------------------------------


class LogFail(logging.Handler):
    """Collects every WARNING or worse; the `logfail` fixture fails the test on an unexpected one.

    A test that means to cause one says so first: `logfail.expect("zdesk.ui.jobs", "Fout in")`.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.expected: list[tuple[str, re.Pattern[str]]] = []
        # The client retries a refused or dropped connection on purpose and reports the outcome
        # itself; urllib3 says "Retrying" at WARNING each time, also for requests a cancelled
        # load left in flight, which may end after their test. Any other WARNING still counts.
        self.expect("urllib3.connectionpool", "^Retrying ")

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def expect(self, logger: str, pattern: str) -> None:
        """Allow WARNINGs and worse from `logger` (or below it) whose message matches `pattern`."""
        self.expected.append((logger, re.compile(pattern)))

    def _allowed(self, record: logging.LogRecord) -> bool:
        return any(
            (record.name == name or record.name.startswith(name + "."))
            and pattern.search(record.getMessage())
            for name, pattern in self.expected
        )

    def unexpected(self) -> list[logging.LogRecord]:
        return [r for r in self.records if not self._allowed(r)]


@pytest.fixture(autouse=True)
def logfail():
    handler = LogFail()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    unexpected = handler.unexpected()
    if unexpected:
        lines = [f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected]
        pytest.fail("Log messages nobody expected:\n" + "\n".join(lines), pytrace=False)
