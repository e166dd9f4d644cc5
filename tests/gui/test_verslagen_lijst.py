"""The Verslagen section through the real widgets: opened from the navigation, filtered by status and by "te
laat", searched by a name typed without its accents and by a word of a verslag's text, a result opened with Enter,
the jump to its traject, and a change that refreshes only its traject's rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.verslagen.overzicht import Fase
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.verslagen import wizard
from ontkoppel_desktop.ui.verslagen.lezen import VerslagLezen
from ontkoppel_desktop.ui.verslagen.lijst import GEVONDEN, VerslagenView
from ontkoppel_desktop.ui.verslagen.wizard import GesprekWizard
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject, schrijf_driehoek

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=90)


@dataclasses.dataclass
class Made:
    path: Path
    noor: int = 0  # Noor Visser's traject: a concept, and a verslag sent to the jaarassistent
    elif_: int = 0  # Elif Yılmaz's traject: a recorded gesprek whose verslag is late
    concept: int = 0
    definitief: int = 0
    te_laat: int = 0


@pytest.fixture
def made(tmp_path: Path) -> Made:
    store = Store.create(tmp_path / "verslagen.okdb", WACHTWOORD, FAST_KDF).store
    made = Made(store.path)
    made.noor = maak_traject(store, start=START, today=TODAY)
    made.elif_ = maak_traject(store, start=START, today=TODAY)
    aios_id = store.trajecten.get(made.elif_).aios_id
    [aios] = store.personen.aios(ids=[aios_id])
    store.personen.save_aios(dataclasses.replace(aios, naam=Naam("Elif", "", "Yılmaz")))
    made.definitief = schrijf_driehoek(store, made.noor, START + dt.timedelta(days=5), afronden=True,
                                       afspraken="Elke week een leergesprek over de diensten.")
    store.verslagen.zet_verstuurd(made.definitief, START + dt.timedelta(days=8), user=AUTEUR, today=TODAY)
    made.concept = schrijf_driehoek(store, made.noor, START + dt.timedelta(days=40),
                                    aanleiding="Nieuwe zorgen over de planning.")
    made.te_laat = schrijf_driehoek(store, made.elif_, TODAY - dt.timedelta(days=30),
                                    aanleiding="De samenwerking loopt stroef sinds de zomer.")
    store.verslagen.voltooien(made.te_laat, user=AUTEUR, today=TODAY)
    store.close()
    settings = Settings.load()
    settings.remember_store(made.path)
    settings.save()
    return made


@pytest.fixture
def window(qtbot: Any, made: Made) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, made.path, gebruikersnaam=AUTEUR)
    yield w
    for open_wizard in list(wizard._OPEN.values()):
        open_wizard.close()
    w.session.lock()
    w.close()


def _open_section(qtbot: Any, window: MainWindow) -> VerslagenView:
    """As a user does: a click on Verslagen in the navigation."""
    item = next(window.nav.item(i) for i in range(window.nav.count()) if window.nav.item(i).text() == "Verslagen")
    rect = window.nav.visualItemRect(item)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = window.verslagen
    assert isinstance(view, VerslagenView)
    qtbot.waitUntil(lambda: view.isVisible() and view.model.total == 3)
    return view


def _ids(view: VerslagenView) -> list[int]:
    return [r.id for r in view.model.visible_rows()]


def _cell(view: VerslagenView, verslag_id: int, title: str) -> str:
    m = view.model
    row = m.row_of_id(verslag_id)
    assert row is not None
    column = next(i for i, c in enumerate(m.columns) if c.title == title)
    return str(m.data(m.index(row, column)))


def _search(qtbot: Any, view: VerslagenView, text: str) -> None:
    view.zoek.clear()
    view.zoek.setFocus()
    qtbot.keyClicks(view.zoek, text)
    qtbot.wait(200)  # the search follows a pause in typing


def _top(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def test_the_late_one_first_with_its_step_and_term(qtbot: Any, window: MainWindow, made: Made) -> None:
    view = _open_section(qtbot, window)
    assert _ids(view)[0] == made.te_laat
    assert _cell(view, made.te_laat, "Aios") == "Yılmaz, Elif"
    assert _cell(view, made.te_laat, "Status") == "Concept (gesprek vastgelegd)"
    assert _cell(view, made.te_laat, "Wacht op") == "Verslag driehoeksgesprek naar jaarassistent"
    due = TODAY - dt.timedelta(days=30) + dt.timedelta(weeks=1)
    assert _cell(view, made.te_laat, "Termijn") == f"{due:%d-%m-%Y} (te laat)"
    # Sent: its archiving (no term); a second driehoeksgesprek not yet recorded: the step it would record is
    # done already, by the first.
    assert _cell(view, made.definitief, "Status") == "Verstuurd"
    assert _cell(view, made.definitief, "Wacht op") == "Verslag driehoeksgesprek archiveren"
    assert _cell(view, made.definitief, "Termijn") == ""
    assert (_cell(view, made.concept, "Status"), _cell(view, made.concept, "Wacht op")) == ("Concept", "")
    assert "1 te laat" in view.samenvatting.text()


def test_filter_by_status_and_by_te_laat(qtbot: Any, window: MainWindow, made: Made) -> None:
    view = _open_section(qtbot, window)
    view.status.setFocus()
    view.status.setCurrentIndex(view.status.findData(Fase.DEFINITIEF))
    assert _ids(view) == []
    view.status.setCurrentIndex(view.status.findData(Fase.VERSTUURD))
    assert _ids(view) == [made.definitief]
    view.status.setCurrentIndex(view.status.findData(Fase.CONCEPT))
    assert _ids(view) == [made.concept]
    view.status.setCurrentIndex(0)
    assert sorted(_ids(view)) == sorted([made.concept, made.definitief, made.te_laat])
    qtbot.mouseClick(view.te_laat, Qt.MouseButton.LeftButton)
    assert _ids(view) == [made.te_laat]
    assert view.samenvatting.text().startswith("1 verslagen · 1 te laat")
    qtbot.mouseClick(view.te_laat, Qt.MouseButton.LeftButton)
    assert len(_ids(view)) == 3


def test_search_by_a_name_typed_without_its_accents_and_by_a_word(qtbot: Any, window: MainWindow,
                                                                  made: Made) -> None:
    view = _open_section(qtbot, window)
    _search(qtbot, view, "yilmaz")
    qtbot.waitUntil(lambda: _ids(view) == [made.te_laat])
    _search(qtbot, view, "samenwerk")
    qtbot.waitUntil(lambda: _ids(view) == [made.te_laat])
    assert not view.table.isColumnHidden(GEVONDEN)
    assert "samenwerking loopt stroef" in _cell(view, made.te_laat, "Gevonden")
    assert view.voorbeeld.isVisible() and "<b>samenwerking</b>" in view.voorbeeld.text()
    # A word of the name and a word of the text together; a word of another person's name does not mix in.
    _search(qtbot, view, "Yilmaz stroef")
    qtbot.waitUntil(lambda: _ids(view) == [made.te_laat])
    _search(qtbot, view, "noor stroef")
    qtbot.waitUntil(lambda: _ids(view) == [])
    # FTS syntax typed is only words.
    _search(qtbot, view, '"dienst*" -(^')
    qtbot.waitUntil(lambda: _ids(view) == [made.definitief])
    _search(qtbot, view, 'dienst NEAR(')
    qtbot.waitUntil(lambda: _ids(view) == [])  # "near" is a word, in no verslag
    _search(qtbot, view, "")
    qtbot.waitUntil(lambda: len(_ids(view)) == 3 and view.table.isColumnHidden(GEVONDEN))


def test_open_a_verslag_from_a_result(qtbot: Any, window: MainWindow, made: Made) -> None:
    view = _open_section(qtbot, window)
    _search(qtbot, view, "diensten")
    qtbot.waitUntil(lambda: _ids(view) == [made.definitief])
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    lezen = _top(VerslagLezen)
    assert lezen.verslag_id == made.definitief
    lezen.close()
    # Your own concept opens in its wizard; a double click (a click, then the double click) does as Enter.
    _search(qtbot, view, "planning")
    qtbot.waitUntil(lambda: _ids(view) == [made.concept])
    index = view.model.index(0, 0)
    centre = view.table.visualRect(index).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    found = _top(GesprekWizard)
    assert found.verslag_id == made.concept


def test_jump_to_the_traject(qtbot: Any, window: MainWindow, made: Made) -> None:
    view = _open_section(qtbot, window)
    view.table.selectRow(view.model.row_of_id(made.te_laat))
    qtbot.mouseClick(view.naar_traject, Qt.MouseButton.LeftButton)
    detail = window.trajecten.detail
    qtbot.waitUntil(lambda: window.trajecten.isVisible() and detail.tabs.currentWidget() is detail.verslagen)
    assert detail.traject.id == made.elif_
    current = detail.verslagen.current()
    assert current is not None and current.id == made.te_laat


def test_a_change_reads_only_its_trajects_rows(qtbot: Any, window: MainWindow, made: Made,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    view = _open_section(qtbot, window)
    service = window.session.store.verslagen
    calls: list[frozenset[int] | None] = []
    original = service.overzicht

    def spy(today: dt.date, traject_ids: frozenset[int] | None = None) -> Any:
        calls.append(traject_ids)
        return original(today, traject_ids)

    monkeypatch.setattr(service, "overzicht", spy)
    operations.change(window, window.session, lambda: service.afronden(made.te_laat, user=AUTEUR, today=TODAY))
    assert calls == [frozenset({made.elif_})]
    assert _cell(view, made.te_laat, "Status") == "Definitief"
    assert _cell(view, made.te_laat, "Wacht op") == "Verslag driehoeksgesprek naar jaarassistent"
    # A new verslag: its traject's rows are read, and it is in the list.
    calls.clear()
    changes = operations.change(window, window.session, lambda: service.nieuw(
        made.noor, "driehoeksgesprek", auteur=AUTEUR, today=TODAY))
    assert changes is not None and isinstance(changes.created, int)
    assert calls == [frozenset({made.noor})]
    assert view.model.row_of_id(changes.created) is not None
