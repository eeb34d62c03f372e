"""Load and check one project without a window: link (a token from ZDESK_TOKEN or the keyring,
or the embedded demo portal with one of its koppelcodes, as the app links), pick the project, load
it with the last load's hints, run the checks, and open the history meanwhile. The use case under
`zdesk check`, `export`, `portal-report` and the self-test.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from zdesk.domain.findings import CheckOptions
from zdesk.domain.model import Project, ProjectInfo
from zdesk.domain.schoolyear import current_school_year, is_current
from zdesk.loading.loader import LoadHints, load_project
from zdesk.loading.previous import AUTO, PreviousChoice
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import NotFound, NotLinked
from zdesk.portal.names import normalise_portal
from zdesk.store.load_hints import read_hints, write_hints
from zdesk.store.settings import MAX_GROUP_SIZES, Settings

if TYPE_CHECKING:
    from zdesk.app.history import History
    from zdesk.domain.check_stages import EarlyChecks
    from zdesk.domain.checks import CheckRun

# The checks are imported once the load is under way: a linked portal's history opener imports
# them (the history holds check runs) while the requests wait for the portal.

TOKEN_VARIABLE = "ZDESK_TOKEN"


class UsageProblem(Exception):
    """The command cannot run as asked; the text says why (exit code 2)."""

    kind = "usage"


def parse_previous(text: str) -> PreviousChoice:
    """`--previous-project ID|none|auto` as a choice; ValueError (in Dutch) for anything else."""
    word = text.strip().lower()
    if word in ("none", "geen"):
        return None
    if word in ("auto", "automatisch"):
        return AUTO
    if word.isascii() and word.isdigit() and 0 < int(word) < 2**63:
        return int(word)
    raise ValueError(
        f"'{text}' is geen project: geef een project-id, 'none' (geen vorig project) of 'auto'."
    )


def check_options(settings: Settings, max_group_size: int | None = None) -> CheckOptions:
    """What the checks run with: the app's setting (Bestand > Instellingen) unless the command
    line gives another maximum group size, so `zdesk check` and the app find the same."""
    size = settings.default_max_group_size if max_group_size is None else max_group_size
    if size not in MAX_GROUP_SIZES:
        raise UsageProblem(
            f"Maximale groepsgrootte {size} kan niet; kies een getal van "
            f"{MAX_GROUP_SIZES[0]} tot en met {MAX_GROUP_SIZES[-1]}."
        )
    return CheckOptions(default_max_group_size=size)


@contextlib.contextmanager
def linked_client(
    portal_arg: str | None, demo: bool, settings: Settings, secrets: list[str] | None = None
) -> Iterator[PortalClient]:
    """A client with a token, for the demo portal or a linked one. The token is added to
    `secrets`, so every output of the command can leave it out (`zdesk.plaintext`)."""
    if demo:
        from zdesk.demo.school import DEMO_TIER, generate_school
        from zdesk.demo.server import FakePortal
        from zdesk.portal.linking import link

        with (
            FakePortal(generate_school(DEMO_TIER)) as fake,
            link(fake.url, koppelcode=fake.koppelcodes[0]).client as client,
        ):
            if secrets is not None and client.token:
                secrets.append(client.token)
            yield client
        return
    name = portal_arg or settings.last_portal
    if not name:
        raise UsageProblem(
            "Geef het portaal op met --portal (of koppel eerst een portaal in zdesk)."
        )
    portal = normalise_portal(name)
    token = os.environ.get(TOKEN_VARIABLE)
    if not token:
        from zdesk.store.secrets import SecretStore  # keyring is loaded only when needed

        token = SecretStore().load(portal.name)
    if not token:
        raise NotLinked(portal=portal.name)
    if secrets is not None:
        secrets.append(token)
    client = PortalClient(portal, token)
    try:
        yield client
    finally:
        client.close()


def current_projects(projects: list[ProjectInfo]) -> list[ProjectInfo]:
    year = current_school_year()
    return [p for p in projects if is_current(p, year)]


def choose_project(client: PortalClient, project_arg: int | None) -> ProjectInfo:
    projects = client.projects()
    if project_arg is not None:
        for p in projects:
            if p.id == project_arg:
                return p
        raise UsageProblem(
            f"Project {project_arg} bestaat niet in dit portaal.\n" + _listing(projects)
        )
    current = current_projects(projects)
    if len(current) == 1:
        return current[0]
    why = "geen project" if not current else f"{len(current)} projecten"
    raise UsageProblem(
        f"Dit schooljaar heeft {why}; kies er een met --project ID.\n" + _listing(projects)
    )


def _listing(projects: list[ProjectInfo]) -> str:
    ordered = sorted(projects, key=lambda p: (p.archived or False, -(p.year or 0), p.label))
    return "\n".join(
        f"  {p.id:>8}  {p.label}" + ("  (gearchiveerd)" if p.archived else "") for p in ordered
    )


@dataclass
class Loaded:
    project: Project
    checks: CheckRun
    history: Callable[[], History] | None = None  # the portal's history (not with --demo)


# How long a command that failed waits for the history's opener before it ends: the opener's
# keyring calls each end within the store's time limit (5 s); it is usually done in 0.1 s.
SETTLE_SECONDS = 15.0


class HistoryAhead:
    """The history of a portal, opened on a thread of its own while the load waits for the
    portal: its code and the keyring's answer take about as long as the load's waits (a tenth
    of a second each), and then cost nothing. Called, it gives the history, or raises why there
    is none, as `open_history` does.

    A command that fails before it needs the history still waits for the opener (`settle`):
    a thread left inside an import or a keyring backend while the interpreter shuts down can
    end the process with an abort (SIGABRT, exit 134) instead of the command's exit code."""

    def __init__(self, portal: str) -> None:
        self._opened = threading.Event()
        self._history: History | None = None
        self._unavailable: str | None = None
        self._error: BaseException | None = None
        self._opening = threading.Thread(target=self._open, args=(portal,), name="zdesk-history")
        self._opening.daemon = True  # never keeps a process alive past its bound (settle)
        self._opening.start()

    def settle(self, timeout: float = SETTLE_SECONDS) -> bool:
        """Wait until the opener has ended (at most `timeout` seconds); True when it has."""
        self._opening.join(timeout)
        return not self._opening.is_alive()

    def _open(self, portal: str) -> None:
        try:
            # The history (and what it imports) is opened here, while the load waits.
            from zdesk.app.history import HistoryUnavailable, open_history

            self._history = open_history(portal)
        except HistoryUnavailable as exc:
            self._unavailable = str(exc)
        except BaseException as exc:  # raised where the history is asked for
            self._error = exc
        finally:
            self._opened.set()

    def __call__(self) -> History:
        self._opened.wait()
        if self._unavailable is not None:
            from zdesk.app.history import HistoryUnavailable

            # A new exception each time: one kept and raised again would hold the frames of
            # every caller, the project among their variables, until a collection.
            raise HistoryUnavailable(self._unavailable)
        if self._error is not None:
            raise self._error
        assert self._history is not None
        return self._history


