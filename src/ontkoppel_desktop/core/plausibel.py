"""Plausible dates: every date the app accepts lies in a range a user could have meant.

A typo (year 9999, a gesprek ten months before the signaal) is refused where it is typed or imported, with a
Dutch message that says what to change; the ranges are generous, so a real date is never refused. Each
entry point (forms, import, events, agenda, ronde) asks here, so the ranges are written once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ontkoppel_desktop.core.kalender import add_months, dutch_date


@dataclass(frozen=True, slots=True)
class Bereik:
    """A range of days relative to today, in whole months back and ahead (None: no limit that way)."""

    months_back: int | None
    months_ahead: int | None
    # Said after "ligt meestal ...": why the range is what it is.
    waarom: str = ""

    def earliest(self, today: dt.date) -> dt.date | None:
        return add_months(today, -self.months_back) if self.months_back is not None else None

    def latest(self, today: dt.date) -> dt.date | None:
        return add_months(today, self.months_ahead) if self.months_ahead is not None else None


# The GP training takes 3 years full-time, up to about 6 part-time, plus interruptions (ziekte, verlof).
STARTDATUM_OPLEIDING = Bereik(15 * 12, 12, "binnen 15 jaar terug en 1 jaar vooruit")
KOPPELING_START = Bereik(15 * 12, 24, "binnen 15 jaar terug en 2 jaar vooruit")
KOPPELING_EINDE = Bereik(15 * 12, 6 * 12, "binnen 15 jaar terug en 6 jaar vooruit")
# A traject is recorded as it happens; a start up to two years back allows entering an old traject afterwards.
TRAJECT_START = Bereik(24, 0, "niet in de toekomst en hoogstens 2 jaar terug")
# Events record what happened: never in the future.
GEBEURTENIS = Bereik(None, 0, "niet in de toekomst")
# A date inside an event that plans ahead (the startdatum at the new opleider).
GEPLANDE_DATUM = Bereik(12, 12, "binnen een jaar terug en een jaar vooruit")
AGENDA = Bereik(5 * 12, 3 * 12, "binnen 5 jaar terug en 3 jaar vooruit")
RONDE_START = Bereik(3 * 12, 3 * 12, "binnen 3 jaar terug en 3 jaar vooruit")


def probleem(wat: str, day: dt.date, bereik: Bereik, today: dt.date | None = None) -> str | None:
    """None when `day` is plausible for `wat` (e.g. "De startdatum van de opleiding"), else a Dutch sentence
    naming the date, the range and what to do."""
    today = today or dt.date.today()
    earliest, latest = bereik.earliest(today), bereik.latest(today)
    if latest is not None and day > latest:
        if bereik.months_ahead == 0:
            return f"{wat} ({dutch_date(day)}) ligt in de toekomst. Vul de datum in waarop het gebeurde."
        return (f"{wat} ({dutch_date(day)}) ligt te ver in de toekomst; dat moet {bereik.waarom} zijn "
                f"(uiterlijk {dutch_date(latest)}). Controleer het jaartal.")
    if earliest is not None and day < earliest:
        return (f"{wat} ({dutch_date(day)}) ligt te ver in het verleden; dat moet {bereik.waarom} zijn "
                f"(vanaf {dutch_date(earliest)}). Controleer het jaartal.")
    return None


def niet_voor(wat: str, day: dt.date, grens_wat: str, grens: dt.date) -> str | None:
    """None unless `day` lies before `grens`: "Het driehoeksgesprek (3 maart) kan niet vóór het signaal
    (5 maart) liggen."""
    if day < grens:
        return f"{wat} ({dutch_date(day)}) kan niet vóór {grens_wat} ({dutch_date(grens)}) liggen."
    return None


__all__ = [
    "AGENDA", "GEBEURTENIS", "GEPLANDE_DATUM", "KOPPELING_EINDE", "KOPPELING_START", "RONDE_START",
    "STARTDATUM_OPLEIDING", "TRAJECT_START", "Bereik", "niet_voor", "probleem",
]
