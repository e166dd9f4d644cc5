"""Trajecten on the institute's Personen (issue 17): this laptop's own Personen mirror what the institute shares
with its user, so that a traject starts on the institute's koppeling and every laptop names the same people.

`neem_over` runs after each pull of Personen (personen.pas_toe keeps the copy, `inst_*`). Per groep, praktijk,
opleider, aios and koppeling of the copy, in that order (each names the ones before):
- a row already mirrored (`instituut_id`) takes the institute's values;
- else a row of the laptop's own that is the same person is linked to it: the same name (folded as search folds
  it) and, for an aios, the same opleidingsjaar; for a koppeling the same aios and opleider. Only where exactly one
  row on each side matches: a guess between two namesakes is no link;
- else the row is added.
The laptop's own fields the institute does not keep (e-mail, the opleider's curriculumjaar, a groep's docenten)
stay as they are. A mirrored row that left the user's view is removed when nothing on this laptop names it, and
otherwise becomes the laptop's own again (a traject of this laptop still needs its aios).

A koppeling the laptop's own rules refuse (it overlaps one of the laptop's own, or its opleider is blocked by a
traject here) is not mirrored; the user is told why, and it is tried again with the next synchronisation.

`Ids` translates between this laptop's ids and the institute's, for what travels: a traject's header and the ids of
persons in its events (outbox.py). Nothing is written there; a person the institute names that this laptop does not
keep yet is added by `zorg_voor`, with the name the copy has (or a stand-in that the next pull fills in).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlcipher3

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.personen import Naam, zoek_normaal
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction
from ontkoppel_desktop.store.schema import GEBLOKKEERD, OVERLAPT

TABELLEN = ("groep", "praktijk", "opleider", "aios", "koppeling")


@dataclass
class Overname:
    """What `neem_over` changed in this laptop's Personen, and what it could not take over (Dutch)."""

    changes: c.Changes = c.NONE
    meldingen: list[str] = field(default_factory=list)


def _vouw(*delen: object) -> str:
    return zoek_normaal(" ".join(" ".join(str(d or "") for d in delen).split()))


def _naam(v: object, t: object, a: object) -> str:
    return Naam(str(v or ""), str(t or ""), str(a or "")).volledig


# Per table: the copy's query (id first), the local columns it fills (in the query's order after the id), which of
# those name another mirrored table, and how a row is recognised among the laptop's own.
@dataclass(frozen=True, slots=True)
class _Soort:
    tabel: str
    kopie: str
    kolommen: tuple[str, ...]
    verwijst: Mapping[str, str]  # local column -> the table whose institute id the copy holds there
    sleutel: Callable[[Mapping[str, Any]], str]


_SOORTEN = (
    _Soort("groep", "SELECT id, naam, opleidingsjaar FROM inst_groep", ("naam", "opleidingsjaar"), {},
           lambda r: _vouw(r["naam"], r["opleidingsjaar"])),
    _Soort("praktijk", "SELECT id, naam, plaats, gearchiveerd FROM inst_praktijk", ("naam", "plaats", "gearchiveerd"),
           {}, lambda r: _vouw(r["naam"])),
    _Soort("opleider", "SELECT id, voornaam, tussenvoegsel, achternaam, praktijk, gearchiveerd FROM inst_opleider",
           ("voornaam", "tussenvoegsel", "achternaam", "praktijk_id", "gearchiveerd"), {"praktijk_id": "praktijk"},
           lambda r: _vouw(_naam(r["voornaam"], r["tussenvoegsel"], r["achternaam"]))),
    _Soort("aios", "SELECT id, voornaam, tussenvoegsel, achternaam, opleidingsjaar, startdatum_opleiding, "
           "deeltijdpercentage, groep, gearchiveerd FROM inst_aios",
           ("voornaam", "tussenvoegsel", "achternaam", "opleidingsjaar", "startdatum_opleiding", "deeltijdpercentage",
            "groep_id", "gearchiveerd"), {"groep_id": "groep"},
           lambda r: _vouw(_naam(r["voornaam"], r["tussenvoegsel"], r["achternaam"]), r["opleidingsjaar"])),
    _Soort("koppeling", "SELECT id, aios, opleider, startdatum, einddatum FROM inst_koppeling",
           ("aios_id", "opleider_id", "startdatum", "einddatum"), {"aios_id": "aios", "opleider_id": "opleider"},
           lambda r: f"{r['aios_id']}:{r['opleider_id']}"),
)
# Columns a mirrored row keeps as the laptop set them, whatever the institute says (the institute keeps no groep's
# docenten; a koppeling's aios never changes).
_NIET_BIJWERKEN = {"koppeling": frozenset({"aios_id"})}


