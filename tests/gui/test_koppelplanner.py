"""The planner board through the real views: drops, refusals, the keyboard, pins, import and 1-op-1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QListView

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.demo.rondes import maak_demo_ronde
from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde
from ontkoppel_desktop.ui.koppelplanner.board import AIOS_ID_ROLE, OPLEIDER_ID_ROLE
from ontkoppel_desktop.ui.koppelplanner.view import AssignDialog, BoardView
from ontkoppel_desktop.ui.main_window import MainWindow
from tests.conftest import WACHTWOORD
from tests.gui.conftest import Messages


@pytest.fixture
def window(koppelplanner_window: MainWindow) -> MainWindow:
    return koppelplanner_window


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
    # A visited practice: one the aios did not visit first asks for the reden of an uitzondering (below).
    move = next((a, o) for a in _dragged(board) for o in free
                if state.check(a, o).toegestaan and not state.check(a, o).bezwaren)
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
    oordeel = state.check(*refused)
    reason = oordeel.weigering
    assert reason and reason in board.hint.text()
    # Issue 14: a move that did not happen costs nothing, and undoes no pin: only why it cannot is said.
    assert "optimum" not in board.hint.text()
    assert all(b.bericht not in board.hint.text() for b in oordeel.bezwaren if not b.blokkerend)


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
    aios_id, target = next((a, o) for a in _dragged(board) for o in free
                           if state.check(a, o).toegestaan and not state.check(a, o).bezwaren)
    board.drop(aios_id, target)
    board.opleider_view.setFocus()
    board.opleider_view.setCurrentIndex(_card(board, target))
    qtbot.keyClick(board.opleider_view, Qt.Key.Key_V)
    assert (aios_id, target) in state.bord.pins
    assert _card(board, target).data(OPLEIDER_ID_ROLE) == target
    before = state.rondebord.stand
    qtbot.mouseClick(board.optimaliseer, Qt.MouseButton.LeftButton)
    assert state.bord.toewijzing[aios_id] == target, "the pinned pair stays"
    assert state.uitslag.doelwaarde.key == state.planner.solve(state.bord.pins).doelwaarde.key
    # Each of the three steps is one undo step, and undo puts store and screen back together.
    board.undo_stack.undo()
    assert state.rondebord.stand == before == window.session.store.rondes.stand(state.ronde_id)
    board.undo_stack.undo()
    assert (aios_id, target) not in state.bord.pins
    assert (aios_id, target) not in window.session.store.rondes.stand(state.ronde_id).bord.pins


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

    from ontkoppel_desktop.ui.verslagen import wizard as wizard_module
    from tests.gui.test_koppelplanner_dagelijks import _waiting_traject

    t = _waiting_traject(window)
    panel = window.koppelplanner.een_op_een
    assert panel.traject.currentData() == t
    geschikt = [i for i in range(panel.model.rowCount()) if panel.model.row_at(i).geschikt]
    assert geschikt, panel.uitleg.text()
    refused = [panel.model.row_at(i) for i in range(panel.model.rowCount()) if not panel.model.row_at(i).geschikt]
    assert all(k.reden for k in refused), "every opleider who cannot take the aios says why"
    panel.table.selectRow(geschikt[0])
    chosen = int(panel.model.row_at(geschikt[0]).opleider_id)
    window.session.settings.gebruikersnaam = "Docent Vos"
    # Utrecht 5.2.1: first the overdracht to the chosen opleider, then the kennismakingsgesprek; both wizards get
    # the opleider filled in.
    for button, gesprek in ((panel.overdracht, "match_nieuwe_opleider"), (panel.kennismaking, "kennismakingsgesprek")):
        window.show_section(window.koppelplanner)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        wizard = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, wizard_module.GesprekWizard) and w.isVisible())
        assert wizard.formulier.id == gesprek
        assert wizard.widgets["nieuwe_opleider"].value() == chosen
        assert window.current_section() is window.trajecten
        assert window.trajecten.detail.traject is not None and window.trajecten.detail.traject.id == t
        wizard.close()


def test_export_uitslag_to_excel_and_pdf(qtbot: Any, window: MainWindow, tmp_path: Path, messages: Messages,
                                         monkeypatch: pytest.MonkeyPatch, geopend: list[str]) -> None:
    import openpyxl
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from ontkoppel_desktop.ui import vraag

    board = window.koppelplanner.board
    target = {"path": ""}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (target["path"], "")))
    target["path"] = str(tmp_path / "uitslag")
    qtbot.mouseClick(board.exporteren, Qt.MouseButton.LeftButton)
    sheet = openpyxl.load_workbook(tmp_path / "uitslag.xlsx")["Uitslag"]
    assert [c.value for c in sheet[1]][:3] == ["aios", "opleider", "score"]
    assert "onversleuteld" in board.hint.text()
    # Issue 14: after the export, Openen and Toon in map (the fixture clicks the first: Openen).
    assert geopend == [f"open {tmp_path / 'uitslag.xlsx'}"]

    # Issue 14: who the PDF is for is asked with buttons that say it, never Ja/Nee.
    asked: list[list[str]] = []
    kies = {"index": 0}

    def answer(box: QMessageBox) -> Any:
        knoppen = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
        if box.windowTitle() == "Uitslag als PDF":
            asked.append([b.text().replace("&", "") for b in knoppen])
            return knoppen[kies["index"]] if kies["index"] is not None else None
        return None  # after the export: Sluiten

    monkeypatch.setattr(vraag, "_toon", answer)
    for i, (_, voor, *_) in enumerate(board.PDF_KEUZES):
        kies["index"] = i
        target["path"] = str(tmp_path / f"voor-{voor}.pdf")
        qtbot.mouseClick(board.pdf, Qt.MouseButton.LeftButton)
        assert asked[-1] == ["Overzicht voor de managers", "Een pagina per opleider", "Een pagina per aios"]
        data = (tmp_path / f"voor-{voor}.pdf").read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 10_000
    assert not any(t in ("Ja", "Nee", "Yes", "No") for knoppen in asked for t in knoppen)
    # Annuleren writes nothing.
    kies["index"] = None  # type: ignore[assignment]
    target["path"] = str(tmp_path / "niet.pdf")
    qtbot.mouseClick(board.pdf, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "niet.pdf").exists()


# ---- issue 7: herkomst, uitzondering, undo through the gateway ---------------------------------------------

# ASCII: QTest types only ASCII keys.
REDEN = "Bezoek niet mogelijk door ziekte; vooraf overlegd met het secretariaat."


def _reden_dialog() -> Any:
    """The visible dialog that asks for the reden of an uitzondering, or None."""
    from PySide6.QtWidgets import QDialog, QLineEdit

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            for field in widget.findChildren(QLineEdit):
                if field.accessibleName() == "Reden van de uitzondering":
                    return widget
    return None


def _reden_field(dialog: Any) -> Any:
    from PySide6.QtWidgets import QLineEdit

    return next(f for f in dialog.findChildren(QLineEdit) if f.accessibleName() == "Reden van de uitzondering")


def _unvisited_move(board: BoardView) -> tuple[str, str]:
    """An aios on a card and a free opleider it did not visit: allowed only with an uitzondering."""
    from ontkoppel_desktop.core.koppelplanner import Regel

    state = board.state
    assert state is not None
    return next(
        (a, o.id) for a in _dragged(board) for o in state.ronde.opleiders
        if not state.per_opleider.get(o.id) and state.check(a, o.id).toegestaan
        and any(b.regel is Regel.NIET_BEZOCHT for b in state.check(a, o.id).bezwaren)
    )


def _saved(window: MainWindow) -> tuple[Any, Any]:
    board = window.koppelplanner.board
    return window.session.store.rondes.get(board.ronde.currentData())


def _uitslag_rows(board: BoardView, path: Path) -> dict[str, list[Any]]:
    import openpyxl

    board.export_xlsx()
    sheet = openpyxl.load_workbook(path)["Uitslag"]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    return {str(r[0]): dict(zip(header, r, strict=False)) for r in rows}  # type: ignore[misc]


def test_a_board_equal_to_the_optimum_is_exported_as_the_optimum(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 6: every koppeling was marked "handmatig geplaatst", even on the untouched optimum."""
    from PySide6.QtWidgets import QFileDialog

    from ontkoppel_desktop.documents.koppeluitslag import write_uitslag_pdf
    from tests.documents.conftest import pdf_pages

    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    assert state.uitslag.toewijzing == state.planner.optimum.toewijzing
    path = tmp_path / "uitslag.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    rows = _uitslag_rows(board, path)
    assert {r["herkomst"] for r in rows.values()} <= {"berekend groepsoptimum", "vastgezet"}
    assert "handmatig" not in state.uitleg.voor(next(iter(rows))).toelichting
    pdf = tmp_path / "per-aios.pdf"
    write_uitslag_pdf(pdf, state.ronde, state.uitslag, state.uitleg, voor="aios")
    text = " ".join(pdf_pages(pdf))
    assert "berekend groepsoptimum" in text and "andmatig geplaatst" not in text

    # One move by hand: that koppeling, and only that one, is handmatig.
    free = [o.id for o in state.ronde.opleiders if not state.per_opleider.get(o.id)]
    aios_id, target = next((a, o) for a in _dragged(board) for o in free
                           if state.check(a, o).toegestaan and not state.check(a, o).bezwaren)
    drop(board.opleider_view, board.opleider_view, _card(board, board.state.bord.toewijzing[aios_id]),
         _card(board, target))
    rows = _uitslag_rows(board, path)
    assert rows[aios_id]["herkomst"] == "handmatig geplaatst"
    assert [a for a, r in rows.items() if r["herkomst"] == "handmatig geplaatst"] == [aios_id]


