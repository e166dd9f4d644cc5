"""Taken & termijnen with 2 000 trajecten: loading, computing the tasks, opening the view, filtering.

Run: .venv/bin/python bench/bench_taken.py
Target (issue 3): with 2 000 trajecten the Taken view opens and filters in under 100 ms.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from figures import Figures, timed  # noqa: E402  (bench/ is on sys.path when run as a script)

from ontkoppel_desktop.core.personen import Aios, Koppeling, Opleider, Praktijk  # noqa: E402
from ontkoppel_desktop.core.procedure import default_registry  # noqa: E402
from ontkoppel_desktop.core.procedure.demo import DemoKoppeling, demo_trajecten  # noqa: E402
from ontkoppel_desktop.core.rollen import Rol  # noqa: E402
from ontkoppel_desktop.demo import NameGenerator  # noqa: E402
from ontkoppel_desktop.store.database import transaction  # noqa: E402
from ontkoppel_desktop.store.keys import KdfParams  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402

N = 2000
TODAY = date(2026, 11, 23)
FIGURES = Figures()
record = FIGURES.record






def build(path: Path) -> None:
    import random

    store = Store.create(path, "Bench-wachtwoord-2026", KdfParams(1, 8 * 1024)).store
    repo = store.personen
    rng = random.Random(3)
    naam = NameGenerator(rng)
    definition = default_registry().latest("utrecht-ontkoppeling")
    with transaction(store.conn):
        praktijken = [repo.save_praktijk(Praktijk(f"Praktijk {i}", "Utrecht")) for i in range(400)]
        opleiders = [repo.save_opleider(Opleider(naam(), praktijken[i % 400].id)) for i in range(2 * N + 200)]
        koppelingen = []
        for i in range(N):
            a = repo.save_aios(Aios(naam(), rng.choice((1, 3)), date(2025, 9, 1)))
            assert a.id and opleiders[i].id
            k = repo.save_koppeling(Koppeling(a.id, opleiders[i].id, date(2026, 3, 1)))
            assert k.id
            koppelingen.append(DemoKoppeling(k.id, a.id, opleiders[i].id))
        nieuwe = [o.id for o in opleiders[N:] if o.id]
        trajecten = demo_trajecten(definition, koppelingen, nieuwe, TODAY,
                                   facts=store.trajecten.facts())
        # Written directly: the bench measures reading; the service's write path has its own tests.
        for t in trajecten:
            cur = store.conn.execute(
                "INSERT INTO traject (koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, "
                "startreden, categorie) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (t.koppeling_id, t.aios_id, t.opleider_id, t.procedure_id, t.procedure_version,
                 t.startreden.value, t.categorie.value))
            store.conn.executemany(
                "INSERT INTO traject_event (traject_id, event_id, payload) VALUES (?, ?, ?)",
                [(cur.lastrowid, e.id, json.dumps(e.to_dict())) for e in t.events])
    events = store.conn.execute("SELECT count(*) FROM traject_event").fetchone()[0]
    FIGURES.note("opbouw", f"{N} trajecten, {events} gebeurtenissen", "")
    store.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as tmp:
        os.environ["ONTKOPPEL_HOME"] = tmp
        path = Path(tmp) / "taken.okdb"
        build(path)
        store = Store.open(path, "Bench-wachtwoord-2026")
        service = store.trajecten

        def cold_load() -> None:
            service.forget()
            service.all()

        record("trajecten lezen en ontsleutelen (koud)", timed(cold_load, 5))
        service.all()
        tasks = service.tasks(TODAY)
        FIGURES.note("open taken", f"{len(tasks)}", "")
        def compute() -> None:
            service._tasks = None  # only the tasks, not the trajecten read before
            service.tasks(TODAY)

        record("alle open taken berekenen", timed(compute, 7))

        from ontkoppel_desktop.settings import Settings
        from ontkoppel_desktop.ui.app import create_application
        from ontkoppel_desktop.ui.main_window import MainWindow
        from ontkoppel_desktop.ui.session import InstanceLock, Session

        app = create_application()
        lock = InstanceLock(path)
        lock.acquire()
        window = MainWindow(Session(store, lock, Settings()))
        window.resize(1320, 800)
        window.show()
        app.processEvents()
        taken = window.taken

        def open_view() -> None:
            taken.stale = True
            window.nav.setCurrentRow(0)
            app.processEvents()
            window.nav.setCurrentRow(window.sections.indexOf(taken))
            app.processEvents()

        def open_view_timed() -> float:
            window.nav.setCurrentRow(0)
            app.processEvents()
            taken.stale = True
            started = time.perf_counter()
            window.nav.setCurrentRow(window.sections.indexOf(taken))
            app.processEvents()  # refresh and paint
            return time.perf_counter() - started

        open_view()
        record("Taken openen (warm: trajecten al gelezen)", [open_view_timed() for _ in range(7)], "< 100 ms")

        def open_cold() -> float:
            window.nav.setCurrentRow(0)
            app.processEvents()
            service.forget()
            taken.stale = True
            started = time.perf_counter()
            window.nav.setCurrentRow(window.sections.indexOf(taken))
            app.processEvents()
            return time.perf_counter() - started

        record("Taken openen (koud: eerste keer na ontgrendelen)", [open_cold() for _ in range(3)])
        roles = [taken.rol.findData(r) for r in (Rol.JAARASSISTENT, Rol.DOCENTEN, Rol.MANAGER_OPLEIDERS)]

        def filter_role() -> None:
            for i in roles:
                taken.rol.setCurrentIndex(i)
                app.processEvents()
            taken.rol.setCurrentIndex(0)
            app.processEvents()

        record("Taken filteren op rol (per keuze, incl. tekenen)", [t / 4 for t in timed(filter_role, 7)], "< 100 ms")

        def search() -> None:
            taken.zoek.setText("jan")
            taken._apply_search()
            app.processEvents()
            taken.zoek.setText("")
            taken._apply_search()
            app.processEvents()

        record("Taken zoeken op naam (per zoekactie)", [t / 2 for t in timed(search, 7)], "< 100 ms")
        window.session.lock()
        window.close()
    FIGURES.print()


if __name__ == "__main__":
    main()
