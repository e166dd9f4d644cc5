"""Opening the one SQLCipher file: keying, pragmas, integrity, migrations and transactions.

The connection belongs to one thread at a time (the UI thread, once opened); nothing else holds a cursor.
The full integrity check may run on a second, read-only connection of its own in a background thread
(`IntegrityCheck`): unlocking then does not wait for a check whose cost grows with the file, while every
write still waits for its verdict, so a damaged file is found before anything is written.
"""

from __future__ import annotations

import errno
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import sqlcipher3

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.keys import BESCHADIGD_OF_ONJUIST, sqlcipher_raw_key
from ontkoppel_desktop.store.schema import LATEST_VERSION, MIGRATIONS

BESCHADIGD = (
    "Bij de controle van het bestand bleek het beschadigd. Er wordt niets meer in opgeslagen, zodat het niet "
    "verder beschadigt. Sluit de app en zet een back-up terug (Bestand → Back-up maken maakt er een); meld "
    "het aan de applicatiebeheerder."
)


class OpslagFout(OntkoppelError):
    """The store cannot be opened or written; the message says why, in Dutch."""


_SQLITE_IOERR = 10
_SQLITE_FULL = 13
# Below this much free space an I/O error while writing is taken for a full disk: SQLite reports a full disk
# in WAL mode as a plain I/O error when the -shm file cannot grow.
_NEARLY_FULL_BYTES = 1024 * 1024


def schijf_vol_melding(name: str) -> str:
    return (
        f"De schijf is vol: {name} kon niet worden opgeslagen. Maak ruimte vrij op de schijf (of kies een "
        "andere map) en probeer het opnieuw."
    )


def is_schijf_vol(exc: BaseException, folder: Path) -> bool:
    """Whether `exc` (an OSError or a driver error) means the disk holding `folder` is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    if code == _SQLITE_FULL:
        return True
    if code == _SQLITE_IOERR or isinstance(exc, OSError):
        try:
            return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
        except OSError:
            return False
    return False


def _raw_connect(path: Path, data_key: bytes, *, read_only: bool = False) -> Any:
    target = f"file:{path.as_posix()}?mode=ro" if read_only else str(path)
    try:
        # The connection may be made on a worker thread (key derivation is slow) and is then handed to the UI
        # thread, which alone uses it from there on; SQLCipher is built thread-safe, so that hand-over is safe.
        conn = sqlcipher3.connect(target, isolation_level=None, check_same_thread=False, uri=read_only)
    except sqlcipher3.Error as exc:
        raise OpslagFout(f"Het bestand {path} kan niet geopend worden ({exc}).") from None
    try:
        # SQLCipher logs decryption failures to stderr by default; the user gets our message instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.set_key(sqlcipher_raw_key(data_key))
        conn.execute("PRAGMA cipher_compatibility = 4")
    except sqlcipher3.Error:
        conn.close()
        raise OpslagFout(BESCHADIGD_OF_ONJUIST) from None
    return conn


def connect(path: Path, data_key: bytes, *, create: bool = False, full_check: bool = True) -> Connection:
    """Open (or create) the store with its data key and bring the schema up to date.

    With `full_check`, the whole file is checked (every page's HMAC and SQLite's own structure) before this
    returns, so a wrong key, a truncated or a damaged file gives one Dutch message and the file stays exactly
    as it was. Without it only the first page is read here (a wrong key is still refused at once) and the
    caller runs an `IntegrityCheck` in the background; a migration always waits for the full check.
    """
    if not create and not path.exists():
        raise OpslagFout(f"Het bestand {path} bestaat niet (meer).")
    if create and path.exists():
        raise OpslagFout(f"Het bestand {path} bestaat al; kies een nieuwe naam.")
    conn = _raw_connect(path, data_key)
    try:
        if create:
            conn.execute("PRAGMA journal_mode = WAL")
        else:
            _check_key(conn)
            if full_check or schema_version(conn) < LATEST_VERSION:
                _check_whole_file(conn, BESCHADIGD_OF_ONJUIST)
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
        if is_schijf_vol(exc, path.parent):
            raise OpslagFout(schijf_vol_melding(path.name)) from exc
        if create:
            raise OpslagFout(f"Het bestand {path.name} kon niet worden aangemaakt ({exc}).") from exc
        raise OpslagFout(BESCHADIGD_OF_ONJUIST) from None
    return cast(Connection, conn)


def _check_key(conn: Any) -> None:
    """Reads the first page: a wrong key fails its HMAC here."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.Error:
        raise OpslagFout(BESCHADIGD_OF_ONJUIST) from None


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
        try:
            conn = _raw_connect(self._path, self._key, read_only=True)
            try:
                _check_whole_file(conn, BESCHADIGD)
            finally:
                conn.close()
        except OpslagFout as exc:
            self._error = OpslagFout(BESCHADIGD) if str(exc) == BESCHADIGD_OF_ONJUIST else exc
        except Exception:  # noqa: BLE001 - any failure to read the file is a damaged file to the user
            self._error = OpslagFout(BESCHADIGD)
        finally:
            self._key = b""
            self._done.set()

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
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


class SqlTransactions:
    """The store's unit of work (core.transactions.Transactions): waits for the integrity check's verdict,
    then one SQLite transaction; nested calls join the outer one."""

    def __init__(self, conn: Connection, integrity: IntegrityCheck) -> None:
        self._conn = conn
        self._integrity = integrity

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        if not self._conn.in_transaction:
            self._integrity.require()
        with transaction(self._conn) as conn:
            yield conn
