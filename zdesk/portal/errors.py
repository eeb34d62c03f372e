"""One exception tree for everything a user can meet, each with a stable kind and a Dutch message.

The messages live in one table so they can be translated; they say what happened and what to do.
No message is ever built from a token; texts that come from a server pass through `scrub` first.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "portal-name": "{detail}",
    "koppelcode-format": "{detail}",
    "unknown-portal": (
        "Er is geen Zermelo-portaal met de naam '{portal}'. Controleer de naam: het is het deel "
        "vóór .zportal.nl in het adres waarmee u het portaal opent."
    ),
    "koppelcode-invalid": (
        "Deze koppelcode is onjuist of al gebruikt. Maak in het portaal (Koppelingen > Koppel App) "
        "een nieuwe koppelcode en vul die in."
    ),
    "token-invalid": (
        "De koppeling met '{portal}' is verlopen of ingetrokken. Koppel opnieuw met een nieuwe "
        "koppelcode of API-token."
    ),
    "not-linked": (
        "Er is op deze computer geen koppeling met '{portal}'. Koppel het portaal eerst in zdesk, "
        "of geef het token mee in de omgevingsvariabele ZDESK_TOKEN."
    ),
    "right-missing": (
        "U mist het recht om {what} te lezen in '{portal}'. Vraag de beheerder van het portaal dit "
        "recht toe te kennen (Beheer > Partners > Toegang, 'Lezen')."
    ),
    "not-found": (
        "Het portaal kent '{what}' niet (meer). Vernieuw de gegevens en probeer het opnieuw."
    ),
    "server-error": (
        "Het portaal '{portal}' gaf een foutmelding ({status}). Het probleem ligt bij het portaal; "
        "probeer het over een paar minuten opnieuw."
    ),
    "network": (
        "Het portaal '{portal}' is niet bereikbaar. Controleer de internetverbinding (en de proxy "
        "van het schoolnetwerk) en probeer het opnieuw."
    ),
    "tls": (
        "De beveiligde verbinding met '{portal}' kon niet worden gecontroleerd. Op schoolnetwerken "
        "komt dat door een proxy die verkeer inspecteert; vraag ICT het certificaat daarvan op "
        "deze computer te installeren."
    ),
    "timeout": (
        "Het portaal '{portal}' antwoordde niet op tijd. Probeer het opnieuw; blijft het gebeuren, "
        "dan is het portaal of de verbinding overbelast."
    ),
    "bad-response": (
        "Het antwoord van '{portal}' was onbruikbaar ({detail}). Probeer het opnieuw; blijft het "
        "gebeuren, neem dan contact op met ICT."
    ),
    "proxy-page": (
        "Er kwam een webpagina terug in plaats van gegevens van '{portal}'. Waarschijnlijk vraagt "
        "het schoolnetwerk u eerst aan te melden: open een webbrowser, meld u aan en probeer het "
        "opnieuw."
    ),
    "cancelled": "Het laden is afgebroken.",
    "keyring-missing": (
        "Deze computer heeft geen beveiligde sleutelopslag. De koppeling geldt daarom alleen "
        "zolang zdesk open is; daarna moet u opnieuw koppelen."
    ),
    "keyring-locked": (
        "De sleutelopslag van deze computer is vergrendeld. Ontgrendel hem (meld u opnieuw aan "
        "bij de computer) en probeer het opnieuw."
    ),
    "file": "{detail}",
}


class ZdeskError(Exception):
    """Base of every error zdesk expects; `str()` is the Dutch message for people."""

    kind = "error"

    def __init__(self, detail: str = "", **fields: object) -> None:
        self.detail = detail
        self.fields = fields
        template = MESSAGES.get(self.kind, "{detail}")
        values = {"detail": detail, "portal": "", "what": "", "status": ""} | {
            k: "" if v is None else str(v) for k, v in fields.items()
        }
        self.message = template.format(**values)
        super().__init__(self.message)


class InputError(ZdeskError):
    """Something the user typed cannot be right."""


class InvalidPortalName(InputError):
    kind = "portal-name"


class InvalidKoppelcode(InputError):
    kind = "koppelcode-format"


class PortalError(ZdeskError):
    """Something went wrong talking to a portal."""

    kind = "portal"


class UnknownPortal(PortalError):
    kind = "unknown-portal"


class KoppelcodeRejected(PortalError):
    kind = "koppelcode-invalid"


class TokenRejected(PortalError):
    kind = "token-invalid"


class NotLinked(PortalError):
    kind = "not-linked"


class RightMissing(PortalError):
    kind = "right-missing"

    def __init__(self, endpoint: str, field: str | None = None, **fields: object) -> None:
        self.endpoint = endpoint
        self.field = field
        what = f"veld '{field}' van '{endpoint}'" if field else f"'{endpoint}'"
        super().__init__(what=what, **fields)


class NotFound(PortalError):
    kind = "not-found"


class ServerError(PortalError):
    kind = "server-error"


class NetworkError(PortalError):
    kind = "network"


class TlsError(NetworkError):
    kind = "tls"


class PortalTimeout(NetworkError):
    kind = "timeout"


class BadResponse(PortalError):
    kind = "bad-response"


class ProxyPage(BadResponse):
    kind = "proxy-page"


class Cancelled(ZdeskError):
    kind = "cancelled"


class SecretStoreError(ZdeskError):
    kind = "keyring"


class KeyringUnavailable(SecretStoreError):
    kind = "keyring-missing"


class KeyringLocked(SecretStoreError):
    kind = "keyring-locked"


class FileProblem(ZdeskError):
    """A file could not be written or read; the detail says which and why, in Dutch."""

    kind = "file"


def scrub(text: str, *secrets: str | None) -> str:
    """`text` with every secret replaced, for anything that may reach a person or a log."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
