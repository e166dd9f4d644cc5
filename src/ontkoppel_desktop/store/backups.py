"""Automatic encrypted back-ups: made on close and daily, rotated, listed, and put back.

Each back-up is a consistent snapshot through SQLite's backup API on a read-only connection of its own (so it
can run beside the user's work, on a worker thread), encrypted with the store's own data key, with a copy of
the key file beside it: it opens with the wachtwoord (and herstelsleutel) that held when it was made. A key
file is written first and the database last, under a temporary name renamed into place, so a back-up that is
there is whole. Qt-free.

Kept (`te_bewaren`): the newest few whatever their age, the newest of each of the last 7 days, and the newest
of each of the last 4 weeks; everything older goes, key file and all. So data deleted from the store (after
its bewaartermijn) is gone from the last back-up at most `BEWAARHORIZON` later (`verdwenen_uit_backups_op`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from ontkoppel_desktop import paths
from ontkoppel_desktop.store.database import _raw_connect, opent_met, zonder_resten
from ontkoppel_desktop.store.keys import KeyFile

RECENT = 3
DAGEN = 7
WEKEN = 4
BEWAARHORIZON = dt.timedelta(weeks=WEKEN, days=1)
# A daily back-up is due when the newest is older than this.
DAGELIJKS = dt.timedelta(hours=24)
_STEMPEL = "%Y%m%d-%H%M%S"
_NAAM = re.compile(r"(?P<stam>.+)-(?P<stempel>\d{8}-\d{6})" + re.escape(paths.STORE_SUFFIX))
# Left by a back-up that was interrupted (its own clean-up never ran): older than this, it is no back-up in
# the making any more.
_ACHTERGELATEN = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Backup:
    path: Path
    gemaakt: dt.datetime  # local time, as in the file name

    @property
    def sleutel(self) -> Path:
        return paths.keys_file_for(self.path)

    @property
    def grootte(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def map_voor(basis: Path, store_path: Path, store_id: str) -> Path:
    """The folder of one store's back-ups inside the chosen back-up folder: by name and id, so two stores with
    the same file name do not rotate each other's back-ups away."""
    return basis / f"{store_path.stem}-{store_id[:8]}"


def standaard_basis() -> Path:
    """On this computer, in the app's own data folder (%LOCALAPPDATA% on Windows): neither roamed nor synced."""
    return paths.data_dir() / "back-ups"


