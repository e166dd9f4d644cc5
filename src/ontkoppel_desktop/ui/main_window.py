"""The main window: navigation, the parts of the app, the lock screen, menus and the status bar."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ontkoppel_desktop import APP_NAME, paths
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.demo.opslag import DEMO_WACHTWOORD
from ontkoppel_desktop.store import backups
from ontkoppel_desktop.ui import bestandsdialoog, operations
from ontkoppel_desktop.ui.backups import AutomatischeBackups, BackupInstellingen, TerugzettenDialog
from ontkoppel_desktop.ui.backups import moment as backup_moment
from ontkoppel_desktop.ui.bewaartermijn import BewaartermijnInstellingen, open_bewaartermijnen
from ontkoppel_desktop.ui.handleiding import PROCEDURE, HandleidingVenster, toon_handleiding
from ontkoppel_desktop.ui.instituut import InstituutLabel, Synchronisatie, open_instituut, verbinding_of_geen
from ontkoppel_desktop.ui.na_export import toon_in_map
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.systeemvergrendeling import SysteemVergrendeling
from ontkoppel_desktop.ui.unlock import UnlockPanel
from ontkoppel_desktop.ui.vergrendeling import WindowContents, clear_clipboard
from ontkoppel_desktop.ui.vraag import bevestig, kies
from ontkoppel_desktop.ui.wachtwoord import WachtwoordWijzigenDialog

log = logging.getLogger(__name__)


class LockPage(QWidget):
    """What a locked window shows: the wachtwoord (or the herstelsleutel, as KeePassXC offers it) and Ander
    bestand…, which closes this store and goes to the welcome window."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        hint = f"Demo-opslag — het wachtwoord is: {DEMO_WACHTWOORD}" if session.demo else ""
        self.panel = UnlockPanel(session.path, session.store.key_file, allow_other_file=True, hint=hint)
        self.panel.title_text = "Vergrendeld"
        self.panel.explanation = (
            f"{session.path.name} is vergrendeld. Vul je wachtwoord in om verder te werken; "
            "wat je aan het typen was, staat er daarna nog."
        )
        self.panel.reset()
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(520)
        inner = QVBoxLayout(card)
        inner.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 2)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


class SettingsDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Instellingen")
        self.session = session
        self.naam = QLineEdit(session.settings.gebruikersnaam)
        self.naam.setPlaceholderText("bijv. J. de Vries, jaarassistent jaar 1")
        self.minuten = QSpinBox()
        self.minuten.setRange(1, 120)
        self.minuten.setSuffix(" minuten")
        self.minuten.setValue(max(1, round(session.settings.idle_lock_minutes)))
        settings = session.settings
        self.links = {key: QLineEdit(str(getattr(settings, key))) for key in
                      ("link_lovah_leidraad", "link_sboh_coaching", "link_vertrouwenspersoon")}
        self.links["link_vertrouwenspersoon"].setPlaceholderText("de pagina met de contactgegevens (https://…)")
        self.minimaliseren = QCheckBox("Ook vergrendelen bij &minimaliseren van het venster")
        self.minimaliseren.setChecked(settings.vergrendelen_bij_minimaliseren)
        self.minimaliseren.setToolTip("Bij het vergrendelen van het scherm en bij de slaapstand vergrendelt de app "
                                      "altijd, waar het systeem dat laat weten")
        form = QFormLayout()
        form.addRow("&Jouw naam (voor de geschiedenis):", self.naam)
        form.addRow("&Vergrendel na geen activiteit:", self.minuten)
        form.addRow("", self.minimaliseren)
        # Explanations are group titles, not word-wrapped labels in a form: a dialog sizes itself before such a
        # label knows its height, and the second line was cut off.
        ondersteuning = QGroupBox("Ondersteuning bij elk gesprek (paragraaf 3 van de procedure)")
        links = QFormLayout(ondersteuning)
        links.addRow("&LOVAH-leidraad:", self.links["link_lovah_leidraad"])
        links.addRow("&SBOH-coaching:", self.links["link_sboh_coaching"])
        links.addRow("Ve&rtrouwenspersoon:", self.links["link_vertrouwenspersoon"])
        # Standaardberichten: the institute keeps its own copies in a folder of its own (an installed program
        # folder is not writable); a file there replaces the bundled one of the same name.
        self.berichten_map = QLineEdit(settings.berichten_map)
        self.berichten_map.setPlaceholderText("leeg: de meegeleverde teksten")
        self.berichten_map.setMinimumWidth(260)
        self.berichten_map.setToolTip("Een bestand in deze map vervangt het meegeleverde standaardbericht met "
                                      "dezelfde naam; zie de README.md die met de teksten wordt meegekopieerd")
        kies = QPushButton("Kie&zen…")
        kies.clicked.connect(self._kies_berichten_map)
        self.kopieer = QPushButton("Standaardteksten &kopiëren naar deze map…")
        self.kopieer.clicked.connect(self._kopieer_standaardteksten)
        map_row = QHBoxLayout()
        map_row.addWidget(self.berichten_map, 1)
        map_row.addWidget(kies)
        berichten = QGroupBox("Eigen teksten van de standaardberichten (ontkoppelingsmail, uitnodigingen)")
        berichten.setToolTip("Bijvoorbeeld een map op een gedeelde schijf, zodat iedereen dezelfde teksten gebruikt")
        berichten_form = QFormLayout(berichten)
        map_label = QLabel("Map met eigen standaard&berichten:")
        map_label.setBuddy(self.berichten_map)
        berichten_form.addRow(map_label, map_row)
        berichten_form.addRow("", self.kopieer)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # In a scroll area: on a laptop at 150 % (1280×720) the settings are taller than the screen, and a dialog
        # squeezed to fit cut its groups off.
        inhoud = QWidget()
        inhoud_layout = QVBoxLayout(inhoud)
        inhoud_layout.addLayout(form)
        inhoud_layout.addWidget(ondersteuning)
        inhoud_layout.addWidget(berichten)
        inhoud_layout.addWidget(self._instituut_groep(settings))
        self.backups = BackupInstellingen(settings)
        inhoud_layout.addWidget(self.backups)
        self.bewaartermijnen = BewaartermijnInstellingen(settings)
        inhoud_layout.addWidget(self.bewaartermijnen)
        inhoud_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(inhoud)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        nodig = inhoud.sizeHint()
        beschikbaar = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(nodig.width() + 40, beschikbaar.width() - 40),
                    min(nodig.height() + buttons.sizeHint().height() + 40, beschikbaar.height() - 60))

    def _instituut_groep(self, settings: Any) -> QGroupBox:
        """The institute profile (documents/profiel.py): the name, address line and logo of every document."""
        groep = QGroupBox("Instituut (voor documenten)")
        self.instituut_naam = QLineEdit(settings.instituut_naam)
        self.instituut_naam.setPlaceholderText("leeg: de opleiding uit het procedurebestand")
        self.instituut_adres = QLineEdit(settings.instituut_adres)
        self.instituut_adres.setPlaceholderText("bijv. Universiteitsweg 100 · 3584 CG Utrecht · 088 755 5555")
        self.instituut_logo = QLineEdit(settings.instituut_logo)
        self.instituut_logo.setPlaceholderText("geen logo")
        self.instituut_logo.editingFinished.connect(self._controleer_logo)
        self.kies_logo = QPushButton("Kiez&en…")
        self.kies_logo.clicked.connect(self._kies_logo)
        # Said at once, not when a document is made: a logo that cannot be used is left out of every document.
        self.logo_melding = QLabel()
        self.logo_melding.setWordWrap(True)
        self.logo_melding.setVisible(False)
        rij = QHBoxLayout()
        rij.addWidget(self.instituut_logo, 1)
        rij.addWidget(self.kies_logo)
        vorm = QFormLayout(groep)
        uitleg = QLabel("Naam, adresregel en logo in de kop en voet van elk Word- en PDF-document:")
        uitleg.setWordWrap(True)
        vorm.addRow(uitleg)
        vorm.addRow("Naam &instituut:", self.instituut_naam)
        vorm.addRow("&Adresregel:", self.instituut_adres)
        logo_label = QLabel("L&ogo (PNG of JPEG):")
        logo_label.setBuddy(self.instituut_logo)
        vorm.addRow(logo_label, rij)
        vorm.addRow("", self.logo_melding)
        self._controleer_logo()
        return groep

    def _kies_logo(self) -> None:
        gekozen = bestandsdialoog.openen(self, "logo", "Logo van het instituut", "Afbeelding (*.png *.jpg *.jpeg)")
        if gekozen is not None:
            self.instituut_logo.setText(str(gekozen))
            self._controleer_logo()

    def _controleer_logo(self) -> str | None:
        """Check the logo now and say in Dutch why it would be left out (missing, not a picture, too large)."""
        from ontkoppel_desktop.documents.profiel import lees_logo

        text = self.instituut_logo.text().strip()
        waarschuwing = lees_logo(text)[1] if text else None
        self.logo_melding.setText(f"⚠ {waarschuwing}" if waarschuwing else "")
        self.logo_melding.setVisible(waarschuwing is not None)
        return waarschuwing

    def accept(self) -> None:
        self.session.settings.gebruikersnaam = self.naam.text().strip()
        self.session.settings.vergrendelen_bij_minimaliseren = self.minimaliseren.isChecked()
        for key, edit in self.links.items():
            setattr(self.session.settings, key, edit.text().strip())
        self.session.settings.berichten_map = self.berichten_map.text().strip()
        # Saved also with a warning: the file may be on a network drive that is back tomorrow; until then every
        # document is made without the logo.
        self.session.settings.instituut_naam = self.instituut_naam.text().strip()
        self.session.settings.instituut_adres = self.instituut_adres.text().strip()
        self.session.settings.instituut_logo = self.instituut_logo.text().strip()
        self.backups.toepassen(self.session.settings)
        self.bewaartermijnen.toepassen(self.session.settings)
        self.session.set_idle_minutes(float(self.minuten.value()))
        super().accept()

    def _kies_berichten_map(self) -> None:
        folder = bestandsdialoog.kies_map(self, "berichten", "Map met eigen standaardberichten",
                                          self.berichten_map.text().strip())
        if folder is not None:
            self.berichten_map.setText(str(folder))

    def _kopieer_standaardteksten(self) -> None:
        from ontkoppel_desktop.berichten_bestanden import kopieer_standaard
        from ontkoppel_desktop.core.procedure import default_registry

        text = self.berichten_map.text().strip()
        if not text:
            self._kies_berichten_map()
            text = self.berichten_map.text().strip()
            if not text:
                return
        folder = Path(text)
        try:
            gekopieerd, behouden = kopieer_standaard(default_registry().current(), folder)
        except (OSError, OntkoppelError) as exc:
            reden = exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
            QMessageBox.warning(self, "Niet gekopieerd", f"De standaardteksten konden niet naar {folder} worden "
                                f"gekopieerd ({reden}). Kies een map waarin je mag schrijven.")
            return
        if gekopieerd:
            regels = [f"Gekopieerd naar {folder}:", *(f"• {naam}" for naam in gekopieerd)]
        else:
            regels = [f"Er is niets gekopieerd naar {folder}."]
        if behouden:
            regels += ["", "Stonden er al en zijn niet overschreven:"] + [f"• {naam}" for naam in behouden]
        regels += ["", "Pas de teksten daar aan; de README.md legt uit hoe. Sla de instellingen op om de map te "
                       "gebruiken."]
        QMessageBox.information(self, "Standaardteksten kopiëren", "\n".join(regels))


