"""Reading and writing the rows of people, praktijken, groepen and koppelingen on SQLCipher: core objects in,
core objects out, no rules (those are in core.personen_service, the one door for these writes)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date
from typing import Any

import sqlcipher3

from ontkoppel_desktop.core.errors import OntkoppelError, ValidatieFout
from ontkoppel_desktop.core.personen import (
    Aios,
    Docent,
    DocentSoort,
    Groep,
    Koppeling,
    Medewerker,
    Naam,
    Opleider,
    Praktijk,
)
from ontkoppel_desktop.core.personen_service import ARCHIVABLE, SOORT, niet_gevonden
from ontkoppel_desktop.core.procedure import Blokkade, RuleError
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction
from ontkoppel_desktop.store.schema import GEBLOKKEERD, OVERLAPT

Ids = Collection[int] | None


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


_NAAM = "voornaam, tussenvoegsel, achternaam"
# The references of each table (column: the table it names), to say which one a refused write named.
_VERWIJZINGEN = {
    "groep": {"huisarts_docent_id": "docent", "gedragswetenschapper_docent_id": "docent"},
    "aios": {"groep_id": "groep"},
    "opleider": {"praktijk_id": "praktijk"},
    "koppeling": {"aios_id": "aios", "opleider_id": "opleider"},
}


class SqlPersonenRepository:
    """core.personen_service.PersonenRepository on the store's connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # ---- reading -------------------------------------------------------------------------------------

    def _select(self, sql: str, archief: bool, ids: Ids, extra: tuple[str, list[Any]] | None = None) -> Any:
        clauses: list[str] = [] if archief else ["gearchiveerd = 0"]
        params: list[Any] = []
        if ids is not None:
            ids = list(ids)
            clauses.append(f"id IN ({', '.join('?' * len(ids))})" if ids else "0")
            params += ids
        if extra is not None:
            clauses.append(extra[0])
            params += extra[1]
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return self._conn.execute(sql + where, params)

    def praktijken(self, archief: bool = False, ids: Ids = None) -> list[Praktijk]:
        rows = self._select("SELECT id, naam, plaats, gearchiveerd FROM praktijk", archief, ids)
        return [Praktijk(naam=r[1], plaats=r[2], id=r[0], gearchiveerd=bool(r[3])) for r in rows]

    def docenten(self, archief: bool = False, ids: Ids = None) -> list[Docent]:
        rows = self._select(f"SELECT id, {_NAAM}, soort, email, gearchiveerd FROM docent", archief, ids)
        return [
            Docent(Naam(r[1], r[2], r[3]), DocentSoort(r[4]), r[5], id=r[0], gearchiveerd=bool(r[6]))
            for r in rows
        ]

    def groepen(self, archief: bool = False, ids: Ids = None) -> list[Groep]:
        rows = self._select(
            "SELECT id, naam, opleidingsjaar, huisarts_docent_id, gedragswetenschapper_docent_id, gearchiveerd "
            "FROM groep", archief, ids
        )
        return [Groep(r[1], r[2], r[3], r[4], id=r[0], gearchiveerd=bool(r[5])) for r in rows]

    def aios(self, archief: bool = False, ids: Ids = None) -> list[Aios]:
        rows = self._select(
            f"SELECT id, {_NAAM}, opleidingsjaar, startdatum_opleiding, deeltijdpercentage, groep_id, email, "
            "gearchiveerd FROM aios", archief, ids
        )
        return [
            Aios(Naam(r[1], r[2], r[3]), r[4], _d(r[5]), r[6], r[7], r[8], id=r[0], gearchiveerd=bool(r[9]))
            for r in rows
        ]

    def opleiders(self, archief: bool = False, ids: Ids = None) -> list[Opleider]:
        rows = self._select(
            f"SELECT id, {_NAAM}, praktijk_id, curriculumjaar, begeleidt_coassistent, duo_opleider, "
            "aanwezigheidspercentage, hoofdopleider, email, gearchiveerd FROM opleider", archief, ids
        )
        return [
            Opleider(
                Naam(r[1], r[2], r[3]),
                r[4],
                r[5],
                bool(r[6]),
                bool(r[7]),
                r[8],
                bool(r[9]),
                r[10],
                id=r[0],
                gearchiveerd=bool(r[11]),
            )
            for r in rows
        ]

    def medewerkers(self, archief: bool = False, ids: Ids = None) -> list[Medewerker]:
        rows = self._select(
            f"SELECT id, {_NAAM}, rol, opleidingsjaar, email, gearchiveerd FROM medewerker", archief, ids
        )
        return [
            Medewerker(Naam(r[1], r[2], r[3]), Rol(r[4]), r[5], r[6], id=r[0], gearchiveerd=bool(r[7]))
            for r in rows
        ]

    def koppelingen(self, archief: bool = False, aios_id: int | None = None, ids: Ids = None) -> list[Koppeling]:
        rows = self._select("SELECT id, aios_id, opleider_id, startdatum, einddatum, gearchiveerd FROM koppeling",
                            archief, ids, ("aios_id = ?", [aios_id]) if aios_id is not None else None)
        return [
            Koppeling(r[1], r[2], date.fromisoformat(r[3]), _d(r[4]), id=r[0], gearchiveerd=bool(r[5]))
            for r in rows
        ]

    # ---- writing -------------------------------------------------------------------------------------

    def _save(self, table: str, obj_id: int | None, values: dict[str, Any]) -> int:
        try:
            return self._write(table, obj_id, values)
        except sqlcipher3.IntegrityError as exc:
            # The service checked these rules in its transaction; the file refuses what slipped past (another
            # process, an older version), and the user reads it in the service's words, never SQLite's.
            raise self._geweigerd(table, values, str(exc)) from None

    def _geweigerd(self, table: str, values: dict[str, Any], reason: str) -> OntkoppelError:
        if reason == GEBLOKKEERD:
            return RuleError(self._blokkade(values["opleider_id"]))
        if reason == OVERLAPT:
            return ValidatieFout(["Koppeling: deze aios heeft in die periode al een koppeling."])
        naam = " ".join(str(values.get(k) or "") for k in ("naam", "voornaam", "tussenvoegsel", "achternaam")).split()
        wie = " ".join([table.capitalize(), *naam])
        for column, target in _VERWIJZINGEN.get(table, {}).items():
            row_id = values.get(column)
            if row_id is not None and self._conn.execute(
                    f"SELECT 1 FROM {target} WHERE id = ?", (row_id,)).fetchone() is None:
                return ValidatieFout([f"{wie}: {niet_gevonden(SOORT[target], row_id)}; kies een andere."])
        return ValidatieFout([f"{SOORT[table].capitalize()} kon niet worden opgeslagen: het botst met wat intussen "
                              "is opgeslagen. Kijk de gegevens na en probeer het opnieuw."])

    def _blokkade(self, opleider_id: int) -> str:
        """The words of TrajectService.check_opleider_vrij, from the derived rows the trigger read."""
        row = self._conn.execute(
            "SELECT o.blokkade_sinds, o.blokkade_wacht_op, o.traject_id FROM traject t JOIN traject_overzicht o "
            "ON o.traject_id = t.id WHERE t.opleider_id = ? AND o.blokkade_sinds IS NOT NULL ORDER BY o.traject_id",
            (opleider_id,)).fetchone()
        found = self.opleiders(archief=True, ids=[opleider_id])
        naam = found[0].naam.volledig if found else "Deze opleider"
        reden = Blokkade(opleider_id, row[2], date.fromisoformat(row[0]), row[1]).reden if row else ""
        return f"{naam} krijgt nu geen nieuwe aios. {reden}".strip()

    def _write(self, table: str, obj_id: int | None, values: dict[str, Any]) -> int:
        with transaction(self._conn):
            if obj_id is None:
                cols = ", ".join(values)
                marks = ", ".join("?" for _ in values)
                cur = self._conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(values.values()))
                assert cur.lastrowid is not None
                return int(cur.lastrowid)
            assignments = ", ".join(f"{c} = ?" for c in values)
            cur = self._conn.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), obj_id]
            )
            if cur.rowcount != 1:
                raise ValidatieFout([f"Dit gegeven bestaat niet meer ({table} nummer {obj_id}); "
                                     "het is misschien intussen verwijderd."])
            return obj_id

    @staticmethod
    def _naam(naam: Naam) -> dict[str, Any]:
        return {
            "voornaam": naam.voornaam.strip(),
            "tussenvoegsel": naam.tussenvoegsel.strip(),
            "achternaam": naam.achternaam.strip(),
        }

    def write_praktijk(self, p: Praktijk) -> int:
        values = {"naam": p.naam.strip(), "plaats": p.plaats.strip(), "gearchiveerd": int(p.gearchiveerd)}
        return self._save("praktijk", p.id, values)

    def write_docent(self, d: Docent) -> int:
        values = {**self._naam(d.naam), "soort": d.soort.value, "email": d.email.strip(),
                  "gearchiveerd": int(d.gearchiveerd)}
        return self._save("docent", d.id, values)

    def write_groep(self, g: Groep) -> int:
        values = {
            "naam": g.naam.strip(),
            "opleidingsjaar": g.opleidingsjaar,
            "huisarts_docent_id": g.huisarts_docent_id,
            "gedragswetenschapper_docent_id": g.gedragswetenschapper_docent_id,
            "gearchiveerd": int(g.gearchiveerd),
        }
        return self._save("groep", g.id, values)

    def write_aios(self, a: Aios) -> int:
        values = {
            **self._naam(a.naam),
            "opleidingsjaar": a.opleidingsjaar,
            "startdatum_opleiding": _iso(a.startdatum_opleiding),
            "deeltijdpercentage": a.deeltijdpercentage,
            "groep_id": a.groep_id,
            "email": a.email.strip(),
            "gearchiveerd": int(a.gearchiveerd),
        }
        return self._save("aios", a.id, values)

    def write_opleider(self, o: Opleider) -> int:
        values = {
            **self._naam(o.naam),
            "praktijk_id": o.praktijk_id,
            "curriculumjaar": o.curriculumjaar,
            "begeleidt_coassistent": int(o.begeleidt_coassistent),
            "duo_opleider": int(o.duo_opleider),
            "aanwezigheidspercentage": o.aanwezigheidspercentage,
            "hoofdopleider": int(o.hoofdopleider),
            "email": o.email.strip(),
            "gearchiveerd": int(o.gearchiveerd),
        }
        return self._save("opleider", o.id, values)

    def write_medewerker(self, m: Medewerker) -> int:
        values = {
            **self._naam(m.naam),
            "rol": m.rol.value,
            "opleidingsjaar": m.opleidingsjaar if m.rol.per_opleidingsjaar else None,
            "email": m.email.strip(),
            "gearchiveerd": int(m.gearchiveerd),
        }
        return self._save("medewerker", m.id, values)

    def write_koppeling(self, k: Koppeling) -> int:
        values = {
            "aios_id": k.aios_id,
            "opleider_id": k.opleider_id,
            "startdatum": k.startdatum.isoformat(),
            "einddatum": _iso(k.einddatum),
            "gearchiveerd": int(k.gearchiveerd),
        }
        return self._save("koppeling", k.id, values)

    def van_instituut(self, table: str, ids: Collection[int]) -> set[int]:
        if table not in ("aios", "opleider", "praktijk", "koppeling", "groep"):
            return set()
        return {int(i) for (i,) in self._conn.execute(
            f"SELECT id FROM {table} WHERE instituut_id IS NOT NULL "  # noqa: S608 - fixed names
            "AND id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))}

    def set_gearchiveerd(self, table: str, ids: Collection[int], gearchiveerd: bool) -> None:
        if table not in ARCHIVABLE:
            raise ValueError(table)
        ids = list(ids)
        with transaction(self._conn):
            for i in ids:
                try:
                    self._conn.execute(f"UPDATE {table} SET gearchiveerd = ? WHERE id = ?", (int(gearchiveerd), i))
                except sqlcipher3.IntegrityError as exc:
                    # Only the koppeling's triggers (schema v9) watch gearchiveerd: a restored koppeling.
                    row = self._conn.execute("SELECT opleider_id FROM koppeling WHERE id = ?", (i,)).fetchone()
                    raise self._geweigerd(table, {"opleider_id": row[0] if row else None}, str(exc)) from None

    def counts(self) -> dict[str, int]:
        return {
            t: int(self._conn.execute(f"SELECT count(*) FROM {t} WHERE gearchiveerd = 0").fetchone()[0])
            for t in ARCHIVABLE
        }
