"""The Instituut section on a jaarassistent's laptop holding 10× an institute's shared trajecten (issue 15).

Run: .venv/bin/python bench/bench_gedeeld.py [--herhaal 5]

The store is bench_app's 10× institute (2 000 trajecten in every phase), made to look connected as a jaarassistent
of every year with all its trajecten shared by other laptops (demo/gedeeld.py): 2 000 shared trajecten, each
derived in full on this laptop. Measured, median of --herhaal runs:
1. instituut.gedeeld.lijst: reading and deriving every shared traject (what a refresh of the section costs);
2. Ctrl+6 to the painted Instituut section, in the main window as after unlocking (a fresh window each run);
3. recording a step on a shared traject (gedeeld.leg_vast: the core rules, then the outbox);
4. the section refreshed after such a change (only the changed traject is read and derived again).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import WACHTWOORD, Omvang, build  # noqa: E402  (bench/ is on sys.path when run as a script)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.0f} ms  (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--herhaal", type=int, default=5)
    args = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["ONTKOPPEL_HOME"] = tmp
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from ontkoppel_desktop.core.procedure import event_for_step
        from ontkoppel_desktop.demo.gedeeld import als_gedeeld
        from ontkoppel_desktop.instituut import gedeeld, outbox
        from ontkoppel_desktop.settings import Settings
        from ontkoppel_desktop.store.store import Store
        from ontkoppel_desktop.ui.app import create_application
        from ontkoppel_desktop.ui.main_window import MainWindow
        from ontkoppel_desktop.ui.session import InstanceLock, Session

        path = Path(tmp) / "bench.okdb"
        begin = time.perf_counter()
        build(path, Omvang("10×", 10), today)
        store = Store.open(path, WACHTWOORD)
        als_gedeeld(store)
        aantal = len(outbox.gedeelde_trajecten(store.conn))
        print(f"store: 10× institute, {aantal} shared trajecten (built in {time.perf_counter() - begin:.0f} s)")

        agenda = store.trajecten.agenda()
        tijden = []
        for _ in range(args.herhaal):
            t = time.perf_counter()
            lijst = gedeeld.lijst(store.conn, today, agenda)
            tijden.append(time.perf_counter() - t)
        print(f"gedeeld.lijst (read + derive {len(lijst)})      {_ms(tijden)}")

        open_stap = next((g, s) for g in lijst for s in g.open_stappen() if gedeeld.niet_hier(s, g) is None
                         and s.step.done_by.kind.value == "stap_uitgevoerd")
        tijden = []
        for _ in range(args.herhaal):
            g, s = open_stap
            event = event_for_step(g.definition, s.step.id, today, {}, user="Bench")  # type: ignore[arg-type]
            t = time.perf_counter()
            gedeeld.leg_vast(store.conn, g.uuid, event, today=today)
            tijden.append(time.perf_counter() - t)
            outbox.vergeet_wachtend(store.conn, event.id)
        print(f"gedeeld.leg_vast (one step)                {_ms(tijden)}")
        store.close()

        app = create_application()
        tijden: list[float] = []
        na_wijziging: list[float] = []
        for _ in range(args.herhaal):
            lock = InstanceLock(path)
            lock.acquire()
            window = MainWindow(Session(Store.open(path, WACHTWOORD), lock, Settings.load()))
            window.resize(1366, 768)
            window.show()
            QTest.qWaitForWindowExposed(window)
            app.processEvents()
            t = time.perf_counter()
            QTest.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
            view = window.gedeeld
            view.tabel.viewport().repaint()
            app.processEvents()
            tijden.append(time.perf_counter() - t)
            assert view.model.rowCount() == aantal, view.model.rowCount()
            # A change (a step recorded, a synchronisation): the section reads and derives what changed.
            g, s = open_stap
            event = event_for_step(g.definition, s.step.id, today, {}, user="Bench")  # type: ignore[arg-type]
            gedeeld.leg_vast(window.session.store.conn, g.uuid, event, today=today)
            t = time.perf_counter()
            view.ververs()
            view.tabel.viewport().repaint()
            app.processEvents()
            na_wijziging.append(time.perf_counter() - t)
            outbox.vergeet_wachtend(window.session.store.conn, event.id)
            window.session.close()
            window.close()
            window.deleteLater()
            lock.release()
            app.processEvents()
        print(f"Ctrl+6 to the painted Instituut section    {_ms(tijden)}  (target < 1 s)")
        print(f"refreshed after one change                 {_ms(na_wijziging)}  (target < 100 ms)")


if __name__ == "__main__":
    main()
