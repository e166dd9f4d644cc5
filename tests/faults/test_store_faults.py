"""Each fault its own Dutch answer, and nothing half-written (issue 12, defects 4 and 5).

A failed open proves the key and the file on a read-only connection first, so it leaves every file as it
was, also a -wal left by a crash; a write, a wachtwoord change or a back-up the disk refuses (full, read-only)
says so and leaves the previous state intact.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from ontkoppel_desktop import paths
from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.store import database
from ontkoppel_desktop.store.database import (
    OpslagFout,
    beschadigd_melding,
    bestand_alleen_lezen_melding,
    geen_schrijfrechten_melding,
    schijf_vol_melding,
    sleutel_past_niet_melding,
)
from ontkoppel_desktop.store.keys import ONJUIST_WACHTWOORD, ONJUISTE_HERSTELSLEUTEL, SleutelFout
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.schijf import Schijf, vingerafdruk

NIEUW = "Ander-sterk-wachtwoord-9"


def _aios(i: int) -> Aios:
    return Aios(Naam(f"Voornaam{i}", "", f"Achternaam{i}"), 1, date(2026, 3, 1))


def _achternamen(store: Store) -> set[str]:
    return {a.naam.achternaam for a in store.personen.aios()}


def _crash_copy(tmp_path: Path, rows: int = 30) -> tuple[Path, str]:
    """A store as a crash leaves it: its last writes only in the -wal (copied while the store was open)."""
    source = tmp_path / "bron" / "opslag.okdb"
    nieuw = Store.create(source, WACHTWOORD, FAST_KDF)
    for i in range(rows):
        nieuw.store.personen.save_aios(_aios(i))
    target = tmp_path / "na-crash"
    target.mkdir()
    for f in source.parent.iterdir():
        shutil.copy2(f, target / f.name)
    nieuw.store.close()
    copy = target / source.name
    assert (target / "opslag.okdb-wal").stat().st_size > 0, "the test needs a -wal that holds the writes"
    return copy, nieuw.herstelsleutel


# ---- a failed open changes nothing ---------------------------------------------------------------------


def test_a_crash_copy_opens_with_every_row(tmp_path: Path) -> None:
    copy, _ = _crash_copy(tmp_path)
    store = Store.open(copy, WACHTWOORD)
    assert len(_achternamen(store)) == 30
    store.close()


def test_a_wrong_wachtwoord_says_so_and_leaves_the_wal_alone(tmp_path: Path) -> None:
    copy, _ = _crash_copy(tmp_path)
    before = vingerafdruk(copy.parent)
    with pytest.raises(SleutelFout) as raised:
        Store.open(copy, "Helemaal-niet-het-wachtwoord-1")
    assert str(raised.value) == ONJUIST_WACHTWOORD
    assert vingerafdruk(copy.parent) == before


def test_a_wrong_herstelsleutel_says_so(tmp_path: Path) -> None:
    copy, _ = _crash_copy(tmp_path)
    before = vingerafdruk(copy.parent)
    with pytest.raises(SleutelFout) as raised:
        Store.open_with_herstelsleutel(copy, "0000-0000-0000-0000-0000-0000-0000-0000")
    assert str(raised.value) == ONJUISTE_HERSTELSLEUTEL
    assert vingerafdruk(copy.parent) == before


def test_a_key_file_of_another_store_leaves_the_wal_alone(tmp_path: Path) -> None:
    """Defect 5: a read-write connection closed after a wrong key checkpointed the -wal into the file."""
    copy, _ = _crash_copy(tmp_path)
    other = Store.create(tmp_path / "ander" / "ander.okdb", WACHTWOORD, FAST_KDF)
    other.store.close()
    shutil.copy2(paths.keys_file_for(other.store.path), paths.keys_file_for(copy))
    before = vingerafdruk(copy.parent)
    with pytest.raises(OpslagFout) as raised:
        Store.open(copy, WACHTWOORD)
    assert str(raised.value) == sleutel_past_niet_melding(copy.name, paths.keys_file_for(copy).name)
    assert "Onjuist wachtwoord" not in str(raised.value)
    assert vingerafdruk(copy.parent) == before
    # With its own key file back, every row is still there.
    shutil.copy2(tmp_path / "bron" / paths.keys_file_for(copy).name, paths.keys_file_for(copy))
    store = Store.open(copy, WACHTWOORD)
    assert len(_achternamen(store)) == 30
    store.close()


@pytest.mark.parametrize("size", [0, 1, 100, 4095, 4096 + 17])
def test_a_truncated_store_is_refused_and_gets_no_schema(tmp_path: Path, size: int) -> None:
    """Defect 5: an empty or one-byte file was taken for a new database and got a fresh schema."""
    nieuw = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    for i in range(50):
        nieuw.store.personen.save_aios(_aios(i))
    nieuw.store.close()
    path = nieuw.store.path
    path.write_bytes(path.read_bytes()[:size])
    before = vingerafdruk(tmp_path)
    with pytest.raises(OpslagFout) as raised:
        Store.open(path, WACHTWOORD)
    assert str(raised.value) == beschadigd_melding(path.name)
    assert vingerafdruk(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opslag.okdb", "opslag.okdb.sleutel"]


def test_twenty_byte_flips_are_refused_with_the_file_untouched(tmp_path: Path) -> None:
    nieuw = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    for i in range(300):
        nieuw.store.personen.save_aios(_aios(i))
    nieuw.store.close()
    path = nieuw.store.path
    original = path.read_bytes()
    rng = random.Random(12)
    key_name = paths.keys_file_for(path).name
    for _ in range(20):
        data = bytearray(original)
        offset = rng.randrange(len(data))
        data[offset] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        before = vingerafdruk(tmp_path)
        with pytest.raises(OpslagFout) as raised:
            Store.open(path, WACHTWOORD)
        expected = sleutel_past_niet_melding(path.name, key_name) if offset < 4096 else beschadigd_melding(path.name)
        assert str(raised.value) == expected, offset
        assert vingerafdruk(tmp_path) == before
    path.write_bytes(original)
    Store.open(path, WACHTWOORD).close()


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"\xff\xfe" + raw,
        lambda raw: json.dumps({**json.loads(raw), "format": 99}).encode(),
        lambda raw: json.dumps({**json.loads(raw), "herstelsleutel": {"kind": "x"}}).encode(),
    ],
    ids=["leeg", "afgekapt", "rommel", "onbekend-formaat", "herstel-kapot"],
)
def test_a_damaged_key_file_is_said_as_such(tmp_path: Path, damage: object) -> None:
    copy, _ = _crash_copy(tmp_path)
    key_path = paths.keys_file_for(copy)
    key_path.write_bytes(damage(key_path.read_bytes()))  # type: ignore[operator]
    before = vingerafdruk(copy.parent)
    with pytest.raises(SleutelFout) as raised:
        Store.open(copy, WACHTWOORD)
    assert f"sleutelbestand {key_path.name} is beschadigd" in str(raised.value)
    assert vingerafdruk(copy.parent) == before


# ---- no write permission ---------------------------------------------------------------------------------


def test_a_store_on_a_read_only_disk_says_so_and_stays_as_it_was(schijf: Schijf) -> None:
    nieuw = Store.create(schijf.path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    nieuw.store.personen.save_aios(_aios(1))
    nieuw.store.close()
    schijf.alleen_lezen()
    before = vingerafdruk(schijf.path)
    with pytest.raises(OpslagFout) as raised:
        Store.open(nieuw.store.path, WACHTWOORD)
    assert str(raised.value) == geen_schrijfrechten_melding(schijf.path)
    assert vingerafdruk(schijf.path) == before
    # The wrong wachtwoord is still said first: it is known before the disk is looked at.
    with pytest.raises(SleutelFout, match="Onjuist wachtwoord"):
        Store.open(nieuw.store.path, NIEUW)


def test_a_disk_that_turns_read_only_while_locked(schijf: Schijf) -> None:
    """A USB stick's write switch, or IT making a share read-only: the unlock says so, and nothing changes."""
    nieuw = Store.create(schijf.path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    store = nieuw.store
    store.personen.save_aios(_aios(1))
    store.lock()
    schijf.alleen_lezen()
    before = vingerafdruk(schijf.path)
    with pytest.raises(OpslagFout) as raised:
        store.unlock(WACHTWOORD)
    assert str(raised.value) == geen_schrijfrechten_melding(schijf.path)
    assert vingerafdruk(schijf.path) == before
    schijf.alleen_lezen(False)
    store.unlock(WACHTWOORD)
    assert _achternamen(store) == {"Achternaam1"}
    store.close()


def test_writes_refused_by_the_disk_say_so_in_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way the disk refuses a write mid-session (it cannot be made read-only under an open file here)
    ends in a Dutch answer, the transaction rolled back."""
    nieuw = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    store = nieuw.store
    store.personen.save_aios(_aios(1))
    for code, expected in [
        (8, "kan niet geschreven worden"),  # SQLITE_READONLY
        (5, "bezig in een ander programma"),  # SQLITE_BUSY: a second writer held the lock too long
        (778, "niet naar de schijf geschreven"),  # SQLITE_IOERR_WRITE: a stick pulled out
    ]:
        error = database.sqlcipher3.OperationalError("failure")
        error.sqlite_errorcode = code  # type: ignore[attr-defined]

        def refuse(*args: object, error: Exception = error) -> None:
            raise error

        with pytest.raises(OpslagFout, match=expected), store.transactions.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('proef', 'x')")
            refuse()
        assert store.conn.execute("SELECT count(*) FROM meta WHERE key = 'proef'").fetchone()[0] == 0
        assert not store.conn.in_transaction
    store.close()


def test_a_read_only_store_file_is_said_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows' read-only attribute (root ignores the Unix permission bits, so os.access says it here)."""
    nieuw = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    nieuw.store.close()
    real_access = database.os.access
    path = nieuw.store.path
    monkeypatch.setattr(database.os, "access", lambda p, mode: Path(p) != path and real_access(p, mode))
    with pytest.raises(OpslagFout) as raised:
        Store.open(path, WACHTWOORD)
    assert str(raised.value) == bestand_alleen_lezen_melding(path.name)


def test_a_back_up_into_a_read_only_folder(schijf: Schijf, tmp_path: Path) -> None:
    nieuw = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    schijf.alleen_lezen()
    try:
        with pytest.raises(OpslagFout) as raised:
            nieuw.store.backup(schijf.path / "kopie.okdb")
        assert str(raised.value).startswith("Er is geen back-up gemaakt.")
        assert "kan niet geschreven worden" in str(raised.value)
    finally:
        nieuw.store.close()
    assert list(schijf.path.iterdir()) == []


# ---- a full disk ---------------------------------------------------------------------------------------


def test_writes_on_a_full_disk_say_so_and_lose_nothing(schijf: Schijf) -> None:
    nieuw = Store.create(schijf.path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    store = nieuw.store
    committed: set[str] = set()
    schijf.vul()
    refused = 0
    # A few writes may still fit in pages the WAL already has; then the disk refuses, each time in Dutch.
    for i in range(200):
        try:
            store.personen.save_aios(_aios(i))
        except OpslagFout as exc:
            assert str(exc) == schijf_vol_melding("opslag.okdb")
            refused += 1
        else:
            committed.add(f"Achternaam{i}")
    assert refused > 0
    assert _achternamen(store) == committed
    with pytest.raises(OpslagFout) as raised:
        store.change_wachtwoord(NIEUW, WACHTWOORD, kdf=FAST_KDF)
    assert str(raised.value).startswith(schijf_vol_melding("opslag.okdb.sleutel"))
    with pytest.raises(OpslagFout) as raised:
        store.backup(schijf.path / "kopie.okdb")
    assert str(raised.value).startswith("Er is geen back-up gemaakt. De schijf is vol")
    schijf.maak_ruimte()
    # With room again the same store goes on, and a reopen holds exactly what was committed.
    store.personen.save_aios(_aios(999))
    store.close()
    assert sorted(p.name for p in schijf.path.iterdir() if not p.name.startswith("opslag.okdb")) == []
    store = Store.open(schijf.path / "opslag.okdb", WACHTWOORD)
    assert _achternamen(store) == committed | {"Achternaam999"}
    store.close()
    with pytest.raises(SleutelFout):
        Store.open(schijf.path / "opslag.okdb", NIEUW)


def test_a_store_found_damaged_in_the_background_is_closed_without_a_checkpoint(tmp_path: Path) -> None:
    """The app checks the whole file beside the user's first look; when that finds damage, closing the store
    must not fold the -wal into the damaged file: it stays as it was found."""
    nieuw = Store.create(tmp_path / "bron" / "opslag.okdb", WACHTWOORD, FAST_KDF)
    for i in range(300):
        nieuw.store.personen.save_aios(_aios(i))
    nieuw.store.close()  # checkpointed: the rows are in the main file
    store = Store.open(nieuw.store.path, WACHTWOORD)
    store.personen.save_aios(_aios(1000))  # and one only in the -wal
    copy = tmp_path / "na-crash"
    copy.mkdir()
    for f in nieuw.store.path.parent.iterdir():
        shutil.copy2(f, copy / f.name)
    store.close()
    path = copy / "opslag.okdb"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))
    before = vingerafdruk(copy)
    assert (copy / "opslag.okdb-wal").stat().st_size > 0
    key_file = Store.read_key_file(path)
    damaged = Store.open_with_key(path, key_file, key_file.unwrap_wachtwoord(WACHTWOORD), check_in_background=True)
    damaged.integrity.wait()
    assert damaged.integrity.failed
    with pytest.raises(OpslagFout, match="beschadigd"):
        damaged.personen.save_aios(_aios(2000))
    damaged.close()
    assert vingerafdruk(copy) == before


