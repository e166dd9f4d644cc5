"""Bestand › Verbinden met instituut…: enrolling this laptop, the outbox in the status bar, Nu synchroniseren,
and the events the server refused with its message (instituut/ does the work; server/README.md the server).

The network runs on a worker thread (run_in_background); the store is read and written on this, the UI thread,
only: before (what to send) and after (what the server answered, what was pulled).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import sqlcipher3
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.instituut import outbox, sleutels, sync, verslagen
from ontkoppel_desktop.instituut.client import InstituutFout
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.vraag import bevestig

# Plain HTTP to the server only with this explicit setting, for tests and development on 127.0.0.1 (the server's
# own ONTKOPPEL_SERVER_HTTP_TOESTAAN); never a choice in the window.
HTTP_TOESTAAN = "ONTKOPPEL_INSTITUUT_HTTP_TOESTAAN"
AUTOMATISCH_MS = 5 * 60 * 1000


def verbinding_of_geen(session: Session) -> outbox.Verbinding | None:
    """The connection for what the window shows by itself (status bar, navigation, the timer): none while locked,
    and none when the file cannot be read there (a damaged page: the background check reports it and offers the
    back-up; the window must still open to say so)."""
    if session.is_locked:
        return None
    try:
        return outbox.verbinding(session.store.conn)
    except sqlcipher3.DatabaseError:
        return None


def http_toegestaan(adres: str) -> bool:
    host = adres.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return os.environ.get(HTTP_TOESTAAN) == "1" and host in ("127.0.0.1", "localhost", "[::1]")


class Synchronisatie(QObject):
    """One synchronisation at a time, for the whole window: prepare here, network on a thread, apply here."""

    klaar = Signal(object)  # sync.Verslag
    bezig_veranderd = Signal(bool)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.bezig = False
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOMATISCH_MS)
        self.timer.timeout.connect(self.start)
        self.timer.start()

    def verbonden(self) -> bool:
        return verbinding_of_geen(self.session) is not None

    def start(self) -> None:
        if self.bezig or not self.verbonden():
            return
        werk = sync.voorbereiden(self.session.store.conn, store=self.session.store)
        if werk is None:
            return
        self.bezig = True
        self.bezig_veranderd.emit(True)
        run_in_background(self, lambda: sync.netwerk(werk), lambda uitkomst: self._verwerk(werk, uitkomst),
                          self._mislukt)

    def _verwerk(self, werk: sync.Werk, uitkomst: sync.Uitkomst) -> None:
        self.bezig = False
        self.bezig_veranderd.emit(False)
        if self.session.is_locked:
            return  # locked meanwhile: the outbox is as it was, the next round sends it again
        store = self.session.store
        verslag = sync.verwerk(store.conn, store.trajecten.record_event, werk, uitkomst, store)
        veranderd = verslag.toegepast.trajecten
        changes = c.Changes.of_ids(c.TRAJECT, veranderd) if veranderd else c.NONE
        if verslag.toegepast.gedeeld or verslag.verstuurd or verslag.geweigerd or uitkomst.blokkades is not None:
            changes = changes | c.Changes.all_of(c.GEDEELD)
        if verslag.verslagen_gearchiveerd or verslag.verslagen_verstuurd or verslag.verslagen_ontvangen:
            # Sent (verstuurd noted, its step recorded), archived by their receiver, or received: reload them.
            changes = changes | c.Changes.all_of(c.VERSLAG, c.GEDEELD, c.TRAJECT)
        # The institute's Personen as this laptop mirrors them: Personen, Trajecten and the board show them.
        changes = changes | verslag.personen
        self.session.announce(changes, self)
        self.klaar.emit(verslag)
        if verslag.meer:
            QTimer.singleShot(0, self.start)

    def _mislukt(self, exc: BaseException) -> None:
        self.bezig = False
        self.bezig_veranderd.emit(False)
        self.klaar.emit(sync.Verslag(fout=InstituutFout(f"Synchroniseren is mislukt: {exc}")))


def sleutel_tekst(conn: Any) -> str:
    """This user's key and the institute's, in words (fingerprints to compare by phone or on paper)."""
    eigen = sleutels.eigen_vingerafdruk(conn)
    ondertekend = conn.execute("SELECT sleutel_ondertekend FROM instituut WHERE id = 1").fetchone()
    if ondertekend and ondertekend[0]:
        tekst = f"Uw sleutel ({eigen}) is bevestigd door het instituut."
    else:
        tekst = (f"Uw sleutel wacht op bevestiging door IT van het instituut. Lees IT deze vingerafdruk voor als zij "
                 f"erom vragen: {eigen}")
    instituut = sleutels.instituut_sleutel(conn)
    if instituut is not None:
        from ontkoppel_desktop.instituut.verzegeling import vingerafdruk_instituut

        tekst += f"\nVingerafdruk van het instituut: {vingerafdruk_instituut(instituut)}"
    return tekst


def wachtrij_tekst(wachtrij: outbox.Wachtrij) -> str:
    if not wachtrij.aantal and not wachtrij.geweigerd:
        return "Alles verzonden naar het instituut"
    delen = []
    if wachtrij.aantal:
        woord = "wijziging wacht" if wachtrij.aantal == 1 else "wijzigingen wachten"
        sinds = ""
        if wachtrij.sinds is not None:
            from datetime import date

            sinds = (f" sinds {wachtrij.sinds:%H:%M}" if wachtrij.sinds.date() == date.today()
                     else f" sinds {wachtrij.sinds:%d-%m-%Y %H:%M}")
        delen.append(f"{wachtrij.aantal} {woord} op verzending{sinds}")
    if wachtrij.geweigerd:
        delen.append(f"{wachtrij.geweigerd} geweigerd door het instituut")
    return "; ".join(delen)


class InstituutLabel(QLabel):
    """The status bar's word on the outbox; hidden while the store is not connected to an institute."""

    def __init__(self, session: Session, synchronisatie: Synchronisatie, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Instituut")
        session.changed.connect(lambda *_: self.ververs())
        session.unlocked.connect(self.ververs)
        session.locked.connect(self.hide)
        synchronisatie.klaar.connect(lambda _: self.ververs())
        synchronisatie.bezig_veranderd.connect(lambda _: self.ververs())
        self.synchronisatie = synchronisatie
        self.ververs()

    def ververs(self) -> None:
        if self.session.is_locked:
            self.hide()
            return
        conn = self.session.store.conn
        verbinding = verbinding_of_geen(self.session)
        if verbinding is None:
            self.hide()
            return
        tekst = wachtrij_tekst(outbox.wachtrij(conn))
        wachtende_verslagen = len(verslagen.wachtend(conn))
        if wachtende_verslagen:
            tekst += f"; {wachtende_verslagen} verslag{'en' if wachtende_verslagen > 1 else ''} wacht" + (
                "en" if wachtende_verslagen > 1 else "")
        if self.synchronisatie.bezig:
            tekst += " — bezig met synchroniseren…"
        self.setText(tekst)
        self.setToolTip(f"Verbonden met {verbinding.server} als {verbinding.account}."
                        + (f"\nLaatste fout: {verbinding.laatste_fout}" if verbinding.laatste_fout else ""))
        self.show()


class VerbindDialoog(QDialog):
    """Server address, account and wachtwoord; the laptop enrols and gets its token. Errors stay in the window."""

    verbonden = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Verbinden met instituut")
        vorige = outbox.verbinding(session.store.conn)
        self.adres = QLineEdit(vorige.server if vorige else "")
        self.adres.setPlaceholderText("https://ontkoppel.instituut.nl")
        self.account = QLineEdit(vorige.account if vorige else "")
        self.wachtwoord = QLineEdit()
        self.wachtwoord.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_bundel = QLineEdit(vorige.ca_bundel or "" if vorige else "")
        self.ca_bundel.setPlaceholderText("alleen als IT van het instituut er een gaf")
        kies = QPushButton("Kie&zen…")
        kies.clicked.connect(self._kies_bundel)
        bundel = QHBoxLayout()
        bundel.addWidget(self.ca_bundel)
        bundel.addWidget(kies)
        form = QFormLayout()
        form.addRow("&Adres van de server:", self.adres)
        form.addRow("&Gebruikersnaam:", self.account)
        form.addRow("&Wachtwoord:", self.wachtwoord)
        form.addRow("&CA-bundel (optioneel):", bundel)
        uitleg = QLabel("Deze laptop meldt zich aan bij de instituutsserver met uw account. Het wachtwoord wordt niet "
                        "bewaard; de laptop krijgt een eigen toegangssleutel, die versleuteld in de opslag staat.")
        uitleg.setWordWrap(True)
        self.melding = QLabel()
        self.melding.setObjectName("melding")
        self.melding.setWordWrap(True)
        self.melding.setStyleSheet("color: #a4000f;")
        self.melding.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.verbind_knop = self.buttons.addButton("&Verbinden", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.verbind)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addLayout(form)
        layout.addWidget(self.melding)
        layout.addWidget(self.buttons)
        session.locked.connect(self.reject)
        (self.wachtwoord if vorige else self.adres).setFocus()

    def _kies_bundel(self) -> None:
        pad, _ = QFileDialog.getOpenFileName(self, "CA-bundel kiezen", "", "Certificaten (*.pem *.crt *.cer);;Alle "
                                             "bestanden (*)")
        if pad:
            self.ca_bundel.setText(pad)

    def toon_fout(self, tekst: str) -> None:
        self.melding.setText(tekst)
        self.melding.show()
        self.verbind_knop.setEnabled(True)
        self.wachtwoord.selectAll()
        self.wachtwoord.setFocus()

    def verbind(self) -> None:
        adres, account, wachtwoord = self.adres.text(), self.account.text(), self.wachtwoord.text()
        bundel = self.ca_bundel.text().strip() or None
        http = http_toegestaan(adres)
        # This user's key pair, made here (on the store's thread) the first time: its public half enrols with the
        # laptop, so the institute can seal verslagen to this user once IT confirmed its fingerprint.
        publiek = sleutels.eigen_paar(self.session.store.conn).publiek.naar_json()
        self.verbind_knop.setEnabled(False)
        self.melding.setText("Verbinden…")
        self.melding.show()

        def klaar(result: tuple[str, dict[str, Any]]) -> None:
            if not isValid(self) or self.session.is_locked:
                return  # cancelled or locked meanwhile: not connected (the server has an unused laptop entry)
            server, answer = result
            conn = self.session.store.conn
            gepind = conn.execute("SELECT instituut_ondertekening FROM instituut WHERE server = ?",
                                  (server,)).fetchone()
            vinger = sleutels.instituut_vingerafdruk(answer.get("instituut"))
            if vinger and not (gepind and gepind[0]) and not bevestig(
                self, "Vingerafdruk van het instituut",
                f"De server geeft deze vingerafdruk van de sleutel van het instituut:\n\n{vinger}\n\nVergelijk "
                "hem met de vingerafdruk die IT van het instituut bekendmaakte (intranet, e-mail of op papier). "
                "Alleen als ze gelijk zijn, is dit echt de server van het instituut.",
                "Gelijk, &verbinden", niet_doen="Niet gelijk, &stoppen",
            ):
                self.toon_fout("Niet verbonden: de vingerafdruk van het instituut is niet bevestigd. Neem contact op "
                               "met IT van het instituut.")
                return
            outbox.verbind(conn, server, answer, ca_bundel=bundel, http_toegestaan=http)
            self.wachtwoord.clear()
            self.verbonden.emit()
            self.accept()

        def fout(exc: BaseException) -> None:
            if not isValid(self):
                return
            self.toon_fout(str(exc) if isinstance(exc, InstituutFout) else f"Verbinden is mislukt: {exc}")

        # The worker belongs to the window, not to this dialog: cancelling must not destroy a running thread.
        run_in_background(self.parent() or self, lambda: sync.aanmelden(
            adres, account, wachtwoord, ca_bundel=bundel, http_toegestaan=http, sleutels=publiek), klaar, fout)


class InstituutDialoog(QDialog):
    """The connection, what waits, Nu synchroniseren, and what the institute refused (with its message)."""

    verbroken = Signal()

    def __init__(self, session: Session, synchronisatie: Synchronisatie, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.synchronisatie = synchronisatie
        self.setWindowTitle("Instituut")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.resultaat = QLabel()
        self.resultaat.setWordWrap(True)
        self.nu = QPushButton("&Nu synchroniseren")
        self.nu.clicked.connect(synchronisatie.start)
        self.aanmelden = QPushButton("&Opnieuw aanmelden…")
        self.aanmelden.clicked.connect(self._aanmelden)
        knoppen = QHBoxLayout()
        self.verbreken = QPushButton("Verbinding ver&breken…")
        self.verbreken.clicked.connect(self._verbreek)
        knoppen.addWidget(self.nu)
        knoppen.addWidget(self.aanmelden)
        knoppen.addStretch()
        knoppen.addWidget(self.verbreken)
        self.geweigerd = QListWidget()
        self.geweigerd.setAccessibleName("Geweigerd door het instituut")
        self.geweigerd.setWordWrap(True)
        self.opnieuw = QPushButton("Opnieuw &proberen")
        self.opnieuw.setToolTip("Stuur de geweigerde gebeurtenissen opnieuw, bijvoorbeeld nadat u de oorzaak hebt "
                                "opgelost.")
        self.opnieuw.clicked.connect(self._opnieuw)
        # A step this laptop recorded on a shared traject (another laptop's) was never a local record: once the
        # user read why the institute refused it, they may let it go. Events of local trajecten stay.
        self.niet_versturen = QPushButton("&Niet meer versturen…")
        self.niet_versturen.setToolTip("Laat een geweigerde stap op een gedeeld traject vallen (alleen daar: op "
                                       "eigen trajecten blijft alles bewaard).")
        self.niet_versturen.clicked.connect(self._niet_versturen)
        self.geweigerd.currentRowChanged.connect(lambda _: self._knoppen())
        groep = QGroupBox("Geweigerd door het instituut (blijft bewaard op deze laptop)")
        g = QVBoxLayout(groep)
        g.addWidget(self.geweigerd)
        rij = QHBoxLayout()
        rij.addStretch()
        rij.addWidget(self.niet_versturen)
        rij.addWidget(self.opnieuw)
        g.addLayout(rij)
        self.verslagen = QListWidget()
        self.verslagen.setAccessibleName("Verslagen die wachten op verzending")
        self.verslagen.setWordWrap(True)
        verslag_groep = QGroupBox("Afgeronde verslagen die wachten op verzending (verzegeld voor hun lezers)")
        QVBoxLayout(verslag_groep).addWidget(self.verslagen)
        self.verslag_groep = verslag_groep
        self.gedeeld = QLabel()
        self.gedeeld.setWordWrap(True)
        sluiten = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        sluiten.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(knoppen)
        layout.addWidget(self.resultaat)
        layout.addWidget(groep)
        layout.addWidget(verslag_groep)
        layout.addWidget(self.gedeeld)
        layout.addWidget(sluiten)
        synchronisatie.klaar.connect(self._klaar)
        synchronisatie.bezig_veranderd.connect(lambda _: self.ververs())
        session.locked.connect(self.reject)
        self.resize(640, 480)
        self.ververs()

    def ververs(self) -> None:
        if self.session.is_locked:
            return
        conn = self.session.store.conn
        v = outbox.verbinding(conn)
        if v is None:
            self.status.setText("Deze opslag is niet verbonden met een instituut.")
            return
        regels = [f"Verbonden met {v.server} als {v.account_naam or v.account} ({v.account}), laptop "
                  f"‘{v.laptop_naam}’.", wachtrij_tekst(outbox.wachtrij(conn)) + "."]
        if v.laatst_gesynchroniseerd:
            regels.append(f"Laatst gesynchroniseerd: {v.laatst_gesynchroniseerd.replace('T', ' ')}.")
        if v.laatste_fout:
            regels.append(f"Laatste fout: {v.laatste_fout.split(': ', 1)[-1]}")
        regels.append(sleutel_tekst(conn))
        self.status.setText("\n".join(regels))
        self.nu.setEnabled(not self.synchronisatie.bezig)
        self.geweigerd.clear()
        namen = {g.uuid: g.kop.get("aios_naam") or "" for g in outbox.gedeelde_trajecten(conn)}
        for w in outbox.weigeringen(conn):
            if w.traject_id is not None:
                wat = f"Traject {w.traject_id}"
            else:
                wat = f"Gedeeld traject van {namen.get(w.traject_uuid) or 'een andere laptop'}"
            soort = EventKind(w.soort).label if w.soort in EventKind._value2member_map_ else w.soort
            item = QListWidgetItem(f"{wat}: {soort} van {w.datum} — {w.melding}")
            item.setData(Qt.ItemDataRole.UserRole, (w.event_id, w.traject_id is None))
            self.geweigerd.addItem(item)
        self.opnieuw.setEnabled(self.geweigerd.count() > 0)
        self._knoppen()
        self.verslagen.clear()
        for w in verslagen.wachtend(conn):
            verslag = self.session.store.verslagen.get(w.verslag_id)
            aios = self.session.store.verslagen.context(verslag.traject_id).aios
            stand = ("geweigerd door het instituut: " if w.geweigerd else "") + (w.melding or "wacht op de volgende "
                                                                                "synchronisatie")
            self.verslagen.addItem(f"Verslag {verslag.gesprek.replace('_', ' ')} (versie {verslag.versie}) van "
                                   f"{aios}: {stand}")
        self.verslag_groep.setVisible(self.verslagen.count() > 0)
        aantal = len(outbox.gedeelde_trajecten(conn))
        self.gedeeld.setText(f"Gedeeld door anderen (alleen lezen): {aantal} trajecten." if aantal else "")

    def _klaar(self, verslag: sync.Verslag) -> None:
        tekst = verslag.samenvatting()
        if verslag.toegepast.conflicten:
            tekst += "\nNiet toe te passen op deze laptop (bewaard als gedeeld, alleen lezen):\n" + "\n".join(
                verslag.toegepast.conflicten)
        self.resultaat.setText(tekst)
        self.ververs()

    def _knoppen(self) -> None:
        item = self.geweigerd.currentItem()
        self.niet_versturen.setEnabled(item is not None and bool(item.data(Qt.ItemDataRole.UserRole)[1]))

    def _niet_versturen(self) -> None:
        item = self.geweigerd.currentItem()
        if item is None or not item.data(Qt.ItemDataRole.UserRole)[1]:
            return
        if not bevestig(self, "Niet meer versturen", f"{item.text()}\n\nDeze stap wordt niet meer naar het instituut "
                        "gestuurd en verdwijnt van deze laptop. Leg hem zo nodig opnieuw vast, nu het traject is "
                        "bijgewerkt.", "&Niet meer versturen"):
            return
        outbox.vergeet_wachtend(self.session.store.conn, item.data(Qt.ItemDataRole.UserRole)[0])
        self.session.announce(c.Changes.all_of(c.GEDEELD), self)
        self.ververs()

    def _verbreek(self) -> None:
        wacht = outbox.wachtrij(self.session.store.conn)
        tekst = ("Deze laptop stopt met synchroniseren met het instituut. Wat het instituut met u deelde (trajecten "
                 "van anderen, Personen, blokkades) verdwijnt van deze laptop; uw eigen trajecten en verslagen, en de "
                 "verslagen die voor u verzegeld zijn, blijven.")
        if wacht.aantal:
            tekst += (f"\n\n{wacht.aantal} wijziging(en) zijn nog niet verstuurd. Ze gaan mee zodra u opnieuw "
                      "verbindt.")
        if not bevestig(self, "Verbinding verbreken", tekst, "Ver&breken", waarschuwing=True):
            return
        outbox.verbreek(self.session.store.conn)
        self.session.announce(c.Changes.all_of(c.GEDEELD, c.TRAJECT), self)
        self.verbroken.emit()
        self.accept()

    def _opnieuw(self) -> None:
        outbox.opnieuw_proberen(self.session.store.conn)
        self.ververs()
        self.synchronisatie.start()

    def _aanmelden(self) -> None:
        dialoog = VerbindDialoog(self.session, self)
        dialoog.verbonden.connect(self.ververs)
        dialoog.verbonden.connect(self.synchronisatie.start)
        dialoog.open()


def open_instituut(parent: QWidget, session: Session, synchronisatie: Synchronisatie,
                   on_verbonden: Callable[[], None] | None = None) -> QDialog:
    """Bestand › Verbinden met instituut…: the connection form when not connected, else the institute window."""
    dialoog: QDialog
    if outbox.verbinding(session.store.conn) is None:
        verbind = VerbindDialoog(session, parent)
        verbind.verbonden.connect(synchronisatie.start)
        if on_verbonden is not None:
            verbind.verbonden.connect(on_verbonden)
        dialoog = verbind
    else:
        instituut = InstituutDialoog(session, synchronisatie, parent)
        if on_verbonden is not None:
            instituut.verbroken.connect(on_verbonden)  # the window shows or hides what depends on a connection
        dialoog = instituut
    dialoog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialoog.open()
    return dialoog


__all__ = ["InstituutDialoog", "InstituutLabel", "Synchronisatie", "VerbindDialoog", "open_instituut"]
