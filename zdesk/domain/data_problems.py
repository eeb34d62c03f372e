"""Checks on the data itself: values the wire layer repaired, references to records the portal did
not give, ids given twice, afdelingsdeelnames without a student.

The loader keeps going on all of them (a school's data is never perfect); these checks make them
visible, and `repair_message` says in one Dutch sentence what was repaired (app, check, export).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zdesk.domain.findings import OBJECT_LABELS, CheckOptions, Found
from zdesk.domain.model import Project
from zdesk.domain.pakket import pakket_of
from zdesk.domain.severity import Severity
from zdesk.portal.wire import CONVERTED, OUTSIDE, ROW_SKIPPED, FieldRepair

# The rows of each endpoint, in the plural the user reads, and as the object a finding is about.
ROWS_OF = {
    "schoolsinschoolyears": ("projecten", "project"),
    "branchesofschools": ("vestigingen", "branch"),
    "departmentsofbranches": ("afdelingen", "department"),
    "choosableindepartments": ("keuzevakken", "choosable"),
    "plannedgroups": ("geplande groepen", "planned_group"),
    "groupindepartments": ("roostergroepen", "group"),
    "studentsindepartments": ("afdelingsdeelnames", "placement"),
    "users": ("leerlingen", "student"),
    "selectedsubjects": ("pakketkeuzes", "project"),
}


_SINGULAR = {
    "branchesofschools": "vestiging",
    "departmentsofbranches": "afdeling",
    "choosableindepartments": "keuzevak",
    "plannedgroups": "geplande groep",
    "groupindepartments": "roostergroep",
    "studentsindepartments": "afdelingsdeelname",
    "users": "leerling",
    "selectedsubjects": "pakketkeuze",
}
# The owner a row outside the project did not have (see domain/belonging.py).
_OWNER_WORDS = {
    "schoolInSchoolYear": "project",
    "branchOfSchool": "vestiging",
    "departmentOfBranch": "afdeling",
    "choosableInDepartment": "keuzevak",
    "studentInDepartment": "afdelingsdeelname",
    "code": "afdelingsdeelname",
}


# A person's name is never an example: a data problem in a name field says which row, not what
# the name was (the app, `check --json` and every export, with names or without).
NAME_FIELDS = frozenset({"firstName", "prefix", "lastName"})


def shown_example(repair: FieldRepair) -> str | None:
    """The example value a data problem may show: None for a name field."""
    return None if repair.field in NAME_FIELDS else repair.example


def repair_message(repair: FieldRepair, with_example: bool = True) -> str:
    """One Dutch sentence: how many rows, which field, what was done, one example (its row only
    for a name field, or when `with_example` is false: a pseudonymised export)."""
    plural, _ = ROWS_OF.get(repair.endpoint, (repair.endpoint, ""))
    rows = f"{repair.count} {plural}" if repair.count != 1 else f"1 van de {plural}"
    if repair.field == "(tekst)":  # bytes that were no UTF-8, replaced in a whole answer
        return (
            f"Het antwoord met de {plural} bevatte tekens die geen geldige UTF-8 zijn "
            f"({repair.example}); in namen en codes staat daar nu '\ufffd'."
        )
    if repair.action == OUTSIDE:
        # Said as a count, never as the project's data.
        owner = _OWNER_WORDS.get(repair.field, repair.field)
        if repair.count == 1:
            return (
                f"1 {_SINGULAR.get(repair.endpoint, plural)} van een ander project weggelaten: "
                f"die hoort bij geen {owner} van dit project (het portaal filterde niet op "
                "dit project)."
            )
        return (
            f"{repair.count} {plural} van andere projecten weggelaten: ze horen bij geen "
            f"{owner} van dit project (het portaal filterde niet op dit project)."
        )
    where = f" {repair.example_id}" if repair.example_id is not None else ""
    value = shown_example(repair) if with_example else None
    if value is not None:
        example = f" (bijvoorbeeld{where}: {value})"
    else:
        example = f" (bijvoorbeeld{where})" if where else ""
    if repair.action == ROW_SKIPPED:
        return f"{rows} zonder bruikbaar {repair.field} zijn overgeslagen{example}."
    if repair.action == CONVERTED:
        return (
            f"{rows} hadden {repair.field} in een ander type dan verwacht; de waarde is "
            f"omgezet{example}."
        )
    return f"{rows} hadden een onbruikbare waarde in {repair.field}; die is genegeerd{example}."


_EXAMPLE = re.compile(r" \(bijvoorbeeld(.*?): .*\)\.\Z", re.S)


def without_example(message: str) -> str:
    """A `data-repaired` message with its example value left out (its row stays): for a
    pseudonymised export, also of signaleringen made by an earlier zdesk."""
    return _EXAMPLE.sub(r" (bijvoorbeeld\1).", message)


def data_repaired(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for repair in project.repairs:
        if repair.action == OUTSIDE:
            continue  # a note on what was read, not a fault in the project's data
        _, object_type = ROWS_OF.get(repair.endpoint, ("", "project"))
        object_id = repair.example_id
        if object_id is None or repair.action == ROW_SKIPPED:
            object_type, object_id = "project", project.info.id
        message = repair_message(repair)
        yield (
            Severity.INFO if repair.action == CONVERTED else Severity.WAARSCHUWING,
            object_type,
            object_id,
            message[0].upper() + message[1:],
        )


def placement_without_student(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for problem in project.problems:
        if problem.kind == "missing":
            yield (
                Severity.FOUT,
                "project",
                project.info.id,
                f"Afdelingsdeelname {problem.object_id} heeft geen leerlingnummer; ze is "
                "overgeslagen.",
            )


_PROBLEM_TYPES = {
    "plannedgroup": "planned_group",
    "placement": "placement",
    "group": "group",
    "choosable": "choosable",
    "department": "department",
    "branch": "branch",
}
_FIELD_TARGETS = {
    "groupInDepartment": "roostergroep",
    "groupInDepartments": "roostergroep",
    "choosableInDepartment": "keuzevak",
    "departmentOfBranch": "afdeling",
    "branchOfSchool": "vestiging",
}


def dangling_reference(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for problem in project.problems:
        if problem.kind != "dangling":
            continue
        object_type = _PROBLEM_TYPES[problem.object_type]
        target = _FIELD_TARGETS.get(problem.field, problem.field)
        yield (
            Severity.FOUT,
            object_type,
            problem.object_id,
            f"{OBJECT_LABELS[object_type].capitalize()} {problem.object_id} verwijst naar "
            f"{target} {problem.value}, die niet in dit project bestaat.",
        )
    yield from _dangling_choices(project)


def _dangling_choices(project: Project) -> Iterator[Found]:
    """Pakketkeuzes that point at an afdelingsdeelname or keuzevak the project does not have:
    left out of the formatie, and named here, one finding per missing afdelingsdeelname and per
    student and missing keuzevak (a broken portal may give thousands).

    Where the afdelingsdeelnames were not read (no right on them), or one was set aside for its
    missing leerlingnummer (`placement-without-student` names it), "it does not exist" would not
    be true: only a keuzevak that does not exist is named then.
    """
    rows = pakket_of(project).dangling
    if not rows:
        return
    placements, choosables = project.placement_by_id, project.choosable_by_id
    unread = project.lacks("studentsindepartments")
    set_aside = {p.object_id for p in project.problems if p.kind == "missing"}
    no_placement: dict[int | None, list[int]] = {}
    no_choosable: dict[tuple[str, int | None], list[int]] = {}
    for row in rows:
        pid, cid = row.student_in_department, row.choosable_in_department
        placement = placements.get(pid)  # type: ignore[arg-type]
        if placement is not None:
            no_choosable.setdefault((placement.student_code, cid), []).append(row.id)
        elif unread or pid in set_aside:
            if cid not in choosables:
                no_choosable.setdefault(("", cid), []).append(row.id)
        else:
            no_placement.setdefault(pid, []).append(row.id)
    for pid, ids in no_placement.items():
        one = len(ids) == 1
        what = (
            ("heeft" if one else "hebben") + " geen afdelingsdeelname"
            if pid is None
            else ("verwijst" if one else "verwijzen")
            + f" naar afdelingsdeelname {pid}, die niet in dit project bestaat"
        )
        yield (
            Severity.FOUT,
            "project" if pid is None else "placement",
            project.info.id if pid is None else pid,
            f"{_choices(ids)} {what}; {_not_counted(one)}.",
        )
    for (code, cid), ids in no_choosable.items():
        one = len(ids) == 1
        whose = f" van leerling {code}" if code else ""
        what = (
            ("heeft" if one else "hebben") + " geen keuzevak"
            if cid is None
            else ("verwijst" if one else "verwijzen")
            + f" naar keuzevak {cid}, dat niet in dit project bestaat"
        )
        yield (
            Severity.FOUT,
            "student" if code else "project",
            code or project.info.id,
            f"{_choices(ids)}{whose} {what}; {_not_counted(one)}.",
        )


def _not_counted(one: bool) -> str:
    return "die telt niet mee in de formatie" if one else "ze tellen niet mee in de formatie"


def _choices(ids: list[int]) -> str:
    """ "Pakketkeuze 12", or "3 pakketkeuzes (12, 13, 14)", at most five ids named."""
    if len(ids) == 1:
        return f"Pakketkeuze {ids[0]}"
    named = ", ".join(map(str, ids[:5])) + (", …" if len(ids) > 5 else "")
    return f"{len(ids)} pakketkeuzes ({named})"


def duplicate_id(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for problem in project.problems:
        if problem.kind == "duplicate":
            object_type = _PROBLEM_TYPES[problem.object_type]
            yield (
                Severity.FOUT,
                object_type,
                problem.object_id,
                f"Het portaal gaf {OBJECT_LABELS[object_type]} {problem.object_id} meer dan "
                "eens; alleen de eerste is gebruikt.",
            )