def lijst(map_pad: Path) -> list[Backup]:
    """The whole back-ups in `map_pad`, newest first (a database file with its key file)."""
    found = []
    try:
        entries = list(map_pad.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = _NAAM.fullmatch(entry.name)
        if match is None or not paths.keys_file_for(entry).exists():
            continue
        try:
            gemaakt = dt.datetime.strptime(match["stempel"], _STEMPEL)
        except ValueError:
            continue
        found.append(Backup(entry, gemaakt))
    return sorted(found, key=lambda b: b.gemaakt, reverse=True)


def nodig(map_pad: Path, nu: dt.datetime) -> bool:
    """Whether the daily back-up is due."""
    backups = lijst(map_pad)
    return not backups or nu - backups[0].gemaakt >= DAGELIJKS


def maak(store_path: Path, key_file: KeyFile, data_key: bytes, map_pad: Path, nu: dt.datetime) -> Backup:
    """A snapshot of the store at `store_path` (open or not) into `map_pad`. Runs on any thread: it uses a
    connection of its own and does not touch the store's."""
    map_pad.mkdir(parents=True, exist_ok=True)
    nu = nu.replace(microsecond=0)
    target = map_pad / f"{store_path.stem}-{nu.strftime(_STEMPEL)}{paths.STORE_SUFFIX}"
    while target.exists() or paths.keys_file_for(target).exists():  # two within a second: the next second
        nu += dt.timedelta(seconds=1)
        target = map_pad / f"{store_path.stem}-{nu.strftime(_STEMPEL)}{paths.STORE_SUFFIX}"
    tmp = map_pad / f".~{target.name}.{secrets.token_hex(4)}.tmp"
    with zonder_resten(target, "De back-up is niet gemaakt.", tmp, target, paths.keys_file_for(target),
                       *_sidecars(tmp)):
        key_file.write_atomic(paths.keys_file_for(target))
        source = _raw_connect(store_path, data_key, read_only=True)
        try:
            copy = _raw_connect(tmp, data_key)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    return Backup(target, nu)


def te_bewaren(backups: list[Backup], nu: dt.datetime) -> set[Path]:
    """Which back-ups rotation keeps: the newest RECENT, the newest of each of the last DAGEN days, and the newest
    of each of the last WEKEN weeks."""
    newest_first = sorted(backups, key=lambda b: b.gemaakt, reverse=True)
    keep = {b.path for b in newest_first[:RECENT]}
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for backup in newest_first:
        day = backup.gemaakt.date()
        if (nu.date() - day).days < DAGEN and day not in days:
            days.add(day)
            keep.add(backup.path)
        week = day.isocalendar()[:2]
        if (nu.date() - day).days < WEKEN * 7 and week not in weeks:
            weeks.add(week)
            keep.add(backup.path)
    return keep


def ruim_op(map_pad: Path, nu: dt.datetime) -> list[Backup]:
    """Remove what rotation does not keep, and what interrupted back-ups left; returns the removed back-ups."""
    backups = lijst(map_pad)
    keep = te_bewaren(backups, nu)
    removed = []
    for backup in backups:
        if backup.path in keep:
            continue
        with contextlib.suppress(OSError):
            backup.path.unlink()
            backup.sleutel.unlink(missing_ok=True)
            removed.append(backup)
    _ruim_achtergelaten_op(map_pad, nu)
    return removed


def _ruim_achtergelaten_op(map_pad: Path, nu: dt.datetime) -> None:
    try:
        entries = list(map_pad.iterdir())
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            age = nu - dt.datetime.fromtimestamp(entry.stat().st_mtime)
            if age < _ACHTERGELATEN:
                continue
            if entry.name.startswith(".~") and ".okdb." in entry.name:
                entry.unlink()  # a temporary copy or key file
            elif entry.name.endswith(paths.KEYS_SUFFIX) and not entry.with_name(
                entry.name.removesuffix(paths.KEYS_SUFFIX)
            ).exists():
                entry.unlink()  # the key file of a back-up whose database never arrived


def verdwenen_uit_backups_op(nu: dt.datetime) -> dt.date:
    """The day by which data removed from the store now is also gone from every automatic back-up."""
    return (nu + BEWAARHORIZON).date()


def die_openen(map_pad: Path, wachtwoord: str) -> list[tuple[Backup, bytes]]:
    """The back-ups in `map_pad` that `wachtwoord` opens (with their own key files), newest first, each with
    its data key. Read-only: for offering one when the store itself will not open."""
    found = []
    for backup in lijst(map_pad):
        try:
            key = KeyFile.read(backup.sleutel).unwrap_wachtwoord(wachtwoord)
        except Exception:  # noqa: BLE001 - a back-up this wachtwoord does not open is simply not offered
            continue
        if opent_met(backup.path, key):
            found.append((backup, key))
    return found


def zet_terug(backup: Backup, store_path: Path, nu: dt.datetime) -> Path:
    """Put `backup` in the place of the store at `store_path` (closed). The store's current files are kept
    beside it, renamed "<naam>-voor-terugzetten-<tijd>", never deleted: returns that name."""
    bewaard = store_path.with_name(f"{store_path.stem}-voor-terugzetten-{nu.strftime(_STEMPEL)}{paths.STORE_SUFFIX}")
    key_path = paths.keys_file_for(store_path)
    tmp = store_path.with_name(f".~{store_path.name}.{secrets.token_hex(4)}.tmp")
    tmp_key = store_path.with_name(f".~{key_path.name}.{secrets.token_hex(4)}.tmp")
    with zonder_resten(store_path, "De back-up is niet teruggezet.", tmp, tmp_key):
        # The copies first, beside the store (the same disk, so the renames below are atomic).
        _kopieer(backup.path, tmp)
        _kopieer(backup.sleutel, tmp_key)
        for sidecar in _sidecars(store_path):
            if sidecar.exists():
                os.replace(sidecar, sidecar.with_name(bewaard.name + sidecar.name.removeprefix(store_path.name)))
        if store_path.exists():
            os.replace(store_path, bewaard)
        if key_path.exists():
            os.replace(key_path, paths.keys_file_for(bewaard))
        os.replace(tmp_key, key_path)
        os.replace(tmp, store_path)
    return bewaard


def _kopieer(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "wb") as dst:
        while block := src.read(1 << 20):
            dst.write(block)
        dst.flush()
        os.fsync(dst.fileno())


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


__all__ = [
    "BEWAARHORIZON", "Backup", "die_openen", "lijst", "maak", "map_voor", "nodig", "ruim_op", "standaard_basis",
    "te_bewaren", "verdwenen_uit_backups_op", "zet_terug",
]
