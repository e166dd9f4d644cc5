"""Figures for gespreksverslagen on a store of 10× an institute: saving a concept as the wizard's autosave does,
and opening a verslag.

Run: .venv/bin/python bench/bench_verslagen.py          (builds the store first: about a minute and a half)

The store is bench_app's 10× institute (6 000 aios, 5 000 opleiders, 2 000 trajecten in every phase) with the
demo's gespreksverslagen written on every open traject (demo.verslagen: one or two per traject, every state).
On it, one concept of a 30-page verslag: about 100 000 characters in its text fields.
- concept opslaan: `store.verslagen.bewaar` with every answer, as the wizard's autosave calls it half a second
  after typing; a few characters more each time;
- verslag openen: `open_verslag` below (the verslag read, its questions, the text of each of its verslagen);
- klik tot getekend: as the docent waits, from Verder schrijven / Openen to the window painted: the wizard on the
  30-page concept, and the read-only view of a definitief verslag (offscreen, or under
  `xvfb-run -a env QT_QPA_PLATFORM=xcb` for a real display).
Each figure: median and p95 over its repetitions, on a warm connection (the row read before), and the first open
after unlocking (a fresh connection, the key derivation not counted). Targets: < 20 ms to save, < 50 ms to open.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_app import WACHTWOORD, Omvang, build  # noqa: E402  (bench/ is on sys.path when run as a script)
from figures import Figures  # noqa: E402

from ontkoppel_desktop.core.procedure.events import JsonValue  # noqa: E402
from ontkoppel_desktop.core.verslagen import GesprekFormulier, VeldSoort, Verslag, inhoud  # noqa: E402
from ontkoppel_desktop.demo import teksten  # noqa: E402
from ontkoppel_desktop.demo.verslagen import demo_auteur, vul_verslagen  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402

FIGURES = Figures()
PAGINA_TEKENS = 3_300  # a page of plain text, 12 pt: about 3 300 characters (30 pages ≈ 100 000)


def spread(name: str, seconds: list[float], target: str) -> None:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    FIGURES.note(name, f"{statistics.median(seconds) * 1000:8.2f} ms  (p95 {p95 * 1000:.2f}, n={len(seconds)})",
                 target)


# ---- the store -----------------------------------------------------------------------------------------------


def build_store(path: Path, today: date) -> Store:
    started = time.perf_counter()
    build(path, Omvang("10×", 10), today)
    built = time.perf_counter() - started
    store = Store.open(path, WACHTWOORD)
    started = time.perf_counter()
    aantal = vul_verslagen(store, today, demo_auteur(store))
    written = time.perf_counter() - started
    trajecten = len(store.trajecten.all())
    print(f"10×: {trajecten} trajecten, gebouwd in {built:.0f} s; {aantal} verslagen geschreven in {written:.0f} s; "
          f"{path.stat().st_size / 2**20:.1f} MiB", flush=True)
    return store


def dertig_paginas(store: Store, today: date, auteur: str) -> int:
    """A driehoeksgesprek concept on an open traject, its text fields filled to about 30 pages."""
    traject = next(t for t in store.trajecten.all() if not t.closed and t.id is not None)
    assert traject.id is not None
    created = store.verslagen.nieuw(traject.id, "driehoeksgesprek", auteur=auteur, today=today).created
    assert isinstance(created, int)
    verslag = store.verslagen.get(created)
    formulier = store.verslagen.formulier(verslag)
    velden = [v for v in formulier.velden if v.soort is VeldSoort.TEKST and v.id != "aanwezigen"
              and v.gevraagd({"uitkomst": "geen_ontkoppeling"})]
    thema = teksten.thema(traject.categorie, traject.aios_id)
    schrijver = teksten.Schrijver(f"bench-{created}", thema, "Noor", "Eva")
    pools = (thema.aanleiding, thema.aios, thema.opleider, thema.aandachtspunten, teksten.EIGEN_ROL_AIOS,
             teksten.LEERPUNTEN_AIOS)
    antwoorden: dict[str, JsonValue] = dict(verslag.antwoorden, plaats="Op het instituut",
                                            initiatief="docenten", uitkomst="geen_ontkoppeling")
    per_veld = 30 * PAGINA_TEKENS // len(velden)
    for i, veld in enumerate(velden):
        alinea: list[str] = []
        while sum(len(a) + 2 for a in alinea) < per_veld:
            alinea.append(schrijver.zinnen(pools[(i + len(alinea)) % len(pools)], 4, 6))
        antwoorden[veld.id] = "\n\n".join(alinea)
    store.verslagen.bewaar(created, antwoorden, 4, auteur=auteur)
    tekens = sum(len(v) for k, v in antwoorden.items() if isinstance(v, str) and formulier.veld(k).soort.is_tekst)
    print(f"concept van 30 pagina's: {tekens:,} tekens in {len(velden)} tekstvelden".replace(",", " "), flush=True)
    return created


# ---- what is measured ----------------------------------------------------------------------------------------


def open_verslag(store: Store, verslag_id: int) -> tuple[Verslag, GesprekFormulier, dict[str, list[object]]]:
    """Open a verslag as a screen needs it: the verslag, its questions, and what each of its verslagen says.
    The wizard's own work (building its pages, painted) comes on top; a GUI figure can start here."""
    verslag = store.verslagen.get(verslag_id)
    formulier = store.verslagen.formulier(verslag)
    delen: dict[str, list[object]] = {d.id: list(inhoud(formulier, verslag.antwoorden, d.id)) for d in formulier.delen}
    return verslag, formulier, delen