def load_and_check(
    portal_arg: str | None,
    project_arg: int | None,
    demo: bool,
    only: list[str] | None = None,
    max_group_size: int | None = None,
    secrets: list[str] | None = None,
    previous: PreviousChoice | Literal["settings"] = "settings",
) -> Loaded:
    """`previous`: the previous project for the doorstroom (an id, None for none, AUTO for the
    rule); by default the one chosen for this portal in Bestand > Instellingen."""
    settings = Settings.load()
    options = check_options(settings, max_group_size)  # a wrong size is said before any request
    with linked_client(portal_arg, demo, settings, secrets) as client:
        # With --project the data is read at once; the project list only when it is needed
        # to choose (or to say which projects there are): no round trip before the data.
        info = None if project_arg is not None else choose_project(client, None)
        project_id = project_arg if info is None else info.id
        portal = client.portal.name
        history = None if demo else HistoryAhead(portal)  # the demo is made anew each run
        first = _FirstStage()  # the checks that need no pakketkeuzes, run while they come in
        try:
            # What the last run learned (refused rights, afdelingen): no probe round first.
            hints = LoadHints.from_json(read_hints(portal, project_id))
            try:
                chosen = settings.previous_for(portal) if previous == "settings" else previous
                project = load_project(
                    client,
                    project_id,
                    hints=hints,
                    info=info,
                    previous=chosen,
                    early=first.maker(options) if only is None else None,
                )
            except NotFound:
                if info is None:
                    choose_project(client, project_arg)  # says the project does not exist
                raise
        except Exception:
            if history is not None:
                history.settle()  # a fast failure ends after the opener, never during it
            raise
        write_hints(portal, project_id, project.hints.as_json())
    if only is None:
        from zdesk.domain.check_stages import checks_after

        return Loaded(project, checks_after(project, options, first.made), history)
    from zdesk.domain.checks import run_checks

    return Loaded(project, run_checks(project, only, options), history)


class _FirstStage:
    """The first stage of the checks (`domain.check_stages`), made by the load while the
    pakketkeuzes are on their way; None when the load had no such moment."""

    def __init__(self) -> None:
        self.made: EarlyChecks | None = None

    def maker(self, options: CheckOptions) -> Callable[[Project], None]:
        def early(project: Project) -> None:
            from zdesk.domain.check_stages import checks_before_choices

            self.made = checks_before_choices(project, options)

        return early
