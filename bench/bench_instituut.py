"""The institute server under an institute year (issue 15): a laptop's first full sync, and many laptops at once.

Run: .venv/bin/python bench/bench_instituut.py          (2 000 trajecten, 40 docenten, 30 s of load; ~2-3 min)
     .venv/bin/python bench/bench_instituut.py --trajecten 6000 --laptops 80 --duur 60 --workers 8

What it sets up, as the tests do (tests/server, tests/instituut): a throwaway PostgreSQL cluster on loopback,
set up as in production (owner, application role under row-level security), and the production command
(gunicorn, `--workers N`) on 127.0.0.1 with plain HTTP allowed (ONTKOPPEL_SERVER_HTTP_TOESTAAN=1, the server's
test and development setting). Accounts: one jaarassistent of year 1 and 40 docenten, two per groep of year 1,
each enrolled (a real /aanmelden, Argon2 as in production).

The year: 2 000 trajecten of 5-15 events each (about 10 on average), made by the demo generator (every event
through the core's rules) and cut after a random number of events; each traject belongs to one docent. Every
docent's laptop sends its own trajecten through the real push API (POST /api/v1/gebeurtenissen, the desktop's
instituut.client.Client), in batches of at most 500 events as the outbox sends them; the 40 laptops send side by
side, a few at a time (--zenders), and the server re-checks every event with the core's rules.

Measured:
1. a new laptop's first full sync: the jaarassistent connects a fresh store and pulls every traject of the year
   (sync.synchroniseer, the app's own code: network and applying the pages into the store): wall time, requests;
2. N laptops syncing at once for a bounded time (--duur): every docent's laptop (threads, in a few processes)
   first catches up (not measured), then repeats: push a new traject of 3 events, pull everything new page by
   page, wait --pauze seconds. Per request: p50/p95/p99, requests per second, errors;
3. the resident memory of the gunicorn workers and pg_database_size of the server's database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

JAAR = 1


@dataclass(frozen=True)
class Docent:
    gebruikersnaam: str
    groep_id: int
    token: str = ""


# ---- the server ------------------------------------------------------------------------------------------------


def start_gunicorn(port: int, db_poort: int, workers: int) -> subprocess.Popen[bytes]:
    from tests.server.conftest import ENV

    env = {**os.environ, **ENV, "ONTKOPPEL_SERVER_DB_POORT": str(db_poort), "ONTKOPPEL_SERVER_HTTP_TOESTAAN": "1"}
    env.pop("ONTKOPPEL_SERVER_DB_EIGENAAR", None)  # the running server never has the owner's password
    env.pop("ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--backlog", "2048", "--timeout", "120", "ontkoppel_server.wsgi"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ik", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers (401)
        except OSError:
            time.sleep(0.1)
    else:
        raise RuntimeError("gunicorn answered not within 60 s")
    return process


def rss_workers(master: int) -> list[int]:
    """Resident memory (bytes) of each process whose parent is the gunicorn master."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out.append(int(line.split()[1]) * 1024)
        except (OSError, IndexError, ValueError):
            continue
    return out


def database_size(conninfo: str) -> tuple[int, int, int]:
    """pg_database_size of the server's database, and the number of trajecten and events in it."""
    import psycopg

    with psycopg.connect(conninfo) as conn:
        size = conn.execute("SELECT pg_database_size('ontkoppel')").fetchone()
        trajecten = conn.execute("SELECT count(*) FROM traject").fetchone()
        events = conn.execute("SELECT count(*) FROM gebeurtenis").fetchone()
    assert size and trajecten and events
    return int(size[0]), int(trajecten[0]), int(events[0])


# ---- the year --------------------------------------------------------------------------------------------------


