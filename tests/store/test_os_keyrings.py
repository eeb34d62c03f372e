"""The keyrings of admin workstations, played on Linux: fakes of keyring's Windows Credential
Manager and macOS Keychain backends that fail as those do (their own exception types and codes),
each ending in the Dutch messages zdesk has for a keyring that is locked or refuses, with the
token kept for this session only and never in a message or a log line."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest

from zdesk.errors import KeyringLocked, KeyringRefused
from zdesk.store.secrets import HISTORY_SERVICE, SERVICE, SecretStore

TOKEN = "geheim-token-1234567890"
LOCKED = "De sleutelopslag van deze computer is vergrendeld"
REFUSED = "De sleutelopslag van deze computer weigert de koppeling te bewaren of te geven"


@pytest.fixture(autouse=True)
def _expected_warnings(logfail):
    logfail.expect("zdesk.store.secrets", r"^(Sleutelopslag|Geschiedenissleutel)")


# ---- Windows: keyring.backends.Windows.WinVaultKeyring over win32ctypes' win32cred ------------


class WinError(Exception):
    """win32ctypes.pywin32.pywintypes.error: (winerror, funcname, strerror)."""

    def __init__(self, winerror: int, funcname: str, strerror: str) -> None:
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


WinError.__name__ = WinError.__qualname__ = "error"
WinError.__module__ = "win32ctypes.pywin32.pywintypes"

CRED_MAX_CREDENTIAL_BLOB_SIZE = 5 * 512  # bytes; the password is kept as UTF-16


class CredentialManager(keyring.backend.KeyringBackend):
    """Generic credentials by target name, as WinVaultKeyring keeps them ("zdesk" with the
    portal as user name). `failure`: the winerror every call fails with, if any."""

    priority = 5

    def __init__(self, failure: tuple[int, str] | None = None) -> None:
        super().__init__()
        self.credentials: dict[str, tuple[str, str]] = {}
        self.failure = failure

    def _fail(self, funcname: str) -> None:
        if self.failure is not None:
            raise WinError(self.failure[0], funcname, self.failure[1])

    def get_password(self, service, username):
        self._fail("CredRead")
        for target in (f"{username}@{service}", service):
            found = self.credentials.get(target)
            if found is not None and found[0] == username:
                return found[1]
        return None  # winerror 1168 (not found) is None in WinVaultKeyring

    def set_password(self, service, username, password):
        self._fail("CredWrite")
        if len(password.encode("utf-16-le")) > CRED_MAX_CREDENTIAL_BLOB_SIZE:
            raise WinError(1783, "CredWrite", "The stub received bad data.")
        self.credentials[f"{username}@{service}"] = (username, password)

    def delete_password(self, service, username):
        self._fail("CredDelete")
        if self.credentials.pop(f"{username}@{service}", None) is None:
            raise keyring.errors.PasswordDeleteError("Password not found")


# ---- macOS: keyring.backends.macOS.Keyring over its Security framework api ------------------


class KeychainError(Exception):
    """keyring.backends.macOS.api.Error: (status, message)."""


class KeychainDenied(KeychainError):
    """api.KeychainDenied: the person chose Weigeren (errSecUserCanceled, -128)."""


for _cls in (KeychainError, KeychainDenied):
    _cls.__module__ = "keyring.backends.macOS.api"
KeychainError.__name__ = KeychainError.__qualname__ = "Error"


class Keychain(keyring.backend.KeyringBackend):
    """Generic passwords, failing as keyring's macOS backend passes its api's errors on:
    denied becomes KeyringLocked, any other error on saving PasswordSetError, on reading the
    api's own Error (errSecInteractionNotAllowed, -25308: locked with no way to ask)."""

    priority = 5

    def __init__(self, failure: KeychainError | None = None) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.failure = failure

    def get_password(self, service, username):
        if isinstance(self.failure, KeychainDenied):
            raise keyring.errors.KeyringLocked(f"Can't get password from keychain: {self.failure}")
        if self.failure is not None:
            raise self.failure
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        if isinstance(self.failure, KeychainDenied):
            raise keyring.errors.KeyringLocked(f"Can't store password on keychain: {self.failure}")
        if self.failure is not None:
            raise keyring.errors.PasswordSetError(
                f"Can't store password on keychain: {self.failure} ({password})"
            )
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        if self.failure is not None:
            raise keyring.errors.PasswordDeleteError(f"Can't delete password in keychain: {self}")
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("Item not found")


