"""The portaalrapport: how a school's portal answers, described without any personal data.

zdesk knows the API only from public evidence. When a portal behaves otherwise, the school can
send us this report: per endpoint the requests (status, seconds, bytes, rows), which fields came
and in which JSON types, the key names inside nested objects, the values of enumeration fields,
whether the project filter was honoured, what was refused or unknown and what was repaired at the
last load, and zdesk's version and platform. It never holds a student's code or name, an id, a
token, a group's or afdeling's name or code: only endpoint and field names, type names, counts and
the enumeration values (such as `profile` or `vwo`). The portal's name only when asked.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from zdesk import __version__
from zdesk.domain.belonging import OWNER
from zdesk.domain.model import Project
from zdesk.errors import FileProblem
from zdesk.portal.client import CancelFlag, PortalClient
from zdesk.portal.errors import Cancelled, PortalError, TokenRejected
from zdesk.portal.rights import NEEDS

FORMAT = 1
# Fields whose values are a small set of words the API defines, not data about people.
ENUMERATIONS = frozenset({"subjectType", "educationType", "teachingLevel", "courseType"})
_MOST_VALUES = 40  # of one enumeration field
_VALUE_CHARS = 40
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,60}")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        inner = sorted({_type_name(v) for v in value})
        return "list" if not inner else f"list of {'/'.join(inner)}"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _key_name(key: str) -> str:
    """A key of a nested object as it is when it is a name; anything else (an id used as a key,
    a text) is only counted."""
    return key if _NAME.fullmatch(key) else "(geen veldnaam)"


def _owners(project: Project) -> dict[str, set[Any]]:
    return {
        "branchesofschools": {project.info.id},
        "departmentsofbranches": set(project.branch_by_id),
        "choosableindepartments": set(project.department_by_id),
        "groupindepartments": set(project.department_by_id),
        "plannedgroups": set(project.choosable_by_id),
        "studentsindepartments": set(project.department_by_id),
        "selectedsubjects": set(project.placement_by_id),
        "users": set(project.placements_of_student),
    }


def _params(endpoint: str, project_id: int) -> dict[str, str]:
    if endpoint == "schoolsinschoolyears":
        return {"id": str(project_id)}
    if endpoint == "users":
        return {"schoolInSchoolYear": str(project_id), "isStudent": "true"}
    return {"schoolInSchoolYear": str(project_id)}


def _describe_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    types: dict[str, Counter[str]] = defaultdict(Counter)
    nested: dict[str, set[str]] = defaultdict(set)
    values: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if not isinstance(row, dict):
            types["(rij)"][_type_name(row)] += 1
            continue
        for key, value in row.items():
            field = _key_name(key)
            types[field][_type_name(value)] += 1
            inner = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
            for item in inner:
                if isinstance(item, dict):
                    nested[field].update(_key_name(k) for k in item)
            if field in ENUMERATIONS and isinstance(value, str):
                values[field][value[:_VALUE_CHARS]] += 1
    return {
        "fields": {f: dict(sorted(c.items())) for f, c in sorted(types.items())},
        "nested_keys": {f: sorted(k) for f, k in sorted(nested.items())},
        "values": {f: dict(c.most_common(_MOST_VALUES)) for f, c in sorted(values.items())},
    }


def _ask(
    client: PortalClient,
    endpoint: str,
    params: dict[str, str],
    fields: tuple[str, ...] | None,
    cancel: CancelFlag | None,
) -> tuple[dict[str, Any], list[Any]]:
    started = time.perf_counter()
    try:
        rows, size = client.fetch(endpoint, dict, params=params, fields=fields, cancel=cancel)
    except (Cancelled, TokenRejected):
        raise
    except PortalError as error:
        request = {"answer": error.kind, "seconds": round(time.perf_counter() - started, 3)}
        return request, []
    request = {
        "answer": "ok",
        "seconds": round(time.perf_counter() - started, 3),
        "bytes": size,
        "rows": len(rows),
    }
    return request, rows


def make_report(
    client: PortalClient,
    project: Project,
    *,
    with_portal_name: bool = False,
    progress: Callable[[str], None] | None = None,
    cancel: CancelFlag | None = None,
) -> dict[str, Any]:
    """Ask every endpoint of `project` as a load does (the fields zdesk asks for) and as the
    portal answers by default (no `fields=`), and describe what came."""
    owners = _owners(project)
    endpoints: dict[str, Any] = {}
    for need in NEEDS:
        endpoint = need.endpoint
        if progress is not None:
            progress(endpoint)
        params = _params(endpoint, project.info.id)
        asked = tuple(f for f in (*need.fields, *need.extra) if not project.lacks(endpoint, f))
        with_fields, rows = _ask(client, endpoint, params, asked or None, cancel)
        by_default, default_rows = _ask(client, endpoint, params, None, cancel)
        entry: dict[str, Any] = {
            "requests": {"with_fields": with_fields, "default": by_default},
            "fields_asked": list(asked),
            **_describe_rows(rows),
            "default_fields": sorted(
                {_key_name(k) for r in default_rows if isinstance(r, dict) for k in r}
            ),
        }
        if endpoint in OWNER and rows:
            owner = OWNER[endpoint][1]
            outside = sum(
                1
                for r in rows
                if isinstance(r, dict)
                and r.get(owner) is not None
                and r.get(owner) not in owners[endpoint]
            )
            entry["filter"] = {
                "on": sorted(params),
                "honoured": outside == 0,
                "rows_of_other_projects": outside,
            }
        endpoints[endpoint] = entry
    hints = project.hints
    report: dict[str, Any] = {
        "format": FORMAT,
        "zdesk": __version__,
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "python": platform.python_version(),
        },
        "portal": client.portal.name if with_portal_name else None,
        "made_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "endpoints": endpoints,
        "last_load": {
            "missing": [
                {"endpoint": m.endpoint, "field": m.field, "reason": m.reason}
                for m in project.missing_rights
            ],
            "not_read": {e: why for e, why in sorted(project.unavailable_because.items())},
            "repairs": [
                {"endpoint": r.endpoint, "field": r.field, "action": r.action, "count": r.count}
                for r in project.repairs
            ],
            "ignored_filters": list(getattr(hints, "ignored_filters", []) or []),
            "counts": project.counts(),
        },
    }
    return report


def report_text(report: dict[str, Any]) -> str:
    """The report as Dutch text a person can read before it is sent."""
    lines = [
        f"Portaalrapport van zdesk {report['zdesk']} "
        f"({report['platform']['system']} {report['platform']['release']}, "
        f"Python {report['platform']['python']})",
        f"Portaal: {report['portal'] or '(niet vermeld)'}",
        "Dit rapport bevat geen namen, leerlingnummers, id's, codes of tokens.",
        "",
    ]
    for endpoint, entry in report["endpoints"].items():
        lines.append(f"== {endpoint}")
        for how, label in (("with_fields", "met velden"), ("default", "standaard")):
            r = entry["requests"][how]
            if r["answer"] == "ok":
                rows = "1 rij" if r["rows"] == 1 else f"{r['rows']} rijen"
                lines.append(f"  vraag {label}: {rows}, {r['bytes']} bytes, {r['seconds']} s")
            else:
                lines.append(f"  vraag {label}: {r['answer']} na {r['seconds']} s")
        for field, types in entry["fields"].items():
            said = ", ".join(f"{t} {n}×" for t, n in types.items())
            lines.append(f"  {field}: {said}")
        for field, keys in entry["nested_keys"].items():
            lines.append(f"  {field} bevat: {', '.join(keys)}")
        for field, values in entry["values"].items():
            said = ", ".join(f"{v} ({n})" for v, n in values.items())
            lines.append(f"  waarden van {field}: {said}")
        extra = sorted(set(entry["default_fields"]) - set(entry["fields"]))
        if extra:
            lines.append(f"  standaard ook: {', '.join(extra)}")
        if "filter" in entry:
            f = entry["filter"]
            state = (
                "gevolgd"
                if f["honoured"]
                else f"NIET gevolgd ({f['rows_of_other_projects']} rijen van andere projecten)"
            )
            lines.append(f"  filter op {', '.join(f['on'])}: {state}")
        lines.append("")
    last = report["last_load"]
    lines.append("== laatste lading")
    for m in last["missing"]:
        what = f"{m['endpoint']}.{m['field']}" if m["field"] else m["endpoint"]
        why = "bestaat niet in dit portaal" if m["reason"] == "unknown" else "geen leesrecht"
        lines.append(f"  {what}: {why}")
    for endpoint, why in last["not_read"].items():
        lines.append(f"  {endpoint} niet gelezen: {why}")
    for r in last["repairs"]:
        lines.append(f"  hersteld: {r['endpoint']}.{r['field']} {r['action']} {r['count']}×")
    for endpoint in last["ignored_filters"]:
        lines.append(f"  filter genegeerd: {endpoint}")
    return "\n".join(lines) + "\n"


def write_report(path: str, report: dict[str, Any]) -> None:
    """Write the report as JSON to `path`, readable by the user only, whole or not at all."""
    text = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    temporary = f"{path}.zdesk-tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FileProblem(f"Het rapport kon niet worden geschreven naar {path}.") from exc
