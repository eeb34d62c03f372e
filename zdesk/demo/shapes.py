"""The fields a real portal sends beyond what zdesk reads, in the real API's types.

The generator makes a school; this pass makes its rows look as a real portal's do (ZERMELO_API.md,
"What public clients show"): int id lists, service fields, names on afdelingsdeelnames, and every
field a public client declares as sent by default (a vestiging's schoolYear, a keuzevak's codes of
its afdeling, vak and sectie, a user's roles and flags). zdesk must load them as they are, so the
demo's tests catch a client that expects other shapes.
"""

from __future__ import annotations

from zdesk.demo.catalogue import PROFILE_IDS, VMBO
from zdesk.demo.data import Row

_TEACHING_LEVEL = {"h": "havo", "v": "vwo", "g": "vwo", "m": "mavo", "mk": "vmbo", "bk": "vmbo"}
EDUCATION_TYPE = {
    "h": "havo",
    "v": "vwo",
    "g": "gymnasium",
    "m": "mavo",
    "mk": "vmbo",
    "bk": "vmbo",
}
LAST_MODIFIED = 1767225600  # 2026-01-01, Unix seconds
GENERAL_SECTION = "alg"
FIRST_SECTION_ID = 3001


def add_real_fields(rows: dict[str, list[Row]], users: list[Row]) -> None:
    projects = {p["id"]: p for p in rows["schoolsinschoolyears"]}
    branches = {b["id"]: b for b in rows["branchesofschools"]}
    for b in rows["branchesofschools"]:
        b["schoolYear"] = projects[b["schoolInSchoolYear"]]["year"]
    departments = {d["id"]: d for d in rows["departmentsofbranches"]}
    groups = {g["id"]: g for g in rows["groupindepartments"]}
    choosables = {c["id"]: c for c in rows["choosableindepartments"]}
    profiles_of: dict[int, list[int]] = {}
    for c in rows["choosableindepartments"]:
        if c["subjectType"] == "profile" and c["subjectCode"] in PROFILE_IDS:
            profiles_of.setdefault(c["departmentOfBranch"], []).append(
                PROFILE_IDS[c["subjectCode"]]
            )
    for d in rows["departmentsofbranches"]:
        stream = d["code"].rstrip("0123456789")
        project = projects[d["schoolInSchoolYear"]]
        d["branchOfSchoolCode"] = branches[d["branchOfSchool"]]["branch"]
        d["schoolInSchoolYearId"] = project["id"]
        d["schoolInSchoolYearName"] = project["name"]
        d["educationType"] = EDUCATION_TYPE.get(stream, "")
        d["teachingLevel"] = _TEACHING_LEVEL.get(stream, "")
        d["mainGroupAuthority"] = "department"
        d["weekTimeTable"] = 1
        d["profiles"] = sorted(profiles_of.get(d["id"], []))
        d["teacherTeams"] = [d["id"] % 7 + 1]
    sections: dict[tuple[int, str], int] = {}  # (vestiging, sectie) -> id
    for c in rows["choosableindepartments"]:
        dept = departments[c["departmentOfBranch"]]
        c["subject"] = _subject_id(c)
        # A vak belongs to the sectie of its vestiging named after it; opleidingen and profielen
        # to the vestiging's general sectie.
        section = c["subjectCode"] if c["subjectType"] == "subject" else GENERAL_SECTION
        key = (dept["branchOfSchool"], section)
        c["sectionOfBranch"] = sections.setdefault(key, FIRST_SECTION_ID + len(sections))
        c["sectionOfBranchAbbreviation"] = section
        c["departmentOfBranchCode"] = dept["code"]
        c["subjectScheduleCode"] = c["subjectCode"]
        c["courseType"] = "exam" if dept["yearOfEducation"] >= 3 else "regular"
        c["isExam"] = dept["yearOfEducation"] >= (
            3 if dept["code"].rstrip("0123456789") in VMBO else 4
        )
        c["studentCanEdit"] = False
        c["scheduleCode"] = c["subjectCode"]
        c["qualifiedCode"] = f"{dept['code']}.{c['subjectCode']}"
        c["iltCode"] = _subject_id(c) * 10
        year = projects[c["schoolInSchoolYear"]]["year"]
        c["referenceWeek"] = {"year": year, "weekNumber": 40, "schoolYear": year}
        c["scroungeSegments"] = []
        c["excludedSegments"] = []
    for pg in rows["plannedgroups"]:
        group = groups.get(pg["groupInDepartment"]) if pg["groupInDepartment"] else None
        pg["groupInDepartmentExtendedName"] = group["extendedName"] if group else None
        choosable = choosables.get(pg["choosableInDepartment"])
        dept = departments.get(choosable["departmentOfBranch"]) if choosable else None
        pg["teachingLevel"] = (
            _TEACHING_LEVEL.get(dept["code"].rstrip("0123456789"), "") if dept else None
        )
    names = {u["code"]: u for u in users}
    for p in rows["studentsindepartments"]:
        dept = departments[p["departmentOfBranch"]]
        in_groups = [groups[g] for g in p["groupInDepartments"] or () if g in groups]
        main = next((g for g in in_groups if g["isMainGroup"]), None)
        mentor = next((g for g in in_groups if g["isMentorGroup"]), None)
        p["mainGroup"] = main["id"] if main else None
        p["mainGroupName"] = main["name"] if main else None
        p["mentorGroup"] = mentor["id"] if mentor else None
        p["departmentOfBranchCode"] = dept["code"]
        p["educations"] = list(dept["educations"])
        p["profiles"] = []
        p["participationWeight"] = 1.0
        p["lastModified"] = LAST_MODIFIED
        user = names.get(p["student"], {})
        p["firstName"] = user.get("firstName")
        p["prefix"] = user.get("prefix")
        p["lastName"] = user.get("lastName")
        p["fullName"] = (
            " ".join(
                part
                for part in (user.get("firstName"), user.get("prefix"), user.get("lastName"))
                if part
            )
            or None
        )
    running = {p["id"] for p in rows["schoolsinschoolyears"] if not p["archived"]}
    for user in users:
        _add_account_fields(user, running)


def _add_account_fields(user: Row, running: set[int]) -> None:
    """A user's roles and flags as the portal keeps them for a leerling or a medewerker. A user
    of archived projects only has left the school: archived. Students sign in through the
    school's own account, so they have no portal password; medewerkers do."""
    employee = bool(user["isEmployee"])
    roles = ["leerling"] if user["isStudent"] else []
    if employee:
        roles.append("medewerker")
    if user["isSchoolScheduler"]:
        roles.append("roostermaker")
    user["roles"] = roles
    user["archived"] = running.isdisjoint(user["schoolInSchoolYears"] or ())
    user["hasPassword"] = employee
    for flag in _UNSET_USER_FLAGS:
        user.setdefault(flag, False)


_UNSET_USER_FLAGS = (
    "isApplicationManager",
    "isFamilyMember",
    "isStudentAdministrator",
    "isTeamLeader",
    "isSectionLeader",
    "isMentor",
    "isParentTeacherNightScheduler",
    "isDean",
)


def _subject_id(choosable: Row) -> int:
    """A stable subject id per subject code (the portal's subjects are per school)."""
    code = choosable["subjectCode"]
    return 100 + sum(ord(ch) * (i + 1) for i, ch in enumerate(code)) % 900
