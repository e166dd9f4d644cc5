"""Personen as a new user meets it (issue 14): the Aanwezigheid label has its Alt key instead of a literal '&',
a new aios saved during a search does not vanish without a word, "geen-email" is refused as an e-mail address,
a new opleider gets its praktijk made from its own form, every list has a right-click menu with its actions, and
every form has names a screen reader says, Tab reaches every control and no two share an Alt key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMenu

from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.personen.forms import AiosDialog, OpleiderDialog, PraktijkDialog, RecordDialog
from ontkoppel_desktop.ui.personen.view import KindTab
from tests.gui.conftest import open_main_window
from tests.gui.test_toegankelijk_shell import check

KINDS = ("aios", "opleider", "praktijk", "groep", "docent", "medewerker", "koppeling")


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path)
    yield w
    w.session.lock()
    w.close()


def _tab(qtbot: Any, window: MainWindow, kind: str) -> KindTab:
    window.show_section(window.personen)
    tab = window.personen.show_kind(kind)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    return tab


def _dialog(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _save(qtbot: Any, dialog: RecordDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_the_aanwezigheid_label_has_an_alt_key_not_an_ampersand(qtbot: Any, window: MainWindow) -> None:
    tab = _tab(qtbot, window, "opleider")
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(OpleiderDialog)
    label = next(w for w in dialog.findChildren(QLabel) if "Aanwezigheid" in w.text())
    assert label.buddy() is dialog.aanwezig, "without a buddy QLabel shows '&Aanwezigheid:' as it is"
    assert label.text() == "&Aanwezigheid:"
    dialog.done(0)


def test_a_new_aios_hidden_by_the_search_is_shown_and_said(qtbot: Any, window: MainWindow) -> None:
    tab = _tab(qtbot, window, "aios")
    qtbot.keyClicks(tab.zoek, "qqq-niemand")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(AiosDialog)
    qtbot.keyClicks(dialog.voornaam, "Vera")
    qtbot.keyClicks(dialog.achternaam, "Zichtbaar")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert tab.zoek.text() == ""
    assert "Zichtbaar, Vera" in [tab.model.data(tab.model.index(r, 0)) for r in range(tab.model.rowCount())]
    assert tab.model.data(tab.table.currentIndex().siblingAtColumn(0)) == "Zichtbaar, Vera"
    assert "zoekopdracht 'qqq-niemand' is gewist" in tab.melding
    assert "qqq-niemand" in window.statusBar().currentMessage()


def test_a_search_that_shows_the_new_aios_stays(qtbot: Any, window: MainWindow) -> None:
    tab = _tab(qtbot, window, "aios")
    qtbot.keyClicks(tab.zoek, "Zichtbaar")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(AiosDialog)
    qtbot.keyClicks(dialog.achternaam, "Zichtbaar")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.zoek.text() == "Zichtbaar" and tab.melding == ""


def test_geen_email_is_refused_by_the_form(qtbot: Any, window: MainWindow) -> None:
    tab = _tab(qtbot, window, "aios")
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(AiosDialog)
    qtbot.keyClicks(dialog.achternaam, "Mailloos")
    qtbot.keyClicks(dialog.email, "geen-email")
    _save(qtbot, dialog)
    assert dialog.isVisible() and "geen e-mailadres" in dialog.fout.text()
    assert not any(a.naam.achternaam == "Mailloos" for a in window.session.store.personen.aios())
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "vera@praktijk.nl")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [a.email for a in window.session.store.personen.aios() if a.naam.achternaam == "Mailloos"] == [
        "vera@praktijk.nl"]


def test_a_new_opleider_makes_its_praktijk_in_its_own_form(qtbot: Any, window: MainWindow) -> None:
    tab = _tab(qtbot, window, "opleider")
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(OpleiderDialog)
    qtbot.keyClicks(dialog.achternaam, "Nieuwkomer")
    qtbot.mouseClick(dialog.nieuwe_praktijk, Qt.MouseButton.LeftButton)
    praktijk = _dialog(PraktijkDialog)
    assert praktijk.windowTitle() == "Nieuwe praktijk"
    qtbot.keyClicks(praktijk.naam_edit, "Praktijk De Nieuwe Weg")
    qtbot.keyClicks(praktijk.plaats, "Houten")
    _save(qtbot, praktijk)
    qtbot.waitUntil(lambda: not praktijk.isVisible())
    assert dialog.isVisible()
    assert dialog.praktijk.currentText() == "Praktijk De Nieuwe Weg (Houten)"
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    store = window.session.store.personen
    nieuw = next(p for p in store.praktijken() if p.naam == "Praktijk De Nieuwe Weg")
    assert [o.praktijk_id for o in store.opleiders() if o.naam.achternaam == "Nieuwkomer"] == [nieuw.id]
    praktijken = window.personen.show_kind("praktijk")
    qtbot.waitUntil(lambda: praktijken.model.row_of_id(nieuw.id) is not None)


def _menu_texts(qtbot: Any, tab: KindTab) -> list[str]:
    texts: list[str] = []

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            texts.extend(a.text() for a in menu.actions() if not a.isSeparator() and a.isEnabled())
            menu.close()
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)
    tab.table.customContextMenuRequested.emit(tab.table.visualRect(tab.table.currentIndex()).center()
                                              if tab.table.currentIndex().isValid() else QPoint(5, 5))
    return texts


@pytest.mark.parametrize("kind", KINDS)
def test_every_list_has_a_right_click_menu_with_its_actions(qtbot: Any, window: MainWindow, kind: str) -> None:
    tab = _tab(qtbot, window, kind)
    tab.table.selectRow(0)
    texts = _menu_texts(qtbot, tab)
    assert texts[:2] == ["&Bewerken…", "&Archiveren"], texts
    assert texts[-1] == f"&Nieuwe {tab.kind.enkelvoud}…"
    assert ("In&zage-export…" in texts) == (kind in ("aios", "opleider"))


@pytest.mark.parametrize("kind", KINDS)
def test_every_form_speaks_and_is_reached_with_the_keyboard(qtbot: Any, window: MainWindow, kind: str) -> None:
    tab = _tab(qtbot, window, kind)
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(tab.kind.dialog)
    if isinstance(dialog, OpleiderDialog):
        dialog.duo.setChecked(True)  # Aanwezigheid and Hoofdopleider only take part for a duo
    check(dialog)
    dialog.done(0)
