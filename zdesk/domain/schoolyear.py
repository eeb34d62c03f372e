"""The school year: the calendar year in which it starts, switching on 1 August."""

from __future__ import annotations

import datetime


def is_current(project: object, year: int | None = None) -> bool:
    """A project of this school year that is not archived."""
    year = current_school_year() if year is None else year
    return getattr(project, "year", None) == year and not getattr(project, "archived", False)


def current_school_year(today: tuple[int, int] | None = None) -> int:
    """The calendar year in which the current school year started (it switches on 1 August)."""
    d = datetime.date.today() if today is None else datetime.date(today[0], today[1], 1)
    return d.year if d.month >= 8 else d.year - 1
