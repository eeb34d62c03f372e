"""What a check reports: a finding about one object, named as the app and the export name it."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from zdesk.domain.model import (
    Branch,
    Choosable,
    Department,
    PlannedGroup,
    ScheduleGroup,
    StudentPlacement,
)
from zdesk.domain.severity import Severity

OBJECT_LABELS = {
    "planned_group": "geplande groep",
    "group": "roostergroep",
    "choosable": "keuzevak",
    "student": "leerling",
    "placement": "afdelingsdeelname",
    "department": "afdeling",
    "branch": "vestiging",
    "project": "project",
}


# What a check function yields: (severity, object type, object id, message). The check's id is
# added by `run_checks`, from the one place it is written: the check's registration.
Found = tuple[Severity, str, int | str, str]


class Finding(msgspec.Struct, frozen=True, gc=False):
    """Immutable and hashable; a Struct is made five times faster than a frozen dataclass."""

    check: str
    severity: Severity
    object_type: str
    object_id: int | str
    message: str

    def as_json(self) -> dict[str, object]:
        return {
            "check": self.check,
            "severity": str(self.severity),
            "object_type": self.object_type,
            "object_id": self.object_id,
            "message": self.message,
        }


@dataclass(frozen=True)
class CheckOptions:
    unbalanced_factor: float = 2.0
    unbalanced_min_difference: int = 8
    # Groups needed per keuzevak where the afdeling has no maxGroupSize (Bestand > Instellingen).
    default_max_group_size: int = 30


def object_key(obj: object) -> tuple[str, int | str] | None:
    """The (object type, id) findings use for a record; a placement stands for its student."""
    if isinstance(obj, StudentPlacement):
        return ("student", obj.student_code)
    kind = {
        PlannedGroup: "planned_group",
        ScheduleGroup: "group",
        Choosable: "choosable",
        Department: "department",
        Branch: "branch",
    }.get(type(obj))
    return None if kind is None else (kind, obj.id)  # type: ignore[attr-defined]
