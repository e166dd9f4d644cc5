"""The koppel command against a bare script (issue 8). Run: .venv/bin/python bench/bench_koppel_cli.py [runs]

For a ronde of 60 aios x 80 opleiders and one of 1000 x 1200 (the demo generator, written by the app's own
`write_ronde`), each run in a fresh process, end to end:

- the command: `python -m ontkoppel_desktop koppel RONDE.xlsx --uitslag UITSLAG.xlsx` (reads and validates the
  ronde, solves the three goals, explains every koppeling, writes four sheets);
- a bare script: reads the ids, capaciteiten and scores with openpyxl (read-only, values only), solves one
  assignment with `scipy.optimize.linear_sum_assignment`, writes the pairs with openpyxl. No rules, no
  explanation: the least a script can do and still koppel the ronde;
- the same bare script with scipy's solver loaded as the app loads it (its own extension module, not all of
  scipy.optimize; through the app's `solver.linear_sum_assignment`, which imports the core.koppelplanner package):
  a stricter floor.

The median of the runs (runs interleaved, after one warm-up each) and command / script. Target: ratio <= 1.0
against the bare script.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ontkoppel_desktop.demo.rondes import maak_demo_ronde
from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde

SIZES = ((60, 80, 1), (1000, 1200, 2))

_BARE = '''
import sys

import numpy as np
from openpyxl import Workbook, load_workbook
{solver}

ronde, uitslag = sys.argv[1], sys.argv[2]
book = load_workbook(ronde, read_only=True, data_only=True)


def rows(title):
    values = book[title].iter_rows(values_only=True)
    header = [str(v).strip().lower() for v in next(values)]
    return header, [row for row in values if row and row[0] is not None]


header, aios_rows = rows("Aios")
aios = [row[header.index("id")] for row in aios_rows]
header, opleider_rows = rows("Opleiders")
capaciteit = {{row[header.index("id")]: int(row[header.index("capaciteit")] or 1) for row in opleider_rows}}
header, bezoeken = rows("Voorkeuren")
a, o, s = header.index("aios"), header.index("opleider"), header.index("score")
scores = {{(row[a], row[o]): row[s] for row in bezoeken}}
book.close()

slots = [opleider for opleider, n in capaciteit.items() for _ in range(n)]
row_of = {{aios_id: i for i, aios_id in enumerate(aios)}}
columns_of = {{}}
for j, opleider in enumerate(slots):
    columns_of.setdefault(opleider, []).append(j)
NOT_VISITED = 100.0
cost = np.full((len(aios), len(slots)), NOT_VISITED)
for (aios_id, opleider), score in scores.items():
    if aios_id in row_of and opleider in columns_of:
        cost[row_of[aios_id], columns_of[opleider]] = score
rows_found, columns_found = linear_sum_assignment(cost)

out = Workbook()
sheet = out.active
sheet.title = "Uitslag"
sheet.append(["aios", "opleider", "score"])
for i, j in zip(rows_found.tolist(), columns_found.tolist()):
    if cost[i, j] < NOT_VISITED:
        sheet.append([aios[i], slots[j], int(cost[i, j])])
out.save(uitslag)
'''

SCRIPTS = {
    "kaal script": _BARE.format(solver="from scipy.optimize import linear_sum_assignment"),
    "kaal script, solver licht geladen": _BARE.format(
        solver="from ontkoppel_desktop.core.koppelplanner.solver import linear_sum_assignment as _load\n\n"
        "linear_sum_assignment = _load()"
    ),
}


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} faalde ({result.returncode}):\n{result.stderr}")
    return seconds


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        scripts = {}
        for name, text in SCRIPTS.items():
            scripts[name] = folder / f"{len(scripts)}_bare.py"
            scripts[name].write_text(text, encoding="utf-8")
        print(f"Koppel-commando tegen een kaal script; mediaan van {runs} runs, elk een nieuw proces.\n")
        print(f"{'ronde':<12} {'wat':<36} {'mediaan':>9} {'min':>9}  {'commando / wat':>14}")
        print("-" * 86)
        for n_aios, n_opleiders, seed in SIZES:
            ronde = folder / f"ronde-{n_aios}.xlsx"
            write_ronde(ronde, maak_demo_ronde(n_aios, n_opleiders, seed=seed))
            commands = {
                "commando koppel --uitslag": [
                    sys.executable, "-m", "ontkoppel_desktop", "koppel", str(ronde), "--uitslag",
                    str(folder / "uitslag.xlsx"),
                ],
                **{name: [sys.executable, str(path), str(ronde), str(folder / "paren.xlsx")]
                   for name, path in scripts.items()},
            }
            times: dict[str, list[float]] = {name: [] for name in commands}
            for argv in commands.values():
                _run(argv)  # warm-up: the file cache, compiled bytecode
            for _ in range(runs):
                for name, argv in commands.items():
                    times[name].append(_run(argv))
            command = statistics.median(times["commando koppel --uitslag"])
            for name, seconds in times.items():
                median = statistics.median(seconds)
                ratio = "" if name.startswith("commando") else f"{command / median:.2f}"
                print(f"{f'{n_aios} x {n_opleiders}':<12} {name:<36} {median * 1000:7.0f} ms "
                      f"{min(seconds) * 1000:6.0f} ms  {ratio:>14}")
        print("\nDoel: commando / kaal script <= 1,0 voor beide rondes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
