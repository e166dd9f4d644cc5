"""What the app refuses (RuleError, Dutch), and what it allows."""

from __future__ import annotations

import pytest

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.procedure import (
    RuleError,
    StepState,
    derive,
    event_for_step,
    is_ontkoppeld,
    new_event,
    record,
    require_ontkoppeld,
)

from .builders import FACTS, NIEUW, OPLEIDER, D, add, build, day, nieuwe_koppeling, ontkoppeld

ADVIES = (
    ("driehoeksgesprek", day("2025-03-12"), {}),
    ("uitkomst", day("2025-03-12"), {"uitkomst": "advies_ontkoppeling"}),
)


def test_rule_errors_are_user_errors() -> None:
    assert issubclass(RuleError, OntkoppelError)


def test_koppeling_not_ended_before_besluit() -> None:
    traject = build(*ADVIES)
    with pytest.raises(RuleError, match="pas als ontkoppeld .* nadat het formele besluit"):
        add(traject, ("koppeling_beeindigd", day("2025-03-20"), {}))
    with pytest.raises(RuleError):
        require_ontkoppeld(traject)
    assert not is_ontkoppeld(traject)
    niet = add(
        traject, ("besluit_ontkoppeling", day("2025-03-25"), {"besluit": "niet_ontkoppelen", "door": "X"})
    )
    with pytest.raises(RuleError, match="formele besluit"):
        add(niet, ("koppeling_beeindigd", day("2025-03-26"), {}))
    wel = add(traject, ("besluit_ontkoppeling", day("2025-03-25"), {"besluit": "ontkoppelen", "door": "X"}))
    require_ontkoppeld(wel)
    assert is_ontkoppeld(add(wel, ("koppeling_beeindigd", day("2025-03-26"), {})))


def test_besluit_only_once() -> None:
    traject = build(*ontkoppeld())
    with pytest.raises(RuleError, match="al vastgelegd"):
        add(traject, ("besluit_ontkoppeling", day("2025-04-02"), {"besluit": "ontkoppelen", "door": "X"}))


@pytest.mark.parametrize(("aios_ja", "opleider_ja"), [(True, False), (False, True), (False, False)])
def test_nieuwe_koppeling_needs_two_yeses(aios_ja: bool, opleider_ja: bool) -> None:
    traject = build(
        *ontkoppeld(),
        (
            "kennismakingsgesprek",
            day("2025-04-05"),
            {"opleider_id": NIEUW, "aios_ja": aios_ja, "opleider_ja": opleider_ja},
        ),
    )
    with pytest.raises(RuleError, match="zowel de aios als de opleider"):
        add(
            traject,
            (
                "nieuwe_koppeling_bevestigd",
                day("2025-04-06"),
                {"opleider_id": NIEUW, "startdatum": "2025-04-14"},
            ),
        )
    # the kennismaking step stays open until both say yes
    overview = derive(D, traject, FACTS, day("2025-04-06"))
    assert overview.status("kennismakingsgesprek").state is not StepState.DONE


def test_nieuwe_koppeling_needs_a_kennismakingsgesprek_with_that_opleider() -> None:
    traject = build(*ontkoppeld())
    with pytest.raises(RuleError, match="na een kennismakingsgesprek"):
        add(
            traject,
            (
                "nieuwe_koppeling_bevestigd",
                day("2025-04-06"),
                {"opleider_id": NIEUW, "startdatum": "2025-04-14"},
            ),
        )
    yes = add(
        traject,
        (
            "kennismakingsgesprek",
            day("2025-04-05"),
            {"opleider_id": NIEUW, "aios_ja": True, "opleider_ja": True},
        ),
        ("nieuwe_koppeling_bevestigd", day("2025-04-06"), {"opleider_id": NIEUW, "startdatum": "2025-04-14"}),
    )
    assert (
        derive(D, yes, FACTS, day("2025-04-07")).status("nieuwe_koppeling_bevestigen").state is StepState.DONE
    )


