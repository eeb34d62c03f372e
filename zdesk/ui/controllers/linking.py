"""Linking portals: start-up, koppelen, the demo school, portaal wisselen and ontkoppelen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from zdesk.domain.severity import Severity
from zdesk.ui.jobs import Job
from zdesk.ui.shell import Shell, show_error, start_job

if TYPE_CHECKING:
    from zdesk.portal.linking import Linked
    from zdesk.ui.controllers.loading import Loading
    from zdesk.ui.controllers.session import PortalSession

log = logging.getLogger(__name__)


class Linking(QObject):
    """Links the session to a portal, then lets `loading` open a project there."""

    def __init__(
        self,
        session: PortalSession,
        shell: Shell,
        loading: Loading,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.shell = shell
        self.loading = loading
        loading.relink_requested.connect(self.link_portal)

    # ---- start --------------------------------------------------------------------------------

    def startup(self, demo: bool = False) -> None:
        """The last portal and project again, or the link dialog; the demo school with `demo`."""
        if demo:
            self.start_demo()
            return
        session = self.session
        name = session.settings.last_portal
        if not name:
            self.link_portal()
            return

        def found(token: str | None) -> None:
            from zdesk.portal.client import PortalClient
            from zdesk.portal.names import normalise_portal

            if not token:
                self.link_portal()
                return
            session.adopt(PortalClient(normalise_portal(name), token))
            last = session.settings.last_project.get(name)
            if last is not None:
                self.loading.open_project(last)
            else:
                self.loading.choose_project()

        def refused(exc: Exception) -> None:
            show_error(self.shell, exc, {})
            self.link_portal()

        self._keyring("lezen", lambda: session.secrets.load(name), found, refused)

    def _keyring(
        self,
        what: str,
        call: Callable[[], Any],
        done: Callable[[Any], None],
        refused: Callable[[Exception], None] | None = None,
    ) -> None:
        """One call to the keyring on a worker thread: a keyring that hangs (the store gives up
        after its time limit) or raises never freezes the window or crashes it."""
        job = Job(lambda _progress, _cancel: call(), f"sleutelopslag {what}", self)
        job.succeeded.connect(done)
        job.failed.connect(refused or (lambda exc: show_error(self.shell, exc, {})))
        start_job(self.shell, job)

    def start_demo(self) -> None:
        """The embedded fake portal, linked through the same code path as a real school."""
        from zdesk.demo.school import DEMO_TIER, generate_school
        from zdesk.demo.server import FakePortal
        from zdesk.portal.linking import link

        portal = self.session.demo_portal = FakePortal(generate_school(DEMO_TIER)).start()

        def work(_progress, _cancel) -> Linked:
            return link(portal.url, koppelcode=portal.koppelcodes[0])

        job = Job(work, "demo koppelen", self)
        job.succeeded.connect(self._demo_linked)
        job.failed.connect(lambda exc: show_error(self.shell, exc, {}))
        self.shell.show_busy(self.tr("Demoschool koppelen…"))
        job.ended.connect(self.shell.show_idle)
        start_job(self.shell, job)

    def _demo_linked(self, linked: Linked) -> None:
        self.session.adopt(linked.client)
        self.loading.open_project(self.session.demo_portal.data.current_project)

    # ---- linking ------------------------------------------------------------------------------

    def link_portal(self, portal: str = "") -> None:
        from PySide6.QtWidgets import QDialog

        from zdesk.ui.dialogs.link import LinkDialog

        session = self.session
        default = portal or (session.portal_name if not session.is_demo else "")
        dialog = LinkDialog(self.shell.dialog_parent(), default)
        if self.shell.run_dialog(dialog) != QDialog.DialogCode.Accepted or dialog.linked is None:
            return
        self._linked(dialog.linked)

    def _linked(self, linked: Linked) -> None:
        session = self.session
        session.stop_demo()
        name = linked.client.portal.name
        secrets = session.secrets
        token = linked.client.token or ""

        def saved(persistent: bool) -> None:
            self.shell.show_session_only(not persistent)
            if persistent:
                self.shell.show_message(
                    self.tr("Gekoppeld met %s als %s.") % (name, linked.who), Severity.INFO
                )
            elif secrets.problem is not None:  # the keyring did not answer, or refused
                self.shell.show_message(
                    self.tr("Gekoppeld als %s.") % linked.who + " " + str(secrets.problem),
                    Severity.WAARSCHUWING,
                )
            else:
                self.shell.show_message(
                    self.tr(
                        "Gekoppeld als %s. Deze computer heeft geen beveiligde sleutelopslag: de "
                        "koppeling geldt alleen zolang zdesk open is."
                    )
                    % linked.who,
                    Severity.WAARSCHUWING,
                )

        def locked(exc: Exception) -> None:  # KeyringLocked: the token is kept for this session
            self.shell.show_session_only(True)
            show_error(self.shell, exc, {})

        self._keyring("bewaren", lambda: secrets.save(name, token), saved, locked)
        session.settings.remember_portal(name)
        session.save_settings()
        session.adopt(linked.client)
        shown = self.loading.shown()
        if shown is not None and shown.portal == name and session.project_id:
            self.loading.reload()
        else:
            self.loading.choose_project()

    def switch_portal(self, name: str) -> None:
        session = self.session

        def found(token: str | None) -> None:
            from zdesk.portal.client import PortalClient
            from zdesk.portal.names import normalise_portal

            if not token:
                self.link_portal(name)
                return
            session.stop_demo()
            session.adopt(PortalClient(normalise_portal(name), token))
            session.settings.remember_portal(name)
            session.save_settings()
            self.loading.choose_project()

        self._keyring("lezen", lambda: session.secrets.load(name), found)

    # ---- unlinking ----------------------------------------------------------------------------

    def unlink_portal(self) -> None:
        session = self.session
        client = session.client
        if client is None or session.is_demo:
            return
        name = client.portal.name
        question = (
            self.tr("De koppeling met '%s' intrekken en het token van deze computer verwijderen?")
            % name
        )
        if not self.shell.confirm(self.tr("Ontkoppelen"), question):
            return

        def work(_progress, _cancel) -> None:
            client.logout()

        job = Job(work, "ontkoppelen", self)
        job.failed.connect(lambda exc: log.warning("Intrekken bij het portaal mislukt: %s", exc))
        job.ended.connect(lambda: self._forget(name))
        start_job(self.shell, job)

    def _forget(self, name: str) -> None:
        session = self.session

        erasing: dict[str, Any] = {}

        def refused(exc: Exception) -> None:  # forgotten here all the same
            show_error(self.shell, exc, {})
            self._forgotten(name, erasing.get("erased"))

        def forget() -> Any:
            from zdesk.app.history import forget_portal

            # Its history (the files first, so they go even if the keyring refuses) and the key
            # of that history, then the token.
            erased = erasing["erased"] = forget_portal(name, session.secrets)
            session.secrets.delete(name)
            return erased

        self._keyring("verwijderen", forget, lambda erased: self._forgotten(name, erased), refused)

    def _forgotten(self, name: str, erased: Any = None) -> None:
        session = self.session
        session.settings.forget_portal(name)
        session.save_settings()
        from zdesk.store.load_hints import forget_hints

        forget_hints(name)
        session.drop(name)
        said = self.tr("De koppeling met '%s' is ingetrokken.") % name
        if erased is not None and not erased.complete:
            # What of its history stayed, and why; without its key it can no longer be read.
            said += " " + erased.describe(self.tr("De geschiedenis van dit portaal"))
            self.shell.show_message(said, Severity.WAARSCHUWING)
            return
        self.shell.show_message(said, Severity.INFO)
