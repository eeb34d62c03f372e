"""PortalClient: the API of one portal, with the token only in a header.

What is asked and what the answer means: the calls (a collection, the koppelcode exchange, the
user, logout), the envelope checked strictly, the rows decoded by msgspec straight into typed
records. The worse of the HTTP status and the envelope's own status decides; anything that is not
the expected JSON becomes a `BadResponse`. Sending (deadline, retries, redirects, size cap) is
`zdesk.portal.transport`'s.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import msgspec

from zdesk.portal.errors import (
    AnswerTooLarge,
    BadResponse,
    FieldUnknown,
    FilterUnknown,
    KoppelcodeRejected,
    NotFound,
    ProxyPage,
    RightMissing,
    ServerError,
    TokenRejected,
    UnknownPortal,
    scrub,
)
from zdesk.portal.names import Portal, ascii_int
from zdesk.portal.records import ProjectInfo
from zdesk.portal.transport import CancelFlag, Transport
from zdesk.portal.wire import CONVERTED, RepairLog, decode_rows, flatten_deep

T = TypeVar("T")
PARALLEL = 6  # requests at once to one portal: the API asks for a handful at most
# Rows one answer may hold, far above the largest real project (a scholengroep of 12,000
# students: 13,000 afdelingsdeelnames, 62,000 pakketkeuzes). The byte cap alone bounds bytes, not
# work: a million tiny rows fit in 16 MB and would cost minutes to check.
MAX_ROWS = 200_000
MAX_ROWS_OF = {"selectedsubjects": 600_000}

__all__ = ["PARALLEL", "CancelFlag", "PortalClient"]


class PortalClient:
    """Talks to one portal. Thread-safe for concurrent GETs (see `Transport`)."""

    def __init__(self, portal: Portal, token: str | None = None, **sending: Any) -> None:
        """`sending`: how requests are sent (retries, backoff, timeout, deadline, budget,
        max_answer), as `Transport` takes them."""
        self.portal = portal
        self._token = token
        self.transport = Transport(portal, **sending)
        # Every read through this client shares the portal's limit, also two loads side by side
        # (a project and the previous project the doorstroom follows).
        self._slots = threading.BoundedSemaphore(PARALLEL)

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- plumbing ------------------------------------------------------------------------------

    def _send(self, method: str, endpoint: str, **kwargs: Any) -> tuple[int, str, bytes]:
        with self._slots:
            return self.transport.send(method, endpoint, token=self._token, **kwargs)

    def _fail(
        self,
        status: int,
        endpoint: str,
        message: str,
        *,
        fields: str | None,
        filters: Iterable[str] = (),
    ) -> None:
        """Raise the error that fits a failing status for this endpoint.

        What a portal answers to a field or filter it does not have is documented nowhere: a 400
        that names a filter is a filter it does not take; a 400 on a request with `fields=`, or
        a 404 naming one of its fields, is a field it does not have (FieldUnknown, read like a
        refusal: the loader asks each field apart, so the one it lacks names itself)."""
        portal = self.portal.name
        message = str(message or "")
        asked = fields.split(",") if fields else []
        named = _named(message, asked)
        single = named[0] if len(named) == 1 else (asked[0] if len(asked) == 1 else None)
        if status == 401:
            raise TokenRejected(portal=portal)
        if status == 400:
            refused_filters = _named(message, filters)
            if refused_filters:
                detail = scrub(message, self._token)[:200]
                raise FilterUnknown(endpoint, refused_filters[0], detail, portal=portal)
        if (status == 400 and asked) or (status == 404 and named):
            error = FieldUnknown(endpoint, single, portal=portal)
            error.portal_message = scrub(message or f"status {status}", self._token)[:200]
            raise error
        if status == 403:
            # The portal may not say which field; a single-field request (the probe) does.
            raise RightMissing(endpoint, single, portal=portal)
        if status == 404:
            raise NotFound(what=endpoint, portal=portal)
        if status >= 500:
            raise ServerError(portal=portal, status=status)
        detail = scrub(message or f"status {status}", self._token)[:200]
        raise BadResponse(detail, portal=portal)

    def _raise_for(
        self,
        endpoint: str,
        status: int,
        content_type: str,
        body: bytes,
        fields: str | None,
        filters: Iterable[str] = (),
    ) -> None:
        """A failed HTTP status: the worse of it and the envelope's status decides the error."""
        message, envelope_status = "", 0
        if not _looks_html(content_type, body):
            try:
                inner = msgspec.json.decode(body, type=_ErrorEnvelope).response
                message, envelope_status = str(inner.message or ""), _as_status(inner.status)
            except (msgspec.DecodeError, msgspec.ValidationError):
                pass
        self._fail(max(status, envelope_status), endpoint, message, fields=fields, filters=filters)

    # ---- the API -------------------------------------------------------------------------------

    def fetch(
        self,
        endpoint: str,
        record: type[T],
        *,
        params: dict[str, str] | None = None,
        fields: Iterable[str] | None = None,
        cancel: CancelFlag | None = None,
        on_bytes: Callable[[int], None] | None = None,
        repairs: RepairLog | None = None,
        retry_until: float | None = None,
    ) -> tuple[list[T], int]:
        """GET a collection and decode its `data` into `records`: (records, bytes received).

        Values that did not fit their field are repaired or left empty and counted in `repairs`.
        No retry starts after `retry_until` (time.monotonic(); a whole load's budget).
        """
        query = dict(params or {})
        field_list = ",".join(fields) if fields is not None else None
        if field_list is not None:
            query["fields"] = field_list
        status, content_type, body = self._send(
            "GET", endpoint, params=query, cancel=cancel, on_bytes=on_bytes, retry_until=retry_until
        )
        filters = tuple(k for k in query if k != "fields")
        rows = self.decode(
            endpoint, record, status, content_type, body, field_list, repairs, filters
        )
        return rows, len(body)

    def decode(
        self,
        endpoint: str,
        record: type[T],
        status: int,
        content_type: str,
        body: bytes,
        field_list: str | None = None,
        repairs: RepairLog | None = None,
        filters: Iterable[str] = (),
    ) -> list[T]:
        """Turn one answer into records, or raise the PortalError that fits (never another).

        Strict about the envelope, tolerant about the rows: the typed decode is the fast path;
        when a row does not fit, the rows are taken one by one (`zdesk.portal.wire`).
        """
        if status >= 400:
            self._raise_for(endpoint, status, content_type, body, field_list, filters)
        if body[:3] == _BOM:  # some servers write one before JSON; it means nothing
            body = body[3:]
        if _looks_html(content_type, body):
            raise ProxyPage(portal=self.portal.name)
        try:
            decoded = msgspec.json.decode(body, type=_envelope_type(record)).response
            rows = decoded.data
        except (msgspec.ValidationError, RecursionError):
            decoded = self._loose_envelope(body)
            rows = None
        except msgspec.DecodeError:
            mended = _mend_utf8(body)
            if mended is None:
                raise BadResponse(
                    "het antwoord is geen volledige JSON", portal=self.portal.name
                ) from None
            # Bytes that are no UTF-8 (a name from an old export, say) cost those characters,
            # not the answer: each is replaced by U+FFFD and the answer counted as repaired.
            body, bad = mended
            log = repairs if repairs is not None else RepairLog()
            log.add(endpoint, "(tekst)", CONVERTED, f"{bad} ongeldige UTF-8-bytes vervangen", None)
            decoded = self._loose_envelope(body)
            rows = None
        envelope_status = _as_status(decoded.status)
        if envelope_status < 0:
            raise BadResponse(
                f"onbekende status in het antwoord op '{endpoint}'", portal=self.portal.name
            )
        if envelope_status >= 400:  # HTTP said fine, the envelope says otherwise: trust the worse
            self._fail(
                envelope_status,
                endpoint,
                str(decoded.message or ""),
                fields=field_list,
                filters=filters,
            )
        if decoded.data is None:
            raise BadResponse(
                f"geen gegevens in het antwoord op '{endpoint}'", portal=self.portal.name
            )
        most = MAX_ROWS_OF.get(endpoint, MAX_ROWS)
        if len(decoded.data) > most:
            raise AnswerTooLarge(
                detail=f"{most:,} rijen".replace(",", "."), portal=self.portal.name
            )
        if rows is None:
            log = repairs if repairs is not None else RepairLog()
            rows = decode_rows(endpoint, record, decoded.data, log)  # type: ignore[arg-type]
        return rows

    def _loose_envelope(self, body: bytes) -> Any:
        """The envelope with its rows undecoded, for rows that need one-by-one repair."""
        try:
            try:
                return msgspec.json.decode(body, type=_LooseEnvelope).response
            except RecursionError:
                return msgspec.json.decode(flatten_deep(body), type=_LooseEnvelope).response
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            raise BadResponse(
                "het antwoord heeft niet de vorm van een antwoord van het portaal",
                portal=self.portal.name,
            ) from None

    def get(self, endpoint: str, **kwargs: Any) -> list[dict[str, Any]]:
        """GET a collection as plain dicts (for small, loosely typed reads)."""
        rows, _ = self.fetch(endpoint, dict, **kwargs)
        return rows

    def exchange_koppelcode(self, code: str) -> str:
        """Trade a 12-digit koppelcode for a token (single use); the token is kept by the client."""
        status, content_type, body = self._send(
            "POST", "oauth/token", data={"grant_type": "authorization_code", "code": code}
        )
        # On the token exchange a 404 (sometimes a 503) means: no portal by that name.
        if status in (404, 503):
            raise UnknownPortal(portal=self.portal.name)
        if status in (400, 401, 403):
            raise KoppelcodeRejected(portal=self.portal.name)
        if status >= 400:
            self._raise_for("oauth/token", status, content_type, body, None)
        if _looks_html(content_type, body):
            raise ProxyPage(portal=self.portal.name)
        try:
            answer = msgspec.json.decode(body, type=_TokenAnswer)
        except (msgspec.DecodeError, msgspec.ValidationError):
            raise BadResponse("geen geldig token ontvangen", portal=self.portal.name) from None
        if not answer.access_token:
            raise BadResponse("geen geldig token ontvangen", portal=self.portal.name)
        self._token = answer.access_token
        return answer.access_token

    def me(self) -> dict[str, Any]:
        rows = self.get("users/~me")
        if not rows:
            raise BadResponse("geen gebruiker bij dit token", portal=self.portal.name)
        return rows[0]

    def token_info(self) -> dict[str, Any]:
        rows = self.get("tokens/~current")
        return rows[0] if rows else {}

    def logout(self) -> None:
        """Revoke the token at the portal. An already invalid token counts as revoked."""
        if not self._token:
            return
        status, content_type, body = self._send("POST", "oauth/logout")
        if status >= 400 and status != 401:
            self._raise_for("oauth/logout", status, content_type, body, None)

    def projects(self, cancel: CancelFlag | None = None) -> list[Any]:
        rows, _ = self.fetch("schoolsinschoolyears", ProjectInfo, cancel=cancel)
        return rows


