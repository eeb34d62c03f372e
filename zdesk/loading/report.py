"""What a load tells its caller: its progress as it goes, its figures, and hints for the next load.

The loader (`loader.load_project`) fills these in; they are plain records, kept apart so that what
reads them (the window's progress, the history's hints, the benchmark's figures) need not know how
a load goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zdesk import __version__
from zdesk.portal.records import INT64_MAX, INT64_MIN
from zdesk.portal.rights import NEED_BY_ENDPOINT, REFUSED, UNKNOWN, MissingRight

# A field the portal did not have is not asked for again until zdesk changes or this long has
# passed (a portal may gain it with an update).
UNKNOWN_FIELD_KEPT = 7 * 24 * 3600.0

LABELS = {
    "rights": "toegangsrechten",
    "schoolsinschoolyears": "project",
    "branchesofschools": "vestigingen",
    "departmentsofbranches": "afdelingen",
    "choosableindepartments": "keuzevakken",
    "plannedgroups": "geplande groepen",
    "groupindepartments": "roostergroepen",
    "studentsindepartments": "afdelingsdeelnames",
    "users": "namen van leerlingen",
    "selectedsubjects": "pakketkeuzes",
}


@dataclass(frozen=True)
class LoadProgress:
    """One step of a load: `endpoint` just finished with `rows` rows and `bytes` bytes."""

    endpoint: str
    rows: int
    bytes: int
    done: int
    total: int
    running: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return LABELS.get(self.endpoint, self.endpoint)


ProgressCallback = Callable[[LoadProgress], None]


@dataclass
class LoadHints:
    """What the last load of a project taught: the rights it lacked (refused, or fields the
    portal does not have) and its afdelingen."""

    missing: list[MissingRight] = field(default_factory=list)
    departments: list[int] = field(default_factory=list)
    version: str = ""  # of the zdesk that learned them
    unknown_since: dict[str, float] = field(default_factory=dict)  # "endpoint.field" -> time
    # Endpoints whose filter on the project the portal ignored (mostly other projects' rows).
    ignored_filters: list[str] = field(default_factory=list)
    # The previous project the last load read for the doorstroom, and what its read taught: with
    # them the next load asks for it in its first wave (and checks the choice as it goes).
    previous_project: int | None = None
    previous: LoadHints | None = None
    previous_name: str = ""  # its name, as the choice was confirmed
    previous_checked_at: float = 0.0  # when the choice was last confirmed by the project list

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "missing": [[m.endpoint, m.field, m.reason] for m in self.missing],
            "departments": list(self.departments),
            "version": self.version,
            "unknown_since": dict(self.unknown_since),
            "ignored_filters": list(self.ignored_filters),
        }
        if self.previous_project is not None:
            out["previous_project"] = self.previous_project
            out["previous"] = (self.previous or LoadHints()).as_json()
            out["previous_name"] = self.previous_name
            out["previous_checked_at"] = self.previous_checked_at
        return out

    def current(self, now: float) -> LoadHints:
        """These hints without the fields learned unknown by another zdesk or too long ago:
        those are asked for again."""

        def fresh(m: MissingRight) -> bool:
            since = self.unknown_since.get(f"{m.endpoint}.{m.field}")
            return (
                self.version == __version__
                and since is not None
                and 0 <= now - since <= UNKNOWN_FIELD_KEPT
            )

        missing = [m for m in self.missing if not m.unknown or fresh(m)]
        return LoadHints(
            missing,
            self.departments,
            self.version,
            self.unknown_since,
            self.ignored_filters,
            self.previous_project,
            self.previous,
            self.previous_name,
            self.previous_checked_at,
        )

    @staticmethod
    def learned(
        missing: list[MissingRight], departments: list[int], before: LoadHints, now: float
    ) -> LoadHints:
        """The hints a load leaves: an unknown field keeps the time it was first learned."""
        since = {
            key: before.unknown_since.get(key, now)
            for key in (f"{m.endpoint}.{m.field}" for m in missing if m.unknown)
        }
        return LoadHints(list(missing), departments, __version__, since)

    @classmethod
    def from_json(cls, data: Any) -> LoadHints:
        """Tolerant: a hint that cannot be read is left out (a load without hints still works)."""
        hints = cls()
        if not isinstance(data, dict):
            return hints
        for item in data.get("missing") or ():
            if (
                isinstance(item, list)
                and len(item) in (2, 3)
                and item[0] in NEED_BY_ENDPOINT
                and (item[1] is None or isinstance(item[1], str))
            ):
                reason = item[2] if len(item) == 3 and item[2] in (REFUSED, UNKNOWN) else REFUSED
                hints.missing.append(MissingRight(item[0], item[1], reason))
        ignored = data.get("ignored_filters")
        if isinstance(ignored, list):
            hints.ignored_filters = [e for e in ignored if e in NEED_BY_ENDPOINT]
        version = data.get("version")
        hints.version = version if isinstance(version, str) else ""
        since = data.get("unknown_since")
        if isinstance(since, dict):
            hints.unknown_since = {
                k: float(v)
                for k, v in since.items()
                if isinstance(k, str) and type(v) in (int, float) and v == v
            }
        departments = data.get("departments")
        if isinstance(departments, list):
            hints.departments = [d for d in departments if type(d) is int]
        previous = data.get("previous_project")
        if type(previous) is int and INT64_MIN <= previous <= INT64_MAX:
            hints.previous_project = previous
            inner = data.get("previous")
            # One level deep: the previous project's hints never hold a previous of their own.
            if isinstance(inner, dict):
                hints.previous = cls.from_json(
                    {k: v for k, v in inner.items() if not k.startswith("previous")}
                )
            name = data.get("previous_name")
            hints.previous_name = name[:200] if isinstance(name, str) else ""
            checked = data.get("previous_checked_at")
            if type(checked) in (int, float) and checked == checked:
                hints.previous_checked_at = float(checked)
        return hints


@dataclass
class LoadStats:
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    per_endpoint: dict[str, int] = field(default_factory=dict)
    # Rounds of requests that had to wait for an earlier answer, counting the first: what a
    # school network's latency multiplies.
    rounds: int = 0
