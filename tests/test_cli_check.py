"""`zdesk check`: linking, project choice, JSON output and exit codes."""

from __future__ import annotations

import io
import json

import pytest

from zdesk.cli import main
from zdesk.cli.check import run_check_command
from zdesk.demo.school import DEMO_TIER, generate_school
from zdesk.demo.server import FakePortal, Rights
from zdesk.store.secrets import SecretStore


def run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    code = run_check_command(*args, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def test_demo_json_agrees_with_the_generated_anomalies():
    code, out, _ = run(None, None, True, True, None)
    assert code == 0
    report = json.loads(out)
    school = generate_school(DEMO_TIER)
    seeded = school.anomalies[school.current_project]
    assert report["project"]["id"] == school.current_project
    assert report["counts"]["students"] == 1500
    assert report["missing_rights"] == []
    found: dict[str, set] = {}
    for f in report["findings"]:
        assert set(f) == {"check", "severity", "object_type", "object_id", "message"}
        found.setdefault(f["check"], set()).add(f["object_id"])
    assert found["planned-group-unrealised"] == seeded.unrealised_planned_groups
    assert found["student-multiple-departments"] == set(seeded.multi_department_students)
    assert found["choice-without-group"] == seeded.choices_without_group
    assert found["planned-groups-too-few"] == seeded.planned_groups_too_few
    severities = {
        f["object_id"]: f["severity"]
        for f in report["findings"]
        if f["check"] == "student-multiple-departments"
    }
    for student, kind in seeded.multi_department_students.items():
        assert severities[student] == ("waarschuwing" if kind == "other_branch" else "info")


def test_text_summary_in_dutch():
    code, out, _ = run(None, None, True, False, None)
    assert code == 0
    assert "Project: Scholengemeenschap De Vaart" in out
    assert "Geplande groep niet gerealiseerd (planned-group-unrealised): " in out
    assert "signaleringen:" in out


@pytest.fixture
def linked(portal, memory_keyring):
    SecretStore().save(portal.url.split("//")[1], portal.token)
    return portal


def test_token_from_the_keyring(linked, small_school):
    code, out, err = run(linked.url, small_school.current_project, False, True, None)
    assert code == 0, err
    assert json.loads(out)["project"]["id"] == small_school.current_project


def test_token_from_the_environment(portal, small_school, monkeypatch):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    code, out, err = run(portal.url, None, False, True, None)
    assert code == 0, err
    assert json.loads(out)["project"]["id"] == small_school.current_project


def test_no_token_is_a_link_problem(portal):
    code, _, err = run(portal.url, None, False, True, None)
    assert code == 3 and "geen koppeling" in err


def test_expired_token_is_a_link_problem(portal, monkeypatch):
    monkeypatch.setenv("ZDESK_TOKEN", portal.issue_token(expires_in=-1))
    code, _, err = run(portal.url, None, False, True, None)
    assert code == 3 and "Koppel opnieuw" in err


def test_missing_required_right_is_exit_3(portal, monkeypatch):
    monkeypatch.setenv("ZDESK_TOKEN", portal.issue_token(Rights.without("plannedgroups")))
    code, _, err = run(portal.url, None, False, True, None)
    assert code == 3 and "plannedgroups" in err


def test_portal_down_is_exit_4(portal, monkeypatch):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    portal.add_fault("status", "*", status=500)
    code, _, err = run(portal.url, None, False, True, None)
    assert code == 4 and "foutmelding (500)" in err


def test_unknown_project_lists_the_projects(portal, monkeypatch, small_school):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    code, _, err = run(portal.url, 12345, False, True, None)
    assert code == 2
    for pid in small_school.project_ids():
        assert str(pid) in err
    assert "gearchiveerd" in err


def test_no_single_current_project_lists_them(small_school, monkeypatch):
    # A portal whose token sees only last year's project has no current one to pick.
    last_year = min(small_school.project_ids())
    with FakePortal(small_school) as fake:
        monkeypatch.setenv("ZDESK_TOKEN", fake.issue_token(Rights(projects=frozenset({last_year}))))
        code, _, err = run(fake.url, None, False, True, None)
    assert code == 2 and "kies er een met --project" in err


def test_partial_rights_are_reported_with_skipped_checks(portal, monkeypatch):
    monkeypatch.setenv("ZDESK_TOKEN", portal.issue_token(Rights.without("studentsindepartments")))
    code, out, _ = run(portal.url, None, False, True, None)
    assert code == 0
    report = json.loads(out)
    assert {"endpoint": "studentsindepartments", "field": None, "reason": "refused"} in report[
        "missing_rights"
    ]
    skipped = {s["check"] for s in report["skipped_checks"]}
    assert "student-multiple-departments" in skipped
    assert all(
        s["reason"].startswith("overgeslagen: geen leesrecht") for s in report["skipped_checks"]
    )


def test_missing_rights_and_skipped_checks_are_said_in_words(portal, monkeypatch):
    monkeypatch.setenv("ZDESK_TOKEN", portal.issue_token(Rights.without("studentsindepartments")))
    code, out, _ = run(portal.url, None, False, False, None)
    assert code == 0
    assert "Geen leesrecht: afdelingsdeelnames (studentsindepartments)" in out
    assert "Controle Leerling in meerdere afdelingen (student-multiple-departments) " in out


def test_command_line_usage_errors_exit_2(capsys):
    assert main(["check", "--portal", "http://example.com"]) == 2
    assert "https://" in capsys.readouterr().err
    assert main(["check", "--demo", "--check", "nonsense"]) == 2


def test_check_option_limits_the_run(portal, monkeypatch):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    code, out, _ = run(portal.url, None, False, True, ["pseudo-group", "group-empty"])
    assert code == 0
    assert {f["check"] for f in json.loads(out)["findings"]} == {"pseudo-group", "group-empty"}


def test_odd_values_are_reported_as_data_problems(portal, monkeypatch, small_school):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    portal.add_fault("retype", "groupindepartments", field="isMainGroup", to="object", share=0.5)
    code, out, _ = run(portal.url, small_school.current_project, False, True, None)
    assert code == 0
    report = json.loads(out)
    [problem] = report["data_problems"]
    assert (problem["endpoint"], problem["field"], problem["action"]) == (
        "groupindepartments",
        "isMainGroup",
        "dropped",
    )
    assert problem["count"] > 0 and "isMainGroup" in problem["message"]
    assert any(f["check"] == "data-repaired" for f in report["findings"])


def test_with_a_project_the_data_is_read_at_once(portal, monkeypatch, small_school):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    portal.clear_log()
    code, _, _ = run(portal.url, small_school.current_project, False, True, None)
    assert code == 0
    # No probe first: every request asks for this project's data, and beside it the project
    # list (to find the previous project) and what the doorstroom needs of that one.
    paths = [r.path.rsplit("/", 1)[-1] for r in portal.requests]
    own = [
        "schoolsinschoolyears",
        "branchesofschools",
        "departmentsofbranches",
        "choosableindepartments",
        "plannedgroups",
        "groupindepartments",
        "studentsindepartments",
        "selectedsubjects",
    ]
    previous = [
        "schoolsinschoolyears",  # the list
        "branchesofschools",
        "departmentsofbranches",
        "choosableindepartments",
        "studentsindepartments",
    ]
    assert sorted(paths) == sorted(own + previous)
    portal.clear_log()
    code, _, _ = run(portal.url, small_school.current_project, False, True, None, previous="none")
    assert code == 0
    assert sorted(r.path.rsplit("/", 1)[-1] for r in portal.requests) == sorted(own)


def test_text_output_carries_no_control_characters_from_the_portal():
    import msgspec

    from tests.domain.factory import Build
    from zdesk.cli.check import Loaded, report_text
    from zdesk.domain.checks import run_checks

    b = Build()
    d = b.dept("h4", 4)
    g = b.group(d, "\x1b[2J\x1b]0;pwned\x07h4a\u202e", main=True)
    b.plan(b.choosable(d), None)
    b.fill(d, g, 3)
    project = b.project()
    project.info = msgspec.structs.replace(project.info, name="Vaart\x1b[31m\r\x9b2026")
    out = io.StringIO()
    report_text(Loaded(project, run_checks(project)), out)
    text = out.getvalue()
    assert "Project: Vaart[31m2026" in text
    assert not any(ch in text for ch in "\x1b\x07\r\x9b\u202e")


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (
            lambda ex: ex.head("302 Found", {"Location": "https://elders.example/x"}),
            "stuurde zdesk door naar https://elders.example/x",
        ),
        (
            lambda ex: ex.head("200 OK", {"Content-Length": str(2**31)}),
            "is onverwacht groot",
        ),
    ],
)
def test_a_hostile_answer_is_exit_4_with_the_dutch_message(answer, said, monkeypatch):
    from tests.portal.hostile import HostileServer

    with HostileServer(answer) as server:
        monkeypatch.setenv("ZDESK_TOKEN", "t0ken")
        code, out, err = run(server.url, None, False, False, None)
    assert code == 4 and said in err and out == ""
    assert "Traceback" not in err


