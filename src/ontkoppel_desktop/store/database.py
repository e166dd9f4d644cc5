"""Opening the one SQLCipher file: keying, pragmas, integrity, migrations and transactions.

The connection belongs to one thread at a time (the UI thread, once opened); nothing else holds a cursor.
The full integrity check may run on a second, read-only connection of its own in a background thread
(`IntegrityCheck`): unlocking then does not wait for a check whose cost grows with the file, while every
write still waits for its verdict, so a damaged file is found before anything is written.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, cast

import sqlcipher3

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.keys import sqlcipher_raw_key
from ontkoppel_desktop.store.schema import LATEST_VERSION, MIGRATIONS
from ontkoppel_desktop.store.wal import verloren_transacties

BESCHADIGD = (
    "Bij de controle van het bestand bleek het beschadigd. Er wordt niets meer in opgeslagen, zodat het niet "
    "verder beschadigt. Zet een back-up terug (Bestand → Back-up terugzetten) en meld het aan de "
    "applicatiebeheerder."
)


class OpslagFout(OntkoppelError):
    """The store cannot be opened or written; the message says why, in Dutch."""


_SQLITE_ERROR = 1
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
# Below this much free space an I/O error while writing is taken for a full disk: SQLite reports a full disk
# in WAL mode as a plain I/O error when the -shm file cannot grow.
_NEARLY_FULL_BYTES = 1024 * 1024


def _primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of a driver error: the driver reports extended codes (an I/O error while
    writing is 778, SQLITE_IOERR_WRITE), whose low byte is the primary one."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def schijf_vol_melding(name: str) -> str:
    return (
        f"De schijf is vol: {name} kon niet worden opgeslagen. Maak ruimte vrij op de schijf (of kies een "
        "andere map) en probeer het opnieuw."
    )


def is_schijf_vol(exc: BaseException, folder: Path) -> bool:
    """Whether `exc` (an OSError or a driver error) means the disk holding `folder` is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    code = _primary_code(exc)
    if code == _SQLITE_FULL:
        return True
    # sqlcipher_export (the back-up) reports a full disk as a plain SQLITE_ERROR with the message only.
    if code in (_SQLITE_IOERR, _SQLITE_ERROR) or isinstance(exc, OSError):
        try:
            return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
        except OSError:
            return False
    return False


def geen_schrijfrechten_melding(folder: Path) -> str:
    return (
        f"In de map {folder} kan niet geschreven worden (geen schrijfrechten, of een alleen-lezen schijf), en "
        "de opslag heeft een map nodig waarin dat wel kan. Kopieer het databasebestand en het sleutelbestand "
        "samen naar een map op deze computer waarin je mag schrijven (bijvoorbeeld Documenten) en open het daar."
    )


def bestand_alleen_lezen_melding(name: str) -> str:
    return (
        f"Het bestand {name} is alleen-lezen, dus er kan niets in worden opgeslagen. Zet bij de eigenschappen "
        "van het bestand 'Alleen-lezen' uit (of vraag de applicatiebeheerder om schrijfrechten) en open het opnieuw."
    )


def beschadigd_melding(name: str) -> str:
    return (
        f"Het databasebestand {name} is beschadigd en kan niet worden geopend. Er is niets aan veranderd. Zet "
        "een back-up terug (het databasebestand en het sleutelbestand samen), of meld het aan de "
        "applicatiebeheerder."
    )


def sleutel_past_niet_melding(name: str, key_name: str) -> str:
    # The wachtwoord is proven by then (it unwrapped the data key), so the key file and the database file do
    # not belong together, or the first page of the database file is damaged: from outside, the two look alike.
    return (
        f"Het wachtwoord klopt, maar het sleutelbestand {key_name} past niet bij {name}, of {name} is "
        "beschadigd. Er is niets aan veranderd. Kopieer een opslag altijd met beide bestanden samen; zet anders "
        "een back-up terug."
    )


def wal_beschadigd_melding(name: str, lost: int) -> str:
    wijzigingen = "opgeslagen wijziging" if lost == 1 else f"{lost} opgeslagen wijzigingen"
    return (
        f"De opslag {name} is na een onderbreking (een crash of stroomstoring) niet compleet te openen: het "
        f"logbestand {name}-wal is beschadigd, zodat {'een' if lost == 1 else 'de laatste'} {wijzigingen} niet "
        "meer teruggezet kan worden. Er is niets aan veranderd. Zet een back-up terug, of meld het aan de "
        "applicatiebeheerder en bewaar alle bestanden van de opslag zoals ze zijn."
    )


def checkpoint(conn: Connection) -> None:
    """Fold the -wal into the database file, so that a closed store is one file plus its key file (a copy of
    just those two holds every committed row). Best effort: a reader that holds on past the busy timeout
    leaves the -wal as it is, which is safe; SQLite replays it at the next open."""
    with suppress(sqlcipher3.Error):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14
