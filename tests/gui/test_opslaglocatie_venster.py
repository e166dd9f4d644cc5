"""Where a store may live, through the real windows (issue 12, defect 8): a store on a network folder is neither
opened nor made, and nothing is written there, not even a lock file; a synced folder gets a warning whose two
buttons say what they do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from ontkoppel_desktop import opslaglocatie, paths
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.app import Controller
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import Messages
from tests.gui.vraagvenster import Beantwoord

NIEUW = "Paard-Batterij-Nietje-42"


def _inhoud(map_: Path) -> list[str]:
    return sorted(p.name for p in map_.iterdir())


@pytest.fixture
def netwerkmap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder the mount table says is an SMB share (the test cannot reach a real server)."""
    nas = tmp_path / "nas"
    nas.mkdir()
    mounts = f"/dev/vda / ext4 rw 0 0\n//nas.praktijk.local/team {nas} cifs rw,vers=3.1.1 0 0\n"
    monkeypatch.setattr(opslaglocatie, "systeem_mounts", lambda: mounts)
    return nas


def _maak_opslag(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.create(path, WACHTWOORD, FAST_KDF).store
    store.close()
    return store.path


def _assert_netwerk_geweigerd(messages: Messages, controller: Controller) -> None:
    titel, tekst = messages.shown[-1]
    assert titel == "Niet op een netwerkmap"
    assert "netwerkkoppeling (cifs" in tekst and "WAL" in tekst and "beschadigen" in tekst
    assert "Kopieer het databasebestand en het sleutelbestand" in tekst
    assert controller.unlock is None
    assert controller.welcome is not None and controller.welcome.isVisible()


def test_a_store_on_a_network_folder_is_not_opened(qtbot: Any, controller: Controller, messages: Messages,
                                                   netwerkmap: Path) -> None:
    opslag = _maak_opslag(netwerkmap / "werk.okdb")
    voor = _inhoud(netwerkmap)
    controller.start(str(opslag), demo=False, demo_if_new=False)
    _assert_netwerk_geweigerd(messages, controller)
    assert _inhoud(netwerkmap) == voor == ["werk.okdb", "werk.okdb.sleutel"]


def test_the_last_used_store_on_a_network_folder_is_not_opened_at_start(
    qtbot: Any, controller: Controller, messages: Messages, netwerkmap: Path
) -> None:
    opslag = _maak_opslag(netwerkmap / "werk.okdb")
    settings = Settings.load()
    settings.remember_store(opslag)
    settings.save()
    controller.settings = Settings.load()
    controller.start(None, demo=False, demo_if_new=False)
    _assert_netwerk_geweigerd(messages, controller)
    assert _inhoud(netwerkmap) == ["werk.okdb", "werk.okdb.sleutel"]


def test_another_file_on_a_network_folder_is_not_opened(
    qtbot: Any, store_path: Path, controller: Controller, messages: Messages, netwerkmap: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    opslag = _maak_opslag(netwerkmap / "ander.okdb")
    controller.start(None, demo=False, demo_if_new=False)  # the local last-used store
    assert controller.unlock is not None
    qtbot.mouseClick(controller.unlock.panel.ander, Qt.MouseButton.LeftButton)  # "Ander bestand kiezen…"
    welcome = controller.welcome
    assert welcome is not None
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(opslag), "")))
    qtbot.mouseClick(welcome.open_knop, Qt.MouseButton.LeftButton)
    _assert_netwerk_geweigerd(messages, controller)
    assert _inhoud(netwerkmap) == ["ander.okdb", "ander.okdb.sleutel"]
    assert not paths.lock_file_for(store_path).exists(), "the lock of the first store was let go"


def _vul_nieuw_in(qtbot: Any, controller: Controller, pad: Path) -> Any:
    controller.start(None, demo=False, demo_if_new=False)
    welcome = controller.welcome
    assert welcome is not None
    qtbot.mouseClick(welcome.nieuw_knop, Qt.MouseButton.LeftButton)
    welcome.bestand.clear()
    qtbot.keyClicks(welcome.bestand, str(pad))
    qtbot.keyClicks(welcome.wachtwoord.eerste, NIEUW)
    qtbot.keyClicks(welcome.wachtwoord.tweede, NIEUW)
    assert welcome.maak_knop.isEnabled()
    return welcome


def test_a_new_store_on_a_network_folder_is_not_made(qtbot: Any, controller: Controller,
                                                     netwerkmap: Path) -> None:
    welcome = _vul_nieuw_in(qtbot, controller, netwerkmap / "nieuw")
    qtbot.mouseClick(welcome.maak_knop, Qt.MouseButton.LeftButton)
    assert "netwerkkoppeling (cifs" in welcome.status.text() and "WAL" in welcome.status.text()
    assert "Kies een map op deze computer" in welcome.status.text()
    qtbot.wait(300)  # a store being made in the background would show by now
    assert _inhoud(netwerkmap) == []
    assert controller.herstel is None
    assert welcome.maak_knop.isEnabled(), "the user can choose another file and try again"


