"""The calendar as the app counts it: whole calendar months, days, and dates written in Dutch. Pure and light: the
checks of plausible dates and the headless commands use it without loading the procedure engine."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

_MAANDEN = (
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
_DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; clamped to the month's last day (31 jan + 1 = 28/29 feb).

    Raises ValueError before year 1 or after 9999; `shift` returns None there instead.
    """
    index = day.month - 1 + months
    year = day.year + index // 12
    month = index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def shift(day: date, *, months: int = 0, days: int = 0) -> date | None:
    """`day` plus `months` calendar months, then plus `days` days (both may be negative); None when the result
    falls outside the calendar (before year 1 or after 9999). Stored dates can be absurd (a typo from before
    dates were checked); a term that cannot be computed is unknown, never an exception."""
    try:
        moved = add_months(day, months) if months else day
        return moved + timedelta(days=days) if days else moved
    except (OverflowError, ValueError):
        return None


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (0 if `end` is before `start` + 1 month)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def dutch_date(day: date, *, weekday: bool = False) -> str:
    """'23 november 2026' (or 'maandag 23 november 2026'), as the UI writes dates."""
    text = f"{day.day} {_MAANDEN[day.month - 1]} {day.year}"
    return f"{_DAGEN[day.weekday()]} {text}" if weekday else text
