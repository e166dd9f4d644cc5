"""Defect 5: a wrongly recorded gebeurtenis can be withdrawn (intrekken) or corrected (corrigeren), with a
motivatie, by appending a correction; nothing stored is rewritten and the history shows both."""

from __future__ import annotations

import datetime as dt

import pytest

from ontkoppel_desktop.core.procedure import (
    EventKind,
    KoppelingActie,
    KoppelingWijziging,
    RuleError,
    StepState,
    Traject,
    TrajectEvent,
    blokkade_of,
    default_registry,
    derive,
    history,
    koppeling_wijzigingen,
    new_correctie,
    new_intrekking,
    open_tasks,
    record,
    voortgang_advies,
    wachttijd,
)
from ontkoppel_desktop.core.procedure.traject import AiosFacts

from .builders import FACTS, NIEUW, D, Ev, add, build, day, ontkoppeld

TODAY = dt.date(2025, 6, 1)


def _event(traject: Traject, kind: str, nth: int = 0) -> TrajectEvent:
    return [e for e in traject.events if e.kind.value == kind][nth]


def intrekken(traject: Traject, target: TrajectEvent, motivatie: str = "Per abuis vastgelegd.",
              facts: AiosFacts | None = FACTS) -> Traject:
    event = new_intrekking(target.id, motivatie, TODAY, user="M. Manager")
    return record(D, traject, event, facts=facts, today=TODAY)


def corrigeren(traject: Traject, target: TrajectEvent, *, datum: dt.date | None = None,
               gegevens: dict[str, object] | None = None, motivatie: str = "Typefout.",
               facts: AiosFacts | None = FACTS) -> Traject:
    event = new_correctie(target.id, motivatie, TODAY, datum=datum, gegevens=gegevens, user="M. Manager")
    return record(D, traject, event, facts=facts, today=TODAY)


GESPREK: Ev = ("driehoeksgesprek", day("2025-03-12"), {})


def test_withdrawing_an_event_appends_and_the_step_is_open_again() -> None:
    traject = build(GESPREK, ("check_up", day("2025-03-18"), {}))
    check_up = _event(traject, "check_up")
    assert derive(D, traject, FACTS, TODAY).status("check_up").state is StepState.DONE
    withdrawn = intrekken(traject, check_up)
    assert withdrawn.events[: len(traject.events)] == traject.events  # append-only: nothing rewritten
    assert withdrawn.events[-1].kind is EventKind.GEBEURTENIS_INGETROKKEN
    assert check_up not in withdrawn.effective_events
    assert derive(D, withdrawn, FACTS, day("2025-03-20")).status("check_up").state is StepState.DUE
    # once withdrawn, a new check-up can be recorded
    add(withdrawn, ("check_up", day("2025-03-19"), {}))


def test_correcting_a_date_moves_the_terms_and_keeps_the_id() -> None:
    traject = build(GESPREK)
    gesprek = _event(traject, "driehoeksgesprek")
    corrected = corrigeren(traject, gesprek, datum=day("2025-03-14"))
    effective = [e for e in corrected.effective_events if e.kind is EventKind.DRIEHOEKSGESPREK]
    assert [(e.id, e.date, e.user, e.recorded_at) for e in effective] == [
        (gesprek.id, day("2025-03-14"), gesprek.user, gesprek.recorded_at)]
    assert derive(D, corrected, FACTS, day("2025-03-15")).status("verslag_driehoeksgesprek").due == day("2025-03-21")


def test_correcting_data_is_validated_against_the_kind() -> None:
    traject = build(GESPREK, ("uitkomst", day("2025-03-12"), {"uitkomst": "geen_ontkoppeling",
                                                              "aandachtspunten": "Vast leergesprek."}))
    uitkomst = _event(traject, "uitkomst")
    with pytest.raises(RuleError, match="Uitkomst driehoeksgesprek: 'Uitkomst' heeft een ongeldige waarde"):
        corrigeren(traject, uitkomst, gegevens={"uitkomst": "misschien"})
    with pytest.raises(RuleError, match="onbekend gegeven 'kleur'"):
        corrigeren(traject, uitkomst, gegevens={"kleur": "rood"})
    corrected = corrigeren(traject, uitkomst, gegevens={"uitkomst": "advies_ontkoppeling", "aandachtspunten": None})
    effective = next(e for e in corrected.effective_events if e.kind is EventKind.UITKOMST)
    assert effective.id == uitkomst.id and effective.data == {"uitkomst": "advies_ontkoppeling"}
    overview = derive(D, corrected, FACTS, day("2025-03-13"))
    assert overview.status("besluit_ontkoppeling").state is StepState.OPEN  # the advies now asks for a besluit


