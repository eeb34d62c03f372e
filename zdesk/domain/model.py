"""The school as one Project: the portal's records with indices, and what could not be used.

The records are the wire's (`zdesk.portal.records`): typed, every field but the key may be None.
A `Project` never trusts references: an id that points at nothing is kept as a `DataProblem` for
the checks, duplicate ids keep the first record, and a placement without a student code is a
problem, never a shared student "". What the wire layer repaired comes along in `repairs`.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from zdesk.portal.records import (
    Branch,
    Choosable,
    Department,
    PlannedGroup,
    ProjectInfo,
    ScheduleGroup,
    SelectedSubject,
    Student,
    StudentPlacement,
)
from zdesk.portal.rights import MissingRight
from zdesk.portal.wire import FieldRepair

# What the doorstroom checks need, named like an endpoint: the previous project as read (see
# `Project.previous`); why it is not there is in `unavailable_because`.
PREVIOUS = "vorig project"

__all__ = [
    "PREVIOUS",
    "Branch",
    "Choosable",
    "DataProblem",
    "Department",
    "MissingRight",
    "PlannedGroup",
    "Project",
    "ProjectInfo",
    "ScheduleGroup",
    "SelectedSubject",
    "Student",
    "StudentPlacement",
]


@dataclass(frozen=True)
class DataProblem:
    """A reference that points at nothing, or a duplicate id, found while building the Project."""

    object_type: str  # e.g. "plannedgroup"
    object_id: int
    field: str  # e.g. "groupInDepartment"
    value: int | None
    kind: str = "dangling"  # or "duplicate", or "missing" (a placement without a student)


def _unique(records: list, object_type: str, problems: list[DataProblem]) -> dict[int, Any]:
    index = {r.id: r for r in records}
    if len(index) == len(records):  # the usual case: no id twice
        return index
    index = {}
    for record in records:
        if record.id in index:
            problems.append(DataProblem(object_type, record.id, "id", record.id, "duplicate"))
        else:
            index[record.id] = record
    return index


def _children(
    records: list,
    attr: str,
    index: dict[int, Any],
    problems: list[DataProblem],
    object_type: str,
    field_name: str,
    keep_none: bool = True,
) -> defaultdict[Any, list]:
    """Records grouped by the id in `attr`; an id that points at nothing is a problem instead."""
    out: defaultdict[Any, list] = defaultdict(list)
    get = attrgetter(attr)
    for r in records:
        value = get(r)
        if value in index or (value is None and keep_none):
            out[value].append(r)
        elif value is not None:
            problems.append(DataProblem(object_type, r.id, field_name, value))
    return out


# The index `Project.object_of` looks an object up in, per object type of a signalering.
_INDEX_OF = {
    "planned_group": "planned_by_id",
    "group": "group_by_id",
    "choosable": "choosable_by_id",
    "placement": "placement_by_id",
    "department": "department_by_id",
    "branch": "branch_by_id",
}


@dataclass(eq=False)
class Project:
    """One project as loaded: records, what could not be read, indices for views and checks."""

    info: ProjectInfo
    branches: list[Branch] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    choosables: list[Choosable] = field(default_factory=list)
    planned_groups: list[PlannedGroup] = field(default_factory=list)
    groups: list[ScheduleGroup] = field(default_factory=list)
    placements: list[StudentPlacement] = field(default_factory=list)
    students: dict[str, Student] = field(default_factory=dict)
    missing_rights: list[MissingRight] = field(default_factory=list)
    # Endpoints that were not read (no right on them or on a field they cannot do without).
    unavailable: set[str] = field(default_factory=set)
    # Why an endpoint was not read, in Dutch, where that was not a refused right (a refusal is
    # in `missing_rights`): the portal did not know it, its answer was too large, a fault.
    unavailable_because: dict[str, str] = field(default_factory=dict)
    portal: str = ""
    loaded_at: float = field(default_factory=time.time)
    # Values the wire layer repaired or left out, per endpoint and field.
    repairs: list[FieldRepair] = field(default_factory=list)
    # Why names or afdelingsdeelnames are not shown, in Dutch ("" when they are).
    names_unavailable_because: str = ""
    placements_unavailable_because: str = ""
    # What the token may read (a RightsReport) and what the next load can start from (LoadHints).
    rights: Any = None
    hints: Any = None
    # The students' vakkenpakketten (pakketkeuzes); see domain/pakket.py for what they count for.
    selected_subjects: list[SelectedSubject] = field(default_factory=list)
    # The previous project (last school year's) as far as the doorstroom needs it: no names, no
    # groups, no pakketkeuzes; only opleiding keuzevakken. Why it is not there: in
    # `unavailable_because[PREVIOUS]`. See domain/doorstroom.py.
    previous_info: ProjectInfo | None = None
    previous_branches: list[Branch] = field(default_factory=list)
    previous_departments: list[Department] = field(default_factory=list)
    previous_choosables: list[Choosable] = field(default_factory=list)
    previous_placements: list[StudentPlacement] = field(default_factory=list)

    def __post_init__(self) -> None:
        problems: list[DataProblem] = []
        self.problems = problems
        # Duplicates keep their first record everywhere, so lists and indices agree.
        self.branch_by_id = _unique(self.branches, "branch", problems)
        self.department_by_id = _unique(self.departments, "department", problems)
        self.choosable_by_id = _unique(self.choosables, "choosable", problems)
        self.planned_by_id = _unique(self.planned_groups, "plannedgroup", problems)
        self.group_by_id = _unique(self.groups, "group", problems)
        self.branches = list(self.branch_by_id.values())
        self.departments = list(self.department_by_id.values())
        self.choosables = list(self.choosable_by_id.values())
        self.planned_groups = list(self.planned_by_id.values())
        self.groups = list(self.group_by_id.values())
        self.main_group_ids = frozenset(g.id for g in self.groups if g.is_main_group)
        self.mentor_group_ids = frozenset(g.id for g in self.groups if g.is_mentor_group)
        self.pseudo_group_ids = frozenset(g.id for g in self.groups if g.is_pseudo)
        self.pseudo_department_ids = frozenset(d.id for d in self.departments if d.is_pseudo)

        self.departments_of_branch: dict[int, list[Department]] = _children(
            self.departments,
            "branch_of_school",
            self.branch_by_id,
            problems,
            "department",
            "branchOfSchool",
        )
        self.choosables_of_department: dict[int, list[Choosable]] = _children(
            self.choosables,
            "department_of_branch",
            self.department_by_id,
            problems,
            "choosable",
            "departmentOfBranch",
        )
        self.groups_of_department: dict[int, list[ScheduleGroup]] = _children(
            self.groups,
            "department_of_branch",
            self.department_by_id,
            problems,
            "group",
            "departmentOfBranch",
        )
        self.planned_of_choosable: dict[int, list[PlannedGroup]] = _children(
            self.planned_groups,
            "choosable_in_department",
            self.choosable_by_id,
            problems,
            "plannedgroup",
            "choosableInDepartment",
        )
        self.planned_of_group: dict[int, list[PlannedGroup]] = _children(
            self.planned_groups,
            "group_in_department",
            self.group_by_id,
            problems,
            "plannedgroup",
            "groupInDepartment",
            keep_none=False,
        )
        placements, self.placements = self.placements, []
        self.placement_by_id: dict[int, StudentPlacement] = {}
        # Every roostergroep has its (possibly empty) list, so a membership is one append.
        self.placements_of_group: dict[int, list[StudentPlacement]] = {
            g.id: [] for g in self.groups
        }
        self._groups_of_placement: dict[int, list[ScheduleGroup]] = {}
        self._memberships: dict[frozenset[int], dict[int, int]] = {}
        self.placements_of_student: dict[str, list[StudentPlacement]] = defaultdict(list)
        # Per student, in the order they were first placed: the ids of the afdelingen they are
        # placed in, each once and in order, unknown ones left out (so () when placed in no
        # afdeling of the project). The doorstroom groups students by it. (placements_of_student
        # is a defaultdict: a [] look-up there adds a key that is not here; ask it with .get.)
        self.afdelingen_of_student: dict[str, tuple[int, ...]] = {}
        self._one_afdeling = {d: (d,) for d in self.department_by_id}  # made once per afdeling
        self.students_of_department: dict[int | None, set[str]] = defaultdict(set)
        self.add_placements(placements)

    def add_placements(self, placements: list[StudentPlacement]) -> None:
        """Take in afdelingsdeelnames; the loader adds each block as it arrives."""
        problems, by_id, departments = self.problems, self.placement_by_id, self.department_by_id
        of_group, of_student = self.placements_of_group, self.placements_of_student
        of_department, kept = self.students_of_department, self.placements
        # setdefault, not the defaultdict's own lookup: most students are new, and a missing key
        # costs more through __missing__ than a fresh list.
        student_list = of_student.setdefault
        afdelingen = self.afdelingen_of_student
        remember, known_of = afdelingen.setdefault, self._one_afdeling.get
        self._memberships.clear()
        for p in placements:
            pid = p.id
            if pid in by_id:  # the first one counts, as for every other record type
                problems.append(DataProblem("placement", pid, "id", pid, "duplicate"))
                continue
            dept = p.department_of_branch
            if dept is not None and dept not in departments:
                problems.append(DataProblem("placement", pid, "departmentOfBranch", dept))
            code = p.student
            if not code:  # never one shared student "" for every placement without a code
                problems.append(DataProblem("placement", pid, "student", None, "missing"))
                continue
            by_id[pid] = p
            kept.append(p)
            student_list(code, []).append(p)
            of_department[dept].add(code)
            known = known_of(dept, ())  # type: ignore[arg-type]
            ids = remember(code, known)
            if ids is not known and known and dept not in ids:  # a further afdeling
                afdelingen[code] = ids + known
            gids = p.group_in_departments
            if gids:
                if len(gids) > 1 and len(set(gids)) != len(gids):
                    # The same roostergroep twice in one placement is one membership.
                    gids = p.group_in_departments = list(dict.fromkeys(gids))
                for gid in gids:
                    try:
                        of_group[gid].append(p)
                    except KeyError:
                        problems.append(DataProblem("placement", pid, "groupInDepartments", gid))

    # ---- questions the views and checks ask ----------------------------------------------------

    def group_of(self, planned: PlannedGroup) -> ScheduleGroup | None:
        """The roostergroep that realises a planned group, if any (and if it exists)."""
        gid = planned.group_in_department
        return None if gid is None else self.group_by_id.get(gid)

    def groups_of_placement(self, placement: StudentPlacement) -> list[ScheduleGroup]:
        """The roostergroepen of a placement that exist (computed when first asked)."""
        found = self._groups_of_placement.get(placement.id)
        if found is None:
            index = self.group_by_id
            found = [index[g] for g in placement.group_in_departments or () if g in index]
            if self.placement_by_id.get(placement.id) is placement:
                self._groups_of_placement[placement.id] = found
        return found

    def memberships(self, group_ids: frozenset[int]) -> dict[int, int]:
        """Per placement id: in how many of these roostergroepen (stamklassen, mentorgroepen).

        Walks the members of those groups only, a fraction of all memberships; kept until more
        placements come in, as several checks ask the same.
        """
        counts = self._memberships.get(group_ids)
        if counts is None:
            of_group = self.placements_of_group
            counts = Counter([p.id for gid in group_ids for p in of_group.get(gid, ())])
            self._memberships[group_ids] = counts
        return counts

    def student_count(self, group: ScheduleGroup) -> int:
        return len(self.placements_of_group.get(group.id, ()))

    def object_of(self, object_type: str, object_id: Any) -> Any:
        """The record a finding is about (for a student: the first afdelingsdeelname)."""
        if object_type == "student":
            found = self.placements_of_student.get(str(object_id))
            return found[0] if found else None
        name = _INDEX_OF.get(object_type)
        return None if name is None else getattr(self, name).get(object_id)

    def unrealised_planned_groups(self) -> list[PlannedGroup]:
        return [pg for pg in self.planned_groups if not pg.realised]

    def department_of(self, obj: Any) -> Department | None:
        return self.department_by_id.get(getattr(obj, "department_of_branch", None))

    def branch_of(self, department: Department | None) -> Branch | None:
        return None if department is None else self.branch_by_id.get(department.branch_of_school)

    def educations_of(self, department: Department) -> str:
        """The afdeling's opleidingen by name: its opleiding keuzevakken, else `educationType`.

        `educations` itself holds ids, never shown as if they were names.
        """
        names = [
            c.subject_name or c.subject_code or ""
            for c in self.choosables_of_department.get(department.id, ())
            if c.subject_type == "education"
        ]
        return ", ".join(n for n in names if n) or department.education_type or ""

    def student_name(self, code: str) -> str:
        student = self.students.get(code)
        return student.full_name if student else ""

    @property
    def has_placements(self) -> bool:
        return not self.lacks("studentsindepartments")

    @property
    def has_names(self) -> bool:
        return not self.lacks("users")

    def previous(self) -> Project | None:
        """The previous project as a Project of its own (its indices), or None when not read."""
        if self.previous_info is None or PREVIOUS in self.unavailable:
            return None
        cached = self.__dict__.get("_previous")
        if cached is None:
            cached = Project(
                info=self.previous_info,
                branches=self.previous_branches,
                departments=self.previous_departments,
                choosables=self.previous_choosables,
                placements=self.previous_placements,
                portal=self.portal,
                loaded_at=self.loaded_at,
            )
            self.__dict__["_previous"] = cached
        return cached

    def lacks(self, endpoint: str, field_name: str | None = None) -> bool:
        """True when this endpoint (or this field of it) could not be read."""
        if endpoint in self.unavailable:
            return True
        if endpoint == PREVIOUS:
            return self.previous_info is None
        return any(
            m.endpoint == endpoint and (m.field is None or m.field == field_name)
            for m in self.missing_rights
        )

    def counts(self) -> dict[str, int]:
        return {
            "branches": len(self.branches),
            "departments": len(self.departments),
            "choosables": len(self.choosables),
            "planned_groups": len(self.planned_groups),
            "groups": len(self.groups),
            "placements": len(self.placements),
            "students": len(self.placements_of_student),
        }