def maak_jaar(aantal: int, groepen: list[int], seed: int) -> list[tuple[int, list[dict[str, Any]]]]:
    """`aantal` trajecten of 5-15 events, as (groep id, events as the outbox sends them: the first with its
    header). The demo generator walks each through the rules; a prefix of a valid traject is valid. As a laptop
    sends them since issue 16: free text and the header's categorie and aios's name as placeholders (the bench's
    accounts have no keys, so nothing sealed comes along, as from a laptop whose keys are not confirmed yet)."""
    from ontkoppel_desktop.core.gedeeld import kop_scheid, scheid
    from ontkoppel_desktop.core.procedure import default_registry
    from ontkoppel_desktop.demo.trajecten import DemoKoppeling, demo_trajecten

    rng = random.Random(seed)
    definition = default_registry().current()
    today = dt.date.today()
    out: list[tuple[int, list[dict[str, Any]]]] = []
    ronde = 0
    while len(out) < aantal:
        koppelingen = [DemoKoppeling(k, 10_000 + k, 20_000 + k) for k in range(ronde * 1000 + 1, ronde * 1000 + 1001)]
        for traject in demo_trajecten(definition, koppelingen, [30_000 + i for i in range(50)], today,
                                      user="Docent", seed=seed + ronde):
            if len(traject.events) < 5 or len(out) >= aantal:
                continue
            n = rng.randint(5, min(15, len(traject.events)))
            groep = groepen[len(out) % len(groepen)]
            kop = {
                "groep": groep, "opleidingsjaar": JAAR, "procedure_id": traject.procedure_id,
                "procedure_version": traject.procedure_version, "startreden": traject.startreden.value,
                "categorie": traject.categorie.value, "koppeling_id": traject.koppeling_id,
                "aios_id": traject.aios_id, "opleider_id": traject.opleider_id,
                "startdatum_opleiding": (today - dt.timedelta(days=300)).isoformat(), "deeltijdpercentage": 100,
                "aios_naam": f"Aios {traject.aios_id}", "opleider_naam": f"Opleider {traject.opleider_id}",
            }
            tid = str(uuid.uuid4())
            soorten = {e.id: e.kind for e in traject.events}
            events: list[dict[str, Any]] = []
            for e in traject.events[:n]:
                openbaar, _ = scheid(e.kind, e.data, soorten.get(e.text("gebeurtenis")))
                events.append({**e.to_dict(), "data": openbaar, "traject": tid})
            events[0]["traject_kop"] = kop_scheid(kop)[0]
            out.append((groep, events))
        ronde += 1
    return out


def stuur_alles(adres: str, token: str, events: list[dict[str, Any]]) -> tuple[int, int, int]:
    """One docent's laptop sends its outbox, 500 at a time. Returns (requests, accepted, refused)."""
    from ontkoppel_desktop.instituut.client import Client

    client = Client(adres, token, http_toegestaan=True, timeout=120)
    verzoeken = aanvaard = geweigerd = 0
    for i in range(0, len(events), 500):
        resultaten = client.verstuur(events[i:i + 500], 0)
        verzoeken += 1
        aanvaard += sum(r["status"] == "aanvaard" for r in resultaten)
        geweigerd += sum(r["status"] != "aanvaard" for r in resultaten)
    return verzoeken, aanvaard, geweigerd


# ---- the load test (runs in spawned processes: only the client, no Django) -------------------------------------


def _nieuw_traject(groep: int, rng: random.Random) -> list[dict[str, Any]]:
    from ontkoppel_desktop.core.gedeeld import VERZEGELD, VERZEGELDE_CATEGORIE
    from ontkoppel_desktop.core.procedure import default_registry, new_event

    definition = default_registry().current()
    today = dt.date.today()
    tid = str(uuid.uuid4())
    made = [
        new_event("signaal", today - dt.timedelta(days=3), {"bron": "docenten", "omschrijving": VERZEGELD},
                  user="Docent"),
        new_event("driehoeksgesprek", today - dt.timedelta(days=2), {"initiatief": "docenten"}, user="Docent"),
        new_event("verslag_naar_jaarassistent", today - dt.timedelta(days=1), {"gesprek": "driehoeksgesprek"},
                  user="Docent"),
    ]
    events: list[dict[str, Any]] = [{**e.to_dict(), "traject": tid} for e in made]
    n = rng.randint(1, 1_000_000)
    events[0]["traject_kop"] = {
        "groep": groep, "opleidingsjaar": JAAR, "procedure_id": definition.id,
        "procedure_version": definition.version, "startreden": "signaal_docenten", "categorie": VERZEGELDE_CATEGORIE,
        "koppeling_id": n, "aios_id": n, "opleider_id": n,
        "startdatum_opleiding": (today - dt.timedelta(days=300)).isoformat(), "deeltijdpercentage": 100,
    }
    return events


