"""One synchronisation with the institute, in three steps so that the network can run on a worker thread while
the store's connection stays on its own thread:

1. `voorbereiden(conn)` (store thread): the connection and the next events of the outbox;
2. `netwerk(werk)` (any thread, no store): send them, then pull every page that is new;
3. `verwerk(conn, record_event, werk, uitkomst)` (store thread): mark what the server answered, apply what was
   pulled.

A send whose answer never arrives (the connection was cut, the server restarted) leaves the outbox as it was;
the next round sends the same events again, and the server answers with the volgnummers they got the first time
(idempotent by UUID). Nothing is removed from the outbox before the server said it has it.
`synchroniseer` runs the three in a row, for tests and the command line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.instituut import outbox, personen, sleutels, spiegel, verslagen
from ontkoppel_desktop.instituut.client import Client, InstituutFout, ServerFout, normaliseer_adres
from ontkoppel_desktop.instituut.verzegeling import PubliekeSleutels, vingerafdruk
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction

MAX_PAGINAS = 1000
MAX_RONDES = 50
# A token that expires within this many days is renewed at the next synchronisation.
VERNIEUWEN_BINNEN = dt.timedelta(days=10)


@dataclass(frozen=True, slots=True)
class Werk:
    client: Client
    zending: list[dict[str, Any]]
    laatst_opgehaald: int
    scope_versie: int | None
    ophalen: bool = True
    vernieuwen: bool = False  # the token expires soon: renew it
    rollen_bekend: bool = True  # False: ask the server who this account is (roles, groepen)
    eigen_sleutel: dict[str, str] | None = None  # this user's public keys, while the institute has not signed them
    verslagen: list[dict[str, Any]] = field(default_factory=list)  # sealed, to send
    verslag_ids: dict[str, int] = field(default_factory=dict)  # their local ids by UUID
    verslagen_opgehaald: int = 0
    eerst_sleutels: bool = False  # this round only learns the directory; the next one sends
    personen: tuple[int, int | None] = (0, None)  # the institute's Personen: versie pulled, with which scope


@dataclass(slots=True)
class Uitkomst:
    resultaten: list[dict[str, Any]] | None = None
    paginas: list[dict[str, Any]] = field(default_factory=list)
    fout: InstituutFout | None = None
    token: dict[str, Any] | None = None  # a renewed token
    ik: dict[str, Any] | None = None  # the account's roles and groepen, when they changed
    blokkades: list[dict[str, Any]] | None = None
    sleutels: list[dict[str, Any]] | None = None  # the directory of readers' public keys
    verslag_resultaten: list[dict[str, Any]] | None = None
    verslag_paginas: list[dict[str, Any]] = field(default_factory=list)
    personen: dict[str, Any] | None = None


@dataclass(slots=True)
class Verslag:
    """What one synchronisation did, for the user."""

    verstuurd: int = 0
    geweigerd: int = 0
    toegepast: outbox.Toegepast = field(default_factory=outbox.Toegepast)
    fout: InstituutFout | None = None
    meer: bool = False  # more waits in the outbox than one round sends
    meldingen: list[str] = field(default_factory=list)  # Dutch: keys not believed, and why
    verslagen_verstuurd: int = 0
    verslagen_ontvangen: int = 0
    verslagen_gearchiveerd: set[int] = field(default_factory=set)  # ours, archived by their receiver
    personen: c.Changes = c.NONE  # what the institute's Personen changed in this laptop's own (spiegel.py)

    def samenvatting(self) -> str:
        if self.fout is not None:
            return str(self.fout)
        delen = [f"{self.verstuurd} verstuurd"]
        if self.geweigerd:
            delen.append(f"{self.geweigerd} geweigerd")
        t = self.toegepast
        opgehaald = t.vastgelegd + t.gedeeld
        delen.append(f"{opgehaald} opgehaald")
        if t.conflicten:
            delen.append(f"{len(t.conflicten)} niet toe te passen")
        if self.verslagen_verstuurd:
            delen.append(f"{self.verslagen_verstuurd} verslag(en) verstuurd")
        if self.verslagen_ontvangen:
            delen.append(f"{self.verslagen_ontvangen} verslag(en) ontvangen")
        return "Gesynchroniseerd: " + ", ".join(delen) + "."


def client_van(verbinding: outbox.Verbinding) -> Client:
    return Client(verbinding.server, verbinding.token, verbinding.ca_bundel, verbinding.http_toegestaan)


def laptopnaam() -> str:
    return platform.node() or "Laptop"


def aanmelden(server: str, gebruikersnaam: str, wachtwoord: str, *, laptop: str | None = None,
              ca_bundel: str | None = None, http_toegestaan: bool = False,
              sleutels: dict[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    """Network only (any thread): enrol this laptop. Returns the normalised address and the server's answer
    (with the token), for `outbox.verbind` on the store's thread."""
    adres = normaliseer_adres(server, http_toegestaan=http_toegestaan)
    if not gebruikersnaam.strip() or not wachtwoord:
        raise InstituutFout("Vul uw gebruikersnaam en wachtwoord bij het instituut in.")
    answer = Client(adres, None, ca_bundel, http_toegestaan).aanmelden(gebruikersnaam.strip(), wachtwoord,
                                                                        laptop or laptopnaam(), sleutels)
    return adres, answer


