"""Automatic back-ups in the app (issue 13), as a user meets them: one is made without asking (daily, and on
closing after changes), Back-up terugzetten from the Bestand menu, the folder in Instellingen with a warning for
a synced one, and a damaged store at start offers the newest back-up that opens."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store import backups
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui import backups as ui_backups
from ontkoppel_desktop.ui.app import Controller
from ontkoppel_desktop.ui.backups import TerugzettenDialog
from tests.conftest import WACHTWOORD
from tests.gui.conftest import Messages, open_main_window


def _map(store_path: Path) -> Path:
    key_file = Store.read_key_file(store_path)
    return ui_backups.map_van(Settings.load(), store_path, key_file.store_id)


def _achternamen(path: Path, wachtwoord: str = WACHTWOORD) -> set[str]:
    store = Store.open(path, wachtwoord)
    try:
        return {a.naam.achternaam for a in store.personen.aios()}
    finally:
        store.close()


def _add(window: Any, achternaam: str) -> None:
    window.session.store.personen.save_aios(Aios(Naam("Test", "", achternaam), 1, date(2026, 3, 1)))


def test_the_daily_back_up_is_made_without_asking(qtbot: Any, store_path: Path) -> None:
    window = open_main_window(qtbot, store_path)
    folder = window.automatische_backups.map
    assert folder.is_relative_to(backups.standaard_basis())
    qtbot.waitUntil(lambda: len(backups.lijst(folder)) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "Automatische back-up gemaakt" in window.statusBar().currentMessage())
    # Once a day: a second look the same day makes none.
    window.automatische_backups.controleer()
    assert len(backups.lijst(folder)) == 1


def test_closing_after_changes_makes_a_back_up_with_them(qtbot: Any, store_path: Path) -> None:
    window = open_main_window(qtbot, store_path)
    folder = window.automatische_backups.map
    qtbot.waitUntil(lambda: len(backups.lijst(folder)) == 1, timeout=10_000)
    _add(window, "NaDeBackup")
    window.session.lock()  # a lock in between: the change still counts
    window.session.unlock_with_key(window.session.store.key_file.unwrap_wachtwoord(WACHTWOORD))
    window.close()
    made = backups.lijst(folder)
    assert len(made) == 2
    assert "NaDeBackup" in _achternamen(made[0].path)


def test_back_up_terugzetten_from_the_menu(qtbot: Any, store_path: Path, messages: Messages) -> None:
    window = open_main_window(qtbot, store_path)
    folder = window.automatische_backups.map
    qtbot.waitUntil(lambda: len(backups.lijst(folder)) == 1, timeout=10_000)
    _add(window, "TeLaatVoorDeBackup")
    window.terugzetten_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TerugzettenDialog) and w.isVisible())
    assert dialog.lijst.count() == 1 and f"{dt.date.today().year}" in dialog.lijst.item(0).text()
    messages.answer = QMessageBox.StandardButton.Ok
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert window.session.is_locked
    panel = window.lock_page.panel
    assert "is teruggezet" in panel.fout.text() and "voor-terugzetten" in panel.fout.text()
    qtbot.keyClicks(panel.veld, WACHTWOORD)
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=10_000)
    names = {a.naam.achternaam for a in window.session.store.personen.aios()}
    assert "TeLaatVoorDeBackup" not in names and names
    kept = [p for p in store_path.parent.iterdir() if "voor-terugzetten" in p.name and p.suffix == ".okdb"]
    assert len(kept) == 1
    window.session.lock()
    window.close()
    assert "TeLaatVoorDeBackup" in _achternamen(kept[0])


def test_a_synced_back_up_folder_is_warned_about_in_instellingen(qtbot: Any, store_path: Path,
                                                                 tmp_path: Path) -> None:
    from ontkoppel_desktop.ui.main_window import SettingsDialog

    window = open_main_window(qtbot, store_path)
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    groep = dialog.backups
    assert groep.aan.isChecked() and not groep.melding.isVisible()
    groep.map.setText(str(tmp_path / "Dropbox" / "back-ups"))
    groep.map.editingFinished.emit()
    assert groep.melding.isVisible() and "Dropbox" in groep.melding.text() and "cloud" in groep.melding.text()
    groep.aan.setChecked(False)
    dialog.accept()
    assert window.session.settings.backup_map == str(tmp_path / "Dropbox" / "back-ups")
    assert not window.session.settings.backups_automatisch


def test_a_damaged_store_at_start_offers_the_newest_back_up(qtbot: Any, store_path: Path,
                                                            controller: Controller) -> None:
    store = Store.open(store_path, WACHTWOORD)
    folder = _map(store_path)
    store.backup_taak(folder)()
    store.personen.save_aios(Aios(Naam("Na", "", "Backup"), 1, date(2026, 3, 1)))
    store.close()
    store_path.write_bytes(store_path.read_bytes()[:-1000])  # cut off: refused at once, before the window
    offered: list[str] = []

    def accept_offer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                offered.append(widget.text())
                next(b for b in widget.buttons() if "terugzetten" in b.text()).click()
                return
        QTimer.singleShot(50, accept_offer)

    controller.start(None, demo=False, demo_if_new=False)
    unlock = controller.unlock
    assert unlock is not None
    QTimer.singleShot(50, accept_offer)
    qtbot.keyClicks(unlock.panel.veld, WACHTWOORD)
    qtbot.keyClick(unlock.panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible(), timeout=15_000)
    assert offered and "beschadigd" in offered[0] and "automatische back-up van" in offered[0]
    names = {a.naam.achternaam for a in controller.window.session.store.personen.aios()}
    assert "Backup" not in names and names
    assert any("voor-terugzetten" in p.name for p in store_path.parent.iterdir())


def test_damage_found_by_the_background_check_offers_back_up_terugzetten(qtbot: Any, store_path: Path,
                                                                         messages: Messages) -> None:
    store = Store.open(store_path, WACHTWOORD)
    # Two days old: the daily back-up is due.
    backups.maak(store.path, store.key_file, store._data_key or b"", _map(store_path),
                 dt.datetime.now() - dt.timedelta(days=2))
    # A page no screen reads when the window opens (the received verslagen of an institute): found by the full
    # check in the background, after the window is open; the window opens to say so.
    pagina = store.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ontvangen_verslag'").fetchone()[0]
    grootte = int(store.conn.execute("PRAGMA page_size").fetchone()[0])
    store.close()
    data = bytearray(store_path.read_bytes())
    data[(pagina - 1) * grootte + grootte // 2] ^= 0x20
    store_path.write_bytes(bytes(data))
    from ontkoppel_desktop.ui.main_window import MainWindow
    from ontkoppel_desktop.ui.session import InstanceLock, Session

    lock = InstanceLock(store_path)
    lock.acquire()
    key_file = Store.read_key_file(store_path)
    damaged = Store.open_with_key(store_path, key_file, key_file.unwrap_wachtwoord(WACHTWOORD),
                                  check_in_background=True)
    window = MainWindow(Session(damaged, lock, Settings.load()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: any(isinstance(w, TerugzettenDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    assert any(title == "Bestand beschadigd" for title, _ in messages.shown)
    assert "Back-up terugzetten" in messages.shown[0][1]
    # No automatic back-up of a damaged file, however long the window stays open.
    window.automatische_backups.controleer()
    qtbot.waitUntil(lambda: "beschadigd" in window.automatische_backups.laatste_fout, timeout=10_000)
    assert len(backups.lijst(_map(store_path))) == 1
    window.session.lock()
    window.close()
