"""Wachttijd (Utrecht 5.2.2) and voortgangsbeoordeling (5.2.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from ontkoppel_desktop.core.procedure import (
    AiosFacts,
    RuleError,
    StepState,
    Traject,
    derive,
    opleidingsmaand,
    verwachte_einddatum,
    verwachte_einddatum_traject,
    voortgang_advies,
    wachttijd,
)

from .builders import FACTS, D, add, build, day, nieuwe_koppeling, ontkoppeld


def _gestart(einde: str, start: str, gebleven: bool = False) -> Traject:
    return build(
        *ontkoppeld("2025-04-01"),
        *nieuwe_koppeling(einde, "2025-04-07", start),
        ("nieuwe_koppeling_gestart", day(start), {"in_oude_praktijk_gebleven": gebleven}),
    )


def test_wachttijd_counts_days_between_old_end_and_new_start() -> None:
    w = wachttijd(_gestart("2025-04-04", "2025-04-14"), day("2025-05-01"))
    assert w is not None and not w.lopend
    assert (w.einde_oude_koppeling, w.start_nieuwe_koppeling, w.dagen) == (
        day("2025-04-04"),
        day("2025-04-14"),
        9,
    )
    assert w.dagen_niet_meegeteld == 0  # until a decision every day counts


def test_staying_in_the_old_practice_is_no_wachttijd() -> None:
    w = wachttijd(_gestart("2025-04-04", "2025-05-14", gebleven=True), day("2025-06-01"))
    assert w is not None and w.dagen == 0 and w.in_oude_praktijk_gebleven


def test_running_wachttijd_and_the_decision_task_after_two_weeks() -> None:
    traject = build(*ontkoppeld("2025-04-01"), ("koppeling_beeindigd", day("2025-04-04"), {}))
    # 14 days without opleider: not yet "meer dan 2 weken"
    on_14 = derive(D, traject, FACTS, day("2025-04-18"))
    running = wachttijd(traject, day("2025-04-18"))
    assert running is not None and running.lopend and running.dagen == 14
    assert on_14.status("wachttijd_besluit").state is StepState.NOT_YET
    on_15 = derive(D, traject, FACTS, day("2025-04-19"))
    status = on_15.status("wachttijd_besluit")
    assert status.state is StepState.OPEN and status.triggered_on == day("2025-04-19")
    assert {r.value for r in status.roles} == {"manager_opleiding", "plv_hoofd"}


def test_long_wachttijd_after_the_fact() -> None:
    traject = _gestart("2025-04-04", "2025-05-06")  # 31 days between
    overview = derive(D, traject, FACTS, day("2025-05-07"))
    assert overview.status("wachttijd_besluit").state is StepState.OPEN
    short = _gestart("2025-04-04", "2025-04-19")  # 14 days between: no decision needed
    assert derive(D, short, FACTS, day("2025-05-07")).status("wachttijd_besluit").state is StepState.NOT_YET


def test_wachttijd_decision_moves_the_end_date() -> None:
    traject = _gestart("2025-04-04", "2025-05-06")
    with pytest.raises(RuleError, match="tussen 0 en 31"):
        add(traject, ("wachttijd_besluit", day("2025-05-10"), {"dagen_opleidingstijd": 32}))
    traject = add(
        traject, ("wachttijd_besluit", day("2025-05-10"), {"dagen_opleidingstijd": 21, "door": "X"})
    )
    w = wachttijd(traject, day("2025-05-10"))
    assert w is not None and w.dagen_niet_meegeteld == 10
    assert derive(D, traject, FACTS, day("2025-05-10")).status("wachttijd_besluit").state is StepState.DONE
    assert verwachte_einddatum_traject(traject, FACTS, day("2025-05-10")) == day("2026-09-11")
    assert verwachte_einddatum(day("2026-08-31"), 3) == day("2026-09-03")
    assert verwachte_einddatum(day("2026-01-31"), 0, verlenging_maanden=1) == day("2026-02-28")


def test_wachttijd_decision_only_afterwards() -> None:
    traject = build(*ontkoppeld("2025-04-01"), ("koppeling_beeindigd", day("2025-04-04"), {}))
    with pytest.raises(RuleError, match="achteraf"):
        add(traject, ("wachttijd_besluit", day("2025-04-25"), {"dagen_opleidingstijd": 5}))


# --- voortgang ----------------------------------------------------------------------------------------

START = dt.date(2024, 9, 1)


@pytest.mark.parametrize(
    ("on", "month"),
    [
        ("2024-09-01", 1),
        ("2024-09-30", 1),
        ("2024-10-01", 2),
        ("2024-11-30", 3),
        ("2024-12-01", 4),
        ("2025-01-31", 5),
        ("2025-02-01", 6),
        ("2025-04-30", 8),
        ("2025-05-01", 9),
    ],
)
def test_opleidingsmaand(on: str, month: int) -> None:
    assert opleidingsmaand(START, day(on)) == month


def _first_year(besluit: str) -> tuple[AiosFacts, Traject]:
    facts = AiosFacts(opleidingsjaar=1, startdatum_opleiding=START)
    traject = build(*ontkoppeld(besluit, gesprek="2024-10-20"), start=day("2024-10-15"), facts=facts)
    return facts, traject


@pytest.mark.parametrize(
    ("besluit", "month", "task", "verlenging_default"),
    [
        ("2024-11-30", 3, False, False),  # in month 3: not "na de derde maand"
        ("2024-12-01", 4, True, False),
        ("2025-01-31", 5, True, False),  # month 5: not yet "na de vijfde maand"
        ("2025-02-01", 6, True, True),
        ("2025-04-30", 8, True, True),
        ("2025-05-01", 9, False, True),  # month 9: not "vóór de negende maand"
    ],
)
def test_voortgang_window(besluit: str, month: int, task: bool, verlenging_default: bool) -> None:
    facts, traject = _first_year(besluit)
    advies = voortgang_advies(D, traject, facts)
    assert advies is not None
    assert (advies.maand, advies.besluit_nodig, advies.verlenging_voorgesteld) == (
        month,
        task,
        verlenging_default,
    )
    status = derive(D, traject, facts, day(besluit)).status("voortgang_besluit")
    assert (status.state is StepState.OPEN) is task
    if task:
        assert status.triggered_on == day(besluit)


def test_voortgang_not_for_other_years() -> None:
    traject = build(*ontkoppeld("2025-01-15", gesprek="2024-12-20"), start=day("2024-12-01"))
    assert voortgang_advies(D, traject, FACTS) is None
    assert derive(D, traject, FACTS, day("2025-01-16")).status("voortgang_besluit").state is StepState.NOT_YET


def test_against_verlenging_after_month_5_needs_motivatie() -> None:
    facts, traject = _first_year("2025-02-10")
    base = {"uitstel_voortgangsbeoordeling": True, "verlenging": False, "door": "Plv. hoofd"}
    with pytest.raises(RuleError, match="verlenging is dan het uitgangspunt"):
        add(traject, ("voortgang_besluit", day("2025-02-20"), base), facts=facts)
    done = add(
        traject,
        ("voortgang_besluit", day("2025-02-20"), {**base, "motivatie": "Nieuwe opleider kent de aios al."}),
        facts=facts,
    )
    assert derive(D, done, facts, day("2025-02-21")).status("voortgang_besluit").state is StepState.DONE
    verlengd = add(
        traject,
        ("voortgang_besluit", day("2025-02-20"), {**base, "verlenging": True, "verlenging_maanden": 3}),
        facts=facts,
    )
    facts_end = AiosFacts(1, START, einddatum_opleiding=day("2027-08-31"))
    assert verwachte_einddatum_traject(verlengd, facts_end, day("2025-03-01")) == day("2027-11-30")


def test_month_5_may_decide_against_verlenging_without_motivatie() -> None:
    facts, traject = _first_year("2025-01-20")
    data = {"uitstel_voortgangsbeoordeling": False, "verlenging": False, "door": "Plv. hoofd"}
    add(traject, ("voortgang_besluit", day("2025-01-25"), data), facts=facts)
