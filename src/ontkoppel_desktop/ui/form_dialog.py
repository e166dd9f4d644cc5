"""The base of every form that saves: the save goes through the one gateway (ui/operations.change), a refusal
is shown inline in Dutch, and nothing typed is thrown away without asking."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.operations import confirm_discard
from ontkoppel_desktop.ui.session import Session


class FormDialog(QDialog):
    """Subclasses fill the form, say when it is `dirty`, and call `finish(save)` from accept(); `save` is a
    service call returning Changes. `saved(changes)` follows a save that worked. A form that runs its own change
    (and only uses the inline error and the question before discarding) needs no session."""

    saved = Signal(object)
    discard_title = "Wijzigingen niet opgeslagen"
    discard_text = "Je hebt wijzigingen die nog niet zijn opgeslagen. Wil je ze weggooien?"

    def __init__(self, parent: QWidget | None = None, *, session: Session | None = None,
                 initiator: object = None) -> None:
        super().__init__(parent)
        self.session = session
        # Who asked for the form: the screen that opened it is told the change came from itself.
        self.initiator = initiator if initiator is not None else self
        self.fout = QLabel()
        self.fout.setObjectName("fout")
        self.fout.setStyleSheet("color: #b3261e;")
        self.fout.setWordWrap(True)

    @property
    def dirty(self) -> bool:
        return False

    def finish(self, save: Callable[[], Changes]) -> None:
        """Run the save; on refusal show why and stay open, otherwise announce the change and close."""
        self.fout.setText("")
        assert self.session is not None, "a form that saves through finish() is given the session"
        changes = operations.change(self, self.session, save, initiator=self.initiator, on_error=self.fout.setText)
        if changes is None:
            return
        self.saved.emit(changes)
        QDialog.accept(self)

    def reject(self) -> None:
        if self.dirty and not confirm_discard(self, self.discard_title, self.discard_text):
            return
        super().reject()
