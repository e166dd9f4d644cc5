"""Sleutel vernieuwen (issue 13): the store is re-encrypted under a new data key, so an old key file from a
back-up and the old wachtwoord stop opening today's store; a new herstelsleutel; crash-safe: killed at any
moment, the old or the new wachtwoord opens it, never neither, and no committed row is lost."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from ontkoppel_desktop import paths
from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.store import store as store_module
from ontkoppel_desktop.store.database import OpslagFout
from ontkoppel_desktop.store.keys import SleutelFout
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD

NIEUW = "Vers-sleutelwoord-Tulp-63"
ROOT = Path(__file__).resolve().parents[2]


def _aios(i: int) -> Aios:
    return Aios(Naam(f"Voornaam{i}", "", f"Achternaam{i}"), 1, date(2026, 3, 1))


def _achternamen(store: Store) -> set[str]:
    return {a.naam.achternaam for a in store.personen.aios()}


def _rows(store: Store, n: int) -> None:
    for i in range(n):
        store.personen.save_aios(_aios(i))


def test_after_vernieuwen_the_old_key_file_and_wachtwoord_no_longer_open_it(tmp_path: Path) -> None:
    nieuw = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    store = nieuw.store
    _rows(store, 25)
    (tmp_path / "oud").mkdir()
    store.backup(tmp_path / "oud" / "kopie.okdb")
    old_key_file = tmp_path / "oude.sleutel"
    shutil.copy2(paths.keys_file_for(store.path), old_key_file)
    vernieuwing = store.bereid_sleutel_vernieuwing(WACHTWOORD, NIEUW, kdf=FAST_KDF)
    assert vernieuwing.herstelsleutel != nieuw.herstelsleutel
    vernieuwing.voltooi()
    assert not store.locked and _achternamen(store) == {f"Achternaam{i}" for i in range(25)}
    store.personen.save_aios(_aios(99))
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "opslag.okdb", "opslag.okdb.sleutel", "oude.sleutel"]

    with pytest.raises(SleutelFout, match="Onjuist wachtwoord"):
        Store.open(store.path, WACHTWOORD)
    with pytest.raises(SleutelFout):
        Store.open_with_herstelsleutel(store.path, nieuw.herstelsleutel)
    # The old key file with the old wachtwoord (a back-up's, or one kept by someone) opens nothing of today's.
    shutil.copy2(paths.keys_file_for(store.path), tmp_path / "nieuwe.sleutel")
    shutil.copy2(old_key_file, paths.keys_file_for(store.path))
    with pytest.raises(OpslagFout, match="past niet"):
        Store.open(store.path, WACHTWOORD)
    shutil.copy2(tmp_path / "nieuwe.sleutel", paths.keys_file_for(store.path))

    reopened = Store.open(store.path, NIEUW)
    assert len(_achternamen(reopened)) == 26
    reopened.close()
    Store.open_with_herstelsleutel(store.path, vernieuwing.herstelsleutel).close()
    # A back-up made before keeps its own key file, and opens with the old wachtwoord.
    backup = Store.open(tmp_path / "oud" / "kopie.okdb", WACHTWOORD)
    assert len(_achternamen(backup)) == 25
    backup.close()


def test_vernieuwen_asks_the_current_wachtwoord_and_a_new_strong_one(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF).store
    with pytest.raises(SleutelFout, match="Onjuist wachtwoord"):
        store.bereid_sleutel_vernieuwing("Niet-het-huidige-Paard-9", NIEUW, kdf=FAST_KDF)
    with pytest.raises(SleutelFout, match="sterker"):
        store.bereid_sleutel_vernieuwing(WACHTWOORD, "Welkom2024", kdf=FAST_KDF)
    with pytest.raises(SleutelFout, match="ander wachtwoord"):
        store.bereid_sleutel_vernieuwing(WACHTWOORD, WACHTWOORD, kdf=FAST_KDF)
    # Prepared and dropped: nothing written.
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.endswith(".sleutel")}
    store.bereid_sleutel_vernieuwing(WACHTWOORD, NIEUW, kdf=FAST_KDF)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.endswith(".sleutel")} == before
    store.close()
    Store.open(store.path, WACHTWOORD).close()


@pytest.mark.parametrize("moment", ["kopie", "sleutelbestand"])
def test_a_failure_before_the_switch_leaves_the_old_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    store = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF).store
    _rows(store, 10)
    vernieuwing = store.bereid_sleutel_vernieuwing(WACHTWOORD, NIEUW, kdf=FAST_KDF)
    full = OSError(28, "No space left on device")

    def fail(*args: object, **kwargs: object) -> None:
        raise full

    if moment == "kopie":
        monkeypatch.setattr(store_module, "exporteer", fail)
    else:
        monkeypatch.setattr(type(vernieuwing._key_file), "write_atomic", fail)
    monkeypatch.setattr(store_module, "schrijffout",
                        lambda exc, path: OpslagFout("De schijf is vol.") if exc is full else None)
    with pytest.raises(OpslagFout, match="De sleutel is niet vernieuwd; er is niets veranderd. De schijf is vol"):
        vernieuwing.voltooi()
    monkeypatch.undo()
    # Still open and writable with the old key; nothing left beside it.
    store.personen.save_aios(_aios(50))
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opslag.okdb", "opslag.okdb.sleutel"]
    assert len(_achternamen(Store.open(store.path, WACHTWOORD))) == 11


def test_a_crash_after_the_switch_is_finished_at_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF).store
    _rows(store, 10)
    vernieuwing = store.bereid_sleutel_vernieuwing(WACHTWOORD, NIEUW, kdf=FAST_KDF)

    def power_cut(*args: object) -> None:
        raise KeyboardInterrupt("stroom weg")

    monkeypatch.setattr(store_module, "_rond_vernieuwing_af", power_cut)
    with pytest.raises(KeyboardInterrupt):
        vernieuwing.voltooi()
    monkeypatch.undo()
    assert (tmp_path / "opslag.okdb.vernieuwd").exists()
    with pytest.raises(SleutelFout, match="Onjuist wachtwoord"):
        Store.open(store.path, WACHTWOORD)
    assert (tmp_path / "opslag.okdb.vernieuwd").exists(), "a wrong wachtwoord touches nothing"
    reopened = Store.open(store.path, NIEUW)
    assert len(_achternamen(reopened)) == 10
    reopened.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opslag.okdb", "opslag.okdb.sleutel"]


@pytest.mark.parametrize("size", [0, 100, 4096 + 5])
def test_an_empty_or_cut_off_left_over_copy_never_replaces_the_store(tmp_path: Path, size: int) -> None:
    """Found by the kill test: a copy killed before its first page was written is an empty file, and SQLite
    opens an empty file with any key (as a new database); it must not take the store's place."""
    store = Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF).store
    _rows(store, 10)
    store.close()
    (tmp_path / "opslag.okdb.vernieuwd").write_bytes(b"\0" * size)
    reopened = Store.open(store.path, WACHTWOORD)
    assert len(_achternamen(reopened)) == 10
    reopened.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opslag.okdb", "opslag.okdb.sleutel"]


