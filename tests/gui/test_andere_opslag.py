"""A way out of the demo and into another store (issue 14): Bestand → Nieuwe opslag…, Openen…, Recente opslagen,
and Ander bestand… and the herstelsleutel on the lock page; the demo marked as a demo; the locked title read once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ontkoppel_desktop import APP_NAME, paths
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui import bestandsdialoog
from ontkoppel_desktop.ui.app import Controller
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.personen.forms import AiosDialog
from ontkoppel_desktop.ui.session import InstanceLock
from ontkoppel_desktop.ui.verslagen.wizard import GesprekWizard, start_gesprek
from ontkoppel_desktop.ui.wachtwoord import WachtwoordWijzigenDialog
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import Messages
from tests.verslagen.conftest import AUTEUR, maak_traject


def _unlock_typing(qtbot: Any, controller: Controller, wachtwoord: str = WACHTWOORD) -> MainWindow:
    assert controller.unlock is not None
    panel = controller.unlock.panel
    qtbot.keyClicks(panel.veld, wachtwoord)
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible(), timeout=10_000)
    assert controller.window is not None
    return controller.window


def _vrij(path: Path) -> bool:
    """Whether no app holds the store any more (its instance lock released)."""
    lock = InstanceLock(path)
    try:
        lock.acquire()
    except Exception:  # noqa: BLE001 - held
        return False
    lock.release()
    return True


def _demo(qtbot: Any, controller: Controller) -> MainWindow:
    controller.start(None, demo=True, demo_if_new=False)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=30_000)
    assert controller.window is not None
    return controller.window


def test_the_demo_says_it_is_one_and_nieuwe_opslag_leads_out(qtbot: Any, controller: Controller) -> None:
    window = _demo(qtbot, controller)
    assert window.windowTitle() == f"Demo — fictieve gegevens — {APP_NAME}"
    assert window.demo_label.isVisible() and window.demo_label.text() == "Demo — fictieve gegevens"
    assert not window.demo_action.isVisible(), "no Demo bekijken inside the demo"
    window.nieuw_action.trigger()
    assert controller.window is None
    welcome = controller.welcome
    assert welcome is not None and welcome.isVisible()
    assert welcome.stack.currentIndex() == 1, "straight to Nieuwe opslag"
    assert welcome.wachtwoord.eerste.hasFocus() or not QApplication.activeWindow()
    assert _vrij(paths.demo_store()), "the demo's instance lock went with its window"
    assert window.session.is_locked


def test_a_store_of_ones_own_is_not_marked_as_demo(qtbot: Any, store_path: Path, controller: Controller) -> None:
    controller.start(None, demo=False, demo_if_new=False)
    window = _unlock_typing(qtbot, controller)
    assert window.windowTitle() == f"werk.okdb — {APP_NAME}"
    assert not window.demo_label.isVisible()
    assert window.demo_action.isVisible()


def test_the_locked_title_names_the_app_once(qtbot: Any, store_path: Path, controller: Controller) -> None:
    controller.start(None, demo=False, demo_if_new=False)
    window = _unlock_typing(qtbot, controller)
    window.session.lock()
    title = window.windowTitle()
    assert title == f"Vergrendeld — {APP_NAME}"
    # Qt adds the application's display name to a title that does not end with it (QPlatformWindow::
    # formatWindowTitle): the title must end with it, so it is not added a second time.
    assert QApplication.applicationDisplayName() == APP_NAME
    assert title.endswith(APP_NAME) and title.count(APP_NAME) == 1


def test_openen_from_the_menu_and_back_through_recente_opslagen(
        qtbot: Any, store_path: Path, controller: Controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tweede = Store.create(tmp_path / "tweede" / "ander.okdb", "Ander-wachtwoord-42", FAST_KDF).store
    tweede.close()
    controller.start(None, demo=False, demo_if_new=False)
    window = _unlock_typing(qtbot, controller)
    monkeypatch.setattr("ontkoppel_desktop.ui.bestandsdialoog.QFileDialog.getOpenFileName",
                        staticmethod(lambda *_args: (str(tweede.path), "")))
    window.open_action.trigger()
    assert controller.window is None
    assert controller.unlock is not None and controller.unlock.isVisible()
    assert controller.unlock.panel.path == tweede.path
    assert _vrij(store_path), "the first store is closed and free"
    andere = _unlock_typing(qtbot, controller, "Ander-wachtwoord-42")
    assert andere.session.path == tweede.path
    assert Settings.load().recent_stores[:2] == [str(tweede.path), str(store_path)]
    # The folder of the dialog is remembered for next time (ui/bestandsdialoog.py).
    assert bestandsdialoog.laatste_map("opslag") == str(tweede.path.parent)

    andere.vul_recent()
    acties = [a for a in andere.recent_menu.actions() if a.isEnabled()]
    assert [a.toolTip() for a in acties] == [str(store_path)], "the store in use is not in the list"
    assert acties[0].text().startswith("&1 werk.okdb — ")
    acties[0].trigger()
    assert controller.unlock is not None and controller.unlock.panel.path == store_path
    assert _vrij(tweede.path)


def test_a_recent_store_that_is_gone_is_shown_but_cannot_be_chosen(
        qtbot: Any, store_path: Path, controller: Controller, tmp_path: Path) -> None:
    settings = Settings.load()
    settings.remember_store(tmp_path / "weg.okdb")
    settings.remember_store(store_path)
    settings.save()
    controller.settings = Settings.load()
    controller.start(None, demo=False, demo_if_new=False)
    window = _unlock_typing(qtbot, controller)
    window.vul_recent()
    weg = next(a for a in window.recent_menu.actions() if "weg.okdb" in a.text())
    assert "(niet gevonden)" in weg.text() and not weg.isEnabled()


def test_openen_asks_before_a_form_with_input_is_lost(qtbot: Any, store_path: Path, controller: Controller,
                                                      tmp_path: Path, messages: Messages) -> None:
    ander = Store.create(tmp_path / "ander.okdb", WACHTWOORD, FAST_KDF).store
    ander.close()
    settings = Settings.load()
    settings.remember_store(ander.path)
    settings.remember_store(store_path)
    settings.save()
    controller.settings = Settings.load()
    controller.start(None, demo=False, demo_if_new=False)
    window = _unlock_typing(qtbot, controller)
    window.show_section(window.personen)
    tab = window.personen.show_kind("aios")
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AiosDialog) and w.isVisible())
    qtbot.keyClicks(dialog.voornaam, "Half")
    window.vul_recent()
    recent = next(a for a in window.recent_menu.actions() if a.isEnabled())
    messages.answer = QMessageBox.StandardButton.Cancel
    recent.trigger()
    assert messages.shown[-1][0] == "Niet opgeslagen invoer"
    assert controller.window is window and window.isVisible() and dialog.isVisible()
    assert controller.unlock is None
    messages.answer = QMessageBox.StandardButton.Discard
    recent.trigger()
    assert controller.window is None and controller.unlock is not None
    assert controller.unlock.panel.path == ander.path


def test_ander_bestand_on_the_lock_page(qtbot: Any, store_path: Path, controller: Controller) -> None:
    controller.start(None, demo=False, demo_if_new=False)
    window = _unlock_typing(qtbot, controller)
    window.session.lock()
    ander = window.lock_page.panel.ander
    assert ander.isVisible() and ander.text() == "&Ander bestand…"
    qtbot.mouseClick(ander, Qt.MouseButton.LeftButton)
    assert controller.window is None
    assert controller.welcome is not None and controller.welcome.isVisible()
    assert controller.welcome.stack.currentIndex() == 0
    assert _vrij(store_path)


def test_the_herstelsleutel_on_the_lock_page_asks_a_new_wachtwoord(qtbot: Any, controller: Controller,
                                                                    tmp_path: Path) -> None:
    nieuw = Store.create(tmp_path / "h.okdb", WACHTWOORD, FAST_KDF)
    nieuw.store.close()
    controller.start(str(nieuw.store.path), demo=False, demo_if_new=False)
    window = _unlock_typing(qtbot, controller)
    window.session.lock()
    panel = window.lock_page.panel
    assert panel.wissel.isVisible()
    qtbot.mouseClick(panel.wissel, Qt.MouseButton.LeftButton)
    assert panel.veld.accessibleName() == "Herstelsleutel"
    qtbot.keyClicks(panel.veld, nieuw.herstelsleutel)
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=10_000)
    dialog = window.findChild(WachtwoordWijzigenDialog)
    assert dialog is not None and dialog.isVisible() and dialog.verplicht
    qtbot.keyClicks(dialog.nieuw.eerste, "Paard-Batterij-Nietje-42")
    qtbot.keyClicks(dialog.nieuw.tweede, "Paard-Batterij-Nietje-42")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    window.session.lock()
    window.close()
    controller.window = None
    Store.open(nieuw.store.path, "Paard-Batterij-Nietje-42").close()


def test_another_store_saves_an_open_wizard_first(qtbot: Any, controller: Controller, tmp_path: Path) -> None:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    store.close()
    controller.settings.gebruikersnaam = AUTEUR
    controller.start(str(store.path), demo=False, demo_if_new=False)
    window = _unlock_typing(qtbot, controller)
    wizard = start_gesprek(window, window.session, traject_id, "driehoeksgesprek")
    assert isinstance(wizard, GesprekWizard)
    qtbot.waitExposed(wizard)
    verslag_id = wizard.verslag_id
    wizard.widgets["datum"].edit.setDate(dt.date(2026, 11, 24))  # type: ignore[attr-defined]
    qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    target = wizard.widgets["aanleiding"].focus_widget()
    target.setFocus()
    qtbot.keyClicks(target, "Net getypt")  # no pause: switching comes before the autosave timer
    window.nieuw_action.trigger()
    assert controller.window is None and controller.welcome is not None
    assert not wizard.isVisible()
    again = Store.open(store.path, WACHTWOORD)
    try:
        verslag = again.verslagen.get(verslag_id)
        assert verslag.antwoorden["aanleiding"] == "Net getypt"
        assert verslag.open, "offered again when this store is opened next time"
    finally:
        again.close()
