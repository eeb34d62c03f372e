"""The `seed` dataset: exactly the JSON examples of Zermelo's school-structure page, made coherent.

The rows printed on that page (roostergroepen 27/28, afdelingsdeelnames 704/746, geplande groepen
1151/1152/3101/3102) are kept field for field; everything else here is the least that makes them one
project: their afdelingen, keuzevakken, the roostergroepen they point to, and the two students.
"""

from __future__ import annotations

from zdesk.demo.data import Anomalies, PortalData, Row

PROJECT = 51

# Verbatim from the page (default fields only; `schoolInSchoolYear` is added below as an extra).
SEED_GROUPS: list[Row] = [
    {
        "id": 27,
        "departmentOfBranch": 104,
        "name": "r3a",
        "isMainGroup": True,
        "isMentorGroup": False,
        "extendedName": "r3.r3a",
    },
    {
        "id": 28,
        "departmentOfBranch": 104,
        "name": "r3b",
        "isMainGroup": True,
        "isMentorGroup": False,
        "extendedName": "r3.r3b",
    },
]
SEED_PLACEMENTS: list[Row] = [
    {
        "id": 704,
        "student": "775021",
        "departmentOfBranch": 105,
        "groupInDepartments": [59, 48, 60, 46, 61, 44, 50],
    },
    {
        "id": 746,
        "student": "779801",
        "departmentOfBranch": 105,
        "groupInDepartments": [47, 46, 52, 62, 43, 50],
    },
]
SEED_PLANNED_GROUPS: list[Row] = [
    {
        "id": 1151,
        "choosableInDepartment": 1697,
        "groupInDepartment": 3951,
        "groupInDepartmentName": "ak1",
        "groupInDepartmentIsMainGroup": False,
        "groupInDepartmentIsMentorGroup": False,
        "subjectCode": "aard",
    },
    {
        "id": 1152,
        "choosableInDepartment": 1697,
        "groupInDepartment": None,
        "groupInDepartmentName": None,
        "groupInDepartmentIsMainGroup": None,
        "groupInDepartmentIsMentorGroup": None,
        "subjectCode": "aard",
    },
    {
        "id": 3101,
        "choosableInDepartment": 3195,
        "groupInDepartment": 3954,
        "groupInDepartmentName": "h4a",
        "groupInDepartmentIsMainGroup": True,
        "groupInDepartmentIsMentorGroup": True,
        "subjectCode": "netl",
    },
    {
        "id": 3102,
        "choosableInDepartment": 3195,
        "groupInDepartment": 3955,
        "groupInDepartmentName": "h4b",
        "groupInDepartmentIsMainGroup": True,
        "groupInDepartmentIsMentorGroup": True,
        "subjectCode": "netl",
    },
]

# The lesgroepen 43-62 of h4 that the two placements name; 50, shared by both, is their stamklas.
_H4_LESSON_GROUPS = {
    43: "entl1",
    44: "entl2",
    45: "wia1",
    46: "wib1",
    47: "na1",
    48: "sk1",
    49: "bi1",
    50: "h4c",
    51: "ec1",
    52: "beco1",
    53: "gs1",
    54: "ak2",
    55: "fatl1",
    56: "dutl1",
    57: "inf1",
    58: "kubv1",
    59: "lo1",
    60: "maat1",
    61: "ckv1",
    62: "lo2",
}


def _with_project(rows: list[Row]) -> list[Row]:
    return [{**row, "schoolInSchoolYear": PROJECT} for row in rows]


def seed_school() -> PortalData:
    groups = list(SEED_GROUPS)
    groups.append(
        {
            "id": 3951,
            "departmentOfBranch": 105,
            "name": "ak1",
            "isMainGroup": False,
            "isMentorGroup": False,
            "extendedName": "h4.ak1",
        }
    )
    for gid, name in ((3954, "h4a"), (3955, "h4b")):
        groups.append(
            {
                "id": gid,
                "departmentOfBranch": 105,
                "name": name,
                "isMainGroup": True,
                "isMentorGroup": True,
                "extendedName": f"h4.{name}",
            }
        )
    for gid, name in _H4_LESSON_GROUPS.items():
        main = name == "h4c"
        groups.append(
            {
                "id": gid,
                "departmentOfBranch": 105,
                "name": name,
                "isMainGroup": main,
                "isMentorGroup": main,
                "extendedName": f"h4.{name}",
            }
        )
    rows = {
        "schoolsinschoolyears": [
            {
                "id": PROJECT,
                "school": 3,
                "year": 2025,
                "name": "Schoolnaam 2025-2026",
                "projectName": "2025-2026",
                "schoolName": "Schoolnaam",
                "archived": False,
            }
        ],
        "branchesofschools": [
            {"id": 11, "schoolInSchoolYear": PROJECT, "branch": "HV", "name": "Hoofdvestiging"},
        ],
        "departmentsofbranches": [
            {
                "id": 104,
                "branchOfSchool": 11,
                "code": "r3",
                "yearOfEducation": 3,
                "educations": ["havo", "vwo"],
                "schoolInSchoolYear": PROJECT,
            },
            {
                "id": 105,
                "branchOfSchool": 11,
                "code": "h4",
                "yearOfEducation": 4,
                "educations": ["havo"],
                "schoolInSchoolYear": PROJECT,
            },
        ],
        "choosableindepartments": _with_project(
            [
                {
                    "id": 1697,
                    "departmentOfBranch": 105,
                    "subjectCode": "aard",
                    "subjectName": "Aardrijkskunde",
                    "subjectType": "subject",
                    "lessonHoursInClassPeriods": [],
                },
                {
                    "id": 3195,
                    "departmentOfBranch": 105,
                    "subjectCode": "netl",
                    "subjectName": "Nederlands",
                    "subjectType": "subject",
                    "lessonHoursInClassPeriods": [],
                },
            ]
        ),
        "plannedgroups": _with_project(SEED_PLANNED_GROUPS),
        "groupindepartments": _with_project(groups),
        "studentsindepartments": _with_project(SEED_PLACEMENTS),
    }
    me = {
        "code": "beheer",
        "firstName": None,
        "prefix": None,
        "lastName": "Roostermaker",
        "isStudent": False,
        "isEmployee": True,
        "isSchoolScheduler": True,
        "isSchoolLeader": False,
        "schoolInSchoolYears": [PROJECT],
    }
    users = [
        {
            "code": "775021",
            "firstName": "Émilie",
            "prefix": "van der",
            "lastName": "Berg",
            "isStudent": True,
            "isEmployee": False,
            "isSchoolScheduler": False,
            "isSchoolLeader": False,
            "schoolInSchoolYears": [PROJECT],
        },
        {
            "code": "779801",
            "firstName": None,
            "prefix": None,
            "lastName": "Çelik",
            "isStudent": True,
            "isEmployee": False,
            "isSchoolScheduler": False,
            "isSchoolLeader": False,
            "schoolInSchoolYears": [PROJECT],
        },
        me,
    ]
    return PortalData(
        rows=rows,
        users=users,
        me=me,
        current_project=PROJECT,
        anomalies={PROJECT: Anomalies(unrealised_planned_groups={1152})},
    )
