"""The store's side of the institute: the connection, the outbox, and applying what was pulled (schema v11).

Everything here runs on the thread that owns the store's connection (the UI thread); the network is in
client.py and may run elsewhere. The outbox is filled by the file itself (a trigger on traject_event, in the
event's own transaction, while a connection exists), so no write path can forget it; this module reads it,
marks what the server answered, and writes what other laptops recorded.

Ids of people (the mapping decision, server/README.md): a traject's header on the server carries the starting
laptop's own ids of koppeling, aios and opleider until Personen come from the server (issue 17). So:
- an event pulled for a traject this laptop has (same UUID) is recorded on it through the TrajectService, the
  same door as typing it, so the rules, koppelingen and derived rows follow; if the local rules refuse it (it
  names a person this laptop does not know, or conflicts with an event of ours the server refused), it is kept
  read-only with the shared trajecten and reported;
- a traject this laptop does not have is kept read-only (`gedeeld_traject`, `gedeeld_event`) with the names its
  header carries (the starting laptop sends the aios's and opleider's names) and the events' authors; it never
  becomes a local traject bound to local Personen by a guess.
The server's groep is found by the name (and opleidingsjaar) of the aios's local groep among the groepen the
account may start trajecten in; a traject whose groep has no match is refused on the laptop, with that reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.gedeeld import vertaal_ids
from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure import EventKind, RuleError, TrajectEvent
from ontkoppel_desktop.instituut import sleutels, spiegel, vrije_tekst
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction

MAX_ZENDING = 500  # the server's MAX_BATCH


@dataclass(frozen=True, slots=True)
class Verbinding:
    server: str
    account: str
    account_naam: str
    laptop_id: str
    laptop_naam: str
    token: str
    token_verloopt: str | None
    laatst_opgehaald: int
    scope_versie: int | None
    ca_bundel: str | None
    http_toegestaan: bool
    groepen: list[dict[str, Any]]
    laatst_gesynchroniseerd: str | None
    laatste_fout: str | None
    rollen: list[dict[str, Any]] = field(default_factory=list)  # [{rol, label, groep, opleidingsjaar}]


@dataclass(frozen=True, slots=True)
class Wachtrij:
    """What waits in the outbox: for the status bar."""

    aantal: int
    sinds: dt.datetime | None
    geweigerd: int


@dataclass(frozen=True, slots=True)
class Weigering:
    event_id: str
    traject_id: int | None
    traject_uuid: str
    soort: str
    datum: str
    melding: str
    sinds: str


@dataclass(slots=True)
class Toegepast:
    """What applying a pull did."""

    eigen: int = 0           # our own events, now numbered by the server
    vastgelegd: int = 0      # others' events recorded on trajecten this laptop has
    gedeeld: int = 0         # events kept read-only (trajecten this laptop does not have)
    conflicten: list[str] = field(default_factory=list)  # Dutch: events the local rules refused
    trajecten: set[int] = field(default_factory=set)      # local trajecten that changed
    niet_geopend: int = 0  # free text sealed to this user that could not be opened here (placeholder kept)
    events: list[tuple[int, TrajectEvent]] = field(default_factory=list)  # others' events on our trajecten


_VELDEN = ("server, account, account_naam, laptop_id, laptop_naam, token, token_verloopt, laatst_opgehaald, "
           "scope_versie, ca_bundel, http_toegestaan, groepen, laatst_gesynchroniseerd, laatste_fout, rollen")


def verbinding(conn: Connection) -> Verbinding | None:
    row = conn.execute(f"SELECT {_VELDEN} FROM instituut WHERE id = 1").fetchone()
    if row is None:
        return None
    return Verbinding(row[0], row[1], row[2], row[3], row[4], row[5], row[6], int(row[7]), row[8], row[9],
                      bool(row[10]), json.loads(row[11] or "[]"), row[12], row[13], json.loads(row[14] or "[]"))


def verbind(conn: Connection, server: str, aanmelding: Mapping[str, Any], *, ca_bundel: str | None = None,
            http_toegestaan: bool = False) -> int:
    """Store the connection the server's enrolment answer describes, and queue every event the store already
    has (in recording order): the laptop's trajecten go to the institute. Returns how many were queued. A
    second enrolment (another account, a new token) replaces the connection; what waits keeps waiting."""
    account = aanmelding.get("account") or {}
    laptop = aanmelding.get("laptop") or {}
    nu = dt.datetime.now().replace(microsecond=0).isoformat()
    with transaction(conn):
        vorige = verbinding(conn)
        opgehaald = vorige.laatst_opgehaald if vorige and vorige.server == server and vorige.account == account.get(
            "gebruikersnaam") else 0
        # The institute's keys pinned before stay pinned when the same server is enrolled with again.
        gepind = conn.execute("SELECT instituut_ondertekening, herstel_versleuteling FROM instituut WHERE server = ?",
                              (server,)).fetchone()
        conn.execute("DELETE FROM instituut")
        conn.execute(
            f"INSERT INTO instituut (id, {_VELDEN}, verbonden_op) VALUES (1, {', '.join('?' * 16)})",
            (server, str(account.get("gebruikersnaam", "")), str(account.get("naam", "")), str(laptop.get("id", "")),
             str(laptop.get("naam", "")), str(aanmelding["token"]), laptop.get("verloopt_op"), opgehaald,
             aanmelding.get("scope_versie") if opgehaald else None, ca_bundel, int(http_toegestaan),
             json.dumps(aanmelding.get("groepen") or [], ensure_ascii=False), None, None,
             json.dumps(aanmelding.get("rollen") or [], ensure_ascii=False), nu),
        )
        if gepind is not None:
            conn.execute("UPDATE instituut SET instituut_ondertekening = ?, herstel_versleuteling = ? WHERE id = 1",
                         gepind)
        sleutels.bewaar_instituut(conn, aanmelding.get("instituut"), aanmelding.get("sleutel"))
        verslagen_in_wachtrij(conn)
        cur = conn.execute(
            "INSERT OR IGNORE INTO uitgaand (event_id, traject_uuid, seq, sinds) "
            "SELECT e.event_id, t.uuid, e.seq, ? FROM traject_event e JOIN traject t ON t.id = e.traject_id "
            "WHERE e.event_id NOT IN (SELECT event_id FROM instituut_event)", (nu,)
        )
        return int(cur.rowcount)


def werk_bij(conn: Connection, *, token: Mapping[str, Any] | None = None, ik: Mapping[str, Any] | None = None
             ) -> None:
    """What the server said about this laptop since: a renewed token (`POST token/vernieuwen`) and the account's
    roles and groepen (`GET ik`, after IT changed them)."""
    with transaction(conn):
        if token is not None:
            laptop = token.get("laptop") or {}
            conn.execute("UPDATE instituut SET token = ?, token_verloopt = ? WHERE id = 1",
                         (str(token["token"]), laptop.get("verloopt_op")))
        if ik is not None:
            account = ik.get("account") or {}
            conn.execute("UPDATE instituut SET rollen = ?, groepen = ?, account_naam = coalesce(?, account_naam) "
                         "WHERE id = 1", (json.dumps(ik.get("rollen") or [], ensure_ascii=False),
                                          json.dumps(ik.get("groepen") or [], ensure_ascii=False),
                                          account.get("naam")))


def na_herstel(conn: Connection, reeks: str) -> None:
    """The server was put back from a back-up (another `reeks`): it may lack what it accepted after that back-up.
    Everything of ours goes in the outbox again (the server keeps what it has: sending twice is harmless), the
    copies of what others shared are dropped, and everything is pulled from the start."""
    nu = dt.datetime.now().replace(microsecond=0).isoformat()
    with transaction(conn):
        conn.execute("DELETE FROM instituut_event")
        conn.execute("INSERT OR IGNORE INTO uitgaand (event_id, traject_uuid, seq, sinds) SELECT e.event_id, t.uuid, "
                     "e.seq, ? FROM traject_event e JOIN traject t ON t.id = e.traject_id", (nu,))
        # Our steps on trajecten others share, in the order the server had them, after everything else.
        conn.execute("INSERT OR IGNORE INTO uitgaand (event_id, traject_uuid, seq, sinds, payload) SELECT g.event_id, "
                     "g.traject_uuid, (SELECT coalesce(max(seq), 0) FROM uitgaand) + g.volgnummer, ?, g.payload "
                     "FROM gedeeld_event g JOIN eigen_gedeeld o ON o.event_id = g.event_id", (nu,))
        conn.execute("DELETE FROM eigen_gedeeld")
        conn.execute("DELETE FROM gedeeld_event")
        conn.execute("DELETE FROM gedeeld_traject")
        conn.execute("DELETE FROM instituut_verslag")
        verslagen_in_wachtrij(conn)
        conn.execute("UPDATE instituut SET laatst_opgehaald = 0, verslagen_opgehaald = 0, personen_versie = 0, "
                     "reeks = ? WHERE id = 1", (reeks,))


def verslagen_in_wachtrij(conn: Connection) -> int:
    """At Verbinden: every definitief verslag not yet at the institute goes in the outbox."""
    nu = dt.datetime.now().replace(microsecond=0).isoformat()
    cur = conn.execute(
        "INSERT OR IGNORE INTO uitgaand_verslag (verslag_id, sinds) SELECT id, ? FROM verslag "
        "WHERE status = 'definitief' AND id NOT IN (SELECT verslag_id FROM instituut_verslag)", (nu,))
    return int(cur.rowcount)


def verbreek(conn: Connection) -> None:
    """Forget the connection (and its token). What waits is not sent; it is queued again on the next connect.
    Steps recorded on shared trajecten have no other copy: they stay, and go with the next connection. What the
    institute shared with this laptop (its trajecten, Personen, blokkades, the key directory) leaves it: it was
    there for the role at the institute. The verslagen sealed to this user stay, as received."""
    with transaction(conn):
        conn.execute("DELETE FROM instituut")
        conn.execute("DELETE FROM uitgaand WHERE payload IS NULL")
        conn.execute("DELETE FROM uitgaand_verslag")
        conn.execute("DELETE FROM instituut_event")
        spiegel.laat_alles_los(conn)
        for tabel in ("eigen_gedeeld", "gedeeld_event", "gedeeld_traject", "instituut_blokkade", "sleutel_lezer",
                      "inst_koppeling",
                      "inst_aios", "inst_opleider", "inst_praktijk", "inst_groep", "inst_medewerker"):
            conn.execute(f"DELETE FROM {tabel}")  # noqa: S608 - fixed names


def wachtrij(conn: Connection) -> Wachtrij:
    aantal, sinds, geweigerd = conn.execute(
        "SELECT count(*) FILTER (WHERE geweigerd = 0), min(sinds) FILTER (WHERE geweigerd = 0), "
        "count(*) FILTER (WHERE geweigerd = 1) FROM uitgaand"
    ).fetchone()
    return Wachtrij(int(aantal), dt.datetime.fromisoformat(sinds) if sinds else None, int(geweigerd))


def weigeringen(conn: Connection) -> list[Weigering]:
    rows = conn.execute(
        "SELECT u.event_id, t.id, u.traject_uuid, coalesce(e.payload, u.payload), u.melding, u.sinds FROM uitgaand u "
        "LEFT JOIN traject_event e ON e.event_id = u.event_id LEFT JOIN traject t ON t.uuid = u.traject_uuid "
        "WHERE u.geweigerd = 1 ORDER BY u.seq"
    )
    out = []
    for event_id, traject_id, traject_uuid, payload, melding, sinds in rows:
        raw = json.loads(payload) if payload else {}
        out.append(Weigering(event_id, traject_id, traject_uuid, str(raw.get("kind", "")), str(raw.get("date", "")),
                             melding or "", sinds))
    return out


def opnieuw_proberen(conn: Connection, event_ids: Iterable[str] | None = None) -> None:
    """Put refused events back in the queue (the user resolved what the message said, or wants to try again)."""
    with transaction(conn):
        if event_ids is None:
            conn.execute("UPDATE uitgaand SET geweigerd = 0, melding = NULL")
        else:
            conn.executemany("UPDATE uitgaand SET geweigerd = 0, melding = NULL WHERE event_id = ?",
                             [(i,) for i in event_ids])


# ---- sending ---------------------------------------------------------------------------------------------------


def koppen_voor(conn: Connection, uuids: set[str], groepen: list[dict[str, Any]]) -> dict[str, dict[str, Any] | str]:
    """Per traject UUID the header the server needs for a new traject, or a Dutch reason why it cannot have one.

    A traject whose koppeling, aios and opleider are the institute's (mirrored, spiegel.py) gets a header with the
    institute's ids and groep (`personen: instituut`); any other keeps this laptop's own ids, with the groep found
    by name. Which of the two is decided the first time a traject's header is made, and kept (`instituut_kop`):
    the server keeps the header it first accepted."""
    if not uuids:
        return {}
    params = {f"u{i}": u for i, u in enumerate(uuids)}
    rows = conn.execute(
        "SELECT t.uuid, t.koppeling_id, t.aios_id, t.opleider_id, t.procedure_id, t.procedure_version, t.startreden, "
        "t.categorie, a.opleidingsjaar, a.startdatum_opleiding, a.deeltijdpercentage, g.naam, g.opleidingsjaar, "
        "a.voornaam, a.tussenvoegsel, a.achternaam, o.voornaam, o.tussenvoegsel, o.achternaam, "
        "k.instituut_id, a.instituut_id, o.instituut_id, ik.instituut, ia.groep "
        "FROM traject t JOIN aios a ON a.id = t.aios_id JOIN opleider o ON o.id = t.opleider_id "
        "JOIN koppeling k ON k.id = t.koppeling_id LEFT JOIN instituut_kop ik ON ik.traject_uuid = t.uuid "
        "LEFT JOIN inst_aios ia ON ia.id = a.instituut_id "
        f"LEFT JOIN groep g ON g.id = a.groep_id WHERE t.uuid IN ({', '.join(':' + k for k in params)})", params
    ).fetchall()
    out: dict[str, dict[str, Any] | str] = {}
    besloten: list[tuple[str, int]] = []
    for r in rows:
        jaar = int(r[8])
        instituut = r[22]
        if instituut is None:
            instituut = int(r[19] is not None and r[20] is not None and r[21] is not None and r[23] is not None)
            besloten.append((r[0], instituut))
        if instituut:
            if r[19] is None or r[20] is None or r[21] is None or r[23] is None:
                out[r[0]] = ("De aios, opleider of koppeling van dit traject staat niet (meer) bij het instituut. "
                             "Vraag de jaarassistent of de manager opleiders die daar terug te zetten, synchroniseer "
                             "en kies dan Opnieuw proberen.")
                continue
            groep: int | str = int(r[23])
            ids: dict[str, Any] = {"koppeling_id": r[19], "aios_id": r[20], "opleider_id": r[21],
                                   "personen": "instituut"}
        else:
            groep = _server_groep(groepen, r[11], r[12] or jaar)
            ids = {"koppeling_id": r[1], "aios_id": r[2], "opleider_id": r[3]}
        if isinstance(groep, str):
            out[r[0]] = groep
            continue
        out[r[0]] = {
            "groep": groep, "opleidingsjaar": jaar, "procedure_id": r[4], "procedure_version": r[5],
            "startreden": r[6], "categorie": r[7], **ids,
            "startdatum_opleiding": r[9], "deeltijdpercentage": int(r[10]),
            "aios_naam": " ".join(p for p in r[13:16] if p), "opleider_naam": " ".join(p for p in r[16:19] if p),
        }
    if besloten:
        with transaction(conn):
            conn.executemany("INSERT OR IGNORE INTO instituut_kop (traject_uuid, instituut) VALUES (?, ?)", besloten)
    return out


def op_instituut(conn: Connection, traject_uuid: str) -> bool:
    """Whether this laptop's traject is kept on the institute's Personen at the server (its header decided so)."""
    row = conn.execute("SELECT instituut FROM instituut_kop WHERE traject_uuid = ?", (traject_uuid,)).fetchone()
    return bool(row and row[0])


def _wie(conn: Connection, tabel: str, local_id: int) -> str:
    """A person or koppeling of this laptop in words, for a message."""
    if tabel in ("aios", "opleider"):
        row = conn.execute(f"SELECT voornaam, tussenvoegsel, achternaam FROM {tabel} WHERE id = ?",  # noqa: S608
                           (local_id,)).fetchone()
        return f"{tabel} {Naam(*row).volledig}" if row else f"{tabel} {local_id}"
    row = conn.execute("SELECT o.voornaam, o.tussenvoegsel, o.achternaam, k.startdatum FROM koppeling k "
                       "JOIN opleider o ON o.id = k.opleider_id WHERE k.id = ?", (local_id,)).fetchone()
    return f"de koppeling bij {Naam(*row[:3]).volledig} van {row[3]}" if row else f"koppeling {local_id}"


def onbekend_bij_instituut(conn: Connection, wat: str, onbekend: Iterable[tuple[str, int]]) -> str:
    """Why an event cannot go to the institute: it names someone the institute does not know (Dutch)."""
    wie = ", ".join(_wie(conn, tabel, i) for tabel, i in onbekend)
    return (f"'{wat}' noemt {wie}, die niet bij het instituut bekend is. Laat de manager opleiders (of de "
            "jaarassistent) die toevoegen in Instituut › Personen van het instituut, synchroniseer, en kies Opnieuw "
            "proberen; of corrigeer de gebeurtenis.")


def _server_groep(groepen: list[dict[str, Any]], naam: str | None, jaar: int) -> int | str:
    """The server's groep for the aios's local groep: the same name (and year) among those the account may start
    trajecten in; else the only one of that year. A Dutch reason when there is none."""
    van_jaar = [g for g in groepen if g.get("opleidingsjaar") == jaar]
    if naam:
        zelfde = [g for g in van_jaar if str(g.get("naam", "")).strip().casefold() == naam.strip().casefold()]
        if len(zelfde) == 1:
            return int(zelfde[0]["id"])
    if len(van_jaar) == 1:
        return int(van_jaar[0]["id"])
    wie = f"groep '{naam}'" if naam else "geen groep"
    return (f"Dit traject kan niet naar het instituut: de aios heeft {wie} (opleidingsjaar {jaar}), en die komt niet "
            "overeen met een groep waarin uw account bij het instituut trajecten mag starten. Pas de groep van de "
            "aios aan in Personen, of vraag IT uw rollen bij te werken; kies daarna Opnieuw proberen.")


def zending(conn: Connection, maximum: int = MAX_ZENDING) -> list[dict[str, Any]]:
    """The next events to send, in recording order, each as the server reads it (TrajectEvent.to_dict, its
    traject, the header with a traject's first event in the batch). Events of a traject with a refused event wait
    for the user: they build on it. A traject whose header cannot be made is refused here, on the laptop."""
    verbonden = verbinding(conn)
    if verbonden is None:
        return []
    # An event on a traject another laptop shares carries its own payload (schema v12); the server knows that
    # traject, so it needs no header.
    rows = conn.execute(
        "SELECT u.event_id, u.traject_uuid, coalesce(e.payload, u.payload), e.payload IS NOT NULL FROM uitgaand u "
        "LEFT JOIN traject_event e ON e.event_id = u.event_id "
        "WHERE coalesce(e.payload, u.payload) IS NOT NULL AND u.geweigerd = 0 "
        "AND u.traject_uuid NOT IN (SELECT traject_uuid FROM uitgaand WHERE geweigerd = 1) "
        "ORDER BY u.seq LIMIT ?", (maximum,)
    ).fetchall()
    koppen = koppen_voor(conn, {r[1] for r in rows}, verbonden.groepen)
    # Where a traject is (groep and opleidingsjaar at the institute), for who may read its free text.
    plaats: dict[str, tuple[int, int]] = {u: (int(k["groep"]), int(k["opleidingsjaar"]))
                                          for u, k in koppen.items() if isinstance(k, dict)}
    # Only the shared trajecten this batch has steps on: not every shared header at every round.
    for uuid, kop in conn.execute("SELECT uuid, kop FROM gedeeld_traject WHERE uuid IN (SELECT value FROM "
                                  "json_each(?))", (json.dumps(sorted({r[1] for r in rows} - set(plaats))),)):
        gelezen = json.loads(kop)
        if "groep" in gelezen and "opleidingsjaar" in gelezen:
            plaats.setdefault(uuid, (int(gelezen["groep"]), int(gelezen["opleidingsjaar"])))
    zegel = vrije_tekst.Verzegelaar(conn, verbonden.account)
    out: list[dict[str, Any]] = []
    gehad: set[str] = set()
    geweigerd: dict[str, str] = {}
    ids = spiegel.Ids(conn)
    for event_id, traject_uuid, payload, eigen in rows:
        if traject_uuid in geweigerd:
            continue
        item: dict[str, Any] = {**json.loads(payload), "traject": traject_uuid}
        kop_hier = koppen.get(traject_uuid)
        if eigen and isinstance(kop_hier, dict) and kop_hier.get("personen"):
            # Ours, on the institute's Personen: the persons it names by the institute's ids.
            melding = _naar_instituut(conn, ids, item)
            if melding is not None:
                geweigerd[traject_uuid] = event_id
                with transaction(conn):
                    conn.execute("UPDATE uitgaand SET geweigerd = 1, melding = ? WHERE event_id = ?",
                                 (melding, event_id))
                continue
        if traject_uuid not in gehad:
            gehad.add(traject_uuid)
            kop = koppen.get(traject_uuid)
            if isinstance(kop, str):
                geweigerd[traject_uuid] = event_id
                with transaction(conn):
                    conn.execute("UPDATE uitgaand SET geweigerd = 1, melding = ? WHERE event_id = ?", (kop, event_id))
                continue
            if kop is not None:
                item["traject_kop"], kop_zegel = zegel.kop(kop, traject_uuid)
                if kop_zegel is not None:
                    item["traject_kop_verzegeld"] = kop_zegel
        groep, jaar = plaats.get(traject_uuid, (None, None))
        out.append(zegel.event(item, traject_uuid, groep, jaar, _doel(conn, item)))
    return out


def _naar_instituut(conn: Connection, ids: spiegel.Ids, item: dict[str, Any]) -> str | None:
    """Put the institute's ids in place of this laptop's in an event's data; a Dutch reason when it names someone
    the institute does not know."""
    try:
        kind = EventKind(str(item.get("kind")))
    except ValueError:
        return None
    data, onbekend = vertaal_ids(kind, item.get("data") or {}, ids.naar_instituut, _doel(conn, item))
    if onbekend:
        return onbekend_bij_instituut(conn, kind.label, onbekend)
    item["data"] = data
    return None


def van_instituut(conn: Connection, ids: spiegel.Ids, kind: EventKind, data: Mapping[str, Any],
                  doel: EventKind | None) -> dict[str, Any]:
    """An event's data with this laptop's ids in place of the institute's: an opleider it does not keep yet is
    added (spiegel.Ids.zorg_voor); a koppeling it does not keep is left out (it is named for information only)."""
    def vertaal(tabel: str, instituut_id: int) -> int | None:
        if tabel == "opleider":
            return ids.zorg_voor(tabel, instituut_id)
        return ids.van_instituut(tabel, instituut_id)

    out, onbekend = vertaal_ids(kind, data, vertaal, doel)
    for tabel, _ in onbekend:
        out.pop(f"{tabel}_id", None)
        if isinstance(out.get("gegevens"), dict):
            out["gegevens"].pop(f"{tabel}_id", None)
    return out


def _doel(conn: Connection, item: Mapping[str, Any]) -> EventKind | None:
    """The kind of the event a correctie corrects (its `gegevens` are that kind's data)."""
    if item.get("kind") != EventKind.GEBEURTENIS_GECORRIGEERD.value:
        return None
    doel = str((item.get("data") or {}).get("gebeurtenis") or "")
    row = conn.execute("SELECT payload FROM traject_event WHERE event_id = ? UNION ALL "
                       "SELECT payload FROM gedeeld_event WHERE event_id = ?", (doel, doel)).fetchone()
    try:
        return EventKind(json.loads(row[0])["kind"]) if row else None
    except (ValueError, KeyError):
        return None


def verwerk_antwoord(conn: Connection, resultaten: list[dict[str, Any]]) -> tuple[int, int]:
    """Mark what the server answered: accepted events leave the outbox (with their volgnummer), refused ones stay,
    marked, with the server's message; waiting ones count an attempt. Returns (accepted, refused)."""
    aanvaard = geweigerd = 0
    with transaction(conn):
        for r in resultaten:
            event_id = str(r.get("id", ""))
            if r.get("status") == "aanvaard":
                conn.execute("INSERT OR IGNORE INTO instituut_event (event_id, volgnummer) VALUES (?, ?)",
                             (event_id, int(r["volgnummer"])))
                # Ours, on a traject another laptop shares: now part of the server's record of it.
                conn.execute("INSERT OR IGNORE INTO eigen_gedeeld (event_id) SELECT event_id FROM uitgaand "
                             "WHERE event_id = ? AND payload IS NOT NULL", (event_id,))
                conn.execute("INSERT OR IGNORE INTO gedeeld_event (event_id, traject_uuid, volgnummer, payload) "
                             "SELECT event_id, traject_uuid, ?, payload FROM uitgaand WHERE event_id = ? "
                             "AND payload IS NOT NULL AND traject_uuid IN (SELECT uuid FROM gedeeld_traject)",
                             (int(r["volgnummer"]), event_id))
                conn.execute("DELETE FROM uitgaand WHERE event_id = ?", (event_id,))
                aanvaard += 1
            elif r.get("status") == "geweigerd":
                conn.execute("UPDATE uitgaand SET geweigerd = 1, melding = ?, pogingen = pogingen + 1 "
                             "WHERE event_id = ?", (str(r.get("melding", "")), event_id))
                geweigerd += 1
            else:
                conn.execute("UPDATE uitgaand SET pogingen = pogingen + 1, laatste_fout = ? WHERE event_id = ?",
                             (str(r.get("melding", "")), event_id))
    return aanvaard, geweigerd


def poging_mislukt(conn: Connection, melding: str, event_ids: Iterable[str] = ()) -> None:
    """A send or pull that did not complete: counted and remembered; the events simply wait."""
    nu = dt.datetime.now().replace(microsecond=0).isoformat()
    with transaction(conn):
        conn.executemany("UPDATE uitgaand SET pogingen = pogingen + 1, laatste_fout = ? WHERE event_id = ?",
                         [(melding, i) for i in event_ids])
        conn.execute("UPDATE instituut SET laatste_fout = ? WHERE id = 1", (f"{nu}: {melding}",))


# ---- pulling ---------------------------------------------------------------------------------------------------


def pas_toe(conn: Connection, record_event: Any, paginas: list[dict[str, Any]]) -> Toegepast:
    """Apply pulled pages (in order). `record_event(traject_id, event)` is TrajectService.record_event: others'
    events on our trajecten go through the same door as typing them. See the module's docstring for the rest."""
    out = Toegepast()
    verbonden = verbinding(conn)
    opener = vrije_tekst.Opener(conn, verbonden.account if verbonden else "")
    ids = spiegel.Ids(conn)
    for pagina in paginas:
        if pagina.get("vanaf_begin"):
            # IT changed the account's roles: everything it may see now comes again from the start, and what it may
            # no longer see must not stay on this laptop (each person sees only what their role needs).
            with transaction(conn):
                conn.execute("DELETE FROM gedeeld_event")
                conn.execute("DELETE FROM gedeeld_traject")
                conn.execute("DELETE FROM instituut_event WHERE event_id NOT IN (SELECT event_id FROM traject_event)")
        koppen = {str(t["id"]): opener.kop(t) for t in pagina.get("trajecten", [])}
        for raw in pagina.get("gebeurtenissen", []):
            _pas_event_toe(conn, record_event, opener.event(raw), koppen, out, ids)
        with transaction(conn):
            conn.execute("UPDATE instituut SET laatst_opgehaald = max(laatst_opgehaald, ?), scope_versie = ? "
                         "WHERE id = 1", (int(pagina["tot"]), pagina.get("scope_versie")))
    out.niet_geopend = opener.niet_geopend
    nu = dt.datetime.now().replace(microsecond=0).isoformat()
    with transaction(conn):
        conn.execute("UPDATE instituut SET laatst_gesynchroniseerd = ?, laatste_fout = NULL WHERE id = 1", (nu,))
    return out


def _pas_event_toe(conn: Connection, record_event: Any, raw: Mapping[str, Any], koppen: Mapping[str, Any],
                   out: Toegepast, ids: spiegel.Ids) -> None:
    event_id, traject_uuid, volgnummer = str(raw["id"]), str(raw["traject"]), int(raw["volgnummer"])
    # Known, and kept here (on our own traject, or with the shared ones): nothing to do. An event of ours on a shared
    # traject whose copy was dropped meanwhile (roles changed, the server put back) is kept with it again below.
    if conn.execute("SELECT 1 FROM instituut_event WHERE event_id = ? AND (event_id IN (SELECT event_id FROM "
                    "traject_event) OR event_id IN (SELECT event_id FROM gedeeld_event) OR event_id NOT IN "
                    "(SELECT event_id FROM eigen_gedeeld))", (event_id,)).fetchone():
        return
    with transaction(conn):
        if conn.execute("SELECT 1 FROM traject_event WHERE event_id = ?", (event_id,)).fetchone():
            # Ours: sent, stored by the server, but its answer never came (the connection was cut).
            conn.execute("INSERT INTO instituut_event (event_id, volgnummer) VALUES (?, ?)", (event_id, volgnummer))
            conn.execute("DELETE FROM uitgaand WHERE event_id = ?", (event_id,))
            out.eigen += 1
            return
    event = TrajectEvent.from_dict({k: raw[k] for k in ("id", "kind", "date", "data", "recorded_at", "user")},
                                   validate=False)
    local = conn.execute("SELECT id FROM traject WHERE uuid = ?", (traject_uuid,)).fetchone()
    if local is not None:
        try:
            with transaction(conn):
                if op_instituut(conn, traject_uuid):
                    # On the institute's Personen: the persons it names by this laptop's ids.
                    event = TrajectEvent.from_dict({**event.to_dict(), "data": van_instituut(
                        conn, ids, event.kind, event.data, _doel(conn, raw))}, validate=False)
                conn.execute("INSERT INTO instituut_event (event_id, volgnummer) VALUES (?, ?)",
                             (event_id, volgnummer))
                record_event(int(local[0]), event)
            out.vastgelegd += 1
            out.trajecten.add(int(local[0]))
            out.events.append((int(local[0]), event))
            return
        except (RuleError, OntkoppelError) as fout:
            out.conflicten.append(f"{raw.get('user', '')}: {event.kind.label} van {event.date.isoformat()} — {fout}")
    kop = koppen.get(traject_uuid) or {"id": traject_uuid}
    with transaction(conn):
        conn.execute("INSERT INTO gedeeld_traject (uuid, kop) VALUES (?, ?) ON CONFLICT (uuid) DO UPDATE SET kop = "
                     "CASE WHEN excluded.kop = ? THEN gedeeld_traject.kop ELSE excluded.kop END",
                     (traject_uuid, json.dumps(kop, ensure_ascii=False), json.dumps({"id": traject_uuid})))
        conn.execute("INSERT OR IGNORE INTO gedeeld_event (event_id, traject_uuid, volgnummer, payload) "
                     "VALUES (?, ?, ?, ?)",
                     (event_id, traject_uuid, volgnummer, json.dumps(dict(raw), ensure_ascii=False)))
        conn.execute("INSERT OR IGNORE INTO instituut_event (event_id, volgnummer) VALUES (?, ?)",
                     (event_id, volgnummer))
        # Ours, recorded here on this shared traject, stored by the server while its answer never came.
        conn.execute("INSERT OR IGNORE INTO eigen_gedeeld (event_id) SELECT event_id FROM uitgaand "
                     "WHERE event_id = ? AND payload IS NOT NULL", (event_id,))
        conn.execute("DELETE FROM uitgaand WHERE event_id = ?", (event_id,))
    out.gedeeld += 1


@dataclass(frozen=True, slots=True)
class GedeeldTraject:
    uuid: str
    kop: dict[str, Any]
    events: list[TrajectEvent]


def gedeelde_trajecten(conn: Connection, uuids: Iterable[str] | None = None) -> list[GedeeldTraject]:
    """The trajecten other laptops share with this one (or only those in `uuids`), with their events in
    volgnummer order."""
    if uuids is None:
        return _gedeeld(conn, "", ())
    out: list[GedeeldTraject] = []
    gekozen = sorted(set(uuids))
    for start in range(0, len(gekozen), 500):  # within SQLite's limit of bound parameters
        deel = gekozen[start:start + 500]
        out += _gedeeld(conn, f"IN ({', '.join('?' * len(deel))})", tuple(deel))
    return out


def _gedeeld(conn: Connection, waar: str, params: tuple[str, ...]) -> list[GedeeldTraject]:
    events: dict[str, list[TrajectEvent]] = {}
    for uuid, payload in conn.execute(
        f"SELECT traject_uuid, payload FROM gedeeld_event {'WHERE traject_uuid ' + waar if waar else ''} "
        "ORDER BY traject_uuid, volgnummer", params
    ):
        raw = json.loads(payload)
        events.setdefault(uuid, []).append(TrajectEvent.from_dict(
            {k: raw[k] for k in ("id", "kind", "date", "data", "recorded_at", "user")}, validate=False))
    return [GedeeldTraject(u, json.loads(kop), events.get(u, [])) for u, kop in conn.execute(
        f"SELECT uuid, kop FROM gedeeld_traject {'WHERE uuid ' + waar if waar else ''} ORDER BY uuid", params)]


def gedeeld_stand(conn: Connection) -> dict[str, tuple[str, int, int]]:
    """Per shared traject what says whether it changed: its header, its last volgnummer and its number of events
    (cheap: no event is read)."""
    stand = {u: (m, n) for u, m, n in conn.execute(
        "SELECT traject_uuid, max(volgnummer), count(*) FROM gedeeld_event GROUP BY traject_uuid")}
    return {u: (kop, *stand.get(u, (0, 0))) for u, kop in conn.execute("SELECT uuid, kop FROM gedeeld_traject")}


# ---- steps on shared trajecten, and the institute's blokkades (schema v12) ------------------------------------


def zet_in_wachtrij(conn: Connection, traject_uuid: str, event: TrajectEvent) -> None:
    """Queue an event this laptop records on a traject another laptop shares (gedeeld.py checked it): it waits
    with its own payload, after everything queued before it."""
    nu = dt.datetime.now().replace(microsecond=0).isoformat()
    with transaction(conn):
        conn.execute(
            "INSERT INTO uitgaand (event_id, traject_uuid, seq, sinds, payload) VALUES (?, ?, 1 + max("
            "coalesce((SELECT max(seq) FROM uitgaand), 0), coalesce((SELECT max(seq) FROM traject_event), 0)), ?, ?)",
            (event.id, traject_uuid, nu, json.dumps(event.to_dict(), ensure_ascii=False)),
        )


def wachtend_gedeeld(conn: Connection) -> dict[str, list[tuple[TrajectEvent, str | None]]]:
    """Per shared traject, our events on it the server has not accepted yet, in order, each with the server's
    refusal (None while it simply waits)."""
    out: dict[str, list[tuple[TrajectEvent, str | None]]] = {}
    for traject_uuid, payload, geweigerd, melding in conn.execute(
        "SELECT traject_uuid, payload, geweigerd, melding FROM uitgaand WHERE payload IS NOT NULL ORDER BY seq"
    ):
        event = TrajectEvent.from_dict(json.loads(payload), validate=False)
        out.setdefault(traject_uuid, []).append((event, (melding or "") if geweigerd else None))
    return out


def vergeet_wachtend(conn: Connection, event_id: str) -> None:
    """Drop an event of ours on a shared traject that the server refused (the user chose so): it never was a
    local record. Events on local trajecten cannot be dropped here."""
    with transaction(conn):
        conn.execute("DELETE FROM uitgaand WHERE event_id = ? AND payload IS NOT NULL", (event_id,))


@dataclass(frozen=True, slots=True)
class InstituutBlokkade:
    traject_uuid: str
    opleider_id: int | None
    opleider_naam: str
    sinds: dt.date
    wacht_op: str
    instituut: bool = False  # opleider_id is the institute's (the traject is kept on its Personen)


def bewaar_blokkades(conn: Connection, blokkades: Iterable[Mapping[str, Any]]) -> None:
    """The server's list replaces the one kept (it is the whole list, not a change)."""
    rows = []
    for b in blokkades:
        try:
            rows.append((str(b["traject"]), b.get("opleider_id"), str(b.get("opleider_naam") or ""),
                         dt.date.fromisoformat(str(b["sinds"])).isoformat(), str(b.get("wacht_op") or ""),
                         int(bool(b.get("instituut")))))
        except (KeyError, ValueError):
            continue
    with transaction(conn):
        conn.execute("DELETE FROM instituut_blokkade")
        conn.executemany("INSERT OR REPLACE INTO instituut_blokkade (traject_uuid, opleider_id, opleider_naam, "
                         "sinds, wacht_op, instituut) VALUES (?, ?, ?, ?, ?, ?)", rows)


def blokkades(conn: Connection) -> list[InstituutBlokkade]:
    return [InstituutBlokkade(u, i, n, dt.date.fromisoformat(s), w, bool(x)) for u, i, n, s, w, x in conn.execute(
        "SELECT traject_uuid, opleider_id, opleider_naam, sinds, wacht_op, instituut FROM instituut_blokkade "
        "ORDER BY opleider_naam, sinds")]
