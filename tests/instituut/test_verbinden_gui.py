"""Bestand › Verbinden met instituut… through the real widgets, against the real server: a wrong wachtwoord
stays in the window in Dutch, the right one connects, and the status bar shows what waits until it is sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid

from ontkoppel_desktop.instituut import outbox
from ontkoppel_desktop.ui.instituut import HTTP_TOESTAAN, InstituutDialoog, VerbindDialoog, wachtrij_tekst
from tests.gui.conftest import messages, open_main_window  # noqa: F401 - the fixture
from tests.instituut.conftest import WACHTWOORD, Server, docenten, nieuwe_laptop

pytestmark = pytest.mark.gui


def test_verbinden_with_a_wrong_then_the_right_wachtwoord(
    qtbot: Any, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HTTP_TOESTAAN, "1")
    docenten("anna")
    laptop = nieuwe_laptop(tmp_path / "werk.okdb")
    laptop.start()
    path = laptop.store.path
    laptop.store.close()
    window = open_main_window(qtbot, path)
    assert window.instituut_label.isHidden()  # not connected: the app as it always was

    window.instituut_action.trigger()
    dialog = window.findChild(VerbindDialoog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.adres, server.adres)
    qtbot.keyClicks(dialog.account, "anna")
    qtbot.keyClicks(dialog.wachtwoord, "verkeerd")
    qtbot.mouseClick(dialog.verbind_knop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "onjuist" in dialog.melding.text(), timeout=15_000)
    assert dialog.isVisible() and dialog.verbind_knop.isEnabled()
    assert outbox.verbinding(window.session.store.conn) is None

    dialog.wachtwoord.clear()
    qtbot.keyClicks(dialog.wachtwoord, WACHTWOORD)
    qtbot.mouseClick(dialog.verbind_knop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=15_000)
    conn = window.session.store.conn
    verbinding = outbox.verbinding(conn)
    assert verbinding is not None and verbinding.account == "anna" and verbinding.token
    # Connecting starts a synchronisation on a worker thread; the status bar follows it.
    qtbot.waitUntil(lambda: not window.synchronisatie.bezig and outbox.wachtrij(conn).aantal == 0, timeout=15_000)
    assert window.instituut_label.isVisible()
    assert window.instituut_label.text() == "Alles verzonden naar het instituut"

    bestand = window.instituut_action.associatedObjects()[0]
    bestand.aboutToShow.emit()
    assert window.instituut_action.text() == "Instit&uut…"  # connected: the entry opens the Instituut window
    window.instituut_action.trigger()
    venster = window.findChild(InstituutDialoog)
    assert venster is not None and "anna" in venster.status.text()
    qtbot.mouseClick(venster.nu, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: venster.resultaat.text().startswith("Gesynchroniseerd"), timeout=15_000)
    venster.close()
    window.session.lock()
    assert not window.instituut_action.isEnabled()


def test_the_status_text_says_what_waits_since_when() -> None:
    import datetime as dt

    nu = dt.datetime.now().replace(hour=14, minute=32)
    assert wachtrij_tekst(outbox.Wachtrij(3, nu, 0)) == "3 wijzigingen wachten op verzending sinds 14:32"
    assert wachtrij_tekst(outbox.Wachtrij(1, nu, 2)) == (
        "1 wijziging wacht op verzending sinds 14:32; 2 geweigerd door het instituut")
