"""Answering a real QMessageBox that the app opens with exec(): a timer finds it on screen, records what it says and
clicks the button with the given text, as a user would."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


@dataclass
class Gezien:
    titel: str = ""
    tekst: str = ""
    uitleg: str = ""
    knoppen: list[str] = field(default_factory=list)
    standaard: str = ""
    escape: str = ""
    aantal: int = 0


def _zonder_sneltoets(tekst: str) -> str:
    return tekst.replace("&", "")


class Beantwoord:
    """Clicks `knop` in every message box with custom buttons that opens while it lives. A box without that button
    is closed with Escape, so a wrong expectation fails the test instead of hanging it."""

    def __init__(self, knop: str) -> None:
        self.knop = knop
        self.gezien = Gezien()
        self._timer = QTimer()
        self._timer.timeout.connect(self._kijk)
        self._timer.start(20)

    def _kijk(self) -> None:
        for box in QApplication.topLevelWidgets():
            if not (isinstance(box, QMessageBox) and box.isVisible() and box.buttons()):
                continue
            knoppen = {_zonder_sneltoets(b.text()): b for b in box.buttons()}
            default, escape = box.defaultButton(), box.escapeButton()
            self.gezien = Gezien(box.windowTitle(), box.text(), box.informativeText(), list(knoppen),
                                 _zonder_sneltoets(default.text()) if default else "",
                                 _zonder_sneltoets(escape.text()) if escape is not None else "",
                                 self.gezien.aantal + 1)
            if self.knop in knoppen:
                knoppen[self.knop].click()
            else:
                box.reject()

    def stop(self) -> None:
        self._timer.stop()