def neem_over(conn: Connection) -> Overname:
    """Bring the institute's copy into this laptop's own Personen (see the module's docstring). Only what the copy
    changed since the last time is read (its `versie`), and what was not mirrored then; a koppeling refused before
    is tried again, and reported only when it is new or changed."""
    out = Overname()
    touched: dict[str, set[int]] = {}
    geweigerd: list[str] = []
    with transaction(conn):
        row = conn.execute("SELECT gespiegeld_versie, personen_versie FROM instituut WHERE id = 1").fetchone()
        sinds, tot = (int(row[0]), int(row[1])) if row else (0, 0)
        lokaal: dict[str, dict[int, int]] = {}  # table -> institute id -> local id
        for soort in _SOORTEN:
            lokaal[soort.tabel] = _neem_soort_over(conn, soort, sinds, lokaal, touched, geweigerd)
        for tabel in reversed(TABELLEN):
            weg = [i for (i,) in conn.execute(
                f"SELECT id FROM {tabel} WHERE instituut_id IS NOT NULL AND instituut_id NOT IN "  # noqa: S608
                f"(SELECT id FROM inst_{tabel})")]
            if weg:
                touched.setdefault(tabel, set()).update(weg)
                laat_los(conn, tabel, weg)
        conn.execute("UPDATE instituut SET gespiegeld_versie = ? WHERE id = 1", (tot,))
    if geweigerd:
        out.meldingen.append(geweigerd[0] if len(geweigerd) == 1 else (
            f"{len(geweigerd)} koppelingen van het instituut zijn niet overgenomen op deze laptop, onder meer: "
            + " ".join(geweigerd[:3])))
    if touched:
        out.changes = c.Changes({k: frozenset(v) for k, v in touched.items()})
        if "opleider" in touched or "koppeling" in touched:
            out.changes = out.changes | c.Changes.all_of(c.BLOKKADE)
    return out


def _neem_soort_over(conn: Connection, soort: _Soort, sinds: int, lokaal: Mapping[str, Mapping[int, int]],
                     touched: dict[str, set[int]], geweigerd: list[str]) -> dict[int, int]:
    tabel, kolommen = soort.tabel, soort.kolommen
    gevonden = {int(i): int(local) for i, local in conn.execute(
        f"SELECT instituut_id, id FROM {tabel} WHERE instituut_id IS NOT NULL")}  # noqa: S608 - fixed names
    nieuw = "" if tabel == "groep" else (  # inst_groep has no versie: a handful of rows, always read
        f" WHERE versie > {int(sinds)} OR id NOT IN (SELECT instituut_id FROM {tabel} "  # noqa: S608
        "WHERE instituut_id IS NOT NULL)")
    kopie: list[dict[str, Any]] = []
    versies: dict[int, int] = {}
    for row in conn.execute(soort.kopie + nieuw):
        waarden = dict(zip(("instituut_id", *kolommen), row, strict=True))
        for kolom, naar in soort.verwijst.items():
            waarden[kolom] = lokaal[naar].get(waarden[kolom]) if waarden[kolom] is not None else None
        if tabel == "koppeling" and (waarden["aios_id"] is None or waarden["opleider_id"] is None):
            continue  # its aios or opleider is not in the copy (yet)
        kopie.append(waarden)
    if tabel != "groep" and kopie:
        versies = {int(i): int(v) for i, v in conn.execute(
            f"SELECT id, versie FROM inst_{tabel} WHERE id IN (SELECT value FROM json_each(?))",  # noqa: S608
            (json.dumps([w["instituut_id"] for w in kopie]),))}
    if not kopie:
        return gevonden
    bestaand = {r[0]: dict(zip(("id", "instituut_id", *kolommen), r, strict=True)) for r in conn.execute(
        f"SELECT id, instituut_id, {', '.join(kolommen)} FROM {tabel} "  # noqa: S608 - fixed names
        "WHERE instituut_id IS NULL OR instituut_id IN (SELECT value FROM json_each(?))",
        (json.dumps([w["instituut_id"] for w in kopie]),))}
    gekoppeld = {r["instituut_id"]: r for r in bestaand.values() if r["instituut_id"] is not None}
    eigen: dict[str, list[int]] = {}
    for r in bestaand.values():
        if r["instituut_id"] is None:
            eigen.setdefault(soort.sleutel(r), []).append(r["id"])
    per_sleutel: dict[str, int] = {}
    for w in kopie:
        if w["instituut_id"] not in gekoppeld:
            k = soort.sleutel(w)
            per_sleutel[k] = per_sleutel.get(k, 0) + 1
    vast = _NIET_BIJWERKEN.get(tabel, frozenset())
    for w in kopie:
        inst = w["instituut_id"]
        rij = gekoppeld.get(inst)
        if rij is None:
            k = soort.sleutel(w)
            kandidaten = eigen.get(k, [])
            if len(kandidaten) == 1 and per_sleutel.get(k) == 1:
                rij = bestaand[kandidaten.pop()]
        try:
            conn.execute("SAVEPOINT spiegel")
            if rij is None:
                cur = conn.execute(f"INSERT INTO {tabel} (instituut_id, {', '.join(kolommen)}) "  # noqa: S608
                                   f"VALUES (?, {', '.join('?' * len(kolommen))})",
                                   (inst, *(w[k] for k in kolommen)))
                local_id = int(cur.lastrowid or 0)
                touched.setdefault(tabel, set()).add(local_id)
            else:
                local_id = int(rij["id"])
                if tabel == "koppeling" and rij["einddatum"] and not w["einddatum"]:
                    # Ended here by a traject (koppeling beëindigd): the institute follows when the jaarassistent
                    # ends it there; until then the end this laptop recorded stands.
                    w = {**w, "einddatum": rij["einddatum"]}
                anders = [k for k in kolommen if k not in vast and rij[k] != w[k]]
                if anders or rij["instituut_id"] != inst:
                    conn.execute(f"UPDATE {tabel} SET instituut_id = ?, "  # noqa: S608 - fixed names
                                 f"{', '.join(f'{k} = ?' for k in anders) or 'id = id'} WHERE id = ?",
                                 (inst, *(w[k] for k in anders), local_id))
                    touched.setdefault(tabel, set()).add(local_id)
            conn.execute("RELEASE spiegel")
            gevonden[inst] = local_id
        except sqlcipher3.IntegrityError as exc:
            conn.execute("ROLLBACK TO spiegel")
            conn.execute("RELEASE spiegel")
            if versies.get(inst, sinds + 1) > sinds:  # new or changed since the last mirror: not said before
                geweigerd.append(_weigering(conn, tabel, w, str(exc)))
    return gevonden


