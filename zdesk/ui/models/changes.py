"""The Wijzigingen tab: a row per change since an earlier load, and per signalering new or gone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zdesk.domain.checks import CHECK_BY_ID
from zdesk.domain.diff import (
    CHANGE_LABELS,
    NOT_COMPARED,
    WHAT_LABELS,
    Comparison,
    describe,
    planned_label,
    rights_changed_text,
)
from zdesk.present.columns import ChangeRow, change_columns
from zdesk.ui.models.table import TableData, app_columns, prepare

NEW_FINDING, RESOLVED_FINDING = "signalering nieuw", "signalering opgelost"


Namer = Callable[[str, Any, str], str]  # (object type, id, label so far) -> how it is named


def _as_is(_kind: str, _oid: Any, label: str) -> str:
    return label


def change_rows(comparison: Comparison | None, name: Namer = _as_is) -> list[ChangeRow]:
    """The rows of Wijzigingen; `name` names an object as the app does (a student by name)."""
    if comparison is None:
        return []
    rows = [
        ChangeRow(
            CHANGE_LABELS[c.change],
            c.object_type,
            c.object_id,
            name(c.object_type, c.object_id, c.label or str(c.object_id)),
            WHAT_LABELS.get(c.what, c.what),
            c.before,
            c.after,
            describe(c),
        )
        for c in comparison.changes
    ]
    # What could not be compared: said once, never as every object changed.
    for object_type, what in comparison.rights_changed:
        rows.append(
            ChangeRow(
                NOT_COMPARED,
                object_type,
                "",
                "alle",
                WHAT_LABELS.get(what, what),
                "",
                "",
                rights_changed_text((object_type, what)),
            )
        )
    for object_type in comparison.not_compared:
        rows.append(
            ChangeRow(
                NOT_COMPARED,
                object_type,
                "",
                "alle",
                "",
                "",
                "",
                "niet te vergelijken: in één van de twee ladingen niet leesbaar",
            )
        )
    for state, findings in (
        (NEW_FINDING, comparison.new_findings),
        (RESOLVED_FINDING, comparison.resolved_findings),
    ):
        for f in findings:
            title = CHECK_BY_ID[f.check].title if f.check in CHECK_BY_ID else f.check
            label = name(f.object_type, f.object_id, str(f.object_id))
            rows.append(
                ChangeRow(state, f.object_type, f.object_id, label, title, "", "", f.message, f)
            )
    return rows


def names_in(project: Any) -> Namer:
    """How the project names an object in Wijzigingen: a student by name and number, another
    object by its label (as it is now), where only an id or code was kept."""

    def name(kind: str, oid: Any, label: str) -> str:
        if kind == "student":
            student = project.student_name(str(oid))
            return f"{student} ({oid})" if student else str(oid)
        if label != str(oid):
            return label
        obj = project.object_of(kind, oid)
        if obj is None:
            return label
        if kind == "planned_group":
            return planned_label(project, obj)
        return getattr(obj, "label", None) or label

    return name


def changes_table(comparison: Comparison | None, name: Namer = _as_is) -> TableData:
    rows = change_rows(comparison, name)
    # A new signalering carries its colour; a resolved one is shown plain.
    findings = [(r.finding,) if r.change == NEW_FINDING and r.finding else () for r in rows]
    # Placed in their afdelingen, so that a selection in the tree narrows this tab too.
    keys = [(r.object_type, r.object_id) for r in rows]
    where = comparison.departments if comparison is not None else {}
    places = [where.get(key, ()) for key in keys]
    columns = app_columns(change_columns())
    return prepare(columns, rows, findings=findings, keys=keys, places=places)


def marker_texts(comparison: Comparison | None, since: str) -> dict[tuple[str, Any], str]:
    """Per changed object (kind, id): the tooltip of its marker, "nieuw sinds 12 maart" and so on.

    `since` is the moment of the compared load as people say it ("maandag", "12 maart").
    """
    if comparison is None:
        return {}
    lines: dict[tuple[str, Any], list[str]] = {}
    states = {"added": "nieuw", "removed": "verdwenen", "changed": "gewijzigd"}
    for c in comparison.changes:
        lines.setdefault(c.key, []).append(f"{states[c.change]} sinds {since}: {describe(c)}")
    for f in comparison.new_findings:
        key = (f.object_type, f.object_id)
        lines.setdefault(key, []).append(f"nieuwe signalering sinds {since}")
    return {key: "\n".join(text) for key, text in lines.items()}