# ---- kill -9 -------------------------------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path
    from ontkoppel_desktop.core.personen import Aios, Naam
    from ontkoppel_desktop.store.store import Store
    from tests.conftest import FAST_KDF

    path, wachtwoord, ander, start = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = Store.open(path, wachtwoord)
    i = start
    while True:
        store.personen.save_aios(Aios(Naam("Kind", "", f"Rij{i}"), 1, date(2026, 3, 1)))
        print(f"rij {i}", flush=True)
        i += 1
        vernieuwing = store.bereid_sleutel_vernieuwing(wachtwoord, ander, kdf=FAST_KDF)
        print(f"begin {ander}", flush=True)
        vernieuwing.voltooi()
        print(f"klaar {ander}", flush=True)
        wachtwoord, ander = ander, wachtwoord
    """
)

A, B = WACHTWOORD, NIEUW


def _which_opens(path: Path) -> list[str]:
    opened = []
    for wachtwoord in (A, B):
        try:
            store = Store.open(path, wachtwoord)
        except SleutelFout:
            continue
        opened.append(wachtwoord)
        store.close()
    return opened


def test_killed_at_random_during_vernieuwen_old_or_new_opens_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "kill.okdb"
    Store.create(path, A, FAST_KDF).store.close()
    seed = int(os.environ.get("ONTKOPPEL_CRASH_SEED") or random.SystemRandom().randrange(1 << 32))
    print(f"ONTKOPPEL_CRASH_SEED={seed}")
    rng = random.Random(seed)
    acked: set[str] = set()
    current, kills, during = A, 0, 0
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    while kills < 20:
        other = B if current == A else A
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path), current, other, str(len(acked) + 1000 * kills)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
        )
        # The delay counts from the child's first committed row, not from its start: on a loaded machine the
        # imports alone can take longer than the whole window, and every kill would then land before any work.
        assert child.stdout is not None
        first = child.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.5))
        child.kill()
        out, err = child.communicate()
        out = first + out
        kills += 1
        assert "Traceback" not in err, err
        in_rotation: str | None = None
        for line in out.splitlines():
            kind, value = line.split(" ", 1)
            if kind == "rij":
                acked.add(f"Rij{value}")
            elif kind == "begin":
                in_rotation = value
            elif kind == "klaar":
                current, in_rotation = value, None
        during += in_rotation is not None
        opened = _which_opens(path)
        assert len(opened) == 1, (seed, kills, opened)
        assert opened[0] in ({current} if in_rotation is None else {current, in_rotation}), (seed, kills)
        current = opened[0]
        store = Store.open(path, current)
        found = {a.naam.achternaam for a in store.personen.aios()}
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        store.close()
        assert acked <= found, (seed, kills, sorted(acked - found))
        leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("kill.okdb", "kill.okdb.sleutel"))
        assert [n for n in leftovers if n.endswith(".vernieuwd")] == [], (seed, kills, leftovers)
    assert during >= 3, "some kills came during a vernieuwing"
