"""Bounded work over loopback: rows per answer and per load are capped, a whole-project read too
large for one answer is asked again per block of afdelingen, and a check skipped for want of data
says the real reason (a right only when a right was refused)."""

from __future__ import annotations

import io

import pytest

from zdesk.cli.check import run_check_command
from zdesk.domain.checks import run_checks
from zdesk.loading import limits
from zdesk.loading.loader import LoadStats, load_project
from zdesk.portal import client as client_module
from zdesk.portal.client import PortalClient
from zdesk.portal.errors import AnswerTooLarge
from zdesk.portal.names import normalise_portal


def client_for(portal):
    return PortalClient(normalise_portal(portal.url), portal.token, backoff=0.01)


def envelope(rows):
    return {"response": {"status": 200, "message": "", "data": rows, "totalRows": len(rows)}}


def test_a_first_load_too_large_for_one_answer_is_read_per_block(portal, small_school, monkeypatch):
    pid = small_school.current_project
    whole = load_project(client_for(portal), pid)
    # Each afdeling alone fits, the project in one answer does not.
    monkeypatch.setattr(client_module, "MAX_ROWS_OF", {"studentsindepartments": 100})
    monkeypatch.setattr(limits, "DEPARTMENTS_PER_REQUEST", 1)
    stats = LoadStats()
    project = load_project(client_for(portal), pid, stats=stats)
    # The whole, then per afdeling: h4, v4, h5, v5 and the pseudo afdeling #uit.
    assert stats.per_endpoint["studentsindepartments"] == 1 + 5
    assert sorted(p.id for p in project.placements) == sorted(p.id for p in whole.placements)
    assert len(project.students) == len(whole.students)

    def found(p):
        return sorted((f.check, f.object_type, str(f.object_id)) for f in run_checks(p).findings)

    assert found(project) == found(whole)


def test_an_optional_read_too_large_even_per_block_is_skipped_with_that_reason(
    portal, small_school, monkeypatch
):
    monkeypatch.setattr(client_module, "MAX_ROWS_OF", {"selectedsubjects": 5})
    project = load_project(client_for(portal), small_school.current_project)
    assert project.missing_rights == [] and project.selected_subjects == []
    run = run_checks(project)
    reasons = {s.check: s.reason for s in run.skipped}
    assert "choice-without-group" in reasons
    assert all("leesrecht" not in r and "te veel" in r for r in reasons.values()), reasons


def test_an_unknown_endpoint_is_not_blamed_on_a_right(portal, small_school):
    portal.add_fault("status", "selectedsubjects", status=404)
    project = load_project(client_for(portal), small_school.current_project)
    run = run_checks(project)
    assert project.missing_rights == [] and run.skipped
    assert all("leesrecht" not in s.reason and "kent" in s.reason for s in run.skipped)


def test_a_million_tiny_rows_under_the_byte_cap_end_at_once(portal, small_school, monkeypatch):
    """Rows, not only bytes, are bounded: the answer is refused before any row is checked."""
    monkeypatch.setattr(client_module, "MAX_ROWS", 20_000)
    tiny = [{"id": i} for i in range(1, 20_002)]
    portal.add_fault("body", "plannedgroups", body=envelope(tiny))
    with pytest.raises(AnswerTooLarge) as raised:
        load_project(client_for(portal), small_school.current_project)
    assert "20.000 rijen" in str(raised.value)


def test_the_whole_load_is_bounded(portal, small_school, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LOAD_ROWS", 300)
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    out, err = io.StringIO(), io.StringIO()
    code = run_check_command(
        portal.url, small_school.current_project, False, True, None, out=out, err=err
    )
    assert code == 4
    assert "300 rijen in één lading" in err.getvalue() and "Traceback" not in err.getvalue()
