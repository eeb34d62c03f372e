"""The controllers work without the window: a recording shell stands in for it."""

from __future__ import annotations

import pytest

from zdesk.domain.severity import Severity
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.store.settings import Settings
from zdesk.ui.controllers.exporting import Exporting
from zdesk.ui.controllers.loading import Loading, LoadResult
from zdesk.ui.controllers.session import PortalSession
from zdesk.ui.shell import Shell

TIMEOUT = 20_000


class RecordingShell:
    """A Shell that remembers what it was asked to show; it runs no dialog and confirms nothing."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, Severity, list]] = []
        self.busy: list[str | None] = []  # a text while busy, None when idle again
        self.dialogs: list[object] = []
        self.session_only: bool | None = None

    def show_message(self, text, severity=Severity.WAARSCHUWING, actions=()) -> None:
        self.messages.append((text, severity, list(actions)))

    def hide_message(self) -> None:
        self.messages.append(("", Severity.INFO, []))

    def show_busy(self, text, cancellable=True) -> None:
        self.busy.append(text)

    def show_idle(self) -> None:
        self.busy.append(None)

    def show_progress(self, done, total, text) -> None:
        pass

    def show_activity(self, text) -> None:
        self.busy.append(text)

    def show_session_only(self, session_only) -> None:
        self.session_only = session_only

    def run_dialog(self, dialog) -> int:
        self.dialogs.append(dialog)
        return 0

    def confirm(self, title, text) -> bool:
        return False

    def dialog_parent(self):
        return None

    def show_crash(self, error, details) -> None:
        pytest.fail(f"crash: {details}")


def test_the_main_window_implements_every_part_of_the_shell():
    from zdesk.ui.main_window import MainWindow

    parts = {name for name in vars(Shell) if not name.startswith("_")}
    assert parts and parts <= set(dir(MainWindow))
    assert parts <= set(dir(RecordingShell))


@pytest.fixture
def session(portal):
    session = PortalSession(Settings())
    session.adopt(PortalClient(normalise_portal(portal.url), portal.token, backoff=0.01))
    yield session
    session.close()


def load(qtbot, loading: Loading) -> None:
    with qtbot.waitSignal(loading.ended, timeout=TIMEOUT):
        loading.reload()


def test_a_load_hands_its_result_to_whoever_shows_it(qtbot, session, small_school):
    shell = RecordingShell()
    loading = Loading(session, shell, lambda: None)
    results: list[LoadResult] = []
    loading.loaded.connect(results.append)
    session.project_id = small_school.current_project
    load(qtbot, loading)
    (result,) = results
    assert result.project.info.id == small_school.current_project
    assert result.run.findings and result.views.groups.rows
    assert session.rights is result.rights and result.rights.project == result.project.info.id
    assert shell.busy == ["Laden…", None] and loading.job is None and not loading.stale
    # The project is remembered for the next start (this is no demo).
    assert session.settings.last_project[result.project.portal] == result.project.info.id


def test_a_failed_load_offers_the_actions_of_its_remedy(qtbot, session, portal, small_school):
    shell = RecordingShell()
    on_screen = object()  # stands for a project the window shows
    loading = Loading(session, shell, lambda: on_screen)
    relinks: list[str] = []
    loading.relink_requested.connect(relinks.append)
    session.project_id = small_school.current_project
    portal.add_fault("status", "plannedgroups", status=401)
    load(qtbot, loading)
    text, severity, actions = shell.messages[-1]
    assert "Koppel opnieuw" in text and "niet bijgewerkt" in text and severity == Severity.FOUT
    assert [label for label, _ in actions] == ["Opnieuw koppelen"]
    assert loading.stale
    actions[0][1]()
    assert relinks == [session.portal_name]


def test_an_export_writes_what_is_on_screen(qtbot, session, small_project, tmp_path):
    shell = RecordingShell()
    exporting = Exporting(session, shell, lambda: small_project)
    exporting.export(tmp_path / "uit.xlsx")
    assert exporting.job is not None and shell.busy == ["Exporteren…"]
    qtbot.waitUntil(lambda: exporting.job is None, timeout=TIMEOUT)
    assert shell.busy == ["Exporteren…", None] and (tmp_path / "uit.xlsx").is_file()
    text, severity, actions = shell.messages[-1]
    assert text.startswith("Geëxporteerd naar") and severity == Severity.INFO
    assert [label for label, _ in actions] == ["Bestand openen", "Map openen"]
    assert session.settings.export_dir == str(tmp_path)
