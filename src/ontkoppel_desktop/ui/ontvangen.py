"""Ontvangen verslagen: the definitief verslagen sealed to this user through the institute (a jaarassistent's of
their year, the assistent manager opleiders' contact verslagen, the manager opleiding's driehoeksgesprekken with an
advies tot ontkoppeling). Read them, save them as Word or PDF for the e-portfolio or the dossier, and mark them
gearchiveerd: that is the procedure's step on the traject, and travels to the docent with the next synchronisation.

A verslag is opened (and its author's signature checked) only when it is read or saved; the list shows what the
server may know too (type, dates, version) and the names the shared traject carries.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.verslagen.verslag import ARCHIEFPLEKKEN
from ontkoppel_desktop.documents.verslag import VerslagDocument, verslag_documenten
from ontkoppel_desktop.instituut import outbox, verslagen
from ontkoppel_desktop.instituut.verslagen import GeopendVerslag, Ontvangen
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.documenten import toon_voorbeeld, voeg_toe
from ontkoppel_desktop.ui.dutch import datum_kort, pydate, qdate
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import DATUM_BREEDTE, Column, ColumnFit, RecordTableModel
from ontkoppel_desktop.ui.widgets import context_menu, date_edit


def _gearchiveerd_tekst(o: Ontvangen) -> str:
    if not o.gearchiveerd:
        return "nog niet"
    return ", ".join(f"{VerslagBestemming(p).label} {datum_kort(dt.date.fromisoformat(d))}"
                     for p, d in sorted(o.gearchiveerd.items()))


class ArchiveerDialoog(QDialog):
    """Where and when the verslag was archived."""

    def __init__(self, parent: QWidget, plekken: list[VerslagBestemming], titel: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gearchiveerd")
        self.plek = QComboBox()
        for plek in plekken:
            self.plek.addItem(plek.label, plek)
        self.plek.setAccessibleName("Waar gearchiveerd")
        self.datum = date_edit(dt.date.today())
        self.datum.setAccessibleName("Datum gearchiveerd")
        uitleg = QLabel(f"{titel}\nDit wordt vastgelegd als stap in het traject; de docent ziet het na de "
                        "volgende synchronisatie.")
        uitleg.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Waar:", self.plek)
        form.addRow("&Datum:", self.datum)
        knoppen = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        knoppen.addButton("&Vastleggen", QDialogButtonBox.ButtonRole.AcceptRole)
        knoppen.accepted.connect(self.accept)
        knoppen.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addLayout(form)
        layout.addWidget(knoppen)

    @property
    def gekozen(self) -> tuple[VerslagBestemming, dt.date]:
        # Qt hands an enum's value back as a plain str.
        return VerslagBestemming(self.plek.currentData()), pydate(self.datum.date())


class OntvangenVerslagen(QWidget):
    # Marked gearchiveerd: the window synchronises.
    vastgelegd = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._namen: dict[str, tuple[str, str]] = {}
        self.model: RecordTableModel[Ontvangen] = RecordTableModel(
            [
                Column("Gesprek op", lambda o: o.datum, 100, fits=DATUM_BREEDTE),
                Column("Verslag", self._titel, 220),
                Column("Aios", lambda o: self._namen.get(o.traject_uuid, ("—", ""))[0], 150),
                Column("Opleider", lambda o: self._namen.get(o.traject_uuid, ("", "—"))[1], 150),
                Column("Van", lambda o: o.auteur_naam or o.auteur, 130),
                Column("Versie", lambda o: o.versie, 60, fits="Versie"),
                Column("Gearchiveerd", _gearchiveerd_tekst, 200),
            ],
            lambda o: None,
            keep_order=True,
        )
        self.tabel = QTableView()
        self.tabel.setAccessibleName("Ontvangen verslagen")
        self.tabel.setModel(self.model)
        self.tabel.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabel.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tabel.verticalHeader().hide()
        self.tabel.doubleClicked.connect(lambda _: self.lees())
        self.tabel.selectionModel().currentRowChanged.connect(lambda *_: self._knoppen())
        ColumnFit(self.tabel, self.model.columns)
        self.leeg = QLabel("Er zijn nog geen verslagen voor u verzegeld. Een verslag komt hier na de synchronisatie "
                           "zodra een docent het afrondt en u volgens de procedure een lezer bent.")
        self.leeg.setWordWrap(True)
        self.leeg.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.lezen = QPushButton("&Lezen")
        self.lezen.clicked.connect(self.lees)
        self.documenten = QPushButton("&Opslaan als document")
        self.menu = QMenu(self.documenten)
        self.menu.aboutToShow.connect(self._vul_menu)
        self.documenten.setMenu(self.menu)
        self.archiveren = QPushButton("Gearchi&veerd…")
        self.archiveren.setToolTip("Leg vast dat u het verslag in het e-portfolio of het dossier opleider hebt "
                                   "gezet.")
        self.archiveren.clicked.connect(self.archiveer)
        knoppen = QHBoxLayout()
        knoppen.addWidget(self.lezen)
        knoppen.addWidget(self.documenten)
        knoppen.addWidget(self.archiveren)
        knoppen.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabel, 1)
        layout.addWidget(self.leeg, 1)
        layout.addLayout(knoppen)
        context_menu(self.tabel, self._contextmenu)
        session.changed.connect(self._changed)
        session.locked.connect(self.leegmaken)
        session.unlocked.connect(self.ververs)
        self.ververs()

    # ---- reading -----------------------------------------------------------------------------------------

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches_any(c.GEDEELD, c.VERSLAG):
            self.ververs()

    def leegmaken(self) -> None:
        self.model.clear()
        self._namen = {}

    def ververs(self) -> None:
        if self.session.is_locked:
            return
        conn = self.session.store.conn
        self._namen = {g.uuid: (str(g.kop.get("aios_naam") or "—"), str(g.kop.get("opleider_naam") or "—"))
                       for g in outbox.gedeelde_trajecten(conn)}
        lijst = verslagen.ontvangen(conn) if outbox.verbinding(conn) is not None else []
        self.model.set_rows(lijst, lambda o: f"{self._titel(o)} {' '.join(self._namen.get(o.traject_uuid, ()))}")
        leeg = not lijst
        self.tabel.setVisible(not leeg)
        self.leeg.setVisible(leeg)
        if not leeg and not self.tabel.currentIndex().isValid():
            self.tabel.selectRow(0)
        self._knoppen()

    def _titel(self, o: Ontvangen) -> str:
        registry = self.session.store.trajecten.registry
        try:
            definition = registry.get(str(o.metadata.get("procedure_id")), str(o.metadata.get("procedure_version")))
            stap = definition.step(o.gesprek) if definition.has_step(o.gesprek) else None
        except Exception:  # noqa: BLE001 - an unknown procedure still shows the gesprek's id
            stap = None
        return f"Gespreksverslag {(stap.short if stap else o.gesprek).lower()}"

    def gekozen(self) -> Ontvangen | None:
        index = self.tabel.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def _knoppen(self) -> None:
        er_is = self.gekozen() is not None
        for knop in (self.lezen, self.documenten, self.archiveren):
            knop.setEnabled(er_is)

    def _open(self, o: Ontvangen) -> GeopendVerslag | None:
        conn = self.session.store.conn
        return operations.run(self, lambda: verslagen.open_ontvangen(conn, o.uuid,
                                                                     self.session.store.trajecten.registry.get),
                              title="Verslag openen")

    def _stam(self, o: Ontvangen, deel_titel: str, plek: VerslagBestemming) -> str:
        aios = self._namen.get(o.traject_uuid, ("",))[0]
        return f"{o.datum.isoformat() if o.datum else 'zonder datum'} {deel_titel} ({plek.label}) {aios}".strip()

    def _gekozen_geopend(self) -> tuple[Ontvangen, GeopendVerslag] | None:
        """The chosen verslag, opened (a Dutch message when it cannot be)."""
        o = self.gekozen()
        geopend = self._open(o) if o is not None else None
        return (o, geopend) if o is not None and geopend is not None else None

    @staticmethod
    def _stukken(geopend: GeopendVerslag) -> list[VerslagDocument]:
        return verslag_documenten(geopend.verslag, geopend.formulier, geopend.context, opleiding=geopend.opleiding,
                                  opleider_namen=geopend.opleider_namen)

    def lees(self) -> QDialog | None:
        gekozen = self._gekozen_geopend()
        stukken = self._stukken(gekozen[1]) if gekozen is not None else []
        if gekozen is None or not stukken:
            return None
        o, eerste = gekozen[0], stukken[0]
        return toon_voorbeeld(self.window(), lambda: eerste.document, self._stam(o, eerste.deel.titel, eerste.plek),
                              eerste.naam, klaar=True)

    def _vul_menu(self) -> None:
        self.menu.clear()
        gekozen = self._gekozen_geopend()
        if gekozen is None:
            self.menu.addAction("Geen verslag gekozen").setEnabled(False)
            return
        o, geopend = gekozen
        for stuk in self._stukken(geopend):
            voeg_toe(self.menu, self.window(), stuk.naam, lambda s=stuk: s.document,
                     lambda s=stuk: self._stam(o, s.deel.titel, s.plek))

    def _contextmenu(self, menu: QMenu) -> None:
        menu.addAction("&Lezen", self.lees)
        menu.addAction("Gearchi&veerd…", self.archiveer)

    # ---- archiving -------------------------------------------------------------------------------------

    def archiveer(self) -> ArchiveerDialoog | None:
        gekozen = self._gekozen_geopend()
        if gekozen is None:
            return None
        o, geopend = gekozen
        plekken: list[VerslagBestemming] = [p for p in ARCHIEFPLEKKEN if p in geopend.formulier.bestemmingen]
        dialoog = ArchiveerDialoog(self.window(), plekken, self._titel(o))
        if o.datum is not None:
            dialoog.datum.setMinimumDate(qdate(o.datum))

        def vastleggen() -> None:
            plek, datum = dialoog.gekozen
            conn = self.session.store.conn
            verbinding = outbox.verbinding(conn)
            user = (verbinding.account_naam or verbinding.account) if verbinding else ""
            if operations.run_ok(self, lambda: verslagen.markeer_gearchiveerd(
                    conn, o.uuid, plek, datum, user=user, registry_get=self.session.store.trajecten.registry.get),
                    title="Gearchiveerd"):
                self.session.announce(Changes.all_of(c.GEDEELD), self)
                self.vastgelegd.emit()

        dialoog.accepted.connect(vastleggen)
        dialoog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialoog.open()
        return dialoog


__all__ = ["ArchiveerDialoog", "OntvangenVerslagen"]
