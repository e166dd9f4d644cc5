"""The institute server under a bounded load (issue 17): an institute year with its verslagen, a laptop's first full
sync, and 200 requests per second for a minute from 40 laptops.

Run: .venv/bin/python bench/bench_belasting.py         (2 000 trajecten, 20 000 verslagen, 200/s for 60 s; ~6 min)
     .venv/bin/python bench/bench_belasting.py --verslagen 2000 --tempo 50 --duur 15     (a quick look)

The setup is bench_instituut's (a throwaway PostgreSQL set up as in production, gunicorn with --workers N on
127.0.0.1, plain HTTP allowed by the server's test setting, Argon2 passwords), plus the keys of issue 16: IT makes
the institute's signing key and the recovery key (the management commands, with the cheapest Argon2id for the key
files), every laptop enrols with its user's public keys and IT signs them (`sleutels-ondertekenen --ja`).
Accounts: 40 docenten (two per groep), a jaarassistent and a manager opleiding of year 1.

The year: 2 000 trajecten of 5-15 events (bench_instituut.maak_jaar), sent by the docenten's laptops; then
20 000 verslagen, ten per traject, each about 4 KB of content sealed (verzegeling.verzegel, the app's own sealing)
to five readers (its author, the groep's other docent, the jaarassistent, the manager opleiding and the recovery
key) and signed by its author, sent through POST /api/v1/verslagen 100 at a time as the docenten's laptops send them.

Measured:
1. a laptop's first full sync: the jaarassistent's laptop (a fresh store, enrolled before the year) pulls every
   traject, event and verslag it reads (sync.synchroniseer, the app's own code, into the encrypted store);
2. open-loop load: requests are scheduled at a fixed rate (--tempo per second for --duur seconds), each on one of
   the 40 docenten's laptops (each caught up first: its events pulled, its verslagen up to the newest), in a mix of
   pulls of new events (GET gebeurtenissen), pulls of new verslagen (GET verslagen) and small pushes (a new traject
   of 3 events). A request's time runs from its scheduled moment, not from when a client got round to sending it:
   a server that falls behind shows as queueing in the figures instead of as fewer requests (no coordinated
   omission). Reported: p50/p95/p99 over all and per kind, the service time alone, errors, achieved rate;
3. the gunicorn workers' resident memory (halfway the load and at the end) and pg_database_size.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import json
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_instituut import (  # noqa: E402  (bench/ is on sys.path when run as a script)
    JAAR,
    _nieuw_traject,
    maak_jaar,
    mib,
    percentiel,
    rss_workers,
    start_gunicorn,
    stuur_alles,
)

GESPREKKEN = ("kennismakingsgesprek", "driehoeksgesprek", "evaluatiegesprek", "vervolggesprek", "eindgesprek")
WOORDEN = ("de", "aios", "opleider", "supervisie", "afspraak", "leerdoel", "praktijk", "week", "gesprek", "visite",
           "spreekuur", "feedback", "planning", "zorgen", "werkdruk", "evaluatie", "voortgang", "casus", "en", "het")


@dataclass
class Docent:
    gebruikersnaam: str
    groep_id: int
    paar: Any  # verzegeling.Sleutelpaar
    token: str = ""


def inhoud(rng: random.Random, bytes_: int) -> bytes:
    """A verslag's content as the laptop seals it (JSON with its answers), about `bytes_` long."""
    woorden: list[str] = []
    lengte = 0
    while lengte < bytes_ - 200:
        w = rng.choice(WOORDEN)
        woorden.append(w)
        lengte += len(w) + 1
    tekst = " ".join(woorden)
    deel = len(tekst) // 4
    antwoorden = {v: tekst[i * deel:(i + 1) * deel] for i, v in enumerate(("aanleiding", "perspectief_aios",
                                                                           "perspectief_opleider", "afspraken"))}
    return json.dumps({"antwoorden": antwoorden, "aios": "Aios", "opleider": "Opleider"}).encode()


# ---- the open-loop load (runs in spawned processes: only the client, no Django) ----------------------------------


@dataclass
class Stand:
    """A laptop's state during the load: its token, groep and how far it pulled."""

    token: str
    groep_id: int
    na: int = 0
    scope: int | None = None
    na_verslagen: int = 0


