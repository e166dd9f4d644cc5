"""Opening the one SQLCipher file: keying, pragmas, integrity, migrations and transactions.

The connection belongs to one thread at a time (the UI thread, once opened); nothing else holds a cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.store.keys import BESCHADIGD_OF_ONJUIST, sqlcipher_raw_key
from ontkoppel_desktop.store.schema import LATEST_VERSION, MIGRATIONS

Connection = Any  # sqlcipher3 ships no type information


class OpslagFout(OntkoppelError):
    """The store cannot be opened or written; the message says why, in Dutch."""


def connect(path: Path, data_key: bytes, *, create: bool = False) -> Connection:
    """Open (or create) the store with its data key and bring the schema up to date.

    Before anything is written the whole file is checked (every page's HMAC and SQLite's own
    structure), so a wrong key, a truncated or a damaged file gives one Dutch message and the file
    stays exactly as it was.
    """
    if not create and not path.exists():
        raise OpslagFout(f"Het bestand {path} bestaat niet (meer).")
    if create and path.exists():
        raise OpslagFout(f"Het bestand {path} bestaat al; kies een nieuwe naam.")
    try:
        # The connection may be made on a worker thread (key derivation is slow) and is then handed to the UI
        # thread, which alone uses it from there on; SQLCipher is built thread-safe, so that hand-over is safe.
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlcipher3.Error as exc:
        raise OpslagFout(f"Het bestand {path} kan niet geopend worden ({exc}).") from None
    try:
        # SQLCipher logs decryption failures to stderr by default; the user gets our message instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.set_key(sqlcipher_raw_key(data_key))
        conn.execute("PRAGMA cipher_compatibility = 4")
        if create:
            conn.execute("PRAGMA journal_mode = WAL")
        else:
            _check_readable(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        # Sorts and temporary tables stay in memory: SQLite's temp files would not be encrypted.
        conn.execute("PRAGMA temp_store = MEMORY")
        migrate(conn)
    except OntkoppelError:
        conn.close()
        raise
    except sqlcipher3.Error:
        conn.close()
        raise OpslagFout(BESCHADIGD_OF_ONJUIST) from None
    return conn


def _check_readable(conn: Connection) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        failures = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        quick = conn.execute("PRAGMA quick_check").fetchall()
    except sqlcipher3.Error:
        raise OpslagFout(BESCHADIGD_OF_ONJUIST) from None
    if failures or quick != [("ok",)]:
        raise OpslagFout(BESCHADIGD_OF_ONJUIST)


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
