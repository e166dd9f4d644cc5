"""The planner board with 200 cards: one drop on the real view, validated, saved with the ronde and redrawn.

Run: .venv/bin/python bench/bench_board.py
Target (issue 4): a drop, validated and redrawn, under 50 ms.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ontkoppel_desktop.core.koppelplanner.demo import maak_demo_ronde  # noqa: E402
from ontkoppel_desktop.settings import Settings  # noqa: E402
from ontkoppel_desktop.store.keys import KdfParams  # noqa: E402
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
        store.rondes.add(maak_demo_ronde(aantal_aios=90, aantal_opleiders=110, seed=11))
        lock = InstanceLock(path)
        lock.acquire()
        window = MainWindow(Session(store, lock, Settings()))
        window.resize(1320, 800)
        window.show()
        window.nav.setCurrentRow(window.sections.indexOf(window.koppelplanner))
        app.processEvents()
        board = window.koppelplanner.board
        state = board.state
        assert state is not None and board.opleider_model is not None
        cards = len(state.ronde.aios) + len(state.ronde.opleiders)
        view, model = board.opleider_view, board.opleider_model
        times, refused = [], 0
        for opleider in state.ronde.opleiders:
            holders = state.per_opleider.get(opleider.id)
            if not holders:
                continue
            targets = [o.id for o in state.ronde.opleiders if not state.per_opleider.get(o.id)]
            if not targets:
                break
            target = targets[0]
            source = model.index(model.row_of(opleider.id))
            target_index = model.index(model.row_of(target))
            view.scrollTo(target_index)
            app.processEvents()
            mime = model.mimeData([source])
            pos = QPointF(view.visualRect(target_index).center())
            b, m, a = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.DropAction.MoveAction
            before = dict(state.bord.toewijzing)
            started = time.perf_counter()
            QApplication.sendEvent(view.viewport(), QDragEnterEvent(pos.toPoint(), a, mime, b, m))
            QApplication.sendEvent(view.viewport(), QDragMoveEvent(pos.toPoint(), a, mime, b, m))
            QApplication.sendEvent(view.viewport(), QDropEvent(pos, a, mime, b, m))
            view.viewport().repaint()
            board.aios_view.viewport().repaint()
            app.processEvents()
            times.append(time.perf_counter() - started)
            refused += state.bord.toewijzing == before
            if len(times) >= 25:
                break
        moved = len(times) - refused
        print(f"bord met {cards} kaarten ({len(state.ronde.aios)} aios, {len(state.ronde.opleiders)} opleiders)")
        print(f"{len(times)} drops ({moved} uitgevoerd en opgeslagen, {refused} geweigerd met reden)")
        print(f"drop → controle → opslaan → opnieuw tekenen: mediaan {statistics.median(times) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms   (doel < 50 ms)")
        window.session.lock()
        window.close()


if __name__ == "__main__":
    main()
