"""Students' vakkenpakketten (pakketkeuzes) against the structure: who counts for which keuzevak.

A pakketkeuze links an afdelingsdeelname to a keuzevak. The rules of the formatie take these words
from the issue that introduced them: opleidingen and profielen (subjectType `education`/`profile`)
and pseudo afdelingen and groups (`#uit`, `#allen`) take no part; the students of a keuzevak K are
the afdelingsdeelnames that chose K and are not exempt, except in an afdeling where no
afdelingsdeelname has any pakketkeuze (the onderbouw): there every afdelingsdeelname counts for
every K. Groups needed for K = ceil(students of K / maximum group size), the maximum being the
afdeling's `maxGroupSize` where the portal gives one, else a setting.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass

from zdesk.domain.model import Choosable, Department, Project, Record, StudentPlacement

STRUCTURE_TYPES = frozenset({"education", "profile"})
PSEUDO_MARKS = ("#uit", "#allen")
ENDPOINT = "selectedsubjects"


class SelectedSubject(Record):
    """pakketkeuze (selectedSubject): one keuzevak in one afdelingsdeelname's vakkenpakket."""

    id: int
    student_in_department: int | None = None
    choosable_in_department: int | None = None
    alternative_choosable_in_department: int | None = None
    subject_code: str | None = None
    exemption: bool | None = None
    subject_selection: int | None = None


def is_structure(choosable: Choosable) -> bool:
    """An opleiding or profiel: structure, not a taught subject."""
    return choosable.subject_type in STRUCTURE_TYPES


def is_pseudo_department(department: Department | None) -> bool:
    code = department.code if department is not None else None
    return bool(code) and any(mark in code for mark in PSEUDO_MARKS)  # type: ignore[operator]


def selected_subjects_of(project: Project) -> list[SelectedSubject] | None:
    """The project's pakketkeuzes, or None when they were not read (no right on them)."""
    rows = getattr(project, "selected_subjects", None)
    if rows is None or project.lacks(ENDPOINT):
        return None
    return rows


@dataclass(frozen=True, slots=True)
class Demand:
    """What one keuzevak asks for and what it has."""

    choosable: Choosable
    students: int  # distinct students counted for it
    max_size: int  # the afdeling's maxGroupSize, else the setting
    max_from_portal: bool
    needed: int
    planned: int  # geplande groepen
    realised: int  # geplande groepen whose roostergroep exists
    sizes: tuple[int, ...]  # students in each distinct (non-pseudo) roostergroep realising it

    @property
    def average_size(self) -> float | None:
        return sum(self.sizes) / len(self.sizes) if self.sizes else None


