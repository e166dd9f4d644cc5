"""Gespreksverslagen in the store: core's VerslagRepository on the SQLCipher connection, so a concept typed on
a laptop lives only inside the encrypted file. One row per version; the answers as one JSON text, written
exactly as typed.

The rules are core's (core.verslagen.VerslagService); this module only reads and writes, joining the service's
transaction. A definitief row is also guarded by a trigger (schema v5).

The search index (`verslag_zoek`, schema v6) and the gesprek's date (`datum`, for the list) follow the answers:
written in the same statement group as every insert and every concept save, from the text fields of the
verslag's questions (core.verslagen.zoeken). The list reads no answers (`lijst`, with the covering index
`verslag_lijst`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlcipher3

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.procedure.readmodel import OpenStap
from ontkoppel_desktop.core.verslagen.overzicht import (
    STAAT_DEFINITIEF,
    STAAT_GEARCHIVEERD,
    STAAT_VERSTUURD,
    LijstTraject,
    VerslagKop,
)
from ontkoppel_desktop.core.verslagen.service import VerslagFout
from ontkoppel_desktop.core.verslagen.verslag import Status, Verslag
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction
from ontkoppel_desktop.store.verslag_index import FormulierVan, VerslagIndex, bundled_formulier

# The questions of a verslag, by its procedure version and gesprek; None when this installation lacks them.

_COLUMNS = (
    "id, traject_id, gesprek, procedure_id, procedure_version, auteur, antwoorden, status, pagina, open, "
    "gebeurtenis_id, versie, vorige_id, reden, aangemaakt, opgeslagen, afgerond_op, zegels, verstuurd_op, "
    "gearchiveerd_op, status_events, geexporteerd_op"
)
_V_COLUMNS = ", ".join("v." + c.strip() for c in _COLUMNS.split(","))


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
        geexporteerd_op={VerslagBestemming(k): dt.date.fromisoformat(v) for k, v in json.loads(row[21]).items()},
    )


# Per row of a list of 20 000 every column costs (each value becomes a Python object): the state as one number of
# flags (core.verslagen.overzicht.STAAT_*), the day begun only where the gesprek has no date.
_KOP = (
    "id, traject_id, gesprek, auteur, "
    f"(status = 'definitief') * {STAAT_DEFINITIEF} + (verstuurd_op IS NOT NULL) * {STAAT_VERSTUURD} "
    f"+ (gearchiveerd_op != '{{}}') * {STAAT_GEARCHIVEERD}, "
    "gebeurtenis_id, versie, vorige_id, datum, CASE WHEN datum IS NULL THEN aangemaakt END"
)




@contextmanager
def _geweigerd(conn: Connection, verslag: Verslag | None = None) -> Iterator[None]:
    """The file's refusals (schema v5, v7, v9) in the service's words, never SQLite's: the service checked the same
    rules in its transaction, but a second process may have written what it could not see yet."""
    try:
        yield
    except sqlcipher3.IntegrityError as exc:
        reason = str(exc)
        if "verslag.vorige_id" in reason:
            raise VerslagFout("Er is al een nieuwere versie van dit verslag; maak de nieuwe versie daarvan.") from None
        if "verslag.gebeurtenis_id" in reason and verslag is not None:
            other = conn.execute(
                "SELECT versie, auteur FROM verslag WHERE gebeurtenis_id = ? AND versie = ? AND status = 'definitief'",
                (verslag.gebeurtenis_id, verslag.versie)).fetchone()
            wie = f" (versie {other[0]}, van {other[1]})" if other else ""
            raise VerslagFout(f"Van dit gesprek is al een definitief verslag{wie}. Maak daarvan een nieuwe versie "
                              "als het verslag gecorrigeerd moet worden.") from None
        if "definitief" in reason:
            raise VerslagFout("Dit verslag is definitief en kan niet meer worden bewerkt. Maak een nieuwe versie met "
                              "een reden als het gecorrigeerd moet worden.") from None
        raise VerslagFout("Het traject of de vorige versie van dit verslag bestaat niet (meer); het verslag is niet "
                          "opgeslagen.") from None


def _in(column: str, ids: Collection[int] | None) -> tuple[str, list[int]]:
    if ids is None:
        return "1", []
    return (f"{column} IN ({', '.join('?' * len(ids))})" if ids else "0"), list(ids)


class SqlVerslagRepository:
    def __init__(self, conn: Connection, formulier_van: FormulierVan = bundled_formulier) -> None:
        self.conn = conn
        self._index = VerslagIndex(formulier_van)

    def insert(self, verslag: Verslag) -> int:
        rij, datum = self._index.rij(verslag.procedure, verslag.gesprek, verslag.antwoorden)
        with transaction(self.conn) as conn, _geweigerd(conn, verslag):
            cur = conn.execute(
                f"INSERT INTO verslag ({_COLUMNS}, datum) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?)",
                (
                    verslag.traject_id, verslag.gesprek, verslag.procedure[0], verslag.procedure[1], verslag.auteur,
                    _json(verslag.antwoorden), verslag.status.value, verslag.pagina, int(verslag.open),
                    verslag.gebeurtenis_id, verslag.versie, verslag.vorige_id, verslag.reden,
                    verslag.aangemaakt.isoformat(), verslag.opgeslagen.isoformat(),
                    verslag.afgerond_op.isoformat() if verslag.afgerond_op else None, _json(verslag.zegels),
                    verslag.verstuurd_op.isoformat() if verslag.verstuurd_op else None,
                    _json({k.value: v.isoformat() for k, v in verslag.gearchiveerd_op.items()}),
                    _json(verslag.status_events), _json(_dagen(verslag.geexporteerd_op)), datum,
                ),
            )
            assert cur.lastrowid is not None
            self._index.schrijf(conn, cur.lastrowid, rij)
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
            # Columns stored before the answers: read without the answers' overflow pages.
            row = conn.execute("SELECT procedure_id, procedure_version, gesprek FROM verslag WHERE id = ?",
                               (verslag_id,)).fetchone()
            if row is None:
                return
            rij, datum = self._index.rij((row[0], row[1]), row[2], antwoorden)
            with _geweigerd(conn):
                cur = conn.execute(
                    "UPDATE verslag SET antwoorden = ?, pagina = ?, open = ?, opgeslagen = ?, datum = ? "
                    "WHERE id = ? AND status = 'concept'",
                    (_json(antwoorden), pagina, int(open_), opgeslagen.isoformat(), datum, verslag_id),
                )
            if cur.rowcount:  # a definitief verslag keeps its words
                self._index.schrijf(conn, verslag_id, rij)

    def set_open(self, verslag_id: int, open_: bool) -> None:
        with transaction(self.conn) as conn:
            conn.execute("UPDATE verslag SET open = ? WHERE id = ?", (int(open_), verslag_id))

    def update(self, verslag: Verslag) -> None:
        with transaction(self.conn) as conn, _geweigerd(conn, verslag):
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
                "UPDATE verslag SET verstuurd_op = ?, gearchiveerd_op = ?, status_events = ?, geexporteerd_op = ? "
                "WHERE id = ?",
                (
                    verslag.verstuurd_op.isoformat() if verslag.verstuurd_op else None,
                    _json({k.value: v.isoformat() for k, v in verslag.gearchiveerd_op.items()}),
                    _json(verslag.status_events), _json(_dagen(verslag.geexporteerd_op)), verslag.id,
                ),
            )

    # ---- finding -------------------------------------------------------------------------------------

    def zoek(self, vraag: str, limiet: int, binnen: Collection[int] | None = None) -> list[Verslag]:
        """The verslagen that match the FTS5 expression `vraag` (core.verslagen.zoeken.fts_vraag), best first."""
        where, ids = _in("v.id", binnen)
        rows = self.conn.execute(
            f"SELECT {_V_COLUMNS} FROM verslag_zoek "
            f"JOIN verslag v ON v.id = verslag_zoek.rowid WHERE verslag_zoek MATCH ? AND {where} "
            "ORDER BY rank LIMIT ?",
            (vraag, *ids, limiet),
        )
        return [_row(r) for r in rows]

    def lijst(self, traject_ids: Collection[int] | None = None) -> list[VerslagKop]:
        """Every verslag (of these trajecten) without its answers, from the covering index `verslag_lijst`: no
        verslag's text is read."""
        where, ids = _in("traject_id", traject_ids)
        rows = self.conn.execute(f"SELECT {_KOP} FROM verslag INDEXED BY verslag_lijst WHERE {where}", ids)
        day = dt.date.fromisoformat
        return [VerslagKop(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], day(r[8]) if r[8] else None,
                           day(r[9][:10]) if r[9] else None) for r in rows]

    def lijst_trajecten(self, stappen: Collection[str], today: dt.date,
                        traject_ids: Collection[int] | None = None) -> list[LijstTraject]:
        """The trajecten (these, or all) with their people and their stored open steps of these kinds that are
        due by today."""
        where, ids = _in("traject_id", traject_ids)
        open_stappen: dict[int, list[OpenStap]] = {}
        if stappen:
            for r in self.conn.execute(
                    "SELECT traject_id, stap, keer, volgorde, vanaf, termijn_vanaf, termijn, oorsprong FROM open_stap "
                    f"WHERE stap IN ({', '.join('?' * len(stappen))}) AND (vanaf IS NULL OR vanaf <= ?) AND {where}",
                    (*stappen, today.isoformat(), *ids)):
                open_stappen.setdefault(r[0], []).append(
                    OpenStap(r[0], r[1], r[2], r[3], _d(r[4]), _d(r[5]), _d(r[6]), r[7]))
        where, ids = _in("t.id", traject_ids)
        return [
            LijstTraject(r[0], (r[1], r[2]), r[3], r[4], Naam(r[5] or "", r[6] or "", r[7] or ""),
                         Naam(r[8] or "", r[9] or "", r[10] or ""), tuple(open_stappen.get(r[0], ())))
            for r in self.conn.execute(
                "SELECT t.id, t.procedure_id, t.procedure_version, t.aios_id, t.opleider_id, a.voornaam, "
                "a.tussenvoegsel, a.achternaam, o.voornaam, o.tussenvoegsel, o.achternaam FROM traject t "
                f"LEFT JOIN aios a ON a.id = t.aios_id LEFT JOIN opleider o ON o.id = t.opleider_id WHERE {where}",
                ids)
        ]


def _dagen(dates: Mapping[VerslagBestemming, dt.date]) -> dict[str, str]:
    return {k.value: v.isoformat() for k, v in dates.items()}


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


__all__ = ["SqlVerslagRepository"]
