"""The Koppelplanner in daily use (issue 14), through the real widgets: names instead of ids, messages that follow
what happened (an undo too) in words and in the singular or plural, a refused move that looks refused, right-click
menus on the board and in 1-op-1, Openen / Toon in map after every export with file dialogs that remember their
folder per purpose, and a board a screen reader can follow."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAccessible, QContextMenuEvent, QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent
from PySide6.QtWidgets import QApplication, QDialog, QListView, QMenu, QWidget

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.demo.rondes import maak_demo_ronde
from ontkoppel_desktop.ui.koppelplanner import melding
from ontkoppel_desktop.ui.koppelplanner.board import OPLEIDER_ID_ROLE, STATE_ROLE
from ontkoppel_desktop.ui.koppelplanner.melding import Soort
from ontkoppel_desktop.ui.koppelplanner.view import AiosKiezenDialog, AssignDialog, BoardView
from ontkoppel_desktop.ui.main_window import MainWindow
from tests.gui.conftest import Messages
from tests.gui.test_koppelplanner import _card, _dragged, drop


@pytest.fixture(autouse=True)
def aangekondigd(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the board says to a screen reader."""
    said: list[str] = []
    real = melding.announce

    def announce(widget: QWidget, tekst: str) -> None:
        said.append(tekst)
        real(widget, tekst)

    monkeypatch.setattr(melding, "announce", announce)
    return said


@pytest.fixture
def window(koppelplanner_window: MainWindow) -> MainWindow:
    return koppelplanner_window


def _board(window: MainWindow) -> BoardView:
    board: BoardView = window.koppelplanner.board
    assert board.state is not None
    return board


def _ids_in(text: str, board: BoardView) -> list[str]:
    assert board.state is not None
    ids = set(board.state.aios) | set(board.state.opleiders)
    return [w for w in re.findall(r"[A-Za-z]*\d+", text) if w in ids]


def _free_move(board: BoardView) -> tuple[str, str]:
    """An aios on a card and a free opleider it visited: a move without questions."""
    state = board.state
    assert state is not None
    free = [o.id for o in state.ronde.opleiders if not state.per_opleider.get(o.id)]
    return next((a, o) for a in _dragged(board) for o in free
                if state.check(a, o).toegestaan and not state.check(a, o).bezwaren)


def _refused_move(board: BoardView) -> tuple[str, str]:
    state = board.state
    assert state is not None
    return next((a, o.id) for a in _dragged(board) for o in state.ronde.opleiders
                if not state.check(a, o.id).toegestaan and not state.per_opleider.get(o.id))


def _when_visible(kind: type, act: Callable[[Any], None], done: list[Any]) -> None:
    """Once a visible top-level widget of `kind` is up (a modal dialog or a popup menu opened with exec()), act on
    it: the test goes on while it waits."""

    def look() -> None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        if not found:
            QTimer.singleShot(20, look)
            return
        done.append(found[0])
        act(found[0])

    QTimer.singleShot(20, look)


def _menu_texts(menu: QMenu) -> list[str]:
    texts = []
    for action in menu.actions():
        if action.menu() is not None:
            texts += [f"{action.text()} › {t}" for t in _menu_texts(action.menu())]  # type: ignore[arg-type]
        elif not action.isSeparator():
            texts.append(action.text().split("\t")[0] + ("" if action.isEnabled() else " (uit)"))
    return texts


def right_click(qtbot: Any, widget: QWidget, pos: QPoint, choose: str | None) -> list[str]:
    """Right-click `widget` at `pos` as the mouse does; in the menu that opens, choose the first item whose text
    contains `choose` (with the keyboard, as a user may), or close the menu. The menu's items come back."""
    seen: list[list[str]] = []

    def act(menu: QMenu) -> None:
        seen.append(_menu_texts(menu))
        actions = [a for a in menu.actions() if choose and choose in a.text() and a.isEnabled()]
        if not actions:
            menu.close()
            return
        menu.setActiveAction(actions[0])
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    _when_visible(QMenu, act, [])
    # What a right click does: the button goes down on the item, then the window system asks for the context
    # menu (QTest's mouse events alone never do; sent here as the platform sends it).
    qtbot.mousePress(widget, Qt.MouseButton.RightButton, pos=pos)
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos)))
    qtbot.mouseRelease(widget, Qt.MouseButton.RightButton, pos=pos)
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


