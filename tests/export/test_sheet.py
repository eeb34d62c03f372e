"""One sheet as written: rows shorter than the header (the Doorstroom's blank line and title
below its matrix) beside a column wide enough to wrap."""

from __future__ import annotations

import openpyxl
import xlsxwriter

from zdesk.export.sheet import LINE_HEIGHT, Formats, Sheet


def test_a_short_row_beside_a_wrapped_column(tmp_path):
    path = tmp_path / "short.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
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
