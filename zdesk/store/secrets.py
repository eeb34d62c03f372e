"""The only module that touches `keyring`: tokens live in the OS keyring, or for this session only.

Without a usable keyring backend the token is kept in memory for this session and the caller is told
so (the UI says it in the window); it is never written anywhere else.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors

from zdesk.errors import KeyringLocked

SERVICE = "zdesk"
log = logging.getLogger(__name__)


def _usable(backend: object) -> bool:
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    priority = getattr(backend, "priority", 1)
    try:
        return float(priority) > 0
    except (TypeError, ValueError):
        return True


class SecretStore:
    """Tokens per portal name. `persistent` tells whether they survive closing zdesk."""

    def __init__(self) -> None:
        self._session: dict[str, str] = {}

    @property
    def persistent(self) -> bool:
        return _usable(keyring.get_keyring())

    def save(self, portal: str, token: str) -> bool:
        """Keep the token; True when it went into the OS keyring, False when session-only."""
        self._session[portal] = token
        if not self.persistent:
            return False
        try:
            keyring.set_password(SERVICE, portal, token)
        except keyring.errors.KeyringLocked:
            raise KeyringLocked() from None
        except (keyring.errors.NoKeyringError, keyring.errors.InitError):
            log.warning("Geen bruikbare sleutelopslag; token alleen voor deze sessie bewaard")
            return False
        except keyring.errors.PasswordSetError:
            log.warning("Sleutelopslag weigerde het token; alleen voor deze sessie bewaard")
            return False
        return True

    def load(self, portal: str) -> str | None:
        if portal in self._session:
            return self._session[portal]
        if not self.persistent:
            return None
        try:
            token = keyring.get_password(SERVICE, portal)
        except keyring.errors.KeyringLocked:
            raise KeyringLocked() from None
        except (keyring.errors.NoKeyringError, keyring.errors.InitError):
            return None
        if token:
            self._session[portal] = token
        return token

    def delete(self, portal: str) -> None:
        self._session.pop(portal, None)
        if not self.persistent:
            return
        try:
            keyring.delete_password(SERVICE, portal)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already gone
        except keyring.errors.KeyringLocked:
            raise KeyringLocked() from None
        except (keyring.errors.NoKeyringError, keyring.errors.InitError):
            pass
