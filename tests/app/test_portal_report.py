"""The portaalrapport: describes every field the portal serves, and holds no personal data, id,
code or token."""

from __future__ import annotations

import io
import json
import os
import stat

from zdesk.app.portal_report import ENUMERATIONS, make_report, report_text
from zdesk.cli.check import run_portal_report_command
from zdesk.demo.protocol import ENDPOINT_FIELDS
from zdesk.demo.server import FakePortal, Quirks
from zdesk.loading.loader import load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal

NAME_FIELDS = ("firstName", "prefix", "lastName")


def secrets_of(school, token: str) -> tuple[set[str], set[int]]:
    """Every text and id of the school that must not be in the report."""
    texts, ids = {token}, set()
    words = set()  # the enumeration values (vwo, profile, ...) a subject may also be named by
    rows = [r for rs in school.rows.values() for r in rs] + list(school.users)
    for row in rows:
        for key, value in row.items():
            if key in ENUMERATIONS:
                words.add(value)
            if (key == "id" or key.endswith(("OfBranch", "InDepartment", "InSchoolYear"))) and (
                isinstance(value, int) and value >= 100
            ):
                ids.add(value)
            if key in ("code", "student", *NAME_FIELDS, "name", "extendedName", "subjectName") and (
                isinstance(value, str) and len(value) >= 3
            ):
                texts.add(value)
    texts -= words
    return texts, ids


def walk(value, found_texts: list, found_ints: list, key: str = ""):
    if isinstance(value, dict):
        for k, v in value.items():
            found_texts.append(k)
            walk(v, found_texts, found_ints, k)
    elif isinstance(value, list):
        for v in value:
            walk(v, found_texts, found_ints, key)
    elif isinstance(value, str):
        found_texts.append(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        found_ints.append((key, value))


def report_of(portal, school, **kwargs):
    client = PortalClient(normalise_portal(portal.url), portal.token)
    project = load_project(client, school.current_project)
    return make_report(client, project, **kwargs)


def test_the_report_describes_every_field_and_holds_no_personal_data(small_school):
    with FakePortal(small_school) as portal:
        report = report_of(portal, small_school)
        token = portal.token
    texts, ids = secrets_of(small_school, token)
    found_texts: list[str] = []
    found_ints: list[tuple[str, int]] = []
    walk(report, found_texts, found_ints)
    assert not texts.intersection(found_texts)
    text = report_text(report) + json.dumps(report)
    assert not [t for t in texts if len(t) >= 4 and t in text]
    # Counts only: of bytes, rows, each JSON type of a field, each enumeration value, each object.
    counted = {"bytes", "rows", "format", "rows_of_other_projects", "count"}
    counted |= {"null", "integer", "text", "boolean", "number", "object", "list"}
    counted |= {v for e in report["endpoints"].values() for c in e["values"].values() for v in c}
    counted |= set(report["last_load"]["counts"])
    leaked = [
        (k, v) for k, v in found_ints if v in ids and k not in counted and not k.startswith("list")
    ]
    assert not leaked
    assert report["portal"] is None
    for endpoint, (default, _extra) in ENDPOINT_FIELDS.items():
        entry = report["endpoints"][endpoint]
        assert set(entry["default_fields"]) == set(default), endpoint
        assert set(entry["fields"]) >= set(entry["fields_asked"]), endpoint
        if "filter" in entry:
            assert entry["filter"]["honoured"], endpoint
    values = report["endpoints"]["choosableindepartments"]["values"]["subjectType"]
    assert set(values) == {"subject", "profile", "education"}
    nested = report["endpoints"]["choosableindepartments"]["nested_keys"]
    assert nested["lessonHoursInClassPeriods"] == ["classPeriod", "lessonHours"]


def test_the_report_shows_what_an_odd_portal_does(small_school):
    quirks = Quirks(
        absent_fields=frozenset({("plannedgroups", "rank")}),
        ignored_filters=frozenset({"selectedsubjects"}),
    )
    with FakePortal(small_school, quirks=quirks) as portal:
        report = report_of(portal, small_school, with_portal_name=True)
    assert report["portal"].startswith("127.0.0.1")
    assert {"endpoint": "plannedgroups", "field": "rank", "reason": "unknown"} in report[
        "last_load"
    ]["missing"]
    selected = report["endpoints"]["selectedsubjects"]["filter"]
    assert not selected["honoured"] and selected["rows_of_other_projects"] > 0
    assert "selectedsubjects" in report["last_load"]["ignored_filters"]
    assert "NIET gevolgd" in report_text(report)


def test_the_command_writes_a_private_file(portal, small_school, tmp_path, monkeypatch):
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    target = tmp_path / "rapport.json"
    out, err = io.StringIO(), io.StringIO()
    code = run_portal_report_command(
        str(target), portal.url, small_school.current_project, False, False, out=out, err=err
    )
    assert code == 0, err.getvalue()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert json.loads(target.read_text())["endpoints"]
    assert "Portaalrapport" in out.getvalue() and portal.token not in out.getvalue()
