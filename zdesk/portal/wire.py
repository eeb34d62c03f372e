"""Rows as the portal sends them, turned into records tolerantly: one odd value costs one field.

A portal promises no types (see ZERMELO_API.md, "What public clients show"). The client first
decodes an answer strictly into typed records (the fast path); only when that fails are its rows
taken one by one here. A row's key (`id`, or `code` for users) must be usable, else the row is
skipped; every other field that does not fit its type is coerced where the meaning is clear
(`"5"` and `5.0` to 5, `1` and `"true"` to True, 7 to `"7"` for a code, `["1", 2]` to [1, 2]) or
else left empty. Each repair is counted per endpoint and field, with one example, so the user
sees what was repaired: nothing is dropped silently.
"""

from __future__ import annotations

import re
import threading
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from zdesk.portal.records import INT64_MAX, INT64_MIN, Record

# What a repair did to a value.
CONVERTED = "converted"  # another type with a clear meaning: taken over
DROPPED = "dropped"  # unusable: the field is left empty for this row
ROW_SKIPPED = "row-skipped"  # the row's key was unusable: the whole row is left out
OUTSIDE = "outside-project"  # the row belongs to no part of the project asked for: left out

_EXAMPLE_CHARS = 60
# Values nested deeper than this are replaced before the lenient decode (they cannot be any of
# the API's fields, and decoding them would exhaust the interpreter's recursion limit).
MAX_DEPTH = 48
TOO_DEEP = "\x00zdesk: te diep geneste waarde\x00"
_DEEP_MARK = b"zdesk: te diep geneste waarde"
_NOT = object()  # coercion failed


@dataclass
class FieldRepair:
    """How often one field of one endpoint was repaired in one way, with one example."""

    endpoint: str
    field: str  # the API's name, e.g. "isMainGroup"; "id" for skipped rows
    action: str  # CONVERTED, DROPPED or ROW_SKIPPED
    count: int
    example: str  # the value as it came, shortened
    example_id: int | str | None  # the row it came in (None when the row had no usable key)

    def as_json(self) -> dict[str, object]:
        return {
            "endpoint": self.endpoint,
            "field": self.field,
            "action": self.action,
            "count": self.count,
            "example": self.example,
            "example_id": self.example_id,
        }