def test_a_drop_on_an_unvisited_practice_asks_a_reden_and_records_an_uitzondering(
    qtbot: Any, window: MainWindow
) -> None:
    """Defect 7: the drop was carried out without the manager's uitzondering."""
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    aios_id, target = _unvisited_move(board)
    old = state.bord.toewijzing[aios_id]
    depth = board.undo_stack.count()
    drop(board.opleider_view, board.opleider_view, _card(board, old), _card(board, target))
    dialog = _reden_dialog()
    assert dialog is not None, "a drop on a practice the aios did not visit asks for the reden"
    assert board.state.bord.toewijzing[aios_id] == old, "nothing moves before the reden is given"
    field = _reden_field(dialog)

    qtbot.keyClick(field, Qt.Key.Key_Return)  # an empty reden is refused where it is typed
    assert dialog.isVisible()
    from PySide6.QtWidgets import QLabel

    assert any("Vul de reden" in label.text() for label in dialog.findChildren(QLabel) if label.isVisible())
    assert board.state.bord.toewijzing[aios_id] == old

    qtbot.keyClicks(field, REDEN)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert board.state.bord.toewijzing[aios_id] == target
    ronde, bord = _saved(window)
    assert (aios_id, target, REDEN) in {(u.aios_id, u.opleider_id, u.reden) for u in ronde.uitzonderingen}
    assert bord.toewijzing[aios_id] == target
    assert f"uitzondering: {REDEN}" in _card(board, target).data(Qt.ItemDataRole.DisplayRole)
    assert REDEN.rstrip(".") in board.state.uitleg.voor(aios_id).toelichting
    assert board.undo_stack.count() == depth + 1

    # Undo takes back the move and the uitzondering together; redo makes both again.
    board.undo_stack.undo()
    ronde, bord = _saved(window)
    assert bord.toewijzing[aios_id] == old and board.state.bord.toewijzing[aios_id] == old
    assert (aios_id, target) not in {(u.aios_id, u.opleider_id) for u in ronde.uitzonderingen}
    assert "uitzondering" not in _card(board, target).data(Qt.ItemDataRole.DisplayRole)
    board.undo_stack.redo()
    ronde, bord = _saved(window)
    assert bord.toewijzing[aios_id] == target and board.state.bord.toewijzing[aios_id] == target
    assert (aios_id, target) in {(u.aios_id, u.opleider_id) for u in ronde.uitzonderingen}


