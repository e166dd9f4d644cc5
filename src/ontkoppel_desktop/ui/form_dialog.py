"""The base of every form that saves: the Dutch reason shown inline when a save is refused, and nothing
typed thrown away without asking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from ontkoppel_desktop.ui.operations import attempt, confirm_discard


class FormDialog(QDialog):
    """Subclasses fill the form, say when it is `dirty`, and call `finish(save)` from accept()."""

    saved = Signal(object)
    discard_title = "Wijzigingen niet opgeslagen"
    discard_text = "Je hebt wijzigingen die nog niet zijn opgeslagen. Wil je ze weggooien?"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fout = QLabel()
        self.fout.setObjectName("fout")
        self.fout.setStyleSheet("color: #b3261e;")
        self.fout.setWordWrap(True)

    @property
    def dirty(self) -> bool:
        return False

    def finish(self, save: Callable[[], Any]) -> None:
        """Run the save; on refusal show why and stay open, otherwise announce the result and close."""
        result, error = attempt(save)
        if error is not None:
            self.fout.setText(error)
            return
        self.saved.emit(result)
        QDialog.accept(self)

    def reject(self) -> None:
        if self.dirty and not confirm_discard(self, self.discard_title, self.discard_text):
            return
        super().reject()
