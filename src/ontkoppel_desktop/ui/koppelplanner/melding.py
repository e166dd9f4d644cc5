"""The line under the board that says what a move did, would do or why it was refused: in words, with an icon and
a colour (never colour alone), and announced to a screen reader, so a move made with the keyboard can be followed
without seeing the board."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QWidget


class Soort(Enum):
    """What kind of message: its first word, its icon and its colours (text, background, border)."""

    INFO = ("", QStyle.StandardPixmap.SP_MessageBoxInformation, ("#1b1b1b", "#f4f6f8", "#c9d1d9"))
    GEDAAN = ("Gedaan: ", QStyle.StandardPixmap.SP_DialogApplyButton, ("#1b4d1f", "#e8f3e9", "#7fb685"))
    LET_OP = ("Let op: ", QStyle.StandardPixmap.SP_MessageBoxWarning, ("#4d3800", "#fdf3d8", "#d9b44a"))
    GEWEIGERD = ("Niet toegestaan: ", QStyle.StandardPixmap.SP_MessageBoxCritical, ("#7a1712", "#fbe4e2", "#d9776f"))

    @property
    def woord(self) -> str:
        return self.value[0]


class Melding(QFrame):
    """`toon(soort, tekst)` shows a message; `tekst` is what it says, first word included ("Niet toegestaan: …")."""

    def __init__(self, naam: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("melding")
        self.setAccessibleName(naam)
        self.soort = Soort.INFO
        self.icoon = QLabel()
        self.icoon.setAccessibleName("Pictogram van de melding")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(naam)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.icoon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.toon(Soort.INFO, "", aankondigen=False)

    def text(self) -> str:
        return self.label.text()

    def toon(self, soort: Soort, tekst: str, *, aankondigen: bool = True) -> None:
        """Show `tekst` (prefixed with the soort's word unless it starts with it) and, unless told otherwise, say
        it to a screen reader (a polite announcement: it waits until the reader is done)."""
        if soort.woord and tekst and not tekst.startswith(soort.woord):
            tekst = soort.woord + tekst
        self.soort = soort
        colour, background, border = soort.value[2]
        self.setStyleSheet(f"QFrame#melding {{ background: {background}; border: 1px solid {border}; "
                           f"border-radius: 4px; }} QFrame#melding QLabel {{ color: {colour}; }}")
        size = self.fontMetrics().height()
        self.icoon.setPixmap(self.style().standardIcon(soort.value[1]).pixmap(size, size))
        self.icoon.setVisible(bool(tekst))
        self.label.setText(tekst)
        self.setAccessibleDescription(tekst)
        self.label.setAccessibleDescription(tekst)
        if aankondigen and tekst:
            announce(self, tekst)


def announce(widget: QWidget, tekst: str) -> None:
    """Say `tekst` to a screen reader, without moving the focus."""
    event = QAccessibleAnnouncementEvent(widget, tekst)
    QAccessible.updateAccessibility(event)


__all__ = ["Melding", "Soort", "announce"]
