"""The archive export in the app: the definitief verslagen of one traject (from its Verslagen tab), or of every
traject afgerond in a period (from the Verslagen section), as PDF and/or Word in a folder the user chooses, one
folder inside it for the e-portfolio and one for the dossier opleider (core.verslagen.archief, documents.archief).

The files are rendered and written on a worker thread; the store's connection stays with the UI thread, which
answers the worker's request for each verslag's content (`_Brug`) between two events, so the window stays
responsive and Annuleren stops between two files. Afterwards the verslagen whose files are all written are
recorded as geëxporteerd; gearchiveerd stays the jaarassistent's to confirm after uploading
(Verstuurd / gearchiveerd…).
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from html import escape
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.verslagen.archief import (
    ArchiefFout,
    ArchiefPlan,
    ArchiefStuk,
    ArchiefVerslag,
    Formaat,
    kies_periode,
    kies_traject,
    maak_plan,
    map_naam,
    nog_te_exporteren,
)
from ontkoppel_desktop.core.verslagen.verslag import ARCHIEFPLEKKEN
from ontkoppel_desktop.documents.archief import (
    ArchiefResultaat,
    ArchiefSchrijfFout,
    InhoudLezer,
    VerslagInhoud,
    Voortgang,
    schrijf_archief,
)
from ontkoppel_desktop.documents.profiel import profiel_uit
from ontkoppel_desktop.store.store import VergrendeldFout
from ontkoppel_desktop.ui import bestandsdialoog, na_export, operations
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.dutch import datum, pydate
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.widgets import date_edit

TITEL = "Archiefexport"


class _Brug(QObject):
    """Between the writing thread and the UI thread: the worker asks a verslag's content here and waits for it
    (the store's connection belongs to the UI thread), and reports each file written."""

    gevraagd = Signal(object, object)  # ArchiefStuk, Future[VerslagInhoud]
    geschreven = Signal(int, int, str)

    def __init__(self, session: Session, stop: threading.Event, parent: QObject) -> None:
        super().__init__(parent)
        self._session = session
        self._stop = stop
        self._lezer: InhoudLezer | None = None
        # Emitted from the worker, so queued: the slot runs on this object's (the UI) thread.
        self.gevraagd.connect(self._beantwoord)

    def _beantwoord(self, stuk: ArchiefStuk, future: Future[VerslagInhoud]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            if self._session.is_locked:
                raise VergrendeldFout()
            if self._lezer is None:
                store = self._session.store
                self._lezer = InhoudLezer(store.verslagen, store.bijlagen,
                                          profiel=profiel_uit(self._session.settings)[0])
            future.set_result(self._lezer(stuk))
        except BaseException as exc:  # noqa: BLE001 - handed to the worker, which reports it
            future.set_exception(exc)

    # ---- on the worker thread ----------------------------------------------------------------------------

    def lees(self, stuk: ArchiefStuk) -> VerslagInhoud:
        future: Future[VerslagInhoud] = Future()
        self.gevraagd.emit(stuk, future)
        while True:
            try:
                return future.result(timeout=0.2)
            except FutureTimeout:
                # Stopped while the UI thread no longer answers (the dialog closed, the store locked).
                if self._stop.is_set() and future.cancel():
                    raise ArchiefFout("De export is gestopt.") from None

    def voortgang(self, v: Voortgang) -> None:
        self.geschreven.emit(v.gedaan, v.totaal, str(v.pad) if v.pad is not None else "")


class ArchiefExportDialog(QDialog):
    """Choose what (a traject's verslagen, or those afgerond in a period), where and in which formats; then the
    export with its progress, and at the end what was written where."""

    def __init__(self, session: Session, parent: QWidget | None = None, *, traject_id: int | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.traject_id = traject_id
        self.today = today or dt.date.today()
        self.setWindowTitle(f"{TITEL}: verslagen van dit traject" if traject_id is not None else
                            f"{TITEL}: definitieve verslagen")
        self.plan: ArchiefPlan | None = None
        self.resultaat: ArchiefResultaat | None = None
        self.fout_tekst: str | None = None
        self._stop = threading.Event()
        self._bezig = False
        self._sluit_na_afloop = False  # closing was asked while writing: close once the worker has stopped
        self.progress: QProgressDialog | None = None
        self._keuze: list[ArchiefVerslag] = []

        uitleg = QLabel(
            "De definitieve verslagen als document, in een map voor het <b>e-portfolio aios</b> en een map voor "
            "het <b>dossier opleider</b>, met hun bijlagen erbij. Een reflectieverslag komt alleen in het "
            "e-portfolio als de aios daarvoor koos. Bestanden met dezelfde naam in die mappen worden vervangen.")
        uitleg.setWordWrap(True)
        grid = QGridLayout()
        row = 0
        self.van = date_edit(_begin_vorige_maand(self.today))
        self.van.setAccessibleName("Afgerond vanaf")
        self.tot = date_edit(self.today)
        self.tot.setAccessibleName("Afgerond tot en met")
        self.alleen_nieuw = QCheckBox("Alleen verslagen die nog niet zijn &geëxporteerd")
        self.alleen_nieuw.setToolTip("Verslagen die een eerdere export al voor elke plek schreef, blijven weg")
        if traject_id is None:
            van_label = QLabel("Afgerond &van:")
            van_label.setBuddy(self.van)
            tot_label = QLabel("&tot en met:")
            tot_label.setBuddy(self.tot)
            periode = QHBoxLayout()
            periode.addWidget(self.van)
            periode.addWidget(tot_label)
            periode.addWidget(self.tot)
            periode.addStretch(1)
            grid.addWidget(van_label, row, 0)
            grid.addLayout(periode, row, 1)
            row += 1
            grid.addWidget(self.alleen_nieuw, row, 1)
            row += 1
        else:
            for w in (self.van, self.tot, self.alleen_nieuw):
                w.hide()
            wie = QLabel(escape(_traject_tekst(session, traject_id)))
            grid.addWidget(QLabel("Traject:"), row, 0)
            grid.addWidget(wie, row, 1)
            row += 1
        self.map = QLineEdit()
        self.map.setAccessibleName("Map")
        self.map.setPlaceholderText("Kies een map…")
        self.map.setReadOnly(True)
        self.kiezen = QPushButton("&Kiezen…")
        self.kiezen.setToolTip("De map waarin de mappen 'e-portfolio aios' en 'dossier opleider' komen")
        self.kiezen.clicked.connect(self.kies_map)
        map_rij = QHBoxLayout()
        map_rij.addWidget(self.map, 1)
        map_rij.addWidget(self.kiezen)
        map_label = QLabel("&Map:")
        map_label.setBuddy(self.kiezen)
        grid.addWidget(map_label, row, 0)
        grid.addLayout(map_rij, row, 1)
        row += 1
        self.pdf = QCheckBox("&PDF")
        self.pdf.setChecked(True)
        self.word = QCheckBox("&Word (.docx)")
        formaten = QHBoxLayout()
        formaten.addWidget(self.pdf)
        formaten.addWidget(self.word)
        formaten.addStretch(1)
        grid.addWidget(QLabel("Als:"), row, 0)
        grid.addLayout(formaten, row, 1)
        self.telling = QLabel()
        self.telling.setAccessibleName("Wat er wordt geëxporteerd")
        self.telling.setWordWrap(True)
        self.fout = QLabel()
        self.fout.setObjectName("fout")
        self.fout.setStyleSheet("color: #b3261e;")
        self.fout.setWordWrap(True)
        self.fout.hide()
        self.samenvatting = QLabel()
        self.samenvatting.setAccessibleName("Samenvatting")
        self.samenvatting.setWordWrap(True)
        self.samenvatting.setTextFormat(Qt.TextFormat.RichText)
        self.samenvatting.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.samenvatting.hide()

        self.knoppen = QDialogButtonBox()
        self.exporteren = self.knoppen.addButton("&Exporteren", QDialogButtonBox.ButtonRole.AcceptRole)
        self.exporteren.setDefault(True)
        self.map_openen = self.knoppen.addButton("Map &openen", QDialogButtonBox.ButtonRole.ActionRole)
        self.map_openen.hide()
        self.sluiten = self.knoppen.addButton(QDialogButtonBox.StandardButton.Close)
        self.exporteren.clicked.connect(self.start)
        self.map_openen.clicked.connect(self.open_map)
        self.sluiten.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addLayout(grid)
        layout.addWidget(self.telling)
        layout.addWidget(self.fout)
        layout.addWidget(self.samenvatting)
        layout.addWidget(self.knoppen)
        self.resize(620, self.sizeHint().height())

        # Counting reads the store: a moment after the dates stop changing, not on every step of a spin box.
        self._tellen = QTimer(self, singleShot=True, interval=250)
        self._tellen.timeout.connect(self.tel)
        for edit in (self.van, self.tot):
            edit.dateChanged.connect(lambda _: self._tellen.start())
        self.alleen_nieuw.toggled.connect(lambda _: self._tellen.start())
        for check in (self.pdf, self.word):
            check.toggled.connect(lambda _: self._update())
        session.before_lock.connect(self._on_lock)
        self.tel()

    # ---- choosing ------------------------------------------------------------------------------------

    @property
    def formaten(self) -> tuple[Formaat, ...]:
        return tuple(f for f, check in ((Formaat.PDF, self.pdf), (Formaat.WORD, self.word)) if check.isChecked())

    def kies_map(self) -> None:
        gekozen = bestandsdialoog.kies_map(self, "archief", "Map voor de archiefexport kiezen", self.map.text())
        if gekozen is not None:
            self.map.setText(str(gekozen))
        self._update()

    def kies(self) -> list[ArchiefVerslag]:
        """The verslagen the export would write now."""
        service = self.session.store.verslagen
        if self.traject_id is not None:
            return kies_traject(service, self.traject_id, self.today)
        gekozen = kies_periode(service, pydate(self.van.date()), pydate(self.tot.date()), self.today)
        return nog_te_exporteren(gekozen) if self.alleen_nieuw.isChecked() else gekozen

    def tel(self) -> None:
        if self.session.is_locked or self._bezig:
            return
        keuze, fout = operations.attempt(self.kies)
        self._keuze = keuze or []
        if fout is not None:
            self.telling.setText(fout)
        elif not self._keuze:
            self.telling.setText("Dit traject heeft nog geen definitief verslag om te exporteren." if
                                 self.traject_id is not None else
                                 "Er zijn geen definitieve verslagen afgerond in deze periode"
                                 + (" die nog niet zijn geëxporteerd." if self.alleen_nieuw.isChecked() else "."))
        else:
            al = sum(1 for a in self._keuze if a.verslag.geexporteerd_op)
            n = len(self._keuze)
            self.telling.setText(f"{n} definitieve {'verslag' if n == 1 else 'verslagen'}"
                                 + (f", waarvan {al} al eerder geëxporteerd" if al else "") + ".")
        self._update()

    def _update(self) -> None:
        klaar = bool(self._keuze) and bool(self.map.text()) and bool(self.formaten) and not self._bezig
        self.exporteren.setEnabled(klaar)
        if not self.formaten:
            self.exporteren.setToolTip("Kies PDF, Word of beide")
        elif not self.map.text():
            self.exporteren.setToolTip("Kies eerst een map")
        else:
            self.exporteren.setToolTip("")

    # ---- exporting -----------------------------------------------------------------------------------

    def start(self) -> None:
        if self._bezig or not self.exporteren.isEnabled():
            return
        self._zeg_fout("")
        self.samenvatting.hide()
        self.map_openen.hide()
        keuze, fout = operations.attempt(self.kies)
        if fout is None and not keuze:
            fout = "Er is niets te exporteren."
        plan = None
        if fout is None:
            plan, fout = operations.attempt(lambda: maak_plan(keuze or [], Path(self.map.text()), self.formaten))
        if fout is not None or plan is None:
            self._zeg_fout(fout or "")
            return
        self.plan = plan
        self.resultaat, self.fout_tekst = None, None
        self._stop.clear()
        self._bezig = True
        self._update()
        for w in (self.van, self.tot, self.alleen_nieuw, self.kiezen, self.pdf, self.word):
            w.setEnabled(False)
        progress = QProgressDialog("Bestanden schrijven…", "Annuleren", 0, plan.aantal_bestanden, self)
        progress.setWindowTitle(TITEL)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self.annuleer)
        progress.setValue(0)
        self.progress = progress
        brug = _Brug(self.session, self._stop, self)
        brug.geschreven.connect(self._geschreven)
        stop = self._stop

        def werk() -> ArchiefResultaat:
            return schrijf_archief(plan, brug.lees, voortgang=brug.voortgang, gestopt=stop.is_set)

        run_in_background(self, werk, self._klaar, self._mislukt)

    def _zeg_fout(self, tekst: str) -> None:
        self.fout.setText(tekst)
        self.fout.setVisible(bool(tekst))

    def annuleer(self) -> None:
        if not self._bezig:
            return
        self._stop.set()
        # (Annuleren also hides the progress dialog: the word goes where it stays visible.)
        self.telling.setText("Stoppen na het bestand dat nu wordt geschreven…")
        if self.progress is not None:
            self.progress.setLabelText("Stoppen na het bestand dat nu wordt geschreven…")

    def _geschreven(self, gedaan: int, totaal: int, pad: str) -> None:
        progress = self.progress
        if progress is None or self._stop.is_set():
            return
        if pad:
            p = Path(pad)
            progress.setLabelText(f"{gedaan} van {totaal} bestanden geschreven\n{p.parent.name}/{p.name}")
        # Last: a window-modal progress dialog handles pending events in setValue, the export's end among them.
        progress.setValue(gedaan)

    def _klaar(self, resultaat: ArchiefResultaat) -> None:
        self._einde(resultaat, None)

    def _mislukt(self, exc: BaseException) -> None:
        if isinstance(exc, ArchiefSchrijfFout):
            resultaat = exc.resultaat
            if self._stop.is_set():  # stopped while waiting for the store: a stop, not a failure
                resultaat.gestopt = True
                self._einde(resultaat, None)
                return
            self._einde(resultaat, str(exc))
        else:
            self._einde(None, operations.user_message(exc))

    def _einde(self, resultaat: ArchiefResultaat | None, fout: str | None) -> None:
        self._bezig = False
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.resultaat, self.fout_tekst = resultaat, fout
        vastgelegd = ""
        if resultaat is not None and resultaat.klaar and not self.session.is_locked:
            service, klaar, today = self.session.store.verslagen, dict(resultaat.klaar), self.today
            changes = operations.change(self, self.session, lambda: service.zet_geexporteerd(klaar, today),
                                        initiator=self, title=TITEL)
            if changes is not None:
                n = len(klaar)
                vastgelegd = (f"<p>{n} {'verslag is' if n == 1 else 'verslagen zijn'} vastgelegd als "
                              f"<b>geëxporteerd</b> op {escape(datum(today))}. Zet de bestanden in het e-portfolio "
                              "en het dossier, en bevestig daarna per verslag <b>gearchiveerd</b> "
                              "(Verstuurd / gearchiveerd…).</p>")
        elif resultaat is not None and resultaat.klaar:
            vastgelegd = "<p>De opslag is vergrendeld: 'geëxporteerd' is niet vastgelegd.</p>"
        self.samenvatting.setText(_samenvatting(self.plan, resultaat, fout) + vastgelegd)
        self.samenvatting.show()
        self.map_openen.setVisible(resultaat is not None and resultaat.aantal > 0)
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        for w in (self.van, self.tot, self.alleen_nieuw, self.kiezen, self.pdf, self.word):
            w.setEnabled(True)
        self.tel()
        if self._sluit_na_afloop:
            self.done(QDialog.DialogCode.Rejected)
        elif resultaat is not None and fout is None and not resultaat.gestopt and resultaat.aantal and self.plan:
            n = resultaat.aantal
            na_export.klaar(self, TITEL, f"{n} {'bestand' if n == 1 else 'bestanden'} geschreven, in de mappen "
                            f"'{map_naam(ARCHIEFPLEKKEN[0])}' en '{map_naam(ARCHIEFPLEKKEN[1])}' van deze map. "
                            "Ze staan onversleuteld op schijf, buiten de opslag; bewaar ze veilig.", self.plan.map)

    def open_map(self) -> None:
        if self.plan is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.plan.map)))

    # ---- closing -------------------------------------------------------------------------------------

    def _on_lock(self) -> None:
        self._stop.set()
        self._sluit_na_afloop = True
        if not self._bezig:
            self.done(QDialog.DialogCode.Rejected)

    def reject(self) -> None:
        if self._bezig:  # the worker finishes the file it writes first; the dialog closes when it has stopped
            self.annuleer()
            self._sluit_na_afloop = True
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self._bezig:
            self.reject()
            event.ignore()
            return
        super().closeEvent(event)


