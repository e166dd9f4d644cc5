"""Reading and writing the people, praktijken, groepen and koppelingen. Core objects in, core objects out."""

from __future__ import annotations

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
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.database import transaction

Connection = Any


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


_NAAM = "voornaam, tussenvoegsel, achternaam"


class PersonenRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # ---- reading -------------------------------------------------------------------------------------

    def _where(self, archief: bool) -> str:
        return "" if archief else " WHERE gearchiveerd = 0"

    def praktijken(self, archief: bool = False) -> list[Praktijk]:
        rows = self._conn.execute(f"SELECT id, naam, plaats, gearchiveerd FROM praktijk{self._where(archief)}")
        return [Praktijk(naam=r[1], plaats=r[2], id=r[0], gearchiveerd=bool(r[3])) for r in rows]

    def docenten(self, archief: bool = False) -> list[Docent]:
        rows = self._conn.execute(
            f"SELECT id, {_NAAM}, soort, email, gearchiveerd FROM docent{self._where(archief)}"
        )
        return [
            Docent(Naam(r[1], r[2], r[3]), DocentSoort(r[4]), r[5], id=r[0], gearchiveerd=bool(r[6]))
            for r in rows
        ]

    def groepen(self, archief: bool = False) -> list[Groep]:
        rows = self._conn.execute(
            "SELECT id, naam, opleidingsjaar, huisarts_docent_id, gedragswetenschapper_docent_id, gearchiveerd "
            f"FROM groep{self._where(archief)}"
        )
        return [Groep(r[1], r[2], r[3], r[4], id=r[0], gearchiveerd=bool(r[5])) for r in rows]

    def aios(self, archief: bool = False) -> list[Aios]:
        rows = self._conn.execute(
            f"SELECT id, {_NAAM}, opleidingsjaar, startdatum_opleiding, deeltijdpercentage, groep_id, email, "
            f"gearchiveerd FROM aios{self._where(archief)}"
        )
        return [
            Aios(Naam(r[1], r[2], r[3]), r[4], _d(r[5]), r[6], r[7], r[8], id=r[0], gearchiveerd=bool(r[9]))
            for r in rows
        ]

    def opleiders(self, archief: bool = False) -> list[Opleider]:
        rows = self._conn.execute(
            f"SELECT id, {_NAAM}, praktijk_id, curriculumjaar, begeleidt_coassistent, duo_opleider, "
            f"aanwezigheidspercentage, hoofdopleider, email, gearchiveerd FROM opleider{self._where(archief)}"
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

    def medewerkers(self, archief: bool = False) -> list[Medewerker]:
        rows = self._conn.execute(
            f"SELECT id, {_NAAM}, rol, opleidingsjaar, email, gearchiveerd FROM medewerker{self._where(archief)}"
        )
        return [
            Medewerker(Naam(r[1], r[2], r[3]), Rol(r[4]), r[5], r[6], id=r[0], gearchiveerd=bool(r[7]))
            for r in rows
        ]

    def koppelingen(self, archief: bool = False, aios_id: int | None = None) -> list[Koppeling]:
        sql = "SELECT id, aios_id, opleider_id, startdatum, einddatum, gearchiveerd FROM koppeling"
        clauses, params = [], []
        if not archief:
            clauses.append("gearchiveerd = 0")
        if aios_id is not None:
            clauses.append("aios_id = ?")
            params.append(aios_id)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = self._conn.execute(sql, params)
        return [
            Koppeling(r[1], r[2], date.fromisoformat(r[3]), _d(r[4]), id=r[0], gearchiveerd=bool(r[5]))
            for r in rows
        ]

    def get_aios(self, aios_id: int) -> Aios:
        found = [a for a in self.aios(archief=True) if a.id == aios_id]
        if not found:
            raise ValidatieFout([f"Aios {aios_id} bestaat niet."])
        return found[0]

    # ---- writing -------------------------------------------------------------------------------------

    def _save(self, table: str, obj_id: int | None, values: dict[str, Any]) -> int:
        with transaction(self._conn):
            if obj_id is None:
                cols = ", ".join(values)
                marks = ", ".join("?" for _ in values)
                cur = self._conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(values.values()))
                return int(cur.lastrowid)
            assignments = ", ".join(f"{c} = ?" for c in values)
            cur = self._conn.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), obj_id]
            )
            if cur.rowcount != 1:
                raise ValidatieFout([f"Dit gegeven bestaat niet meer (tabel {table}, nummer {obj_id})."])
            return obj_id

    @staticmethod
    def _naam(naam: Naam) -> dict[str, Any]:
        return {
            "voornaam": naam.voornaam.strip(),
            "tussenvoegsel": naam.tussenvoegsel.strip(),
            "achternaam": naam.achternaam.strip(),
        }

    def save_praktijk(self, p: Praktijk) -> Praktijk:
        p.valideer()
        values = {"naam": p.naam.strip(), "plaats": p.plaats.strip(), "gearchiveerd": int(p.gearchiveerd)}
        p.id = self._save("praktijk", p.id, values)
        return p

    def save_docent(self, d: Docent) -> Docent:
        d.valideer()
        values = {**self._naam(d.naam), "soort": d.soort.value, "email": d.email.strip(),
                  "gearchiveerd": int(d.gearchiveerd)}
        d.id = self._save("docent", d.id, values)
        return d

    def save_groep(self, g: Groep) -> Groep:
        g.valideer()
        values = {
            "naam": g.naam.strip(),
            "opleidingsjaar": g.opleidingsjaar,
            "huisarts_docent_id": g.huisarts_docent_id,
            "gedragswetenschapper_docent_id": g.gedragswetenschapper_docent_id,
            "gearchiveerd": int(g.gearchiveerd),
        }
        g.id = self._save("groep", g.id, values)
        return g

    def save_aios(self, a: Aios) -> Aios:
        a.valideer()
        values = {
            **self._naam(a.naam),
            "opleidingsjaar": a.opleidingsjaar,
            "startdatum_opleiding": _iso(a.startdatum_opleiding),
            "deeltijdpercentage": a.deeltijdpercentage,
            "groep_id": a.groep_id,
            "email": a.email.strip(),
            "gearchiveerd": int(a.gearchiveerd),
        }
        a.id = self._save("aios", a.id, values)
        return a

    def save_opleider(self, o: Opleider) -> Opleider:
        o.valideer()
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
        o.id = self._save("opleider", o.id, values)
        return o

    def save_medewerker(self, m: Medewerker) -> Medewerker:
        m.valideer()
        values = {
            **self._naam(m.naam),
            "rol": m.rol.value,
            "opleidingsjaar": m.opleidingsjaar if m.rol.per_opleidingsjaar else None,
            "email": m.email.strip(),
            "gearchiveerd": int(m.gearchiveerd),
        }
        m.id = self._save("medewerker", m.id, values)
        return m

    def save_koppeling(self, k: Koppeling) -> Koppeling:
        with transaction(self._conn):
            k.valideer(self.koppelingen(aios_id=k.aios_id))
            values = {
                "aios_id": k.aios_id,
                "opleider_id": k.opleider_id,
                "startdatum": k.startdatum.isoformat(),
                "einddatum": _iso(k.einddatum),
                "gearchiveerd": int(k.gearchiveerd),
            }
            k.id = self._save("koppeling", k.id, values)
        return k

    def set_gearchiveerd(self, table: str, obj_id: int, gearchiveerd: bool) -> None:
        if table not in _ARCHIVABLE:
            raise ValueError(table)
        with transaction(self._conn):
            self._conn.execute(f"UPDATE {table} SET gearchiveerd = ? WHERE id = ?", (int(gearchiveerd), obj_id))

    def counts(self) -> dict[str, int]:
        return {
            t: int(self._conn.execute(f"SELECT count(*) FROM {t} WHERE gearchiveerd = 0").fetchone()[0])
            for t in _ARCHIVABLE
        }


_ARCHIVABLE = ("praktijk", "docent", "groep", "aios", "opleider", "medewerker", "koppeling")
