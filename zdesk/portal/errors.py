"""The errors of talking to a portal, each with a stable kind and a Dutch message.

The messages live in one table so they can be translated; they say what happened and what to do.
No message is ever built from a token; texts that come from a server pass through `scrub` first.
The base of the tree and the errors every layer meets (files, keyring, cancel): `zdesk.errors`.
"""

from __future__ import annotations

from typing import ClassVar

from zdesk.errors import Cancelled, InputError, ZdeskError, scrub

__all__ = ["Cancelled", "InputError", "ZdeskError", "scrub"]

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
    "unresolved": (
        "Het portaal '{portal}' is niet gevonden. Klopt de naam? Het is het deel vóór "
        ".zportal.nl in het adres waarmee u het portaal opent. Is de naam goed, controleer dan "
        "de internetverbinding (en de proxy van het schoolnetwerk)."
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
    "token-malformed": (
        "Het token voor '{portal}' is misvormd (het bevat een regelovergang, spatie of ander "
        "teken dat niet in een token hoort). Kopieer het token opnieuw, zonder extra tekens, of "
        "koppel opnieuw met een koppelcode."
    ),
    "redirect": (
        "Het portaal '{portal}' stuurde zdesk door naar {detail}. zdesk volgt geen "
        "doorverwijzingen: gegevens zouden dan naar een andere server kunnen gaan. Controleer de "
        "portaalnaam; blijft dit gebeuren, neem dan contact op met ICT (leidt de proxy van het "
        "schoolnetwerk het verkeer om?)."
    ),
    "load-timeout": (
        "Het lezen van het project bij '{portal}' duurde langer dan {detail}; zdesk is gestopt "
        "en laat zien wat er al was. Probeer het later opnieuw; blijft het gebeuren, dan is het "
        "portaal of de verbinding overbelast."
    ),
    "field-unknown": (
        "Het portaal '{portal}' kent {what} niet. zdesk leest verder zonder dat veld."
    ),
    "filter-unknown": (
        "Het portaal '{portal}' kent een filter niet dat zdesk gebruikt ({detail}). Probeer het "
        "opnieuw; blijft het gebeuren, neem dan contact op met ICT."
    ),
    "too-large": (
        "Het antwoord van '{portal}' is onverwacht groot (meer dan {detail}); zdesk heeft het "
        "niet verder gelezen. Geen echt project is zo groot: neem contact op met ICT."
    ),
}


class InvalidPortalName(InputError):
    kind = "portal-name"


class InvalidKoppelcode(InputError):
    kind = "koppelcode-format"


class PortalError(ZdeskError):
    """Something went wrong talking to a portal."""

    kind = "portal"
    messages: ClassVar[dict[str, str]] = MESSAGES


class UnknownPortal(PortalError):
    kind = "unknown-portal"


class KoppelcodeRejected(PortalError):
    kind = "koppelcode-invalid"


class TokenRejected(PortalError):
    kind = "token-invalid"


class TokenMalformed(TokenRejected):
    """The token cannot be sent at all (a line break or character no token has)."""

    kind = "token-malformed"


class NotLinked(PortalError):
    kind = "not-linked"


class RightMissing(PortalError):
    kind = "right-missing"

    def __init__(self, endpoint: str, field: str | None = None, **fields: object) -> None:
        self.endpoint = endpoint
        self.field = field
        what = f"veld '{field}' van '{endpoint}'" if field else f"'{endpoint}'"
        super().__init__(what=what, **fields)


class FieldUnknown(RightMissing):
    """The portal does not have a field that was asked for (400 "Unknown field(s)", or a 404
    naming it): read like a refusal, reported as "bestaat niet in dit portaal"."""

    kind = "field-unknown"
    portal_message = ""  # what the portal said, scrubbed and shortened


class NotFound(PortalError):
    kind = "not-found"


class ServerError(PortalError):
    kind = "server-error"


class NetworkError(PortalError):
    kind = "network"


class UnresolvedPortal(NetworkError):
    """The portal's name has no address: mistyped, most likely (or no internet at all)."""

    kind = "unresolved"


class TlsError(NetworkError):
    kind = "tls"


class PortalTimeout(NetworkError):
    kind = "timeout"


class LoadTimeout(PortalTimeout):
    """A whole load took longer than it may (each request kept within its own deadline)."""

    kind = "load-timeout"


class BadResponse(PortalError):
    kind = "bad-response"


class ProxyPage(BadResponse):
    kind = "proxy-page"


class Redirected(BadResponse):
    """The server answered with a redirect; zdesk never follows one."""

    kind = "redirect"


class AnswerTooLarge(BadResponse):
    kind = "too-large"


class FilterUnknown(BadResponse):
    """The portal does not take a filter that was asked for (400 naming the parameter)."""

    kind = "filter-unknown"

    def __init__(self, endpoint: str, parameter: str, detail: str = "", **fields: object) -> None:
        self.endpoint = endpoint
        self.parameter = parameter
        super().__init__(detail, **fields)
