"""Mirroring the institute's Personen into a laptop's own (issue 17, instituut/spiegel.py) at 10× an institute.

Run: .venv/bin/python bench/bench_spiegel.py [--herhaal 5]

The store is bench_app's 10× institute (6 000 aios with their koppelingen, opleiders and praktijken). Its Personen
are copied into the institute's copy (`inst_*`) under other ids, as a manager opleiders' laptop would pull them
(they see everyone), so that the mirror must find each of the laptop's own rows by name. Measured, median of
--herhaal runs on a fresh copy of the store each:
1. the first mirror after connecting: every row linked (or added, where namesakes make a link a guess);
2. the next synchronisation with nothing changed: everything read and compared, nothing written;
3. one aios renamed at the institute: what a usual synchronisation costs.
This runs on the UI thread after a pull (sync.verwerk), so it is time the user waits.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import WACHTWOORD, Omvang, build  # noqa: E402  (bench/ is on sys.path when run as a script)

_KOPIE = (
    "INSERT INTO inst_groep (id, naam, opleidingsjaar) SELECT id + 100000, naam, opleidingsjaar FROM groep",
    "INSERT INTO inst_praktijk (id, naam, plaats, gearchiveerd, versie) SELECT id + 100000, naam, plaats, "
    "gearchiveerd, 1 FROM praktijk",
    "INSERT INTO inst_opleider (id, voornaam, tussenvoegsel, achternaam, praktijk, gearchiveerd, versie) SELECT "
    "id + 100000, voornaam, tussenvoegsel, achternaam, praktijk_id + 100000, gearchiveerd, 1 FROM opleider",
    "INSERT INTO inst_aios (id, voornaam, tussenvoegsel, achternaam, opleidingsjaar, startdatum_opleiding, "
    "deeltijdpercentage, groep, gearchiveerd, versie) SELECT id + 100000, voornaam, tussenvoegsel, achternaam, "
    "opleidingsjaar, startdatum_opleiding, deeltijdpercentage, groep_id + 100000, gearchiveerd, 1 FROM aios",
    "INSERT INTO inst_koppeling (id, aios, opleider, startdatum, einddatum, versie) SELECT id + 100000, "
    "aios_id + 100000, opleider_id + 100000, startdatum, einddatum, 1 FROM koppeling WHERE gearchiveerd = 0",
)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.0f} ms  (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--herhaal", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["ONTKOPPEL_HOME"] = tmp
        from ontkoppel_desktop.instituut import spiegel
        from ontkoppel_desktop.store.database import transaction
        from ontkoppel_desktop.store.store import Store

        bron = Path(tmp) / "bron.okdb"
        build(bron, Omvang("10×", 10), date.today())
        store = Store.open(bron, WACHTWOORD)
        with transaction(store.conn):
            for sql in _KOPIE:
                store.conn.execute(sql)
            # Connected, with the copy pulled up to versie 1 (no server is asked: the mirror is local work).
            store.conn.execute("INSERT INTO instituut (id, server, account, laptop_id, token, verbonden_op, "
                               "personen_versie) VALUES (1, 'https://instituut.invalid', 'mo', 'bench', 'bench', "
                               "'2026-12-01T09:00:00', 1)")
        tellen = {t: store.conn.execute(f"SELECT count(*) FROM inst_{t}").fetchone()[0]  # noqa: S608
                  for t in spiegel.TABELLEN}
        store.close()
        print("copy:", ", ".join(f"{n} {t}" for t, n in tellen.items()))
        eerste, niets, een = [], [], []
        gekoppeld = toegevoegd = 0
        for i in range(args.herhaal):
            pad = Path(tmp) / f"run{i}.okdb"
            for suffix in ("", ".sleutel"):
                if Path(f"{bron}{suffix}").exists():
                    shutil.copy(f"{bron}{suffix}", f"{pad}{suffix}")
            store = Store.open(pad, WACHTWOORD)
            voor = store.conn.execute("SELECT count(*) FROM aios").fetchone()[0]
            begin = time.perf_counter()
            overname = spiegel.neem_over(store.conn)
            eerste.append(time.perf_counter() - begin)
            na = store.conn.execute("SELECT count(*) FROM aios").fetchone()[0]
            toegevoegd = na - voor
            gekoppeld = store.conn.execute("SELECT count(*) FROM aios WHERE instituut_id IS NOT NULL").fetchone()[0]
            begin = time.perf_counter()
            spiegel.neem_over(store.conn)
            niets.append(time.perf_counter() - begin)
            store.conn.execute("UPDATE inst_aios SET achternaam = achternaam || '-Bos', versie = 2 WHERE id = "
                               "(SELECT min(id) FROM inst_aios)")
            store.conn.execute("UPDATE instituut SET personen_versie = 2")
            begin = time.perf_counter()
            spiegel.neem_over(store.conn)
            een.append(time.perf_counter() - begin)
            store.close()
        print(f"aios mirrored: {gekoppeld} ({toegevoegd} added where namesakes made a link a guess); "
              f"{len(overname.meldingen)} message(s) about koppelingen not taken over")
        print(f"1. first mirror after connecting   {_ms(eerste)}")
        print(f"2. a synchronisation, no change    {_ms(niets)}")
        print(f"3. one aios renamed at the institute {_ms(een)}")


if __name__ == "__main__":
    main()
