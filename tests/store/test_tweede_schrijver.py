"""Rules a second writer could break (issue 12, defect 9): each held by the file itself (schema v9), proved with two
Store objects on one file, the second one writing what its own check could not see (a process that checked a moment
before the first committed, an older version of the app, a write that skipped a service). The file's refusal reaches
the user in the service's own Dutch words, never SQLite's; and what was refused left nothing behind."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ontkoppel_desktop.core.errors import OntkoppelError, ValidatieFout
from ontkoppel_desktop.core.personen import Aios, Koppeling, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.procedure import Categorie, EventKind, RuleError, Startreden, new_event
from ontkoppel_desktop.core.trajecten import AL_EEN_TRAJECT, HEROPENEN
from ontkoppel_desktop.core.verslagen import VerslagFout
from ontkoppel_desktop.store.store import Store
from tests.conftest import WACHTWOORD
from tests.verslagen.conftest import AUTEUR, maak_traject, schrijf_driehoek

TODAY = date(2026, 11, 20)
START = date(2026, 9, 1)


@pytest.fixture
def tweede(store: Store) -> Iterator[Store]:
    """A second Store on the same file: another process, as far as SQLite can tell (its own connection)."""
    other = Store.open(store.path, WACHTWOORD)
    yield other
    other.close()


def _mensen(store: Store) -> tuple[int, int, int, int]:
    """An aios with a running koppeling to an opleider, and a second opleider in the same praktijk: the ids of
    the koppeling, the aios, the opleider and the other opleider."""
    p = store.personen
    p.save_praktijk(praktijk := Praktijk("Praktijk Het Plein", "Zeist"))
    p.save_aios(aios := Aios(Naam("Noor", "", "Visser"), 1, date(2026, 3, 1)))
    p.save_opleider(oud := Opleider(Naam("Eva", "", "Oud"), praktijk.id))
    p.save_opleider(nieuw := Opleider(Naam("Bas", "", "Nieuw"), praktijk.id))
    assert aios.id and oud.id and nieuw.id
    p.save_koppeling(koppeling := Koppeling(aios.id, oud.id, date(2026, 3, 1)))
    assert koppeling.id
    return koppeling.id, aios.id, oud.id, nieuw.id


def _start(store: Store, koppeling_id: int) -> int:
    created = store.trajecten.start(koppeling_id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, START,
                                    user="Docent", today=TODAY).created
    assert isinstance(created, int)
    return created


def _blind(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """This store's own check of open trajecten sees none: as a process that looked before the other committed."""
    monkeypatch.setattr(store.trajecten, "_open_op", lambda *a, **k: [])


def _dump(store: Store) -> dict[str, list[Any]]:
    tables = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                               "AND name NOT LIKE 'verslag_zoek%' ORDER BY name")]
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def _sluit(store: Store, traject_id: int) -> None:
    svc = store.trajecten
    svc.record(traject_id, EventKind.DRIEHOEKSGESPREK, date(2026, 9, 8), user="Docent", today=TODAY)
    svc.record(traject_id, EventKind.UITKOMST, date(2026, 9, 8),
               {"uitkomst": "geen_ontkoppeling", "aandachtspunten": "Vaste supervisie."}, user="Docent", today=TODAY)
    svc.record(traject_id, EventKind.TRAJECT_GESLOTEN, date(2026, 9, 9), {"reden": "Opgelost"}, user="Docent",
               today=TODAY)


# ---- one open traject per koppeling -----------------------------------------------------------------------------