def verloopt_binnenkort(verbinding: outbox.Verbinding, nu: dt.datetime | None = None) -> bool:
    if not verbinding.token_verloopt:
        return False
    try:
        verloopt = dt.datetime.fromisoformat(verbinding.token_verloopt)
    except ValueError:
        return True
    nu = nu or dt.datetime.now(dt.UTC)
    if verloopt.tzinfo is None:
        verloopt = verloopt.replace(tzinfo=dt.UTC)
    return verloopt - nu < VERNIEUWEN_BINNEN


def voorbereiden(conn: Connection, *, ophalen: bool = True, store: Any = None) -> Werk | None:
    """What one round sends and asks (store thread). With `store` (its services), the definitief verslagen that
    wait are sealed here too."""
    verbinding = outbox.verbinding(conn)
    if verbinding is None:
        return None
    opgehaald = conn.execute("SELECT verslagen_opgehaald FROM instituut WHERE id = 1").fetchone()[0]
    if not sleutels.directory_bekend(conn):
        # The first round after connecting to an institute with keys learns who may read before it seals anything.
        return Werk(client_van(verbinding), [], verbinding.laatst_opgehaald, verbinding.scope_versie, ophalen,
                    vernieuwen=verloopt_binnenkort(verbinding), rollen_bekend=bool(verbinding.rollen),
                    eigen_sleutel=sleutels.eigen_paar(conn).publiek.naar_json(), verslagen_opgehaald=int(opgehaald),
                    eerst_sleutels=True, personen=personen.waar(conn))
    te_versturen, verslag_ids = verslagen.zending(store) if store is not None else ([], {})
    ondertekend = conn.execute("SELECT sleutel_ondertekend FROM instituut WHERE id = 1").fetchone()
    eigen = None if ondertekend and ondertekend[0] else sleutels.eigen_paar(conn).publiek.naar_json()
    return Werk(client_van(verbinding), outbox.zending(conn), verbinding.laatst_opgehaald, verbinding.scope_versie,
                ophalen, vernieuwen=verloopt_binnenkort(verbinding), rollen_bekend=bool(verbinding.rollen),
                eigen_sleutel=eigen, verslagen=te_versturen, verslag_ids=verslag_ids,
                verslagen_opgehaald=int(opgehaald), personen=personen.waar(conn))