# ---- the maximum group size: the app's setting, or --max-group-size -----------------------

GROUP_SIZE_CHECKS = {"planned-groups-too-few", "planned-groups-too-many"}


@pytest.fixture
def portal_without_max():
    """A school whose afdelingen have no maxGroupSize: the setting decides the groups needed."""
    from tests.conftest import TEST_YEAR

    school = generate_school("small", seed=7, year=TEST_YEAR)
    for dept in school.rows_of("departmentsofbranches", school.current_project):
        dept["maxGroupSize"] = None
    with FakePortal(school) as fake:
        yield fake, school.current_project


def _findings(report):
    return {(f["check"], f["object_id"], f["message"]) for f in report["findings"]}


def _checked_directly(url, token, project_id, size):
    """The same portal loaded and checked without the command: what the app would show."""
    from zdesk.domain.checks import CheckOptions, run_checks
    from zdesk.loading.loader import load_project
    from zdesk.portal.client import PortalClient
    from zdesk.portal.names import normalise_portal

    with PortalClient(normalise_portal(url), token) as client:
        project = load_project(client, project_id)
    run = run_checks(project, options=CheckOptions(default_max_group_size=size))
    return {(f.check, f.object_id, f.message) for f in run.findings}


def test_the_max_group_size_setting_changes_only_the_formatie_findings(
    portal_without_max, monkeypatch
):
    from zdesk.store.settings import Settings

    fake, project_id = portal_without_max
    monkeypatch.setenv("ZDESK_TOKEN", fake.token)
    code, out, err = run(fake.url, project_id, False, True, None)
    assert code == 0, err
    default = json.loads(out)
    settings = Settings.load()
    settings.default_max_group_size = 20
    settings.save()
    code, out, err = run(fake.url, project_id, False, True, None)
    assert code == 0, err
    twenty = json.loads(out)

    assert (default["default_max_group_size"], twenty["default_max_group_size"]) == (30, 20)
    changed = _findings(default) ^ _findings(twenty)
    assert changed and {check for check, _, _ in changed} <= GROUP_SIZE_CHECKS
    assert _findings(twenty) == _checked_directly(fake.url, fake.token, project_id, 20)

    def ids(report, check):
        return {f["object_id"] for f in report["findings"] if f["check"] == check}

    # A smaller maximum asks for more groups: never fewer "te weinig", never more "te veel".
    assert ids(twenty, "planned-groups-too-few") > ids(default, "planned-groups-too-few")
    assert ids(twenty, "planned-groups-too-many") < ids(default, "planned-groups-too-many")
    assert all(
        "standaardmaximum 20 per groep" in f["message"]
        for f in twenty["findings"]
        if f["check"] == "planned-groups-too-few"
    )


