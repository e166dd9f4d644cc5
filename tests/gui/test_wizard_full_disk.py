"""A docent types a verslag while the disk fills up (issue 12): the wizard says why the concept is not saved,
closing asks first, a lock keeps what was typed, and once there is room again everything typed is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from ontkoppel_desktop.store.database import schijf_vol_melding
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.verslagen import wizard as wizard_module
from ontkoppel_desktop.ui.verslagen.wizard import GesprekWizard, start_gesprek
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import Messages, open_main_window
from tests.schijf import Schijf
from tests.verslagen.conftest import AUTEUR, maak_traject


def _window_on(qtbot: Any, schijf: Schijf) -> tuple[Any, int]:
    store = Store.create(schijf.path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    store.close()
    return open_main_window(qtbot, store.path, gebruikersnaam=AUTEUR), traject_id


def _wizard(qtbot: Any, window: Any, traject_id: int) -> GesprekWizard:
    wizard = start_gesprek(window, window.session, traject_id, "driehoeksgesprek")
    assert isinstance(wizard, GesprekWizard)
    qtbot.waitExposed(wizard)
    return wizard


def _type(qtbot: Any, wizard: GesprekWizard, text: str) -> None:
    target = wizard.widgets["plaats"].focus_widget()
    target.setFocus()
    qtbot.keyClicks(target, text)


def test_a_full_disk_is_said_and_nothing_typed_is_lost(
    qtbot: Any, schijf: Schijf, messages: Messages, monkeypatch: Any
) -> None:
    monkeypatch.setattr(wizard_module, "RETRY_MS", 300)
    window, traject_id = _window_on(qtbot, schijf)
    wizard = _wizard(qtbot, window, traject_id)
    wizard._retry.setInterval(300)
    service = window.session.store.verslagen
    _type(qtbot, wizard, "Praktijk ")
    qtbot.waitUntil(lambda: service.get(wizard.verslag_id).antwoorden.get("plaats") == "Praktijk ")
    schijf.vul()
    _type(qtbot, wizard, "De Linde, spreekkamer 2")
    qtbot.waitUntil(lambda: "Niet opgeslagen" in wizard.opgeslagen.text(), timeout=3000)
    assert "De schijf is vol" in wizard.opgeslagen.text()
    assert wizard.dirty
    # Closing now would lose the text: the docent is asked, and keeps the window by answering Cancel.
    messages.answer = QMessageBox.StandardButton.Cancel
    wizard.close()
    assert wizard.isVisible()
    assert messages.shown[-1][0] == "Concept niet opgeslagen"
    assert schijf_vol_melding("werk.okdb") in messages.shown[-1][1]
    # Room again: saved without another keystroke.
    schijf.maak_ruimte()
    qtbot.waitUntil(lambda: not wizard.dirty, timeout=3000)
    assert service.get(wizard.verslag_id).antwoorden["plaats"] == "Praktijk De Linde, spreekkamer 2"
    assert "Concept opgeslagen om" in wizard.opgeslagen.text()


def test_a_lock_on_a_full_disk_keeps_what_was_typed(qtbot: Any, schijf: Schijf) -> None:
    window, traject_id = _window_on(qtbot, schijf)
    wizard = _wizard(qtbot, window, traject_id)
    verslag_id = wizard.verslag_id
    schijf.vul()
    _type(qtbot, wizard, "Getypt terwijl de schijf vol was")
    window.session.lock()
    assert not wizard.isVisible(), "nothing confidential stays on screen"
    schijf.maak_ruimte()
    window.session.unlock_with_key(window.session.store.key_file.unwrap_wachtwoord(WACHTWOORD))
    again = wizard_module.open_wizard(window.session, verslag_id)
    assert again is not None
    qtbot.waitExposed(again)
    assert again.widgets["plaats"].value() == "Getypt terwijl de schijf vol was"
    assert not again.dirty
    stored = window.session.store.verslagen.get(verslag_id)
    assert stored.antwoorden["plaats"] == "Getypt terwijl de schijf vol was"


def test_closing_the_wizard_on_a_full_disk_may_discard_after_asking(
    qtbot: Any, schijf: Schijf, messages: Messages
) -> None:
    window, traject_id = _window_on(qtbot, schijf)
    wizard = _wizard(qtbot, window, traject_id)
    schijf.vul()
    _type(qtbot, wizard, "Weggooien mag")
    messages.answer = QMessageBox.StandardButton.Discard
    wizard.close()
    assert not wizard.isVisible()
    assert messages.shown[-1][0] == "Concept niet opgeslagen"
    schijf.maak_ruimte()
    assert "plaats" not in window.session.store.verslagen.get(wizard.verslag_id).antwoorden
    assert isinstance(window.session.store.path, Path)
