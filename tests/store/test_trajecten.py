"""Trajecten through the store's service: persisted events, their effect on koppelingen, the blokkade."""

from __future__ import annotations

from datetime import date

import pytest

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.personen import Aios, Koppeling, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden, StepState
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.store import Store
from tests.conftest import WACHTWOORD


@pytest.fixture
def koppeling(store: Store) -> Koppeling:
    repo = store.personen
    praktijk = Praktijk("Praktijk Het Plein", "Zeist")
    repo.save_praktijk(praktijk)
    aios = Aios(Naam("Noor", "", "Visser"), 1, date(2026, 3, 1))
    repo.save_aios(aios)
    for achternaam in ("Oud", "Nieuw"):
        repo.save_opleider(Opleider(Naam("Eva", "", achternaam), praktijk.id))
    oud = next(o for o in repo.opleiders() if o.naam.achternaam == "Oud")
    assert aios.id and oud.id
    koppeling = Koppeling(aios.id, oud.id, date(2026, 3, 1))
    repo.save_koppeling(koppeling)
    return koppeling


def _nieuw(store: Store) -> int:
    return next(o.id for o in store.personen.opleiders() if o.naam.achternaam == "Nieuw")  # type: ignore[misc]


def _ontkoppel(store: Store, koppeling: Koppeling) -> int:
    svc = store.trajecten
    assert koppeling.id
    changes = svc.start(koppeling.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, date(2026, 9, 1),
                        user="Docent")
    traject_id = changes.created
    assert isinstance(traject_id, int) and changes.touches("traject", traject_id)
    svc.record(traject_id, EventKind.DRIEHOEKSGESPREK, date(2026, 9, 8), user="Docent")
    svc.record(traject_id, EventKind.UITKOMST, date(2026, 9, 8), {"uitkomst": "advies_ontkoppeling"}, user="Docent")
    return traject_id


def test_a_traject_persists_with_its_events(store: Store, koppeling: Koppeling) -> None:
    traject_id = _ontkoppel(store, koppeling)
    store.close()
    again = Store.open(store.path, WACHTWOORD)
    traject = again.trajecten.get(traject_id)
    assert [e.kind for e in traject.events] == [EventKind.SIGNAAL, EventKind.DRIEHOEKSGESPREK, EventKind.UITKOMST]
    assert traject.procedure_version == "2023-03"
    again.close()


def test_koppeling_cannot_end_before_the_formal_decision(store: Store, koppeling: Koppeling) -> None:
    traject_id = _ontkoppel(store, koppeling)
    with pytest.raises(OntkoppelError, match="besluit|plv"):
        store.trajecten.record(traject_id, EventKind.KOPPELING_BEEINDIGD, date(2026, 9, 20), user="Jaarassistent")
    assert store.personen.koppelingen()[0].einddatum is None, "nothing half-written"
    assert len(store.trajecten.get(traject_id).events) == 3


def test_ontkoppeling_ends_the_old_koppeling_and_blocks_the_opleider(store: Store, koppeling: Koppeling) -> None:
    svc = store.trajecten
    traject_id = _ontkoppel(store, koppeling)
    svc.record(traject_id, EventKind.BESLUIT_ONTKOPPELING, date(2026, 9, 15),
               {"besluit": "ontkoppelen", "door": "Plv. hoofd"}, user="Manager opleiding")
    svc.record(traject_id, EventKind.KOPPELING_BEEINDIGD, date(2026, 9, 16), user="Jaarassistent")
    assert store.personen.koppelingen()[0].einddatum == date(2026, 9, 16)
    # Blokkade: the ontkoppelde opleider gets no new aios, anywhere.
    assert svc.blokkade(koppeling.opleider_id) is not None
    other = Aios(Naam("Bas", "", "Kok"), 1, date(2026, 3, 1))
    store.personen.save_aios(other)
    assert other.id
    with pytest.raises(OntkoppelError, match="geen nieuwe aios"):
        store.personen.save_koppeling(Koppeling(other.id, koppeling.opleider_id, date(2026, 10, 1)))
    # The new koppeling, confirmed after both said yes, appears in Personen.
    nieuw = _nieuw(store)
    svc.record(traject_id, EventKind.KENNISMAKINGSGESPREK, date(2026, 9, 22),
               {"opleider_id": nieuw, "aios_ja": True, "opleider_ja": True}, user="Assistent manager opleiders")
    svc.record(traject_id, EventKind.NIEUWE_KOPPELING_BEVESTIGD, date(2026, 9, 23),
               {"opleider_id": nieuw, "startdatum": "2026-10-05"}, user="Assistent manager opleiders")
    nieuwe = [k for k in store.personen.koppelingen() if k.opleider_id == nieuw]
    assert len(nieuwe) == 1 and nieuwe[0].startdatum == date(2026, 10, 5)
    svc.record(traject_id, EventKind.NIEUWE_KOPPELING_GESTART, date(2026, 10, 6),
               {"in_oude_praktijk_gebleven": False}, user="Jaarassistent")
    assert [k for k in store.personen.koppelingen() if k.opleider_id == nieuw][0].startdatum == date(2026, 10, 6)
    # The manager opleiders' contact lifts the blokkade.
    svc.record(traject_id, EventKind.CONTACT_MANAGER_OPLEIDERS, date(2026, 10, 14), user="Manager opleiders")
    assert svc.blokkade(koppeling.opleider_id) is None
    store.personen.save_koppeling(Koppeling(other.id, koppeling.opleider_id, date(2026, 11, 1)))


