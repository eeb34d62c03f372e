"""Koppelen, portaal wisselen en ontkoppelen: the window's part of linking a portal."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from zdesk.domain.severity import Severity
from zdesk.errors import KeyringLocked, SecretStoreError
from zdesk.ui.jobs import Job

if TYPE_CHECKING:
    from zdesk.portal.client import PortalClient
    from zdesk.portal.linking import Linked
    from zdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class LinkFlows:
    """Mixed into MainWindow: linking, switching and unlinking portals."""

    # ---- linking ------------------------------------------------------------------------------

    def adopt(self: MainWindow, client: PortalClient, who: str) -> None:
        if self.client is not None and self.client is not client:
            self.client.close()
        self.client = client
        self.who = who
        self.rights = None
        self.update_actions()

    def link_portal(self: MainWindow, portal: str = "") -> None:
        from zdesk.ui.dialogs.link import LinkDialog

        default = portal or (
            self.client.portal.name if self.client and not self.demo_portal else ""
        )
        dialog = LinkDialog(self, default)
        if self.run_dialog(dialog) != QDialog.DialogCode.Accepted or dialog.linked is None:
            return
        self._linked(dialog.linked)

    def _linked(self: MainWindow, linked: Linked) -> None:
        self.stop_demo()
        name = linked.client.portal.name
        try:
            persistent = self.secrets.save(name, linked.client.token or "")
        except KeyringLocked as exc:
            persistent = False
            self.messages.show_message(str(exc), Severity.WAARSCHUWING)
        self.status.session_only.setVisible(not persistent)
        self.status.session_only.setText(self.tr("⚠ koppeling alleen voor deze sessie"))
        self.status.session_only.setToolTip(
            self.tr(
                "Deze computer heeft geen beveiligde sleutelopslag; na afsluiten moet u opnieuw "
                "koppelen. zdesk bewaart het token nergens anders."
            )
        )
        if not persistent:
            self.messages.show_message(
                self.tr(
                    "Gekoppeld als %s. Deze computer heeft geen beveiligde sleutelopslag: de "
                    "koppeling geldt alleen zolang zdesk open is."
                )
                % linked.who,
                Severity.WAARSCHUWING,
            )
        else:
            self.messages.show_message(
                self.tr("Gekoppeld met %s als %s.") % (name, linked.who), Severity.INFO
            )
        self.settings.remember_portal(name)
        self.save_settings()
        self.adopt(linked.client, linked.who)
        same = self.project is not None and self.project.portal == name and self.project_id
        if same:
            self.reload()
        else:
            self.choose_project()

    def fill_portals_menu(self: MainWindow) -> None:
        menu = self.portals_menu
        menu.clear()
        for name in self.settings.portals:
            act = menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(self.client is not None and self.client.portal.name == name)
            act.triggered.connect(lambda _c=False, n=name: self.switch_portal(n))
        if not self.settings.portals:
            menu.addAction(self.tr("(nog geen gekoppelde portalen)")).setEnabled(False)

    def switch_portal(self: MainWindow, name: str) -> None:
        from zdesk.portal.client import PortalClient
        from zdesk.portal.names import normalise_portal

        try:
            token = self.secrets.load(name)
        except SecretStoreError as exc:
            self.messages.show_message(str(exc), Severity.WAARSCHUWING)
            return
        if not token:
            self.link_portal(name)
            return
        self.stop_demo()
        self.adopt(PortalClient(normalise_portal(name), token), "")
        self.settings.remember_portal(name)
        self.save_settings()
        self.choose_project()

    def unlink_portal(self: MainWindow) -> None:
        if self.client is None or self.demo_portal is not None:
            return
        name = self.client.portal.name
        question = (
            self.tr("De koppeling met '%s' intrekken en het token van deze computer verwijderen?")
            % name
        )
        if not self.confirm(self.tr("Ontkoppelen"), question):
            return
        client = self.client

        def work(_progress, _cancel) -> None:
            client.logout()

        job = Job(work, "ontkoppelen", self)
        job.failed.connect(lambda exc: log.warning("Intrekken bij het portaal mislukt: %s", exc))
        job.ended.connect(lambda: self._forget(name))
        self.start_job(job)

    def _forget(self: MainWindow, name: str) -> None:
        try:
            self.secrets.delete(name)
        except SecretStoreError as exc:
            self.messages.show_message(str(exc), Severity.WAARSCHUWING)
        self.settings.forget_portal(name)
        self.save_settings()
        from zdesk.store.load_hints import forget_hints

        forget_hints(name)
        if self.client is not None and self.client.portal.name == name:
            self.client.close()
            self.client = None
        self.messages.show_message(
            self.tr("De koppeling met '%s' is ingetrokken.") % name, Severity.INFO
        )
        self.update_actions()
