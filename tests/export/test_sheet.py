"""One sheet as written: rows shorter than the header (the Doorstroom's blank line and title
below its matrix) beside a column wide enough to wrap; every cell of a tall row top-aligned,
also those written without a format of their own."""

from __future__ import annotations

import openpyxl
import xlsxwriter

from zdesk.export.sheet import DEFAULT_FORMAT, LINE_HEIGHT, Formats, Sheet
from zdesk.export.xlsx import write_workbook


def test_a_short_row_beside_a_wrapped_column(tmp_path):
    path = tmp_path / "short.xlsx"
    options = {"constant_memory": True, "default_format_properties": DEFAULT_FORMAT}
    book = xlsxwriter.Workbook(str(path), options)
    long = "een vestiging met een naam langer dan een kolom van tweeëndertig tekens breed"
    rows = [(["a", long], None), ([], None), (["b"], None), (["c", long], None)]
    Sheet(book, "Blad", ["Eerste", "Tweede"], Formats(book)).write_all(rows)
    book.close()
    ws = openpyxl.load_workbook(path)["Blad"]
    assert [tuple(r) for r in ws.iter_rows(values_only=True)] == [
        ("Eerste", "Tweede"),
        ("a", long),
        (None, None),
        ("b", None),
        ("c", long),
    ]
    assert ws["B2"].alignment.wrap_text
    assert ws.row_dimensions[2].height == ws.row_dimensions[5].height > LINE_HEIGHT


def test_every_cell_of_a_tall_row_reads_from_the_top(small_project, tmp_path):
    project, run = small_project
    book = openpyxl.load_workbook(write_workbook(tmp_path / "top.xlsx", project, run))
    tall = 0
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            height = ws.row_dimensions[row[0].row].height
            if height and height > LINE_HEIGHT:
                tall += 1
                assert all(c.alignment.vertical == "top" for c in row if c.value is not None)
    assert tall > 10


def test_a_secret_in_the_data_never_reaches_the_file(tmp_path):
    path = tmp_path / "secret.xlsx"
    options = {"constant_memory": True, "default_format_properties": DEFAULT_FORMAT}
    book = xlsxwriter.Workbook(str(path), options)
    rows = [(["geheim-token-123", 7], None), (["x geheim-token-123 y", 8], None), (["a", 9], None)]
    sheet = Sheet(book, "Blad", ["Tekst", "Getal"], Formats(book), secrets=["geheim-token-123"])
    sheet.write_all(rows)
    book.close()
    ws = openpyxl.load_workbook(path)["Blad"]
    assert [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ("***", 7),
        ("x *** y", 8),
        ("a", 9),
    ]
