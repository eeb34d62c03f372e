"""One sheet of the workbook as it is written and printed: widths from its rows, formats, a frozen
and filtered header row, severity colours, and a print setup readable at 8 points or more."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from itertools import zip_longest
from typing import Any

from xlsxwriter.worksheet import Worksheet

from zdesk.errors import scrub
from zdesk.present.columns import Column
from zdesk.present.palette import STYLES

MAX_WIDTH = 60
# In a sheet without column specs, the columns whose text stays text whatever it looks like:
# the Doorstroom's first column holds afdelingen, and below them leerlingnummers.
TEXT_COLUMNS = frozenset({"Afdeling vorig jaar"})
DATE_FORMAT = "dd-mm-yyyy hh:mm"
HEADER_FILL = "#E3E7ED"  # a quiet grey-blue, apart from the severities' colours
FOOTER = "&L&A&RPagina &P van &N"  # sheet name left, page number right


# What XlsxWriter escapes in a string cell: "_xHHHH_" (its own escape) and control characters
# other than tab and line feed, and two non-characters.
_MAY_ESCAPE = re.compile("_x|[\x00-\x08\x0b-\x1f\ufffe\uffff]")


class FastWorksheet(Worksheet):
    """XlsxWriter's worksheet, with the escape of a string cell skipped where there is nothing
    to escape (the same bytes are written).

    XlsxWriter runs two regular-expression substitutions on every string cell; one has a
    template, which makes Python import `re` through `builtins.__import__` on each call, and
    PySide6's import hook (loaded in the app) makes that slower still: 1.7 to 3.1 microseconds a
    cell, a sixth of a large school's export. One search finds the few cells that need it.
    """

    @staticmethod
    def _escape_control_characters(data: Any) -> Any:
        if type(data) is str and _MAY_ESCAPE.search(data) is None:
            return data
        return Worksheet._escape_control_characters(data)


class Sheet:
    """One worksheet: header, widths from the data, highlight per row, filter, print setup."""

    def __init__(
        self,
        book: Any,
        name: str,
        headers: Sequence[str] | Sequence[Column],
        formats: Formats,
        preamble: Sequence[str] = (),
        *,
        secrets: Sequence[str] = (),
    ) -> None:
        self.ws = book.add_worksheet(name, worksheet_class=FastWorksheet)
        self.secrets = tuple(s for s in secrets if s)
        self.name = name
        self.formats = formats
        self.preamble = preamble  # lines above the header (which loads a comparison is of)
        self.rows = 0
        if all(isinstance(h, str) for h in headers):  # the front sheet and Formatie: no specs
            self.headers: list[str] = [str(h) for h in headers]
            self.text = [h in TEXT_COLUMNS for h in self.headers]
            self.wrap: dict[int, int] = {
                i: WRAPPED[h] for i, h in enumerate(self.headers) if h in WRAPPED
            }
        else:
            columns = [h for h in headers if isinstance(h, Column)]
            self.headers = [c.in_sheet for c in columns]
            self.text = [c.sheet_text for c in columns]
            self.wrap = {i: c.sheet_width for i, c in enumerate(columns) if c.sheet_width}
        # A header wraps at its spaces: its longest word sets the least width.
        self.widths = [max(8, max(map(len, h.split()), default=0) + 2) for h in self.headers]

    def write_all(self, rows: Iterable[tuple[Sequence[Any], Any]]) -> None:
        buffered = list(rows)
        if self.secrets:  # a token the portal echoed in its data never reaches the file
            buffered = [self._scrubbed(row) for row in buffered]
        # constant_memory writes row by row: widths must be set before the first cell.
        self._fit(values for values, _ in buffered[:500])
        ws, formats, text = self.ws, self.formats, self.text
        # Long texts wrap within a capped column, so the sheet fits a page at readable size.
        wrapped = [
            i in self.wrap or (width > WRAP_AT and not text[i])
            for i, width in enumerate(self.widths)
        ]
        for i, width in enumerate(self.widths):
            if wrapped[i]:
                self.widths[i] = width = min(width, self.wrap.get(i, WRAP_AT))
            ws.set_column(i, i, width, formats.wrapped if wrapped[i] else None)
        top = len(self.preamble)
        for r, line in enumerate(self.preamble):
            ws.write_string(r, 0, line)
        widths = self.widths
        header_lines = max(_lines(h, w) for h, w in zip(self.headers, widths, strict=True))
        if header_lines > 1:
            ws.set_row(top, LINE_HEIGHT * header_lines)
        ws.write_row(top, 0, self.headers, formats.header)
        _Rows(ws, formats, text, wrapped, widths).write(buffered, top + 1)
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

    def _scrubbed(self, row: tuple[Sequence[Any], Any]) -> tuple[Sequence[Any], Any]:
        """The row with every secret in its texts replaced; looked for in the whole row at once,
        as a secret is almost never there."""
        values, severity = row
        whole = "\x00".join(map(str, values))
        if not any(secret in whole for secret in self.secrets):
            return row
        return [scrub(v, *self.secrets) if isinstance(v, str) else v for v in values], severity

    def _fit(self, rows: Iterable[Sequence[Any]]) -> None:
        """Widen each column to its longest value in these rows (a date as its format shows it)."""
        for i, column in enumerate(zip_longest(*rows, fillvalue="")):
            if any(issubclass(t, dt.datetime) for t in set(map(type, column))):
                shown = [DATE_FORMAT if isinstance(v, dt.datetime) else str(v) for v in column]
                longest = max(map(len, shown))
            else:
                longest = max(map(len, map(str, column)))
            self.widths[i] = max(self.widths[i], min(MAX_WIDTH, longest + 2))


class _Rows:
    """The data rows as written: each cell in the format of the row's severity and the kind of
    its column and value, the cells between the text columns a run at a time (write_row), and a
    row with a wrapped text as tall as its lines.

    A plain cell of a row not highlighted is written without a format of its own: what it
    would have is the workbook's default (DEFAULT_FORMAT, top-aligned) or, in a wrapped column,
    the column's format. So an empty one is not written at all (it shows and prints the same);
    only in a wrapped column it keeps its own, for readers that ignore a column's format."""

    def __init__(
        self,
        ws: Any,
        formats: Formats,
        text: Sequence[bool],
        wrapped: Sequence[bool],
        widths: Sequence[float],
    ) -> None:
        self.ws, self.formats, self.text, self.wrapped = ws, formats, text, wrapped
        # Each wrapped column with its width and the characters a line of it holds.
        self.tall = [
            (c, widths[c], max(1, int(widths[c]) - 1)) for c, on in enumerate(wrapped) if on
        ]
        self.wrapped_plain = [c for c, on in enumerate(wrapped) if on and not text[c]]
        self.plans: dict[Any, list[tuple[int, int, Any, Any]]] = {}

    def write(self, rows: Sequence[tuple[Sequence[Any], Any]], first: int) -> None:
        ws, tall, date = self.ws, self.tall, dt.datetime
        wrap = self.formats.cell(None, "wrap")
        for r, (values, severity) in enumerate(rows, start=first):
            n = len(values)
            if tall:
                # A wrapped text makes its row as tall as its lines (no program has to guess);
                # a text shorter than a line is one line.
                lines = 1
                for c, width, room in tall:
                    if c < n and isinstance(v := values[c], str) and len(v) > room:
                        lines = max(lines, _lines(v, width))
                if lines > 1:
                    ws.set_row(r, LINE_HEIGHT * lines)
            if date in map(type, values):  # rare (the front sheet): a date's format per cell
                self._cells(r, values, severity)
                continue
            # A severity per column ({column: severity}) highlights those cells only.
            per_cell = severity if isinstance(severity, dict) else None
            plain = severity is None or per_cell is not None
            for start, end, fmt, as_text in self._plan(None if plain else severity):
                if start >= n:
                    break
                if as_text is not None:
                    if isinstance(v := values[start], str):
                        ws.write_string(r, start, v, as_text)
                    else:
                        ws.write(r, start, v, fmt)
                elif ws.write_row(r, start, values[start:end], fmt):
                    # write_row stops at a cell it cut short (a text over 32767 characters)
                    for c in range(start, min(end, n)):
                        ws.write(r, c, values[c], fmt)
            if plain:
                for c in self.wrapped_plain:
                    if c < n and ((v := values[c]) is None or v == ""):
                        ws.write_blank(r, c, None, wrap)
            if per_cell:
                self._cells(r, values, per_cell, only=per_cell)

    def _plan(self, severity: Any) -> list[tuple[int, int, Any, Any]]:
        """Runs of columns written alike for a row of this severity: (first, end, format (None:
        the default's or the column's), format of a text kept as text, or None when the run is
        not a text column)."""
        plan = self.plans.get(severity)
        if plan is None:
            plan = []
            for c, wrapped in enumerate(self.wrapped):
                kind = "wrap" if wrapped else None
                if self.text[c]:
                    as_text = self.formats.cell(severity, "text")
                    plan.append((c, c + 1, self._format(severity, kind), as_text))
                    continue
                fmt = None if severity is None else self.formats.cell(severity, kind)
                if plan and plan[-1][3] is None and plan[-1][2] is fmt:
                    plan[-1] = (plan[-1][0], c + 1, fmt, None)
                else:
                    plan.append((c, c + 1, fmt, None))
            self.plans[severity] = plan
        return plan

    def _cells(
        self, r: int, values: Sequence[Any], severity: Any, only: Iterable[int] | None = None
    ) -> None:
        """Write the cells of a row one by one (`only` those columns)."""
        per_cell = severity if isinstance(severity, dict) else None
        for c in range(len(values)) if only is None else only:
            if c >= len(values):
                continue
            value = values[c]
            if per_cell is not None:
                severity = per_cell.get(c)
            if isinstance(value, dt.datetime):
                self.ws.write_datetime(r, c, value, self.formats.cell(severity, "date"))
            elif self.text[c] and isinstance(value, str):
                self.ws.write_string(r, c, value, self.formats.cell(severity, "text"))
            else:
                kind = "wrap" if self.wrapped[c] else None
                self.ws.write(r, c, value, self._format(severity, kind))

    def _format(self, severity: Any, kind: str | None) -> Any:
        """A cell's format: none for a plain one in a row not highlighted (the default's)."""
        return None if severity is None and kind is None else self.formats.cell(severity, kind)


