"""Weekend and holiday flags on a term (the terms themselves count calendar days: core/kalender.py). The
holiday calendar loads the first time a term is shown."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> Any:
    import holidays  # about 10 MiB and 70 ms: only when a term is shown

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
    except OSError:
        # Its translation files missing (a broken install): the weekday still says something, and a term is
        # never worth a crash. The self-test (selftest.py) catches such an install.
        name = None
    if name:
        return str(name)
    if day.weekday() == 5:
        return "zaterdag"
    if day.weekday() == 6:
        return "zondag"
    return None