class _ErrorBody(msgspec.Struct):
    status: int | str | None = None
    message: str | float | None = None


class _ErrorEnvelope(msgspec.Struct):
    response: _ErrorBody


class _TokenAnswer(msgspec.Struct):
    # Only the token is needed: `expires_in` and the rest come in varying types and are unused.
    access_token: str | None = None


class _LooseBody(msgspec.Struct):
    status: int | str | None = 200
    message: Any = None
    data: list[msgspec.Raw] | None = None


class _LooseEnvelope(msgspec.Struct):
    response: _LooseBody


_ENVELOPES: dict[type, type] = {}
_ENVELOPE_LOCK = threading.Lock()


def _envelope_type(record: type) -> type:
    """An envelope Struct whose `data` decodes into `record`s (built once per record type)."""
    with _ENVELOPE_LOCK:
        made = _ENVELOPES.get(record)
        if made is None:
            inner = msgspec.defstruct(
                f"{record.__name__}Response",
                [
                    ("status", int | str | None, 200),
                    ("message", Any, None),
                    ("data", list[record] | None, None),
                ],
            )
            made = msgspec.defstruct(f"{record.__name__}Envelope", [("response", inner)])
            _ENVELOPES[record] = made
        return made


def _as_status(value: int | str | None) -> int:
    """An envelope status as a number: 0 when absent (HTTP decides), -1 when unreadable."""
    if isinstance(value, int):
        return value
    if value is None or value == "":
        return 0
    number = ascii_int(value) if isinstance(value, str) else None
    return -1 if number is None else number


def _named(message: str, names: Iterable[str]) -> list[str]:
    """The names that `message` mentions as words of their own."""
    return [
        n
        for n in names
        if n and re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message)
    ]


_BOM = b"\xef\xbb\xbf"


def _mend_utf8(body: bytes) -> tuple[bytes, int] | None:
    """`body` with every byte that is no UTF-8 replaced, and how many there were; None when the
    body is valid UTF-8 already (its JSON is broken some other way)."""
    try:
        body.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", "replace")
    return text.encode("utf-8"), text.count("\ufffd") - body.decode("utf-8", "ignore").count(
        "\ufffd"
    )


def _looks_html(content_type: str, body: bytes) -> bool:
    return "html" in content_type.lower() or body.lstrip()[:1] == b"<"
