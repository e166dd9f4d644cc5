"""Bewaartermijnen (issue 13, AVG) on a store ten times an institute: listing what has passed its term, and deleting
100 closed trajecten for good.

Run: .venv/bin/python bench/bench_bewaartermijn.py [--verslagen 20000] [--repeat 3]

The store: bench_app's 10× institute (6 000 aios, 5 000 opleiders, 2 000 trajecten) with its demo verslagen, filled
to --verslagen verslagen (bench_verslagen's generator), built once; each repetition works on a fresh copy of it.
Measured, as the user meets them in Bestand › Bewaartermijnen:
- de lijst: BewaartermijnService.verlopen, ten years on (every closed traject is then past its term);
- verwijderen, 100 trajecten: the whole call the dialog makes, and its parts: the deletion's transaction (rows,
  secure_delete, the search index's optimize, the commit) and the checkpoint that truncates the -wal after it; the
  optimize alone, on the store as built;
- what VACUUM would add (not done by the app: see store/bewaartermijn.py), and the file size before and after;
- secure_delete's cost where it matters every day: the wizard's autosave of a concept (bewaar), with it off and on
  (SQLCipher has it on for every keyed connection, so "aan" is what the app always did).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Collection
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_app import WACHTWOORD  # noqa: E402  (bench/ is on sys.path when run as a script)
from bench_verslagen import build_store, meer_verslagen  # noqa: E402
from figures import Figures  # noqa: E402

from ontkoppel_desktop import paths  # noqa: E402
from ontkoppel_desktop.core.bewaartermijn import TRAJECT, Bewaartermijnen, BewaartermijnService, Verwijderd  # noqa: E402
from ontkoppel_desktop.store.bewaartermijn import SqlBewaartermijnRepository  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402

FIGURES = Figures()
AANTAL = 100


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:8.0f} ms  (max {max(seconds) * 1000:.0f}, n={len(seconds)})"


class GemetenRepository(SqlBewaartermijnRepository):
    """The store's repository, timing its two steps."""

    def __init__(self, store: Store) -> None:
        super().__init__(store.conn)
        self.verwijderen = 0.0
        self.opruimen = 0.0

    def verwijder(self, trajecten: Collection[int], rondes: Collection[int], aios: Collection[int],
                  opleiders: Collection[int]) -> Verwijderd:
        started = time.perf_counter()
        try:
            return super().verwijder(trajecten, rondes, aios, opleiders)
        finally:
            self.verwijderen = time.perf_counter() - started

    def ruim_op(self) -> bool:
        started = time.perf_counter()
        try:
            return super().ruim_op()
        finally:
            self.opruimen = time.perf_counter() - started


def kopie(bron: Path, doel: Path) -> Path:
    shutil.copyfile(bron, doel)
    shutil.copyfile(paths.keys_file_for(bron), paths.keys_file_for(doel))
    return doel


