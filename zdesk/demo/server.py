"""A local fake Zermelo portal: the v3 API over real HTTP on 127.0.0.1, with rights and faults.

It serves a `PortalData` the way a school's portal does: the response envelope, `fields=`, filters
named after fields (comma lists allowed), koppelcode exchange, Bearer tokens that carry rights, and
faults a test can switch on (latency, error statuses, truncated bodies, proxy pages, dropped
connections, envelopes that disagree with HTTP). It only ever binds to the loopback address.
"""

from __future__ import annotations

import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from zdesk.demo.data import PortalData, Row
from zdesk.demo.handler import Handler, Server
from zdesk.demo.protocol import (  # re-exported: tests and tools arrange the portal through here
    ENDPOINT_FIELDS,
    FILTER_ALIASES,
    FORBIDDEN_MESSAGE,
    FULL_RIGHTS,
    LOOPBACK,
    PROJECT_SCOPED,
    TOKEN_LIFETIME,
    Fault,
    LoggedRequest,
    Quirks,
    Rights,
    Token,
    envelope,
)

# The printed token of `zdesk demo-server`: a portal run by hand or by a script outlives a day.
TEST_TOKEN_LIFETIME = 10 * 365 * 86400

__all__ = [
    "FORBIDDEN_MESSAGE",
    "FULL_RIGHTS",
    "LOOPBACK",
    "TEST_TOKEN_LIFETIME",
    "TOKEN_LIFETIME",
    "FakePortal",
    "Fault",
    "LoggedRequest",
    "Quirks",
    "Rights",
]


@dataclass
class _State:
    tokens: dict[str, Token] = field(default_factory=dict)
    koppelcodes: dict[str, Rights] = field(default_factory=dict)
    used_codes: set[str] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    log: list[LoggedRequest] = field(default_factory=list)
    cache: dict[Any, bytes] = field(default_factory=dict)
    in_flight: int = 0  # requests being answered now
    most_in_flight: int = 0  # the most at once since the log was cleared


