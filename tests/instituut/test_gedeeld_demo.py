"""The demo's trajecten read as shared ones (demo/gedeeld.py, for screenshots and the bench): every traject's
terms on a jaarassistent's laptop are those the docent's laptop derives from the same events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ontkoppel_desktop.demo.gedeeld import als_gedeeld
from ontkoppel_desktop.demo.opslag import create_demo_store
from ontkoppel_desktop.instituut import gedeeld, outbox
from tests.conftest import FAST_KDF

VANDAAG = date(2026, 11, 23)


def test_every_shared_traject_has_the_terms_its_own_laptop_derives(tmp_path: Path) -> None:
    store = create_demo_store(tmp_path / "demo.okdb", VANDAAG, FAST_KDF)
    try:
        als_gedeeld(store)
        lijst = gedeeld.lijst(store.conn, VANDAAG, store.trajecten.agenda())
        eigen = {r[0]: r[1] for r in store.conn.execute("SELECT uuid, id FROM traject")}
        assert len(lijst) == len(eigen) > 10
        for g in lijst:
            lokaal = store.trajecten.overview(store.trajecten.get(eigen[g.uuid]), VANDAAG)
            assert g.overview is not None
            assert [(s.key, s.state, s.due, s.due_from) for s in g.overview.statuses] == [
                (s.key, s.state, s.due, s.due_from) for s in lokaal.statuses], g.aios_naam
            assert g.overview.phase == lokaal.phase
        assert outbox.wachtrij(store.conn).aantal == 0  # nothing of it waits to be sent
        assert outbox.blokkades(store.conn)  # the demo has blocked opleiders
    finally:
        store.close()


def test_the_screens_list_derives_again_only_what_changed(tmp_path: Path) -> None:
    store = create_demo_store(tmp_path / "demo.okdb", VANDAAG, FAST_KDF)
    try:
        als_gedeeld(store)
        agenda = store.trajecten.agenda()
        cache = gedeeld.Gedeeld()
        eerste = {g.uuid: g for g in cache.lijst(store.conn, VANDAAG, agenda)}
        assert [g.uuid for g in cache.lijst(store.conn, VANDAAG, agenda)] == [
            g.uuid for g in gedeeld.lijst(store.conn, VANDAAG, agenda)]
        # One traject gets a step of ours: only it is derived again, and shows it.
        g = next(g for g in eerste.values() if any(s.step.done_by.kind.value == "stap_uitgevoerd"
                                                   and gedeeld.niet_hier(s, g) is None for s in g.open_stappen()))
        stap = next(s for s in g.open_stappen() if s.step.done_by.kind.value == "stap_uitgevoerd")
        from ontkoppel_desktop.core.procedure import event_for_step
        assert g.definition is not None
        gedeeld.leg_vast(store.conn, g.uuid, event_for_step(g.definition, stap.step.id, VANDAAG, {}, user="Jan"),
                         today=VANDAAG)
        tweede = {x.uuid: x for x in cache.lijst(store.conn, VANDAAG, agenda)}
        assert tweede[g.uuid] is not eerste[g.uuid] and tweede[g.uuid].wachtend
        assert all(tweede[u] is eerste[u] for u in eerste if u != g.uuid)
        # Another day: everything again (terms count from today).
        derde = {x.uuid: x for x in cache.lijst(store.conn, date(2026, 11, 24), agenda)}
        assert all(derde[u] is not tweede[u] for u in tweede)
        cache.vergeet()
        assert cache._bewaard == {}
    finally:
        store.close()


def test_every_received_demo_verslag_opens_to_what_its_author_sealed(tmp_path: Path) -> None:
    from ontkoppel_desktop.demo.gedeeld import met_ontvangen_verslagen
    from ontkoppel_desktop.instituut import verslagen

    store = create_demo_store(tmp_path / "demo.okdb", VANDAAG, FAST_KDF)
    try:
        als_gedeeld(store, jaar=1)
        aantal = met_ontvangen_verslagen(store, jaar=1)
        ontvangen = verslagen.ontvangen(store.conn)
        assert len(ontvangen) == aantal > 5
        eigen = {r[0]: r[1] for r in store.conn.execute("SELECT uuid, id FROM verslag")}
        for o in ontvangen:
            geopend = verslagen.open_ontvangen(store.conn, o.uuid, store.trajecten.registry.get)
            lokaal = store.verslagen.get(eigen[o.uuid])
            assert geopend.verslag.antwoorden == lokaal.antwoorden and geopend.verslag.zegels == lokaal.zegels
            assert geopend.context == store.verslagen.context(lokaal.traject_id)
    finally:
        store.close()
