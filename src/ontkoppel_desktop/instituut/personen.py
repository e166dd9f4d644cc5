"""Personen from the institute (issue 17): this laptop's read-only copy of what its user's role needs — the
praktijken, opleiders, aios and koppelingen the server shows this account, the groepen and the staff — for offline
use. The server decides what a role sees (and who may edit what); this module only keeps its answer:

- a pull brings the rows changed since the last one (`versie`), and the complete list of ids visible now, so that
  what left the user's view (an aios moved to another groep, a role taken away) leaves this laptop too;
- after IT changed the account's roles, the server sends everything again (`vanaf_begin`) and the copy is replaced.

The ids are the server's, not those of this laptop's own Personen; the copy lives in its own tables (schema v15).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction

# table of the copy -> (the server's key, its columns in order)
_TABELLEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "inst_praktijk": ("praktijken", ("id", "naam", "plaats", "gearchiveerd", "versie")),
    "inst_opleider": ("opleiders", ("id", "voornaam", "tussenvoegsel", "achternaam", "praktijk", "gearchiveerd",
                                    "versie")),
    "inst_aios": ("aios", ("id", "voornaam", "tussenvoegsel", "achternaam", "opleidingsjaar", "startdatum_opleiding",
                           "deeltijdpercentage", "groep", "gearchiveerd", "versie")),
    "inst_koppeling": ("koppelingen", ("id", "aios", "opleider", "startdatum", "einddatum", "versie")),
}


@dataclass(frozen=True, slots=True)
class Stand:
    praktijken: int
    opleiders: int
    aios: int
    koppelingen: int
    groepen: int
    medewerkers: int


def stand(conn: Connection) -> Stand:
    """How much of the institute's Personen this laptop keeps."""
    def tel(tabel: str) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {tabel}").fetchone()[0])  # noqa: S608 - fixed names

    return Stand(tel("inst_praktijk"), tel("inst_opleider"), tel("inst_aios"), tel("inst_koppeling"),
                 tel("inst_groep"), tel("inst_medewerker"))


def teken(conn: Connection) -> tuple[object, ...]:
    """What says whether a pull changed the copy: how far it was pulled, how much it holds, and the groepen."""
    return (waar(conn), stand(conn), tuple(conn.execute("SELECT id, naam, opleidingsjaar FROM inst_groep ORDER BY id")))


def waar(conn: Connection) -> tuple[int, int | None]:
    """(versie pulled so far, scope_versie it was pulled with)."""
    row = conn.execute("SELECT personen_versie, personen_scope FROM instituut WHERE id = 1").fetchone()
    return (int(row[0]), row[1]) if row else (0, None)


