"""The HTTP side of the fake portal: routing, authorisation, faults, gzip, and the request log."""

from __future__ import annotations

import contextlib
import gzip
import socket
import sys
import time
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import msgspec

from zdesk.demo.protocol import (
    API_PREFIX,
    ENDPOINT_FIELDS,
    PROXY_PAGE,
    TOKEN_LIFETIME,
    Fault,
    LoggedRequest,
    encode_answer,
    envelope,
    retype_rows,
)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer (cancel, timeout) is normal here, not worth a trace.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    # The FakePortal (server.py) that made this handler class; not imported, so that the
    # server and its handler do not import each other.
    portal: Any
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
        self.portal._arrived()
        try:
            self._route(method, split.path, split.query, body)
        finally:
            self._record(0)
            self.portal._left()

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
        fault = self.portal._take_fault(endpoint, query)
        if fault is not None and fault.kind != "retype" and self._fault(fault):
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
        if endpoint in self.portal.quirks.too_large:
            return self._announce_too_large()
        if fault is not None and fault.kind == "retype":
            status, answer = self.portal.query(endpoint, params, info.rights)
            answer["response"]["data"] = retype_rows(answer["response"]["data"], fault)
            return self._send(status, encode_answer(answer), "application/json")
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
        elif fault.kind == "bytes":
            self._send(200, fault.body, "application/json")
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

    def _announce_too_large(self) -> None:
        """An answer larger than any client reads: 64 MB announced, the connection closed."""
        self._record(200)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(64 * 1024 * 1024))
        self.end_headers()
        self.close_connection = True

    def _send(self, status: int, body: bytes, content_type: str, encoding: str = "") -> None:
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
