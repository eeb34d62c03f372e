"""What a person can do about each kind of error: the actions a message offers, and the exit code.

One table, keyed by the error's `kind`, read by the app's message bar (which buttons a message
gets) and by the commands without a window (which exit code a script sees). A kind that is not in
the table falls back to the kind of the nearest base class that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zdesk.domain.severity import Severity

EXIT_OK, EXIT_USAGE, EXIT_LINK, EXIT_PORTAL, EXIT_FILE = 0, 2, 3, 4, 5


class Action(StrEnum):
    """Something the message bar offers as a button; the app binds each to what it does there."""

    RETRY = "retry"  # Opnieuw proberen: the same step once more
    RELOAD = "reload"  # Opnieuw laden: after the user stopped a load
    RELINK = "relink"  # Opnieuw koppelen: the link dialog for this portal
    RIGHTS = "rights"  # Toegangsrechten: the rights report and what to ask for
    ELSEWHERE = "elsewhere"  # Andere plek kiezen: save the file somewhere else


@dataclass(frozen=True)
class Remedy:
    actions: tuple[Action, ...]  # in the order the buttons appear
    exit_code: int  # what `zdesk check` and `zdesk export` exit with
    severity: Severity = Severity.FOUT  # how the message bar shows it


_INPUT = Remedy((), EXIT_USAGE)
_RELINK = Remedy((Action.RELINK,), EXIT_LINK)
_RETRY = Remedy((Action.RETRY,), EXIT_PORTAL)
_KEYRING = Remedy((), EXIT_PORTAL, Severity.WAARSCHUWING)

REMEDIES: dict[str, Remedy] = {
    # the command line or a typed value cannot be right: change it
    "usage": _INPUT,
    "input": _INPUT,
    "portal-name": _INPUT,
    "koppelcode-format": _INPUT,
    # the link is wrong, gone or lacks a right: link again, or ask the administrator
    "unknown-portal": _RELINK,
    "koppelcode-invalid": _RELINK,
    "not-linked": _RELINK,
    "token-invalid": _RELINK,
    "token-malformed": _RELINK,
    "right-missing": Remedy((Action.RIGHTS,), EXIT_LINK),
    # the portal or the way to it failed this time: try again
    "error": _RETRY,
    "portal": _RETRY,
    "not-found": _RETRY,
    "server-error": _RETRY,
    "network": _RETRY,
    "unresolved": Remedy((Action.RETRY, Action.RELINK), EXIT_PORTAL),  # a mistyped name, likely
    "tls": _RETRY,
    "timeout": _RETRY,
    "load-timeout": _RETRY,
    "bad-response": _RETRY,
    "proxy-page": Remedy((Action.RETRY, Action.RELINK), EXIT_PORTAL),
    "redirect": _RETRY,
    "too-large": _RETRY,
    "field-unknown": _RETRY,
    "filter-unknown": _RETRY,
    "cancelled": Remedy((Action.RELOAD,), EXIT_PORTAL, Severity.INFO),
    # the keyring said no: the message says what to do on this computer
    "keyring": _KEYRING,
    "keyring-missing": _KEYRING,
    "keyring-locked": _KEYRING,
    "keyring-unresponsive": _KEYRING,
    "keyring-refused": _KEYRING,
    # a file could not be written or read
    "file": Remedy((Action.RETRY, Action.ELSEWHERE), EXIT_FILE),
    # the history of loads: none on this computer (no keyring), a key in ZDESK_HISTORY_KEY that
    # is none, a saved load that cannot be read (it is passed over; the message says why)
    "history-unavailable": Remedy((), EXIT_FILE, Severity.INFO),
    "history-key": _INPUT,
    "saved-load": Remedy((), EXIT_FILE, Severity.WAARSCHUWING),
}


def remedy_for(error: BaseException) -> Remedy:
    """The remedy of the error's kind, or of the nearest base class's kind that has one."""
    for cls in type(error).__mro__:
        kind = cls.__dict__.get("kind")
        if isinstance(kind, str) and kind in REMEDIES:
            return REMEDIES[kind]
    return REMEDIES["error"]


def exit_code_for(error: BaseException) -> int:
    return remedy_for(error).exit_code
