"""The workbook read back with openpyxl: the layout contract, numbers, highlights, privacy."""

from __future__ import annotations

import datetime as dt
import errno
import os
import zipfile
from pathlib import Path

import msgspec
import openpyxl
import pytest

from zdesk.domain.checks import run_checks
from zdesk.domain.diff import compare
from zdesk.domain.known import KnownMark
from zdesk.domain.model import Project
from zdesk.errors import FileProblem
from zdesk.export.xlsx import CHANGES_SHEET, SHEETS, default_filename, write_workbook
from zdesk.present.palette import STYLES

from ..domain.test_diff import changed_school


@pytest.fixture
def loaded(small_project):
    return small_project


@pytest.fixture
def book(loaded, tmp_path):
    project, run = loaded
    path = write_workbook(tmp_path / "out.xlsx", project, run)
    return openpyxl.load_workbook(path)


def table(ws):
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], rows[1:]


def fill_of(cell) -> str | None:
    colour = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    return colour[-6:].upper() if isinstance(colour, str) else None


SEVERITY_FILLS = {style.light.lstrip("#").upper(): sev for sev, style in STYLES.items()}


def highlighted_rows(ws) -> dict[int, str]:
    out = {}
    for row in ws.iter_rows(min_row=2):
        colour = fill_of(row[0])
        if colour:
            out[row[0].row] = SEVERITY_FILLS[colour]
    return out


def test_sheets_in_order_with_bold_frozen_filtered_headers(book):
    assert book.sheetnames == list(SHEETS)
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all(cell.font.bold for cell in ws[1] if cell.value)
        assert all(ws.column_dimensions[c].width >= 8 for c in "AB")


