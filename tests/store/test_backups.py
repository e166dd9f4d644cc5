"""Automatic back-ups (issue 13): consistent encrypted snapshots with their key files, rotation (7 daily, 4 weekly),
putting one back, and finding the newest one that opens when the store itself will not."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest

from ontkoppel_desktop import paths
from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.store import backups
from ontkoppel_desktop.store.database import OpslagFout
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.schijf import Schijf

MARKER = "ZQXJBACKUPMARKER"
NU = dt.datetime(2026, 12, 1, 17, 30, 0)


def _aios(i: int, achternaam: str = "") -> Aios:
    return Aios(Naam(f"Voornaam{i}", "", achternaam or f"Achternaam{i}"), 1, date(2026, 3, 1))


def _achternamen(store: Store) -> set[str]:
    return {a.naam.achternaam for a in store.personen.aios()}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.create(tmp_path / "werk" / "opslag.okdb", WACHTWOORD, FAST_KDF).store
    for i in range(20):
        store.personen.save_aios(_aios(i))
    return store


def test_a_back_up_is_an_encrypted_snapshot_that_opens_on_its_own(store: Store, tmp_path: Path) -> None:
    store.personen.save_aios(_aios(100, MARKER))
    folder = tmp_path / "back-ups"
    made = store.backup_taak(folder)()
    assert made.path.parent == folder and made.sleutel.exists()
    assert sorted(p.name for p in folder.iterdir()) == [made.path.name, made.sleutel.name]
    for f in folder.iterdir():
        data = f.read_bytes()
        assert MARKER.encode() not in data and b"SQLite format 3" not in data and b"CREATE TABLE" not in data
    store.personen.save_aios(_aios(101))  # after the snapshot: not in it
    copy = Store.open(made.path, WACHTWOORD)
    assert _achternamen(copy) == {f"Achternaam{i}" for i in range(20)} | {MARKER}
    copy.close()
    store.close()


def test_a_back_up_runs_beside_the_users_writes(store: Store, tmp_path: Path) -> None:
    """The snapshot reads through a connection of its own, on a thread; the store goes on writing meanwhile."""
    for i in range(300):
        store.personen.save_aios(_aios(1000 + i))
    taak = store.backup_taak(tmp_path / "back-ups")
    result: list[backups.Backup] = []
    thread = threading.Thread(target=lambda: result.append(taak()))
    thread.start()
    for i in range(20):
        store.personen.save_aios(_aios(5000 + i))
    thread.join(30)
    copy = Store.open(result[0].path, WACHTWOORD)
    assert {f"Achternaam{1000 + i}" for i in range(300)} <= _achternamen(copy)
    assert copy.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    store.close()


def test_changes_since_the_last_back_up_are_known(store: Store, tmp_path: Path) -> None:
    assert store.gewijzigd_sinds_backup
    store.backup_taak(tmp_path / "b")()
    assert not store.gewijzigd_sinds_backup
    store.lock()
    store.unlock(WACHTWOORD)
    assert not store.gewijzigd_sinds_backup
    store.personen.save_aios(_aios(77))
    store.lock()
    store.unlock(WACHTWOORD)
    assert store.gewijzigd_sinds_backup, "a change before a lock still counts after it"
    store.close()


def _fake(folder: Path, moments: list[dt.datetime]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for moment in moments:
        name = folder / f"opslag-{moment:%Y%m%d-%H%M%S}.okdb"
        name.write_bytes(b"x")
        paths.keys_file_for(name).write_bytes(b"{}")


def test_rotation_keeps_recent_daily_and_weekly(tmp_path: Path) -> None:
    # Four a day for 60 days.
    moments = [NU - dt.timedelta(days=d, hours=h) for d in range(60) for h in (0, 3, 6, 9)]
    _fake(tmp_path, moments)
    removed = backups.ruim_op(tmp_path, NU)
    kept = backups.lijst(tmp_path)
    assert len(kept) + len(removed) == 240
    days = {b.gemaakt.date() for b in kept}
    # The newest three, the newest of each of the last 7 days, of each of the last 4 weeks; nothing older.
    assert {NU - dt.timedelta(hours=h) for h in (0, 3, 6)} <= {b.gemaakt for b in kept}
    assert {(NU - dt.timedelta(days=d)).date() for d in range(7)} <= days
    assert min(days) >= (NU - dt.timedelta(weeks=4)).date()
    assert len(kept) <= 3 + 7 + 4
    weeks = {b.gemaakt.isocalendar()[:2] for b in kept}
    assert len(weeks) >= 4
    # Key files go with their databases.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        n for b in kept for n in (b.path.name, b.sleutel.name))


def test_the_daily_back_up_is_due_after_24_hours(tmp_path: Path) -> None:
    assert backups.nodig(tmp_path / "nog-niet", NU)
    _fake(tmp_path, [NU - dt.timedelta(hours=23)])
    assert not backups.nodig(tmp_path, NU)
    assert backups.nodig(tmp_path, NU + dt.timedelta(hours=2))


def test_left_overs_of_an_interrupted_back_up_are_cleared(tmp_path: Path) -> None:
    _fake(tmp_path, [NU - dt.timedelta(hours=1)])
    (tmp_path / ".~opslag-20261130-101010.okdb.1a2b3c4d.tmp").write_bytes(b"half")
    (tmp_path / "opslag-20261130-101010.okdb.sleutel").write_bytes(b"{}")  # its database never came
    old = (NU - dt.timedelta(hours=3)).timestamp()
    for f in tmp_path.iterdir():
        os.utime(f, (old, old))
    backups.ruim_op(tmp_path, NU)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "opslag-20261201-163000.okdb", "opslag-20261201-163000.okdb.sleutel"]


def test_a_back_up_on_a_full_disk_says_so_and_leaves_nothing(store: Store, schijf: Schijf) -> None:
    schijf.vul()
    with pytest.raises(OpslagFout, match="De back-up is niet gemaakt. De schijf is vol"):
        store.backup_taak(schijf.path / "b")()
    assert [p.name for p in (schijf.path / "b").iterdir()] == []
    store.close()


def test_putting_a_back_up_back_keeps_the_current_files(store: Store, tmp_path: Path) -> None:
    made = store.backup_taak(tmp_path / "b")()
    store.personen.save_aios(_aios(500))
    store.close()
    bewaard = backups.zet_terug(made, store.path, NU)
    assert bewaard.name == "opslag-voor-terugzetten-20261201-173000.okdb"
    restored = Store.open(store.path, WACHTWOORD)
    assert "Achternaam500" not in _achternamen(restored)
    restored.close()
    kept = Store.open(bewaard, WACHTWOORD)
    assert "Achternaam500" in _achternamen(kept)
    kept.close()


def test_the_newest_back_up_that_opens_is_found_for_a_damaged_store(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    first = backups.maak(store.path, store.key_file, store._data_key or b"", folder, NU - dt.timedelta(days=2))
    second = backups.maak(store.path, store.key_file, store._data_key or b"", folder, NU - dt.timedelta(days=1))
    newest = backups.maak(store.path, store.key_file, store._data_key or b"", folder, NU)
    store.close()
    newest.path.write_bytes(newest.path.read_bytes()[:100])  # damaged
    # Another store's back-up in the same folder does not open with this wachtwoord's key: left out too.
    shutil.copy2(paths.keys_file_for(first.path), tmp_path / "tmp.sleutel")
    found = backups.die_openen(folder, WACHTWOORD)
    assert [b.path for b, _ in found] == [second.path, first.path]
    assert backups.die_openen(folder, "Helemaal-niet-het-wachtwoord-9") == []


def _dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    conn = store.conn
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: list(conn.execute(f'SELECT * FROM "{t}"')) for t in tables}


def test_a_back_up_put_back_holds_exactly_the_data_it_held(store: Store, tmp_path: Path) -> None:
    """Every row of every table (the search index and its shadow tables too) as it was at the snapshot."""
    from tests.verslagen.conftest import AUTEUR, maak_traject

    traject_id = maak_traject(store)
    verslag_id = store.verslagen.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR).created
    store.verslagen.bewaar(verslag_id, {"aanleiding": "Een aanleiding met é en 🙂"}, 1, auteur=AUTEUR)
    before = _dump(store)
    assert before["verslag"] and before["aios"] and sum(len(rows) for rows in before.values()) > 40
    made = store.backup_taak(tmp_path / "b")()
    store.personen.save_aios(_aios(900))
    store.close()
    backups.zet_terug(made, store.path, NU)
    restored = Store.open(store.path, WACHTWOORD)
    assert _dump(restored) == before
    restored.close()