def _card_pos(view: QListView, index: QModelIndex) -> QPoint:
    view.scrollTo(index)
    return view.visualRect(index).center()


# ---- 1: names, not ids --------------------------------------------------------------------------------------


def _waiting_traject(window: MainWindow) -> int:
    """An aios just ontkoppeld (formal decision recorded), waiting for a new opleider; one opleider is free."""
    from ontkoppel_desktop.core.personen import Naam, Opleider
    from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden

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
    assert isinstance(t, int)
    return t


def test_1_op_1_says_why_not_without_ids_and_hands_over_the_opleider_by_name(
    qtbot: Any, window: MainWindow
) -> None:
    from ontkoppel_desktop.ui.verslagen import wizard as wizard_module

    _waiting_traject(window)
    panel = window.koppelplanner.een_op_een
    model = panel.model
    waarom = [c.title for c in model.columns].index("Waarom niet")
    refused = [i for i in range(model.rowCount()) if not model.row_at(i).geschikt]
    assert refused
    for row in refused:
        kandidaat = model.row_at(row)
        reden = str(model.index(row, waarom).data())
        naam = panel.lookups.opleider_naam(int(kandidaat.opleider_id))
        # The row names the opleider already; the reason says why, with no number of the store in it.
        assert reden and naam not in reden, reden
        assert not re.search(rf"(?<![\w.]){kandidaat.opleider_id}(?![\w.])", reden), reden
    row = next(i for i in range(model.rowCount()) if model.row_at(i).geschikt)
    panel.table.selectRow(row)
    chosen = int(model.row_at(row).opleider_id)
    qtbot.mouseClick(panel.kennismaking, Qt.MouseButton.LeftButton)
    wizard = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, wizard_module.GesprekWizard) and w.isVisible())
    veld = wizard.widgets["nieuwe_opleider"]
    assert veld.value() == chosen
    shown = veld.combo.currentText()
    assert shown.startswith(panel.lookups.opleider_naam(chosen)) and str(chosen) not in shown.split()
    wizard.close()


