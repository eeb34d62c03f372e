"""The commands without a window (`zdesk check`, `zdesk export`): link, pick a project, load.

Linking takes the token from ZDESK_TOKEN or the keyring entry of the portal; `--demo` starts the
embedded fake portal and links to it with one of its koppelcodes, the same way the app does.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from zdesk.domain.checks import CHECK_BY_ID, OBJECT_LABELS, CheckOptions, CheckRun, run_checks
from zdesk.domain.data_problems import repair_message, shown_example
from zdesk.domain.model import Project, ProjectInfo
from zdesk.domain.schoolyear import current_school_year, is_current
from zdesk.domain.severity import Severity
from zdesk.errors import FileProblem, ZdeskError
from zdesk.loading.loader import LoadHints, load_project
from zdesk.plaintext import PlainText
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import NotFound, NotLinked
from zdesk.portal.names import normalise_portal
from zdesk.present.palette import tally
from zdesk.present.remedies import EXIT_OK, exit_code_for
from zdesk.store.load_hints import read_hints, write_hints
from zdesk.store.settings import MAX_GROUP_SIZES, Settings

if TYPE_CHECKING:
    from zdesk.app.history import History

TOKEN_VARIABLE = "ZDESK_TOKEN"


class UsageProblem(Exception):
    """The command cannot run as asked; the text says why (exit code 2)."""

    kind = "usage"


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
            # What remembering the load needs later is imported here too, while the load waits.
            from zdesk.commands.diff import HistoryUnavailable, open_history

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
) -> Loaded:
    settings = Settings.load()
    options = check_options(settings, max_group_size)  # a wrong size is said before any request
    with linked_client(portal_arg, demo, settings, secrets) as client:
        # With --project the data is read at once; the project list only when it is needed
        # to choose (or to say which projects there are): no round trip before the data.
        info = None if project_arg is not None else choose_project(client, None)
        project_id = project_arg if info is None else info.id
        portal = client.portal.name
        history = None if demo else HistoryAhead(portal)  # the demo is made anew each run
        try:
            # What the last run learned (refused rights, afdelingen): no probe round first.
            hints = LoadHints.from_json(read_hints(portal, project_id))
            try:
                project = load_project(client, project_id, hints=hints, info=info)
            except NotFound:
                if info is None:
                    choose_project(client, project_arg)  # says the project does not exist
                raise
        except Exception:
            if history is not None:
                history.settle()  # a fast failure ends after the opener, never during it
            raise
        write_hints(portal, project_id, project.hints.as_json())
    return Loaded(project, run_checks(project, only, options), history)


def report_json(loaded: Loaded) -> dict[str, object]:
    project = loaded.project
    return {
        "project": {"id": project.info.id, "name": project.info.label},
        "counts": project.counts(),
        "missing_rights": [
            {"endpoint": m.endpoint, "field": m.field, "reason": m.reason}
            for m in project.missing_rights
        ],
        "skipped_checks": [{"check": s.check, "reason": s.reason} for s in loaded.checks.skipped],
        "names_unavailable_because": project.names_unavailable_because or None,
        "data_problems": [
            r.as_json() | {"example": shown_example(r), "message": repair_message(r)}
            for r in project.repairs
        ],
        "default_max_group_size": loaded.checks.options.default_max_group_size,
        "findings": [f.as_json() for f in loaded.checks.findings],
    }


def report_text(loaded: Loaded, out: TextIO, examples: int = 5) -> None:
    if not isinstance(out, PlainText):
        out = PlainText(out)  # type: ignore[assignment]
    project, run = loaded.project, loaded.checks
    c = project.counts()
    out.write(f"Project: {project.info.label} (id {project.info.id}, portaal {project.portal})\n")
    out.write(
        f"{c['branches']} vestigingen, {c['departments']} afdelingen, {c['choosables']} "
        f"keuzevakken, {c['planned_groups']} geplande groepen, {c['groups']} roostergroepen, "
        f"{c['placements']} afdelingsdeelnames van {c['students']} leerlingen.\n"
    )
    from zdesk.domain.checks import CHECK_BY_ID
    from zdesk.loading.report import LABELS

    for m in project.missing_rights:
        # In words, with the portal's names after them (what the administrator looks for).
        raw = f"{m.endpoint}, veld {m.field}" if m.field else m.endpoint
        words = LABELS.get(m.endpoint)
        what = f"{words} ({raw})" if words else raw
        out.write(
            f"Bestaat niet in dit portaal: {what}\n" if m.unknown else f"Geen leesrecht: {what}\n"
        )
    for s in run.skipped:
        check = CHECK_BY_ID.get(s.check)
        out.write(f"Controle {check.title if check else s.check} ({s.check}) {s.reason}\n")
    if project.names_unavailable_because:
        out.write(f"Namen niet beschikbaar, omdat {project.names_unavailable_because}\n")
    for repair in project.repairs:
        out.write(f"Gegevensprobleem: {repair_message(repair)}\n")
    per_severity = tally(run.findings)
    out.write(
        f"\n{len(run.findings)} signaleringen: {per_severity[Severity.FOUT]} fouten, "
        f"{per_severity[Severity.WAARSCHUWING]} waarschuwingen, "
        f"{per_severity[Severity.INFO]} ter informatie.\n"
    )
    counts = run.counts()
    for check_id, n in counts.items():
        out.write(f"\n{CHECK_BY_ID[check_id].title} ({check_id}): {n}\n")
        shown = [f for f in run.findings if f.check == check_id][:examples]
        for f in shown:
            out.write(
                f"  [{f.severity}] {OBJECT_LABELS[f.object_type]} {f.object_id}: {f.message}\n"
            )
        if n > len(shown):
            out.write(f"  ... en nog {n - len(shown)} (alles: zdesk check --json)\n")


def run_check_command(
    portal: str | None,
    project: int | None,
    demo: bool,
    as_json: bool,
    only: list[str] | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    max_group_size: int | None = None,
) -> int:
    # Every word of the command through the plain-text rule, the token left out once known.
    secrets: list[str] = []
    out, err = PlainText(out or sys.stdout, secrets), PlainText(err or sys.stderr, secrets)
    try:
        if only:
            unknown = sorted(set(only) - set(CHECK_BY_ID))
            if unknown:
                raise UsageProblem(
                    f"Onbekende controle: {', '.join(unknown)}. Kies uit: " + ", ".join(CHECK_BY_ID)
                )
        loaded = load_and_check(portal, project, demo, only, max_group_size, secrets)
    except (UsageProblem, ZdeskError) as exc:
        err.write(f"{exc}\n")
        return exit_code_for(exc)
    report = report_json(loaded) if as_json else None
    if loaded.history is not None:
        from zdesk.commands.diff import mark_known_findings, remember

        remember(loaded.project, loaded.checks, complete=not only, err=err, opened=loaded.history)
        if report is not None:
            mark_known_findings(report, loaded.project, loaded.history)
    if report is not None:
        out.write_json(report)
    else:
        report_text(loaded, out)
    return EXIT_OK


def run_export_command(
    target: str,
    portal: str | None,
    project: int | None,
    demo: bool,
    pseudonymise: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
    max_group_size: int | None = None,
) -> int:
    from pathlib import Path

    from zdesk.export.xlsx import write_workbook
    from zdesk.store.paths import temp_root

    secrets: list[str] = []
    out, err = PlainText(out or sys.stdout, secrets), PlainText(err or sys.stderr, secrets)
    path = Path(target)
    try:
        if path.suffix.lower() != ".xlsx":
            raise UsageProblem(f"Het exportbestand moet eindigen op .xlsx (niet '{path.name}').")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise FileProblem(f"De map '{folder}' bestaat niet. Kies een bestaande map.")
        loaded = load_and_check(
            portal, project, demo, max_group_size=max_group_size, secrets=secrets
        )
        extra = {}
        if loaded.history is not None:
            from zdesk.commands.diff import history_statement, known_marks

            extra = {
                "known": known_marks(loaded.project, loaded.history),
                "history": history_statement(loaded.project.portal, loaded.history),
            }
        write_workbook(
            path,
            loaded.project,
            loaded.checks,
            pseudonymise=pseudonymise,
            scratch=temp_root(),
            secrets=secrets,
            **extra,
        )
    except (UsageProblem, ZdeskError) as exc:
        err.write(f"{exc}\n")
        return exit_code_for(exc)
    if loaded.history is not None:
        from zdesk.commands.diff import remember

        remember(loaded.project, loaded.checks, complete=True, err=err, opened=loaded.history)
    out.write(
        f"Geëxporteerd naar {path} ({loaded.project.info.label}, "
        f"{len(loaded.checks.findings)} signaleringen"
        + (", zonder namen" if pseudonymise or not loaded.project.has_names else "")
        + ").\n"
    )
    return EXIT_OK


def run_portal_report_command(
    out_path: str,
    portal: str | None,
    project: int | None,
    demo: bool,
    with_portal_name: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`zdesk portal-report`: load the project, then describe how the portal answers."""
    from zdesk.app.portal_report import make_report, report_text, write_report

    out, err = out or sys.stdout, err or sys.stderr
    try:
        settings = Settings.load()
        with linked_client(portal, demo, settings) as client:
            info = None if project is not None else choose_project(client, None)
            project_id = project if info is None else info.id
            hints = LoadHints.from_json(read_hints(client.portal.name, project_id))
            loaded = load_project(client, project_id, hints=hints, info=info)
            report = make_report(client, loaded, with_portal_name=with_portal_name)
        write_report(out_path, report)
    except (UsageProblem, ZdeskError) as exc:
        err.write(f"{exc}\n")
        return exit_code_for(exc)
    PlainText(out).write(report_text(report))
    return EXIT_OK
