"""The Instituut section through the real widgets, against the real server: it appears in the navigation once the
store is connected; a manager opleiding finds the docent's traject with its terms, records the besluit in the
step's form, and the next synchronisation carries it to the docent's laptop. Locking empties it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from ontkoppel_desktop.core.procedure import EventKind, StepState
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import outbox
from ontkoppel_desktop.ui.instituut import HTTP_TOESTAAN
from ontkoppel_desktop.ui.trajecten.event_form import EventDialog
from ontkoppel_desktop.ui.widgets import ValueCombo
from tests.gui.conftest import messages, open_main_window  # noqa: F401, F811 - the fixture
from tests.instituut.conftest import Server, docenten, it_ondertekent, nieuwe_laptop
from tests.instituut.test_gedeeld import _dag, medewerker, tot_advies

pytestmark = pytest.mark.gui


def test_a_manager_opleiding_records_the_besluit_in_the_instituut_section(
    qtbot: Any, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, it: dict[str, Path]
) -> None:
    monkeypatch.setenv(HTTP_TOESTAAN, "1")
    docenten("anna")
    medewerker("mia", Rol.MANAGER_OPLEIDING, 1)
    a = nieuwe_laptop(tmp_path / "docent.okdb")
    a.verbind(server.adres, "anna")
    traject = tot_advies(a)

    m = nieuwe_laptop(tmp_path / "manager.okdb", aios="Manager")
    path = m.store.path
    m.store.close()
    window = open_main_window(qtbot, path)
    titels = [window.nav.item(i).text() for i in range(window.nav.count())]
    index = titels.index("Instituut")
    assert window.nav.item(index).isHidden()  # not connected: the app as it always was

    m.store = window.session.store
    m.verbind(server.adres, "mia")
    it_ondertekent(it["instituut"])  # IT confirms both keys: the aios's name travels sealed to mia
    a.synchroniseer()  # after IT confirmed the keys: sealed to mia too
    window._toon_instituut()  # as the Verbinden window does when it connected
    assert not window.nav.item(index).isHidden()
    window.synchronisatie.start()
    qtbot.waitUntil(lambda: not window.synchronisatie.bezig, timeout=15_000)
    window.nav.setCurrentRow(index)
    view = window.gedeeld
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    assert view.model.row_at(0).aios_naam == "Noor Visser"
    assert "manager opleiding" in view.kop.text()

    # Only the steps of my role: the filter keeps the traject (the besluit is mine).
    qtbot.mouseClick(view.mijn, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 1
    view.tabel.selectRow(0)
    stappen = [view.stappen_model.row_at(r) for r in range(view.stappen_model.rowCount())]
    besluit = next(r for r, s in enumerate(stappen) if s.step.id == "besluit_ontkoppeling")
    view.stappen.selectRow(besluit)
    assert view.vastleggen.isEnabled(), view.waarom.text()
    # A step of another role cannot be recorded here, and the window says why.
    ander = next((r for r, s in enumerate(stappen) if s.state.is_open and Rol.MANAGER_OPLEIDING not in s.step.roles),
                 None)
    if ander is not None:
        view.stappen.selectRow(ander)
        assert not view.vastleggen.isEnabled() and "niet voor uw rol" in view.waarom.text()
        view.stappen.selectRow(besluit)

    qtbot.mouseClick(view.vastleggen, Qt.MouseButton.LeftButton)
    dialog = window.findChild(EventDialog)
    assert dialog is not None and dialog.isVisible()
    keuze = dialog.fields["besluit"][1]
    assert isinstance(keuze, ValueCombo)
    keuze.setCurrentIndex(keuze.findData("ontkoppelen"))
    door = dialog.fields["door"][1]
    assert isinstance(door, QLineEdit)
    qtbot.keyClicks(door, "plv. hoofd")
    dialog.datum.setDate(dialog.datum.date().addDays(-5))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.fout.text()

    # Saved, it synchronises by itself; the traject shows the besluit done.
    conn = window.session.store.conn
    qtbot.waitUntil(lambda: not window.synchronisatie.bezig and outbox.wachtrij(conn).aantal == 0, timeout=15_000)
    qtbot.waitUntil(lambda: view.gekozen() is not None and view.gekozen().overview.status(
        "besluit_ontkoppeling").state is StepState.DONE, timeout=5_000)
    assert any("Formeel besluit" in view.geschiedenis.item(i).text() for i in range(view.geschiedenis.count()))

    a.synchroniseer()
    assert a.store.trajecten.get(traject).events[-1].kind is EventKind.BESLUIT_ONTKOPPELING
    a.store.close()

    window.session.lock()
    assert view.model.rowCount() == 0 and view.geschiedenis.count() == 0 and view.blokkades.count() == 0
    assert view.stappen_model.rowCount() == 0 and not view.titel.text()


def test_a_refused_step_on_a_shared_traject_is_let_go_in_the_instituut_window(
    qtbot: Any, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: Any,  # noqa: F811
    it: dict[str, Path],
) -> None:
    from ontkoppel_desktop.ui.instituut import InstituutDialoog
    from tests.instituut.test_gedeeld import besluit_stap

    monkeypatch.setenv(HTTP_TOESTAAN, "1")
    docenten("anna")
    medewerker("mia", Rol.MANAGER_OPLEIDING, 1)
    a = nieuwe_laptop(tmp_path / "docent.okdb")
    a.verbind(server.adres, "anna")
    traject = tot_advies(a)
    m = nieuwe_laptop(tmp_path / "manager.okdb", aios="Manager")
    m.verbind(server.adres, "mia")
    it_ondertekent(it["instituut"])
    a.synchroniseer()
    m.synchroniseer()
    [uuid] = [r[0] for r in m.store.conn.execute("SELECT uuid FROM gedeeld_traject")]
    besluit_stap(m, uuid, dagen_terug=9)
    a.store.trajecten.record(traject, EventKind.BESLUIT_ONTKOPPELING, _dag(10),
                             {"besluit": "ontkoppelen", "door": "plv. hoofd"}, user="Docent")
    a.synchroniseer()
    a.store.close()
    assert m.synchroniseer().geweigerd == 1
    path = m.store.path
    m.store.close()

    window = open_main_window(qtbot, path)
    window.instituut_action.trigger()
    venster = window.findChild(InstituutDialoog)
    assert venster is not None and venster.geweigerd.count() == 1
    tekst = venster.geweigerd.item(0).text()
    assert tekst.startswith("Gedeeld traject van Noor Visser: Formeel besluit over ontkoppeling") and "Anna" in tekst
    assert not venster.niet_versturen.isEnabled()  # nothing chosen yet
    venster.geweigerd.setCurrentRow(0)
    assert venster.niet_versturen.isEnabled()
    messages.keuze = None
    messages.answer = None  # Annuleren: nothing happens
    qtbot.mouseClick(venster.niet_versturen, Qt.MouseButton.LeftButton)
    assert venster.geweigerd.count() == 1
    messages.keuze = 0
    qtbot.mouseClick(venster.niet_versturen, Qt.MouseButton.LeftButton)
    assert venster.geweigerd.count() == 0
    assert outbox.weigeringen(window.session.store.conn) == []


def test_verbinding_verbreken_removes_what_the_institute_shared(
    qtbot: Any, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: Any,  # noqa: F811
) -> None:
    from ontkoppel_desktop.ui.instituut import InstituutDialoog

    monkeypatch.setenv(HTTP_TOESTAAN, "1")
    docenten("anna", "bram")
    a = nieuwe_laptop(tmp_path / "a.okdb")
    a.verbind(server.adres, "anna")
    a.start()
    a.synchroniseer()
    b = nieuwe_laptop(tmp_path / "b.okdb", aios="Bos")
    b.verbind(server.adres, "bram")
    eigen = b.start()
    b.synchroniseer()
    path = b.store.path
    b.store.close()
    a.store.close()

    window = open_main_window(qtbot, path)
    conn = window.session.store.conn
    assert conn.execute("SELECT count(*) FROM gedeeld_traject").fetchone()[0] == 1
    index = [window.nav.item(i).text() for i in range(window.nav.count())].index("Instituut")
    assert not window.nav.item(index).isHidden()
    window.instituut_action.trigger()
    venster = window.findChild(InstituutDialoog)
    assert venster is not None
    messages.keuze = None
    messages.answer = None  # Annuleren: still connected
    qtbot.mouseClick(venster.verbreken, Qt.MouseButton.LeftButton)
    assert outbox.verbinding(conn) is not None
    messages.keuze = 0
    qtbot.mouseClick(venster.verbreken, Qt.MouseButton.LeftButton)
    assert outbox.verbinding(conn) is None
    assert conn.execute("SELECT count(*) FROM gedeeld_traject").fetchone()[0] == 0
    assert window.nav.item(index).isHidden()
    assert window.session.store.trajecten.get(eigen) is not None  # the laptop's own traject stays