def test_escape_on_the_reden_makes_no_move(qtbot: Any, window: MainWindow) -> None:
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    aios_id, target = _unvisited_move(board)
    old = state.bord.toewijzing[aios_id]
    depth = board.undo_stack.count()
    drop(board.opleider_view, board.opleider_view, _card(board, old), _card(board, target))
    dialog = _reden_dialog()
    assert dialog is not None
    qtbot.keyClicks(_reden_field(dialog), "Half getypt")
    qtbot.keyClick(_reden_field(dialog), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    ronde, bord = _saved(window)
    assert board.state.bord.toewijzing[aios_id] == old and bord.toewijzing.get(aios_id) in (old, None)
    assert (aios_id, target) not in {(u.aios_id, u.opleider_id) for u in ronde.uitzonderingen}
    assert board.undo_stack.count() == depth


def test_assign_by_keyboard_to_an_unvisited_practice_asks_the_reden(qtbot: Any, window: MainWindow) -> None:
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    aios_id, target = _unvisited_move(board)
    board.opleider_view.setFocus()
    board.opleider_view.setCurrentIndex(_card(board, state.bord.toewijzing[aios_id]))
    done: list[bool] = []

    def choose() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, AssignDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, choose)
            return
        lijst = dialogs[0].lijst
        row = next(i for i in range(lijst.count()) if lijst.item(i).data(Qt.ItemDataRole.UserRole) == target)
        lijst.setCurrentRow(row)
        qtbot.keyClick(lijst, Qt.Key.Key_Return)
        done.append(True)

    QTimer.singleShot(20, choose)
    qtbot.keyClick(board.opleider_view, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: bool(done))
    qtbot.waitUntil(lambda: _reden_dialog() is not None)
    dialog = _reden_dialog()
    qtbot.keyClicks(_reden_field(dialog), REDEN)
    qtbot.keyClick(_reden_field(dialog), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: board.state is not None and board.state.bord.toewijzing.get(aios_id) == target)
    ronde, _ = _saved(window)
    assert (aios_id, target, REDEN) in {(u.aios_id, u.opleider_id, u.reden) for u in ronde.uitzonderingen}


