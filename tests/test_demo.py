from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ontkoppel_desktop.core.procedure import EventKind, Traject
from ontkoppel_desktop.core.verslagen import ARCHIEFPLEKKEN, VeldSoort, Verslag, inhoud, klopt
from ontkoppel_desktop.demo import opslag
from ontkoppel_desktop.demo.opslag import DEMO_WACHTWOORD, create_demo_store
from ontkoppel_desktop.demo.verslagen import GESPREKKEN, demo_auteur, vul_verslagen
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF

TODAY = date(2026, 11, 23)


def test_demo_store_is_full_and_plausible(tmp_path: Path) -> None:
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    repo = store.personen
    counts = repo.counts()
    assert counts["aios"] == 126 and counts["opleider"] == 70 and counts["groep"] == 9
    assert {a.opleidingsjaar for a in repo.aios()} == {1, 2, 3}
    assert all(a.startdatum_opleiding and a.startdatum_opleiding <= TODAY for a in repo.aios())
    assert all(a.startdatum_opleiding.month in (3, 6, 9, 12) for a in repo.aios())  # type: ignore[union-attr]
    assert any(o.duo_opleider for o in repo.opleiders())
    assert all(o.aanwezigheidspercentage >= 40 for o in repo.opleiders())
    # Year 2 has external stages: no koppeling with an opleider.
    by_id = {a.id: a for a in repo.aios()}
    assert counts["koppeling"] > 50
    assert all(by_id[k.aios_id].opleidingsjaar in (1, 3) for k in repo.koppelingen())
    store.close()
    Store.open(tmp_path / "demo.okdb", DEMO_WACHTWOORD).close()


def test_demo_is_deterministic(tmp_path: Path) -> None:
    a = create_demo_store(tmp_path / "a.okdb", TODAY, FAST_KDF)
    b = create_demo_store(tmp_path / "b.okdb", TODAY, FAST_KDF)
    assert [x.naam for x in a.personen.aios()] == [x.naam for x in b.personen.aios()]

    # Every verslag and note reads alike (the events' ids, and so the seals over them, are new in each store).
    def verslagen(store: Store) -> list[tuple[object, ...]]:
        return [(v.id, v.traject_id, v.gesprek, v.versie, v.status, v.auteur, dict(v.antwoorden), v.afgerond_op,
                 v.verstuurd_op, dict(v.gearchiveerd_op)) for v in _verslagen(store)]

    def events(store: Store) -> list[tuple[object, ...]]:
        return [(t.id, e.kind, e.date, {k: v for k, v in e.data.items() if k != "bij"})
                for t in store.trajecten.all() for e in t.effective_events]

    assert verslagen(a) == verslagen(b) and len(verslagen(a)) > 20
    assert events(a) == events(b)
    a.close()
    b.close()


# ---- gespreksverslagen ----------------------------------------------------------------------------------------


def _verslagen(store: Store) -> list[Verslag]:
    return [v for t in store.trajecten.all() if t.id is not None for v in store.verslagen.van_traject(t.id)]


def test_the_demo_holds_a_verslag_in_every_state(tmp_path: Path) -> None:
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    verslagen = _verslagen(store)
    by_id = {v.id: v for v in verslagen}
    auteur = demo_auteur(store)
    concept = [v for v in verslagen if not v.definitief]
    definitief = [v for v in verslagen if v.definitief]
    states = {
        "concept, offered at the start": [v for v in concept if v.open and not v.voltooid],
        "concept, closed": [v for v in concept if not v.open and not v.voltooid],
        "concept, gesprek recorded": [v for v in concept if v.voltooid and v.versie == 1],
        "definitief": [v for v in definitief if v.verstuurd_op is None and not v.gearchiveerd_op],
        "definitief and verstuurd": [v for v in definitief if v.verstuurd_op and not v.gearchiveerd_op],
        "gearchiveerd in one place": [v for v in definitief if v.verstuurd_op and len(v.gearchiveerd_op) == 1],
        "gearchiveerd in both": [v for v in definitief if set(v.gearchiveerd_op) == set(ARCHIEFPLEKKEN)],
        "version 2, concept": [v for v in concept if v.versie == 2],
        "version 2, definitief": [v for v in definitief if v.versie == 2],
        "driehoeksgesprek, geen ontkoppeling": [
            v for v in definitief if v.gesprek == "driehoeksgesprek" and v.antwoord("uitkomst") == "geen_ontkoppeling"
        ],
        "driehoeksgesprek, advies tot ontkoppeling": [
            v for v in definitief if v.gesprek == "driehoeksgesprek" and v.antwoord("uitkomst") == "advies_ontkoppeling"
        ],
        "evaluatie aios": [v for v in definitief if v.gesprek == "evaluatie_aios"],
        "evaluatie opleider": [v for v in definitief if v.gesprek == "evaluatie_opleider"],
    }
    assert {name for name, found in states.items() if not found} == set()
    # One concept is offered at the start, to its author: a docent of the demo, as every verslag's author.
    offered = states["concept, offered at the start"]
    assert [v.id for v in store.verslagen.open_concepten(auteur)] == [v.id for v in offered]
    assert auteur in {d.naam.volledig for d in store.personen.docenten()}
    assert {v.auteur for v in verslagen} == {auteur}
    # ... a docent of the aios, who was at the gesprek.
    assert sum(f"{auteur} (docent)" in str(v.antwoord("aanwezigen")) for v in verslagen) > len(verslagen) / 2
    for v in states["version 2, concept"] + states["version 2, definitief"]:
        assert v.reden and v.vorige_id is not None and by_id[v.vorige_id].definitief
    for v in states["evaluatie opleider"]:
        assert set(v.zegels) == {"over_aios", "over_opleider"}
    store.close()