NO_LOGON_SESSION = (1312, "A specified logon session does not exist.")  # a task without profile
ACCESS_DENIED = (5, "Access is denied.")
INTERACTION_NOT_ALLOWED = KeychainError(-25308, "User interaction is not allowed.")
USER_CANCELED = KeychainDenied(-128, "User canceled the operation.")


def test_credential_manager_keeps_the_token_and_the_history_key():
    vault = CredentialManager()
    keyring.set_keyring(vault)
    store = SecretStore()
    assert store.save("mijnschool", TOKEN) is True
    key = store.history_key("mijnschool")
    assert SecretStore().load("mijnschool") == TOKEN
    assert SecretStore().history_key("mijnschool") == key
    assert set(vault.credentials) == {f"mijnschool@{SERVICE}", f"mijnschool@{HISTORY_SERVICE}"}
    store.delete("mijnschool")
    store.delete_history_key("mijnschool")
    assert vault.credentials == {}


@pytest.mark.parametrize("failure", [NO_LOGON_SESSION, ACCESS_DENIED], ids=["1312", "5"])
def test_credential_manager_errors_are_refusals_with_the_session_fallback(failure, caplog):
    keyring.set_keyring(CredentialManager(failure))
    store = SecretStore()
    assert store.save("mijnschool", TOKEN) is False
    assert isinstance(store.problem, KeyringRefused) and str(store.problem).startswith(REFUSED)
    assert store.load("mijnschool") == TOKEN  # for this session
    with pytest.raises(KeyringRefused) as info:
        SecretStore().load("mijnschool")
    assert info.value.__cause__ is None and info.value.__context__ is None  # nothing chained
    assert SecretStore().history_key("mijnschool") is None  # no key, so no history
    assert "error" in caplog.text and TOKEN not in caplog.text


def test_a_credential_too_large_for_windows_is_refused_not_lost():
    """Windows keeps at most 2,560 bytes per credential (1,280 characters)."""
    keyring.set_keyring(CredentialManager())
    store = SecretStore()
    huge = "x" * 1281
    assert store.save("mijnschool", huge) is False
    assert str(store.problem).startswith(REFUSED)
    assert store.load("mijnschool") == huge  # this session goes on with it
    assert huge not in str(store.problem)


def test_keychain_keeps_the_token():
    keyring.set_keyring(Keychain())
    assert SecretStore().save("mijnschool", TOKEN) is True
    assert SecretStore().load("mijnschool") == TOKEN


def test_keychain_access_refused_by_the_person_is_the_locked_message():
    keyring.set_keyring(Keychain(USER_CANCELED))
    with pytest.raises(KeyringLocked) as info:
        SecretStore().save("mijnschool", TOKEN)
    assert str(info.value).startswith(LOCKED)
    with pytest.raises(KeyringLocked):
        SecretStore().load("mijnschool")
    with pytest.raises(KeyringLocked):
        SecretStore().history_key("mijnschool")


def test_a_locked_keychain_with_no_way_to_ask_is_a_refusal(caplog):
    keyring.set_keyring(Keychain(INTERACTION_NOT_ALLOWED))
    store = SecretStore()
    assert store.save("mijnschool", TOKEN) is False  # PasswordSetError
    assert str(store.problem).startswith(REFUSED)
    with pytest.raises(KeyringRefused) as info:
        SecretStore().load("mijnschool")  # the api's own Error
    assert TOKEN not in str(info.value) and TOKEN not in caplog.text
    assert "Error" in caplog.text  # the log names the kind of failure, never its text