def test_the_command_line_maximum_beats_the_setting(portal_without_max, monkeypatch, capsys):
    from zdesk.store.settings import Settings

    fake, project_id = portal_without_max
    monkeypatch.setenv("ZDESK_TOKEN", fake.token)
    settings = Settings.load()
    settings.default_max_group_size = 20
    settings.save()
    args = ["check", "--portal", fake.url, "--project", str(project_id), "--json"]
    assert main([*args, "--max-group-size", "15"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["default_max_group_size"] == 15
    assert _findings(report) == _checked_directly(fake.url, fake.token, project_id, 15)
    assert Settings.load().default_max_group_size == 20  # an option, not a new setting


@pytest.mark.parametrize("size", ["0", "100"])
def test_a_max_group_size_out_of_range_is_usage_before_any_request(
    portal, monkeypatch, capsys, size
):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    portal.clear_log()
    assert main(["check", "--portal", portal.url, "--max-group-size", size]) == 2
    said = capsys.readouterr().err
    assert f"Maximale groepsgrootte {size} kan niet; kies een getal van 1 tot en met 99" in said
    assert portal.requests == []


def test_json_names_the_previous_project_and_the_choice_is_the_users(
    portal, monkeypatch, small_school
):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    (last,) = [p for p in small_school.project_ids() if p != small_school.current_project]
    code, out, _ = run(portal.url, small_school.current_project, False, True, None)
    assert code == 0
    report = json.loads(out)
    assert report["previous_project"]["id"] == last and report["previous_project"]["name"]
    found = {f["check"] for f in report["findings"]}
    assert "student-not-placed-next-year" in found
    code, out, _ = run(portal.url, small_school.current_project, False, True, None, previous="none")
    report = json.loads(out)
    assert code == 0 and report["previous_project"] is None
    assert {
        s["check"]: s["reason"] for s in report["skipped_checks"] if "vorig" in s["reason"]
    } == dict.fromkeys(
        ["student-not-placed-next-year", "student-repeats-year", "student-changes-education"],
        "overgeslagen: geen vorig project gekozen (Bestand > Instellingen)",
    )
    code, _, err = run(portal.url, small_school.current_project, False, True, None, previous="x1")
    assert code == 2 and "geen project" in err


def test_previous_project_on_the_command_line(monkeypatch):
    from zdesk.cli.main import build_parser

    args = build_parser().parse_args(["export", "uit.xlsx", "--previous-project", "none"])
    assert args.previous_project == "none"
    args = build_parser().parse_args(["check", "--previous-project", "401"])
    assert args.previous_project == "401"


def test_the_checks_without_pakketkeuzes_run_while_they_come_in(portal, monkeypatch):
    """A nightly check runs its first stage of checks while the pakketkeuzes are on their way;
    the report is the same as with every check run at the end."""
    from tests.held_back import hold_pakketkeuzes, signal_when_done
    from zdesk.domain import check_stages

    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    _, before, _ = run(portal.url, None, False, True, None, previous="auto")
    made = signal_when_done(monkeypatch, check_stages, "checks_before_choices")
    hold_pakketkeuzes(monkeypatch, made, "the first stage")
    code, after, err = run(portal.url, None, False, True, None, previous="auto")
    assert code == 0, err
    assert made.is_set()
    first, second = json.loads(before), json.loads(after)
    assert first["findings"] == second["findings"]
    assert first["skipped_checks"] == second["skipped_checks"]
