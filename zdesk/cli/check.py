"""The commands without a window (`zdesk check`, `zdesk export`, `zdesk portal-report`): what they
print and write, and their exit codes; loading is `zdesk.app.load_and_check`'s.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Literal, TextIO

from zdesk.errors import FileProblem, ZdeskError
from zdesk.loading.loader import LoadHints, load_project
from zdesk.plaintext import PlainText
from zdesk.present.remedies import EXIT_OK, exit_code_for
from zdesk.store.load_hints import read_hints
from zdesk.store.settings import Settings

if TYPE_CHECKING:
    from zdesk.loading.previous import PreviousChoice

# The checks and what reports them are imported once a load is under way, not before its first
# request: the history's opener imports them while the portal answers (`HistoryAhead`).

from zdesk.app.load_and_check import (
    TOKEN_VARIABLE,
    HistoryAhead,
    Loaded,
    UsageProblem,
    check_options,
    choose_project,
    current_projects,
    linked_client,
    load_and_check,
    parse_previous,
)

__all__ = [
    "TOKEN_VARIABLE",
    "HistoryAhead",
    "Loaded",
    "UsageProblem",
    "check_options",
    "choose_project",
    "current_projects",
    "linked_client",
    "load_and_check",
    "report_json",
    "report_text",
    "run_check_command",
    "run_export_command",
    "run_portal_report_command",
]


def report_json(loaded: Loaded) -> dict[str, object]:
    from zdesk.domain.data_problems import repair_message, shown_example

    project = loaded.project
    return {
        "project": {"id": project.info.id, "name": project.info.label},
        # The project the doorstroom followed, or null (why: in skipped_checks).
        "previous_project": (
            None
            if project.previous_info is None
            else {"id": project.previous_info.id, "name": project.previous_info.label}
        ),
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
    from zdesk.domain.checks import CHECK_BY_ID, OBJECT_LABELS
    from zdesk.domain.data_problems import repair_message
    from zdesk.domain.severity import Severity
    from zdesk.loading.report import LABELS
    from zdesk.present.palette import tally

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
    if project.previous_info is not None:
        before = project.previous_info
        out.write(f"Doorstroom vanuit: {before.label} (id {before.id})\n")
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


def previous_arg(text: str | None) -> PreviousChoice | Literal["settings"]:
    """`--previous-project` as a choice; without it, the one in Bestand > Instellingen."""
    if text is None:
        return "settings"
    try:
        return parse_previous(text)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None


def run_check_command(
    portal: str | None,
    project: int | None,
    demo: bool,
    as_json: bool,
    only: list[str] | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    max_group_size: int | None = None,
    previous: str | None = None,
) -> int:
    # Every word of the command through the plain-text rule, the token left out once known.
    secrets: list[str] = []
    out, err = PlainText(out or sys.stdout, secrets), PlainText(err or sys.stderr, secrets)
    try:
        if only:
            from zdesk.domain.checks import CHECK_BY_ID

            unknown = sorted(set(only) - set(CHECK_BY_ID))
            if unknown:
                raise UsageProblem(
                    f"Onbekende controle: {', '.join(unknown)}. Kies uit: " + ", ".join(CHECK_BY_ID)
                )
        loaded = load_and_check(
            portal, project, demo, only, max_group_size, secrets, previous_arg(previous)
        )
    except (UsageProblem, ZdeskError) as exc:
        err.write(f"{exc}\n")
        return exit_code_for(exc)
    report = report_json(loaded) if as_json else None
    if loaded.history is not None and report is not None:
        from zdesk.cli.diff import mark_known_findings

        mark_known_findings(report, loaded.project, loaded.history)
    if report is not None:
        out.write_json(report)
    else:
        report_text(loaded, out)
    if loaded.history is not None:
        from zdesk.cli.diff import remember

        # The report first (a job reading the pipe has it at once), then this load is kept in
        # the history, still before the process ends.
        out.flush()
        remember(loaded.project, loaded.checks, complete=not only, err=err, opened=loaded.history)
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
    previous: str | None = None,
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
            portal,
            project,
            demo,
            max_group_size=max_group_size,
            secrets=secrets,
            previous=previous_arg(previous),
        )
        extra = {}
        if loaded.history is not None:
            from zdesk.cli.diff import history_statement, known_marks

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
        from zdesk.cli.diff import remember

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
