"""Questions whose buttons say what they do ("Een PDF per opleider", "Sluiten zonder opslaan"), never Ja/Nee
for a choice, with the safe answer as the default and on Escape."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


def _toon(box: QMessageBox) -> QAbstractButton | None:
    """Show the box and return the button clicked (None: closed with Escape). One place, so GUI tests can
    answer it (tests/gui/conftest.py)."""
    box.exec()
    return box.clickedButton()


def kies(parent: QWidget | None, titel: str, tekst: str, keuzes: list[str], *, standaard: int | None = None,
         annuleren: str = "Annuleren", waarschuwing: bool = False) -> int | None:
    """The index of the choice the user clicked, or None for Annuleren (also Escape)."""
    box = QMessageBox(QMessageBox.Icon.Warning if waarschuwing else QMessageBox.Icon.Question, titel, tekst,
                      parent=parent)
    buttons = [box.addButton(keuze, QMessageBox.ButtonRole.AcceptRole) for keuze in keuzes]
    cancel = box.addButton(annuleren, QMessageBox.ButtonRole.RejectRole)
    box.setEscapeButton(cancel)
    box.setDefaultButton(buttons[standaard] if standaard is not None else cancel)
    clicked = _toon(box)
    return buttons.index(clicked) if clicked in buttons else None  # type: ignore[arg-type]


def bevestig(parent: QWidget | None, titel: str, tekst: str, doen: str, *, niet_doen: str = "Annuleren",
             standaard_doen: bool = False, waarschuwing: bool = False) -> bool:
    """True when the user clicked the button that does it (`doen`); the default is not doing it."""
    return kies(parent, titel, tekst, [doen], standaard=0 if standaard_doen else None, annuleren=niet_doen,
                waarschuwing=waarschuwing) == 0


__all__ = ["bevestig", "kies"]
