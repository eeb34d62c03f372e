"""Linking a portal: from what the user typed to a client with a working token and its user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zdesk.portal.client import PortalClient
from zdesk.portal.errors import InputError
from zdesk.portal.names import normalise_koppelcode, normalise_portal


@dataclass
class Linked:
    client: PortalClient
    me: dict[str, Any]

    @property
    def who(self) -> str:
        name = " ".join(
            p
            for p in (self.me.get("firstName"), self.me.get("prefix"), self.me.get("lastName"))
            if p
        )
        code = self.me.get("code") or "?"
        return f"{name} ({code})" if name else str(code)


def link(portal_text: str, *, koppelcode: str | None = None, token: str | None = None) -> Linked:
    """Exchange a koppelcode (or take an API token), then ask the portal who this is."""
    portal = normalise_portal(portal_text)
    if (koppelcode is None) == (token is None):
        raise InputError("Vul een koppelcode of een API-token in.")
    client = PortalClient(portal, token.strip() if token else None)
    try:
        if koppelcode is not None:
            client.exchange_koppelcode(normalise_koppelcode(koppelcode))
        elif not client.token:
            raise InputError("Vul het API-token in dat de beheerder u heeft gegeven.")
        me = client.me()
    except BaseException:
        client.close()
        raise
    return Linked(client, me)