def _undo_action(window: MainWindow) -> Any:
    from PySide6.QtGui import QAction

    return next(a for a in window.findChildren(QAction) if a.text().replace("&", "").startswith("Ongedaan maken"))


def _unlock(qtbot: Any, window: MainWindow) -> None:
    panel = window.lock_page.panel
    qtbot.keyClicks(panel.veld, WACHTWOORD)
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.is_locked)


def test_assign_lock_unlock_then_undo_has_nothing_to_undo(
    qtbot: Any, window: MainWindow, messages: Messages
) -> None:
    """Defect 2 (board): Ctrl+Z after Ctrl+L and unlocking raised "Cannot operate on a closed database"."""
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    free = [o.id for o in state.ronde.opleiders if not state.per_opleider.get(o.id)]
    aios_id, target = next((a, o) for a in _dragged(board) for o in free
                           if state.check(a, o).toegestaan and not state.check(a, o).bezwaren)
    drop(board.opleider_view, board.opleider_view, _card(board, state.bord.toewijzing[aios_id]), _card(board, target))
    assert board.undo_stack.canUndo()
    qtbot.keyClick(board.opleider_view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session.is_locked
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: board.state is not None)
    assert board.undo_stack.count() == 0 and not board.undo_stack.canUndo()
    qtbot.keyClick(board.opleider_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _, bord = _saved(window)
    assert bord.toewijzing[aios_id] == target and board.state.bord.toewijzing[aios_id] == target
    assert messages.shown == []


def test_after_lock_and_unlock_ongedaan_maken_is_disabled(qtbot: Any, window: MainWindow) -> None:
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    free = [o.id for o in state.ronde.opleiders if not state.per_opleider.get(o.id)]
    aios_id, target = next((a, o) for a in _dragged(board) for o in free
                           if state.check(a, o).toegestaan and not state.check(a, o).bezwaren)
    board.drop(aios_id, target)
    assert _undo_action(window).isEnabled()
    window.session.lock()
    _unlock(qtbot, window)
    assert not _undo_action(window).isEnabled()


def test_undo_after_a_refresh_changes_store_and_screen(qtbot: Any, window: MainWindow) -> None:
    """Defect 2 (board): after a refresh, Ctrl+Z changed the store but not the screen."""
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    free = [o.id for o in state.ronde.opleiders if not state.per_opleider.get(o.id)]
    aios_id, target = next((a, o) for a in _dragged(board) for o in free
                           if state.check(a, o).toegestaan and not state.check(a, o).bezwaren)
    old = state.bord.toewijzing[aios_id]
    drop(board.opleider_view, board.opleider_view, _card(board, old), _card(board, target))
    window.session.announce(Changes.everything())  # e.g. what unlocking or another screen announces
    assert board.state is not None and board.state.bord.toewijzing[aios_id] == target
    board.undo_stack.undo()
    _, bord = _saved(window)
    assert bord.toewijzing[aios_id] == old
    assert board.state.bord.toewijzing[aios_id] == old
    shown = _card(board, old).data(Qt.ItemDataRole.DisplayRole)
    assert board.state.aios[aios_id].naam in shown
    assert board.state.aios[aios_id].naam not in _card(board, target).data(Qt.ItemDataRole.DisplayRole)


def test_a_reden_typed_before_locking_is_kept_and_recorded_after_unlocking(qtbot: Any, window: MainWindow) -> None:
    board = window.koppelplanner.board
    state = board.state
    assert state is not None
    aios_id, target = _unvisited_move(board)
    drop(board.opleider_view, board.opleider_view, _card(board, state.bord.toewijzing[aios_id]), _card(board, target))
    dialog = _reden_dialog()
    assert dialog is not None
    qtbot.keyClicks(_reden_field(dialog), REDEN)
    window.session.lock()
    assert not dialog.isVisible(), "nothing shows while locked"
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: _reden_dialog() is dialog)
    assert _reden_field(dialog).text() == REDEN
    qtbot.keyClick(_reden_field(dialog), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    ronde, bord = _saved(window)
    assert bord.toewijzing[aios_id] == target
    assert (aios_id, target, REDEN) in {(u.aios_id, u.opleider_id, u.reden) for u in ronde.uitzonderingen}
    assert board.state is not None and board.state.bord.toewijzing[aios_id] == target
    board.undo_stack.undo()
    assert _saved(window)[1].toewijzing[aios_id] != target
