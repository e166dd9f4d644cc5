"""Automatic back-ups in the app (store/backups.py does the work): daily and on closing, the Back-up terugzetten
window, and a back-up offered when a store will not open."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store import backups
from ontkoppel_desktop.store.backups import Backup
from ontkoppel_desktop.store.database import opent_met
from ontkoppel_desktop.store.keys import KeyFile
from ontkoppel_desktop.ui import bestandsdialoog
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.operations import user_message
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.vraag import bevestig

log = logging.getLogger(__name__)

# How often the app looks whether the daily back-up is due (it is also looked at on every unlock).
CONTROLE_MS = 60 * 60 * 1000


def basis(settings: Settings) -> Path:
    return Path(settings.backup_map) if settings.backup_map.strip() else backups.standaard_basis()


def map_van(settings: Settings, store_path: Path, store_id: str) -> Path:
    return backups.map_voor(basis(settings), store_path, store_id)


def moment(backup: Backup) -> str:
    """"1 december 2026 om 17:30"."""
    return f"{dutch_date(backup.gemaakt.date())} om {backup.gemaakt:%H:%M}"


class AutomatischeBackups(QObject):
    """Makes the daily back-up (on a worker thread, beside the user's work) and the one on closing."""

    gemeld = Signal(str)  # a line for the status bar

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.bezig = False
        self.laatste_fout = ""
        self._timer = QTimer(self)
        self._timer.setInterval(CONTROLE_MS)
        self._timer.timeout.connect(self.controleer)
        self._timer.start()
        session.unlocked.connect(self.controleer)
        session.closing.connect(self.bij_afsluiten)
        QTimer.singleShot(2000, self.controleer)  # after the first look, not in its way

    @property
    def map(self) -> Path:
        store = self.session.store
        return map_van(self.session.settings, store.path, store.store_id)

    @property
    def aan(self) -> bool:
        return self.session.settings.backups_automatisch and not self.session.demo

    def controleer(self) -> None:
        """The daily back-up, when it is due."""
        if not self.aan or self.bezig or self.session.is_locked or not backups.nodig(self.map, dt.datetime.now()):
            return
        self.bezig = True
        taak = self.session.store.backup_taak(self.map)

        def done(made: Backup) -> None:
            self.bezig = False
            self.laatste_fout = ""
            self.gemeld.emit(f"Automatische back-up gemaakt ({moment(made)}).")

        def failed(exc: BaseException) -> None:
            self.bezig = False
            self.laatste_fout = user_message(exc)
            self.gemeld.emit(f"Automatische back-up mislukt: {self.laatste_fout}")

        run_in_background(self, taak, done, failed)

    def bij_afsluiten(self) -> None:
        """On closing, when anything changed since the last back-up: made here and now, on this thread (the app
        is about to quit). A failure is logged, never in the way of closing."""
        if not self.aan or self.session.is_locked or not self.session.store.gewijzigd_sinds_backup:
            return
        try:
            self.session.store.backup_taak(self.map)()
        except Exception:  # noqa: BLE001 - closing goes on; the daily back-up tries again next time
            log.warning("Back-up bij afsluiten mislukt", exc_info=True)


class TerugzettenDialog(QDialog):
    """Bestand → Back-up terugzetten…: the back-ups of this store, newest first; the chosen one takes the store's
    place (its current files are kept beside it) and is opened with the wachtwoord that held when it was made."""

    def __init__(self, session: Session, map_pad: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Back-up terugzetten")
        self.setMinimumWidth(520)
        self.backups = backups.lijst(map_pad)
        uitleg = QLabel(
            "Kies de back-up die je wilt terugzetten. De huidige opslag wordt daarna niet weggegooid maar bewaard "
            "onder een andere naam in dezelfde map. Een back-up opent met het wachtwoord dat gold toen hij werd "
            "gemaakt."
        )
        uitleg.setWordWrap(True)
        self.lijst = QListWidget()
        self.lijst.setAccessibleName("Back-ups")
        for backup in self.backups:
            item = QListWidgetItem(f"{moment(backup)} — {max(1, backup.grootte // 1024):,} kB".replace(",", "."))
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.lijst.addItem(item)
        self.leeg = QLabel(f"Er zijn nog geen back-ups van deze opslag in {map_pad}.")
        self.leeg.setWordWrap(True)
        self.leeg.setVisible(not self.backups)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Terugzetten…")
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.lijst.currentRowChanged.connect(lambda row: self.ok.setEnabled(row >= 0))
        self.lijst.itemDoubleClicked.connect(lambda _item: self._terugzetten())
        self.buttons.accepted.connect(self._terugzetten)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addWidget(self.lijst)
        layout.addWidget(self.leeg)
        layout.addWidget(self.buttons)
        if self.backups:
            self.lijst.setCurrentRow(0)
        self.gekozen: Backup | None = None
        self.bewaard: Path | None = None

    def _terugzetten(self) -> None:
        row = self.lijst.currentRow()
        if row < 0:
            return
        backup = self.backups[row]
        store = self.session.store
        if not bevestig(
            self, "Back-up terugzetten",
            f"De back-up van {moment(backup)} komt in de plaats van de opslag {store.path.name}. Wat daarna is "
            "veranderd, staat alleen nog in de huidige bestanden, die bewaard blijven onder een andere naam.\n\n"
            "De opslag wordt nu vergrendeld; ontgrendel daarna met het wachtwoord dat gold op "
            f"{dutch_date(backup.gemaakt.date())}.",
            "Back-up &terugzetten en vergrendelen", waarschuwing=True,
        ):
            return
        # Locked first: every window saves and closes, undo is emptied, and the connection is closed.
        self.session.lock()
        try:
            self.bewaard = backups.zet_terug(backup, store.path, dt.datetime.now())
            store.herlaad_sleutelbestand()
        except Exception as exc:  # noqa: BLE001 - said in Dutch; the store stays as it was, locked
            QMessageBox.warning(self, "Niet teruggezet", user_message(exc))
            return
        self.session.verslagen_na_ontgrendelen.clear()
        self.gekozen = backup
        self.accept()


def bied_backup_aan(parent: QWidget | None, settings: Settings, store_path: Path, key_file: KeyFile,
                    data_key: bytes, reden: str) -> bool:
    """The store will not open (damaged): offer the newest automatic back-up that opens with the same key, and
    put it back when the user says so. True when it was put back (open the store again)."""
    map_pad = map_van(settings, store_path, key_file.store_id)
    kandidaten = [b for b in backups.lijst(map_pad) if opent_met(b.path, data_key)]
    if not kandidaten:
        return False
    backup = kandidaten[0]
    box = QMessageBox(QMessageBox.Icon.Warning, "Opslag kan niet worden geopend",
                      f"{reden}\n\nEr is een automatische back-up van {moment(backup)} die wel opent. Wil je die "
                      "terugzetten? De huidige bestanden blijven bewaard onder een andere naam in dezelfde map.",
                      parent=parent)
    terug = box.addButton("Back-up &terugzetten", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Niet nu", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(terug)
    box.exec()
    if box.clickedButton() is not terug:
        return False
    try:
        backups.zet_terug(backup, store_path, dt.datetime.now())
    except Exception as exc:  # noqa: BLE001 - said in Dutch; nothing was changed
        QMessageBox.warning(parent, "Niet teruggezet", user_message(exc))
        return False
    return True


class BackupInstellingen(QGroupBox):
    """The Back-ups group of Instellingen: on or off, and the folder (with a warning for a network or synced one)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("Automatische back-ups", parent)
        self.aan = QCheckBox("Au&tomatisch een versleutelde back-up maken (dagelijks en bij afsluiten)")
        self.aan.setChecked(settings.backups_automatisch)
        self.map = QLineEdit(settings.backup_map)
        self.map.setPlaceholderText(f"leeg: {backups.standaard_basis()}")
        self.map.setMinimumWidth(260)
        self.map.editingFinished.connect(self._controleer)
        kies = QPushButton("Kies ma&p…")
        kies.clicked.connect(self._kies)
        self.melding = QLabel()
        self.melding.setWordWrap(True)
        self.melding.setStyleSheet("color: #8a4b00;")
        self.melding.setVisible(False)
        uitleg = QLabel("Bewaard worden de nieuwste drie, één per dag van de laatste week en één per week van de "
                        "laatste vier weken; oudere verdwijnen vanzelf. Elke back-up opent met het wachtwoord dat "
                        "gold toen hij werd gemaakt.")
        uitleg.setWordWrap(True)
        rij = QHBoxLayout()
        rij.addWidget(self.map, 1)
        rij.addWidget(kies)
        vorm = QFormLayout(self)
        vorm.addRow(self.aan)
        label = QLabel("Map voor back-&ups:")
        label.setBuddy(self.map)
        vorm.addRow(label, rij)
        vorm.addRow("", self.melding)
        vorm.addRow(uitleg)
        self._controleer()

    def _kies(self) -> None:
        folder = bestandsdialoog.kies_map(self, "backupmap", "Map voor back-ups", self.map.text().strip())
        if folder is not None:
            self.map.setText(str(folder))
            self._controleer()

    def _controleer(self) -> str:
        waarschuwing = controleer_map(self.map.text())
        self.melding.setText(f"⚠ {waarschuwing}" if waarschuwing else "")
        self.melding.setVisible(bool(waarschuwing))
        return waarschuwing

    def toepassen(self, settings: Settings) -> None:
        # Saved also with a warning: the user was told, and a back-up there is better than none.
        settings.backups_automatisch = self.aan.isChecked()
        settings.backup_map = self.map.text().strip()


def controleer_map(tekst: str) -> str:
    """A warning for a back-up folder on a network share or in a synced folder ("" when it is fine)."""
    from ontkoppel_desktop import opslaglocatie

    if not tekst.strip():
        return ""
    oordeel = opslaglocatie.beoordeel(Path(tekst))
    if oordeel.soort is opslaglocatie.Soort.NETWERK:
        return (f"De map {tekst} staat op een netwerkschijf: een back-up wordt er alleen gemaakt als het netwerk "
                "bereikbaar is, en kan half blijven als de verbinding wegvalt. Kies liever een map op deze computer "
                "of een externe schijf.")
    if oordeel.soort is opslaglocatie.Soort.GESYNCHRONISEERD:
        return (f"{oordeel.reden.split('.')[0]}. De back-ups zijn versleuteld, maar komen zo wel in de cloud te "
                "staan. Kies liever een map op deze computer of een externe schijf.")
    return ""


__all__ = [
    "AutomatischeBackups", "BackupInstellingen", "TerugzettenDialog", "basis", "bied_backup_aan", "controleer_map",
    "map_van", "moment",
]
