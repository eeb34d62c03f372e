"""The sheet "Formatie": after "Over deze export", numbers as numbers, the overview's highlights,
and every cell equal to a count made from the demo school's raw rows."""

from __future__ import annotations

import openpyxl
import pytest

from tests.raw_formatie import expected_cells
from zdesk.domain.formatie import FLAG_SEVERITY
from zdesk.export.formatie_sheet import HEADERS
from zdesk.export.xlsx import SHEETS, write_workbook
from zdesk.present.palette import STYLES

FILLS = {style.light.lstrip("#").upper(): severity for severity, style in STYLES.items()}


@pytest.fixture(scope="module")
def sheet(small_project, tmp_path_factory):
    project, run = small_project
    path = write_workbook(tmp_path_factory.mktemp("formatie") / "f.xlsx", project, run)
    ws = openpyxl.load_workbook(path)["Formatie"]
    return ws


def rows_of(ws):
    return [row for row in ws.iter_rows(min_row=2)]


def test_formatie_comes_after_the_front_sheet():
    assert SHEETS[:2] == ("Over deze export", "Formatie")


def test_headers_and_cells_agree_with_the_raw_rows(sheet, small_school):
    assert tuple(c.value for c in sheet[1]) == HEADERS
    cells = {
        (r[1].value, r[2].value, r[3].value): tuple(c.value for c in r[4:8])
        for r in rows_of(sheet)
        if r[0].value == "vak"
    }
    assert cells == expected_cells(small_school)
    assert all(isinstance(v, int) for numbers in cells.values() for v in numbers)


def test_highlights_follow_the_flags_and_carry_words_and_symbols(sheet):
    seen = set()
    for r in rows_of(sheet):
        values = [c.value for c in r]
        fill = r[0].fill.fgColor.rgb if r[0].fill.fill_type == "solid" else None
        severity = FILLS[fill[-6:].upper()] if isinstance(fill, str) else None
        text = values[-1] or ""
        needed, planned, realised = values[5:8]
        flags = []
        if r[0].value == "vak":
            if planned < needed:
                flags.append("te weinig")
            if planned > needed:
                flags.append("te veel")
            if realised < planned:
                flags.append("niet gerealiseerd")
        expected = min((FLAG_SEVERITY[f] for f in flags), key=lambda s: s.rank, default=None)
        assert severity == expected, values
        assert all(f in text for f in flags), values
        if flags:
            assert text[0] in "▼▲◌"
        seen.update(flags)
    assert seen  # the demo school has cells that need attention


def test_totals_recomputed_from_the_raw_rows(sheet, small_school):
    """Each figure in its own column: an afdeling's students once, the sum over vakken apart."""
    pid = small_school.current_project
    branches = {r["id"]: r["name"] for r in small_school.rows_of("branchesofschools", pid)}
    depts = {r["id"]: r for r in small_school.rows_of("departmentsofbranches", pid)}
    students: dict[tuple[str, str], set[str]] = {}
    for p in small_school.rows_of("studentsindepartments", pid):
        d = depts[p["departmentOfBranch"]]
        key = (branches[d["branchOfSchool"]], d["code"])
        students.setdefault(key, set()).add(p["student"])
    raw = expected_cells(small_school)
    rows = [[c.value for c in r] for r in rows_of(sheet)]
    summed = HEADERS.index("Leerlingen opgeteld over vakken")
    department_totals = [r for r in rows if r[0] == "totaal afdeling"]
    assert department_totals
    for total in department_totals:
        its = [v for (b, d, _s), v in raw.items() if (b, d) == (total[1], total[2])]
        assert total[4] == len(students[total[1], total[2]])  # each student once
        assert total[summed] == sum(v[0] for v in its)
        assert total[5:8] == [sum(v[i] for v in its) for i in range(1, 4)]
    for total in (r for r in rows if r[0] == "totaal vak"):
        its = [v for (_b, _d, s), v in raw.items() if s == total[3]]
        assert total[4:8] == [sum(v[i] for v in its) for i in range(4)]
    (grand,) = [r for r in rows if r[0] == "totaal"]
    counted = {(b, d) for (b, d, _s) in raw}
    assert grand[4] == len(set().union(*(students[k] for k in counted if k in students)))
    assert grand[summed] == sum(v[0] for v in raw.values())
    assert grand[5:8] == [sum(v[i] for v in raw.values()) for i in range(1, 4)]
    assert rows[-1] == grand
    # An afdeling where someone chose more than one vak shows fewer students than the sum.
    assert any(t[4] < t[summed] for t in department_totals)


def test_an_afdelings_total_says_its_verdict_in_words(sheet):
    rows = [[c.value for c in r] for r in rows_of(sheet)]
    verdicts = [r[-1] for r in rows if r[0] == "totaal afdeling"]
    assert all(v == "klaar" or v.startswith("niet klaar: ") for v in verdicts)
    assert any(v.startswith("niet klaar: ") for v in verdicts)


def test_verwacht_and_prognose_per_afdeling_as_on_screen_and_in_the_portal(
    sheet, small_project, small_school
):
    from zdesk.domain.doorstroom import doorstroom_of
    from zdesk.ui.models.overview import EXPECTED, PROGNOSE, summary_table

    project, run = small_project
    headers = [c.value for c in sheet[1]]
    at = {h: i for i, h in enumerate(headers)}
    written = {
        r[at["Afdeling"]].value: (
            r[at["Verwacht"]].value,
            r[at["Prognose"]].value,
        )
        for r in rows_of(sheet)
        if r[0].value == "totaal afdeling"
    }
    raw = {
        d["code"]: d.get("prognosticStudentCount")
        for d in small_school.rows_of("departmentsofbranches", small_school.current_project)
    }
    expected = doorstroom_of(project).expected
    by_code = {d.code: d for d in project.departments}
    assert written and any(v for v, _ in written.values())
    for code, (verwacht, prognose) in written.items():
        assert verwacht == expected.get(by_code[code].id)
        assert prognose == (None if raw[code] is None else round(raw[code], 1))
    assert any(p is not None and p != int(p) for _, p in written.values())  # halves stay halves
    # The Overzicht's summary shows the same figures.
    from zdesk.domain.formatie import build_formatie

    table = summary_table(build_formatie(project, run.options, run.findings))
    shown = {
        row.department.code: (
            table.columns[EXPECTED].value(row),
            table.columns[PROGNOSE].value(row),
        )
        for row in table.rows
        if hasattr(row, "department")
    }
    assert shown == written
