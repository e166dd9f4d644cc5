"""Sleutel vernieuwen from the Bestand menu (issue 13), as a user does it: the current and a new wachtwoord, the
new herstelsleutel shown and confirmed before anything changes, then the store re-encrypted while the window
stays open; the old wachtwoord and an old key file no longer open it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop import paths
from ontkoppel_desktop.store.database import OpslagFout
from ontkoppel_desktop.store.keys import SleutelFout
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.wachtwoord import HerstelsleutelDialog, WachtwoordWijzigenDialog
from tests.conftest import WACHTWOORD
from tests.gui.conftest import open_main_window

NIEUW = "Vers-sleutelwoord-Tulp-63"


def _confirm_herstelsleutel(seen: list[str]) -> None:
    """The herstelsleutel sheet is modal: confirm it as a user does (tick the box, then Verder)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, HerstelsleutelDialog) and widget.isVisible():
            seen.append(widget._sleutel)
            widget.bevestig.setChecked(True)
            widget.buttons.button(widget.buttons.StandardButton.Ok).click()
            return
    QTimer.singleShot(50, lambda: _confirm_herstelsleutel(seen))


def test_sleutel_vernieuwen_from_the_menu(qtbot: Any, store_path: Path, tmp_path: Path) -> None:
    old_key_file = tmp_path / "oud.sleutel"
    shutil.copy2(paths.keys_file_for(store_path), old_key_file)
    window = open_main_window(qtbot, store_path)
    aios_before = len(window.session.store.personen.aios())
    assert window.vernieuwen_action.text() == "&Sleutel vernieuwen…"
    window.vernieuwen_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, WachtwoordWijzigenDialog))
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Sleutel vernieuwen" and dialog.vernieuwen.isChecked()
    assert "nieuwe herstelsleutel" in dialog.vernieuwen_uitleg.text()
    qtbot.keyClicks(dialog.huidig, WACHTWOORD)
    qtbot.keyClicks(dialog.nieuw.eerste, NIEUW)
    qtbot.keyClicks(dialog.nieuw.tweede, NIEUW)
    assert dialog.ok.text() == "Sleutel &vernieuwen" and dialog.ok.isEnabled()
    seen: list[str] = []
    QTimer.singleShot(50, lambda: _confirm_herstelsleutel(seen))
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert "De sleutel is vernieuwd" in window.statusBar().currentMessage()
    # The window goes on with the same store, now under the new key.
    assert len(window.session.store.personen.aios()) == aios_before
    with pytest.raises(SleutelFout, match="Onjuist wachtwoord"):
        Store.open(store_path, WACHTWOORD)
    Store.open_with_herstelsleutel(store_path, seen[0]).close()
    current = paths.keys_file_for(store_path).read_bytes()
    shutil.copy2(old_key_file, paths.keys_file_for(store_path))
    with pytest.raises(OpslagFout, match="past niet"):
        Store.open(store_path, WACHTWOORD)
    paths.keys_file_for(store_path).write_bytes(current)
    window.session.lock()
    panel = window.lock_page.panel
    qtbot.keyClicks(panel.veld, NIEUW)
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=10_000)
