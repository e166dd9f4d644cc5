"""Nothing half-written stays behind (issue 12, defect 6): a create on a full disk leaves no file, so a retry
does not say "bestaat al"; an interrupted wachtwoord change leaves no temporary key file for good."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ontkoppel_desktop import atomic, paths
from ontkoppel_desktop.store.database import OpslagFout
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 KiB tmpfs: too small for a store (CI runs as root)."""
    mount = tmp_path / "schijf"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_create_on_a_full_disk_leaves_nothing_and_says_schijf_vol(small_disk: Path) -> None:
    path = small_disk / "opslag.okdb"
    for _ in range(2):  # the retry gets the same answer, not "bestaat al"
        with pytest.raises(OpslagFout) as raised:
            Store.create(path, WACHTWOORD, FAST_KDF)
        assert "schijf is vol" in str(raised.value) and "bestaat al" not in str(raised.value)
        assert list(small_disk.iterdir()) == []


@pytest.mark.parametrize("moment", ["database", "key_file"])
def test_create_failing_with_enospc_at_any_step_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if moment == "database":
        import ontkoppel_desktop.store.store as store_module

        def connect(*args: object, **kwargs: object) -> None:
            (tmp_path / "opslag.okdb").write_bytes(b"")  # what SQLite had created before the disk filled
            raise full

        monkeypatch.setattr(store_module, "connect", connect)
    else:
        def write(tmp: Path) -> None:
            tmp.write_bytes(b"{")
            raise full

        monkeypatch.setattr(atomic, "write_atomic", lambda p, d: atomic.write_atomic_with(p, write))
        import ontkoppel_desktop.store.keys as keys_module

        monkeypatch.setattr(keys_module, "write_atomic", atomic.write_atomic)
    with pytest.raises(OpslagFout, match="schijf is vol"):
        Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    Store.create(tmp_path / "opslag.okdb", WACHTWOORD, FAST_KDF).store.close()


def test_wachtwoord_change_on_a_full_disk_keeps_the_old_one_and_leaves_no_temp(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_path = paths.keys_file_for(store.path)
    before = hashlib.sha256(key_path.read_bytes()).hexdigest()
    real_open = open

    def full_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        handle = real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]
        if "w" in mode and str(file).endswith(".tmp"):
            handle.close()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return handle

    monkeypatch.setattr("builtins.open", full_open)
    with pytest.raises(OpslagFout, match="schijf is vol.*huidige wachtwoord blijft geldig"):
        store.change_wachtwoord("Nieuw-paard-batterij-8", WACHTWOORD, FAST_KDF)
    monkeypatch.undo()
    assert hashlib.sha256(key_path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")) == []
    store.close()
    Store.open(store.path, WACHTWOORD).close()


def _temp_beside(store_path: Path, hex8: str, age_s: float) -> Path:
    temp = store_path.parent / f".~{paths.keys_file_for(store_path).name}.{hex8}.tmp"
    temp.write_bytes(b"half")
    stamp = time.time() - age_s
    os.utime(temp, (stamp, stamp))
    return temp


def test_opening_sweeps_old_temporary_key_files_of_a_killed_change(tmp_path: Path) -> None:
    path = tmp_path / "opslag.okdb"
    Store.create(path, WACHTWOORD, FAST_KDF).store.close()
    stale = _temp_beside(path, "0a1b2c3d", age_s=3600)
    fresh = _temp_beside(path, "deadbeef", age_s=0)  # a change running right now elsewhere keeps its file
    other = tmp_path / ".~ander.okdb.sleutel.0a1b2c3d.tmp"  # another store's is not ours to remove
    other.write_bytes(b"x")
    os.utime(other, (time.time() - 3600,) * 2)
    unrelated = tmp_path / ".~opslag.okdb.sleutel.notes.tmp"
    unrelated.write_bytes(b"x")
    os.utime(unrelated, (time.time() - 3600,) * 2)
    Store.open(path, WACHTWOORD).close()
    assert not stale.exists()
    assert fresh.exists() and other.exists() and unrelated.exists()