# ---- the -wal: folded in on close, and a damaged one said before anything else ----------------------------


@pytest.mark.parametrize("in_background", [False, True])
def test_a_closed_or_locked_store_is_one_file_and_its_key_file(
    tmp_path: Path, in_background: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: a copy of the .okdb and its key file alone holds every committed row, also when the store was
    locked while the background check still ran (its read would have kept the -wal from being folded in)."""
    nieuw = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    nieuw.store.close()
    check = database._check_whole_file

    def slow_check(conn: object, message: str) -> None:
        time.sleep(0.5)
        check(conn, message)

    monkeypatch.setattr(database, "_check_whole_file", slow_check)
    key_file = Store.read_key_file(nieuw.store.path)
    store = Store.open_with_key(nieuw.store.path, key_file, key_file.unwrap_wachtwoord(WACHTWOORD),
                                check_in_background=in_background)
    for i in range(40):
        store.personen.save_aios(_aios(i))
    store.lock()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opslag.okdb", "opslag.okdb.sleutel"]
    copy = tmp_path / "kopie"
    copy.mkdir()
    for f in tmp_path.glob("opslag.okdb*"):
        shutil.copy2(f, copy / f.name)
    assert len(_achternamen(Store.open(copy / "opslag.okdb", WACHTWOORD))) == 40


def _damage_wal_frame(wal: Path, fraction: float) -> None:
    data = bytearray(wal.read_bytes())
    frame = 24 + 4096
    frames = (len(data) - 32) // frame
    index = min(frames - 1, int(frames * fraction))
    data[32 + index * frame + 24 + 1000] ^= 0x08
    wal.write_bytes(bytes(data))


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_a_damaged_wal_is_said_before_anything_else_happens(tmp_path: Path, fraction: float) -> None:
    """Issue 13: SQLite replays a -wal up to its first damaged frame and drops the rest without a word."""
    copy, _ = _crash_copy(tmp_path, rows=200)
    _damage_wal_frame(copy.with_name("opslag.okdb-wal"), fraction)
    before = vingerafdruk(copy.parent)
    names = sorted(p.name for p in copy.parent.iterdir())
    with pytest.raises(OpslagFout) as raised:
        Store.open(copy, WACHTWOORD)
    assert "logbestand opslag.okdb-wal is beschadigd" in str(raised.value)
    assert "Er is niets aan veranderd" in str(raised.value)
    assert vingerafdruk(copy.parent) == before
    assert sorted(p.name for p in copy.parent.iterdir()) == names


def test_a_write_torn_by_the_crash_itself_is_no_damage(tmp_path: Path) -> None:
    """The very last frame is where a crash tears a write that was never committed: that -wal opens."""
    copy, _ = _crash_copy(tmp_path, rows=200)
    _damage_wal_frame(copy.with_name("opslag.okdb-wal"), 1.0)
    store = Store.open(copy, WACHTWOORD)
    assert len(_achternamen(store)) >= 199
    store.close()


def test_a_back_up_into_a_folder_that_does_not_exist_yet_makes_it(tmp_path: Path) -> None:
    """Found by the plaintext scan: a missing folder was said as "geen schrijfrechten"."""
    nieuw = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    made = nieuw.store.backup(tmp_path / "nieuw" / "map" / "kopie.okdb")
    nieuw.store.close()
    Store.open(made, WACHTWOORD).close()
