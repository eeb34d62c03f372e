"""The workbook's Doorstroom sheet: the tab's matrix cell for cell (checked against the demo
school's raw rows), the students not yet placed below it, printable, and one line without a
previous project."""

from __future__ import annotations

import openpyxl
import pytest

from tests.raw_doorstroom import NOT_PLACED, TOTAL, expected_students
from zdesk.demo.server import FakePortal
from zdesk.domain.checks import run_checks
from zdesk.domain.severity import Severity
from zdesk.export.sheet import MIN_SCALE
from zdesk.export.xlsx import SHEETS, write_workbook
from zdesk.loading.loader import load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.present.palette import STYLES

AMBER = STYLES[Severity.WAARSCHUWING].light.lstrip("#").upper()


def fill(cell) -> str | None:
    colour = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    return colour[-6:].upper() if isinstance(colour, str) else None


@pytest.fixture(scope="module")
def sheets(small_project, tmp_path_factory):
    project, run = small_project
    folder = tmp_path_factory.mktemp("doorstroom")
    out = {}
    for name, pseudonymise in (("named", False), ("pseudonymised", True)):
        path = write_workbook(folder / f"{name}.xlsx", project, run, pseudonymise=pseudonymise)
        out[name] = openpyxl.load_workbook(path)["Doorstroom"]
    return out


def matrix_of(ws) -> tuple[list[str], dict[tuple[str, str], int], int]:
    """The headers, the non-empty cells by (row, column) header, and the row after the matrix."""
    rows = list(ws.iter_rows(values_only=True))
    headers = [h for h in rows[0] if h is not None]
    cells = {}
    end = rows.index(tuple([None] * len(rows[0])))
    for row in rows[1:end]:
        for header, value in zip(headers[1:], row[1:], strict=False):
            if value is not None:
                cells[(row[0], header)] = value
    return headers, cells, end


def test_the_sheet_follows_formatie():
    assert SHEETS[SHEETS.index("Formatie") + 1] == "Doorstroom"


def test_the_matrix_agrees_with_the_raw_rows_and_the_tab(sheets, small_school, small_project):
    """The counts as counted from the raw rows (as the tab's test does), under the tab's headers."""
    from zdesk.domain.doorstroom import doorstroom_of
    from zdesk.present.doorstroom import doorstroom_matrix

    expected = {key: len(codes) for key, codes in expected_students(small_school).items()}
    project, _run = small_project
    tab_headers = doorstroom_matrix(project, doorstroom_of(project)).headers
    for ws in sheets.values():
        headers, cells, end = matrix_of(ws)
        assert cells == expected
        assert headers == ["Afdeling vorig jaar", *tab_headers]
        assert headers[-1] == TOTAL and list(ws.iter_rows(values_only=True))[end - 1][0] == TOTAL


def test_not_placed_are_listed_as_text_and_highlighted(sheets, small_school):
    expected = expected_students(small_school)
    ws = sheets["named"]
    headers, _cells, end = matrix_of(ws)
    rows = list(ws.iter_rows())
    column = headers.index(NOT_PLACED)
    for row in rows[1:end]:
        cell = row[column]
        assert fill(cell) == (AMBER if cell.value else None)
        assert fill(row[0]) is None  # only the cell, not its row
    title, header, *students = rows[end + 1 :]
    count = len(expected[(TOTAL, NOT_PLACED)])
    assert [title[0].value, title[1].value] == ["Nog niet geplaatst", count]
    assert [c.value for c in header[:3]] == [
        "Leerlingnummer",
        "Afdeling vorig jaar",
        "Vestiging vorig jaar",
    ]
    codes = {r[0].value for r in students}
    assert codes == expected[(TOTAL, NOT_PLACED)]
    for r in students:
        assert r[0].data_type == "s" and r[0].number_format == "@"
        assert r[1].value in {row for (row, col) in expected if col == NOT_PLACED}
        assert fill(r[0]) == AMBER


def test_no_names_and_printable(sheets, small_project):
    project, _run = small_project
    names = {project.student_name(code) for code in project.placements_of_student} - {""}
    for ws in sheets.values():
        values = {str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None}
        assert not values & names
        assert ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.scale or 100) >= MIN_SCALE
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes == "A2"


def test_without_a_previous_project_one_line_says_why(small_school, tmp_path):
    with FakePortal(small_school) as fake:
        client = PortalClient(normalise_portal(fake.url), fake.token)
        project = load_project(client, small_school.current_project, previous=None)
    path = write_workbook(tmp_path / "x.xlsx", project, run_checks(project))
    rows = list(openpyxl.load_workbook(path)["Doorstroom"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[0] == ("Doorstroom",)
    assert project.unavailable_because["vorig project"] in rows[1][0]
