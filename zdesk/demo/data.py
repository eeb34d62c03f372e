"""What one fake portal holds: API rows per endpoint, users, and the anomalies per project."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]

# The structure endpoints in the portal's own spelling, in loading order.
STRUCTURE_ENDPOINTS = (
    "schoolsinschoolyears",
    "branchesofschools",
    "departmentsofbranches",
    "choosableindepartments",
    "plannedgroups",
    "groupindepartments",
    "studentsindepartments",
    "selectedsubjects",
)


@dataclass
class Anomalies:
    """The irregularities a generator planted in one project, by the ids the API uses."""

    unrealised_planned_groups: set[int] = field(default_factory=set)
    # student code -> "prognosis" | "cross_leerlaag" | "other_branch"
    multi_department_students: dict[str, str] = field(default_factory=dict)
    multiple_main_groups: set[str] = field(default_factory=set)
    multiple_mentor_groups: set[str] = field(default_factory=set)
    without_main_group: set[str] = field(default_factory=set)
    groups_without_planned_group: set[int] = field(default_factory=set)
    cross_department_planned_groups: set[int] = field(default_factory=set)
    choosables_without_planned_groups: set[int] = field(default_factory=set)
    empty_groups: set[int] = field(default_factory=set)
    over_max_groups: set[int] = field(default_factory=set)
    unbalanced_choosables: set[int] = field(default_factory=set)
    pseudo_groups: set[int] = field(default_factory=set)
    # Pakketkeuzes (student codes): a keuze without a group of it, a group of a vak not chosen,
    # an exemption (counted nowhere, reported by no check).
    choices_without_group: set[str] = field(default_factory=set)
    groups_without_choice: set[str] = field(default_factory=set)
    exemptions: set[str] = field(default_factory=set)
    # Keuzevakken with fewer / more geplande groepen than their students need.
    planned_groups_too_few: set[int] = field(default_factory=set)
    planned_groups_too_many: set[int] = field(default_factory=set)
    pseudo_departments: set[int] = field(default_factory=set)
    # Doorstroom from the previous project (student codes; see demo/doorstroom.py). What the three
    # checks find: not placed this year (waarschuwing), zittenblijvers, op- and afstroom (info).
    not_placed_next_year: set[str] = field(default_factory=set)
    repeats_year: set[str] = field(default_factory=set)
    changes_education: dict[str, str] = field(default_factory=dict)  # -> "opstroom" | "afstroom"
    # Flows the checks must pass over: examenkandidaten gone, leavers in the pseudo afdeling
    # `#uit`, instroom (new codes), and a code with a leading zero that flows normally.
    exam_leavers: set[str] = field(default_factory=set)
    leavers_in_pseudo: set[str] = field(default_factory=set)
    instroom: set[str] = field(default_factory=set)
    leading_zero_students: set[str] = field(default_factory=set)

    def kinds_present(self) -> list[str]:
        return [name for name, value in vars(self).items() if value]


@dataclass
class PortalData:
    """Everything one fake portal serves."""

    rows: dict[str, list[Row]]
    users: list[Row]
    me: Row
    current_project: int
    anomalies: dict[int, Anomalies] = field(default_factory=dict)

    def project_ids(self) -> list[int]:
        return [row["id"] for row in self.rows["schoolsinschoolyears"]]

    def rows_of(self, endpoint: str, project: int) -> list[Row]:
        return [r for r in self.rows[endpoint] if _project_of(endpoint, r) == project]


def _project_of(endpoint: str, row: Row) -> int:
    return row["id"] if endpoint == "schoolsinschoolyears" else row["schoolInSchoolYear"]
