"""Moments said the way people say them."""

from __future__ import annotations

from datetime import datetime

from zdesk.domain.when import day_name, moment_name, since


def ts(*parts) -> float:
    return datetime(*parts).timestamp()


def test_days_named_as_people_say_them():
    now = ts(2026, 3, 20, 12, 0)  # a Friday
    assert day_name(ts(2026, 3, 20, 8, 0), now) == "vandaag"
    assert day_name(ts(2026, 3, 19, 23, 0), now) == "gisteren"
    assert day_name(ts(2026, 3, 16, 9, 12), now) == "maandag"
    assert day_name(ts(2026, 3, 12, 9, 0), now) == "12 maart"
    assert day_name(ts(2025, 12, 1, 9, 0), now) == "1 december 2025"
    assert moment_name(ts(2026, 3, 16, 9, 12), now) == "maandag 09:12"
    assert since(ts(2026, 3, 16, 9, 12), now) == "sinds maandag"
    assert since(ts(2026, 3, 20, 8, 5), now) == "sinds vandaag 08:05"