def test_a_correction_must_say_what_changes_and_why() -> None:
    traject = build(GESPREK)
    gesprek = _event(traject, "driehoeksgesprek")
    with pytest.raises(RuleError, match="Geef de juiste datum of de juiste gegevens"):
        corrigeren(traject, gesprek)
    with pytest.raises(RuleError, match="verandert niets"):
        corrigeren(traject, gesprek, datum=gesprek.date)
    with pytest.raises(RuleError, match="'Motivatie' is verplicht"):
        new_intrekking(gesprek.id, "  ", TODAY, user="x")


def test_withdrawing_what_later_events_depend_on_is_refused_naming_them() -> None:
    traject = build(*ontkoppeld("2025-04-01"), ("koppeling_beeindigd", day("2025-04-04"), {}))
    besluit = _event(traject, "besluit_ontkoppeling")
    with pytest.raises(RuleError) as info:
        intrekken(traject, besluit)
    text = str(info.value)
    assert text.startswith("'Formeel besluit over ontkoppeling' van 1 april 2025 kan niet worden ingetrokken")
    assert text.endswith("Trek eerst 'Oude koppeling beëindigd' in.")
    # in the right order it can
    traject = intrekken(traject, _event(traject, "koppeling_beeindigd"))
    traject = intrekken(traject, besluit)
    assert derive(D, traject, FACTS, TODAY).phase == 1


def test_a_correction_that_breaks_a_later_event_is_refused() -> None:
    traject = build(*ontkoppeld("2025-04-01"), ("evaluatiegesprek_aios", day("2025-04-08"), {}))
    besluit = _event(traject, "besluit_ontkoppeling")
    with pytest.raises(RuleError) as info:
        corrigeren(traject, besluit, datum=day("2025-04-10"))
    assert "'Evaluatiegesprek aios' van 8 april 2025" in str(info.value)
    assert "kan niet vóór het formele besluit tot ontkoppeling (10 april 2025) liggen" in str(info.value)
    corrigeren(traject, besluit, datum=day("2025-04-07"))


def test_a_corrected_date_is_checked_like_a_new_one() -> None:
    traject = build(GESPREK)
    gesprek = _event(traject, "driehoeksgesprek")
    with pytest.raises(RuleError, match="in de toekomst"):
        corrigeren(traject, gesprek, datum=day("2025-06-02"))
    with pytest.raises(RuleError, match="kan niet vóór het begin van het traject"):
        corrigeren(traject, gesprek, datum=day("2024-05-12"))


def test_corrections_of_corrections_and_withdrawn_events_are_refused() -> None:
    traject = build(GESPREK, ("check_up", day("2025-03-18"), {}))
    gesprek, check_up = _event(traject, "driehoeksgesprek"), _event(traject, "check_up")
    corrected = corrigeren(traject, gesprek, datum=day("2025-03-13"))
    correction = corrected.events[-1]
    with pytest.raises(RuleError, match="kan zelf niet worden ingetrokken of gecorrigeerd"):
        intrekken(corrected, correction)
    with pytest.raises(RuleError, match="kan zelf niet worden ingetrokken of gecorrigeerd"):
        corrigeren(corrected, correction, datum=day("2025-03-14"))
    withdrawn = intrekken(corrected, check_up)
    with pytest.raises(RuleError, match="is al ingetrokken"):
        intrekken(withdrawn, check_up)
    with pytest.raises(RuleError, match="is al ingetrokken"):
        corrigeren(withdrawn, check_up, datum=day("2025-03-19"))
    with pytest.raises(RuleError, match="kan zelf niet worden ingetrokken of gecorrigeerd"):
        intrekken(withdrawn, withdrawn.events[-1])
    # a second correction of the same event applies on top of the first
    again = corrigeren(corrected, gesprek, datum=day("2025-03-14"))
    assert [e.date for e in again.effective_events if e.id == gesprek.id] == [day("2025-03-14")]


def test_the_first_event_can_be_corrected_not_withdrawn() -> None:
    traject = build(GESPREK)
    signaal = traject.events[0]
    with pytest.raises(RuleError, match="De eerste gebeurtenis van het traject kan niet worden ingetrokken"):
        intrekken(traject, signaal)
    corrected = corrigeren(traject, signaal, datum=day("2025-03-05"), gegevens={"bron": "opleider"})
    assert corrected.start_date == day("2025-03-05")
    with pytest.raises(RuleError, match="'Driehoeksgesprek' van 12 maart 2025"):
        corrigeren(traject, signaal, datum=day("2025-03-13"))
    with pytest.raises(RuleError, match="ligt te ver in het verleden"):
        corrigeren(traject, signaal, datum=day("2022-03-13"))


