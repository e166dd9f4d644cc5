"""Screenshots of every screen of the app on the demo store, for docs/schermen/ and for looking at the UI.

Run: .venv/bin/python tools/screenshots.py [folder]   (default docs/schermen): writes <folder>/<size>/<screen>.png
for 1366x768 (the common laptop), 1920x1080, and 150 % (QT_SCALE_FACTOR=1.5 on 1920x1080: 1280x720 logical
pixels, drawn at 1.5 times). Each size runs in a process of its own, since Qt reads the scale factor at start.
One size: .venv/bin/python tools/screenshots.py FOLDER WIDTHxHEIGHT (the folder then holds its images directly).
Renders offscreen with widget.grab(): no display needed, and only the fictitious demo data appears. The images are
saved as 8-bit palette PNGs (Pillow), a few tens of kilobytes each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# (folder, window size in logical pixels, the screen in device pixels, QT_SCALE_FACTOR)
SIZES = [
    ("1366x768", "1366x768", (1366, 768), ""),
    ("1920x1080", "1920x1080", (1920, 1080), ""),
    ("150-procent", "1280x720", (1920, 1080), "1.5"),
]


def all_sizes(out: Path) -> None:
    for folder, size, (screen_w, screen_h), scale in SIZES:
        env = dict(os.environ)
        env.pop("QT_SCALE_FACTOR", None)
        if scale:
            env["QT_SCALE_FACTOR"] = scale
        # The offscreen platform's screen is 800×600 unless told otherwise, and dialogs size themselves to the
        # screen they are on: it gets the laptop's screen.
        config = Path(tempfile.gettempdir()) / f"ontkoppel-scherm-{screen_w}x{screen_h}.json"
        config.write_text(json.dumps({"screens": [{
            "name": "scherm", "x": 0, "y": 0, "width": screen_w, "height": screen_h, "logicalDpi": 96,
            "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        (out / folder).mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, __file__, str(out / folder), size], env=env, check=True)
    total = sum(f.stat().st_size for f in out.rglob("*.png"))
    print(f"{len(list(out.rglob('*.png')))} screenshots in {out}, {total / 1e6:.1f} MB")


def save(widget: object, path: Path) -> None:
    """The widget as drawn, as a palette PNG: a screen has few colours, and a tenth of the size is worth it."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    image = widget.grab().toImage()  # type: ignore[attr-defined]
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    import io

    with Image.open(io.BytesIO(bytes(buffer.data()))) as picture:
        picture.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schermen")
    if len(sys.argv) <= 2:
        all_sizes(out)
        return
    width, height = (int(x) for x in sys.argv[2].split("x"))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ONTKOPPEL_HOME"] = tmp
        from ontkoppel_desktop.demo.opslag import create_demo_store
        from ontkoppel_desktop.settings import Settings
        from ontkoppel_desktop.store.keys import KdfParams
        from ontkoppel_desktop.ui.app import create_application
        from ontkoppel_desktop.ui.main_window import MainWindow
        from ontkoppel_desktop.ui.session import InstanceLock, Session
        from ontkoppel_desktop.ui.welcome import WelcomeDialog

        app = create_application()
        path = Path(tmp) / "demo.okdb"
        store = create_demo_store(path, date(2026, 11, 23), KdfParams(1, 8 * 1024))
        lock = InstanceLock(path)
        lock.acquire()
        window = MainWindow(Session(store, lock, Settings(), demo=True))
        window.resize(width, height)
        window.show()
        window.show_section(window.trajecten)
        app.processEvents()
        window.trajecten.lijst.selectRow(0)
        app.processEvents()
        save(window, out / "trajecten.png")
        window.trajecten.detail.tabs.setCurrentIndex(1)
        window.trajecten.detail.rol.setCurrentRow(1)
        app.processEvents()
        save(window, out / "trajecten-stappenplan.png")
        from ontkoppel_desktop.core.procedure import EventKind

        detail = window.trajecten.detail
        with_end = next(r.id for r in window.trajecten.model.all_rows() if (t := store.trajecten.get(r.id))
                        and any(e.kind is EventKind.KOPPELING_BEEINDIGD for e in t.events) and not t.closed)
        window.trajecten.select(with_end)
        detail.tabs.setCurrentIndex(2)
        detail.geschiedenis.setCurrentRow(1)
        app.processEvents()
        save(window, out / "trajecten-geschiedenis.png")
        # The verslagen: a traject's Verslagen tab, a concept in its wizard, a sealed one read.
        from ontkoppel_desktop.demo.verslagen import demo_auteur
        from ontkoppel_desktop.ui.verslagen.wizard import open_verslag

        window.session.settings.gebruikersnaam = demo_auteur(store)
        verslagen = [v for r in window.trajecten.model.all_rows() for v in store.verslagen.van_traject(r.id)]
        meeste = max({v.traject_id for v in verslagen},
                     key=lambda t: sum(v.traject_id == t for v in verslagen))
        window.trajecten.select(meeste)
        detail.tabs.setCurrentWidget(detail.verslagen)
        app.processEvents()
        save(window, out / "trajecten-verslagen.png")
        concept = next(v for v in verslagen if not v.definitief and v.gesprek == "driehoeksgesprek"
                       and v.antwoord("perspectief_aios"))
        wizard = open_verslag(window, window.session, concept.id)
        if wizard is not None:
            wizard._go_to(2)  # type: ignore[attr-defined]
            app.processEvents()
            save(wizard, out / "verslag-wizard.png")
            wizard.close()
        sealed = next(v for v in verslagen if v.definitief and v.gesprek == "evaluatie_opleider")
        view = open_verslag(window, window.session, sealed.id)
        if view is not None:
            app.processEvents()
            save(view, out / "verslag-lezen.png")
            view.close()
        # The preview of its document.
        from ontkoppel_desktop.ui.verslagen.opslaan import documenten
        from ontkoppel_desktop.ui.voorbeeld import VoorbeeldDialog

        stuk = documenten(window.session, sealed.id)[0]
        voorbeeld = VoorbeeldDialog(window, stuk.document, stuk.naam, lambda _extensie: None)
        voorbeeld.show()
        while not voorbeeld.klaar():
            app.processEvents()
        save(voorbeeld, out / "voorbeeld.png")
        voorbeeld.close()
        detail.tabs.setCurrentIndex(0)
        window.session.settings.gebruikersnaam = "Demo"
        einde = next(e for e in detail.traject.events if e.kind is EventKind.KOPPELING_BEEINDIGD)
        for row in range(detail.geschiedenis.count()):
            if detail.geschiedenis.item(row).data(0x0100) == einde.id:
                detail.geschiedenis.setCurrentRow(row)
        dialog = detail.correct_selected()
        app.processEvents()
        if dialog is not None:
            save(dialog, out / "corrigeren.png")
            dialog.done(0)
        detail.tabs.setCurrentIndex(0)
        window.show_section(window.taken)
        app.processEvents()
        save(window, out / "taken.png")
        # Verslagen: the list with its terms, then a search by a name folded ("yilmaz" finds "Yılmaz") or a word.
        window.show_section(window.verslagen)
        app.processEvents()
        save(window, out / "verslagen.png")
        window.verslagen.zoek.setText("supervisie")
        window.verslagen.run_search()
        window.verslagen.table.selectRow(0)
        app.processEvents()
        save(window, out / "verslagen-zoeken.png")
        window.verslagen.zoek.clear()
        window.verslagen.run_search()
        window.show_section(window.koppelplanner)
        app.processEvents()
        save(window, out / "koppelplanner.png")
        window.koppelplanner.tabs.setCurrentIndex(1)
        app.processEvents()
        save(window, out / "een-op-een.png")
        window.show_section(window.personen)
        for key in ("aios", "opleider", "praktijk", "groep", "docent", "medewerker", "koppeling"):
            window.personen.show_kind(key)
            app.processEvents()
            save(window, out / f"personen-{key}.png")
        # A form: an opleider's, with its Nieuwe praktijk… and the duo fields.
        tab = window.personen.show_kind("opleider")
        tab.table.selectRow(0)
        tab.edit_current()
        app.processEvents()
        form = window.personen.dialogs[-1]
        save(form, out / "personen-opleider-formulier.png")
        form.done(0)
        # The windows of the Bestand and Help menus.
        from ontkoppel_desktop.ui.backups import TerugzettenDialog
        from ontkoppel_desktop.ui.bewaartermijn import BewaartermijnDialog
        from ontkoppel_desktop.ui.handleiding import HandleidingVenster
        from ontkoppel_desktop.ui.main_window import SettingsDialog
        from ontkoppel_desktop.ui.over import OverDialog

        for name, make in (
            ("instellingen", lambda: SettingsDialog(window.session, window)),
            ("bewaartermijnen", lambda: BewaartermijnDialog(window.session, window)),
            ("backup-terugzetten", lambda: TerugzettenDialog(window.session, window.automatische_backups.map, window)),
            ("handleiding", lambda: HandleidingVenster(window)),
            ("over", lambda: OverDialog(window)),
        ):
            dialog = make()
            dialog.show()
            for _ in range(5):
                app.processEvents()
            save(dialog, out / f"{name}.png")
            dialog.close()
        sleutel = window.vernieuw_sleutel()
        app.processEvents()
        save(sleutel, out / "sleutel-vernieuwen.png")
        sleutel.done(0)
        # The Instituut section, as a jaarassistent of year 1 sees it: the demo's trajecten of that year as if
        # another laptop shared them (no server needed for a picture).
        from ontkoppel_desktop.demo.gedeeld import als_gedeeld

        als_gedeeld(store, jaar=1)
        window._toon_instituut()
        window.show_section(window.gedeeld)
        app.processEvents()
        window.gedeeld.tabel.selectRow(0)
        app.processEvents()
        save(window, out / "instituut.png")
        from ontkoppel_desktop.demo.gedeeld import met_ontvangen_verslagen

        met_ontvangen_verslagen(store, jaar=1)
        window.gedeeld.ontvangen.ververs()
        window.gedeeld.bladen.setCurrentIndex(1)
        app.processEvents()
        save(window, out / "instituut-ontvangen-verslagen.png")
        lezen = window.gedeeld.ontvangen.lees()
        for _ in range(5):
            app.processEvents()
        if lezen is not None:
            save(lezen, out / "instituut-verslag-lezen.png")
            lezen.close()
        from ontkoppel_desktop.demo.gedeeld import met_personen

        met_personen(store, jaar=1)
        window.gedeeld.personen.ververs()
        window.gedeeld.bladen.setCurrentWidget(window.gedeeld.personen)
        app.processEvents()
        save(window, out / "instituut-personen.png")
        # This laptop's own Personen now mirror the institute's (issue 17): the column Bron, and a mirrored aios's
        # form with what the institute keeps greyed out.
        from ontkoppel_desktop.core import changes as c

        window.session.announce(c.Changes.all_of(c.AIOS, c.OPLEIDER, c.PRAKTIJK, c.GROEP, c.KOPPELING), None)
        window.show_section(window.personen)
        tab = window.personen.show_kind("aios")
        app.processEvents()
        save(window, out / "personen-van-instituut.png")
        tab.select_id(store.conn.execute("SELECT min(id) FROM aios WHERE instituut_id IS NOT NULL").fetchone()[0])
        tab.edit_current()
        app.processEvents()
        form = window.personen.dialogs[-1]
        save(form, out / "personen-aios-van-instituut.png")
        form.done(0)
        window.session.lock()
        app.processEvents()
        save(window, out / "vergrendeld.png")
        welcome = WelcomeDialog()
        welcome.show()
        app.processEvents()
        save(welcome, out / "welkom.png")
        welcome.nieuw_knop.click()
        welcome.wachtwoord.eerste.setText("Paard-Batterij-42")
        app.processEvents()
        save(welcome, out / "nieuwe-opslag.png")
        welcome.close()
        from ontkoppel_desktop.ui.app import UnlockDialog

        unlock = UnlockDialog(path)
        unlock.show()
        app.processEvents()
        save(unlock, out / "ontgrendelen.png")
        unlock.close()
        window.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
