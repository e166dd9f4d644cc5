"""What the user waits for, from keypress to painted window, on stores of 1×, 10× and 50× an institute.

Run: .venv/bin/python bench/bench_app.py            (1× and 10×; add --50x for the largest, a few minutes)

An institute: about 600 aios, 500 opleiders, 250 praktijken, 30 docenten and a dozen staff (about 1 400
persons), 200 trajecten a year. Every figure is the median over fresh processes (cold imports, a cold store),
timed with the real widgets on the offscreen platform:
- start → unlock window on screen (the whole process, from its start);
- Enter on the unlock window → main window painted (the Trajecten list with the most urgent traject shown),
  Argon2id's deliberate ~0.4 s included; the user "types" for a second first, as a person would; and within it
  the Trajecten screen's own share (built, its list read, the selected traject derived, painted);
- the first open of Taken, Personen and the Koppelplanner right after, key press (Ctrl+2...) → painted;
- recording a gebeurtenis through its form → form closed and the visible views repainted;
- memory (resident) after visiting every section.
Targets (issue 7): < 0.5 s, < 1.0 s and not growing with the store, < 100 ms each, < 50 ms, < 200 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WACHTWOORD = "Bench-wachtwoord-2026"
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Omvang:
    naam: str
    factor: int

    @property
    def aios(self) -> int:
        return 600 * self.factor

    @property
    def opleiders(self) -> int:
        return 500 * self.factor

    @property
    def praktijken(self) -> int:
        return 250 * self.factor

    @property
    def trajecten(self) -> int:
        return 200 * self.factor


# ---- building a store ----------------------------------------------------------------------------------


def build(path: Path, omvang: Omvang, today: date) -> None:
    """A store of `omvang`, through the services (the rules hold), trajecten in every phase from the demo."""
    from ontkoppel_desktop.core.personen import (
        Aios,
        Docent,
        DocentSoort,
        Groep,
        Koppeling,
        Medewerker,
        Opleider,
        Praktijk,
    )
    from ontkoppel_desktop.core.rollen import Rol
    from ontkoppel_desktop.demo.opslag import PLAATSEN, PRAKTIJK_WOORDEN, NameGenerator
    from ontkoppel_desktop.demo.trajecten import DemoKoppeling, demo_trajecten
    from ontkoppel_desktop.store.keys import KdfParams
    from ontkoppel_desktop.store.store import Store

    rng = random.Random(omvang.factor)
    naam = NameGenerator(rng)
    store = Store.create(path, WACHTWOORD, KdfParams.calibrate()).store
    repo = store.personen
    with store.transactions.transaction():
        praktijken = [Praktijk(f"{PRAKTIJK_WOORDEN[i % len(PRAKTIJK_WOORDEN)]} {i}", PLAATSEN[i % len(PLAATSEN)])
                      for i in range(omvang.praktijken)]
        for p in praktijken:
            repo.save_praktijk(p)
        opleiders = [Opleider(naam(), praktijken[i % len(praktijken)].id) for i in range(omvang.opleiders)]
        for o in opleiders:
            repo.save_opleider(o)
        groepen = []
        for g in range(3 * 15 * omvang.factor // 15 + 3):
            ha, gw = Docent(naam(), DocentSoort.HUISARTS), Docent(naam(), DocentSoort.GEDRAGSWETENSCHAPPER)
            repo.save_docent(ha)
            repo.save_docent(gw)
            groep = Groep(f"Groep {g}", 1 + g % 3, ha.id, gw.id)
            repo.save_groep(groep)
            groepen.append(groep)
        for rol in (Rol.JAARASSISTENT, Rol.MANAGER_OPLEIDING, Rol.MANAGER_OPLEIDERS, Rol.ASSISTENT_MANAGER_OPLEIDERS):
            for jaar in (1, 2, 3):
                repo.save_medewerker(Medewerker(naam(), rol, jaar if rol.per_opleidingsjaar else None))
        aios = []
        for i in range(omvang.aios):
            groep = groepen[i % len(groepen)]
            a = Aios(naam(), groep.opleidingsjaar, date(today.year - groep.opleidingsjaar, 9, 1),
                     rng.choice((100, 100, 80, 60)), groep.id)
            repo.save_aios(a, today=today)
            aios.append(a)
        koppelingen = []
        vrij = list(opleiders)
        for a in aios:
            if a.opleidingsjaar == 2 or not vrij:
                continue
            o = vrij.pop()
            assert a.id is not None and o.id is not None
            k = Koppeling(a.id, o.id, today - timedelta(days=200))
            repo.save_koppeling(k, today=today)
            koppelingen.append(DemoKoppeling(k.id or 0, a.id, o.id))
    # Trajecten in every phase, written as recorded events; their derived rows are built as on an upgrade.
    svc = store.trajecten
    definition = svc.registry.current()
    nieuwe = [o.id for o in vrij if o.id is not None]
    chosen = [koppelingen[i % len(koppelingen)] for i in range(omvang.trajecten)]
    facts = {k.aios_id: f for k in chosen if (f := svc.facts(k.aios_id)) is not None}
    seen: set[int] = set()
    with store.transactions.transaction():
        for traject in demo_trajecten(definition, chosen, nieuwe, today, facts=facts, user="Bench"):
            if traject.koppeling_id in seen:  # one traject per koppeling (an institute's year has them all once)
                continue
            seen.add(traject.koppeling_id)
            traject_id = svc.repo.insert(traject)
            for event in traject.events:
                svc.repo.append_event(traject_id, event)
        store.conn.execute("DELETE FROM meta WHERE key = 'afgeleid'")
    svc.ensure_derived()
    # A matchingsronde on the board, as big as an institute's start date brings.
    from ontkoppel_desktop.demo.rondes import maak_demo_ronde
    from ontkoppel_desktop.store.ronde_personen import next_start

    store.rondes.add(maak_demo_ronde(aantal_aios=60, aantal_opleiders=80, seed=7, startdatum=next_start(today)))
    store.close()


# ---- one measured run, in a fresh process --------------------------------------------------------------


def drive(path: Path, think: float) -> dict[str, float]:
    """Start the app on `path` as a user would and time each wait. Runs in its own process."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractItemView, QWidget

    from ontkoppel_desktop.settings import Settings
    from ontkoppel_desktop.ui.app import Controller, create_application

    started = float(os.environ["BENCH_SPAWNED_AT"])
    app = create_application()
    controller = Controller(app, Settings.load())
    controller.start(str(path), demo=False, demo_if_new=False)
    assert controller.unlock is not None
    QTest.qWaitForWindowExposed(controller.unlock)
    app.processEvents()
    out = {"start_unlock": time.time() - started}

    class Painted(QObject):
        """When a view inside `root` painted a list with rows."""

        def __init__(self) -> None:
            super().__init__()
            self.root: QWidget | None = None
            self.at: float | None = None

        def arm(self, root: QWidget | None) -> None:
            self.root, self.at = root, None

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if (self.at is None and self.root is not None and event.type() == QEvent.Type.Paint
                    and isinstance(obj, QWidget) and isinstance(obj.parent(), QAbstractItemView)
                    and self.root.isAncestorOf(obj) and obj.parent().model() is not None
                    and obj.parent().model().rowCount() > 0):
                self.at = time.perf_counter()
            return False

    painted = Painted()
    app.installEventFilter(painted)

    def wait_painted(root: QWidget | None = None) -> float:
        while painted.at is None:
            if painted.root is None and controller.window is not None:
                painted.arm(root or controller.window)
            app.processEvents()
        return painted.at

    # The Trajecten screen's own share of Enter → painted: building it, reading its list and deriving the selected
    # traject (the rest is the key derivation and the main window).
    from ontkoppel_desktop.ui import main_window

    made: list[float] = []
    original = main_window.MainWindow._make_trajecten

    def timed_make(self: main_window.MainWindow, *args: Any) -> QWidget:
        made.append(time.perf_counter())
        return original(self, *args)

    main_window.MainWindow._make_trajecten = timed_make  # type: ignore[method-assign]
    QTest.qWait(int(think * 1000))  # the user types the wachtwoord
    controller.unlock.panel.veld.setText(WACHTWOORD)
    painted.arm(None)
    pressed = time.perf_counter()
    QTest.keyClick(controller.unlock.panel.veld, Qt.Key.Key_Return)
    out["unlock_main"] = wait_painted() - pressed
    out["trajecten"] = painted.at - made[0]
    out["rss_after_main"] = _rss_mib()
    window = controller.window
    assert window is not None
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 2000)  # shortcuts (Ctrl+2...) go to the active window
    app.processEvents()
    # (The Verslagen list is timed by bench_verslagen.py, on a store with 20 000 verslagen; this one has none.)
    for name, section in (("taken", window._taken), ("personen", window._personen),
                          ("koppelplanner", window._koppelplanner)):
        key = window.sections.indexOf(section) + 1  # Ctrl+N chooses the N-th section of the navigation
        painted.arm(section)
        pressed = time.perf_counter()
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{key}"), Qt.KeyboardModifier.ControlModifier)
        out[name] = wait_painted(section) - pressed
        app.processEvents()
        out[f"rss_after_{name}"] = _rss_mib()
    # Recording a gebeurtenis on the Trajecten screen: Save → form closed and the screen repainted.
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    app.processEvents()
    from ontkoppel_desktop.core.procedure import EventKind

    view = window.trajecten
    window.session.settings.gebruikersnaam = "Bench"
    dialog = view.detail.open_event(EventKind.STAP_UITGEVOERD, {"stap": "nazorg_groep"})
    assert dialog is not None
    app.processEvents()
    painted.arm(view)
    pressed = time.perf_counter()
    QTest.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    out["record"] = wait_painted(view) - pressed
    app.processEvents()
    assert view.detail.traject is not None and view.detail.traject.events[-1].kind is EventKind.STAP_UITGEVOERD
    app.processEvents()
    out["rss_mib"] = _rss_mib()
    window.session.lock()
    window.close()
    return out


