"""Slow work (key derivation, big imports) off the UI thread, with the result delivered back on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class _Worker(QThread):
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[], Any], parent: QObject | None) -> None:
        super().__init__(parent)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the UI thread, which decides what the user sees
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


# Workers stay referenced until they finish, whatever happens to the Python names around them.
_running: set[_Worker] = set()


def run_in_background(
    parent: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> QThread:
    """Run fn in a thread; on_done/on_error run on the UI thread. fn must not touch the database."""
    worker = _Worker(fn, parent)
    worker.succeeded.connect(on_done)
    worker.failed.connect(on_error)
    _running.add(worker)
    worker.finished.connect(lambda: _running.discard(worker))
    worker.finished.connect(worker.deleteLater)
    worker.start()
    return worker
