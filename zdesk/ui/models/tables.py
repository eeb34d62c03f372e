"""The app's tables over RecordTableModel: the rows each tab shows, in present.columns' columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from zdesk.domain.checks import CheckRun, Finding
from zdesk.domain.formatie import Formatie
from zdesk.domain.locate import department_ids_of
from zdesk.domain.model import Project, StudentPlacement
from zdesk.present.columns import (
    branch_text,
    department_text,
    finding_columns,
    found_in,
    group_columns,
    placement_columns,
    planned_columns,
)
from zdesk.ui.models.table import (
    Later,
    RecordTableModel,
    TableData,
    app_columns,
    prepare,
)
from zdesk.ui.models.tree import Node, build_tree

if TYPE_CHECKING:
    from zdesk.domain.check_stages import EarlyChecks
    from zdesk.domain.checks import CheckOptions
    from zdesk.domain.doorstroom import Doorstroom
    from zdesk.present.doorstroom import DoorstroomMatrix
    from zdesk.ui.models.doorstroom import DoorstroomView

_ID = attrgetter("id")
# A placement in a Project always has its student code (one without is set aside), so the
# attribute itself: `student_code` is a property call per row.
_CODE = attrgetter("student")
_DEPARTMENT = attrgetter("department_of_branch")
_CHOOSABLE = attrgetter("choosable_in_department")

ByObject = Mapping[tuple[str, Any], Sequence[Finding]]


def _findings(by_object: ByObject, kind: str, ids: Iterable[Any]) -> list[Sequence[Finding]]:
    """The signaleringen of each row, looked up in one pass in C (most rows have none)."""
    return list(map(by_object.get, zip(repeat(kind), ids), repeat(())))


def groups_table(project: Project, by_object: ByObject) -> TableData:
    columns = app_columns(group_columns(project, found_in(by_object)))
    groups = project.groups
    return prepare(
        columns,
        groups,
        findings=Later(lambda: _findings(by_object, "group", map(_ID, groups))),
        keys=Later(lambda: list(zip(repeat("group"), map(_ID, groups)))),
        places=Later(lambda: in_departments(project, map(_DEPARTMENT, groups))),
    )


def placements_table(project: Project, by_object: ByObject) -> TableData:
    def others(p: StudentPlacement) -> str:
        rest = [
            department_text(project, x) + f" ({branch_text(project, x)})"
            for x in project.placements_of_student[p.student_code]
            if x.department_of_branch != p.department_of_branch
        ]
        return f"Ook in afdeling {', '.join(rest)}" if rest else ""

    columns = app_columns(placement_columns(project, found_in(by_object), project.has_names))
    placements = project.placements
    return prepare(
        columns,
        placements,
        extra_tooltip=others,
        findings=Later(lambda: _findings(by_object, "student", map(_CODE, placements))),
        keys=Later(lambda: list(zip(repeat("student"), map(_CODE, placements)))),
        places=Later(lambda: in_departments(project, map(_DEPARTMENT, placements))),
    )


def planned_table(project: Project, by_object: ByObject) -> TableData:
    columns = app_columns(planned_columns(project))
    planned = project.planned_groups

    def places() -> list[Sequence[int]]:
        dept_of = {c.id: c.department_of_branch for c in project.choosables}
        return in_departments(project, map(dept_of.get, map(_CHOOSABLE, planned)))

    return prepare(
        columns,
        planned,
        findings=Later(lambda: _findings(by_object, "planned_group", map(_ID, planned))),
        keys=Later(lambda: list(zip(repeat("planned_group"), map(_ID, planned)))),
        places=Later(places),
    )


def findings_table(
    project: Project, findings: Sequence[Finding], known: Mapping[Any, Any] | None = None
) -> TableData:
    """The signaleringen, fouten first (in the order of the checks within one severity).

    A signalering marked "bekend" is shown greyed (no severity colour), "bekend" in its Ernst,
    its note in the tooltip.
    """
    from zdesk.domain.known import known_key

    known = known or {}

    def note(f: Finding) -> str:
        mark = known.get(known_key(f)) if known else None
        return f"Bekend: {mark.note}" if mark is not None and mark.note else ""

    columns = app_columns(finding_columns(project, known))
    ordered = sorted(findings, key=lambda f: f.severity.rank)  # stable: checks stay in order
    keys = Later(lambda: [(f.object_type, f.object_id) for f in ordered])
    return prepare(
        columns,
        ordered,
        (lambda f: () if known_key(f) in known else (f,)) if known else (lambda f: (f,)),
        note if known else None,
        keys=keys,
        places=Later(lambda: [department_ids_of(project, *key) for key in keys.get()]),
        muted=(lambda f: known_key(f) in known) if known else None,
    )


def in_departments(project: Project, ids: Iterable[int | None]) -> list[Sequence[int]]:
    """Per row the afdeling it sits in, as a scope reads it: one shared tuple per afdeling."""
    one: dict[int | None, tuple[int, ...]] = {d.id: (d.id,) for d in project.departments}
    return list(map(one.get, ids, repeat(())))


def filter_findings(
    model: RecordTableModel,
    all_findings: Sequence[Finding],
    project: Project,
    check: str | None,
    severity: str | None,
    known: Mapping[Any, Any] | None = None,
    show_known: bool = False,
) -> None:
    """Show the findings of one check and/or severity in the Signaleringen table; those marked
    "bekend" only with `show_known`."""
    from zdesk.domain.known import known_key

    known = known or {}
    chosen = [
        f
        for f in all_findings
        if (check is None or f.check == check)
        and (severity is None or f.severity == severity)
        and (show_known or known_key(f) not in known)
    ]
    model.set_data(findings_table(project, chosen, known))


@dataclass
class Views:
    """What the window shows of one load, prepared off the main thread."""

    by_object: dict[tuple[str, Any], list[Finding]]
    tree: Node
    groups: TableData
    placements: TableData
    planned: TableData
    findings: TableData
    formatie: Formatie
    overview: TableData  # the summary per vestiging and afdeling above the formatie matrix
    doorstroom: DoorstroomView  # the matrix last year x this year and its first list
    changes: TableData  # Wijzigingen before the history compared this load: empty


@dataclass
class Early:
    """What a load prepares of the views before the pakketkeuzes are in (it needs none of them):
    the checks of `domain.check_stages` and the Doorstroom tab's matrix."""

    checks: EarlyChecks
    matrix: tuple[Doorstroom, DoorstroomMatrix] | None  # `doorstroom.whole_matrix`


def early_work(project: Project, options: CheckOptions) -> Early:
    from zdesk.domain.check_stages import checks_before_choices
    from zdesk.ui.models.doorstroom import whole_matrix

    return Early(checks_before_choices(project, options), whole_matrix(project))


def prepare_views(project: Project, run: CheckRun, early: Early | None = None) -> Views:
    """Plain-Python preparation of every view (safe in a worker thread: no Qt object is made).
    `early`: what the load made before the pakketkeuzes came in (`early_work`)."""
    from zdesk.domain.formatie import build_formatie
    from zdesk.ui.models.changes import changes_table
    from zdesk.ui.models.doorstroom import prepare_doorstroom
    from zdesk.ui.models.overview import summary_table

    by_object = run.by_object()
    formatie = build_formatie(project, run.options, run.findings)
    return Views(
        by_object,
        build_tree(project, by_object),
        groups_table(project, by_object),
        placements_table(project, by_object),
        planned_table(project, by_object),
        findings_table(project, run.findings),
        formatie,
        summary_table(formatie),
        prepare_doorstroom(project, by_object, early.matrix if early is not None else None),
        changes_table(None),  # its module imported here, not on the window's first show
    )
