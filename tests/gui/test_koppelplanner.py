"""The planner board through the real views: drops, refusals, the keyboard, pins, import and 1-op-1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QListView

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.koppelplanner.demo import maak_demo_ronde
from ontkoppel_desktop.exchange.ronde_workbook import write_ronde
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.koppelplanner.board import AIOS_ID_ROLE, OPLEIDER_ID_ROLE
from ontkoppel_desktop.ui.koppelplanner.view import AssignDialog, BoardView
from ontkoppel_desktop.ui.main_window import MainWindow
from tests.conftest import WACHTWOORD
from tests.gui.conftest import Messages, open_main_window


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    store = Store.open(store_path, WACHTWOORD)
    store.rondes.add(maak_demo_ronde(aantal_aios=24, aantal_opleiders=30, seed=7))
    store.close()
    w = open_main_window(qtbot, store_path, gebruikersnaam="A. Manager")
    w.show_section(w.koppelplanner)
    qtbot.waitUntil(lambda: w.koppelplanner.board.state is not None)
    yield w
    w.session.lock()
    w.close()


def drop(view: QListView, source_view: QListView, source: QModelIndex, target: QModelIndex | None) -> None:
    """Drag the item `source` and drop it on `target` (or on the empty part of `view`), as the mouse does."""
    mime = source_view.model().mimeData([source])
    if target is not None:
        view.scrollTo(target)
        pos = QPointF(view.visualRect(target).center())
    else:
        pos = QPointF(view.viewport().rect().bottomRight()) - QPointF(5, 5)
    buttons, mods, action = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.DropAction.MoveAction
    viewport = view.viewport()
    QApplication.sendEvent(viewport, QDragEnterEvent(pos.toPoint(), action, mime, buttons, mods))
    QApplication.sendEvent(viewport, QDragMoveEvent(pos.toPoint(), action, mime, buttons, mods))
    QApplication.sendEvent(viewport, QDropEvent(pos, action, mime, buttons, mods))


def _dragged(board: BoardView) -> list[str]:
    """The aios a card drags: the first one on each opleider's card."""
    assert board.state is not None
    return sorted(ids[0] for ids in board.state.per_opleider.values())


def _card(board: BoardView, opleider_id: str) -> QModelIndex:
    model = board.opleider_model
    assert model is not None
    return model.index(model.row_of(opleider_id))


def test_drop_an_aios_on_another_opleider_and_undo(qtbot: Any, window: MainWindow) -> None:
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    free = [o.id for o in state.ronde.opleiders if not state.per_opleider.get(o.id)]
    move = next((a, o) for a in _dragged(board) for o in free if state.check(a, o).toegestaan)
    aios_id, target = move
    source = _card(board, state.bord.toewijzing[aios_id])
    drop(board.opleider_view, board.opleider_view, source, _card(board, target))
    assert state.bord.toewijzing[aios_id] == target
    assert "optimum" in board.hint.text()
    assert "optimum" in board.samenvatting.text()
    # Saved with the ronde at once.
    ronde_id = board.ronde.currentData()
    _, saved = window.session.store.rondes.get(ronde_id)
    assert saved is not None and saved.toewijzing[aios_id] == target
    window.undo_stack.undo()
    assert state.bord.toewijzing[aios_id] != target
    window.undo_stack.redo()
    assert state.bord.toewijzing[aios_id] == target


def test_a_refused_drop_says_why_and_changes_nothing(qtbot: Any, window: MainWindow) -> None:
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    refused = next((a, o.id) for a in _dragged(board) for o in state.ronde.opleiders
                   if not state.check(a, o.id).toegestaan and not state.per_opleider.get(o.id))
    before = dict(state.bord.toewijzing)
    depth = window.undo_stack.count()
    drop(board.opleider_view, board.opleider_view, _card(board, state.bord.toewijzing[refused[0]]),
         _card(board, refused[1]))
    assert state.bord.toewijzing == before
    assert window.undo_stack.count() == depth
    reason = "; ".join(b.bericht for b in state.check(*refused).bezwaren)
    assert reason and reason in board.hint.text()


def test_drop_on_the_loose_list_and_assign_back_by_keyboard(qtbot: Any, window: MainWindow) -> None:
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    aios_id = _dragged(board)[0]
    opleider_id = state.bord.toewijzing[aios_id]
    drop(board.aios_view, board.opleider_view, _card(board, opleider_id), None)
    assert aios_id not in state.bord.toewijzing
    assert "minder goed dan het optimum" in board.samenvatting.text()
    model = board.aios_view.model()
    assert [model.index(i).data(AIOS_ID_ROLE) for i in range(model.rowCount())] == [aios_id]

    board.aios_view.setFocus()
    board.aios_view.setCurrentIndex(model.index(0))
    chosen: list[str] = []

    def choose() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, AssignDialog) and w.isVisible()]
        if not dialogs:  # the modal dialog is not up yet
            QTimer.singleShot(20, choose)
            return
        # The best allowed opleider is first; Enter assigns.
        chosen.append(dialogs[0].lijst.currentItem().data(Qt.ItemDataRole.UserRole))
        qtbot.keyClick(dialogs[0].lijst, Qt.Key.Key_Return)

    QTimer.singleShot(20, choose)
    qtbot.keyClick(board.aios_view, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: bool(chosen))
    assert chosen and state.bord.toewijzing.get(aios_id) == chosen[0]


