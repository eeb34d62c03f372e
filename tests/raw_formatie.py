"""The formatie matrix counted straight from a fake portal's rows, apart from zdesk's own code.

Overview and export tests compare what zdesk shows with this count, cell for cell.
"""

from __future__ import annotations

import math

from zdesk.demo.data import PortalData

PSEUDO = ("#uit", "#allen")
STRUCTURE = ("education", "profile")


def expected_cells(
    school: PortalData, default_max: int = 30, with_choices: bool = True
) -> dict[tuple[str, str, str], tuple[int, int, int, int]]:
    """(vestiging, afdeling, vak) -> (students, needed, planned, realised), current project."""
    pid = school.current_project
    branches = {r["id"]: r["name"] for r in school.rows_of("branchesofschools", pid)}
    depts = {
        r["id"]: r
        for r in school.rows_of("departmentsofbranches", pid)
        if not any(p in r["code"] for p in PSEUDO)
    }
    group_rows = {r["id"]: r for r in school.rows_of("groupindepartments", pid)}
    groups = set(group_rows)
    # Per afdeling its real (not pseudo) stamklassen and the students in them.
    stamklassen = {
        gid
        for gid, r in group_rows.items()
        if r["isMainGroup"]
        and not any(p in f"{r.get('name') or ''} {r.get('extendedName') or ''}" for p in PSEUDO)
    }
    classes: dict[int, int] = {}
    in_classes: dict[int, set[str]] = {}
    for gid in stamklassen:
        d = group_rows[gid]["departmentOfBranch"]
        classes[d] = classes.get(d, 0) + 1
    placements = {r["id"]: r for r in school.rows_of("studentsindepartments", pid)}
    chosen: dict[int, set[str]] = {}  # keuzevak -> student codes
    depts_with_choices = set()
    if with_choices:
        for row in (
            school.rows_of("selectedsubjects", pid) if "selectedsubjects" in school.rows else ()
        ):
            placement = placements[row["studentInDepartment"]]
            depts_with_choices.add(placement["departmentOfBranch"])
            if not row.get("exemption"):
                chosen.setdefault(row["choosableInDepartment"], set()).add(placement["student"])
    everyone: dict[int, set[str]] = {}
    for p in placements.values():
        everyone.setdefault(p["departmentOfBranch"], set()).add(p["student"])
        for gid in p["groupInDepartments"] or ():
            if gid in stamklassen:
                in_classes.setdefault(group_rows[gid]["departmentOfBranch"], set()).add(
                    p["student"]
                )
    planned: dict[int, list[dict]] = {}
    for pg in school.rows_of("plannedgroups", pid):
        planned.setdefault(pg["choosableInDepartment"], []).append(pg)
    out: dict[tuple[str, str, str], tuple[int, int, int, int]] = {}
    for c in school.rows_of("choosableindepartments", pid):
        dept = depts.get(c["departmentOfBranch"])
        if dept is None or c["subjectType"] in STRUCTURE:
            continue
        its = planned.get(c["id"], [])
        realised = sum(1 for pg in its if pg["groupInDepartment"] in groups)
        real_groups = {
            pg["groupInDepartment"]
            for pg in its
            if pg["groupInDepartment"] in groups
            and not any(
                p in f"{group_rows[pg['groupInDepartment']].get('name') or ''} "
                f"{group_rows[pg['groupInDepartment']].get('extendedName') or ''}"
                for p in PSEUDO
            )
        }
        if real_groups and real_groups <= stamklassen:  # taught per klas
            students = len(in_classes.get(dept["id"], ()))
            needed = classes.get(dept["id"], 0)
        else:
            if dept["id"] in depts_with_choices:
                students = len(chosen.get(c["id"], ()))
            else:
                students = len(everyone.get(dept["id"], ()))
            needed = math.ceil(students / (dept.get("maxGroupSize") or default_max))
        key = (branches[dept["branchOfSchool"]], dept["code"], c["subjectCode"])
        assert key not in out, key  # one keuzevak per vak and afdeling in the demo
        out[key] = (students, needed, len(its), realised)
    return out
