"""Bewaartermijnen in the store: core's BewaartermijnRepository on the SQLCipher connection. The facts from which core
computes what has passed its term, and the deletion itself, which core's service runs in one transaction.

The deletion goes through the one path the schema allows for it (v10, `te_verwijderen`): the definitief verslagen
and their bijlagen of a closed traject named there may be deleted, nothing else. What hangs from a traject goes with it:
its events (the checklist's ticks are events too), every version of its verslagen, their bijlagen (the files), their
words in the search index, and its derived rows (summary and open steps, which Taken reads).

Nothing deleted may stay readable in the file. SQLCipher encrypts every page, but a page freed by a delete keeps its
old (encrypted) content until it is reused, and the -wal keeps old copies of pages until a checkpoint; anyone with the
key (a later wachtwoord, the herstelsleutel) could read them with a page-level tool. So:
- `secure_delete` is on for the deletion: SQLite overwrites deleted content with zeros, in the page and in freed
  pages. (SQLCipher turns it on for every keyed connection already; it is set here so a build without that default
  does not silently lose it.)
- the search index is contentless: a deleted row only leaves a tombstone, and its words stay in the index's segments
  until they are merged. 'optimize' merges them all into one, without the deleted rows.
- after the commit, a checkpoint folds the -wal into the file and truncates it (`ruim_op`), so no old page copy
  remains beside it. The automatic back-ups still hold the data until they rotate out (store/backups.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Sequence
from typing import Any

import sqlcipher3

from ontkoppel_desktop.core.bewaartermijn import (
    AIOS,
    OPLEIDER,
    Feiten,
    KoppelingFeit,
    PersoonFeiten,
    RondeFeiten,
    Sleutel,
    TrajectFeiten,
    Verwijderd,
    vouw,
)
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.trajecten import SqlTrajectRepository

# The fields of an event that name a row (core.procedure.events, FieldType.ID), also inside a correctie's gegevens.
_ID_VELDEN = ("aios_id", "opleider_id", "koppeling_id")


def _plaatsen(ids: Sequence[object]) -> str:
    return ", ".join("?" * len(ids))


def _datum(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class SqlBewaartermijnRepository:
    def __init__(self, conn: Connection, na_verwijderen: Callable[[], None] | None = None) -> None:
        self._conn = conn
        # What the store drops after a deletion (the rondes' parsed documents it keeps in memory).
        self._na_verwijderen = na_verwijderen

    # ---- facts ---------------------------------------------------------------------------------------------

    def _namen(self, table: str) -> dict[int, str]:
        return {r[0]: Naam(r[1], r[2], r[3]).volledig for r in self._conn.execute(
            f"SELECT id, voornaam, tussenvoegsel, achternaam FROM {table}")}

    def feiten(self) -> Feiten:
        conn = self._conn
        aios_namen, opleider_namen = self._namen("aios"), self._namen("opleider")
        koppelingen = {r[0]: (r[1], r[2], _datum(r[3])) for r in conn.execute(
            "SELECT id, aios_id, opleider_id, einddatum FROM koppeling")}

        trajecten = conn.execute("SELECT id, aios_id, opleider_id, gesloten FROM traject ORDER BY id").fetchall()
        personen: dict[int, set[Sleutel]] = {t[0]: {(AIOS, t[1]), (OPLEIDER, t[2])} for t in trajecten}
        # Every id an event names, at any depth of its data (a correctie's gegevens too).
        for traject_id, key, value in conn.execute(
                "SELECT e.traject_id, j.key, j.value FROM traject_event e, json_tree(e.payload, '$.data') j "
                f"WHERE j.key IN ({_plaatsen(_ID_VELDEN)}) AND j.type = 'integer'", _ID_VELDEN):
            genoemd = personen.setdefault(traject_id, set())
            if key == "aios_id":
                genoemd.add((AIOS, value))
            elif key == "opleider_id":
                genoemd.add((OPLEIDER, value))
            elif value in koppelingen:
                genoemd |= {(AIOS, koppelingen[value][0]), (OPLEIDER, koppelingen[value][1])}
        gesloten_op = self._gesloten_op([t[0] for t in trajecten if t[3]])
        gebeurtenissen = dict(conn.execute("SELECT traject_id, count(*) FROM traject_event GROUP BY traject_id"))
        verslagen = dict(conn.execute("SELECT traject_id, count(*) FROM verslag GROUP BY traject_id"))
        bijlagen = dict(conn.execute("SELECT v.traject_id, count(*) FROM bijlage b JOIN verslag v ON v.id = "
                                     "b.verslag_id GROUP BY v.traject_id"))
        traject_feiten = tuple(
            TrajectFeiten(t[0], aios_namen.get(t[1], "(aios onbekend)"),
                          opleider_namen.get(t[2], "(opleider onbekend)"), gesloten_op.get(t[0]),
                          frozenset(personen.get(t[0], ())), gebeurtenissen.get(t[0], 0), verslagen.get(t[0], 0),
                          bijlagen.get(t[0], 0))
            for t in trajecten)

        rondes = []
        for ronde_id, naam, startdatum, document in conn.execute(
                "SELECT id, naam, startdatum, document FROM ronde ORDER BY id"):
            ids, namen = _ronde_personen(document)
            start = _datum(startdatum)
            if start is not None:
                rondes.append(RondeFeiten(ronde_id, naam, start, ids, namen))

        gearchiveerd = {}
        for soort, table in ((AIOS, "aios"), (OPLEIDER, "opleider")):
            for row_id, op in conn.execute(f"SELECT id, gearchiveerd_op FROM {table} WHERE gearchiveerd = 1"):
                # A date the trigger always writes; an unreadable one counts from today (the safe side).
                gearchiveerd[(soort, row_id)] = _datum(op) or dt.date.today()
        per_persoon: dict[Sleutel, list[KoppelingFeit]] = {}
        for koppeling_id, (aios_id, opleider_id, einde) in koppelingen.items():
            a, o = (AIOS, aios_id), (OPLEIDER, opleider_id)
            per_persoon.setdefault(a, []).append(KoppelingFeit(koppeling_id, o, o in gearchiveerd, einde))
            per_persoon.setdefault(o, []).append(KoppelingFeit(koppeling_id, a, a in gearchiveerd, einde))
        persoon_feiten = tuple(
            PersoonFeiten(soort, row_id, (aios_namen if soort == AIOS else opleider_namen).get(row_id, ""), op,
                          tuple(per_persoon.get((soort, row_id), ())))
            for (soort, row_id), op in sorted(gearchiveerd.items()))
        return Feiten(traject_feiten, tuple(rondes), persoon_feiten)

    def _gesloten_op(self, traject_ids: Sequence[int]) -> dict[int, dt.date]:
        """The day each closed traject was closed: its last effective traject_gesloten (after intrekkingen and
        correcties)."""
        out: dict[int, dt.date] = {}
        for traject in SqlTrajectRepository(self._conn).load_all(traject_ids):
            dagen = [e.date for e in traject.effective_events if e.kind is EventKind.TRAJECT_GESLOTEN]
            if traject.id is not None and dagen:
                out[traject.id] = dagen[-1]
        return out

    # ---- deleting ------------------------------------------------------------------------------------------

    def verwijder(self, trajecten: Collection[int], rondes: Collection[int], aios: Collection[int],
                  opleiders: Collection[int]) -> Verwijderd:
        """Inside the service's transaction (it checked the terms in it). Returns what went."""
        conn = self._conn
        conn.execute("PRAGMA secure_delete = ON")
        trajecten, rondes, aios, opleiders = list(trajecten), list(rondes), list(aios), list(opleiders)
        try:
            conn.executemany("INSERT INTO te_verwijderen (traject_id) VALUES (?)", [(i,) for i in trajecten])
        except sqlcipher3.IntegrityError:
            raise ValidatieFout(["Een traject dat nog open is (of intussen heropend), wordt niet "
                                 "verwijderd."]) from None
        van = "traject_id IN (SELECT traject_id FROM te_verwijderen)"
        verslagen = frozenset(r[0] for r in conn.execute(f"SELECT id FROM verslag WHERE {van}"))
        traject_opleiders = frozenset(r[0] for r in conn.execute(
            "SELECT opleider_id FROM traject WHERE id IN (SELECT traject_id FROM te_verwijderen)"))
        bijlagen = conn.execute(
            f"DELETE FROM bijlage WHERE verslag_id IN (SELECT id FROM verslag WHERE {van})").rowcount
        conn.execute(f"DELETE FROM verslag_zoek WHERE rowid IN (SELECT id FROM verslag WHERE {van})")
        conn.execute(f"DELETE FROM verslag WHERE {van}")
        conn.execute(f"DELETE FROM open_stap WHERE {van}")
        conn.execute(f"DELETE FROM traject_overzicht WHERE {van}")
        gebeurtenissen = conn.execute(f"DELETE FROM traject_event WHERE {van}").rowcount
        conn.execute("DELETE FROM traject WHERE id IN (SELECT traject_id FROM te_verwijderen)")
        # Emptied within the transaction: the definitief triggers hold again for every other traject.
        conn.execute("DELETE FROM te_verwijderen")
        if rondes:
            conn.execute(f"DELETE FROM ronde WHERE id IN ({_plaatsen(rondes)})", rondes)
        koppelingen: frozenset[int] = frozenset()
        if aios or opleiders:
            koppelingen = frozenset(r[0] for r in conn.execute(
                f"SELECT id FROM koppeling WHERE aios_id IN ({_plaatsen(aios)}) OR opleider_id IN "
                f"({_plaatsen(opleiders)})", [*aios, *opleiders]))
            conn.execute(f"DELETE FROM koppeling WHERE id IN ({_plaatsen(list(koppelingen))})", list(koppelingen))
            try:
                conn.execute(f"DELETE FROM aios WHERE id IN ({_plaatsen(aios)})", aios)
                conn.execute(f"DELETE FROM opleider WHERE id IN ({_plaatsen(opleiders)})", opleiders)
            except sqlcipher3.IntegrityError:
                raise ValidatieFout(["Een persoon die nog in een traject of koppeling voorkomt, wordt niet "
                                     "verwijderd."]) from None
        if verslagen:
            # The words of the deleted verslagen leave the index's segments (see the module's docstring).
            conn.execute("INSERT INTO verslag_zoek (verslag_zoek) VALUES ('optimize')")
        if self._na_verwijderen is not None:
            self._na_verwijderen()
        return Verwijderd(frozenset(trajecten), verslagen, frozenset(rondes), frozenset(aios), frozenset(opleiders),
                          koppelingen, traject_opleiders, gebeurtenissen, bijlagen)

    def ruim_op(self) -> bool:
        """Fold the -wal into the file and truncate it; False when a reader (the background check, a back-up being
        made) holds it back: the lock and the close do it again."""
        if self._conn.in_transaction:
            return False
        try:
            row = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlcipher3.Error:
            return False
        return row is not None and row[0] == 0


def _ronde_personen(document: str) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Who a ronde's document names: per soort the ids and folded names."""
    try:
        data: Any = json.loads(document)
    except ValueError:
        return {}, {}
    ids: dict[str, frozenset[str]] = {}
    namen: dict[str, frozenset[str]] = {}
    for soort, veld in ((AIOS, "aios"), (OPLEIDER, "opleiders")):
        rijen = [r for r in data.get(veld, ()) if isinstance(r, dict)] if isinstance(data, dict) else []
        ids[soort] = frozenset(str(r.get("id", "")) for r in rijen)
        namen[soort] = frozenset(vouw(str(r.get("naam", ""))) for r in rijen if r.get("naam"))
    return ids, namen


__all__ = ["SqlBewaartermijnRepository"]
