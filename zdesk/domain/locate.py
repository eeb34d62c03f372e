"""Where an object of a signalering sits in the school: its afdelingen and their vestigingen."""

from __future__ import annotations

from typing import Any

from zdesk.domain.model import Department, Project


def department_label(project: Project, department: Department | None) -> str:
    """ "h4", or "h4 (De Vaart Noord)" where the project has more than one vestiging."""
    if department is None:
        return "?"
    if len(project.branches) > 1:
        branch = project.branch_of(department)
        if branch is not None:
            return f"{department.label} ({branch.label})"
    return department.label


def departments_of(project: Project, kind: str, object_id: Any) -> list[Department]:
    """The afdelingen an object belongs to (a student may be in several; a vestiging in none)."""
    if kind == "student":
        placements = project.placements_of_student.get(str(object_id), ())
        by_id = project.department_by_id
        # Each afdeling once, in the order of the placements.
        ids = dict.fromkeys([p.department_of_branch for p in placements])
        return [by_id[d] for d in ids if d in by_id]  # type: ignore[index]
    if kind == "department":
        dept = project.department_by_id.get(object_id)
        return [dept] if dept else []
    obj = project.object_of(kind, object_id)
    if obj is None:
        return []
    if kind == "planned_group":
        obj = project.choosable_by_id.get(obj.choosable_in_department)
    dept = project.department_of(obj) if obj is not None else None
    return [dept] if dept else []


def department_ids_of(project: Project, kind: str, object_id: Any) -> tuple[int, ...]:
    """The ids of the afdelingen an object sits in, as the tree's selection narrows by: those of
    `departments_of`, and for a vestiging all of its own."""
    if kind == "branch":
        return tuple(d.id for d in project.departments_of_branch.get(object_id, ()))
    return tuple(d.id for d in departments_of(project, kind, object_id))


def place_labels(project: Project, kind: str, object_id: Any) -> tuple[str, str]:
    """(afdeling, vestiging) as text; several joined by ", " in the order found."""
    if kind == "branch":
        branch = project.branch_by_id.get(object_id)
        return "", branch.label if branch else ""
    depts = departments_of(project, kind, object_id)
    suffix = ""
    previous = project.previous() if not depts and kind == "student" else None
    if previous is not None:
        # A student of last year not (yet) in this project: where they were last year, said so.
        project, suffix = previous, " (vorig jaar)"
        depts = departments_of(previous, kind, object_id)
    branches = [b for d in depts if (b := project.branch_of(d)) is not None]
    return (
        ", ".join(d.label + suffix for d in depts),
        ", ".join(dict.fromkeys(b.label for b in branches)),
    )
