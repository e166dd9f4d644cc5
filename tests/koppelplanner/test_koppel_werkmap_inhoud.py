"""The workbooks the app writes say exactly what they said before their writers were made fast (issue 8): every
cell value of every sheet of the template, of a ronde, and of the uitslag of the optimum and of one made on the board
(a pin on an uitzondering, the rest optimised around it, one aios placed by hand), against a copy recorded from the
earlier writers.

After a deliberate change of the content, record it again: `python tests/koppelplanner/test_koppel_werkmap_inhoud.py`.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from ontkoppel_desktop.core.koppelplanner import Koppelplanner, Ronde, Uitleg, Uitslag
from ontkoppel_desktop.demo.rondes import maak_demo_ronde
from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde
from ontkoppel_desktop.exchange.ronde_sjabloon import write_template
from ontkoppel_desktop.exchange.uitslag_schrijven import write_uitslag

RECORDED = Path(__file__).with_name("data") / "werkmap_inhoud.json"


def _cases() -> dict[str, tuple[Ronde, Uitslag, Uitleg]]:
    ronde = maak_demo_ronde(24, 20, seed=1, vastzettingen=1, uitzonderingen=2)
    planner = Koppelplanner(ronde)
    optimum = planner.solve()
    pins = {(u.aios_id, u.opleider_id) for u in ronde.uitzonderingen[:1]}
    rest = planner.solve(pins)
    toewijzing = rest.toewijzing
    vrij = next(o.id for o in ronde.opleiders if o.id not in toewijzing.values() and not o.blokkade)
    toewijzing[rest.ongekoppeld[0]] = vrij
    herkomst = {k.aios_id: k.herkomst for k in rest.koppelingen}
    bord = planner.uitslag_van(toewijzing, pins, herkomst)
    return {
        "optimum": (ronde, optimum, planner.explain(optimum)),
        "bord": (ronde, bord, planner.explain(bord)),
    }


def _content(path: Path) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [[v.isoformat() if isinstance(v, date) else v for v in row]
                       for row in ws.iter_rows(values_only=True)]
            for ws in workbook.worksheets
        }
    finally:
        workbook.close()


def _written(folder: Path) -> dict[str, dict[str, list[list[Any]]]]:
    write_template(folder / "sjabloon.xlsx")
    content = {"sjabloon": _content(folder / "sjabloon.xlsx")}
    for name, (ronde, uitslag, uitleg) in _cases().items():
        path = folder / f"{name}.xlsx"
        write_uitslag(path, ronde, uitslag, uitleg)
        content[name] = _content(path)
        if name == "optimum":
            write_ronde(folder / "ronde.xlsx", ronde)
            content["ronde"] = _content(folder / "ronde.xlsx")
    return content


def test_the_workbooks_say_what_they_said(tmp_path):
    assert _written(tmp_path) == json.loads(RECORDED.read_text(encoding="utf-8"))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        RECORDED.write_text(json.dumps(_written(Path(folder)), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.exit(0)
