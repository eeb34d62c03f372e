"""Project + signaleringen -> one Excel workbook that reads well without zdesk (XlsxWriter).

The layout is a contract (see README): seven sheets in a fixed order (an eighth, "Wijzigingen",
when a comparison of two loads is shown), each with a bold, filled, frozen header row and an
autofilter, set up to print as a report. Ids and counts are numbers, times are Excel dates,
leerlingnummers are text; text is never turned into formulas or links.
The file is written in zdesk's private temporary folder and renamed into place, so a failure leaves
the old file and no temporary file outlives the export.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
import xlsxwriter.exceptions

from zdesk import __version__
from zdesk.domain.checks import CHECK_BY_ID, CheckRun, Finding
from zdesk.domain.data_problems import repair_message, without_example
from zdesk.domain.diff import (
    Comparison,
)
from zdesk.domain.formatie import Formatie, build_formatie
from zdesk.domain.known import KnownKey, KnownMark, known_key
from zdesk.domain.model import Project
from zdesk.errors import FileProblem
from zdesk.export.doorstroom_sheet import doorstroom_sheet
from zdesk.export.formatie_sheet import department_verdict, formatie_sheet
from zdesk.export.placing import InUse, file_problem, never_world_writable, place
from zdesk.export.rows import (
    change_rows,
    compared,
    finding_rows,
    group_rows,
    structure_rows,
    student_rows,
)
from zdesk.export.scratch import temporary_folder
from zdesk.export.sheet import DEFAULT_FORMAT, Formats, Sheet
from zdesk.present.palette import worst

SHEETS = (
    "Over deze export",
    "Formatie",
    "Doorstroom",
    "Structuur",
    "Roostergroepen",
    "Leerlingen",
    "Signaleringen",
)
CHANGES_SHEET = "Wijzigingen"
PRIVACY_LINE = (
    "Dit bestand bevat persoonsgegevens van leerlingen. Deel het alleen met wie het nodig heeft "
    "en verwijder het zodra het niet meer nodig is."
)
Progress = Callable[[float], None]


def default_filename(project: Project, today: dt.date | None = None) -> str:
    """`<project name> (zdesk dd-mm-yyyy).xlsx`, safe on every file system.

    The date is apart from the name, in the order Dutch readers use: after a name that ends in
    its school year, an ISO date read as one run of years ("2026-2027-2026-11-30").
    """
    day = (today or dt.date.today()).strftime("%d-%m-%Y")
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", project.info.label)
    name = re.sub(r"\s+", " ", name).strip(" .-")
    return f"{name or f'project {project.info.id}'} (zdesk {day}).xlsx"


def write_workbook(
    path: Path | str,
    project: Project,
    run: CheckRun,
    *,
    pseudonymise: bool = False,
    exported_at: dt.datetime | None = None,
    progress: Progress | None = None,
    scratch: Path | None = None,
    comparison: Comparison | None = None,
    known: dict[KnownKey, KnownMark] | None = None,
    history: str | None = None,
    secrets: Sequence[str] = (),
) -> Path:
    """Write the workbook to `path` atomically; raise FileProblem with a Dutch message.

    `scratch` is zdesk's private folder for temporary files (`store.paths.temp_root()`); every
    temporary file of the export lives in a folder of its own there and is removed afterwards.
    `comparison` adds the sheet "Wijzigingen"; `known` marks signaleringen "bekend" with their
    note; `history` says on the front sheet where and how long loads are kept. Each of
    `secrets` (the token) is replaced by *** wherever it occurs in the data.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileProblem(f"De map '{folder}' bestaat niet (meer). Kies een andere map.")
    try:
        # Every temporary file of the export (XlsxWriter's row files hold the Leerlingen sheet
        # with names) goes into one private folder of zdesk's own, removed however this ends.
        with temporary_folder("export", scratch) as work:
            book = work / "export.xlsx"
            extra = _Extra(comparison, known or {}, history)
            moment = exported_at or dt.datetime.now()
            _write(book, work, project, run, pseudonymise, moment, progress, extra, secrets)
            never_world_writable(book)
            place(book, target, work)
    except (OSError, InUse, xlsxwriter.exceptions.FileCreateError) as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc
        raise file_problem(cause, target) from None
    return target


class _Extra:
    """What the history adds to an export: a comparison, known marks, where loads are kept."""

    def __init__(
        self,
        comparison: Comparison | None,
        known: dict[KnownKey, KnownMark],
        history: str | None,
    ) -> None:
        self.comparison = comparison
        self.known = known
        self.history = history


