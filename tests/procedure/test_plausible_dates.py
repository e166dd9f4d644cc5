"""Defect 4: any date went. Events record what happened, in the traject, in the order the procedure asks; a
refusal says what to change."""

from __future__ import annotations

import datetime as dt

import pytest

from ontkoppel_desktop.core.procedure import (
    Categorie,
    RuleError,
    Startreden,
    StepState,
    derive,
    new_event,
    record,
    start_traject,
)

from .builders import FACTS, NIEUW, D, add, build, day, nieuwe_koppeling, ontkoppeld

TODAY = dt.date(2025, 6, 1)


def test_a_driehoeksgesprek_before_the_signaal_is_refused() -> None:
    # The defect: ten months before the signaal was accepted, and the next steps showed "Te laat (296 d)".
    traject = build()
    event = new_event("driehoeksgesprek", day("2024-05-12"), user="Test")
    with pytest.raises(RuleError) as info:
        record(D, traject, event, today=TODAY)
    assert str(info.value) == (
        "'Driehoeksgesprek' (12 mei 2024) kan niet vóór het begin van het traject (3 maart 2025) liggen. "
        "Vul een datum op of na 3 maart 2025 in."
    )


def test_an_event_in_the_future_is_refused() -> None:
    traject = build()
    event = new_event("driehoeksgesprek", day("2025-06-02"), user="Test")
    with pytest.raises(RuleError) as info:
        record(D, traject, event, today=TODAY)
    assert str(info.value) == (
        "De datum van 'Driehoeksgesprek' (2 juni 2025) ligt in de toekomst. Vul de datum in waarop het gebeurde."
    )
    assert record(D, traject, event, today=day("2025-06-02")).events[-1] is event


def test_record_uses_the_real_today_by_default() -> None:
    traject = build()
    future = new_event("check_up", dt.date.today() + dt.timedelta(days=1), user="Test")
    with pytest.raises(RuleError, match="in de toekomst"):
        record(D, traject, future)


def test_a_verslag_before_its_driehoeksgesprek_is_refused() -> None:
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}))
    with pytest.raises(RuleError) as info:
        add(traject, ("verslag_naar_jaarassistent", day("2025-03-11"), {"gesprek": "driehoeksgesprek"}))
    assert str(info.value) == (
        "'Verslag naar de jaarassistent' (11 maart 2025) kan niet vóór 'Driehoeksgesprek' (12 maart 2025) "
        "liggen. Vul een datum op of na 12 maart 2025 in."
    )
    add(traject, ("verslag_naar_jaarassistent", day("2025-03-12"), {"gesprek": "driehoeksgesprek"}))


def test_a_check_up_before_the_driehoeksgesprek_and_an_uitkomst_before_it_are_refused() -> None:
    traject = build(("driehoeksgesprek", day("2025-03-12"), {}))
    with pytest.raises(RuleError, match="'Check-up met de opleider' \\(10 maart 2025\\) kan niet vóór"):
        add(traject, ("check_up", day("2025-03-10"), {}))
    with pytest.raises(RuleError, match="kan niet vóór 'Driehoeksgesprek'"):
        add(traject, ("uitkomst", day("2025-03-11"), {"uitkomst": "advies_ontkoppeling"}))


@pytest.mark.parametrize(
    ("kind", "data", "label"),
    [
        ("evaluatiegesprek_aios", {}, "Evaluatiegesprek aios"),
        ("evaluatiegesprek_opleider", {}, "Evaluatiegesprek opleider"),
        ("contact_manager_opleiders", {}, "Contact manager opleiders met de opleider"),
        ("koppeling_beeindigd", {}, "Oude koppeling beëindigd"),
        ("stap_uitgevoerd", {"stap": "besluit_communiceren"}, "Besluit communiceren"),
    ],
)
def test_an_evaluatie_or_contact_before_the_formal_ontkoppeling_is_refused(
    kind: str, data: dict[str, object], label: str
) -> None:
    traject = build(*ontkoppeld("2025-04-01"))
    with pytest.raises(RuleError) as info:
        add(traject, (kind, day("2025-03-30"), data))
    assert f"'{label}' (30 maart 2025) kan niet vóór het formele besluit tot ontkoppeling (1 april 2025)" in str(
        info.value
    )
    assert str(info.value).endswith("Vul een datum op of na 1 april 2025 in.")
    add(traject, (kind, day("2025-04-01"), data))


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("evaluatiegesprek_aios", {}),
        ("contact_manager_opleiders", {}),
        ("kennismakingsgesprek", {"opleider_id": NIEUW, "aios_ja": False, "opleider_ja": True}),
        ("kandidaat_opleider", {"opleider_id": NIEUW}),
        ("stap_uitgevoerd", {"stap": "nazorg_groep"}),
        ("verslag_gearchiveerd", {"gesprek": "evaluatie_aios"}),
        ("afwijking", {"stap": "evaluatie_opleider", "wijze": "overgeslagen", "motivatie": "x"}),
    ],
)
def test_the_period_after_the_ontkoppeling_needs_the_besluit(kind: str, data: dict[str, object]) -> None:
    advies = build(
        ("driehoeksgesprek", day("2025-03-12"), {}),
        ("uitkomst", day("2025-03-12"), {"uitkomst": "advies_ontkoppeling"}),
    )
    with pytest.raises(RuleError) as info:
        add(advies, (kind, day("2025-03-20"), data))
    assert str(info.value).endswith(
        "kan pas worden vastgelegd na het formele besluit tot ontkoppeling; leg dat eerst vast."
    )


