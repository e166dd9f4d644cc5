"""Koppelrondes: the RondeRepository contract, run through the Protocol for every implementation (today the
SQLCipher store; an institute server on PostgreSQL adds itself to BACKENDS), and the RondeService on the store:
one door for every write, each returning what it changed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from ontkoppel_desktop.core.changes import RONDE, Changes
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.koppelplanner import (
    Bord,
    Bordstand,
    Herkomst,
    Koppelplanner,
    Regel,
    Ronde,
    RondeOnbekend,
    RondeRepository,
    Uitzondering,
)
from ontkoppel_desktop.core.transactions import Transactions
from ontkoppel_desktop.demo.rondes import maak_demo_ronde
from ontkoppel_desktop.store.ronde_personen import next_start
from ontkoppel_desktop.store.rondes import SqlRondeRepository, ronde_from_json, ronde_to_json
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD

START = next_start(date.today())


def _ronde(seed: int = 4) -> Ronde:
    return maak_demo_ronde(aantal_aios=12, aantal_opleiders=16, seed=seed, startdatum=START)


# ---- the repository contract -------------------------------------------------------------------------------


@dataclass
class Backend:
    """One implementation of the protocol: its repository, its unit of work, and a way to open it again."""

    repository: RondeRepository
    transactions: Transactions
    reopen: Callable[[], Backend]


def _sqlcipher(tmp_path: Path) -> Iterator[Backend]:
    stores: list[Store] = [Store.create(tmp_path / "contract.okdb", WACHTWOORD, FAST_KDF).store]

    def backend() -> Backend:
        store = stores[-1]
        return Backend(SqlRondeRepository(store.conn), store.transactions, reopen)

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


def test_contract_a_ronde_is_kept_without_a_board_and_listed(backend: Backend) -> None:
    ronde = _ronde()
    ronde_id = backend.repository.add(ronde, "Ronde maart")
    assert backend.repository.get(ronde_id) == (ronde, None)
    [rij] = backend.repository.list()
    assert (rij.id, rij.naam, rij.startdatum) == (ronde_id, "Ronde maart", START)


def test_contract_the_board_and_an_uitzondering_outlive_a_reopen(backend: Backend) -> None:
    ronde = _ronde()
    ronde_id = backend.repository.add(ronde, "Ronde")
    optimum = Koppelplanner(ronde).optimum
    pin = next(iter(optimum.toewijzing.items()))
    bord = Bord(optimum.toewijzing, frozenset({pin}), {a: Herkomst.OPTIMUM for a in optimum.toewijzing})
    backend.repository.save_bord(ronde_id, bord)
    met = replace(ronde, uitzonderingen=(*ronde.uitzonderingen, Uitzondering("A001", "O016", "Ziek.")))
    backend.repository.save_ronde(ronde_id, met)
    again = backend.reopen()
    assert again.repository.get(ronde_id) == (met, bord)


def test_contract_newest_start_first_and_archived_ones_left_out(backend: Backend) -> None:
    later = replace(_ronde(), startdatum=date(START.year + 1, START.month, 1))
    first = backend.repository.add(_ronde(), "Eerste")
    second = backend.repository.add(later, "Tweede")
    assert [r.id for r in backend.repository.list()] == [second, first]
    backend.repository.archive(second, True)
    assert [r.id for r in backend.repository.list()] == [first]
    backend.repository.archive(second, False)
    assert [r.id for r in backend.repository.list()] == [second, first]


def test_contract_an_unknown_ronde_is_said_in_dutch(backend: Backend) -> None:
    for call in (
        lambda: backend.repository.get(404),
        lambda: backend.repository.save_bord(404, Bord()),
        lambda: backend.repository.save_ronde(404, _ronde()),
        lambda: backend.repository.archive(404, True),
    ):
        with pytest.raises(RondeOnbekend, match=r"Deze ronde bestaat niet \(meer\)") as raised:
            call()
        assert "404" not in str(raised.value) and raised.value.ronde_id == 404


def test_contract_one_transaction_writes_the_ronde_and_its_board_or_neither(backend: Backend) -> None:
    ronde = _ronde()
    ronde_id = backend.repository.add(ronde, "Ronde")
    met = replace(ronde, uitzonderingen=(*ronde.uitzonderingen, Uitzondering("A001", "O016", "Ziek.")))
    unit: AbstractContextManager[object] = backend.transactions.transaction()
    with pytest.raises(RuntimeError), unit:
        backend.repository.save_ronde(ronde_id, met)
        backend.repository.save_bord(ronde_id, Bord({"A001": "O016"}))
        raise RuntimeError("halverwege mis")
    assert backend.repository.get(ronde_id) == (ronde, None)
    with backend.transactions.transaction():
        backend.repository.save_ronde(ronde_id, met)
        backend.repository.save_bord(ronde_id, Bord({"A001": "O016"}))
    assert backend.repository.get(ronde_id) == (met, Bord({"A001": "O016"}))


def test_a_ronde_round_trips_through_json() -> None:
    ronde = _ronde()
    assert ronde_from_json(ronde_to_json(ronde)) == ronde


def test_a_board_round_trips_through_plain_data_and_survives_an_unknown_herkomst() -> None:
    bord = Bord({"A1": "O1", "A2": "O2"}, frozenset({("A1", "O1")}), {"A1": Herkomst.REST, "A2": Herkomst.HANDMATIG})
    assert Bord.from_dict(json.loads(json.dumps(bord.to_dict()))) == bord
    assert Bord.from_dict({"toewijzing": {"A1": "O1"}}).herkomst is None
    future = Bord.from_dict({"toewijzing": {"A1": "O1"}, "herkomst": {"A1": "iets-nieuws"}})
    assert future.toewijzing == {"A1": "O1"} and future.herkomst == {}


# ---- the service ---------------------------------------------------------------------------------------------


def _added(store: Store, ronde: Ronde | None = None) -> int:
    changes = store.rondes.add(ronde or _ronde())
    assert changes.touches(RONDE, changes.created) and changes.created is not None
    return int(changes.created)


def _free_visited(store: Store, ronde_id: int) -> tuple[str, str]:
    rb = store.rondes.bord(ronde_id)
    taken = set(rb.bord.toewijzing.values())
    return next(
        (a, o) for (a, o), score in rb.planner.index.scores.items()
        if score is not None and o not in taken and a in rb.bord.toewijzing
        and not rb.planner.check_move(rb.bord.toewijzing, a, o, rb.bord.pins).bezwaren
    )


def _free_unvisited(store: Store, ronde_id: int) -> tuple[str, str]:
    rb = store.rondes.bord(ronde_id)
    taken = set(rb.bord.toewijzing.values())
    for a in rb.bord.toewijzing:
        for o in rb.planner.index.opleider_ids:
            if o in taken:
                continue
            oordeel = rb.planner.check_move(rb.bord.toewijzing, a, o, rb.bord.pins)
            if oordeel.toegestaan and any(b.regel is Regel.NIET_BEZOCHT for b in oordeel.bezwaren):
                return a, o
    raise AssertionError("no unvisited free practice in this ronde")


def test_a_new_ronde_starts_on_the_optimum_with_its_herkomst(store: Store) -> None:
    ronde_id = _added(store)
    ronde, bord = store.rondes.get(ronde_id)
    optimum = Koppelplanner(ronde).optimum
    assert bord.toewijzing == optimum.toewijzing and not bord.pins
    assert bord.herkomst == {k.aios_id: k.herkomst for k in optimum.koppelingen}
    assert set(bord.herkomst.values()) <= {Herkomst.OPTIMUM, Herkomst.VASTGEZET}


@pytest.mark.parametrize("year", [9999, 2017])
def test_an_implausible_startdatum_is_refused_and_nothing_stored(store: Store, year: int) -> None:
    """Issue 7, defect 4/5: a startdatum in year 9999 was stored and then broke the app."""
    with pytest.raises(ValidatieFout) as refused:
        store.rondes.add(replace(_ronde(), startdatum=date(year, 3, 1)))
    assert any("De startdatum van de ronde" in p and "Controleer het jaartal" in p for p in refused.value.problemen)
    assert store.rondes.list() == []
    with pytest.raises(ValidatieFout, match="vul de startdatum in"):
        store.rondes.add(replace(_ronde(), startdatum=None))


def test_a_board_saved_before_herkomst_was_kept_gets_it_derived(store: Store) -> None:
    """Issue 7, defect 6: old boards load; a pair equal to the optimum is the optimum, another is handmatig."""
    ronde_id = _added(store)
    ronde, _ = store.rondes.get(ronde_id)
    optimum = Koppelplanner(ronde).optimum.toewijzing
    moved, target = _free_visited(store, ronde_id)
    old = {**optimum, moved: target}
    # What the previous version wrote: assignment and pins only.
    store.conn.execute("UPDATE ronde SET uitslag = ? WHERE id = ?",
                       (json.dumps({"toewijzing": old, "pins": []}), ronde_id))
    _, bord = store.rondes.get(ronde_id)
    assert bord.toewijzing == old
    assert bord.herkomst is not None and bord.herkomst[moved] is Herkomst.HANDMATIG
    vast = {v.aios_id for v in ronde.vastzettingen}
    assert {a for a, h in bord.herkomst.items() if h is Herkomst.OPTIMUM} == set(old) - {moved} - vast


def test_moves_pins_and_optimise_keep_each_pairs_herkomst(store: Store) -> None:
    ronde_id = _added(store)
    aios_id, target = _free_visited(store, ronde_id)
    changes = store.rondes.verplaats(ronde_id, aios_id, target)
    assert changes == Changes.of(RONDE, ronde_id)
    rb = store.rondes.bord(ronde_id)
    assert rb.bord.toewijzing[aios_id] == target and rb.bord.herkomst[aios_id] is Herkomst.HANDMATIG
    assert rb.uitslag().koppeling_van(aios_id).herkomst is Herkomst.HANDMATIG
    assert store.rondes.zet_vast(ronde_id, aios_id) == Changes.of(RONDE, ronde_id)
    assert store.rondes.zet_vast(ronde_id, aios_id) == Changes(), "pinning twice changes nothing"
    assert store.rondes.optimaliseer_rest(ronde_id) == Changes.of(RONDE, ronde_id)
    rb = store.rondes.bord(ronde_id)
    assert rb.bord.toewijzing[aios_id] == target and (aios_id, target) in rb.bord.pins
    uitslag = rb.uitslag()
    assert uitslag.koppeling_van(aios_id).herkomst is Herkomst.PIN
    others = {k.herkomst for k in uitslag.koppelingen if k.aios_id != aios_id}
    assert others <= {Herkomst.REST, Herkomst.VASTGEZET} and Herkomst.REST in others
    assert store.rondes.zet_vast(ronde_id, aios_id, False) == Changes.of(RONDE, ronde_id)
    assert store.rondes.bord(ronde_id).bord.herkomst[aios_id] is Herkomst.HANDMATIG, "unpinned: still by hand"
    assert store.rondes.verplaats(ronde_id, aios_id, None) == Changes.of(RONDE, ronde_id)
    assert aios_id not in store.rondes.bord(ronde_id).bord.toewijzing


def test_a_refused_move_says_why_and_writes_nothing(store: Store) -> None:
    ronde_id = _added(store)
    rb = store.rondes.bord(ronde_id)
    aios_id = next(iter(rb.bord.toewijzing))
    full = next(o for o in rb.bord.toewijzing.values() if o != rb.bord.toewijzing[aios_id]
                and rb.planner.index.opleiders[o].capaciteit == 1)
    before = store.rondes.stand(ronde_id)
    with pytest.raises(ValidatieFout, match="geen vrije plaats"):
        store.rondes.verplaats(ronde_id, aios_id, full)
    assert store.rondes.stand(ronde_id) == before


def test_an_unvisited_practice_needs_a_reden_and_records_the_uitzondering(store: Store) -> None:
    """Issue 7, defect 7: the move was carried out without the manager's uitzondering."""
    ronde_id = _added(store)
    aios_id, target = _free_unvisited(store, ronde_id)
    before = store.rondes.stand(ronde_id)
    for reden in (None, "   "):
        with pytest.raises(ValidatieFout, match="uitzondering van de manager opleiders: vul de reden in"):
            store.rondes.verplaats(ronde_id, aios_id, target, reden=reden)
    assert store.rondes.stand(ronde_id) == before
    store.rondes.verplaats(ronde_id, aios_id, target, reden="  Ziek tijdens de koppelgesprekken. ")
    ronde, bord = store.rondes.get(ronde_id)
    assert Uitzondering(aios_id, target, "Ziek tijdens de koppelgesprekken.") in ronde.uitzonderingen
    assert bord.toewijzing[aios_id] == target and bord.herkomst[aios_id] is Herkomst.HANDMATIG
    # The planner knows the pair is allowed now: the index has it, and the optimum may use it.
    rb = store.rondes.bord(ronde_id)
    assert rb.planner.index.allowed(aios_id, target)
    assert rb.planner.optimum.doelwaarde.key == Koppelplanner(ronde).optimum.doelwaarde.key
    uitleg = rb.planner.explain(rb.uitslag()).voor(aios_id)
    assert uitleg.keuze == "uitzondering" and uitleg.uitzondering == "Ziek tijdens de koppelgesprekken"
    # Undo: the board and the uitzondering return together, in one call.
    assert store.rondes.herstel(ronde_id, before) == Changes.of(RONDE, ronde_id)
    assert store.rondes.stand(ronde_id) == before
    assert not store.rondes.bord(ronde_id).planner.index.allowed(aios_id, target)