def _write(
    tmp: Path,
    work: Path,
    project: Project,
    run: CheckRun,
    pseudonymise: bool,
    exported_at: dt.datetime,
    progress: Progress | None,
    extra: _Extra,
    secrets: Sequence[str] = (),
) -> None:
    report = progress or (lambda _f: None)
    book = xlsxwriter.Workbook(
        str(tmp),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "tmpdir": str(work),
            "default_format_properties": DEFAULT_FORMAT,
        },
    )
    formats = Formats(book)
    by_object = run.by_object()
    with_names = project.has_names and not pseudonymise

    def message(f: Finding) -> str:
        # A pseudonymised export shows no value the portal sent as an example of a data problem.
        hide = pseudonymise and f.check == "data-repaired"
        return without_example(f.message) if hide else f.message

    def flagged(kind: str, oid: int | str) -> tuple[Sequence[Finding], Any]:
        found = by_object.get((kind, oid), ())
        return found, worst(found)

    # The front sheet's verdicts and the sheet Formatie read one overview.
    formatie = build_formatie(project, run.options, run.findings, extra.known)
    sheets = [
        lambda: _about(project, run, pseudonymise, exported_at, extra, formatie),
        lambda: formatie_sheet(project, run, known=extra.known, formatie=formatie),
        lambda: doorstroom_sheet(project, by_object),
        lambda: structure_rows(project, flagged),
        lambda: group_rows(project, flagged),
        lambda: student_rows(project, flagged, with_names),
        lambda: finding_rows(project, run, with_names, extra.known, message),
    ]
    names: list[str] = list(SHEETS)
    if extra.comparison is not None:
        names.append(CHANGES_SHEET)
        sheets.append(lambda: change_rows(extra.comparison, message))  # type: ignore[arg-type]
    try:
        for i, (name, make) in enumerate(zip(names, sheets, strict=True)):
            headers, rows, *preamble = make()
            Sheet(book, name, headers, formats, *preamble, secrets=secrets).write_all(rows)
            report((i + 1) / (len(names) + 1))
        book.close()
    except BaseException:
        _discard(book)
        raise
    report(1.0)


def _discard(book: Any) -> None:
    """Close and remove the row files constant_memory keeps: they hold personal data. Never raises
    (a read-only disk): what stays is removed with the export's folder, or at the next start."""
    for ws in book.worksheets():
        handle = getattr(ws, "row_data_fh", None)
        with contextlib.suppress(OSError):
            if handle is not None and not handle.closed:
                handle.close()
        name = getattr(ws, "row_data_filename", None)
        with contextlib.suppress(OSError):
            if name:
                Path(name).unlink(missing_ok=True)


def _local(moment: dt.datetime) -> dt.datetime:
    """A time as Excel keeps it: local, without a time zone, to the second."""
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _about(
    project: Project,
    run: CheckRun,
    pseudonymise: bool,
    exported_at: dt.datetime,
    extra: _Extra,
    formatie: Formatie | None = None,
):
    loaded = _local(dt.datetime.fromtimestamp(project.loaded_at))
    counts = project.counts()
    labels = {
        "branches": "Vestigingen",
        "departments": "Afdelingen",
        "choosables": "Keuzevakken",
        "planned_groups": "Geplande groepen",
        "groups": "Roostergroepen",
        "placements": "Afdelingsdeelnames",
        "students": "Leerlingen",
    }
    if pseudonymise:
        names = "weggelaten (alleen leerlingnummers)"
    elif not project.has_names:
        names = "niet beschikbaar (geen leesrecht); alleen leerlingnummers"
    else:
        names = "opgenomen"
    rows: list[tuple[list[Any], Any]] = [
        (["Project", project.info.label], None),
        (["Project-id", project.info.id], None),
        (["Portaal", project.portal], None),
        (["Bron", f"Zermelo-portaal '{project.portal}', alleen gelezen"], None),
        (["Geladen op", loaded], None),
        (["Geëxporteerd op", _local(exported_at)], None),
        (["zdesk-versie", __version__], None),
        (["Leerlingnamen", names], None),
    ]
    # What a teamleider reads first: per afdeling, ready for the handover or why not.
    if formatie is None:
        formatie = build_formatie(project, run.options, run.findings, extra.known)
    for r in formatie.rows:
        where = f"{r.department.label} ({r.branch.label})" if r.branch else r.department.label
        rows.append(([f"Afdeling {where}", department_verdict(r)], None))
    rows += [([f"Aantal {labels[k].lower()}", v], None) for k, v in counts.items()]
    counts_by_check = run.counts()
    for check in CHECK_BY_ID.values():
        if check.id in counts_by_check:
            rows.append(([f"Signaleringen: {check.title}", counts_by_check[check.id]], None))
    for m in project.missing_rights:
        what = f"{m.endpoint}, veld {m.field}" if m.field else m.endpoint
        label = "Bestaat niet in dit portaal" if m.unknown else "Ontbrekend leesrecht"
        rows.append(([label, what], None))
    for s in run.skipped:
        rows.append(([f"Controle overgeslagen: {CHECK_BY_ID[s.check].title}", s.reason], None))
    if project.names_unavailable_because:
        rows.append(
            (["Namen", f"niet beschikbaar, omdat {project.names_unavailable_because}"], None)
        )
    for repair in project.repairs:
        rows.append(
            (["Gegevensprobleem", repair_message(repair, with_example=not pseudonymise)], None)
        )
    known = sum(1 for f in run.findings if known_key(f) in extra.known)
    if known:
        rows.append((["Signaleringen bekend (met notitie)", known], None))
    if extra.comparison is not None:
        rows.append((["Vergeleken met", compared(extra.comparison)], None))
    rows.append((["Privacy", PRIVACY_LINE], None))
    if extra.history:
        rows.append((["Geschiedenis", extra.history], None))
    return ("Onderdeel", "Waarde"), rows