def _laptop(adres: str, docent: Docent, begin: float, einde: float, pauze: float, seed: int,
            uit: dict[str, Any], slot: threading.Lock) -> None:
    from ontkoppel_desktop.instituut.client import Client, InstituutFout

    client = Client(adres, docent.token, http_toegestaan=True, timeout=60)
    rng = random.Random(seed)
    tijden: dict[str, list[float]] = {"push": [], "pull": []}
    fouten: list[str] = []
    geweigerd = rondes = 0
    na, scope = 0, None

    def haal() -> None:
        nonlocal na, scope
        while True:
            t0 = time.perf_counter()
            pagina = client.haal_op(na, scope)
            if time.monotonic() >= begin:
                tijden["pull"].append(time.perf_counter() - t0)
            na, scope = int(pagina["tot"]), pagina.get("scope_versie")
            if not pagina.get("meer"):
                return

    try:
        haal()  # catch up with the year: before the window, not measured
    except InstituutFout as fout:
        fouten.append(f"inhalen: {fout}")
    tijden["pull"].clear()
    time.sleep(max(0.0, begin - time.monotonic()))
    while time.monotonic() < einde:
        try:
            t0 = time.perf_counter()
            resultaten = client.verstuur(_nieuw_traject(docent.groep_id, rng), na)
            tijden["push"].append(time.perf_counter() - t0)
            geweigerd += sum(r["status"] != "aanvaard" for r in resultaten)
            haal()
            rondes += 1
        except InstituutFout as fout:
            fouten.append(str(fout))
        if pauze:
            time.sleep(rng.uniform(0.5, 1.5) * pauze)
    with slot:
        uit["push"].extend(tijden["push"])
        uit["pull"].extend(tijden["pull"])
        uit["fouten"].extend(fouten)
        uit["geweigerd"] += geweigerd
        uit["rondes"] += rondes


