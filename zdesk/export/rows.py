"""The rows of the sheets Structuur, Roostergroepen, Leerlingen, Signaleringen and Wijzigingen:
which rows, in what order, how each is highlighted (their columns: present/columns)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from zdesk.domain.checks import CHECK_BY_ID, CheckRun, Finding
from zdesk.domain.diff import (
    CHANGE_LABELS,
    NOT_COMPARED,
    WHAT_LABELS,
    Comparison,
    describe,
    rights_changed_text,
)
from zdesk.domain.known import KnownKey, KnownMark, known_key
from zdesk.domain.model import Project
from zdesk.domain.when import table_moment
from zdesk.present.columns import (
    ChangeRow,
    Placed,
    change_columns,
    finding_columns,
    group_columns,
    placement_columns,
    structure_columns,
)


def structure_rows(project: Project, flagged):
    table = structure_columns(project, lambda kind, oid: flagged(kind, oid)[0])
    values = table.sheet_row()
    rows = []
    for branch in sorted(project.branches, key=lambda b: b.label):
        for dept in sorted(project.departments_of_branch.get(branch.id, ()), key=lambda d: d.label):
            for c in sorted(
                project.choosables_of_department.get(dept.id, ()), key=lambda c: c.label
            ):
                for pg in sorted(
                    project.planned_of_choosable.get(c.id, ()), key=lambda p: (p.rank or 0, p.id)
                ):
                    row = Placed(branch, dept, c, pg, project.group_of(pg))
                    rows.append((values(row), flagged("planned_group", pg.id)[1]))
    return table.for_sheet(), rows


def group_rows(project: Project, flagged):
    table = group_columns(project, lambda kind, oid: flagged(kind, oid)[0])
    values = table.sheet_row()
    rows = [
        (values(g), flagged("group", g.id)[1])
        for g in sorted(project.groups, key=lambda g: g.label)
    ]
    return table.for_sheet(), rows


def student_rows(project: Project, flagged, with_names: bool):
    table = placement_columns(project, lambda kind, oid: flagged(kind, oid)[0], with_names)
    values = table.sheet_row()
    placements = sorted(project.placements, key=lambda p: (p.student_code, p.id))
    rows = [(values(p), flagged("student", p.student_code)[1]) for p in placements]
    return table.for_sheet(), rows


def finding_rows(
    project: Project,
    run: CheckRun,
    with_names: bool,
    known: dict[KnownKey, KnownMark],
    message: Callable[[Finding], str],
):
    table = finding_columns(project, known, with_names=with_names, message=message)
    values = table.sheet_row()
    ordered = sorted(run.findings, key=lambda f: (f.severity.rank, f.check, str(f.object_id)))
    # A known one is not highlighted: it was looked at and is meant so.
    rows = [(values(f), None if known_key(f) in known else f.severity) for f in ordered]
    return table.for_sheet(), rows


def _stamp(moment: float) -> str:
    return table_moment(dt.datetime.fromtimestamp(moment))


def compared(comparison: Comparison) -> str:
    return (
        f"lading van {_stamp(comparison.before_loaded_at)} (deze export: lading van "
        f"{_stamp(comparison.after_loaded_at)})"
    )


def change_rows(comparison: Comparison, message: Callable[[Finding], str]):
    table = change_columns()
    values = table.sheet_row()
    rows: list[tuple[list[Any], Any]] = [
        (
            values(
                ChangeRow(
                    CHANGE_LABELS[c.change],
                    c.object_type,
                    c.object_id,
                    c.label,
                    WHAT_LABELS.get(c.what, c.what),
                    c.before,
                    c.after,
                    describe(c),
                )
            ),
            None,
        )
        for c in comparison.changes
    ]
    for object_type, what in comparison.rights_changed:  # said once, not as every row changed
        row = ChangeRow(
            NOT_COMPARED,
            object_type,
            None,
            "alle",
            WHAT_LABELS.get(what, what),
            None,
            None,
            rights_changed_text((object_type, what)),
        )
        rows.append((values(row), None))
    for state, findings in (
        ("signalering nieuw", comparison.new_findings),
        ("signalering opgelost", comparison.resolved_findings),
    ):
        for f in findings:
            title = CHECK_BY_ID[f.check].title if f.check in CHECK_BY_ID else f.check
            row = ChangeRow(state, f.object_type, f.object_id, "", title, None, None, message(f), f)
            rows.append((values(row), f.severity if state == "signalering nieuw" else None))
    preamble = [
        f"Vergeleken: lading van {_stamp(comparison.before_loaded_at)} met lading van "
        f"{_stamp(comparison.after_loaded_at)}",
        f"{len(comparison.changes)} wijzigingen, {len(comparison.new_findings)} signaleringen "
        f"nieuw, {len(comparison.resolved_findings)} opgelost",
    ]
    return table.for_sheet(), rows, preamble
