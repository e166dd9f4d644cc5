"""Screenshots of the app on the demo store, for the README and for looking at the UI.

Run: .venv/bin/python tools/screenshots.py [folder] [WIDTHxHEIGHT]   (default screenshots/ at 1320x800, not
committed; docs/*.png in the README are copies). Look at 1366x768 and 1920x1080 too: laptops at 150 %.
Renders offscreen with widget.grab(): no display needed, and only the fictitious demo data appears.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    width, height = (int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "1320x800").split("x"))
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
        window.grab().save(str(out / "trajecten.png"))
        window.trajecten.detail.tabs.setCurrentIndex(1)
        window.trajecten.detail.rol.setCurrentRow(1)
        app.processEvents()
        window.grab().save(str(out / "trajecten-stappenplan.png"))
        from ontkoppel_desktop.core.procedure import EventKind

        detail = window.trajecten.detail
        with_end = next(r.id for r in window.trajecten.model.all_rows() if (t := store.trajecten.get(r.id))
                        and any(e.kind is EventKind.KOPPELING_BEEINDIGD for e in t.events) and not t.closed)
        window.trajecten.select(with_end)
        detail.tabs.setCurrentIndex(2)
        detail.geschiedenis.setCurrentRow(1)
        app.processEvents()
        window.grab().save(str(out / "trajecten-geschiedenis.png"))
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
        window.grab().save(str(out / "trajecten-verslagen.png"))
        concept = next(v for v in verslagen if not v.definitief and v.gesprek == "driehoeksgesprek"
                       and v.antwoord("perspectief_aios"))
        wizard = open_verslag(window, window.session, concept.id)
        if wizard is not None:
            wizard._go_to(2)  # type: ignore[attr-defined]
            app.processEvents()
            wizard.grab().save(str(out / "verslag-wizard.png"))
            wizard.close()
        sealed = next(v for v in verslagen if v.definitief and v.gesprek == "evaluatie_opleider")
        view = open_verslag(window, window.session, sealed.id)
        if view is not None:
            app.processEvents()
            view.grab().save(str(out / "verslag-lezen.png"))
            view.close()
        # Its first page as the preview draws it (docs/verslag-voorbeeld.png in the README at ~70 dpi), and the preview.
        from ontkoppel_desktop.ui.verslagen.opslaan import documenten
        from ontkoppel_desktop.ui.voorbeeld import VoorbeeldDialog, pagina_beeld

        stuk = documenten(window.session, sealed.id)[0]
        voorbeeld = VoorbeeldDialog(window, stuk.document, stuk.naam, lambda _extensie: None)
        voorbeeld.show()
        while not voorbeeld.klaar():
            app.processEvents()
        pagina_beeld(voorbeeld._pdf[0], 70 / 72).save(str(out / "verslag-voorbeeld.png"))  # type: ignore[index]
        voorbeeld.grab().save(str(out / "voorbeeld.png"))
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
            dialog.grab().save(str(out / "corrigeren.png"))
            dialog.done(0)
        detail.tabs.setCurrentIndex(0)
        window.show_section(window.taken)
        app.processEvents()
        window.grab().save(str(out / "taken.png"))
        # Verslagen: the list with its terms, then a search by a name folded ("yilmaz" finds "Yılmaz") or a word.
        window.show_section(window.verslagen)
        app.processEvents()
        window.grab().save(str(out / "verslagen.png"))
        window.verslagen.zoek.setText("supervisie")
        window.verslagen.run_search()
        window.verslagen.table.selectRow(0)
        app.processEvents()
        window.grab().save(str(out / "verslagen-zoeken.png"))
        window.verslagen.zoek.clear()
        window.verslagen.run_search()
        window.show_section(window.koppelplanner)
        app.processEvents()
        window.grab().save(str(out / "koppelplanner.png"))
        window.koppelplanner.tabs.setCurrentIndex(1)
        app.processEvents()
        window.grab().save(str(out / "een-op-een.png"))
        window.show_section(window.personen)
        for key, name in (("aios", "personen-aios"), ("opleider", "personen-opleiders"),
                          ("koppeling", "personen-koppelingen")):
            window.personen.show_kind(key)
            app.processEvents()
            window.grab().save(str(out / f"{name}.png"))
        window.session.lock()
        app.processEvents()
        window.grab().save(str(out / "vergrendeld.png"))
        welcome = WelcomeDialog()
        welcome.show()
        app.processEvents()
        welcome.grab().save(str(out / "welkom.png"))
        welcome.nieuw_knop.click()
        welcome.wachtwoord.eerste.setText("Paard-Batterij-42")
        app.processEvents()
        welcome.grab().save(str(out / "nieuwe-opslag.png"))
        window.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
