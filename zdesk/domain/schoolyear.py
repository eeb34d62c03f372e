"""The school year: the calendar year in which it starts, switching on 1 August."""

from __future__ import annotations

import datetime


def current_school_year(today: tuple[int, int] | None = None) -> int:
    """The calendar year in which the current school year started (it switches on 1 August)."""
    d = datetime.date.today() if today is None else datetime.date(today[0], today[1], 1)
    return d.year if d.month >= 8 else d.year - 1
