"""A traject walked from signal to closed through the real widgets, and Taken & termijnen filtering."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QPlainTextEdit

from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.trajecten.event_form import EventDialog
from ontkoppel_desktop.ui.trajecten.new_traject import NewTrajectDialog
from tests.gui.conftest import open_main_window


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path, gebruikersnaam="T. Docent")
    yield w
    w.session.lock()
    w.close()


def _top(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _select_step(window: MainWindow, step_id: str) -> None:
    table = window.trajecten.detail.tijdlijn
    model = table.model_
    rows = [i for i in range(model.rowCount()) if model.row_at(i).step.id == step_id]
    assert rows, step_id
    table.setFocus()
    table.selectRow(rows[0])


def _state(window: MainWindow, step_id: str) -> str:
    model = window.trajecten.detail.tijdlijn.model_
    return next(model.data(model.index(i, 2)) for i in range(model.rowCount())
                if model.row_at(i).step.id == step_id)


def _save(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)


def _record_step(qtbot: Any, window: MainWindow, step_id: str, fill: Any = None) -> EventDialog:
    _select_step(window, step_id)
    qtbot.mouseClick(window.trajecten.detail.vastleggen, Qt.MouseButton.LeftButton)
    dialog = _top(EventDialog)
    if fill:
        fill(dialog)
    _save(qtbot, dialog)
    assert not dialog.isVisible(), dialog.fout.text()
    return dialog


def _record_other(qtbot: Any, window: MainWindow, kind: EventKind, fill: Any = None) -> None:
    """A gebeurtenis through "Andere gebeurtenis…": how a gesprek is recorded without writing its verslag here."""
    qtbot.mouseClick(window.trajecten.detail.gebeurtenis, Qt.MouseButton.LeftButton)
    dialog = _top(EventDialog)
    dialog.soort.setCurrentIndex(dialog.soort.findData(kind))
    if fill:
        fill(dialog)
    _save(qtbot, dialog)
    assert not dialog.isVisible(), dialog.fout.text()


def _record_without_verslag(qtbot: Any, window: MainWindow, step_id: str, fill: Any = None) -> None:
    """Stap vastleggen on sending or archiving a verslag that was not written in the app: the app says so and
    offers the step's own form."""
    _select_step(window, step_id)
    qtbot.mouseClick(window.trajecten.detail.vastleggen, Qt.MouseButton.LeftButton)
    box = _top(QMessageBox)
    assert "nog geen verslag" in box.text()
    qtbot.mouseClick(next(b for b in box.buttons() if "Zonder verslag" in b.text()), Qt.MouseButton.LeftButton)
    dialog = _top(EventDialog)
    if fill:
        fill(dialog)
    _save(qtbot, dialog)
    assert not dialog.isVisible(), dialog.fout.text()


def _free_koppeling(window: MainWindow, dialog: NewTrajectDialog) -> None:
    """Pick a running koppeling without a traject, as a user would from the list."""
    store = window.session.store
    busy = {t.koppeling_id for t in store.trajecten.all() if not t.closed}
    free = [dialog.koppeling.itemData(i) for i in range(1, dialog.koppeling.count())
            if dialog.koppeling.itemData(i) not in busy]
    dialog.koppeling.setCurrentIndex(dialog.koppeling.findData(free[0]))


def _choose(dialog: EventDialog, key: str, value: object) -> None:
    widget = dialog.fields[key][1]
    assert isinstance(widget, QComboBox)
    widget.setCurrentIndex(widget.findData(value))


