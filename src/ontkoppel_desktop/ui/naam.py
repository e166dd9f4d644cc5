"""The user's name: every change is recorded under it (the history's "wie"), and every verslag has it as author."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from ontkoppel_desktop.ui.session import Session


def ask_user_name(parent: QWidget, session: Session) -> str:
    """The name every change is recorded under (the history's "wie"); asked once, kept in the settings."""
    name = session.settings.gebruikersnaam.strip()
    if name:
        return name
    name, ok = QInputDialog.getText(
        parent, "Jouw naam",
        "Onder welke naam leg je wijzigingen vast? Die naam staat in de geschiedenis van elk traject.\n"
        "(Later te wijzigen via Bestand → Instellingen.)",
    )
    name = name.strip() if ok else ""
    if name:
        session.settings.gebruikersnaam = name
        session.settings.save()
    return name
