"""Project + signaleringen -> one Excel workbook that reads well without zdesk (XlsxWriter).

The layout is a contract (see README): six sheets in a fixed order (a seventh, "Wijzigingen",
when a comparison of two loads is shown), each with a bold, filled, frozen header row and an
autofilter, set up to print as a report. Ids and counts are numbers, times are Excel dates,
leerlingnummers are text; text is never turned into formulas or links.
The file is written in zdesk's private temporary folder and renamed into place, so a failure leaves
the old file and no temporary file outlives the export.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import stat
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
import xlsxwriter.exceptions

from zdesk import __version__
from zdesk.domain.checks import CHECK_BY_ID, OBJECT_LABELS, CheckRun, Finding
from zdesk.domain.data_problems import repair_message, without_example
from zdesk.domain.diff import (
    CHANGE_LABELS,
    NOT_COMPARED,
    WHAT_LABELS,
    Comparison,
    describe,
    rights_changed_text,
)
from zdesk.domain.known import KnownKey, KnownMark, known_key
from zdesk.domain.locate import place_labels
from zdesk.domain.model import Project
from zdesk.domain.when import table_moment
from zdesk.errors import FileProblem, os_reason, scrub
from zdesk.export.formatie_sheet import formatie_sheet
from zdesk.export.scratch import OUTSIDE_PREFIX, note_outside, temporary_folder
from zdesk.present.palette import STYLES, worst
from zdesk.present.portal_paths import remedy_text
from zdesk.present.words import subject_type, with_student_name, yes_no

SHEETS = (
    "Over deze export",
    "Formatie",
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
MAX_WIDTH = 60
# Columns whose text stays text whatever it looks like: leerlingnummers keep their leading zeros.
TEXT_COLUMNS = frozenset({"Leerlingnummer", "Object-id"})
DATE_FORMAT = "dd-mm-yyyy hh:mm"
HEADER_FILL = "#E3E7ED"  # a quiet grey-blue, apart from the severities' colours
FOOTER = "&L&A&RPagina &P van &N"  # sheet name left, page number right
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


def _titles(findings: Sequence[Finding]) -> str:
    return "; ".join(dict.fromkeys(CHECK_BY_ID[f.check].title for f in findings))


class _Sheet:
    """One worksheet: header, widths from the data, highlight per row, filter, print setup."""

    def __init__(
        self,
        book: Any,
        name: str,
        headers: Sequence[str],
        formats: _Formats,
        preamble: Sequence[str] = (),
        *,
        secrets: Sequence[str] = (),
    ) -> None:
        self.ws = book.add_worksheet(name)
        self.secrets = tuple(s for s in secrets if s)
        self.name = name
        self.headers = headers
        self.formats = formats
        self.preamble = preamble  # lines above the header (which loads a comparison is of)
        self.rows = 0
        # A header wraps at its spaces: its longest word sets the least width.
        self.widths = [max(8, max(map(len, h.split()), default=0) + 2) for h in headers]
        self.text = [h in TEXT_COLUMNS for h in headers]

    def write_all(self, rows: Iterable[tuple[Sequence[Any], Any]]) -> None:
        buffered = list(rows)
        if self.secrets:  # a token the portal echoed in its data never reaches the file
            buffered = [
                ([scrub(v, *self.secrets) if isinstance(v, str) else v for v in values], severity)
                for values, severity in buffered
            ]
        # constant_memory writes row by row: widths must be set before the first cell.
        for values, _ in buffered[:500]:
            for i, value in enumerate(values):
                shown = DATE_FORMAT if isinstance(value, dt.datetime) else str(value)
                self.widths[i] = max(self.widths[i], min(MAX_WIDTH, len(shown) + 2))
        ws, formats, text = self.ws, self.formats, self.text
        # Long texts wrap within a capped column, so the sheet fits a page at readable size.
        wrapped = [
            h in WRAPPED or (self.widths[i] > WRAP_AT and not self.text[i])
            for i, h in enumerate(self.headers)
        ]
        for i, width in enumerate(self.widths):
            if wrapped[i]:
                self.widths[i] = width = min(width, WRAPPED.get(self.headers[i], WRAP_AT))
            ws.set_column(i, i, width, formats.wrapped if wrapped[i] else None)
        top = len(self.preamble)
        for r, line in enumerate(self.preamble):
            ws.write_string(r, 0, line)
        widths = self.widths
        header_lines = max(_lines(h, w) for h, w in zip(self.headers, widths, strict=True))
        if header_lines > 1:
            ws.set_row(top, LINE_HEIGHT * header_lines)
        ws.write_row(top, 0, self.headers, formats.header)
        columns = [c for c, on in enumerate(wrapped) if on]
        for r, (values, severity) in enumerate(buffered, start=top + 1):
            plain = formats.cell(severity, None)
            # A wrapped text makes its row as tall as its lines (no program has to guess).
            lines = max(
                (_lines(v, widths[c]) for c in columns if isinstance(v := values[c], str)),
                default=1,
            )
            if lines > 1:
                ws.set_row(r, LINE_HEIGHT * lines)
            for c, value in enumerate(values):
                if isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value, formats.cell(severity, "date"))
                elif text[c] and isinstance(value, str):
                    ws.write_string(r, c, value, formats.cell(severity, "text"))
                elif wrapped[c]:
                    ws.write(r, c, value, formats.cell(severity, "wrap"))
                else:
                    ws.write(r, c, value, plain)
        self.rows = len(buffered)
        ws.freeze_panes(top + 1, 0)
        last = len(self.headers) - 1
        ws.autofilter(top, 0, top + max(self.rows, 1), last)
        if any(text):  # leerlingnummers are text on purpose: no green corner on every cell
            end = f"{_column_letter(last)}{top + self.rows + 1}"
            ws.ignore_errors({"number_stored_as_text": f"A1:{end}"})
        portrait = self.name in PORTRAIT
        if portrait:
            ws.set_portrait()
        else:
            ws.set_landscape()
        ws.set_paper(9)  # A4
        # Shrunk to one page wide only while the text stays readable (at least 8 points of 11):
        # a fixed scale, not "fit to width", which a spreadsheet program may shrink further;
        # a sheet wider than that prints at 8 points over more pages, never smaller.
        needed = print_scale(self.widths, portrait)
        scale = max(MIN_SCALE, needed)
        if scale < 100:
            ws.set_print_scale(scale)
        if needed < MIN_SCALE and self.name in KEY_COLUMNS:  # more than one page wide
            ws.repeat_columns(0, KEY_COLUMNS[self.name] - 1)
        ws.repeat_rows(top)
        ws.set_footer(FOOTER)


# Printing: A4 less the default margins (0,7" each side); a column of width w (in characters of
# the default 11-point font) prints about 2,6 w mm wide (measured on LibreOffice's PDF; Excel
# needs less). No sheet prints below 8 of 11 points.
PRINTABLE_MM = {False: 297 - 36, True: 210 - 36}  # landscape, portrait
CHAR_MM = 2.6
MIN_SCALE = 73  # percent: 8 points of 11
PORTRAIT = frozenset({"Signaleringen"})
# Long texts wrap within a column of this many characters.
WRAPPED = {
    "Melding": 40,
    "Oplossen in het portaal": 20,
    "Notitie": 16,
    "Controle": 18,
    "Onderdeel": 36,
    "Waarde": 60,
}
WRAP_AT = 32  # any other column wider than this wraps
# What names a row, repeated at the left of every page when a sheet is wider than one page.
KEY_COLUMNS = {"Formatie": 4, "Structuur": 3, "Roostergroepen": 2, "Leerlingen": 2}


LINE_HEIGHT = 15  # points: a line of the default 11-point font
MAX_LINES = 12


def _lines(text: str, width: float) -> int:
    """How many lines a text wraps to in a column this wide (by words, roughly)."""
    room = max(1, int(width) - 1)
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, 0
        used += len(word) + (1 if used else 0)
        lines += (used - 1) // room if used > room else 0
        used = used % room if used > room else used
    return min(lines, MAX_LINES)


def print_scale(widths: Sequence[float], portrait: bool) -> int:
    """The percentage (at most 100) a sheet of these column widths needs to print one page
    wide, on the safe side."""
    needed = sum(CHAR_MM * w for w in widths)
    return min(100, int(97 * PRINTABLE_MM[portrait] / needed)) if needed else 100


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Formats:
    """The workbook's cell formats: one per severity (or none) and kind of cell, made once."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.header = book.add_format(
            {
                "bold": True,
                "bottom": 1,
                "bg_color": HEADER_FILL,
                "pattern": 1,
                "text_wrap": True,
                "valign": "top",
            }
        )
        self._cells: dict[tuple[Any, str | None], Any] = {}
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})

    def cell(self, severity: Any, kind: str | None) -> Any:
        key = (severity, kind)
        if key not in self._cells:
            # Top-aligned, so a row with a wrapped text reads from its first line.
            spec: dict[str, Any] = {"valign": "top"}
            if severity is not None:
                spec["bg_color"] = STYLES[severity].light
            if kind == "date":
                spec["num_format"] = DATE_FORMAT
            elif kind == "text":
                spec["num_format"] = "@"
            elif kind == "wrap":
                spec.update(text_wrap=True, valign="top")
            self._cells[key] = self.book.add_format(spec)
        return self._cells[key]


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
            _never_world_writable(book)
            _place(book, target, work)
    except (OSError, _InUse, xlsxwriter.exceptions.FileCreateError) as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc
        raise _file_problem(cause, target) from None
    return target


