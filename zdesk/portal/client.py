"""PortalClient: the only place zdesk talks HTTP. One session per portal, token only in a header.

Responses are read in chunks (so a cancel takes effect during a download), checked against the
envelope, and decoded by msgspec straight into typed records. The worse of the HTTP status and the
envelope's own status decides; anything that is not the expected JSON becomes a `BadResponse`.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode

import msgspec
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from zdesk import __version__
from zdesk.portal.errors import (
    BadResponse,
    Cancelled,
    KoppelcodeRejected,
    NetworkError,
    NotFound,
    PortalTimeout,
    ProxyPage,
    RightMissing,
    ServerError,
    TlsError,
    TokenRejected,
    UnknownPortal,
    UnresolvedPortal,
    scrub,
)
from zdesk.portal.names import Portal
from zdesk.portal.records import ProjectInfo
from zdesk.portal.wire import RepairLog, decode_rows, flatten_deep

T = TypeVar("T")
PARALLEL = 6  # requests at once to one portal: the API asks for a handful at most
CHUNK = 256 * 1024
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 55.0  # the portal kills requests after 60 s; give up just before
POOL_SIZE = 8


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


class _TrustStoreAdapter(HTTPAdapter):
    """Verifies TLS with the OS certificate store (where school proxies install theirs)."""

    def __init__(self, context: ssl.SSLContext | None, **kwargs: Any) -> None:
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._context is not None:
            kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)


def _system_trust() -> ssl.SSLContext | None:
    try:
        import truststore
    except ImportError:  # pragma: no cover - truststore is a dependency, but stay usable without
        return None
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _retry(retries: int, backoff: float) -> Retry:
    # Only idempotent GETs are retried: a koppelcode is single use and logout must not repeat.
    return Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        backoff_factor=backoff,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )


class PortalClient:
    """Talks to one portal. Thread-safe for concurrent GETs (the session's pool is shared)."""

    def __init__(
        self,
        portal: Portal,
        token: str | None = None,
        *,
        retries: int = 3,
        backoff: float = 0.3,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    ) -> None:
        self.portal = portal
        self._token = token
        self.timeout = timeout
        self.session = requests.Session()
        # The school's proxy settings (environment, or the registry on Windows) are looked up
        # once per client rather than on every request, and ~/.netrc is never consulted: the
        # token is the only credential sent.
        self.session.proxies.update(requests.utils.get_environ_proxies(portal.base_url))
        self.session.trust_env = False
        self.session.headers.update(
            {
                "User-Agent": f"zdesk/{__version__}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
            }
        )
        adapter = _TrustStoreAdapter(
            None if portal.is_local else _system_trust(),
            max_retries=_retry(retries, backoff),
            pool_connections=2,
            pool_maxsize=POOL_SIZE,
        )
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    # ---- token ---------------------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- plumbing ------------------------------------------------------------------------------

    def _url(self, endpoint: str) -> str:
        return self.portal.api_url + endpoint

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _send(
        self,
        method: str,
        endpoint: str,
        *,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        cancel: CancelFlag | None = None,
        on_bytes: Callable[[int], None] | None = None,
    ) -> tuple[int, str, bytes]:
        """One request; returns (HTTP status, content type, body) or raises a PortalError."""
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        try:
            response = self.session.request(
                method,
                self._url(endpoint),
                # Lists stay comma-separated as the API writes them ("fields=id,code"): shorter
                # URLs than with %2C, and no percent-escapes for urllib3 to normalise one by one.
                params=urlencode(params, safe=",") if params else None,
                data=data,
                headers=self._auth(),
                timeout=self.timeout,
                stream=True,
            )
        except requests.exceptions.SSLError as exc:
            raise TlsError(portal=self.portal.name) from _quiet(exc)
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout) as exc:
            raise PortalTimeout(portal=self.portal.name) from _quiet(exc)
        except requests.exceptions.RetryError as exc:
            raise ServerError(portal=self.portal.name, status="herhaald") from _quiet(exc)
        except requests.exceptions.ConnectionError as exc:
            if _is_timeout(exc):
                raise PortalTimeout(portal=self.portal.name) from _quiet(exc)
            if _is_unresolved(exc):
                raise UnresolvedPortal(portal=self.portal.name) from _quiet(exc)
            raise NetworkError(portal=self.portal.name) from _quiet(exc)
        except requests.exceptions.RequestException as exc:
            raise NetworkError(portal=self.portal.name) from _quiet(exc)
        with response:
            chunks = []
            try:
                for chunk in response.iter_content(CHUNK):
                    if cancel is not None and cancel.is_set():
                        raise Cancelled()
                    chunks.append(chunk)
                    if on_bytes is not None:
                        on_bytes(len(chunk))
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
            except (
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as exc:
                raise BadResponse(
                    "het antwoord kwam onvolledig binnen", portal=self.portal.name
                ) from _quiet(exc)
            except requests.exceptions.ConnectionError as exc:
                if _is_timeout(exc):
                    raise PortalTimeout(portal=self.portal.name) from _quiet(exc)
                raise NetworkError(portal=self.portal.name) from _quiet(exc)
            content_type = response.headers.get("Content-Type", "")
            return response.status_code, content_type, b"".join(chunks)

    def _fail(self, status: int, endpoint: str, message: str, *, fields: str | None) -> None:
        """Raise the error that fits a failing status for this endpoint."""
        portal = self.portal.name
        if status == 401:
            raise TokenRejected(portal=portal)
        if status == 403:
            # The portal does not say which field; a single-field request (the probe) does.
            field = fields if fields and "," not in fields else None
            raise RightMissing(endpoint, field, portal=portal)
        if status == 404:
            raise NotFound(what=endpoint, portal=portal)
        if status >= 500:
            raise ServerError(portal=portal, status=status)
        detail = scrub(message or f"status {status}", self._token)[:200]
        raise BadResponse(detail, portal=portal)

    def _raise_for(
        self, endpoint: str, status: int, content_type: str, body: bytes, fields: str | None
    ) -> None:
        """A failed HTTP status: the worse of it and the envelope's status decides the error."""
        message, envelope_status = "", 0
        if not _looks_html(content_type, body):
            try:
                inner = msgspec.json.decode(body, type=_ErrorEnvelope).response
                message, envelope_status = str(inner.message or ""), _as_status(inner.status)
            except (msgspec.DecodeError, msgspec.ValidationError):
                pass
        self._fail(max(status, envelope_status), endpoint, message, fields=fields)

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
    ) -> tuple[list[T], int]:
        """GET a collection and decode its `data` into `record`s: (records, bytes received).

        Values that did not fit their field are repaired or left empty and counted in `repairs`.
        """
        query = dict(params or {})
        field_list = ",".join(fields) if fields is not None else None
        if field_list is not None:
            query["fields"] = field_list
        status, content_type, body = self._send(
            "GET", endpoint, params=query, cancel=cancel, on_bytes=on_bytes
        )
        rows = self.decode(endpoint, record, status, content_type, body, field_list, repairs)
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
    ) -> list[T]:
        """Turn one answer into records, or raise the PortalError that fits (never another).

        Strict about the envelope, tolerant about the rows: the typed decode is the fast path;
        when a row does not fit, the rows are taken one by one (`zdesk.portal.wire`).
        """
        if status >= 400:
            self._raise_for(endpoint, status, content_type, body, field_list)
        if _looks_html(content_type, body):
            raise ProxyPage(portal=self.portal.name)
        try:
            decoded = msgspec.json.decode(body, type=_envelope_type(record)).response
            rows = decoded.data
        except (msgspec.ValidationError, RecursionError):
            decoded = self._loose_envelope(body)
            rows = None
        except msgspec.DecodeError:
            raise BadResponse(
                "het antwoord is geen volledige JSON", portal=self.portal.name
            ) from None
        envelope_status = _as_status(decoded.status)
        if envelope_status < 0:
            raise BadResponse(
                f"onbekende status in het antwoord op '{endpoint}'", portal=self.portal.name
            )
        if envelope_status >= 400:  # HTTP said fine, the envelope says otherwise: trust the worse
            self._fail(envelope_status, endpoint, str(decoded.message or ""), fields=field_list)
        if decoded.data is None:
            raise BadResponse(
                f"geen gegevens in het antwoord op '{endpoint}'", portal=self.portal.name
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
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return -1


def _looks_html(content_type: str, body: bytes) -> bool:
    return "html" in content_type.lower() or body.lstrip()[:1] == b"<"


def _is_unresolved(exc: BaseException) -> bool:
    """True when the host name has no address ("mijnschol.zportal.nl"), as opposed to a network
    that is down: the resolver answered that the name does not exist."""
    pending: list[object] = [exc]
    seen: set[int] = set()
    while pending:
        error = pending.pop()
        if not isinstance(error, BaseException) or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, socket.gaierror):
            # EAI_AGAIN is a resolver that could not be asked: offline, not a wrong name.
            return error.errno != socket.EAI_AGAIN
        pending += [error.__cause__, error.__context__, getattr(error, "reason", None), *error.args]
    return False


def _is_timeout(exc: Exception) -> bool:
    text = repr(exc)
    return "ReadTimeout" in text or "timed out" in text


def _quiet(exc: Exception) -> Exception | None:
    """Keep the cause for logs, but never one that could carry a header or token."""
    return None if "Authorization" in repr(exc) else exc