def test_a_refused_drop_names_people_and_practices_not_ids(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    state = board.state
    assert state is not None
    aios_id, opleider_id = _refused_move(board)
    drop(board.opleider_view, board.opleider_view, _card(board, state.bord.toewijzing[aios_id]),
         _card(board, opleider_id))
    text = board.hint.text()
    assert state.aios[aios_id].naam in text and state.opleiders[opleider_id].naam in text
    assert _ids_in(text, board) == [], text


# ---- 3: words, and the message follows an undo --------------------------------------------------------------


def test_optimise_counts_pins_in_the_singular_and_the_plural(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    state = board.state
    assert state is not None
    qtbot.keyClick(board, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert board.hint.text() == "Er veranderde niets: de indeling was al de beste voor de groep (geen vastgezette " \
                                "paren)."
    pairs = sorted(state.bord.toewijzing.items())
    for n, (aios_id, opleider_id) in enumerate(pairs[:2], start=1):
        board.opleider_view.setFocus()
        board.opleider_view.setCurrentIndex(_card(board, opleider_id))
        qtbot.keyClick(board.opleider_view, Qt.Key.Key_V)
        assert (aios_id, opleider_id) in board.state.bord.pins  # type: ignore[union-attr]
        # Move another aios by hand, so that optimising changes something.
        moved, target = _free_move(board)
        assert board.drop(moved, target)
        qtbot.mouseClick(board.optimaliseer, Qt.MouseButton.LeftButton)
        assert board.hint.text() == ("Gedaan: Geoptimaliseerd rond 1 vastgezet paar." if n == 1 else
                                     "Gedaan: Geoptimaliseerd rond 2 vastgezette paren.")
    qtbot.mouseClick(board.optimaliseer, Qt.MouseButton.LeftButton)
    assert board.hint.text() == ("Er veranderde niets: de indeling was al de beste voor de groep rond 2 vastgezette "
                                 "paren.")


def test_the_message_follows_undo_and_redo(qtbot: Any, window: MainWindow, aangekondigd: list[str]) -> None:
    board = _board(window)
    state = board.state
    assert state is not None
    aios_id, target = _free_move(board)
    drop(board.opleider_view, board.opleider_view, _card(board, state.bord.toewijzing[aios_id]),
         _card(board, target))
    zet = f"{state.aios[aios_id].naam} naar {state.opleiders[target].naam}"
    assert board.hint.text().startswith(f"Gedaan: {zet}.") and board.hint.soort is Soort.GEDAAN
    assert "Ten opzichte van het optimum" in board.hint.text()
    board.opleider_view.setFocus()
    qtbot.keyClick(board.opleider_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert board.state is not None and board.state.bord.toewijzing[aios_id] != target
    assert board.hint.text() == f"Ongedaan gemaakt: {zet}."
    assert "optimum" not in board.hint.text()
    assert aangekondigd[-1] == f"Ongedaan gemaakt: {zet}."
    qtbot.keyClick(board.opleider_view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert board.state.bord.toewijzing[aios_id] == target
    assert board.hint.text() == f"Opnieuw gedaan: {zet}."


# ---- 4: a refused move looks refused ------------------------------------------------------------------------


def test_dragging_over_a_card_that_refuses_marks_it_in_colour_and_words(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    state = board.state
    assert state is not None
    before = board.hint.text()
    aios_id, opleider_id = _refused_move(board)
    view = board.opleider_view
    source = _card(board, state.bord.toewijzing[aios_id])
    target = _card(board, opleider_id)
    mime = view.model().mimeData([source])
    pos = _card_pos(view, target)
    buttons, mods, action = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.DropAction.MoveAction
    QApplication.sendEvent(view.viewport(), QDragEnterEvent(pos, action, mime, buttons, mods))
    move = QDragMoveEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), move)
    assert not move.isAccepted(), "the drop is refused (Qt shows the no-entry cursor)"
    assert target.data(STATE_ROLE)["hover"] == "geweigerd"
    # The card: a red dashed border and the badge "✗ kan hier niet" in white on red.
    image = view.viewport().grab(view.visualRect(target)).toImage()
    red = sum(1 for x in range(image.width()) for y in range(image.height())
              if image.pixelColor(x, y).name() == "#b3261e")
    assert red > 200, red
    # The message: its words, its icon, its colour, and why (not what it would have cost).
    assert board.hint.soort is Soort.GEWEIGERD and board.hint.icoon.isVisible()
    assert board.hint.text().startswith("Niet toegestaan: hier kan deze aios niet.")
    assert state.check(aios_id, opleider_id).weigering in board.hint.text()
    assert "optimum" not in board.hint.text()
    QApplication.sendEvent(view.viewport(), QDragLeaveEvent())
    assert target.data(STATE_ROLE)["hover"] is None
    assert board.hint.text() == before, "after the drag the message before it is back"


# ---- 5: right-click menus -----------------------------------------------------------------------------------


def test_right_click_a_card_to_unassign_pin_and_move_its_aios(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    state = board.state
    assert state is not None
    # A card with one aios (a card with two has a submenu per aios).
    aios_id = next(a for a in _dragged(board) if len(state.per_opleider[state.bord.toewijzing[a]]) == 1)
    opleider_id = state.bord.toewijzing[aios_id]
    naam = state.aios[aios_id].naam
    view = board.opleider_view
    items = right_click(qtbot, view.viewport(), _card_pos(view, _card(board, opleider_id)), "hier vastzetten")
    assert f"{naam} naar een andere opleider…" in items and f"{naam} losmaken" in items
    assert "Optimaliseer de rest" in items
    assert (aios_id, opleider_id) in board.state.bord.pins  # type: ignore[union-attr]
    items = right_click(qtbot, view.viewport(), _card_pos(view, _card(board, opleider_id)), "losmaken")
    assert f"Vastzetting van {naam} opheffen" in items
    assert aios_id not in board.state.bord.toewijzing  # type: ignore[union-attr]
    # The aios is loose now: its menu assigns it, through the keyboard's list of opleiders.
    row = board.unassigned_model.row_of(aios_id)  # type: ignore[union-attr]
    chosen: list[str] = []

    def pick(dialog: AssignDialog) -> None:
        chosen.append(str(dialog.lijst.currentItem().data(Qt.ItemDataRole.UserRole)))
        qtbot.keyClick(dialog.lijst, Qt.Key.Key_Return)

    _when_visible(AssignDialog, pick, [])
    items = right_click(qtbot, board.aios_view.viewport(),
                        _card_pos(board.aios_view, board.unassigned_model.index(row)), "toewijzen")  # type: ignore
    assert items == [f"{naam} toewijzen aan een opleider…", "Optimaliseer de rest"]
    qtbot.waitUntil(lambda: bool(chosen))
    assert board.state.bord.toewijzing.get(aios_id) == chosen[0]  # type: ignore[union-attr]


def test_right_click_an_empty_card_to_choose_its_aios(qtbot: Any, window: MainWindow, aangekondigd: list[str]
                                                      ) -> None:
    board = _board(window)
    state = board.state
    assert state is not None
    aios_id, opleider_id = _free_move(board)
    naam = state.opleiders[opleider_id].naam
    done: list[str] = []

    def pick(dialog: AiosKiezenDialog) -> None:
        lijst = dialog.lijst
        texts = [lijst.item(i).text() for i in range(lijst.count())]
        assert all(t.startswith(("Kan: ", "Kan niet: ")) for t in texts)
        assert _ids_in(" ".join(texts), board) == []
        row = next(i for i in range(lijst.count()) if lijst.item(i).data(Qt.ItemDataRole.UserRole) == aios_id)
        lijst.setCurrentRow(row)
        qtbot.keyClick(lijst, Qt.Key.Key_Return)
        done.append("ok")

    _when_visible(AiosKiezenDialog, pick, [])
    items = right_click(qtbot, board.opleider_view.viewport(),
                        _card_pos(board.opleider_view, _card(board, opleider_id)), "Een aios toewijzen")
    assert f"Een aios toewijzen aan {naam}…" in items
    qtbot.waitUntil(lambda: bool(done))
    assert board.state.bord.toewijzing[aios_id] == opleider_id  # type: ignore[union-attr]
    assert aangekondigd[-1].startswith(f"Gedaan: {state.aios[aios_id].naam} naar {naam}.")


def _menu_key(qtbot: Any, widget: QWidget, choose: str | None) -> list[str]:
    """The menu key (or Shift+F10): Qt sends the focused widget a context menu event from the keyboard, at a
    place of its own choosing (here a corner, far from the chosen item)."""
    seen: list[list[str]] = []

    def act(menu: QMenu) -> None:
        seen.append(_menu_texts(menu))
        actions = [a for a in menu.actions() if choose and choose in a.text() and a.isEnabled()]
        if actions:
            menu.setActiveAction(actions[0])
            qtbot.keyClick(menu, Qt.Key.Key_Return)
        else:
            menu.close()

    _when_visible(QMenu, act, [])
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(2, 2),
                                                     widget.mapToGlobal(QPoint(2, 2))))
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


def test_the_menu_key_opens_the_menu_of_the_chosen_card(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    state = board.state
    assert state is not None
    aios_id = next(a for a in reversed(_dragged(board)) if len(state.per_opleider[state.bord.toewijzing[a]]) == 1)
    naam = state.aios[aios_id].naam
    board.opleider_view.setFocus()
    board.opleider_view.setCurrentIndex(_card(board, state.bord.toewijzing[aios_id]))
    items = _menu_key(qtbot, board.opleider_view, "losmaken")
    assert items[0] == f"{naam} naar een andere opleider…"
    assert aios_id not in board.state.bord.toewijzing  # type: ignore[union-attr]


def test_right_click_in_1_op_1(qtbot: Any, window: MainWindow) -> None:
    from ontkoppel_desktop.ui.verslagen import wizard as wizard_module

    _waiting_traject(window)
    panel = window.koppelplanner.een_op_een
    model = panel.model
    nee = next(i for i in range(model.rowCount()) if not model.row_at(i).geschikt)
    naam = panel.lookups.opleider_naam(int(model.row_at(nee).opleider_id))
    pos = panel.table.visualRect(model.index(nee, 1)).center()
    items = right_click(qtbot, panel.table.viewport(), pos, None)
    assert items == [f"Overdracht aan {naam}… (uit)", f"Kennismakingsgesprek met {naam} vastleggen… (uit)",
                     f"Kan niet: {model.row_at(nee).reden_kort} (uit)"]
    ja = next(i for i in range(model.rowCount()) if model.row_at(i).geschikt)
    pos = panel.table.visualRect(model.index(ja, 1)).center()
    right_click(qtbot, panel.table.viewport(), pos, "Kennismakingsgesprek")
    wizard = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, wizard_module.GesprekWizard) and w.isVisible())
    assert wizard.formulier.id == "kennismakingsgesprek"
    wizard.close()
    # The menu key acts on the chosen row, wherever the mouse is. (First the main window is active again: a
    # window activated while a menu is open closes the menu, as it should.)
    window.show_section(window.koppelplanner)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.wait(50)
    panel.table.setFocus()
    panel.table.selectRow(nee)
    assert _menu_key(qtbot, panel.table, None)[0] == f"Overdracht aan {naam}… (uit)"
    panel.table.selectRow(ja)
    _menu_key(qtbot, panel.table, "Overdracht")
    wizard = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, wizard_module.GesprekWizard) and w.isVisible())
    assert wizard.formulier.id == "match_nieuwe_opleider"
    assert wizard.widgets["nieuwe_opleider"].value() == int(model.row_at(ja).opleider_id)
    wizard.close()


