"""A loaded project and its signaleringen as compact bytes (msgpack), and back, tolerant of change.

The encoding is generic over the Project's own fields: each is stored under its name. A list (or
dict) of records is stored as a table: the field names once, then each record as an array of its
values, a third of the size of a map per record and quicker both ways. A record type that gains a
field reads old loads with its default, one that loses a field ignores it, and a field whose type
changed costs only that field of the rows that no longer fit (a row is dropped only when a field it
cannot do without, such as its id, does not fit). Nothing here knows which records a Project holds.

The bytes come out in parts (format 2: the rows of a table in parts of PART_ROWS records), so the
store compresses one part while the next is made; only one part's rows exist at a time. Format 1
(the rows of a table in one array) is still read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import logging
import re
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec

from zdesk import __version__
from zdesk.domain.checks import CheckRun, SkippedCheck
from zdesk.domain.findings import Finding
from zdesk.domain.model import Project
from zdesk.runtime import collector

log = logging.getLogger(__name__)

FORMAT = 2
PARTS_SINCE = 2  # the first format whose tables hold their rows in parts
PART_ROWS = 8192
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


class _Table(msgspec.Struct, gc=False):
    """Records of one type: their field names (as encoded), then one array of values per record
    (since format 2 in parts: an array of arrays of rows)."""

    fields: list[str]
    rows: msgspec.Raw = NIL
    keys: msgspec.Raw = NIL  # for a dict of records: its keys, in the order of the rows
    # Since format 2, records holding the portal's JSON text (a Raw field) are kept as JSON
    # instead of rows: the text goes in as it is, with no work per record.
    json: bytes | None = None


@dataclass
class Decoded:
    """What came back: the project, its signaleringen as checked then, and what was left out."""

    project: Project
    checks: CheckRun | None  # None when they must be run again (partial run, other zdesk version)
    repaired: list[str] = field(default_factory=list)  # Dutch, one line per field left out


@functools.cache
def _project_fields() -> dict[str, Any]:
    """The Project's fields to keep: those with a type to read them back as.

    A field typed Any (what the token may read, hints for the next load) belongs to the moment
    of loading and is not kept; a reopened project has its default.
    """
    hints = typing.get_type_hints(Project)
    return {
        f.name: hints[f.name]
        for f in dataclasses.fields(Project)
        if f.init and hints[f.name] is not Any
    }


def _is_record(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, msgspec.Struct)


def _record_type(hint: Any) -> tuple[str, type | None]:
    """('list' | 'dict' | 'one' | 'other', record type) for a Project field's annotation."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and args and _is_record(args[0]):
        return "list", args[0]
    if origin is dict and len(args) == 2 and _is_record(args[1]):
        return "dict", args[1]
    if _is_record(hint):
        return "one", hint
    return "other", None


@functools.cache
def _layout(cls: type) -> tuple[list[str], tuple[int, ...], Any]:
    """(encoded field names, positions of Raw fields, the type of one row as a tuple).

    A Raw field holds the portal's JSON text; msgpack would splice it in as if it were msgpack,
    so it is stored as a bin (bytes) holding that text.
    """
    fields = msgspec.structs.fields(cls)
    raw = tuple(i for i, f in enumerate(fields) if f.type is msgspec.Raw)
    types = tuple(bytes if f.type is msgspec.Raw else f.type for f in fields)
    return [f.encode_name for f in fields], raw, tuple[types]  # type: ignore[valid-type]


@functools.cache
def _required(cls: type) -> frozenset[str]:
    return frozenset(f.encode_name for f in msgspec.structs.fields(cls) if f.required)


# ---- encoding -----------------------------------------------------------------------------------


def _rows(records: Any, cls: type) -> list[Any]:
    _names, raw, _row = _layout(cls)
    astuple = msgspec.structs.astuple
    if not raw:
        return list(map(astuple, records))
    out = []
    for r in records:
        values = list(astuple(r))
        for i in raw:
            values[i] = bytes(values[i])
        out.append(values)
    return out


def _header(length: int, fix: int, with_16: bytes, with_32: bytes) -> bytes:
    """A msgpack map or array header for `length` entries."""
    if length < 16:
        return bytes([fix | length])
    if length < 1 << 16:
        return with_16 + length.to_bytes(2, "big")
    return with_32 + length.to_bytes(4, "big")


def _map_header(length: int) -> bytes:
    return _header(length, 0x80, b"\xde", b"\xdf")