def _een_verzoek(adres: str, stand: Stand, soort: str, rng: random.Random, slot: threading.Lock) -> None:
    from ontkoppel_desktop.instituut.client import Client

    client = Client(adres, stand.token, http_toegestaan=True, timeout=60)
    if soort == "gebeurtenissen":
        pagina = client.haal_op(stand.na, stand.scope)
        with slot:
            stand.na, stand.scope = max(stand.na, int(pagina["tot"])), pagina.get("scope_versie")
    elif soort == "verslagen":
        pagina = client.haal_verslagen(stand.na_verslagen)
        with slot:
            stand.na_verslagen = max(stand.na_verslagen, int(pagina["tot"]))
    else:
        with slot:
            events = _nieuw_traject(stand.groep_id, rng)
        resultaten = client.verstuur(events, stand.na)
        if any(r["status"] != "aanvaard" for r in resultaten):
            raise RuntimeError(f"geweigerd: {resultaten}")


def laad_proces(adres: str, standen: list[Stand], begin_wall: float, duur: float, tempo: float, mix: list[float],
                threads: int, seed: int) -> dict[str, Any]:
    """One client process: `tempo` requests per second from begin_wall (time.time()) for `duur` seconds, each
    scheduled at a fixed moment and timed from it."""
    rng = random.Random(seed)
    slot = threading.Lock()
    uit: dict[str, Any] = {"tijden": [], "fouten": []}  # (soort, from schedule, service time)
    soorten = ["gebeurtenissen", "verslagen", "push"]

    def doe(gepland: float, soort: str, stand: Stand) -> None:
        start = time.perf_counter()
        try:
            _een_verzoek(adres, stand, soort, rng, slot)
        except Exception as fout:  # noqa: BLE001 - every failure counts, whatever its kind
            with slot:
                uit["fouten"].append(f"{soort}: {type(fout).__name__}: {fout}"[:300])
            return
        klaar = time.perf_counter()
        with slot:
            uit["tijden"].append((soort, klaar - gepland, klaar - start))

    begin = time.perf_counter() + (begin_wall - time.time())
    n = int(duur * tempo)
    with ThreadPoolExecutor(threads) as pool:
        for i in range(n):
            gepland = begin + i / tempo
            wacht = gepland - time.perf_counter()
            if wacht > 0:
                time.sleep(wacht)
            pool.submit(doe, gepland, rng.choices(soorten, mix)[0], standen[i % len(standen)])
    uit["klaar_na"] = time.perf_counter() - begin
    return uit


def bij_laden(adres: str, stand: Stand) -> Stand:
    """A laptop caught up before the load: its events pulled page by page, its verslagen marked as read up to the
    newest (pulling 1 000 verslagen each would only measure the catching up)."""
    from ontkoppel_desktop.instituut.client import Client

    client = Client(adres, stand.token, http_toegestaan=True, timeout=120)
    while True:
        pagina = client.haal_op(stand.na, stand.scope)
        stand.na, stand.scope = int(pagina["tot"]), pagina.get("scope_versie")
        if not pagina.get("meer"):
            return stand


