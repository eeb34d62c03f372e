"""PortalClient against the fake portal over loopback: every error kind, retries, headers."""

from __future__ import annotations

import threading

import pytest

from zdesk import __version__
from zdesk.demo.server import Rights
from zdesk.domain.model import Branch, PlannedGroup
from zdesk.portal.client import PortalClient
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
    TokenRejected,
    UnknownPortal,
)
from zdesk.portal.names import normalise_portal


@pytest.fixture
def client(portal):
    c = PortalClient(normalise_portal(portal.url), portal.token, backoff=0.01)
    yield c
    c.close()


def project_filter(school):
    return {"schoolInSchoolYear": str(school.current_project)}


def test_fetch_decodes_typed_records(client, small_school):
    rows, size = client.fetch("plannedgroups", PlannedGroup, params=project_filter(small_school))
    assert len(rows) == len(small_school.rows_of("plannedgroups", small_school.current_project))
    assert size > 0 and all(isinstance(r, PlannedGroup) for r in rows)
    assert any(r.group_in_department is None for r in rows)


def test_token_only_in_the_authorization_header(client, portal, small_school):
    portal.clear_log()
    client.fetch("branchesofschools", Branch, params=project_filter(small_school))
    (entry,) = portal.requests
    assert entry.headers["Authorization"] == f"Bearer {portal.token}"
    assert portal.token not in entry.query and "access_token" not in entry.query
    assert entry.headers["User-Agent"] == f"zdesk/{__version__}"
    assert "gzip" in entry.headers["Accept-Encoding"]


def test_one_session_reuses_its_connection(client, portal, small_school):
    for _ in range(3):
        client.fetch("branchesofschools", Branch, params=project_filter(small_school))
    # A kept-alive connection is one TCP stream: the server saw three requests from one port.
    assert len(portal.requests) == 3
    assert len({r.client_port for r in portal.requests}) == 1


def test_koppelcode_exchange_then_used_code(portal):
    first = PortalClient(normalise_portal(portal.url))
    token = first.exchange_koppelcode(portal.koppelcodes[0])
    assert first.token == token and first.me()["code"] == "jbakker"
    second = PortalClient(normalise_portal(portal.url))
    with pytest.raises(KoppelcodeRejected) as info:
        second.exchange_koppelcode(portal.koppelcodes[0])
    assert "al gebruikt" in str(info.value)


@pytest.mark.parametrize("status", [404, 503])
def test_unknown_portal_on_exchange(portal, status):
    portal.add_fault("status", "oauth/token", status=status)
    with pytest.raises(UnknownPortal):
        PortalClient(normalise_portal(portal.url)).exchange_koppelcode("123456789012")


def test_token_invalid_expired_and_revoked(portal):
    url = normalise_portal(portal.url)
    with pytest.raises(TokenRejected) as info:
        PortalClient(url, "not-a-token").me()
    assert "Koppel opnieuw" in str(info.value) and "not-a-token" not in str(info.value)
    with pytest.raises(TokenRejected):
        PortalClient(url, portal.issue_token(expires_in=-5)).me()
    revoked = PortalClient(url, portal.issue_token())
    revoked.logout()
    with pytest.raises(TokenRejected):
        revoked.me()
    revoked.logout()  # an already revoked token counts as logged out


def test_right_missing_names_endpoint_and_field(portal, small_school):
    url = normalise_portal(portal.url)
    token = portal.issue_token(
        Rights.without("studentsindepartments", fields={"departmentsofbranches": {"maxGroupSize"}})
    )
    c = PortalClient(url, token)
    with pytest.raises(RightMissing) as info:
        c.fetch("studentsindepartments", dict, params=project_filter(small_school))
    assert info.value.endpoint == "studentsindepartments" and info.value.field is None
    with pytest.raises(RightMissing) as info:
        c.fetch("departmentsofbranches", dict, fields=["maxGroupSize"])
    assert info.value.field == "maxGroupSize"
    assert "maxGroupSize" in str(info.value) and "Beheer > Partners" in str(info.value)


def test_not_found(client):
    with pytest.raises(NotFound):
        client.fetch("nosuchthings", dict)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_then_succeed(client, portal, status):
    portal.add_fault("status", "branchesofschools", status=status, times=2)
    rows, _ = client.fetch("branchesofschools", Branch)
    assert rows
    assert [r.status for r in portal.requests] == [status, status, 200]


def test_persistent_server_error_after_retries(client, portal):
    portal.add_fault("status", "branchesofschools", status=503)
    with pytest.raises(ServerError) as info:
        client.fetch("branchesofschools", Branch)
    assert "503" in str(info.value)
    assert len(portal.requests) == 4  # the first try and three retries


def test_500_is_not_retried(client, portal):
    portal.add_fault("status", "branchesofschools", status=500)
    with pytest.raises(ServerError):
        client.fetch("branchesofschools", Branch)
    assert len(portal.requests) == 1