def test_phase_3_after_the_new_start() -> None:
    traject = build(*ontkoppeld("2025-04-01"), *nieuwe_koppeling("2025-04-04", "2025-04-07", "2025-04-14"))
    with pytest.raises(RuleError, match="kan pas worden vastgelegd na 'Start bij de nieuwe opleider'"):
        add(traject, ("evaluatiegesprek_nieuwe_opleider", day("2025-04-10"), {}))


def test_telefonisch_contact_after_a_plain_signaal_stays_possible() -> None:
    traject = build(("telefonisch_contact", day("2025-03-04"), {"met": ["aios", "opleider"]}))
    traject = add(traject, ("telefonisch_contact", day("2025-03-05"), {"met": ["opleider"]}))
    assert len(traject.events) == 3


def test_a_kennismakingsgesprek_without_a_recorded_kandidaat_after_the_besluit_is_fine() -> None:
    # The Koppelplanner's 1-op-1 hands the kennismakingsgesprek to the traject: the match itself is the panel.
    traject = build(
        *ontkoppeld("2025-04-01"),
        ("kennismakingsgesprek", day("2025-04-03"), {"opleider_id": NIEUW, "aios_ja": True, "opleider_ja": True}),
    )
    status = derive(D, traject, FACTS, day("2025-04-04")).status("kennismakingsgesprek")
    assert status.state is StepState.DONE
    with pytest.raises(RuleError, match="kan niet vóór het formele besluit tot ontkoppeling"):
        add(build(*ontkoppeld("2025-04-01")),
            ("kennismakingsgesprek", day("2025-03-31"), {"opleider_id": NIEUW, "aios_ja": True, "opleider_ja": True}))


@pytest.mark.parametrize(
    ("startdatum", "message"),
    [
        ("9999-12-31", "De startdatum bij de nieuwe opleider (31 december 9999) ligt te ver in de toekomst"),
        ("2026-04-08", "De startdatum bij de nieuwe opleider (8 april 2026) ligt te ver in de toekomst; dat moet "
                       "binnen een jaar terug en een jaar vooruit zijn (uiterlijk 7 april 2026)"),
        ("2025-04-03", "De startdatum bij de nieuwe opleider (3 april 2025) kan niet vóór het einde van de oude "
                       "koppeling (4 april 2025) liggen"),
    ],
)
def test_the_planned_startdatum_is_plausible(startdatum: str, message: str) -> None:
    traject = build(*ontkoppeld("2025-04-01"), *nieuwe_koppeling("2025-04-04", "2025-04-07", "2025-04-14")[:3])
    with pytest.raises(RuleError) as info:
        add(traject, ("nieuwe_koppeling_bevestigd", day("2025-04-07"),
                      {"opleider_id": NIEUW, "startdatum": startdatum}))
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("datum", "message"),
    [
        (dt.date(2022, 6, 1), "De datum van het signaal (1 juni 2022) ligt te ver in het verleden"),
        (dt.date(2025, 6, 2), "De datum van het signaal (2 juni 2025) ligt in de toekomst"),
    ],
)
def test_start_traject_date_is_plausible(datum: dt.date, message: str) -> None:
    with pytest.raises(RuleError) as info:
        start_traject(D, koppeling_id=1, aios_id=2, opleider_id=3, startreden=Startreden.SIGNAAL_AIOS,
                      categorie=Categorie.OVERIG, datum=datum, user="Test", today=TODAY)
    assert str(info.value).startswith(message)
    with pytest.raises(RuleError, match="De datum van de ziekmelding"):
        start_traject(D, koppeling_id=1, aios_id=2, opleider_id=3, startreden=Startreden.ZIEKMELDING,
                      categorie=Categorie.OVERIG, datum=datum, user="Test", today=TODAY)
    start_traject(D, koppeling_id=1, aios_id=2, opleider_id=3, startreden=Startreden.SIGNAAL_AIOS,
                  categorie=Categorie.OVERIG, datum=TODAY, user="Test", today=TODAY)


def test_a_missing_holiday_translation_costs_the_name_not_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in the frozen app: without the holidays package's .mo files every term on a holiday raised."""
    from ontkoppel_desktop.core.procedure import feestdagen

    def missing(year: int) -> object:
        raise FileNotFoundError(2, "No translation file found for domain: 'NL'")

    monkeypatch.setattr(feestdagen, "_dutch_holidays", missing)
    feestdagen.day_warning.cache_clear()
    assert feestdagen.day_warning(dt.date(2026, 12, 26)) == "zaterdag"
    assert feestdagen.day_warning(dt.date(2026, 12, 25)) is None
    feestdagen.day_warning.cache_clear()