class Pakket:
    """The pakketkeuzes of one project indexed for the checks and the overview.

    Built once per project (see `pakket_of`); references that point at nothing are counted in
    `dangling` and otherwise ignored.
    """

    def __init__(self, project: Project, rows: list[SelectedSubject] | None) -> None:
        self.project = project
        self.known = rows is not None  # False: not read, every afdeling counts as without keuzes
        placements, choosables = project.placement_by_id, project.choosable_by_id
        departments = project.department_by_id
        # Placements in pseudo afdelingen take no part in anything below.
        self.pseudo_departments = frozenset(
            d.id for d in project.departments if is_pseudo_department(d)
        )
        self.chosen: dict[int, set[int]] = defaultdict(set)  # placement -> keuzevakken, not exempt
        self.with_choices: set[int] = set()  # placements with any pakketkeuze
        self.choosers: dict[int, set[str]] = defaultdict(set)  # keuzevak -> student codes
        self.dangling: list[SelectedSubject] = []
        for row in rows or ():
            placement = placements.get(row.student_in_department)  # type: ignore[arg-type]
            cid = row.choosable_in_department
            if placement is None or cid not in choosables:
                self.dangling.append(row)
                continue
            if placement.department_of_branch in self.pseudo_departments:
                continue
            self.with_choices.add(placement.id)
            if not row.exemption:
                self.chosen[placement.id].add(cid)  # type: ignore[arg-type]
                self.choosers[cid].add(placement.student_code)  # type: ignore[index]
        self.departments_with_choices = frozenset(
            placements[pid].department_of_branch for pid in self.with_choices
        )
        pseudo_groups = project.pseudo_group_ids
        self.participating: list[Choosable] = [
            c
            for c in project.choosables
            if not is_structure(c)
            and c.department_of_branch not in self.pseudo_departments
            and c.department_of_branch in departments
        ]
        self.participating_ids = frozenset(c.id for c in self.participating)
        # Per keuzevak: the existing, non-pseudo roostergroepen linked to its geplande groepen.
        groups = project.group_by_id
        self.linked_groups: dict[int, frozenset[int]] = {}
        for c in self.participating:
            self.linked_groups[c.id] = frozenset(
                pg.group_in_department
                for pg in project.planned_of_choosable.get(c.id, ())
                if pg.group_in_department in groups and pg.group_in_department not in pseudo_groups
            )
        # Per roostergroep: the participating keuzevakken whose geplande groepen it realises.
        self.choosables_of_group: dict[int, frozenset[int]] = {}
        for gid, planned in project.planned_of_group.items():
            ks = frozenset(
                pg.choosable_in_department
                for pg in planned
                if pg.choosable_in_department in self.participating_ids
            )
            if ks:
                self.choosables_of_group[gid] = ks  # type: ignore[assignment]
        self._demand: dict[int, dict[int, Demand]] = {}

    def counts_everyone(self, department_id: int | None) -> bool:
        """True where no afdelingsdeelname has a pakketkeuze: everyone counts for every K."""
        return department_id not in self.departments_with_choices

    def students_of(self, choosable: Choosable) -> int:
        dept = choosable.department_of_branch
        if self.counts_everyone(dept):
            return len(self.project.students_of_department.get(dept, ()))
        return len(self.choosers.get(choosable.id, ()))

    def placements_with_choices(self) -> list[StudentPlacement]:
        by_id = self.project.placement_by_id
        return [by_id[pid] for pid in sorted(self.with_choices)]

    def demand(self, default_max_size: int) -> dict[int, Demand]:
        """Per participating keuzevak (by id): students, groups needed, planned and realised."""
        default_max_size = max(1, default_max_size)  # a hand-edited settings file may say 0
        found = self._demand.get(default_max_size)
        if found is not None:
            return found
        project = self.project
        departments, members = project.department_by_id, project.placements_of_group
        pseudo_groups = project.pseudo_group_ids
        out: dict[int, Demand] = {}
        for c in self.participating:
            dept = departments[c.department_of_branch]  # type: ignore[index]
            limit = dept.max_group_size
            from_portal = bool(limit and limit > 0)
            max_size = limit if from_portal else default_max_size  # type: ignore[assignment]
            students = self.students_of(c)
            planned = project.planned_of_choosable.get(c.id, ())
            realised = 0
            seen: set[int] = set()
            sizes: list[int] = []
            for pg in planned:
                gid = pg.group_in_department
                if gid is None or gid not in members:
                    continue
                realised += 1
                if gid not in seen and gid not in pseudo_groups:
                    seen.add(gid)
                    sizes.append(len(members[gid]))
            out[c.id] = Demand(
                c,
                students,
                max_size,
                from_portal,
                -(-students // max_size),
                len(planned),
                realised,
                tuple(sizes),
            )
        self._demand[default_max_size] = out
        return out


_CACHE: weakref.WeakKeyDictionary[Project, tuple[tuple[int, int, int], Pakket]] = (
    weakref.WeakKeyDictionary()
)


def pakket_of(project: Project) -> Pakket:
    """The project's Pakket, built when first asked and again once more rows have come in."""
    rows = selected_subjects_of(project)
    stamp = (len(project.placements), id(rows), len(rows) if rows is not None else -1)
    cached = _CACHE.get(project)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    pakket = Pakket(project, rows)
    _CACHE[project] = (stamp, pakket)
    return pakket
