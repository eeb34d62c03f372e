"""`zdesk diff` over real HTTP: load the demo school, change it in the demo portal, load again, and
the diff lists exactly those changes; every check and export is remembered, known ones reported."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import openpyxl
import pytest

from zdesk.app.history import Retention, open_history
from zdesk.cli import main
from zdesk.cli.check import run_check_command, run_export_command
from zdesk.cli.diff import run_diff_command
from zdesk.demo.school import generate_school
from zdesk.demo.server import FakePortal

from .conftest import TEST_YEAR
from .school_changes import make_the_four_changes


def check(url, project=None, only=None):
    out, err = io.StringIO(), io.StringIO()
    code = run_check_command(url, project, False, True, only, out=out, err=err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue()), err.getvalue()


def diff(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    code = run_diff_command(*args, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def changing():
    """A portal of its own (the test changes its school) with the token in ZDESK_TOKEN."""
    school = generate_school("small", seed=7, year=TEST_YEAR)
    with FakePortal(school) as fake:
        yield fake


@pytest.fixture
def token_for(monkeypatch):
    def use(fake):
        monkeypatch.setenv("ZDESK_TOKEN", fake.token)

    return use


def test_diff_lists_exactly_the_changes_made_in_the_portal(changing, token_for):
    fake = changing
    token_for(fake)
    check(fake.url)
    made = make_the_four_changes(fake)
    check(fake.url)

    code, out, err = diff(fake.url, None, None, True)
    assert code == 0, err
    report = json.loads(out)
    found = {
        (c["change"], c["object_type"], c["object_id"], c["what"], c["before"], c["after"])
        for c in report["changes"]
    }
    assert found == made.expected
    new = {(f["check"], f["object_id"]) for f in report["findings"]["new"]}
    resolved = {(f["check"], f["object_id"]) for f in report["findings"]["resolved"]}
    assert ("planned-group-unrealised", made.realised) in resolved
    assert ("group-empty", made.removed_group) in resolved
    assert ("student-multiple-departments", made.placed_student) in new
    first, second = report["from"]["loaded_at"], report["to"]["loaded_at"]
    assert datetime.fromisoformat(first) <= datetime.fromisoformat(second)

    code, text, _ = diff(fake.url, None, None, False)
    assert code == 0
    assert "5 wijzigingen: 1 nieuw, 1 verdwenen, 3 gewijzigd." in text
    assert f"Roostergroep {made.removed_label} is verdwenen" in text
    assert "Signaleringen opgelost:" in text


def test_since_picks_the_newest_load_on_or_before_that_date(changing, token_for):
    fake = changing
    token_for(fake)
    check(fake.url)
    history = open_history(fake.url.split("//")[1])
    [first] = history.loads()
    # The first load as if it were made three days ago.
    snapshot = history.read(first)
    snapshot.project.loaded_at = first.loaded_at - 3 * 86400
    history.save(snapshot.project, snapshot.checks, retention=Retention())
    first.path.unlink()
    make_the_four_changes(fake)
    check(fake.url)
    check(fake.url)  # nothing changed since the second load
    code, out, _ = diff(fake.url, None, None, True)
    assert code == 0 and json.loads(out)["changes"] == []
    since = (date.today() - timedelta(days=2)).isoformat()
    code, out, _ = diff(fake.url, None, since, True)
    assert code == 0 and len(json.loads(out)["changes"]) == 5
    far = (date.today() - timedelta(days=30)).isoformat()
    code, _, err = diff(fake.url, None, far, True)
    assert code == 2 and f"op of vóór {far}" in err
    code, _, err = diff(fake.url, None, "gisteren", True)
    assert code == 2 and "JJJJ-MM-DD" in err


def test_diff_needs_two_loads(changing, token_for):
    fake = changing
    token_for(fake)
    code, _, err = diff(fake.url, None, None, True)
    assert code == 2 and "nog geen ladingen" in err
    check(fake.url)
    code, _, err = diff(fake.url, None, None, True)
    assert code == 2 and "geen bewaarde lading" in err
    assert main(["diff", "--portal", "http://example.com"]) == 2


def test_check_and_export_are_remembered_and_report_known_ones(changing, token_for, tmp_path):
    fake = changing
    token_for(fake)
    report, _ = check(fake.url)
    out, err = io.StringIO(), io.StringIO()
    code = run_export_command(
        str(tmp_path / "formatie.xlsx"), fake.url, None, False, False, out=out, err=err
    )
    assert code == 0, err.getvalue()
    history = open_history(fake.url.split("//")[1])
    assert len(history.loads(report["project"]["id"])) == 2
    book = openpyxl.load_workbook(tmp_path / "formatie.xlsx")
    about = dict(list(book["Over deze export"].iter_rows(values_only=True))[1:])
    # Where, without the folder: its path names the account of whoever made the export.
    assert "in de datamap van zdesk" in about["Geschiedenis"]
    assert str(history.folder) not in about["Geschiedenis"]
    assert "tot 8 weken" in about["Geschiedenis"]
    snapshot = history.latest(report["project"]["id"])
    target = snapshot.checks.findings[0]
    history.mark_known(report["project"]["id"], target, "zo bedoeld")
    report, _ = check(fake.url)
    marked = [f for f in report["findings"] if f.get("known")]
    assert [(f["check"], f["object_id"], f["note"]) for f in marked] == [
        (target.check, target.object_id, "zo bedoeld")
    ]
    assert all("known" not in f for f in report["findings"] if f is not marked[0])


def test_a_partial_check_is_remembered_without_its_partial_signaleringen(changing, token_for):
    fake = changing
    token_for(fake)
    report, _ = check(fake.url, only=["pseudo-group"])
    history = open_history(fake.url.split("//")[1])
    snapshot = history.latest(report["project"]["id"])
    # All checks were run again on reading: not just the one asked for.
    assert len({f.check for f in snapshot.checks.findings}) > 1


def test_without_a_keyring_check_still_works_and_says_so(changing, token_for, monkeypatch):
    import keyring
    import keyring.backends.fail

    fake = changing
    token_for(fake)
    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    report, err = check(fake.url)
    assert report["findings"]
    assert "Niet bewaard in de geschiedenis" in err and "geen beveiligde sleutelopslag" in err


def test_a_damaged_load_is_skipped_by_diff_and_never_blocks_a_check(changing, token_for, logfail):
    logfail.expect("zdesk.store.history", "overgeslagen")
    fake = changing
    token_for(fake)
    check(fake.url)
    make_the_four_changes(fake)
    check(fake.url)
    history = open_history(fake.url.split("//")[1])
    newest = history.loads()[0]
    newest.path.write_bytes(newest.path.read_bytes()[:100])
    report, err = check(fake.url)  # a damaged file in the folder: the check runs and saves
    assert report["findings"] and err == ""
    code, out, err = diff(fake.url, None, None, True)
    assert code == 0
    assert newest.path.name in err and "onvolledig" in err
    # The newest (just saved) against the first: the damaged one in between is passed over.
    assert len(json.loads(out)["changes"]) == 5


def test_a_student_placed_for_next_year_is_a_resolved_doorstroom_signalering(changing, token_for):
    from zdesk.demo.changes import SchoolChanges

    fake = changing
    token_for(fake)
    first, _ = check(fake.url)
    not_placed = sorted(
        f["object_id"] for f in first["findings"] if f["check"] == "student-not-placed-next-year"
    )
    assert not_placed and first["previous_project"] is not None
    changes = SchoolChanges(fake)
    department = next(
        d["id"] for d in changes.rows("departmentsofbranches") if "#" not in d["code"]
    )
    changes.place_student(not_placed[0], department)
    check(fake.url)
    code, out, err = diff(fake.url, None, None, True)
    assert code == 0, err
    report = json.loads(out)
    resolved = {(f["check"], f["object_id"]) for f in report["findings"]["resolved"]}
    assert ("student-not-placed-next-year", not_placed[0]) in resolved
