"""The one door per write: the services check every rule, return what they changed, and keep what they derive in
step with what they write (issue 7: defects 1 and 3, the gateway)."""

from __future__ import annotations

import inspect
from datetime import date, timedelta
from pathlib import Path

import pytest

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.errors import OntkoppelError, ValidatieFout
from ontkoppel_desktop.core.personen import Aios, Koppeling, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.personen_service import PersonenService
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden
from ontkoppel_desktop.demo import opslag as demo
from ontkoppel_desktop.demo.opslag import DemoOmvang
from ontkoppel_desktop.store.personen import SqlPersonenRepository
from ontkoppel_desktop.store.store import Store

TODAY = date(2026, 11, 20)


@pytest.fixture
def opleiders(store: Store) -> tuple[Aios, Opleider, Opleider, Koppeling]:
    repo = store.personen
    praktijk = Praktijk("Praktijk Het Plein", "Zeist")
    repo.save_praktijk(praktijk)
    # First year, started 1 March 2026: an ontkoppeling in September falls in month 7 (5.2.3: a besluit over
    # the voortgangsbeoordeling is needed, and verlenging is the rule).
    aios = Aios(Naam("Noor", "", "Visser"), 1, date(2026, 3, 1), 100)
    repo.save_aios(aios)
    oud, nieuw = Opleider(Naam("Eva", "", "Oud"), praktijk.id), Opleider(Naam("Bas", "", "Nieuw"), praktijk.id)
    repo.save_opleider(oud)
    repo.save_opleider(nieuw)
    assert aios.id and oud.id
    koppeling = Koppeling(aios.id, oud.id, date(2026, 3, 1))
    repo.save_koppeling(koppeling)
    return aios, oud, nieuw, koppeling


def _ontkoppeld(store: Store, koppeling: Koppeling) -> int:
    svc = store.trajecten
    assert koppeling.id
    traject_id = svc.start(koppeling.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, date(2026, 9, 1),
                           user="Docent", today=TODAY).created
    assert isinstance(traject_id, int)
    svc.record(traject_id, EventKind.DRIEHOEKSGESPREK, date(2026, 9, 8), user="Docent", today=TODAY)
    svc.record(traject_id, EventKind.UITKOMST, date(2026, 9, 8), {"uitkomst": "advies_ontkoppeling"},
               user="Docent", today=TODAY)
    svc.record(traject_id, EventKind.BESLUIT_ONTKOPPELING, date(2026, 9, 15),
               {"besluit": "ontkoppelen", "door": "Plv. hoofd"}, user="Manager opleiding", today=TODAY)
    return traject_id


def test_a_changed_deeltijd_reaches_the_traject_at_once(store: Store, opleiders: tuple) -> None:
    """Defect 1: the facts were cached and never dropped, so the traject computed with the old percentage."""
    aios, _, _, koppeling = opleiders
    traject_id = _ontkoppeld(store, koppeling)
    svc = store.trajecten
    fulltime = svc.verwachte_einddatum(aios.id, TODAY)
    assert fulltime == date(2029, 3, 1)
    aios.deeltijdpercentage = 50
    changes = store.personen.save_aios(aios)
    assert svc.verwachte_einddatum(aios.id, TODAY) == date(2032, 3, 1), "36 months at 50 % take 72"
    assert changes.touches(c.AIOS, aios.id) and changes.touches(c.TRAJECT, traject_id)


def test_a_changed_startdatum_moves_the_voortgang_task_in_the_stored_list(store: Store, opleiders: tuple) -> None:
    """The same defect in the derived rows: Taken reads them, so an aios change must rewrite them."""
    aios, _, _, koppeling = opleiders
    traject_id = _ontkoppeld(store, koppeling)
    svc = store.trajecten
    assert "voortgang_besluit" in {t.step_id for t in svc.tasks(TODAY) if t.traject_id == traject_id}
    # A start in 2025 puts the ontkoppeling in month 19: no longer the first year's months 4 to 8.
    aios.startdatum_opleiding = date(2025, 3, 1)
    store.personen.save_aios(aios)
    assert "voortgang_besluit" not in {t.step_id for t in svc.tasks(TODAY) if t.traject_id == traject_id}
    overview = svc.overview(svc.get(traject_id), TODAY)
    assert "voortgang_besluit" not in {s.step.id for s in overview.open_statuses()}


