"""A portal name that does not exist says the name may be wrong, not only "no network"."""

from __future__ import annotations

import socket

import pytest

from zdesk.portal.client import PortalClient
from zdesk.portal.errors import NetworkError, UnresolvedPortal
from zdesk.portal.names import normalise_portal


def link(name: str) -> None:
    """What linking asks first, with little wait between the retries of a failed connect."""
    PortalClient(normalise_portal(name), "token", backoff=0.001).projects()


@pytest.fixture
def resolver(monkeypatch):
    """The system's resolver, answering for *.zportal.nl as told (other names as usual)."""
    real = socket.getaddrinfo
    answer = {"errno": socket.EAI_NONAME}

    def getaddrinfo(host, *args, **kwargs):
        if str(host).endswith(".zportal.nl"):
            raise socket.gaierror(answer["errno"], "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answer


def test_a_mistyped_portal_name_is_named_as_the_likely_cause(resolver):
    with pytest.raises(UnresolvedPortal) as info:
        link("mijnschol")
    message = str(info.value)
    assert "'mijnschol' is niet gevonden" in message and "Klopt de naam?" in message
    assert "internetverbinding" in message  # it may still be the network
    assert isinstance(info.value, NetworkError)  # retried and reported as a network problem


def test_a_resolver_that_cannot_be_asked_is_the_network(resolver):
    resolver["errno"] = socket.EAI_AGAIN  # offline: no answer about the name at all
    with pytest.raises(NetworkError) as info:
        link("mijnschool")
    assert not isinstance(info.value, UnresolvedPortal)
    assert "niet bereikbaar" in str(info.value)
