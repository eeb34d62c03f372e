"""PortalClient against a hostile server over loopback: redirects, bombs, endless and slow answers.

Every test here bounds its own time: deadlines are configured small, and the hostile server's
handlers end when it stops, so none of them waits for a real timeout.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
import tracemalloc

import pytest

from tests.portal.hostile import Exchange, HostileServer, json_answer
from zdesk.domain.model import Branch
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import (
    AnswerTooLarge,
    BadResponse,
    Cancelled,
    PortalTimeout,
    Redirected,
    ServerError,
    TokenMalformed,
)
from zdesk.portal.names import normalise_portal

ENVELOPE = json.dumps({"response": {"status": 200, "data": [{"id": 1}]}}).encode()
MB = 1024 * 1024


def client_for(server: HostileServer, token: str | None = "t0ken", **kwargs) -> PortalClient:
    kwargs.setdefault("backoff", 0.01)
    return PortalClient(normalise_portal(server.url), token, **kwargs)


@contextlib.contextmanager
def served(handler, token: str | None = "t0ken", **kwargs):
    with HostileServer(handler) as server, client_for(server, token, **kwargs) as client:
        yield server, client


# ---- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "307 Temporary Redirect"])
def test_a_redirect_of_a_read_is_refused_and_names_where_it_pointed(status):
    with HostileServer(json_answer(ENVELOPE)) as elsewhere:

        def redirect(ex: Exchange) -> None:
            ex.head(status, {"Location": f"{elsewhere.url}/steal?codes=1", "Content-Length": "0"})

        with served(redirect) as (server, client), pytest.raises(Redirected) as info:
            client.get("users", params={"code": "123,456"})
    assert f"127.0.0.1:{elsewhere.port}/steal" in str(info.value)
    assert "codes=1" not in str(info.value)  # where it pointed, not what it carried
    assert "volgt geen doorverwijzingen" in str(info.value)
    assert elsewhere.requests == [] and len(server.requests) == 1


def test_a_redirect_of_the_koppelcode_exchange_never_reposts_the_code():
    with HostileServer(json_answer(b'{"access_token": "x"}')) as elsewhere:

        def redirect(ex: Exchange) -> None:
            ex.head("307 Temporary Redirect", {"Location": f"{elsewhere.url}/oauth/token"})

        with served(redirect, token=None) as (server, client), pytest.raises(Redirected):
            client.exchange_koppelcode("123456789012")
    assert elsewhere.requests == []
    assert [r.method for r in server.requests] == ["POST"]


def test_a_redirect_from_https_to_plain_http_is_refused_before_anything_is_sent():
    # The refusal does not depend on where the redirect points: a downgrade to http is one more.
    def redirect(ex: Exchange) -> None:
        ex.head("302 Found", {"Location": "http://portal.example.invalid/api/v3/users"})

    with (
        served(redirect) as (server, client),
        pytest.raises(Redirected, match=r"http://portal\.example\.invalid/api/v3/users"),
    ):
        client.me()
    assert len(server.requests) == 1


# ---- size --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """64 MB of JSON-looking zeros in about 64 KB of gzip."""
    return gzip.compress(b'{"response": {"data": ["' + b"0" * (64 * MB) + b'"]}}', 6)


def test_a_gzip_bomb_stops_at_the_cap_while_reading(gzip_bomb):
    def bomb(ex: Exchange) -> None:
        ex.head(
            "200 OK",
            {
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "Content-Length": str(len(gzip_bomb)),
            },
        )
        ex.send(gzip_bomb)

    with HostileServer(bomb) as server, client_for(server, max_answer=4 * MB) as client:
        tracemalloc.start()
        try:
            with pytest.raises(AnswerTooLarge) as info:
                client.get("users")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "Het antwoord van" in str(info.value) and "is onverwacht groot" in str(info.value)
    assert peak < 16 * MB  # the cap and a chunk or two, never the 64 MB the bomb inflates to


def test_an_endless_chunked_answer_stops_at_the_cap():
    def endless(ex: Exchange) -> None:
        ex.head("200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        piece = b"x" * 65536
        while not ex.stopping.is_set():
            ex.send(b"%x\r\n%s\r\n" % (len(piece), piece))

    with HostileServer(endless) as server, client_for(server, max_answer=2 * MB) as client:
        started = time.monotonic()
        with pytest.raises(AnswerTooLarge):
            client.get("users")
    assert time.monotonic() - started < 5


def test_a_huge_content_length_is_refused_before_reading():
    def huge(ex: Exchange) -> None:
        ex.head("200 OK", {"Content-Type": "application/json", "Content-Length": str(2**31)})
        ex.wait()  # no body ever: only the declared length can tell

    with HostileServer(huge) as server, client_for(server, deadline=10) as client:
        started = time.monotonic()
        with pytest.raises(AnswerTooLarge):
            client.get("users")
    assert time.monotonic() - started < 2


def test_a_content_length_of_no_ascii_digits_is_read_as_unknown():
    # "²" is a digit to str.isdigit but not to int(): the length is unknown, the body is read
    # to the end of the connection, never a ValueError escaping the client.
    body = json.dumps({"response": {"status": 200, "data": [{"id": 1}]}}).encode()

    def odd(ex: Exchange) -> None:
        headers = {"Content-Type": "application/json", "Content-Length": "²", "Connection": "close"}
        ex.head("200 OK", headers)
        ex.send(body)
        ex.sock.shutdown(socket.SHUT_WR)  # the end of the connection ends the body

    with served(odd, retries=0, deadline=2) as (_server, client):
        assert client.get("branchesofschools") == [{"id": 1}]


# ---- time --------------------------------------------------------------------------------------


def test_a_silent_server_ends_at_the_deadline_and_is_not_asked_again():
    with HostileServer(lambda ex: ex.wait()) as server:
        client = client_for(server, deadline=0.5, timeout=(5, 5))
        started = time.monotonic()
        with pytest.raises(PortalTimeout, match="antwoordde niet op tijd"):
            client.get("users")
        took = time.monotonic() - started
    assert 0.4 < took < 1.5
    assert len(server.requests) == 1  # the portal had its time: no retry after a timeout


def test_a_trickling_answer_ends_at_the_deadline():
    body = ENVELOPE

    def trickle(ex: Exchange) -> None:
        ex.head("200 OK", {"Content-Type": "application/json", "Content-Length": str(len(body))})
        for byte in body:  # one byte every 0.1 s: each read is quick, the whole never ends
            if ex.stopping.wait(0.1):
                return
            ex.send(bytes([byte]))

    with HostileServer(trickle) as server:
        client = client_for(server, deadline=0.6, timeout=(5, 5))
        started = time.monotonic()
        with pytest.raises(PortalTimeout):
            client.get("users")
        assert time.monotonic() - started < 1.5


def test_retry_after_is_honoured_only_up_to_a_small_bound():
    def busy_once(ex: Exchange) -> None:
        if ex.number == 0:
            ex.head("503 Service Unavailable", {"Retry-After": "3600", "Content-Length": "0"})
        else:
            json_answer(ENVELOPE)(ex)

    with HostileServer(busy_once) as server:
        client = client_for(server)
        client.transport.retry_after_max = 0.2
        started = time.monotonic()
        assert client.get("users") == [{"id": 1}]
        took = time.monotonic() - started
    assert 0.2 <= took < 1.5 and len(server.requests) == 2


def test_retries_stay_within_the_request_budget():
    def always_busy(ex: Exchange) -> None:
        ex.head("503 Service Unavailable", {"Retry-After": "1", "Content-Length": "0"})

    with HostileServer(always_busy) as server:
        client = client_for(server, retries=50, budget=1.0)
        started = time.monotonic()
        with pytest.raises(ServerError):
            client.get("users")
        took = time.monotonic() - started
    assert took < 1.5 and len(server.requests) <= 3


def test_cancel_ends_a_hanging_project_list_at_once():
    flag = threading.Event()
    with HostileServer(lambda ex: ex.wait()) as server:
        client = client_for(server, deadline=30, timeout=(30, 30))
        threading.Timer(0.2, flag.set).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            client.projects(cancel=flag)
        assert time.monotonic() - started < 0.8


# ---- what the answer says -------------------------------------------------------------------


def test_an_envelope_with_an_odd_status_and_no_data_is_not_empty_data():
    body = json.dumps({"response": {"status": "abc", "data": None}}).encode()
    with served(json_answer(body)) as (_server, client), pytest.raises(BadResponse):
        client.get("branchesofschools")


def test_an_envelope_status_of_no_ascii_digits_is_unreadable():
    body = json.dumps({"response": {"status": "²", "data": []}}).encode()
    with served(json_answer(body)) as (_server, client), pytest.raises(BadResponse):
        client.get("branchesofschools")


DEEP = b"[" * 200_000 + b"]" * 200_000
DEEP_BODY = b'{"response": {"status": 200, "data": [{"id": 1, "name": ' + DEEP + b"}]}}"


def test_deeply_nested_json_in_a_field_is_one_more_odd_field():
    with served(json_answer(DEEP_BODY)) as (_server, client):
        rows, _ = client.fetch("branchesofschools", Branch)
    assert [(r.id, r.name) for r in rows] == [(1, None)]


def test_deeply_nested_json_read_as_plain_rows_never_escapes_as_another_error():
    # Read as plain rows (users/~me): the row is kept, the deep value replaced by a marker.
    with served(json_answer(DEEP_BODY)) as (_server, client):
        rows = client.get("users/~me")
    assert len(rows) == 1 and rows[0]["id"] == 1


@pytest.mark.parametrize("token", ["abc\r\nX-Evil: 1", "abc\n", "tökén€", "abc def"])
def test_a_malformed_token_is_said_so_and_its_text_is_in_no_exception(token):
    with (
        served(json_answer(ENVELOPE), token) as (server, client),
        pytest.raises(TokenMalformed) as info,
    ):
        client.me()
    assert server.requests == []
    error: BaseException | None = info.value
    while error is not None:  # the whole chain: str, args, causes and contexts
        assert token not in str(error) and token not in repr(error.args)
        error = error.__cause__ or error.__context__
    assert "misvormd" in str(info.value)
