"""The history in the commands without a window: `zdesk diff`, and every check/export remembered.

`zdesk diff` reads only the history on this computer (no portal is asked): it compares the newest
saved load of a project with the newest one on or before --since (default: the one before it).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TextIO

from zdesk.app.history import (
    History,
    HistoryUnavailable,
    SavedLoad,
    Snapshot,
    open_history,
    retention_of,
    statement,
)
from zdesk.domain.checks import CheckRun
from zdesk.domain.diff import WHAT_LABELS, Comparison, compare, describe, rights_changed_text
from zdesk.domain.findings import OBJECT_LABELS, Finding
from zdesk.domain.known import KnownKey, KnownMark, known_key
from zdesk.domain.model import Project
from zdesk.domain.when import table_moment
from zdesk.errors import ZdeskError, os_reason
from zdesk.plaintext import PlainText
from zdesk.portal.names import normalise_portal
from zdesk.store.settings import Settings

log = logging.getLogger(__name__)

EXIT_OK, EXIT_USAGE, EXIT_FILE = 0, 2, 5


class DiffProblem(Exception):
    """`zdesk diff` cannot compare as asked; the text says why."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# The history of a portal, or the HistoryUnavailable that says why not: opened here when asked
# for, or by the caller while it waited for the portal (`zdesk.cli.check`).
Opener = Callable[[], History]


def _opener(portal: str, opened: Opener | None) -> Opener:
    return opened if opened is not None else lambda: open_history(portal)


def remember(
    project: Project,
    checks: CheckRun,
    complete: bool,
    err: TextIO | None,
    opened: Opener | None = None,
) -> None:
    """Keep this load in the history; a history that cannot be kept never fails the command."""
    try:
        history = _opener(project.portal, opened)()
        history.save(project, checks, complete=complete, retention=retention_of(Settings.load()))
    except HistoryUnavailable as exc:
        if err is not None:
            err.write(f"Niet bewaard in de geschiedenis: {exc}\n")
    except (OSError, ZdeskError) as exc:
        # The system's own text is English (or the system's language): the reason in Dutch.
        why = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        log.warning("Lading niet bewaard in de geschiedenis: %s", why)
        if err is not None:
            err.write(f"Niet bewaard in de geschiedenis: {why}\n")


def history_statement(portal: str, opened: Opener | None = None) -> str:
    try:
        _opener(portal, opened)()
    except HistoryUnavailable:
        return statement(portal, retention_of(Settings.load()), available=False, where=False)
    return statement(portal, retention_of(Settings.load()), where=False)


def known_marks(project: Project, opened: Opener | None = None) -> dict[KnownKey, KnownMark]:
    try:
        return _opener(project.portal, opened)().known(project.info.id)
    except (HistoryUnavailable, OSError):
        return {}


def mark_known_findings(
    report: dict[str, Any], project: Project, opened: Opener | None = None
) -> None:
    """`check --json`'s findings: known ones get "known": true and their note."""
    marks = known_marks(project, opened)
    for finding in report.get("findings", ()):
        mark = marks.get((finding["check"], finding["object_type"], finding["object_id"]))
        if mark is not None:
            finding["known"] = True
            finding["note"] = mark.note


def finding_json(finding: Finding, marks: dict[KnownKey, KnownMark]) -> dict[str, object]:
    """A finding as `check --json` reports it: known ones with "known": true and the note."""
    out = finding.as_json()
    mark = marks.get(known_key(finding))
    if mark is not None:
        out["known"] = True
        out["note"] = mark.note
    return out


# ---- zdesk diff ---------------------------------------------------------------------------------


def _portal_name(portal_arg: str | None) -> str:
    name = portal_arg or Settings.load().last_portal
    if not name:
        raise DiffProblem(
            "Geef het portaal op met --portal (of koppel eerst een portaal in zdesk)."
        )
    return normalise_portal(name).name


def _project_id(history: History, project_arg: int | None, portal: str) -> int:
    if project_arg is not None:
        return project_arg
    projects = sorted({s.project for s in history.loads()})
    if len(projects) == 1:
        return projects[0]
    last = Settings.load().last_project.get(portal)
    if last in projects:
        return last
    if not projects:
        raise DiffProblem(f"Er zijn nog geen ladingen van '{portal}' bewaard op deze computer.")
    raise DiffProblem(
        "De geschiedenis heeft ladingen van meer projecten; kies er een met --project ID: "
        + ", ".join(map(str, projects))
    )


