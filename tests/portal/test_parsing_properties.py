"""Arbitrary answers and records: a value or one of our own errors, never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zdesk.domain.checks import run_checks
from zdesk.domain.model import (
    Choosable,
    Department,
    PlannedGroup,
    Project,
    ProjectInfo,
    ScheduleGroup,
    StudentPlacement,
)
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import PortalError
from zdesk.portal.names import Portal
from zdesk.portal.records import RECORDS

CLIENT = PortalClient(Portal("test", "http://127.0.0.1:9"), "secret-token-value")

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.text(max_size=12)
    | (st.floats(allow_nan=False))
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "id",
        "student",
        "departmentOfBranch",
        "groupInDepartments",
        "groupInDepartment",
        "choosableInDepartment",
        "name",
        "isMainGroup",
        "code",
        "yearOfEducation",
        "unknownField",
    ]
)
rows = st.dictionaries(field_names, json_values, max_size=6)
statuses = st.sampled_from([200, 200, 200, 204, 301, 400, 401, 403, 404, 418, 500, 502, 503])
content_types = st.sampled_from(["application/json", "text/html", "", "text/plain"])


def decode_everything(status, content_type, body):
    for endpoint, record in RECORDS.items():
        try:
            result = CLIENT.decode(endpoint, record, status, content_type, body, "id,name")
        except PortalError as exc:
            assert "secret-token-value" not in str(exc)
            continue
        assert isinstance(result, list)


@given(statuses, content_types, st.binary(max_size=200))
def test_arbitrary_bytes(status, content_type, body):
    decode_everything(status, content_type, body)


@given(statuses, content_types, json_values)
def test_arbitrary_json(status, content_type, value):
    decode_everything(status, content_type, json.dumps(value).encode())


@given(
    statuses,
    st.one_of(st.integers(), st.text(max_size=5), st.none()),
    st.lists(rows, max_size=5),
    st.text(max_size=20),
)
def test_envelopes_with_odd_rows(status, envelope_status, data, message):
    body = json.dumps(
        {"response": {"status": envelope_status, "message": message, "data": data, "extra": [1, 2]}}
    ).encode()
    decode_everything(status, "application/json", body)


ids = st.integers(1, 12)
placements = st.builds(
    StudentPlacement,
    ids,
    st.sampled_from(["1", "2", "3", 4, None]),
    st.none() | ids,
    st.none() | st.lists(ids, max_size=4),
)
groups = st.builds(
    ScheduleGroup,
    ids,
    st.none() | ids,
    st.none() | st.sampled_from(["a", "#uit", "", "b#allen"]),
    st.none() | st.text(max_size=4),
    st.none() | st.booleans(),
    st.none() | st.booleans(),
)
planned = st.builds(PlannedGroup, ids, st.none() | ids, st.none() | ids)
departments = st.builds(
    Department,
    ids,
    st.none() | ids,
    st.none() | st.text(max_size=3),
    st.none() | st.integers(0, 7),
    max_group_size=st.none() | ids,
)
choosables = st.builds(Choosable, ids, st.none() | ids, st.none() | st.text(max_size=3))


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(
    st.lists(departments, max_size=4),
    st.lists(choosables, max_size=5),
    st.lists(planned, max_size=6),
    st.lists(groups, max_size=6),
    st.lists(placements, max_size=8),
)
def test_any_records_build_a_project_and_every_check_runs(depts, cs, pgs, gs, ps):
    project = Project(ProjectInfo(1), [], depts, cs, pgs, gs, ps)
    run = run_checks(project)
    assert all(f.message for f in run.findings)
    counts = project.counts()
    assert counts["groups"] == len({g.id for g in gs})
