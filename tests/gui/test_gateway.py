"""Changes travel one way: a service call through ui/operations.change, announced with what it touched; every view
refreshes only that, undo acts through the store of the moment and is emptied on lock (issue 7)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.personen.forms import AiosDialog, PraktijkDialog
from ontkoppel_desktop.ui.trajecten.event_form import EventDialog
from tests.conftest import WACHTWOORD
from tests.gui.conftest import Messages, open_main_window


@pytest.fixture
def window(qtbot: Any, store_path: Path, fast_kdf: Any) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path, gebruikersnaam="J. Assistent")
    yield w
    w.session.lock()
    w.close()


def _dialog(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _lock_and_unlock(qtbot: Any, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session.is_locked
    panel = window.lock_page.panel
    qtbot.keyClicks(panel.veld, WACHTWOORD)
    qtbot.keyClick(panel.veld, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.is_locked)


def _edit_praktijk(qtbot: Any, window: MainWindow, plaats: str) -> tuple[Any, int]:
    window.show_section(window.personen)
    tab = window.personen.show_kind("praktijk")
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    tab.table.setFocus()
    tab.table.selectRow(0)
    praktijk_id = tab.model.row_at(0).id
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    dialog = _dialog(PraktijkDialog)
    dialog.plaats.clear()
    qtbot.keyClicks(dialog.plaats, plaats)
    qtbot.keyClick(dialog.plaats, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    return tab, praktijk_id


def _plaats(window: MainWindow, praktijk_id: int) -> str:
    return next(p.plaats for p in window.session.store.personen.praktijken() if p.id == praktijk_id)


def test_undo_after_lock_has_nothing_to_undo_and_says_so(qtbot: Any, window: MainWindow,
                                                        messages: Messages) -> None:
    """Defect 2: after unlocking, Ctrl+Z raised 'Cannot operate on a closed database' (and Ongedaan maken was
    enabled with nothing to undo)."""
    tab, praktijk_id = _edit_praktijk(qtbot, window, "Oudewater")
    assert window.undo_action.isEnabled()
    _lock_and_unlock(qtbot, window)
    assert not window.undo_action.isEnabled(), "the history went with the lock"
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _plaats(window, praktijk_id) == "Oudewater"
    assert messages.shown == [], "no error, nothing changed"


def test_undo_changes_store_and_screen_together(qtbot: Any, window: MainWindow) -> None:
    tab, praktijk_id = _edit_praktijk(qtbot, window, "Oudewater")
    before = tab.model.data(tab.model.index(tab.model.row_of_id(praktijk_id), 1))
    assert before == "Oudewater"
    # Elsewhere and back: the screen was refreshed in between, the undo still reaches both.
    window.show_section(window.trajecten)
    window.show_section(window.personen)
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _plaats(window, praktijk_id) != "Oudewater"
    shown = tab.model.data(tab.model.index(tab.model.row_of_id(praktijk_id), 1))
    assert shown == _plaats(window, praktijk_id)
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _plaats(window, praktijk_id) == "Oudewater"


def test_each_screen_undoes_its_own_moves(qtbot: Any, window: MainWindow) -> None:
    """DECISIONS 2026-12-01: Ctrl+Z in one screen never takes back a move the user cannot see."""
    _edit_praktijk(qtbot, window, "Oudewater")
    assert window.undo_action.isEnabled()
    window.show_section(window.trajecten)
    assert not window.undo_action.isEnabled(), "Trajecten has nothing to undo of its own"
    window.show_section(window.koppelplanner)
    assert window.undo_stack is not None and window.undo_stack.count() == 0


def test_a_changed_deeltijd_shows_in_the_traject_at_once(qtbot: Any, window: MainWindow) -> None:
    """Defect 1 as the user meets it: the verwachte einddatum on the traject follows an edit in Personen."""
    view = window.trajecten
    qtbot.waitUntil(lambda: view.detail.traject is not None)
    traject = view.detail.traject
    service = window.session.store.trajecten
    before = service.verwachte_einddatum(traject.aios_id, date.today())
    assert before is not None and "Verwachte einddatum" in view.detail.info.text()
    window.show_section(window.personen)
    tab = window.personen.show_kind("aios")
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    tab.select_id(traject.aios_id)
    qtbot.mouseClick(tab.bewerk, Qt.MouseButton.LeftButton)
    dialog = _dialog(AiosDialog)
    dialog.deeltijd.setValue(50 if dialog.deeltijd.value() != 50 else 100)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    after = service.verwachte_einddatum(traject.aios_id, date.today())
    assert after != before
    window.show_section(view)
    from ontkoppel_desktop.ui.dutch import datum

    assert datum(after) in view.detail.info.text()


def test_recording_a_gebeurtenis_refreshes_only_that_traject(qtbot: Any, window: MainWindow,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    view, taken = window.trajecten, window.taken
    window.show_section(taken)
    qtbot.waitUntil(lambda: taken.model.rowCount() > 0)
    window.show_section(view)
    qtbot.waitUntil(lambda: view.detail.traject is not None)
    traject = view.detail.traject
    full_reloads: list[str] = []
    monkeypatch.setattr(type(view), "refresh", lambda self: full_reloads.append("trajecten"))
    monkeypatch.setattr(type(taken), "refresh", lambda self: full_reloads.append("taken"))
    others = {r.id: r for r in view.model.all_rows() if r.id != traject.id}
    tasks_before = [r for r in taken.model.all_rows() if r.task.traject_id == traject.id]
    dialog = view.detail.open_event(EventKind.DRIEHOEKSGESPREK)
    assert isinstance(dialog, EventDialog)
    dialog.datum.setDate(date.today() - timedelta(days=1))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert full_reloads == [], "no view reloads everything"
    assert view.detail.traject.events[-1].kind is EventKind.DRIEHOEKSGESPREK, "the detail shows the new event"
    assert {r.id: r for r in view.model.all_rows() if r.id != traject.id} == others, "other rows untouched"
    tasks_after = [r for r in taken.model.all_rows() if r.task.traject_id == traject.id]
    assert {r.task.key for r in tasks_after} != {r.task.key for r in tasks_before}
    stored = {t.key for t in window.session.store.trajecten.tasks(date.today(), traject_ids=[traject.id])}
    assert {r.task.key for r in tasks_after} == stored


def test_a_refused_gebeurtenis_is_explained_in_the_form_and_nothing_changes(qtbot: Any, window: MainWindow) -> None:
    view = window.trajecten
    qtbot.waitUntil(lambda: view.detail.traject is not None)
    traject = view.detail.traject
    dialog = view.detail.open_event(EventKind.DRIEHOEKSGESPREK)
    assert dialog is not None
    dialog.datum.setDate(date.today() + timedelta(days=30))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "toekomst" in dialog.fout.text()
    assert len(window.session.store.trajecten.get(traject.id).events) == len(traject.events)
    dialog.done(0)


def _history_row(detail: Any, event_id: str) -> int:
    for row in range(detail.geschiedenis.count()):
        if detail.geschiedenis.item(row).data(Qt.ItemDataRole.UserRole) == event_id:
            return row
    raise AssertionError(event_id)


def test_correct_and_withdraw_from_the_history(qtbot: Any, window: MainWindow) -> None:
    """Defect 5: a wrongly recorded gebeurtenis could only stay. Now it is put right or withdrawn, with a
    motivatie, by an appended correction; the history shows both."""
    from ontkoppel_desktop.core.procedure import Categorie, Startreden
    from ontkoppel_desktop.ui.reden_dialog import RedenDialog

    store = window.session.store
    svc = store.trajecten
    busy = {t.koppeling_id for t in svc.all() if not t.closed}
    koppeling = next(k for k in store.personen.koppelingen() if k.id not in busy and k.loopt_op(date.today()))
    day = date.today() - timedelta(days=30)
    traject_id = svc.start(koppeling.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, day, user="x").created
    for offset, kind, data in [(1, EventKind.DRIEHOEKSGESPREK, {}), (2, EventKind.CHECK_UP, {}),
                               (3, EventKind.UITKOMST, {"uitkomst": "advies_ontkoppeling"}),
                               (5, EventKind.BESLUIT_ONTKOPPELING, {"besluit": "ontkoppelen", "door": "Plv. hoofd"}),
                               (6, EventKind.KOPPELING_BEEINDIGD, {})]:
        svc.record(traject_id, kind, day + timedelta(days=offset), data, user="x")
    window.session.announce(Changes.of("traject", traject_id))
    traject = svc.get(traject_id)
    einde = next(e for e in traject.effective_events if e.kind is EventKind.KOPPELING_BEEINDIGD)
    view = window.trajecten
    view.select(traject.id)
    detail = view.detail
    detail.tabs.setCurrentIndex(2)
    detail.geschiedenis.setCurrentRow(_history_row(detail, einde.id))
    assert detail.corrigeren.isEnabled() and detail.intrekken.isEnabled()

    qtbot.mouseClick(detail.corrigeren, Qt.MouseButton.LeftButton)
    dialog = _dialog(EventDialog)
    assert dialog.kind is EventKind.KOPPELING_BEEINDIGD and dialog.datum.date().toPython() == einde.date
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert "waarom deze correctie" in dialog.fout.text()
    qtbot.keyClicks(dialog.motivatie, "Datum van het besluit overgenomen in plaats van het einde")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert "niets veranderd" in dialog.fout.text()
    new_day = einde.date + timedelta(days=1)
    dialog.datum.setDate(new_day)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    oud = store.personen.get_koppeling(traject.koppeling_id)
    assert oud.einddatum == new_day, "the old koppeling follows the corrected end"
    assert len(svc.get(traject.id).events) == len(traject.events) + 1, "appended, nothing rewritten"
    lines = [detail.geschiedenis.item(i).text() for i in range(detail.geschiedenis.count())]
    assert any("gecorrigeerd" in line.lower() for line in lines)

    # Withdraw a later driehoeksgesprek (or any ordinary event that nothing depends on).
    current = svc.get(traject.id)
    target = next(e for e in current.effective_events if e.kind is EventKind.CHECK_UP)
    detail.geschiedenis.setCurrentRow(_history_row(detail, target.id))
    qtbot.mouseClick(detail.intrekken, Qt.MouseButton.LeftButton)
    withdraw = _dialog(RedenDialog)
    qtbot.mouseClick(withdraw.buttons.button(withdraw.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert withdraw.isVisible() and "waarom" in withdraw.fout.text().lower()
    qtbot.keyClicks(withdraw.reden, "Dubbel vastgelegd")
    qtbot.mouseClick(withdraw.buttons.button(withdraw.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not withdraw.isVisible())
    after = svc.get(traject.id)
    assert target.id not in {e.id for e in after.effective_events}
    assert target.id in {e.id for e in after.events}
    struck = detail.geschiedenis.item(_history_row(detail, target.id))
    assert struck.font().strikeOut()
