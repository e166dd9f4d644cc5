"""Personen van het instituut through the real widgets, against the real server: the jaarassistent sees their
year's aios, adds one in the form (it arrives in the copy after the synchronisation the form starts), and a change
the server refuses stays in the form with the server's Dutch message; a role that may not change a kind gets no
form for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import personen
from ontkoppel_desktop.ui.instituut import HTTP_TOESTAAN
from ontkoppel_desktop.ui.instituut_personen import PersoonFormulier
from tests.gui.conftest import open_main_window
from tests.instituut.conftest import Server, nieuwe_laptop
from tests.instituut.test_personen_kopie import _account, _instituut

pytestmark = pytest.mark.gui


@pytest.fixture
def jans_venster(qtbot: Any, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The main window of a jaarassistent of year 1 whose laptop is connected to an institute with Personen."""
    monkeypatch.setenv(HTTP_TOESTAAN, "1")
    _instituut()
    _account("jan", Rol.JAARASSISTENT, 1)
    laptop = nieuwe_laptop(tmp_path / "jan.okdb")
    laptop.verbind(server.adres, "jan")
    path = laptop.store.path
    laptop.store.close()
    return open_main_window(qtbot, path)


def test_the_jaarassistent_adds_an_aios_of_their_year(qtbot: Any, jans_venster: Any) -> None:
    window = jans_venster
    window.synchronisatie.start()
    qtbot.waitUntil(lambda: not window.synchronisatie.bezig, timeout=15_000)
    window._toon_instituut()
    window.nav.setCurrentRow([window.nav.item(i).text() for i in range(window.nav.count())].index("Instituut"))
    view = window.gedeeld.personen
    window.gedeeld.bladen.setCurrentWidget(view)
    view.ververs()
    assert sorted(view.model.row_at(r)["naam"] for r in range(view.model.rowCount())) == ["Noor Bos", "Noor Visser"]
    assert view.nieuw.isEnabled()

    qtbot.mouseClick(view.nieuw, Qt.MouseButton.LeftButton)
    form = window.findChild(PersoonFormulier)
    assert form is not None
    qtbot.keyClicks(form.widgets["voornaam"], "Sara")
    qtbot.keyClicks(form.widgets["achternaam"], "Nieuw")
    groep = form.widgets["groep"]
    groep.setCurrentIndex(groep.findText("Groep 1A (jaar 1)"))
    form.widgets["opleidingsjaar"].setValue(2)  # a year that is not jan's: refused, the form stays
    qtbot.mouseClick(form.opslaan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "jaar 2" in form.melding.text(), timeout=10_000)
    assert form.isVisible() and form.widgets["voornaam"].text() == "Sara"  # nothing typed is lost

    form.widgets["opleidingsjaar"].setValue(1)
    qtbot.mouseClick(form.opslaan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: "Sara Nieuw" in {a.naam.volledig for a in personen.aios(window.session.store.conn)},
                    timeout=15_000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=5_000)

    # Opleiders are the manager opleiders': no form for the jaarassistent.
    view.soort.setCurrentIndex(view.soort.findData("opleider"))
    assert not view.nieuw.isEnabled() and "manager opleiders" in view.uitleg.text()
    # The institute's staff: whom to ask, with their roles in words; accounts are IT's.
    view.soort.setCurrentIndex(view.soort.findData("medewerker"))
    jan = next(view.model.row_at(r) for r in range(view.model.rowCount()) if view.model.row_at(r)["account"] == "jan")
    assert jan["rollen"] == "Jaarassistent (jaar 1)"
    assert not view.nieuw.isEnabled() and "IT van het instituut" in view.uitleg.text()
    window.session.lock()
    assert view.model.rowCount() == 0


def test_a_lock_keeps_what_was_typed_in_the_form_and_shows_none_of_it(qtbot: Any, jans_venster: Any) -> None:
    from PySide6.QtWidgets import QLineEdit

    window = jans_venster
    window._toon_instituut()
    view = window.gedeeld.personen
    form = view.open_formulier(None)
    qtbot.keyClicks(form.widgets["achternaam"], "Geheim-Nieuw")
    window.session.lock()
    achternaam = form.widgets["achternaam"]
    assert isinstance(achternaam, QLineEdit) and achternaam.text() == "" and not form.isVisible()
    # Unlocked: the form is back with what was typed (the lock page promises so).
    from tests.conftest import WACHTWOORD as STORE_WACHTWOORD

    panel = window.lock_page.panel
    qtbot.keyClicks(panel.veld, STORE_WACHTWOORD)
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=10_000)
    qtbot.waitUntil(lambda: form.isVisible(), timeout=5_000)
    assert achternaam.text() == "Geheim-Nieuw"
