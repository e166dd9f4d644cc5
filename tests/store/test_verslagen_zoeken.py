"""Search and the Verslagen list on a real store: the FTS5 index follows every insert and concept save (a new
version too), lives only inside the encrypted file, survives a backup; the list reads no verslag's text and says
which term each verslag serves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.verslagen.overzicht import Fase, VerslagRegel
from ontkoppel_desktop.store.store import Store
from tests.conftest import WACHTWOORD
from tests.verslagen.conftest import AUTEUR, TODAY, maak_traject, schrijf_driehoek

GESPREK = dt.date(2026, 9, 8)


@pytest.fixture
def traject_id(store: Store) -> int:
    return maak_traject(store)


def _ids(store: Store, tekst: str, **kwargs: object) -> list[int]:
    return [t.verslag_id for t in store.verslagen.zoek(tekst, **kwargs)]  # type: ignore[arg-type]


def _schrijf(store: Store, verslag_id: int, **antwoorden: str) -> None:
    store.verslagen.bewaar(verslag_id, dict(store.verslagen.get(verslag_id).antwoorden, **antwoorden), 1,
                           auteur=AUTEUR)


def _regel(store: Store, verslag_id: int, today: dt.date = TODAY) -> VerslagRegel:
    return next(r for r in store.verslagen.overzicht(today) if r.id == verslag_id)


# ---- the index ----------------------------------------------------------------------------------------------


def test_the_index_follows_every_concept_save(store: Store, traject_id: int) -> None:
    vid = store.verslagen.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR, today=GESPREK).created
    assert isinstance(vid, int)
    # Inserted with what the app filled in: the people present.
    assert _ids(store, "noor viss") == [vid]
    _schrijf(store, vid, aanleiding="Zorgen over de samenwerking met Elif Yılmaz.")
    assert _ids(store, "samenwerk") == [vid]
    assert _ids(store, "yilmaz SAMENWERKING") == [vid]
    assert _ids(store, "samenwerk ontbreekt") == []  # every word is needed
    _schrijf(store, vid, aanleiding="Het gaat nu over de werkdruk.")
    assert _ids(store, "samenwerk") == []  # the old words left the index with the save
    assert _ids(store, "werkdruk") == [vid]


def test_only_text_answers_and_the_gesprek_are_indexed(store: Store, traject_id: int) -> None:
    vid = schrijf_driehoek(store, traject_id, GESPREK)
    assert store.verslagen.get(vid).antwoorden["uitkomst"] == "geen_ontkoppeling"
    assert _ids(store, "ontkoppeling") == []  # a choice's value is no text the docent wrote
    assert _ids(store, "2026") == []  # nor is the date
    assert _ids(store, "driehoeksgesprek") == [vid]  # the gesprek, by its title
    [hit] = store.verslagen.zoek("driehoek")
    assert hit.titel == "Driehoeksgesprek" and hit.fragment is None


def test_a_hit_shows_the_original_text_around_the_first_word(store: Store, traject_id: int) -> None:
    vid = schrijf_driehoek(store, traject_id, GESPREK, perspectief_aios="Volgens Çağlar is de ĳver er wel.")
    [hit] = store.verslagen.zoek("caglar")
    assert (hit.verslag_id, hit.traject_id, hit.gesprek, hit.versie, hit.status) == (
        vid, traject_id, "driehoeksgesprek", 1, "Concept")
    assert hit.fragment is not None
    assert hit.fragment.veld == "Perspectief van de aios"
    assert hit.fragment.tekst == "Volgens Çağlar is de ĳver er wel."
    assert [hit.fragment.tekst[a:b] for a, b in hit.fragment.treffers] == ["Çağlar"]


def test_a_new_version_is_indexed_and_the_definitief_one_keeps_its_words(store: Store, traject_id: int) -> None:
    v1 = schrijf_driehoek(store, traject_id, GESPREK, afronden=True, afspraken="Wekelijks een leergesprek.")
    v2 = store.verslagen.nieuwe_versie(v1, "Afspraak verkeerd genoteerd", auteur=AUTEUR).created
    assert isinstance(v2, int)
    assert sorted(_ids(store, "leergesprek")) == [v1, v2]  # the new version starts with the same answers
    _schrijf(store, v2, afspraken="Tweewekelijks een intervisiemoment.")
    assert _ids(store, "leergesprek") == [v1]
    assert _ids(store, "intervisie") == [v2]
    assert _ids(store, "leergesprek", binnen=frozenset({v2})) == []
    assert _ids(store, "intervisie", binnen=frozenset({v1, v2})) == [v2]


@pytest.mark.parametrize("typed", ['"', "*", "-", "OR", "NEAR(", 'a" OR "b', "NOT", "AND", "titel:x", "^", "(",
                                   ")", "x*y", "'", "\\", "\x00", "NEAR(a b, 2)", "{titel tekst}: x", "a + b",
                                   "👍", "الإشراف", "a" * 500])
def test_any_input_is_safe(store: Store, traject_id: int, typed: str) -> None:
    schrijf_driehoek(store, traject_id, GESPREK)
    store.verslagen.zoek(typed)  # never raises


def test_the_best_hits_first_and_no_more_than_asked(store: Store, traject_id: int) -> None:
    ids = [schrijf_driehoek(store, traject_id, GESPREK, aanleiding="Over de werkdruk. " + "vulling " * i)
           for i in range(5)]
    assert len(_ids(store, "werkdruk", limiet=3)) == 3
    # bm25: the shortest text with the word ranks first.
    assert _ids(store, "werkdruk")[0] == ids[0]
    assert _ids(store, "werkdruk", limiet=0) == []


def test_the_index_is_not_readable_on_disk(store: Store, traject_id: int) -> None:
    marker = "Zqxvlormarker"
    vid = schrijf_driehoek(store, traject_id, GESPREK, aanleiding=f"{marker} in de aanleiding")
    assert _ids(store, marker) == [vid]
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"verslag_zoek", "verslag_zoek_data", "verslag_zoek_idx"} <= tables
    path = store.path
    # While open (the write-ahead log holds the latest pages) and after closing.
    for suffix in ("", "-wal"):
        file = path.with_name(path.name + suffix)
        if file.exists():
            data = file.read_bytes()
            assert marker.lower().encode() not in data and marker.encode() not in data
    store.close()
    data = path.read_bytes()
    assert marker.lower().encode() not in data and marker.encode() not in data


def test_a_backup_keeps_the_index(store: Store, traject_id: int, tmp_path: Path) -> None:
    vid = schrijf_driehoek(store, traject_id, GESPREK, aanleiding="Een kwestie van vertrouwen.")
    target = store.backup(tmp_path / "kopie.okdb")
    kopie = Store.open(target, WACHTWOORD)
    try:
        assert [t.verslag_id for t in kopie.verslagen.zoek("vertrouw")] == [vid]
        new = schrijf_driehoek(kopie, traject_id, GESPREK, aanleiding="Nog meer vertrouwen.")
        assert sorted(t.verslag_id for t in kopie.verslagen.zoek("vertrouw")) == sorted([vid, new])
        assert kopie.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        kopie.close()


# ---- the list -----------------------------------------------------------------------------------------------


def test_the_list_reads_no_answers(store: Store, traject_id: int) -> None:
    schrijf_driehoek(store, traject_id, GESPREK)
    plan = " ".join(str(r[-1]) for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT v.id, v.datum, v.status, v.gearchiveerd_op FROM verslag v "
        "INDEXED BY verslag_lijst"))
    assert "COVERING INDEX verslag_lijst" in plan


def test_each_verslag_serves_the_step_it_waits_for(store: Store, traject_id: int) -> None:
    svc = store.verslagen
    vid = schrijf_driehoek(store, traject_id, GESPREK)
    regel = _regel(store, vid)
    assert (regel.titel, regel.kop.datum, regel.fase, regel.status) == (
        "Driehoeksgesprek", GESPREK, Fase.CONCEPT, "Concept")
    assert regel.aios_naam.volledig == "Noor Visser" and regel.opleider_naam.volledig == "Eva Smit"
    # Not recorded: the gesprek's own step (which has no term).
    assert regel.termijn is not None and regel.termijn.stap == "driehoeksgesprek"
    assert regel.termijn.termijn is None and not regel.te_laat

    svc.voltooien(vid, user=AUTEUR, today=TODAY)
    regel = _regel(store, vid)
    assert regel.fase is Fase.VASTGELEGD
    # Recorded: sending it to the jaarassistent, within a week of the gesprek.
    assert regel.termijn is not None and regel.termijn.stap == "verslag_driehoeksgesprek"
    assert regel.termijn.termijn == GESPREK + dt.timedelta(weeks=1)
    assert regel.te_laat
    assert not _regel(store, vid, today=GESPREK + dt.timedelta(days=3)).te_laat

    svc.afronden(vid, user=AUTEUR, today=TODAY)
    svc.zet_verstuurd(vid, GESPREK + dt.timedelta(days=5), user=AUTEUR, today=TODAY)
    regel = _regel(store, vid)
    assert regel.fase is Fase.VERSTUURD
    assert regel.termijn is not None and regel.termijn.stap == "archiveren_verslag_driehoeksgesprek"
    assert not regel.te_laat

    svc.zet_gearchiveerd(vid, VerslagBestemming.E_PORTFOLIO, GESPREK + dt.timedelta(days=6), user=AUTEUR,
                         today=TODAY)
    regel = _regel(store, vid)
    assert regel.fase is Fase.GEARCHIVEERD
    assert regel.termijn is not None and regel.termijn.stap == "archiveren_verslag_driehoeksgesprek"
    svc.zet_gearchiveerd(vid, VerslagBestemming.DOSSIER_OPLEIDER, GESPREK + dt.timedelta(days=6), user=AUTEUR,
                         today=TODAY)
    assert _regel(store, vid).termijn is None  # done with


def test_a_repeated_gesprek_serves_its_own_occurrence(store: Store, traject_id: int) -> None:
    eerste = schrijf_driehoek(store, traject_id, GESPREK, afronden=True)
    store.verslagen.zet_verstuurd(eerste, GESPREK + dt.timedelta(days=2), user=AUTEUR, today=TODAY)
    later = GESPREK + dt.timedelta(days=30)
    tweede = schrijf_driehoek(store, traject_id, later)
    store.verslagen.voltooien(tweede, user=AUTEUR, today=TODAY)
    assert _regel(store, eerste).termijn.stap == "archiveren_verslag_driehoeksgesprek"  # type: ignore[union-attr]
    termijn = _regel(store, tweede).termijn
    assert termijn is not None and termijn.stap == "verslag_driehoeksgesprek"
    assert termijn.termijn == later + dt.timedelta(weeks=1)  # its own gesprek's week, not the first one's


def test_an_older_version_serves_no_term(store: Store, traject_id: int) -> None:
    v1 = schrijf_driehoek(store, traject_id, GESPREK, afronden=True)
    v2 = store.verslagen.nieuwe_versie(v1, "Correctie", auteur=AUTEUR).created
    assert isinstance(v2, int)
    oud, nieuw = _regel(store, v1), _regel(store, v2)
    assert (oud.nieuwer, oud.status, oud.termijn) == (2, "Vervangen", None)
    assert nieuw.nieuwer is None and nieuw.kop.versie == 2 and nieuw.termijn is not None


def test_the_list_of_some_trajecten(store: Store, traject_id: int) -> None:
    ander = maak_traject(store)
    a = schrijf_driehoek(store, traject_id, GESPREK)
    b = schrijf_driehoek(store, ander, GESPREK)
    assert [r.id for r in store.verslagen.overzicht(TODAY, frozenset({ander}))] == [b]
    assert {r.id for r in store.verslagen.overzicht(TODAY)} == {a, b}


def test_the_state_is_the_verslags_own(store: Store, traject_id: int) -> None:
    svc = store.verslagen
    ids = [schrijf_driehoek(store, traject_id, GESPREK + dt.timedelta(days=i)) for i in range(4)]
    svc.voltooien(ids[1], user=AUTEUR, today=TODAY)
    for vid in ids[2:]:
        svc.afronden(vid, user=AUTEUR, today=TODAY)
    svc.zet_verstuurd(ids[3], TODAY, user=AUTEUR, today=TODAY)
    for regel in svc.overzicht(TODAY):
        assert regel.kop.fase.label == svc.get(regel.id).fase()


def test_a_save_refused_for_a_definitief_verslag_leaves_its_words(store: Store, traject_id: int) -> None:
    vid = schrijf_driehoek(store, traject_id, GESPREK, afronden=True, aanleiding="Een vaste tekst.")
    antwoorden = dict(store.verslagen.get(vid).antwoorden, aanleiding="Iets anders.")
    store.verslagen.repo.save_concept(vid, antwoorden, 1, False, dt.datetime.now(dt.UTC))  # the store refuses it
    assert store.verslagen.get(vid).antwoorden["aanleiding"] == "Een vaste tekst."
    assert _ids(store, "vaste") == [vid]
    assert _ids(store, "anders") == []
