"""Deterministic generator of a realistic school, as the Zermelo portal API would serve it.

The same (seed, tier, year) always gives the same rows. Every irregularity the generator plants is
recorded in an `Anomalies` manifest so tests can compare the checks with exactly what was seeded.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from itertools import count

from zdesk.demo.catalogue import (
    CLASS_SIZE,
    COMBINED_SUBJECTS,
    DEPARTMENT_ORDER,
    EDUCATION_IDS,
    EDUCATIONS,
    ELECTIVES_HV,
    ELECTIVES_VMBO,
    LOWER_LESSON_GROUPS,
    LOWER_SUBJECTS,
    PROFILES_HV,
    PROFILES_VMBO,
    UPPER_COMMON,
    UPPER_ON_MAIN_GROUP,
    VMBO,
)
from zdesk.demo.data import STRUCTURE_ENDPOINTS, Anomalies, PortalData, Row
from zdesk.demo.doorstroom import Doorstroom
from zdesk.demo.names import BRANCHES, FIRST_NAMES, LAST_NAMES, SCHOOL_NAME, split_prefix
from zdesk.demo.pakketkeuzes import Pakketten
from zdesk.demo.parts import Dept, Fill, Pool
from zdesk.demo.seeding import Seeder
from zdesk.demo.shapes import add_real_fields
from zdesk.domain.schoolyear import current_school_year


@dataclass(frozen=True)
class Tier:
    name: str
    branches: int
    departments: int
    students: int


TIERS: dict[str, Tier] = {
    t.name: t
    for t in (
        Tier("small", 1, 4, 150),
        Tier("typical", 2, 34, 1500),
        Tier("large", 4, 90, 3500),
        Tier("stress", 10, 300, 12000),
    )
}


class _Generator:
    def __init__(self, seed: int, tier: Tier) -> None:
        self.rng = random.Random(f"{seed}:{tier.name}")
        self.tier = tier
        self.ids = {
            name: count(start)
            for name, start in (
                ("project", 401),
                ("school", 7),
                ("branch", 101),
                ("department", 1001),
                ("choosable", 10001),
                ("planned", 50001),
                ("group", 20001),
                ("placement", 100001),
                ("selected", 1000001),
            )
        }
        self.rows: dict[str, list[Row]] = {name: [] for name in STRUCTURE_ENDPOINTS}
        self.members: dict[int, list[Row]] = {}  # group id -> placements in it
        self.groups: dict[int, Row] = {}
        self.planned_by_choosable: dict[int, list[Row]] = {}
        self.school_id = next(self.ids["school"])

    def next_id(self, kind: str) -> int:
        return next(self.ids[kind])

    # ---- building blocks -------------------------------------------------------------------

    def add_group(self, dept: Dept, name: str, *, main: bool = False, mentor: bool = False) -> Row:
        row = {
            "id": self.next_id("group"),
            "departmentOfBranch": dept.row["id"],
            "name": name,
            "isMainGroup": main,
            "isMentorGroup": mentor,
            "extendedName": f"{dept.code}.{name}",
            "schoolInSchoolYear": dept.row["schoolInSchoolYear"],
        }
        self.rows["groupindepartments"].append(row)
        self.groups[row["id"]] = row
        self.members[row["id"]] = []
        return row

    def add_choosable(self, dept: Dept, code: str, name: str, kind: str) -> Row:
        periods = 2 if dept.upper else 4
        hours = self.rng.choice((1, 2, 3, 3, 4)) if kind == "subject" else 0
        row = {
            "id": self.next_id("choosable"),
            "departmentOfBranch": dept.row["id"],
            "subjectCode": code,
            "subjectName": name,
            "subjectType": kind,
            "lessonHoursInClassPeriods": [
                {"classPeriod": p + 1, "lessonHours": hours} for p in range(periods)
            ]
            if hours
            else [],
            "schoolInSchoolYear": dept.row["schoolInSchoolYear"],
        }
        self.rows["choosableindepartments"].append(row)
        dept.choosables[code] = row
        self.planned_by_choosable[row["id"]] = []
        return row

    def add_planned(self, choosable: Row, group: Row | None) -> Row:
        siblings = self.planned_by_choosable[choosable["id"]]
        rank = len(siblings) + 1
        row = {
            "id": self.next_id("planned"),
            "choosableInDepartment": choosable["id"],
            "groupInDepartment": group["id"] if group else None,
            "groupInDepartmentName": group["name"] if group else None,
            "groupInDepartmentIsMainGroup": group["isMainGroup"] if group else None,
            "groupInDepartmentIsMentorGroup": group["isMentorGroup"] if group else None,
            "subjectCode": choosable["subjectCode"],
            "name": f"{choosable['subjectCode']}.grp{rank}",
            "rank": rank,
            "schoolInSchoolYear": choosable["schoolInSchoolYear"],
        }
        self.rows["plannedgroups"].append(row)
        siblings.append(row)
        return row

    def join(self, placement: Row, group: Row) -> None:
        placement["groupInDepartments"].append(group["id"])
        self.members[group["id"]].append(placement)

    def leave(self, placement: Row, group: Row) -> None:
        placement["groupInDepartments"].remove(group["id"])
        self.members[group["id"]].remove(placement)

    def size(self, group: Row) -> int:
        return len(self.members[group["id"]])

    def add_placement(self, dept: Dept, student: str) -> Row:
        row = {
            "id": self.next_id("placement"),
            "student": student,
            "departmentOfBranch": dept.row["id"],
            "groupInDepartments": [],
            "schoolInSchoolYear": dept.row["schoolInSchoolYear"],
        }
        self.rows["studentsindepartments"].append(row)
        return row

    def split(self, placements: list[Row], n_groups: int) -> list[list[Row]]:
        shuffled = list(placements)
        self.rng.shuffle(shuffled)
        return [shuffled[i::n_groups] for i in range(n_groups)]

    # ---- one project -----------------------------------------------------------------------

    def project(self, year: int, archived: bool, fill: Fill) -> tuple[int, Anomalies, list[Dept]]:
        """One project, its afdelingen filled with students by `fill`."""
        tier = self.tier
        pid = self.next_id("project")
        self.rows["schoolsinschoolyears"].append(
            {
                "id": pid,
                "school": self.school_id,
                "year": year,
                "name": f"{SCHOOL_NAME} {year}-{year + 1}",
                "projectName": f"{year}-{year + 1}",
                "schoolName": SCHOOL_NAME,
                "archived": archived,
            }
        )
        depts: list[Dept] = []
        per_branch = [tier.departments // tier.branches] * tier.branches
        for i in range(tier.departments % tier.branches):
            per_branch[i] += 1
        for b in range(tier.branches):
            code, place = BRANCHES[b % len(BRANCHES)]
            branch = {
                "id": self.next_id("branch"),
                "schoolInSchoolYear": pid,
                "branch": code if b < len(BRANCHES) else f"{code}{b}",
                "name": f"De Vaart {place}",
            }
            self.rows["branchesofschools"].append(branch)
            for d in range(per_branch[b]):
                dcode = DEPARTMENT_ORDER[d % len(DEPARTMENT_ORDER)]
                stream = dcode.rstrip("0123456789")
                level = int(dcode[len(stream) :])
                row = {
                    "id": self.next_id("department"),
                    "branchOfSchool": branch["id"],
                    "code": dcode,
                    "yearOfEducation": level,
                    # Ids, as the real API gives them; the names are the opleiding keuzevak.
                    "educations": [EDUCATION_IDS[e] for e in EDUCATIONS[stream]],
                    "schoolInSchoolYear": pid,
                    "studentCount": 0,
                    "maxGroupSize": self.rng.choice((30, 30, 32)),
                }
                self.rows["departmentsofbranches"].append(row)
                depts.append(Dept(row, b, stream, level))

        self.anomalies = Anomalies()
        self.pools: list[Pool] = []
        code_lists, reserved = fill(depts)
        for dept, codes in zip(depts, code_lists, strict=True):
            for code in codes:
                dept.placements.append(self.add_placement(dept, code))
            dept.row["studentCount"] = len(codes)
            if dept.upper:
                self.upper_department(dept)
            else:
                self.lower_department(dept)
        self.elective_groups(depts)
        Seeder(self, depts, self.anomalies, reserved).seed_all()
        Pakketten(self, depts, self.anomalies, pid).run()
        return pid, self.anomalies, depts

    def lower_department(self, dept: Dept) -> None:
        k = math.ceil(len(dept.placements) / CLASS_SIZE)
        parts = self.split(dept.placements, k)
        for i, part in enumerate(parts):
            group = self.add_group(dept, f"{dept.code}{chr(97 + i)}", main=True, mentor=True)
            dept.main_groups.append(group)
            dept.mentor_groups.append(group)
            for p in part:
                self.join(p, group)
        subjects = list(LOWER_SUBJECTS)
        if dept.stream == "g":
            subjects += [("la", "Latijn")] + ([("gr", "Grieks")] if dept.level >= 2 else [])
        # The opleiding is a keuzevak of its own: structure, without geplande groepen.
        edu = EDUCATIONS[dept.stream]
        self.add_choosable(dept, "/".join(edu), ", ".join(edu), "education")
        for code, name in subjects:
            choosable = self.add_choosable(dept, code, name, "subject")
            if code in LOWER_LESSON_GROUPS:
                self.class_lesson_groups(dept, choosable, parts)
            else:
                for group in dept.main_groups:
                    self.add_planned(choosable, group)

    def class_lesson_groups(self, dept: Dept, choosable: Row, parts: list[list[Row]]) -> None:
        """One lesgroep per class for a subject, holding that class's students."""
        groups = []
        for i, part in enumerate(parts):
            group = self.add_group(dept, f"{choosable['subjectCode']}{i + 1}")
            self.add_planned(choosable, group)
            for p in part:
                self.join(p, group)
            groups.append(group)
        self.pools.append(Pool(dept, choosable["subjectCode"], groups, [choosable]))

    def upper_department(self, dept: Dept) -> None:
        k = math.ceil(len(dept.placements) / CLASS_SIZE)
        parts = self.split(dept.placements, k)
        for i, part in enumerate(parts):
            main = self.add_group(dept, f"{dept.code}{chr(97 + i)}", main=True)
            mentor = self.add_group(dept, f"{dept.code}m{i + 1}", mentor=True)
            dept.main_groups.append(main)
            dept.mentor_groups.append(mentor)
            for p in part:
                self.join(p, main)
                self.join(p, mentor)
        edu = EDUCATIONS[dept.stream]
        self.add_choosable(dept, "/".join(edu), ", ".join(edu), "education")
        mentoruur = self.add_choosable(dept, "men", "Mentoruur", "subject")
        for mentor in dept.mentor_groups:
            self.add_planned(mentoruur, mentor)
        for code, name in UPPER_COMMON:
            choosable = self.add_choosable(dept, code, name, "subject")
            if code in UPPER_ON_MAIN_GROUP:  # taught to the stamklas as a whole
                for group in dept.main_groups:
                    self.add_planned(choosable, group)
            else:
                self.class_lesson_groups(dept, choosable, parts)
        # Each student picks a profile (sector) and a handful of electives.
        vmbo = dept.stream in VMBO
        profiles = PROFILES_VMBO if vmbo else PROFILES_HV
        electives = [c for c, _ in (ELECTIVES_VMBO if vmbo else ELECTIVES_HV)]
        if dept.stream == "v":
            electives.append("wic")
        if dept.stream == "g":
            electives += ["la", "gr"]
        n_electives = 3 if vmbo else (5 if dept.stream in ("v", "g") else 4)
        for p in dept.placements:
            profile = self.rng.choices(profiles, weights=(3, 3, 4, 2)[: len(profiles)])[0][0]
            dept.choices[p["id"]] = [profile, *self.rng.sample(electives, n_electives)]

    def elective_groups(self, depts: list[Dept]) -> None:
        """Profiles and electives: one pool of students per subject, split into balanced groups.

        havo and vwo of one leerlaag in one vestiging share the groups of COMBINED_SUBJECTS; the
        groups then belong to the havo afdeling and the vwo keuzevak plans them across afdelingen.
        """
        names = dict(PROFILES_HV + PROFILES_VMBO + ELECTIVES_HV + ELECTIVES_VMBO)
        names.update(wic="Wiskunde C", la="Latijn", gr="Grieks")
        pools: dict[tuple, dict] = {}
        for dept in depts:
            if not dept.upper:
                continue
            for p in dept.placements:
                for subject in dept.choices[p["id"]]:
                    owner = dept
                    if subject in COMBINED_SUBJECTS and dept.stream == "v":
                        owner = _partner(depts, dept, "h") or dept
                    pool = pools.setdefault(
                        (owner.row["id"], subject), {"owner": owner, "members": {}}
                    )
                    pool["members"].setdefault(dept.row["id"], (dept, []))[1].append(p)
        for (_, subject), pool in pools.items():
            owner: Dept = pool["owner"]
            everyone = [p for _, ps in pool["members"].values() for p in ps]
            kind = "profile" if subject.isupper() else "subject"
            if kind == "profile":
                # A profiel is a keuzevak of the structure: no groups, no geplande groepen.
                for dept, _ in pool["members"].values():
                    if subject not in dept.choosables:
                        self.add_choosable(dept, subject, names[subject], kind)
                continue
            k = math.ceil(len(everyone) / CLASS_SIZE)
            label = subject.lower()
            groups = [self.add_group(owner, f"{label}{i + 1}") for i in range(k)]
            for group, part in zip(groups, self.split(everyone, k), strict=True):
                for p in part:
                    self.join(p, group)
            choosables = []
            for dept, _ in pool["members"].values():
                choosable = dept.choosables.get(subject) or self.add_choosable(
                    dept, subject, names[subject], kind
                )
                choosables.append(choosable)
                for group in groups:
                    planned = self.add_planned(choosable, group)
                    if dept is not owner:
                        self.anomalies.cross_department_planned_groups.add(planned["id"])
            self.pools.append(Pool(owner, subject, groups, choosables))


