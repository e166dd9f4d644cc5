"""Defect 9: the wachttijd is counted one way: the calendar days after the aios's last day in the old practice up to
the day before the new start; while it runs, up to and including today."""

from __future__ import annotations

import datetime as dt

import pytest

from ontkoppel_desktop.core.procedure import RuleError, StepState, Traject, derive, wachttijd

from .builders import FACTS, NIEUW, D, Ev, add, build, day

START = "2026-05-04"


def _ontkoppeld(besluit: str = "2026-05-20") -> tuple[Ev, ...]:
    return (
        ("driehoeksgesprek", day("2026-05-11"), {}),
        ("uitkomst", day("2026-05-11"), {"uitkomst": "advies_ontkoppeling"}),
        ("besluit_ontkoppeling", day(besluit), {"besluit": "ontkoppelen", "door": "Plv. hoofd"}),
    )


def _bevestigd(startdatum: str = "2026-06-15") -> tuple[Ev, ...]:
    return (
        ("kennismakingsgesprek", day("2026-06-01"), {"opleider_id": NIEUW, "aios_ja": True, "opleider_ja": True}),
        ("nieuwe_koppeling_bevestigd", day("2026-06-02"), {"opleider_id": NIEUW, "startdatum": startdatum}),
    )


def _traject(*events: Ev, einde: dict[str, object] | None = None) -> Traject:
    return build(
        *_ontkoppeld(), ("koppeling_beeindigd", day("2026-05-22"), einde or {}), *events, start=day(START)
    )


def test_22_may_to_15_june_is_23_days() -> None:
    traject = _traject(*_bevestigd(), ("nieuwe_koppeling_gestart", day("2026-06-15"),
                                       {"in_oude_praktijk_gebleven": False}))
    w = wachttijd(traject, day("2026-07-01"))
    assert w is not None and not w.lopend
    assert (w.laatste_dag_oude_praktijk, w.start_nieuwe_koppeling, w.dagen) == (
        day("2026-05-22"), day("2026-06-15"), 23)
    assert w.uitleg == (
        "23 dagen: de kalenderdagen na de laatste dag in de oude praktijk (22 mei 2026) tot de start bij de "
        "nieuwe opleider (15 juni 2026)."
    )


@pytest.mark.parametrize(("today", "dagen"), [("2026-05-22", 0), ("2026-05-23", 1), ("2026-05-30", 8),
                                              ("2026-06-14", 23)])
def test_a_running_wachttijd_counts_up_to_and_including_today(today: str, dagen: int) -> None:
    w = wachttijd(_traject(), day(today))
    assert w is not None and w.lopend and w.dagen == dagen


def test_the_running_count_on_the_day_before_the_start_equals_the_final_count() -> None:
    running = wachttijd(_traject(*_bevestigd()), day("2026-06-14"))
    final = wachttijd(_traject(*_bevestigd(), ("nieuwe_koppeling_gestart", day("2026-06-15"),
                                               {"in_oude_praktijk_gebleven": False})), day("2026-06-14"))
    assert running is not None and final is not None and running.dagen == final.dagen == 23


def test_running_explanation() -> None:
    w = wachttijd(_traject(), day("2026-05-30"))
    assert w is not None
    assert w.uitleg == (
        "8 dagen: de kalenderdagen na de laatste dag in de oude praktijk (22 mei 2026) tot en met vandaag "
        "(30 mei 2026); de wachttijd loopt nog."
    )
    one = wachttijd(_traject(), day("2026-05-23"))
    assert one is not None and one.uitleg.startswith("1 dag: ")


def test_the_last_day_in_the_old_practice_may_lie_before_the_besluit() -> None:
    # Utrecht 5.1: the opleider may send the aios out of the practice at once, before the formal decision.
    traject = _traject(*_bevestigd(), ("nieuwe_koppeling_gestart", day("2026-06-15"),
                                       {"in_oude_praktijk_gebleven": False}),
                       einde={"laatste_dag_oude_praktijk": "2026-05-15"})
    w = wachttijd(traject, day("2026-07-01"))
    assert w is not None
    assert (w.einde_oude_koppeling, w.laatste_dag_oude_praktijk, w.dagen) == (
        day("2026-05-22"), day("2026-05-15"), 30)
    assert "(15 mei 2026)" in w.uitleg
    # The decision task of 5.2.2 counts from that day too: over 2 weeks on 30 May.
    running = _traject(einde={"laatste_dag_oude_praktijk": "2026-05-15"})
    assert derive(D, running, FACTS, day("2026-05-29")).status("wachttijd_besluit").state is StepState.NOT_YET
    status = derive(D, running, FACTS, day("2026-05-30")).status("wachttijd_besluit")
    assert status.state is StepState.OPEN and status.triggered_on == day("2026-05-30")


def test_staying_in_the_old_practice_keeps_giving_0() -> None:
    traject = _traject(*_bevestigd(), ("nieuwe_koppeling_gestart", day("2026-06-15"),
                                       {"in_oude_praktijk_gebleven": True}))
    w = wachttijd(traject, day("2026-07-01"))
    assert w is not None and w.dagen == 0 and w.dagen_niet_meegeteld == 0
    assert w.uitleg == "0 dagen: de aios bleef tot de start bij de nieuwe opleider (15 juni 2026) in de oude praktijk."


@pytest.mark.parametrize(
    ("laatste_dag", "message"),
    [
        ("2026-05-01", "De laatste dag in de oude praktijk (1 mei 2026) kan niet vóór het begin van het traject"),
        ("2026-05-23", "De laatste dag in de oude praktijk (23 mei 2026) kan niet ná het einde van de oude "
                       "koppeling (22 mei 2026) liggen"),
    ],
)
def test_the_last_day_lies_in_the_traject_and_not_after_the_end(laatste_dag: str, message: str) -> None:
    with pytest.raises(RuleError) as info:
        _traject(einde={"laatste_dag_oude_praktijk": laatste_dag})
    assert str(info.value).startswith(message)


def test_the_new_start_lies_after_the_last_day() -> None:
    with pytest.raises(RuleError, match="na de laatste dag in de oude praktijk \\(22 mei 2026\\)"):
        add(_traject(), *_bevestigd(startdatum="2026-05-22"))
    early = _traject(einde={"laatste_dag_oude_praktijk": "2026-05-15"})
    with pytest.raises(RuleError, match="kan niet vóór het einde van de oude koppeling \\(22 mei 2026\\)"):
        add(early, *_bevestigd(startdatum="2026-05-20"))
    bevestigd = add(_traject(), *_bevestigd())
    with pytest.raises(RuleError, match="na de laatste dag in de oude praktijk \\(22 mei 2026\\)"):
        add(bevestigd, ("nieuwe_koppeling_gestart", day("2026-05-22"), {"in_oude_praktijk_gebleven": False}))


def test_the_field_is_a_date() -> None:
    traject = _traject(einde={"laatste_dag_oude_praktijk": dt.date(2026, 5, 20)})
    einde = next(e for e in traject.events if e.kind.value == "koppeling_beeindigd")
    assert einde.data == {"laatste_dag_oude_praktijk": "2026-05-20"}
    assert einde.kind.fields["laatste_dag_oude_praktijk"].label == "Laatste dag van de aios in de oude praktijk"
