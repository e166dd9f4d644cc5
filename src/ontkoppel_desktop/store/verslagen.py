"""Gespreksverslagen in the store: core's VerslagRepository on the SQLCipher connection, so a concept typed on
a laptop lives only inside the encrypted file. One row per version; the answers as one JSON text, written
exactly as typed.

The rules are core's (core.verslagen.VerslagService); this module only reads and writes, joining the service's
transaction. A definitief row is also guarded by a trigger (schema v5).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen.verslag import Status, Verslag
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction

_COLUMNS = (
    "id, traject_id, gesprek, procedure_id, procedure_version, auteur, antwoorden, status, pagina, open, "
    "gebeurtenis_id, versie, vorige_id, reden, aangemaakt, opgeslagen, afgerond_op, zegels, verstuurd_op, "
    "gearchiveerd_op, status_events"
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _row(row: Any) -> Verslag:
    return Verslag(
        id=row[0],
        traject_id=row[1],
        gesprek=row[2],
        procedure=(row[3], row[4]),
        auteur=row[5],
        antwoorden=json.loads(row[6]),
        status=Status(row[7]),
        pagina=row[8],
        open=bool(row[9]),
        gebeurtenis_id=row[10],
        versie=row[11],
        vorige_id=row[12],
        reden=row[13],
        aangemaakt=_moment(row[14]),
        opgeslagen=_moment(row[15]),
        afgerond_op=_moment(row[16]) if row[16] else None,
        zegels=json.loads(row[17]),
        verstuurd_op=dt.date.fromisoformat(row[18]) if row[18] else None,
        gearchiveerd_op={VerslagBestemming(k): dt.date.fromisoformat(v) for k, v in json.loads(row[19]).items()},
        status_events=json.loads(row[20]),
    )


class SqlVerslagRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(self, verslag: Verslag) -> int:
        with transaction(self.conn) as conn:
            cur = conn.execute(
                f"INSERT INTO verslag ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?)",
                (
                    verslag.traject_id, verslag.gesprek, verslag.procedure[0], verslag.procedure[1], verslag.auteur,
                    _json(verslag.antwoorden), verslag.status.value, verslag.pagina, int(verslag.open),
                    verslag.gebeurtenis_id, verslag.versie, verslag.vorige_id, verslag.reden,
                    verslag.aangemaakt.isoformat(), verslag.opgeslagen.isoformat(),
                    verslag.afgerond_op.isoformat() if verslag.afgerond_op else None, _json(verslag.zegels),
                    verslag.verstuurd_op.isoformat() if verslag.verstuurd_op else None,
                    _json({k.value: v.isoformat() for k, v in verslag.gearchiveerd_op.items()}),
                    _json(verslag.status_events),
                ),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def load(self, verslag_id: int) -> Verslag | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM verslag WHERE id = ?", (verslag_id,)).fetchone()
        return _row(row) if row is not None else None

    def for_traject(self, traject_id: int) -> list[Verslag]:
        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM verslag WHERE traject_id = ? ORDER BY id", (traject_id,))
        return [_row(r) for r in rows]

    def for_gebeurtenis(self, gebeurtenis_id: str) -> list[Verslag]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM verslag WHERE gebeurtenis_id = ? ORDER BY versie, id", (gebeurtenis_id,))
        return [_row(r) for r in rows]

    def open_concepten(self, auteur: str) -> list[Verslag]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM verslag WHERE open = 1 AND auteur = ? AND status = 'concept' "
            "ORDER BY opgeslagen DESC", (auteur,))
        return [_row(r) for r in rows]

    def save_concept(self, verslag_id: int, antwoorden: Mapping[str, JsonValue], pagina: int, open_: bool,
                     opgeslagen: dt.datetime) -> None:
        with transaction(self.conn) as conn:
            conn.execute(
                "UPDATE verslag SET antwoorden = ?, pagina = ?, open = ?, opgeslagen = ? "
                "WHERE id = ? AND status = 'concept'",
                (_json(antwoorden), pagina, int(open_), opgeslagen.isoformat(), verslag_id),
            )

    def set_open(self, verslag_id: int, open_: bool) -> None:
        with transaction(self.conn) as conn:
            conn.execute("UPDATE verslag SET open = ? WHERE id = ?", (int(open_), verslag_id))

    def update(self, verslag: Verslag) -> None:
        with transaction(self.conn) as conn:
            if verslag.definitief:
                # Status and seals are written once, by Afronden (the trigger allows it only from a concept);
                # afterwards only the dates verstuurd and gearchiveerd change.
                conn.execute(
                    "UPDATE verslag SET status = 'definitief', zegels = ?, afgerond_op = ?, open = 0 "
                    "WHERE id = ? AND status = 'concept'",
                    (_json(verslag.zegels), verslag.afgerond_op.isoformat() if verslag.afgerond_op else None,
                     verslag.id),
                )
            else:
                conn.execute("UPDATE verslag SET gebeurtenis_id = ? WHERE id = ?",
                             (verslag.gebeurtenis_id, verslag.id))
            conn.execute(
                "UPDATE verslag SET verstuurd_op = ?, gearchiveerd_op = ?, status_events = ? WHERE id = ?",
                (
                    verslag.verstuurd_op.isoformat() if verslag.verstuurd_op else None,
                    _json({k.value: v.isoformat() for k, v in verslag.gearchiveerd_op.items()}),
                    _json(verslag.status_events), verslag.id,
                ),
            )


__all__ = ["SqlVerslagRepository"]
