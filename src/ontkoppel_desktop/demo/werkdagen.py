"""The demo's dates fall on working days: a gesprek, a call, a decision, a verslag sent or archived, an
opleidersterugkomdag or a start in a practice happens on a weekday that is not a Dutch public holiday, as at an
institute. (The procedure's terms count calendar days and are never moved: core/kalender.py; this is only about
the days the demo makes up.) The holidays are the procedure's own calendar: core/procedure/feestdagen.py."""

from __future__ import annotations

from datetime import date, timedelta

from ontkoppel_desktop.core.procedure.feestdagen import day_warning


def is_werkdag(day: date) -> bool:
    """Not a Saturday, a Sunday or a public holiday."""
    return day_warning(day) is None


def werkdag_voor(day: date) -> date:
    """`day` if it is a working day, else the working day before it (a date that may not move into the future:
    everything the demo records lies on or before its today)."""
    while not is_werkdag(day):
        day -= timedelta(days=1)
    return day


def werkdag_na(day: date) -> date:
    """`day` if it is a working day, else the first working day after it (a date in the future: an agenda item)."""
    while not is_werkdag(day):
        day += timedelta(days=1)
    return day


__all__ = ["is_werkdag", "werkdag_na", "werkdag_voor"]
