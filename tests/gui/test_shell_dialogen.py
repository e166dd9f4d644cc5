"""The app shell's file dialogs go through ui/bestandsdialoog.py, each with its own purpose (issue 14): the welcome's
new and existing store, Back-up maken, the folders and the logo in Instellingen; and its questions name what they
do (Back-up terugzetten)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ontkoppel_desktop import paths
from ontkoppel_desktop.store import backups
from ontkoppel_desktop.ui import bestandsdialoog, vraag
from ontkoppel_desktop.ui.app import Controller
from ontkoppel_desktop.ui.backups import TerugzettenDialog
from ontkoppel_desktop.ui.main_window import SettingsDialog
from tests.gui.conftest import Messages, open_main_window


class Dialogen:
    """Stands in for Qt's file dialogs: records where each opened and answers with the next path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gevraagd: list[tuple[str, str]] = []  # (title, start)
        self.antwoord = ""
        for naam in ("getSaveFileName", "getOpenFileName"):
            monkeypatch.setattr(QFileDialog, naam, staticmethod(self._bestand))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(self._map))

    def _bestand(self, _parent: Any, titel: str, start: str, filter_: str) -> tuple[str, str]:
        self.gevraagd.append((titel, start))
        return self.antwoord, filter_

    def _map(self, _parent: Any, titel: str, start: str) -> str:
        self.gevraagd.append((titel, start))
        return self.antwoord


@pytest.fixture
def dialogen(monkeypatch: pytest.MonkeyPatch) -> Dialogen:
    return Dialogen(monkeypatch)


def _map(doel: str) -> str:
    return bestandsdialoog.laatste_map(doel)


def test_the_welcome_remembers_where_stores_are(qtbot: Any, controller: Controller, dialogen: Dialogen,
                                                tmp_path: Path) -> None:
    (tmp_path / "opslagen").mkdir()
    controller.start(None, demo=False, demo_if_new=False)
    welcome = controller.welcome
    assert welcome is not None
    qtbot.mouseClick(welcome.nieuw_knop, Qt.MouseButton.LeftButton)
    bladeren = next(b for b in welcome.findChildren(type(welcome.nieuw_knop)) if b.text() == "B&laderen…")
    dialogen.antwoord = str(tmp_path / "opslagen" / "team")
    qtbot.mouseClick(bladeren, Qt.MouseButton.LeftButton)
    assert dialogen.gevraagd[-1] == ("Nieuwe opslag", str(paths.documents_dir() / "Ontkoppelingen.okdb"))
    assert welcome.bestand.text() == str(tmp_path / "opslagen" / "team.okdb"), "the extension added"
    assert _map("opslag") == str(tmp_path / "opslagen")
    # Opening an existing one starts in the same folder: the same purpose.
    welcome.stack.setCurrentIndex(0)
    dialogen.antwoord = ""
    qtbot.mouseClick(welcome.open_knop, Qt.MouseButton.LeftButton)
    assert dialogen.gevraagd[-1] == ("Opslag openen", str(tmp_path / "opslagen"))


def test_back_up_maken_opens_in_the_last_back_up_folder(qtbot: Any, store_path: Path, dialogen: Dialogen,
                                                        tmp_path: Path, messages: Messages) -> None:
    window = open_main_window(qtbot, store_path)
    (tmp_path / "usb").mkdir()
    dialogen.antwoord = str(tmp_path / "usb" / "kopie")
    messages.answer = QMessageBox.StandardButton.Cancel  # Sluiten, not Toon in map
    window.backup_action.trigger()
    naam = f"werk-backup-{dt.date.today():%Y-%m-%d}.okdb"
    assert dialogen.gevraagd[-1] == ("Back-up maken", str(paths.documents_dir() / naam))
    target = tmp_path / "usb" / "kopie.okdb"
    assert target.exists() and paths.keys_file_for(target).exists()
    assert messages.shown[-1][0] == "Back-up gemaakt" and "Bewaar beide bestanden samen" in messages.shown[-1][1]
    dialogen.antwoord = ""
    window.backup_action.trigger()
    assert dialogen.gevraagd[-1] == ("Back-up maken", str(tmp_path / "usb" / naam))
    window.session.lock()
    window.close()


def test_instellingen_folders_and_logo_each_remember_their_own(qtbot: Any, store_path: Path, dialogen: Dialogen,
                                                               tmp_path: Path) -> None:
    window = open_main_window(qtbot, store_path)
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    for folder in ("teksten", "backups", "logos"):
        (tmp_path / folder).mkdir()
    dialogen.antwoord = str(tmp_path / "teksten")
    kies_berichten = next(b for b in dialog.findChildren(type(dialog.kopieer)) if b.text() == "Kie&zen…")
    qtbot.mouseClick(kies_berichten, Qt.MouseButton.LeftButton)
    assert dialog.berichten_map.text() == str(tmp_path / "teksten")

    dialogen.antwoord = str(tmp_path / "backups")
    kies_backups = next(b for b in dialog.backups.findChildren(type(dialog.kopieer)) if b.text() == "Kies ma&p…")
    qtbot.mouseClick(kies_backups, Qt.MouseButton.LeftButton)
    assert dialog.backups.map.text() == str(tmp_path / "backups")

    dialogen.antwoord = str(tmp_path / "logos" / "logo.png")
    qtbot.mouseClick(dialog.kies_logo, Qt.MouseButton.LeftButton)
    assert dialog.instituut_logo.text() == str(tmp_path / "logos" / "logo.png")
    assert dialog.logo_melding.isVisible(), "a logo that is not there is said at once"

    assert [_map(d) for d in ("berichten", "backupmap", "logo")] == [
        str(tmp_path / "teksten"), str(tmp_path / "backups"), str(tmp_path / "logos")]
    dialogen.antwoord = ""
    qtbot.mouseClick(dialog.kies_logo, Qt.MouseButton.LeftButton)
    assert dialogen.gevraagd[-1] == ("Logo van het instituut", str(tmp_path / "logos"))
    dialog.reject()
    window.session.lock()
    window.close()


def test_back_up_terugzetten_says_what_it_will_do(qtbot: Any, store_path: Path, messages: Messages,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_main_window(qtbot, store_path)
    qtbot.waitUntil(lambda: len(backups.lijst(window.automatische_backups.map)) == 1, timeout=10_000)
    buttons: list[list[str]] = []

    def answer(box: QMessageBox) -> Any:
        buttons.append([b.text() for b in box.buttons()])
        return box.escapeButton()  # Escape: nothing happens

    monkeypatch.setattr(vraag, "_toon", answer)
    window.terugzetten_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TerugzettenDialog) and w.isVisible())
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert buttons == [["Back-up &terugzetten en vergrendelen", "Annuleren"]]
    assert not window.session.is_locked and dialog.isVisible()
    dialog.reject()
    window.session.lock()
    window.close()


def test_instellingen_cuts_no_text_on_a_small_screen(qtbot: Any, store_path: Path) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLabel, QLineEdit

    window = open_main_window(qtbot, store_path)
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= dialog.screen().availableGeometry().height()
    for label in dialog.findChildren(QLabel):
        if label.isVisibleTo(dialog) and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    for control in dialog.findChildren(QLineEdit) + dialog.findChildren(QAbstractButton):
        if control.isVisibleTo(dialog) and not isinstance(control.parentWidget(), QAbstractSpinBox):
            assert control.height() >= control.minimumSizeHint().height(), control
    dialog.reject()
    window.session.lock()
    window.close()
