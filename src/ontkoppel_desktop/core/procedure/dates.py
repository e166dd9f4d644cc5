"""Calendar days as the procedure counts them: month arithmetic, Dutch date text, weekend/holiday flags."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

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


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year, language="nl")


@lru_cache(maxsize=4096)
def day_warning(day: date) -> str | None:
    """Why a term on this day deserves attention: 'zaterdag', 'zondag' or the Dutch name of a public holiday.

    The procedure counts calendar days, so a term is never moved; the UI only shows this next to it.
    A holiday on a weekend is named by the holiday ('Koningsdag'), which says more than the weekday.
    """
    try:
        name = _dutch_holidays(day.year).get(day)
    except (ValueError, OverflowError, KeyError, NotImplementedError):  # a calendar the library cannot make
        name = None
    if name:
        return str(name)
    if day.weekday() == 5:
        return "zaterdag"
    if day.weekday() == 6:
        return "zondag"
    return None
