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
    """A saved load as zdesk wrote it in format 1: each table's rows in one array."""

    def edit(fields, outer):
        outer["format"] = 1
        for value in fields.values():
            if isinstance(value, dict) and "rows" in value and "fields" in value:
                value["rows"] = [row for part in value["rows"] for row in part]

    outer = msgspec.msgpack.decode(data)
    edit(outer["project"], outer)
    return msgspec.msgpack.encode(outer)
