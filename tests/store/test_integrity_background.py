"""The full integrity check runs beside the user's first look; every write waits for its verdict, so a damaged
file is still found before anything is written (issue 7: integrity without a cost that grows)."""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.store import database
from ontkoppel_desktop.store.database import OpslagFout
from ontkoppel_desktop.store.store import Store
from tests.conftest import WACHTWOORD


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _filled(store: Store) -> Path:
    with store.transactions.transaction():
        for i in range(300):
            store.personen.save_aios(Aios(Naam(f"a{i}", "", "Jansen"), 1, date(2026, 3, 1)))
    store.close()
    return store.path


def _open_in_background(path: Path) -> Store:
    key_file = Store.read_key_file(path)
    return Store.open_with_key(path, key_file, key_file.unwrap_wachtwoord(WACHTWOORD), check_in_background=True)


def test_writes_wait_for_the_check_and_go_on_when_it_passes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _filled(store)
    release = threading.Event()
    original = database._check_whole_file

    def slow(conn: Any, message: str) -> None:
        assert release.wait(10)
        original(conn, message)

    monkeypatch.setattr(database, "_check_whole_file", slow)
    opened = _open_in_background(path)
    assert opened.integrity.running, "opening did not wait for the full check"
    assert len(opened.personen.aios()) == 300, "reading goes on meanwhile"
    done = threading.Event()

    def write() -> None:
        opened.personen.save_aios(Aios(Naam("Na", "", "Controle"), 1, date(2026, 3, 1)))
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert not done.wait(0.3), "the write waits for the verdict"
    release.set()
    assert done.wait(10)
    writer.join()
    assert not opened.integrity.failed
    assert len(opened.personen.aios()) == 301
    opened.close()


@pytest.mark.parametrize("how", ["flip-late-page", "flip-last-page", "truncate"])
def test_a_damaged_file_is_found_before_anything_is_written(store: Store, how: str) -> None:
    path = _filled(store)
    data = bytearray(path.read_bytes())
    if how == "truncate":
        path.write_bytes(bytes(data[: len(data) * 3 // 4]))
    else:
        offset = {"flip-late-page": len(data) * 3 // 4 + 10, "flip-last-page": len(data) - 200}[how]
        data[offset] ^= 0x40
        path.write_bytes(bytes(data))
    before = _digest(path)
    try:
        opened = _open_in_background(path)
    except OpslagFout:
        return  # found at once: just as good
    assert opened.integrity.wait(30)
    assert opened.integrity.failed
    with pytest.raises(OpslagFout, match="beschadigd.*niets meer in opgeslagen"):
        opened.personen.save_aios(Aios(Naam("Niet", "", "Opgeslagen"), 1, date(2026, 3, 1)))
    opened.close()
    assert _digest(path) == before, "the damaged file stays exactly as it was"


def test_headless_opening_still_checks_everything_first(store: Store) -> None:
    path = _filled(store)
    data = bytearray(path.read_bytes())
    data[len(data) - 200] ^= 0x40
    path.write_bytes(bytes(data))
    with pytest.raises(OpslagFout):
        Store.open(path, WACHTWOORD)


def test_no_stored_value_stops_a_store_from_opening(store: Store) -> None:
    """A startdatum in year 9999 crashed the app on every unlock (the facts overflowed). Written past the
    checks (as an older version or a bug could have), every such value still leaves the store usable."""
    from ontkoppel_desktop.demo import opslag as demo
    from ontkoppel_desktop.demo.opslag import DemoOmvang

    demo.fill(store, date(2026, 11, 20), DemoOmvang(praktijken=4, opleiders=12, groepen_per_jaar=1, aios_per_groep=6))
    with store.transactions.transaction():
        store.conn.execute("UPDATE aios SET startdatum_opleiding = '9999-12-31'")
        store.conn.execute("UPDATE koppeling SET startdatum = '0001-01-01' WHERE id = 1")
        store.conn.execute(
            "UPDATE traject_event SET payload = json_set(payload, '$.date', '9999-12-31') WHERE seq % 3 = 0")
        store.conn.execute("DELETE FROM meta WHERE key = 'afgeleid'")  # derived anew on open
    store.close()
    again = Store.open(store.path, WACHTWOORD)
    svc = again.trajecten
    rows = svc.rows(date(2026, 11, 20))
    assert rows, "the list still shows every traject"
    svc.tasks(date(2026, 11, 20))
    for aios in again.personen.aios():
        assert aios.id is not None
        svc.verwachte_einddatum(aios.id, date(2026, 11, 20))
    for traject in svc.all():
        try:
            svc.overview(traject, date(2026, 11, 20))
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"traject {traject.id} could not be shown: {exc!r}")
    again.close()
