"""The base of every question's widget in the gesprek wizard: an answer as the JSON the store keeps, and a
signal when it changed (so the wizard saves the concept as it is typed)."""

from __future__ import annotations

from PySide6.QtCore import Property, Signal
from PySide6.QtWidgets import QWidget

from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen import Veld


class VeldWidget(QWidget):
    """A question's input. `waarde` is a Qt property too, so QWizard can watch a required one
    (registerField("naam*")): it is "" while unanswered."""

    changed = Signal()

    def __init__(self, veld: Veld) -> None:
        super().__init__()
        self.veld = veld
        self.setAccessibleName(veld.label)

    def value(self) -> JsonValue:
        raise NotImplementedError

    def set_value(self, value: JsonValue) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def set_fixed(self, fixed: bool) -> None:
        """Read-only: the answer went into the recorded gesprek (correct it in the traject's history)."""
        self.setEnabled(not fixed)

    def _text(self) -> str:
        value = self.value()
        if value is None:
            return ""
        return value if isinstance(value, str) else str(value)

    waarde = Property(str, _text, notify=changed)


__all__ = ["VeldWidget"]