def laad_proces(adres: str, docenten: list[Docent], begin_wall: float, duur: float, pauze: float,
                seed: int) -> dict[str, Any]:
    """One process of the load test: a thread per laptop. `begin_wall` is time.time() of the window's start."""
    begin = time.monotonic() + (begin_wall - time.time())
    uit: dict[str, Any] = {"push": [], "pull": [], "fouten": [], "geweigerd": 0, "rondes": 0}
    slot = threading.Lock()
    threads = [threading.Thread(target=_laptop, args=(adres, d, begin, begin + duur, pauze, seed + i, uit, slot))
               for i, d in enumerate(docenten)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return uit


# ---- the bench -------------------------------------------------------------------------------------------------


def percentiel(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trajecten", type=int, default=2000, help="trajecten of the year (default 2000)")
    parser.add_argument("--docenten", type=int, default=40, help="docent accounts, two per groep (default 40)")
    parser.add_argument("--laptops", type=int, default=None, help="laptops in the load test (default: --docenten)")
    parser.add_argument("--duur", type=float, default=30.0, help="seconds of the load test (default 30)")
    parser.add_argument("--pauze", type=float, default=0.0,
                        help="seconds a laptop waits between syncs in the load test (default 0: back to back)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--processen", type=int, default=4, help="client processes of the load test (default 4)")
    parser.add_argument("--zenders", type=int, default=4, help="docent laptops sending the year at once (default 4)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    laptops = args.laptops or args.docenten
    if laptops > args.docenten:
        parser.error("--laptops cannot exceed --docenten (one laptop per docent account)")

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections
    from figures import Figures
    from tests.instituut.conftest import nieuwe_laptop
    from tests.server.conftest import APP_WACHTWOORD, DB_POORT, EIGENAAR_WACHTWOORD, WACHTWOORD, account, groep

    from ontkoppel_desktop.core.rollen import Rol
    from ontkoppel_desktop.instituut import client as client_module
    from ontkoppel_server import pgcluster
    from ontkoppel_server.inrichting import Inrichting

    figures = Figures()
    figures.note("machine", f"{os.cpu_count()} CPUs, server, PostgreSQL and clients share them")
    started = time.perf_counter()
    with pgcluster.wegwerp(DB_POORT) as cluster:
        for alias in ("default", "eigenaar"):
            settings.DATABASES[alias]["PORT"] = str(cluster.port)
        Inrichting("ontkoppel", "ontkoppel_eigenaar", EIGENAAR_WACHTWOORD, "ontkoppel_app", APP_WACHTWOORD).richt_in(
            cluster.conninfo()
        )
        call_command("migrate", database="eigenaar", verbosity=0)
        db_info = cluster.conninfo(dbname="ontkoppel")

        # Accounts, hashed as the real server hashes (one hash: they share the bench's wachtwoord).
        hashed = make_password(WACHTWOORD, hasher="argon2")
        groepen = [groep(f"Groep {i + 1}", JAAR) for i in range((args.docenten + 1) // 2)]
        docenten = []
        for i in range(args.docenten):
            g = groepen[i // 2]
            acc = account(f"docent{i + 1:02}", (Rol.DOCENTEN, g))
            acc.password = hashed
            acc.save()
            docenten.append(Docent(acc.username, g.pk))
        acc = account("jaarassistent", (Rol.JAARASSISTENT, JAAR))
        acc.password = hashed
        acc.save()
        connections.close_all()

        port = pgcluster.vrije_poort()
        adres = f"http://127.0.0.1:{port}"
        server = start_gunicorn(port, cluster.port, args.workers)
        try:
            t0 = time.perf_counter()

            def aanmelden(d: Docent) -> Docent:
                answer = client_module.Client(adres, None, http_toegestaan=True).aanmelden(
                    d.gebruikersnaam, WACHTWOORD, f"Laptop {d.gebruikersnaam}")
                return Docent(d.gebruikersnaam, d.groep_id, answer["token"])

            with ThreadPoolExecutor(args.workers) as pool:
                docenten = list(pool.map(aanmelden, docenten))
            figures.note(f"{args.docenten} laptops enrolled (Argon2)", f"{time.perf_counter() - t0:8.1f} s")

            # The year, sent by the docenten's laptops.
            t0 = time.perf_counter()
            jaar = maak_jaar(args.trajecten, [g.pk for g in groepen], args.seed)
            gemaakt = time.perf_counter() - t0
            per_docent: dict[str, list[dict[str, Any]]] = {d.gebruikersnaam: [] for d in docenten}
            per_groep: dict[int, list[Docent]] = {}
            for d in docenten:
                per_groep.setdefault(d.groep_id, []).append(d)
            teller: dict[int, int] = {}
            for groep_id, events in jaar:
                van_groep = per_groep[groep_id]
                d = van_groep[teller.get(groep_id, 0) % len(van_groep)]
                teller[groep_id] = teller.get(groep_id, 0) + 1
                per_docent[d.gebruikersnaam].extend(events)
            totaal = sum(len(e) for _, e in jaar)
            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.zenders) as pool:
                verstuurd = list(pool.map(lambda d: stuur_alles(adres, d.token, per_docent[d.gebruikersnaam]),
                                          docenten))
            push_tijd = time.perf_counter() - t0
            verzoeken = sum(v[0] for v in verstuurd)
            aanvaard = sum(v[1] for v in verstuurd)
            geweigerd = sum(v[2] for v in verstuurd)
            figures.note("the year: trajecten, events (5-15 each)",
                         f"{len(jaar)} trajecten, {totaal} events (made in {gemaakt:.1f} s)")
            figures.note("the year pushed by the docenten's laptops",
                         f"{push_tijd:8.1f} s  ({totaal / push_tijd:.0f} events/s, {verzoeken} requests)",
                         f"{args.zenders} laptops at a time")
            figures.note("  accepted / refused", f"{aanvaard} / {geweigerd}", "all accepted")
            size, n_trajecten, n_events = database_size(db_info)
            figures.note("pg_database_size after the year", f"{mib(size):>10}  ({n_trajecten} trajecten, "
                                                             f"{n_events} events)")
            rss = rss_workers(server.pid)
            figures.note("gunicorn workers RSS after the year", f"max {mib(max(rss))}, sum {mib(sum(rss))}",
                         f"{len(rss)} workers")

            # (1) A new laptop's first full sync: the jaarassistent, from scratch into a fresh store.
            gemeten: list[float] = []
            echte_request = client_module.Client.request

            def tellend(self: Any, *a: Any, **k: Any) -> Any:
                t = time.perf_counter()
                try:
                    return echte_request(self, *a, **k)
                finally:
                    gemeten.append(time.perf_counter() - t)

            client_module.Client.request = tellend  # type: ignore[method-assign]
            with tempfile.TemporaryDirectory() as tmp:
                laptop = nieuwe_laptop(Path(tmp) / "jaarassistent.okdb")
                try:
                    t0 = time.perf_counter()
                    laptop.verbind(adres, "jaarassistent")
                    t1 = time.perf_counter()
                    gemeten.clear()
                    verslag = laptop.synchroniseer()
                    sync_tijd = time.perf_counter() - t1
                    if verslag.fout is not None:
                        raise RuntimeError(f"first sync failed: {verslag.fout}")
                    from ontkoppel_desktop.instituut import outbox

                    gedeeld = laptop.store.conn.execute("SELECT count(*) FROM gedeeld_traject").fetchone()[0]
                    gedeelde_events = laptop.store.conn.execute("SELECT count(*) FROM gedeeld_event").fetchone()[0]
                    assert outbox.verbinding(laptop.store.conn) is not None
                finally:
                    laptop.store.close()
            client_module.Client.request = echte_request  # type: ignore[method-assign]
            figures.note("first full sync (jaarassistent, fresh store)",
                         f"{sync_tijd:8.1f} s  ({len(gemeten)} requests)", f"enrolment {t1 - t0:.1f} s before it")
            figures.note("  of which waiting on the server",
                         f"{sum(gemeten):8.1f} s  (p50 {statistics.median(gemeten) * 1000:.0f} ms a page)",
                         "the rest: applying into the store")
            figures.note("  pulled into the store", f"{gedeeld} trajecten, {gedeelde_events} events",
                         f"{n_trajecten} / {n_events} on the server")

            # (2) Many laptops at once.
            n_proc = max(1, min(args.processen, laptops))
            delen = [docenten[i:laptops:n_proc] for i in range(n_proc)]
            begin_wall = time.time() + 5 + laptops * 0.05  # time to spawn and catch up before the window
            context = multiprocessing.get_context("spawn")
            with context.Pool(n_proc) as procs:
                asyncs = [procs.apply_async(laad_proces, (adres, deel, begin_wall, args.duur, args.pauze,
                                                         args.seed + 1000 * i))
                          for i, deel in enumerate(delen)]
                time.sleep(max(0.0, begin_wall - time.time()) + args.duur / 2)
                rss_load = rss_workers(server.pid)
                uitkomsten = [a.get(timeout=args.duur + 600) for a in asyncs]
            push = [t for u in uitkomsten for t in u["push"]]
            pull = [t for u in uitkomsten for t in u["pull"]]
            fouten = [f for u in uitkomsten for f in u["fouten"]]
            alle = push + pull
            rondes = sum(u["rondes"] for u in uitkomsten)
            pauze = f", {args.pauze:g} s between syncs" if args.pauze else ", back to back"
            figures.note(f"{laptops} laptops syncing at once, {args.duur:g} s",
                         f"{len(alle) / args.duur:8.1f} requests/s", f"{args.workers} gunicorn workers{pauze}")
            figures.note("  request time p50 / p95 / p99",
                         f"{percentiel(alle, 50) * 1000:.0f} / {percentiel(alle, 95) * 1000:.0f} / "
                         f"{percentiel(alle, 99) * 1000:.0f} ms", f"n={len(alle)}")
            figures.note("  push (3 events) p50 / p95 / p99",
                         f"{percentiel(push, 50) * 1000:.0f} / {percentiel(push, 95) * 1000:.0f} / "
                         f"{percentiel(push, 99) * 1000:.0f} ms", f"n={len(push)}")
            figures.note("  pull page p50 / p95 / p99",
                         f"{percentiel(pull, 50) * 1000:.0f} / {percentiel(pull, 95) * 1000:.0f} / "
                         f"{percentiel(pull, 99) * 1000:.0f} ms", f"n={len(pull)}")
            figures.note("  syncs completed, errors, refused events",
                         f"{rondes}, {len(fouten)}, {sum(u['geweigerd'] for u in uitkomsten)}", "0 errors")
            for fout in sorted(set(fouten))[:3]:
                print(f"fout: {fout}", file=sys.stderr)

            # (3) Memory and size at the end.
            rss_eind = rss_workers(server.pid)
            size, n_trajecten, n_events = database_size(db_info)
            figures.note("gunicorn workers RSS under load",
                         f"max {mib(max(rss_load or [0]))}, sum {mib(sum(rss_load))}", "halfway the load test")
            figures.note("gunicorn workers RSS at the end", f"max {mib(max(rss_eind))}, sum {mib(sum(rss_eind))}")
            figures.note("pg_database_size at the end", f"{mib(size):>10}  ({n_trajecten} trajecten, "
                                                        f"{n_events} events)")
        finally:
            server.terminate()
            server.wait(20)
            connections.close_all()
    figures.note("whole bench", f"{time.perf_counter() - started:8.1f} s")
    figures.print()
    print(json.dumps({"argumenten": vars(args)}))


if __name__ == "__main__":
    main()
