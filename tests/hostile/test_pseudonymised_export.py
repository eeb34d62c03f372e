"""Names never appear as the example of a data problem, and a pseudonymised export shows no value
the portal sent as an example at all: loaded over loopback HTTP, read back from the workbook."""

from __future__ import annotations

import io
import json

import openpyxl

from zdesk.cli.check import run_check_command, run_export_command
from zdesk.demo.server import FakePortal

NAME = "Xyzzyjansen"  # a last name no generated student has
ODD_GROUP_NAME = "Geheimgroep"  # a value sent where a flag was expected: not a name, still data


def _spoil(school):
    pid = school.current_project
    placement = school.rows_of("studentsindepartments", pid)[0]
    placement["lastName"] = [NAME]
    group = school.rows_of("groupindepartments", pid)[0]
    group["isMainGroup"] = {"tekst": ODD_GROUP_NAME}
    return placement["id"]


def _cells(path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
    finally:
        book.close()


def test_a_name_is_never_an_example_and_a_pseudonymised_export_shows_no_value(
    own_school, monkeypatch, tmp_path
):
    placement_id = _spoil(own_school)
    with FakePortal(own_school) as fake:
        monkeypatch.setenv("ZDESK_TOKEN", fake.token)
        out, err = io.StringIO(), io.StringIO()
        plain = tmp_path / "met namen.xlsx"
        assert run_export_command(str(plain), fake.url, None, False, False, out, err) == 0, err
        hidden = tmp_path / "zonder namen.xlsx"
        assert run_export_command(str(hidden), fake.url, None, False, True, out, err) == 0, err
        out = io.StringIO()
        assert run_check_command(fake.url, None, False, True, None, out=out, err=err) == 0

    report = json.loads(out.getvalue())
    problems = {p["field"]: p for p in report["data_problems"]}
    # The problem itself is reported, with the row it is in, never with the name.
    assert problems["lastName"]["example_id"] == placement_id
    assert problems["lastName"]["example"] is None
    assert NAME not in json.dumps(report)
    assert ODD_GROUP_NAME in problems["isMainGroup"]["example"]

    with_names = _cells(plain)
    assert not any(NAME in cell for cell in with_names)
    lines = [c for c in with_names if "lastName" in c]
    assert lines and all(f"(bijvoorbeeld {placement_id})" in c for c in lines)
    # With names, other values may serve as an example.
    assert any(ODD_GROUP_NAME in cell for cell in with_names)

    without_names = _cells(hidden)
    assert not any(NAME in cell for cell in without_names)
    assert not any(ODD_GROUP_NAME in cell for cell in without_names)
    examples = [c for c in without_names if "isMainGroup" in c]
    # On the front sheet and in Signaleringen: what and where, without the value.
    assert len(examples) >= 2 and all("(bijvoorbeeld " in c for c in examples)
