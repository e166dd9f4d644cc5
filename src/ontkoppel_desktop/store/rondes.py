"""Koppelrondes in the store: the ronde as imported (one JSON document) and the board as the managers left it
(assignment and pins), so closing the app never loses a move."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from ontkoppel_desktop.core.errors import ValidatieFout
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
from ontkoppel_desktop.store.database import transaction

Connection = Any


def ronde_to_json(ronde: Ronde) -> str:
    data = asdict(ronde)
    data["startdatum"] = ronde.startdatum.isoformat() if ronde.startdatum else None
    return json.dumps(data, ensure_ascii=False)


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


@dataclass
class Bord:
    """What the managers did on the board: aios id -> opleider id, and the pairs they pinned."""

    toewijzing: dict[str, str] = field(default_factory=dict)
    pins: set[tuple[str, str]] = field(default_factory=set)

    def to_json(self) -> str:
        return json.dumps({"toewijzing": self.toewijzing, "pins": sorted(self.pins)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> Bord | None:
        if not text:
            return None
        d = json.loads(text)
        return cls(dict(d.get("toewijzing", {})), {(a, o) for a, o in d.get("pins", [])})


@dataclass(frozen=True)
class RondeRij:
    id: int
    naam: str
    startdatum: date
    bijgewerkt: datetime


class RondeRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def list(self) -> list[RondeRij]:
        rows = self._conn.execute(
            "SELECT id, naam, startdatum, bijgewerkt FROM ronde WHERE gearchiveerd = 0 ORDER BY startdatum DESC, id"
        )
        return [RondeRij(r[0], r[1], date.fromisoformat(r[2]), datetime.fromisoformat(r[3])) for r in rows]

    def add(self, ronde: Ronde) -> int:
        if ronde.startdatum is None:
            raise ValidatieFout(["Ronde: vul de startdatum in (maart, juni, september of december)."])
        naam = ronde.naam or f"Ronde {ronde.startdatum:%m-%Y}"
        with transaction(self._conn):
            cur = self._conn.execute(
                "INSERT INTO ronde (naam, startdatum, document, uitslag, bijgewerkt) VALUES (?, ?, ?, NULL, ?)",
                (naam, ronde.startdatum.isoformat(), ronde_to_json(ronde), _now()),
            )
            return int(cur.lastrowid)

    def get(self, ronde_id: int) -> tuple[Ronde, Bord | None]:
        row = self._conn.execute("SELECT document, uitslag FROM ronde WHERE id = ?", (ronde_id,)).fetchone()
        if row is None:
            raise ValidatieFout([f"Ronde {ronde_id} bestaat niet."])
        return ronde_from_json(row[0]), Bord.from_json(row[1])

    def save_bord(self, ronde_id: int, bord: Bord) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE ronde SET uitslag = ?, bijgewerkt = ? WHERE id = ?", (bord.to_json(), _now(), ronde_id)
            )

    def archive(self, ronde_id: int, gearchiveerd: bool = True) -> None:
        with transaction(self._conn):
            self._conn.execute("UPDATE ronde SET gearchiveerd = ? WHERE id = ?", (int(gearchiveerd), ronde_id))


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


__all__ = ["Bord", "Mapping", "RondeRepository", "RondeRij", "ronde_from_json", "ronde_to_json"]