def test_a_closed_traject_only_reopens_by_withdrawing_its_closing_event() -> None:
    traject = build(GESPREK, ("uitkomst", day("2025-03-12"), {"uitkomst": "geen_ontkoppeling",
                                                              "aandachtspunten": "Vast leergesprek."}),
                    ("traject_gesloten", day("2025-03-13"), {"reden": "Opgelost"}))
    with pytest.raises(RuleError, match="Trek eerst het sluiten van het traject in"):
        corrigeren(traject, _event(traject, "driehoeksgesprek"), datum=day("2025-03-11"))
    with pytest.raises(RuleError, match="Trek eerst het sluiten van het traject in"):
        intrekken(traject, _event(traject, "uitkomst"))
    reopened = intrekken(traject, _event(traject, "traject_gesloten"), motivatie="Te vroeg gesloten.")
    assert not reopened.closed
    assert open_tasks([reopened], default_registry(), TODAY)
    add(reopened, ("check_up", day("2025-03-18"), {}))


def test_every_derivation_uses_the_effective_record() -> None:
    first_year = AiosFacts(1, day("2024-09-01"), day("2027-09-01"))
    traject = build(*ontkoppeld("2025-04-01"), ("contact_manager_opleiders", day("2025-04-29"), {}),
                    ("koppeling_beeindigd", day("2025-04-04"), {}), facts=first_year)
    assert blokkade_of(D, traject) is None
    without_contact = intrekken(traject, _event(traject, "contact_manager_opleiders"), facts=first_year)
    assert blokkade_of(D, without_contact) is not None
    moved = corrigeren(traject, _event(traject, "koppeling_beeindigd"), datum=day("2025-04-10"), facts=first_year)
    w = wachttijd(moved, day("2025-04-20"))
    assert w is not None and w.einde_oude_koppeling == day("2025-04-10") and w.dagen == 10
    advies = voortgang_advies(D, traject, first_year)
    assert advies is not None and advies.maand == 8
    later = corrigeren(traject, _event(traject, "besluit_ontkoppeling"), datum=day("2025-03-31"), facts=first_year)
    advies = voortgang_advies(D, later, first_year)
    assert advies is not None and advies.ontkoppeld_op == day("2025-03-31")


def test_the_history_shows_both_with_who_when_and_why() -> None:
    traject = build(GESPREK, ("check_up", day("2025-03-18"), {}))
    gesprek, check_up = _event(traject, "driehoeksgesprek"), _event(traject, "check_up")
    traject = corrigeren(traject, gesprek, datum=day("2025-03-13"), motivatie="Datum verkeerd overgenomen.")
    traject = intrekken(traject, check_up, motivatie="Dubbel vastgelegd.")
    lines = history(D, traject)
    assert len(lines) == len(traject.events) == 5
    original = next(line for line in lines if line.event_id == gesprek.id)
    assert original.status == "gecorrigeerd" and original.day == day("2025-03-12")
    assert original.opmerking.startswith("Gecorrigeerd door M. Manager op ")
    assert original.opmerking.endswith(": datum 13 maart 2025 (was 12 maart 2025). Motivatie: Datum verkeerd "
                                       "overgenomen.")
    assert "Gecorrigeerd door M. Manager" in original.line
    withdrawn = next(line for line in lines if line.event_id == check_up.id)
    assert withdrawn.status == "ingetrokken"
    assert withdrawn.opmerking.startswith("Ingetrokken door M. Manager op ")
    assert withdrawn.opmerking.endswith(". Motivatie: Dubbel vastgelegd.")
    texts = [line.text for line in lines]
    assert ("Correctie van 'Driehoeksgesprek' van 12 maart 2025: datum 13 maart 2025 (was 12 maart 2025). "
            "Motivatie: Datum verkeerd overgenomen.") in texts
    assert "Intrekking van 'Check-up met de opleider' van 18 maart 2025. Motivatie: Dubbel vastgelegd." in texts
    assert lines[-1].user == "M. Manager" and lines[-1].recorded_at == traject.events[-1].recorded_at


