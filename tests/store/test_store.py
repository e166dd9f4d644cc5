from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import pytest

from ontkoppel_desktop import paths
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.store import keys
from ontkoppel_desktop.store.database import OpslagFout, beschadigd_melding, sleutel_past_niet_melding
from ontkoppel_desktop.store.keys import ONJUIST_WACHTWOORD, SleutelFout
from ontkoppel_desktop.store.store import Store, VergrendeldFout
from tests.conftest import FAST_KDF, WACHTWOORD

MARKER = "Vertrouwelijk-Markeer-7f3a9"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_marker(store: Store) -> None:
    store.personen.save_aios(Aios(Naam(MARKER, "", MARKER), 1, date(2026, 3, 1)))


def test_create_write_close_open_read(tmp_path: Path) -> None:
    nieuw = Store.create(tmp_path / "a.okdb", WACHTWOORD, FAST_KDF)
    write_marker(nieuw.store)
    nieuw.store.close()
    store = Store.open(tmp_path / "a.okdb", WACHTWOORD)
    assert [a.naam.voornaam for a in store.personen.aios()] == [MARKER]
    store.close()


def test_create_refuses_an_existing_file(tmp_path: Path, store: Store) -> None:
    with pytest.raises(OpslagFout, match="bestaat al"):
        Store.create(store.path, WACHTWOORD, FAST_KDF)


def test_create_refuses_a_weak_wachtwoord(tmp_path: Path) -> None:
    with pytest.raises(SleutelFout, match="sterker wachtwoord"):
        Store.create(tmp_path / "a.okdb", "kort", FAST_KDF)
    assert not (tmp_path / "a.okdb").exists()


def test_no_plaintext_in_store_wal_or_temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("SQLITE_TMPDIR", str(temp))
    store = Store.create(tmp_path / "s" / "a.okdb", WACHTWOORD, FAST_KDF).store
    for i in range(300):  # enough to spill pages into the WAL
        store.personen.save_aios(Aios(Naam(f"{MARKER}{i}", "", MARKER), 1, date(2026, 3, 1)))
    # A sort big enough that SQLite would use a temp file if it were allowed to.
    store.conn.execute("SELECT * FROM aios ORDER BY achternaam || voornaam").fetchall()
    wal = tmp_path / "s" / "a.okdb-wal"
    assert wal.exists() and wal.stat().st_size > 0, "the test must look at a WAL that holds the writes"
    for folder in (tmp_path / "s", temp):
        for f in folder.rglob("*"):
            if f.is_file():
                data = f.read_bytes()
                assert MARKER.encode() not in data, f
                assert b"CREATE TABLE" not in data, f
                assert b"SQLite format 3" not in data, f
    store.close()


def test_wrong_wachtwoord_gives_dutch_error_and_leaves_file_unchanged(store: Store) -> None:
    write_marker(store)
    store.close()
    before = digest(store.path), digest(paths.keys_file_for(store.path))
    with pytest.raises(SleutelFout) as caught:
        Store.open(store.path, "Verkeerd-wachtwoord-1")
    assert str(caught.value) == ONJUIST_WACHTWOORD
    assert (digest(store.path), digest(paths.keys_file_for(store.path))) == before


def _corrupt(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2 + 100])
    else:
        offset = {"flip-first-page": 100, "flip-last-page": len(data) - 200}[how]
        data[offset] ^= 0x40
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncate", "flip-first-page", "flip-last-page"])
def test_damaged_file_gives_dutch_error_and_stays_as_it_was(store: Store, how: str) -> None:
    for i in range(200):
        store.personen.save_aios(Aios(Naam(f"a{i}", "", "Jansen"), 1, date(2026, 3, 1)))
    store.close()
    assert store.path.stat().st_size > 4096 * 3
    _corrupt(store.path, how)
    before = digest(store.path)
    with pytest.raises(OpslagFout) as caught:
        Store.open(store.path, WACHTWOORD)
    # The first page is where a wrong key shows too: from outside, a damaged first page and a key file of
    # another store look alike, and the message names both. Elsewhere the damage is said as damage.
    expected = (
        sleutel_past_niet_melding(store.path.name, paths.keys_file_for(store.path).name)
        if how == "flip-first-page"
        else beschadigd_melding(store.path.name)
    )
    assert str(caught.value) == expected
    assert digest(store.path) == before


def test_herstelsleutel_opens_and_forces_a_new_wachtwoord(tmp_path: Path) -> None:
    nieuw = Store.create(tmp_path / "a.okdb", WACHTWOORD, FAST_KDF)
    write_marker(nieuw.store)
    nieuw.store.close()
    store = Store.open_with_herstelsleutel(tmp_path / "a.okdb", nieuw.herstelsleutel)
    assert store.needs_new_wachtwoord
    assert [a.naam.voornaam for a in store.personen.aios()] == [MARKER]
    store.change_wachtwoord("Nieuw-en-sterk-wachtwoord-2", kdf=FAST_KDF)
    assert not store.needs_new_wachtwoord
    store.close()
    Store.open(tmp_path / "a.okdb", "Nieuw-en-sterk-wachtwoord-2").close()
    with pytest.raises(SleutelFout):
        Store.open(tmp_path / "a.okdb", WACHTWOORD)
    # The herstelsleutel keeps working after the change.
    Store.open_with_herstelsleutel(tmp_path / "a.okdb", nieuw.herstelsleutel).close()


