"""What SQLCipher's `cipher_memory_security` costs (issue 13): the app's figures with it off and on.

Run: .venv/bin/python bench/bench_geheugen.py      (1× and 10× an institute, about 10 minutes; --runs N, default 7;
     --sizes 10 for 10× only)

With memory security on, SQLCipher wipes every piece of memory SQLite frees (and locks its own key material in
memory), so pages, rows and keys it read do not linger in freed memory; it is off by default since SQLCipher 4.5
because of the cost. The setting is global to the process and cannot be switched off once on, so each figure comes
from a fresh process in one mode, the two modes taking turns (off, on, off, on...) so that a drift of the machine
touches both alike:
- bench_app's figures, measured by its own `drive` on its own stores (start → unlock window, Enter → main window
  painted, the Trajecten share of it, first open of Taken, Personen and the Koppelplanner, recording a gebeurtenis,
  memory), with its targets (issue 7);
- and what the store does at the lock's other side, on the same stores: opening with the full check of the file
  (every page decrypted and checked; after unlocking every save waits for it, in the background), reading every
  open task as Taken does, and a back-up (SQLCipher's export: every page decrypted and encrypted again).
"On" is the app's own setting when store/database.py sets the pragma; "off" replaces that one statement by a no-op
in the measured process (the process has no other way back). Each child reports the mode it ran in, and the table
is refused if one ran in the wrong mode.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_app import ROWS, WACHTWOORD, Omvang, build, drive  # noqa: E402  (bench/ is on sys.path as a script)

MODES = ("uit", "aan")
# Beyond bench_app's rows: the store's own work (ms), median of a few in each process.
STORE_ROWS = (
    ("open_check", "opslag openen met volledige controle (zonder Argon2id)", ""),
    ("taken_lezen", "alle open taken lezen (Taken)", ""),
    ("backup", "back-up maken (export, elke pagina opnieuw versleuteld)", ""),
)


def set_mode(mode: str) -> None:
    """Before anything opens a store: memory security on for the whole process, or the app's pragma made a
    no-op (see the module's docstring)."""
    import sqlcipher3

    if mode == "aan":
        sqlcipher3.connect(":memory:").execute("PRAGMA cipher_memory_security = ON")
        return
    real_connect = sqlcipher3.connect

    class WithoutMemorySecurity(sqlcipher3.Connection):  # type: ignore[misc, name-defined]
        def execute(self, sql: str, *args: Any) -> Any:
            if "cipher_memory_security" in sql.lower() and "=" in sql:
                return super().execute("SELECT 1")
            return super().execute(sql, *args)

    def connect(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("factory", WithoutMemorySecurity)
        return real_connect(*args, **kwargs)

    sqlcipher3.connect = connect


def active_mode() -> str:
    import sqlcipher3

    on = sqlcipher3.connect(":memory:").execute("PRAGMA cipher_memory_security").fetchone()[0]
    return "aan" if str(on) == "1" else "uit"


def store_figures(path: Path, repeat: int = 5) -> dict[str, float]:
    """The store's own work, in this process (the key derived once, not timed)."""
    from ontkoppel_desktop.store.store import Store
    from ontkoppel_desktop.ui.trajecten.common import today

    key_file = Store.read_key_file(path)
    data_key = key_file.unwrap_wachtwoord(WACHTWOORD)
    started = time.perf_counter()
    store = Store.open_with_key(path, key_file, data_key)
    out = {"open_check": time.perf_counter() - started}
    day = today()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        store.trajecten.taken(day)
        times.append(time.perf_counter() - started)
    out["taken_lezen"] = statistics.median(times)
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-backup-") as folder:
        started = time.perf_counter()
        store.backup(Path(folder) / "kopie.okdb")
        out["backup"] = time.perf_counter() - started
    store.close()
    return out


def child(args: argparse.Namespace) -> None:
    set_mode(args.mode)
    result = drive(args.drive, args.think) if args.what == "app" else store_figures(args.drive)
    result["modus"] = active_mode()  # type: ignore[assignment]
    print(json.dumps(result), flush=True)


def run(path: Path, what: str, mode: str, think: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-home-") as home:
        env = dict(os.environ, ONTKOPPEL_HOME=home, BENCH_SPAWNED_AT=repr(time.time()))
        done = subprocess.run([sys.executable, str(Path(__file__)), "--drive", str(path), "--what", what,
                               "--mode", mode, "--think", str(think)],
                              env=env, capture_output=True, text=True, timeout=600)
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"run failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(lines[-1])
    if result.pop("modus") != mode:
        raise SystemExit(f"a run meant to have memory security {mode} ran without: the figures would lie")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drive", type=Path)
    parser.add_argument("--what", choices=("app", "store"), default="app")
    parser.add_argument("--mode", choices=MODES, default="uit")
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1,10", help="factors of an institute, e.g. 10 for 10× only")
    args = parser.parse_args()
    if args.drive:
        child(args)
        return
    today = date.today()
    # results[size][mode] = one dict per run
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as tmp:
        for omvang in (Omvang(f"{factor}×", factor) for factor in map(int, args.sizes.split(","))):
            path = Path(tmp) / f"instituut-{omvang.factor}x.okdb"
            began = time.perf_counter()
            build(path, omvang, today)
            print(f"{omvang.naam}: {omvang.aios} aios, {omvang.opleiders} opleiders, {omvang.trajecten} trajecten; "
                  f"{path.stat().st_size / 2**20:.1f} MiB, gebouwd in {time.perf_counter() - began:.0f} s", flush=True)
            per_mode: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
            for i in range(args.runs):
                for mode in (MODES if i % 2 == 0 else MODES[::-1]):
                    figures = run(path, "app", mode, args.think)
                    figures.update(run(path, "store", mode, args.think))
                    per_mode[mode].append(figures)
            results[omvang.naam] = per_mode
    print_table(results, args.runs)


def print_table(results: dict[str, dict[str, list[dict[str, float]]]], runs: int) -> None:
    rows = [(key, label, target, scale) for key, label, target, scale in ROWS]
    rows += [(key, label, target, 1000) for key, label, target in STORE_ROWS]
    width = max(len(r[1]) for r in rows)
    sizes = list(results)
    head = "".join(f"{f'{size} uit':>11}{f'{size} aan':>11}{'verschil':>10}" for size in sizes)
    print()
    print(f"{f'meting (mediaan van {runs} processen per modus)':<{width}}  {head}  doel")
    for key, label, target, scale in rows:
        cells = []
        for size in sizes:
            off, on = (statistics.median(r[key] * scale for r in results[size][mode]) for mode in MODES)
            unit = "MiB" if key.startswith("rss") else "ms"
            cells.append(f"{off:>7.0f} {unit:<3}{on:>7.0f} {unit:<3}{(on - off) / off * 100 if off else 0:>+9.0f}%")
        print(f"{label:<{width}}  " + "".join(cells) + f"  {target}")


if __name__ == "__main__":
    main()
