"""Checks on the data itself: values the wire layer repaired, references to records the portal did
not give, ids given twice, afdelingsdeelnames without a student.

The loader keeps going on all of them (a school's data is never perfect); these checks make them
visible, and `repair_message` says in one Dutch sentence what was repaired (app, check, export).
"""

from __future__ import annotations

from collections.abc import Iterator

from zdesk.domain.findings import OBJECT_LABELS, CheckOptions, Found
from zdesk.domain.model import Project
from zdesk.domain.pakket import pakket_of
from zdesk.domain.severity import Severity
from zdesk.portal.wire import CONVERTED, ROW_SKIPPED, FieldRepair

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
}


def repair_message(repair: FieldRepair) -> str:
    """One Dutch sentence: how many rows, which field, what was done, one example."""
    plural, _ = ROWS_OF.get(repair.endpoint, (repair.endpoint, ""))
    rows = f"{repair.count} {plural}" if repair.count != 1 else f"1 van de {plural}"
    where = f" {repair.example_id}" if repair.example_id is not None else ""
    example = f"(bijvoorbeeld{where}: {repair.example})"
    if repair.action == ROW_SKIPPED:
        return f"{rows} zonder bruikbaar {repair.field} zijn overgeslagen {example}."
    if repair.action == CONVERTED:
        return (
            f"{rows} hadden {repair.field} in een ander type dan verwacht; de waarde is "
            f"omgezet {example}."
        )
    return f"{rows} hadden een onbruikbare waarde in {repair.field}; die is genegeerd {example}."


def data_repaired(project: Project, _o: CheckOptions) -> Iterator[Found]:
    for repair in project.repairs:
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
    left out of the formatie, and named here."""
    placements, choosables = project.placement_by_id, project.choosable_by_id
    for row in pakket_of(project).dangling:
        placement = placements.get(row.student_in_department)  # type: ignore[arg-type]
        if placement is None:
            yield (
                Severity.FOUT,
                "project",
                project.info.id,
                f"Pakketkeuze {row.id} verwijst naar afdelingsdeelname "
                f"{row.student_in_department}, die niet in dit project bestaat; de keuze telt "
                "niet mee in de formatie.",
            )
        elif row.choosable_in_department not in choosables:
            yield (
                Severity.FOUT,
                "student",
                placement.student_code,
                f"Pakketkeuze {row.id} van leerling {placement.student_code} verwijst naar "
                f"keuzevak {row.choosable_in_department}, die niet in dit project bestaat; de "
                "keuze telt niet mee in de formatie.",
            )


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