def _samenvatting(plan: ArchiefPlan | None, resultaat: ArchiefResultaat | None, fout: str | None) -> str:
    """What was written where, in a few lines."""
    regels = []
    if fout is not None:
        regels.append(f"<p style='color:#b3261e'>{escape(fout)}</p>")
    if resultaat is not None and plan is not None:
        if resultaat.gestopt:
            regels.append(f"<p><b>Gestopt.</b> {resultaat.aantal} van de {resultaat.totaal} bestanden zijn "
                          "geschreven, elk volledig; er staat geen half bestand. Exporteer opnieuw om de rest te "
                          "schrijven.</p>")
        elif fout is None:
            regels.append(f"<p><b>Klaar.</b> {resultaat.aantal} "
                          f"{'bestand' if resultaat.aantal == 1 else 'bestanden'} geschreven in "
                          f"{escape(str(plan.map))}:</p>")
        per_map = []
        for plek in ARCHIEFPLEKKEN:
            n = sum(1 for f in resultaat.geschreven if f.parent == plan.map_van(plek))
            if n:
                per_map.append(f"<li>{n} in de map <b>{escape(map_naam(plek))}</b></li>")
        if per_map:
            regels.append("<ul>" + "".join(per_map) + "</ul>")
    return "".join(regels)


def _traject_tekst(session: Session, traject_id: int) -> str:
    try:
        context = session.store.verslagen.context(traject_id)
    except Exception:  # noqa: BLE001 - a label only (and never the traject's number: it means nothing to a user)
        return "dit traject"
    return " en ".join(n for n in (f"{context.aios} (aios)" if context.aios else "",
                                   f"{context.opleider} (opleider)" if context.opleider else "") if n)


def _begin_vorige_maand(today: dt.date) -> dt.date:
    """The first day of last month: a monthly export covers last month and this month so far."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def open_archief_export(parent: QWidget, session: Session, traject_id: int | None = None) -> ArchiefExportDialog | None:
    """The export dialog (window-modal, removed when closed); None when the verslagen cannot be read."""
    dialog, fout = operations.attempt(lambda: ArchiefExportDialog(session, parent, traject_id=traject_id))
    if dialog is None:
        operations.show_error(parent, ArchiefFout(fout or ""), TITEL)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = ["ArchiefExportDialog", "open_archief_export"]
