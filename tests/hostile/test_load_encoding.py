"""Encoding oddities in an answer: a UTF-8 byte order mark is accepted, a byte that is no UTF-8
costs that character (counted as a data problem), never the load."""

from __future__ import annotations

import msgspec

from zdesk.demo.protocol import envelope
from zdesk.domain.checks import run_checks
from zdesk.loading.loader import load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal


def client_for(portal):
    return PortalClient(normalise_portal(portal.url), portal.token, backoff=0.01)


def test_a_byte_order_mark_before_the_envelope(portal, small_school):
    pid = small_school.current_project
    rows = small_school.rows_of("groupindepartments", pid)
    body = b"\xef\xbb\xbf" + msgspec.json.encode(envelope(200, rows))
    portal.add_fault("bytes", "groupindepartments", body=body)
    project = load_project(client_for(portal), pid)
    assert len(project.groups) == len(rows) and project.repairs == []


def test_an_invalid_utf8_byte_in_a_name_is_replaced_and_counted(portal, small_school):
    pid = small_school.current_project
    rows = [dict(r) for r in small_school.rows_of("groupindepartments", pid)]
    rows[0]["name"] = "GROEPMARK"
    body = msgspec.json.encode(envelope(200, rows)).replace(b"GROEPMARK", b"J\xe9nsen")
    portal.add_fault("bytes", "groupindepartments", body=body)
    project = load_project(client_for(portal), pid)
    assert len(project.groups) == len(rows)
    assert project.groups[0].name == "J\ufffdnsen"
    [repair] = project.repairs
    assert repair.endpoint == "groupindepartments" and "1 ongeldige" in repair.example
    messages = [f.message for f in run_checks(project).findings if f.check == "data-repaired"]
    assert any("geen geldige UTF-8" in m for m in messages)
