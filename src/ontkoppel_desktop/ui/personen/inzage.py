"""Inzage-export… in Personen (AVG art. 15): everything the store holds about the chosen aios or opleider in one
Word or PDF document (store/inzage.py gathers it, documents/inzage.py writes it), optionally with the bijlagen as
files in a folder beside it. Reads only; nothing in the store changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ontkoppel_desktop.core.inzage import Inzage
from ontkoppel_desktop.documents.bestand import DocumentNietOpgeslagen, write_document
from ontkoppel_desktop.documents.inzage import bijlage_bestandsnaam, inzage_document
from ontkoppel_desktop.documents.model import Document
from ontkoppel_desktop.store.inzage import verzamel
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.documenten import opslaan_als, toon_voorbeeld
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.verslagen.bijlage_openen import veilige_bestandsnaam

TITEL = "Inzage persoonsgegevens"


def bijlagen_map(document: Path) -> Path:
    """The folder the bijlagen go into, beside the document and named after it."""
    return document.with_name(f"{document.stem} - bijlagen")


class InzageDialog(QDialog):
    """What the export will hold, the choice to send the bijlagen along, and where to save it."""

    def __init__(self, session: Session, soort: str, persoon_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.soort = soort
        self.persoon_id = persoon_id
        self.setWindowTitle("Inzage-export")
        self.setMinimumWidth(560)
        inzage = verzamel(session.store, soort, persoon_id)
        versies = sum(len(t.verslagen) for t in inzage.trajecten)
        bijlagen = len(inzage.bijlagen)
        self.kop = QLabel(f"<b>{_escape(inzage.naam)}</b> ({inzage.soort_label})")
        self.uitleg = QLabel(
            "Alles wat de app over deze persoon bewaart, in één document voor een verzoek om inzage (AVG, artikel "
            f"15): de persoonsgegevens, {_aantal(len(inzage.koppelingen), 'koppeling', 'koppelingen')}, "
            f"{_aantal(len(inzage.trajecten), 'traject', 'trajecten')} met elke gebeurtenis en de geschiedenis, "
            f"{_aantal(versies, 'verslag(versie)', 'verslagen (alle versies)')}, "
            f"{_aantal(bijlagen, 'bijlage', 'bijlagen')} en "
            f"{_aantal(len(inzage.rondes), 'koppelronde', 'koppelrondes')}. Gegevens van anderen staan er niet in.")
        self.uitleg.setWordWrap(True)
        self.bijlagen = QCheckBox(f"&Bijlagen als bestanden meesturen ({bijlagen}, in een map naast het document)")
        self.bijlagen.setEnabled(bijlagen > 0)
        waarschuwing = QLabel("Vrije tekst staat erin zoals die is ingevoerd: lees het document na op gegevens over "
                              "anderen voordat je het verstrekt. Het document staat buiten de versleutelde opslag.")
        waarschuwing.setWordWrap(True)
        waarschuwing.setStyleSheet("color: #8a4b00;")
        self.melding = QLabel()
        self.melding.setWordWrap(True)
        self.melding.setVisible(False)
        voorbeeld = QPushButton("&Voorbeeld…")
        voorbeeld.clicked.connect(self.voorbeeld)
        self.word = QPushButton("Opslaan als &Word…")
        self.word.clicked.connect(lambda: self.opslaan(".docx"))
        self.pdf = QPushButton("Opslaan als &PDF…")
        self.pdf.clicked.connect(lambda: self.opslaan(".pdf"))
        sluiten = QPushButton("&Sluiten")
        sluiten.clicked.connect(self.close)
        knoppen = QHBoxLayout()
        knoppen.addWidget(voorbeeld)
        knoppen.addStretch(1)
        knoppen.addWidget(self.word)
        knoppen.addWidget(self.pdf)
        knoppen.addWidget(sluiten)
        layout = QVBoxLayout(self)
        for widget in (self.kop, self.uitleg, self.bijlagen, waarschuwing, self.melding):
            layout.addWidget(widget)
        layout.addLayout(knoppen)
        self._naam = inzage.naam
        # Nothing about the person stays in a window while the store is locked: it closes (there is no input).
        session.locked.connect(self.close)

    @property
    def stam(self) -> str:
        return f"{dt.date.today().isoformat()} {TITEL} {self._naam}"

    def _inzage(self) -> Inzage:
        return verzamel(self.session.store, self.soort, self.persoon_id)

    def maak(self) -> Document:
        return inzage_document(self._inzage(), bijlagen_mee=self.bijlagen.isChecked())

    def voorbeeld(self) -> None:
        toon_voorbeeld(self, self.maak, self.stam, TITEL)

    def opslaan(self, extensie: str) -> Path | None:
        path = opslaan_als(self, self.maak, self.stam, extensie, TITEL)
        if path is None:
            return None
        tekst = f"Opgeslagen: {path}"
        if self.bijlagen.isChecked():
            map_pad = bijlagen_map(path)
            aantal = operations.run(self, lambda: self.schrijf_bijlagen(map_pad), title="Bijlagen niet opgeslagen")
            if aantal is not None:
                tekst += f"\nMet {_aantal(aantal, 'bijlage', 'bijlagen')} in {map_pad}"
        self.melding.setText(tekst)
        self.melding.setVisible(True)
        return path

    def schrijf_bijlagen(self, map_pad: Path) -> int:
        """Every bijlage the document lists, as a file in `map_pad` under the name the document gives it."""
        store = self.session.store
        bijlagen = self._inzage().bijlagen
        try:
            map_pad.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DocumentNietOpgeslagen(f"De map {map_pad} voor de bijlagen kon niet worden gemaakt "
                                         f"({exc.strerror or exc}). Het document zelf is opgeslagen.") from exc
        for _verslag, bijlage in bijlagen:
            naam = veilige_bestandsnaam(bijlage_bestandsnaam(bijlage.id, bijlage.naam))
            write_document(map_pad / naam, store.bijlagen.inhoud(bijlage.id))
        return len(bijlagen)


def open_inzage(parent: QWidget, session: Session, soort: str, persoon_id: int) -> InzageDialog | None:
    """Personen › Inzage-export…: window-modal and non-blocking, like every window that can be locked."""
    dialog = operations.run(parent, lambda: InzageDialog(session, soort, persoon_id, parent), title="Inzage-export")
    if dialog is None:
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _aantal(n: int, enkel: str, meer: str) -> str:
    return f"{n} {enkel if n == 1 else meer}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["InzageDialog", "TITEL", "bijlagen_map", "open_inzage"]
