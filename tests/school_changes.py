"""The four changes of the comparison tests, made through the demo portal, with what the diff
must then list."""

from __future__ import annotations

from dataclasses import dataclass, field

from zdesk.demo.changes import SchoolChanges


@dataclass
class Made:
    expected: set = field(default_factory=set)
    realised: int = 0
    removed_group: int = 0
    removed_label: str = ""
    placed_student: str = ""
    moved_student: str = ""


def make_the_four_changes(portal) -> Made:
    """A planned group realised, a student moved to another stamklas, a placement added, a
    group removed (an empty one; its planned group is unlinked with it)."""
    changes = SchoolChanges(portal)
    made = Made()
    groups = {g["id"]: g for g in changes.rows("groupindepartments")}
    departments = {d["id"]: d for d in changes.rows("departmentsofbranches")}
    choosables = {c["id"]: c for c in changes.rows("choosableindepartments")}
    planned = changes.rows("plannedgroups")
    placements = changes.rows("studentsindepartments")

    def label(g):
        return g["extendedName"]

    pg = next(p for p in planned if p["groupInDepartment"] is None)
    dept = choosables[pg["choosableInDepartment"]]["departmentOfBranch"]
    target = next(g for g in groups.values() if g["departmentOfBranch"] == dept)
    changes.realise_planned_group(pg["id"], target["id"])
    made.realised = pg["id"]
    made.expected.add(("changed", "planned_group", pg["id"], "realised", None, label(target)))

    used = {g for p in placements for g in p["groupInDepartments"] or ()}
    empty = next(g for g in groups.values() if g["id"] not in used)
    unlinked = [p["id"] for p in planned if p["groupInDepartment"] == empty["id"]]
    changes.remove_group(empty["id"])
    made.removed_group, made.removed_label = empty["id"], label(empty)
    made.expected.add(("removed", "group", empty["id"], "group", label(empty), None))
    for pid in unlinked:
        made.expected.add(("changed", "planned_group", pid, "unlinked", label(empty), None))

    mains = [g for g in groups.values() if g["isMainGroup"] and g["id"] != empty["id"]]
    source = mains[0]
    other = next(
        g
        for g in mains
        if g["departmentOfBranch"] == source["departmentOfBranch"] and g is not source
    )
    mover = next(p for p in placements if source["id"] in (p["groupInDepartments"] or ()))
    changes.move_student(mover["id"], source["id"], other["id"])
    made.moved_student = mover["student"]
    made.expected.add(
        ("changed", "student", mover["student"], "groups", label(source), label(other))
    )

    codes: dict[str, list] = {}
    for p in placements:
        codes.setdefault(p["student"], []).append(p)
    code, [only] = next(
        (c, ps) for c, ps in codes.items() if len(ps) == 1 and c != mover["student"]
    )
    elsewhere = next(d for d in departments.values() if d["id"] != only["departmentOfBranch"])
    changes.place_student(code, elsewhere["id"])
    made.placed_student = code
    made.expected.add(("added", "student", code, "placement", None, elsewhere["code"]))
    return made