def test_the_ontkoppelde_opleider_is_no_candidate() -> None:
    with pytest.raises(RuleError, match="niet de opleider"):
        build(*ontkoppeld(), ("kandidaat_opleider", day("2025-04-03"), {"opleider_id": OPLEIDER}))


def test_start_needs_confirmation_and_end_of_old_koppeling() -> None:
    traject = build(*ontkoppeld())
    with pytest.raises(RuleError, match="bevestigd"):
        add(traject, ("nieuwe_koppeling_gestart", day("2025-04-14"), {"in_oude_praktijk_gebleven": True}))
    traject = add(
        traject,
        (
            "kennismakingsgesprek",
            day("2025-04-05"),
            {"opleider_id": NIEUW, "aios_ja": True, "opleider_ja": True},
        ),
        ("nieuwe_koppeling_bevestigd", day("2025-04-06"), {"opleider_id": NIEUW, "startdatum": "2025-04-14"}),
    )
    with pytest.raises(RuleError, match="einde van de oude koppeling"):
        add(traject, ("nieuwe_koppeling_gestart", day("2025-04-14"), {"in_oude_praktijk_gebleven": True}))
    traject = add(traject, ("koppeling_beeindigd", day("2025-04-10"), {}))
    with pytest.raises(RuleError, match="vóór het einde"):
        add(traject, ("nieuwe_koppeling_gestart", day("2025-04-09"), {"in_oude_praktijk_gebleven": False}))


@pytest.mark.parametrize("motivatie", ["", "   "])
def test_afwijking_needs_motivatie(motivatie: str) -> None:
    with pytest.raises(RuleError, match="Motivatie"):
        build(
            (
                "afwijking",
                day("2025-03-05"),
                {"stap": "check_up", "wijze": "overgeslagen", "motivatie": motivatie},
            )
        )


def test_afwijking_is_recorded_and_visible() -> None:
    traject = build(
        ("driehoeksgesprek", day("2025-03-12"), {}),
        (
            "afwijking",
            day("2025-03-13"),
            {
                "stap": "check_up",
                "wijze": "overgeslagen",
                "motivatie": "Opleider was al in het gesprek uitgebreid gehoord.",
            },
        ),
        (
            "afwijking",
            day("2025-03-14"),
            {
                "stap": "verslag_driehoeksgesprek",
                "wijze": "anders_gedaan",
                "motivatie": "Verslag mondeling doorgenomen en daarna gemaild.",
            },
        ),
    )
    overview = derive(D, traject, FACTS, day("2025-03-30"))
    check_up = overview.status("check_up")
    assert check_up.state is StepState.SKIPPED and "uitgebreid gehoord" in check_up.motivatie
    verslag = overview.status("verslag_driehoeksgesprek")
    assert verslag.state is StepState.DEVIATED and verslag.done_on == day("2025-03-14")
    # a deviated step still lets the steps waiting for it go ahead
    assert overview.status("archiveren_verslag_driehoeksgesprek").state is StepState.OPEN
    with pytest.raises(RuleError, match="al afgerond"):
        add(
            traject,
            (
                "afwijking",
                day("2025-03-15"),
                {"stap": "check_up", "wijze": "anders_gedaan", "motivatie": "x"},
            ),
        )


def test_unknown_step_reference_refused() -> None:
    with pytest.raises(RuleError, match="geen stap 'bestaat_niet'"):
        build(
            (
                "afwijking",
                day("2025-03-05"),
                {"stap": "bestaat_niet", "wijze": "overgeslagen", "motivatie": "x"},
            )
        )
    with pytest.raises(RuleError, match="wordt vastgelegd als 'Check-up"):
        build(("stap_uitgevoerd", day("2025-03-05"), {"stap": "check_up"}))