def test_a_second_process_cannot_start_a_second_traject_on_the_koppeling(
        store: Store, tweede: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    koppeling_id, *_ = _mensen(store)
    _start(store, koppeling_id)
    # Its own check, in its transaction, sees the traject the first one committed.
    with pytest.raises(ValidatieFout) as seen:
        _start(tweede, koppeling_id)
    assert str(seen.value) == AL_EEN_TRAJECT
    # And when it could not (it looked a moment too early): the file refuses, in the same words.
    _blind(tweede, monkeypatch)
    before = _dump(store)
    with pytest.raises(ValidatieFout) as refused:
        _start(tweede, koppeling_id)
    assert str(refused.value) == AL_EEN_TRAJECT
    assert _dump(store) == before
    assert store.conn.execute("SELECT count(*) FROM traject").fetchone()[0] == 1


def _race(path: str, koppeling_id: int, barrier: Any, results: Any) -> None:
    store = Store.open(Path(path), WACHTWOORD)
    try:
        service = store.trajecten
        barrier.wait(timeout=60)
        try:
            service.start(koppeling_id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, START, user="D",
                          today=TODAY)
            results.put("gestart")
        except OntkoppelError as exc:
            results.put(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            results.put(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()


def test_two_processes_starting_at_once_start_one_traject(store: Store) -> None:
    koppeling_id, *_ = _mensen(store)
    store.close()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    children = [context.Process(target=_race, args=(str(store.path), koppeling_id, barrier, results))
                for _ in range(2)]
    for child in children:
        child.start()
    outcomes = sorted(results.get(timeout=120) for _ in children)
    for child in children:
        child.join(timeout=60)
    assert outcomes == sorted(["gestart", AL_EEN_TRAJECT])
    again = Store.open(store.path, WACHTWOORD)
    try:
        assert again.conn.execute("SELECT count(*) FROM traject").fetchone()[0] == 1
    finally:
        again.close()


def test_a_closed_traject_does_not_reopen_beside_a_new_one(
        store: Store, tweede: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    koppeling_id, *_ = _mensen(store)
    eerste = _start(store, koppeling_id)
    _sluit(store, eerste)
    _start(store, koppeling_id)  # the koppeling is free again
    gesloten = next(e for e in store.trajecten.get(eerste).events if e.kind is EventKind.TRAJECT_GESLOTEN)
    with pytest.raises(RuleError) as seen:
        store.trajecten.intrekken(eerste, gesloten.id, "Toch niet klaar", user="Docent", today=TODAY)
    assert str(seen.value) == HEROPENEN
    _blind(tweede, monkeypatch)
    before = _dump(store)
    with pytest.raises(RuleError) as refused:
        tweede.trajecten.intrekken(eerste, gesloten.id, "Toch niet klaar", user="Docent", today=TODAY)
    assert str(refused.value) == HEROPENEN
    assert _dump(store) == before


def test_a_reopened_traject_is_open_again_when_the_koppeling_is_free(store: Store) -> None:
    koppeling_id, *_ = _mensen(store)
    eerste = _start(store, koppeling_id)
    _sluit(store, eerste)
    gesloten = next(e for e in store.trajecten.get(eerste).events if e.kind is EventKind.TRAJECT_GESLOTEN)
    assert store.conn.execute("SELECT gesloten FROM traject WHERE id = ?", (eerste,)).fetchone()[0] == 1
    store.trajecten.intrekken(eerste, gesloten.id, "Toch niet klaar", user="Docent", today=TODAY)
    assert store.conn.execute("SELECT gesloten FROM traject WHERE id = ?", (eerste,)).fetchone()[0] == 0
    with pytest.raises(ValidatieFout, match="loopt al een traject"):
        _start(store, koppeling_id)


def test_an_event_id_is_recorded_once_in_the_whole_file(store: Store, tweede: Store) -> None:
    """The rules see a repeated event within its traject; the file sees it across trajecten too."""
    koppeling_id, aios_id, oud_id, nieuw_id = _mensen(store)
    eerste = _start(store, koppeling_id)
    event = new_event(EventKind.DRIEHOEKSGESPREK, date(2026, 9, 8), {}, user="Docent")
    store.trajecten.record_event(eerste, event, today=TODAY)
    other = Aios(Naam("Iris", "", "Kok"), 1, date(2026, 3, 1))
    store.personen.save_aios(other)
    assert other.id
    store.personen.save_koppeling(k := Koppeling(other.id, nieuw_id, date(2026, 3, 1)))
    assert k.id
    tweede_traject = _start(tweede, k.id)
    before = _dump(store)
    with pytest.raises(RuleError, match="al vastgelegd"):
        tweede.trajecten.record_event(tweede_traject, event, today=TODAY)
    assert _dump(store) == before


# ---- the blokkade and one koppeling at a time ---------------------------------------------------------------------


def test_no_koppeling_with_a_blocked_opleider_from_a_second_writer(store: Store, tweede: Store) -> None:
    koppeling_id, aios_id, oud_id, nieuw_id = _mensen(store)
    traject_id = _start(store, koppeling_id)
    svc = store.trajecten
    svc.record(traject_id, EventKind.DRIEHOEKSGESPREK, date(2026, 9, 8), user="Docent", today=TODAY)
    svc.record(traject_id, EventKind.UITKOMST, date(2026, 9, 8), {"uitkomst": "advies_ontkoppeling"},
               user="Docent", today=TODAY)
    svc.record(traject_id, EventKind.BESLUIT_ONTKOPPELING, date(2026, 9, 15),
               {"besluit": "ontkoppelen", "door": "Plv. hoofd"}, user="Manager opleiding", today=TODAY)
    assert svc.blokkade(oud_id) is not None
    other = Aios(Naam("Iris", "", "Kok"), 1, date(2026, 3, 1))
    tweede.personen.save_aios(other)
    assert other.id
    expected = f"Eva Oud krijgt nu geen nieuwe aios. {svc.blokkade(oud_id).reden}"  # type: ignore[union-attr]
    with pytest.raises(RuleError) as by_service:
        tweede.personen.save_koppeling(Koppeling(other.id, oud_id, date(2026, 10, 1)))
    assert str(by_service.value) == expected
    # A writer that skips the service (the repository: rows in, rows out) meets the file's trigger, and the
    # same words.
    before = _dump(store)
    with pytest.raises(RuleError) as by_file:
        tweede.personen.repo.write_koppeling(Koppeling(other.id, oud_id, date(2026, 10, 1)))
    assert str(by_file.value) == expected
    elders = Koppeling(other.id, nieuw_id, date(2026, 10, 1))
    tweede.personen.save_koppeling(elders)
    before = _dump(store)
    elders.opleider_id = oud_id
    with pytest.raises(RuleError, match="krijgt nu geen nieuwe aios"):
        tweede.personen.repo.write_koppeling(elders)
    assert _dump(store) == before


def test_one_koppeling_at_a_time_from_a_second_writer(store: Store, tweede: Store) -> None:
    koppeling_id, aios_id, oud_id, nieuw_id = _mensen(store)
    before = _dump(store)
    with pytest.raises(ValidatieFout) as refused:
        tweede.personen.repo.write_koppeling(Koppeling(aios_id, nieuw_id, date(2026, 6, 1)))
    assert str(refused.value) == "Koppeling: deze aios heeft in die periode al een koppeling."
    assert _dump(store) == before
    # An ended koppeling leaves room after its end; an archived one none is needed for.
    store.personen.save_koppeling(Koppeling(aios_id, oud_id, date(2026, 3, 1), date(2026, 5, 31), id=koppeling_id))
    tweede.personen.repo.write_koppeling(Koppeling(aios_id, nieuw_id, date(2026, 6, 1)))
    moved = Koppeling(aios_id, oud_id, date(2026, 3, 1), date(2026, 6, 30), id=koppeling_id)
    with pytest.raises(ValidatieFout, match="al een koppeling"):
        tweede.personen.repo.write_koppeling(moved)


def test_a_reference_to_a_removed_row_is_said_in_dutch(store: Store, tweede: Store) -> None:
    """The repository's own answer to a foreign key the file refuses: which reference, in the user's words."""
    _mensen(store)
    store.personen.save_aios(zonder := Aios(Naam("Iris", "", "Kok"), 1, date(2026, 3, 1)))
    assert zonder.id
    before = _dump(store)
    with pytest.raises(ValidatieFout) as refused:
        tweede.personen.repo.write_koppeling(Koppeling(zonder.id, 999, date(2027, 3, 1)))
    assert str(refused.value) == "Koppeling: de opleider (nummer 999) bestaat niet (meer); kies een andere."
    with pytest.raises(ValidatieFout) as refused:
        tweede.personen.repo.write_opleider(Opleider(Naam("Jan", "", "Vos"), 77))
    assert str(refused.value) == "Opleider Jan Vos: de praktijk (nummer 77) bestaat niet (meer); kies een andere."
    assert _dump(store) == before


# ---- verslagen: one next version, one definitief per version ----------------------------------------------------


def test_one_next_version_of_a_verslag(store: Store, tweede: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    traject_id = maak_traject(store)
    vid = schrijf_driehoek(store, traject_id, date(2026, 9, 8), afronden=True)
    store.verslagen.nieuwe_versie(vid, "Spelfout", auteur=AUTEUR)
    with pytest.raises(VerslagFout, match="al een nieuwere versie"):
        tweede.verslagen.nieuwe_versie(vid, "Andere spelfout", auteur=AUTEUR)
    monkeypatch.setattr(tweede.verslagen.repo, "for_gebeurtenis", lambda gebeurtenis_id: [])
    before = _dump(store)
    with pytest.raises(VerslagFout) as refused:
        tweede.verslagen.nieuwe_versie(vid, "Andere spelfout", auteur=AUTEUR)
    assert str(refused.value) == "Er is al een nieuwere versie van dit verslag; maak de nieuwe versie daarvan."
    assert _dump(store) == before


def test_one_definitief_verslag_per_gesprek(store: Store, tweede: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    traject_id = maak_traject(store)
    eerste = schrijf_driehoek(store, traject_id, date(2026, 9, 8))
    store.verslagen.voltooien(eerste, user=AUTEUR, today=TODAY)
    gebeurtenis = store.verslagen.get(eerste).gebeurtenis_id
    # A second concept of the same recorded gesprek, by the same author (a second window).
    tweede_id = tweede.verslagen.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR, gebeurtenis_id=gebeurtenis,
                                       today=TODAY).created
    assert isinstance(tweede_id, int)
    antwoorden = {**store.verslagen.get(eerste).antwoorden, **tweede.verslagen.get(tweede_id).antwoorden,
                  "afspraken": "Iets anders."}
    tweede.verslagen.bewaar(tweede_id, antwoorden, 4, auteur=AUTEUR)
    store.verslagen.afronden(eerste, user=AUTEUR, today=TODAY)
    with pytest.raises(VerslagFout, match="al een definitief verslag"):
        tweede.verslagen.afronden(tweede_id, user=AUTEUR, today=TODAY)
    real = tweede.verslagen.repo.for_gebeurtenis
    monkeypatch.setattr(tweede.verslagen.repo, "for_gebeurtenis",
                        lambda g: [v for v in real(g) if v.id == tweede_id])
    before = _dump(store)
    with pytest.raises(VerslagFout) as refused:
        tweede.verslagen.afronden(tweede_id, user=AUTEUR, today=TODAY)
    assert str(refused.value) == ("Van dit gesprek is al een definitief verslag (versie 1, van Docent Vos). Maak "
                                  "daarvan een nieuwe versie als het verslag gecorrigeerd moet worden.")
    assert _dump(store) == before


# ---- what one process caches, another changes ----------------------------------------------------------------


def test_an_aios_changed_by_another_process_reaches_this_one(store: Store, tweede: Store) -> None:
    """The TrajectService caches an aios's facts; a change committed by another process drops them."""
    koppeling_id, aios_id, _, _ = _mensen(store)
    _start(store, koppeling_id)
    assert tweede.trajecten.verwachte_einddatum(aios_id, TODAY) == date(2029, 3, 1)
    aios = store.personen.get_aios(aios_id)
    aios.deeltijdpercentage = 50
    store.personen.save_aios(aios)
    assert tweede.trajecten.verwachte_einddatum(aios_id, TODAY) == date(2032, 3, 1), "36 months at 50 % take 72"


def test_an_agenda_date_added_by_another_process_reaches_this_one(store: Store, tweede: Store) -> None:
    assert tweede.trajecten.agenda() == {}
    store.trajecten.add_agenda(date(2026, 12, 10), "Opleidersterugkomdag", today=TODAY)
    assert tweede.trajecten.agenda() == {"opleidersterugkomdagen": [date(2026, 12, 10)]}