def _weigering(conn: Connection, tabel: str, w: Mapping[str, Any], fout: str) -> str:
    if tabel != "koppeling":
        return f"Een {tabel} van het instituut kon niet op deze laptop worden overgenomen ({fout})."
    aios = conn.execute("SELECT voornaam, tussenvoegsel, achternaam FROM aios WHERE id = ?", (w["aios_id"],)).fetchone()
    opleider = conn.execute("SELECT voornaam, tussenvoegsel, achternaam FROM opleider WHERE id = ?",
                            (w["opleider_id"],)).fetchone()
    wie = f"{_naam(*aios) if aios else 'de aios'} bij {_naam(*opleider) if opleider else 'de opleider'}"
    if OVERLAPT in fout:
        reden = ("die overlapt een koppeling die alleen op deze laptop staat. Beëindig of archiveer die in Personen; "
                 "bij de volgende synchronisatie komt de koppeling van het instituut erbij.")
    elif GEBLOKKEERD in fout:
        reden = "de opleider heeft op deze laptop nog een blokkade door een traject."
    else:
        reden = fout
    return f"De koppeling van {wie} van het instituut is niet overgenomen: {reden}"


# ---- letting go: disconnected, or out of the user's view --------------------------------------------------------

# Per table, what on this laptop may still name one of its rows (then it stays, as the laptop's own): (value, table).
_GENOEMD = {
    "koppeling": (("koppeling_id", "traject"), ("json_extract(payload, '$.data.koppeling_id')", "traject_event")),
    "aios": (("aios_id", "traject"), ("aios_id", "koppeling")),
    "opleider": (("opleider_id", "traject"), ("opleider_id", "koppeling"),
                 ("json_extract(payload, '$.data.opleider_id')", "traject_event"),
                 ("json_extract(payload, '$.data.gegevens.opleider_id')", "traject_event")),
    "praktijk": (("praktijk_id", "opleider"),),
    "groep": (("groep_id", "aios"),),
}


