"""The demo portal read by a client nobody here wrote: zermelo-api-vogk (pinned in the test extra).

Its dataclasses declare the fields a real portal returns by default; it asks without `fields=` and
makes each row into its dataclass, so a field the demo lacks fails the load. Every collection it
offers that the demo serves must load, with every declared field in the declared type and the
demo school's row counts.

The client is made for one school: at import it builds a connection to that school's portal,
reads a token from `creds.json` beside its own source, else from `creds.ini` in the working
folder, and when it has one asks that portal whether it works. Here it runs in a temporary
working folder holding an empty `creds.ini` (no token: it asks nothing and writes nothing), with
every address but 127.0.0.1 refused while the test runs, and its one connection is then pointed at
the fake portal with the fake portal's token.
"""

from __future__ import annotations

import dataclasses
import importlib
import socket
import sys
import typing
from types import ModuleType

import pytest

from zdesk.demo.data import PortalData
from zdesk.demo.server import LOOPBACK, FakePortal

NAMES = ("firstName", "prefix", "lastName")


@pytest.fixture
def offline(monkeypatch) -> list[str]:
    """No host but the loopback address can be looked up or connected to; each asked is noted."""
    asked: list[str] = []
    lookup, connect = socket.getaddrinfo, socket.socket.connect

    def local_lookup(host, *args, **kwargs):
        if host != LOOPBACK:
            asked.append(str(host))
            raise socket.gaierror(f"geen netwerk in deze test: {host}")
        return lookup(host, *args, **kwargs)

    def local_connect(sock, address):
        if isinstance(address, tuple) and address[0] != LOOPBACK:
            asked.append(str(address[0]))
            raise OSError(f"geen netwerk in deze test: {address[0]}")
        return connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", local_lookup)
    monkeypatch.setattr(socket.socket, "connect", local_connect)
    return asked


@pytest.fixture
def vogk(offline, tmp_path, monkeypatch, logfail) -> ModuleType:
    """The client's package, imported offline (once per session), with nothing pointed anywhere."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "creds.ini").write_text("")
    # At import it logs, at ERROR, that it has no token and so cannot ask its portal.
    logfail.expect("zermelo_api", r"^'token'$|^No Token loaded!$")
    package = importlib.import_module("zermelo_api")
    assert offline == [], "the client asked for a host at import"
    return package


def point_at(portal: FakePortal, monkeypatch) -> typing.Any:
    """The client's connection, to `portal` with its token, for this test only (no file written)."""
    connection = sys.modules["zermelo_api.src.zermelo_api"].zermelo
    monkeypatch.setattr(connection, "zerurl", f"{portal.url}/api/v3/")
    monkeypatch.setattr(connection.credentials, "token", portal.token)
    return connection


def declared(cls: type) -> dict[str, typing.Any]:
    """The fields a row dataclass of the client needs from the portal: those without a default."""
    return {
        f.name: f.type
        for f in dataclasses.fields(cls)
        if f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }


def conforms(value: typing.Any, annotation: typing.Any) -> bool:
    if typing.get_origin(annotation) is list:
        (inner,) = typing.get_args(annotation)
        return isinstance(value, list) and all(conforms(v, inner) for v in value)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation in (bool, str, dict, float):
        return isinstance(value, annotation)
    raise AssertionError(f"the test knows no check for {annotation!r}")


def assert_declared_types(items: list, cls: type, nullable: tuple[str, ...] = ()) -> None:
    fields = declared(cls)
    assert fields
    for item in items:
        for name, annotation in fields.items():
            value = getattr(item, name)
            if value is None and name in nullable:
                continue
            assert conforms(value, annotation), (cls.__name__, name, value)


def students_of(school: PortalData, project: int) -> list[dict]:
    return [u for u in school.users if u["isStudent"] and project in u["schoolInSchoolYears"]]


def employees_of(school: PortalData, project: int) -> list[dict]:
    return [u for u in school.users if u["isEmployee"] and project in u["schoolInSchoolYears"]]