# SQLCipher's pages are 4096 bytes (cipher_compatibility 4); a store, also one just created, is at least one.
_PAGE_BYTES = 4096


def schrijffout(exc: BaseException, path: Path) -> OpslagFout | None:
    """The Dutch answer to a failed write to the store at `path` (or to a file beside it), or None when the
    failure is not one of the disk's (then it is a fault of ours and the caller lets it through)."""
    folder = path.parent
    if is_schijf_vol(exc, folder):
        return OpslagFout(schijf_vol_melding(path.name))
    code = _primary_code(exc)
    if isinstance(exc, PermissionError) or code in (_SQLITE_READONLY, _SQLITE_CANTOPEN) or (
        isinstance(exc, OSError) and exc.errno == errno.EROFS
    ):
        return OpslagFout(_schrijfrechten(path))
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return OpslagFout(
            f"{path.name} is op dit moment bezig in een ander programma (een tweede venster van Ontkoppel "
            "Desktop, of een back-up- of synchronisatieprogramma); je wijziging is niet opgeslagen. Probeer het "
            "zo opnieuw."
        )
    if code == _SQLITE_IOERR or isinstance(exc, OSError):
        return OpslagFout(
            f"Er kon niet naar de schijf geschreven worden ({path.name}); je wijziging is niet opgeslagen. "
            "Controleer of de schijf (of de USB-stick) nog aangesloten is en probeer het opnieuw."
        )
    return None


@contextmanager
def zonder_resten(path: Path, voorvoegsel: str, *resten: Path) -> Iterator[None]:
    """Write something whole or not at all: on any failure the `resten` (what was written so far) go, quietly
    (a read-only disk refuses that too), and a disk's refusal is said in Dutch after `voorvoegsel` ("De back-up
    is niet gemaakt.")."""
    try:
        yield
    except BaseException as exc:
        for rest in resten:
            with suppress(OSError):
                rest.unlink(missing_ok=True)
        answer = schrijffout(exc, path) if isinstance(exc, Exception) else None
        if answer is not None:
            raise OpslagFout(f"{voorvoegsel} {answer}") from exc
        raise


def _schrijfrechten(path: Path) -> str:
    if path.exists() and not _mount_read_only(path.parent) and not os.access(path, os.W_OK):
        return bestand_alleen_lezen_melding(path.name)
    return geen_schrijfrechten_melding(path.parent)


