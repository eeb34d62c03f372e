"""A loaded project and its signaleringen as compact bytes (msgpack), and back, tolerant of change.

The encoding is generic over the Project's own fields: each is stored under its name, records as
maps keyed by their field names. A record type that gains a field reads old loads with its default,
one that loses a field ignores it, and a field whose type changed costs only that field of the rows
that no longer fit (the row itself is dropped only when its id does not fit). Nothing here knows
which records a Project holds.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import typing
from dataclasses import dataclass, field
from typing import Any

import msgspec

from zdesk import __version__
from zdesk.domain.checks import CheckRun, SkippedCheck
from zdesk.domain.findings import Finding
from zdesk.domain.model import Project

log = logging.getLogger(__name__)

FORMAT = 1
NIL = msgspec.Raw(b"\xc0")  # msgpack's nil
_encoder = msgspec.msgpack.Encoder()
_PATH = re.compile(r"at `\$(?:\[\d+\])?\.([^.\[`]+)")


class _Stored(msgspec.Struct, gc=False):
    """The outer map of a saved load. Unknown keys of newer zdesk versions are ignored."""

    format: int
    zdesk: str
    project: dict[str, msgspec.Raw]
    findings: msgspec.Raw = NIL  # nil: the checks were not all run for this load
    skipped: msgspec.Raw = NIL


@dataclass
class Decoded:
    """What came back: the project, its signaleringen as checked then, and what was left out."""

    project: Project
    checks: CheckRun | None  # None when they must be run again (partial run, other zdesk version)
    repaired: list[str] = field(default_factory=list)  # Dutch, one line per field left out


@functools.cache
def _project_fields() -> dict[str, Any]:
    hints = typing.get_type_hints(Project)
    return {f.name: hints[f.name] for f in dataclasses.fields(Project) if f.init}


@functools.cache
def _raw_fields(cls: type) -> tuple[str, ...]:
    """The attributes of a record type that hold the portal's JSON text as msgspec.Raw."""
    if not (isinstance(cls, type) and issubclass(cls, msgspec.Struct)):
        return ()
    return tuple(f.name for f in msgspec.structs.fields(cls) if f.type is msgspec.Raw)


@functools.cache
def _encoded_names(cls: type) -> dict[str, str]:
    return {f.encode_name: f.name for f in msgspec.structs.fields(cls)}


