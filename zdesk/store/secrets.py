"""The only module that touches `keyring`: tokens live in the OS keyring, or for this session only.

Without a usable keyring backend the token is kept in memory for this session and the caller is told
so (the UI says it in the window); it is never written anywhere else.

A keyring backend is other people's code talking to other processes (D-Bus, the Windows credential
manager, macOS Keychain): it can raise anything or never return. Every call runs on a worker thread
with a time limit; a call that hangs makes the store session-only for the rest of this session, and
any failure becomes a SecretStoreError with a Dutch message, never a traceback. No exception of a
backend is chained to ours: its text could hold the token.

The keys that encrypt the history of loads live here too, one per portal; without a keyring there
is no key (and so no history) unless ZDESK_HISTORY_KEY holds one.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors

from zdesk.errors import (
    KeyringLocked,
    KeyringRefused,
    KeyringUnresponsive,
    SecretStoreError,
    ZdeskError,
)

# keyring looks at each of its backends when it first chooses one; its macOS backend loads the
# Security framework as it is imported, asking the system's linker where it is (ldconfig, gcc:
# 80 ms of child processes on Linux, the interpreter held up meanwhile), only for that backend to
# say it needs macOS. Elsewhere its API is not loaded at all: the backend is passed over as before.
if sys.platform != "darwin":
    sys.modules.setdefault("keyring.backends.macOS.api", None)  # type: ignore[arg-type]

SERVICE = "zdesk"
HISTORY_SERVICE = "zdesk-history"
HISTORY_KEY_VARIABLE = "ZDESK_HISTORY_KEY"
KEY_BYTES = 32  # AES-256
TIME_LIMIT = 5.0  # seconds; an unlocked keyring answers in milliseconds
log = logging.getLogger(__name__)
T = TypeVar("T")


def _usable_backend() -> bool:
    """Whether the current backend can keep a secret. Its `priority` is the backend's own code
    (often a property that asks D-Bus or the system): read on the keyring's worker thread, with
    the time limit, like every other call."""
    return _usable(keyring.get_keyring())


def _usable(backend: object) -> bool:
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    priority = getattr(backend, "priority", 1)
    try:
        return float(priority) > 0
    except (TypeError, ValueError):
        return True


class _NoBackend(Exception):
    """No usable backend after all (keyring says so only when asked): session-only, quietly."""


class SecretStore:
    """Tokens per portal name. `persistent` tells whether they survive closing zdesk.

    `problem` holds the last failure of the OS keyring (None while it works), so a caller that got
    a session-only answer can say why.
    """

    def __init__(self, time_limit: float = TIME_LIMIT) -> None:
        self._session: dict[str, str] = {}
        self.time_limit = time_limit
        self.problem: SecretStoreError | None = None
        self._unresponsive = False

    # ---- the one way to the keyring ---------------------------------------------------------

    def _call(self, what: str, function: Callable[..., T], *args: str) -> T:
        """`function(*args)` on a worker thread, within the time limit; every failure mapped."""
        if self._unresponsive:
            raise self._fail(KeyringUnresponsive(), None)
        outcome: dict[str, object] = {}
        done = threading.Event()

        def run() -> None:
            try:
                outcome["value"] = function(*args)
            except BaseException as exc:  # handed to the caller below, never lost on this thread
                outcome["error"] = exc
            finally:
                done.set()

        threading.Thread(target=run, name=f"zdesk-keyring-{what}", daemon=True).start()
        if not done.wait(self.time_limit):
            self._unresponsive = True  # asking again would hang again: session-only from now on
            raise self._fail(
                KeyringUnresponsive(), f"{what}: geen antwoord binnen {self.time_limit} s"
            )
        error = outcome.get("error")
        if error is None:
            return outcome["value"]  # type: ignore[return-value]
        if isinstance(error, keyring.errors.KeyringLocked):
            raise self._fail(KeyringLocked(), None)
        if isinstance(error, keyring.errors.NoKeyringError | keyring.errors.InitError):
            raise _NoBackend()
        if isinstance(error, keyring.errors.PasswordDeleteError):
            raise error  # nothing stored: the caller knows what that means
        if isinstance(error, Exception):
            raise self._fail(KeyringRefused(), f"{what}: {type(error).__name__}")
        raise error  # KeyboardInterrupt and the like are not the keyring's to swallow

    def _fail(self, problem: SecretStoreError, why: str | None) -> SecretStoreError:
        if why:
            log.warning("Sleutelopslag: %s; koppeling alleen voor deze sessie", why)
        self.problem = problem
        return problem

    # ---- tokens -----------------------------------------------------------------------------

    @property
    def persistent(self) -> bool:
        try:
            return self._call("backend", _usable_backend)
        except (SecretStoreError, _NoBackend):
            return False

    def save(self, portal: str, token: str) -> bool:
        """Keep the token; True when it went into the OS keyring, False when session-only.

        A locked keyring raises KeyringLocked (the user can unlock it); any other failure is
        session-only, with the reason in `problem`.
        """
        self._session[portal] = token
        if not self.persistent:
            return False
        try:
            self._call("save", keyring.set_password, SERVICE, portal, token)
        except KeyringLocked:
            raise
        except SecretStoreError:
            return False
        except _NoBackend:
            log.warning("Geen bruikbare sleutelopslag; token alleen voor deze sessie bewaard")
            return False
        self.problem = None
        return True

    def load(self, portal: str) -> str | None:
        """The token of `portal`, or None. Raises a SecretStoreError when the keyring fails."""
        if portal in self._session:
            return self._session[portal]
        if not self.persistent:
            if self.problem is not None:
                raise type(self.problem)()
            return None
        try:
            token = self._call("load", keyring.get_password, SERVICE, portal)
        except _NoBackend:
            return None
        if token is not None and not isinstance(token, str):
            raise self._fail(KeyringRefused(), f"load: {type(token).__name__} in plaats van tekst")
        if token:
            self._session[portal] = token
        return token

    def delete(self, portal: str) -> None:
        """Forget the token here and in the keyring. Raises a SecretStoreError when the keyring
        fails (the token is then forgotten for this session only)."""
        self._session.pop(portal, None)
        if not self.persistent:
            return
        # Nothing stored, or nowhere to store: already gone.
        with contextlib.suppress(keyring.errors.PasswordDeleteError, _NoBackend):
            self._call("delete", keyring.delete_password, SERVICE, portal)

    # ---- history keys ----------------------------------------------------------------------

    def history_key(self, portal: str, *, create: bool = True) -> bytes | None:
        """The key that encrypts `portal`'s history, made on first use; None without a keyring.

        ZDESK_HISTORY_KEY, when set, is the key for every portal (for scheduled runs on a machine
        without a keyring). Raises HistoryKeyInvalid when it does not hold a key, KeyringLocked
        when the keyring is locked.
        """
        from_environment = os.environ.get(HISTORY_KEY_VARIABLE)
        if from_environment:
            return _decode_key(from_environment.strip())
        if not self.persistent:
            return None
        try:
            stored = self._call("history", keyring.get_password, HISTORY_SERVICE, portal)
            if stored:
                try:
                    return _decode_key(str(stored))
                except HistoryKeyInvalid:
                    log.warning(
                        "Geschiedenissleutel van %s onbruikbaar; een nieuwe gemaakt", portal
                    )
            if not create:
                return None
            key = secrets.token_bytes(KEY_BYTES)
            encoded = base64.b64encode(key).decode("ascii")
            self._call("history", keyring.set_password, HISTORY_SERVICE, portal, encoded)
        except KeyringLocked:
            raise
        except (SecretStoreError, _NoBackend):
            return None  # no key, so no history (the reason is in `problem`)
        return key

    def delete_history_key(self, portal: str) -> None:
        if not self.persistent:
            return
        # Never made, or nowhere to keep it: already gone.
        with contextlib.suppress(keyring.errors.PasswordDeleteError, _NoBackend):
            self._call("history", keyring.delete_password, HISTORY_SERVICE, portal)


class HistoryKeyInvalid(ZdeskError):
    """ZDESK_HISTORY_KEY (or a stored key) is not 32 bytes in base64."""

    kind = "history-key"


def _decode_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise HistoryKeyInvalid(
            f"{HISTORY_KEY_VARIABLE} bevat geen bruikbare sleutel: zet er 32 willekeurige bytes in "
            "base64 in (bijvoorbeeld de uitvoer van 'openssl rand -base64 32')."
        )
    return key
