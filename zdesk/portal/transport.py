"""Sending requests to one portal: one deadline per attempt, retries, no redirects, a size cap.

Each attempt runs on a kept request thread (`zdesk.portal.runners`), so a cancel or the deadline
ends the wait at once, and
answers are read in chunks, counted after decompression against the cap. Redirects are refused,
never followed. What the answer means (the envelope, the records) is `zdesk.portal.client`'s.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.cookies import extract_cookies_to_jar
from urllib3.util.retry import Retry

from zdesk import __version__
from zdesk.portal.errors import (
    AnswerTooLarge,
    BadResponse,
    Cancelled,
    NetworkError,
    PortalTimeout,
    Redirected,
    TlsError,
    TokenMalformed,
    UnresolvedPortal,
)
from zdesk.portal.names import Portal, ascii_int
from zdesk.portal.runners import RUNNERS

CHUNK = 256 * 1024
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 55.0  # per socket wait; the request as a whole has REQUEST_DEADLINE
# The portal kills a request after 60 s: one attempt (connect, headers and the whole body) gets
# just under that, and an attempt with its retries ends within REQUEST_BUDGET, so no answer
# keeps a load waiting longer than that, whatever the server does.
REQUEST_DEADLINE = 55.0
REQUEST_BUDGET = 70.0
RETRY_AFTER_MAX = 5.0  # a Retry-After beyond this is cut short: waiting is the user's time
RETRY_STATUSES = frozenset({502, 503, 504})
# The largest answer of the stress tier (`zdesk demo-server --tier stress`, the biggest school the
# demo models) is 1.2 MB (choosableindepartments of a whole project), uncompressed. 16 MiB is more
# than 13 times that, so no real project reaches it; and six answers just under it at once (the
# most a load asks for) peak at about 320 MB, under the 500 MB a hostile portal may cost. Counted
# after decompression, while reading, so a gzip bomb stops at the cap, not at its full size.
MAX_ANSWER = 16 * 1024 * 1024
POOL_SIZE = 8
_WAKE = 0.05  # how often a waiting request looks at its cancel flag and deadline


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


class _TrustStoreAdapter(HTTPAdapter):
    """Verifies TLS with the OS certificate store (where school proxies install theirs).

    Also through an explicit proxy: the school's TLS-inspecting proxy signs with a certificate
    that only the OS store knows, never requests' own bundle.
    """

    def __init__(self, context: ssl.SSLContext | None, **kwargs: Any) -> None:
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._context is not None:
            kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        if self._context is not None:
            proxy_kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **proxy_kwargs)


def _system_trust() -> ssl.SSLContext | None:
    try:
        import truststore
    except ImportError:  # pragma: no cover - truststore is a dependency, but stay usable without
        return None
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class _Request(NamedTuple):
    method: str
    url: str
    query: str | None
    data: dict[str, str] | None
    headers: dict[str, str]
    deadline: float  # time.monotonic() by which the whole attempt is over
    on_bytes: Callable[[int], None] | None


class _Answer(NamedTuple):
    status: int
    content_type: str
    body: bytes
    location: str
    retry_after: str | None


class _Attempt:
    """One try of one request, run on a request thread so that the caller can walk away from it.

    A socket blocked in connect or read cannot be interrupted from outside; the caller waits for
    this attempt only until its cancel flag is set or the deadline passes, then abandons it: the
    answer's socket is shut down (so a read in progress ends now), and the thread goes back to
    the kept ones once its socket gives up, its socket timeouts never longer than the deadline.
    """

    def __init__(self) -> None:
        self.done = threading.Event()
        self.abandoned = threading.Event()
        self.result: _Answer | None = None
        self.error: BaseException | None = None
        self._response: requests.Response | None = None
        self._lock = threading.Lock()

    def hold(self, response: requests.Response) -> None:
        with self._lock:
            self._response = response
            abandoned = self.abandoned.is_set()
        if abandoned:
            _shut(response)

    def abandon(self) -> None:
        with self._lock:
            self.abandoned.set()
            response = self._response
        if response is not None:
            _shut(response)


def _shut(response: requests.Response) -> None:
    """End a read in progress on another thread: shut the socket down under it."""
    raw = response.raw
    connection = getattr(raw, "connection", None) or getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    with contextlib.suppress(OSError):
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(Exception):
        response.close()


def _retry_after(value: str | None, bound: float) -> float:
    """Seconds a `Retry-After` asks for, at most `bound` (a date counts as the bound)."""
    if not value:
        return 0.0
    try:
        seconds = float(value.strip())
    except ValueError:
        return bound
    if seconds != seconds:  # NaN
        return bound
    return max(0.0, min(seconds, bound))


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):.0f} MB"


def _token_fits(token: str) -> bool:
    """A token is visible ASCII: no CR/LF (pasted from a file), no space, nothing non-latin-1."""
    return all("!" <= ch <= "~" for ch in token)


def _where(location: str, base: str) -> str:
    """Where a redirect pointed, fit to show: scheme, host and path, no query, no control chars."""
    try:
        parts = urlsplit(urljoin(base, location))
        host = parts.netloc.rpartition("@")[2]  # never a user name or password it carried
        shown = f"{parts.scheme}://{host}{parts.path}" if host else location
    except ValueError:
        shown = location
    shown = "".join(ch if ch.isprintable() else "?" for ch in shown)
    return shown if len(shown) <= 200 else shown[:199] + "…"


class Transport:
    """Sends the requests of one client; thread-safe (the session's pool is shared)."""

    def __init__(
        self,
        portal: Portal,
        *,
        retries: int = 3,
        backoff: float = 0.3,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        deadline: float = REQUEST_DEADLINE,
        budget: float = REQUEST_BUDGET,
        max_answer: int = MAX_ANSWER,
    ) -> None:
        self.portal = portal
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.deadline = deadline
        self.budget = budget
        self.max_answer = max_answer
        self.retry_after_max = RETRY_AFTER_MAX
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
        # Retries are `send`'s own (within the deadline and budget), never urllib3's.
        adapter = _TrustStoreAdapter(
            None if portal.is_local else _system_trust(),
            max_retries=Retry(total=0, read=False, redirect=False, raise_on_redirect=False),
            pool_connections=2,
            pool_maxsize=POOL_SIZE,
        )
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def close(self) -> None:
        self.session.close()

    def _url(self, endpoint: str) -> str:
        return self.portal.api_url + endpoint

    def _auth(self, token: str | None) -> dict[str, str]:
        if not token:
            return {}
        if not _token_fits(token):
            # Raised here, outside any handler, so no exception chain carries the token's text.
            raise TokenMalformed(portal=self.portal.name)
        return {"Authorization": f"Bearer {token}"}

    def send(
        self,
        method: str,
        endpoint: str,
        *,
        token: str | None = None,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        cancel: CancelFlag | None = None,
        on_bytes: Callable[[int], None] | None = None,
        retry_until: float | None = None,
    ) -> tuple[int, str, bytes]:
        """One request, with `token` in its Authorization header only; returns (HTTP status,
        content type, body) or raises a PortalError.

        Every attempt has one deadline for all of it (connect, headers, body); GETs are tried
        again after a dropped connection or a gateway error while the request's budget lasts,
        and, with `retry_until` (time.monotonic()), while a whole load's budget lasts.
        A POST (koppelcode, logout) is sent once: a koppelcode is single use.
        """
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        headers = self._auth(token)
        url = self._url(endpoint)
        # Lists stay comma-separated as the API writes them ("fields=id,code"): shorter URLs
        # than with %2C, and no percent-escapes for urllib3 to normalise one by one.
        query = urlencode(params, safe=",") if params else None
        retries = self.retries if method == "GET" else 0
        end_of_budget = time.monotonic() + self.budget
        end_of_retries = end_of_budget if retry_until is None else min(end_of_budget, retry_until)
        tried = 0
        while True:
            deadline = min(time.monotonic() + self.deadline, end_of_budget)
            try:
                request = _Request(method, url, query, data, headers, deadline, on_bytes)
                answer = self._attempt(request, cancel)
            except NetworkError as exc:
                # A dropped or refused connection is worth another try; a timeout is not (the
                # server had its time) and neither is a TLS failure (it will fail the same way).
                wait = self.backoff * (2**tried)
                if (
                    type(exc) is not NetworkError
                    or tried >= retries
                    or time.monotonic() + wait >= end_of_retries
                ):
                    raise
                tried += 1
                self._pause(wait, cancel)
                continue
            if 300 <= answer.status < 400:
                raise Redirected(
                    detail=_where(answer.location, url) if answer.location else "(geen adres)",
                    portal=self.portal.name,
                )
            if answer.status in RETRY_STATUSES and tried < retries:
                wait = max(
                    self.backoff * (2**tried),
                    _retry_after(answer.retry_after, self.retry_after_max),
                )
                if time.monotonic() + wait < end_of_retries:
                    tried += 1
                    self._pause(wait, cancel)
                    continue
            return answer.status, answer.content_type, answer.body

    def _pause(self, seconds: float, cancel: CancelFlag | None) -> None:
        """Wait before a retry; a cancel ends the wait at once."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            time.sleep(min(left, _WAKE))
        if cancel is not None and cancel.is_set():
            raise Cancelled()

    def _attempt(self, request: _Request, cancel: CancelFlag | None) -> _Answer:
        """One try, on a request thread; returns as soon as it is done, cancelled or late."""
        attempt = _Attempt()
        RUNNERS.run(self._run, attempt, request)
        deadline = request.deadline
        while not attempt.done.wait(max(0.0, min(_WAKE, deadline - time.monotonic()))):
            if cancel is not None and cancel.is_set():
                attempt.abandon()
                raise Cancelled()
            if time.monotonic() >= deadline:
                attempt.abandon()
                raise PortalTimeout(portal=self.portal.name)
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        if attempt.error is not None:
            raise attempt.error
        assert attempt.result is not None
        return attempt.result

    def _run(self, attempt: _Attempt, request: _Request) -> None:
        try:
            attempt.result = self._exchange(attempt, request)
        except BaseException as exc:  # handed to the waiting caller, never lost on this thread
            attempt.error = exc
        finally:
            attempt.done.set()

    def _exchange(self, attempt: _Attempt, request: _Request) -> _Answer:
        portal = self.portal.name
        deadline, on_bytes = request.deadline, request.on_bytes
        left = max(0.01, deadline - time.monotonic())
        timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
        try:
            # The adapter is called directly, not through Session.send: that one reads the whole
            # body of a redirect (unbounded) even when told not to follow it. The portal API never
            # redirects, and a redirect would carry the query (student codes) or a re-posted
            # koppelcode to another host: `send` refuses every 3xx.
            prepared = self.session.prepare_request(
                requests.Request(
                    request.method,
                    request.url,
                    params=request.query,
                    data=request.data,
                    headers=request.headers,
                )
            )
            response = self.session.get_adapter(request.url).send(
                prepared, stream=True, timeout=timeout, verify=True, proxies=self.session.proxies
            )
            extract_cookies_to_jar(self.session.cookies, prepared, response.raw)
        except requests.exceptions.SSLError as exc:
            raise TlsError(portal=portal) from _quiet(exc)
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout) as exc:
            raise PortalTimeout(portal=portal) from _quiet(exc)
        except requests.exceptions.ConnectionError as exc:
            if _is_timeout(exc):
                raise PortalTimeout(portal=portal) from _quiet(exc)
            if _is_unresolved(exc):
                raise UnresolvedPortal(portal=portal) from _quiet(exc)
            raise NetworkError(portal=portal) from _quiet(exc)
        except requests.exceptions.RequestException as exc:
            raise NetworkError(portal=portal) from _quiet(exc)
        attempt.hold(response)
        with response:
            if 300 <= response.status_code < 400:
                return _Answer(
                    response.status_code, "", b"", response.headers.get("Location", ""), None
                )
            limit = self.max_answer
            declared = ascii_int(response.headers.get("Content-Length", ""))
            if declared is not None and declared > limit:
                raise AnswerTooLarge(detail=_size(limit), portal=portal)
            chunks = []
            size = 0
            try:
                # iter_content decompresses in pieces of at most CHUNK (urllib3 >= 2.6), so the
                # count below is of decompressed bytes and a gzip bomb never inflates whole.
                for chunk in response.iter_content(CHUNK):
                    if attempt.abandoned.is_set():
                        raise Cancelled()
                    size += len(chunk)
                    if size > limit:
                        raise AnswerTooLarge(detail=_size(limit), portal=portal)
                    chunks.append(chunk)
                    if on_bytes is not None:
                        on_bytes(len(chunk))
                    if time.monotonic() >= deadline:
                        raise PortalTimeout(portal=portal)
            except (
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as exc:
                raise BadResponse("het antwoord kwam onvolledig binnen", portal=portal) from _quiet(
                    exc
                )
            except requests.exceptions.ConnectionError as exc:
                if _is_timeout(exc):
                    raise PortalTimeout(portal=portal) from _quiet(exc)
                raise NetworkError(portal=portal) from _quiet(exc)
            return _Answer(
                response.status_code,
                response.headers.get("Content-Type", ""),
                b"".join(chunks),
                "",
                response.headers.get("Retry-After"),
            )


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
