"""The standaardberichten of a traject (core.berichten): the Berichten button on the traject screen with a menu of
the templates, and a dialog that shows one filled in from the traject. The user may edit the onderwerp and the
tekst there (the template file stays as it is) and then copies it, saves it as a Word or PDF document, or saves it
as an e-mail draft (.eml) that Outlook opens as an unsent message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.berichten_bestanden import schrijf_eml
from ontkoppel_desktop.core.berichten import (
    ROLLEN,
    Bericht,
    BerichtGegevens,
    Ontvanger,
    Sjabloon,
    load_sjablonen,
    onbruikbare_adressen,
    open_plekken,
    verzamel,
    vul,
)
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure import Traject, TrajectOverview
from ontkoppel_desktop.core.trajecten import OPLEIDERSTERUGKOMDAG
from ontkoppel_desktop.documents.model import Block, Document, KeyValues, Paragraph
from ontkoppel_desktop.ui import bestandsdialoog, na_export, operations
from ontkoppel_desktop.ui.documenten import FORMATEN, ONVERSLEUTELD, opslaan_als
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.trajecten.common import today
from ontkoppel_desktop.ui.vergrendeling import copy_to_clipboard
from ontkoppel_desktop.ui.verslagen.bijlage_openen import veilige_bestandsnaam


class TrajectInBeeld(Protocol):
    """What the button reads from the traject screen: the traject shown and its derivation."""

    traject: Traject | None
    overview: TrajectOverview | None

_WAARSCHUWING = "background:#fff4ce; color:#5c4400; padding:4px"


def _namen(ontvangers: tuple[Ontvanger, ...]) -> str:
    """'Noor Visser (aios), Eva Smit (opleider)': who, without addresses (for a document)."""
    return ", ".join(f"{o.naam} ({ROLLEN.get(o.rol, o.rol)})" if o.naam else ROLLEN.get(o.rol, o.rol)
                     for o in ontvangers)


def bericht_document(bericht: Bericht, onderwerp: str, tekst: str, *, opleiding: str = "") -> Document:
    """The bericht as it stands in the dialog, as a document: who it is for, then the tekst, a paragraph per
    block of lines."""
    rows: list[tuple[str, str]] = [("Aan", _namen(bericht.aan))]
    if bericht.cc:
        rows.append(("Cc", _namen(bericht.cc)))
    blocks: list[Block] = [KeyValues(tuple(rows))]
    for alinea in tekst.replace("\r\n", "\n").split("\n\n"):
        if alinea.strip():
            blocks.append(Paragraph(alinea.strip("\n")))
    return Document(title=onderwerp.strip() or bericht.titel, subtitle=bericht.titel, kicker=opleiding,
                    blocks=tuple(blocks), footer_centre=f"Opgesteld op {dutch_date(today())}")


class BerichtDialog(QDialog):
    """One standaardbericht, filled in: read, edit, then copy or save."""

    def __init__(self, parent: QWidget | None, sjabloon: Sjabloon, bericht: Bericht, *, stam: str,
                 opleiding: str = "") -> None:
        super().__init__(parent)
        self.sjabloon = sjabloon
        self.bericht = bericht
        self.stam = stam
        self.opleiding = opleiding
        self._bewaard = True  # nothing typed yet that was not copied or saved
        self.setWindowTitle(f"{bericht.titel} — standaardbericht")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        herkomst = (f"Eigen tekst van het instituut ({sjabloon.bestand})" if sjabloon.eigen
                    else "Meegeleverde standaardtekst")
        toelichting = QLabel(" · ".join(t for t in (sjabloon.toelichting, herkomst) if t))
        toelichting.setWordWrap(True)
        toelichting.setStyleSheet("color:#555")
        self.aan = QLabel(", ".join(o.weergave for o in bericht.aan))
        self.cc = QLabel(", ".join(o.weergave for o in bericht.cc) or "—")
        for ontvangers in (self.aan, self.cc):
            ontvangers.setWordWrap(True)
            ontvangers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.onderwerp = QLineEdit(bericht.onderwerp)
        self.onderwerp.setAccessibleName("Onderwerp")
        self.tekst = QPlainTextEdit(bericht.tekst)
        self.tekst.setAccessibleName("Tekst van het bericht")
        self.tekst.setMinimumSize(620, 320)
        form = QFormLayout()
        form.addRow("Aan:", self.aan)
        form.addRow("Cc:", self.cc)
        form.addRow("&Onderwerp:", self.onderwerp)
        self.waarschuwing = QLabel()
        self.waarschuwing.setWordWrap(True)
        self.waarschuwing.setStyleSheet(_WAARSCHUWING)
        self.adressen = QLabel()
        self.adressen.setWordWrap(True)
        self.adressen.setStyleSheet("color:#555")
        self.melding = QLabel()
        self.melding.setWordWrap(True)
        self.melding.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.melding.hide()  # until something was copied or saved
        self.kopieren = QPushButton("&Kopiëren")
        self.kopieren.setToolTip("Onderwerp en tekst naar het klembord, om in een e-mail te plakken")
        self.kopieren.clicked.connect(self.kopieer)
        self.document = QPushButton("Opslaan als &document…")
        self.document.setToolTip("Het bericht als Word- of PDF-document opslaan")
        document_menu = QMenu(self.document)
        for formaat, extensie, _filter, _writer in FORMATEN:
            action = document_menu.addAction(f"Als {formaat} ({extensie})…")
            action.triggered.connect(lambda _checked=False, e=extensie: self.opslaan_als_document(e))
        self.document.setMenu(document_menu)
        self.eml = QPushButton("Opslaan als &e-mailconcept (.eml)…")
        self.eml.setToolTip("Een e-mail die Outlook opent als nog niet verstuurd bericht, met de adressen uit "
                            "Personen")
        self.eml.clicked.connect(self.opslaan_als_eml)
        sluiten = QPushButton("&Sluiten")
        sluiten.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.kopieren, self.document, self.eml):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(sluiten)
        layout = QVBoxLayout(self)
        layout.addWidget(toelichting)
        layout.addLayout(form)
        layout.addWidget(self.tekst, 1)
        layout.addWidget(self.waarschuwing)
        layout.addWidget(self.adressen)
        layout.addWidget(self.melding)
        layout.addLayout(buttons)
        self.resize(780, 640)
        self._toon_adressen()
        self._controleer()
        self.onderwerp.textEdited.connect(self._gewijzigd)
        self.tekst.textChanged.connect(self._gewijzigd)

    # ---- what is still to do -------------------------------------------------------------------------

    def _gewijzigd(self, *_args: object) -> None:
        self._bewaard = False
        self._controleer()

    def _controleer(self) -> None:
        """Warn while a mark of a missing value is still in the text (the user may have filled it in)."""
        open_ = open_plekken(self.onderwerp.text(), self.tekst.toPlainText())
        self.waarschuwing.setVisible(bool(open_))
        if open_:
            self.waarschuwing.setText(
                "<b>Nog in te vullen:</b> " + ", ".join(open_) + ". Dit traject heeft deze gegevens nog niet. "
                "Vul ze hierboven zelf in, of leg ze eerst vast in het traject (of in Instellingen).")

    def _toon_adressen(self) -> None:
        zonder = [o for o in (*self.bericht.aan, *self.bericht.cc) if not o.email]
        fout = onbruikbare_adressen(self.bericht)
        parts = []
        if zonder:
            parts.append("Zonder e-mailadres in Personen: " + ", ".join(
                o.naam or ROLLEN.get(o.rol, o.rol) for o in zonder) + ".")
        if fout:
            parts.append("Geen geldig e-mailadres in Personen: " + ", ".join(f"{o.naam} ({o.email})" for o in fout)
                         + ".")
        if parts:
            parts.append("Vul die adressen zelf in het e-mailconcept in.")
        self.adressen.setText(" ".join(parts))
        self.adressen.setVisible(bool(parts))

    # ---- output --------------------------------------------------------------------------------------

    def _meld(self, text: str) -> None:
        self.melding.setText(text)
        self.melding.show()

    def kopieer(self) -> None:
        copy_to_clipboard(f"{self.onderwerp.text().strip()}\n\n{self.tekst.toPlainText()}")  # gone at the lock
        self._bewaard = True
        self._meld("Onderwerp en tekst staan op het klembord.")

    def opslaan_als_document(self, extensie: str) -> Path | None:
        onderwerp, tekst = self.onderwerp.text(), self.tekst.toPlainText()
        path = opslaan_als(self, lambda: bericht_document(self.bericht, onderwerp, tekst, opleiding=self.opleiding),
                           self.stam, extensie, self.bericht.titel, klaar=True)
        if path is not None:
            self._bewaard = True
            self._meld(f"Opgeslagen als document: {path}")
        return path

    def opslaan_als_eml(self) -> Path | None:
        path = bestandsdialoog.opslaan(self, "bericht", "Opslaan als e-mailconcept",
                                       veilige_bestandsnaam(self.stam.strip() + ".eml"), "E-mailconcept (*.eml)",
                                       ".eml")
        if path is None:
            return None
        onderwerp, tekst = self.onderwerp.text(), self.tekst.toPlainText()
        if not operations.run_ok(self, lambda: schrijf_eml(path, self.bericht, onderwerp=onderwerp, tekst=tekst),
                                 title="Opslaan als e-mailconcept"):
            return None
        self._bewaard = True
        self._meld(f"Opgeslagen als e-mailconcept: {path}. Open het in Outlook om het na te kijken en te "
                   "versturen.")
        na_export.klaar(self, "Opgeslagen", "Het bericht is opgeslagen als e-mailconcept: Openen zet het in Outlook "
                        f"(of het e-mailprogramma) als nog niet verstuurd bericht. {ONVERSLEUTELD}", path)
        return path

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._bewaard and not operations.confirm_discard(
                self, "Bericht sluiten", "Je hebt het bericht aangepast en nog niet gekopieerd of opgeslagen. "
                "De aanpassingen gaan verloren (het standaardbericht zelf blijft zoals het was)."):
            event.ignore()
            return
        super().closeEvent(event)


class BerichtenKnop(QPushButton):
    """'Berichten' on the traject screen: a menu of the standaardberichten, read each time it opens (so a
    beleidsmedewerker's edit counts at once)."""

    def __init__(self, session: Session, detail: TrajectInBeeld) -> None:
        # Alt+I: Alt+B opens the Bestand menu.
        super().__init__("Ber&ichten")
        self.session = session
        self.detail = detail
        self.setToolTip("Een standaardbericht voor dit traject (ontkoppelingsmail, uitnodigingen, bevestiging, "
                        "informatie): nakijken, aanvullen en kopiëren of opslaan als document of e-mailconcept")
        self.berichten_menu = QMenu(self)
        self.berichten_menu.setToolTipsVisible(True)
        self.berichten_menu.aboutToShow.connect(self.vul_menu)
        self.setMenu(self.berichten_menu)
        self.dialoog: BerichtDialog | None = None

    def vul_menu(self) -> None:
        menu = self.berichten_menu
        menu.clear()
        traject = self.detail.traject
        session = self.session
        if traject is None or traject.id is None:
            menu.addAction("Kies eerst een traject").setEnabled(False)
            return
        try:
            definition = session.store.trajecten.definition(traject)
        except Exception:  # noqa: BLE001 - an unknown procedure version is said, not fatal
            menu.addAction("De procedureversie van dit traject is onbekend").setEnabled(False)
            return
        sjablonen = load_sjablonen(definition, session.settings.berichten_map)
        for sjabloon in sjablonen.sjablonen:
            action = menu.addAction(f"{sjabloon.titel}…")
            if sjabloon.stap and definition.has_step(sjabloon.stap):
                step = definition.step(sjabloon.stap)
                action.setToolTip(f"Bij de stap '{step.short or step.title}' ({step.section})")
            action.triggered.connect(lambda _checked=False, s=sjabloon: self.open_bericht(s))
        if sjablonen.fouten:
            menu.addSeparator()
        for fout in sjablonen.fouten:
            action = menu.addAction(f"{Path(fout.bestand).name} (fout in het bestand)…")
            action.setToolTip(str(fout))
            action.triggered.connect(lambda _checked=False, f=fout: QMessageBox.warning(
                self, "Standaardbericht met een fout", f"{f}\n\nHerstel het bestand; de andere berichten werken "
                                                       "gewoon."))
        if sjablonen.map_fout:
            menu.addSeparator()
            action = menu.addAction("Eigen map niet gevonden: de meegeleverde teksten")
            action.setToolTip(sjablonen.map_fout)
            action.setEnabled(False)
        if not sjablonen.sjablonen and not sjablonen.fouten:
            menu.addAction("Geen standaardberichten bij deze procedureversie").setEnabled(False)

    def gegevens(self) -> BerichtGegevens:
        detail = self.detail
        traject, overview = detail.traject, detail.overview
        assert traject is not None
        session = self.session
        service = session.store.trajecten
        settings = session.settings
        termijnen = {s.step.id: s.due for s in overview.statuses if s.due is not None} if overview else {}
        return verzamel(
            traject, session.store.personen, today=today(),
            opleidersterugkomdagen=service.agenda().get(OPLEIDERSTERUGKOMDAG, []), termijnen=termijnen,
            afzender=settings.gebruikersnaam, opleiding=service.definition(traject).institute,
            lovah=settings.link_lovah_leidraad, sboh=settings.link_sboh_coaching,
            vertrouwenspersoon=settings.link_vertrouwenspersoon,
        )

    def open_bericht(self, sjabloon: Sjabloon) -> BerichtDialog | None:
        maak: Callable[[], BerichtGegevens] = self.gegevens
        gegevens = operations.run(self, maak, title="Standaardbericht")
        if gegevens is None:
            return None
        bericht = vul(sjabloon, gegevens)
        aios = next((p.naam for p in gegevens.personen.get("aios", ())), "")
        stam = " ".join(t for t in (today().isoformat(), sjabloon.titel, aios) if t)
        self.dialoog = BerichtDialog(self.window(), sjabloon, bericht, stam=stam, opleiding=gegevens.opleiding)
        self.dialoog.show()
        return self.dialoog


__all__ = ["BerichtDialog", "BerichtenKnop", "bericht_document"]