class RepairLog:
    """Repairs of one load, gathered from the threads that decode its answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[tuple[str, str, str], FieldRepair] = {}

    def add(
        self, endpoint: str, field: str, action: str, value: Any, row_id: int | str | None
    ) -> None:
        key = (endpoint, field, action)
        with self._lock:
            found = self._by_key.get(key)
            if found is None:
                self._by_key[key] = FieldRepair(
                    endpoint, field, action, 1, example_text(value), row_id
                )
            else:
                found.count += 1

    def left_out(self, endpoint: str, field: str, count: int) -> None:
        """`count` rows of `endpoint` left out because `field` puts them outside the project."""
        if count <= 0:
            return
        key = (endpoint, field, OUTSIDE)
        with self._lock:
            found = self._by_key.get(key)
            if found is None:
                self._by_key[key] = FieldRepair(endpoint, field, OUTSIDE, count, "", None)
            else:
                found.count += count

    def skipped(self, endpoint: str) -> bool:
        """Whether rows of `endpoint` were left out for want of a usable key."""
        with self._lock:
            return any(k[0] == endpoint and k[2] == ROW_SKIPPED for k in self._by_key)

    def repairs(self) -> list[FieldRepair]:
        with self._lock:
            return sorted(self._by_key.values(), key=lambda r: (r.endpoint, r.field, r.action))

    def __bool__(self) -> bool:
        return bool(self._by_key)


def example_text(value: Any) -> str:
    """A short, plain one-line text of a value as it came (never longer than a table cell)."""
    if isinstance(value, msgspec.Raw):
        text = bytes(value).decode("utf-8", "replace")
    elif isinstance(value, str):
        text = value if value != TOO_DEEP else "(te diep geneste waarde)"
    else:
        try:
            text = msgspec.json.encode(value).decode()
        except (TypeError, msgspec.EncodeError, RecursionError):
            text = repr(type(value).__name__)
    if "zdesk: te diep" in text:
        return "(te diep geneste waarde)"
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= _EXAMPLE_CHARS else text[: _EXAMPLE_CHARS - 1] + "…"


# ---- coercion: one function per kind of field ------------------------------------------------

_INT_TEXT = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "1", "ja", "yes", "waar"})
_FALSE = frozenset({"false", "0", "nee", "no", "onwaar"})


def _to_int(value: Any) -> Any:
    number = _integer(value)
    if number is _NOT or not INT64_MIN <= number <= INT64_MAX:
        return _NOT  # beyond 64 bits: no id or count of a school, and not to be kept as one
    return number


def _integer(value: Any) -> Any:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40:
            return _NOT  # no 64-bit number is spelled this long (and int() of a huge text is slow)
        if _INT_TEXT.fullmatch(text):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return _NOT
        if number.is_integer():
            return int(number)
    return _NOT


def _to_float(value: Any) -> Any:
    if type(value) in (int, float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return _NOT
    return _NOT


def _to_str(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT if value == TOO_DEEP else value
    if type(value) is int:
        return str(value)
    if type(value) is float:
        return str(int(value)) if value.is_integer() else str(value)
    return _NOT


def _to_bool(value: Any) -> Any:
    if type(value) is bool:
        return value
    if type(value) in (int, float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return _NOT


def _to_ids(value: Any) -> Any:
    """A list of ids: ints or numeric strings; one id alone, or "1,2" as a text, also count."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):  # a JSON list written out as text
            try:
                value = msgspec.json.decode(text)
            except (msgspec.DecodeError, RecursionError):
                return _NOT
        else:
            value = [part for part in text.split(",") if part.strip()]
    if type(value) in (int, float):
        value = [value]
    if not isinstance(value, list):
        return _NOT
    ids = [_to_int(v) for v in value]
    return [i for i in ids if i is not _NOT]


_COERCE: dict[Any, Callable[[Any], Any]] = {
    int: _to_int,
    float: _to_float,
    str: _to_str,
    bool: _to_bool,
    list[int]: _to_ids,
}


