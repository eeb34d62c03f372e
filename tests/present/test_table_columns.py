"""Each table as the app shows it and as the workbook writes it, held to a recorded snapshot.

The snapshots in tests/data/tables/ record what a person sees of the small school: the headers
(and their tooltips), every cell in the order of the rows, the order each column sorts in, the
search text, the alignment and the width of each column, and in the workbook its highlights and
number formats. A change to a table's columns that changes any of it fails here; a change meant
to be seen is recorded again with ZDESK_RECORD_TABLES=1 (and reviewed in the diff).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import openpyxl
import pytest

from zdesk.domain.known import KnownMark, known_key
from zdesk.export.xlsx import write_workbook
from zdesk.ui.models import tables
from zdesk.ui.models.style import ALIGNMENT, DISPLAY, HORIZONTAL, TOOLTIP
from zdesk.ui.models.table import RecordTableModel, search_text

SNAPSHOTS = Path(__file__).parent.parent / "data" / "tables"
RECORD = os.environ.get("ZDESK_RECORD_TABLES") == "1"


def digest(values) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:16]


def app_table(data) -> dict:
    """What the app's model shows of prepared table data."""
    model = RecordTableModel([])
    model.set_data(data)
    columns = range(model.columnCount())
    position = {id(row): i for i, row in enumerate(data.rows)}

    def cells() -> list[list]:
        return [
            [model.data(model.index(r, c), DISPLAY) for c in columns]
            for r in range(model.rowCount())
        ]

    shown = cells()
    orders = {}
    for c in columns:
        model.sort(c)
        orders[model.headerData(c, HORIZONTAL, DISPLAY)] = digest(
            [position[id(model.row_object(r))] for r in range(model.rowCount())]
        )
    return {
        "headers": [model.headerData(c, HORIZONTAL, DISPLAY) for c in columns],
        "header_tooltips": [model.headerData(c, HORIZONTAL, TOOLTIP) for c in columns],
        "roles": [col.role for col in data.columns],
        "aligned_right": [model.data(model.index(0, c), ALIGNMENT) is not None for c in columns],
        "widths": data.widths,
        "search": digest(search_text(data.columns, data.rows)),
        "tooltips": digest(
            [model.data(model.index(r, 0), TOOLTIP) for r in range(model.rowCount())]
        ),
        "sorted": orders,
        "rows": shown,
    }


def sheet_table(ws, preamble: int = 0) -> dict:
    """What the workbook holds of one sheet below its `preamble` lines, read with openpyxl."""
    rows = list(ws.iter_rows())
    header, body = rows[preamble], rows[preamble + 1 :]

    def fill(cell) -> str | None:
        colour = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
        return colour[-6:].upper() if isinstance(colour, str) else None

    return {
        **({"preamble": [r[0].value for r in rows[:preamble]]} if preamble else {}),
        "headers": [c.value for c in header],
        "widths": [ws.column_dimensions[c.column_letter].width for c in header],
        "formats": [c.number_format for c in body[0]] if body else [],
        "wrapped": [bool(c.alignment.wrap_text) for c in body[0]] if body else [],
        "fills": [fill(r[0]) for r in body],
        "rows": [[c.value for c in r] for r in body],
    }


def check(name: str, found: dict) -> None:
    path = SNAPSHOTS / f"{name}.json"
    if RECORD:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    for key in recorded:
        assert found[key] == recorded[key], f"{name}: {key} differs from the recorded table"
    assert found.keys() == recorded.keys()


@pytest.fixture(scope="module")
def marks(small_project):
    """Two signaleringen marked bekend, one with a note."""
    _project, run = small_project
    first, second = run.findings[0], run.findings[-1]
    return {
        known_key(first): KnownMark(*known_key(first), note="zo bedoeld"),
        known_key(second): KnownMark(*known_key(second)),
    }


@pytest.fixture(scope="module")
def workbooks(small_project, marks, tmp_path_factory):
    project, run = small_project
    folder = tmp_path_factory.mktemp("tables")
    out = {}
    for name, pseudonymise in (("named", False), ("pseudonymised", True)):
        path = write_workbook(
            folder / f"{name}.xlsx", project, run, pseudonymise=pseudonymise, known=marks
        )
        out[name] = openpyxl.load_workbook(path)
    return out


def test_roostergroepen(qapp, small_project, workbooks):
    project, run = small_project
    check("roostergroepen-app", app_table(tables.groups_table(project, run.by_object())))
    check("roostergroepen-sheet", sheet_table(workbooks["named"]["Roostergroepen"]))


def test_leerlingen(qapp, small_project, workbooks):
    project, run = small_project
    check("leerlingen-app", app_table(tables.placements_table(project, run.by_object())))
    check("leerlingen-sheet", sheet_table(workbooks["named"]["Leerlingen"]))
    check("leerlingen-sheet-pseudonymised", sheet_table(workbooks["pseudonymised"]["Leerlingen"]))


def test_signaleringen(qapp, small_project, workbooks, marks):
    project, run = small_project
    check("signaleringen-app", app_table(tables.findings_table(project, run.findings)))
    check(
        "signaleringen-app-bekend", app_table(tables.findings_table(project, run.findings, marks))
    )
    check("signaleringen-sheet", sheet_table(workbooks["named"]["Signaleringen"]))
    check(
        "signaleringen-sheet-pseudonymised",
        sheet_table(workbooks["pseudonymised"]["Signaleringen"]),
    )


def test_geplande_groepen(qapp, small_project):
    project, run = small_project
    check("geplande-groepen-app", app_table(tables.planned_table(project, run.by_object())))


def test_structuur(small_project, workbooks):
    check("structuur-sheet", sheet_table(workbooks["named"]["Structuur"]))


@pytest.fixture(scope="module")
def compared(small_project):
    """The small school a day later with the four changes of the diff's tests, compared with it;
    besides, a truth changed, a field one load could read and the other not, and an endpoint one
    load could not read. The loads' moments are fixed: the sheet names them."""
    from zdesk.domain.checks import run_checks
    from zdesk.domain.diff import CHANGED, Change, compare

    from ..domain.test_diff import changed_school

    before, run = small_project
    after = changed_school(before)
    after_run = run_checks(after)
    comparison = compare(before, after, run.findings, after_run.findings)
    group = next(g for g in after.groups if g.is_main_group)
    comparison.changes.append(
        Change(CHANGED, "group", group.id, "main_group", True, False, group.label)
    )
    comparison.rights_changed.append(("student", "groups"))
    comparison.not_compared.append("choosable")
    comparison.before_loaded_at = dt.datetime(2026, 3, 9, 9, 12).timestamp()
    comparison.after_loaded_at = dt.datetime(2026, 3, 10, 9, 12).timestamp()
    return after, after_run, comparison


def test_wijzigingen(qapp, compared, tmp_path):
    from zdesk.ui.models.changes import changes_table, names_in

    project, run, comparison = compared
    check("wijzigingen-app", app_table(changes_table(comparison, names_in(project))))
    check("wijzigingen-app-unnamed", app_table(changes_table(comparison)))
    path = write_workbook(tmp_path / "wijzigingen.xlsx", project, run, comparison=comparison)
    sheet = openpyxl.load_workbook(path)["Wijzigingen"]
    check("wijzigingen-sheet", sheet_table(sheet, preamble=2))