def named(school: PortalData) -> PortalData:
    """The school with a first and last name for every user: the client orders its students by
    them and joins them into a full name, and fails on a null one (a tussenvoegsel it takes)."""
    users = [
        {**u, "firstName": u["firstName"] or "Onbekend", "lastName": u["lastName"] or "Onbekend"}
        for u in school.users
    ]
    return dataclasses.replace(school, users=users, me=users[-1])


def test_the_client_signs_in_to_the_demo(vogk, portal, monkeypatch, offline):
    connection = point_at(portal, monkeypatch)
    assert connection.checkCreds()
    assert connection.getName() == "Joke Bakker"
    assert offline == []


def test_every_collection_the_demo_serves_loads_with_its_declared_fields(
    vogk, portal, small_school, monkeypatch, offline
):
    from zermelo_api.src.groepen import Groep, Groepen
    from zermelo_api.src.users import User

    connection = point_at(portal, monkeypatch)
    pid = small_school.current_project

    afdelingen = vogk.Leerjaren(pid)
    assert len(afdelingen) == len(small_school.rows_of("departmentsofbranches", pid)) > 0
    assert_declared_types(afdelingen, vogk.Leerjaar)

    keuzevakken = vogk.Vakken(pid)
    assert len(keuzevakken) == len(small_school.rows_of("choosableindepartments", pid)) > 0
    assert_declared_types(keuzevakken, vogk.Vak)
    assert {v.getName() for v in keuzevakken} >= {"Nederlands", "Mentoruur"}

    groepen = Groepen(pid)
    assert len(groepen) == len(small_school.rows_of("groupindepartments", pid)) > 0
    assert_declared_types(groepen, Groep)

    personeel = vogk.Personeel(pid)
    assert [m.code for m in personeel] == [u["code"] for u in employees_of(small_school, pid)]
    assert_declared_types(personeel, vogk.Medewerker, nullable=NAMES)

    # The students as the portal sends them: every field the client declares, in its type, but
    # the names, which a real portal may send as null (and the demo does, on purpose).
    rows = connection.load_query(f"users?schoolInSchoolYear={pid}&isStudent=true")
    assert len(rows) == len(students_of(small_school, pid)) > 0
    assert any(row[name] is None for row in rows for name in NAMES)
    for row in rows:
        for name, annotation in declared(User).items():
            assert name in row, name
            if not (row[name] is None and name in NAMES):
                assert conforms(row[name], annotation), (name, row[name])
    assert offline == []


def test_students_and_whole_vestigingen_load_where_every_student_has_a_name(
    vogk, small_school, monkeypatch, offline
):
    school = named(small_school)
    pid = school.current_project
    year = next(p["year"] for p in school.rows["schoolsinschoolyears"] if p["id"] == pid)
    with FakePortal(school) as portal:
        point_at(portal, monkeypatch)
        leerlingen = vogk.Leerlingen(pid)
        assert sorted(s.code for s in leerlingen) == sorted(
            u["code"] for u in students_of(school, pid)
        )
        assert_declared_types(leerlingen, vogk.Leerling, nullable=("prefix",))
        assert any(s.code.startswith("0") for s in leerlingen)  # codes are text

        # A vestiging with everything the client reads of it, found from the school year.
        vestigingen = vogk.Branches(f"{year}-10-01")
        assert [(b.id, b.name, b.schoolYear) for b in vestigingen] == [
            (b["id"], b["name"], year) for b in school.rows_of("branchesofschools", pid)
        ]
        branch = vestigingen[0]
        assert len(branch.leerlingen) == len(leerlingen)
        assert len(branch.personeel) == len(employees_of(school, pid))
        assert len(branch.leerjaren) == len(school.rows_of("departmentsofbranches", pid))
        assert len(branch.groepen) == len(school.rows_of("groupindepartments", pid))
        assert len(branch.vakken) == len(school.rows_of("choosableindepartments", pid))
        assert branch.lokalen == []  # locationofbranches: not served by the demo
        asked = {r.path for r in portal.requests}
    assert "/api/v3/locationofbranches" in asked
    assert offline == []