class _InUse(Exception):
    """The target exists and the system would not replace it: another program holds it open."""


def _place(book: Path, target: Path, work: Path) -> None:
    """Move the finished workbook into place in one step, so a failure leaves the old file."""
    try:
        _replace(book, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    # The target is on another disk: copy beside it, then rename there (atomic on one disk).
    # The copy is noted in the job's folder, so a kill before the rename is swept at next start.
    beside = target.parent / f"{OUTSIDE_PREFIX}{uuid.uuid4().hex[:12]}.xlsx.tmp"
    note_outside(work, beside)
    try:
        shutil.copyfile(book, beside)
        _never_world_writable(beside)
        _replace(beside, target)
    finally:
        with contextlib.suppress(OSError):
            beside.unlink(missing_ok=True)


def _never_world_writable(path: Path) -> None:
    """An export gets the mode the user's umask gives, but never writable by everyone (a umask
    of 000 would make it 0666): it holds personal data."""
    if os.name == "posix":
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & stat.S_IWOTH:
            os.chmod(path, mode & ~stat.S_IWOTH)


# Windows refuses to replace a file another program holds open (access denied, or a sharing
# violation); elsewhere a refused rename means a folder one may not write in.
_OPEN_FILES_ARE_LOCKED = os.name == "nt"


def _replace(source: Path, target: Path) -> None:
    """os.replace, telling a workbook held open (by Excel) from a folder one may not write in."""
    try:
        os.replace(source, target)
    except PermissionError as exc:
        held = _OPEN_FILES_ARE_LOCKED or any(p.exists() for p in _owner_files(target))
        if target.is_file() and held:
            raise _InUse() from exc
        raise


def _owner_files(target: Path) -> tuple[Path, ...]:
    """Where Excel (Windows and macOS) marks a workbook it has open: '~$' before the name, or
    in place of its first two letters (longer names)."""
    return (target.with_name("~$" + target.name), target.with_name("~$" + target.name[2:]))


# Windows' errors of a network drive or share that went away (winerror): the network path or
# name not found, the network name deleted, the network not reachable, the connection aborted.
_NETWORK_GONE_WINDOWS = frozenset({51, 53, 59, 64, 67, 1222, 1231, 1236})
_NETWORK_GONE_POSIX = frozenset(
    {errno.ESTALE, errno.ENOTCONN, errno.EHOSTDOWN, errno.EHOSTUNREACH, errno.ENETDOWN,
     errno.ENETUNREACH, errno.ECONNABORTED, errno.ECONNRESET}
)  # fmt: skip
# A path too long for Windows without long-path support (ERROR_FILENAME_EXCED_RANGE) or a name
# too long for the file system.
_TOO_LONG_WINDOWS = frozenset({206})
MAX_NAME = 255  # characters of one name on NTFS, APFS, ext4


def _file_problem(exc: Exception, target: Path) -> FileProblem:
    if isinstance(exc, _InUse):
        return FileProblem(
            "Het bestand is geopend in Excel; sluit het en kies Opnieuw proberen. (Het oude "
            f"'{target.name}' is niet veranderd; met Andere plek kiezen slaat u het elders op.)"
        )
    if not isinstance(exc, OSError):
        return FileProblem(
            f"'{target.name}' kon niet worden opgeslagen (fout bij het schrijven: "
            f"{type(exc).__name__})."
        )
    winerror = getattr(exc, "winerror", None)
    if winerror in _NETWORK_GONE_WINDOWS or exc.errno in _NETWORK_GONE_POSIX:
        return FileProblem(
            f"De netwerkmap van '{target.name}' is niet (meer) bereikbaar; het bestand is niet "
            "opgeslagen. Controleer de verbinding en kies Opnieuw proberen, of kies een andere "
            "plek."
        )
    too_long = winerror in _TOO_LONG_WINDOWS or exc.errno == errno.ENAMETOOLONG
    if too_long or len(target.name) > MAX_NAME:
        return FileProblem(
            f"Het pad van '{target.name}' is te lang voor deze computer (op Windows meestal meer "
            "dan 260 tekens); het bestand is niet opgeslagen. Kies een map dichter bij de schijf "
            "of een kortere naam."
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return FileProblem(
            f"De schijf is vol; '{target.name}' is niet opgeslagen. Maak ruimte vrij of kies "
            "een andere map."
        )
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return FileProblem(
            f"'{target.name}' kan niet worden opgeslagen: het bestand is geopend in een ander "
            "programma (Excel?) of de map is alleen-lezen. Sluit het bestand of kies een andere "
            "map en probeer het opnieuw."
        )
    if isinstance(exc, FileNotFoundError):
        return FileProblem(
            f"De map van '{target.name}' bestaat niet (meer), of is een netwerkmap die niet "
            "bereikbaar is. Kies een andere map, of kies Opnieuw proberen als de map terug is."
        )
    return FileProblem(f"'{target.name}' kon niet worden opgeslagen ({os_reason(exc)}).")


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
        },
    )
    formats = _Formats(book)
    by_object = run.by_object()
    with_names = project.has_names and not pseudonymise

    def message(f: Finding) -> str:
        # A pseudonymised export shows no value the portal sent as an example of a data problem.
        hide = pseudonymise and f.check == "data-repaired"
        return without_example(f.message) if hide else f.message

    def flagged(kind: str, oid: int | str) -> tuple[Sequence[Finding], Any]:
        found = by_object.get((kind, oid), ())
        return found, worst(found)

    sheets = [
        lambda: _about(project, run, pseudonymise, exported_at, extra),
        lambda: formatie_sheet(project, run, known=extra.known),
        lambda: _structure(project, flagged),
        lambda: _groups(project, flagged),
        lambda: _students(project, flagged, with_names),
        lambda: _findings(project, run, with_names, extra.known, message),
    ]
    names: list[str] = list(SHEETS)
    if extra.comparison is not None:
        names.append(CHANGES_SHEET)
        sheets.append(lambda: _changes(extra.comparison, message))  # type: ignore[arg-type]
    try:
        for i, (name, make) in enumerate(zip(names, sheets, strict=True)):
            headers, rows, *preamble = make()
            _Sheet(book, name, headers, formats, *preamble, secrets=secrets).write_all(rows)
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
    project: Project, run: CheckRun, pseudonymise: bool, exported_at: dt.datetime, extra: _Extra
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
    from zdesk.domain.formatie import build_formatie
    from zdesk.export.formatie_sheet import department_verdict

    for r in build_formatie(project, run.options, run.findings, extra.known).rows:
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
        rows.append((["Vergeleken met", _compared(extra.comparison)], None))
    rows.append((["Privacy", PRIVACY_LINE], None))
    if extra.history:
        rows.append((["Geschiedenis", extra.history], None))
    return ("Onderdeel", "Waarde"), rows


