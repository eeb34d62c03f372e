"""Changing the demo school between two loads, as a formatiebeheerder does in the portal.

Each change edits the rows the fake portal serves, keeps the service fields a real portal derives
from them consistent (a realised planned group's group name, a placement's stamklas), and makes
the portal answer from the changed rows from then on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zdesk.demo.data import Row

if TYPE_CHECKING:
    from zdesk.demo.server import FakePortal

_SERVICE_FIELDS = {
    "groupInDepartmentName": "name",
    "groupInDepartmentIsMainGroup": "isMainGroup",
    "groupInDepartmentIsMentorGroup": "isMentorGroup",
    "groupInDepartmentExtendedName": "extendedName",
}


class SchoolChanges:
    """Edits one project of a running fake portal."""

    def __init__(self, portal: FakePortal, project: int | None = None) -> None:
        self.portal = portal
        self.data = portal.data
        self.project = project if project is not None else portal.data.current_project

    def rows(self, endpoint: str) -> list[Row]:
        return self.data.rows_of(endpoint, self.project)

    def _row(self, endpoint: str, row_id: int) -> Row:
        for row in self.rows(endpoint):
            if row["id"] == row_id:
                return row
        raise KeyError(f"{endpoint} {row_id} bestaat niet in project {self.project}")

    def realise_planned_group(self, planned_id: int, group_id: int) -> None:
        """The planned group gets a roostergroep (or another one)."""
        planned, group = (
            self._row("plannedgroups", planned_id),
            self._row("groupindepartments", group_id),
        )
        planned["groupInDepartment"] = group_id
        for field, source in _SERVICE_FIELDS.items():
            planned[field] = group.get(source)
        self.portal.school_changed()

    def unlink_planned_group(self, planned_id: int) -> None:
        planned = self._row("plannedgroups", planned_id)
        planned["groupInDepartment"] = None
        for field in _SERVICE_FIELDS:
            planned[field] = None  # as a real portal: every service field null
        self.portal.school_changed()

    def move_student(self, placement_id: int, from_group: int, to_group: int) -> None:
        """A student's placement moves from one roostergroep to another (h4a to h4b)."""
        placement = self._row("studentsindepartments", placement_id)
        target = self._row("groupindepartments", to_group)
        ids = placement.get("groupInDepartments") or []
        if from_group not in ids:
            raise ValueError(f"afdelingsdeelname {placement_id} zit niet in groep {from_group}")
        placement["groupInDepartments"] = [to_group if g == from_group else g for g in ids]
        if placement.get("mainGroup") == from_group:
            placement["mainGroup"] = to_group
            placement["mainGroupName"] = target.get("name")
        if placement.get("mentorGroup") == from_group:
            placement["mentorGroup"] = to_group
        self.portal.school_changed()

    def place_student(self, code: str, department_id: int, groups: list[int] | None = None) -> int:
        """A new afdelingsdeelname of a student (a prognosis for another afdeling, say)."""
        department = self._row("departmentsofbranches", department_id)
        known = next((p for p in self.rows("studentsindepartments") if p["student"] == code), {})
        all_rows = self.data.rows["studentsindepartments"]
        new_id = max((r["id"] for r in all_rows), default=0) + 1
        row: dict[str, Any] = {
            "id": new_id,
            "student": code,
            "departmentOfBranch": department_id,
            "groupInDepartments": list(groups or []),
            "schoolInSchoolYear": self.project,
            "mainGroup": None,
            "mainGroupName": None,
            "mentorGroup": None,
            "departmentOfBranchCode": department.get("code"),
            "educations": list(department.get("educations") or []),
            "profiles": [],
            "participationWeight": 1.0,
            "lastModified": known.get("lastModified"),
        }
        for name in ("firstName", "prefix", "lastName", "fullName"):
            if name in known:
                row[name] = known[name]
        all_rows.append(row)
        self.portal.school_changed()
        return new_id

    def remove_group(self, group_id: int) -> None:
        """A roostergroep removed: its planned groups are unlinked, its students leave it."""
        group = self._row("groupindepartments", group_id)
        self.data.rows["groupindepartments"].remove(group)
        for planned in self.rows("plannedgroups"):
            if planned["groupInDepartment"] == group_id:
                planned["groupInDepartment"] = None
                for field in _SERVICE_FIELDS:
                    planned[field] = None
        for placement in self.rows("studentsindepartments"):
            ids = placement.get("groupInDepartments")
            if ids and group_id in ids:
                placement["groupInDepartments"] = [g for g in ids if g != group_id]
                for key in ("mainGroup", "mentorGroup"):
                    if placement.get(key) == group_id:
                        placement[key] = None
        self.portal.school_changed()
