"""The portal session: settings, the token store, the linked client, its rights, the project chosen.

One object owns them; the other controllers and the window read them here and hear of a change
through `changed`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from zdesk.store.settings import Settings

# What talks to the network or the keyring is imported when first used: the window should be on
# screen before requests and keyring are loaded.

if TYPE_CHECKING:
    from zdesk.portal.client import PortalClient
    from zdesk.portal.rights import RightsReport
    from zdesk.store.secrets import SecretStore

log = logging.getLogger(__name__)


class PortalSession(QObject):
    changed = Signal()  # a client was adopted or dropped

    def __init__(self, settings: Settings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings.load()
        self._secrets: SecretStore | None = None
        self.client: PortalClient | None = None
        self.rights: RightsReport | None = None  # found by the last load of `project_id`
        self.project_id: int | None = None
        self.demo_portal: Any = None  # the embedded fake portal (a FakePortal) in demo mode

    @property
    def secrets(self) -> SecretStore:
        if self._secrets is None:
            from zdesk.store.secrets import SecretStore

            self._secrets = SecretStore()
        return self._secrets

    @property
    def is_demo(self) -> bool:
        return self.demo_portal is not None

    @property
    def portal_name(self) -> str:
        return self.client.portal.name if self.client is not None else ""

    def save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as exc:
            log.warning("Instellingen niet opgeslagen: %s", exc)

    def adopt(self, client: PortalClient) -> None:
        """Work with `client` from now on; the previous one is closed."""
        if self.client is not None and self.client is not client:
            self.client.close()
        self.client = client
        self.rights = None
        self.changed.emit()

    def drop(self, name: str) -> None:
        """Close the client of portal `name`, if it is the one in use."""
        if self.client is not None and self.client.portal.name == name:
            self.client.close()
            self.client = None
            self.changed.emit()

    def stop_demo(self) -> None:
        if self.demo_portal is not None:
            self.demo_portal.stop()
            self.demo_portal = None

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        self.stop_demo()
