"""Changing the demo school between two loads, as a formatiebeheerder would in the portal."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Made:
    expected: set = field(default_factory=set)
    realised: int = 0
    removed_group: int = 0
    removed_label: str = ""
    placed_student: str = ""


class SchoolChanges:
    def __init__(self, fake) -> None:
        self.fake = fake
        self.data = fake.data
        self.project = fake.data.current_project

    def _rows(self, endpoint):
        return [r for r in self.data.rows[endpoint] if r.get("schoolInSchoolYear") == self.project]

    def _changed(self):
        self.fake._state.cache.clear()

    def the_four(self) -> Made:
        made = Made()
        groups = {g["id"]: g for g in self._rows("groupindepartments")}
        departments = {d["id"]: d for d in self._rows("departmentsofbranches")}
        choosables = {c["id"]: c for c in self._rows("choosableindepartments")}
        planned = self._rows("plannedgroups")
        placements = self._rows("studentsindepartments")

        def label(g):
            return g["extendedName"]

        # A planned group realised: linked to a roostergroep of its own afdeling.
        pg = next(p for p in planned if p["groupInDepartment"] is None)
        dept = choosables[pg["choosableInDepartment"]]["departmentOfBranch"]
        target = next(g for g in groups.values() if g["departmentOfBranch"] == dept)
        pg["groupInDepartment"] = target["id"]
        made.realised = pg["id"]
        made.expected.add(("changed", "planned_group", pg["id"], "realised", None, label(target)))

        # A group removed: an empty one; its planned group is unlinked with it.
        used = {g for p in placements for g in p["groupInDepartments"] or ()}
        empty = next(g for g in groups.values() if g["id"] not in used)
        self.data.rows["groupindepartments"].remove(empty)
        made.removed_group, made.removed_label = empty["id"], label(empty)
        made.expected.add(("removed", "group", empty["id"], "group", label(empty), None))
        for p in planned:
            if p["groupInDepartment"] == empty["id"]:
                p["groupInDepartment"] = None
                made.expected.add(
                    ("changed", "planned_group", p["id"], "unlinked", label(empty), None)
                )

        # A student moved from one stamklas to the other of the same afdeling.
        mains = [g for g in groups.values() if g["isMainGroup"] and g["id"] != empty["id"]]
        source = mains[0]
        other = next(
            g
            for g in mains
            if g["departmentOfBranch"] == source["departmentOfBranch"] and g is not source
        )
        mover = next(p for p in placements if source["id"] in (p["groupInDepartments"] or ()))
        mover["groupInDepartments"] = [
            other["id"] if g == source["id"] else g for g in mover["groupInDepartments"]
        ]
        made.expected.add(
            ("changed", "student", mover["student"], "groups", label(source), label(other))
        )

        # A placement added: a student of one afdeling also placed in another.
        codes: dict[str, list] = {}
        for p in placements:
            codes.setdefault(p["student"], []).append(p)
        code, [only] = next(
            (c, ps) for c, ps in codes.items() if len(ps) == 1 and c != mover["student"]
        )
        elsewhere = next(d for d in departments.values() if d["id"] != only["departmentOfBranch"])
        new_id = max(r["id"] for r in self.data.rows["studentsindepartments"]) + 1
        self.data.rows["studentsindepartments"].append(
            {
                "id": new_id,
                "student": code,
                "departmentOfBranch": elsewhere["id"],
                "groupInDepartments": [],
                "schoolInSchoolYear": self.project,
            }
        )
        made.placed_student = code
        made.expected.add(("added", "student", code, "placement", None, elsewhere["code"]))
        self._changed()
        return made
