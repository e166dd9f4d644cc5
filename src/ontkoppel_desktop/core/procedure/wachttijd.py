"""Wachttijd (Utrecht 5.2.2): the days an ontkoppelde aios is without opleider, and the verrekening at the
end.

How it is counted (decided in the gateway issue; one way everywhere, on the screen and in the rules): the
wachttijd is the calendar days *after* the aios's last day in the old practice *up to the day before* the start
with the new opleider: last day 22 May, new start 15 June gives 23 days (23 May up to and including 14 June).
While it runs (the new start is not recorded yet) it counts up to and including today, so on the day before the
start the running count equals the final one.

The last day in the old practice is its own field on `koppeling_beeindigd` (`laatste_dag_oude_praktijk`),
because the opleider may send the aios out of the practice at once, before the formal besluit (Utrecht 5.1);
without it, the day the old koppeling ended counts as the last day. If the aios stayed in the old practice until
the new start, there was no "periode zonder opleider" (5.2.2 defines the wachttijd as that period), so the
wachttijd is 0 whatever the recorded days say.

Everything here reads the traject's effective events (after intrekkingen and correcties), and nothing raises on
absurd stored dates: what cannot be computed is None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ontkoppel_desktop.core.kalender import add_months, dutch_date, shift
from ontkoppel_desktop.core.procedure.definition import WachttijdRule
from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject

LAATSTE_DAG = "laatste_dag_oude_praktijk"


@dataclass(frozen=True, slots=True)
class Wachttijd:
    einde_oude_koppeling: dt.date  # the day the old koppeling ended (the event's date)
    start_nieuwe_koppeling: dt.date | None  # None while the wachttijd still runs
    in_oude_praktijk_gebleven: bool | None  # known once the new koppeling started
    dagen: int  # see the module docstring: after the last day, up to the day before the start (or today)
    dagen_opleidingstijd: (
        int | None
    )  # decided by manager opleiding with the (plv.) hoofd; None if not decided
    # The aios's last day in the old practice (the day the count starts after): the recorded field, else the
    # einde itself. None only for a Wachttijd built elsewhere without it; `laatste_dag` then gives the einde.
    laatste_dag_oude_praktijk: dt.date | None = None
    geteld_tot: dt.date | None = None  # the last day counted: today while it runs, else the day before the start

    @property
    def lopend(self) -> bool:
        return self.start_nieuwe_koppeling is None

    @property
    def laatste_dag(self) -> dt.date:
        """The aios's last day in the old practice: the day the count starts after."""
        return self.laatste_dag_oude_praktijk or self.einde_oude_koppeling

    @property
    def dagen_niet_meegeteld(self) -> int:
        """Days to be added at the end of the training (verrekening). Until a decision, every day counts."""
        if self.dagen_opleidingstijd is None:
            return 0
        return max(self.dagen - self.dagen_opleidingstijd, 0)

    @property
    def uitleg(self) -> str:
        """How the figure is counted, in one Dutch sentence for the screen: '23 dagen: de kalenderdagen na de
        laatste dag in de oude praktijk (22 mei 2026) tot de start bij de nieuwe opleider (15 juni 2026).'"""
        aantal = f"{self.dagen} dag" + ("en" if self.dagen != 1 else "")
        if self.in_oude_praktijk_gebleven and self.start_nieuwe_koppeling is not None:
            return (f"{aantal}: de aios bleef tot de start bij de nieuwe opleider "
                    f"({dutch_date(self.start_nieuwe_koppeling)}) in de oude praktijk.")
        na = f"{aantal}: de kalenderdagen na de laatste dag in de oude praktijk ({dutch_date(self.laatste_dag)})"
        if self.start_nieuwe_koppeling is not None:
            return f"{na} tot de start bij de nieuwe opleider ({dutch_date(self.start_nieuwe_koppeling)})."
        vandaag = f" ({dutch_date(self.geteld_tot)})" if self.geteld_tot is not None else ""
        return f"{na} tot en met vandaag{vandaag}; de wachttijd loopt nog."


def _last(events: tuple[TrajectEvent, ...], kind: EventKind) -> TrajectEvent | None:
    found = None
    for event in events:
        if event.kind is kind and (found is None or event.date >= found.date):
            found = event
    return found


def laatste_dag_oude_praktijk(einde: TrajectEvent) -> dt.date:
    """The aios's last day in the old practice as a `koppeling_beeindigd` event records it (default: its date)."""
    return einde.day(LAATSTE_DAG) or einde.date


def wachttijd(traject: Traject, today: dt.date) -> Wachttijd | None:
    """The wachttijd of a traject, or None while the old koppeling has not ended."""
    events = traject.effective_events
    einde = _last(events, EventKind.KOPPELING_BEEINDIGD)
    if einde is None:
        return None
    laatste = laatste_dag_oude_praktijk(einde)
    start = _last(events, EventKind.NIEUWE_KOPPELING_GESTART)
    besluit = _last(events, EventKind.WACHTTIJD_BESLUIT)
    meegeteld = besluit.number("dagen_opleidingstijd") if besluit is not None else None
    if start is None:
        return Wachttijd(einde.date, None, None, max((today - laatste).days, 0), meegeteld, laatste, today)
    gebleven = start.flag("in_oude_praktijk_gebleven")
    dagen = 0 if gebleven else max((start.date - laatste).days - 1, 0)
    return Wachttijd(einde.date, start.date, gebleven, dagen, meegeteld, laatste, shift(start.date, days=-1))


def wachttijd_decision_day(rule: WachttijdRule, traject: Traject, today: dt.date) -> dt.date | None:
    """The day the decision task appears: the first day the wachttijd is over `max_days` (5.2.2: "meer dan
    2 weken"), if it is (or already was) that long; otherwise None."""
    w = wachttijd(traject, today)
    if w is None or w.dagen <= rule.max_days:
        return None
    return shift(w.laatste_dag, days=rule.max_days + 1)


def verwachte_einddatum(
    einddatum_opleiding: dt.date, dagen_niet_meegeteld: int, verlenging_maanden: int = 0
) -> dt.date:
    """The expected end of the training after verrekening (5.2.2) and a verlenging in months (5.2.3)."""
    return add_months(einddatum_opleiding, verlenging_maanden) + dt.timedelta(days=dagen_niet_meegeteld)


def verwachte_einddatum_traject(traject: Traject, facts: AiosFacts, today: dt.date) -> dt.date | None:
    """The aios's expected end date as moved by this traject: the wachttijd days that do not count as
    opleidingstijd, plus a verlenging decided in the voortgang decision. None without a known einddatum, or
    when stored figures put it outside the calendar."""
    if facts.einddatum_opleiding is None:
        return None
    w = wachttijd(traject, today)
    niet_meegeteld = w.dagen_niet_meegeteld if w is not None else 0
    voortgang = _last(traject.effective_events, EventKind.VOORTGANG_BESLUIT)
    maanden = 0
    if voortgang is not None and voortgang.flag("verlenging"):
        maanden = voortgang.number("verlenging_maanden") or 0
    try:
        return verwachte_einddatum(facts.einddatum_opleiding, niet_meegeteld, maanden)
    except (OverflowError, ValueError):
        return None
