"""Accessibility of the app shell (issue 14): in the welcome, unlock and lock windows, Instellingen, the wachtwoord
and herstelsleutel dialogs, Back-up terugzetten, the Handleiding and Over, every control has a name a screen reader
says, is reached with Tab, and no two share an Alt key; the menus have an Alt key for every item."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTextEdit,
    QWidget,
)

from ontkoppel_desktop.ui.app import Controller, UnlockDialog
from ontkoppel_desktop.ui.backups import TerugzettenDialog
from ontkoppel_desktop.ui.handleiding import HandleidingVenster
from ontkoppel_desktop.ui.main_window import MainWindow, SettingsDialog
from ontkoppel_desktop.ui.over import OverDialog
from ontkoppel_desktop.ui.wachtwoord import HerstelsleutelDialog, WachtwoordWijzigenDialog
from tests.gui.conftest import open_main_window

CONTROLS = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView, QTextEdit)


def _controls(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if isinstance(w, CONTROLS) and w.isVisibleTo(root)
            and w.isEnabled() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
            and not isinstance(w.parentWidget(), (QLineEdit, QAbstractSpinBox, QComboBox))]


def _naam(w: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(w)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def _toets(tekst: str) -> str | None:
    match = re.search(r"&([^&\s])", tekst.replace("&&", ""))
    return match.group(1).lower() if match else None


def _alt_toetsen(root: QWidget) -> dict[str, list[str]]:
    """The Alt keys of the window's buttons and labels (a label's goes to its buddy), by key."""
    toetsen: dict[str, list[str]] = {}
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        tekst = w.text() if isinstance(w, QAbstractButton | QLabel) else ""
        if isinstance(w, QLabel) and w.buddy() is None:
            continue
        toets = _toets(tekst)
        if toets:
            toetsen.setdefault(toets, []).append(tekst)
    return toetsen


def check(root: QWidget, *, menubalk: list[str] = ()) -> None:  # type: ignore[assignment]
    problemen = []
    keten = set()
    w = root.nextInFocusChain()
    while w is not root and w is not None and len(keten) < 2000:
        keten.add(w)
        w = w.nextInFocusChain()
    for control in _controls(root):
        wat = f"{type(control).__name__} {control.objectName() or getattr(control, 'text', lambda: '')()}"
        if not _naam(control):
            problemen.append(f"no accessible name: {wat}")
        if control not in keten or not control.focusPolicy() & Qt.FocusPolicy.TabFocus:
            problemen.append(f"not reached with Tab: {wat}")
    toetsen = _alt_toetsen(root)
    for bezet in menubalk:
        toetsen.setdefault(bezet, []).append(f"menu {bezet}")
    problemen += [f"Alt+{t.upper()} twice: {teksten}" for t, teksten in toetsen.items() if len(teksten) > 1]
    assert not problemen, f"{type(root).__name__}:\n" + "\n".join(problemen)


def _menubalk(window: MainWindow) -> list[str]:
    return [t for a in window.menuBar().actions() if a.isVisible() and (t := _toets(a.text()))]


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path)
    yield w
    w.session.lock()
    w.close()


def test_welcome_and_unlock(qtbot: Any, controller: Controller, store_path: Path) -> None:
    controller.show_welcome()
    welcome = controller.welcome
    assert welcome is not None
    qtbot.waitExposed(welcome)
    check(welcome)
    welcome.ga_naar_nieuw()
    check(welcome)
    controller.show_unlock(store_path)
    unlock = controller.unlock
    assert isinstance(unlock, UnlockDialog)
    qtbot.waitExposed(unlock)
    check(unlock)
    unlock.panel.set_herstel_mode(True)
    check(unlock)


def test_the_lock_page_beside_the_menus(qtbot: Any, window: MainWindow) -> None:
    window.session.lock()
    check(window.lock_page, menubalk=_menubalk(window))
    window.lock_page.panel.set_herstel_mode(True)
    check(window.lock_page, menubalk=_menubalk(window))


def test_every_menu_item_has_its_own_alt_key(qtbot: Any, window: MainWindow) -> None:
    def items(menu: QMenu) -> Iterator[tuple[QMenu, list[str]]]:
        teksten = [a.text() for a in menu.actions() if not a.isSeparator() and a.isVisible()]
        yield menu, teksten
        for action in menu.actions():
            if action.menu() is not None:
                yield from items(action.menu())

    balk = [a.text() for a in window.menuBar().actions()]
    assert all(_toets(t) for t in balk) and len({_toets(t) for t in balk}) == len(balk), balk
    for action in window.menuBar().actions():
        for menu, teksten in items(action.menu()):
            if menu is window.bewerken_menu:
                continue  # Ongedaan maken / Opnieuw name what they undo; Ctrl+Z and Ctrl+Y are their keys
            window.vul_recent()
            toetsen = [_toets(t) for t in teksten if "Nog geen" not in t]
            assert all(toetsen), f"{menu.title()}: {teksten}"
            assert len(set(toetsen)) == len(toetsen), f"{menu.title()}: {teksten}"


def test_instellingen(qtbot: Any, window: MainWindow) -> None:
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    check(dialog)


def test_wachtwoord_and_herstelsleutel_dialogs(qtbot: Any, window: MainWindow) -> None:
    for dialog in (WachtwoordWijzigenDialog(window.session, window),
                   WachtwoordWijzigenDialog(window.session, window, verplicht=True),
                   HerstelsleutelDialog("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789", "werk.okdb", window)):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        check(dialog)
        dialog.hide()


def test_terugzetten_handleiding_and_over(qtbot: Any, window: MainWindow) -> None:
    for dialog in (TerugzettenDialog(window.session, window.automatische_backups.map, window),
                   HandleidingVenster(window), OverDialog(window)):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        check(dialog)
        dialog.hide()


def test_the_check_itself_finds_a_nameless_field_a_field_off_the_tab_chain_and_a_shared_alt_key(
        qtbot: Any, qapp: Any) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    venster = QWidget()
    qtbot.addWidget(venster)
    layout = QVBoxLayout(venster)
    naamloos = QLineEdit()
    buiten = QPushButton("&Verder")
    buiten.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    dubbel = QPushButton("&Vorige")
    for w in (naamloos, buiten, dubbel):
        layout.addWidget(w)
    venster.show()
    with pytest.raises(AssertionError) as fout:
        check(venster)
    tekst = str(fout.value)
    assert "no accessible name: QLineEdit" in tekst
    assert "not reached with Tab: QPushButton" in tekst
    assert "Alt+V twice" in tekst
