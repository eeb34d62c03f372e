"""The Dutch words the app and the workbook use for the domain's values, each written once."""

from __future__ import annotations

from typing import Any

# A keuzevak's subjectType; opleidingen and profielen are keuzevakken too (structure, not lessons).
SUBJECT_TYPES = {"profile": "profiel", "education": "opleiding", "subject": "vak"}
STRUCTURE_TYPES = frozenset({"profile", "education"})


def subject_type(code: str | None) -> str:
    """The word for a subjectType; a code the portal adds later is shown as it is."""
    return SUBJECT_TYPES.get(code or "", code or "")


def structure_type(code: str | None) -> str:
    """ "profiel" or "opleiding" for a keuzevak that is structure, "" for a taught vak."""
    return SUBJECT_TYPES[code] if code in STRUCTURE_TYPES else ""


def group_roles(group: Any) -> list[str]:
    """What a roostergroep is besides a lesgroep: stamklas, mentorgroep, both or neither."""
    return [
        word
        for word, flag in (
            ("stamklas", group.is_main_group),
            ("mentorgroep", group.is_mentor_group),
        )
        if flag
    ]


def yes_no(flag: bool | None) -> str:
    """For a workbook cell, where an empty cell would read as "unknown"."""
    return "ja" if flag else "nee"


def yes_or_blank(flag: bool | None) -> str:
    """For a table column, where the yeses should stand out."""
    return "ja" if flag else ""


def with_student_name(message: str, code: str, name: str) -> str:
    """A signalering's message naming the student by name and number ("Leerling Émilie Çelik
    (123401) heeft…"), where the name may be shown; else as it was made (number only)."""
    if not name:
        return message
    said = f"Leerling {code}"
    return message.replace(said, f"Leerling {name} ({code})", 1) if said in message else message
