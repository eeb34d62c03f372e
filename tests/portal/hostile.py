"""A hostile HTTP server on 127.0.0.1: every answer is written by hand, byte by byte, by the test.

Unlike the fake portal it breaks the protocol on purpose (redirects, bombs, endless or trickling
bodies, silence). Handlers wait on `stopping` instead of sleeping, so stopping the server ends
every connection at once.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Exchange:
    """What a handler gets: the request, the socket to answer on, and the server's stop event."""

    request: Request
    sock: socket.socket
    stopping: threading.Event
    number: int  # 0 for the first request this server saw

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def head(self, status: str, headers: dict[str, str] | None = None) -> None:
        lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def wait(self, seconds: float | None = None) -> None:
        """Pause this answer until the server stops (or `seconds` pass)."""
        self.stopping.wait(seconds)


Handler = Callable[[Exchange], None]


def json_answer(body: bytes, status: str = "200 OK", **extra: str) -> Handler:
    def answer(ex: Exchange) -> None:
        ex.head(
            status,
            {"Content-Type": "application/json", "Content-Length": str(len(body)), **extra},
        )
        ex.send(body)

    return answer


@dataclass
class HostileServer:
    handler: Handler
    tls: ssl.SSLContext | None = None  # a server-side context: answer over TLS
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        outer = self

        class _Handle(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock = self.request
                if outer.tls is not None:
                    try:
                        sock = outer.tls.wrap_socket(sock, server_side=True)
                    except (ssl.SSLError, OSError):
                        return  # the client refused our certificate
                try:
                    self.serve(sock)
                except OSError:
                    pass  # the client went away: that is what a deadline or a cap does
                finally:
                    if sock is not self.request:
                        sock.close()

            def serve(self, sock: socket.socket) -> None:
                reader = sock.makefile("rb")
                while not outer.stopping.is_set():
                    request = _read_request(reader)
                    if request is None:
                        return
                    with outer._lock:
                        number = len(outer.requests)
                        outer.requests.append(request)
                    outer.handler(Exchange(request, sock, outer.stopping, number))

        class _Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handle)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def _read_request(reader) -> Request | None:
    line = reader.readline(65536)
    if not line.strip():
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        raw = reader.readline(65536)
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = reader.read(int(headers.get("content-length", "0") or 0))
    return Request(method, target, headers, body)