class FakePortal:
    """The fake portal. Use as a context manager, or call start() and stop()."""

    def __init__(
        self,
        data: PortalData,
        *,
        port: int = 0,
        latency_ms: int = 0,
        koppelcodes: int = 3,
        quirks: Quirks | None = None,
    ) -> None:
        self.data = data
        self.quirks = quirks or Quirks()
        self.latency_ms = latency_ms
        self._lock = threading.Lock()
        self._state = _State()
        self._port = port
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.token = self.issue_token(expires_in=TEST_TOKEN_LIFETIME)
        self.koppelcodes = [self.new_koppelcode() for _ in range(koppelcodes)]

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakePortal:
        handler = type("PortalHandler", (Handler,), {"portal": self})
        self._server = Server((LOOPBACK, self._port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-portal", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def address(self) -> tuple[str, int]:
        """The host and port the running portal listens on."""
        assert self._server is not None, "not started"
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def __enter__(self) -> FakePortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "portal not started"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    # ---- what tests arrange ------------------------------------------------------------------

    def issue_token(
        self,
        rights: Rights = FULL_RIGHTS,
        *,
        expires_in: int = TOKEN_LIFETIME,
        user: Row | None = None,
    ) -> str:
        token = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(26))
        now = int(time.time())
        with self._lock:
            self._state.tokens[token] = Token(user or self.data.me, rights, now, now + expires_in)
        return token

    def new_koppelcode(self, rights: Rights = FULL_RIGHTS) -> str:
        code = "".join(secrets.choice(string.digits) for _ in range(12))
        with self._lock:
            self._state.koppelcodes[code] = rights
        return code

    def add_fault(self, kind: str, endpoint: str = "*", **kwargs: Any) -> Fault:
        fault = Fault(kind, endpoint, **kwargs)
        with self._lock:
            self._state.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._state.faults.clear()

    def school_changed(self) -> None:
        """The rows were edited (zdesk.demo.changes): answer from them, not from earlier bodies."""
        with self._lock:
            self._state.cache.clear()

    def token_state(self, token: str) -> Token | None:
        with self._lock:
            return self._state.tokens.get(token)

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._state.log)

    def clear_log(self) -> None:
        with self._lock:
            self._state.log.clear()
            self._state.most_in_flight = self._state.in_flight

    @property
    def most_in_flight(self) -> int:
        """The most requests answered at once since the log was last cleared."""
        with self._lock:
            return self._state.most_in_flight

    # ---- what the handler asks ---------------------------------------------------------------

    def _arrived(self) -> None:
        with self._lock:
            self._state.in_flight += 1
            self._state.most_in_flight = max(self._state.most_in_flight, self._state.in_flight)

    def _left(self) -> None:
        with self._lock:
            self._state.in_flight -= 1

    def _log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._state.log.append(entry)

    def _take_fault(self, endpoint: str, query: str = "") -> Fault | None:
        with self._lock:
            for fault in self._state.faults:
                if fault.query and not any(q in query for q in fault.query.split("|")):
                    continue
                if fault.endpoint in ("*", endpoint) and fault.times != 0:
                    if fault.after > 0:
                        fault.after -= 1
                        continue
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _authorise(self, token: str | None) -> Token | None:
        if not token:
            return None
        with self._lock:
            info = self._state.tokens.get(token)
        if info is None or info.revoked or info.expires < time.time():
            return None
        return info

    def _exchange(self, code: str) -> str | None:
        with self._lock:
            if code in self._state.used_codes or code not in self._state.koppelcodes:
                return None
            self._state.used_codes.add(code)
            rights = self._state.koppelcodes[code]
        return self.issue_token(rights)

    def _revoke(self, token: str) -> None:
        with self._lock:
            self._state.tokens[token].revoked = True

    def _cached(self, key: Any, make) -> bytes:
        with self._lock:
            body = self._state.cache.get(key)
        if body is None:
            body = make()
            with self._lock:
                self._state.cache[key] = body
        return body

    def query(
        self, endpoint: str, params: list[tuple[str, str]], rights: Rights
    ) -> tuple[int, dict]:
        """Answer a GET on a collection endpoint: (HTTP status, envelope)."""
        default, extra = ENDPOINT_FIELDS[endpoint]
        absent = {f for e, f in self.quirks.absent_fields if e == endpoint}
        default = tuple(f for f in default if f not in absent)
        known = (set(default) | set(extra)) - absent
        if endpoint in PROJECT_SCOPED:
            known.add("schoolInSchoolYear")
        if not rights.endpoint_granted(endpoint):
            return 403, envelope(403, [], FORBIDDEN_MESSAGE)
        fields: list[str] | None = None
        filters: list[tuple[str, set[str]]] = []
        for name, value in params:
            if name == "fields":
                fields = [f for f in value.split(",") if f]
            elif name == "access_token":
                continue
            elif (endpoint, name) in self.quirks.refused_filters:
                return 400, envelope(400, [], f"Unknown parameter: {name}")
            elif name in known or (endpoint, name) in FILTER_ALIASES:
                column = FILTER_ALIASES.get((endpoint, name), name)
                filters.append((column, set(value.split(","))))
            else:
                return 400, envelope(400, [], f"Unknown parameter: {name}")
        if fields is not None:
            unknown = [f for f in fields if f not in known]
            if unknown:
                return 400, envelope(400, [], f"Unknown field(s): {', '.join(unknown)}")
            if not all(rights.field_granted(endpoint, f) for f in fields):
                return 403, envelope(403, [], FORBIDDEN_MESSAGE)
            wanted = set(fields)
            columns = [f for f in (*default, *extra, "schoolInSchoolYear") if f in wanted]
            columns = list(dict.fromkeys(columns))
        else:
            columns = [f for f in default if rights.field_granted(endpoint, f)]
        rows = self.data.users if endpoint == "users" else self.data.rows[endpoint]
        if rights.projects is not None and endpoint in PROJECT_SCOPED:
            rows = [
                r
                for r in rows
                if (r["id"] if endpoint == "schoolsinschoolyears" else r["schoolInSchoolYear"])
                in rights.projects
            ]
        if endpoint in self.quirks.ignored_filters:
            filters = []  # this portal answers every project's rows, whatever was asked
        for name, values in filters:
            rows = [r for r in rows if _matches(r.get(name), values)]
        return 200, envelope(200, [{c: r.get(c) for c in columns} for r in rows])

    def me(self, token: Token) -> dict:
        return envelope(200, [dict(token.user)])

    def current_token(self, token: Token) -> dict:
        return envelope(
            200,
            [
                {
                    "user": token.user["code"],
                    "created": token.created,
                    "expires": token.expires,
                    "timeout": min(token.expires, int(time.time()) + TOKEN_LIFETIME),
                }
            ],
        )


def _matches(value: Any, wanted: set[str]) -> bool:
    if isinstance(value, list):
        return any(_text(v) in wanted for v in value)
    if isinstance(value, bool):  # `archived=False` as well as `archived=false`
        return any(w.lower() == _text(value) for w in wanted)
    return _text(value) in wanted


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)
