from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from ontkoppel_desktop.core.procedure import EventKind, Traject
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.procedure.rules import besluit_ontkoppeling
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.verslagen import ARCHIEFPLEKKEN, VeldSoort, Verslag, inhoud, klopt
from ontkoppel_desktop.core.verslagen.bijlagen import verwijzingen
from ontkoppel_desktop.demo import opslag
from ontkoppel_desktop.demo.opslag import DEMO_WACHTWOORD, create_demo_store
from ontkoppel_desktop.demo.verslagen import GESPREKKEN, demo_auteur, vul_verslagen
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF

TODAY = date(2026, 11, 23)
VERSLAG_EVENTS = (EventKind.VERSLAG_NAAR_JAARASSISTENT, EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS,
                  EventKind.VERSLAG_GEARCHIVEERD)


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

    assert verslagen(a) == verslagen(b) and len(verslagen(a)) > 30
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
    # One concept is offered at the start, to its author: a docent of the demo, who wrote the docenten's verslagen.
    offered = states["concept, offered at the start"]
    assert [v.id for v in store.verslagen.open_concepten(auteur)] == [v.id for v in offered]
    assert auteur in {d.naam.volledig for d in store.personen.docenten()}
    rollen = {m.naam.volledig: m.rol for m in store.personen.medewerkers()}
    door = {"match_nieuwe_opleider": Rol.ASSISTENT_MANAGER_OPLEIDERS, "kennismakingsgesprek":
            Rol.ASSISTENT_MANAGER_OPLEIDERS, "contact_manager_opleiders": Rol.MANAGER_OPLEIDERS}
    for v in verslagen:
        if v.gesprek in door:
            assert rollen.get(v.auteur) is door[v.gesprek], v
        else:
            assert v.auteur == auteur, v
    # ... a docent of the aios, who was at the gesprek.
    met_docenten = [v for v in verslagen if "aanwezigen" in v.antwoorden]
    assert sum(f"{auteur} (docent)" in str(v.antwoord("aanwezigen")) for v in met_docenten) > len(met_docenten) / 2
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


ZONDER_VERSLAG = {"contact_na_ziekmelding", "check_up", "match_nieuwe_opleider", "kennismakingsgesprek"}