def bench_bewaar(store: Store, verslag_id: int, auteur: str, repeat: int) -> None:
    verslag = store.verslagen.get(verslag_id)
    antwoorden = dict(verslag.antwoorden)
    times: list[float] = []
    for i in range(repeat):
        # The docent typed a few more characters in the field on screen (page 3, the opleider's perspective).
        antwoorden["perspectief_opleider"] = f"{antwoorden['perspectief_opleider']} woord{i}"
        started = time.perf_counter()
        store.verslagen.bewaar(verslag_id, antwoorden, 2, auteur=auteur, open_=True)
        times.append(time.perf_counter() - started)
    assert store.verslagen.get(verslag_id).antwoorden == antwoorden
    tekens = sum(len(v) for v in antwoorden.values() if isinstance(v, str))
    spread(f"concept opslaan (autosave), {tekens // 1000} 000 tekens", times, "< 20 ms")


def bench_open(store: Store, verslag_id: int, naam: str, repeat: int) -> None:
    open_verslag(store, verslag_id)
    times: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        verslag, _, delen = open_verslag(store, verslag_id)
        times.append(time.perf_counter() - started)
    assert verslag.id == verslag_id and delen
    spread(f"verslag openen: {naam}", times, "< 50 ms")
    # What the wizard asks besides, each time it opens: the people of the gesprek (VerslagService.context).
    context: list[float] = []
    for _ in range(max(5, repeat // 10)):
        started = time.perf_counter()
        store.verslagen.context(verslag.traject_id)
        context.append(time.perf_counter() - started)
    spread("  daarnaast in de wizard: context (wie er bij het gesprek hoort)", context, "")


def bench_open_koud(path: Path, verslag_id: int, repeat: int) -> None:
    """The first open after unlocking: a fresh connection, nothing of the verslag in SQLite's page cache."""
    times: list[float] = []
    for _ in range(repeat):
        store = Store.open(path, WACHTWOORD)
        started = time.perf_counter()
        verslag, _, delen = open_verslag(store, verslag_id)
        times.append(time.perf_counter() - started)
        store.close()
    spread("verslag openen, koud (eerste keer na ontgrendelen)", times, "< 50 ms")


def bench_gui(path: Path, auteur: str, concept_id: int, definitief_id: int | None, repeat: int) -> None:
    """As the docent waits: from the click on Verder schrijven / Openen to the window painted (the wizard with
    its pages for the 30-page concept; the read-only view of a definitief verslag). Offscreen unless a display
    is set (QT_QPA_PLATFORM=xcb under xvfb-run for a real one)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject

    from ontkoppel_desktop.settings import Settings
    from ontkoppel_desktop.ui import verslagen  # noqa: F401  (the package, imported before timing)
    from ontkoppel_desktop.ui.app import create_application
    from ontkoppel_desktop.ui.session import InstanceLock, Session
    from ontkoppel_desktop.ui.verslagen import lezen, wizard

    app = create_application()
    lock = InstanceLock(path)
    lock.acquire()
    settings = Settings()
    settings.gebruikersnaam = auteur
    session = Session(Store.open(path, WACHTWOORD), lock, settings)

    class Painted(QObject):
        seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    def once(verslag_id: int) -> float:
        painted = Painted()
        started = time.perf_counter()
        window = wizard.open_verslag(None, session, verslag_id)
        assert window is not None
        window.installEventFilter(painted)
        while not painted.seen:
            app.processEvents()
        elapsed = time.perf_counter() - started
        window.close()
        app.processEvents()
        return elapsed

    for naam, verslag_id, soort in (("wizard van het concept van 30 pagina's", concept_id, wizard.GesprekWizard),
                                    ("alleen lezen: definitief verslag", definitief_id, lezen.VerslagLezen)):
        if verslag_id is None:
            continue
        once(verslag_id)  # the first open imports and builds what stays cached
        times = [once(verslag_id) for _ in range(repeat)]
        spread(f"klik tot getekend: {naam}", times, "< 50 ms")
        assert soort is not None
    session.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--opens", type=int, default=200)
    parser.add_argument("--gui", type=int, default=20, help="openings of each window, clicked to painted")
    args = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as tmp:
        store = build_store(Path(tmp) / "instituut-10x.okdb", today)
        auteur = demo_auteur(store)
        groot = dertig_paginas(store, today - timedelta(days=1), auteur)
        bench_bewaar(store, groot, auteur, args.saves)
        bench_open(store, groot, "concept van 30 pagina's", args.opens)
        twee = [v for t in store.trajecten.all() if t.id is not None for v in store.verslagen.van_traject(t.id)
                if v.gesprek == "evaluatie_opleider" and v.definitief]
        if twee:
            bench_open(store, twee[0].id, "definitief evaluatiegesprek opleider (twee verslagen)", args.opens)
        path = store.path
        store.close()
        bench_open_koud(path, groot, 5)
        bench_gui(path, auteur, groot, twee[0].id if twee else None, args.gui)
    FIGURES.print()


if __name__ == "__main__":
    main()
