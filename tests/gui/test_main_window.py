"""The main window: Personen through its forms, locking by hand and by idle time, changing the wachtwoord."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.personen.forms import AiosDialog, OpleiderDialog
from ontkoppel_desktop.ui.wachtwoord import WachtwoordWijzigenDialog
from tests.conftest import WACHTWOORD
from tests.gui.conftest import Messages, open_main_window


@pytest.fixture
def window(qtbot: Any, store_path: Path, fast_kdf: Any) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path)
    yield w
    w.session.lock()
    w.close()


def _dialog(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _personen(window: MainWindow, kind: str) -> Any:
    """Navigate as a user does: Personen in the navigation, then the tab."""
    window.show_section(window.personen)
    return window.personen.show_kind(kind)


def _unlock(qtbot: Any, window: MainWindow, wachtwoord: str = WACHTWOORD) -> None:
    panel = window.lock_page.panel
    qtbot.keyClicks(panel.veld, wachtwoord)
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)


def test_add_an_aios_through_the_form(qtbot: Any, window: MainWindow) -> None:
    tab = _personen(window, "aios")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 9)
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(AiosDialog)
    qtbot.keyClicks(dialog.voornaam, "Zo")
    dialog.voornaam.insert("ë")  # QTest types ASCII only; a user types ë with a dead key
    qtbot.keyClicks(dialog.tussenvoegsel, "van der")
    qtbot.keyClicks(dialog.achternaam, "Xenakis")
    dialog.jaar.setCurrentIndex(dialog.jaar.findData(3))
    dialog.deeltijd.setValue(80)
    dialog.groep.setCurrentIndex(1)
    assert " en " in dialog.docenten.text(), "the groep shows its two docenten"
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.total == 10)
    saved = [a for a in window.session.store.personen.aios() if a.naam.achternaam == "Xenakis"]
    assert len(saved) == 1 and saved[0].opleidingsjaar == 3 and saved[0].deeltijdpercentage == 80
    # Searching finds it, accents and case ignored.
    qtbot.keyClicks(tab.zoek, "zoe xenak")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.model.data(tab.model.index(0, 0)) == "Xenakis, Zoë van der"
    assert tab.aantal.text() == "1 van 10 aios"


def test_form_shows_the_rule_and_keeps_the_input(qtbot: Any, window: MainWindow) -> None:
    tab = _personen(window, "opleider")
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = _dialog(OpleiderDialog)
    qtbot.keyClicks(dialog.achternaam, "Duo")
    dialog.praktijk.setCurrentIndex(1)
    dialog.duo.setChecked(True)
    dialog.aanwezig.setValue(35)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "minimaal 40 %" in dialog.fout.text()
    assert dialog.achternaam.text() == "Duo"
    dialog.aanwezig.setValue(40)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(o.naam.achternaam == "Duo" for o in window.session.store.personen.opleiders()))


def test_cancel_with_typed_input_asks_first(qtbot: Any, window: MainWindow, messages: Messages) -> None:
    tab = _personen(window, "aios")
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(AiosDialog)
    qtbot.keyClicks(dialog.achternaam, "Halverwege")
    messages.answer = messages.answer.Cancel
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and messages.shown[-1][0] == "Wijzigingen niet opgeslagen"
    messages.answer = messages.answer.Discard
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_edit_and_archive_can_be_undone(qtbot: Any, window: MainWindow) -> None:
    tab = _personen(window, "praktijk")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4)
    tab.table.setFocus()
    tab.table.selectRow(0)
    first = tab.model.row_at(0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    assert first.id not in {p.id for p in window.session.store.personen.praktijken()}
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4)
    assert first.id in {p.id for p in window.session.store.personen.praktijken()}

    tab.select_id(first.id)
    qtbot.mouseClick(tab.bewerk, Qt.MouseButton.LeftButton)
    from ontkoppel_desktop.ui.personen.forms import PraktijkDialog

    dialog = _dialog(PraktijkDialog)
    dialog.plaats.clear()
    qtbot.keyClicks(dialog.plaats, "Oudewater")
    qtbot.keyClick(dialog.plaats, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    by_id = lambda: {p.id: p for p in window.session.store.personen.praktijken()}  # noqa: E731
    assert by_id()[first.id].plaats == "Oudewater"
    window.undo_stack.undo()
    assert by_id()[first.id].plaats == first.plaats
    window.undo_stack.redo()
    assert by_id()[first.id].plaats == "Oudewater"


def test_ctrl_l_locks_hides_everything_and_keeps_typed_input(qtbot: Any, window: MainWindow) -> None:
    tab = _personen(window, "aios")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 9)
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(AiosDialog)
    qtbot.keyClicks(dialog.achternaam, "Onopgeslagen")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session.is_locked
    assert window.root.currentWidget() is window.lock_page
    assert not dialog.isVisible()
    assert tab.model.rowCount() == 0, "no confidential rows stay in the model while locked"
    assert window.lock_label.text() == "Vergrendeld"
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [window]
    _unlock(qtbot, window, "Verkeerd-wachtwoord-9")
    qtbot.waitUntil(lambda: "Onjuist" in window.lock_page.panel.fout.text())
    assert window.session.is_locked
    window.lock_page.panel.veld.clear()
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.session.is_locked)
    assert dialog.isVisible() and dialog.achternaam.text() == "Onopgeslagen"
    qtbot.waitUntil(lambda: tab.model.rowCount() == 9)


def test_idle_time_locks_by_itself(qtbot: Any, window: MainWindow) -> None:
    window.session.set_idle_minutes(0.5 / 60)  # half a second
    qtbot.waitUntil(lambda: window.session.is_locked, timeout=5_000)
    assert window.root.currentWidget() is window.lock_page
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.session.is_locked)


def test_idle_lock_follows_the_wall_clock(qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """A laptop waking from sleep: the wall clock jumped, no timer ran meanwhile."""
    import time

    window.session.set_idle_minutes(5)
    assert not window.session.is_locked
    woke_at = time.time() + 6 * 60
    monkeypatch.setattr(time, "time", lambda: woke_at)
    qtbot.waitUntil(lambda: window.session.is_locked, timeout=3_000)


def test_change_wachtwoord_from_the_menu(qtbot: Any, window: MainWindow, store_path: Path) -> None:
    window.wachtwoord_action.trigger()
    dialog = _dialog(WachtwoordWijzigenDialog)
    qtbot.keyClicks(dialog.huidig, "Niet-het-huidige-1")
    qtbot.keyClicks(dialog.nieuw.eerste, "Nieuw-Wachtwoord-2026")
    qtbot.keyClicks(dialog.nieuw.tweede, "Nieuw-Wachtwoord-2026")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.fout.text() == "Het huidige wachtwoord klopt niet.")
    dialog.huidig.clear()
    qtbot.keyClicks(dialog.huidig, WACHTWOORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    window.session.lock()
    _unlock(qtbot, window, "Nieuw-Wachtwoord-2026")
    qtbot.waitUntil(lambda: not window.session.is_locked)


def test_keyboard_only_navigation(qtbot: Any, window: MainWindow) -> None:
    tab = _personen(window, "aios")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 9)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.zoek.hasFocus()


def test_locked_menus_show_no_names(qtbot: Any, window: MainWindow) -> None:
    tab = _personen(window, "praktijk")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4)
    tab.table.selectRow(0)
    tab.toggle_archived()
    assert window.undo_stack.undoText()
    window.session.lock()
    visible_menus = [a.text() for a in window.menuBar().actions() if a.isVisible()]
    assert visible_menus == ["&Bestand", "&Help"]


def test_dialog_buttons_are_dutch(qtbot: Any, window: MainWindow) -> None:
    tab = _personen(window, "aios")
    qtbot.mouseClick(tab.nieuw, Qt.MouseButton.LeftButton)
    dialog = _dialog(AiosDialog)
    texts = {b.text().replace("&", "") for b in dialog.buttons.buttons()}
    assert texts == {"Opslaan", "Annuleren"}
    assert dialog.start.calendarWidget().firstDayOfWeek() == Qt.DayOfWeek.Monday
    dialog.reject()


def test_delete_archives_only_from_the_list_itself(qtbot: Any, window: MainWindow) -> None:
    """Delete in a form field or the search field of Personen edits text; only in the list it archives."""
    tab = _personen(window, "praktijk")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4)
    tab.table.selectRow(0)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Delete)
    assert tab.model.rowCount() == 4
    tab.zoek.setFocus()
    qtbot.keyClick(tab.zoek, Qt.Key.Key_Delete)
    assert tab.model.rowCount() == 4
