"""The fake portal over real loopback HTTP: envelope, fields, filters, tokens, rights and faults."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from zdesk.demo.seed import PROJECT as SEED_PROJECT
from zdesk.demo.server import FORBIDDEN_MESSAGE, LOOPBACK, Rights

SEED_EXAMPLES = json.loads(
    (Path(__file__).parent.parent / "data" / "seed_examples.json").read_text()
)


def get(portal, endpoint, token=None, **params):
    headers = {"Authorization": f"Bearer {token or portal.token}"}
    return requests.get(
        f"{portal.url}/api/v3/{endpoint}", params=params, headers=headers, timeout=10
    )


def data_of(response):
    return response.json()["response"]["data"]


def test_binds_to_loopback_only(portal):
    assert portal.url.startswith(f"http://{LOOPBACK}:")
    assert portal.address[0] == LOOPBACK


def test_envelope_is_complete(portal, small_school):
    r = get(portal, "branchesofschools", schoolInSchoolYear=small_school.current_project)
    assert r.status_code == 200
    body = r.json()["response"]
    assert set(body) == {
        "status",
        "message",
        "details",
        "eventId",
        "startRow",
        "endRow",
        "totalRows",
        "data",
    }
    assert body["status"] == 200 and body["totalRows"] == len(body["data"]) == 1


def test_fields_select_columns_and_extras_only_when_asked(portal, small_school):
    pid = small_school.current_project
    plain = data_of(get(portal, "departmentsofbranches", schoolInSchoolYear=pid))
    assert "maxGroupSize" not in plain[0] and "code" in plain[0]
    chosen = data_of(
        get(portal, "departmentsofbranches", schoolInSchoolYear=pid, fields="id,code,maxGroupSize")
    )
    assert set(chosen[0]) == {"id", "code", "maxGroupSize"}


def test_filters_accept_comma_lists_nulls_and_booleans(portal, small_school):
    projects = small_school.project_ids()
    both = data_of(
        get(portal, "branchesofschools", schoolInSchoolYear=",".join(map(str, projects)))
    )
    assert {b["schoolInSchoolYear"] for b in both} == set(projects)
    current = data_of(get(portal, "schoolsinschoolyears", archived="false"))
    assert [p["id"] for p in current] == [small_school.current_project]
    # A boolean as Python writes it (a public client sends `archived=False`) means the same.
    assert data_of(get(portal, "schoolsinschoolyears", archived="False")) == current
    unrealised = data_of(
        get(
            portal,
            "plannedgroups",
            groupInDepartment="null",
            schoolInSchoolYear=small_school.current_project,
        )
    )
    assert {p["id"] for p in unrealised} == (
        small_school.anomalies[small_school.current_project].unrealised_planned_groups
    )


def test_trailing_slash_and_unknown_parameter(portal):
    assert get(portal, "schoolsinschoolyears/").status_code == 200
    r = get(portal, "schoolsinschoolyears", colour="blue")
    assert r.status_code == 400 and r.json()["response"]["status"] == 400
    assert get(portal, "schoolsinschoolyears", fields="id,nonsense").status_code == 400
    assert get(portal, "nosuchthings").status_code == 404


def test_gzip_only_when_asked(portal, small_school):
    pid = small_school.current_project
    zipped = requests.get(
        f"{portal.url}/api/v3/studentsindepartments",
        params={"schoolInSchoolYear": pid},
        headers={"Authorization": f"Bearer {portal.token}", "Accept-Encoding": "gzip"},
        stream=True,
        timeout=10,
    )
    assert zipped.headers["Content-Encoding"] == "gzip"
    raw = zipped.raw.read(decode_content=False)
    assert json.loads(gzip.decompress(raw))["response"]["totalRows"] > 100
    plain = requests.get(
        f"{portal.url}/api/v3/studentsindepartments",
        params={"schoolInSchoolYear": pid},
        headers={"Authorization": f"Bearer {portal.token}", "Accept-Encoding": "identity"},
        timeout=10,
    )
    assert "Content-Encoding" not in plain.headers
    assert plain.json() == json.loads(gzip.decompress(raw))


def test_koppelcode_works_once_and_answers_a_bare_token_object(portal):
    code = portal.koppelcodes[0]
    url = f"{portal.url}/api/v3/oauth/token"
    first = requests.post(url, data={"grant_type": "authorization_code", "code": code}, timeout=10)
    assert first.status_code == 200
    answer = first.json()
    assert set(answer) == {"access_token", "token_type", "expires_in"}
    assert answer["token_type"] == "bearer" and "response" not in answer
    assert get(portal, "users/~me", token=answer["access_token"]).status_code == 200
    again = requests.post(url, data={"grant_type": "authorization_code", "code": code}, timeout=10)
    assert again.status_code == 400
    wrong = requests.post(
        url, data={"grant_type": "authorization_code", "code": "1" * 12}, timeout=10
    )
    assert wrong.status_code == 400


def test_unauthorised_cases(portal):
    assert requests.get(f"{portal.url}/api/v3/users/~me", timeout=10).status_code == 401
    assert get(portal, "users/~me", token="nonsense").status_code == 401
    expired = portal.issue_token(expires_in=-1)
    assert get(portal, "users/~me", token=expired).status_code == 401
    revoked = portal.issue_token()
    logout = requests.post(
        f"{portal.url}/api/v3/oauth/logout",
        headers={"Authorization": f"Bearer {revoked}"},
        timeout=10,
    )
    assert logout.status_code == 200
    assert get(portal, "users/~me", token=revoked).status_code == 401


def test_access_token_in_query_is_accepted_like_the_real_api(portal):
    r = requests.get(
        f"{portal.url}/api/v3/users/~me", params={"access_token": portal.token}, timeout=10
    )
    assert r.status_code == 200


def test_me_and_current_token(portal, small_school):
    me = data_of(get(portal, "users/~me"))[0]
    assert me["code"] == small_school.me["code"]
    assert set(me["schoolInSchoolYears"]) == set(small_school.project_ids())
    current = data_of(get(portal, "tokens/~current"))[0]
    assert current["user"] == me["code"] and current["expires"] > time.time()


def test_partner_token_rights(portal, small_school):
    pid = small_school.current_project
    token = portal.issue_token(
        Rights.without(
            "studentsindepartments", fields={"users": {"firstName", "lastName", "prefix"}}
        )
    )
    r = get(portal, "studentsindepartments", token=token, schoolInSchoolYear=pid)
    assert r.status_code == 403 and r.json()["response"]["message"] == FORBIDDEN_MESSAGE
    # An ungranted field is silently absent without `fields=`, and fails the call when listed.
    users = data_of(get(portal, "users", token=token, isStudent="true"))
    assert users and "lastName" not in users[0] and "code" in users[0]
    assert get(portal, "users", token=token, fields="code,lastName").status_code == 403
    assert get(portal, "users", token=token, fields="code").status_code == 200


def test_project_scoped_token(portal, small_school):
    pid = small_school.current_project
    token = portal.issue_token(Rights(projects=frozenset({pid})))
    projects = data_of(get(portal, "schoolsinschoolyears", token=token))
    assert [p["id"] for p in projects] == [pid]
    branches = data_of(get(portal, "branchesofschools", token=token))
    assert {b["schoolInSchoolYear"] for b in branches} == {pid}


@pytest.mark.parametrize("status", [500, 502, 503])
def test_fault_status(portal, status):
    portal.add_fault("status", "branchesofschools", status=status, times=1)
    first = get(portal, "branchesofschools")
    assert first.status_code == status and first.json()["response"]["status"] == status
    assert get(portal, "branchesofschools").status_code == 200  # times=1: only once


def test_fault_latency(portal):
    portal.add_fault("latency", "schoolsinschoolyears", delay_ms=300, times=1)
    started = time.perf_counter()
    assert get(portal, "schoolsinschoolyears").status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_fault_truncated_body(portal):
    portal.add_fault("truncate", "plannedgroups")
    r = get(portal, "plannedgroups")
    assert r.status_code == 200
    with pytest.raises(requests.JSONDecodeError):
        r.json()


def test_fault_html_instead_of_json(portal):
    portal.add_fault("html")
    r = get(portal, "users/~me")
    assert r.headers["Content-Type"].startswith("text/html") and "<html" in r.text


def test_fault_dropped_connection(portal):
    portal.add_fault("drop", "groupindepartments", times=1)
    with pytest.raises(requests.ConnectionError):
        get(portal, "groupindepartments")
    assert get(portal, "groupindepartments").status_code == 200


def test_fault_envelope_disagrees_with_http(portal):
    portal.add_fault("mismatch", "choosableindepartments", status=500)
    r = get(portal, "choosableindepartments")
    assert r.status_code == 200 and r.json()["response"]["status"] == 500


def test_fault_also_hits_the_token_exchange(portal):
    portal.add_fault("status", "oauth/token", status=404)
    r = requests.post(
        f"{portal.url}/api/v3/oauth/token",
        data={"grant_type": "authorization_code", "code": portal.koppelcodes[0]},
        timeout=10,
    )
    assert r.status_code == 404


def test_request_log_records_method_path_query_headers(portal):
    portal.clear_log()
    get(portal, "branchesofschools", fields="id")
    requests.put(
        f"{portal.url}/api/v3/branchesofschools",
        headers={"Authorization": f"Bearer {portal.token}"},
        timeout=10,
    )
    first, second = portal.requests
    assert (first.method, first.path, first.query, first.status) == (
        "GET",
        "/api/v3/branchesofschools",
        "fields=id",
        200,
    )
    assert first.headers["Authorization"] == f"Bearer {portal.token}"
    assert (second.method, second.status) == ("PUT", 405)


def test_seed_dataset_is_served_verbatim(seed_portal):
    groups = data_of(get(seed_portal, "groupindepartments", schoolInSchoolYear=SEED_PROJECT))
    for row in SEED_EXAMPLES["groupindepartments"]:
        assert row in groups
    placements = data_of(
        get(
            seed_portal,
            "studentsindepartments",
            schoolInSchoolYear=SEED_PROJECT,
            fields="id,student,departmentOfBranch,groupInDepartments",
        )
    )
    assert placements == SEED_EXAMPLES["studentsindepartments"]
    planned = data_of(
        get(
            seed_portal,
            "plannedgroups",
            schoolInSchoolYear=SEED_PROJECT,
            fields="id,choosableInDepartment,groupInDepartmentName,subjectCode,groupInDepartment,"
            "groupInDepartmentIsMainGroup,groupInDepartmentIsMentorGroup",
        )
    )
    assert planned == SEED_EXAMPLES["plannedgroups"]
    # Coherent: every id the examples point at exists in the project.
    group_ids = {g["id"] for g in groups}
    assert all(g in group_ids for p in placements for g in p["groupInDepartments"])
    assert all(p["groupInDepartment"] in group_ids for p in planned if p["groupInDepartment"])


def test_command_line_prints_connection_details_first():
    proc = subprocess.Popen(
        [sys.executable, "-m", "zdesk", "demo-server", "--tier", "small"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert {"url", "token", "koppelcodes", "projects"} <= set(info)
        assert info["url"].startswith(f"http://{LOOPBACK}:")
        assert all(len(c) == 12 and c.isdigit() for c in info["koppelcodes"])
        r = requests.get(
            f"{info['url']}/api/v3/schoolsinschoolyears",
            headers={"Authorization": f"Bearer {info['token']}"},
            timeout=10,
        )
        assert sorted(p["id"] for p in r.json()["response"]["data"]) == sorted(info["projects"])
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


DEMO_SERVER = (sys.executable, "-m", "zdesk", "demo-server")


def test_command_line_token_without_an_endpoint():
    """`--zonder`: the printed token may read everything but the named endpoints."""
    proc = subprocess.Popen(
        [*DEMO_SERVER, "--tier", "small", "--zonder", "selectedsubjects"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        headers = {"Authorization": f"Bearer {info['token']}"}
        query = {"schoolInSchoolYear": info["current_project"]}

        def status(endpoint: str) -> int:
            url = f"{info['url']}/api/v3/{endpoint}"
            return requests.get(url, headers=headers, params=query, timeout=10).status_code

        assert status("selectedsubjects") == 403
        assert status("studentsindepartments") == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_command_line_refuses_an_unknown_endpoint():
    result = subprocess.run(
        [*DEMO_SERVER, "--zonder", "leerlingen"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "onbekend endpoint: leerlingen" in result.stderr


def test_command_line_quirks_of_a_real_portal():
    """`--zonder-veld`, `--negeer-filter`, `--te-groot`: a portal that behaves where the public
    evidence is silent, to try zdesk against."""
    proc = subprocess.Popen(
        [
            *DEMO_SERVER,
            "--tier",
            "small",
            "--zonder-veld",
            "plannedgroups.rank",
            "--negeer-filter",
            "selectedsubjects",
            "--te-groot",
            "users",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        headers = {"Authorization": f"Bearer {info['token']}"}
        base = f"{info['url']}/api/v3"
        mine = {"schoolInSchoolYear": info["current_project"]}
        rank = requests.get(
            f"{base}/plannedgroups",
            headers=headers,
            params={**mine, "fields": "id,rank"},
            timeout=10,
        )
        assert rank.status_code == 400 and "rank" in rank.json()["response"]["message"]
        every = requests.get(f"{base}/selectedsubjects", headers=headers, timeout=10).json()
        filtered = requests.get(
            f"{base}/selectedsubjects", headers=headers, params=mine, timeout=10
        ).json()
        assert len(filtered["response"]["data"]) == len(every["response"]["data"])
        large = requests.get(f"{base}/users", headers=headers, params=mine, timeout=10, stream=True)
        assert int(large.headers["Content-Length"]) > 16 * 1024 * 1024
        large.close()
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