def test_a_traject_from_signal_to_closed(qtbot: Any, window: MainWindow) -> None:
    view = window.trajecten
    assert window.current_section() is view
    qtbot.mouseClick(view.nieuw, Qt.MouseButton.LeftButton)
    nieuw = _top(NewTrajectDialog)
    _save(qtbot, nieuw)
    assert "Kies de koppeling" in nieuw.fout.text()
    _free_koppeling(window, nieuw)
    qtbot.keyClicks(nieuw.omschrijving, "Onvrede over supervisie en planning")
    _save(qtbot, nieuw)
    assert "Kies de categorie" in nieuw.fout.text()
    nieuw.categorie.setCurrentIndex(1)
    _save(qtbot, nieuw)
    qtbot.waitUntil(lambda: view.detail.traject is not None)
    traject_id = view.detail.traject.id
    assert "fase 1" in view.detail.kop.text()
    assert _state(window, "driehoeksgesprek").startswith(("Open", "Lopend"))

    _record_other(qtbot, window, EventKind.DRIEHOEKSGESPREK, lambda d: _choose(d, "initiatief", "docenten"))
    qtbot.waitUntil(lambda: _state(window, "driehoeksgesprek") == "Gedaan")
    assert _state(window, "verslag_driehoeksgesprek").startswith("Lopend (nog 7 dagen)")
    _record_without_verslag(qtbot, window, "verslag_driehoeksgesprek")
    qtbot.waitUntil(lambda: _state(window, "verslag_driehoeksgesprek") == "Gedaan")

    # A required choice left open is named; the outcome with aandachtspunten is typed in.
    _select_step(window, "uitkomst")
    qtbot.mouseClick(view.detail.vastleggen, Qt.MouseButton.LeftButton)
    uitkomst = _top(EventDialog)
    if "uitkomst" in uitkomst.fields:
        _save(qtbot, uitkomst)
        assert "Vul nog in" in uitkomst.fout.text()
        _choose(uitkomst, "uitkomst", "geen_ontkoppeling")
    punten = uitkomst.fields["aandachtspunten"][1]
    assert isinstance(punten, QPlainTextEdit)
    qtbot.keyClicks(punten, "Wekelijks leergesprek; heldere afspraken over supervisie.")
    _save(qtbot, uitkomst)
    qtbot.waitUntil(lambda: _state(window, "uitkomst") == "Gedaan")

    # The check-up has its own wizard (a telefonisch contact without a verslag): Stap vastleggen opens it.
    from ontkoppel_desktop.ui.verslagen.wizard import GesprekWizard

    _select_step(window, "check_up")
    qtbot.mouseClick(view.detail.vastleggen, Qt.MouseButton.LeftButton)
    check_up = _top(GesprekWizard)
    assert check_up.formulier.id == "check_up"
    qtbot.keyClicks(check_up.widgets["notitie"].focus_widget(), "De opleider ziet het weer zitten.")
    qtbot.mouseClick(check_up.button(check_up.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _state(window, "check_up") == "Gedaan")
    _record_without_verslag(qtbot, window, "archiveren_verslag_driehoeksgesprek",
                            lambda d: _choose(d, "bestemming", "beide") if "bestemming" in d.fields else None)
    qtbot.waitUntil(lambda: _state(window, "archiveren_verslag_driehoeksgesprek") == "Gedaan")

    qtbot.mouseClick(view.detail.sluiten, Qt.MouseButton.LeftButton)
    sluit = _top(EventDialog)
    assert sluit.kind is EventKind.TRAJECT_GESLOTEN
    qtbot.keyClicks(sluit.fields["reden"][1], "Geen ontkoppeling nodig")
    _save(qtbot, sluit)
    qtbot.waitUntil(lambda: window.session.store.trajecten.get(traject_id).closed)
    # The just-closed traject stays in sight; closed trajecten leave the list when "Toon gesloten" is off.
    qtbot.waitUntil(lambda: "gesloten" in view.detail.kop.text())
    assert view.gesloten.isChecked()
    view.gesloten.setChecked(False)
    assert view.model.row_of_id(traject_id) is None
    view.gesloten.setChecked(True)
    view.select(traject_id)
    # The history keeps every step, with who recorded it.
    lines = [view.detail.geschiedenis.item(i).text() for i in range(view.detail.geschiedenis.count())]
    assert len(lines) == 7 and all("T. Docent" in line for line in lines)
    assert not view.detail.vastleggen.isEnabled()


def test_ending_the_koppeling_before_the_decision_is_refused_in_the_form(qtbot: Any, window: MainWindow) -> None:
    view = window.trajecten
    qtbot.mouseClick(view.nieuw, Qt.MouseButton.LeftButton)
    nieuw = _top(NewTrajectDialog)
    _free_koppeling(window, nieuw)
    nieuw.categorie.setCurrentIndex(1)
    _save(qtbot, nieuw)
    qtbot.waitUntil(lambda: view.detail.traject is not None)
    qtbot.mouseClick(view.detail.gebeurtenis, Qt.MouseButton.LeftButton)
    dialog = _top(EventDialog)
    dialog.soort.setCurrentIndex(dialog.soort.findData(EventKind.KOPPELING_BEEINDIGD))
    _save(qtbot, dialog)
    assert dialog.isVisible()
    assert "besluit" in dialog.fout.text().lower()
    koppelingen = window.session.store.personen.koppelingen()
    assert all(k.einddatum is None for k in koppelingen if k.id == view.detail.traject.koppeling_id)


def test_taken_filters_by_role_and_opens_the_traject(qtbot: Any, window: MainWindow) -> None:
    store = window.session.store
    assert store.trajecten.all(), "the demo has trajecten"
    window.show_section(window.taken)
    taken = window.taken
    qtbot.waitUntil(lambda: taken.model.rowCount() > 0)
    everyone = taken.model.rowCount()
    rows = taken.model.visible_rows()
    overdue = [r.task.overdue for r in rows]
    assert overdue == sorted(overdue, reverse=True), "overdue first"
    assert taken.model.data(taken.model.index(0, 0)) in ("Te laat", "Vandaag", "Binnenkort", "Lopend", "Open")
    taken.rol.setCurrentIndex(taken.rol.findData(Rol.JAARASSISTENT))
    assert all(Rol.JAARASSISTENT in r.task.roles for r in taken.model.visible_rows())
    assert taken.model.rowCount() < everyone
    assert "open taken" in taken.samenvatting.text()
    taken.rol.setCurrentIndex(0)
    taken.table.setFocus()
    taken.table.selectRow(0)
    first = taken.model.row_at(0)
    qtbot.keyClick(taken.table, Qt.Key.Key_Return)
    assert window.current_section() is window.trajecten
    assert window.trajecten.detail.traject is not None
    assert window.trajecten.detail.traject.id == first.task.traject_id
    status = window.trajecten.detail.tijdlijn.current_status()
    assert status is not None and status.key == first.task.key
    for opened in QApplication.topLevelWidgets():  # the step's form or wizard, opened too
        if opened.isVisible() and opened is not window and hasattr(opened, "done"):
            opened.done(0)


def test_opleidersterugkomdagen_can_be_added_and_removed(qtbot: Any, window: MainWindow) -> None:
    from ontkoppel_desktop.ui.trajecten.agenda import AgendaDialog

    service = window.session.store.trajecten
    before = len(service.agenda_rows())
    qtbot.mouseClick(window.trajecten.terugkomdagen, Qt.MouseButton.LeftButton)
    dialog = _top(AgendaDialog)
    qtbot.keyClicks(dialog.omschrijving, "Voorjaar")
    toevoegen = [b for b in dialog.findChildren(type(dialog.verwijder)) if "Toevoegen" in b.text()][0]
    qtbot.mouseClick(toevoegen, Qt.MouseButton.LeftButton)
    assert len(service.agenda_rows()) == before + 1
    assert any("Voorjaar" in dialog.lijst.item(i).text() for i in range(dialog.lijst.count()))
    dialog.lijst.setCurrentRow(0)
    qtbot.mouseClick(dialog.verwijder, Qt.MouseButton.LeftButton)
    assert len(service.agenda_rows()) == before


def test_the_name_for_the_history_is_asked_once(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    from ontkoppel_desktop.ui.naam import NaamDialog

    window.session.settings.gebruikersnaam = ""
    asked: list[str] = []

    def answer() -> None:
        dialog = _top(NaamDialog)
        asked.append(dialog.windowTitle())
        qtbot.keyClicks(dialog.findChild(QLineEdit), "J. Jaarassistent")
        qtbot.keyClick(dialog.findChild(QLineEdit), Qt.Key.Key_Return)
        assert dialog.findChild(QDialogButtonBox) is not None

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(window.trajecten.nieuw, Qt.MouseButton.LeftButton)
    dialog = _top(NewTrajectDialog)
    dialog.done(0)
    qtbot.mouseClick(window.trajecten.nieuw, Qt.MouseButton.LeftButton)
    _top(NewTrajectDialog).done(0)
    assert asked == ["Jouw naam"]
    assert Settings.load().gebruikersnaam == "J. Jaarassistent"


def test_double_clicking_a_task_opens_its_step(qtbot: Any, window: MainWindow) -> None:
    """Not only the traject: the step chosen in the tijdlijn and its form open, as Stap vastleggen would."""
    window.show_section(window.taken)
    taken = window.taken
    qtbot.waitUntil(lambda: taken.model.rowCount() > 0)
    formulieren = {}
    row = None
    for i in range(taken.model.rowCount()):
        task = taken.model.row_at(i).task
        traject = window.session.store.trajecten.get(task.traject_id)
        formulieren = window.session.store.verslagen.formulieren(traject)
        gewoon = task.key.split("#")[0] not in formulieren and not task.key.startswith(("verslag", "archiveren"))
        if gewoon and task.key != "administratieve_afhandeling":
            row = i
            break
    assert row is not None, "the demo has a task done with an ordinary form"
    task = taken.model.row_at(row).task
    centre = taken.table.visualRect(taken.model.index(row, 3)).center()
    qtbot.mouseClick(taken.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # a click, then the double
    qtbot.mouseDClick(taken.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert window.current_section() is window.trajecten
    detail = window.trajecten.detail
    assert detail.traject is not None and detail.traject.id == task.traject_id
    assert detail.tabs.currentIndex() == 0
    status = detail.tijdlijn.current_status()
    assert status is not None and status.key == task.key
    dialog = _top(EventDialog)
    assert dialog.windowTitle() == status.step.title
    dialog.done(0)


def test_enter_in_the_search_field_does_not_record_a_step(qtbot: Any, window: MainWindow) -> None:
    """Enter records the chosen step only while the tijdlijn has the focus (it was the whole window's)."""
    detail = window.trajecten.detail
    tijdlijn = detail.tijdlijn
    row = next(i for i in range(tijdlijn.model_.rowCount()) if not tijdlijn.model_.row_at(i).state.is_finished)
    tijdlijn.selectRow(row)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    zoek = window.trajecten.zoek
    zoek.setFocus()
    qtbot.waitUntil(zoek.hasFocus)
    qtbot.keyClick(zoek, Qt.Key.Key_Return)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, EventDialog) and w.isVisible()]
    tijdlijn.setFocus()
    qtbot.waitUntil(tijdlijn.hasFocus)
    qtbot.keyClick(tijdlijn, Qt.Key.Key_Return)
    opened = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window and hasattr(w, "done")]
    assert opened, "Enter in the tijdlijn does what Stap vastleggen does"
    for w in opened:
        w.done(0)