def _structure(project: Project, flagged):
    headers = (
        "Vestiging",
        "Afdeling",
        "Keuzevak",
        "Keuzevak naam",
        "Keuzevak type",
        "Geplande groep (id)",
        "Geplande groep",
        "Roostergroep",
        "Gerealiseerd",
        "Leerlingen in de roostergroep",
        "Signaleringen",
    )
    with_counts = project.has_placements
    rows = []
    for branch in sorted(project.branches, key=lambda b: b.label):
        for dept in sorted(project.departments_of_branch.get(branch.id, ()), key=lambda d: d.label):
            for c in sorted(
                project.choosables_of_department.get(dept.id, ()), key=lambda c: c.label
            ):
                for pg in sorted(
                    project.planned_of_choosable.get(c.id, ()), key=lambda p: (p.rank or 0, p.id)
                ):
                    group = project.group_of(pg)
                    found, severity = flagged("planned_group", pg.id)
                    rows.append(
                        (
                            [
                                branch.label,
                                dept.label,
                                c.label,
                                c.subject_name or "",
                                subject_type(c.subject_type),
                                pg.id,
                                pg.name or "",
                                group.label if group else "",
                                yes_no(group is not None),
                                project.student_count(group) if group and with_counts else None,
                                _titles(found),
                            ],
                            severity,
                        )
                    )
    return headers, rows