def _record_type(hint: Any) -> tuple[str, type | None]:
    """('list' | 'dict' | 'one' | 'other', record type) for a Project field's annotation."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and args:
        return "list", args[0]
    if origin is dict and len(args) == 2:
        return "dict", args[1]
    if isinstance(hint, type) and issubclass(hint, msgspec.Struct):
        return "one", hint
    return "other", None


# ---- encoding -----------------------------------------------------------------------------------


def _storable(record: Any, names: tuple[str, ...]) -> Any:
    # A Raw field holds JSON text; msgpack would splice it in as if it were msgpack. It is
    # stored as a msgpack bin holding that text instead.
    return msgspec.structs.replace(
        record, **{n: msgspec.Raw(_encoder.encode(bytes(getattr(record, n)))) for n in names}
    )


def _encode_value(hint: Any, value: Any) -> bytes:
    shape, cls = _record_type(hint)
    names = _raw_fields(cls) if cls is not None else ()
    if names:
        if shape == "list":
            value = [_storable(r, names) for r in value]
        elif shape == "dict":
            value = {k: _storable(r, names) for k, r in value.items()}
        elif shape == "one":
            value = _storable(value, names)
    return _encoder.encode(value)


def encode_load(project: Project, checks: CheckRun | None, complete: bool = True) -> bytes:
    """The project and, when `complete` (every check ran), its signaleringen as msgpack bytes."""
    stored = _Stored(
        format=FORMAT,
        zdesk=__version__,
        project={
            name: msgspec.Raw(_encode_value(hint, getattr(project, name)))
            for name, hint in _project_fields().items()
        },
        findings=msgspec.Raw(_encoder.encode(checks.findings)) if checks and complete else NIL,
        skipped=msgspec.Raw(_encoder.encode(checks.skipped)) if checks and complete else NIL,
    )
    return _encoder.encode(stored)


# ---- decoding -----------------------------------------------------------------------------------


def _restore_raw(records: Any, names: tuple[str, ...]) -> None:
    for record in records:
        for n in names:
            stored = getattr(record, n)
            try:
                text = msgspec.msgpack.decode(stored, type=bytes)
            except msgspec.DecodeError:
                text = b"null"
            setattr(record, n, msgspec.Raw(text))


def _tolerant_record(row: Any, cls: type, dropped: set[str]) -> Any | None:
    """One stored row as `cls`, leaving out each field that no longer fits; None if none fits."""
    if not isinstance(row, dict):
        return None
    row = dict(row)
    raw = {e: row.pop(e, None) for e in _raw_encoded(cls)}
    for _ in range(len(row) + 1):
        try:
            record = msgspec.convert(row, cls, strict=False)
        except msgspec.ValidationError as exc:
            match = _PATH.search(str(exc))
            name = match.group(1) if match else None
            if name is None or name not in row or name in _required(cls):
                return None  # without its id (or another field it cannot do without)
            dropped.add(name)
            del row[name]
            continue
        for encoded, text in raw.items():
            attribute = _encoded_names(cls)[encoded]
            value = msgspec.Raw(text if isinstance(text, bytes) else b"null")
            setattr(record, attribute, value)
        return record
    return None


@functools.cache
def _required(cls: type) -> frozenset[str]:
    return frozenset(f.encode_name for f in msgspec.structs.fields(cls) if f.required)


def _raw_encoded(cls: type) -> tuple[str, ...]:
    names = _raw_fields(cls)
    return tuple(e for e, a in _encoded_names(cls).items() if a in names)


def _tolerant_value(raw: bytes, hint: Any, name: str, repaired: list[str]) -> Any:
    shape, cls = _record_type(hint)
    value = msgspec.msgpack.decode(raw)
    dropped: set[str] = set()
    lost = 0
    if shape == "list" and cls is not None and isinstance(value, list):
        out = []
        for row in value:
            record = _tolerant_record(row, cls, dropped)
            if record is None:
                lost += 1
            else:
                out.append(record)
        result: Any = out
    elif shape == "dict" and cls is not None and isinstance(value, dict):
        result = {}
        for key, row in value.items():
            record = _tolerant_record(row, cls, dropped)
            if record is None:
                lost += 1
            else:
                result[key] = record
    elif shape == "one" and cls is not None:
        result = _tolerant_record(value, cls, dropped)
        if result is None:
            raise msgspec.ValidationError(f"{name} onleesbaar")
    else:
        result = msgspec.convert(value, hint, strict=False)
    if dropped:
        repaired.append(f"{name}: velden {', '.join(sorted(dropped))} weggelaten")
    if lost:
        repaired.append(f"{name}: {lost} records weggelaten")
    return result


def _decode_value(raw: bytes, hint: Any, name: str, repaired: list[str]) -> Any:
    shape, cls = _record_type(hint)
    try:
        value = msgspec.msgpack.decode(raw, type=hint)
    except msgspec.ValidationError:
        # Saved by a zdesk whose records had other types: take what still fits.
        return _tolerant_value(raw, hint, name, repaired)
    names = _raw_fields(cls) if cls is not None else ()
    if names:
        records = {"list": value, "dict": value.values() if shape == "dict" else (), "one": [value]}
        _restore_raw(records.get(shape, ()), names)
    return value


def decode_load(data: bytes) -> Decoded:
    """The saved load in `data`. Raises msgspec.DecodeError/ValidationError when it is unusable."""
    stored = msgspec.msgpack.decode(data, type=_Stored)
    if stored.format > FORMAT:
        raise msgspec.ValidationError(f"opslagformaat {stored.format} is nieuwer")
    repaired: list[str] = []
    kwargs: dict[str, Any] = {}
    for name, hint in _project_fields().items():
        raw = stored.project.get(name)
        if raw is not None:
            kwargs[name] = _decode_value(raw, hint, name, repaired)
    if "info" not in kwargs:
        raise msgspec.ValidationError("geen projectgegevens")
    project = Project(**kwargs)
    checks = None
    if bytes(stored.findings) != bytes(NIL) and stored.zdesk == __version__:
        # Signaleringen of another zdesk version are found again, so a comparison never shows
        # a change of zdesk as a change of the school.
        try:
            checks = CheckRun(
                findings=msgspec.msgpack.decode(stored.findings, type=list[Finding]),
                skipped=msgspec.msgpack.decode(stored.skipped, type=list[SkippedCheck] | None)
                or [],
            )
        except msgspec.ValidationError:
            checks = None
    if repaired:
        log.info("Opgeslagen gegevens aangepast aan deze versie: %s", "; ".join(repaired))
    return Decoded(project, checks, repaired)