# ---- the bench -------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trajecten", type=int, default=2000, help="trajecten of the year (default 2000)")
    parser.add_argument("--verslagen", type=int, default=20000, help="sealed verslagen of the year (default 20000)")
    parser.add_argument("--inhoud", type=int, default=4096, help="bytes of a verslag's content (default 4096)")
    parser.add_argument("--docenten", type=int, default=40, help="docent accounts and laptops, two per groep")
    parser.add_argument("--tempo", type=float, default=200.0, help="requests per second in the load (default 200)")
    parser.add_argument("--duur", type=float, default=60.0, help="seconds of the load (default 60)")
    parser.add_argument("--mix", default="50,30,20",
                        help="percent pulls of events, pulls of verslagen, pushes (default 50,30,20)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--processen", type=int, default=2, help="client processes of the load (default 2)")
    parser.add_argument("--threads", type=int, default=64, help="threads per client process (default 64)")
    parser.add_argument("--zenders", type=int, default=4, help="laptops sending the year at once (default 4)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    mix = [float(p) for p in args.mix.split(",")]
    if len(mix) != 3 or sum(mix) <= 0:
        parser.error("--mix takes three percentages")

    import nacl.pwhash.argon2id
    import psycopg
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections
    from figures import Figures
    from tests.instituut.conftest import nieuwe_laptop
    from tests.server.conftest import APP_WACHTWOORD, DB_POORT, EIGENAAR_WACHTWOORD, WACHTWOORD, account, groep

    from ontkoppel_desktop.core.rollen import Rol
    from ontkoppel_desktop.instituut import client as client_module
    from ontkoppel_desktop.instituut import verzegeling
    from ontkoppel_server import pgcluster
    from ontkoppel_server.inrichting import Inrichting
    from ontkoppel_server.instituut.management.commands import _sleutelbestand

    figures = Figures()
    figures.note("machine", f"{os.cpu_count()} CPUs, server, PostgreSQL and clients share them")
    started = time.perf_counter()
    rng = random.Random(args.seed)
    with pgcluster.wegwerp(DB_POORT) as cluster, tempfile.TemporaryDirectory() as tmp:
        for alias in ("default", "eigenaar"):
            settings.DATABASES[alias]["PORT"] = str(cluster.port)
        Inrichting("ontkoppel", "ontkoppel_eigenaar", EIGENAAR_WACHTWOORD, "ontkoppel_app", APP_WACHTWOORD).richt_in(
            cluster.conninfo())
        call_command("migrate", database="eigenaar", verbosity=0)
        db_info = cluster.conninfo(dbname="ontkoppel")

        def database() -> tuple[int, int, int, int]:
            with psycopg.connect(db_info) as conn:
                row = conn.execute("SELECT pg_database_size('ontkoppel'), (SELECT count(*) FROM traject), "
                                   "(SELECT count(*) FROM gebeurtenis), (SELECT count(*) FROM verslag)").fetchone()
            assert row
            return int(row[0]), int(row[1]), int(row[2]), int(row[3])

        # IT's keys, as the management commands make them (cheap key files: the bench measures the server).
        _sleutelbestand.KDF.update(opslimit=nacl.pwhash.argon2id.OPSLIMIT_MIN,
                                   memlimit=nacl.pwhash.argon2id.MEMLIMIT_MIN)
        os.environ[_sleutelbestand.WACHTWOORD_VAR] = "Bench-kluis-sleutel-2026"
        instituut = Path(tmp) / "instituut.sleutel"
        call_command("instituutssleutel-maken", "--bestand", str(instituut), stdout=io.StringIO())
        call_command("herstelsleutel-maken", "--bestand", str(Path(tmp) / "herstel.sleutel"),
                     "--instituutssleutel", str(instituut), stdout=io.StringIO())

        hashed = make_password(WACHTWOORD, hasher="argon2")
        groepen = [groep(f"Groep {i + 1}", JAAR) for i in range((args.docenten + 1) // 2)]
        docenten: list[Docent] = []
        for i in range(args.docenten):
            g = groepen[i // 2]
            acc = account(f"docent{i + 1:02}", (Rol.DOCENTEN, g))
            acc.password = hashed
            acc.save()
            docenten.append(Docent(acc.username, g.pk, verzegeling.maak_sleutelpaar()))
        for naam, rol in (("jaarassistent", Rol.JAARASSISTENT), ("manager", Rol.MANAGER_OPLEIDING)):
            acc = account(naam, (rol, JAAR))
            acc.password = hashed
            acc.save()
        connections.close_all()

        port = pgcluster.vrije_poort()
        adres = f"http://127.0.0.1:{port}"
        server = start_gunicorn(port, cluster.port, args.workers)
        jaarassistent = nieuwe_laptop(Path(tmp) / "jaarassistent.okdb")
        try:
            t0 = time.perf_counter()

            def aanmelden(d: Docent) -> Docent:
                answer = client_module.Client(adres, None, http_toegestaan=True).aanmelden(
                    d.gebruikersnaam, WACHTWOORD, f"Laptop {d.gebruikersnaam}", d.paar.publiek.naar_json())
                return Docent(d.gebruikersnaam, d.groep_id, d.paar, answer["token"])

            with ThreadPoolExecutor(args.workers) as pool:
                docenten = list(pool.map(aanmelden, docenten))
            manager = verzegeling.maak_sleutelpaar()
            ik = client_module.Client(adres, None, http_toegestaan=True).aanmelden(
                "manager", WACHTWOORD, "Laptop manager", manager.publiek.naar_json())
            jaarassistent.verbind(adres, "jaarassistent")  # the store's own keys, as the Verbinden window sends
            call_command("sleutels-ondertekenen", "--instituutssleutel", str(instituut), "--ja",
                         stdout=io.StringIO())
            connections.close_all()
            figures.note(f"{args.docenten + 2} laptops enrolled with keys, keys signed",
                         f"{time.perf_counter() - t0:8.1f} s")

            # The year's trajecten and events, sent by the docenten's laptops (bench_instituut).
            jaar = maak_jaar(args.trajecten, [g.pk for g in groepen], args.seed)
            per_docent: dict[str, list[dict[str, Any]]] = {d.gebruikersnaam: [] for d in docenten}
            per_groep: dict[int, list[Docent]] = {}
            for d in docenten:
                per_groep.setdefault(d.groep_id, []).append(d)
            trajecten: list[tuple[str, Docent]] = []
            for i, (groep_id, events) in enumerate(jaar):
                d = per_groep[groep_id][i // len(groepen) % len(per_groep[groep_id])]
                per_docent[d.gebruikersnaam].extend(events)
                trajecten.append((events[0]["traject"], d))
            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.zenders) as pool:
                verstuurd = list(pool.map(lambda d: stuur_alles(adres, d.token, per_docent[d.gebruikersnaam]),
                                          docenten))
            totaal = sum(len(e) for _, e in jaar)
            figures.note("the year's events pushed",
                         f"{time.perf_counter() - t0:8.1f} s  ({len(jaar)} trajecten, {totaal} events)",
                         f"accepted {sum(v[1] for v in verstuurd)}, refused {sum(v[2] for v in verstuurd)}")

            # The year's verslagen: sealed to five readers, signed, sent 100 at a time by their authors.
            directory = client_module.Client(adres, docenten[0].token, http_toegestaan=True).sleutels()
            publiek = {s["account"]: verzegeling.uit_b64(s["versleuteling"]) for s in directory}
            publiek[verzegeling.HERSTEL] = verzegeling.uit_b64(ik["instituut"]["herstel"]["versleuteling"])
            t0 = time.perf_counter()
            per_auteur: dict[str, list[dict[str, Any]]] = {d.gebruikersnaam: [] for d in docenten}
            envelop_bytes = 0
            for i in range(args.verslagen):
                traject, auteur = trajecten[i % len(trajecten)]
                collega = next(d for d in per_groep[auteur.groep_id] if d is not auteur)
                lezers = {n: publiek[n] for n in (auteur.gebruikersnaam, collega.gebruikersnaam, "jaarassistent",
                                                  "manager", verzegeling.HERSTEL)}
                metadata: dict[str, verzegeling.Waarde] = {
                    "traject": traject, "gesprek": GESPREKKEN[i // len(trajecten) % len(GESPREKKEN)],
                    "versie": 1 + i // (len(trajecten) * len(GESPREKKEN)),
                    "datum": (dt.date.today() - dt.timedelta(days=rng.randint(1, 300))).isoformat()}
                envelop = verzegeling.verzegel(inhoud(rng, args.inhoud), metadata, auteur.paar,
                                               auteur.gebruikersnaam, lezers)
                envelop_bytes += len(envelop)
                per_auteur[auteur.gebruikersnaam].append(
                    {"id": str(uuid.uuid4()), "traject": traject, "envelop": base64.b64encode(envelop).decode()})
            verzegeld = time.perf_counter() - t0

            def stuur_verslagen(d: Docent) -> tuple[int, int]:
                client = client_module.Client(adres, d.token, http_toegestaan=True, timeout=300)
                lijst = per_auteur[d.gebruikersnaam]
                aanvaard = geweigerd = 0
                for i in range(0, len(lijst), 100):
                    for r in client.verstuur_verslagen(lijst[i:i + 100]):
                        aanvaard += r["status"] == "aanvaard"
                        geweigerd += r["status"] != "aanvaard"
                return aanvaard, geweigerd

            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.zenders) as pool:
                uitslag = list(pool.map(stuur_verslagen, docenten))
            duur = time.perf_counter() - t0
            aanvaard, geweigerd = sum(u[0] for u in uitslag), sum(u[1] for u in uitslag)
            figures.note("the year's verslagen sealed (5 readers each)",
                         f"{verzegeld:8.1f} s  ({args.verslagen} envelopes, mean {envelop_bytes / args.verslagen:.0f}"
                         f" bytes)", f"{args.inhoud} bytes of content each")
            figures.note("the year's verslagen pushed (100 a request)",
                         f"{duur:8.1f} s  ({args.verslagen / duur:.0f} verslagen/s)",
                         f"accepted {aanvaard}, refused {geweigerd}")
            size, n_trajecten, n_events, n_verslagen = database()
            figures.note("pg_database_size after the year",
                         f"{mib(size):>10}  ({n_trajecten} trajecten, {n_events} events, {n_verslagen} verslagen)")

            # (1) The jaarassistent's first full sync: every traject, event and verslag of year 1.
            t0 = time.perf_counter()
            verslag = jaarassistent.synchroniseer()
            sync_tijd = time.perf_counter() - t0
            if verslag.fout is not None:
                raise RuntimeError(f"first sync failed: {verslag.fout}")
            conn = jaarassistent.store.conn
            gedeeld = conn.execute("SELECT count(*) FROM gedeeld_traject").fetchone()[0]
            gedeelde_events = conn.execute("SELECT count(*) FROM gedeeld_event").fetchone()[0]
            figures.note("first full sync (jaarassistent, fresh store)",
                         f"{sync_tijd:8.1f} s  ({gedeeld} trajecten, {gedeelde_events} events, "
                         f"{verslag.verslagen_ontvangen} verslagen)",
                         f"on the server: {n_trajecten} / {n_events} / {n_verslagen}")

            # (2) The open-loop load from the docenten's laptops, caught up first.
            with psycopg.connect(db_info) as c:
                row = c.execute("SELECT coalesce(max(volgnummer), 0) FROM verslag").fetchone()
            assert row
            standen = [Stand(d.token, d.groep_id, na_verslagen=int(row[0])) for d in docenten]
            with ThreadPoolExecutor(args.workers) as pool:
                standen = list(pool.map(lambda s: bij_laden(adres, s), standen))
            n_proc = max(1, min(args.processen, len(standen)))
            delen = [standen[i::n_proc] for i in range(n_proc)]
            begin_wall = time.time() + 5
            context = multiprocessing.get_context("spawn")
            with context.Pool(n_proc) as procs:
                asyncs = [procs.apply_async(laad_proces, (adres, deel, begin_wall, args.duur, args.tempo / n_proc,
                                                         mix, args.threads, args.seed + 1000 * i))
                          for i, deel in enumerate(delen)]
                time.sleep(max(0.0, begin_wall - time.time()) + args.duur / 2)
                rss_load = rss_workers(server.pid)
                uitkomsten = [a.get(timeout=args.duur + 900) for a in asyncs]
            tijden = [t for u in uitkomsten for t in u["tijden"]]
            fouten = [f for u in uitkomsten for f in u["fouten"]]
            klaar_na = max(u["klaar_na"] for u in uitkomsten)

            def ms(waarden: list[float]) -> str:
                return " / ".join(f"{percentiel(waarden, p) * 1000:.0f}" for p in (50, 95, 99)) + " ms"

            gepland = int(args.duur * args.tempo / n_proc) * n_proc
            figures.note(f"open-loop load: {args.tempo:g}/s for {args.duur:g} s from {len(standen)} laptops",
                         f"{len(tijden) / klaar_na:8.1f} requests/s achieved",
                         f"{len(tijden)} of {gepland} done in {klaar_na:.1f} s; {args.workers} gunicorn workers")
            figures.note("  from schedule p50 / p95 / p99", ms([t[1] for t in tijden]), "queueing included")
            figures.note("  service time p50 / p95 / p99", ms([t[2] for t in tijden]), "from the send")
            for soort, wat in (("gebeurtenissen", "pull events"), ("verslagen", "pull verslagen"),
                               ("push", "push (3 events)")):
                deel = [t[1] for t in tijden if t[0] == soort]
                figures.note(f"  {wat} p50 / p95 / p99", ms(deel), f"n={len(deel)}")
            figures.note("  errors", f"{len(fouten)}", "0 errors")
            for fout in sorted(set(fouten))[:3]:
                print(f"fout: {fout}", file=sys.stderr)

            # (3) Memory and size.
            rss_eind = rss_workers(server.pid)
            figures.note("gunicorn workers RSS under load",
                         f"max {mib(max(rss_load or [0]))}, sum {mib(sum(rss_load))}",
                         f"{len(rss_load)} workers, halfway the load")
            figures.note("gunicorn workers RSS at the end", f"max {mib(max(rss_eind))}, sum {mib(sum(rss_eind))}")
            size, n_trajecten, n_events, n_verslagen = database()
            figures.note("pg_database_size at the end",
                         f"{mib(size):>10}  ({n_trajecten} trajecten, {n_events} events, {n_verslagen} verslagen)")
        finally:
            jaarassistent.store.close()
            server.terminate()
            server.wait(20)
            connections.close_all()
    figures.note("whole bench", f"{time.perf_counter() - started:8.1f} s")
    figures.print()
    print(json.dumps({"argumenten": vars(args)}))


if __name__ == "__main__":
    main()
