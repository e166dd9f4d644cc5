"""A bijlage question in the gesprek wizard: the files kept with the verslag (a reflectieverslag), each with its
name and size, and Bestand toevoegen…, Openen… and Verwijderen.

A file is stored in the encrypted store the moment it is chosen (BijlageService.toevoegen, which also writes the
field's answer in the same transaction); the answer is the list of files with their SHA-256, so the seal of the
definitief verslag covers them. Removing asks first, naming the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen import Veld
from ontkoppel_desktop.core.verslagen.bijlagen import (
    BijlageFout,
    Verwijzing,
    antwoord,
    controleer_grootte,
    controleer_naam,
    grootte_tekst,
    schone_naam,
    verwijzingen,
)
from ontkoppel_desktop.ui import bestandsdialoog, operations, vraag
from ontkoppel_desktop.ui.dutch import datum
from ontkoppel_desktop.ui.verslagen.bijlage_openen import open_bijlage
from ontkoppel_desktop.ui.verslagen.veld_widget import VeldWidget

if TYPE_CHECKING:
    from ontkoppel_desktop.ui.session import Session

FILTER = "Verslagen (*.docx *.pdf *.odt *.txt);;Alle bestanden (*)"
UITLEG = "Word (.docx), PDF, OpenDocument (.odt) of tekst (.txt), tot 20 MB; bewaard in de versleutelde opslag."


@dataclass(frozen=True)
class _Regel:
    verwijzing: Verwijzing
    grootte: int | None  # None: the store does not hold it (any more)
    eigen: bool  # added to this version (not carried over from an earlier one)
    toegevoegd: dt.datetime | None = None


class BijlageVeld(VeldWidget):
    """The files of one bijlage field. `set_fixed(True)`: read-only (opening still allowed)."""

    def __init__(self, veld: Veld, session: Session, verslag_id: int, auteur: str) -> None:
        super().__init__(veld)
        self.session = session
        self.verslag_id = verslag_id
        self.auteur = auteur
        self._regels: list[_Regel] = []
        self._fixed = False

        self.lijst = QListWidget()
        self.lijst.setAccessibleName(f"{veld.label}: bijgevoegde bestanden")
        self.lijst.setMaximumHeight(96)
        self.lijst.itemActivated.connect(lambda _item: self.openen())  # Enter or a double click
        self.lijst.currentRowChanged.connect(lambda _row: self._update_buttons())
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.lijst)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.verwijderen)
        self.toevoegen_knop = QPushButton("Bestand &toevoegen…")
        self.toevoegen_knop.setToolTip("Een reflectieverslag of ander document bijvoegen. " + UITLEG)
        self.toevoegen_knop.clicked.connect(self.toevoegen)
        self.openen_knop = QPushButton("O&penen…")
        self.openen_knop.setToolTip("Een kopie openen in het programma voor dit soort bestanden (eerst gevraagd)")
        self.openen_knop.clicked.connect(self.openen)
        self.verwijderen_knop = QPushButton("Ver&wijderen…")
        self.verwijderen_knop.setToolTip("Het gekozen bestand uit dit verslag halen (eerst gevraagd)")
        self.verwijderen_knop.clicked.connect(self.verwijderen)
        self.leeg = QLabel("Nog geen bestand bijgevoegd.")
        self.leeg.setStyleSheet("color: #555;")
        uitleg = QLabel(UITLEG)
        uitleg.setWordWrap(True)
        uitleg.setStyleSheet("color: #555;")

        knoppen = QHBoxLayout()
        knoppen.setContentsMargins(0, 0, 0, 0)
        for knop in (self.toevoegen_knop, self.openen_knop, self.verwijderen_knop):
            knoppen.addWidget(knop)
        knoppen.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.leeg)
        layout.addWidget(self.lijst)
        layout.addLayout(knoppen)
        layout.addWidget(uitleg)
        self._toon()

    # ---- the answer ----------------------------------------------------------------------------------

    def value(self) -> JsonValue:
        return antwoord([r.verwijzing for r in self._regels])

    def set_value(self, value: JsonValue) -> None:
        self._regels = [self._regel(v) for v in verwijzingen(value)]
        self._toon()
        self.changed.emit()

    def _regel(self, v: Verwijzing) -> _Regel:
        try:
            bijlage = self.session.store.bijlagen.get(v.bijlage)
        except OntkoppelError:
            return _Regel(v, None, False)
        return _Regel(v, bijlage.grootte, bijlage.verslag_id == self.verslag_id, bijlage.toegevoegd)

    def focus_widget(self) -> QWidget:
        return self.lijst if self._regels else self.toevoegen_knop

    def set_fixed(self, fixed: bool) -> None:
        self._fixed = fixed
        self._update_buttons()

    # ---- showing ---------------------------------------------------------------------------------------

    def _toon(self, select: int | None = None) -> None:
        current = self.lijst.currentRow()
        self.lijst.clear()
        for regel in self._regels:
            v = regel.verwijzing
            if regel.grootte is None:
                text, tip = f"{v.naam}  (ontbreekt in de opslag)", "Dit bestand staat niet (meer) in de opslag."
            else:
                text = f"{v.naam}  ({grootte_tekst(regel.grootte)})"
                tip = f"Toegevoegd op {datum(regel.toegevoegd.astimezone().date())}" if regel.toegevoegd else ""
                if not regel.eigen:
                    text += "  — uit de vorige versie"
                    tip = "Meegenomen uit de vorige versie van het verslag, die het bestand ook houdt."
            item = QListWidgetItem(text)
            item.setToolTip(f"{tip}\nSHA-256: {v.sha256}".strip())
            self.lijst.addItem(item)
        heeft = bool(self._regels)
        self.lijst.setVisible(heeft)
        self.leeg.setVisible(not heeft)
        if heeft:
            row = select if select is not None else current
            self.lijst.setCurrentRow(min(max(row, 0), len(self._regels) - 1))
        self._update_buttons()

    def _update_buttons(self) -> None:
        gekozen = self._gekozen() is not None
        self.toevoegen_knop.setEnabled(not self._fixed)
        self.openen_knop.setEnabled(gekozen)
        self.verwijderen_knop.setEnabled(gekozen and not self._fixed)

    def _gekozen(self) -> _Regel | None:
        row = self.lijst.currentRow()
        return self._regels[row] if 0 <= row < len(self._regels) else None

    # ---- actions ---------------------------------------------------------------------------------------

    def kies_bestand(self) -> str:
        """The file the user picks (a Dutch file dialog, where a bijlage was last taken from, else Documenten);
        "" when none."""
        path = bestandsdialoog.openen(self, "bijlage", "Bijlage toevoegen", FILTER)
        return str(path) if path is not None else ""

    def toevoegen(self) -> bool:
        """Choose a file and keep it in the store at once; True when it was added."""
        if self._fixed:
            return False
        path = self.kies_bestand()
        if not path:
            return False
        naam = schone_naam(Path(path).name)
        try:
            controleer_naam(naam)
            controleer_grootte(naam, Path(path).stat().st_size)
            inhoud = Path(path).read_bytes()
        except BijlageFout as exc:
            QMessageBox.warning(self, "Bijlage niet toegevoegd", str(exc))
            return False
        except OSError:
            QMessageBox.warning(self, "Bijlage niet toegevoegd",
                                f"'{naam}' kan niet worden gelezen. Misschien is het geopend in een ander programma "
                                "of staat het op een schijf die niet bereikbaar is. Sluit het daar en probeer het "
                                "opnieuw.")
            return False
        service = self.session.store.bijlagen
        changes = operations.change(
            self, self.session,
            lambda: service.toevoegen(self.verslag_id, self.veld.id, naam, inhoud, auteur=self.auteur),
            initiator=self, title="Bijlage niet toegevoegd")
        if changes is None or not isinstance(changes.created, int):
            return False
        self._regels.append(self._regel(service.get(changes.created).verwijzing()))
        self._toon(select=len(self._regels) - 1)
        self.lijst.setFocus()
        self.changed.emit()
        return True

    def openen(self) -> None:
        regel = self._gekozen()
        if regel is not None:
            open_bijlage(self, self.session, regel.verwijzing.bijlage, sha256=regel.verwijzing.sha256)

    def verwijderen(self) -> bool:
        """Take the chosen file off the verslag, after asking; True when it was removed."""
        regel = self._gekozen()
        if regel is None or self._fixed:
            return False
        naam = regel.verwijzing.naam
        if regel.eigen:
            gevolg = ("Het wordt ook uit de versleutelde opslag verwijderd; het bestand op je computer (als het daar "
                      "nog staat) verandert niet.")
        else:
            gevolg = "De vorige versie van het verslag houdt het bestand; alleen deze versie noemt het niet meer."
        if not vraag.bevestig(self, "Bijlage verwijderen", f"'{naam}' uit dit verslag verwijderen?\n\n{gevolg}",
                              "Bijlage &verwijderen", niet_doen="&Laten staan", waarschuwing=True):
            return False
        if regel.grootte is not None:
            done = operations.change(
                self, self.session,
                lambda: self.session.store.bijlagen.verwijderen(regel.verwijzing.bijlage, auteur=self.auteur,
                                                                uit_verslag=self.verslag_id),
                initiator=self, title="Bijlage niet verwijderd")
            if done is None:
                return False
        row = self._regels.index(regel)
        self._regels.remove(regel)
        self._toon(select=min(row, len(self._regels) - 1))
        self.focus_widget().setFocus()
        self.changed.emit()
        return True


__all__ = ["BijlageVeld"]