def test_posts_are_never_retried(portal):
    portal.add_fault("status", "oauth/token", status=502)
    with pytest.raises(ServerError):
        PortalClient(normalise_portal(portal.url), backoff=0.01).exchange_koppelcode(
            portal.koppelcodes[0]
        )
    assert [r.method for r in portal.requests] == ["POST"]


def test_dropped_connection_is_retried(client, portal):
    portal.add_fault("drop", "branchesofschools", times=1)
    rows, _ = client.fetch("branchesofschools", Branch)
    assert rows and len(portal.requests) == 2


def test_dropped_connection_every_time_is_a_network_error(client, portal):
    portal.add_fault("drop", "branchesofschools")
    with pytest.raises(NetworkError) as info:
        client.fetch("branchesofschools", Branch)
    assert "niet bereikbaar" in str(info.value)


def test_read_timeout(portal):
    c = PortalClient(normalise_portal(portal.url), portal.token, retries=0, timeout=(2, 0.2))
    portal.add_fault("latency", "branchesofschools", delay_ms=800)
    with pytest.raises(PortalTimeout) as info:
        c.fetch("branchesofschools", Branch)
    assert "niet op tijd" in str(info.value)


def test_nothing_listening_is_a_network_error(portal):
    url = normalise_portal(portal.url)
    portal.stop()
    with pytest.raises(NetworkError):
        PortalClient(url, "x", retries=0).me()


def test_truncated_body(client, portal):
    portal.add_fault("truncate", "plannedgroups")
    with pytest.raises(BadResponse, match="geen volledige JSON"):
        client.fetch("plannedgroups", PlannedGroup)


def test_proxy_login_page(client, portal):
    portal.add_fault("html")
    with pytest.raises(ProxyPage, match="aan te melden"):
        client.me()


@pytest.mark.parametrize(
    ("status", "error"), [(500, ServerError), (403, RightMissing), (401, TokenRejected)]
)
def test_envelope_status_wins_over_http_200(client, portal, status, error):
    portal.add_fault("mismatch", "branchesofschools", status=status)
    with pytest.raises(error):
        client.fetch("branchesofschools", Branch)


def test_rows_without_their_key_are_skipped_and_counted(client, small_school):
    # Planned groups read as users have no `code`: every row is skipped, none crashes the read,
    # and the skipping is counted for the user to see.
    from zdesk.portal.records import Student
    from zdesk.portal.wire import ROW_SKIPPED, RepairLog

    log = RepairLog()
    rows, _ = client.fetch(
        "plannedgroups", Student, params=project_filter(small_school), repairs=log
    )
    assert rows == []
    [repair] = log.repairs()
    assert (repair.field, repair.action) == ("code", ROW_SKIPPED)
    assert repair.count == len(small_school.rows_of("plannedgroups", small_school.current_project))


@pytest.mark.parametrize(
    "body",
    [
        {"response": {"status": "abc", "data": None}},
        {"response": {"status": "abc", "data": []}},
        {"response": {"status": 200, "data": None}},
        {"response": {"status": 200}},
        {"response": {"status": 200, "data": {"id": 1}}},
        {"data": []},
        [],
    ],
)
def test_an_envelope_that_is_not_one_is_a_bad_response(client, portal, body):
    portal.add_fault("body", "branchesofschools", body=body)
    with pytest.raises(BadResponse):
        client.fetch("branchesofschools", Branch)


def test_cancel_before_request(client, portal):
    flag = threading.Event()
    flag.set()
    with pytest.raises(Cancelled):
        client.fetch("branchesofschools", Branch, cancel=flag)
    assert portal.requests == []


def test_cancel_during_download(client, portal, small_school):
    flag = threading.Event()

    def on_bytes(_n):
        flag.set()  # cancel as soon as the first bytes arrive

    with pytest.raises(Cancelled):
        client.fetch(
            "studentsindepartments",
            dict,
            params=project_filter(small_school),
            cancel=flag,
            on_bytes=on_bytes,
        )


def test_school_proxy_settings_are_read_once_and_no_netrc(monkeypatch, tmp_path):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.school.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".netrc").write_text("machine mijnschool.zportal.nl login x password geheim\n")
    client = PortalClient(normalise_portal("mijnschool"), "t0ken")
    assert client.transport.session.proxies.get("https") == "http://proxy.school.example:3128"
    request = client.transport.session.prepare_request(
        __import__("requests").Request("GET", "https://mijnschool.zportal.nl/api/v3/x")
    )
    assert "Authorization" not in request.headers  # the netrc password is never sent

    monkeypatch.setenv("NO_PROXY", "zportal.nl")
    assert PortalClient(normalise_portal("mijnschool"), "t0ken").transport.session.proxies == {}


def test_lists_in_the_query_stay_comma_separated(portal):
    client = PortalClient(normalise_portal(portal.url), portal.token)
    portal.clear_log()
    client.fetch("branchesofschools", Branch, params={"id": "1,2"}, fields=("id", "name"))
    (request,) = portal.requests
    assert "id=1,2" in request.query and "fields=id,name" in request.query