def _groups(project: Project, flagged):
    headers = (
        "Id",
        "Naam",
        "Volledige naam",
        "Afdeling",
        "Vestiging",
        "Stamklas",
        "Mentorgroep",
        "Leerlingen",
        "Gekoppelde geplande groepen",
        "Signaleringen",
    )
    with_counts = project.has_placements
    rows = []
    for g in sorted(project.groups, key=lambda g: g.label):
        dept = project.department_of(g)
        branch = project.branch_of(dept)
        planned = project.planned_of_group.get(g.id, ())
        found, severity = flagged("group", g.id)
        rows.append(
            (
                [
                    g.id,
                    g.name or "",
                    g.extended_name or "",
                    dept.label if dept else "",
                    branch.label if branch else "",
                    yes_no(g.is_main_group),
                    yes_no(g.is_mentor_group),
                    project.student_count(g) if with_counts else None,
                    ", ".join(p.name or str(p.id) for p in planned),
                    _titles(found),
                ],
                severity,
            )
        )
    return headers, rows


def _students(project: Project, flagged, with_names: bool):
    headers = [
        "Leerlingnummer",
        "Naam",
        "Afdeling",
        "Vestiging",
        "Stamklas",
        "Roostergroepen",
        "Aantal afdelingen",
        "Signaleringen",
    ]
    if not with_names:
        headers.remove("Naam")
    rows = []
    for p in sorted(project.placements, key=lambda p: (p.student_code, p.id)):
        dept = project.department_of(p)
        branch = project.branch_of(dept)
        groups = project.groups_of_placement(p)
        code = p.student_code
        found, severity = flagged("student", code)
        n_depts = len({x.department_of_branch for x in project.placements_of_student[code]})
        values = [
            code,
            project.student_name(code),
            dept.label if dept else "",
            branch.label if branch else "",
            ", ".join(g.label for g in groups if g.is_main_group),
            ", ".join(g.label for g in groups),
            n_depts,
            _titles(found),
        ]
        if not with_names:
            del values[1]
        rows.append((values, severity))
    return tuple(headers), rows


