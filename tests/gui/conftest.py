"""GUI tests drive the real widgets offscreen; message boxes are recorded instead of blocking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.app import Controller, create_application
from tests.conftest import FAST_KDF, WACHTWOORD

pytestmark = pytest.mark.gui


class Messages:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Discard
        self.keuze: int | None = None  # a question with several choices (ui/vraag.py): click this one

    def record(self, kind: str) -> Any:
        def show(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.shown.append((title, text))
            return self.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return show


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    recorder = Messages()
    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(recorder.record(kind)))

    def answer(box: QMessageBox) -> Any:
        """A question whose buttons say what they do (ui/vraag.py): `answer` Discard, Yes, Ok or Save clicks
        the first choice, `keuze` (when set) the choice with that index, anything else Annuleren."""
        recorder.shown.append((box.windowTitle(), box.text()))
        choices = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
        if recorder.keuze is not None:
            return choices[recorder.keuze]
        yes = {QMessageBox.StandardButton.Discard, QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok,
               QMessageBox.StandardButton.Save}
        return choices[0] if recorder.answer in yes and choices else None

    monkeypatch.setattr("ontkoppel_desktop.ui.vraag._toon", answer)
    return recorder


@pytest.fixture(autouse=True)
def geopend(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Openen and Toon in map after an export (ui/na_export.py), recorded instead of starting another program."""
    from ontkoppel_desktop.ui import na_export

    opened: list[str] = []
    monkeypatch.setattr(na_export, "open_bestand", lambda p: opened.append(f"open {p}") or True)
    monkeypatch.setattr(na_export, "toon_in_map", lambda p: opened.append(f"map {p}") or True)
    return opened


@pytest.fixture(autouse=True)
def close_wizards() -> Iterator[None]:
    """Every gesprek wizard a test left open is closed (one per verslag of a store: a next test's store has the
    same verslag ids)."""
    yield
    from ontkoppel_desktop.ui.verslagen import wizard

    for open_wizard in list(wizard._OPEN.values()):
        open_wizard.close()


@pytest.fixture
def controller(qapp: Any, fast_kdf: Any) -> Iterator[Controller]:
    c = Controller(create_application(), Settings.load())
    yield c
    if c.window is not None:
        c.window.session.lock()  # so closing never asks about open forms
        c.window.close()
    c._close_dialogs()
    c._release_instance_lock()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """An existing store with a few people, remembered as the last-used one."""
    from ontkoppel_desktop.demo import opslag as demo
    from ontkoppel_desktop.demo.opslag import DemoOmvang

    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    demo.fill(store, omvang=DemoOmvang(praktijken=4, opleiders=6, groepen_per_jaar=1, aios_per_groep=3))
    store.close()
    settings = Settings.load()
    settings.remember_store(store.path)
    settings.save()
    return store.path


def open_main_window(qtbot: Any, store_path: Path, gebruikersnaam: str = "") -> Any:
    """The main window on an existing store, as after unlocking (with the app's Dutch translations)."""
    from ontkoppel_desktop.ui.main_window import MainWindow
    from ontkoppel_desktop.ui.session import InstanceLock, Session

    create_application()
    lock = InstanceLock(store_path)
    lock.acquire()
    settings = Settings.load()
    if gebruikersnaam:
        settings.gebruikersnaam = gebruikersnaam
    window = MainWindow(Session(Store.open(store_path, WACHTWOORD), lock, settings))
    qtbot.addWidget(window)
    window.resize(1320, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def koppelplanner_window(qtbot: Any, store_path: Path) -> Iterator[Any]:
    """The main window on the Koppelplanner, with a demo ronde of 24 aios and 30 opleiders on its board."""
    from ontkoppel_desktop.demo.rondes import maak_demo_ronde

    store = Store.open(store_path, WACHTWOORD)
    store.rondes.add(maak_demo_ronde(aantal_aios=24, aantal_opleiders=30, seed=7))
    store.close()
    w = open_main_window(qtbot, store_path, gebruikersnaam="A. Manager")
    w.show_section(w.koppelplanner)
    qtbot.waitUntil(lambda: w.koppelplanner.board.state is not None)
    yield w
    w.session.lock()
    w.close()
