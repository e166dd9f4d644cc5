"""Reading and writing the rows of people, praktijken, groepen and koppelingen on SQLCipher: core objects in,
core objects out, no rules (those are in core.personen_service, the one door for these writes)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from ontkoppel_desktop.core.errors import ValidatieFout
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
from ontkoppel_desktop.core.personen_service import ARCHIVABLE
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction

Ids = Collection[int] | None


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


_NAAM = "voornaam, tussenvoegsel, achternaam"


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

    def set_gearchiveerd(self, table: str, ids: Collection[int], gearchiveerd: bool) -> None:
        if table not in ARCHIVABLE:
            raise ValueError(table)
        with transaction(self._conn):
            self._conn.executemany(f"UPDATE {table} SET gearchiveerd = ? WHERE id = ?",
                                   [(int(gearchiveerd), i) for i in ids])

    def counts(self) -> dict[str, int]:
        return {
            t: int(self._conn.execute(f"SELECT count(*) FROM {t} WHERE gearchiveerd = 0").fetchone()[0])
            for t in ARCHIVABLE
        }