def _waarde(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def pas_toe(conn: Connection, pagina: Mapping[str, Any]) -> int:
    """Keep one answer of `GET personen`: changed rows in, rows no longer visible out. Returns the rows written."""
    geschreven = 0
    with transaction(conn):
        if pagina.get("vanaf_begin"):
            for tabel in (*_TABELLEN, "inst_groep", "inst_medewerker"):
                conn.execute(f"DELETE FROM {tabel}")  # noqa: S608 - fixed names
        for tabel, (sleutel, kolommen) in _TABELLEN.items():
            rijen = [tuple(_waarde(r.get(k)) for k in kolommen) for r in pagina.get(sleutel) or []
                     if isinstance(r, Mapping) and isinstance(r.get("id"), int)]
            conn.executemany(f"INSERT OR REPLACE INTO {tabel} ({', '.join(kolommen)}) "  # noqa: S608
                             f"VALUES ({', '.join('?' * len(kolommen))})", rijen)
            geschreven += len(rijen)
            zichtbaar = (pagina.get("zichtbaar") or {}).get(sleutel)
            if isinstance(zichtbaar, list):
                ids = [i for i in zichtbaar if isinstance(i, int)]
                conn.execute(f"DELETE FROM {tabel} WHERE id NOT IN (SELECT value FROM json_each(?))",  # noqa: S608
                             (json.dumps(ids),))
        if isinstance(pagina.get("groepen"), list):
            conn.execute("DELETE FROM inst_groep")
            conn.executemany("INSERT INTO inst_groep (id, naam, opleidingsjaar) VALUES (?, ?, ?)",
                             [(g["id"], str(g.get("naam") or ""), int(g.get("opleidingsjaar") or 0))
                              for g in pagina["groepen"] if isinstance(g, Mapping) and isinstance(g.get("id"), int)])
        if isinstance(pagina.get("medewerkers"), list):
            conn.execute("DELETE FROM inst_medewerker")
            conn.executemany("INSERT OR REPLACE INTO inst_medewerker (account, naam, rollen) VALUES (?, ?, ?)",
                             [(str(m["account"]), str(m.get("naam") or ""),
                               json.dumps(m.get("rollen") or [], ensure_ascii=False))
                              for m in pagina["medewerkers"] if isinstance(m, Mapping) and m.get("account")])
        conn.execute("UPDATE instituut SET personen_versie = ?, personen_scope = ? WHERE id = 1",
                     (int(pagina.get("tot") or 0), pagina.get("scope_versie")))
    return geschreven


@dataclass(frozen=True, slots=True)
class InstituutAios:
    id: int
    naam: Naam
    opleidingsjaar: int
    groep: str
    gearchiveerd: bool


@dataclass(frozen=True, slots=True)
class InstituutOpleider:
    id: int
    naam: Naam
    praktijk: str
    gearchiveerd: bool


def aios(conn: Connection) -> list[InstituutAios]:
    return [InstituutAios(i, Naam(v, t, a), int(j), g or "", bool(x)) for i, v, t, a, j, g, x in conn.execute(
        "SELECT a.id, a.voornaam, a.tussenvoegsel, a.achternaam, a.opleidingsjaar, g.naam, a.gearchiveerd "
        "FROM inst_aios a LEFT JOIN inst_groep g ON g.id = a.groep ORDER BY a.achternaam, a.voornaam")]


def opleiders(conn: Connection) -> list[InstituutOpleider]:
    return [InstituutOpleider(i, Naam(v, t, a), p or "", bool(x)) for i, v, t, a, p, x in conn.execute(
        "SELECT o.id, o.voornaam, o.tussenvoegsel, o.achternaam, p.naam, o.gearchiveerd FROM inst_opleider o "
        "LEFT JOIN inst_praktijk p ON p.id = o.praktijk ORDER BY o.achternaam, o.voornaam")]


# What the user sees of each kind, and which roles may change it (the server decides; this only offers the forms).
SOORTEN: dict[str, tuple[str, frozenset[str]]] = {
    "aios": ("Aios", frozenset({"jaarassistent", "manager_opleiding"})),
    "opleider": ("Opleiders", frozenset({"manager_opleiders", "assistent_manager_opleiders"})),
    "praktijk": ("Praktijken", frozenset({"manager_opleiders", "assistent_manager_opleiders"})),
    "koppeling": ("Koppelingen", frozenset({"manager_opleiders", "assistent_manager_opleiders", "jaarassistent"})),
    "medewerker": ("Medewerkers", frozenset()),  # accounts and their roles: IT's, on the server
}


def mag_wijzigen(soort: str, rollen: frozenset[str]) -> bool:
    return bool(SOORTEN[soort][1] & rollen)


def rijen(conn: Connection, soort: str) -> list[dict[str, Any]]:
    """The rows of one kind as the Instituut section lists them (names resolved), each with its raw fields for the
    form (`velden`)."""
    if soort == "aios":
        return [{"id": i, "naam": Naam(v, t, a).volledig, "jaar": j, "groep": g or "", "startdatum": _datum(s),
                 "deeltijd": d, "gearchiveerd": bool(x),
                 "velden": {"voornaam": v, "tussenvoegsel": t, "achternaam": a, "opleidingsjaar": j,
                            "startdatum_opleiding": s, "deeltijdpercentage": d, "groep": gid}}
                for i, v, t, a, j, g, s, d, x, gid in conn.execute(
                    "SELECT a.id, a.voornaam, a.tussenvoegsel, a.achternaam, a.opleidingsjaar, g.naam, "
                    "a.startdatum_opleiding, a.deeltijdpercentage, a.gearchiveerd, a.groep FROM inst_aios a "
                    "LEFT JOIN inst_groep g ON g.id = a.groep ORDER BY a.achternaam, a.voornaam")]
    if soort == "opleider":
        return [{"id": i, "naam": Naam(v, t, a).volledig, "praktijk": p or "", "gearchiveerd": bool(x),
                 "velden": {"voornaam": v, "tussenvoegsel": t, "achternaam": a, "praktijk": pid}}
                for i, v, t, a, p, x, pid in conn.execute(
                    "SELECT o.id, o.voornaam, o.tussenvoegsel, o.achternaam, p.naam, o.gearchiveerd, o.praktijk "
                    "FROM inst_opleider o LEFT JOIN inst_praktijk p ON p.id = o.praktijk "
                    "ORDER BY o.achternaam, o.voornaam")]
    if soort == "medewerker":
        groepen = {int(i): str(n) for i, n in conn.execute("SELECT id, naam FROM inst_groep")}
        return [{"id": nr, "naam": naam or account, "account": account, "rollen": _rollen(json.loads(rollen), groepen),
                 "velden": {}}
                for nr, (account, naam, rollen) in enumerate(conn.execute(
                    "SELECT account, naam, rollen FROM inst_medewerker ORDER BY naam, account"), start=1)]
    if soort == "praktijk":
        return [{"id": i, "naam": n, "plaats": p, "gearchiveerd": bool(x), "velden": {"naam": n, "plaats": p}}
                for i, n, p, x in conn.execute(
                    "SELECT id, naam, plaats, gearchiveerd FROM inst_praktijk ORDER BY naam")]
    return [{"id": i, "aios": Naam(av, at, aa).volledig if aa else f"aios {ai}",
             "opleider": Naam(ov, ot, oa).volledig if oa else f"opleider {oi}", "startdatum": _datum(s),
             "einddatum": _datum(e),
             "velden": {"aios": ai, "opleider": oi, "startdatum": s, "einddatum": e}}
            for i, ai, oi, s, e, av, at, aa, ov, ot, oa in conn.execute(
                "SELECT k.id, k.aios, k.opleider, k.startdatum, k.einddatum, a.voornaam, a.tussenvoegsel, "
                "a.achternaam, o.voornaam, o.tussenvoegsel, o.achternaam FROM inst_koppeling k "
                "LEFT JOIN inst_aios a ON a.id = k.aios LEFT JOIN inst_opleider o ON o.id = k.opleider "
                "ORDER BY a.achternaam, k.startdatum")]


def _rollen(rollen: object, groepen: Mapping[int, str]) -> str:
    """A staff member's roles in words: "Docenten (Groep 1A), Jaarassistent (jaar 2)"."""
    from ontkoppel_desktop.core.rollen import Rol

    delen = []
    for r in rollen if isinstance(rollen, list) else []:
        if not isinstance(r, Mapping) or r.get("rol") not in Rol._value2member_map_:
            continue
        tekst = Rol(r["rol"]).label
        if isinstance(r.get("groep"), int):
            tekst += f" ({groepen.get(r['groep'], 'groep ' + str(r['groep']))})"
        elif isinstance(r.get("opleidingsjaar"), int):
            tekst += f" (jaar {r['opleidingsjaar']})"
        delen.append(tekst)
    return ", ".join(delen)


def _datum(tekst: object) -> dt.date | None:
    """A stored date for the lists (which show it the Dutch way); None when there is none or it is unreadable."""
    try:
        return dt.date.fromisoformat(tekst) if isinstance(tekst, str) and tekst else None
    except ValueError:
        return None


def keuzes(conn: Connection, soort: str) -> list[tuple[str, int]]:
    """(name, id) of the rows a form may point to: groepen, praktijken, aios or opleiders."""
    if soort == "groep":
        return [(f"{n} (jaar {j})", i) for i, n, j in conn.execute(
            "SELECT id, naam, opleidingsjaar FROM inst_groep ORDER BY naam")]
    if soort == "praktijk":
        return [(n, i) for i, n in conn.execute(
            "SELECT id, naam FROM inst_praktijk WHERE gearchiveerd = 0 ORDER BY naam")]
    tabel = {"aios": "inst_aios", "opleider": "inst_opleider"}[soort]
    return [(Naam(v, t, a).volledig, i) for i, v, t, a in conn.execute(
        f"SELECT id, voornaam, tussenvoegsel, achternaam FROM {tabel} WHERE gearchiveerd = 0 "  # noqa: S608
        "ORDER BY achternaam, voornaam")]