def netwerk(werk: Werk) -> Uitkomst:
    uitkomst = Uitkomst()
    client = werk.client
    try:
        if werk.vernieuwen:
            uitkomst.token = client.vernieuw()
            client = dataclasses.replace(client, token=str(uitkomst.token["token"]))
        if werk.zending:
            uitkomst.resultaten = client.verstuur(werk.zending, werk.laatst_opgehaald)
        if werk.verslagen:
            uitkomst.verslag_resultaten = client.verstuur_verslagen(werk.verslagen)
        if werk.ophalen:
            na, scope = werk.laatst_opgehaald, werk.scope_versie
            for _ in range(MAX_PAGINAS):
                pagina = client.haal_op(na, scope)
                uitkomst.paginas.append(pagina)
                na, scope = int(pagina["tot"]), pagina.get("scope_versie")
                if not pagina.get("meer"):
                    break
            # IT changed the account's roles (or this laptop never heard them), or our key waits for the
            # institute's signature: ask who it is now.
            if (not werk.rollen_bekend or werk.eigen_sleutel is not None
                    or (werk.scope_versie is not None and scope != werk.scope_versie)):
                uitkomst.ik = client.ik()
                if werk.eigen_sleutel is not None and "instituut" in uitkomst.ik:
                    bekend = uitkomst.ik.get("sleutel") or {}
                    if bekend.get("vingerafdruk") != vingerafdruk(PubliekeSleutels.uit_json(werk.eigen_sleutel)):
                        uitkomst.ik["sleutel"] = client.eigen_sleutel(werk.eigen_sleutel)
            # A server from before the blokkades or the keys: what is kept stays.
            with contextlib.suppress(ServerFout):
                uitkomst.blokkades = client.blokkades()
            with contextlib.suppress(ServerFout):
                uitkomst.sleutels = client.sleutels()
            with contextlib.suppress(ServerFout):  # a server from before Personen: the copy kept stays
                uitkomst.personen = client.haal_personen(*werk.personen)
            with contextlib.suppress(ServerFout):
                na = werk.verslagen_opgehaald
                for _ in range(MAX_PAGINAS):
                    pagina = client.haal_verslagen(na)
                    uitkomst.verslag_paginas.append(pagina)
                    na = int(pagina["tot"])
                    if not pagina.get("meer"):
                        break
    except InstituutFout as fout:
        uitkomst.fout = fout
    except (KeyError, TypeError, ValueError):
        uitkomst.fout = InstituutFout("De instituutsserver gaf een onverwacht antwoord. Probeer het later opnieuw; "
                                      "er gaat niets verloren.")
    return uitkomst