# Printing: A4 less the default margins (0,7" each side); a column of width w (in characters of
# the default 11-point font) prints about 2,6 w mm wide (measured on LibreOffice's PDF; Excel
# needs less). No sheet prints below 8 of 11 points.
PRINTABLE_MM = {False: 297 - 36, True: 210 - 36}  # landscape, portrait
CHAR_MM = 2.6
MIN_SCALE = 73  # percent: 8 points of 11
PORTRAIT = frozenset({"Signaleringen"})
# Long texts wrap within a column of this many characters (in a sheet without column specs).
WRAPPED = {
    "Onderdeel": 36,
    "Waarde": 60,
    # Formatie: "totaal afdeling" in two lines (the column repeats on every band of pages), and
    # the notes narrow enough that the sheet prints in two bands at 8 points
    "Soort": 10,
    "Aandachtspunten": 28,
}
WRAP_AT = 32  # any other column wider than this wraps
# What names a row, repeated at the left of every page when a sheet is wider than one page.
KEY_COLUMNS = {"Doorstroom": 1, "Formatie": 4, "Structuur": 3, "Roostergroepen": 2, "Leerlingen": 2}


LINE_HEIGHT = 15  # points: a line of the default 11-point font
MAX_LINES = 12


def _lines(text: str, width: float) -> int:
    """How many lines a text wraps to in a column this wide (by words, roughly)."""
    room = max(1, int(width) - 1)
    lines, used = 1, 0
    for size in map(len, text.split()):
        if not used:
            used = size
        elif used + 1 + size > room:
            lines, used = lines + 1, size
        else:
            used += 1 + size
        if used > room:  # a word longer than a line breaks where the line ends
            lines += (used - 1) // room
            used %= room
        if lines >= MAX_LINES:
            break
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


# The workbook's default cell format (XlsxWriter's `default_format_properties`): Excel's, but
# top-aligned like every cell written, so a plain cell needs no format of its own.
DEFAULT_FORMAT = {"font_name": "Calibri", "font_size": 11, "valign": "top"}


class Formats:
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
