"""What a read the portal refuses leads to: the right that is missing, named and in words, and the
optional columns read apart joined again with the rows of the same read.

A refused read of a load is split into its essential fields and one read per optional field
(`loader`); these are the pieces of that which need nothing of the load's state.
"""

from __future__ import annotations

from typing import Any

from zdesk.portal.client import CancelFlag, PortalClient
from zdesk.portal.errors import BadResponse, FieldUnknown, RightMissing
from zdesk.portal.records import RECORDS
from zdesk.portal.rights import UNKNOWN, MissingRight, probe_filter


def merge_column(rows: list[Any], column: list[Any], name: str, endpoint: str) -> None:
    """Set one optional field, read apart, on the rows of the same read (matched by key)."""
    attr = _attribute(RECORDS[endpoint], name)
    if attr is None:
        return
    key = RECORDS[endpoint].__struct_fields__[0]
    values = {getattr(r, key): getattr(r, attr) for r in column}
    for row in rows:
        value = values.get(getattr(row, key))
        if value is not None:
            setattr(row, attr, value)


def _attribute(record: type, wire_name: str) -> str | None:
    for name, encoded in zip(
        record.__struct_fields__, record.__struct_encode_fields__, strict=True
    ):
        if encoded == wire_name:
            return name
    return None


def name_refusal(
    client: PortalClient, endpoint: str, need: Any, project: int, cancel: CancelFlag
) -> list[MissingRight]:
    """Which right exactly is missing when a read of the essential fields is refused."""
    params = probe_filter(endpoint, project)
    try:
        client.fetch(endpoint, dict, params=params, cancel=cancel)
    except RightMissing:
        return [MissingRight(endpoint)]
    except BadResponse:
        pass
    missing = []
    for name in need.fields:
        try:
            client.fetch(endpoint, dict, params=params, fields=(name,), cancel=cancel)
        except FieldUnknown:
            missing.append(MissingRight(endpoint, name, UNKNOWN))
        except (RightMissing, BadResponse):
            missing.append(MissingRight(endpoint, name))
    return missing or [MissingRight(endpoint)]


def refusal_reason(missing: list[MissingRight]) -> str:
    if not missing:
        return "het portaal gaf ze niet"
    refused = [m for m in missing if not m.unknown]
    unknown = [m for m in missing if m.unknown]
    parts = []
    if refused:
        parts.append(f"het token heeft geen leesrecht op {_fields(refused)}")
    if unknown:
        verb = "bestaat" if len(unknown) == 1 else "bestaan"
        parts.append(f"{_fields(unknown)} {verb} niet in dit portaal")
    return "; ".join(parts)


def _fields(missing: list[MissingRight]) -> str:
    return ", ".join(
        f"veld '{m.field}' van '{m.endpoint}'" if m.field else f"'{m.endpoint}'" for m in missing
    )