def _findings(
    project: Project,
    run: CheckRun,
    with_names: bool,
    known: dict[KnownKey, KnownMark],
    message: Callable[[Finding], str],
):
    # What a reader needs first comes first (a printed page holds the first few columns):
    # severity, afdeling, the message, the check by its Dutch title; its id last, for filters.
    headers = [
        "Ernst",
        "Afdeling",
        "Melding",
        "Controle",
        "Objecttype",
        "Object-id",
        "Naam",
        "Vestiging",
        "Oplossen in het portaal",
        "Bekend",
        "Notitie",
        "Controle-id",
    ]
    if not with_names:
        headers.remove("Naam")
    ordered = sorted(run.findings, key=lambda f: (f.severity.rank, f.check, str(f.object_id)))
    rows = []
    for f in ordered:
        mark = known.get(known_key(f))
        student = f.object_type == "student"
        department, branch = place_labels(project, f.object_type, f.object_id)
        values = [
            str(f.severity),
            department,
            # With the student's name only where names are exported.
            with_student_name(message(f), str(f.object_id), project.student_name(str(f.object_id)))
            if student and with_names
            else message(f),
            CHECK_BY_ID[f.check].title,
            OBJECT_LABELS[f.object_type],
            f.object_id,
            project.student_name(str(f.object_id)) if student else "",
            branch,
            remedy_text(f.check),
            yes_no(mark is not None),
            mark.note if mark else "",
            f.check,
        ]
        if not with_names:
            del values[6]
        # A known one is not highlighted: it was looked at and is meant so.
        rows.append((values, None if mark else f.severity))
    return tuple(headers), rows