def _mount_read_only(folder: Path) -> bool:
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # Windows: a read-only medium answers os.access
        return False
    try:
        return bool(statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def check_schrijfbaar(path: Path) -> None:
    """Refuse, before anything is opened for writing, a store in a folder or on a disk that cannot be written:
    SQLite would open it and fail at the first write (or create its -wal and -shm files half)."""
    folder = path.parent
    if _mount_read_only(folder) or not os.access(folder, os.W_OK | os.X_OK):
        raise OpslagFout(geen_schrijfrechten_melding(folder))
    if path.exists() and not os.access(path, os.W_OK):
        raise OpslagFout(bestand_alleen_lezen_melding(path.name))


def _raw_connect(path: Path, data_key: bytes, *, read_only: bool = False) -> Any:
    target = f"file:{path.as_posix()}?mode=ro" if read_only else str(path)
    try:
        # The connection may be made on a worker thread (key derivation is slow) and is then handed to the UI
        # thread, which alone uses it from there on; SQLCipher is built thread-safe, so that hand-over is safe.
        conn = sqlcipher3.connect(target, isolation_level=None, check_same_thread=False, uri=read_only)
    except sqlcipher3.Error as exc:
        if not read_only and _primary_code(exc) in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            raise OpslagFout(_schrijfrechten(path)) from None
        raise OpslagFout(
            f"Het bestand {path.name} kan niet geopend worden. Staat het nog op deze plek, en is de schijf "
            "aangesloten?"
        ) from None
    try:
        # SQLCipher logs decryption failures to stderr by default; the user gets our message instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.set_key(sqlcipher_raw_key(data_key))
        # cipher_memory_security stays off (SQLCipher's default since 4.5): wiping all memory SQLite frees breaks
        # the targets of issue 7 (the gateway). At 10x an institute, off -> on: recording a gebeurtenis
        # 22 -> 106 ms (target < 50 ms), the Trajecten screen after unlocking 116 -> 156 ms, first Taken
        # 121 -> 138 ms, the full check on opening 70 -> 95 ms, a back-up 148 -> 218 ms (bench/bench_geheugen.py,
        # median of 11 processes per mode). It is also one setting for the whole process, not to be switched off
        # again once on.
        conn.execute("PRAGMA cipher_compatibility = 4")
    except sqlcipher3.Error:
        conn.close()
        raise OpslagFout(beschadigd_melding(path.name)) from None
    return conn


def connect(
    path: Path, data_key: bytes, *, create: bool = False, full_check: bool = True, store_id: str | None = None,
    key_name: str = "",
) -> Connection:
    """Open (or create) the store with its data key and bring the schema up to date.

    Everything that can refuse an existing file is proven first on a read-only connection (`_prove`): the key,
    the store id (when given), and with `full_check` the whole file (every page's HMAC and SQLite's own
    structure). A failed open so writes nothing: a read-write connection closed with a wrong key would still
    checkpoint a -wal file into the database, and an empty or truncated file would get a fresh schema.
    Without `full_check` only the first page is read here and the caller runs an `IntegrityCheck` in the
    background; a migration always waits for the full check.
    """
    if not create and not path.exists():
        raise OpslagFout(f"Het bestand {path} bestaat niet (meer).")
    if create and path.exists():
        raise OpslagFout(f"Het bestand {path} bestaat al; kies een nieuwe naam.")
    # A store in a folder that cannot be written is refused first: proving it on a read-only mount could fail
    # for want of the -shm index, which would read as damage.
    check_schrijfbaar(path)
    if not create:
        _prove(path, data_key, full_check=full_check, store_id=store_id, key_name=key_name)
    conn = _raw_connect(path, data_key)
    try:
        if create:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        # Sorts and temporary tables stay in memory: SQLite's temp files would not be encrypted.
        conn.execute("PRAGMA temp_store = MEMORY")
        migrate(conn)
    except OntkoppelError:
        conn.close()
        raise
    except sqlcipher3.Error as exc:
        conn.close()
        answer = schrijffout(exc, path)
        if answer is not None:
            raise answer from exc
        if create:
            raise OpslagFout(f"Het bestand {path.name} kon niet worden aangemaakt ({exc}).") from exc
        raise OpslagFout(beschadigd_melding(path.name)) from None
    return cast(Connection, conn)


def _prove(path: Path, data_key: bytes, *, full_check: bool, store_id: str | None, key_name: str) -> None:
    """Every check that can refuse an existing store, on a read-only connection that cannot change it."""
    try:
        size = path.stat().st_size
    except OSError:
        raise OpslagFout(f"Het bestand {path.name} kan niet gelezen worden.") from None
    if size < _PAGE_BYTES or size % _PAGE_BYTES:
        # Empty or cut off (a copy that did not finish, a sync client): SQLite would take an empty file for
        # a new database and write a schema into it.
        raise OpslagFout(beschadigd_melding(path.name))
    lost = verloren_transacties(path.with_name(path.name + "-wal"))
    if lost:
        raise OpslagFout(wal_beschadigd_melding(path.name, lost))
    absent = [sidecar for sidecar in _sidecars(path) if not sidecar.exists()]
    conn = _raw_connect(path, data_key, read_only=True)
    proven = False
    try:
        try:
            # Reads the first page only (the header; no schema): a wrong key fails its HMAC here.
            version = schema_version(conn)
        except sqlcipher3.Error:
            raise OpslagFout(sleutel_past_niet_melding(path.name, key_name or "naast de opslag")) from None
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        except sqlcipher3.Error:
            raise OpslagFout(beschadigd_melding(path.name)) from None
        if store_id is not None and (row is None or row[0] != store_id):
            raise OpslagFout(sleutel_past_niet_melding(path.name, key_name or "naast de opslag"))
        if full_check or version < LATEST_VERSION:
            _check_whole_file(conn, beschadigd_melding(path.name))
        proven = True
    finally:
        conn.close()
        if not proven:
            # A refused file is left as it was found: without the empty -wal and the -shm index the read-only
            # connection made beside it (they held nothing, as they did not exist before).
            for sidecar in absent:
                with suppress(OSError):
                    sidecar.unlink(missing_ok=True)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _check_whole_file(conn: Any, message: str) -> None:
    try:
        failures = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        quick = conn.execute("PRAGMA quick_check").fetchall()
    except sqlcipher3.Error:
        raise OpslagFout(message) from None
    if failures or quick != [("ok",)]:
        raise OpslagFout(message)


class IntegrityCheck:
    """The full check of the file on a read-only connection of its own, in a thread.

    `wait()` blocks until the verdict; `require()` raises the Dutch OpslagFout when the file is damaged.
    Every write calls require() first (SqlTransactions), so nothing is written to a damaged file.
    """

    def __init__(self, path: Path, data_key: bytes) -> None:
        self._path = path
        self._key = data_key
        self._done = threading.Event()
        self._error: OpslagFout | None = None
        self._guard: Any = None
        self._guard_lock = threading.Lock()
        self._released = False
        self._thread = threading.Thread(target=self._run, name="integriteitscontrole", daemon=True)

    @classmethod
    def passed(cls) -> IntegrityCheck:
        """A check that already ran (the file was checked in full when it was opened)."""
        check = cls(Path(), b"")
        check._done.set()
        return check

    def start(self) -> IntegrityCheck:
        self._thread.start()
        return self

    def _run(self) -> None:
        conn: Any = None
        try:
            conn = _raw_connect(self._path, self._key, read_only=True)
            _check_whole_file(conn, BESCHADIGD)
        except Exception:  # noqa: BLE001 - any failure to read the file is a damaged file to the user
            self._error = OpslagFout(BESCHADIGD)
            # Kept open until release(): while a second connection is open, closing the store's read-write
            # connection does not checkpoint the -wal into the damaged file, and a read-only one never does.
            # The file so stays exactly as it was found, for a back-up or for whoever examines it.
            with self._guard_lock:
                if not self._released:
                    self._guard, conn = conn, None
        finally:
            if conn is not None:
                conn.close()
            self._key = b""
            self._done.set()

    def release(self) -> None:
        """After the store's own connection is closed: let go of the file (without waiting for a check that
        still runs; while it runs, its own connection keeps the -wal from being checkpointed)."""
        with self._guard_lock:
            self._released = True
            guard, self._guard = self._guard, None
        if guard is not None:
            guard.close()

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    @property
    def failed(self) -> bool:
        return self._done.is_set() and self._error is not None

    def wait(self, timeout: float | None = None) -> bool:
        """True once the verdict is in (whatever it is)."""
        return self._done.wait(timeout)

    def require(self) -> None:
        self._done.wait()
        if self._error is not None:
            raise self._error


def exporteer(conn: Connection, target: Path, data_key: bytes) -> None:
    """Copy every table of the open store into a new file `target`, encrypted with `data_key`, and flush it
    to disk: a consistent snapshot (sqlcipher_export reads in one transaction), also of rows still in the -wal."""
    conn.execute("ATTACH DATABASE ? AS kopie KEY ?", (str(target), sqlcipher_raw_key(data_key)))
    try:
        conn.execute("SELECT sqlcipher_export('kopie')")
        version = schema_version(conn)
        conn.execute(f"PRAGMA kopie.user_version = {int(version)}")
    finally:
        conn.execute("DETACH DATABASE kopie")
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def opent_met(path: Path, data_key: bytes) -> bool:
    """Whether `data_key` opens `path` (its first page), read-only: nothing is written, also when it does not.
    An empty or cut-off file opens with no key at all: SQLite takes it for a new, empty database."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    if size < _PAGE_BYTES or size % _PAGE_BYTES:
        return False
    absent = [sidecar for sidecar in _sidecars(path) if not sidecar.exists()]
    try:
        conn = _raw_connect(path, data_key, read_only=True)
    except OpslagFout:
        return False
    try:
        schema_version(conn)
        return True
    except sqlcipher3.Error:
        return False
    finally:
        conn.close()
        for sidecar in absent:
            with suppress(OSError):
                sidecar.unlink(missing_ok=True)


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, target: int = LATEST_VERSION) -> None:
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise OpslagFout(
            "Dit bestand is gemaakt met een nieuwere versie van Ontkoppel Desktop. "
            "Werk de app bij om het te openen."
        )
    for migration in MIGRATIONS:
        if current < migration.version <= target:
            with transaction(conn):
                migration.apply(conn)
                # user_version cannot be bound as a parameter; the value is our own integer.
                conn.execute(f"PRAGMA user_version = {int(migration.version)}")


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """One unit of work: everything in it is written, or nothing."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        # A full disk may refuse the COMMIT itself (the WAL cannot grow): rolled back below like any failure.
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            # A ROLLBACK that fails too (the disk is gone) must not hide why the write failed; SQLite rolls the
            # transaction back itself when the connection closes.
            with suppress(sqlcipher3.Error):
                conn.execute("ROLLBACK")
        raise


class SqlTransactions:
    """The store's unit of work (core.transactions.Transactions): waits for the integrity check's verdict,
    then one SQLite transaction; nested calls join the outer one. A write the disk refuses (full, read-only,
    gone) ends in the Dutch OpslagFout that says so, with nothing written."""

    def __init__(self, conn: Connection, integrity: IntegrityCheck, path: Path) -> None:
        self._conn = conn
        self._integrity = integrity
        self._path = path

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        if self._conn.in_transaction:
            with transaction(self._conn) as conn:
                yield conn
            return
        self._integrity.require()
        try:
            with transaction(self._conn) as conn:
                yield conn
        except sqlcipher3.OperationalError as exc:
            answer = schrijffout(exc, self._path)
            if answer is None:
                raise
            raise answer from exc