def verwerk(conn: Connection, record_event: Callable[[int, Any], Any], werk: Werk, uitkomst: Uitkomst,
            store: Any = None) -> Verslag:
    verslag = Verslag(fout=uitkomst.fout)
    if uitkomst.token is not None or uitkomst.ik is not None:
        outbox.werk_bij(conn, token=uitkomst.token, ik=uitkomst.ik)
    if uitkomst.ik is not None and "instituut" in uitkomst.ik:
        melding = sleutels.bewaar_instituut(conn, uitkomst.ik["instituut"], uitkomst.ik.get("sleutel"))
        if melding:
            verslag.meldingen.append(melding)
    if uitkomst.blokkades is not None:
        outbox.bewaar_blokkades(conn, uitkomst.blokkades)
    if uitkomst.personen is not None:
        teken = personen.teken(conn)
        personen.pas_toe(conn, uitkomst.personen)
        if personen.teken(conn) != teken or spiegel.nodig(conn):  # nodig: one refused before is tried again
            overname = spiegel.neem_over(conn)
            verslag.personen = overname.changes
            verslag.meldingen += overname.meldingen
    if uitkomst.sleutels is not None:
        voor = {(lezer.account, lezer.publiek.versleuteling) for lezer in sleutels.lezers(conn)}
        verslag.meldingen += sleutels.bewaar_lezers(conn, uitkomst.sleutels)
        nieuw = {(lezer.account, lezer.publiek.versleuteling) for lezer in sleutels.lezers(conn)} - voor
        # New readers' keys: a verslag that waited for them is sealed in another round at once.
        verslag.meer = verslag.meer or bool(nieuw and verslagen.wachtend(conn))
    if uitkomst.verslag_resultaten is not None:
        verslag.verslagen_verstuurd, _ = verslagen.verwerk_antwoord(conn, uitkomst.verslag_resultaten,
                                                                    werk.verslag_ids)
        if store is not None:
            verslag.meldingen += verslagen.zet_verstuurd(store, uitkomst.verslag_resultaten, werk.verslag_ids)
    if uitkomst.verslag_paginas:
        verslag.verslagen_ontvangen = verslagen.pas_toe(conn, uitkomst.verslag_paginas)
    if uitkomst.resultaten is not None:
        verslag.verstuurd, verslag.geweigerd = outbox.verwerk_antwoord(conn, uitkomst.resultaten)
    elif werk.zending and uitkomst.fout is not None:
        outbox.poging_mislukt(conn, str(uitkomst.fout), [str(e["id"]) for e in werk.zending])
    reeks = next((str(p["reeks"]) for p in uitkomst.paginas if p.get("reeks")), None)
    bekend = conn.execute("SELECT reeks FROM instituut WHERE id = 1").fetchone()
    if reeks and bekend is not None and bekend[0] and bekend[0] != reeks:
        # Put back from a back-up: what was pulled now was counted from numbers it may no longer have.
        outbox.na_herstel(conn, reeks)
        verslag.meldingen.append("De instituutsserver is teruggezet uit een back-up. Deze laptop stuurt opnieuw wat "
                                 "van hem is en haalt alles opnieuw op; er gaat niets verloren.")
        verslag.meer = True
        return verslag
    if reeks and bekend is not None and not bekend[0]:
        with transaction(conn):
            conn.execute("UPDATE instituut SET reeks = ? WHERE id = 1", (reeks,))
    if uitkomst.paginas:
        verslag.toegepast = outbox.pas_toe(conn, record_event, uitkomst.paginas)
        if store is not None:
            verslag.verslagen_gearchiveerd = verslagen.neem_archivering_over(store, verslag.toegepast.events)
    if uitkomst.fout is not None and not werk.zending:
        outbox.poging_mislukt(conn, str(uitkomst.fout))
    verslag.meer = (verslag.meer or werk.eerst_sleutels or len(werk.zending) >= outbox.MAX_ZENDING
                    or len(werk.verslagen) >= verslagen.MAX_ZENDING) and uitkomst.fout is None
    return verslag


def synchroniseer(conn: Connection, record_event: Callable[[int, Any], Any], store: Any = None) -> Verslag:
    """Send everything that waits and pull what is new, in rounds of one batch; synchronous (tests, CLI). With
    `store`, definitief verslagen are sealed and sent too."""
    totaal = Verslag()
    for _ in range(MAX_RONDES):
        werk = voorbereiden(conn, store=store)
        if werk is None:
            raise InstituutFout("Deze opslag is niet verbonden met een instituut. Kies Verbinden met instituut….")
        verslag = verwerk(conn, record_event, werk, netwerk(werk), store)
        totaal.verstuurd += verslag.verstuurd
        totaal.geweigerd += verslag.geweigerd
        t, v = totaal.toegepast, verslag.toegepast
        t.eigen += v.eigen
        t.vastgelegd += v.vastgelegd
        t.gedeeld += v.gedeeld
        t.conflicten += v.conflicten
        t.trajecten |= v.trajecten
        totaal.meldingen += verslag.meldingen
        totaal.personen = totaal.personen | verslag.personen
        totaal.verslagen_verstuurd += verslag.verslagen_verstuurd
        totaal.verslagen_ontvangen += verslag.verslagen_ontvangen
        totaal.fout = verslag.fout
        if verslag.fout is not None or not verslag.meer:
            break
    return totaal
