"""Koppelrondes in the store: core's RondeRepository on the SQLCipher connection. A ronde is kept as imported
(one JSON document, with the uitzonderingen the managers add on the board) beside its board (assignment, pins
and each pair's herkomst), so closing the app never loses a move.

The rules are core's (core.koppelplanner.rondes.RondeService); this module only reads and writes, one
transaction per call, joining the service's transaction when there is one.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from ontkoppel_desktop.core.koppelplanner import (
    Afwijzing,
    Aios,
    Bezoek,
    Opleider,
    OpleiderStatus,
    Ronde,
    Uitzondering,
    Vastzetting,
)
from ontkoppel_desktop.core.koppelplanner.rondes import Bord, RondeOnbekend, RondeRij
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction


def ronde_to_json(ronde: Ronde) -> str:
    # Field by field rather than dataclasses.asdict, which deep-copies every value: a ronde of 200 people is
    # written on every uitzondering recorded from the board.
    data: dict[str, Any] = {
        f.name: [_record(x) for x in getattr(ronde, f.name)]
        for f in fields(ronde) if f.name not in ("startdatum", "naam")
    }
    data["startdatum"] = ronde.startdatum.isoformat() if ronde.startdatum else None
    data["naam"] = ronde.naam
    return json.dumps(data, ensure_ascii=False)


def _record(obj: Any) -> dict[str, Any]:
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {name: getattr(obj, name) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def ronde_from_json(text: str) -> Ronde:
    d = json.loads(text)
    return Ronde(
        aios=tuple(Aios(**a) for a in d["aios"]),
        opleiders=tuple(Opleider(**{**o, "status": OpleiderStatus(o["status"])}) for o in d["opleiders"]),
        bezoeken=tuple(Bezoek(**b) for b in d.get("bezoeken", ())),
        afwijzingen=tuple(Afwijzing(**a) for a in d.get("afwijzingen", ())),
        vastzettingen=tuple(Vastzetting(**v) for v in d.get("vastzettingen", ())),
        uitzonderingen=tuple(Uitzondering(**u) for u in d.get("uitzonderingen", ())),
        startdatum=date.fromisoformat(d["startdatum"]) if d.get("startdatum") else None,
        naam=d.get("naam", ""),
    )


def bord_to_json(bord: Bord) -> str:
    return json.dumps(bord.to_dict(), ensure_ascii=False)


def bord_from_json(text: str | None) -> Bord | None:
    """None when no board was saved. A board saved before the herkomst was kept has none (core derives it)."""
    return Bord.from_dict(json.loads(text)) if text else None


class SqlRondeRepository:
    """core.koppelplanner.rondes.RondeRepository on SQLCipher. The service's unit of work is the store's
    (SqlTransactions on the same connection), so a call that writes the ronde and its board writes both or
    neither, and waits for the integrity check like every write."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        # Per ronde the stored texts last read and what they parse to: the board reads its ronde after every
        # move, and an unchanged document (the usual case) is then not parsed again.
        self._parsed: dict[int, tuple[str, Ronde, str | None, Bord | None]] = {}

    def list(self) -> list[RondeRij]:
        rows = self._conn.execute(
            "SELECT id, naam, startdatum, bijgewerkt FROM ronde WHERE gearchiveerd = 0 ORDER BY startdatum DESC, id"
        )
        return [RondeRij(r[0], r[1], date.fromisoformat(r[2]), datetime.fromisoformat(r[3])) for r in rows]

    def add(self, ronde: Ronde, naam: str) -> int:
        if ronde.startdatum is None:
            raise ValueError("a ronde is stored with its startdatum (RondeService.add checks it)")
        with transaction(self._conn):
            cur = self._conn.execute(
                "INSERT INTO ronde (naam, startdatum, document, uitslag, bijgewerkt) VALUES (?, ?, ?, NULL, ?)",
                (naam, ronde.startdatum.isoformat(), ronde_to_json(ronde), _now()),
            )
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

    def get(self, ronde_id: int) -> tuple[Ronde, Bord | None]:
        row = self._conn.execute("SELECT document, uitslag FROM ronde WHERE id = ?", (ronde_id,)).fetchone()
        if row is None:
            raise RondeOnbekend(ronde_id)
        document, uitslag = row[0], row[1]
        cached = self._parsed.get(ronde_id)
        ronde = cached[1] if cached is not None and cached[0] == document else ronde_from_json(document)
        bord = cached[3] if cached is not None and cached[2] == uitslag else bord_from_json(uitslag)
        self._parsed[ronde_id] = (document, ronde, uitslag, bord)
        return ronde, bord

    def save_ronde(self, ronde_id: int, ronde: Ronde) -> None:
        self._update(ronde_id, "document = ?", ronde_to_json(ronde))

    def save_bord(self, ronde_id: int, bord: Bord) -> None:
        self._update(ronde_id, "uitslag = ?", bord_to_json(bord))

    def archive(self, ronde_id: int, gearchiveerd: bool) -> None:
        self._update(ronde_id, "gearchiveerd = ?", int(gearchiveerd))

    def _update(self, ronde_id: int, assignment: str, value: object) -> None:
        # `assignment` is one of the fixed strings above, never user input.
        with transaction(self._conn):
            cur = self._conn.execute(
                f"UPDATE ronde SET {assignment}, bijgewerkt = ? WHERE id = ?", (value, _now(), ronde_id)
            )
            if cur.rowcount == 0:
                raise RondeOnbekend(ronde_id)


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


__all__ = [
    "SqlRondeRepository", "bord_from_json", "bord_to_json", "ronde_from_json", "ronde_to_json",
]
