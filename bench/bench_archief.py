"""Figures for the archive export on a store of 10× an institute: 500 definitief verslagen to PDF, and to Word.

Run: .venv/bin/python bench/bench_archief.py          (builds the store first: about two minutes)

The store is bench_verslagen's: bench_app's 10× institute with the demo's verslagen, brought to 20 000 verslagen
(three quarters definitief, afgerond over the last 400 days). The period is chosen so that it holds the newest
500 definitief verslagen (a little more when several were afgerond on its first day). Measured, as the headless
command does it (one thread):
- kiezen: the verslagen of the period (core.verslagen.archief.kies_periode: the Verslagen list's rows, then each
  candidate read for its date afgerond), and of all 20 000 for comparison;
- plan: the names of every file (maak_plan);
- schrijven: every file written (documents.archief.schrijf_archief): the content read from the store per verslag
  (InhoudLezer: the verslag's documents built, its bijlagen read), each document rendered and written whole
  (atomic.write_atomic, with fsync); total, per file, and the share of reading, rendering and writing;
- geëxporteerd: the 500 recorded in one transaction (VerslagService.zet_geexporteerd).
The files go to a temporary folder on the same disk as the store.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_verslagen import build_store, meer_verslagen  # noqa: E402  (bench/ is on sys.path as a script)
from figures import Figures  # noqa: E402

from ontkoppel_desktop import atomic  # noqa: E402
from ontkoppel_desktop.core.verslagen.archief import ArchiefStuk, Formaat, kies_periode, maak_plan  # noqa: E402
from ontkoppel_desktop.documents.archief import InhoudLezer, VerslagInhoud, schrijf_archief  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402

FIGURES = Figures()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def bench_export(store: Store, out: Path, aantal: int, today: date, formaten: tuple[Formaat, ...]) -> None:
    service = store.verslagen
    started = time.perf_counter()
    alle = kies_periode(service, None, None, today)
    FIGURES.note(f"kiezen: alle definitieve ({len(alle)})", _ms(time.perf_counter() - started))
    dagen = sorted((a.verslag.afgerond_op.astimezone().date() for a in alle if a.verslag.afgerond_op), reverse=True)
    van = dagen[min(aantal, len(dagen)) - 1]
    started = time.perf_counter()
    gekozen = kies_periode(service, van, today, today)
    label = "/".join(f.label for f in formaten)
    FIGURES.note(f"kiezen: periode {van:%d-%m-%Y} t/m vandaag ({len(gekozen)})", _ms(time.perf_counter() - started))
    started = time.perf_counter()
    plan = maak_plan(gekozen, out / label, formaten)
    FIGURES.note(f"plan {label}: {plan.aantal_bestanden} bestanden", _ms(time.perf_counter() - started))

    lezen = [0.0]
    schrijven = [0.0]
    lezer = InhoudLezer(service, store.bijlagen, today)

    def lees(stuk: ArchiefStuk) -> VerslagInhoud:
        t = time.perf_counter()
        try:
            return lezer(stuk)
        finally:
            lezen[0] += time.perf_counter() - t

    echt: Callable[[Path, bytes], None] = atomic.write_atomic

    def write(path: Path, data: bytes) -> None:
        t = time.perf_counter()
        try:
            echt(path, data)
        finally:
            schrijven[0] += time.perf_counter() - t

    atomic.write_atomic = write  # type: ignore[assignment]  # timed, for the share of writing
    try:
        started = time.perf_counter()
        resultaat = schrijf_archief(plan, lees)
        total = time.perf_counter() - started
    finally:
        atomic.write_atomic = echt  # type: ignore[assignment]
    assert resultaat.aantal == plan.aantal_bestanden and not resultaat.gestopt
    renderen = total - lezen[0] - schrijven[0]
    n = resultaat.aantal
    grootte = sum(p.stat().st_size for p in resultaat.geschreven) / 2**20
    FIGURES.note(f"schrijven {label}: {plan.aantal_verslagen} verslagen, {n} bestanden ({grootte:.0f} MiB)",
                 f"{total:8.1f} s", "")
    FIGURES.note(f"  per bestand {label}", _ms(total / n))
    FIGURES.note(f"  per verslag {label}", _ms(total / plan.aantal_verslagen))
    FIGURES.note(f"  lezen / renderen / schrijven {label}",
                 f"{lezen[0] / total:.0%} / {renderen / total:.0%} / {schrijven[0] / total:.0%}")
    started = time.perf_counter()
    service.zet_geexporteerd(resultaat.klaar, today)
    FIGURES.note(f"geëxporteerd vastleggen ({len(resultaat.klaar)})", _ms(time.perf_counter() - started))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verslagen", type=int, default=20_000, help="verslagen in the store")
    parser.add_argument("--aantal", type=int, default=500, help="definitief verslagen to export")
    parser.add_argument("--zonder-word", action="store_true", help="PDF only")
    args = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as tmp:
        store = build_store(Path(tmp) / "instituut-10x.okdb", today)
        started = time.perf_counter()
        extra = meer_verslagen(store, today, args.verslagen)
        total = store.conn.execute("SELECT count(*) FROM verslag").fetchone()[0]
        print(f"{extra} verslagen erbij in {time.perf_counter() - started:.0f} s: {total} verslagen", flush=True)
        out = Path(tmp) / "export"
        bench_export(store, out, args.aantal, today, (Formaat.PDF,))
        if not args.zonder_word:
            bench_export(store, out, args.aantal, today, (Formaat.WORD,))
        store.close()
    FIGURES.print()


if __name__ == "__main__":
    main()