def test_opening_in_a_synced_folder_warns_and_another_file_is_the_default(
    qtbot: Any, controller: Controller, messages: Messages, tmp_path: Path
) -> None:
    opslag = _maak_opslag(tmp_path / "Dropbox" / "werk.okdb")
    antwoord = Beantwoord("Ander bestand kiezen")
    try:
        controller.start(str(opslag), demo=False, demo_if_new=False)
    finally:
        antwoord.stop()
    gezien = antwoord.gezien
    assert gezien.aantal == 1 and gezien.titel == "Opslag in een gesynchroniseerde map"
    assert "gesynchroniseerd door Dropbox" in gezien.tekst and "cloud" in gezien.tekst
    assert "oudere of half" in gezien.tekst
    assert gezien.knoppen == ["Toch hier openen", "Ander bestand kiezen"]
    assert gezien.standaard == gezien.escape == "Ander bestand kiezen"
    assert controller.unlock is None
    assert controller.welcome is not None and controller.welcome.isVisible()
    assert _inhoud(opslag.parent) == ["werk.okdb", "werk.okdb.sleutel"]
    assert messages.shown == []


def test_opening_in_a_synced_folder_anyway(qtbot: Any, controller: Controller, tmp_path: Path) -> None:
    opslag = _maak_opslag(tmp_path / "OneDrive - Huisartsopleiding" / "werk.okdb")
    antwoord = Beantwoord("Toch hier openen")
    try:
        controller.start(str(opslag), demo=False, demo_if_new=False)
    finally:
        antwoord.stop()
    assert antwoord.gezien.aantal == 1 and "OneDrive" in antwoord.gezien.tekst
    assert controller.unlock is not None and controller.unlock.isVisible()
    assert paths.lock_file_for(opslag).exists()


def test_making_a_store_in_a_synced_folder_defaults_to_another_folder(
    qtbot: Any, controller: Controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gesynchroniseerd = tmp_path / "Werkmap"
    gesynchroniseerd.mkdir()
    monkeypatch.setenv("OneDriveCommercial", str(gesynchroniseerd))  # OneDrive with a folder of another name
    lokaal = tmp_path / "Lokaal" / "werk.okdb"
    lokaal.parent.mkdir()
    gevraagd: list[str] = []

    def kies_bestand(parent: Any, titel: str, start: str, *a: Any, **k: Any) -> tuple[str, str]:
        gevraagd.append(start)
        return str(lokaal), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(kies_bestand))
    welcome = _vul_nieuw_in(qtbot, controller, gesynchroniseerd / "werk")
    antwoord = Beantwoord("Andere map kiezen")
    try:
        qtbot.mouseClick(welcome.maak_knop, Qt.MouseButton.LeftButton)
    finally:
        antwoord.stop()
    gezien = antwoord.gezien
    assert gezien.aantal == 1 and "gesynchroniseerd door OneDrive" in gezien.tekst
    assert gezien.knoppen == ["Toch hier maken", "Andere map kiezen"]
    assert gezien.standaard == gezien.escape == "Andere map kiezen"
    # It opens where stores were chosen before, else Documenten (ui/bestandsdialoog.py): not in the synced folder.
    assert gevraagd == [str(paths.documents_dir() / "werk")], "the save dialog opened to choose another folder"
    assert welcome.bestand.text() == str(lokaal)
    assert _inhoud(gesynchroniseerd) == []
    assert controller.herstel is None

    qtbot.mouseClick(welcome.maak_knop, Qt.MouseButton.LeftButton)  # in the local folder: no question
    qtbot.waitUntil(lambda: controller.herstel is not None and controller.herstel.isVisible(), timeout=10_000)
    assert lokaal.exists()
    _naar_hoofdvenster(qtbot, controller)


def test_making_a_store_in_a_synced_folder_anyway(qtbot: Any, controller: Controller, tmp_path: Path) -> None:
    welcome = _vul_nieuw_in(qtbot, controller, tmp_path / "Nextcloud" / "werk")
    (tmp_path / "Nextcloud").mkdir()
    antwoord = Beantwoord("Toch hier maken")
    try:
        qtbot.mouseClick(welcome.maak_knop, Qt.MouseButton.LeftButton)
    finally:
        antwoord.stop()
    assert antwoord.gezien.aantal == 1 and "Nextcloud" in antwoord.gezien.tekst
    qtbot.waitUntil(lambda: controller.herstel is not None and controller.herstel.isVisible(), timeout=10_000)
    assert (tmp_path / "Nextcloud" / "werk.okdb").exists()
    _naar_hoofdvenster(qtbot, controller)


def _naar_hoofdvenster(qtbot: Any, controller: Controller) -> None:
    herstel = controller.herstel
    assert herstel is not None
    herstel.bevestig.click()
    qtbot.mouseClick(herstel.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
