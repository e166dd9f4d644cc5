"""The gesprek wizard (being written): see start_gesprek and open_verslag."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ontkoppel_desktop.ui.session import Session


def start_gesprek(parent: QWidget, session: Session, traject_id: int, gesprek: str, *,
                  gebeurtenis_id: str | None = None) -> QWidget | None:
    """Ask the user's name if needed, create a concept for `gesprek` (a step id with a formulier) on the
    traject, and open its wizard (non-modal). With `gebeurtenis_id`: the verslag of an already recorded gesprek.
    Returns the wizard, or None if cancelled/refused (the refusal is shown)."""
    raise NotImplementedError


def open_verslag(parent: QWidget, session: Session, verslag_id: int) -> QWidget | None:
    """Open the verslag where the user can work on it: the wizard for the author's own concept (raising an
    already open wizard of it), else the read-only view. Returns the window opened."""
    raise NotImplementedError
