"""Definitief verslagen to their readers through the institute, sealed (issue 16; verzegeling.py seals).

Sending. A verslag that turns definitief while the store is connected waits in its outbox (a trigger, schema
v14). At the next synchronisation this module seals it on the store's thread: the content is what a receiver
needs to read it and to make its Word and PDF documents (the verslag's answers and seals, the names of aios and
opleider), sealed to its readers and signed with the author's key; the server gets the envelope and the metadata
the terms need (type, traject, version, dates), never the text. The readers follow from the procedure file
(`lezers` of the gesprek) and the directory of keys the institute signed (sleutels.py): a jaarassistent or manager
opleiding of the aios's opleidingsjaar, the docenten of the aios's groep, institute-wide roles, the author, and
always the institute's recovery key. A verslag for whose readers no confirmed key exists yet keeps waiting, and
says for whom.

Receiving. The server hands out the envelopes this user reads; they are kept as they came, in the encrypted
store, and opened (and their author's signature checked against the key the institute bound to the author's
account) each time they are read. Archiving in the e-portfolio or dossier is recorded as the procedure's step on
the shared traject, so the docent sees it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.procedure import EventKind, ProcedureDefinition, RuleError, new_event
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier
from ontkoppel_desktop.core.verslagen.formulier_lezen import load_formulieren
from ontkoppel_desktop.core.verslagen.service import GesprekContext
from ontkoppel_desktop.core.verslagen.verslag import Status, Verslag
from ontkoppel_desktop.instituut import gedeeld, outbox, sleutels
from ontkoppel_desktop.instituut.verzegeling import HERSTEL, ZegelFout, open_zegel, verzegel
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction

MAX_ZENDING = 100  # the server's limit per request


@dataclass(frozen=True, slots=True)
class Ontvangen:
    """A verslag sealed to this user, as kept (its metadata readable, its content sealed)."""

    uuid: str
    traject_uuid: str
    auteur: str
    auteur_naam: str
    gesprek: str
    versie: int
    datum: dt.date | None
    metadata: dict[str, Any]
    ontvangen_op: str
    gearchiveerd: dict[str, str] = field(default_factory=dict)  # place -> ISO date


@dataclass(frozen=True, slots=True)
class GeopendVerslag:
    """An opened verslag, ready to read and to render: the core's Verslag and its context, with the names."""

    verslag: Verslag
    formulier: GesprekFormulier
    context: GesprekContext
    opleider_namen: dict[int, str]
    opleiding: str
    auteur_account: str


# ---- sending ---------------------------------------------------------------------------------------------------


def _definition_en_formulier(registry_get: Any, verslag: Verslag) -> tuple[ProcedureDefinition, GesprekFormulier]:
    definition: ProcedureDefinition = registry_get(*verslag.procedure)
    return definition, load_formulieren(definition)[verslag.gesprek]


