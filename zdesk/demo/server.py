"""A local fake Zermelo portal: the v3 API over real HTTP on 127.0.0.1, with rights and faults.

It serves a `PortalData` the way a school's portal does: the response envelope, `fields=`, filters
named after fields (comma lists allowed), koppelcode exchange, Bearer tokens that carry rights, and
faults a test can switch on (latency, error statuses, truncated bodies, proxy pages, dropped
connections, envelopes that disagree with HTTP). It only ever binds to the loopback address.
"""

from __future__ import annotations

import contextlib
import gzip
import secrets
import socket
import string
import threading
import time
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import msgspec

from zdesk.demo.data import PortalData, Row

API_PREFIX = "/api/v3/"
LOOPBACK = "127.0.0.1"
FORBIDDEN_MESSAGE = "Er zijn geen beveiligingsregels gevonden die uw verzoek toestaan."
TOKEN_LIFETIME = 57600  # what the portal answers for a koppelcode, in seconds

# endpoint -> (fields returned when `fields=` is not given, fields returned only when asked for)
ENDPOINT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "schoolsinschoolyears": (
        ("id", "school", "year", "name", "projectName", "schoolName", "archived"),
        (),
    ),
    "branchesofschools": (("id", "schoolInSchoolYear", "branch", "name"), ()),
    "departmentsofbranches": (
        ("id", "branchOfSchool", "code", "yearOfEducation", "educations", "schoolInSchoolYear"),
        ("studentCount", "maxGroupSize"),
    ),
    "choosableindepartments": (
        (
            "id",
            "departmentOfBranch",
            "subjectCode",
            "subjectName",
            "subjectType",
            "lessonHoursInClassPeriods",
        ),
        ("schoolInSchoolYear",),
    ),
    "plannedgroups": (
        (
            "id",
            "choosableInDepartment",
            "groupInDepartment",
            "groupInDepartmentName",
            "groupInDepartmentIsMainGroup",
            "groupInDepartmentIsMentorGroup",
            "subjectCode",
        ),
        ("name", "rank", "schoolInSchoolYear"),
    ),
    "groupindepartments": (
        ("id", "departmentOfBranch", "name", "isMainGroup", "isMentorGroup", "extendedName"),
        ("schoolInSchoolYear",),
    ),
    "studentsindepartments": (
        ("id", "student", "departmentOfBranch", "groupInDepartments"),
        ("schoolInSchoolYear",),
    ),
    "users": (
        ("code", "firstName", "prefix", "lastName", "isStudent", "isEmployee"),
        ("isSchoolScheduler", "isSchoolLeader", "schoolInSchoolYears"),
    ),
}
PROJECT_SCOPED = set(ENDPOINT_FIELDS) - {"users"}

PROXY_PAGE = (
    "<!DOCTYPE html><html><head><title>Aanmelden - Schoolnetwerk</title></head><body>"
    "<h1>Meld u aan om verder te gaan</h1><form method=post><input name=user></form>"
    "</body></html>"
)


@dataclass(frozen=True)
class Rights:
    """What a token may read. `endpoints=None`: everything; a field set of None: every field."""

    endpoints: dict[str, frozenset[str] | None] | None = None
    projects: frozenset[int] | None = None

    def endpoint_granted(self, endpoint: str) -> bool:
        return self.endpoints is None or endpoint in self.endpoints

    def field_granted(self, endpoint: str, name: str) -> bool:
        if self.endpoints is None:
            return True
        granted = self.endpoints.get(endpoint, frozenset())
        return granted is None or name in granted

    @classmethod
    def without(cls, *endpoints: str, fields: dict[str, set[str]] | None = None) -> Rights:
        """A partner-style token: everything except the named endpoints and fields."""
        grant: dict[str, frozenset[str] | None] = {}
        for endpoint, (default, extra) in ENDPOINT_FIELDS.items():
            if endpoint in endpoints:
                continue
            denied = (fields or {}).get(endpoint, set())
            grant[endpoint] = frozenset(set(default + extra) - denied) if denied else None
        return cls(endpoints=grant)


