"""The portal's English values in the Dutch words its users know (one table for app and export)."""

from __future__ import annotations

SUBJECT_TYPES = {"subject": "vak", "profile": "profiel", "education": "opleiding"}


def subject_type_word(value: str | None) -> str:
    """ "vak", "profiel" or "opleiding"; an unknown value as the portal gave it, None as ""."""
    if not value:
        return ""
    return SUBJECT_TYPES.get(value, value)