def test_headers(book):
    assert table(book["Structuur"])[0] == (
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
    assert table(book["Roostergroepen"])[0] == (
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
    assert table(book["Leerlingen"])[0] == (
        "Leerlingnummer",
        "Naam",
        "Afdeling",
        "Vestiging",
        "Stamklas",
        "Roostergroepen",
        "Aantal afdelingen",
        "Signaleringen",
    )
    assert table(book["Signaleringen"])[0] == (
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
    )


def test_row_counts_equal_the_domain(book, loaded):
    project, run = loaded
    assert len(table(book["Structuur"])[1]) == len(project.planned_groups)
    assert len(table(book["Roostergroepen"])[1]) == len(project.groups)
    assert len(table(book["Leerlingen"])[1]) == len(project.placements)
    assert len(table(book["Signaleringen"])[1]) == len(run.findings)


def test_about_sheet_says_what_the_file_is(book, loaded):
    project, run = loaded
    about = dict(table(book["Over deze export"])[1])
    assert about["Project"] == project.info.label and about["Project-id"] == project.info.id
    assert about["Portaal"] == project.portal
    assert about["Aantal afdelingsdeelnames"] == len(project.placements)
    assert (
        about["Signaleringen: Geplande groep niet gerealiseerd"]
        == run.counts()["planned-group-unrealised"]
    )
    assert "persoonsgegevens" in about["Privacy"] and "verwijder" in about["Privacy"]
    assert about["Leerlingnamen"] == "opgenomen"
    # The verdict per afdeling, before the technical details.
    keys = list(about)
    verdicts = [k for k in keys if k.startswith("Afdeling ")]
    departments = [d for d in project.departments if not d.is_pseudo]
    assert len(verdicts) == len(departments)
    assert all(about[k] == "klaar" or about[k].startswith("niet klaar: ") for k in verdicts)
    assert max(map(keys.index, verdicts)) < keys.index("Aantal afdelingsdeelnames")


def test_ids_and_counts_are_numbers(book):
    _, rows = table(book["Structuur"])
    assert all(isinstance(r[5], int) for r in rows)
    assert all(isinstance(r[9], int) for r in rows if r[8] == "ja")
    _, rows = table(book["Roostergroepen"])
    assert all(isinstance(r[0], int) and isinstance(r[7], int) for r in rows)
    _, rows = table(book["Leerlingen"])
    assert all(isinstance(r[6], int) for r in rows)


def test_highlighted_rows_are_exactly_the_flagged_ones(book, loaded):
    project, run = loaded
    flagged = run.by_object()
    ws = book["Structuur"]
    unrealised = {r[5] for r in table(ws)[1] if r[8] == "nee"}
    assert unrealised == {pg.id for pg in project.unrealised_planned_groups()}
    marks = highlighted_rows(ws)
    by_row = {row[5].value: row[5].row for row in ws.iter_rows(min_row=2)}
    assert {pid for pid, r in by_row.items() if r in marks} == {
        oid for (kind, oid) in flagged if kind == "planned_group"
    }
    assert all(marks[by_row[pid]] == "waarschuwing" for pid in unrealised)
    ws = book["Leerlingen"]
    marks = highlighted_rows(ws)
    students = {row[0].value for row in ws.iter_rows(min_row=2) if row[0].row in marks}
    # A student of last year not placed in this project has no row here (the Doorstroom sheet
    # lists them).
    this_year = project.placements_of_student
    assert students == {oid for (kind, oid) in flagged if kind == "student" and oid in this_year}
    assert any(kind == "student" and oid not in this_year for (kind, oid) in flagged)
    multi = {f.object_id for f in run.findings if f.check == "student-multiple-departments"}
    assert multi and multi <= students


def test_values_are_dutch_with_the_keuzevak_name_beside_its_code(book, loaded):
    project, _ = loaded
    headers, rows = table(book["Structuur"])
    code, name, kind = (headers.index(h) for h in ("Keuzevak", "Keuzevak naam", "Keuzevak type"))
    kinds = {r[kind] for r in rows}  # opleidingen and profielen have no geplande groepen
    assert "vak" in kinds and kinds <= {"vak", "profiel", "opleiding"}
    names = {(c.subject_code, c.subject_name) for c in project.choosables if c.subject_name}
    shown = {(r[code], r[name]) for r in rows if r[name]}
    assert shown and shown <= names


def test_signaleringen_say_what_where_and_how_to_fix(book, loaded):
    from zdesk.domain.checks import CHECK_BY_ID

    project, _ = loaded
    headers, rows = table(book["Signaleringen"])
    rows = [dict(zip(headers, r, strict=True)) for r in rows]
    # The check by its Dutch title, its id in the last column.
    assert headers[-1] == "Controle-id"
    assert all(r["Controle"] == CHECK_BY_ID[r["Controle-id"]].title for r in rows)
    assert {r["Ernst"] for r in rows} <= {"fout", "waarschuwing", "info"}
    unrealised = next(r for r in rows if r["Controle-id"] == "planned-group-unrealised")
    pg = project.planned_by_id[unrealised["Object-id"]]
    dept = project.department_of(project.choosable_by_id[pg.choosable_in_department])
    assert unrealised["Afdeling"] == dept.label
    assert unrealised["Vestiging"] == project.branch_of(dept).label
    assert unrealised["Oplossen in het portaal"].startswith("Leerlingen > Geplande groepen")
    students = [r for r in rows if r["Objecttype"] == "leerling"]
    assert students and all(
        (r["Naam"] or "") == project.student_name(r["Object-id"]) and r["Afdeling"]
        for r in students
    )
    assert any(r["Naam"] for r in students)
    two = next(r for r in rows if r["Controle-id"] == "student-multiple-departments")
    assert ", " in two["Afdeling"]  # every afdeling of the student


def test_times_are_excel_dates(loaded, tmp_path):
    project, run = loaded
    moment = dt.datetime(2026, 3, 9, 14, 5, 7, 123456)
    path = write_workbook(tmp_path / "t.xlsx", project, run, exported_at=moment)
    ws = openpyxl.load_workbook(path)["Over deze export"]
    cells = {row[0].value: row[1] for row in ws.iter_rows(min_row=2)}
    exported, loaded_at = cells["Geëxporteerd op"], cells["Geladen op"]
    assert exported.value == moment.replace(microsecond=0)
    assert exported.is_date and loaded_at.is_date
    assert exported.number_format == loaded_at.number_format == "dd-mm-yyyy hh:mm"
    assert isinstance(loaded_at.value, dt.datetime)
    assert ws.column_dimensions["B"].width >= len("dd-mm-yyyy hh:mm")


def test_leerlingnummers_stay_text_without_excel_warnings(loaded, tmp_path):
    project, run = loaded
    path = write_workbook(tmp_path / "s.xlsx", project, run)
    book = openpyxl.load_workbook(path)
    for name, column in (("Leerlingen", 0), ("Signaleringen", 5)):
        ws = book[name]
        codes = [
            row[column]
            for row in ws.iter_rows(min_row=2)
            if name == "Leerlingen" or row[4].value == "leerling"
        ]
        assert codes and all(c.data_type == "s" and c.number_format == "@" for c in codes)
        assert any(c.value.isdigit() for c in codes)  # a number, kept as text on purpose
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        sheets = [z.read(f"xl/worksheets/sheet{i}.xml").decode() for i in range(1, 8)]
    assert workbook.index('name="Leerlingen"') < workbook.index('name="Signaleringen"')
    for i in (2, 5, 6):  # Doorstroom, Leerlingen, Signaleringen
        assert '<ignoredError sqref="A1:' in sheets[i] and 'numberStoredAsText="1"' in sheets[i]
    assert "ignoredError" not in sheets[1]  # nothing to hide where there is no text number


def test_every_sheet_has_a_filled_header_and_prints_as_a_report(book):
    for ws in book.worksheets:
        assert {fill_of(c) for c in ws[1] if c.value} == {"E3E7ED"}
        portrait = ws.title == "Signaleringen"
        assert ws.page_setup.orientation == ("portrait" if portrait else "landscape")
        assert ws.page_setup.paperSize == 9
        props = ws.sheet_properties.pageSetUpPr
        if props is not None and props.fitToPage:
            # one page wide (Excel's default, left out of the file), as many pages down
            assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == "$1:$1"
        assert ws.oddFooter.left.text == "&A"
        assert ws.oddFooter.right.text == "Pagina &P van &N"


def test_injection_like_names_stay_text(loaded, tmp_path):
    shared, run = loaded
    group = shared.groups[0]
    odd = msgspec.structs.replace(group, name="=1+1", extended_name="http://example.com")
    # A project of its own: the loaded one is shared by other tests.
    project = Project(
        shared.info,
        shared.branches,
        shared.departments,
        shared.choosables,
        shared.planned_groups,
        [odd, *shared.groups[1:]],
        shared.placements,
        shared.students,
        portal=shared.portal,
    )
    path = write_workbook(tmp_path / "inj.xlsx", project, run)
    ws = openpyxl.load_workbook(path)["Roostergroepen"]
    cells = next(row for row in ws.iter_rows(min_row=2) if row[0].value == group.id)
    assert cells[1].value == "=1+1" and cells[1].data_type == "s"
    assert cells[2].value == "http://example.com" and cells[2].hyperlink is None
    assert shared.groups[0] is group


def test_a_message_names_the_student_by_name_and_number(book):
    headers, rows = table(book["Signaleringen"])
    rows = [dict(zip(headers, r, strict=True)) for r in rows]
    students = [r for r in rows if r["Objecttype"] == "leerling" and r["Naam"]]
    named = [r for r in students if f"Leerling {r['Naam']} ({r['Object-id']})" in r["Melding"]]
    assert named
    for r in students:  # never the bare number where the name is known
        assert f"Leerling {r['Object-id']} " not in r["Melding"]


def test_pseudonymised_export_has_no_names(loaded, tmp_path):
    project, run = loaded
    path = write_workbook(tmp_path / "anon.xlsx", project, run, pseudonymise=True)
    book = openpyxl.load_workbook(path)
    assert "Naam" not in table(book["Leerlingen"])[0]
    assert "Naam" not in table(book["Signaleringen"])[0]
    names = {s.full_name for s in project.students.values() if s.full_name}
    text = "\n".join(
        str(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
    assert names and not any(name in text for name in names)
    assert "weggelaten" in dict(table(book["Over deze export"])[1])["Leerlingnamen"]


def test_default_filename_keeps_the_date_apart_from_the_school_year(loaded):
    project, _ = loaded
    name = default_filename(project, dt.date(2026, 3, 9))
    assert name == "Scholengemeenschap De Vaart 2026-2027 (zdesk 09-03-2026).xlsx"
    odd = msgspec.structs.replace(project.info, name='a/b: "c"?  ', project_name=None)
    assert default_filename(Project(odd), dt.date(2026, 3, 9)) == "a-b- -c (zdesk 09-03-2026).xlsx"
    nameless = msgspec.structs.replace(project.info, name="..", project_name=None)
    assert default_filename(Project(nameless), dt.date(2026, 3, 9)).startswith("project ")


# ---- atomic writing ---------------------------------------------------------------------------


def write_previous(path: Path) -> bytes:
    path.write_bytes(b"previous workbook")
    return path.read_bytes()


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".~zdesk-")]


def test_replacing_an_existing_file(loaded, tmp_path):
    project, run = loaded
    target = tmp_path / "out.xlsx"
    write_previous(target)
    write_workbook(target, project, run)
    assert openpyxl.load_workbook(target).sheetnames == list(SHEETS)
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_leaves_the_previous_file(loaded, tmp_path):
    project, run = loaded
    target = tmp_path / "out.xlsx"
    before = write_previous(target)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(FileProblem, match="alleen-lezen"):
            write_workbook(target, project, run)
    finally:
        tmp_path.chmod(0o755)
    assert target.read_bytes() == before and leftovers(tmp_path) == []


def test_target_locked_by_another_program(loaded, tmp_path, monkeypatch):
    # Excel on Windows holds the file open; renaming onto it then fails with a permission error.
    from zdesk.export import placing

    project, run = loaded
    target = tmp_path / "out.xlsx"
    before = write_previous(target)

    def locked(src, dst):
        raise PermissionError(errno.EACCES, "The process cannot access the file", str(dst))

    monkeypatch.setattr(placing, "OPEN_FILES_ARE_LOCKED", True)
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileProblem) as info:
        write_workbook(target, project, run)
    assert "geopend in Excel" in str(info.value)
    assert target.read_bytes() == before and leftovers(tmp_path) == []


def test_disk_full(loaded, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "system-tmp"))
    (tmp_path / "system-tmp").mkdir()
    project, run = loaded
    target = tmp_path / "out.xlsx"
    before = write_previous(target)
    import xlsxwriter.workbook

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", full)
    with pytest.raises(FileProblem, match="schijf is vol"):
        write_workbook(target, project, run)
    assert target.read_bytes() == before and leftovers(tmp_path) == []
    assert list((tmp_path / "system-tmp").iterdir()) == []  # no rows of students left behind


