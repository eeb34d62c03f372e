"""The doorstroom's three checks (`student-not-placed-next-year`, `student-repeats-year`,
`student-changes-education`): the findings of what `doorstroom.doorstroom_of` worked out, in
words. The rules themselves are in `domain/doorstroom.py` and README's signaleringen table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from zdesk.domain.doorstroom import Doorstroom, doorstroom_of
from zdesk.domain.findings import CheckOptions, Found
from zdesk.domain.model import PREVIOUS, Project
from zdesk.domain.severity import Severity


def _labels(project: Project, ids: Iterable[int]) -> str:
    by_id = project.department_by_id
    return ", ".join(by_id[i].label for i in ids if i in by_id)


def _project_name(project: Project) -> str:
    return project.info.label


def student_not_placed_next_year(project: Project, _o: CheckOptions) -> Iterator[Found]:
    ds = doorstroom_of(project)
    if ds is None:
        return
    for code in ds.not_placed:
        yield (
            Severity.WAARSCHUWING,
            "student",
            code,
            f"Leerling {code} zat vorig jaar in {_was(ds, code)} ({_project_name(ds.previous)}) "
            f"en heeft nog geen afdeling in {_project_name(project)}.",
        )


def _was(ds: Doorstroom, code: str) -> str:
    last = ds.previous
    depts = [p.department_of_branch for p in last.placements_of_student.get(code, ())]
    return _labels(last, dict.fromkeys(depts))  # type: ignore[arg-type]


def _placed(project: Project, placed: dict[str, list[int]], what: str) -> Iterator[Found]:
    """Info per student placed this year (a zittenblijver, op- or afstroom): `what` it is."""
    ds = doorstroom_of(project)
    assert ds is not None  # asked only with a doorstroom
    for code, depts in placed.items():
        yield (
            Severity.INFO,
            "student",
            code,
            f"Leerling {code} zat vorig jaar in {_was(ds, code)} en is nu geplaatst in "
            f"{_labels(project, depts)}: {what}.",
        )


def student_repeats_year(project: Project, _o: CheckOptions) -> Iterator[Found]:
    ds = doorstroom_of(project)
    if ds is not None:
        yield from _placed(project, ds.repeats, "blijft zitten (de mentor moet het weten)")


def student_changes_education(project: Project, _o: CheckOptions) -> Iterator[Found]:
    ds = doorstroom_of(project)
    if ds is not None:
        yield from _placed(project, ds.changes, "een andere opleiding (op- of afstroom)")


PLACEMENTS = ("studentsindepartments", None)
YEAR = ("departmentsofbranches", "yearOfEducation")
# The previous project is found by the school and year of this one (`loading.previous`).
PREVIOUS_NEED = (
    (PREVIOUS, None),
    ("schoolsinschoolyears", "school"),
    ("schoolsinschoolyears", "year"),
)

# (id, title, needs, run) for `checks.CHECKS`.
DOORSTROOM_CHECKS = (
    (
        "student-not-placed-next-year",
        "Nog niet geplaatst",
        (PLACEMENTS, YEAR, *PREVIOUS_NEED),  # the examenjaar is a yearOfEducation
        student_not_placed_next_year,
    ),
    (
        "student-repeats-year",
        "Zittenblijver",
        (PLACEMENTS, YEAR, *PREVIOUS_NEED),
        student_repeats_year,
    ),
    (
        "student-changes-education",
        "Andere opleiding",
        (PLACEMENTS, *PREVIOUS_NEED),
        student_changes_education,
    ),
)
