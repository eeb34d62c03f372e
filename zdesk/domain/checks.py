"""Signaleringen: each check a small function Project -> findings, with the rights it needs.

A finding says what is wrong (check id and severity), about which object (type + API id; a student's
code for students) and in one Dutch sentence. A check whose data the token may not read is skipped,
and the run says which right was missing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter

from zdesk.domain.data_problems import (
    dangling_reference,
    data_repaired,
    duplicate_id,
    placement_without_student,
)
from zdesk.domain.doorstroom_checks import DOORSTROOM_CHECKS
from zdesk.domain.findings import OBJECT_LABELS, CheckOptions, Finding, Found, object_key
from zdesk.domain.formatie_checks import FORMATIE_CHECKS
from zdesk.domain.locate import department_label
from zdesk.domain.model import PREVIOUS, PlannedGroup, Project
from zdesk.domain.severity import Severity

__all__ = [
    "CHECKS",
    "CHECK_BY_ID",
    "OBJECT_LABELS",
    "Check",
    "CheckOptions",
    "CheckRun",
    "Finding",
    "Severity",
    "object_key",
    "run_checks",
]


@dataclass(frozen=True)
class Check:
    id: str
    title: str  # Dutch, short: how the check is named in the app and the export
    needs: tuple[tuple[str, str | None], ...]  # (endpoint, field or None for the whole endpoint)
    run: Callable[[Project, CheckOptions], Iterable[Found]]


@dataclass(frozen=True)
class SkippedCheck:
    check: str
    endpoint: str
    field: str | None
    why: str = ""  # the reason when it was not a refused right (see Project.unavailable_because)

    @property
    def reason(self) -> str:
        if self.why:
            return f"overgeslagen: {self.why}"
        what = f"veld '{self.field}' van '{self.endpoint}'" if self.field else f"'{self.endpoint}'"
        return f"overgeslagen: geen leesrecht op {what}"


@dataclass
class CheckRun:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[SkippedCheck] = field(default_factory=list)
    seconds: float = 0.0
    options: CheckOptions = field(default_factory=CheckOptions)  # what the checks were run with

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.check] = out.get(f.check, 0) + 1
        return out

    def by_object(self) -> dict[tuple[str, int | str], list[Finding]]:
        out: dict[tuple[str, int | str], list[Finding]] = {}
        for f in self.findings:
            out.setdefault((f.object_type, f.object_id), []).append(f)
        return out


# ---- naming objects in messages -----------------------------------------------------------------


def _dept(project: Project, obj: object) -> str:
    """The afdeling of an object, with its vestiging where the project has more than one."""
    return department_label(project, project.department_of(obj))


def _planned_name(project: Project, pg: PlannedGroup) -> str:
    if pg.name:
        return pg.name
    choosable = project.choosable_by_id.get(pg.choosable_in_department)
    subject = pg.subject_code or (choosable.label if choosable else "?")
    return f"{subject}.grp{pg.rank}" if pg.rank else f"{subject} (id {pg.id})"


def _choosable_of(project: Project, pg: PlannedGroup) -> str:
    choosable = project.choosable_by_id.get(pg.choosable_in_department)
    if choosable is None:
        return pg.subject_code or "?"
    return f"{choosable.label} ({_dept(project, choosable)})"


# ---- the checks ---------------------------------------------------------------------------------


def planned_group_unrealised(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for pg in project.planned_groups:
        if pg.group_in_department is None:
            yield (
                Severity.WAARSCHUWING,
                "planned_group",
                pg.id,
                f"Geplande groep {_planned_name(project, pg)} van keuzevak "
                f"{_choosable_of(project, pg)} heeft nog geen roostergroep.",
            )


def student_multiple_departments(project: Project, _o: CheckOptions) -> Iterator[Found]:
    of_student = project.placements_of_student
    # Most students have one afdelingsdeelname: the others are picked out in one pass in C.
    several = compress(of_student.items(), map((1).__lt__, map(len, of_student.values())))
    by_id = project.department_by_id
    pseudo = project.pseudo_department_ids
    named: dict[int, str] = {}  # afdeling id -> "label (vestiging)"
    for code, placements in several:
        # A pseudo afdeling (#uit, #allen) is no placement of its own.
        depts = dict.fromkeys(
            [p.department_of_branch for p in placements if p.department_of_branch not in pseudo]
        )  # in their order
        if len(depts) < 2:
            continue
        known = [by_id[d] for d in depts if d in by_id]
        branches = {d.branch_of_school for d in known}
        levels = {d.year_of_education for d in known}
        # A leerlaag in more than one vestiging: more (leerlaag, vestiging) pairs than leerlagen.
        pairs = {(d.year_of_education, d.branch_of_school) for d in known}
        same_level_other_branch = len(pairs) > len(levels)
        for d in known:
            if d.id not in named:
                branch = project.branch_of(d)
                named[d.id] = f"{d.label} ({branch.label if branch else '?'})"
        names = " en ".join([named[d.id] for d in known]) or "onbekende afdelingen"
        if same_level_other_branch:
            why, severity = (
                "zelfde leerlaag in een andere vestiging: controleer de plaatsing",
                Severity.WAARSCHUWING,
            )
        elif len(branches) > 1:
            why, severity = "andere vestiging en andere leerlaag", Severity.INFO
        elif len(levels) > 1:
            why, severity = (
                "andere leerlaag: waarschijnlijk lessen in een andere leerlaag",
                Severity.INFO,
            )
        else:
            why, severity = "zelfde leerlaag: waarschijnlijk een prognose", Severity.INFO
        yield (
            severity,
            "student",
            code,
            f"Leerling {code} staat in {len(depts)} afdelingen: {names} ({why}).",
        )


def _more_than_one(
    project: Project, ids: frozenset[int], singular: str, plural: str
) -> Iterator[Found]:
    """Students in more than one of the groups `ids` (stamklassen or mentorgroepen) of one
    afdeling: a student may be in one of each at most (seed rule)."""
    counts = project.memberships(ids)
    # The few in more than one, picked out of the counts in C, then taken in the order of the
    # placements.
    several = set(compress(counts, map((1).__lt__, counts.values())))
    if not several:
        return
    placements = project.placements
    for p in [p for p in placements if p.id in several]:
        groups = [g for g in project.groups_of_placement(p) if g.id in ids]
        yield (
            Severity.FOUT,
            "student",
            p.student_code,
            f"Leerling {p.student_code} heeft in afdeling {_dept(project, p)} {len(groups)} "
            f"{plural} ({', '.join(g.label for g in groups)}); een leerling mag in maximaal "
            f"één {singular} zitten.",
        )


def student_multiple_main_groups(project: Project, _o: CheckOptions) -> Iterator[Found]:
    return _more_than_one(project, project.main_group_ids, "stamklas", "stamklassen")


def student_multiple_mentor_groups(project: Project, _o: CheckOptions) -> Iterator[Found]:
    return _more_than_one(project, project.mentor_group_ids, "mentorgroep", "mentorgroepen")


def student_without_main_group(project: Project, _o: CheckOptions) -> Iterator[Found]:
    # A student who follows lessons in a second afdeling has his stamklas in the first one:
    # only a student without a stamklas in any of his afdelingen lacks one.
    in_main_group = project.memberships(project.main_group_ids)
    pseudo = project.pseudo_department_ids
    # Only a student with a placement outside every stamklas can lack one: those few are found
    # with a set difference in C, then looked at in the order of the students.
    outside = project.placement_by_id.keys() - in_main_group.keys()
    if not outside:
        return
    by_id, of_student = project.placement_by_id, project.placements_of_student
    candidates = {by_id[pid].student for pid in outside}
    for code in compress(of_student, map(candidates.__contains__, of_student)):
        placements = [p for p in of_student[code] if p.department_of_branch not in pseudo]
        if not placements:
            continue  # only in a pseudo afdeling: not a placement that needs a stamklas
        for p in placements:
            if p.id in in_main_group:
                break
        else:
            depts = ", ".join(_dept(project, p) for p in placements)
            yield (
                Severity.WAARSCHUWING,
                "student",
                code,
                f"Leerling {code} zit in geen enkele stamklas (afdeling {depts}).",
            )


def group_without_planned_group(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for g in project.groups:
        if g.id not in project.pseudo_group_ids and not project.planned_of_group.get(g.id):
            yield (
                Severity.WAARSCHUWING,
                "group",
                g.id,
                f"Roostergroep {g.label} is aan geen enkele geplande groep gekoppeld.",
            )


def choosable_without_planned_groups(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for c in project.choosables:
        # Opleidingen and profielen are structure: they never need a geplande groep.
        if not c.is_structure and not project.planned_of_choosable.get(c.id):
            name = f" ({c.subject_name})" if c.subject_name else ""
            yield (
                Severity.WAARSCHUWING,
                "choosable",
                c.id,
                f"Keuzevak {c.label}{name} in afdeling {_dept(project, c)} heeft geen "
                "geplande groepen.",
            )


def planned_group_cross_department(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for pg in project.planned_groups:
        group = project.group_of(pg)
        choosable = project.choosable_by_id.get(pg.choosable_in_department)
        if group is None or choosable is None:
            continue
        if group.department_of_branch != choosable.department_of_branch:
            yield (
                Severity.INFO,
                "planned_group",
                pg.id,
                f"Geplande groep {_planned_name(project, pg)} van afdeling "
                f"{_dept(project, choosable)} is gekoppeld aan roostergroep {group.label} van "
                f"afdeling {_dept(project, group)} (gecombineerde groep).",
            )


def group_empty(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for g in project.groups:
        if g.id not in project.pseudo_group_ids and project.student_count(g) == 0:
            yield (
                Severity.WAARSCHUWING,
                "group",
                g.id,
                f"Roostergroep {g.label} heeft geen leerlingen.",
            )


def group_over_max(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for g in project.groups:
        dept = project.department_of(g)
        limit = dept.max_group_size if dept else None
        if g.id in project.pseudo_group_ids or not limit:
            continue
        size = project.student_count(g)
        if size > limit:
            yield (
                Severity.WAARSCHUWING,
                "group",
                g.id,
                f"Roostergroep {g.label} heeft {size} leerlingen; het maximum van afdeling "
                f"{department_label(project, dept)} is {limit}.",
            )


def parallel_groups_unbalanced(project: Project, options: CheckOptions) -> Iterator[Found]:
    # Every existing roostergroep has a member list (maybe empty): it doubles as "exists".
    members, pseudo = project.placements_of_group, project.pseudo_group_ids
    planned_of = project.planned_of_choosable.get
    factor, min_difference = options.unbalanced_factor, options.unbalanced_min_difference
    for c in project.choosables:
        planned = planned_of(c.id)
        if planned is None or len(planned) < 2:  # one group has nothing to be unbalanced with
            continue
        sizes: dict[int, int] = {}  # roostergroep id -> students, each group once
        for pg in planned:
            gid = pg.group_in_department
            if gid in members and gid not in pseudo and (n := len(members[gid])):
                sizes[gid] = n  # empty groups have their own check
        if len(sizes) < 2:
            continue
        small, big = min(sizes.values()), max(sizes.values())
        if big > factor * small and big - small >= min_difference:
            sized = sorted(sizes.items(), key=itemgetter(1))
            sizes_text = ", ".join(
                f"{project.group_by_id[gid].name or gid} {n}" for gid, n in sized
            )
            yield (
                Severity.WAARSCHUWING,
                "choosable",
                c.id,
                f"De parallelle groepen van keuzevak {c.label} in afdeling {_dept(project, c)} "
                f"verschillen sterk in grootte: {sizes_text} leerlingen.",
            )


def pseudo_department(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for d in project.departments:
        if d.id in project.pseudo_department_ids:
            yield (
                Severity.INFO,
                "department",
                d.id,
                f"Afdeling {department_label(project, d)} is een pseudo-afdeling; haar "
                "afdelingsdeelnames tellen niet mee voor meerdere afdelingen of een ontbrekende "
                "stamklas.",
            )


def pseudo_group(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for g in project.groups:
        if g.id in project.pseudo_group_ids:
            yield (
                Severity.INFO,
                "group",
                g.id,
                f"Roostergroep {g.label} is een pseudogroep; ze telt niet mee in de "
                "groepscontroles.",
            )


PLACEMENTS = ("studentsindepartments", None)
# The roostergroepen of each afdelingsdeelname: a field a school may not grant on its own.
MEMBERS = ("studentsindepartments", "groupInDepartments")
MAIN = ("groupindepartments", "isMainGroup")
MENTOR = ("groupindepartments", "isMentorGroup")
SUBJECT_TYPE = ("choosableindepartments", "subjectType")

CHECKS: tuple[Check, ...] = (
    Check(
        "planned-group-unrealised", "Geplande groep niet gerealiseerd", (), planned_group_unrealised
    ),
    Check(
        "student-multiple-departments",
        "Leerling in meerdere afdelingen",
        (PLACEMENTS,),
        student_multiple_departments,
    ),
    Check(
        "student-multiple-main-groups",
        "Meer dan één stamklas",
        (PLACEMENTS, MEMBERS, MAIN),
        student_multiple_main_groups,
    ),
    Check(
        "student-multiple-mentor-groups",
        "Meer dan één mentorgroep",
        (PLACEMENTS, MEMBERS, MENTOR),
        student_multiple_mentor_groups,
    ),
    Check(
        "student-without-main-group",
        "Geen stamklas",
        (PLACEMENTS, MEMBERS, MAIN),
        student_without_main_group,
    ),
    Check(
        "group-without-planned-group",
        "Roostergroep zonder geplande groep",
        (),
        group_without_planned_group,
    ),
    Check(
        "choosable-without-planned-groups",
        "Keuzevak zonder geplande groepen",
        (SUBJECT_TYPE,),  # without it an opleiding or profiel would look like a keuzevak
        choosable_without_planned_groups,
    ),
    Check(
        "planned-group-cross-department",
        "Gekoppeld aan groep van andere afdeling",
        (),
        planned_group_cross_department,
    ),
    Check("group-empty", "Lege roostergroep", (PLACEMENTS, MEMBERS), group_empty),
    Check(
        "group-over-max",
        "Groep boven maximum",
        (PLACEMENTS, MEMBERS, ("departmentsofbranches", "maxGroupSize")),
        group_over_max,
    ),
    Check(
        "parallel-groups-unbalanced",
        "Parallelle groepen ongelijk",
        (PLACEMENTS, MEMBERS),
        parallel_groups_unbalanced,
    ),
    Check("dangling-reference", "Verwijzing naar niets", (), dangling_reference),
    Check("duplicate-id", "Dubbel id", (), duplicate_id),
    Check(
        "placement-without-student",
        "Afdelingsdeelname zonder leerling",
        (),
        placement_without_student,
    ),
    Check("data-repaired", "Gegevens hersteld", (), data_repaired),
    Check("pseudo-department", "Pseudo-afdeling", (), pseudo_department),
    Check("pseudo-group", "Pseudogroep", (), pseudo_group),
    # The formatie: vakkenpakket against indeling, groups needed against planned.
    *(Check(*spec) for spec in FORMATIE_CHECKS),
    # The doorstroom: last year's students against this year's project.
    *(Check(*spec) for spec in DOORSTROOM_CHECKS),
)
CHECK_BY_ID = {c.id: c for c in CHECKS}


def _why_lacking(project: Project, endpoint: str, field_name: str | None) -> str:
    """The reason a check cannot run, or "" when a refused right is that reason."""
    for m in project.missing_rights:
        if m.endpoint == endpoint and (m.field is None or m.field == field_name):
            return m.describe() if m.unknown else ""
    if endpoint == PREVIOUS:
        return project.unavailable_because.get(PREVIOUS) or "geen vorig project"
    return project.unavailable_because.get(endpoint) or "deze gegevens zijn niet gelezen"


def run_checks(
    project: Project, only: Iterable[str] | None = None, options: CheckOptions | None = None
) -> CheckRun:
    """Run every check (or those in `only`) that the project's rights allow."""
    started = time.perf_counter()
    options = options or CheckOptions()
    wanted = set(only) if only is not None else None
    unknown = (wanted or set()) - set(CHECK_BY_ID)
    if unknown:
        raise ValueError(f"onbekende controle: {', '.join(sorted(unknown))}")
    run = CheckRun(options=options)
    for check in CHECKS:
        if wanted is not None and check.id not in wanted:
            continue
        missing = next((n for n in check.needs if project.lacks(*n)), None)
        if missing is not None:
            run.skipped.append(SkippedCheck(check.id, *missing, _why_lacking(project, *missing)))
            continue
        run.findings.extend([Finding(check.id, *found) for found in check.run(project, options)])
    run.seconds = time.perf_counter() - started
    return run
