"""The rights probe: a matrix of what a token may read and a Dutch guide for the administrator."""

from __future__ import annotations

import requests

from tests.portal.probe import probe_rights
from zdesk.demo.server import Rights
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.portal.rights import NEEDS, MissingRight


def probe(portal, school, rights):
    client = PortalClient(normalise_portal(portal.url), portal.issue_token(rights))
    return probe_rights(client, school.current_project)


def test_full_token_lacks_nothing_and_reads_no_data(portal, small_school):
    report = probe(portal, small_school, Rights())
    assert report.missing == []
    assert "hoeft niets" in report.guide()
    assert all(granted for _endpoint, _field, granted, _purpose in report.matrix())
    # Probes match nothing: asked again, every probe answers an empty list, so no personal data
    # was read.
    probes = portal.requests[-len(NEEDS) :]
    assert len(probes) == len(NEEDS) and all(r.status == 200 for r in probes)
    for r in probes:
        answer = requests.get(
            f"{portal.url}{r.path}?{r.query}",
            headers={"Authorization": r.headers["Authorization"]},
            timeout=10,
        )
        assert answer.json()["response"]["data"] == [], r.query
    # A value starting with "~" is the API's alias syntax (400 "Unknown alias"): never sent.
    assert not any("~" in r.query or "%7E" in r.query for r in portal.requests)


def test_partner_token_missing_endpoint_and_fields(portal, small_school):
    report = probe(
        portal,
        small_school,
        Rights.without(
            "studentsindepartments",
            fields={"users": {"firstName", "lastName"}, "departmentsofbranches": {"maxGroupSize"}},
        ),
    )
    assert set(report.missing) == {
        MissingRight("studentsindepartments"),
        MissingRight("users", "firstName"),
        MissingRight("users", "lastName"),
        MissingRight("departmentsofbranches", "maxGroupSize"),
    }
    assert report.blocking() == []  # none of these is needed to show a project
    assert report.fields_for("studentsindepartments") is None
    assert "maxGroupSize" not in report.fields_for("departmentsofbranches")
    matrix = {(e, f): granted for e, f, granted, _ in report.matrix()}
    assert matrix[("users", "lastName")] is False and matrix[("users", "code")] is True
    guide = report.guide()
    assert "Beheer > Partners > Toegang" in guide and "'Lezen'" in guide
    assert "endpoint 'studentsindepartments'" in guide
    assert "veld 'maxGroupSize'" in guide and "optioneel" in guide
    assert "Namen van leerlingen zijn nooit nodig" in guide


def test_missing_required_endpoint_blocks(portal, small_school):
    report = probe(portal, small_school, Rights.without("plannedgroups"))
    assert report.blocking() == [MissingRight("plannedgroups")]
    assert "nodig" in report.guide()