def _since(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DiffProblem(f"'{text}' is geen datum; schrijf die als JJJJ-MM-DD.") from None


def load_pair(history: History, project_id: int, since: date | None) -> tuple[Snapshot, Snapshot]:
    """(older, newer): the newest readable load, and the newest readable one on or before `since`
    (default: the one before the newest)."""
    loads = history.loads(project_id)
    newest = history.first_readable(loads)
    if newest is None:
        if loads:
            raise DiffProblem(
                "Geen enkele bewaarde lading van dit project is leesbaar:\n"
                + "\n".join(history.problems),
                EXIT_FILE,
            )
        raise DiffProblem(f"Er zijn nog geen ladingen van project {project_id} bewaard.")
    earlier: list[SavedLoad] = [s for s in loads if s.loaded_at < newest.saved.loaded_at]
    if since is not None:
        earlier = [s for s in earlier if s.when.date() <= since]
    older = history.first_readable(earlier)
    if older is None:
        when = f"op of vóór {since.isoformat()}" if since else "van vóór de nieuwste"
        raise DiffProblem(f"Er is geen bewaarde lading {when} om mee te vergelijken.")
    return older, newest


def comparison_of(older: Snapshot, newer: Snapshot) -> Comparison:
    return compare(older.project, newer.project, older.checks.findings, newer.checks.findings)


def _stamp(moment: float) -> str:
    return table_moment(datetime.fromtimestamp(moment))


def report_text(result: Comparison, project: Project, out: TextIO) -> None:
    out.write(
        f"Project: {project.info.label} (id {project.info.id}, portaal {project.portal})\n"
        f"Vergeleken: {_stamp(result.before_loaded_at)} met {_stamp(result.after_loaded_at)}\n"
    )
    counts = result.counts()
    out.write(
        f"\n{len(result.changes)} wijzigingen: {counts['added']} nieuw, {counts['removed']} "
        f"verdwenen, {counts['changed']} gewijzigd.\n"
    )
    for change in result.changes:
        out.write(f"  {describe(change)}\n")
    for what, findings in (
        ("nieuw", result.new_findings),
        ("opgelost", result.resolved_findings),
    ):
        out.write(f"\nSignaleringen {what}: {len(findings)}\n")
        for f in findings:
            out.write(
                f"  [{f.severity}] {OBJECT_LABELS[f.object_type]} {f.object_id}: {f.message}\n"
            )
    for object_type in result.not_compared:
        out.write(f"Niet vergeleken: {OBJECT_LABELS[object_type]} (in één lading niet leesbaar)\n")
    for aspect in result.rights_changed:
        what = WHAT_LABELS.get(aspect[1], aspect[1])
        out.write(f"{OBJECT_LABELS[aspect[0]]}, {what}: {rights_changed_text(aspect)}\n")


def report_json(result: Comparison, marks: dict[KnownKey, KnownMark]) -> dict[str, object]:
    shaped = result.as_json()
    shaped["findings"] = {
        "new": [finding_json(f, marks) for f in result.new_findings],
        "resolved": [finding_json(f, marks) for f in result.resolved_findings],
    }
    return shaped


def run_diff_command(
    portal: str | None,
    project: int | None,
    since: str | None,
    as_json: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    # Names as the portal gave them (a renamed group) pass the plain-text rule on their way out.
    out, err = PlainText(out or sys.stdout), PlainText(err or sys.stderr)
    try:
        name = _portal_name(portal)
        history = open_history(name)
        project_id = _project_id(history, project, name)
        older, newer = load_pair(history, project_id, _since(since))
    except DiffProblem as exc:
        err.write(f"{exc}\n")
        return exc.code
    except HistoryUnavailable as exc:
        err.write(f"{exc}\n")
        return EXIT_FILE
    except ZdeskError as exc:  # a portal name that cannot be one
        err.write(f"{exc}\n")
        return EXIT_USAGE
    for problem in history.problems:
        err.write(f"{problem}\n")
    result = comparison_of(older, newer)
    if as_json:
        marks = history.known(project_id)
        out.write_json(report_json(result, marks))
    else:
        report_text(result, newer.project, out)
    return EXIT_OK