def test_wrong_herstelsleutel_is_refused(store: Store) -> None:
    store.close()
    with pytest.raises(SleutelFout, match="herstelsleutel hoort niet bij deze opslag"):
        Store.open_with_herstelsleutel(store.path, keys.new_herstelsleutel())


def test_change_wachtwoord_needs_the_current_one(store: Store) -> None:
    with pytest.raises(SleutelFout):
        store.change_wachtwoord("Nieuw-en-sterk-wachtwoord-2", "Niet-het-huidige-1", kdf=FAST_KDF)
    with pytest.raises(SleutelFout, match="huidige wachtwoord"):
        store.change_wachtwoord("Nieuw-en-sterk-wachtwoord-2", kdf=FAST_KDF)


@pytest.mark.parametrize("crash_at", ["write", "fsync", "replace"])
def test_interrupted_wachtwoord_change_leaves_the_old_wachtwoord_working(
    store: Store, monkeypatch: pytest.MonkeyPatch, crash_at: str
) -> None:
    nieuw = "Nieuw-en-sterk-wachtwoord-2"

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("stroom uitgevallen")

    target = {"write": "open", "fsync": "fsync", "replace": "replace"}[crash_at]
    if target == "open":
        monkeypatch.setattr("builtins.open", crash)
    else:
        monkeypatch.setattr(os, target, crash)
    # A disk that fails the write is said in Dutch, with what still holds.
    with pytest.raises(OpslagFout, match="Je huidige wachtwoord blijft geldig"):
        store.change_wachtwoord(nieuw, WACHTWOORD, kdf=FAST_KDF)
    monkeypatch.undo()
    store.close()
    Store.open(store.path, WACHTWOORD).close()
    with pytest.raises(SleutelFout):
        Store.open(store.path, nieuw)
    assert [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_completed_wachtwoord_change_switches_to_the_new_one(store: Store) -> None:
    store.change_wachtwoord("Nieuw-en-sterk-wachtwoord-2", WACHTWOORD, kdf=FAST_KDF)
    store.close()
    Store.open(store.path, "Nieuw-en-sterk-wachtwoord-2").close()
    with pytest.raises(SleutelFout):
        Store.open(store.path, WACHTWOORD)


def test_missing_key_file_is_explained(store: Store) -> None:
    store.close()
    paths.keys_file_for(store.path).unlink()
    with pytest.raises(SleutelFout, match="sleutelbestand .* ontbreekt"):
        Store.open(store.path, WACHTWOORD)


def test_key_file_of_another_store_is_refused(tmp_path: Path) -> None:
    a = Store.create(tmp_path / "a.okdb", WACHTWOORD, FAST_KDF).store
    b = Store.create(tmp_path / "b.okdb", WACHTWOORD, FAST_KDF).store
    a.close()
    b.close()
    paths.keys_file_for(a.path).write_bytes(paths.keys_file_for(b.path).read_bytes())
    # b's key unwraps fine but cannot decrypt a: refused before anything is written.
    before = digest(a.path)
    with pytest.raises(OntkoppelError):
        Store.open(a.path, WACHTWOORD)
    assert digest(a.path) == before


def test_lock_closes_the_database_until_unlocked(store: Store) -> None:
    write_marker(store)
    store.lock()
    assert store.locked
    with pytest.raises(VergrendeldFout):
        store.personen.aios()
    with pytest.raises(SleutelFout):
        store.unlock("Verkeerd-wachtwoord-1")
    assert store.locked
    store.unlock(WACHTWOORD)
    assert [a.naam.voornaam for a in store.personen.aios()] == [MARKER]


def test_backup_travels_with_its_key_file(store: Store, tmp_path: Path) -> None:
    write_marker(store)
    target = tmp_path / "kopie" / "backup.okdb"
    target.parent.mkdir()
    store.backup(target)
    assert paths.keys_file_for(target).exists()
    copy = Store.open(target, WACHTWOORD)
    assert [a.naam.voornaam for a in copy.personen.aios()] == [MARKER]
    assert MARKER.encode() not in target.read_bytes()
    copy.close()


def test_a_store_from_a_newer_app_is_refused(store: Store) -> None:
    store.conn.execute("PRAGMA user_version = 999")
    store.close()
    with pytest.raises(OpslagFout, match="nieuwere versie"):
        Store.open(store.path, WACHTWOORD)


def test_connection_settings(store: Store) -> None:
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    # SQLCipher 4 defaults (cipher_compatibility = 4): 4 KiB pages, HMAC-SHA512.
    assert conn.execute("PRAGMA cipher_page_size").fetchone()[0] == "4096"
    assert conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == "HMAC_SHA512"


def test_sqlcipher_stays_silent_on_a_wrong_key(store: Store, capfd: pytest.CaptureFixture[str]) -> None:
    store.close()
    key_file = Store.read_key_file(store.path)
    with pytest.raises(OpslagFout):
        Store.open_with_key(store.path, key_file, keys.new_data_key())
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
