"""The app's tables as column sets over RecordTableModel: what each tab shows of the domain."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from zdesk.domain.checks import CHECK_BY_ID, OBJECT_LABELS, Finding
from zdesk.domain.model import PlannedGroup, Project, ScheduleGroup, StudentPlacement
from zdesk.export.palette import STYLES
from zdesk.ui.models.table import Column, RecordTableModel

FindingsOf = Callable[[str, Any], Sequence[Finding]]


def _yes(flag: bool | None) -> str:
    return "ja" if flag else ""


def _dept_label(project: Project, obj: Any) -> str:
    d = project.department_of(obj)
    return d.label if d else ""


def _branch_label(project: Project, obj: Any) -> str:
    b = project.branch_of(project.department_of(obj))
    return b.label if b else ""


def fill_groups(model: RecordTableModel, project: Project, findings_of: FindingsOf) -> None:
    counted = project.has_placements

    def planned(g: ScheduleGroup) -> str:
        return ", ".join(p.name or str(p.id) for p in project.planned_of_group.get(g.id, ()))

    columns = [
        Column("Naam", lambda g: g.name or ""),
        Column("Volledige naam", lambda g: g.extended_name or ""),
        Column("Afdeling", lambda g: _dept_label(project, g)),
        Column("Vestiging", lambda g: _branch_label(project, g)),
        Column("Stamklas", lambda g: _yes(g.is_main_group)),
        Column("Mentorgroep", lambda g: _yes(g.is_mentor_group)),
        Column("Leerlingen", lambda g: project.student_count(g) if counted else None, numeric=True),
        Column(
            "Gekoppelde geplande groepen",
            planned,
            sort=lambda g: len(project.planned_of_group.get(g.id, ())),
        ),
    ]
    model.extra_tooltip = None
    model.set_rows(project.groups, lambda g: findings_of("group", g.id), columns=columns)


def fill_placements(model: RecordTableModel, project: Project, findings_of: FindingsOf) -> None:
    def main_group(p: StudentPlacement) -> str:
        return ", ".join(g.label for g in project.groups_of_placement(p) if g.is_main_group)

    def groups(p: StudentPlacement) -> str:
        return ", ".join(g.label for g in project.groups_of_placement(p))

    def departments(p: StudentPlacement) -> int:
        return len({x.department_of_branch for x in project.placements_of_student[p.student_code]})

    def others(p: StudentPlacement) -> str:
        rest = [
            _dept_label(project, x) + f" ({_branch_label(project, x)})"
            for x in project.placements_of_student[p.student_code]
            if x.department_of_branch != p.department_of_branch
        ]
        return f"Ook in afdeling {', '.join(rest)}" if rest else ""

    columns = [Column("Leerlingnummer", lambda p: p.student_code)]
    if project.has_names:
        columns.append(Column("Naam", lambda p: project.student_name(p.student_code)))
    columns += [
        Column("Afdeling", lambda p: _dept_label(project, p)),
        Column("Vestiging", lambda p: _branch_label(project, p)),
        Column("Stamklas", main_group),
        Column("Groepen", groups, sort=lambda p: len(p.group_in_departments or ())),
        Column(
            "Afdelingen",
            departments,
            numeric=True,
            hint="In hoeveel afdelingen van dit project de leerling staat",
        ),
    ]
    model.extra_tooltip = others
    model.set_rows(
        project.placements, lambda p: findings_of("student", p.student_code), columns=columns
    )


def fill_planned(model: RecordTableModel, project: Project, findings_of: FindingsOf) -> None:
    counted = project.has_placements

    def choosable(pg: PlannedGroup) -> str:
        c = project.choosable_by_id.get(pg.choosable_in_department)
        return c.label if c else ""

    def department(pg: PlannedGroup) -> str:
        c = project.choosable_by_id.get(pg.choosable_in_department)
        return _dept_label(project, c) if c else ""

    def group(pg: PlannedGroup) -> str:
        g = project.group_of(pg)
        return g.label if g else "nog geen roostergroep"

    def size(pg: PlannedGroup) -> int | None:
        g = project.group_of(pg)
        return project.student_count(g) if g and counted else None

    columns = [
        Column("Geplande groep", lambda pg: pg.name or str(pg.id)),
        Column("Keuzevak", choosable),
        Column("Afdeling", department),
        Column("Roostergroep", group),
        Column("Gerealiseerd", lambda pg: "ja" if pg.realised else "nee"),
        Column("Leerlingen", size, numeric=True),
    ]
    model.extra_tooltip = None
    model.set_rows(
        project.planned_groups, lambda pg: findings_of("planned_group", pg.id), columns=columns
    )


def object_label(project: Project, finding: Finding) -> str:
    kind, oid = finding.object_type, finding.object_id
    obj: Any = {
        "planned_group": project.planned_by_id,
        "group": project.group_by_id,
        "choosable": project.choosable_by_id,
        "placement": project.placement_by_id,
        "department": project.department_by_id,
        "branch": project.branch_by_id,
    }.get(kind, {}).get(oid)
    name = getattr(obj, "label", None) or getattr(obj, "name", None) or oid
    if kind == "student" and project.has_names and project.student_name(str(oid)):
        name = f"{oid} {project.student_name(str(oid))}"
    return f"{OBJECT_LABELS[kind]} {name}"


def fill_findings(model: RecordTableModel, project: Project, findings: Sequence[Finding]) -> None:
    columns = [
        Column(
            "Ernst",
            lambda f: STYLES[f.severity].label,
            sort=lambda f: f.severity.rank,
        ),
        Column("Controle", lambda f: CHECK_BY_ID[f.check].title),
        Column("Object", lambda f: object_label(project, f)),
        Column("Melding", lambda f: f.message),
    ]
    model.extra_tooltip = None
    model.set_rows(findings, lambda f: (f,), columns=columns)


def filter_findings(
    model: RecordTableModel,
    all_findings: Sequence[Finding],
    project: Project,
    check: str | None,
    severity: str | None,
) -> None:
    chosen = [
        f
        for f in all_findings
        if (check is None or f.check == check) and (severity is None or f.severity == severity)
    ]
    fill_findings(model, project, chosen)
