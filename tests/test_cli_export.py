"""`zdesk export`: the headless workbook, exit codes and pseudonymisation."""

from __future__ import annotations

import io

import openpyxl
import pytest

from zdesk.cli.check import run_export_command


def run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    code = run_export_command(*args, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def test_export_from_a_linked_portal(portal, monkeypatch, tmp_path, small_school):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    target = tmp_path / "school.xlsx"
    code, out, err = run(str(target), portal.url, None, False, False)
    assert code == 0, err
    assert "Geëxporteerd naar" in out
    book = openpyxl.load_workbook(target)
    about = dict(list(book["Over deze export"].iter_rows(values_only=True))[1:])
    assert about["Project-id"] == small_school.current_project
    assert "Naam" in next(book["Leerlingen"].iter_rows(values_only=True))


def test_pseudonymised_export(portal, monkeypatch, tmp_path):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    target = tmp_path / "anon.xlsx"
    code, out, _ = run(str(target), portal.url, None, False, True)
    assert code == 0 and "zonder namen" in out
    header = next(openpyxl.load_workbook(target)["Leerlingen"].iter_rows(values_only=True))
    assert "Naam" not in header


def test_missing_folder_is_exit_5_before_loading(portal, monkeypatch, tmp_path):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    portal.clear_log()
    code, _, err = run(str(tmp_path / "nope" / "x.xlsx"), portal.url, None, False, False)
    assert code == 5 and "bestaat niet" in err
    assert portal.requests == []


def test_wrong_extension_is_usage(tmp_path):
    code, _, err = run(str(tmp_path / "x.csv"), None, None, True, False)
    assert code == 2 and ".xlsx" in err


def test_link_problem_is_exit_3(portal, tmp_path):
    code, _, _ = run(str(tmp_path / "x.xlsx"), portal.url, None, False, False)
    assert code == 3


@pytest.mark.parametrize("option", [None, 13])
def test_the_formatie_sheet_uses_the_max_group_size_setting(monkeypatch, tmp_path, option):
    """The setting from Bestand > Instellingen, or `--max-group-size` for one run."""
    from tests.conftest import TEST_YEAR
    from zdesk.cli import main
    from zdesk.demo.school import generate_school
    from zdesk.demo.server import FakePortal
    from zdesk.export.formatie_sheet import CELL
    from zdesk.store.settings import Settings

    school = generate_school("small", seed=7, year=TEST_YEAR)
    # The pseudo afdeling #uit has no formatie: only the school's own afdelingen.
    departments = [
        d
        for d in school.rows_of("departmentsofbranches", school.current_project)
        if d["code"] != "#uit"
    ]
    own = {d["code"]: d["maxGroupSize"] for d in departments}
    for dept in departments[::2]:
        dept["maxGroupSize"] = None
    without = {d["code"] for d in departments[::2]}
    settings = Settings.load()
    settings.default_max_group_size = 17
    settings.save()
    with FakePortal(school) as fake:
        monkeypatch.setenv("ZDESK_TOKEN", fake.token)
        target = tmp_path / "school.xlsx"
        extra = [] if option is None else ["--max-group-size", str(option)]
        assert main(["export", str(target), "--portal", fake.url, *extra]) == 0
    rows = list(openpyxl.load_workbook(target)["Formatie"].iter_rows(values_only=True))
    header = rows[0]
    kind, dept, limit = (header.index(h) for h in ("Soort", "Afdeling", "Maximum per groep"))
    limits = {row[dept]: row[limit] for row in rows[1:] if row[kind] == CELL}
    assert limits and set(limits) >= without
    default = 17 if option is None else option
    assert limits == {d: default if d in without else own[d] for d in limits}
