"""The generated school: deterministic, sized as DOMAIN.md says, and carrying every anomaly kind."""

from __future__ import annotations

from collections import defaultdict

import pytest

from zdesk.demo.school import TIERS, generate_school
from zdesk.domain.schoolyear import current_school_year

YEAR = 2026

# (lower, upper) bounds per tier, around DOMAIN.md's "sizes" table.
EXPECTED = {
    "small": dict(choosables=(40, 130), planned=(60, 170), groups=(45, 160), placements=(150, 175)),
    "typical": dict(
        choosables=(550, 950),
        planned=(900, 1350),
        groups=(650, 1100),
        placements=(1550, 1700),
        memberships=(11_000, 18_000),
    ),
    "large": dict(
        choosables=(1400, 2200),
        planned=(2400, 3300),
        groups=(1600, 3000),
        placements=(3700, 4000),
        memberships=(28_000, 42_000),
    ),
    "stress": dict(
        choosables=(5000, 7500),
        planned=(8500, 11000),
        groups=(6000, 9500),
        placements=(12_800, 14_000),
        memberships=(100_000, 140_000),
    ),
}


def counts(data, project):
    rows = {e: data.rows_of(e, project) for e in data.rows}
    placements = rows["studentsindepartments"]
    return {
        "branches": len(rows["branchesofschools"]),
        # Afdelingen of the school; the pseudo afdeling #uit (leavers) comes on top.
        "departments": sum(1 for d in rows["departmentsofbranches"] if d["code"] != "#uit"),
        "choosables": len(rows["choosableindepartments"]),
        "planned": len(rows["plannedgroups"]),
        "groups": len(rows["groupindepartments"]),
        "placements": len(placements),
        "students": len({p["student"] for p in placements}),
        "memberships": sum(len(p["groupInDepartments"] or []) for p in placements),
    }


def test_same_seed_same_school_other_seed_other_school():
    a = generate_school("small", seed=11, year=YEAR)
    b = generate_school("small", seed=11, year=YEAR)
    c = generate_school("small", seed=12, year=YEAR)
    assert a.rows == b.rows and a.users == b.users
    assert a.anomalies == b.anomalies
    assert a.rows["studentsindepartments"] != c.rows["studentsindepartments"]


@pytest.mark.parametrize("tier", list(TIERS))
def test_tier_sizes_follow_the_domain_table(tier):
    data = generate_school(tier, seed=3, year=YEAR)
    got = counts(data, data.current_project)
    spec = TIERS[tier]
    assert got["branches"] == spec.branches
    assert got["departments"] == spec.departments
    assert got["students"] == spec.students
    for name, (low, high) in EXPECTED[tier].items():
        assert low <= got[name] <= high, (name, got[name])


def test_two_projects_current_and_last_year_archived(small_school):
    projects = {p["year"]: p for p in small_school.rows["schoolsinschoolyears"]}
    assert set(projects) == {YEAR, YEAR - 1}
    assert projects[YEAR]["archived"] is False and projects[YEAR - 1]["archived"] is True
    assert small_school.current_project == projects[YEAR]["id"]
    # Student codes are stable across years: this year's students were here last year, but for
    # the instroom (all of havo 4 and vwo 4 in the small school, which has no third leerlaag).
    codes = {
        year: {p["student"] for p in small_school.rows_of("studentsindepartments", pid["id"])}
        for year, pid in projects.items()
    }
    instroom = small_school.anomalies[small_school.current_project].instroom
    assert codes[YEAR] - codes[YEAR - 1] == instroom
    assert len(codes[YEAR] & codes[YEAR - 1]) >= 0.35 * len(codes[YEAR])


def test_school_year_switches_on_the_first_of_august():
    assert current_school_year((2026, 7)) == 2025
    assert current_school_year((2026, 8)) == 2026


def test_every_anomaly_kind_is_seeded(small_school, typical_school):
    for data in (small_school, typical_school):
        anomalies = data.anomalies[data.current_project]
        assert set(anomalies.kinds_present()) == set(vars(anomalies)), anomalies


class Index:
    def __init__(self, data, project):
        self.rows = {e: data.rows_of(e, project) for e in data.rows}
        self.groups = {g["id"]: g for g in self.rows["groupindepartments"]}
        self.depts = {d["id"]: d for d in self.rows["departmentsofbranches"]}
        self.choosables = {c["id"]: c for c in self.rows["choosableindepartments"]}
        self.members = defaultdict(int)
        self.placements = defaultdict(list)
        for p in self.rows["studentsindepartments"]:
            self.placements[p["student"]].append(p)
            for gid in p["groupInDepartments"] or []:
                self.members[gid] += 1
        self.planned_of_group = defaultdict(list)
        self.planned_of_choosable = defaultdict(list)
        for pg in self.rows["plannedgroups"]:
            self.planned_of_choosable[pg["choosableInDepartment"]].append(pg)
            if pg["groupInDepartment"] is not None:
                self.planned_of_group[pg["groupInDepartment"]].append(pg)