FULL_RIGHTS = Rights()


@dataclass
class Token:
    user: Row
    rights: Rights
    created: int
    expires: int
    revoked: bool = False


@dataclass
class Fault:
    """A misbehaviour for requests to `endpoint` ("*" for all), `times` often (None: always).

    kinds: "status" (answer `status` with an error envelope), "latency" (wait `delay_ms`, then
    answer normally), "truncate" (cut the JSON body in half), "html" (a proxy login page),
    "drop" (close the connection without an answer), "mismatch" (HTTP 200 with an envelope
    whose status is `status`), "body" (answer `body` as JSON with HTTP 200). With `after`, the
    first matching requests pass untouched.
    """

    kind: str
    endpoint: str = "*"
    status: int = 500
    delay_ms: int = 0
    times: int | None = None
    after: int = 0  # let this many matching requests pass untouched first
    body: Any = None  # with kind "body": this JSON answer instead of the real one


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    status: int = 0
    client_port: int = 0  # the same port for requests that shared one kept-alive connection


@dataclass
class _State:
    tokens: dict[str, Token] = field(default_factory=dict)
    koppelcodes: dict[str, Rights] = field(default_factory=dict)
    used_codes: set[str] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    log: list[LoggedRequest] = field(default_factory=list)
    cache: dict[Any, bytes] = field(default_factory=dict)


def envelope(status: int, data: list[Row], message: str = "", details: str = "") -> dict:
    return {
        "response": {
            "status": status,
            "message": message,
            "details": details,
            "eventId": 0,
            "startRow": 0,
            "endRow": len(data),
            "totalRows": len(data),
            "data": data,
        }
    }


class FakePortal:
    """The fake portal. Use as a context manager, or call start() and stop()."""

    def __init__(
        self, data: PortalData, *, port: int = 0, latency_ms: int = 0, koppelcodes: int = 3
    ) -> None:
        self.data = data
        self.latency_ms = latency_ms
        self._lock = threading.Lock()
        self._state = _State()
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._user_index = {u["code"]: u for u in data.users}
        self.token = self.issue_token(expires_in=10 * 365 * 86400)
        self.koppelcodes = [self.new_koppelcode() for _ in range(koppelcodes)]

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakePortal:
        handler = type("Handler", (_Handler,), {"portal": self})
        self._server = _Server((LOOPBACK, self._port), handler)
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

    # ---- what the handler asks ---------------------------------------------------------------

    def _log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._state.log.append(entry)

    def _take_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            for fault in self._state.faults:
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
        known = set(default) | set(extra)
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
            elif name in known:
                filters.append((name, set(value.split(","))))
            else:
                return 400, envelope(400, [], f"Unknown parameter: {name}")
        if fields is not None:
            unknown = [f for f in fields if f not in known]
            if unknown:
                return 400, envelope(400, [], f"Unknown field: {unknown[0]}")
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer (cancel, timeout) is normal here, not worth a trace.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _matches(value: Any, wanted: set[str]) -> bool:
    if isinstance(value, list):
        return any(_text(v) in wanted for v in value)
    return _text(value) in wanted


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


