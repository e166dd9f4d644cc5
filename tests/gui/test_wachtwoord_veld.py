"""The wachtwoord field as KeePassXC users know it (show/hide, Caps Lock warning, no undo after clearing) and the
herstelsleutel sheet's Kopiëren and Opslaan als bestand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QToolButton

from ontkoppel_desktop.ui import wachtwoord
from ontkoppel_desktop.ui.wachtwoord import HerstelsleutelDialog, NieuwWachtwoord, WachtwoordVeld, caps_lock
from tests.gui.conftest import Messages

SLEUTEL = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789"


@pytest.fixture(autouse=True)
def caps_onbekend() -> None:
    caps_lock().aan = None


def _knop(veld: WachtwoordVeld, actie: Any) -> QToolButton:
    return next(k for k in veld.findChildren(QToolButton) if k.defaultAction() is actie)


def _formulier(qtbot: Any) -> NieuwWachtwoord:
    form = NieuwWachtwoord()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    form.eerste.setFocus()
    qtbot.waitUntil(form.eerste.hasFocus)
    return form


def test_the_eye_shows_and_hides_by_mouse_and_by_ctrl_h(qtbot: Any) -> None:
    form = _formulier(qtbot)
    veld = form.eerste
    qtbot.keyClicks(veld, "geheim-woord")
    assert veld.echoMode() == QLineEdit.EchoMode.Password
    oog = _knop(veld, veld.toon_actie)
    assert oog.isVisible() and oog.accessibleName() == "Wachtwoord tonen"
    assert "Ctrl+H" in veld.toon_actie.toolTip()
    qtbot.mouseClick(oog, Qt.MouseButton.LeftButton)
    assert veld.echoMode() == QLineEdit.EchoMode.Normal
    assert oog.accessibleName() == "Wachtwoord verbergen"
    qtbot.keyClick(veld, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert veld.echoMode() == QLineEdit.EchoMode.Password
    assert veld.text() == "geheim-woord", "Ctrl+H toggles, it does not type or delete"
    qtbot.keyClick(veld, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert veld.zichtbaar


def test_clear_takes_the_undo_history_with_it(qtbot: Any) -> None:
    form = _formulier(qtbot)
    veld = form.eerste
    # What went wrong before: QLineEdit.clear keeps the history, and shown, Ctrl+Z brings the wachtwoord back.
    gewoon = QLineEdit()
    qtbot.addWidget(gewoon)
    gewoon.setText("")
    qtbot.keyClicks(gewoon, "geheim-woord")
    QLineEdit.clear(gewoon)
    gewoon.undo()
    assert gewoon.text() == "geheim-woord"

    qtbot.keyClicks(veld, "geheim-woord")
    veld.toon_actie.trigger()
    assert veld.zichtbaar
    veld.clear()
    assert not veld.zichtbaar, "cleared, the field hides again"
    veld.toon_actie.trigger()
    qtbot.keyClick(veld, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert veld.text() == "" and not veld.isUndoAvailable()


def test_caps_lock_is_said_from_what_is_typed(qtbot: Any) -> None:
    form = _formulier(qtbot)
    veld = form.eerste
    melding = veld.caps_melding
    waarschuwing = _knop(veld, veld.caps_actie)
    assert not melding.isVisible() and not waarschuwing.isVisible()
    qtbot.keyClicks(veld, "A")  # a capital without Shift
    assert melding.isVisible() and melding.text() == "⚠ Caps Lock staat aan"
    assert waarschuwing.isVisible() and waarschuwing.accessibleName() == "Caps Lock staat aan"
    assert veld.accessibleDescription() == "Caps Lock staat aan"
    qtbot.keyClick(veld, Qt.Key.Key_CapsLock)  # switched off here: the app flips what it knew
    qtbot.waitUntil(lambda: not melding.isVisible())
    qtbot.keyClick(veld, "a", Qt.KeyboardModifier.ShiftModifier)  # Shift gives a small letter: Caps Lock is on
    assert melding.isVisible()
    qtbot.keyClicks(veld, "b")
    assert not melding.isVisible() and veld.accessibleDescription() == ""
    qtbot.keyClicks(veld, "1-")  # digits and signs say nothing
    assert not melding.isVisible()
    qtbot.keyClicks(veld, "C")
    # The next field warns when it gets the focus, the one left stops.
    form.tweede.setFocus()
    qtbot.waitUntil(form.tweede.hasFocus)
    assert form.tweede.caps_melding.isVisible() and not melding.isVisible()


def test_caps_lock_read_from_x11_modifiers_wins_over_the_letter(monkeypatch: pytest.MonkeyPatch, qapp: Any) -> None:
    monkeypatch.setattr(wachtwoord.QGuiApplication, "platformName", staticmethod(lambda: "xcb"))
    monkeypatch.setattr(wachtwoord.sys, "platform", "linux")

    def toets(tekst: str, native_modifiers: int, scan_code: int = 38) -> QKeyEvent:
        return QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, scan_code, 0,
                         native_modifiers, tekst)

    assert wachtwoord.caps_lock_uit_toets(toets("a", 0x2)) is True  # LockMask set
    assert wachtwoord.caps_lock_uit_toets(toets("A", 0x0)) is False  # a keyboard layout's own capital
    # A synthesized event has no scan code: only the letter can tell.
    assert wachtwoord.caps_lock_uit_toets(toets("A", 0x0, scan_code=0)) is True


def _herstel(qtbot: Any, tmp_path: Path) -> HerstelsleutelDialog:
    dialog = HerstelsleutelDialog(SLEUTEL, "werk.okdb", opslag=tmp_path / "opslag" / "werk.okdb")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_copy_the_herstelsleutel_after_a_warning_and_clear_it_after_a_while(
        qtbot: Any, tmp_path: Path, messages: Messages, monkeypatch: pytest.MonkeyPatch) -> None:
    clipboard = QApplication.clipboard()
    clipboard.setText("iets anders")
    dialog = _herstel(qtbot, tmp_path)
    messages.answer = wachtwoord.QMessageBox.StandardButton.Cancel
    qtbot.mouseClick(dialog.kopieren, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "iets anders", "no copy without agreeing to the warning"
    assert "even goed als de sleutel zelf" in messages.shown[-1][1]

    monkeypatch.setattr(wachtwoord, "KLEMBORD_SECONDEN", 0.3)
    messages.answer = wachtwoord.QMessageBox.StandardButton.Yes
    qtbot.mouseClick(dialog.kopieren, Qt.MouseButton.LeftButton)
    assert clipboard.text() == SLEUTEL
    assert "klembord" in dialog.melding.text() and dialog.melding.isVisible()
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)

    # Something the user copied in between is left alone.
    qtbot.mouseClick(dialog.kopieren, Qt.MouseButton.LeftButton)
    clipboard.setText("mijn eigen tekst")
    qtbot.wait(600)
    assert clipboard.text() == "mijn eigen tekst"


def test_save_the_herstelsleutel_as_a_file_not_beside_the_store(
        qtbot: Any, tmp_path: Path, messages: Messages, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _herstel(qtbot, tmp_path)
    (tmp_path / "opslag").mkdir()
    (tmp_path / "usb").mkdir()
    gekozen: list[str] = []
    monkeypatch.setattr(wachtwoord.QMessageBox, "warning",
                        staticmethod(lambda _p, titel, tekst: messages.shown.append((titel, tekst))))

    def kies(_parent: Any, _titel: str, start: str, _filter: str) -> tuple[str, str]:
        gekozen.append(start)
        return (str(doel), "")

    monkeypatch.setattr("ontkoppel_desktop.ui.bestandsdialoog.QFileDialog.getSaveFileName", staticmethod(kies))
    doel = tmp_path / "opslag" / "sleutel"
    qtbot.mouseClick(dialog.opslaan, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][0] == "Niet naast de opslag"
    assert not list((tmp_path / "opslag").iterdir())
    assert gekozen[0].endswith("werk-herstelsleutel.txt")

    doel = tmp_path / "usb" / "sleutel"
    qtbot.mouseClick(dialog.opslaan, Qt.MouseButton.LeftButton)
    bestand = tmp_path / "usb" / "sleutel.txt"
    assert SLEUTEL in bestand.read_text(encoding="utf-8")
    assert "werk.okdb" in bestand.read_text(encoding="utf-8")
    assert str(bestand) in dialog.melding.text()
    assert any("even goed als de sleutel zelf" in tekst for _titel, tekst in messages.shown)