def laat_los(conn: Connection, tabel: str, ids: Iterable[int]) -> None:
    """These mirrored rows no longer come from the institute: removed where nothing here names them, else kept as
    this laptop's own (their link undone). In the caller's transaction; tables in the order koppeling → groep."""
    lijst = json.dumps(sorted(set(ids)))
    vrij = " ".join(f"AND id NOT IN (SELECT {waarde} FROM {bron} WHERE {waarde} IS NOT NULL)"
                    for waarde, bron in _GENOEMD[tabel])
    conn.execute(f"DELETE FROM {tabel} WHERE id IN (SELECT value FROM json_each(?)) {vrij}",  # noqa: S608
                 (lijst,))
    conn.execute(f"UPDATE {tabel} SET instituut_id = NULL WHERE id IN (SELECT value FROM json_each(?))",  # noqa: S608
                 (lijst,))


def laat_alles_los(conn: Connection) -> None:
    """Disconnected (outbox.verbreek): the mirrored rows go or become the laptop's own. In the caller's
    transaction."""
    for tabel in ("koppeling", "aios", "opleider", "praktijk", "groep"):
        ids = [i for (i,) in conn.execute(
            f"SELECT id FROM {tabel} WHERE instituut_id IS NOT NULL")]  # noqa: S608 - fixed names
        if ids:
            laat_los(conn, tabel, ids)
    # instituut_kop stays: the server keeps each traject's header as it first accepted it, also for a later
    # connection.


def stand(conn: Connection) -> tuple[object, ...]:
    """What says whether the mirrored Personen changed (cheap): for a screen that keeps what it derived from them."""
    return tuple(conn.execute(
        "SELECT (SELECT personen_versie FROM instituut WHERE id = 1), "
        "(SELECT count(*) FROM opleider WHERE instituut_id IS NOT NULL), "
        "(SELECT count(*) FROM aios WHERE instituut_id IS NOT NULL), (SELECT max(id) FROM opleider)").fetchone())


def nodig(conn: Connection) -> bool:
    """Whether the copy holds rows this laptop's Personen do not mirror (a koppeling refused before, or a store
    that kept the copy from before schema v16)."""
    return any(conn.execute(
        f"SELECT (SELECT count(*) FROM inst_{t}) != (SELECT count(*) FROM {t} "  # noqa: S608 - fixed names
        "WHERE instituut_id IS NOT NULL)").fetchone()[0] for t in TABELLEN)


# ---- translating ids -----------------------------------------------------------------------------------------


class Ids:
    """This laptop's ids of mirrored rows and the institute's, both ways; read once, on first use."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._naar: dict[str, dict[int, int]] | None = None
        self._van: dict[str, dict[int, int]] | None = None

    def _lees(self) -> tuple[dict[str, dict[int, int]], dict[str, dict[int, int]]]:
        if self._naar is None or self._van is None:
            self._naar, self._van = {}, {}
            for tabel in TABELLEN:
                paren = self._conn.execute(
                    f"SELECT id, instituut_id FROM {tabel} WHERE instituut_id IS NOT NULL").fetchall()  # noqa: S608
                self._naar[tabel] = {int(a): int(b) for a, b in paren}
                self._van[tabel] = {int(b): int(a) for a, b in paren}
        return self._naar, self._van

    def naar_instituut(self, tabel: str, local_id: int) -> int | None:
        return self._lees()[0].get(tabel, {}).get(local_id)

    def van_instituut(self, tabel: str, instituut_id: int) -> int | None:
        return self._lees()[1].get(tabel, {}).get(instituut_id)

    def zorg_voor(self, tabel: str, instituut_id: int) -> int:
        """The local id of the institute's row, added when this laptop does not keep it yet (an opleider the
        manager opleiders proposed, pulled before the copy had them): with the copy's name, or a stand-in the next
        pull of Personen fills in. In the caller's transaction."""
        bekend = self.van_instituut(tabel, instituut_id)
        if bekend is not None:
            return bekend
        if tabel != "opleider":
            raise KeyError(tabel)  # a koppeling needs its aios and opleider: optional where it is named
        rij = self._conn.execute("SELECT voornaam, tussenvoegsel, achternaam FROM inst_opleider WHERE id = ?",
                                 (instituut_id,)).fetchone() or ("", "", f"(opleider {instituut_id} van het instituut)")
        cur = self._conn.execute("INSERT INTO opleider (instituut_id, voornaam, tussenvoegsel, achternaam) "
                                 "VALUES (?, ?, ?, ?)", (instituut_id, *rij))
        local_id = int(cur.lastrowid or 0)
        _, van = self._lees()
        van.setdefault(tabel, {})[instituut_id] = local_id
        assert self._naar is not None
        self._naar.setdefault(tabel, {})[local_id] = instituut_id
        return local_id