def _rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, runs: int, think: float) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-home-") as home:
            env = dict(os.environ, ONTKOPPEL_HOME=home, BENCH_SPAWNED_AT=repr(time.time()))
            done = subprocess.run([sys.executable, str(Path(__file__)), "--drive", str(path), "--think", str(think)],
                                  env=env, capture_output=True, text=True, timeout=600)
        lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
        if done.returncode != 0 or not lines:
            raise SystemExit(f"run failed:\n{done.stdout}\n{done.stderr}")
        results.append(json.loads(lines[-1]))
    return results


ROWS = (
    ("start_unlock", "start → ontgrendelvenster", "< 0,5 s", 1000),
    ("unlock_main", "Enter → hoofdvenster getekend (incl. Argon2id)", "< 1,0 s", 1000),
    ("trajecten", "  waarvan Trajecten: scherm, lijst en gekozen traject", "< 100 ms", 1000),
    ("taken", "eerste keer Taken (Ctrl+2 → getekend)", "< 100 ms", 1000),
    ("personen", "eerste keer Personen (Ctrl+5 → getekend)", "< 100 ms", 1000),
    ("koppelplanner", "eerste keer Koppelplanner (Ctrl+4 → getekend)", "", 1000),
    ("record", "gebeurtenis vastleggen → scherm bijgewerkt", "< 50 ms", 1000),
    ("rss_mib", "geheugen na elk onderdeel", "< 200 MiB", 1),
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drive", type=Path)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--50x", dest="fifty", action="store_true")
    args = parser.parse_args()
    if args.drive:
        print(json.dumps(drive(args.drive, args.think)), flush=True)
        return
    today = date.today()
    sizes = [Omvang("1×", 1), Omvang("10×", 10)] + ([Omvang("50×", 50)] if args.fifty else [])
    table: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as tmp:
        for omvang in sizes:
            path = Path(tmp) / f"instituut-{omvang.factor}x.okdb"
            began = time.perf_counter()
            build(path, omvang, today)
            size = path.stat().st_size / 2**20
            print(f"{omvang.naam}: {omvang.aios} aios, {omvang.opleiders} opleiders, {omvang.trajecten} trajecten; "
                  f"{size:.1f} MiB, gebouwd in {time.perf_counter() - began:.0f} s", flush=True)
            table[omvang.naam] = measure(path, args.runs if omvang.factor < 50 else max(3, args.runs // 2), args.think)
    width = max(len(r[1]) for r in ROWS)
    print()
    print(f"{'meting (mediaan van ' + str(args.runs) + ' processen)':<{width}}  "
          + "  ".join(f"{n:>12}" for n in table) + "  doel")
    for key, label, target, scale in ROWS:
        cells = []
        for results in table.values():
            values = [r[key] * scale for r in results]
            median = statistics.median(values)
            unit = "MiB" if key == "rss_mib" else "ms"
            cells.append(f"{median:>8.0f} {unit:<3}")
        print(f"{label:<{width}}  " + "  ".join(cells) + f"  {target}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
