"""Which rows of a read belong to the project: a filter the portal was asked for is checked, never
trusted.

Every row is owned by something of the project through one reference: a vestiging by the project,
an afdeling by its vestiging, a keuzevak or roostergroep by its afdeling, a geplande groep by its
keuzevak, an afdelingsdeelname by its afdeling, a pakketkeuze by its afdelingsdeelname. A row whose
owner is not in the project came from another project (the portal ignored a filter, or hints named
an afdeling the project no longer has): it is left out and counted as a note on the load, never
shown as the project's own data or as a signalering. A row without an owner is kept: whether it
belongs cannot be told, and the checks say what is missing. Other references (a geplande groep's
roostergroep, a student's groups) stay what the checks call dangling.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

# endpoint -> (the record's attribute of its owner, the API's name of it)
OWNER: dict[str, tuple[str, str]] = {
    "branchesofschools": ("school_in_school_year", "schoolInSchoolYear"),
    "departmentsofbranches": ("branch_of_school", "branchOfSchool"),
    "choosableindepartments": ("department_of_branch", "departmentOfBranch"),
    "groupindepartments": ("department_of_branch", "departmentOfBranch"),
    "plannedgroups": ("choosable_in_department", "choosableInDepartment"),
    "studentsindepartments": ("department_of_branch", "departmentOfBranch"),
    "selectedsubjects": ("student_in_department", "studentInDepartment"),
    "users": ("code", "code"),
}


def owned(endpoint: str, rows: list[Any], owners: Collection[Any]) -> tuple[list[Any], int]:
    """The rows of `endpoint` whose owner is in `owners` or unknown, and how many were not."""
    attribute = OWNER[endpoint][0]
    if endpoint == "users":  # a user's key is its code: owned when it is a student's
        kept = [r for r in rows if r.code in owners]
    elif attribute == "student_in_department":
        kept = [
            r for r in rows if r.student_in_department in owners or r.student_in_department is None
        ]
    elif attribute == "department_of_branch":
        kept = [
            r for r in rows if r.department_of_branch in owners or r.department_of_branch is None
        ]
    else:
        kept = [r for r in rows if (owner := getattr(r, attribute)) is None or owner in owners]
    return kept, len(rows) - len(kept)
