"""What the tree's selection narrows the tables to: a vestiging, an afdeling, a keuzevak, a group.

Plain Python over the domain (no Qt), so the tables can prepare what they need in a worker.
A scope holds the afdelingen its rows must sit in and, for a keuzevak or a group, the objects
that belong to it; a table row matches when it sits in one of those afdelingen and, where the
scope names objects, is one of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zdesk.domain.model import Project

Key = tuple[str, Any]


@dataclass(frozen=True)
class Scope:
    label: str  # for the chip: "h5 (De Vaart Noord)"
    departments: frozenset[int] | None  # None: in any afdeling (or none)
    objects: frozenset[Key] | None = None  # None: everything in those afdelingen

    def matches(self, key: Key, departments: Iterable[int]) -> bool:
        if self.objects is not None and key not in self.objects:
            return False
        return self.departments is None or not self.departments.isdisjoint(departments)


def objects_scope(label: str, keys: Iterable[Key]) -> Scope:
    """Only these objects, wherever they sit (the signaleringen of a selection, say)."""
    return Scope(label, None, frozenset(keys))


def _with_members(project: Project, groups: Iterable[Any]) -> set[Key]:
    keys: set[Key] = set()
    for g in groups:
        keys.add(("group", g.id))
        keys.update(("student", p.student_code) for p in project.placements_of_group.get(g.id, ()))
    return keys


def scope_of(project: Project, obj: Any) -> Scope | None:
    """The scope a tree node stands for; None for the root, a folder or an unknown object."""
    from zdesk.domain.locate import department_label
    from zdesk.domain.model import Branch, Choosable, Department, PlannedGroup, ScheduleGroup

    if isinstance(obj, Branch):
        departments = frozenset(d.id for d in project.departments_of_branch.get(obj.id, ()))
        return Scope(f"vestiging {obj.label}", departments)
    if isinstance(obj, Department):
        return Scope(department_label(project, obj), frozenset({obj.id}))
    if isinstance(obj, Choosable):
        dept = project.department_of(obj)
        planned = project.planned_of_choosable.get(obj.id, ())
        groups = [g for pg in planned if (g := project.group_of(pg)) is not None]
        keys = {("choosable", obj.id)} | {("planned_group", pg.id) for pg in planned}
        keys |= _with_members(project, groups)
        # A combined group (h4/v4) may sit in another afdeling than the keuzevak.
        departments = {g.department_of_branch for g in groups} | {obj.department_of_branch}
        departments.discard(None)
        return Scope(
            f"keuzevak {obj.label} in {department_label(project, dept)}",
            frozenset(departments),  # type: ignore[arg-type]
            frozenset(keys),
        )
    if isinstance(obj, PlannedGroup):
        choosable = project.choosable_by_id.get(obj.choosable_in_department)
        group = project.group_of(obj)
        keys = {("planned_group", obj.id)} | _with_members(project, [group] if group else [])
        departments = {d.id for x in (choosable, group) if (d := project.department_of(x))}
        return Scope(
            f"geplande groep {obj.name or obj.id}", frozenset(departments), frozenset(keys)
        )
    if isinstance(obj, ScheduleGroup):
        planned = project.planned_of_group.get(obj.id, ())
        keys = {("planned_group", pg.id) for pg in planned} | _with_members(project, [obj])
        departments = {obj.department_of_branch} | {
            c.department_of_branch
            for pg in planned
            if (c := project.choosable_by_id.get(pg.choosable_in_department))
        }
        departments.discard(None)
        return Scope(f"roostergroep {obj.label}", frozenset(departments), frozenset(keys))
    return None
