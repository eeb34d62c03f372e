"""Behind the school's explicit, TLS-inspecting proxy: TLS is checked against the OS trust store."""

from __future__ import annotations

import json

import pytest

from tests.portal.hostile import HostileServer, json_answer
from tests.portal.tls import ConnectProxy, make_ca_and_server_cert
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import TlsError
from zdesk.portal.names import normalise_portal

HOST = "mijnschool.zportal.nl"
ME = json.dumps({"response": {"status": 200, "data": [{"code": "jbakker"}]}}).encode()


@pytest.fixture
def school_network(tmp_path, monkeypatch):
    """The portal behind a CONNECT proxy whose CA is in this computer's trust store (only)."""
    ca_file, server_tls = make_ca_and_server_cert(tmp_path, HOST)
    empty = tmp_path / "no-other-certs"
    empty.mkdir()
    # What OpenSSL (and so truststore) reads as the OS store on Linux.
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.setenv("SSL_CERT_DIR", str(empty))
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    with (
        HostileServer(json_answer(ME), tls=server_tls) as portal,
        ConnectProxy(portal.port) as proxy,
    ):
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        yield portal, proxy


def test_through_an_explicit_proxy_tls_is_checked_with_the_os_trust_store(school_network):
    portal, proxy = school_network
    with PortalClient(normalise_portal("mijnschool"), "t0ken") as client:
        assert client.me()["code"] == "jbakker"
    assert proxy.connects == [f"CONNECT {HOST}:443"]
    (request,) = portal.requests
    assert request.headers["authorization"] == "Bearer t0ken"


def test_a_certificate_the_trust_store_lacks_is_still_refused(
    school_network, tmp_path, monkeypatch
):
    # Same network, but the school's CA is not installed: the check is real, not switched off.
    other = tmp_path / "other"
    other.mkdir()
    other_ca, _ = make_ca_and_server_cert(other, HOST)
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    portal, _proxy = school_network
    with PortalClient(normalise_portal("mijnschool"), "t0ken") as client, pytest.raises(TlsError):
        client.me()
    assert portal.requests == []
