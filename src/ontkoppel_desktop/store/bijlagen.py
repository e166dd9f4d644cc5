"""Bijlagen in the store: core's BijlageRepository on the SQLCipher connection. A file's content is a BLOB in the
encrypted file itself, never a file on disk, so a reflectieverslag is as safe as the verslag it belongs to.

The rules are core's (core.verslagen.bijlagen.BijlageService); this module only reads and writes, joining the
service's transaction. Schema v7 guards a bijlage too: no row is ever changed, and the bijlage of a definitief
verslag is neither removed nor added to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontkoppel_desktop.core.verslagen.bijlagen import Bijlage, BijlageSoort
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction

# Without the content: listing a verslag's bijlagen reads none of the (up to 20 MB) BLOB pages.
_COLUMNS = "id, verslag_id, veld, naam, soort, grootte, sha256, toegevoegd"


def _row(row: Any) -> Bijlage:
    moment = dt.datetime.fromisoformat(row[7])
    return Bijlage(
        id=row[0],
        verslag_id=row[1],
        veld=row[2],
        naam=row[3],
        soort=BijlageSoort(row[4]),
        grootte=row[5],
        sha256=row[6],
        toegevoegd=moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC),
    )


class SqlBijlageRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(self, bijlage: Bijlage, inhoud: bytes) -> int:
        with transaction(self.conn) as conn:
            cur = conn.execute(
                f"INSERT INTO bijlage ({_COLUMNS}, inhoud) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
                (bijlage.verslag_id, bijlage.veld, bijlage.naam, bijlage.soort.value, bijlage.grootte,
                 bijlage.sha256, bijlage.toegevoegd.isoformat(), inhoud),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def load(self, bijlage_id: int) -> Bijlage | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM bijlage WHERE id = ?", (bijlage_id,)).fetchone()
        return _row(row) if row is not None else None

    def for_verslag(self, verslag_id: int) -> list[Bijlage]:
        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM bijlage WHERE verslag_id = ? ORDER BY id", (verslag_id,))
        return [_row(r) for r in rows]

    def inhoud(self, bijlage_id: int) -> bytes | None:
        row = self.conn.execute("SELECT inhoud FROM bijlage WHERE id = ?", (bijlage_id,)).fetchone()
        return bytes(row[0]) if row is not None else None

    def delete(self, bijlage_id: int) -> None:
        with transaction(self.conn) as conn:
            conn.execute("DELETE FROM bijlage WHERE id = ?", (bijlage_id,))


__all__ = ["SqlBijlageRepository"]
