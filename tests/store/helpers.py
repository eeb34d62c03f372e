"""Loads to save in tests: the small demo school as loaded, and copies of it with changes."""

from __future__ import annotations

import dataclasses
from typing import Any

import msgspec

from zdesk.domain.model import Project


def init_fields(project: Project) -> dict[str, Any]:
    return {f.name: getattr(project, f.name) for f in dataclasses.fields(Project) if f.init}


def kept_fields(project: Project) -> dict[str, Any]:
    """What the history keeps of a project: every field but the moment's rights and hints."""
    from zdesk.domain.codec import _project_fields

    kept = init_fields(project)
    assert set(kept) - set(_project_fields()) == {"rights", "hints"}
    return {name: kept[name] for name in _project_fields()}


def copy_project(project: Project, **changes: Any) -> Project:
    """A new Project with the same records (or the given ones instead)."""
    values = init_fields(project)
    for name in ("branches", "departments", "choosables", "planned_groups", "groups"):
        values[name] = list(values[name])
    values["placements"] = list(project.placements)
    values["students"] = dict(project.students)
    values.update(changes)
    return Project(**values)


def as_format_1(data: bytes) -> bytes:
    """A saved load as zdesk wrote it in format 1: each table's rows in one array, also for the
    records that format 2 keeps as JSON (their portal JSON text a bin in its row)."""
    from zdesk.domain.codec import _layout, _project_fields, _record_type

    hints = _project_fields()
    outer = msgspec.msgpack.decode(data)
    outer["format"] = 1
    for name, value in outer["project"].items():
        if not (isinstance(value, dict) and "fields" in value):
            continue
        if "rows" in value:
            value["rows"] = [row for part in value["rows"] for row in part]
        elif "json" in value:
            names, raw, _row = _layout(_record_type(hints[name])[1])
            records = msgspec.json.decode(value.pop("json"), type=list[dict[str, msgspec.Raw]])
            value["rows"] = [
                [
                    bytes(r[n]) if i in raw else msgspec.json.decode(r[n])
                    for i, n in enumerate(names)
                ]
                for r in records
            ]
    return msgspec.msgpack.encode(outer)
