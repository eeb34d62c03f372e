"""The demo school's two years agree with the doorstroom it plants: the rules of issue 28, computed
here from the raw rows the portal serves (not from zdesk), find exactly the manifest's cases."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
import requests

from zdesk.demo.school import generate_school

YEAR = 2026
PSEUDO_MARKS = ("#uit", "#allen")


class Year:
    """One project as the doorstroom rules read it: afdelingen with their opleiding, and each
    student's afdelingen."""

    def __init__(self, school, project: int) -> None:
        depts = school.rows_of("departmentsofbranches", project)
        keuzevakken = defaultdict(set)
        for c in school.rows_of("choosableindepartments", project):
            if c["subjectType"] == "education":
                keuzevakken[c["departmentOfBranch"]].update(c["subjectCode"].split("/"))
        self.dept = {d["id"]: d for d in depts}
        self.pseudo = {d["id"] for d in depts if any(m in d["code"] for m in PSEUDO_MARKS)}
        self.opleiding: dict[int, frozenset[str]] = {}
        for d in depts:
            if d["id"] in self.pseudo:
                names: set[str] = set()
            elif d.get("educationType"):  # "" (the hv afdelingen' type) is no type
                names = {d["educationType"]}
            elif keuzevakken[d["id"]]:
                names = keuzevakken[d["id"]]
            else:
                names = {re.sub(r"\d", "", d["code"])}
            self.opleiding[d["id"]] = frozenset(names)
        self.of_student: dict[str, list[int]] = defaultdict(list)
        for p in school.rows_of("studentsindepartments", project):
            self.of_student[p["student"]].append(p["departmentOfBranch"])

    def level(self, dept: int) -> int:
        return self.dept[dept]["yearOfEducation"]

    def real(self, student: str) -> list[int]:
        return [d for d in self.of_student.get(student, ()) if d not in self.pseudo]

    def highest_by_name(self, student: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.real(student):
            for name in self.opleiding[d]:
                out[name] = max(out.get(name, 0), self.level(d))
        return out

    def highest_overlapping(self, student: str, names: frozenset[str]) -> int:
        return max(
            (self.level(d) for d in self.real(student) if self.opleiding[d] & names), default=0
        )


def doorstroom(school) -> dict[str, set[str]]:
    """The three rules, with each place the rules' words allow two readings read both ways; the
    demo plants only cases on which both readings agree."""
    (last_id,) = [p for p in school.project_ids() if p != school.current_project]
    last, now = Year(school, last_id), Year(school, school.current_project)
    exam: dict[str, int] = {}
    for year in (last, now):
        for d, names in year.opleiding.items():
            for name in names:
                exam[name] = max(exam.get(name, 0), year.level(d))

    def in_examenjaar(d: int, how: str) -> bool:
        names = last.opleiding[d]
        hits = [exam[n] == last.level(d) for n in names]
        return any(hits) if how == "any" else bool(hits) and all(hits)

    found: dict[str, set[str]] = {}
    for how in ("any", "all"):
        found[f"not-placed/{how}"] = {
            s
            for s, depts in last.of_student.items()
            if not any(d in last.pseudo or in_examenjaar(d, how) for d in depts)
            and s not in now.of_student
        }
    repeats = {"name": set(), "afdeling": set()}
    changes = set()
    for s in now.of_student:
        if s not in last.of_student:
            continue  # instroom
        had = frozenset().union(*(last.opleiding[d] for d in last.real(s)))
        this, before = now.highest_by_name(s), last.highest_by_name(s)
        if any(name in before and this[name] <= before[name] for name in this):
            repeats["name"].add(s)
        for d in now.real(s):
            names = now.opleiding[d]
            if names & had and now.highest_overlapping(s, names) <= last.highest_overlapping(
                s, names
            ):
                repeats["afdeling"].add(s)
        if now.real(s) and not any(now.opleiding[d] & had for d in now.real(s)):
            changes.add(s)
    found["repeats/name"], found["repeats/afdeling"] = repeats["name"], repeats["afdeling"]
    found["changes"] = changes
    return found


@pytest.fixture(scope="module", params=["small", "typical", "large", "stress"])
def school(request, small_school, typical_school):
    given = {"small": small_school, "typical": typical_school}
    return given.get(request.param) or generate_school(request.param, seed=5, year=YEAR)


def test_the_rules_find_exactly_the_planted_doorstroom(school):
    planted = school.anomalies[school.current_project]
    found = doorstroom(school)
    assert found["not-placed/any"] == found["not-placed/all"] == planted.not_placed_next_year
    assert found["repeats/name"] == found["repeats/afdeling"] == planted.repeats_year
    assert found["changes"] == set(planted.changes_education)


def test_every_planted_kind_is_there_and_is_what_it_claims(school):
    planted = school.anomalies[school.current_project]
    (last_id,) = [p for p in school.project_ids() if p != school.current_project]
    last, now = Year(school, last_id), Year(school, school.current_project)
    for kind in (
        "not_placed_next_year",
        "repeats_year",
        "exam_leavers",
        "leavers_in_pseudo",
        "instroom",
        "leading_zero_students",
        "pseudo_departments",
    ):
        assert getattr(planted, kind), kind
    assert set(planted.changes_education.values()) == {"opstroom", "afstroom"}
    assert len(planted.not_placed_next_year) >= 2 and len(planted.repeats_year) >= 3

    # Leavers: the examenkandidaten are gone; the others sit only in the pseudo afdeling #uit.
    assert not planted.exam_leavers & set(now.of_student)
    assert planted.exam_leavers <= set(last.of_student)
    uit = [d for d in now.pseudo if now.dept[d]["code"] == "#uit"]
    assert set(uit) == planted.pseudo_departments
    in_uit = {s for s, depts in now.of_student.items() if set(depts) <= set(uit)}
    assert in_uit == planted.leavers_in_pseudo and in_uit <= set(last.of_student)
    # Instroom: exactly this year's new codes; a zittenblijver in the examenjaar where one fits.
    assert planted.instroom == set(now.of_student) - set(last.of_student)
    # The code with a leading zero is text in both years and stays in its opleiding a year on.
    (code,) = planted.leading_zero_students
    assert code.startswith("0") and len(code) == 6
    ([before], [after]) = (last.of_student[code], now.of_student[code])
    assert last.opleiding[before] == now.opleiding[after]
    assert now.level(after) == last.level(before) + 1
    # Everyone who is no planted case: a leerlaag on, or out of the school after the exam.
    cases = (
        planted.not_placed_next_year
        | planted.repeats_year
        | set(planted.changes_education)
        | planted.leavers_in_pseudo
        | planted.exam_leavers
    )
    for s in set(last.of_student) - cases:
        assert max(now.level(d) for d in now.real(s)) > max(last.level(d) for d in last.real(s))


def test_op_and_afstroom_go_the_way_they_say():
    rank = ("bk", "mk", "m", "h", "hv", "v", "g")

    def stream(dept) -> int:
        return rank.index(re.sub(r"\d", "", dept["code"]))

    for tier in ("small", "typical"):
        school = generate_school(tier, seed=9, year=YEAR)
        planted = school.anomalies[school.current_project]
        (last_id,) = [p for p in school.project_ids() if p != school.current_project]
        last, now = Year(school, last_id), Year(school, school.current_project)
        for s, kind in planted.changes_education.items():
            ([before], [after]) = (last.of_student[s], now.of_student[s])
            up = stream(now.dept[after]) > stream(last.dept[before])
            assert up == (kind == "opstroom"), (s, kind)


def test_the_portal_serves_its_prognose_only_when_asked(portal, small_school):
    """prognosticStudentCount: a decimal near the students placed on this year's afdelingen,
    null on the pseudo afdeling and on last year's; never among the default fields."""

    def afdelingen(project: int, **params) -> list[dict]:
        answer = requests.get(
            f"{portal.url}/api/v3/departmentsofbranches",
            params={"schoolInSchoolYear": project, **params},
            headers={"Authorization": f"Bearer {portal.token}"},
            timeout=10,
        )
        return answer.json()["response"]["data"]

    now = small_school.current_project
    (last,) = [p for p in small_school.project_ids() if p != now]
    assert all("prognosticStudentCount" not in d for d in afdelingen(now))
    fields = "id,code,studentCount,prognosticStudentCount"
    served = afdelingen(now, fields=fields)
    real = [d for d in served if d["code"] != "#uit"]
    assert len(real) == 4 and len(served) == 5
    for d in real:
        value = d["prognosticStudentCount"]
        assert isinstance(value, float) and (value * 2).is_integer()
        assert abs(value - d["studentCount"]) <= 3.5
    assert [d["prognosticStudentCount"] for d in served if d not in real] == [None]
    assert {d["prognosticStudentCount"] for d in afdelingen(last, fields=fields)} == {None}
