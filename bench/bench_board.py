"""The planner board with 200 cards: one drop on the real view, validated, saved through the RondeService (one
transaction), the board refreshed from the store and redrawn; and the same for a drop that records an
uitzondering.

Run: .venv/bin/python bench/bench_board.py
Target (issue 4): a drop, validated and redrawn, under 50 ms.
"""

from __future__ import annotations

import datetime
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ontkoppel_desktop.demo.rondes import maak_demo_ronde  # noqa: E402
from ontkoppel_desktop.settings import Settings  # noqa: E402
from ontkoppel_desktop.store.keys import KdfParams  # noqa: E402
from ontkoppel_desktop.store.ronde_personen import next_start  # noqa: E402
from ontkoppel_desktop.store.store import Store  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ontkoppel-bench-") as tmp:
        os.environ["ONTKOPPEL_HOME"] = tmp
        from ontkoppel_desktop.ui.app import create_application
        from ontkoppel_desktop.ui.main_window import MainWindow
        from ontkoppel_desktop.ui.session import InstanceLock, Session

        app = create_application()
        path = Path(tmp) / "bord.okdb"
        store = Store.create(path, "Bench-wachtwoord-2026", KdfParams(1, 8 * 1024)).store
        store.rondes.add(maak_demo_ronde(aantal_aios=90, aantal_opleiders=110, seed=11,
                                         startdatum=next_start(datetime.date.today())))
        lock = InstanceLock(path)
        lock.acquire()
        window = MainWindow(Session(store, lock, Settings()))
        window.resize(1320, 800)
        window.show()
        window.show_section(window.koppelplanner)
        app.processEvents()
        from ontkoppel_desktop.ui.koppelplanner.board import needs_uitzondering

        board = window.koppelplanner.board
        state = board.state
        assert state is not None and board.opleider_model is not None
        cards = len(state.ronde.aios) + len(state.ronde.opleiders)
        view, model = board.opleider_view, board.opleider_model
        def drop(source_id: str, target_id: str) -> None:
            source = model.index(model.row_of(source_id))
            target_index = model.index(model.row_of(target_id))
            view.scrollTo(target_index)
            app.processEvents()
            mime = model.mimeData([source])
            pos = QPointF(view.visualRect(target_index).center())
            b, m, a = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.DropAction.MoveAction
            QApplication.sendEvent(view.viewport(), QDragEnterEvent(pos.toPoint(), a, mime, b, m))
            QApplication.sendEvent(view.viewport(), QDragMoveEvent(pos.toPoint(), a, mime, b, m))
            QApplication.sendEvent(view.viewport(), QDropEvent(pos, a, mime, b, m))

        def repaint() -> None:
            view.viewport().repaint()
            board.aios_view.viewport().repaint()
            app.processEvents()

        def free_target(aios_id: str, *, visited: bool) -> str | None:
            """A free opleider the move may go to: a visited practice, or one that needs an uitzondering."""
            for o in state.ronde.opleiders:
                if state.per_opleider.get(o.id):
                    continue
                oordeel = state.check(aios_id, o.id)
                if oordeel.toegestaan and (not oordeel.bezwaren if visited else needs_uitzondering(oordeel)):
                    return o.id
            return None

        # Drops onto visited practices: judged, saved through the RondeService, the board refreshed from the store.
        times: list[float] = []
        for opleider in state.ronde.opleiders:
            holders = state.per_opleider.get(opleider.id)
            target = free_target(holders[0], visited=True) if holders else None
            if target is None:
                continue
            before = dict(state.bord.toewijzing)
            started = time.perf_counter()
            drop(opleider.id, target)
            repaint()
            times.append(time.perf_counter() - started)
            assert state.bord.toewijzing != before, "the drop was made and saved"
            if len(times) >= 25:
                break
        # Drops onto an unvisited practice: the reden is asked; from Enter to the board saved and redrawn.
        uitzondering_times: list[float] = []
        for opleider in state.ronde.opleiders:
            holders = state.per_opleider.get(opleider.id)
            target = free_target(holders[0], visited=False) if holders else None
            if target is None:
                continue
            drop(opleider.id, target)
            dialog = board.uitzondering_dialog
            assert dialog is not None
            dialog.reden.setText("Bezoek niet mogelijk door ziekte; vooraf overlegd.")
            started = time.perf_counter()
            dialog.accept()
            repaint()
            uitzondering_times.append(time.perf_counter() - started)
            assert state.bord.toewijzing.get(holders[0]) == target
            if len(uitzondering_times) >= 10:
                break
        print(f"bord met {cards} kaarten ({len(state.ronde.aios)} aios, {len(state.ronde.opleiders)} opleiders)")
        print(f"{len(times)} drops op een bezochte praktijk: drop → controle → opslaan → opnieuw tekenen: mediaan "
              f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms   (doel < 50 ms)")
        print(f"{len(uitzondering_times)} drops op een niet bezochte praktijk: reden → uitzondering en zet opslaan → "
              f"opnieuw tekenen: mediaan {statistics.median(uitzondering_times) * 1000:.1f} ms, "
              f"max {max(uitzondering_times) * 1000:.1f} ms   (doel < 50 ms)")
        print(f"ongedaan te maken: {board.undo_stack.count()} stappen")
        window.session.lock()
        window.close()


if __name__ == "__main__":
    main()