class _Handler(BaseHTTPRequestHandler):
    portal: FakePortal
    protocol_version = "HTTP/1.1"
    server_version = "FakeZermeloPortal/1"
    # Headers and body go out as two writes; with Nagle on, a kept-alive connection would wait
    # for the client's delayed ACK (40 ms) on every answer.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # the request log replaces stderr
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    # ---- plumbing ----------------------------------------------------------------------------

    def _handle(self, method: str) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self._entry: LoggedRequest | None = LoggedRequest(
            method,
            split.path,
            split.query,
            dict(self.headers.items()),
            body,
            0,
            self.client_address[1],
        )
        try:
            self._route(method, split.path, split.query, body)
        finally:
            self._record(0)

    def _record(self, status: int) -> None:
        """Log the request once, before its answer leaves, so a client never outruns the log."""
        if self._entry is not None:
            self.portal._log(replace(self._entry, status=status))
            self._entry = None

    def _route(self, method: str, path: str, query: str, body: str) -> None:
        if not path.startswith(API_PREFIX):
            return self._json(404, envelope(404, [], "Not found"))
        endpoint = path[len(API_PREFIX) :].strip("/").lower()
        if self.portal.latency_ms:
            time.sleep(self.portal.latency_ms / 1000)
        fault = self.portal._take_fault(endpoint)
        if fault is not None and self._fault(fault):
            return None
        params = parse_qsl(query, keep_blank_values=True)
        if method == "POST" and endpoint == "oauth/token":
            return self._token(body)
        token = self._bearer(params)
        info = self.portal._authorise(token)
        if info is None:
            return self._json(401, envelope(401, [], "Unauthorized"))
        if method == "POST" and endpoint == "oauth/logout":
            self.portal._revoke(token)
            return self._json(200, envelope(200, []))
        if method != "GET":
            return self._json(405, envelope(405, [], "Method not allowed"))
        if endpoint == "users/~me":
            return self._json(200, self.portal.me(info))
        if endpoint == "tokens/~current":
            return self._json(200, self.portal.current_token(info))
        if endpoint not in ENDPOINT_FIELDS:
            return self._json(404, envelope(404, [], f"Unknown endpoint: {endpoint}"))
        query_key = tuple(sorted(p for p in params if p[0] != "access_token"))
        key = (endpoint, query_key, id(info.rights))
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")

        def render() -> bytes:
            status, answer = self.portal.query(endpoint, params, info.rights)
            return status.to_bytes(2, "big") + msgspec.json.encode(answer)

        cached = self.portal._cached(key, render)
        status, payload = int.from_bytes(cached[:2], "big"), cached[2:]
        if gzip_ok and len(payload) > 1024:
            zipped = self.portal._cached((key, "gzip"), lambda: gzip.compress(payload, 5))
            return self._send(status, zipped, "application/json", encoding="gzip")
        return self._send(status, payload, "application/json")

    def _bearer(self, params: list[tuple[str, str]]) -> str | None:
        header = self.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return header[7:].strip()
        return dict(params).get("access_token")

    def _token(self, body: str) -> None:
        form = {k: v[0] for k, v in parse_qs(body).items()}
        if form.get("grant_type") != "authorization_code" or "code" not in form:
            return self._json(400, envelope(400, [], "Invalid request"))
        token = self.portal._exchange(form["code"])
        if token is None:
            return self._json(400, envelope(400, [], "Invalid authorization code"))
        return self._json(
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": TOKEN_LIFETIME,
            },
        )

    def _fault(self, fault: Fault) -> bool:
        """Act out a fault; True when the request has been answered (or dropped) by it."""
        if fault.kind == "latency":
            time.sleep(fault.delay_ms / 1000)
            return False
        if fault.kind == "status":
            try:
                phrase = HTTPStatus(fault.status).phrase
            except ValueError:
                phrase = ""
            self._json(fault.status, envelope(fault.status, [], phrase))
        elif fault.kind == "mismatch":
            self._json(200, envelope(fault.status, [], "Internal error"))
        elif fault.kind == "body":
            self._json(200, fault.body)
        elif fault.kind == "html":
            self._send(200, PROXY_PAGE.encode(), "text/html; charset=utf-8")
        elif fault.kind == "truncate":
            whole = msgspec.json.encode(envelope(200, [{"id": i} for i in range(50)]))
            self._send(200, whole[: len(whole) // 2], "application/json")
        elif fault.kind == "drop":
            self._record(-1)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
        else:
            raise ValueError(f"unknown fault kind {fault.kind!r}")
        return True

    def _json(self, status: int, answer: dict) -> None:
        self._send(status, msgspec.json.encode(answer), "application/json")

    def _send(self, status: int, body: bytes, content_type: str, encoding: str = "") -> None:
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
