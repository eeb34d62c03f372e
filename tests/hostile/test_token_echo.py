"""A token the portal echoes in its own data (a group's name) is in no output: not in `check`'s
text or JSON (tests/hostile/test_terminal_text.py), not in the workbook. Over loopback HTTP."""

from __future__ import annotations

import io

import openpyxl

from zdesk.cli.check import run_export_command
from zdesk.demo.server import FakePortal


def test_an_export_leaves_out_a_token_echoed_in_the_data(own_school, monkeypatch, tmp_path):
    pid = own_school.current_project
    group = own_school.rows_of("groupindepartments", pid)[0]
    with FakePortal(own_school) as fake:
        group["name"] = f"4a {fake.token}"
        group["extendedName"] = f"h4.4a {fake.token}"
        monkeypatch.setenv("ZDESK_TOKEN", fake.token)
        target = tmp_path / "formatie.xlsx"
        out, err = io.StringIO(), io.StringIO()
        assert run_export_command(str(target), fake.url, pid, False, False, out, err) == 0, err
        token = fake.token
    book = openpyxl.load_workbook(target, read_only=True)
    try:
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
    finally:
        book.close()
    assert "h4.4a ***" in cells
    assert not any(token in cell for cell in cells)
    assert token not in out.getvalue() + err.getvalue()
