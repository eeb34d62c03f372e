"""The base of zdesk's exception tree and the errors every layer meets: files, keyring, cancel.

Each error has a stable `kind` and a Dutch message from a message table (so it can be translated);
the messages say what happened and what to do. Errors of talking to a portal live in
`zdesk.portal.errors`, on top of this base. No message is ever built from a token.
"""

from __future__ import annotations

import errno
from typing import ClassVar

MESSAGES: dict[str, str] = {
    "cancelled": "Het laden is afgebroken.",
    "keyring-missing": (
        "Deze computer heeft geen beveiligde sleutelopslag. De koppeling geldt daarom alleen "
        "zolang zdesk open is; daarna moet u opnieuw koppelen."
    ),
    "keyring-locked": (
        "De sleutelopslag van deze computer is vergrendeld. Ontgrendel hem (meld u opnieuw aan "
        "bij de computer) en probeer het opnieuw."
    ),
    "keyring-unresponsive": (
        "De sleutelopslag van deze computer reageert niet. De koppeling geldt daarom alleen "
        "zolang zdesk open is; daarna moet u opnieuw koppelen. Blijft dit gebeuren, meld u dan "
        "opnieuw aan bij de computer of vraag ICT naar de sleutelopslag."
    ),
    "keyring-refused": (
        "De sleutelopslag van deze computer weigert de koppeling te bewaren of te geven. De "
        "koppeling geldt daarom alleen zolang zdesk open is; daarna moet u opnieuw koppelen. "
        "Blijft dit gebeuren, vraag ICT dan naar de sleutelopslag."
    ),
    "file": "{detail}",
}


class ZdeskError(Exception):
    """Base of every error zdesk expects; `str()` is the Dutch message for people."""

    kind = "error"
    messages: ClassVar[dict[str, str]] = MESSAGES

    def __init__(self, detail: str = "", **fields: object) -> None:
        self.detail = detail
        self.fields = fields
        template = self.messages.get(self.kind, "{detail}")
        values = {"detail": detail, "portal": "", "what": "", "status": ""} | {
            k: "" if v is None else str(v) for k, v in fields.items()
        }
        self.message = template.format(**values)
        super().__init__(self.message)


class InputError(ZdeskError):
    """Something the user typed cannot be right."""

    kind = "input"


class Cancelled(ZdeskError):
    kind = "cancelled"


class SecretStoreError(ZdeskError):
    kind = "keyring"


class KeyringUnavailable(SecretStoreError):
    kind = "keyring-missing"


class KeyringLocked(SecretStoreError):
    kind = "keyring-locked"


class KeyringUnresponsive(SecretStoreError):
    """A keyring call did not return in time; the store is not asked again this session."""

    kind = "keyring-unresponsive"


class KeyringRefused(SecretStoreError):
    """The keyring backend failed (an error of its own, or any other exception)."""

    kind = "keyring-refused"


class FileProblem(ZdeskError):
    """A file could not be written or read; the detail says which and why, in Dutch."""

    kind = "file"


def scrub(text: str, *secrets: str | None) -> str:
    """`text` with every secret replaced, for anything that may reach a person or a log."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


# Why the system refused a file operation, in Dutch: its own text (strerror) is English or in the
# language of the system, never that of zdesk's messages.
_OS_REASONS = {
    errno.EACCES: "geen toestemming",
    errno.EPERM: "niet toegestaan",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.EBUSY: "in gebruik",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte van de gebruiker is op",
    errno.ENOENT: "bestaat niet",
    errno.ENOTDIR: "een map in het pad is geen map",
    errno.EISDIR: "is een map",
    errno.ENOTEMPTY: "de map is niet leeg",
    errno.EEXIST: "bestaat al",
    errno.ELOOP: "te veel koppelingen na elkaar",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EIO: "lees- of schrijffout van de schijf",
    errno.EMFILE: "te veel bestanden open",
    errno.EXDEV: "op een andere schijf",
    errno.ETIMEDOUT: "geen antwoord (netwerkmap?)",
}


def os_reason(exc: OSError) -> str:
    """Why an operation on a file failed, in Dutch, for inside a Dutch message."""
    reason = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if reason is not None:
        return reason
    name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    return f"systeemfout {name}" if name else f"systeemfout ({type(exc).__name__})"
