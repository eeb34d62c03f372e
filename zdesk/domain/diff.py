"""Wat is er veranderd: the changes by object between two loads of one project.

Objects are matched by id (ids are stable within one schoolInSchoolYear), students by their code.
A change names the object as findings do (object type + id or student code), says what changed
with a stable key (`what`) and shows the before and after as text. Signaleringen are compared by
check and object: new ones, and resolved ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import msgspec

from zdesk.domain.findings import Finding
from zdesk.domain.locate import department_ids_of
from zdesk.domain.model import PlannedGroup, Project

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# Compared only when both loads could read them: a right granted since the last load is not
# a school full of new objects.
_ENDPOINTS = {
    "department": "departmentsofbranches",
    "choosable": "choosableindepartments",
    "planned_group": "plannedgroups",
    "group": "groupindepartments",
    "student": "studentsindepartments",
}
_ORDER = {"department": 0, "choosable": 1, "planned_group": 2, "group": 3, "student": 4}
# An aspect compared only when both loads could read its field: a right taken away (or
# granted) since is not a change of every object's data.
ASPECT_FIELDS = {
    ("planned_group", "link"): ("plannedgroups", "groupInDepartment"),
    ("group", "name"): ("groupindepartments", "name"),
    ("group", "main_group"): ("groupindepartments", "isMainGroup"),
    ("group", "mentor_group"): ("groupindepartments", "isMentorGroup"),
    ("student", "groups"): ("studentsindepartments", "groupInDepartments"),
}

Value = str | bool | None


class Change(msgspec.Struct, frozen=True, gc=False):
    change: str  # added | removed | changed
    object_type: str  # as in findings: planned_group, group, choosable, department, student
    object_id: int | str
    what: str  # which aspect changed; see DESCRIPTIONS
    before: Value = None
    after: Value = None
    label: str = ""  # how the object is named (in the newer load if it is still there)

    def as_json(self) -> dict[str, object]:
        return {
            "change": self.change,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "what": self.what,
            "before": self.before,
            "after": self.after,
        }

    @property
    def key(self) -> tuple[str, int | str]:
        return (self.object_type, self.object_id)


def _yes_no(value: Value) -> str:
    return "ja" if value else "nee"


# (change, what) -> Dutch sentence; {label}, {before}, {after} are filled in.
DESCRIPTIONS: dict[tuple[str, str], str] = {
    (ADDED, "department"): "Afdeling {label} is nieuw",
    (REMOVED, "department"): "Afdeling {label} is verdwenen",
    (ADDED, "choosable"): "Keuzevak {label} is nieuw",
    (REMOVED, "choosable"): "Keuzevak {label} is verdwenen",
    (ADDED, "planned_group"): "Geplande groep {label} is nieuw",
    (REMOVED, "planned_group"): "Geplande groep {label} is verdwenen",
    (CHANGED, "realised"): "Geplande groep {label} is gerealiseerd als roostergroep {after}",
    (CHANGED, "unlinked"): "Geplande groep {label} is niet meer gekoppeld (was {before})",
    (CHANGED, "relinked"): "Geplande groep {label}: roostergroep {before} → {after}",
    (ADDED, "group"): "Roostergroep {label} is nieuw",
    (REMOVED, "group"): "Roostergroep {label} is verdwenen",
    (CHANGED, "name"): "Roostergroep {before} heet nu {after}",
    (CHANGED, "main_group"): "Roostergroep {label}: stamklas {before} → {after}",
    (CHANGED, "mentor_group"): "Roostergroep {label}: mentorgroep {before} → {after}",
    (ADDED, "placement"): "Leerling {label} is geplaatst in afdeling {after}",
    (REMOVED, "placement"): "Leerling {label} is niet meer geplaatst in afdeling {before}",
    (CHANGED, "groups"): "Leerling {label}: roostergroepen {before} → {after}",
}
WHAT_LABELS = {
    "department": "afdeling",
    "choosable": "keuzevak",
    "planned_group": "geplande groep",
    "realised": "gerealiseerd",
    "unlinked": "ontkoppeld",
    "relinked": "andere roostergroep",
    "group": "roostergroep",
    "name": "naam",
    "main_group": "stamklas",
    "mentor_group": "mentorgroep",
    "placement": "afdelingsdeelname",
    "groups": "roostergroepen",
    "link": "gekoppelde roostergroep",
}
NOT_COMPARED = "niet te vergelijken"


def rights_changed_text(aspect: tuple[str, str]) -> str:
    """Why an aspect is not compared: one load could read its field, the other not."""
    endpoint, field_name = ASPECT_FIELDS[aspect]
    return f"niet te vergelijken: leesrechten veranderd ({endpoint}, veld {field_name})"


CHANGE_LABELS = {ADDED: "nieuw", REMOVED: "verdwenen", CHANGED: "gewijzigd"}


def describe(change: Change) -> str:
    template = DESCRIPTIONS.get((change.change, change.what), "{label}: {before} → {after}")
    before, after = change.before, change.after
    if change.what in ("main_group", "mentor_group"):
        before, after = _yes_no(before), _yes_no(after)
    return template.format(
        label=change.label or change.object_id,
        before="—" if before in (None, "") else before,
        after="—" if after in (None, "") else after,
    )


@dataclass
class Comparison:
    """The changes from `before` to `after`, and the signaleringen new and resolved."""

    before_loaded_at: float
    after_loaded_at: float
    changes: list[Change] = field(default_factory=list)
    new_findings: list[Finding] = field(default_factory=list)
    resolved_findings: list[Finding] = field(default_factory=list)
    not_compared: list[str] = field(default_factory=list)  # object types one load could not read
    # Aspects (object type, what) whose field one load could read and the other not.
    rights_changed: list[tuple[str, str]] = field(default_factory=list)
    # Per changed object (kind, id): the ids of the afdelingen it sits in, in the newer load or,
    # for an object that is gone, in the older one (what the tree's selection narrows by).
    departments: dict[tuple[str, int | str], tuple[int, ...]] = field(default_factory=dict)

    def by_object(self) -> dict[tuple[str, int | str], list[Change]]:
        out: dict[tuple[str, int | str], list[Change]] = {}
        for c in self.changes:
            out.setdefault(c.key, []).append(c)
        return out

    def counts(self) -> dict[str, int]:
        out = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for c in self.changes:
            out[c.change] += 1
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "from": {"loaded_at": _iso(self.before_loaded_at)},
            "to": {"loaded_at": _iso(self.after_loaded_at)},
            "changes": [c.as_json() for c in self.changes],
            "findings": {
                "new": [f.as_json() for f in self.new_findings],
                "resolved": [f.as_json() for f in self.resolved_findings],
            },
        }


def _iso(timestamp: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def planned_label(project: Project, pg: PlannedGroup) -> str:
    choosable = project.choosable_by_id.get(pg.choosable_in_department)
    subject = pg.subject_code or (choosable.label if choosable else None)
    if pg.name:
        name = pg.name
    elif subject and pg.rank:
        name = f"{subject}.grp{pg.rank}"
    else:
        name = f"{subject or 'geplande groep'} (id {pg.id})"
    department = project.department_of(choosable) if choosable else None
    return f"{name} ({department.label})" if department else name


def _group_label(project: Project, gid: int | None) -> str | None:
    if gid is None:
        return None
    group = project.group_by_id.get(gid)
    return group.label if group else f"roostergroep {gid}"


def _added_removed(
    object_type: str,
    before: dict,
    after: dict,
    label_before,
    label_after,
    what: str | None = None,
) -> Iterable[Change]:
    what = what or object_type
    for oid in after.keys() - before.keys():
        name = label_after(after[oid])
        yield Change(ADDED, object_type, oid, what, None, name, name)
    for oid in before.keys() - after.keys():
        name = label_before(before[oid])
        yield Change(REMOVED, object_type, oid, what, name, None, name)


def _compared(project: Project, object_type: str) -> bool:
    return not project.lacks(_ENDPOINTS[object_type])


def compare(
    before: Project,
    after: Project,
    before_findings: Iterable[Finding] = (),
    after_findings: Iterable[Finding] = (),
) -> Comparison:
    """What changed from `before` to `after` (two loads of one project)."""
    out = Comparison(before.loaded_at, after.loaded_at)
    changes = out.changes
    for object_type in _ENDPOINTS:
        if not (_compared(before, object_type) and _compared(after, object_type)):
            out.not_compared.append(object_type)
    skip = set(out.not_compared)
    aspects: set[tuple[str, str]] = set()  # compared only where both loads could read them
    for aspect, (endpoint, field_name) in ASPECT_FIELDS.items():
        then, now = not before.lacks(endpoint, field_name), not after.lacks(endpoint, field_name)
        if then and now:
            aspects.add(aspect)
        elif then != now and aspect[0] not in skip:
            out.rights_changed.append(aspect)

    if "department" not in skip:
        changes += _added_removed(
            "department",
            before.department_by_id,
            after.department_by_id,
            lambda d: d.label,
            lambda d: d.label,
        )
    if "choosable" not in skip:

        def choosable_label(project: Project):
            def label(c) -> str:
                d = project.department_of(c)
                return f"{c.label} ({d.label})" if d else c.label

            return label

        changes += _added_removed(
            "choosable",
            before.choosable_by_id,
            after.choosable_by_id,
            choosable_label(before),
            choosable_label(after),
        )
    if "planned_group" not in skip:
        changes += _planned_groups(before, after, ("planned_group", "link") in aspects)
    if "group" not in skip:
        changes += _groups(before, after, aspects)
    if "student" not in skip:
        changes += _students(before, after, ("student", "groups") in aspects)
    changes.sort(key=lambda c: (_ORDER.get(c.object_type, 9), c.label, str(c.object_id), c.what))

    before_list, after_list = list(before_findings), list(after_findings)
    before_keys = {(f.check, f.object_type, f.object_id) for f in before_list}
    after_keys = {(f.check, f.object_type, f.object_id) for f in after_list}
    out.new_findings = [
        f for f in after_list if (f.check, f.object_type, f.object_id) not in before_keys
    ]
    out.resolved_findings = [
        f for f in before_list if (f.check, f.object_type, f.object_id) not in after_keys
    ]
    keys = [c.key for c in changes]
    keys += [(f.object_type, f.object_id) for f in out.new_findings + out.resolved_findings]
    for key in keys:
        if key not in out.departments:
            out.departments[key] = _departments(before, after, key)
    return out


def _departments(before: Project, after: Project, key: tuple[str, int | str]) -> tuple[int, ...]:
    """Where the object sits in the newer load, or, when it is gone, where it sat before."""
    return department_ids_of(after, *key) or department_ids_of(before, *key)


def _planned_groups(before: Project, after: Project, links: bool = True) -> list[Change]:
    old, new = before.planned_by_id, after.planned_by_id
    changes = list(
        _added_removed(
            "planned_group",
            old,
            new,
            lambda pg: planned_label(before, pg),
            lambda pg: planned_label(after, pg),
        )
    )
    for pid, pg in new.items() if links else ():
        was = old.get(pid)
        if was is None or was.group_in_department == pg.group_in_department:
            continue
        then = _group_label(before, was.group_in_department)
        now = _group_label(after, pg.group_in_department)
        if then is None:
            what = "realised"
        elif now is None:
            what = "unlinked"
        else:
            what = "relinked"
        changes.append(
            Change(CHANGED, "planned_group", pid, what, then, now, planned_label(after, pg))
        )
    return changes


def _groups(
    before: Project, after: Project, aspects: set[tuple[str, str]] | None = None
) -> list[Change]:
    old, new = before.group_by_id, after.group_by_id
    changes = list(_added_removed("group", old, new, lambda g: g.label, lambda g: g.label))
    names = aspects is None or ("group", "name") in aspects
    main = aspects is None or ("group", "main_group") in aspects
    mentor = aspects is None or ("group", "mentor_group") in aspects
    for gid, g in new.items():
        was = old.get(gid)
        if was is None or was == g:
            continue
        if names and was.label != g.label:
            changes.append(Change(CHANGED, "group", gid, "name", was.label, g.label, g.label))
        if main and bool(was.is_main_group) != bool(g.is_main_group):
            changes.append(
                Change(
                    CHANGED,
                    "group",
                    gid,
                    "main_group",
                    bool(was.is_main_group),
                    bool(g.is_main_group),
                    g.label,
                )
            )
        if mentor and bool(was.is_mentor_group) != bool(g.is_mentor_group):
            changes.append(
                Change(
                    CHANGED,
                    "group",
                    gid,
                    "mentor_group",
                    bool(was.is_mentor_group),
                    bool(g.is_mentor_group),
                    g.label,
                )
            )
    return changes


def _touched(before: Project, after: Project) -> set[str]:
    """The students with an afdelingsdeelname added, removed or changed (usually a few)."""
    old, new = before.placement_by_id, after.placement_by_id
    get = old.get
    # Records compare field by field in C: one pass over the placements finds the changed ones.
    codes = {p.student_code for p in after.placements if get(p.id) != p}
    codes.update(p.student_code for pid, p in old.items() if pid not in new)
    return codes


def _memberships(project: Project, codes: set[str]) -> dict[str, dict[int | None, set[int]]]:
    """Per student code: the afdelingen they are placed in, each with their roostergroepen."""
    out: dict[str, dict[int | None, set[int]]] = {}
    of_student = project.placements_of_student
    for code in codes:
        placements = of_student.get(code, ())
        by_department: dict[int | None, set[int]] = {}
        for p in placements:
            ids = by_department.setdefault(p.department_of_branch, set())
            if p.group_in_departments:
                ids.update(p.group_in_departments)
        out[code] = by_department
    return out


def _department_label(project: Project, did: int | None) -> str:
    d = project.department_by_id.get(did) if did is not None else None
    return d.label if d else ("geen afdeling" if did is None else f"afdeling {did}")


def _students(before: Project, after: Project, groups: bool = True) -> list[Change]:
    codes = _touched(before, after)
    old, new = _memberships(before, codes), _memberships(after, codes)
    changes: list[Change] = []
    nothing: dict[int | None, set[int]] = {}
    for code in sorted(new.keys() | old.keys()):
        then, now = old.get(code, nothing), new.get(code, nothing)
        if then == now:
            continue
        for did in sorted(now.keys() - then.keys(), key=_id_order):
            name = _department_label(after, did)
            changes.append(Change(ADDED, "student", code, "placement", None, name, code))
        for did in sorted(then.keys() - now.keys(), key=_id_order):
            name = _department_label(before, did)
            changes.append(Change(REMOVED, "student", code, "placement", name, None, code))
        # Roostergroepen compared within the afdelingen the student stays in: leaving an
        # afdeling is one change, not one more for each of its groups.
        left: set[int] = set()
        joined: set[int] = set()
        for did in then.keys() & now.keys() if groups else ():
            left |= then[did] - now[did]
            joined |= now[did] - then[did]
        if left or joined:
            was = ", ".join(sorted(_group_label(before, g) or "" for g in left))
            is_ = ", ".join(sorted(_group_label(after, g) or "" for g in joined))
            changes.append(Change(CHANGED, "student", code, "groups", was, is_, code))
    return changes


def _id_order(did: int | None) -> tuple[bool, int]:
    return (did is None, did or 0)