def test_folder_gone(loaded, tmp_path):
    project, run = loaded
    with pytest.raises(FileProblem, match="bestaat niet"):
        write_workbook(tmp_path / "gone" / "out.xlsx", project, run)


def test_read_only_folder_simulated(loaded, tmp_path, monkeypatch):
    # The same failure as above for any user (root ignores permissions): creating the file fails.
    import xlsxwriter.workbook

    project, run = loaded
    target = tmp_path / "out.xlsx"
    before = write_previous(target)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", refuse)
    with pytest.raises(FileProblem, match="alleen-lezen"):
        write_workbook(target, project, run)
    assert target.read_bytes() == before and leftovers(tmp_path) == []


def test_a_comparison_adds_the_changes_sheet_and_known_ones_their_note(loaded, tmp_path):
    before, before_run = loaded
    after = changed_school(before)
    after_run = run_checks(after)
    comparison = compare(before, after, before_run.findings, after_run.findings)
    target = after_run.findings[0]
    mark = KnownMark(target.check, target.object_type, target.object_id, "zo bedoeld")
    path = write_workbook(
        tmp_path / "out.xlsx",
        after,
        after_run,
        comparison=comparison,
        known={mark.key: mark},
        history="Versleuteld bewaard in /ergens; 8 weken",
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*SHEETS, CHANGES_SHEET]
    sheet = book[CHANGES_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Vergeleken: lading van ")
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref.startswith("A3:")
    assert rows[2][:4] == ("Wijziging", "Objecttype", "Object", "Object-id")
    body = rows[3:]
    changes = [r for r in body if not str(r[0]).startswith("signalering")]
    assert len(changes) == len(comparison.changes) == 5
    labels = {"added": "nieuw", "removed": "verdwenen", "changed": "gewijzigd"}
    assert {(r[0], r[3]) for r in changes} == {
        (labels[c.change], c.object_id) for c in comparison.changes
    }
    assert sum(1 for r in body if r[0] == "signalering nieuw") == len(comparison.new_findings)
    resolved = sum(1 for r in body if r[0] == "signalering opgelost")
    assert resolved == len(comparison.resolved_findings)
    headers, found = table(book["Signaleringen"])
    at = {h: i for i, h in enumerate(headers)}
    known = [r for r in found if r[at["Bekend"]] == "ja"]
    assert [(r[at["Controle-id"]], str(r[at["Object-id"]]), r[at["Notitie"]]) for r in known] == [
        (target.check, str(target.object_id), "zo bedoeld")
    ]
    about = dict(table(book["Over deze export"])[1])
    assert about["Geschiedenis"] == "Versleuteld bewaard in /ergens; 8 weken"
    assert about["Vergeleken met"].startswith("lading van ")
    assert about["Signaleringen bekend (met notitie)"] == 1


def test_every_sheet_prints_readable(loaded, tmp_path):
    """No sheet shrinks its text below 8 points (73 % of 11) to fit a page; Signaleringen is
    portrait with Melding wrapped; every sheet repeats its header row."""
    from zdesk.export.sheet import MIN_SCALE

    project, run = loaded
    book = openpyxl.load_workbook(write_workbook(tmp_path / "p.xlsx", project, run))
    for ws in book.worksheets:
        setup, props = ws.page_setup, ws.sheet_properties.pageSetUpPr
        fits = props is not None and props.fitToPage
        assert ws.print_title_rows, ws.title
        if fits:
            assert setup.fitToWidth in (1, None) and setup.fitToHeight == 0, ws.title
        elif setup.scale is not None:
            assert setup.scale >= MIN_SCALE, ws.title
    findings = book["Signaleringen"]
    assert findings.page_setup.orientation == "portrait"
    headers = [c.value for c in findings[1]]
    melding = findings.cell(row=2, column=headers.index("Melding") + 1)
    assert melding.alignment.wrap_text
    assert findings.column_dimensions[melding.column_letter].width <= 46