def test_herstel_refuses_a_board_a_rule_forbids_now(store: Store) -> None:
    ronde_id = _added(store)
    rb = store.rondes.bord(ronde_id)
    afwijzing = rb.ronde.afwijzingen[0]
    bad = Bordstand(Bord({afwijzing.aios_id: afwijzing.opleider_id}), rb.ronde.uitzonderingen)
    before = store.rondes.stand(ronde_id)
    with pytest.raises(ValidatieFout, match="afgewezen"):
        store.rondes.herstel(ronde_id, bad)
    assert store.rondes.stand(ronde_id) == before


def test_a_blokkade_from_a_traject_reaches_every_door(store: Store) -> None:
    from ontkoppel_desktop.core.koppelplanner.rondes import RondeService

    ronde_id = _added(store)
    rb = store.rondes.bord(ronde_id)
    aios_id, opleider_id = next(iter(rb.bord.toewijzing.items()))
    blocked = RondeService(SqlRondeRepository(store.conn), store.transactions, blokkades=lambda: {opleider_id})
    shown = blocked.bord(ronde_id)
    assert opleider_id not in shown.bord.toewijzing.values()
    assert shown.geblokkeerd == (rb.planner.index.opleiders[opleider_id].naam,)
    with pytest.raises(ValidatieFout, match="blokkade"):
        blocked.verplaats(ronde_id, aios_id, opleider_id)
