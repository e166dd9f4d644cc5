"""Figures for gespreksverslagen on a store of 10× an institute: saving a concept as the wizard's autosave does,
opening a verslag, searching them, and the Verslagen list's first open.

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

Then the store is brought to 20 000 verslagen (issue 10: 10× an institute): more verslagen per traject, written
straight through the repository in one transaction (the search index kept as on every insert), their text composed
like the demo's (demo.teksten, with the traject's own names), definitief, verstuurd, gearchiveerd or concept. Their
gesprekken are not events of the traject, so they serve no term; the demo's verslagen among them do.
- zoeken: VerslagService.zoek for several queries (a name typed without its accent, a common word, a prefix, two
  words, a word that is nowhere), the best 50 with their fragments; and the Verslagen list's own search
  (VerslagenView.run_search: the FTS5 search of the best 200, the names of 20 000 rows, the rows filtered).
  Target < 50 ms;
- Verslagen, eerste keer openen: in a new main window on the unlocked store, the click on Verslagen in the
  navigation → the list painted (the section built, its rows read with three queries, the model filled, the
  table painted). Target < 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

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


def gui_sessie(path: Path, auteur: str) -> tuple[Any, Any, type]:
    """The app on this store as `auteur` (offscreen unless a display is set), and an event filter class whose
    `seen` turns true at the first paint of what it watches."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject

    from ontkoppel_desktop.settings import Settings
    from ontkoppel_desktop.ui.app import create_application
    from ontkoppel_desktop.ui.session import InstanceLock, Session

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

    return app, session, Painted


def bench_gui(path: Path, auteur: str, concept_id: int, definitief_id: int | None, repeat: int) -> None:
    """As the docent waits: from the click on Verder schrijven / Openen to the window painted (the wizard with
    its pages for the 30-page concept; the read-only view of a definitief verslag). Offscreen unless a display
    is set (QT_QPA_PLATFORM=xcb under xvfb-run for a real one)."""
    from ontkoppel_desktop.ui.verslagen import lezen, wizard  # imported before timing

    app, session, Painted = gui_sessie(path, auteur)

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


# ---- 20 000 verslagen and search ---------------------------------------------------------------------------