def _array_header(length: int) -> bytes:
    return _header(length, 0x90, b"\xdc", b"\xdd")


def _encode_value(hint: Any, value: Any) -> Iterator[bytes]:
    """The msgpack of one Project field, in parts whose concatenation is one msgpack value."""
    shape, cls = _record_type(hint)
    if cls is None or shape == "one":
        if cls is not None and _layout(cls)[1]:
            names = _layout(cls)[0]
            value = dict(zip(names, _rows([value], cls)[0], strict=True))
        yield _encoder.encode(value)
        return
    records = list(value.values()) if shape == "dict" else value
    names, raw, _row = _layout(cls)
    yield _map_header(3 if shape == "dict" else 2)
    yield _encoder.encode("fields")
    yield _encoder.encode(names)
    if raw:
        yield _encoder.encode("json")
        yield _encoder.encode(msgspec.json.encode(records))
    else:
        parts = range(0, len(records), PART_ROWS)
        yield _encoder.encode("rows")
        yield _array_header(len(parts))
        for start in parts:
            yield _encoder.encode(_rows(records[start : start + PART_ROWS], cls))
    if shape == "dict":
        yield _encoder.encode("keys")
        yield _encoder.encode(list(value))


def encode_load(project: Project, checks: CheckRun | None, complete: bool = True) -> bytes:
    """The project and, when `complete` (every check ran), its signaleringen as msgpack bytes."""
    with collector_paused():
        return b"".join(encode_load_parts(project, checks, complete))


def encode_load_parts(
    project: Project, checks: CheckRun | None, complete: bool = True
) -> Iterator[bytes]:
    """encode_load in parts, made as they are asked for (their concatenation is the whole). The
    caller pauses the cyclic collector while it asks for them (`collector_paused`)."""
    yield from _encode_load(project, checks, complete)


def _encode_load(project: Project, checks: CheckRun | None, complete: bool) -> Iterable[bytes]:
    # The map of _Stored, written out field by field so no part is copied into a whole.
    fields = _project_fields()
    with_checks = checks is not None and complete
    yield _map_header(5)
    yield _encoder.encode("format")
    yield _encoder.encode(FORMAT)
    yield _encoder.encode("zdesk")
    yield _encoder.encode(__version__)
    yield _encoder.encode("findings")
    yield _encoder.encode(checks.findings) if with_checks else bytes(NIL)
    yield _encoder.encode("skipped")
    yield _encoder.encode(checks.skipped) if with_checks else bytes(NIL)
    yield _encoder.encode("project")
    yield _map_header(len(fields))
    for name, hint in fields.items():
        yield _encoder.encode(name)
        yield from _encode_value(hint, getattr(project, name))


# ---- decoding -----------------------------------------------------------------------------------


def _build(cls: type, rows: list[Any]) -> list[Any]:
    """Records from rows already checked against the current field types."""
    _names, raw, _row = _layout(cls)
    if not raw:
        return [cls(*r) for r in rows]
    out = []
    for r in rows:
        values = list(r)
        for i in raw:
            values[i] = msgspec.Raw(values[i])
        out.append(cls(*values))
    return out


def _tolerant_record(row: dict[str, Any], cls: type, dropped: set[str]) -> Any | None:
    """One stored row as `cls`, leaving out each field that no longer fits; None if it cannot be."""
    names, raw, _row = _layout(cls)
    raw_names = [names[i] for i in raw]
    texts = {n: row.pop(n, None) for n in raw_names}
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
        if raw_names:
            attributes = [f.name for f in msgspec.structs.fields(cls)]
            for i, n in zip(raw, raw_names, strict=True):
                text = texts[n]
                setattr(
                    record, attributes[i], msgspec.Raw(text if type(text) is bytes else b"null")
                )
        return record
    return None


def _tolerant_rows(
    fields: list[str], rows: list[Any], cls: type, name: str, repaired: list[str]
) -> list[Any | None]:
    """Rows of another layout (fields added, gone, or of another type) as records, or None."""
    dropped: set[str] = set()
    out = []
    for values in rows:
        if not isinstance(values, list | tuple) or len(values) != len(fields):
            out.append(None)
            continue
        out.append(_tolerant_record(dict(zip(fields, values, strict=True)), cls, dropped))
    _say_repaired(name, dropped, out.count(None), repaired)
    return out


