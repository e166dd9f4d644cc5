"""The crash test at length (issue 12): kill -9 a child that writes through the real services, and one that changes
the wachtwoord back and forth, at random moments, as often as asked; after each kill reopen the store and check it.

Run: .venv/bin/python tools/fault_kill.py [--kills 100] [--seed N] [--wachtwoord | --schrijven] [--map DIR] [-v]
(both runs unless one is chosen; a temporary folder unless --map). Prints per run: kills, acknowledged writes, lost
writes (must be 0), integrity failures (must be 0), the temporary key files kills left, and the time of a reopen.
Exit code 1 when anything was lost or damaged. The child and the checks are those of tests/faults/test_crash_kill.py
(tests/faults/crash_child.py), which runs 20 kills of each in CI.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the child and the checks live with the tests

from tests.conftest import FAST_KDF, WACHTWOORD  # noqa: E402
from tests.faults.crash_child import PREFIX, Figures, kill_wachtwoord_changes, kill_writes, write_cases  # noqa: E402

from ontkoppel_desktop.store.store import Store  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="kills per run (default 100)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the random delays (default: a new one)")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--wachtwoord", action="store_true", help="only the wachtwoord-change run")
    only.add_argument("--schrijven", action="store_true", help="only the write run")
    parser.add_argument("--map", type=Path, default=None, help="keep the stores in this (empty) folder")
    parser.add_argument("--venster", type=float, default=0.35,
                        help="a kill comes up to this many seconds after the child opened the store (default 0.35)")
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per kill")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    with tempfile.TemporaryDirectory(prefix="fault-kill-") as tmp:
        # Nothing of the app's own (settings) is touched: everything below a throwaway home.
        os.environ["ONTKOPPEL_HOME"] = str(Path(tmp) / "home")
        folder = args.map or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        return _run(args, seed, folder)


def _run(args: argparse.Namespace, seed: int, folder: Path) -> int:
    log: Callable[[str], None] = print if args.verbose else (lambda _: None)
    print(f"python tools/fault_kill.py --kills {args.kills} --seed {seed}"
          + (" --wachtwoord" if args.wachtwoord else " --schrijven" if args.schrijven else ""))
    results: list[tuple[Figures, float]] = []
    if not args.wachtwoord:
        path = folder / "schrijven.okdb"
        Store.create(path, WACHTWOORD, FAST_KDF).store.close()
        started = time.perf_counter()
        results.append((kill_writes(path, WACHTWOORD, args.kills, seed, args.venster, log),
                        time.perf_counter() - started))
    if not args.schrijven:
        path = folder / "wachtwoord.okdb"
        store = Store.create(path, WACHTWOORD, FAST_KDF).store
        write_cases(store, PREFIX, 3)
        store.close()
        started = time.perf_counter()
        results.append((kill_wachtwoord_changes(path, WACHTWOORD, args.kills, seed, args.venster, log),
                        time.perf_counter() - started))
    _print(results)
    return 1 if any(f.problems or f.lost or f.integrity_failures for f, _ in results) else 0


def _print(results: list[tuple[Figures, float]]) -> None:
    rows = [("", "kills", "while opening", "acknowledged", "in flight", "lost", "integrity failures",
             "temp key files", "reopen median", "reopen max", "run")]
    for figures, seconds in results:
        reopen = figures.reopen_seconds or [0.0]
        rows.append((
            figures.kind, str(figures.kills), str(figures.killed_before_ready), str(figures.acknowledged),
            str(figures.in_flight), str(figures.lost), str(figures.integrity_failures),
            str(figures.temp_files_left) if figures.kind == "wachtwoord" else "-",
            f"{statistics.median(reopen) * 1000:.1f} ms", f"{max(reopen) * 1000:.1f} ms", f"{seconds:.0f} s",
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths,
                                                                                                 strict=True))))
    for figures, _ in results:
        for problem in figures.problems:
            print(f"{figures.kind}: {problem}")


if __name__ == "__main__":
    sys.exit(main())
