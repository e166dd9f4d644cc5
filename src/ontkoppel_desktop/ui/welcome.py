"""First start: create a new store, open an existing one, or look at the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop import APP_NAME, paths
from ontkoppel_desktop.opslaglocatie import Soort, beoordeel_opslag
from ontkoppel_desktop.store.store import NieuweOpslag, Store
from ontkoppel_desktop.ui import bestandsdialoog
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.handleiding import toon_handleiding
from ontkoppel_desktop.ui.operations import user_message
from ontkoppel_desktop.ui.opslag_openen import toch_hier_maken
from ontkoppel_desktop.ui.wachtwoord import NieuwWachtwoord

FILTER = f"Ontkoppel-opslag (*{paths.STORE_SUFFIX})"

INTRO = (
    f"<h2>Welkom bij {APP_NAME}</h2>"
    "<p>Deze app houdt ontkoppelingstrajecten, termijnen, koppelingen en verslagen bij in één "
    "<b>versleuteld bestand</b> op deze computer. Alleen wie het wachtwoord heeft, kan het openen.</p>"
    "<p>Begin met een nieuwe opslag, open een bestaande, of bekijk eerst de demo met fictieve gegevens.</p>"
)


def _title(text: str) -> QLabel:
    label = QLabel(f"<h3>{text}</h3>")
    return label


class WelcomeDialog(QDialog):
    """Emits `created` with the new store (the herstelsleutel still to be shown), `open_requested` with
    a path, or `demo_requested`."""

    created = Signal(object)
    open_requested = Signal(Path)
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._keuze_page())
        self.stack.addWidget(self._nieuw_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.setMinimumWidth(560)
        QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), self, lambda: toon_handleiding(
            self, "beginnen", "" if self.stack.currentIndex() == 0 else "De eerste keer"))

    # ---- pages ---------------------------------------------------------------------------------------

    def _keuze_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.nieuw_knop = QPushButton("&Nieuwe opslag maken…")
        self.open_knop = QPushButton("&Bestaande opslag openen…")
        self.demo_knop = QPushButton("&Demo bekijken (fictieve gegevens)")
        self.nieuw_knop.setDefault(True)
        self.nieuw_knop.clicked.connect(lambda: self.ga_naar_nieuw())
        self.open_knop.clicked.connect(self._choose_existing)
        self.demo_knop.clicked.connect(self.demo_requested.emit)
        self.handleiding_knop = QPushButton("&Handleiding (F1)")
        self.handleiding_knop.setFlat(True)
        self.handleiding_knop.setStyleSheet("text-decoration: underline; color: #1a5fb4;")
        self.handleiding_knop.setAutoDefault(False)
        self.handleiding_knop.clicked.connect(lambda: toon_handleiding(self, "beginnen"))
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        for knop in (self.nieuw_knop, self.open_knop, self.demo_knop):
            knop.setMinimumHeight(34)
            layout.addWidget(knop)
        layout.addStretch(1)
        layout.addWidget(self.handleiding_knop, alignment=Qt.AlignmentFlag.AlignLeft)
        return page

    def _nieuw_page(self) -> QWidget:
        page = QWidget()
        self.bestand = QLineEdit(str(paths.documents_dir() / f"Ontkoppelingen{paths.STORE_SUFFIX}"))
        self.bestand.setAccessibleName("Bestand")
        bladeren = QPushButton("B&laderen…")
        bladeren.clicked.connect(self._choose_new)
        rij = QHBoxLayout()
        rij.addWidget(self.bestand, 1)
        rij.addWidget(bladeren)
        self.wachtwoord = NieuwWachtwoord()
        uitleg = QLabel(
            "Naast het bestand komt een klein sleutelbestand (<i>…okdb.sleutel</i>). "
            "Kopieer en bewaar altijd beide samen."
        )
        uitleg.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("status")
        terug = QPushButton("&Terug")
        terug.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        self.maak_knop = QPushButton("Opslag &maken")
        self.maak_knop.setEnabled(False)
        self.maak_knop.setDefault(True)
        self.maak_knop.clicked.connect(self._create)
        self.wachtwoord.valid_changed.connect(self.maak_knop.setEnabled)
        knoppen = QHBoxLayout()
        knoppen.addWidget(terug)
        knoppen.addStretch(1)
        knoppen.addWidget(self.maak_knop)
        layout = QVBoxLayout(page)
        layout.addWidget(_title("Nieuwe opslag"))
        layout.addWidget(QLabel("&Bestand:", buddy=self.bestand))
        layout.addLayout(rij)
        layout.addWidget(uitleg)
        layout.addSpacing(8)
        layout.addWidget(self.wachtwoord)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(knoppen)
        return page

    def ga_naar_nieuw(self) -> None:
        self.stack.setCurrentIndex(1)
        self.wachtwoord.eerste.setFocus()

    # ---- actions -------------------------------------------------------------------------------------

    def _choose_new(self) -> None:
        naam = Path(self.bestand.text().strip()).name or f"Ontkoppelingen{paths.STORE_SUFFIX}"
        gekozen = bestandsdialoog.opslaan(self, "opslag", "Nieuwe opslag", naam, FILTER, paths.STORE_SUFFIX)
        if gekozen is not None:
            self.bestand.setText(str(gekozen))

    def _choose_existing(self) -> None:
        gekozen = bestandsdialoog.openen(self, "opslag", "Opslag openen", FILTER)
        if gekozen is not None:
            self.open_requested.emit(gekozen)

    def _weiger(self, melding: str) -> None:
        self.status.setStyleSheet("color: #b3261e;")
        self.status.setText(melding)
        self.bestand.setFocus()
        self.bestand.selectAll()

    def _create(self) -> None:
        text = self.bestand.text().strip()
        if not text:
            self.status.setText("Kies een bestand.")
            return
        path = Path(text).expanduser()
        if path.suffix != paths.STORE_SUFFIX:
            path = path.with_name(path.name + paths.STORE_SUFFIX)
        oordeel = beoordeel_opslag(path)
        if oordeel.soort is Soort.NETWERK:
            self._weiger(oordeel.melding_maken())
            return
        if oordeel.soort is Soort.GESYNCHRONISEERD and not toch_hier_maken(self, oordeel):
            self._weiger(oordeel.melding_maken())
            self._choose_new()
            return
        wachtwoord = self.wachtwoord.wachtwoord
        self.maak_knop.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("Bezig: de sleutel wordt afgeleid en de opslag versleuteld aangemaakt…")
        self.setCursor(Qt.CursorShape.BusyCursor)

        def done(nieuw: NieuweOpslag) -> None:
            self.unsetCursor()
            self.status.setText("")
            self.created.emit(nieuw)

        def failed(exc: BaseException) -> None:
            self.unsetCursor()
            self.maak_knop.setEnabled(self.wachtwoord.is_valid())
            self.status.setStyleSheet("color: #b3261e;")
            self.status.setText(user_message(exc))

        run_in_background(self, lambda: Store.create(path, wachtwoord), done, failed)