def test_new_koppeling_needs_two_yeses(store: Store, koppeling: Koppeling) -> None:
    svc = store.trajecten
    traject_id = _ontkoppel(store, koppeling)
    svc.record(traject_id, EventKind.BESLUIT_ONTKOPPELING, date(2026, 9, 15),
               {"besluit": "ontkoppelen", "door": "Plv. hoofd"}, user="Manager opleiding")
    nieuw = _nieuw(store)
    svc.record(traject_id, EventKind.KENNISMAKINGSGESPREK, date(2026, 9, 22),
               {"opleider_id": nieuw, "aios_ja": True, "opleider_ja": False}, user="AMO")
    with pytest.raises(OntkoppelError):
        svc.record(traject_id, EventKind.NIEUWE_KOPPELING_BEVESTIGD, date(2026, 9, 23),
                   {"opleider_id": nieuw, "startdatum": "2026-10-05"}, user="AMO")
    assert [k.opleider_id for k in store.personen.koppelingen()] == [koppeling.opleider_id]


def test_tasks_per_role_and_a_second_traject_on_the_same_koppeling(store: Store, koppeling: Koppeling) -> None:
    traject_id = _ontkoppel(store, koppeling)
    tasks = store.trajecten.tasks(date(2026, 9, 20))
    assert {t.step_id for t in tasks} >= {"verslag_driehoeksgesprek", "check_up"}
    assert store.trajecten.tasks(date(2026, 9, 20), rol=Rol.JAARASSISTENT) == []
    store.trajecten.record_step(traject_id, "verslag_driehoeksgesprek", date(2026, 9, 10), user="Docent")
    jaarassistent = store.trajecten.tasks(date(2026, 9, 20), rol=Rol.JAARASSISTENT)
    assert [t.step_id for t in jaarassistent] == ["archiveren_verslag_driehoeksgesprek"]
    assert koppeling.id
    with pytest.raises(OntkoppelError, match="loopt al een traject"):
        store.trajecten.start(koppeling.id, Startreden.ZIEKMELDING, Categorie.OVERIG, date(2026, 9, 21), user="x")


def test_a_step_can_be_skipped_only_with_a_motivation(store: Store, koppeling: Koppeling) -> None:
    traject_id = _ontkoppel(store, koppeling)
    with pytest.raises(OntkoppelError):
        store.trajecten.record(traject_id, EventKind.AFWIJKING, date(2026, 9, 9),
                               {"stap": "check_up", "wijze": "overgeslagen", "motivatie": ""}, user="Docent")
    store.trajecten.record(traject_id, EventKind.AFWIJKING, date(2026, 9, 9),
                           {"stap": "check_up", "wijze": "overgeslagen", "motivatie": "Opleider op vakantie"},
                           user="Docent")
    from ontkoppel_desktop.core.procedure import derive

    traject = store.trajecten.get(traject_id)
    overview = derive(store.trajecten.definition(traject), traject, None, date(2026, 9, 20))  # type: ignore[arg-type]
    status = overview.status("check_up")
    assert status.state is StepState.SKIPPED and status.motivatie == "Opleider op vakantie"


def test_locking_drops_the_services_with_their_caches(store: Store, koppeling: Koppeling) -> None:
    _ontkoppel(store, koppeling)
    before = store.trajecten
    assert before.facts(koppeling.aios_id) is not None
    store.lock()
    store.unlock(WACHTWOORD)
    assert store.trajecten is not before and store.trajecten._facts == {}