def inhoud(store: Any, verslag: Verslag) -> bytes:
    """What a reader needs of this verslag, as JSON: the answers and seals, and the names that the documents print
    (the receiver has no Personen of the sending laptop)."""
    service = store.verslagen
    context = service.context(verslag.traject_id)
    traject = store.trajecten.get(verslag.traject_id)
    definition = store.trajecten.definition(traject)
    named = {traject.opleider_id} | {n for e in traject.effective_events if (n := e.number("opleider_id"))}
    namen = {o.id: o.naam.volledig for o in store.personen.opleiders(archief=True, ids=named) if o.id is not None}
    return json.dumps({
        "verslag": {
            "gesprek": verslag.gesprek, "procedure": list(verslag.procedure), "auteur": verslag.auteur,
            "antwoorden": verslag.antwoorden, "versie": verslag.versie, "reden": verslag.reden,
            "afgerond_op": verslag.afgerond_op.isoformat() if verslag.afgerond_op else None,
            "zegels": dict(verslag.zegels), "gebeurtenis_id": verslag.gebeurtenis_id,
        },
        "context": {"aios": context.aios, "opleider": context.opleider, "docenten": list(context.docenten),
                    "nieuwe_opleider": context.nieuwe_opleider, "opleider_id": context.opleider_id,
                    "nieuwe_opleider_id": context.nieuwe_opleider_id},
        "opleider_namen": {str(k): v for k, v in namen.items()},
        "opleiding": definition.institute or definition.title,
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")


def lezers_voor(definition: ProcedureDefinition, gesprek: str, moments_bereikt: set[str], groep: int, jaar: int,
                directory: Iterable[sleutels.Lezer], auteur: str) -> tuple[dict[str, bytes], list[str]]:
    """The readers of a verslag of `gesprek` on a traject of `groep` (the server's id) and `jaar`: reader id ->
    X25519 public key, from the directory; and, in Dutch, the roles for which no confirmed key exists yet."""
    stap = definition.step(gesprek) if definition.has_step(gesprek) else None
    rollen = [lezer.rol for lezer in (stap.lezers if stap else ()) if lezer.bij is None or lezer.bij in moments_bereikt]
    lezers: dict[str, bytes] = {}
    ontbreekt = []
    directory = list(directory)

    for rol in rollen:
        gevonden = [lezer for lezer in directory if sleutels.heeft_rol(lezer.rollen, rol, groep, jaar)]
        if not gevonden:
            ontbreekt.append(rol.label.lower() + (f" van jaar {jaar}" if rol.per_opleidingsjaar else ""))
        for lezer in gevonden:
            lezers[lezer.account] = lezer.publiek.versleuteling
    # The docenten of the groep (the second docent) and the author always read.
    for lezer in directory:
        if sleutels.heeft_rol(lezer.rollen, Rol.DOCENTEN, groep, jaar) or lezer.account == auteur:
            lezers[lezer.account] = lezer.publiek.versleuteling
    return lezers, ontbreekt


def zending(store: Any) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Seal the verslagen that wait (store thread): the items to send and their verslag ids by UUID. A verslag
    that cannot be sealed yet keeps waiting with the reason (`melding`)."""
    conn: Connection = store.conn
    verbinding = outbox.verbinding(conn)
    if verbinding is None:
        return [], {}
    rows = conn.execute(
        "SELECT u.verslag_id, v.uuid, t.uuid FROM uitgaand_verslag u JOIN verslag v ON v.id = u.verslag_id "
        "JOIN traject t ON t.id = v.traject_id WHERE u.geweigerd = 0 ORDER BY u.verslag_id LIMIT ?", (MAX_ZENDING,)
    ).fetchall()
    if not rows:
        return [], {}
    herstel = sleutels.herstel_sleutel(conn)
    directory = sleutels.lezers(conn)
    eigen = sleutels.eigen_paar(conn)
    koppen = outbox.koppen_voor(conn, {r[2] for r in rows}, verbinding.groepen)
    items: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    meldingen: dict[int, str] = {}
    for verslag_id, verslag_uuid, traject_uuid in rows:
        verslag = store.verslagen.get(verslag_id)
        traject = store.trajecten.get(verslag.traject_id)
        definition = store.trajecten.definition(traject)
        kop = koppen.get(traject_uuid)
        if isinstance(kop, str) or kop is None:
            meldingen[verslag_id] = kop or "Het traject van dit verslag is niet bekend bij het instituut."
            continue
        if herstel is None:
            meldingen[verslag_id] = ("Wacht op de herstelsleutel van het instituut (IT maakt die); het verslag wordt "
                                     "daarna vanzelf verstuurd.")
            continue
        bereikt = {naam for naam, matcher in definition.moments.items()
                   if any(matcher.matches(e) for e in traject.effective_events)}
        lezers, ontbreekt = lezers_voor(definition, verslag.gesprek, bereikt, int(kop["groep"]),
                                        int(kop["opleidingsjaar"]), directory, verbinding.account)
        if ontbreekt:
            meldingen[verslag_id] = (f"Wacht op een door het instituut bevestigde sleutel van: {', '.join(ontbreekt)}. "
                                     "Het verslag wordt daarna vanzelf verstuurd.")
            continue
        lezers[verbinding.account] = eigen.publiek.versleuteling
        lezers[HERSTEL] = herstel
        formulier = store.verslagen.formulier(verslag)
        datum = verslag.datum(formulier)
        metadata: dict[str, str | int | bool | None] = {
            "traject": traject_uuid, "gesprek": verslag.gesprek, "versie": verslag.versie,
            "datum": datum.isoformat() if datum else None,
            "afgerond_op": verslag.afgerond_op.isoformat() if verslag.afgerond_op else None,
            "gebeurtenis": verslag.gebeurtenis_id,
            "procedure_id": verslag.procedure[0], "procedure_version": verslag.procedure[1],
        }
        envelop = verzegel(inhoud(store, verslag), metadata, eigen, verbinding.account, lezers)
        items.append({"id": verslag_uuid, "traject": traject_uuid, "envelop": base64.b64encode(envelop).decode()})
        ids[verslag_uuid] = verslag_id
    if meldingen:
        with transaction(conn):
            conn.executemany("UPDATE uitgaand_verslag SET melding = ? WHERE verslag_id = ?",
                             [(m, i) for i, m in meldingen.items()])
    return items, ids


def verwerk_antwoord(conn: Connection, resultaten: Iterable[Mapping[str, Any]], ids: Mapping[str, int]
                     ) -> tuple[int, int]:
    """Accepted verslagen leave the outbox; refused ones stay, marked, with the server's message."""
    aanvaard = geweigerd = 0
    with transaction(conn):
        for r in resultaten:
            verslag_id = ids.get(str(r.get("id")))
            if verslag_id is None:
                continue
            if r.get("status") == "aanvaard":
                conn.execute("INSERT OR REPLACE INTO instituut_verslag (verslag_id, volgnummer) VALUES (?, ?)",
                             (verslag_id, int(r.get("volgnummer") or 0)))
                conn.execute("DELETE FROM uitgaand_verslag WHERE verslag_id = ?", (verslag_id,))
                aanvaard += 1
            else:
                conn.execute("UPDATE uitgaand_verslag SET geweigerd = 1, melding = ?, pogingen = pogingen + 1 "
                             "WHERE verslag_id = ?", (str(r.get("melding") or ""), verslag_id))
                geweigerd += 1
    return aanvaard, geweigerd


def zet_verstuurd(store: Any, resultaten: Iterable[Mapping[str, Any]], ids: Mapping[str, int]) -> list[str]:
    """The institute has the verslag: it is verstuurd to its receiver today, as the docent would otherwise note by
    hand, so the procedure's step is done (VerslagService.zet_verstuurd records its event). A verslag already
    noted as verstuurd keeps its date. Returns Dutch lines for what could not be noted."""
    verbinding = outbox.verbinding(store.conn)
    user = (verbinding.account_naam or verbinding.account) if verbinding else ""
    meldingen = []
    for r in resultaten:
        verslag_id = ids.get(str(r.get("id")))
        if verslag_id is None or r.get("status") != "aanvaard":
            continue
        try:
            if store.verslagen.get(verslag_id).verstuurd_op is None:
                store.verslagen.zet_verstuurd(verslag_id, dt.date.today(), user=user)
        except (OntkoppelError, RuleError) as fout:
            meldingen.append(f"Het verslag is verzegeld verstuurd, maar de datum verstuurd kon niet worden "
                             f"vastgelegd: {fout}")
    return meldingen


def neem_archivering_over(store: Any, events: Iterable[tuple[int, Any]]) -> set[int]:
    """The receiver archived a verslag of ours (a pulled verslag_gearchiveerd on one of our trajecten): the verslag
    shows it as gearchiveerd on this laptop too, with the receiver's event as the record (so that the docent does
    not note it a second time). Returns the verslagen that changed."""
    veranderd: set[int] = set()
    service = store.verslagen
    for _traject_id, event in events:
        if event.kind is not EventKind.VERSLAG_GEARCHIVEERD or not event.text("bij"):
            continue
        kandidaten = [v for v in service.repo.for_gebeurtenis(event.text("bij")) if v.definitief]
        if not kandidaten:
            continue
        verslag = max(kandidaten, key=lambda v: v.versie)
        plekken = ((VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER)
                   if event.text("bestemming") == VerslagBestemming.BEIDE.value
                   else (VerslagBestemming(event.text("bestemming")),))
        dates = dict(verslag.gearchiveerd_op)
        for plek in plekken:
            if plek in service.formulier(verslag).bestemmingen:
                dates.setdefault(plek, event.date)
        if dates != dict(verslag.gearchiveerd_op):
            events_map = {**verslag.status_events, f"instituut-archief-{event.id}": event.id}
            with store.transactions.transaction():
                service.repo.update(replace(verslag, gearchiveerd_op=dates, status_events=events_map))
            veranderd.add(verslag.id)
    return veranderd


@dataclass(frozen=True, slots=True)
class Wachtend:
    verslag_id: int
    sinds: str
    geweigerd: bool
    melding: str


def wachtend(conn: Connection) -> list[Wachtend]:
    """Verslagen that wait to be sent, with why (a missing key, a refusal)."""
    return [Wachtend(i, s, bool(g), m or "") for i, s, g, m in conn.execute(
        "SELECT verslag_id, sinds, geweigerd, melding FROM uitgaand_verslag ORDER BY verslag_id")]


# ---- receiving -------------------------------------------------------------------------------------------------


def pas_toe(conn: Connection, paginas: Iterable[Mapping[str, Any]]) -> int:
    """Keep what was pulled (envelopes as they came); a verslag re-sealed to a new reader replaces its copy."""
    nu = dt.datetime.now().replace(microsecond=0).isoformat()
    aantal = 0
    for pagina in paginas:
        with transaction(conn):
            for v in pagina.get("verslagen", []):
                try:
                    envelop = base64.b64decode(str(v["envelop"]), validate=True)
                except (KeyError, ValueError, binascii.Error):
                    continue
                conn.execute(
                    "INSERT INTO ontvangen_verslag (uuid, traject_uuid, auteur, auteur_naam, gesprek, versie, datum, "
                    "metadata, envelop, volgnummer, ontvangen_op) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (uuid) DO UPDATE SET envelop = excluded.envelop, volgnummer = excluded.volgnummer, "
                    "metadata = excluded.metadata",
                    (str(v["id"]), str(v["traject"]), str(v.get("auteur") or ""), str(v.get("auteur_naam") or ""),
                     str(v.get("gesprek") or ""), int(v.get("versie") or 1), v.get("datum"),
                     json.dumps(v.get("metadata") or {}, ensure_ascii=False), envelop, int(v["volgnummer"]), nu))
                aantal += 1
            conn.execute("UPDATE instituut SET verslagen_opgehaald = max(verslagen_opgehaald, ?) WHERE id = 1",
                         (int(pagina.get("tot") or 0),))
    return aantal


def ontvangen(conn: Connection) -> list[Ontvangen]:
    out = []
    for u, t, a, an, g, v, d, m, o, ga in conn.execute(
        "SELECT uuid, traject_uuid, auteur, auteur_naam, gesprek, versie, datum, metadata, ontvangen_op, gearchiveerd "
        "FROM ontvangen_verslag ORDER BY coalesce(datum, ontvangen_op) DESC, gesprek, versie DESC"
    ):
        out.append(Ontvangen(u, t, a, an, g, int(v), dt.date.fromisoformat(d) if d else None, json.loads(m), o,
                             json.loads(ga)))
    return out


def open_ontvangen(conn: Connection, uuid: str, registry_get: Any) -> GeopendVerslag:
    """Open a received verslag with this user's key, its author's signature checked against the key the institute
    bound to the author's account (ZegelFout in Dutch when it does not fit, or the author has no confirmed key)."""
    row = conn.execute("SELECT envelop FROM ontvangen_verslag WHERE uuid = ?", (uuid,)).fetchone()
    if row is None:
        raise ZegelFout("Dit verslag is niet (meer) op deze laptop.")
    envelop = bytes(row[0])
    verbinding = outbox.verbinding(conn)
    auteur = str(json.loads(envelop).get("auteur_account") or "")
    bekend = {lezer.account: lezer for lezer in sleutels.lezers(conn)}
    if auteur not in bekend:
        raise ZegelFout(f"De sleutel van de auteur ({auteur}) is niet door het instituut bevestigd op deze laptop; "
                        "het verslag wordt niet getoond. Synchroniseer en probeer het opnieuw.")
    geopend = open_zegel(envelop, verbinding.account if verbinding else "", sleutels.eigen_paar(conn),
                         bekend[auteur].publiek.ondertekening)
    data = json.loads(geopend.inhoud)
    v = data["verslag"]
    verslag = Verslag(
        id=0, traject_id=0, gesprek=v["gesprek"], procedure=(v["procedure"][0], v["procedure"][1]),
        auteur=v["auteur"], antwoorden=v["antwoorden"], status=Status.DEFINITIEF, versie=int(v["versie"]),
        reden=v.get("reden") or "", gebeurtenis_id=v.get("gebeurtenis_id"),
        afgerond_op=dt.datetime.fromisoformat(v["afgerond_op"]) if v.get("afgerond_op") else None,
        zegels=v.get("zegels") or {},
    )
    c = data["context"]
    context = GesprekContext(c["aios"], c["opleider"], tuple(c["docenten"]), c.get("nieuwe_opleider") or "",
                             c.get("opleider_id"), c.get("nieuwe_opleider_id"))
    _, formulier = _definition_en_formulier(registry_get, verslag)
    return GeopendVerslag(verslag, formulier, context, {int(k): n for k, n in data["opleider_namen"].items()},
                          str(data.get("opleiding") or ""), geopend.auteur_account)


def markeer_gearchiveerd(conn: Connection, uuid: str, plek: VerslagBestemming, datum: dt.date, *, user: str,
                         registry_get: Any, today: dt.date | None = None) -> None:
    """The receiver archived the verslag in the e-portfolio or dossier: recorded as the procedure's step on the
    shared traject (so the docent sees it), and noted with the received verslag. RuleError (Dutch) when the
    traject is not shared with this laptop or the rules refuse it."""
    ontvangen_verslag = next((o for o in ontvangen(conn) if o.uuid == uuid), None)
    if ontvangen_verslag is None:
        raise ZegelFout("Dit verslag is niet (meer) op deze laptop.")
    geopend = open_ontvangen(conn, uuid, registry_get)
    if plek not in geopend.formulier.bestemmingen:
        raise RuleError(f"Dit verslag gaat niet naar het {plek.label}.")
    gedaan = {VerslagBestemming(p): dt.date.fromisoformat(d) for p, d in ontvangen_verslag.gearchiveerd.items()}
    if gedaan.get(plek) == datum:
        return
    gedaan[plek] = datum
    # As the docent's own laptop records archiving (verslagen.service._archief_events): the first place on its own,
    # and once every place has a date, "beide" (that completes a step that archives in both).
    if len(gedaan) > 1 and set(gedaan) >= geopend.formulier.bestemmingen:
        bestemming = VerslagBestemming.BEIDE.value
    else:
        bestemming = plek.value
    event = new_event(EventKind.VERSLAG_GEARCHIVEERD, datum, {
        "gesprek": geopend.verslag.gesprek, "bestemming": bestemming, "bij": geopend.verslag.gebeurtenis_id},
        user=user)
    with transaction(conn):
        gedeeld.leg_vast(conn, ontvangen_verslag.traject_uuid, event, today=today)
        conn.execute("UPDATE ontvangen_verslag SET gearchiveerd = ? WHERE uuid = ?",
                     (json.dumps({p.value: d.isoformat() for p, d in gedaan.items()}), uuid))
