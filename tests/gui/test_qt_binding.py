"""Guards against a Qt binding with a reference-counting bug that would crash a long session."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtWidgets import QWidget


def test_qt_calls_returning_nothing_keep_none_alive(qapp: Any) -> None:
    # PySide6 6.12.0 decremented None's reference count on every such call: after some tens of thousands
    # of calls the interpreter aborts with "none_dealloc". A healthy binding leaves the count unchanged.
    widget = QWidget()
    widget.update()
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.update()
        qapp.processEvents()
    assert sys.getrefcount(None) - before > -100
