"""Asking before a store is opened or made: a network folder is refused, a synced folder is warned about, and a
lock of another computer is described and taken over only on the user's word. The judging is in
opslaglocatie.py (no Qt, the headless commands use it too); this module says it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ontkoppel_desktop.opslaglocatie import Oordeel, Soort, beoordeel_opslag
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.session import InstanceLock, VergrendeldElders

TOCH_OPENEN = "&Toch hier openen"
ANDER_BESTAND = "&Ander bestand kiezen"
TOCH_MAKEN = "&Toch hier maken"
ANDERE_MAP = "&Andere map kiezen"
OVERNEMEN = "&Overnemen"
NIET_OVERNEMEN = "&Niet overnemen"


def kies(parent: QWidget | None, titel: str, tekst: str, uitleg: str, ja: str, nee: str, *,
         icoon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> bool:
    """A question whose two buttons say what they do; `nee` is the default and Escape. True for `ja`."""
    box = QMessageBox(icoon, titel, tekst, QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(uitleg)
    ja_knop = box.addButton(ja, QMessageBox.ButtonRole.AcceptRole)
    nee_knop = box.addButton(nee, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(nee_knop)
    box.setEscapeButton(nee_knop)
    box.exec()
    return box.clickedButton() is ja_knop


def mag_openen(parent: QWidget | None, path: Path) -> bool:
    """Whether a store at `path` may be opened: never on a network folder; in a synced folder when the user
    chooses so, knowing why not. Asked before the lock file is made, so a refusal writes nothing there."""
    oordeel = beoordeel_opslag(path)
    if oordeel.soort is Soort.NETWERK:
        QMessageBox.warning(parent, "Niet op een netwerkmap", oordeel.melding_openen())
        return False
    if oordeel.soort is Soort.GESYNCHRONISEERD:
        return kies(parent, "Opslag in een gesynchroniseerde map", oordeel.melding_openen(),
                    f"Kies '{_zonder_sneltoets(TOCH_OPENEN)}' als je dat risico wilt nemen, of "
                    f"'{_zonder_sneltoets(ANDER_BESTAND)}' om een opslag op een andere plek te openen.",
                    TOCH_OPENEN, ANDER_BESTAND)
    return True


def toch_hier_maken(parent: QWidget | None, oordeel: Oordeel) -> bool:
    """For a new store in a synced folder: True when the user makes it there anyway (not the default)."""
    return kies(parent, "Opslag in een gesynchroniseerde map", oordeel.melding_maken(),
                f"Kies '{_zonder_sneltoets(ANDERE_MAP)}' om de opslag ergens anders te maken, of "
                f"'{_zonder_sneltoets(TOCH_MAKEN)}' als je dat risico wilt nemen.",
                TOCH_MAKEN, ANDERE_MAP)


def neem_over(parent: QWidget | None, lock: InstanceLock, fout: VergrendeldElders) -> bool:
    """Say who holds the lock and since when; take it over when the user confirms. True when it is now ours."""
    titel = ("Opslag in gebruik op een andere computer" if fout.computer
             else "Opslag vergrendeld, niet te zien door wie")
    uitleg = (
        "Is de opslag daar nog open, sluit hem dan eerst op die computer. Neem de vergrendeling alleen over als "
        "hij daar niet meer open is, bijvoorbeeld omdat die computer vastliep of werd uitgezet zonder Ontkoppel "
        "Desktop te sluiten. Neem je hem over terwijl hij daar nog open is, dan schrijven twee computers "
        "tegelijk in hetzelfde bestand en kan het beschadigd raken."
    )
    if not kies(parent, titel, str(fout), uitleg, OVERNEMEN, NIET_OVERNEMEN):
        return False
    try:
        lock.take_over()
    except Exception as exc:
        operations.show_error(parent, exc, "Niet overgenomen")
        return False
    return True


def _zonder_sneltoets(knop: str) -> str:
    return knop.replace("&", "")
