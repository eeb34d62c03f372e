"""What a load tells its caller: its progress as it goes, its figures, and hints for the next load.

The loader (`loader.load_project`) fills these in; they are plain records, kept apart so that what
reads them (the window's progress, the history's hints, the benchmark's figures) need not know how
a load goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zdesk.portal.rights import NEED_BY_ENDPOINT, MissingRight

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
    """What the last load of a project taught: the rights it lacked and its afdelingen."""

    missing: list[MissingRight] = field(default_factory=list)
    departments: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "missing": [[m.endpoint, m.field] for m in self.missing],
            "departments": list(self.departments),
        }

    @classmethod
    def from_json(cls, data: Any) -> LoadHints:
        """Tolerant: a hint that cannot be read is left out (a load without hints still works)."""
        hints = cls()
        if not isinstance(data, dict):
            return hints
        for item in data.get("missing") or ():
            if (
                isinstance(item, list)
                and len(item) == 2
                and item[0] in NEED_BY_ENDPOINT
                and (item[1] is None or isinstance(item[1], str))
            ):
                hints.missing.append(MissingRight(item[0], item[1]))
        departments = data.get("departments")
        if isinstance(departments, list):
            hints.departments = [d for d in departments if type(d) is int]
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
