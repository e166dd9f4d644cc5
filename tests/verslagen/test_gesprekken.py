"""The other gesprekken of the procedure (issue 10): telefonisch contact, check-up, overdracht, kennismaking,
the manager opleiders' contact (which ends the blokkade) and the evaluatie with the new opleider."""

from __future__ import annotations

import datetime as dt

import pytest

from ontkoppel_desktop.core.procedure import EventKind, StepState, default_registry
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen import VerslagFout, bundled_formulieren
from ontkoppel_desktop.store.store import Store
from tests.verslagen.conftest import AUTEUR, TODAY, ontkoppel

FORMULIEREN = bundled_formulieren(default_registry().current())


def _gesprek(store: Store, traject_id: int, gesprek: str, day: dt.date, **antwoorden: JsonValue) -> int:
    svc = store.verslagen
    vid = svc.nieuw(traject_id, gesprek, auteur=AUTEUR, today=day).created
    assert isinstance(vid, int)
    svc.bewaar(vid, dict(svc.get(vid).antwoorden, **antwoorden), 0, auteur=AUTEUR)
    return vid


def _state(store: Store, traject_id: int, step: str) -> StepState:
    overview = store.trajecten.overview(store.trajecten.get(traject_id), TODAY)
    state = next(s.state for s in overview.statuses if s.step.id == step)
    return StepState.OPEN if state.is_open else state


def _nieuw(store: Store) -> int:
    return next(o.id for o in store.personen.opleiders() if o.naam.achternaam == "Nieuw" and o.id)  # type: ignore[misc]


def test_every_gesprek_of_the_procedure_has_its_questions() -> None:
    assert list(FORMULIEREN) == [
        "contact_na_ziekmelding", "driehoeksgesprek", "check_up", "match_nieuwe_opleider", "kennismakingsgesprek",
        "evaluatie_aios", "evaluatie_opleider", "contact_manager_opleiders", "evaluatie_nieuwe_opleider"]
    zonder = {f.id for f in FORMULIEREN.values() if not f.heeft_verslag}
    assert zonder == {"contact_na_ziekmelding", "check_up", "match_nieuwe_opleider", "kennismakingsgesprek"}
    assert FORMULIEREN["contact_manager_opleiders"].ontvanger.value == "assistent_manager_opleiders"  # type: ignore[union-attr]
    medisch = FORMULIEREN["contact_na_ziekmelding"].paginas[0].uitleg
    assert "geen medische informatie" in medisch.lower()


def test_the_overdracht_asks_per_competentiegebied_and_names_the_new_opleider(store: Store, traject_id: int) -> None:
    formulier = FORMULIEREN["match_nieuwe_opleider"]
    gebieden = [v.label for v in formulier.velden if v.id.endswith("_laat_zien")]
    assert gebieden[0] == "Medisch handelen: wat de aios laat zien" and len(gebieden) == 7
    ontkoppel(store, traject_id)
    nieuw = _nieuw(store)
    vid = _gesprek(store, traject_id, "match_nieuwe_opleider", dt.date(2026, 9, 17), nieuwe_opleider=nieuw,
                   situatie="De aios zoekt een nieuwe plek na een ontkoppeling.",
                   communicatie_laat_zien="Legt helder uit aan patiënten.")
    with pytest.raises(VerslagFout, match="geen verslag"):
        store.verslagen.afronden(vid, user=AUTEUR, today=TODAY)
    store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    event = store.trajecten.get(traject_id).events[-1]
    assert event.kind is EventKind.KANDIDAAT_OPLEIDER and event.data["opleider_id"] == nieuw
    assert _state(store, traject_id, "match_nieuwe_opleider") is StepState.DONE
    verslag = store.verslagen.get(vid)
    assert verslag.fase(False) == "Vastgelegd" and verslag.antwoorden["communicatie_laat_zien"]
    # The kennismakingsgesprek that follows knows the candidate.
    kennis = store.verslagen.nieuw(traject_id, "kennismakingsgesprek", auteur=AUTEUR, today=TODAY).created
    assert isinstance(kennis, int) and store.verslagen.get(kennis).antwoorden["nieuwe_opleider"] == nieuw


