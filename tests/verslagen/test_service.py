"""A verslag's life through the store: concept, Voltooien (the gesprek in the traject, its terms follow),
Afronden (sealed, fixed), a new version, and verstuurd/gearchiveerd completing the procedure's steps."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlcipher3 import dbapi2

from ontkoppel_desktop.core.procedure import EventKind, StepState
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.verslagen import Status, VerslagFout, klopt
from ontkoppel_desktop.store.store import Store
from tests.conftest import WACHTWOORD
from tests.verslagen.conftest import AUTEUR, TODAY, ontkoppel, schrijf_driehoek

GESPREK = dt.date(2026, 9, 8)
NU = dt.datetime(2026, 11, 30, 14, 32, tzinfo=dt.UTC)


def _driehoek(store: Store, traject_id: int, **extra: object) -> int:
    return schrijf_driehoek(store, traject_id, GESPREK, **extra)


def _steps(store: Store, traject_id: int) -> dict[str, list[StepState]]:
    """Per step its states, with overdue counted as open."""
    traject = store.trajecten.get(traject_id)
    overview = store.trajecten.overview(traject, TODAY)
    result: dict[str, list[StepState]] = {}
    for status in overview.statuses:
        state = StepState.OPEN if status.state.is_open else status.state
        result.setdefault(status.step.id, []).append(state)
    return result


def test_a_new_concept_knows_the_people_and_the_date(store: Store, traject_id: int) -> None:
    vid = store.verslagen.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR, today=GESPREK).created
    assert isinstance(vid, int)
    verslag = store.verslagen.get(vid)
    assert verslag.status is Status.CONCEPT and verslag.open and not verslag.voltooid
    assert verslag.antwoorden["datum"] == "2026-09-08"
    assert verslag.antwoorden["aanwezigen"] == (
        "Noor Visser (aios)\nEva Smit (opleider)\nMila Bakker (docent)\nDaan de Wit (docent)")


def test_text_is_stored_exactly(store: Store, traject_id: int) -> None:
    weird = "Ĳsselmeer — Ça va? Çok güzel. مرحبا 🙂\x07\x00\x1b[31m\r\n" + "lange tekst " * 20_000
    vid = _driehoek(store, traject_id, plaats="İstanbul ﷺ")
    antwoorden = dict(store.verslagen.get(vid).antwoorden, aanleiding=weird)
    store.verslagen.bewaar(vid, antwoorden, 1, auteur=AUTEUR)
    store.close()
    again = Store.open(store.path, WACHTWOORD)
    got = again.verslagen.get(vid)
    assert got.antwoorden["aanleiding"] == weird and got.antwoorden["plaats"] == "İstanbul ﷺ" and got.pagina == 1
    again.close()


def test_voltooien_records_the_gesprek_and_its_uitkomst(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id)
    changes = store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    assert changes.touches("traject", traject_id) and changes.touches("verslag", vid)
    verslag = store.verslagen.get(vid)
    assert verslag.voltooid and verslag.status is Status.CONCEPT
    events = store.trajecten.get(traject_id).events
    kinds = [e.kind for e in events]
    assert kinds[-2:] == [EventKind.DRIEHOEKSGESPREK, EventKind.UITKOMST]
    assert events[-2].id == verslag.gebeurtenis_id and events[-2].date == GESPREK
    assert events[-1].data == {"uitkomst": "geen_ontkoppeling", "aandachtspunten": "Vaste supervisie om 12 uur."}
    steps = _steps(store, traject_id)
    assert steps["driehoeksgesprek"] == [StepState.DONE] and steps["verslag_driehoeksgesprek"] == [StepState.OPEN]
    # The recorded date is fixed; the text stays a concept to polish.
    polished = dict(verslag.antwoorden, afspraken="Wekelijks leergesprek op dinsdag.")
    store.verslagen.bewaar(vid, polished, 3, auteur=AUTEUR)
    with pytest.raises(VerslagFout, match="ligt vast") as info:
        store.verslagen.bewaar(vid, dict(polished, datum="2026-09-09"), 0, auteur=AUTEUR)
    assert info.value.veld == "datum"


def test_voltooien_refuses_a_future_date_or_an_empty_required_field_at_its_field(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id, datum="2026-12-24")
    with pytest.raises(VerslagFout, match="toekomst") as info:
        store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    assert info.value.veld == "datum"
    antwoorden = dict(store.verslagen.get(vid).antwoorden, datum="2026-09-08", perspectief_opleider="  ")
    store.verslagen.bewaar(vid, antwoorden, 2, auteur=AUTEUR)
    with pytest.raises(VerslagFout, match="Perspectief van de opleider") as info:
        store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    assert info.value.veld == "perspectief_opleider"
    assert [e.kind for e in store.trajecten.get(traject_id).events] == [EventKind.SIGNAAL], "nothing half-written"


def test_the_argument_is_asked_only_with_an_advies(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id, uitkomst="advies_ontkoppeling")
    with pytest.raises(VerslagFout) as info:
        store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    assert info.value.veld == "argumentatie"


def test_an_evaluatie_before_the_ontkoppeling_is_refused(store: Store, traject_id: int) -> None:
    vid = store.verslagen.nieuw(traject_id, "evaluatie_aios", auteur=AUTEUR, today=GESPREK).created
    assert isinstance(vid, int)
    antwoorden = dict(store.verslagen.get(vid).antwoorden, reflectieverslag_ontvangen=False, eigen_rol="x",
                      leerpunten="y", afspraken="z")
    store.verslagen.bewaar(vid, antwoorden, 0, auteur=AUTEUR)
    with pytest.raises(VerslagFout, match="besluit") as info:
        store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    assert info.value.veld == "datum"
    ontkoppel(store, traject_id)
    with pytest.raises(VerslagFout, match="besluit"):
        store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)  # 8 september: still before the besluit
    store.verslagen.bewaar(vid, dict(antwoorden, datum="2026-09-22"), 0, auteur=AUTEUR)
    store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    assert _steps(store, traject_id)["evaluatie_aios"] == [StepState.DONE]


def test_afronden_seals_and_fixes_the_verslag(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id)
    store.verslagen.afronden(vid, user=AUTEUR, today=TODAY, now=NU)  # records the gesprek on the way
    verslag = store.verslagen.get(vid)
    formulier = store.verslagen.formulier(verslag)
    assert verslag.definitief and verslag.voltooid and not verslag.open and verslag.afgerond_op == NU
    assert len(verslag.zegels["verslag"]) == 64 and klopt(formulier, verslag)
    with pytest.raises(VerslagFout, match="definitief"):
        store.verslagen.bewaar(vid, dict(verslag.antwoorden, afspraken="anders"), 0, auteur=AUTEUR)
    # Not even the store lets a definitief verslag change.
    with pytest.raises(dbapi2.IntegrityError, match="definitief"), store.transactions.transaction() as conn:
        conn.execute("UPDATE verslag SET antwoorden = '{}' WHERE id = ?", (vid,))  # type: ignore[attr-defined]
    assert store.verslagen.get(vid).antwoorden == verslag.antwoorden


def test_only_the_author_edits_a_concept(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id)
    with pytest.raises(VerslagFout, match="alleen de auteur"):
        store.verslagen.bewaar(vid, {}, 0, auteur="Iemand anders")
    assert [v.id for v in store.verslagen.open_concepten(AUTEUR)] == [vid]
    assert store.verslagen.open_concepten("Iemand anders") == []
    store.verslagen.sluit(vid)
    assert store.verslagen.open_concepten(AUTEUR) == []


def test_verstuurd_and_gearchiveerd_complete_the_steps(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id)
    with pytest.raises(VerslagFout, match="Rond het verslag eerst af"):
        store.verslagen.zet_verstuurd(vid, dt.date(2026, 9, 10), user=AUTEUR, today=TODAY)
    store.verslagen.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    with pytest.raises(VerslagFout, match="vóór het gesprek"):
        store.verslagen.zet_verstuurd(vid, dt.date(2026, 9, 1), user=AUTEUR, today=TODAY)
    store.verslagen.zet_verstuurd(vid, dt.date(2026, 9, 10), user=AUTEUR, today=TODAY)
    steps = _steps(store, traject_id)
    assert steps["verslag_driehoeksgesprek"] == [StepState.DONE]
    assert steps["archiveren_verslag_driehoeksgesprek"] == [StepState.OPEN]
    store.verslagen.zet_gearchiveerd(vid, VerslagBestemming.E_PORTFOLIO, dt.date(2026, 9, 12), user=AUTEUR,
                                     today=TODAY)
    assert _steps(store, traject_id)["archiveren_verslag_driehoeksgesprek"] == [StepState.OPEN], "one of two"
    store.verslagen.zet_gearchiveerd(vid, VerslagBestemming.DOSSIER_OPLEIDER, dt.date(2026, 9, 14), user=AUTEUR,
                                     today=TODAY)
    assert _steps(store, traject_id)["archiveren_verslag_driehoeksgesprek"] == [StepState.DONE]
    verslag = store.verslagen.get(vid)
    assert verslag.fase() == "Gearchiveerd" and verslag.gearchiveerd_op[VerslagBestemming.DOSSIER_OPLEIDER] == (
        dt.date(2026, 9, 14))
    # Clearing a date (a slip) opens the step again, through an intrekking: nothing is rewritten.
    store.verslagen.zet_gearchiveerd(vid, VerslagBestemming.DOSSIER_OPLEIDER, None, user=AUTEUR, today=TODAY)
    assert _steps(store, traject_id)["archiveren_verslag_driehoeksgesprek"] == [StepState.OPEN]
    assert EventKind.GEBEURTENIS_INGETROKKEN in [e.kind for e in store.trajecten.get(traject_id).events]


def test_a_new_version_is_linked_and_resets_verstuurd(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id)
    store.verslagen.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    store.verslagen.zet_verstuurd(vid, dt.date(2026, 9, 10), user=AUTEUR, today=TODAY)
    with pytest.raises(VerslagFout, match="reden"):
        store.verslagen.nieuwe_versie(vid, "  ", auteur=AUTEUR)
    nieuw = store.verslagen.nieuwe_versie(vid, "Naam van de opleider verkeerd gespeld", auteur=AUTEUR).created
    assert isinstance(nieuw, int)
    with pytest.raises(VerslagFout, match="nieuwere versie"):
        store.verslagen.nieuwe_versie(vid, "nog een", auteur=AUTEUR)
    v2 = store.verslagen.get(nieuw)
    assert (v2.versie, v2.vorige_id, v2.status, v2.verstuurd_op) == (2, vid, Status.CONCEPT, None)
    store.verslagen.bewaar(nieuw, dict(v2.antwoorden, afspraken="Wekelijks leergesprek (gecorrigeerd)."), 3,
                           auteur=AUTEUR)
    assert _steps(store, traject_id)["verslag_driehoeksgesprek"] == [StepState.DONE]
    store.verslagen.afronden(nieuw, user=AUTEUR, today=TODAY, now=NU + dt.timedelta(days=1))
    assert _steps(store, traject_id)["verslag_driehoeksgesprek"] == [StepState.OPEN], "the new version is to send"
    v1 = store.verslagen.get(vid)
    assert v1.definitief and v1.antwoorden["afspraken"] == "Wekelijks leergesprek.", "the earlier stays readable"
    assert store.verslagen.get(nieuw).zegels != v1.zegels


def test_a_second_definitief_verslag_of_the_same_gesprek_is_refused(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id)
    store.verslagen.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    gebeurtenis = store.verslagen.get(vid).gebeurtenis_id
    tweede = store.verslagen.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR, gebeurtenis_id=gebeurtenis,
                                   today=TODAY).created
    assert isinstance(tweede, int)
    concept = store.verslagen.get(tweede)
    assert concept.voltooid and concept.antwoorden["datum"] == "2026-09-08"
    assert concept.antwoorden["uitkomst"] == "geen_ontkoppeling"
    store.verslagen.bewaar(tweede, dict(store.verslagen.get(vid).antwoorden), 0, auteur=AUTEUR)
    with pytest.raises(VerslagFout, match="al een definitief verslag"):
        store.verslagen.afronden(tweede, user=AUTEUR, today=TODAY, now=NU)


def test_the_evaluatie_opleider_makes_two_verslagen_for_two_places(store: Store, traject_id: int) -> None:
    ontkoppel(store, traject_id)
    svc = store.verslagen
    vid = svc.nieuw(traject_id, "evaluatie_opleider", auteur=AUTEUR, today=dt.date(2026, 10, 6)).created
    assert isinstance(vid, int)
    antwoorden = dict(svc.get(vid).antwoorden, reflectieverslag_ontvangen=True, eigen_rol="Weinig tijd genomen.",
                      leerpunten_opleider="Eerder aan de bel trekken.", aandachtspunten_aios="Hulp vragen.")
    svc.bewaar(vid, antwoorden, 2, auteur=AUTEUR)
    svc.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    verslag = svc.get(vid)
    assert set(verslag.zegels) == {"over_aios", "over_opleider"}
    svc.zet_verstuurd(verslag.id, dt.date(2026, 10, 7), user=AUTEUR, today=TODAY)
    svc.zet_gearchiveerd(vid, VerslagBestemming.E_PORTFOLIO, dt.date(2026, 10, 8), user=AUTEUR, today=TODAY)
    steps = _steps(store, traject_id)
    assert steps["archiveren_verslag_evaluatie_opleider_aios"] == [StepState.DONE]
    assert steps["archiveren_verslag_evaluatie_opleider_opleider"] == [StepState.OPEN]
    svc.zet_gearchiveerd(vid, VerslagBestemming.DOSSIER_OPLEIDER, dt.date(2026, 10, 9), user=AUTEUR, today=TODAY)
    assert _steps(store, traject_id)["archiveren_verslag_evaluatie_opleider_opleider"] == [StepState.DONE]


def test_a_verslag_of_a_gesprek_recorded_earlier_finds_its_uitkomst_or_records_it(store: Store,
                                                                                   traject_id: int) -> None:
    svc, trajecten = store.verslagen, store.trajecten
    trajecten.record(traject_id, EventKind.DRIEHOEKSGESPREK, GESPREK, user=AUTEUR, today=TODAY)
    trajecten.record(traject_id, EventKind.UITKOMST, dt.date(2026, 9, 10), {"uitkomst": "advies_ontkoppeling"},
                     user=AUTEUR, today=TODAY)
    gesprek = trajecten.get(traject_id).events[1]
    vid = svc.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR, gebeurtenis_id=gesprek.id, today=TODAY).created
    assert isinstance(vid, int)
    verslag = svc.get(vid)
    assert verslag.antwoorden["uitkomst"] == "advies_ontkoppeling", "the uitkomst two days later is its uitkomst"
    assert set(svc.vaste_antwoorden(verslag)) == {"datum", "uitkomst"}
    svc.bewaar(vid, dict(verslag.antwoorden, aanleiding="a", perspectief_aios="b", perspectief_opleider="c",
                         afspraken="d", argumentatie="e"), 4, auteur=AUTEUR)
    svc.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    assert svc.get(vid).definitief

    # A second driehoeksgesprek, recorded without an uitkomst: its verslag sets it, and Afronden records it.
    trajecten.record(traject_id, EventKind.DRIEHOEKSGESPREK, dt.date(2026, 9, 20), user=AUTEUR, today=TODAY)
    tweede = trajecten.get(traject_id).events[-1]
    vid2 = svc.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR, gebeurtenis_id=tweede.id, today=TODAY).created
    assert isinstance(vid2, int)
    v2 = svc.get(vid2)
    assert "uitkomst" not in v2.antwoorden and set(svc.vaste_antwoorden(v2)) == {"datum"}
    svc.bewaar(vid2, dict(v2.antwoorden, aanleiding="a", perspectief_aios="b", perspectief_opleider="c",
                          afspraken="d", uitkomst="geen_ontkoppeling", aandachtspunten="Vaste supervisie."), 4,
               auteur=AUTEUR)
    svc.afronden(vid2, user=AUTEUR, today=TODAY, now=NU)
    last = trajecten.get(traject_id).events[-1]
    assert last.kind is EventKind.UITKOMST and last.date == dt.date(2026, 9, 20)
    assert last.data == {"uitkomst": "geen_ontkoppeling", "aandachtspunten": "Vaste supervisie."}


def test_text_sent_to_the_traject_can_still_be_polished(store: Store, traject_id: int) -> None:
    vid = _driehoek(store, traject_id)
    store.verslagen.voltooien(vid, user=AUTEUR, today=TODAY)
    verslag = store.verslagen.get(vid)
    store.verslagen.bewaar(vid, dict(verslag.antwoorden, aandachtspunten="Vaste supervisie om 12 uur, elke dag."),
                           4, auteur=AUTEUR)
    store.verslagen.afronden(vid, user=AUTEUR, today=TODAY, now=NU)
    assert store.verslagen.get(vid).antwoorden["aandachtspunten"] == "Vaste supervisie om 12 uur, elke dag."
