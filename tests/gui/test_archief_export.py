"""The archive export through the real widgets: from a traject's Verslagen tab and from the Verslagen section, the
folder chosen in the (patched) file dialog, the files written off the UI thread with a progress dialog whose
Annuleren stops between two files, the summary, geëxporteerd recorded, and the folder opened on request."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog, QPushButton

from ontkoppel_desktop import atomic, paths
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.verslagen.archief_export import ArchiefExportDialog
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject, schrijf_driehoek

TODAY = dt.date.today()
E, D = VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, int, list[int]]:
    """A traject with three definitief driehoeksgesprekken (afgerond today)."""
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store, start=TODAY - dt.timedelta(days=90), today=TODAY)
    ids = [schrijf_driehoek(store, traject_id, TODAY - dt.timedelta(days=80 - 7 * i), afronden=True)
           for i in range(3)]
    store.close()
    return store.path, traject_id, ids


@pytest.fixture
def window(qtbot: Any, made: tuple[Path, int, list[int]]) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, made[0], gebruikersnaam=AUTEUR)
    yield w
    w.session.lock()
    w.close()


@pytest.fixture
def kies_map(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, str]]:
    """The folder dialog answers tmp_path/"archief"; what it was asked is recorded."""
    asked: list[tuple[str, str]] = []

    def get(parent: Any, title: str, start: str, *args: Any) -> str:
        asked.append((title, start))
        return str(tmp_path / "archief")

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(get))
    return asked


def _dialog(qtbot: Any) -> ArchiefExportDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ArchiefExportDialog) and w.isVisible()]
    assert len(found) == 1, found
    qtbot.waitExposed(found[0])
    return found[0]


def _bestanden(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_trajects_verslagen_from_its_verslagen_tab(qtbot: Any, window: MainWindow, made: tuple[Path, int, list[int]],
                                                     kies_map: list[tuple[str, str]], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _, traject_id, ids = made
    window.trajecten.select(traject_id)
    detail = window.trajecten.detail
    qtbot.keyClick(detail.tijdlijn, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # V&erslagen
    qtbot.waitUntil(lambda: detail.tabs.currentWidget() is detail.verslagen)
    qtbot.mouseClick(detail.verslagen.archief, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot)
    assert dialog.windowTitle() == "Archiefexport: verslagen van dit traject"
    assert dialog.telling.text() == "3 definitieve verslagen."
    assert not dialog.exporteren.isEnabled() and dialog.exporteren.toolTip() == "Kies eerst een map"
    qtbot.mouseClick(dialog.kiezen, Qt.MouseButton.LeftButton)
    assert kies_map == [("Map voor de archiefexport kiezen", str(paths.documents_dir()))]
    qtbot.mouseClick(dialog.word, Qt.MouseButton.LeftButton)
    assert dialog.exporteren.isEnabled()
    qtbot.mouseClick(dialog.exporteren, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.samenvatting.isVisible(), timeout=20_000)
    root = tmp_path / "archief"
    names = _bestanden(root)
    assert len(names) == 12 and all(n.endswith((".pdf", ".docx")) for n in names)
    assert names[0].startswith("dossier opleider/") and names[-1].startswith("e-portfolio aios/")
    text = dialog.samenvatting.text()
    assert "Klaar." in text and "12 bestanden geschreven" in text and "6 in de map <b>e-portfolio aios</b>" in text
    assert "3 verslagen zijn vastgelegd als <b>geëxporteerd</b>" in text and "gearchiveerd" in text
    service = window.session.store.verslagen
    assert all(service.get(i).geexporteerd_op == {E: TODAY, D: TODAY} for i in ids)
    assert all(service.get(i).gearchiveerd_op == {} for i in ids), "gearchiveerd stays the jaarassistent's act"
    assert dialog.telling.text() == "3 definitieve verslagen, waarvan 3 al eerder geëxporteerd."
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    assert dialog.map_openen.isVisible()
    qtbot.mouseClick(dialog.map_openen, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [str(root)]
    dialog.reject()


def test_a_period_from_the_verslagen_section_stopped_with_annuleren(
        qtbot: Any, window: MainWindow, made: tuple[Path, int, list[int]], kies_map: list[tuple[str, str]],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, ids = made
    item = next(window.nav.item(i) for i in range(window.nav.count()) if window.nav.item(i).text() == "Verslagen")
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=window.nav.visualItemRect(item).center())
    view = window.verslagen
    qtbot.waitUntil(lambda: view.isVisible())
    qtbot.mouseClick(view.archief, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot)
    assert dialog.windowTitle() == "Archiefexport: definitieve verslagen"
    assert dialog.telling.text() == "3 definitieve verslagen."
    vandaag = dialog.tot.date()
    dialog.tot.setDate(vandaag.addDays(-1))  # up to yesterday: none
    qtbot.waitUntil(lambda: dialog.telling.text() == "Er zijn geen definitieve verslagen afgerond in deze periode.")
    dialog.van.setDate(vandaag)
    qtbot.waitUntil(lambda: dialog.telling.text().startswith("De periode loopt terug"))
    assert not dialog.exporteren.isEnabled()
    dialog.tot.setDate(vandaag)
    qtbot.waitUntil(lambda: dialog.telling.text() == "3 definitieve verslagen.")
    qtbot.mouseClick(dialog.kiezen, Qt.MouseButton.LeftButton)
    echt = atomic.write_atomic

    def langzaam(path: Path, data: bytes) -> None:  # a slow network folder: time to press Annuleren
        time.sleep(0.15)
        echt(path, data)

    monkeypatch.setattr(atomic, "write_atomic", langzaam)
    qtbot.mouseClick(dialog.exporteren, Qt.MouseButton.LeftButton)
    progress = dialog.progress
    assert isinstance(progress, QProgressDialog) and progress.maximum() == 6
    qtbot.waitUntil(lambda: progress.value() >= 1, timeout=10_000)
    annuleren = next(b for b in progress.findChildren(QPushButton) if b.text() == "Annuleren")
    assert dialog.isEnabled(), "the window answers while the files are written"
    qtbot.mouseClick(annuleren, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.samenvatting.isVisible(), timeout=10_000)
    text = dialog.samenvatting.text()
    written = _bestanden(tmp_path / "archief")
    assert "<b>Gestopt.</b>" in text and f"{len(written)} van de 6 bestanden zijn geschreven, elk volledig" in text
    assert 1 <= len(written) < 6
    assert all((tmp_path / "archief" / n).read_bytes().rstrip().endswith(b"%%EOF") for n in written)
    assert not list((tmp_path / "archief").rglob(".~*"))
    service = window.session.store.verslagen
    exported = {i: set(service.get(i).geexporteerd_op) for i in ids}
    assert exported[ids[0]] <= {E, D} and exported[ids[2]] == set(), "only places whose files are all written"
    dialog.reject()


def test_a_folder_without_access_is_said_in_the_dialog(qtbot: Any, window: MainWindow,
                                                       made: tuple[Path, int, list[int]], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        folder = Path("/sys/ontkoppel-archief")  # root may write anywhere but here
    else:
        (tmp_path / "alleen-lezen").mkdir(mode=0o500)
        folder = tmp_path / "alleen-lezen" / "archief"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a: str(folder)))
    window.verslagen.archief_export()
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.kiezen, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.exporteren, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.samenvatting.isVisible(), timeout=10_000)
    assert ": geen toegang" in dialog.samenvatting.text() and "Traceback" not in dialog.samenvatting.text()
    assert not dialog.map_openen.isVisible() and dialog.exporteren.isEnabled()
    assert all(window.session.store.verslagen.get(i).geexporteerd_op == {} for i in made[2])
    dialog.reject()
