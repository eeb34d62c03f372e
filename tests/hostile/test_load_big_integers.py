"""Integers beyond 64 bits from the portal: odd values for the wire layer, never a crash when the
load is kept in the history (the history keeps ids as 64-bit integers)."""

from __future__ import annotations

import io
import json

from zdesk.cli.check import run_check_command


def envelope(rows):
    return {"response": {"status": 200, "message": "", "data": rows, "totalRows": len(rows)}}


def test_huge_ids_are_repaired_and_the_load_is_kept(
    portal, small_school, monkeypatch, memory_keyring
):
    pid = small_school.current_project
    rows = [dict(r) for r in small_school.rows_of("studentsindepartments", pid)]
    rows[0]["id"] = 18446744073709551616  # one past the unsigned 64-bit range
    rows[1]["departmentOfBranch"] = "-99999999999999999999"
    rows[2]["groupInDepartments"] = [2**70, rows[2]["groupInDepartments"][0]]
    portal.add_fault("body", "studentsindepartments", body=envelope(rows))
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    out, err = io.StringIO(), io.StringIO()
    code = run_check_command(portal.url, pid, False, True, None, out=out, err=err)
    assert code == 0, err.getvalue()
    assert "bewaard" not in err.getvalue()  # kept in the history, no "niet bewaard"
    report = json.loads(out.getvalue())
    problems = {(p["field"], p["action"]): p["count"] for p in report["data_problems"]}
    assert problems[("id", "row-skipped")] == 1
    assert problems[("departmentOfBranch", "dropped")] == 1
    assert problems[("groupInDepartments", "converted")] == 1
    assert report["counts"]["placements"] == len(rows) - 1


def test_a_load_that_cannot_be_kept_is_said_not_a_crash(
    portal, small_school, monkeypatch, memory_keyring, logfail
):
    from zdesk.domain import codec

    logfail.expect("zdesk.app.history", "niet bewaard")
    logfail.expect("zdesk.cli.diff", "niet bewaard")

    def broken(*_args, **_kwargs):
        raise OverflowError("int too big to convert")

    monkeypatch.setattr(codec, "encode_load_parts", broken)
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    out, err = io.StringIO(), io.StringIO()
    code = run_check_command(
        portal.url, small_school.current_project, False, True, None, out=out, err=err
    )
    assert code == 0
    assert "Niet bewaard in de geschiedenis" in err.getvalue()
    assert "Traceback" not in err.getvalue()