def test_pin_then_optimise_the_rest(qtbot: Any, window: MainWindow) -> None:
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    free = [o.id for o in state.ronde.opleiders if not state.per_opleider.get(o.id)]
    aios_id, target = next((a, o) for a in _dragged(board) for o in free if state.check(a, o).toegestaan)
    board.drop(aios_id, target)
    board.opleider_view.setFocus()
    board.opleider_view.setCurrentIndex(_card(board, target))
    qtbot.keyClick(board.opleider_view, Qt.Key.Key_V)
    assert (aios_id, target) in state.bord.pins
    assert _card(board, target).data(OPLEIDER_ID_ROLE) == target
    qtbot.mouseClick(board.optimaliseer, Qt.MouseButton.LeftButton)
    assert state.bord.toewijzing[aios_id] == target, "the pinned pair stays"
    assert state.uitslag.doelwaarde.key == state.planner.solve(state.bord.pins).doelwaarde.key


def test_import_is_all_or_nothing(qtbot: Any, window: MainWindow, tmp_path: Path, messages: Messages) -> None:
    import openpyxl

    board = window.koppelplanner.board
    before = len(window.session.store.rondes.list())
    good = tmp_path / "ronde.xlsx"
    write_ronde(good, maak_demo_ronde(aantal_aios=8, aantal_opleiders=10, seed=3))
    bad = tmp_path / "fout.xlsx"
    wb = openpyxl.load_workbook(good)
    ws = next(s for s in wb.worksheets if s.title.lower() == "voorkeuren")
    ws.append([ws.cell(2, 1).value, ws.cell(2, 2).value, 9])  # a 6th visit with an impossible score
    wb.save(bad)
    assert board.import_path(bad) is None
    assert len(window.session.store.rondes.list()) == before
    title, text = messages.shown[-1]
    assert title == "Ronde niet geïmporteerd" and "niets opgeslagen" in text and "Voorkeuren" in text
    ronde_id = board.import_path(good)
    assert ronde_id is not None and board.ronde.currentData() == ronde_id
    assert board.state is not None and len(board.state.ronde.aios) == 8


def test_een_op_een_hands_the_kennismakingsgesprek_to_the_traject(qtbot: Any, window: MainWindow) -> None:
    from datetime import date, timedelta

    from ontkoppel_desktop.core.personen import Naam, Opleider
    from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden
    from ontkoppel_desktop.ui.trajecten.event_form import EventDialog

    # An aios just ontkoppeld (formal decision recorded), waiting for a new opleider; one opleider is free.
    store = window.session.store
    praktijk = store.personen.praktijken()[0]
    store.personen.save_opleider(Opleider(Naam("Vrije", "", "Opleider"), praktijk.id))
    busy = {t.koppeling_id for t in store.trajecten.all() if not t.closed}
    koppeling = next(k for k in store.personen.koppelingen() if k.id not in busy and k.loopt_op(date.today()))
    day = date.today() - timedelta(days=10)
    t = store.trajecten.start(koppeling.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, day,
                              user="x").created
    store.trajecten.record(t, EventKind.DRIEHOEKSGESPREK, day, user="x")
    store.trajecten.record(t, EventKind.UITKOMST, day, {"uitkomst": "advies_ontkoppeling"}, user="x")
    store.trajecten.record(t, EventKind.BESLUIT_ONTKOPPELING, day + timedelta(days=2),
                           {"besluit": "ontkoppelen", "door": "Plv. hoofd"}, user="x")
    window.session.announce(Changes.all_of("traject"))
    panel = window.koppelplanner.een_op_een
    window.koppelplanner.tabs.setCurrentWidget(panel)
    panel.traject.setCurrentIndex(panel.traject.findData(t))
    assert panel.traject.currentData() == t
    geschikt = [i for i in range(panel.model.rowCount()) if panel.model.row_at(i).geschikt]
    assert geschikt, panel.uitleg.text()
    refused = [panel.model.row_at(i) for i in range(panel.model.rowCount()) if not panel.model.row_at(i).geschikt]
    assert all(k.reden for k in refused), "every opleider who cannot take the aios says why"
    panel.table.selectRow(geschikt[0])
    qtbot.mouseClick(panel.kennismaking, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, EventDialog) and w.isVisible())
    assert dialog.kind is EventKind.KENNISMAKINGSGESPREK
    assert window.current_section() is window.trajecten
    assert window.trajecten.detail.traject is not None and window.trajecten.detail.traject.id == t
    dialog.done(0)


def test_export_uitslag_to_excel_and_pdf(qtbot: Any, window: MainWindow, tmp_path: Path, messages: Messages,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    board = window.koppelplanner.board
    target = {"path": ""}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (target["path"], "")))
    target["path"] = str(tmp_path / "uitslag")
    qtbot.mouseClick(board.exporteren, Qt.MouseButton.LeftButton)
    sheet = openpyxl.load_workbook(tmp_path / "uitslag.xlsx")["Uitslag"]
    assert [c.value for c in sheet[1]][:3] == ["aios", "opleider", "score"]
    assert "onversleuteld" in board.hint.text()
    messages.answer = QMessageBox.StandardButton.No  # per aios
    target["path"] = str(tmp_path / "per-aios.pdf")
    qtbot.mouseClick(board.pdf, Qt.MouseButton.LeftButton)
    data = (tmp_path / "per-aios.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