def test_seeded_anomalies_are_what_they_claim(typical_school):
    data = typical_school
    a = data.anomalies[data.current_project]
    ix = Index(data, data.current_project)
    planned = {pg["id"]: pg for pg in ix.rows["plannedgroups"]}

    unrealised = {pid for pid, pg in planned.items() if pg["groupInDepartment"] is None}
    assert unrealised == a.unrealised_planned_groups
    assert 0.03 <= len(unrealised) / len(planned) <= 0.05

    multi = {s for s, ps in ix.placements.items() if len({p["departmentOfBranch"] for p in ps}) > 1}
    assert multi == set(a.multi_department_students)
    assert 0.07 <= len(multi) / len(ix.placements) <= 0.11
    assert set(a.multi_department_students.values()) == {
        "prognosis",
        "cross_leerlaag",
        "other_branch",
    }
    for student, kind in a.multi_department_students.items():
        d1, d2 = (ix.depts[p["departmentOfBranch"]] for p in ix.placements[student])
        same_branch = d1["branchOfSchool"] == d2["branchOfSchool"]
        same_level = d1["yearOfEducation"] == d2["yearOfEducation"]
        assert (same_branch, same_level) == {
            "prognosis": (True, True),
            "cross_leerlaag": (True, False),
            "other_branch": (False, True),
        }[kind]

    def flagged(student, attr):
        return any(
            sum(1 for g in p["groupInDepartments"] or [] if ix.groups[g][attr]) > 1
            for p in ix.placements[student]
        )

    assert {s for s in ix.placements if flagged(s, "isMainGroup")} == a.multiple_main_groups
    assert {s for s in ix.placements if flagged(s, "isMentorGroup")} == a.multiple_mentor_groups
    # A student only in the pseudo afdeling #uit (a leaver) needs no stamklas.
    without = {
        s
        for s, ps in ix.placements.items()
        if not any(ix.groups[g]["isMainGroup"] for p in ps for g in p["groupInDepartments"] or [])
        and any(ix.depts[p["departmentOfBranch"]]["code"] != "#uit" for p in ps)
    }
    assert without == a.without_main_group
    assert any(p["groupInDepartments"] is None for s in without for p in ix.placements[s])
    assert any(p["groupInDepartments"] == [] for s in without for p in ix.placements[s])

    pseudo = {g for g, row in ix.groups.items() if "#uit" in row["name"]}
    assert pseudo == a.pseudo_groups
    assert {g for g in ix.groups if not ix.planned_of_group[g]} - pseudo == (
        a.groups_without_planned_group
    )
    assert {g for g in ix.groups if ix.members[g] == 0} == a.empty_groups
    # Opleidingen and profielen are keuzevakken of the structure: never planned.
    structure = {
        c for c, row in ix.choosables.items() if row["subjectType"] in ("education", "profile")
    }
    assert structure and not any(ix.planned_of_choosable[c] for c in structure)
    assert {c for c in ix.choosables if not ix.planned_of_choosable[c]} - structure == (
        a.choosables_without_planned_groups
    )
    cross = {
        pid
        for pid, pg in planned.items()
        if pg["groupInDepartment"] is not None
        and ix.groups[pg["groupInDepartment"]]["departmentOfBranch"]
        != ix.choosables[pg["choosableInDepartment"]]["departmentOfBranch"]
    }
    assert cross == a.cross_department_planned_groups
    over = {
        g
        for g, row in ix.groups.items()
        if ix.members[g] > ix.depts[row["departmentOfBranch"]]["maxGroupSize"]
    }
    assert over == a.over_max_groups
    for cid in a.unbalanced_choosables:
        sizes = sorted(
            ix.members[pg["groupInDepartment"]]
            for pg in ix.planned_of_choosable[cid]
            if pg["groupInDepartment"]
        )
        assert sizes[-1] > 2 * sizes[0] and sizes[-1] - sizes[0] >= 8


def test_names_are_dutch_with_diacritics_tussenvoegsels_and_gaps(typical_school):
    students = [u for u in typical_school.users if u["isStudent"]]
    text = " ".join(f"{u['firstName']} {u['lastName']}" for u in students)
    assert any(ch in text for ch in "éëïöüçñ")
    assert any(u["prefix"] for u in students)
    assert any(u["firstName"] is None for u in students)
    assert any(u["lastName"] and "," in u["lastName"] for u in students)
    assert typical_school.me["isSchoolScheduler"] is True


def test_afdelingen_and_keuzevakken_look_like_a_dutch_school(small_school):
    ix = Index(small_school, small_school.current_project)
    codes = {d["code"] for d in ix.rows["departmentsofbranches"]}
    assert codes == {"h4", "v4", "h5", "v5", "#uit"}
    types = {c["subjectType"] for c in ix.rows["choosableindepartments"]}
    assert types == {"education", "profile", "subject"}
    assert any(c["lessonHoursInClassPeriods"] for c in ix.rows["choosableindepartments"])
    mains = [g for g in ix.groups.values() if g["isMainGroup"]]
    assert mains and all(g["extendedName"].endswith("." + g["name"]) for g in mains)


def test_unknown_tier_is_refused():
    with pytest.raises(ValueError, match="onbekende omvang"):
        generate_school("enorm")
