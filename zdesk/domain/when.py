"""Moments of loads said the way people say them: "maandag 09:12", "sinds 12 maart", "gisteren"."""

from __future__ import annotations

from datetime import date, datetime

DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def day_name(moment: float, now: float) -> str:
    """'vandaag', 'gisteren', a weekday in the last week, else '12 maart' (with another year)."""
    then, today = datetime.fromtimestamp(moment).date(), datetime.fromtimestamp(now).date()
    days = (today - then).days
    if days == 0:
        return "vandaag"
    if days == 1:
        return "gisteren"
    if 1 < days < 7:
        return DAYS[then.weekday()]
    return long_date(then, today)


def long_date(day: date, today: date | None = None) -> str:
    text = f"{day.day} {MONTHS[day.month - 1]}"
    if today is not None and day.year != today.year:
        text += f" {day.year}"
    return text


def moment_name(moment: float, now: float) -> str:
    """'maandag 09:12', 'vandaag 08:30', '12 maart 14:05'."""
    return f"{day_name(moment, now)} {datetime.fromtimestamp(moment):%H:%M}"


def since(moment: float, now: float) -> str:
    """'sinds gisteren', 'sinds maandag', 'sinds 12 maart', 'sinds vandaag 08:30'."""
    name = day_name(moment, now)
    if name == "vandaag":
        return f"sinds vandaag {datetime.fromtimestamp(moment):%H:%M}"
    return f"sinds {name}"


TABLE_MOMENT = "%d-%m-%Y %H:%M"  # a moment in a table, list or workbook: 06-12-2026 05:10


def table_moment(moment: datetime) -> str:
    """A moment as tables, lists and the workbook show it: '06-12-2026 05:10'."""
    return moment.strftime(TABLE_MOMENT)