def _partner(depts: list[Dept], dept: Dept, stream: str) -> Dept | None:
    for other in depts:
        if other.branch == dept.branch and other.level == dept.level and other.stream == stream:
            return other
    return None


DEMO_TIER = "typical"  # the school `--demo`, `check --demo` and the self-test use


def generate_school(tier: str = "typical", seed: int = 2026, year: int | None = None) -> PortalData:
    """A portal with two projects of one school: this school year's and last year's (archived)."""
    if tier not in TIERS:
        raise ValueError(f"onbekende omvang {tier!r}; kies uit {', '.join(TIERS)}")
    spec = TIERS[tier]
    year = current_school_year() if year is None else year
    gen = _Generator(seed, spec)
    # Student codes are text and stable across years; one has a leading zero.
    codes = [str(c) for c in gen.rng.sample(range(100000, 1000000), spec.students * 2)]
    codes[0] = "0" + codes[0][1:]
    plan = Doorstroom(seed, tier, spec.students, codes)
    last_id, anomalies_last, depts_last = gen.project(year - 1, True, plan.fill_last)
    plan.learn(
        depts_last,
        [p for p in gen.rows["studentsindepartments"] if p["schoolInSchoolYear"] == last_id],
    )
    current_id, anomalies_current, depts = gen.project(year, False, plan.fill)
    plan.finish(gen, depts, anomalies_current)
    anomalies = {last_id: anomalies_last, current_id: anomalies_current}
    users = _users(gen.rng, gen.rows["studentsindepartments"])
    me = {
        "code": "jbakker",
        "firstName": "Joke",
        "prefix": None,
        "lastName": "Bakker",
        "isStudent": False,
        "isEmployee": True,
        "isSchoolScheduler": True,
        "isSchoolLeader": False,
        "schoolInSchoolYears": [last_id, current_id],
    }
    add_real_fields(gen.rows, [*users, me])
    return PortalData(
        rows=gen.rows,
        users=[*users, me],
        me=me,
        current_project=current_id,
        anomalies=anomalies,
    )


def _users(rng: random.Random, placements: list[Row]) -> list[Row]:
    projects: dict[str, list[int]] = {}
    for p in placements:
        ids = projects.setdefault(p["student"], [])
        if p["schoolInSchoolYear"] not in ids:
            ids.append(p["schoolInSchoolYear"])
    users = []
    for code in sorted(projects):
        first = rng.choice(FIRST_NAMES) if rng.random() > 0.01 else None
        prefix, last = split_prefix(rng.choice(LAST_NAMES))
        roll = rng.random()
        if roll < 0.004:
            last = None
        elif roll < 0.015:
            last = f"{last}, {rng.choice(('roepnaam onbekend', 'vertrekt 1-2', 'zie dossier'))}"
        users.append(
            {
                "code": code,
                "firstName": first,
                "prefix": prefix,
                "lastName": last,
                "isStudent": True,
                "isEmployee": False,
                "isSchoolScheduler": False,
                "isSchoolLeader": False,
                "schoolInSchoolYears": projects[code],
            }
        )
    return users