def _decode_rows(rows: bytes, row_type: Any, parted: bool) -> list[Any]:
    if not parted:
        return msgspec.msgpack.decode(rows, type=list[row_type])
    parts = msgspec.msgpack.decode(rows, type=list[list[row_type]])
    return parts[0] if len(parts) == 1 else list(itertools.chain.from_iterable(parts))


def _tolerant_json(text: bytes, cls: type, name: str, repaired: list[str]) -> list[Any | None]:
    """Records kept as JSON that no longer all fit `cls`, each as far as it does (or None)."""
    names, raw, _row = _layout(cls)
    raw_names = [names[i] for i in raw]
    dropped: set[str] = set()
    out: list[Any | None] = []
    for row in msgspec.json.decode(text, type=list[Any]):
        if not isinstance(row, dict):
            out.append(None)
            continue
        for n in raw_names:
            if n in row:  # back to the JSON text it was, as _tolerant_record keeps it
                row[n] = msgspec.json.encode(row[n])
        out.append(_tolerant_record(row, cls, dropped))
    _say_repaired(name, dropped, out.count(None), repaired)
    return out


def _say_repaired(name: str, dropped: set[str], lost: int, repaired: list[str]) -> None:
    if dropped:
        repaired.append(f"{name}: velden {', '.join(sorted(dropped))} weggelaten")
    if lost:
        repaired.append(f"{name}: {lost} records weggelaten")


def _decode_table(
    raw: bytes, shape: str, cls: type, name: str, repaired: list[str], parted: bool
) -> Any:
    table = msgspec.msgpack.decode(raw, type=_Table)
    names, _raw, row_type = _layout(cls)
    records: list[Any | None]
    if table.json is not None:
        try:
            records = msgspec.json.decode(table.json, type=list[cls])
        except msgspec.ValidationError:
            records = _tolerant_json(table.json, cls, name, repaired)
    elif table.fields == names:
        try:
            records = _build(cls, _decode_rows(table.rows, row_type, parted))
        except msgspec.ValidationError:
            # The same fields with other types: saved by another zdesk version.
            rows = _decode_rows(table.rows, list[Any], parted)
            records = _tolerant_rows(table.fields, rows, cls, name, repaired)
    else:
        rows = _decode_rows(table.rows, list[Any], parted)
        records = _tolerant_rows(table.fields, rows, cls, name, repaired)
    if shape == "list":
        return [r for r in records if r is not None]
    keys = msgspec.msgpack.decode(table.keys, type=list[Any])
    return {k: r for k, r in zip(keys, records, strict=True) if r is not None}


def _decode_value(raw: bytes, hint: Any, name: str, repaired: list[str], parted: bool) -> Any:
    shape, cls = _record_type(hint)
    if cls is not None and shape != "one":
        return _decode_table(raw, shape, cls, name, repaired, parted)
    if cls is not None:
        value = msgspec.msgpack.decode(raw)
        if not isinstance(value, dict):
            raise msgspec.ValidationError(f"{name} onleesbaar")
        record = _tolerant_record(value, cls, set())
        if record is None:
            raise msgspec.ValidationError(f"{name} onleesbaar")
        return record
    try:
        return msgspec.msgpack.decode(raw, type=hint)
    except msgspec.ValidationError:
        return msgspec.convert(msgspec.msgpack.decode(raw), hint, strict=False)


def decode_load(data: bytes) -> Decoded:
    """The saved load in `data`. Raises msgspec.DecodeError/ValidationError when it is unusable."""
    with collector_paused():
        return _decode_load(data)


def collector_paused() -> contextlib.AbstractContextManager[None]:
    """Hundreds of thousands of new objects and no cycles among them: a collection in between
    would only walk them again (the app pauses the collector during a load for the same
    reason; the pause is shared, see zdesk.runtime.collector)."""
    return collector.paused()


def _decode_load(data: bytes) -> Decoded:
    stored = msgspec.msgpack.decode(data, type=_Stored)
    if stored.format > FORMAT:
        raise msgspec.ValidationError(f"opslagformaat {stored.format} is nieuwer")
    repaired: list[str] = []
    kwargs: dict[str, Any] = {}
    parted = stored.format >= PARTS_SINCE
    for name, hint in _project_fields().items():
        raw = stored.project.get(name)
        if raw is not None:
            kwargs[name] = _decode_value(raw, hint, name, repaired, parted)
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