def test_every_koppeling_write_goes_through_the_one_door(store: Store, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 3: the repository wrote koppelingen without the blokkade rule and was called directly (demo.py).
    Now its write is only ever reached from PersonenService.save_koppeling (also for the trajecten' effects)."""
    callers: set[str] = set()
    original = SqlPersonenRepository.write_koppeling

    def spy(self: SqlPersonenRepository, k: Koppeling) -> int:
        callers.add(inspect.stack()[1].function)
        return original(self, k)

    monkeypatch.setattr(SqlPersonenRepository, "write_koppeling", spy)
    demo.fill(store, TODAY, DemoOmvang(praktijken=6, opleiders=30, groepen_per_jaar=1, aios_per_groep=10))
    assert callers == {"save_koppeling"}
    assert not hasattr(SqlPersonenRepository, "save_koppeling"), "the old second door is gone"
    assert "save_koppeling" in PersonenService.__dict__


def test_the_blokkade_holds_at_every_door(store: Store, opleiders: tuple) -> None:
    aios, oud, nieuw, koppeling = opleiders
    traject_id = _ontkoppeld(store, koppeling)
    svc = store.trajecten
    svc.record(traject_id, EventKind.KOPPELING_BEEINDIGD, date(2026, 9, 16), user="Jaarassistent", today=TODAY)
    other = Aios(Naam("Iris", "", "Kok"), 1, date(2026, 3, 1))
    store.personen.save_aios(other)
    assert other.id and oud.id and nieuw.id
    # A new koppeling, moving an existing one to the blocked opleider, or restoring an archived one: refused.
    with pytest.raises(OntkoppelError, match="geen nieuwe aios"):
        store.personen.save_koppeling(Koppeling(other.id, oud.id, date(2026, 10, 1)))
    elsewhere = Koppeling(other.id, nieuw.id, date(2026, 10, 1))
    store.personen.save_koppeling(elsewhere)
    assert elsewhere.id
    elsewhere.opleider_id = oud.id
    with pytest.raises(OntkoppelError, match="geen nieuwe aios"):
        store.personen.save_koppeling(elsewhere)
    elsewhere.opleider_id = nieuw.id
    store.personen.set_gearchiveerd(c.KOPPELING, [elsewhere.id], True)
    with store.transactions.transaction():
        store.conn.execute("UPDATE koppeling SET opleider_id = ? WHERE id = ?", (oud.id, elsewhere.id))
    with pytest.raises(OntkoppelError, match="geen nieuwe aios"):
        store.personen.set_gearchiveerd(c.KOPPELING, [elsewhere.id], False)
    assert [k.id for k in store.personen.koppelingen(archief=True) if k.gearchiveerd] == [elsewhere.id]


def test_writes_say_what_they_changed(store: Store, opleiders: tuple) -> None:
    aios, oud, nieuw, koppeling = opleiders
    traject_id = _ontkoppeld(store, koppeling)
    svc = store.trajecten
    einde = svc.record(traject_id, EventKind.KOPPELING_BEEINDIGD, date(2026, 9, 16), user="J", today=TODAY)
    assert einde.touches(c.TRAJECT, traject_id) and einde.touches(c.KOPPELING, koppeling.id)
    assert not einde.touches(c.TRAJECT, traject_id + 1) and not einde.touches(c.AIOS)
    assert einde.touches(c.BLOKKADE, oud.id) is False, "the blokkade began with the besluit, not now"
    svc.record(traject_id, EventKind.KENNISMAKINGSGESPREK, date(2026, 9, 22),
               {"opleider_id": nieuw.id, "aios_ja": True, "opleider_ja": True}, user="A", today=TODAY)
    bevestigd = svc.record(traject_id, EventKind.NIEUWE_KOPPELING_BEVESTIGD, date(2026, 9, 23),
                           {"opleider_id": nieuw.id, "startdatum": "2026-10-05"}, user="A", today=TODAY)
    nieuwe = [k for k in store.personen.koppelingen() if k.opleider_id == nieuw.id]
    assert bevestigd.touches(c.KOPPELING, nieuwe[0].id)
    contact = svc.record(traject_id, EventKind.CONTACT_MANAGER_OPLEIDERS, date(2026, 10, 14), user="M", today=TODAY)
    assert contact.touches(c.BLOKKADE, oud.id), "the contact lifts the blokkade: Personen and the board must know"
    added = svc.add_agenda(date(2026, 12, 10), "Opleidersterugkomdag", today=TODAY)
    assert added.touches(c.AGENDA, added.created) and added.touches(c.TRAJECT, traject_id)


def test_a_refused_event_leaves_nothing_behind(store: Store, opleiders: tuple) -> None:
    _, _, nieuw, koppeling = opleiders
    traject_id = _ontkoppeld(store, koppeling)
    svc = store.trajecten
    before_events = len(svc.get(traject_id).events)
    before_rows = store.trajecten.repo.derived(traject_id)
    with pytest.raises(OntkoppelError):
        # Both must say yes before the new koppeling is confirmed.
        svc.record(traject_id, EventKind.NIEUWE_KOPPELING_BEVESTIGD, date(2026, 9, 23),
                   {"opleider_id": nieuw.id, "startdatum": "2026-10-05"}, user="A", today=TODAY)
    assert len(svc.get(traject_id).events) == before_events
    assert store.trajecten.repo.derived(traject_id) == before_rows
    assert [k.opleider_id for k in store.personen.koppelingen()] == [koppeling.opleider_id]


def test_implausible_dates_of_people_are_refused_with_what_to_change(store: Store) -> None:
    with pytest.raises(ValidatieFout, match="te ver in de toekomst.*jaartal"):
        store.personen.save_aios(Aios(Naam("Jan", "", "Dijk"), 1, date(9999, 3, 1)), today=TODAY)
    with pytest.raises(ValidatieFout, match="te ver in het verleden"):
        store.personen.save_aios(Aios(Naam("Jan", "", "Dijk"), 1, date(1926, 3, 1)), today=TODAY)
    aios = Aios(Naam("Jan", "", "Dijk"), 1, date(2026, 3, 1))
    store.personen.save_aios(aios, today=TODAY)
    praktijk = Praktijk("De Linde")
    store.personen.save_praktijk(praktijk)
    opleider = Opleider(Naam("Eva", "", "Oud"), praktijk.id)
    store.personen.save_opleider(opleider)
    assert aios.id and opleider.id
    with pytest.raises(ValidatieFout, match="startdatum .*toekomst"):
        store.personen.save_koppeling(Koppeling(aios.id, opleider.id, date(2206, 3, 1)), today=TODAY)
    assert store.personen.koppelingen() == []


def test_implausible_agenda_and_traject_dates_are_refused(store: Store, opleiders: tuple) -> None:
    _, _, _, koppeling = opleiders
    with pytest.raises(ValidatieFout, match="te ver in de toekomst"):
        store.trajecten.add_agenda(date(2099, 12, 10), "Opleidersterugkomdag", today=TODAY)
    assert store.trajecten.agenda_rows() == []
    with pytest.raises(OntkoppelError, match="toekomst"):
        store.trajecten.start(koppeling.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE,
                              TODAY + timedelta(days=3), user="Docent", today=TODAY)
    with pytest.raises(OntkoppelError, match="vóór de start van de koppeling"):
        store.trajecten.start(koppeling.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE,
                              date(2026, 2, 1), user="Docent", today=TODAY)
    assert store.trajecten.all() == []
