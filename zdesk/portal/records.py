"""The portal's records: what one row of each endpoint says, as typed msgspec Structs.

These are the wire's shapes, named after the API's camelCase fields (mapped to snake_case). Every
field but the row's key may be absent or null: ungranted fields are silently left out by the
portal, and `zdesk.portal.wire` turns any value of an unexpected type into a repaired value or
None before a record is made. Unknown fields are ignored. The domain builds its Project from these.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

# Ids and counts are 64-bit integers wherever they are kept (the history's file format among
# them): a number outside that range is an odd value like any other, for the wire layer to handle.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
Int = Annotated[int, msgspec.Meta(ge=INT64_MIN, le=INT64_MAX)]


class Record(msgspec.Struct, rename="camel", gc=False):
    pass


NO_JSON = msgspec.Raw(b"null")


class ProjectInfo(Record):
    id: Int
    school: Int | None = None
    year: Int | None = None
    name: str | None = None
    project_name: str | None = None
    school_name: str | None = None
    archived: bool | None = None

    @property
    def label(self) -> str:
        return self.name or self.project_name or f"project {self.id}"


class Branch(Record):
    """vestiging (branchOfSchool)"""

    id: Int
    school_in_school_year: Int | None = None
    branch: str | None = None
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.branch or f"vestiging {self.id}"


PSEUDO_MARKS = ("#uit", "#allen")


def is_pseudo_code(*texts: str | None) -> bool:
    """Pseudo groups and afdelingen (`#uit`, `#allen`) are listed apart, never checked as real."""
    # Asked for every group and afdeling of a load: most texts have no "#" at all, and that is
    # answered without a loop. A mark cannot run across the line break between two texts.
    text = "\n".join(filter(None, texts))
    return "#" in text and any(m in text for m in PSEUDO_MARKS)


class Department(Record):
    """afdeling (departmentOfBranch)"""

    id: Int
    branch_of_school: Int | None = None
    code: str | None = None
    year_of_education: Int | None = None
    # Ids of opleidingen, profielen and docententeams: ids, not names (the names are keuzevakken).
    educations: list[Int] | None = None
    profiles: list[Int] | None = None
    education_type: str | None = None
    school_in_school_year: Int | None = None
    student_count: Int | None = None
    max_group_size: Int | None = None
    # The portal's prognose of its students (a decimal, 26.5), where the school keeps one.
    prognostic_student_count: float | None = None

    @property
    def label(self) -> str:
        return self.code or f"afdeling {self.id}"

    @property
    def is_pseudo(self) -> bool:
        return is_pseudo_code(self.code)


# subjectType values that are structure, not taught groups (opleiding, profiel).
STRUCTURE_TYPES = frozenset({"education", "profile"})


class Choosable(Record):
    """keuzevak (choosableInDepartment)"""

    id: Int
    department_of_branch: Int | None = None
    subject_code: str | None = None
    subject_name: str | None = None
    subject_type: str | None = None
    # Kept as the portal's JSON text and read when the details pane shows it: only that pane
    # uses it, and decoding it for every keuzevak was the costliest part of reading them.
    lesson_hours_in_class_periods: msgspec.Raw = NO_JSON

    @property
    def label(self) -> str:
        return self.subject_code or f"keuzevak {self.id}"

    @property
    def is_structure(self) -> bool:
        """An opleiding or profiel: part of the structure, needs no geplande groep of its own."""
        return self.subject_type in STRUCTURE_TYPES

    @property
    def lesson_hours(self) -> list[Any]:
        """The lessentabel per onderwijsperiode as the portal gave it ([] if absent or not JSON)."""
        try:
            value = msgspec.json.decode(self.lesson_hours_in_class_periods)
        except (msgspec.DecodeError, RecursionError):
            return []
        return value if isinstance(value, list) else []


class PlannedGroup(Record):
    """geplande groep (plannedGroup); group_in_department None means: not realised yet."""

    id: Int
    choosable_in_department: Int | None = None
    group_in_department: Int | None = None
    group_in_department_name: str | None = None
    group_in_department_is_main_group: bool | None = None
    group_in_department_is_mentor_group: bool | None = None
    subject_code: str | None = None
    name: str | None = None
    rank: Int | None = None

    @property
    def realised(self) -> bool:
        return self.group_in_department is not None


class ScheduleGroup(Record):
    """roostergroep (groupInDepartment)"""

    id: Int
    department_of_branch: Int | None = None
    name: str | None = None
    extended_name: str | None = None
    is_main_group: bool | None = None
    is_mentor_group: bool | None = None

    @property
    def label(self) -> str:
        return self.extended_name or self.name or f"roostergroep {self.id}"

    @property
    def is_pseudo(self) -> bool:
        return is_pseudo_code(self.name, self.extended_name)


def person_name(first: str | None, prefix: str | None, last: str | None) -> str:
    """A name as people write it; a last name's text after a comma is a note, not the name."""
    if last and "," in last:
        last = last.split(",", 1)[0].rstrip()
    return " ".join(p for p in (first, prefix, last) if p)


class StudentPlacement(Record):
    """afdelingsdeelname (studentInDepartment); names only where the token may read them."""

    id: Int
    student: str | None = None
    department_of_branch: Int | None = None
    group_in_departments: list[Int] | None = None
    first_name: str | None = None
    prefix: str | None = None
    last_name: str | None = None

    @property
    def student_code(self) -> str:
        return self.student or ""

    @property
    def has_name(self) -> bool:
        return bool(self.first_name or self.last_name)


class Student(Record):
    """A user who is a student; names are optional and only present when granted."""

    code: str
    first_name: str | None = None
    prefix: str | None = None
    last_name: str | None = None

    @property
    def full_name(self) -> str:
        return person_name(self.first_name, self.prefix, self.last_name)


class SelectedSubject(Record):
    """pakketkeuze (selectedSubject): one keuzevak in one afdelingsdeelname's vakkenpakket."""

    id: Int
    student_in_department: Int | None = None
    choosable_in_department: Int | None = None
    alternative_choosable_in_department: Int | None = None
    subject_code: str | None = None
    exemption: bool | None = None
    subject_selection: Int | None = None


# What each endpoint's rows are. A record's first field is its key: a row without it is skipped.
RECORDS: dict[str, type[Record]] = {
    "schoolsinschoolyears": ProjectInfo,
    "branchesofschools": Branch,
    "departmentsofbranches": Department,
    "choosableindepartments": Choosable,
    "plannedgroups": PlannedGroup,
    "groupindepartments": ScheduleGroup,
    "studentsindepartments": StudentPlacement,
    "users": Student,
    "selectedsubjects": SelectedSubject,
}
