"""Automatic back-ups and Sleutel vernieuwen on a store ten times an institute (issue 13).

Run: .venv/bin/python bench/bench_backup.py [--verslagen 20000] [--repeat 5]

The store: bench_app's 10× institute (6 000 aios, 5 000 opleiders, 2 000 trajecten) with its demo verslagen, then
filled to --verslagen verslagen (bench_verslagen's generator). Measured, as the user meets them:
- the daily back-up (a snapshot through SQLite's backup API plus the key file and rotation), on its worker thread:
  the time it takes, and how long a write on the user's thread waits meanwhile (it should not);
- the back-up on closing (the same, on the UI thread, while the app quits);
- its size, and the store's;
- Back-up terugzetten (copy and renames, the store closed);
- Sleutel vernieuwen (re-encrypting the whole store), which the user waits for with a busy cursor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_app import WACHTWOORD  # noqa: E402  (bench/ is on sys.path when run as a script)
from bench_verslagen import build_store, meer_verslagen  # noqa: E402
from figures import Figures  # noqa: E402

from ontkoppel_desktop.core.personen import Aios, Naam  # noqa: E402
from ontkoppel_desktop.store import backups  # noqa: E402
from ontkoppel_desktop.store.keys import KdfParams  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402

FIGURES = Figures()


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:8.0f} ms  (max {max(seconds) * 1000:.0f}, n={len(seconds)})"


def bench_backup(store: Store, folder: Path, repeat: int) -> backups.Backup:
    times, waits = [], []
    made = None
    for i in range(repeat):
        taak = store.backup_taak(folder / f"run{i}")
        done = threading.Event()
        started = time.perf_counter()

        def run(taak: Callable[[], backups.Backup] = taak, done: threading.Event = done) -> None:
            nonlocal made
            made = taak()
            done.set()

        thread = threading.Thread(target=run)
        thread.start()
        # Meanwhile the user saves: how long does one save take while the back-up runs?
        while not done.is_set():
            t = time.perf_counter()
            store.personen.save_aios(Aios(Naam("Bench", "", f"Tijdens{i}"), 1, date(2026, 3, 1)))
            waits.append(time.perf_counter() - t)
        thread.join()
        times.append(time.perf_counter() - started)
    FIGURES.note("dagelijkse back-up (werkdraad)", _ms(times))
    FIGURES.note("opslaan tijdens een back-up", _ms(waits), "< 50 ms")
    assert made is not None
    return made


def bench_bij_afsluiten(store: Store, folder: Path, repeat: int) -> None:
    times = []
    for i in range(repeat):
        started = time.perf_counter()
        store.backup_taak(folder / f"dicht{i}")()
        times.append(time.perf_counter() - started)
    FIGURES.note("back-up bij afsluiten", _ms(times))


def bench_terugzetten(made: backups.Backup, tmp: Path, repeat: int) -> None:
    times = []
    for i in range(repeat):
        target = tmp / f"terug{i}" / "opslag.okdb"
        target.parent.mkdir()
        started = time.perf_counter()
        backups.zet_terug(made, target, dt.datetime.now())
        times.append(time.perf_counter() - started)
    FIGURES.note("back-up terugzetten", _ms(times))


def bench_vernieuwen(store: Store, repeat: int) -> None:
    times = []
    huidig, ander = WACHTWOORD, "Bench-vernieuwd-Tulp-Molen-7"
    kdf = KdfParams(time_cost=1, memory_kib=8 * 1024)  # the derivation is not what is measured here
    for _ in range(repeat):
        vernieuwing = store.bereid_sleutel_vernieuwing(huidig, ander, kdf=kdf)
        started = time.perf_counter()
        vernieuwing.voltooi()
        times.append(time.perf_counter() - started)
        huidig, ander = ander, huidig
    FIGURES.note("sleutel vernieuwen (opnieuw versleutelen)", _ms(times))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verslagen", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as name:
        tmp = Path(name)
        store = build_store(tmp / "instituut-10x.okdb", today)
        meer_verslagen(store, today, args.verslagen)
        store.close()
        store = Store.open(tmp / "instituut-10x.okdb", WACHTWOORD)
        FIGURES.note("opslag (10×)", f"{store.path.stat().st_size / 2**20:8.1f} MiB, "
                                     f"{store.conn.execute('SELECT count(*) FROM verslag').fetchone()[0]} verslagen")
        made = bench_backup(store, tmp / "backups", args.repeat)
        FIGURES.note("grootte back-up", f"{made.grootte / 2**20:8.1f} MiB (+ sleutelbestand "
                                        f"{made.sleutel.stat().st_size} bytes)")
        bench_bij_afsluiten(store, tmp / "backups", args.repeat)
        bench_vernieuwen(store, args.repeat)
        store.close()
        bench_terugzetten(made, tmp, args.repeat)
    FIGURES.print()


if __name__ == "__main__":
    main()
