"""Wachttijd (Utrecht 5.2.2): the days an ontkoppelde aios is without opleider, and the verrekening at the
end.

Counting, as decided here: the date of `koppeling_beeindigd` is the last day of the old koppeling, the date of
`nieuwe_koppeling_gestart` the first day with the new opleider; the wachttijd is the calendar days in between.
If the aios stayed in the old practice until the new start, there was no "periode zonder opleider" (5.2.2
defines the wachttijd as that period), so the wachttijd is 0 whatever the recorded end date says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ontkoppel_desktop.core.procedure.dates import add_months
from ontkoppel_desktop.core.procedure.definition import WachttijdRule
from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject


@dataclass(frozen=True, slots=True)
class Wachttijd:
    einde_oude_koppeling: dt.date
    start_nieuwe_koppeling: dt.date | None  # None while the wachttijd still runs
    in_oude_praktijk_gebleven: bool | None  # known once the new koppeling started
    dagen: int  # days without opleider: up to the new start, or up to and including `today` while it runs
    dagen_opleidingstijd: (
        int | None
    )  # decided by manager opleiding with the (plv.) hoofd; None if not decided

    @property
    def lopend(self) -> bool:
        return self.start_nieuwe_koppeling is None

    @property
    def dagen_niet_meegeteld(self) -> int:
        """Days to be added at the end of the training (verrekening). Until a decision, every day counts."""
        if self.dagen_opleidingstijd is None:
            return 0
        return max(self.dagen - self.dagen_opleidingstijd, 0)


def _last(traject: Traject, kind: EventKind) -> TrajectEvent | None:
    found = None
    for event in traject.events:
        if event.kind is kind and (found is None or event.date >= found.date):
            found = event
    return found


def wachttijd(traject: Traject, today: dt.date) -> Wachttijd | None:
    """The wachttijd of a traject, or None while the old koppeling has not ended."""
    einde = _last(traject, EventKind.KOPPELING_BEEINDIGD)
    if einde is None:
        return None
    start = _last(traject, EventKind.NIEUWE_KOPPELING_GESTART)
    besluit = _last(traject, EventKind.WACHTTIJD_BESLUIT)
    meegeteld = besluit.number("dagen_opleidingstijd") if besluit is not None else None
    if start is None:
        return Wachttijd(einde.date, None, None, max((today - einde.date).days, 0), meegeteld)
    gebleven = start.flag("in_oude_praktijk_gebleven")
    dagen = 0 if gebleven else max((start.date - einde.date).days - 1, 0)
    return Wachttijd(einde.date, start.date, gebleven, dagen, meegeteld)


def wachttijd_decision_day(rule: WachttijdRule, traject: Traject, today: dt.date) -> dt.date | None:
    """The day the decision task appears: the first day the wachttijd is over `max_days` (5.2.2: "meer dan
    2 weken"), if it is (or already was) that long; otherwise None."""
    w = wachttijd(traject, today)
    if w is None or w.dagen <= rule.max_days:
        return None
    return w.einde_oude_koppeling + dt.timedelta(days=rule.max_days + 1)


def verwachte_einddatum(
    einddatum_opleiding: dt.date, dagen_niet_meegeteld: int, verlenging_maanden: int = 0
) -> dt.date:
    """The expected end of the training after verrekening (5.2.2) and a verlenging in months (5.2.3)."""
    return add_months(einddatum_opleiding, verlenging_maanden) + dt.timedelta(days=dagen_niet_meegeteld)


def verwachte_einddatum_traject(traject: Traject, facts: AiosFacts, today: dt.date) -> dt.date | None:
    """The aios's expected end date as moved by this traject: the wachttijd days that do not count as
    opleidingstijd, plus a verlenging decided in the voortgang decision. None without a known einddatum."""
    if facts.einddatum_opleiding is None:
        return None
    w = wachttijd(traject, today)
    niet_meegeteld = w.dagen_niet_meegeteld if w is not None else 0
    voortgang = _last(traject, EventKind.VOORTGANG_BESLUIT)
    maanden = 0
    if voortgang is not None and voortgang.flag("verlenging"):
        maanden = voortgang.number("verlenging_maanden") or 0
    return verwachte_einddatum(facts.einddatum_opleiding, niet_meegeteld, maanden)