def _base(annotation: Any) -> Any:
    """`Int | None` -> int; `list[Int] | None` -> list[int] (the bounds are `_to_int`'s)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if typing.get_origin(annotation) is typing.Annotated:
        return _base(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is list:
        return list[_base(typing.get_args(annotation)[0])]  # type: ignore[misc]
    return annotation


@dataclass(frozen=True)
class _Field:
    name: str  # the record's attribute
    wire: str  # the API's name
    type: Any  # the annotation, for the strict decode
    coerce: Callable[[Any], Any] | None  # None: kept raw (msgspec.Raw fields)


_PLANS: dict[type, tuple[_Field, ...]] = {}
_PLAN_LOCK = threading.Lock()


def _plan(record: type[Record]) -> tuple[_Field, ...]:
    with _PLAN_LOCK:
        plan = _PLANS.get(record)
        if plan is None:
            plan = tuple(
                _Field(
                    f.name,
                    f.encode_name,
                    f.type,
                    None if f.type is msgspec.Raw else _COERCE.get(_base(f.type)),
                )
                for f in msgspec.structs.fields(record)
            )
            _PLANS[record] = plan
        return plan


def _value(raw: msgspec.Raw) -> Any:
    try:
        return msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError):
        return raw


_ROW = dict[str, msgspec.Raw]


def decode_rows(
    endpoint: str, record: type[Record], rows: list[msgspec.Raw], log: RepairLog
) -> list[Any]:
    """Records from raw rows; a row that does not decode as it is, is taken field by field."""
    if not (isinstance(record, type) and issubclass(record, msgspec.Struct)):
        return _plain_rows(endpoint, rows, log)
    plan = _plan(record)
    key = plan[0].wire  # a record's first field is its key: `id`, or `code` for users
    strict = msgspec.json.Decoder(record)
    loose = msgspec.json.Decoder(_ROW)
    out = []
    for raw in rows:
        try:
            out.append(strict.decode(raw))
            continue
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            pass
        try:
            fields = loose.decode(raw)
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            log.add(endpoint, key, ROW_SKIPPED, raw, None)  # not even an object
            continue
        made = _repair_row(endpoint, record, plan, key, fields, log)
        if made is not None:
            out.append(made)
    return out


def _plain_rows(endpoint: str, rows: list[msgspec.Raw], log: RepairLog) -> list[Any]:
    """Rows read as plain dicts (small, loosely typed reads): a row that is no object is
    skipped; a value nested too deep stays the marker text."""
    out = []
    for raw in rows:
        try:
            out.append(msgspec.json.decode(raw, type=dict))
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            log.add(endpoint, "(rij)", ROW_SKIPPED, raw, None)
    return out


def _repair_row(
    endpoint: str,
    record: type[Record],
    plan: tuple[_Field, ...],
    key: str,
    fields: dict[str, msgspec.Raw],
    log: RepairLog,
) -> Any:
    values: dict[str, Any] = {}
    repairs: list[tuple[str, str, Any]] = []
    for f in plan:
        raw = fields.get(f.wire)
        if raw is None:
            continue  # absent: the record's default
        if f.coerce is None:  # kept as the portal's text
            values[f.name] = msgspec.Raw(b"null") if _DEEP_MARK in bytes(raw) else raw
            continue
        try:
            values[f.name] = msgspec.json.decode(raw, type=f.type)
            continue
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            pass
        value = _value(raw)
        fixed = f.coerce(value)
        if f.wire == key:
            if fixed is _NOT or fixed == "" or fixed is None:
                log.add(endpoint, key, ROW_SKIPPED, raw, None)
                return None
            values[f.name] = fixed
            repairs.append((f.wire, CONVERTED, raw))
        elif fixed is _NOT:
            repairs.append((f.wire, DROPPED, raw))
        else:
            values[f.name] = fixed
            repairs.append((f.wire, CONVERTED, raw))
    row_id = values.get(plan[0].name)  # the key is every record's first field
    if row_id is None or row_id == "":
        log.add(endpoint, key, ROW_SKIPPED, fields.get(key, msgspec.Raw(b"null")), None)
        return None
    for wire, action, raw in repairs:
        log.add(endpoint, wire, action, raw, row_id)
    return record(**values)


# ---- values nested too deep ------------------------------------------------------------------

_STRUCTURAL = re.compile(rb'["\[\]{}]')


def flatten_deep(body: bytes, limit: int = MAX_DEPTH) -> bytes:
    """`body` with every array or object that opens deeper than `limit` replaced by a marker.

    Only used when decoding ran out of recursion: a hostile or broken answer, never real data.
    """
    out = bytearray()
    depth = 0
    cut_from: int | None = None  # where the value being replaced began
    pos = 0
    for match in _STRUCTURAL.finditer(body):
        i = match.start()
        if i < pos:
            continue  # inside a string already skipped
        ch = body[i]
        if ch == 0x22:  # a string: skip to its closing quote, minding escapes
            j = i + 1
            while True:
                j = body.find(b'"', j)
                if j < 0:
                    return bytes(out) + body[pos:] if cut_from is None else bytes(out)
                backslashes = 0
                k = j - 1
                while body[k] == 0x5C:
                    backslashes += 1
                    k -= 1
                if backslashes % 2 == 0:
                    break
                j += 1
            if cut_from is None:
                out += body[pos : j + 1]
            pos = j + 1
            continue
        if ch in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit and cut_from is None:
                out += body[pos:i]
                cut_from = i
            elif cut_from is None:
                out += body[pos : i + 1]
            pos = i + 1
        else:  # ] }
            if cut_from is None:
                out += body[pos : i + 1]
            depth -= 1
            if cut_from is not None and depth == limit:
                out += msgspec.json.encode(TOO_DEEP)
                cut_from = None
            pos = i + 1
    if cut_from is None:
        out += body[pos:]
    return bytes(out)
