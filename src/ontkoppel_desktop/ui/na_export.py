"""After every export: say where it went, with Openen and Toon in map (as Outlook and Excel users expect)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from ontkoppel_desktop.ui.vraag import kies


def open_bestand(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def toon_in_map(path: Path) -> bool:
    """The folder, with the file selected where the platform can (Explorer, Finder), else just the folder."""
    try:
        if os.name == "nt":
            subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603,S607 - the user's own file
            return True
        if sys.platform == "darwin":
            subprocess.Popen(["open", "-R", str(path)])  # noqa: S603,S607
            return True
    except OSError:
        pass
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def klaar(parent: QWidget | None, titel: str, tekst: str, path: Path) -> None:
    """"<tekst>" with the buttons Openen, Toon in map and Sluiten."""
    keuze = kies(parent, titel, f"{tekst}\n\n{path}", ["&Openen", "&Toon in map"], standaard=None,
                 annuleren="&Sluiten")
    if keuze == 0:
        open_bestand(path)
    elif keuze == 1:
        toon_in_map(path)


__all__ = ["klaar", "open_bestand", "toon_in_map"]