def _stamp(moment: float) -> str:
    return table_moment(dt.datetime.fromtimestamp(moment))


def _compared(comparison: Comparison) -> str:
    return (
        f"lading van {_stamp(comparison.before_loaded_at)} (deze export: lading van "
        f"{_stamp(comparison.after_loaded_at)})"
    )


def _changes(comparison: Comparison, message: Callable[[Finding], str]):
    headers = (
        "Wijziging",
        "Objecttype",
        "Object",
        "Object-id",
        "Wat",
        "Voor",
        "Na",
        "Omschrijving",
    )

    def text(value: object) -> str:
        if isinstance(value, bool):
            return yes_no(value)
        return "" if value is None else str(value)

    rows: list[tuple[list[Any], Any]] = [
        (
            [
                CHANGE_LABELS[c.change],
                OBJECT_LABELS.get(c.object_type, c.object_type),
                c.label,
                c.object_id,
                WHAT_LABELS.get(c.what, c.what),
                text(c.before),
                text(c.after),
                describe(c),
            ],
            None,
        )
        for c in comparison.changes
    ]
    for object_type, what in comparison.rights_changed:  # said once, not as every row changed
        rows.append(
            (
                [
                    NOT_COMPARED,
                    OBJECT_LABELS.get(object_type, object_type),
                    "alle",
                    None,
                    WHAT_LABELS.get(what, what),
                    "",
                    "",
                    rights_changed_text((object_type, what)),
                ],
                None,
            )
        )
    for state, findings in (
        ("signalering nieuw", comparison.new_findings),
        ("signalering opgelost", comparison.resolved_findings),
    ):
        for f in findings:
            rows.append(
                (
                    [
                        state,
                        OBJECT_LABELS[f.object_type],
                        "",
                        f.object_id,
                        CHECK_BY_ID[f.check].title if f.check in CHECK_BY_ID else f.check,
                        "",
                        "",
                        message(f),
                    ],
                    f.severity if state == "signalering nieuw" else None,
                )
            )
    preamble = [
        f"Vergeleken: lading van {_stamp(comparison.before_loaded_at)} met lading van "
        f"{_stamp(comparison.after_loaded_at)}",
        f"{len(comparison.changes)} wijzigingen, {len(comparison.new_findings)} signaleringen "
        f"nieuw, {len(comparison.resolved_findings)} opgelost",
    ]
    return headers, rows, preamble
