"""Contract tests for the repositories behind the PersonenService and the TrajectService, run through their
Protocols only: a second backend (an institute server on PostgreSQL) adds itself to BACKENDS and must pass the
same tests. (The ronde repository has its own in test_rondes.py.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import Aios, Docent, Groep, Koppeling, Medewerker, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.personen_service import PersonenRepository
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden, Traject, new_event
from ontkoppel_desktop.core.procedure.readmodel import OpenStap, TrajectOverzicht
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.trajecten import TrajectRepository
from ontkoppel_desktop.core.transactions import Transactions
from ontkoppel_desktop.store.personen import SqlPersonenRepository
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.store.trajecten import SqlTrajectRepository
from tests.conftest import FAST_KDF, WACHTWOORD

TODAY = dt.date(2026, 11, 20)


@dataclass
class Backend:
    personen: PersonenRepository
    trajecten: TrajectRepository
    transactions: Transactions
    reopen: Callable[[], Backend]


def _sqlcipher(tmp_path: Path) -> Iterator[Backend]:
    stores = [Store.create(tmp_path / "contract.okdb", WACHTWOORD, FAST_KDF).store]

    def backend() -> Backend:
        store = stores[-1]
        return Backend(SqlPersonenRepository(store.conn), SqlTrajectRepository(store.conn), store.transactions,
                       reopen)

    def reopen() -> Backend:
        stores[-1].close()
        stores.append(Store.open(tmp_path / "contract.okdb", WACHTWOORD))
        return backend()

    yield backend()
    stores[-1].close()


BACKENDS = {"sqlcipher": _sqlcipher}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    yield from BACKENDS[request.param](tmp_path)


def _people(repo: PersonenRepository) -> tuple[Aios, Opleider, Koppeling]:
    praktijk = Praktijk("Praktijk Het Plein", "Zeist")
    praktijk.id = repo.write_praktijk(praktijk)
    ha, gw = Docent(Naam("Tim", "", "Bakker")), Docent(Naam("Iris", "", "Smit"))
    ha.id, gw.id = repo.write_docent(ha), repo.write_docent(gw)
    groep = Groep("Groep 1A", 1, ha.id, gw.id)
    groep.id = repo.write_groep(groep)
    aios = Aios(Naam("Noor", "van", "Dijk"), 1, dt.date(2026, 3, 1), 80, groep.id, "noor@example.org")
    aios.id = repo.write_aios(aios)
    opleider = Opleider(Naam("Eva", "", "Oud"), praktijk.id, 2, True, True, 50, False, "eva@example.org")
    opleider.id = repo.write_opleider(opleider)
    medewerker = Medewerker(Naam("Sanne", "", "Kok"), Rol.JAARASSISTENT, 1)
    medewerker.id = repo.write_medewerker(medewerker)
    koppeling = Koppeling(aios.id, opleider.id, dt.date(2026, 3, 1))
    koppeling.id = repo.write_koppeling(koppeling)
    return aios, opleider, koppeling


def test_personen_round_trip_every_kind_and_survive_reopening(backend: Backend) -> None:
    aios, opleider, koppeling = _people(backend.personen)
    again = backend.reopen().personen
    assert again.aios() == [aios] and again.opleiders() == [opleider] and again.koppelingen() == [koppeling]
    assert [m.rol for m in again.medewerkers()] == [Rol.JAARASSISTENT]
    assert [g.naam for g in again.groepen()] == ["Groep 1A"] and len(again.docenten()) == 2
    assert again.counts()["aios"] == 1


def test_personen_read_by_ids_and_by_aios(backend: Backend) -> None:
    repo = backend.personen
    aios, opleider, koppeling = _people(repo)
    other = Aios(Naam("Bas", "", "Kok"), 3, dt.date(2024, 9, 1))
    other.id = repo.write_aios(other)
    assert aios.id and other.id
    assert [a.id for a in repo.aios(ids=[other.id])] == [other.id]
    assert repo.aios(ids=[]) == []
    assert repo.koppelingen(aios_id=other.id) == [] and repo.koppelingen(aios_id=aios.id) == [koppeling]
    assert repo.koppelingen(ids=[koppeling.id or 0]) == [koppeling]


def test_personen_update_keeps_the_id_and_a_vanished_row_is_said_in_dutch(backend: Backend) -> None:
    repo = backend.personen
    aios, _, _ = _people(repo)
    aios.deeltijdpercentage = 60
    assert repo.write_aios(aios) == aios.id
    assert repo.aios(ids=[aios.id or 0])[0].deeltijdpercentage == 60
    ghost = Aios(Naam("Niet", "", "Er"), 1, dt.date(2026, 3, 1), id=9999)
    with pytest.raises(ValidatieFout, match="bestaat niet meer"):
        repo.write_aios(ghost)


def test_personen_archive_hides_unless_asked(backend: Backend) -> None:
    repo = backend.personen
    aios, opleider, koppeling = _people(repo)
    repo.set_gearchiveerd("koppeling", [koppeling.id or 0], True)
    assert repo.koppelingen() == [] and [k.gearchiveerd for k in repo.koppelingen(archief=True)] == [True]
    repo.set_gearchiveerd("koppeling", [koppeling.id or 0], False)
    assert repo.koppelingen() == [koppeling]


def test_a_transaction_writes_everything_or_nothing(backend: Backend) -> None:
    repo = backend.personen
    with pytest.raises(RuntimeError), backend.transactions.transaction():
        repo.write_praktijk(Praktijk("Halverwege"))
        raise RuntimeError("stopped halfway")
    assert repo.praktijken() == []
    with backend.transactions.transaction(), backend.transactions.transaction():  # nested: joins the outer one
        repo.write_praktijk(Praktijk("Heel"))
    assert [p.naam for p in backend.reopen().personen.praktijken()] == ["Heel"]


def _traject(backend: Backend) -> tuple[int, Traject]:
    aios, opleider, koppeling = _people(backend.personen)
    assert aios.id and opleider.id and koppeling.id
    signaal = new_event(EventKind.SIGNAAL, dt.date(2026, 9, 1), {"bron": "aios"}, user="T")
    traject = Traject(None, koppeling.id, aios.id, opleider.id, "utrecht-ontkoppeling", "2023-03",
                      Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, (signaal,))
    traject_id = backend.trajecten.insert(traject)
    backend.trajecten.append_event(traject_id, signaal)
    return traject_id, traject


def test_trajecten_keep_their_events_in_recording_order(backend: Backend) -> None:
    repo = backend.trajecten
    traject_id, traject = _traject(backend)
    gesprek = new_event(EventKind.DRIEHOEKSGESPREK, dt.date(2026, 9, 8), {}, user="T")
    repo.append_event(traject_id, gesprek)
    again = backend.reopen().trajecten
    loaded = again.load(traject_id)
    assert loaded is not None and [e.id for e in loaded.events] == [traject.events[0].id, gesprek.id]
    assert loaded.events[1] == gesprek
    assert again.load(traject_id + 1) is None
    assert [t.id for t in again.load_all([traject_id])] == [traject_id] and again.load_all([]) == []
    assert again.ids_for_aios(traject.aios_id) == [traject_id]


def test_trajecten_agenda(backend: Backend) -> None:
    repo = backend.trajecten
    first = repo.add_agenda("opleidersterugkomdagen", dt.date(2026, 12, 10), "Najaar")
    repo.add_agenda("opleidersterugkomdagen", dt.date(2026, 12, 3), "")
    assert repo.agenda() == {"opleidersterugkomdagen": [dt.date(2026, 12, 3), dt.date(2026, 12, 10)]}
    repo.remove_agenda(first)
    assert [r[1] for r in repo.agenda_rows("opleidersterugkomdagen")] == [dt.date(2026, 12, 3)]


def test_trajecten_derived_rows_are_replaced_and_read_as_of_today(backend: Backend) -> None:
    repo = backend.trajecten
    traject_id, traject = _traject(backend)
    overzicht = TrajectOverzicht(traject_id, 2, False, dt.date(2026, 9, 1), dt.date(2026, 9, 15), "Contact", True)
    stappen = [
        OpenStap(traject_id, "check_up", 0, 5, dt.date(2026, 9, 8), dt.date(2026, 9, 13), dt.date(2026, 9, 18), "e1"),
        OpenStap(traject_id, "wachttijd_besluit", 0, 9, dt.date(2026, 12, 20), None, None, None),
        OpenStap(traject_id, "evaluatie_aios", 0, 7, dt.date(2026, 9, 15), None, dt.date(2026, 11, 30), None),
    ]
    repo.write_derived(overzicht, stappen)
    assert repo.derived(traject_id) == (overzicht, sorted(stappen, key=lambda s: s.volgorde))
    rows = repo.rows(TODAY)
    assert len(rows) == 1
    row = rows[0]
    assert (row.volgende_termijn, row.volgende_stap, row.te_laat) == (dt.date(2026, 9, 18), "check_up", 1)
    assert row.aios_naam.volledig == "Noor van Dijk" and row.praktijk == "Praktijk Het Plein (Zeist)"
    # A step due later (the wachttijd decision from day 15) is not there before its day.
    assert {r.stap.stap for r in repo.open_steps(TODAY)} == {"check_up", "evaluatie_aios"}
    assert "wachttijd_besluit" in {r.stap.stap for r in repo.open_steps(dt.date(2026, 12, 20))}
    assert [r.stap.stap for r in repo.open_steps(TODAY)][0] == "check_up", "past their term first, by term"
    assert repo.blokkades() == [(traject.opleider_id, traject_id, dt.date(2026, 9, 15), "Contact")]
    assert repo.waiting_for_opleider() == [traject_id]
    assert repo.open_ids() == [traject_id]
    repo.write_derived(TrajectOverzicht(traject_id, None, True, dt.date(2026, 9, 1), None, "", False), [])
    assert repo.open_steps(TODAY) == [] and repo.blokkades() == [] and repo.open_ids() == []
    repo.set_derived_fingerprint("abc")
    assert backend.reopen().trajecten.derived_fingerprint() == "abc"


def test_trajecten_clear_derived(backend: Backend) -> None:
    repo = backend.trajecten
    traject_id, _ = _traject(backend)
    repo.write_derived(TrajectOverzicht(traject_id, 1, False, dt.date(2026, 9, 1), None, "", False), [
        OpenStap(traject_id, "driehoeksgesprek", 0, 3, dt.date(2026, 9, 1), None, None, None)])
    repo.clear_derived()
    assert repo.derived(traject_id) == (None, []) and repo.rows(TODAY) == []
