from __future__ import annotations

from ontkoppel_desktop.core.koppelplanner import Koppelplanner
from ontkoppel_desktop.core.koppelplanner.demo import maak_demo_ronde
from ontkoppel_desktop.store.rondes import Bord, ronde_from_json, ronde_to_json
from ontkoppel_desktop.store.store import Store
from tests.conftest import WACHTWOORD


def test_a_ronde_round_trips_through_json() -> None:
    ronde = maak_demo_ronde(aantal_aios=12, aantal_opleiders=16, seed=4)
    assert ronde_from_json(ronde_to_json(ronde)) == ronde


def test_the_board_is_kept_with_the_ronde(store: Store) -> None:
    ronde = maak_demo_ronde(aantal_aios=12, aantal_opleiders=16, seed=4)
    ronde_id = store.rondes.add(ronde)
    assert [r.id for r in store.rondes.list()] == [ronde_id]
    optimum = Koppelplanner(ronde).optimum
    bord = Bord(dict(optimum.toewijzing), {next(iter(optimum.toewijzing.items()))})
    store.rondes.save_bord(ronde_id, bord)
    store.close()
    again = Store.open(store.path, WACHTWOORD)
    loaded, loaded_bord = again.rondes.get(ronde_id)
    assert loaded == ronde and loaded_bord == bord
    again.close()