# ---- 5: exports: Openen / Toon in map, and the folder per purpose ------------------------------------------


def test_every_export_offers_openen_and_remembers_its_folder(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: Messages,
    geopend: list[str],
) -> None:
    from PySide6.QtWidgets import QFileDialog

    board = _board(window)
    rondes, uitslagen = tmp_path / "rondes", tmp_path / "uitslagen"
    rondes.mkdir()
    uitslagen.mkdir()
    asked: list[tuple[str, str]] = []
    answer = {"path": ""}

    def save(parent: Any, title: str, start: str, *args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append((title, start))
        return answer["path"], ""

    def open_(parent: Any, title: str, start: str, *args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append((title, start))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_))
    messages.keuze = 1  # Toon in map
    for button, folder, name in ((board.sjabloon, rondes, "leeg"), (board.uit_personen, rondes, "personen"),
                                 (board.exporteren, uitslagen, "uitslag")):
        answer["path"] = str(folder / name)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert (folder / f"{name}.xlsx").exists()
        assert geopend[-1] == f"map {folder / name}.xlsx"
    messages.keuze = 0  # the first choice of each question: the managers' overview, then Openen
    answer["path"] = str(uitslagen / "overzicht")
    qtbot.mouseClick(board.pdf, Qt.MouseButton.LeftButton)
    assert geopend[-1] == f"open {uitslagen / 'overzicht.pdf'}"
    titles = [t for t, _ in messages.shown]
    assert titles.count("Sjabloon opgeslagen") == 2 and titles.count("Uitslag opgeslagen") == 2
    # Each dialog opened where that purpose was last: the templates with the rondes, the uitslagen apart.
    starts = {title: Path(start).parent if Path(start).suffix else Path(start) for title, start in asked}
    assert starts["Sjabloon uit Personen"] == rondes
    assert starts["Uitslag als PDF"] == uitslagen
    qtbot.mouseClick(board.importeren, Qt.MouseButton.LeftButton)
    assert asked[-1] == ("Ronde importeren", str(rondes))