def test_geen_ontkoppeling_needs_aandachtspunten_and_then_may_close() -> None:
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}))
    with pytest.raises(RuleError, match="aandachtspunten"):
        add(
            traject,
            ("uitkomst", day("2025-03-12"), {"uitkomst": "geen_ontkoppeling", "aandachtspunten": " "}),
        )
    traject = add(
        traject,
        (
            "uitkomst",
            day("2025-03-12"),
            {"uitkomst": "geen_ontkoppeling", "aandachtspunten": "Vast leergesprek."},
        ),
        ("traject_gesloten", day("2025-03-13"), {"reden": "Opgelost"}),
    )
    assert traject.closed
    overview = derive(D, traject, FACTS, day("2025-04-30"))
    assert overview.phase is None
    # open steps lapse, steps never reached are not applicable; nothing becomes a task any more
    assert overview.status("verslag_driehoeksgesprek").state is StepState.LAPSED
    assert overview.status("evaluatie_aios").state is StepState.NOT_APPLICABLE
    assert not overview.open_statuses()
    with pytest.raises(RuleError, match="gesloten"):
        add(traject, ("check_up", day("2025-03-14"), {}))


def test_closing_with_open_steps_is_refused() -> None:
    traject = build(*ontkoppeld())
    with pytest.raises(RuleError, match="nog niet worden gesloten: .*stap\\(pen\\) staan open"):
        add(traject, ("traject_gesloten", day("2025-04-02"), {}))


def test_event_for_step_fills_what_the_definition_fixes() -> None:
    event = event_for_step(D, "archiveren_verslag_evaluatie_opleider_aios", day("2025-05-01"), user="Test")
    assert event.kind.value == "verslag_gearchiveerd"
    assert event.data == {"gesprek": "evaluatie_opleider", "bestemming": "e_portfolio"}
    event = event_for_step(D, "besluit_communiceren", day("2025-04-02"), user="Test")
    assert event.data == {"stap": "besluit_communiceren"}
    traject = record(D, build(*ontkoppeld()), event)
    assert derive(D, traject, FACTS, day("2025-04-02")).status("besluit_communiceren").state is StepState.DONE
    contact = event_for_step(D, "contact_na_ziekmelding", day("2025-03-04"), user="Test")
    assert contact.data == {"met": ["aios", "opleider"]}


def test_event_data_is_validated() -> None:
    with pytest.raises(RuleError, match="'Besluit genomen door' is verplicht"):
        new_event("besluit_ontkoppeling", day("2025-04-01"), {"besluit": "ontkoppelen"}, user="Test")
    with pytest.raises(RuleError, match="ongeldige waarde"):
        new_event("signaal", day("2025-04-01"), {"bron": "buurman"}, user="Test")
    with pytest.raises(RuleError, match="onbekend gegeven 'kleur'"):
        new_event("check_up", day("2025-04-01"), {"kleur": "rood"}, user="Test")
    with pytest.raises(RuleError, match="ongeldige waarde"):
        new_event(
            "kennismakingsgesprek",
            day("2025-04-01"),
            {"opleider_id": NIEUW, "aios_ja": "ja", "opleider_ja": True},
            user="Test",
        )


def test_event_recorded_twice_is_refused() -> None:
    traject = build()
    event = new_event("check_up", day("2025-03-05"), user="Test")
    traject = record(D, traject, event)
    with pytest.raises(RuleError, match="al vastgelegd"):
        record(D, traject, event)


def test_nieuwe_koppeling_helper_is_valid() -> None:
    traject = build(*ontkoppeld(), *nieuwe_koppeling("2025-04-04", "2025-04-07", "2025-04-14"))
    assert derive(D, traject, FACTS, day("2025-04-08")).phase == 2


def test_closing_after_besluit_niet_ontkoppelen() -> None:
    traject = build(
        ("driehoeksgesprek", day("2025-03-12"), {}),
        ("uitkomst", day("2025-03-12"), {"uitkomst": "advies_ontkoppeling"}),
        ("besluit_ontkoppeling", day("2025-03-20"), {"besluit": "niet_ontkoppelen", "door": "Plv. hoofd"}),
        ("traject_gesloten", day("2025-03-21"), {"reden": "Samenwerking gaat door"}),
    )
    assert traject.closed and not is_ontkoppeld(traject)
