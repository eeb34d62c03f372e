"""One sheet of the workbook as it is written and printed: widths from its rows, formats, a frozen
and filtered header row, severity colours, and a print setup readable at 8 points or more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

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
        self.ws = book.add_worksheet(name)
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
        columns = [c for c, on in enumerate(wrapped) if on]
        for r, (values, severity) in enumerate(buffered, start=top + 1):
            # A severity per column ({column: severity}) highlights those cells only.
            per_cell = severity if isinstance(severity, dict) else None
            plain = formats.cell(None if per_cell is not None else severity, None)
            # A wrapped text makes its row as tall as its lines (no program has to guess).
            lines = max(
                (_lines(v, widths[c]) for c in columns if isinstance(v := values[c], str)),
                default=1,
            )
            if lines > 1:
                ws.set_row(r, LINE_HEIGHT * lines)
            for c, value in enumerate(values):
                if per_cell is not None:
                    severity = per_cell.get(c)
                    plain = formats.cell(severity, None)
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