# ---- 7: a screen reader can follow the board ------------------------------------------------------------------


def _controls(root: QWidget) -> list[QWidget]:
    """What the keyboard can reach: every visible widget that takes the focus (buttons, lists, tables, fields)."""
    return [w for w in [root, *root.findChildren(QWidget)]
            if w.isVisible() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
            and w.objectName() != "qt_scrollarea_viewport"]


def _nameless(root: QWidget) -> list[str]:
    missing = []
    for w in _controls(root):
        interface = QAccessible.queryAccessibleInterface(w)
        if interface is None or not interface.text(QAccessible.Text.Name).replace("&", "").strip():
            missing.append(f"{type(w).__name__} {w.objectName()}")
    return missing


def test_every_control_has_an_accessible_name(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    kinds = {type(w).__name__ for w in _controls(board)}
    assert {"QPushButton", "CardView", "ValueCombo"} <= kinds, kinds
    assert _nameless(board) == []
    _waiting_traject(window)
    assert _nameless(window.koppelplanner.een_op_een) == []
    assert board.state is not None
    for dialog in (AssignDialog(board.state, _dragged(board)[0], window),
                   AiosKiezenDialog(board.state, board.state.ronde.opleiders[0].id, window)):
        dialog.show()
        assert _nameless(dialog) == []
        dialog.close()
        dialog.deleteLater()


def test_a_keyboard_move_is_announced_and_the_focus_follows_it(
    qtbot: Any, window: MainWindow, aangekondigd: list[str]
) -> None:
    board = _board(window)
    state = board.state
    assert state is not None
    aios_id, target = _free_move(board)
    board.opleider_view.setFocus()
    board.opleider_view.setCurrentIndex(_card(board, state.bord.toewijzing[aios_id]))
    done: list[Any] = []

    def pick(dialog: AssignDialog) -> None:
        lijst = dialog.lijst
        # Every opleider says in words whether the move may; a refused one says why when chosen, and stays.
        refused = next(i for i in range(lijst.count()) if lijst.item(i).text().startswith("Kan niet: "))
        lijst.setCurrentRow(refused)
        qtbot.keyClick(lijst, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.melding.isVisible()
        assert dialog.melding.text().startswith("Niet toegestaan: ")
        row = next(i for i in range(lijst.count()) if lijst.item(i).data(Qt.ItemDataRole.UserRole) == target)
        lijst.setCurrentRow(row)
        qtbot.keyClick(lijst, Qt.Key.Key_Return)

    _when_visible(AssignDialog, pick, done)
    qtbot.keyClick(board.opleider_view, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: board.state is not None and board.state.bord.toewijzing.get(aios_id) == target)
    zet = f"{state.aios[aios_id].naam} naar {state.opleiders[target].naam}"
    assert any(t.startswith(f"Gedaan: {zet}.") for t in aangekondigd), aangekondigd
    current = board.opleider_view.currentIndex()
    assert current.data(OPLEIDER_ID_ROLE) == target
    assert state.aios[aios_id].naam in current.data(Qt.ItemDataRole.AccessibleTextRole)
    assert board.hint.accessibleDescription() == board.hint.text()


def test_every_state_of_a_card_is_said_in_words_too(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    model = board.opleider_model
    assert model is not None
    seen: set[str] = set()
    words = {"voorrang": "voorrang", "blokkade": "geblokkeerd", "pinned": "vastgezet", "uitzondering": "uitzondering"}
    aios_id, opleider_id = _free_move(board)
    board.pin_aios(_dragged(board)[0])
    for row in range(model.rowCount()):
        index = model.index(row)
        state = index.data(STATE_ROLE)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        for key, word in words.items():
            if state[key]:
                seen.add(key)
                assert word in text and word in index.data(Qt.ItemDataRole.AccessibleDescriptionRole), (key, text)
    assert {"voorrang", "blokkade", "pinned"} <= seen
    assert aios_id and opleider_id


def test_the_lock_leaves_no_name_in_the_message(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    aios_id, target = _free_move(board)
    assert board.drop(aios_id, target)
    window.session.lock()
    assert board.hint.text() == board.hint.accessibleDescription()
    assert board.hint.soort is Soort.INFO and "Sleep een aios" in board.hint.text()
    assert not [d for d in QApplication.topLevelWidgets() if isinstance(d, (QMenu, QDialog)) and d.isVisible()]


def test_the_chosen_card_shows_by_its_shape_not_only_its_colour(qtbot: Any, window: MainWindow) -> None:
    """A dotted line inside the border of the chosen card (its blue fill alone would be colour only)."""
    board = _board(window)
    view = board.opleider_view
    index = _card(board, _free_move(board)[1])

    def dark_on_inner_line() -> int:
        rect = view.visualRect(index)
        image = view.viewport().grab(rect).toImage()
        # The card's box starts 4 px in, the dotted line 3 px inside it (drawn smoothly across two rows), above
        # the text.
        return sum(1 for y in (6, 7, 8) for x in range(40, image.width() - 40)
                   if image.pixelColor(x, y).lightness() < 150)

    view.clearSelection()
    view.setCurrentIndex(QModelIndex())
    assert dark_on_inner_line() == 0
    view.setCurrentIndex(index)
    assert dark_on_inner_line() > 20


def test_another_ronde_does_not_keep_the_message_of_a_move(qtbot: Any, window: MainWindow) -> None:
    board = _board(window)
    first = board.ronde.currentData()
    second = window.session.store.rondes.add(maak_demo_ronde(aantal_aios=8, aantal_opleiders=10, seed=3)).created
    window.session.announce(Changes.of("ronde", second, created=second))
    qtbot.waitUntil(lambda: board.listed(second))
    board.ronde.setCurrentIndex(board.ronde.findData(first))
    aios_id, target = _free_move(board)
    assert board.drop(aios_id, target) and board.hint.soort is Soort.GEDAAN
    board.ronde.setCurrentIndex(board.ronde.findData(second))
    qtbot.waitUntil(lambda: board.state is not None and board.state.ronde_id == second)
    assert board.hint.soort is Soort.INFO and board.hint.text().startswith("Sleep een aios")
