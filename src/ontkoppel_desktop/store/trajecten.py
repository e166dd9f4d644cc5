"""Trajecten on SQLCipher: the header row, the events (append-only, one JSON payload each), the agenda, and the
derived rows the lists read (core.procedure.readmodel). The rules are in core.trajecten.TrajectService, the one
door for these writes; this module implements its TrajectRepository."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Collection, Sequence
from typing import Any

import sqlcipher3

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure import Categorie, RuleError, Startreden, Traject, TrajectEvent
from ontkoppel_desktop.core.procedure.readmodel import OpenStap, OpenStapRij, TrajectOverzicht, TrajectRij
from ontkoppel_desktop.core.trajecten import AL_EEN_TRAJECT, HEROPENEN
from ontkoppel_desktop.store.connection import Connection

_FINGERPRINT = "afgeleid"


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _in(column: str, ids: Collection[int] | None) -> tuple[str, dict[str, int]]:
    """A WHERE clause limiting `column` to `ids` ("1" when ids is None: no limit), with named parameters."""
    if ids is None:
        return "1", {}
    params = {f"id{i}": v for i, v in enumerate(ids)}
    return (f"{column} IN ({', '.join(':' + k for k in params)})" if params else "0"), params


_WHO = (
    "t.koppeling_id, t.aios_id, t.opleider_id, t.procedure_id, t.procedure_version, "
    "a.voornaam, a.tussenvoegsel, a.achternaam, op.voornaam, op.tussenvoegsel, op.achternaam"
)
_JOIN_WHO = "LEFT JOIN aios a ON a.id = t.aios_id LEFT JOIN opleider op ON op.id = t.opleider_id"
_DUE_TODAY = "(s.vanaf IS NULL OR s.vanaf <= :today)"


class SqlTrajectRepository:
    """core.trajecten.TrajectRepository on the store's connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # ---- trajecten and events ------------------------------------------------------------------------

    def load(self, traject_id: int) -> Traject | None:
        found = self.load_all([traject_id])
        return found[0] if found else None

    def load_all(self, ids: Collection[int] | None = None) -> list[Traject]:
        where, params = _in("traject_id", ids)
        # One JSON array per traject, built by SQLite: far fewer parser calls than one per event. Events were
        # validated when they were recorded; the file authenticates every page since.
        events: dict[int, list[TrajectEvent]] = {}
        for traject_id, payloads in self._conn.execute(
            "SELECT traject_id, json_group_array(json(payload)) FROM "
            f"(SELECT traject_id, payload FROM traject_event WHERE {where} ORDER BY traject_id, seq) "
            "GROUP BY traject_id", params
        ):
            events[traject_id] = [TrajectEvent.from_dict(raw, validate=False) for raw in json.loads(payloads)]
        where, params = _in("id", ids)
        rows = self._conn.execute(
            "SELECT id, koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, startreden, "
            f"categorie FROM traject WHERE {where} ORDER BY id", params
        )
        return [
            Traject(r[0], r[1], r[2], r[3], r[4], r[5], Startreden(r[6]), Categorie(r[7]),
                    tuple(events.get(r[0], ())))
            for r in rows
        ]

    def ids_for_aios(self, aios_id: int) -> list[int]:
        return [r[0] for r in self._conn.execute("SELECT id FROM traject WHERE aios_id = ? ORDER BY id", (aios_id,))]

    def open_ids(self) -> list[int]:
        return [r[0] for r in self._conn.execute(
            "SELECT t.id FROM traject t LEFT JOIN traject_overzicht o ON o.traject_id = t.id "
            "WHERE coalesce(o.gesloten, 0) = 0 ORDER BY t.id"
        )]

    # The file's own refusals (schema v9 and the constraints before it) in the service's words: a second process
    # may have written what the service's check, in this one, could not see yet.

    def insert(self, traject: Traject) -> int:
        try:
            cur = self._conn.execute(
                "INSERT INTO traject (koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, "
                "startreden, categorie, gesloten, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                # The UUID the institute server knows it by (schema v11), made here, at its creation.
                (traject.koppeling_id, traject.aios_id, traject.opleider_id, traject.procedure_id,
                 traject.procedure_version, traject.startreden.value, traject.categorie.value, int(traject.closed),
                 str(uuid.uuid4())),
            )
        except sqlcipher3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise ValidatieFout([AL_EEN_TRAJECT]) from None
            raise ValidatieFout(["De koppeling van dit traject, de aios of de opleider bestaat niet (meer); kies een "
                                 "bestaande koppeling."]) from None
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def append_event(self, traject_id: int, event: TrajectEvent) -> None:
        try:
            self._conn.execute(
                "INSERT INTO traject_event (traject_id, event_id, payload) VALUES (?, ?, ?)",
                (traject_id, event.id, json.dumps(event.to_dict(), ensure_ascii=False)),
            )
        except sqlcipher3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise RuleError("Deze gebeurtenis is al vastgelegd.") from None
            raise ValidatieFout([f"Dit traject bestaat niet (meer) (nummer {traject_id})."]) from None

    def set_gesloten(self, traject_id: int, gesloten: bool) -> None:
        try:
            self._conn.execute("UPDATE traject SET gesloten = ? WHERE id = ?", (int(gesloten), traject_id))
        except sqlcipher3.IntegrityError:
            raise RuleError(HEROPENEN) from None

    def data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    # ---- agenda --------------------------------------------------------------------------------------

    def agenda(self) -> dict[str, list[dt.date]]:
        out: dict[str, list[dt.date]] = {}
        for soort, datum in self._conn.execute("SELECT soort, datum FROM agenda ORDER BY datum"):
            out.setdefault(soort, []).append(dt.date.fromisoformat(datum))
        return out

    def agenda_rows(self, soort: str) -> list[tuple[int, dt.date, str]]:
        rows = self._conn.execute("SELECT id, datum, omschrijving FROM agenda WHERE soort = ? ORDER BY datum", (soort,))
        return [(r[0], dt.date.fromisoformat(r[1]), r[2]) for r in rows]

    def add_agenda(self, soort: str, datum: dt.date, omschrijving: str) -> int:
        cur = self._conn.execute(
            "INSERT INTO agenda (soort, datum, omschrijving) VALUES (?, ?, ?)", (soort, datum.isoformat(), omschrijving)
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def remove_agenda(self, agenda_id: int) -> None:
        self._conn.execute("DELETE FROM agenda WHERE id = ?", (agenda_id,))

    # ---- derived rows --------------------------------------------------------------------------------

    def write_derived(self, overzicht: TrajectOverzicht, stappen: Sequence[OpenStap]) -> None:
        o = overzicht
        self._conn.execute(
            "INSERT OR REPLACE INTO traject_overzicht (traject_id, fase, gesloten, gestart, blokkade_sinds, "
            "blokkade_wacht_op, zoekt_opleider, fout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (o.traject_id, o.fase, int(o.gesloten), o.gestart.isoformat(), _iso(o.blokkade_sinds),
             o.blokkade_wacht_op, int(o.zoekt_opleider), o.fout),
        )
        self._conn.execute("DELETE FROM open_stap WHERE traject_id = ?", (o.traject_id,))
        self._conn.executemany(
            "INSERT INTO open_stap (traject_id, stap, keer, volgorde, vanaf, termijn_vanaf, termijn, oorsprong) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(s.traject_id, s.stap, s.keer, s.volgorde, _iso(s.vanaf), _iso(s.termijn_vanaf),
              _iso(s.termijn), s.oorsprong) for s in stappen],
        )

    def derived(self, traject_id: int) -> tuple[TrajectOverzicht | None, list[OpenStap]]:
        row = self._conn.execute(
            "SELECT traject_id, fase, gesloten, gestart, blokkade_sinds, blokkade_wacht_op, zoekt_opleider, fout "
            "FROM traject_overzicht WHERE traject_id = ?", (traject_id,)
        ).fetchone()
        stappen = [
            OpenStap(r[0], r[1], r[2], r[3], _d(r[4]), _d(r[5]), _d(r[6]), r[7])
            for r in self._conn.execute(
                "SELECT traject_id, stap, keer, volgorde, vanaf, termijn_vanaf, termijn, oorsprong FROM open_stap "
                "WHERE traject_id = ? ORDER BY volgorde, keer", (traject_id,)
            )
        ]
        return (_overzicht(row) if row is not None else None), stappen

    def clear_derived(self) -> None:
        self._conn.execute("DELETE FROM open_stap")
        self._conn.execute("DELETE FROM traject_overzicht")

    def derived_fingerprint(self) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (_FINGERPRINT,)).fetchone()
        return str(row[0]) if row else None

    def set_derived_fingerprint(self, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_FINGERPRINT, value))

    def rows(self, today: dt.date, ids: Collection[int] | None = None) -> list[TrajectRij]:
        where, params = _in("o.traject_id", ids)
        # One pass over the open steps due today: per traject the nearest term (ties in stappenplan order: the
        # key sorts as the term, then the order) and the number past their term.
        rows = self._conn.execute(
            "WITH due AS (SELECT s.traject_id, min(s.termijn || printf(':%06d:%06d', s.volgorde, s.keer)) AS eerst, "
            "sum(s.termijn < :today) AS te_laat FROM open_stap s WHERE " + _DUE_TODAY
            + " AND s.termijn IS NOT NULL GROUP BY s.traject_id) "
            "SELECT o.traject_id, o.fase, o.gesloten, o.gestart, o.blokkade_sinds, o.blokkade_wacht_op, "
            f"o.zoekt_opleider, o.fout, {_WHO}, p.naam, p.plaats, op.praktijk_id, due.eerst, "
            "(SELECT s.stap FROM open_stap s WHERE s.traject_id = o.traject_id "
            "AND s.termijn || printf(':%06d:%06d', s.volgorde, s.keer) = due.eerst), coalesce(due.te_laat, 0) "
            f"FROM traject_overzicht o JOIN traject t ON t.id = o.traject_id {_JOIN_WHO} "
            f"LEFT JOIN praktijk p ON p.id = op.praktijk_id LEFT JOIN due ON due.traject_id = o.traject_id "
            f"WHERE {where}",
            {"today": today.isoformat(), **params},
        )
        out = []
        for r in rows:
            praktijk = f"{r[19]} ({r[20]})" if r[19] and r[20] else (r[19] or "")
            out.append(TrajectRij(
                _overzicht(r[:8]), r[8], r[9], r[10], r[11], r[12], Naam(*_naam(r[13:16])), Naam(*_naam(r[16:19])),
                praktijk, r[21], _d(r[22].split(":")[0]) if r[22] else None, r[23] or "", int(r[24]),
            ))
        return out

    def open_steps(self, today: dt.date, traject_ids: Collection[int] | None = None) -> list[OpenStapRij]:
        where, params = _in("s.traject_id", traject_ids)
        # In the order of Taken (core.procedure.task_sort_key): past their term first, then by term, then
        # without a term; then traject and the stappenplan.
        rows = self._conn.execute(
            "SELECT s.traject_id, s.stap, s.keer, s.volgorde, s.vanaf, s.termijn_vanaf, s.termijn, s.oorsprong, "
            f"{_WHO} FROM open_stap s JOIN traject t ON t.id = s.traject_id {_JOIN_WHO} "
            f"WHERE {_DUE_TODAY} AND {where} ORDER BY CASE WHEN s.termijn < :today THEN 0 "
            "WHEN s.termijn IS NOT NULL THEN 1 ELSE 2 END, s.termijn, s.traject_id, s.volgorde, s.keer",
            {"today": today.isoformat(), **params},
        )
        # One Naam per person, however many of their steps are open.
        names: dict[tuple[Any, ...], Naam] = {}
        dates: dict[str | None, dt.date | None] = {None: None}
        out = []
        for r in rows:
            aios, opleider = r[13:16], r[16:19]
            aios_naam = names.get(aios) or names.setdefault(aios, Naam(*_naam(aios)))
            opleider_naam = names.get(opleider) or names.setdefault(opleider, Naam(*_naam(opleider)))
            vanaf, termijn_vanaf, termijn = (
                dates[d] if d in dates else dates.setdefault(d, _d(d)) for d in (r[4], r[5], r[6])
            )
            out.append(OpenStapRij(OpenStap(r[0], r[1], r[2], r[3], vanaf, termijn_vanaf, termijn, r[7]),
                                   r[8], r[9], r[10], r[11], r[12], aios_naam, opleider_naam))
        return out

    def blokkades(self) -> list[tuple[int, int, dt.date, str]]:
        rows = self._conn.execute(
            "SELECT t.opleider_id, o.traject_id, o.blokkade_sinds, o.blokkade_wacht_op FROM traject_overzicht o "
            "JOIN traject t ON t.id = o.traject_id WHERE o.blokkade_sinds IS NOT NULL ORDER BY o.traject_id"
        )
        return [(r[0], r[1], dt.date.fromisoformat(r[2]), r[3]) for r in rows]

    def waiting_for_opleider(self) -> list[int]:
        return [r[0] for r in self._conn.execute(
            "SELECT traject_id FROM traject_overzicht WHERE zoekt_opleider = 1 ORDER BY traject_id"
        )]


def _naam(parts: Sequence[Any]) -> tuple[str, str, str]:
    return (parts[0] or "", parts[1] or "", parts[2] or "")


def _overzicht(r: Sequence[Any]) -> TrajectOverzicht:
    return TrajectOverzicht(r[0], r[1], bool(r[2]), dt.date.fromisoformat(r[3]), _d(r[4]), r[5], bool(r[6]), r[7])


__all__ = ["SqlTrajectRepository"]