def meer_verslagen(store: Store, today: date, doel: int) -> int:
    """Write verslagen until the store holds `doel`: per traject more gesprekken of the kinds its procedure has,
    their text composed like the demo's with the traject's own names. Straight through the repository (the
    index is kept as on every insert), in one transaction; returns how many were written."""
    import random
    from dataclasses import replace

    from ontkoppel_desktop.core.verslagen import Status

    service = store.verslagen
    trajecten = [t for t in store.trajecten.all() if t.id is not None]
    have = store.conn.execute("SELECT count(*) FROM verslag").fetchone()[0]
    if have >= doel or not trajecten:
        return 0
    voorbeeld: dict[str, Verslag] = {}
    for traject in trajecten:
        assert traject.id is not None
        for v in service.van_traject(traject.id):
            voorbeeld.setdefault(v.gesprek, v)
    gesprekken = sorted(voorbeeld)
    personen = store.personen
    aios = {a.id: a.naam for a in personen.aios(archief=True)}
    opleiders = {o.id: o.naam for o in personen.opleiders(archief=True)}
    rng = random.Random(20_000)
    per_traject = -(-(doel - have) // len(trajecten))
    written = 0
    with store.transactions.transaction():
        for traject in trajecten:
            assert traject.id is not None
            a, o = aios[traject.aios_id], opleiders[traject.opleider_id]
            thema = teksten.thema(traject.categorie, traject.aios_id)
            schrijver = teksten.Schrijver(f"meer-{traject.id}", thema, a.voornaam, o.voornaam)
            pools = (thema.aanleiding, thema.aios, thema.opleider, thema.aandachtspunten, teksten.EIGEN_ROL_AIOS,
                     teksten.LEERPUNTEN_AIOS, teksten.BELEVING, teksten.SITUATIE)
            for i in range(per_traject):
                if have + written >= doel:
                    break
                basis = voorbeeld[gesprekken[(traject.id + i) % len(gesprekken)]]
                formulier = service.formulier(basis)
                day = today - timedelta(days=rng.randint(7, 400))
                antwoorden: dict[str, JsonValue] = dict(basis.antwoorden)
                for veld in formulier.velden:
                    if veld.soort is VeldSoort.DATUM and veld.gebeurtenis == ("datum", ""):
                        antwoorden[veld.id] = day.isoformat()
                    elif veld.id == "aanwezigen":
                        antwoorden[veld.id] = f"{a.volledig} (aios)\n{o.volledig} (opleider)\n{basis.auteur} (docent)"
                    elif veld.soort.is_tekst:
                        antwoorden[veld.id] = schrijver.zinnen(pools[rng.randrange(len(pools))], 2, 6)
                soort = rng.random()
                status = Status.DEFINITIEF if soort < 0.75 else Status.CONCEPT
                moment = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
                service.repo.insert(replace(
                    basis, id=0, traject_id=traject.id, antwoorden=antwoorden, status=status, open=False,
                    gebeurtenis_id=f"bench-{traject.id}-{i}" if soort < 0.9 else None, versie=1, vorige_id=None,
                    reden="", aangemaakt=moment, opgeslagen=moment,
                    afgerond_op=moment if status is Status.DEFINITIEF else None, zegels={},
                    verstuurd_op=day + timedelta(days=3) if soort < 0.6 else None,
                    gearchiveerd_op={p: day + timedelta(days=5) for p in formulier.bestemmingen} if soort < 0.45
                    else {}, status_events={},
                ))
                written += 1
    return written


ZOEKVRAGEN = ("supervisie", "samenwerk", "werkdruk planning", "leerdoel", "sa", "nergensvoorkomend")


def zoeknaam(store: Store) -> str:
    """The achternaam of an aios with a verslag (one with a letter beyond ASCII if there is one), typed as a user
    would: in lower case, without its accents ("Yılmaz" as "yilmaz")."""
    from ontkoppel_desktop.core.verslagen.zoeken import fold

    row = store.conn.execute(
        "SELECT a.achternaam FROM verslag v JOIN traject t ON t.id = v.traject_id JOIN aios a ON a.id = t.aios_id "
        "ORDER BY (a.achternaam GLOB '*[^ -~]*') DESC, v.id LIMIT 1").fetchone()
    return fold(str(row[0])) if row else "visser"


def bench_zoeken(store: Store, naam: str, repeat: int) -> None:
    """VerslagService.zoek, the best 50 with their fragments, for each query (a name typed without its accents
    first)."""
    service = store.verslagen
    for vraag in (naam, *ZOEKVRAGEN):
        service.zoek(vraag)
        times: list[float] = []
        for _ in range(repeat):
            started = time.perf_counter()
            hits = service.zoek(vraag)
            times.append(time.perf_counter() - started)
        spread(f"zoeken '{vraag}' ({len(hits)} van de beste 50)", times, "< 50 ms")


def bench_lijst(path: Path, auteur: str, naam: str, repeat: int, zoeken: int) -> None:
    """The Verslagen list: its first open (navigation click → painted) in new main windows, then its own search
    (run_search: the FTS5 search, the names of every row, the rows filtered) for each query."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ontkoppel_desktop.ui.main_window import MainWindow
    from ontkoppel_desktop.ui.verslagen import lijst  # noqa: F401  (imported before timing, as by then the app has)

    app, session, Painted = gui_sessie(path, auteur)

    times: list[float] = []
    windows = []
    for _ in range(repeat + 1):  # the first builds what stays cached for the process (imports, the service)
        window = MainWindow(session)
        window.resize(1366, 768)
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()
        nav = window.nav
        item = next(nav.item(i) for i in range(nav.count()) if nav.item(i).text() == "Verslagen")
        painted = Painted()
        started = time.perf_counter()
        QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(item).center())
        view = window.verslagen
        view.table.viewport().installEventFilter(painted)
        while not painted.seen:
            app.processEvents()
        times.append(time.perf_counter() - started)
        window.hide()
        windows.append(window)
    spread(f"Verslagen eerste keer openen: klik tot getekend ({view.model.total} verslagen)", times[1:], "< 100 ms")

    for vraag in (naam, *ZOEKVRAGEN):
        view.zoek.setText(vraag)
        view.run_search()
        searched: list[float] = []
        for _ in range(zoeken):
            started = time.perf_counter()
            view.run_search()
            searched.append(time.perf_counter() - started)
        spread(f"lijst zoekt '{vraag}' ({view.model.rowCount()} getoond)", searched, "< 50 ms")
    session.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--opens", type=int, default=200)
    parser.add_argument("--gui", type=int, default=20, help="openings of each window, clicked to painted")
    parser.add_argument("--verslagen", type=int, default=20_000, help="verslagen in the store for search and list")
    parser.add_argument("--zoeken", type=int, default=30, help="repetitions of each search")
    parser.add_argument("--lijst", type=int, default=10, help="first opens of the Verslagen list")
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

        store = Store.open(path, WACHTWOORD)
        started = time.perf_counter()
        extra = meer_verslagen(store, today, args.verslagen)
        total = store.conn.execute("SELECT count(*) FROM verslag").fetchone()[0]
        print(f"{extra} verslagen erbij in {time.perf_counter() - started:.0f} s: {total} verslagen; "
              f"{path.stat().st_size / 2**20:.1f} MiB", flush=True)
        bench_bewaar(store, groot, auteur, args.saves)  # again, with 20 000 verslagen in the index
        naam = zoeknaam(store)
        bench_zoeken(store, naam, args.zoeken)
        store.close()
        bench_lijst(path, auteur, naam, args.lijst, args.zoeken)
    FIGURES.print()


if __name__ == "__main__":
    main()