def test_every_definitief_demo_verslag_keeps_its_seal_and_its_dates(tmp_path: Path) -> None:
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    for verslag in _verslagen(store):
        formulier = store.verslagen.formulier(verslag)
        gesprek = verslag.datum(formulier)
        assert gesprek is not None
        if verslag.definitief:
            assert klopt(formulier, verslag), verslag.id
            assert verslag.afgerond_op is not None and gesprek <= verslag.afgerond_op.date() <= TODAY
            assert not store.verslagen.problemen(verslag)
        for day in (verslag.verstuurd_op, *verslag.gearchiveerd_op.values()):
            assert day is None or gesprek <= day <= TODAY
        # Several sentences in every text the docent typed.
        if verslag.voltooid:
            for deel in formulier.delen:
                for veld, value in inhoud(formulier, verslag.antwoorden, deel.id):
                    if veld.soort is VeldSoort.TEKST and veld.id != "aanwezigen":
                        assert isinstance(value, str) and len(value) > 80 and value.count(".") >= 2, (verslag.id, veld)
    store.close()


def test_demo_verslagen_record_what_their_trajecten_say(tmp_path: Path) -> None:
    """In an open demo traject every verslag sent or archived is recorded by its verslag (the event names the
    gesprek it belongs to), so the traject's steps and the verslagen agree."""
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    for traject in store.trajecten.all():
        if traject.closed:
            continue
        for event in traject.effective_events:
            if event.kind in (EventKind.VERSLAG_NAAR_JAARASSISTENT, EventKind.VERSLAG_GEARCHIVEERD):
                assert event.text("gesprek") not in GESPREKKEN.values() or event.text("bij"), event
    store.close()


def test_verslagen_on_trajecten_that_already_record_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trajecten written before the verslagen (as the bench's are) record their verslagen sent and archived
    already: those gesprekken get a verslag that records nothing more on the traject."""
    from ontkoppel_desktop.demo import trajecten

    original = trajecten.demo_trajecten
    monkeypatch.setattr(trajecten, "demo_trajecten", lambda *a, **k: original(*a, **{**k, "verslagen": False}))
    monkeypatch.setattr(opslag, "_demo_verslagen", lambda store, today: None)
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    kinds = (EventKind.VERSLAG_NAAR_JAARASSISTENT, EventKind.VERSLAG_GEARCHIVEERD)

    def verslag_events(traject: Traject) -> Counter[str]:
        return Counter(e.text("gesprek") for e in traject.events if e.kind in kinds)

    before = {t.id: verslag_events(t) for t in store.trajecten.all()}
    assert vul_verslagen(store, TODAY, demo_auteur(store)) == len(_verslagen(store)) > 10
    for traject in store.trajecten.all():
        after = verslag_events(traject)
        for gesprek, count in before[traject.id].items():
            assert after[gesprek] == count, (traject.id, gesprek)
            for verslag in store.verslagen.van_traject(traject.id or 0):
                if verslag.gesprek == gesprek:
                    assert not verslag.status_events and verslag.verstuurd_op is None
    for verslag in _verslagen(store):
        assert not verslag.definitief or klopt(store.verslagen.formulier(verslag), verslag)
    store.close()
