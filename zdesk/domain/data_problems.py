"""Checks on the data itself: references to records the portal did not give, and ids given twice.

The loader keeps going on both (a school's data is never perfect); these checks make them visible.
"""

from __future__ import annotations

from collections.abc import Iterator

from zdesk.domain.findings import OBJECT_LABELS, CheckOptions, Finding
from zdesk.domain.model import Project
from zdesk.domain.severity import Severity

_PROBLEM_TYPES = {
    "plannedgroup": "planned_group",
    "placement": "placement",
    "group": "group",
    "choosable": "choosable",
    "department": "department",
    "branch": "branch",
}
_FIELD_TARGETS = {
    "groupInDepartment": "roostergroep",
    "groupInDepartments": "roostergroep",
    "choosableInDepartment": "keuzevak",
    "departmentOfBranch": "afdeling",
    "branchOfSchool": "vestiging",
}


def dangling_reference(project: Project, _o: CheckOptions) -> Iterator[Finding]:
    for problem in project.problems:
        if problem.kind != "dangling":
            continue
        object_type = _PROBLEM_TYPES[problem.object_type]
        target = _FIELD_TARGETS.get(problem.field, problem.field)
        yield Finding(
            "dangling-reference",
            Severity.FOUT,
            object_type,
            problem.object_id,
            f"{OBJECT_LABELS[object_type].capitalize()} {problem.object_id} verwijst naar "
            f"{target} {problem.value}, die niet in dit project bestaat.",
        )


def duplicate_id(project: Project, _o: CheckOptions) -> Iterator[Finding]:
    for problem in project.problems:
        if problem.kind == "duplicate":
            object_type = _PROBLEM_TYPES[problem.object_type]
            yield Finding(
                "duplicate-id",
                Severity.FOUT,
                object_type,
                problem.object_id,
                f"Het portaal gaf {OBJECT_LABELS[object_type]} {problem.object_id} meer dan "
                "eens; alleen de eerste is gebruikt.",
            )