class LazySection(QWidget):
    """A part of the app that is built the first time it is shown: the planner (scipy), the exports and the
    other parts load nothing before the user opens them, so the window is on screen sooner."""

    def __init__(self, factory: Callable[[], QWidget]) -> None:
        super().__init__()
        self._factory = factory
        self.widget: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.widget is None:
            self.widget = self._factory()
            self.layout().addWidget(self.widget)
        return self.widget

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self.build()
        super().showEvent(event)


# A store chosen in the Bestand menu or on the lock page (ui/app.py's Controller opens it): a Path to unlock, or
# one of these: the welcome window, the welcome window at Nieuwe opslag, the demo.
WELKOM, NIEUW, DEMO = "welkom", "nieuw", "demo"


class MainWindow(QMainWindow):
    # Asked to close this store and open another (a Path, WELKOM, NIEUW or DEMO): the Controller does it.
    opslag_gevraagd = Signal(object)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._hidden_windows: list[QWidget] = []
        self._hidden_contents: list[WindowContents] = []
        # Each screen undoes its own moves (DECISIONS 2026-12-01): one stack per screen, the shown one active.
        self.undo_group = session.undo_group
        self._stacks: dict[int, QUndoStack] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigatie")
        self.nav.setFixedWidth(150)
        self.nav.setAccessibleName("Navigatie")
        self.sections = QStackedWidget()
        trajecten_stack, personen_stack, planner_stack = (session.undo_stack(), session.undo_stack(),
                                                          session.undo_stack())
        self._trajecten = self._add_section("Trajecten", lambda: self._make_trajecten(trajecten_stack),
                                            trajecten_stack)
        self._taken = self._add_section("Taken & termijnen", self._make_taken)
        # No undo stack of its own: nothing is changed on this screen (a verslag changes in its own window).
        self._verslagen = self._add_section("Verslagen", self._make_verslagen)
        self._koppelplanner = self._add_section("Koppelplanner", lambda: self._make_koppelplanner(planner_stack),
                                                planner_stack)
        self._personen = self._add_section("Personen", lambda: self._make_personen(personen_stack), personen_stack)
        # Shown while the store is connected to an institute (_toon_instituut).
        self.synchronisatie = Synchronisatie(session, self)
        self._gedeeld = self._add_section("Instituut", self._make_gedeeld)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)

        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(6, 6, 6, 6)
        row.addWidget(self.nav)
        row.addWidget(self.sections, 1)

        self.lock_page = LockPage(session)
        self.lock_page.panel.key_ready.connect(self._unlock)
        self.lock_page.panel.other_file.connect(lambda: self.vraag_opslag(WELKOM))
        self.root = QStackedWidget()
        self.root.addWidget(workspace)
        self.root.addWidget(self.lock_page)
        self.setCentralWidget(self.root)

        self.store_label = QLabel()
        self.store_label.setAccessibleName("Opslag")
        # The demo says so all the time, in words: its data are made up, and nothing typed there is kept for real.
        self.demo_label = QLabel("Demo — fictieve gegevens")
        self.demo_label.setObjectName("demo")
        self.demo_label.setAccessibleName("Demo — fictieve gegevens")
        self.demo_label.setToolTip("Dit is de demo-opslag met verzonnen personen en trajecten. Kies Bestand › "
                                   "Nieuwe opslag… om met echte gegevens te werken.")
        self.demo_label.setStyleSheet("padding: 1px 8px; border-radius: 3px; color: #3d2a00; background: #ffd866; "
                                      "font-weight: bold;")
        self.demo_label.setVisible(session.demo)
        self.lock_label = QLabel()
        self.check_label = QLabel()
        self.check_label.hide()
        self._integrity_reported = False
        self.statusBar().addPermanentWidget(self.check_label)
        self.statusBar().addPermanentWidget(self.demo_label)
        self.statusBar().addPermanentWidget(self.store_label)
        self.statusBar().addPermanentWidget(self.lock_label)
        self.instituut_label = InstituutLabel(session, self.synchronisatie)
        self.statusBar().addPermanentWidget(self.instituut_label)
        self._build_menus()
        self._toon_instituut()
        self.synchronisatie.klaar.connect(lambda _: self._toon_instituut())
        session.locked.connect(self._on_locked)
        session.unlocked.connect(self._on_unlocked)
        # The screen locked or the computer going to sleep locks the store too, where the platform says so.
        self.systeem = SysteemVergrendeling(self)
        self.systeem.vergrendelen.connect(self._vergrendel_om)
        self.automatische_backups = AutomatischeBackups(session, self)
        self.automatische_backups.gemeld.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self._update_status()
        available = self.screen().availableGeometry()
        self.resize(min(1320, available.width()), min(800, available.height()))
        geometry = session.settings.window_geometry.get("main")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        self.watch_integrity()

    # ---- sections ------------------------------------------------------------------------------------

    def _make_trajecten(self, stack: QUndoStack) -> QWidget:
        from ontkoppel_desktop.ui.trajecten.view import TrajectenView

        return TrajectenView(self.session, stack)

    def _make_taken(self) -> QWidget:
        from ontkoppel_desktop.ui.taken.view import TakenView

        view = TakenView(self.session)
        view.open_step.connect(self.show_traject_step)
        return view

    def _make_verslagen(self) -> QWidget:
        from ontkoppel_desktop.ui.verslagen.lijst import VerslagenView

        view = VerslagenView(self.session)
        view.open_traject.connect(self.show_verslag_in_traject)
        return view

    def _make_koppelplanner(self, stack: QUndoStack) -> QWidget:
        from ontkoppel_desktop.ui.koppelplanner.view import KoppelplannerView

        return KoppelplannerView(self.session, stack, self.open_traject_event)

    def _make_personen(self, stack: QUndoStack) -> QWidget:
        from ontkoppel_desktop.ui.personen.view import PersonenView

        return PersonenView(self.session, stack)

    def _make_gedeeld(self) -> QWidget:
        from ontkoppel_desktop.ui.gedeeld import GedeeldView

        view = GedeeldView(self.session, self.synchronisatie)
        view.vastgelegd.connect(self.synchronisatie.start)
        return view

    @property
    def gedeeld(self) -> Any:
        return self._gedeeld.build()

    def _toon_instituut(self) -> None:
        """The Instituut section in the navigation only while the store is connected to an institute."""
        if self.session.is_locked:
            return
        verbonden = verbinding_of_geen(self.session) is not None
        index = self.sections.indexOf(self._gedeeld)
        item = self.nav.item(index)
        if item.isHidden() == verbonden:
            item.setHidden(not verbonden)
            if not verbonden and self.nav.currentRow() == index:
                self.nav.setCurrentRow(0)

    @property
    def trajecten(self) -> Any:
        return self._trajecten.build()

    @property
    def taken(self) -> Any:
        return self._taken.build()

    @property
    def verslagen(self) -> Any:
        return self._verslagen.build()

    @property
    def koppelplanner(self) -> Any:
        return self._koppelplanner.build()

    @property
    def personen(self) -> Any:
        return self._personen.build()

    @property
    def undo_stack(self) -> QUndoStack | None:
        """The undo stack of the screen shown (None where nothing can be undone)."""
        return self.undo_group.activeStack()

    def _add_section(self, title: str, factory: Callable[[], QWidget], stack: QUndoStack | None = None) -> LazySection:
        section = LazySection(factory)
        index = self.sections.addWidget(section)
        if stack is not None:
            self._stacks[index] = stack
        item = QListWidgetItem(title)
        item.setToolTip(f"{title} (Ctrl+{index + 1})")
        self.nav.addItem(item)
        action = QAction(self)
        action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda: self.nav.item(index).isHidden() or self.nav.setCurrentRow(index))
        self.addAction(action)
        return section

    def _show_row(self, index: int) -> None:
        self.sections.setCurrentIndex(index)
        self.undo_group.setActiveStack(self._stacks.get(index))

    def current_section(self) -> QWidget | None:
        section = self.sections.currentWidget()
        return section.widget if isinstance(section, LazySection) else section

    def show_section(self, widget: QWidget) -> None:
        for index in range(self.sections.count()):
            section = self.sections.widget(index)
            if section is widget or (isinstance(section, LazySection) and section.widget is widget):
                self.nav.setCurrentRow(index)
                return

    def show_traject(self, traject_id: int) -> None:
        self.show_section(self.trajecten)
        self.trajecten.select(traject_id)

    def show_verslag_in_traject(self, traject_id: int, verslag_id: int) -> None:
        """From the Verslagen list: the traject, on its Verslagen tab with the verslag chosen."""
        self.show_traject(traject_id)
        detail = self.trajecten.detail
        detail.tabs.setCurrentWidget(detail.verslagen)
        detail.verslagen.select(verslag_id)

    def show_traject_step(self, traject_id: int, key: str) -> None:
        """From a task: the traject at its step, and straight on to what the step asks (a wizard, dates)."""
        self.show_traject(traject_id)
        self.trajecten.detail.open_step(key)

    def open_traject_event(self, traject_id: int, kind: Any, fixed: dict[str, object]) -> None:
        """Hand-off from the planner's 1-op-1 to the traject: the gesprek's wizard (the overdracht, the
        kennismakingsgesprek) with the chosen opleider filled in, else the form of the gebeurtenis."""
        self.show_traject(traject_id)
        detail = self.trajecten.detail
        gesprek = next((f.id for f in detail.formulieren().values() if f.gebeurtenissen[0] is kind), None)
        if gesprek is None:
            detail.open_event(kind, fixed, title=kind.label)
            return
        from ontkoppel_desktop.ui.verslagen.wizard import start_gesprek

        start_gesprek(self, self.session, traject_id, gesprek, gegevens=fixed)

    # ---- menus ---------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bestand = self.menuBar().addMenu("&Bestand")
        # Another store: this one closes (a wizard saves its concept) and the welcome or unlock window follows.
        self.nieuw_action = bestand.addAction("&Nieuwe opslag…", lambda: self.vraag_opslag(NIEUW))
        self.open_action = bestand.addAction("&Openen…", self.open_opslag)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.recent_menu = bestand.addMenu("&Recente opslagen")
        self.recent_menu.aboutToShow.connect(self.vul_recent)
        self.vul_recent()
        self.demo_action = bestand.addAction("&Demo bekijken (fictieve gegevens)", lambda: self.vraag_opslag(DEMO))
        self.demo_action.setVisible(not self.session.demo)
        bestand.addSeparator()
        self.lock_action = bestand.addAction("&Vergrendelen", self.session.lock)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.wachtwoord_action = bestand.addAction("&Wachtwoord wijzigen…", self.change_wachtwoord)
        self.vernieuwen_action = bestand.addAction("&Sleutel vernieuwen…", self.vernieuw_sleutel)
        self.backup_action = bestand.addAction("&Back-up maken…", self.make_backup)
        self.terugzetten_action = bestand.addAction("Back-up &terugzetten…", self.zet_backup_terug)
        self.bewaartermijn_action = bestand.addAction("Bewaarter&mijnen…",
                                                      lambda: open_bewaartermijnen(self, self.session))
        self.instituut_action = bestand.addAction(
            "Verbinden met instit&uut…",
            lambda: open_instituut(self, self.session, self.synchronisatie, self._toon_instituut))
        # Once connected the same entry opens the Instituut window (outbox, Nu synchroniseren): named so.
        bestand.aboutToShow.connect(lambda: self.instituut_action.setText(
            "Instit&uut…" if self.synchronisatie.verbonden() else "Verbinden met instit&uut…"))
        bestand.addSeparator()
        self.settings_action = bestand.addAction("&Instellingen…", self.open_settings)
        bestand.addSeparator()
        quit_action = bestand.addAction("&Afsluiten", self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        bewerken = self.menuBar().addMenu("Be&werken")
        self.bewerken_menu = bewerken
        undo = self.undo_group.createUndoAction(self, "&Ongedaan maken")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "O&pnieuw")
        # Every platform binding: Ctrl+Y and Ctrl+Shift+Z (as the README says) both redo.
        redo.setShortcuts(QKeySequence.StandardKey.Redo)
        bewerken.addAction(undo)
        bewerken.addAction(redo)
        help_menu = self.menuBar().addMenu("&Help")
        self.handleiding_action = help_menu.addAction("&Handleiding", self.toon_handleiding)
        self.handleiding_action.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1
        self.handleiding_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.procedure_action = help_menu.addAction("De &procedure", lambda: self.toon_handleiding(PROCEDURE))
        help_menu.addSeparator()
        self.over_action = help_menu.addAction("&Over Ontkoppel Desktop…", self._about)
        self.undo_action, self.redo_action = undo, redo
        # While locked only Afsluiten works.
        self._lockable = [self.lock_action, self.wachtwoord_action, self.vernieuwen_action, self.backup_action,
                          self.terugzetten_action, self.bewaartermijn_action, self.instituut_action,
                          self.settings_action]

    # ---- help ---------------------------------------------------------------------------------------------

    # F1 opens the manual at the part of the app shown (by the navigation's text).
    _HULP = {
        "Trajecten": ("trajecten", ""),
        "Taken & termijnen": ("trajecten", "Taken & termijnen"),
        "Verslagen": ("verslagen", ""),
        "Koppelplanner": ("koppelplanner", ""),
        "Personen": ("personen", ""),
    }

    def toon_handleiding(self, sleutel: str = "") -> HandleidingVenster:
        paragraaf = ""
        if not sleutel and self.session.is_locked:
            sleutel, paragraaf = "veiligheid", "Vergrendelen"
        elif not sleutel:
            item = self.nav.currentItem()
            sleutel, paragraaf = self._HULP.get(item.text() if item is not None else "", ("beginnen", ""))
        return toon_handleiding(self, sleutel, paragraaf)

    # ---- another store --------------------------------------------------------------------------------

    def vul_recent(self) -> None:
        """The stores opened before on this computer (settings.recent_stores), this one left out."""
        self.recent_menu.clear()
        huidig = str(self.session.path)
        recent = [p for p in self.session.settings.recent_stores if p != huidig]
        for index, tekst in enumerate(recent[:9], start=1):
            pad = Path(tekst)
            bestaat = pad.exists()
            action = self.recent_menu.addAction(f"&{index} {pad.name} — {pad.parent}"
                                                + ("" if bestaat else " (niet gevonden)"))
            action.setToolTip(tekst)
            action.setEnabled(bestaat)
            action.triggered.connect(lambda _checked=False, pad=pad: self.vraag_opslag(pad))
        if not recent:
            self.recent_menu.addAction("Nog geen andere opslagen geopend").setEnabled(False)

    def open_opslag(self) -> None:
        """Bestand → Openen…: choose a store, then this one closes and the chosen one asks for its wachtwoord."""
        from ontkoppel_desktop.ui import bestandsdialoog
        from ontkoppel_desktop.ui.welcome import FILTER

        pad = bestandsdialoog.openen(self, "opslag", "Opslag openen", FILTER)
        if pad is None:
            return
        if pad.resolve() == self.session.path.resolve():
            self.statusBar().showMessage(f"{pad.name} is al geopend in dit venster.", 8000)
            return
        self.vraag_opslag(pad)

    def vraag_opslag(self, doel: object) -> None:
        """Close this store for another (a Path, WELKOM, NIEUW or DEMO). Unlocked, closing asks about forms with
        unsaved input; locked, their input is out of sight, so the question says only that hidden windows close."""
        verborgen = [w for w in self._hidden_windows if isValid(w)]
        if self.session.is_locked and verborgen and not bevestig(
            self, "Vensters sluiten",
            f"Bij het vergrendelen {'is 1 venster' if len(verborgen) == 1 else f'zijn {len(verborgen)} vensters'} "
            "verborgen. Als je een ander bestand opent, worden ze gesloten en gaat invoer die daarin nog niet is "
            "opgeslagen verloren (een verslag is al als concept bewaard).",
            "&Sluiten en ander bestand openen", waarschuwing=True,
        ):
            return
        self.opslag_gevraagd.emit(doel)

    def _about(self) -> QDialog:
        from ontkoppel_desktop.ui.over import OverDialog

        dialog = OverDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def change_wachtwoord(self, *, verplicht: bool = False, vernieuwen: bool = False) -> WachtwoordWijzigenDialog:
        dialog = WachtwoordWijzigenDialog(self.session, self, verplicht=verplicht, vernieuwen=vernieuwen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(
            "De sleutel is vernieuwd: oude sleutelbestanden en je oude wachtwoord openen de opslag niet meer."
            if dialog.vernieuwen.isChecked() else "Het wachtwoord is gewijzigd.", 8000))
        dialog.open()
        return dialog

    def vernieuw_sleutel(self) -> WachtwoordWijzigenDialog:
        return self.change_wachtwoord(vernieuwen=True)

    def make_backup(self) -> Path | None:
        """Bestand → Back-up maken…: a copy of the store with its key file, where the user wants it (the dialog
        opens in the folder of the last back-up, else Documenten)."""
        naam = f"{self.session.path.stem}-backup-{dt.date.today():%Y-%m-%d}{paths.STORE_SUFFIX}"
        target = bestandsdialoog.opslaan(self, "backup", "Back-up maken", naam,
                                         f"Ontkoppel-opslag (*{paths.STORE_SUFFIX})", paths.STORE_SUFFIX)
        if target is None:
            return None
        if operations.run(self, lambda: self.session.store.backup(target)) is None:
            return None
        if kies(self, "Back-up gemaakt",
                f"De back-up staat in {target.parent}:\n\n• {target.name}\n• {paths.keys_file_for(target).name}\n\n"
                "Bewaar beide bestanden samen. De back-up opent met hetzelfde wachtwoord.",
                ["&Toon in map"], annuleren="&Sluiten") == 0:
            toon_in_map(target)
        return target

    def zet_backup_terug(self) -> TerugzettenDialog:
        dialog = TerugzettenDialog(self.session, self.automatische_backups.map, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def teruggezet() -> None:
            if dialog.gekozen is None or dialog.bewaard is None:
                return
            self.lock_page.panel.key_file = self.session.store.key_file
            self.lock_page.panel.fout.setStyleSheet("color: #555;")
            self.lock_page.panel.fout.setText(
                f"De back-up van {backup_moment(dialog.gekozen)} is teruggezet (de vorige bestanden heten nu "
                f"{dialog.bewaard.name}). Ontgrendel met het wachtwoord dat toen gold.")

        dialog.accepted.connect(teruggezet)
        dialog.open()
        return dialog

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # ---- locking -------------------------------------------------------------------------------------

    def _on_locked(self) -> None:
        # An open menu, list or tooltip closes: it is not shown again after unlocking.
        QToolTip.hideText()
        for _ in range(8):  # a submenu closes before its menu
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        # Hide every other window (open forms keep their input) and show only the lock page. The manual and the
        # About window show nothing from the store and stay.
        self._hidden_windows = [
            w for w in QApplication.topLevelWidgets()
            if w is not self and w.isVisible() and not w.isHidden() and not getattr(w, "openbaar", False)
        ]
        for window in self._hidden_windows:
            window.hide()
        # Hidden is not enough: their texts are taken out until unlocking (locked means locked, issue 13). The
        # screens of this window empty themselves; the status bar may name whom a change was about.
        self._hidden_contents = [WindowContents(window) for window in self._hidden_windows]
        self.statusBar().clearMessage()
        clear_clipboard()
        self.root.setCurrentWidget(self.lock_page)
        # The key file may have changed since the window opened (wachtwoord gewijzigd).
        self.lock_page.panel.key_file = self.session.store.key_file
        self.lock_page.panel.reset()
        for action in self._lockable:
            action.setEnabled(False)
        # The undo texts name people ("… bewerken"): the whole menu goes while locked.
        self.bewerken_menu.menuAction().setVisible(False)
        self._update_status()
        self.lock_page.panel.veld.setFocus()

    def _vergrendel_om(self, reden: str) -> None:
        """Locked because the screen was locked, the computer went to sleep or the window was minimised: the lock
        page says why."""
        if self.session.is_locked:
            return
        self.session.lock()
        self.lock_page.panel.fout.setStyleSheet("color: #555;")
        self.lock_page.panel.fout.setText(f"Vergrendeld omdat {reden}.")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if (event.type() == QEvent.Type.WindowStateChange and self.isMinimized()
                and self.session.settings.vergrendelen_bij_minimaliseren):
            self._vergrendel_om("het venster werd geminimaliseerd")

    def _unlock(self, data_key: bytes, via_herstel: bool) -> None:
        try:
            self.session.unlock_with_key(data_key, via_herstel=via_herstel)
        except Exception as exc:
            self.lock_page.panel.show_error(operations.user_message(exc))
            return
        if via_herstel:
            # The wachtwoord was forgotten: a new one now, as after opening with the herstelsleutel at the start.
            self.change_wachtwoord(verplicht=True)

    def _on_unlocked(self) -> None:
        self.root.setCurrentIndex(0)
        for action in self._lockable:
            action.setEnabled(True)
        self.bewerken_menu.menuAction().setVisible(True)
        for contents in self._hidden_contents:
            contents.put_back()
        self._hidden_contents = []
        for window in self._hidden_windows:
            if isValid(window):  # a form may have been closed and deleted meanwhile
                window.show()
        self._hidden_windows = []
        self._update_status()
        self._toon_instituut()
        self.watch_integrity()
        from ontkoppel_desktop.ui.verslagen.wizard import heropen_na_ontgrendelen

        heropen_na_ontgrendelen(self, self.session)

    # ---- the integrity check -------------------------------------------------------------------------

    def watch_integrity(self) -> None:
        """While the file is checked in the background the status bar says so; a damaged file is reported at
        once (and every write is refused, by the store)."""
        check = self.session.store.integrity
        if check.running:
            self.check_label.setText("Bestand wordt gecontroleerd…")
            self.check_label.setToolTip("De volledige controle van het bestand loopt. Opslaan wacht daarop.")
            self.check_label.show()
            QTimer.singleShot(100, self.watch_integrity)
            return
        self.check_label.hide()
        if check.failed and not self._integrity_reported:
            self._integrity_reported = True
            self.check_label.setText("Bestand beschadigd — er wordt niets opgeslagen")
            self.check_label.setStyleSheet("color: #b3261e; font-weight: bold;")
            self.check_label.show()
            try:
                check.require()
            except Exception as exc:
                operations.show_error(self, exc, "Bestand beschadigd")
                if backups.lijst(self.automatische_backups.map):
                    self.zet_backup_terug()

    def _update_status(self) -> None:
        locked = self.session.is_locked
        name = "Demo — fictieve gegevens" if self.session.demo else self.session.path.name
        if locked:
            name = "Demo — vergrendeld" if self.session.demo else "Vergrendeld"
        # Ending with the application's display name: Qt adds it to a title that does not (QPlatformWindow::
        # formatWindowTitle), which made "Ontkoppel Desktop — vergrendeld — Ontkoppel Desktop".
        self.setWindowTitle(f"{name} — {APP_NAME}")
        self.store_label.setText(f"Opslag: {self.session.path}")
        self.store_label.setToolTip(str(self.session.path))
        self.lock_label.setText("Vergrendeld" if locked else "Ontgrendeld")
        self.lock_label.setStyleSheet(
            "padding: 1px 8px; border-radius: 3px; color: white; background: "
            + ("#b3261e;" if locked else "#2e7d32;")
        )
        self.lock_label.setAccessibleName("Vergrendeld" if locked else "Ontgrendeld")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        open_dialogs = [d for d in QApplication.topLevelWidgets()
                        if d is not self and d.isVisible() and getattr(d, "dirty", False)]
        if open_dialogs and not bevestig(
            self, "Niet opgeslagen invoer",
            "Er staat nog een formulier open met invoer die niet is opgeslagen. Als je nu sluit, gaat die invoer "
            "verloren.", "&Sluiten zonder opslaan", niet_doen="&Terug naar het formulier", waarschuwing=True,
        ):
            event.ignore()
            return
        self.session.settings.window_geometry["main"] = bytes(self.saveGeometry().toBase64().data()).decode()
        try:
            self.session.settings.save()
        except (OSError, OntkoppelError):
            # The settings are only comfort (window size, recent files): a full disk or a held file must not
            # keep the window open or skip closing the store.
            log.warning("Instellingen niet opgeslagen bij afsluiten", exc_info=True)
        self.systeem.stop()
        self.session.close()
        super().closeEvent(event)

