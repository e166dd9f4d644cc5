"""Bewaartermijnen in the app (issue 13, AVG), as a user meets them: the window lists what has passed its term (ten
years on), the terms can be changed there, Definitief verwijderen asks first and says when the back-ups age out, and
afterwards what went is gone from every screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.bewaartermijn import AIOS, TRAJECT
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store import backups
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.bewaartermijn import BewaartermijnDialog, open_bewaartermijnen
from tests.conftest import WACHTWOORD
from tests.faults.crash_child import Case, write_cases
from tests.gui.conftest import open_main_window
from tests.store.test_bewaartermijn import sluit

PREFIX = "ZGUIBEWAAR"
LATER = dt.date.today() + dt.timedelta(days=10 * 366)


def _klaar(store_path: Path) -> dict[str, int]:
    """A case with a marker in every kind of record, done with: traject closed, aios and opleider archived."""
    store = Store.open(store_path, WACHTWOORD)
    try:
        write_cases(store, PREFIX, 1)
        case = Case(store, PREFIX, 1)
        case.find()
        sluit(store, case.ids["traject"], "Afgerond.", "Docent")
        for table in (c.AIOS, c.OPLEIDER, c.KOPPELING):
            store.personen.set_gearchiveerd(table, [case.ids[table]], True)
        return dict(case.ids)
    finally:
        store.close()


def _dialog(qtbot: Any, window: Any) -> BewaartermijnDialog:
    dialog = open_bewaartermijnen(window, window.session, today=lambda: LATER)
    qtbot.waitExposed(dialog)
    return dialog


def test_listed_confirmed_and_gone_from_every_screen(qtbot: Any, store_path: Path) -> None:
    ids = _klaar(store_path)
    window = open_main_window(qtbot, store_path)
    # On the screens first: the closed traject, the archived aios, their verslagen, the ronde.
    trajecten = window.trajecten
    window.show_section(trajecten)
    trajecten.gesloten.setChecked(True)
    qtbot.waitUntil(lambda: trajecten.model.row_of_id(ids["traject"]) is not None)
    window.show_section(window.personen)
    aios_tab = window.personen.show_kind("aios")
    aios_tab.archief.setChecked(True)
    qtbot.waitUntil(lambda: aios_tab.model.row_of_id(ids["aios"]) is not None)
    verslagen = window.verslagen
    window.show_section(verslagen)
    qtbot.waitUntil(lambda: verslagen.model.row_of_id(ids["evaluatie_opleider"]) is not None)
    window.show_section(window.koppelplanner)
    ronde_lijst = window.koppelplanner.board.ronde
    qtbot.waitUntil(lambda: ronde_lijst.findData(ids["ronde"]) >= 0)

    dialog = _dialog(qtbot, window)
    rijen = {i.sleutel: i for i in dialog.model.items}
    assert (TRAJECT, ids["traject"]) in rijen and (AIOS, ids["aios"]) in rijen
    assert f"{PREFIX}0001aios" in rijen[(TRAJECT, ids["traject"])].wie
    assert dialog.model.keuze() == set(rijen)  # everything chosen to start with
    assert "gekozen om te verwijderen" in dialog.aantal.text() and dialog.verwijder.isEnabled()

    qtbot.mouseClick(dialog.verwijder, Qt.MouseButton.LeftButton)
    box = dialog.bevestiging
    assert box is not None and box.isVisible()
    assert "niet ongedaan" in box.text()
    assert dutch_date(backups.verdwenen_uit_backups_op(dt.datetime.now())) in box.text()
    assert dialog.ja is not None
    qtbot.mouseClick(dialog.ja, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.resultaat.isVisible())
    assert "Definitief verwijderd" in dialog.resultaat.text() and "1 bijlage)" in dialog.resultaat.text()
    assert dialog.model.items == [] and not dialog.verwijder.isEnabled()
    # Gone from every screen, without reopening anything.
    assert ronde_lijst.findData(ids["ronde"]) < 0
    window.show_section(verslagen)
    qtbot.waitUntil(lambda: verslagen.model.row_of_id(ids["evaluatie_opleider"]) is None)
    window.show_section(window.personen)
    qtbot.waitUntil(lambda: aios_tab.model.row_of_id(ids["aios"]) is None)
    window.show_section(trajecten)
    qtbot.waitUntil(lambda: trajecten.model.row_of_id(ids["traject"]) is None)
    assert window.session.store.trajecten.repo.load(ids["traject"]) is None
    assert not window.undo_action.isEnabled()


def test_unchecking_a_traject_keeps_its_people_and_cancel_deletes_nothing(qtbot: Any, store_path: Path) -> None:
    ids = _klaar(store_path)
    window = open_main_window(qtbot, store_path)
    dialog = _dialog(qtbot, window)
    model = dialog.model
    rij = next(r for r, i in enumerate(model.items) if i.sleutel == (TRAJECT, ids["traject"]))
    model.setData(model.index(rij, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert (AIOS, ids["aios"]) not in model.keuze()
    qtbot.mouseClick(dialog.verwijder, Qt.MouseButton.LeftButton)
    box = dialog.bevestiging
    assert box is not None
    box.reject()
    assert window.session.store.trajecten.repo.load(ids["traject"]) is not None


def test_a_longer_term_lists_less_and_is_kept(qtbot: Any, store_path: Path) -> None:
    ids = _klaar(store_path)
    window = open_main_window(qtbot, store_path)
    dialog = _dialog(qtbot, window)
    assert (TRAJECT, ids["traject"]) in {i.sleutel for i in dialog.model.items}
    spin = dialog.instellingen.jaren[TRAJECT]
    assert spin.value() == 7
    spin.setValue(30)
    assert (TRAJECT, ids["traject"]) not in {i.sleutel for i in dialog.model.items}
    assert Settings.load().bewaartermijn_trajecten == 30


def test_locking_closes_the_window(qtbot: Any, store_path: Path) -> None:
    _klaar(store_path)
    window = open_main_window(qtbot, store_path)
    dialog = _dialog(qtbot, window)
    window.session.lock()
    assert not dialog.isVisible()
    # Unlocking shows the main window again, not the closed window.
    window.session.unlock_with_key(window.session.store.key_file.unwrap_wachtwoord(WACHTWOORD))
    qtbot.wait(50)
    assert not any(isinstance(w, BewaartermijnDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_bestand_bewaartermijnen_opens_the_window(qtbot: Any, store_path: Path) -> None:
    window = open_main_window(qtbot, store_path)
    assert window.bewaartermijn_action.text() == "Bewaarter&mijnen…"
    window.bewaartermijn_action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, BewaartermijnDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    window.session.lock()
    assert not window.bewaartermijn_action.isEnabled()
