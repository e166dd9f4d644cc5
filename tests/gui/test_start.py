"""First start, creating a store by typing, unlocking with a wrong and then the right wachtwoord,
the herstelsleutel, and one app per store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from ontkoppel_desktop import paths
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.app import Controller
from ontkoppel_desktop.ui.session import InstanceLock
from ontkoppel_desktop.ui.wachtwoord import WachtwoordWijzigenDialog
from tests.conftest import WACHTWOORD
from tests.gui.conftest import Messages

NIEUW = "Paard-Batterij-Nietje-42"


def test_first_start_creates_a_store_by_typing(qtbot, controller: Controller, tmp_path: Path) -> None:
    controller.start(None, demo=False, demo_if_new=False)
    welcome = controller.welcome
    assert welcome is not None and welcome.isVisible()
    from PySide6.QtWidgets import QLabel as _QLabel

    assert any("Welkom bij Ontkoppel Desktop" in label.text() for label in welcome.findChildren(_QLabel))
    qtbot.mouseClick(welcome.nieuw_knop, Qt.MouseButton.LeftButton)
    welcome.bestand.clear()
    qtbot.keyClicks(welcome.bestand, str(tmp_path / "mijn-opslag"))
    form = welcome.wachtwoord
    qtbot.keyClicks(form.eerste, "kort")
    assert form.sterkte.text().startswith("Te kort")
    assert not welcome.maak_knop.isEnabled()
    form.eerste.clear()
    qtbot.keyClicks(form.eerste, NIEUW)
    qtbot.keyClicks(form.tweede, NIEUW[:-1])
    assert "niet gelijk" in form.melding.text()
    assert not welcome.maak_knop.isEnabled()
    qtbot.keyClicks(form.tweede, NIEUW[-1])
    assert form.sterkte.text() in ("Goed", "Sterk")
    assert welcome.maak_knop.isEnabled()
    qtbot.mouseClick(welcome.maak_knop, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: controller.herstel is not None and controller.herstel.isVisible(), timeout=10_000)
    herstel = controller.herstel
    assert herstel is not None
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    sleutel = herstel.findChild(QLabel, "herstelsleutel").text()
    assert len(sleutel) == 39 and sleutel.count("-") == 7
    verder = herstel.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not verder.isEnabled(), "Verder only after confirming the key is written down"
    herstel.reject()  # Escape must not lose the only copy of the key
    assert herstel.isVisible()
    herstel.bevestig.click()
    qtbot.mouseClick(verder, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    created = tmp_path / "mijn-opslag.okdb"
    assert created.exists() and paths.keys_file_for(created).exists()
    assert Settings.load().last_store == str(created)
    assert controller.window.lock_label.text() == "Ontgrendeld"
    assert str(created) in controller.window.store_label.text()
    # The herstelsleutel opens what was just created.
    controller.window.session.lock()
    controller.window.close()
    Store.open_with_herstelsleutel(created, sleutel).close()


def test_unlock_wrong_then_right_wachtwoord(qtbot, store_path: Path, controller: Controller) -> None:
    before = store_path.read_bytes()
    controller.start(None, demo=False, demo_if_new=False)
    unlock = controller.unlock
    assert unlock is not None and store_path.name in unlock.panel.titel.text()
    qtbot.keyClicks(unlock.panel.veld, "Helemaal-fout-123")
    qtbot.keyClick(unlock.panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Onjuist wachtwoord." in unlock.panel.fout.text())
    assert store_path.read_bytes() == before
    assert controller.window is None
    unlock.panel.veld.clear()
    qtbot.keyClicks(unlock.panel.veld, WACHTWOORD)
    qtbot.keyClick(unlock.panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    window = controller.window
    window.show_section(window.personen)
    tab = window.personen.current_tab()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 9)


def test_herstelsleutel_opens_and_forces_a_new_wachtwoord(qtbot, controller: Controller, tmp_path: Path) -> None:
    from tests.conftest import FAST_KDF

    nieuw = Store.create(tmp_path / "h.okdb", WACHTWOORD, FAST_KDF)
    nieuw.store.close()
    controller.start(str(nieuw.store.path), demo=False, demo_if_new=False)
    panel = controller.unlock.panel
    qtbot.mouseClick(panel.wissel, Qt.MouseButton.LeftButton)
    assert "Herstelsleutel" in panel.veld_label.text().replace("&", "")
    qtbot.keyClicks(panel.veld, nieuw.herstelsleutel.lower().replace("-", " "))
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None)
    dialog = controller.window.findChild(WachtwoordWijzigenDialog)
    assert dialog is not None and dialog.isVisible() and dialog.verplicht
    dialog.reject()  # cannot be skipped
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.nieuw.eerste, NIEUW)
    qtbot.keyClicks(dialog.nieuw.tweede, NIEUW)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert not controller.window.session.store.needs_new_wachtwoord
    controller.window.session.lock()
    controller.window.close()
    Store.open(nieuw.store.path, NIEUW).close()


def test_a_second_app_on_the_same_store_is_told_so(qtbot, store_path: Path, controller: Controller,
                                                    messages: Messages) -> None:
    other = InstanceLock(store_path)
    other.acquire()
    try:
        controller.start(str(store_path), demo=False, demo_if_new=False)
        assert controller.unlock is None
        assert messages.shown and "al geopend" in messages.shown[-1][1]
        assert controller.welcome is not None  # and can choose another file
    finally:
        other.release()


def test_a_stale_lock_after_a_crash_is_recovered(store_path: Path, qapp) -> None:
    lock_path = paths.lock_file_for(store_path)
    code = (
        "import os, sys\n"
        "from PySide6.QtCore import QLockFile\n"
        f"lock = QLockFile({str(lock_path)!r})\n"
        "assert lock.tryLock(0)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert result.returncode == -signal.SIGKILL
    assert lock_path.exists(), "the crashed process left its lock behind"
    lock = InstanceLock(store_path)
    lock.acquire()
    lock.release()


def test_demo_opens_without_asking(qtbot, controller: Controller) -> None:
    controller.start(None, demo=True, demo_if_new=False)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=30_000)
    window = controller.window
    assert window.session.demo and "Demo — fictieve gegevens" in window.windowTitle()
    window.show_section(window.personen)
    qtbot.waitUntil(lambda: window.personen.current_tab().model.rowCount() > 100)
    assert Settings.load().last_store == "", "the demo is never remembered as the user's own store"
    assert os.path.exists(paths.demo_store())


def test_closing_the_demo_window_leaves_nothing_open(qtbot, controller: Controller) -> None:
    from PySide6.QtWidgets import QApplication

    controller.start(None, demo=True, demo_if_new=False)
    qtbot.waitUntil(lambda: controller.window is not None, timeout=30_000)
    controller.window.close()
    qtbot.waitUntil(lambda: not [w for w in QApplication.topLevelWidgets() if w.isVisible()])
    controller.window = None
