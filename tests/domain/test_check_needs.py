"""The table of what each check needs, held to what the checks do: for every field zdesk asks
for, a token refused it (or a portal without it) skips exactly the checks that need it, and every
other check finds what it finds with everything granted."""

from __future__ import annotations

import pytest

from zdesk.demo.server import FakePortal, Quirks, Rights
from zdesk.domain.checks import CHECKS, run_checks
from zdesk.loading.loader import load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.portal.rights import NEEDS

OPTIONAL = [
    (need.endpoint, name)
    for need in NEEDS
    for name in (*need.fields, *need.extra)
    if not (need.required and name in need.fields)
]


def load(portal, token):
    client = PortalClient(normalise_portal(portal.url), token, backoff=0.01)
    project = load_project(client, portal.data.current_project)
    return project, run_checks(project)


def per_check(run):
    out: dict[str, list] = {}
    for f in run.findings:
        out.setdefault(f.check, []).append((f.object_type, str(f.object_id), f.severity))
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def everything(small_school):
    with FakePortal(small_school) as portal:
        return load(portal, portal.token)


@pytest.mark.parametrize("endpoint, field", OPTIONAL, ids=lambda v: str(v))
@pytest.mark.parametrize("how", ["refused", "unknown"])
def test_without_one_field_exactly_its_checks_are_skipped(
    small_school, everything, endpoint, field, how
):
    _, full = everything
    if how == "refused":
        with FakePortal(small_school) as portal:
            token = portal.issue_token(Rights.without(fields={endpoint: {field}}))
            _, run = load(portal, token)
    else:
        quirks = Quirks(absent_fields=frozenset({(endpoint, field)}))
        with FakePortal(small_school, quirks=quirks) as portal:
            _, run = load(portal, portal.token)
    essential = field in next(n for n in NEEDS if n.endpoint == endpoint).fields
    needing = {
        c.id
        for c in CHECKS
        if any(e == endpoint and ((f is None and essential) or f == field) for e, f in c.needs)
    }
    if endpoint == "users" or field in ("firstName", "prefix", "lastName"):
        needing = set()  # names are never needed: everything works on leerlingnummers
    assert {s.check for s in run.skipped} == needing
    with_all, without = per_check(full), per_check(run)
    for check in CHECKS:
        if check.id in needing or check.id == "data-repaired":
            continue
        assert without.get(check.id) == with_all.get(check.id), check.id


def needs_table() -> str:
    rows = ["| check | needs |", "|---|---|"]
    for check in CHECKS:
        said = ", ".join(f"`{e}.{f}`" if f else f"`{e}`" for e, f in check.needs)
        rows.append(f"| `{check.id}` | {said or '(the structure only)'} |")
    return "\n".join(rows)


def test_the_readme_states_the_table_the_checks_use():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    stated = readme.split("<!-- check-needs -->\n", 1)[1].split("\n<!-- /check-needs -->", 1)[0]
    assert stated == needs_table()