def test_the_history_names_corrected_data() -> None:
    traject = build(*ontkoppeld("2025-04-01"),
                    ("kennismakingsgesprek", day("2025-04-05"),
                     {"opleider_id": NIEUW, "aios_ja": True, "opleider_ja": True}),
                    ("nieuwe_koppeling_bevestigd", day("2025-04-06"),
                     {"opleider_id": NIEUW, "startdatum": "2025-04-14", "koppeling_id": 77}))
    traject = corrigeren(traject, _event(traject, "nieuwe_koppeling_bevestigd"), gegevens={"startdatum": "2025-04-21"})
    lines = history(D, traject, names={NIEUW: "dr. A. de Vries"})
    assert lines[-1].text == (
        "Correctie van 'Nieuwe koppeling bevestigd' van 6 april 2025: Startdatum bij de nieuwe opleider: 21 april "
        "2025 (was 14 april 2025). Motivatie: Typefout."
    )


# --- what a correction means for the koppelingen (the store applies it) --------------------------------------

def _gestart() -> Traject:
    return build(*ontkoppeld("2025-04-01"), ("koppeling_beeindigd", day("2025-04-04"), {}),
                 ("kennismakingsgesprek", day("2025-04-05"),
                  {"opleider_id": NIEUW, "aios_ja": True, "opleider_ja": True}),
                 ("nieuwe_koppeling_bevestigd", day("2025-04-06"),
                  {"opleider_id": NIEUW, "startdatum": "2025-04-14", "koppeling_id": 77}),
                 ("nieuwe_koppeling_gestart", day("2025-04-15"), {"in_oude_praktijk_gebleven": False}))


def _wijzigingen(traject: Traject, event: TrajectEvent) -> tuple[KoppelingWijziging, ...]:
    record(D, traject, event, facts=FACTS, today=TODAY)  # the rules accept it
    return koppeling_wijzigingen(traject, event)


def test_withdrawing_the_start_puts_the_planned_start_back() -> None:
    traject = _gestart()
    event = new_intrekking(_event(traject, "nieuwe_koppeling_gestart").id, "Nog niet gestart.", TODAY, user="x")
    assert _wijzigingen(traject, event) == (
        KoppelingWijziging(KoppelingActie.STARTDATUM, 77, datum=day("2025-04-14")),)
    assert _wijzigingen(traject, event)[0].uitleg == "De startdatum van koppeling 77 wordt 14 april 2025."


def test_withdrawing_the_confirmation_removes_the_new_koppeling() -> None:
    gestart = _gestart()
    with pytest.raises(RuleError, match="Trek eerst 'Start bij de nieuwe opleider' in"):
        intrekken(gestart, _event(gestart, "nieuwe_koppeling_bevestigd"))
    traject = intrekken(gestart, _event(gestart, "nieuwe_koppeling_gestart"))
    event = new_intrekking(_event(traject, "nieuwe_koppeling_bevestigd").id, "Toch niet.", TODAY, user="x")
    assert _wijzigingen(traject, event) == (KoppelingWijziging(KoppelingActie.VERWIJDEREN, 77),)


def test_the_end_of_the_old_koppeling_moves_or_is_cleared() -> None:
    traject = build(*ontkoppeld("2025-04-01"), ("koppeling_beeindigd", day("2025-04-04"), {}))
    einde = _event(traject, "koppeling_beeindigd")
    moved = new_correctie(einde.id, "Typefout.", TODAY, datum=day("2025-04-03"), user="x")
    assert _wijzigingen(traject, moved) == (
        KoppelingWijziging(KoppelingActie.EINDDATUM, traject.koppeling_id, datum=day("2025-04-03")),)
    cleared = new_intrekking(einde.id, "Per abuis.", TODAY, user="x")
    assert _wijzigingen(traject, cleared) == (
        KoppelingWijziging(KoppelingActie.EINDDATUM, traject.koppeling_id, datum=None),)
    assert _wijzigingen(traject, cleared)[0].uitleg == "De einddatum van koppeling 5 vervalt."


def test_a_corrected_start_or_opleider_moves_the_new_koppeling() -> None:
    traject = _gestart()
    start = new_correctie(_event(traject, "nieuwe_koppeling_gestart").id, "Typefout.", TODAY,
                          datum=day("2025-04-16"), user="x")
    assert _wijzigingen(traject, start) == (
        KoppelingWijziging(KoppelingActie.STARTDATUM, 77, datum=day("2025-04-16")),)
    unchanged = new_correctie(_event(traject, "nieuwe_koppeling_bevestigd").id, "Typefout.", TODAY,
                              gegevens={"startdatum": "2025-04-13"}, user="x")
    assert _wijzigingen(traject, unchanged) == ()  # the recorded start counts, not the planned one
    assert koppeling_wijzigingen(traject, new_intrekking(_event(traject, "driehoeksgesprek").id, "x", TODAY,
                                                         user="x")) == ()