def bench_verwijderen(bron: Path, tmp: Path, today: date, repeat: int) -> None:
    later = today + timedelta(days=10 * 366)
    termijnen = Bewaartermijnen()
    lijst, totaal, transactie, checkpoint, vacuum = [], [], [], [], []
    for i in range(repeat):
        store = Store.open(kopie(bron, tmp / f"kopie{i}.okdb"), WACHTWOORD)
        try:
            voor = store.path.stat().st_size
            started = time.perf_counter()
            items = store.bewaartermijn.verlopen(termijnen, later)
            lijst.append(time.perf_counter() - started)
            trajecten = [i for i in items if i.soort == TRAJECT][:AANTAL]
            if len(trajecten) < AANTAL:
                raise SystemExit(f"maar {len(trajecten)} gesloten trajecten in de opslag")
            verslagen = sum(int(t.inhoud.split(", ")[1].split()[0]) for t in trajecten)
            repo = GemetenRepository(store)
            service = BewaartermijnService(store.transactions, repo)
            started = time.perf_counter()
            gedaan = service.verwijder({t.sleutel for t in trajecten}, termijnen, later)
            totaal.append(time.perf_counter() - started)
            transactie.append(repo.verwijderen)
            checkpoint.append(repo.opruimen)
            assert gedaan.opgeruimd and len(gedaan.verwijderd.trajecten) == AANTAL
            na = store.path.stat().st_size
            started = time.perf_counter()
            store.conn.execute("VACUUM")
            vacuum.append(time.perf_counter() - started)
            gevacuumd = store.path.stat().st_size
        finally:
            store.close()
    FIGURES.note("lijst berekenen (verlopen)", _ms(lijst), "< 1 s")
    FIGURES.note(f"{AANTAL} trajecten verwijderen, totaal", _ms(totaal), "< 5 s")
    FIGURES.note("  waarvan de transactie", _ms(transactie))
    FIGURES.note("  waarvan checkpoint (TRUNCATE)", _ms(checkpoint))
    FIGURES.note("  met: verslagen, gebeurtenissen, bijlagen", f"{verslagen} verslagen, "
                 f"{gedaan.verwijderd.gebeurtenissen} gebeurtenissen, {gedaan.verwijderd.bijlagen} bijlagen")
    FIGURES.note("VACUUM daarna (niet gedaan)", _ms(vacuum))
    FIGURES.note("bestand voor / na / na VACUUM", f"{voor / 2**20:.1f} / {na / 2**20:.1f} / "
                                                  f"{gevacuumd / 2**20:.1f} MiB")


def bench_optimize(bron: Path, tmp: Path, repeat: int) -> None:
    """The search index's merge alone (part of every deletion of verslagen), on the store as built."""
    times = []
    for i in range(repeat):
        store = Store.open(kopie(bron, tmp / f"optimize{i}.okdb"), WACHTWOORD)
        try:
            started = time.perf_counter()
            with store.transactions.transaction():
                store.conn.execute("INSERT INTO verslag_zoek (verslag_zoek) VALUES ('optimize')")
            times.append(time.perf_counter() - started)
        finally:
            store.close()
    FIGURES.note("  zoekindex samenvoegen (optimize) alleen", _ms(times))


def bench_secure_delete(bron: Path, tmp: Path, today: date, repeat: int) -> None:
    """The wizard's autosave on a concept, a few characters more each time, with secure_delete off and on."""
    store = Store.open(kopie(bron, tmp / "autosave.okdb"), WACHTWOORD)
    try:
        svc = store.verslagen
        traject = next(t for t in store.trajecten.all() if not t.closed and t.id is not None)
        assert traject.id is not None
        vid = svc.nieuw(traject.id, "driehoeksgesprek", auteur="Bench", today=today).created
        assert isinstance(vid, int)
        antwoorden = dict(svc.get(vid).antwoorden)
        tekst = "Een zin over de samenwerking in de praktijk en wat er anders kan. " * 1500  # ~ 30 pagina's
        for stand in ("OFF", "ON"):
            store.conn.execute(f"PRAGMA secure_delete = {stand}")
            times = []
            for n in range(repeat * 20):
                antwoorden["aanleiding"] = tekst + "x" * n
                started = time.perf_counter()
                svc.bewaar(vid, antwoorden, 1, auteur="Bench")
                times.append(time.perf_counter() - started)
            FIGURES.note(f"concept opslaan (30 p.), secure_delete {stand.lower()}", _ms(times), "< 20 ms")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verslagen", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as name:
        tmp = Path(name)
        bron = tmp / "instituut-10x.okdb"
        store = build_store(bron, today)
        meer_verslagen(store, today, args.verslagen)
        FIGURES.note("opslag (10×)", f"{bron.stat().st_size / 2**20:8.1f} MiB, "
                                     f"{store.conn.execute('SELECT count(*) FROM verslag').fetchone()[0]} verslagen, "
                                     f"{store.conn.execute('SELECT count(*) FROM traject').fetchone()[0]} trajecten, "
                                     f"{store.conn.execute('SELECT sum(gesloten) FROM traject').fetchone()[0]} "
                                     "gesloten")
        store.close()
        bench_verwijderen(bron, tmp, today, args.repeat)
        bench_optimize(bron, tmp, args.repeat)
        bench_secure_delete(bron, tmp, today, args.repeat)
    FIGURES.print()


if __name__ == "__main__":
    main()
