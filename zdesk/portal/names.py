"""Portal names and koppelcodes as users type them, made into what the API needs (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from zdesk.portal.errors import InvalidKoppelcode, InvalidPortalName

SUFFIX = ".zportal.nl"
LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
KOPPELCODE_DIGITS = 12


@dataclass(frozen=True)
class Portal:
    """One portal: `name` is how people know it, `base_url` where its API lives."""

    name: str
    base_url: str

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v3/"

    @property
    def is_local(self) -> bool:
        return self.base_url.startswith("http://")


def _zportal(host: str) -> Portal:
    label = host[: -len(SUFFIX)]
    if not LABEL.match(label):
        raise InvalidPortalName(
            f"'{host}' is geen geldig portaaladres. Een portaal heet bijvoorbeeld "
            f"'mijnschool{SUFFIX}'."
        )
    return Portal(label, f"https://{label}{SUFFIX}")


def normalise_portal(text: str) -> Portal:
    """Accept `mijnschool`, ` MijnSchool `, `mijnschool.zportal.nl` or a URL of the portal.

    A plain-http address is accepted only for this computer (127.0.0.1 or localhost: the demo).
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidPortalName(
            "Vul de naam van het portaal in: het deel vóór .zportal.nl, bijvoorbeeld 'mijnschool'."
        )
    lowered = cleaned.lower()
    if "://" in lowered:
        try:
            parts = urlsplit(lowered)
            host, port = parts.hostname or "", parts.port
        except ValueError as exc:
            raise InvalidPortalName(f"'{cleaned}' is geen geldig webadres.") from exc
        if parts.scheme == "http":
            if host not in LOCAL_HOSTS:
                raise InvalidPortalName(
                    "Een portaal wordt altijd beveiligd geopend (https://). Gebruik het adres "
                    f"dat eindigt op {SUFFIX}."
                )
            netloc = f"{host}:{port}" if port else host
            return Portal(netloc, f"http://{netloc}")
        if parts.scheme != "https":
            raise InvalidPortalName(f"'{cleaned}' is geen webadres van een Zermelo-portaal.")
        if not host.endswith(SUFFIX):
            raise InvalidPortalName(
                f"'{host}' is geen Zermelo-portaal: het adres moet eindigen op {SUFFIX}."
            )
        return _zportal(host)
    host = lowered.split("/", 1)[0]
    if host.endswith(SUFFIX):
        return _zportal(host)
    local = _local(host)
    if local is not None:  # the name zdesk itself gives the demo portal: "127.0.0.1:8123"
        return local
    label = re.sub(r"\s+", "", host)
    if "." in label:
        raise InvalidPortalName(
            f"'{cleaned}' is geen Zermelo-portaal. Vul alleen de naam in (bijvoorbeeld "
            f"'mijnschool') of het adres dat eindigt op {SUFFIX}."
        )
    if not LABEL.match(label):
        raise InvalidPortalName(
            f"'{cleaned}' kan geen portaalnaam zijn: gebruik alleen letters, cijfers en "
            "streepjes, zonder streepje aan het begin of eind."
        )
    return Portal(label, f"https://{label}{SUFFIX}")


def ascii_int(text: str) -> int | None:
    """The number a text of ASCII digits (around spaces) says, else None: "²" is a digit to
    str.isdigit but not to int(), and a header or a name may hold one."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _local(host: str) -> Portal | None:
    """A portal on this computer named without its scheme ("127.0.0.1:8123"), else None."""
    name, _, port = host.partition(":")
    if name not in LOCAL_HOSTS:
        return None
    number = ascii_int(port) if port else None
    if port and (number is None or number > 65535 or port != port.strip()):
        return None
    netloc = f"{name}:{number}" if port else name
    return Portal(netloc, f"http://{netloc}")


def normalise_koppelcode(text: str) -> str:
    """The 12 digits of a koppelcode, however it was typed (spaces, dashes, dots)."""
    digits = "".join(ch for ch in (text or "") if ch in "0123456789")
    if not digits:
        raise InvalidKoppelcode(
            "Vul de koppelcode in: 12 cijfers, te maken in het portaal onder "
            "Koppelingen > Koppel App."
        )
    if len(digits) != KOPPELCODE_DIGITS:
        raise InvalidKoppelcode(
            f"Een koppelcode bestaat uit {KOPPELCODE_DIGITS} cijfers; u hebt er {len(digits)} "
            "ingevuld."
        )
    return digits