def test_the_kennismaking_is_done_only_when_both_say_yes(store: Store, traject_id: int) -> None:
    ontkoppel(store, traject_id)
    nieuw = _nieuw(store)
    store.trajecten.record(traject_id, EventKind.KANDIDAAT_OPLEIDER, dt.date(2026, 9, 17), {"opleider_id": nieuw},
                           user=AUTEUR, today=TODAY)
    nee = _gesprek(store, traject_id, "kennismakingsgesprek", dt.date(2026, 9, 20), aios_ja=True, opleider_ja=False,
                   notitie="De opleider heeft dit jaar te weinig ruimte.")
    store.verslagen.voltooien(nee, user=AUTEUR, today=TODAY)
    assert _state(store, traject_id, "kennismakingsgesprek") is StepState.OPEN
    ja = _gesprek(store, traject_id, "kennismakingsgesprek", dt.date(2026, 9, 24), aios_ja=True, opleider_ja=True)
    store.verslagen.voltooien(ja, user=AUTEUR, today=TODAY)
    assert _state(store, traject_id, "kennismakingsgesprek") is StepState.DONE


def test_the_calls_after_a_ziekmelding_complete_the_step_when_both_are_called(store: Store) -> None:
    from tests.verslagen.conftest import maak_traject

    traject_id = maak_traject(store)
    store.trajecten.record(traject_id, EventKind.ZIEKMELDING, dt.date(2026, 9, 2), user=AUTEUR, today=TODAY)
    aios = _gesprek(store, traject_id, "contact_na_ziekmelding", dt.date(2026, 9, 3), met=["aios"],
                    notitie="Driehoeksgesprek voorgesteld.")
    store.verslagen.voltooien(aios, user=AUTEUR, today=TODAY)
    assert _state(store, traject_id, "contact_na_ziekmelding") is StepState.OPEN
    opleider = _gesprek(store, traject_id, "contact_na_ziekmelding", dt.date(2026, 9, 4), met=["opleider"])
    store.verslagen.voltooien(opleider, user=AUTEUR, today=TODAY)
    assert _state(store, traject_id, "contact_na_ziekmelding") is StepState.DONE


def test_the_manager_opleiders_contact_ends_the_blokkade(store: Store, traject_id: int) -> None:
    ontkoppel(store, traject_id, dt.date(2026, 9, 15))
    opleider_id = store.trajecten.get(traject_id).opleider_id
    assert store.trajecten.blokkade(opleider_id) is not None
    vid = _gesprek(store, traject_id, "contact_manager_opleiders", dt.date(2026, 10, 14), klaar_voor_aios=True,
                   beleving="Het was zwaar, maar de opleider begrijpt de beslissing.")
    store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    assert store.trajecten.blokkade(opleider_id) is None
    # Its short verslag goes to the assistent manager opleiders, for the dossier opleider.
    store.verslagen.afronden(vid, user=AUTEUR, today=TODAY)
    store.verslagen.zet_verstuurd(vid, dt.date(2026, 10, 20), user=AUTEUR, today=TODAY)
    assert store.trajecten.get(traject_id).events[-1].kind is EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS
    assert _state(store, traject_id, "verslag_contact_naar_assistent") is StepState.DONE


def test_the_evaluatie_with_the_new_opleider_shows_the_earlier_leerpunten(store: Store, traject_id: int) -> None:
    ontkoppel(store, traject_id)
    eerder = _gesprek(store, traject_id, "evaluatie_aios", dt.date(2026, 9, 22), reflectieverslag_ontvangen=False,
                      eigen_rol="x", leerpunten="Eerder hulp vragen bij drukte.", afspraken="Wekelijks leergesprek.")
    store.verslagen.afronden(eerder, user=AUTEUR, today=TODAY)
    pagina = next(p for p in FORMULIEREN["evaluatie_nieuwe_opleider"].paginas if p.eerder)
    shown = store.verslagen.eerder(traject_id, pagina)
    assert [(a.vraag, a.tekst, a.definitief) for a in shown] == [
        ("Leerpunten", "Eerder hulp vragen bij drukte.", True),
        ("Afspraken voor de nieuwe praktijk", "Wekelijks leergesprek.", True)]
    assert shown[0].gesprek == "Evaluatiegesprek aios" and shown[0].datum == dt.date(2026, 9, 22)