def test_the_demo_holds_every_gesprek_of_the_procedure(tmp_path: Path) -> None:
    """Each of the nine gesprekken at least once; the four without a verslag 'Vastgelegd' with their notes, those
    with one each with a definitief verslag, all on days the procedure allows."""
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    svc = store.verslagen
    trajecten = {t.id: t for t in store.trajecten.all()}
    verslagen = _verslagen(store)
    formulieren = svc.formulieren(next(iter(trajecten.values())))
    assert {v.gesprek for v in verslagen} == set(formulieren) == set(GESPREKKEN.values())
    assert {f.id for f in formulieren.values() if not f.heeft_verslag} == ZONDER_VERSLAG
    per_gesprek = {g: [v for v in verslagen if v.gesprek == g] for g in formulieren}
    for gesprek in ZONDER_VERSLAG:
        assert {v.fase(False) for v in per_gesprek[gesprek]} == {"Vastgelegd"}, gesprek
        for v in per_gesprek[gesprek]:
            assert not svc.problemen(v), (v.id, svc.problemen(v))
    for gesprek in set(formulieren) - ZONDER_VERSLAG:
        assert any(v.definitief for v in per_gesprek[gesprek]), gesprek
    # Both calls after a ziekmelding (with the aios and with the opleider), without medical details.
    calls = per_gesprek["contact_na_ziekmelding"]
    assert {m for v in calls for m in v.antwoord("met")} == {"aios", "opleider"}  # type: ignore[union-attr]
    for v in calls:
        notitie = str(v.antwoord("notitie")).lower()
        assert notitie and not any(w in notitie for w in ("burn-out", "depressi", "overspannen", "medicatie",
                                                            "diagnose", "zwanger", "operatie")), notitie
    # The overdracht: the candidate named, most competentiegebieden described, one or two left empty.
    for v in per_gesprek["match_nieuwe_opleider"]:
        assert isinstance(v.antwoord("nieuwe_opleider"), int) and v.antwoord("situatie")
        gebieden = [k for k in v.antwoorden if k.endswith("_laat_zien")]
        assert 4 <= len(gebieden) < 7
    # An evaluatie carries the aios's reflectieverslag: a small text file inside the store, its seal covering it.
    met_bijlage = [v for v in verslagen if v.antwoord("reflectieverslag")]
    assert {v.gesprek for v in met_bijlage} == {"evaluatie_aios"}
    for v in met_bijlage:
        (ref,) = verwijzingen(v.antwoord("reflectieverslag"))
        bijlage = store.bijlagen.get(ref.bijlage)
        assert (bijlage.naam, bijlage.sha256) == (ref.naam, ref.sha256) and bijlage.naam.endswith(".txt")
        assert store.bijlagen.inhoud(bijlage.id).decode("utf-8").startswith("Reflectieverslag van ")
    assert any(v.definitief and klopt(svc.formulier(v), v) for v in met_bijlage)
    # The check-up says whether a new gesprek was needed: it was when a driehoeksgesprek followed.
    assert {v.antwoord("vervolg_nodig") for v in per_gesprek["check_up"]} == {True, False}
    for v in verslagen:
        traject = trajecten[v.traject_id]
        formulier = svc.formulier(v)
        dag = v.datum(formulier)
        assert dag is not None and traject.start_date <= dag and (dag <= TODAY or not v.voltooid)
        besluit = besluit_ontkoppeling(traject)
        if v.gesprek in ("match_nieuwe_opleider", "kennismakingsgesprek", "evaluatie_aios", "evaluatie_opleider"):
            assert besluit is not None and dag >= besluit.date, v
        if v.gesprek == "contact_manager_opleiders":  # about a month after the ontkoppeling (3 to 5 weeks)
            assert besluit is not None and 21 <= (dag - besluit.date).days <= 35, v
            assert formulier.bestemmingen == {VerslagBestemming.DOSSIER_OPLEIDER}
            assert set(v.gearchiveerd_op) <= {VerslagBestemming.DOSSIER_OPLEIDER}
        if v.gesprek == "evaluatie_nieuwe_opleider":  # about 2 months after the start with the new opleider
            start = next(e.date for e in traject.effective_events if e.kind is EventKind.NIEUWE_KOPPELING_GESTART)
            assert start + timedelta(weeks=7) <= dag <= start + timedelta(weeks=9), v
    # The manager opleiders' contact, sent to the assistent manager opleiders, ended the opleider's blokkade;
    # an ontkoppelde opleider not yet called is still blocked.
    contact = [v for v in per_gesprek["contact_manager_opleiders"] if v.verstuurd_op is not None]
    assert contact
    for v in contact:
        traject = trajecten[v.traject_id]
        assert any(e.kind is EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS and e.text("bij") == v.gebeurtenis_id
                   for e in traject.effective_events)
        assert store.trajecten.blokkade(traject.opleider_id) is None
    niet_gebeld = [t for t in trajecten.values() if not t.closed and besluit_ontkoppeling(t) is not None
                   and not any(e.kind is EventKind.CONTACT_MANAGER_OPLEIDERS for e in t.effective_events)]
    assert niet_gebeld and all(store.trajecten.blokkade(t.opleider_id) is not None for t in niet_gebeld)
    store.close()


def test_nothing_is_recorded_twice(tmp_path: Path) -> None:
    """Every gesprek an open traject records has exactly one record (a verslag, or the notes of a gesprek without
    one), written from that event or recorded by it through Voltooien; no gesprek is recorded twice."""
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    for traject in store.trajecten.all():
        if traject.closed:
            continue
        gesprekken = [e for e in traject.effective_events if e.kind in GESPREKKEN]
        eerste = Counter(v.gebeurtenis_id for v in store.verslagen.van_traject(traject.id or 0) if v.versie == 1)
        for event in gesprekken:
            assert eerste.pop(event.id, 0) == 1, (traject.id, event)
        # Left: the concepts whose gesprek is not recorded yet.
        assert set(eerste) <= {None}, (traject.id, eerste)
        once = Counter((e.kind, e.date, tuple(e.data.get("met") or ())) for e in gesprekken)  # type: ignore[arg-type]
        assert max(once.values(), default=1) == 1, (traject.id, once)
    store.close()


def test_demo_verslagen_record_what_their_trajecten_say(tmp_path: Path) -> None:
    """In an open demo traject every verslag sent or archived is recorded by its verslag (the event names the
    gesprek it belongs to), so the traject's steps and the verslagen agree."""
    store = create_demo_store(tmp_path / "demo.okdb", TODAY, FAST_KDF)
    for traject in store.trajecten.all():
        if traject.closed:
            continue
        for event in traject.effective_events:
            if event.kind in VERSLAG_EVENTS:
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
    def verslag_events(traject: Traject) -> Counter[str]:
        return Counter(e.text("gesprek") for e in traject.events if e.kind in VERSLAG_EVENTS)

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
