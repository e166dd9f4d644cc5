"""The store: one encrypted file, its key file beside it, and the repositories that read and write it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ontkoppel_desktop import __version__, paths
from ontkoppel_desktop.atomic import fsync_folder
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.personen_service import PersonenService
from ontkoppel_desktop.store import keys
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import (
    IntegrityCheck,
    OpslagFout,
    SqlTransactions,
    checkpoint,
    connect,
    exporteer,
    opent_met,
    schrijffout,
    transaction,
    zonder_resten,
)
from ontkoppel_desktop.store.keys import KdfParams, KeyFile, SleutelFout
from ontkoppel_desktop.store.personen import SqlPersonenRepository
from ontkoppel_desktop.store.wachtwoord_sterkte import wachtwoord_sterkte

if TYPE_CHECKING:
    from collections.abc import Callable

    from ontkoppel_desktop.core.bewaartermijn import BewaartermijnService
    from ontkoppel_desktop.core.koppelplanner.rondes import RondeService
    from ontkoppel_desktop.core.trajecten import TrajectService
    from ontkoppel_desktop.core.verslagen.bijlagen import BijlageService
    from ontkoppel_desktop.core.verslagen.service import VerslagService
    from ontkoppel_desktop.store.backups import Backup


# How long a lock waits for a background integrity check still running, so that it can fold the -wal into the
# file; the check of a store ten times an institute takes about a second.
_CHECK_WAIT_AT_LOCK_S = 5.0


class VergrendeldFout(OntkoppelError):
    def __init__(self) -> None:
        super().__init__("De opslag is vergrendeld. Ontgrendel eerst met je wachtwoord.")


@dataclass(frozen=True)
class NieuweOpslag:
    store: Store
    # Shown once to the user, never stored in plain form anywhere.
    herstelsleutel: str


@dataclass
class SleutelVernieuwing:
    """A prepared Sleutel vernieuwen: show `herstelsleutel`, then `voltooi()` (or just drop it: nothing was
    written)."""

    store: Store
    herstelsleutel: str
    _data_key: bytes
    _key_file: KeyFile

    def voltooi(self) -> None:
        self.store._vernieuw_sleutel(self._data_key, self._key_file)


class Store:
    def __init__(
        self, path: Path, key_file: KeyFile, conn: Connection, data_key: bytes, *, needs_new_wachtwoord: bool,
        integrity: IntegrityCheck | None = None,
    ) -> None:
        self.path = path
        self._key_file = key_file
        self._conn: Connection | None = conn
        self._data_key: bytes | None = data_key
        # Opened with the herstelsleutel: the user must choose a new wachtwoord before going on.
        self.needs_new_wachtwoord = needs_new_wachtwoord
        self.integrity = integrity or IntegrityCheck.passed()
        self._personen: PersonenService | None = None
        self._trajecten: TrajectService | None = None
        self._rondes: RondeService | None = None
        self._verslagen: VerslagService | None = None
        self._bijlagen: BijlageService | None = None
        self._changes_at_backup = 0
        self._ongebackupt = False

    # ---- opening -------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, wachtwoord: str, kdf: KdfParams | None = None, *, controleer_sterkte: bool = True
    ) -> NieuweOpslag:
        """A new store and its key file. `controleer_sterkte=False` only for the demo, whose wachtwoord is
        printed on its lock screen: it holds fictitious data."""
        if controleer_sterkte:
            _vereis_sterk(wachtwoord)
        key_path = paths.keys_file_for(path)
        if path.exists() or key_path.exists():
            raise OpslagFout(f"Het bestand {path.name} bestaat al; kies een nieuwe naam.")
        path.parent.mkdir(parents=True, exist_ok=True)
        store_id = uuid.uuid4().hex
        data_key = keys.new_data_key()
        herstelsleutel = keys.new_herstelsleutel()
        key_file = KeyFile(
            store_id,
            keys.wrap_with_wachtwoord(data_key, wachtwoord, store_id, kdf or KdfParams.calibrate()),
            keys.wrap_with_herstelsleutel(data_key, herstelsleutel, store_id),
        )
        # Neither file existed a moment ago: whatever fails from here on, nothing of this create stays behind,
        # so a retry after making room does not meet "bestaat al".
        conn: Connection | None = None
        try:
            conn = connect(path, data_key, create=True)
            with transaction(conn):
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("store_id", store_id), ("gemaakt_met", __version__)],
                )
            key_file.write_atomic(key_path)
        except BaseException as exc:
            if conn is not None:
                conn.close()
            _remove_quietly(path, key_path, *_sidecars(path))
            if isinstance(exc, OntkoppelError):
                raise
            answer = schrijffout(exc, path) if isinstance(exc, Exception) else None
            if answer is not None:
                raise answer from exc
            raise
        return NieuweOpslag(cls(path, key_file, conn, data_key, needs_new_wachtwoord=False), herstelsleutel)

    @classmethod
    def open(cls, path: Path, wachtwoord: str) -> Store:
        key_file = KeyFile.read(paths.keys_file_for(path))
        return cls._open(path, key_file, key_file.unwrap_wachtwoord(wachtwoord), needs_new_wachtwoord=False)

    @classmethod
    def open_with_herstelsleutel(cls, path: Path, herstelsleutel: str) -> Store:
        key_file = KeyFile.read(paths.keys_file_for(path))
        data_key = key_file.unwrap_herstelsleutel(herstelsleutel)
        return cls._open(path, key_file, data_key, needs_new_wachtwoord=True)

    @staticmethod
    def read_key_file(path: Path) -> KeyFile:
        """The first, cheap step of opening; unwrapping a key from it is the slow one (run it off the UI
        thread), then open_with_key() finishes on the thread that will use the connection."""
        return KeyFile.read(paths.keys_file_for(path))

    @classmethod
    def open_with_key(
        cls, path: Path, key_file: KeyFile, data_key: bytes, *, needs_new_wachtwoord: bool = False,
        check_in_background: bool = False,
    ) -> Store:
        """With `check_in_background` (the app), the full integrity check runs beside the user's first look
        and every write waits for it; without it (headless commands, tests) it runs before this returns."""
        return cls._open(path, key_file, data_key, needs_new_wachtwoord=needs_new_wachtwoord,
                         check_in_background=check_in_background)

    @classmethod
    def _open(cls, path: Path, key_file: KeyFile, data_key: bytes, *, needs_new_wachtwoord: bool,
              check_in_background: bool = False) -> Store:
        conn, integrity = _connect_checked(path, key_file, data_key, check_in_background)
        _sweep_stale_key_temps(path)
        return cls(path, key_file, conn, data_key, needs_new_wachtwoord=needs_new_wachtwoord, integrity=integrity)

    # ---- locking -------------------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self._conn is None

    def lock(self) -> None:
        """Close the database: until unlock() nothing in it can be read, and no key stays in use."""
        if self._conn is not None:
            # A damaged file is left exactly as found; otherwise the -wal goes into the file, once the check
            # (whose read would hold the checkpoint back) is done.
            if self.integrity.wait(timeout=_CHECK_WAIT_AT_LOCK_S) and not self.integrity.failed:
                checkpoint(self._conn)
            self._ongebackupt = self.gewijzigd_sinds_backup
            self._changes_at_backup = 0  # the next connection counts from zero
            self._conn.close()
            self.integrity.release()
            self._conn = None
            self._personen = None
            self._trajecten = None
            self._rondes = None
            self._verslagen = None
            self._bijlagen = None
        self._data_key = None

    @property
    def key_file(self) -> KeyFile:
        return self._key_file

    def unlock(self, wachtwoord: str) -> None:
        self.unlock_with_key(self._key_file.unwrap_wachtwoord(wachtwoord))

    def unlock_with_key(self, data_key: bytes, *, check_in_background: bool = False) -> None:
        if self._conn is None:
            self._conn, self.integrity = _connect_checked(self.path, self._key_file, data_key, check_in_background)
            self._data_key = data_key

    def close(self) -> None:
        self.lock()

    def herlaad_sleutelbestand(self) -> None:
        """Read the key file again (a back-up was put back in the store's place); only while locked."""
        if self._conn is not None:
            raise OpslagFout("Vergrendel de opslag eerst.")
        self._key_file = KeyFile.read(paths.keys_file_for(self.path))

    def change_wachtwoord(self, nieuw: str, huidig: str | None = None, kdf: KdfParams | None = None) -> None:
        """Rewrap the data key. The key file is replaced atomically: old or new wachtwoord, never neither.

        `huidig` is required unless the store was just opened with the herstelsleutel.
        """
        if self._data_key is None:
            raise VergrendeldFout()
        if huidig is not None:
            self._key_file.unwrap_wachtwoord(huidig)
        elif not self.needs_new_wachtwoord:
            raise SleutelFout("Vul je huidige wachtwoord in.")
        _vereis_sterk(nieuw)
        current = self._key_file.wachtwoord.kdf
        # A damaged wachtwoord envelope (opened with the herstelsleutel) does not lend its parameters.
        kdf = kdf or (current if current is not None and current.sane else None) or KdfParams.calibrate()
        envelope = keys.wrap_with_wachtwoord(self._data_key, nieuw, self._key_file.store_id, kdf)
        new_file = self._key_file.with_wachtwoord(envelope)
        key_path = paths.keys_file_for(self.path)
        try:
            new_file.write_atomic(key_path)
        except OSError as exc:
            answer = schrijffout(exc, key_path)
            if answer is None:
                raise
            raise OpslagFout(f"{answer} Je huidige wachtwoord blijft geldig.") from exc
        self._key_file = new_file
        self.needs_new_wachtwoord = False

    def bereid_sleutel_vernieuwing(
        self, huidig: str, nieuw: str, kdf: KdfParams | None = None
    ) -> SleutelVernieuwing:
        """The first step of Sleutel vernieuwen: check the wachtwoorden and make the new data key, its envelopes
        and a new herstelsleutel (shown to the user before anything changes). Nothing is written yet."""
        if self._data_key is None:
            raise VergrendeldFout()
        self._key_file.unwrap_wachtwoord(huidig)
        _vereis_sterk(nieuw)
        if nieuw == huidig:
            raise SleutelFout("Kies een ander wachtwoord dan het huidige: het huidige is misschien bekend bij anderen.")
        current = self._key_file.wachtwoord.kdf
        kdf = kdf or (current if current is not None and current.sane else None) or KdfParams.calibrate()
        data_key = keys.new_data_key()
        herstelsleutel = keys.new_herstelsleutel()
        store_id = self._key_file.store_id
        key_file = KeyFile(
            store_id,
            keys.wrap_with_wachtwoord(data_key, nieuw, store_id, kdf),
            keys.wrap_with_herstelsleutel(data_key, herstelsleutel, store_id),
            self._key_file.name,
        )
        return SleutelVernieuwing(self, herstelsleutel, data_key, key_file)

    def _vernieuw_sleutel(self, data_key: bytes, key_file: KeyFile) -> None:
        """Re-encrypt the store under `data_key`, crash-safe: at every moment the key file on disk opens the
        database file on disk, or the open that follows a crash finishes or undoes the change
        (`_rond_vernieuwing_af`). Synchronous, on the thread that owns the connection, so nothing is written
        between the copy and the switch."""
        if self._data_key is None:
            raise VergrendeldFout()
        self.integrity.require()
        old_key = self._data_key
        pending = _vernieuwing(self.path)
        key_path = paths.keys_file_for(self.path)
        _remove_quietly(pending, *_sidecars(pending))
        with zonder_resten(pending, "De sleutel is niet vernieuwd; er is niets veranderd.", pending,
                           *_sidecars(pending)):
            exporteer(self.conn, pending, data_key)  # 1. a full copy under the new key, flushed to disk
        self.lock()  # 2. the old connection folds its -wal in and closes
        try:
            key_file.write_atomic(key_path)  # 3. the switch: from here on the new key is the key
        except BaseException as exc:
            _remove_quietly(pending, *_sidecars(pending))
            self.unlock_with_key(old_key)
            answer = schrijffout(exc, key_path) if isinstance(exc, Exception) else None
            if answer is not None:
                raise OpslagFout(f"De sleutel is niet vernieuwd; er is niets veranderd. {answer}") from exc
            raise
        self._key_file = key_file
        self.needs_new_wachtwoord = False
        _rond_vernieuwing_af(self.path, data_key)  # 4. the new file takes the old one's place
        self.unlock_with_key(data_key)

    # ---- use -----------------------------------------------------------------------------------------

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise VergrendeldFout()
        return self._conn

    @property
    def transactions(self) -> SqlTransactions:
        return SqlTransactions(self.conn, self.integrity, self.path)

    @property
    def personen(self) -> PersonenService:
        """The one door for people, praktijken, groepen and koppelingen."""
        if self._personen is None:
            self._personen = PersonenService(self.transactions, SqlPersonenRepository(self.conn))
            # The rules that cross over to the trajecten (blokkade, derived rows) come with the trajecten.
            self._personen.trajecten = self.trajecten
        return self._personen

    @property
    def trajecten(self) -> TrajectService:
        """The one door for trajecten; their derived rows are brought up to date when first used."""
        if self._trajecten is None:
            # Imported on first use: the procedure engine is not needed to show the unlock window.
            from ontkoppel_desktop.core.procedure import default_registry
            from ontkoppel_desktop.core.trajecten import TrajectService
            from ontkoppel_desktop.store.trajecten import SqlTrajectRepository

            if self._personen is None:
                self._personen = PersonenService(self.transactions, SqlPersonenRepository(self.conn))
            service = TrajectService(self.transactions, SqlTrajectRepository(self.conn), self._personen,
                                     default_registry())
            self._personen.trajecten = service
            self._trajecten = service
            service.ensure_derived()
        return self._trajecten

    @property
    def rondes(self) -> RondeService:
        """The one door for koppelrondes (core's RondeService on this store's connection); its planners live
        while the store is unlocked."""
        if self._rondes is None:
            from ontkoppel_desktop.core.koppelplanner.rondes import RondeService
            from ontkoppel_desktop.store import instituut_personen
            from ontkoppel_desktop.store.rondes import SqlRondeRepository

            # The trajecten's own blokkades, and those the institute knows for its opleiders (a ronde made from the
            # institute's Personen): both on every board.
            self._rondes = RondeService(
                SqlRondeRepository(self.conn), self.transactions,
                blokkades=lambda: frozenset(str(i) for i in self.trajecten.blokkades())
                | instituut_personen.geblokkeerd(self.conn))
        return self._rondes

    @property
    def verslagen(self) -> VerslagService:
        """The one door for gespreksverslagen: concepts, the gesprek recorded in its traject, sealed versions."""
        if self._verslagen is None:
            from ontkoppel_desktop.core.verslagen.service import VerslagService
            from ontkoppel_desktop.store.verslagen import SqlVerslagRepository

            self._verslagen = VerslagService(self.transactions, SqlVerslagRepository(self.conn), self.trajecten)
        return self._verslagen

    @property
    def bijlagen(self) -> BijlageService:
        """The one door for the files kept with a verslag (a reflectieverslag), inside this encrypted file."""
        if self._bijlagen is None:
            from ontkoppel_desktop.core.verslagen.bijlagen import BijlageService
            from ontkoppel_desktop.store.bijlagen import SqlBijlageRepository

            self._bijlagen = BijlageService(self.transactions, SqlBijlageRepository(self.conn), self.verslagen)
        return self._bijlagen

    @property
    def bewaartermijn(self) -> BewaartermijnService:
        """The one door for deleting what has passed its bewaartermijn (AVG). Made anew on each use: it holds no
        state, and after a deletion the rondes' parsed documents are dropped from memory too."""
        from ontkoppel_desktop.core.bewaartermijn import BewaartermijnService
        from ontkoppel_desktop.store.bewaartermijn import SqlBewaartermijnRepository

        def vergeet_rondes() -> None:
            self._rondes = None

        return BewaartermijnService(self.transactions, SqlBewaartermijnRepository(self.conn, vergeet_rondes))

    def backup_taak(self, map_pad: Path) -> Callable[[], Backup]:
        """An automatic back-up into `map_pad` (then rotation there), as a function to run on a worker thread:
        it reads through a connection of its own, never this store's."""
        if self._data_key is None:
            raise VergrendeldFout()
        from ontkoppel_desktop.store import backups

        path, key_file, data_key, integrity = self.path, self._key_file, self._data_key, self.integrity
        self._changes_at_backup = self.conn.total_changes
        self._ongebackupt = False

        def taak() -> Backup:
            # Never a copy of a damaged file: rotation would push the good back-ups out.
            integrity.require()
            made = backups.maak(path, key_file, data_key, map_pad, dt.datetime.now())
            backups.ruim_op(map_pad, dt.datetime.now())
            return made

        return taak

    @property
    def gewijzigd_sinds_backup(self) -> bool:
        """Whether anything was written since it was opened or since the last backup_taak()."""
        return self._ongebackupt or (self._conn is not None and self._conn.total_changes != self._changes_at_backup)

    @property
    def store_id(self) -> str:
        return self._key_file.store_id

    def backup(self, target: Path) -> Path:
        """A consistent copy of the store and its key file; both open with the same wachtwoord."""
        target_keys = paths.keys_file_for(target)
        if target.exists() or target_keys.exists():
            raise OpslagFout(f"Het bestand {target.name} bestaat al; kies een nieuwe naam.")
        if self._data_key is None:
            raise VergrendeldFout()
        with zonder_resten(target, "Er is geen back-up gemaakt.", target, target_keys, *_sidecars(target)):
            target.parent.mkdir(parents=True, exist_ok=True)
            # Every table into a new file keyed with the same data key.
            exporteer(self.conn, target, self._data_key)
            self._key_file.write_atomic(target_keys)
        return target


# A wachtwoord change writes its key file in milliseconds; a temporary key file this old was left by a change
# that was killed (kill -9, power loss), where write_atomic's own clean-up never ran.
_STALE_TEMP_SECONDS = 60.0


def _sweep_stale_key_temps(path: Path) -> None:
    """Remove the temporary key files write_atomic left beside this store's key file when it was interrupted.

    Only write_atomic's own names for this key file (".~<store>.sleutel.<8 hex>.tmp"), and only old ones, so a
    wachtwoord change running right now elsewhere keeps its file. They hold only wrapped keys; the key file
    itself was replaced whole or not at all, so nothing is lost."""
    key_name = paths.keys_file_for(path).name
    pattern = re.compile(r"\.~" + re.escape(key_name) + r"\.[0-9a-f]{8}\.tmp")
    now = time.time()
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return
    for candidate in candidates:
        if not pattern.fullmatch(candidate.name):
            continue
        with contextlib.suppress(OSError):
            if now - candidate.stat().st_mtime > _STALE_TEMP_SECONDS and candidate.is_file():
                candidate.unlink()


def _vereis_sterk(wachtwoord: str) -> None:
    sterkte = wachtwoord_sterkte(wachtwoord)
    if not sterkte.voldoende:
        tips = " ".join(sterkte.tips)
        raise SleutelFout(f"Kies een sterker wachtwoord ({sterkte.label.lower()}). {tips}".strip())


def _vernieuwing(path: Path) -> Path:
    """Where Sleutel vernieuwen writes the re-encrypted copy before it takes the store's place."""
    return path.with_name(path.name + ".vernieuwd")


def _rond_vernieuwing_af(path: Path, data_key: bytes) -> None:
    """Finish, or undo, a Sleutel vernieuwen that was interrupted (a crash, a kill, power loss).

    `data_key` comes from the key file on disk now. When it opens the re-encrypted copy, the switch (the key
    file) had happened: the copy, complete and flushed before the switch, takes the old file's place, and the
    old file's -wal and -shm go (everything in them is in the copy). When it opens the store itself, the switch
    had not happened and the copy is left-over work, removed. When it opens neither, nothing is touched (the
    open then says the key does not fit)."""
    pending = _vernieuwing(path)
    if not pending.exists():
        return
    if opent_met(pending, data_key):
        for sidecar in _sidecars(path):
            sidecar.unlink(missing_ok=True)
        os.replace(pending, path)
        fsync_folder(path.parent)
    elif path.exists() and opent_met(path, data_key):
        _remove_quietly(pending, *_sidecars(pending))


def _remove_quietly(*leftovers: Path) -> None:
    """Clean up after a failed create or back-up; a disk that refuses that too (read-only: unlink says EROFS
    even for a file that is not there) must not hide why the create or back-up failed."""
    for leftover in leftovers:
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _connect_checked(
    path: Path, key_file: KeyFile, data_key: bytes, check_in_background: bool = False
) -> tuple[Connection, IntegrityCheck]:
    _rond_vernieuwing_af(path, data_key)
    # connect() proves the key, the store id and (unless in the background) the whole file before it writes.
    conn = connect(path, data_key, full_check=not check_in_background, store_id=key_file.store_id,
                   key_name=key_file.name or paths.keys_file_for(path).name)
    if check_in_background:
        return conn, IntegrityCheck(path, data_key).start()
    return conn, IntegrityCheck.passed()


__all__ = ["NieuweOpslag", "OpslagFout", "SleutelFout", "SleutelVernieuwing", "Store", "VergrendeldFout"]
