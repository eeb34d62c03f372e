"""Signaleringen of the formatie: vakkenpakket against indeling, groups needed against planned.

Each check is a function Project -> findings, like those in `checks.py`, which registers them with
the rights they need (`FORMATIE_CHECKS`). The words of each rule are in `pakket.py` and README.
"""

from __future__ import annotations

from collections.abc import Iterator

from zdesk.domain.findings import CheckOptions, Found
from zdesk.domain.model import Project
from zdesk.domain.pakket import ENDPOINT, Demand, pakket_of
from zdesk.domain.severity import Severity


def _dept_label(project: Project, department_id: int | None) -> str:
    d = project.department_by_id.get(department_id)  # type: ignore[arg-type]
    return d.label if d else "?"


def _subjects(project: Project, ids: frozenset[int] | set[int]) -> str:
    by_id = project.choosable_by_id
    return ", ".join(sorted(by_id[c].label for c in ids))


def choice_without_group(project: Project, _o: CheckOptions) -> Iterator[Found]:
    """A student chose K (not exempt) but sits in no roostergroep of K's geplande groepen."""
    pakket = pakket_of(project)
    by_id, linked, placements = (
        project.choosable_by_id,
        pakket.linked_groups,
        project.placement_by_id,
    )
    for pid, cid in pakket.coverage().uncovered:
        p, c = placements[pid], by_id[cid]
        where = (
            "maar zit in geen van de roostergroepen van de geplande groepen"
            if linked[cid]
            else "die heeft nog geen gerealiseerde geplande groep"
        )
        yield (
            Severity.WAARSCHUWING,
            "student",
            p.student_code,
            f"Leerling {p.student_code} heeft {c.label} gekozen (afdeling "
            f"{_dept_label(project, p.department_of_branch)}) {where}.",
        )


def group_without_choice(project: Project, _o: CheckOptions) -> Iterator[Found]:
    """A student with a keuze sits in a group (not stamklas/mentor) only of vakken not chosen."""
    pakket = pakket_of(project)
    groups, placements = project.group_by_id, project.placement_by_id
    of_group = pakket.choosables_of_group
    for pid, gid in pakket.coverage().unchosen:
        p = placements[pid]
        subjects = _subjects(project, of_group[gid])
        yield (
            Severity.WAARSCHUWING,
            "student",
            p.student_code,
            f"Leerling {p.student_code} zit in roostergroep {groups[gid].label} "
            f"({subjects}) maar heeft {subjects} niet gekozen (afdeling "
            f"{_dept_label(project, p.department_of_branch)}).",
        )


def _why(d: Demand) -> str:
    if d.per_class:
        return (
            f"les per klas: {d.needed} stamklas{'sen' if d.needed != 1 else ''} "
            f"vrag{'en' if d.needed != 1 else 't'} {d.needed} groep{'en' if d.needed != 1 else ''}"
        )
    source = "maximum van de afdeling" if d.max_from_portal else "standaardmaximum"
    return (
        f"{d.students} leerling{'en' if d.students != 1 else ''} vragen {d.needed} "
        f"groep{'en' if d.needed != 1 else ''} ({source} {d.max_size} per groep)"
    )


def _demand(project: Project, options: CheckOptions) -> list[Demand]:
    return list(pakket_of(project).demand(options.default_max_group_size).values())


def planned_groups_too_few(project: Project, options: CheckOptions) -> Iterator[Found]:
    for d in _demand(project, options):
        if d.planned < d.needed:
            c = d.choosable
            yield (
                Severity.WAARSCHUWING,
                "choosable",
                c.id,
                f"Keuzevak {c.label} in afdeling {_dept_label(project, c.department_of_branch)}: "
                f"{_why(d)}, maar er {'is' if d.planned == 1 else 'zijn'} {d.planned} gepland.",
            )


def planned_groups_too_many(project: Project, options: CheckOptions) -> Iterator[Found]:
    for d in _demand(project, options):
        if d.planned > d.needed:
            c = d.choosable
            yield (
                Severity.INFO,
                "choosable",
                c.id,
                f"Keuzevak {c.label} in afdeling {_dept_label(project, c.department_of_branch)} "
                f"heeft {d.planned} geplande groep{'en' if d.planned != 1 else ''}; "
                f"{_why(d)}.",
            )


PLACEMENTS = ("studentsindepartments", None)
SUBJECT_TYPE = ("choosableindepartments", "subjectType")
CHOICES = (ENDPOINT, None)
# Which roostergroepen a student sits in: without it no choice can be matched to a group.
MEMBERS = ("studentsindepartments", "groupInDepartments")
MAIN = ("groupindepartments", "isMainGroup")
MENTOR = ("groupindepartments", "isMentorGroup")

# (id, title, the rights it needs, the function): `checks.py` makes them Checks.
FORMATIE_CHECKS = (
    (
        "choice-without-group",
        "Gekozen vak zonder groep",
        (PLACEMENTS, MEMBERS, CHOICES, SUBJECT_TYPE),
        choice_without_group,
    ),
    (
        "group-without-choice",
        "Groep van een niet gekozen vak",
        (PLACEMENTS, MEMBERS, CHOICES, SUBJECT_TYPE, MAIN, MENTOR),
        group_without_choice,
    ),
    (
        "planned-groups-too-few",
        "Te weinig geplande groepen",
        # Which groups are stamklassen decides whether a vak is taught per klas.
        (PLACEMENTS, CHOICES, SUBJECT_TYPE, MAIN),
        planned_groups_too_few,
    ),
    (
        "planned-groups-too-many",
        "Te veel geplande groepen",
        # Which groups are stamklassen decides whether a vak is taught per klas.
        (PLACEMENTS, CHOICES, SUBJECT_TYPE, MAIN),
        planned_groups_too_many,
    ),
)
