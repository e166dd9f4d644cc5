"""Personen van het instituut: the read-only copy of the institute's aios, opleiders, praktijken and koppelingen that
this user's role needs (instituut/personen.py), in the Instituut section; and, for the roles that may, a form that
sends a change to the server (a jaarassistent their year's aios, the manager opleiders the opleiders and praktijken,
both the koppelingen). The server decides and says why not, in Dutch; the copy follows with the next
synchronisation, which a saved change starts at once. Changing needs a connection: the form says so when there is
none, and keeps what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.instituut import outbox, personen, sync
from ontkoppel_desktop.instituut.client import InstituutFout
from ontkoppel_desktop.ui.background import run_in_background
from ontkoppel_desktop.ui.dutch import pydate
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import DATUM_BREEDTE, Column, ColumnFit, RecordTableModel
from ontkoppel_desktop.ui.widgets import SearchField, date_edit

Rij = dict[str, Any]

KOLOMMEN: dict[str, list[Column[Rij]]] = {
    "aios": [Column("Naam", lambda r: r["naam"], 200), Column("Jaar", lambda r: r["jaar"], 50, fits="Jaar"),
             Column("Groep", lambda r: r["groep"], 140), Column("Start opleiding", lambda r: r["startdatum"], 110,
                                                                fits=DATUM_BREEDTE),
             Column("Deeltijd", lambda r: f"{r['deeltijd']} %", 80), Column("Gearchiveerd", lambda r: r["gearchiveerd"],
                                                                             100)],
    "opleider": [Column("Naam", lambda r: r["naam"], 220), Column("Praktijk", lambda r: r["praktijk"], 220),
                 Column("Gearchiveerd", lambda r: r["gearchiveerd"], 100)],
    "praktijk": [Column("Naam", lambda r: r["naam"], 260), Column("Plaats", lambda r: r["plaats"], 160),
                 Column("Gearchiveerd", lambda r: r["gearchiveerd"], 100)],
    "medewerker": [Column("Naam", lambda r: r["naam"], 220), Column("Account", lambda r: r["account"], 140),
                   Column("Rollen", lambda r: r["rollen"], 360)],
    "koppeling": [Column("Aios", lambda r: r["aios"], 200), Column("Opleider", lambda r: r["opleider"], 200),
                  Column("Start", lambda r: r["startdatum"], 110, fits=DATUM_BREEDTE),
                  Column("Einde", lambda r: r["einddatum"], 110, fits=DATUM_BREEDTE)],
}


class PersoonFormulier(QDialog):
    """One aios, opleider, praktijk or koppeling of the institute, new (`rij` None) or changed; sent on Opslaan."""

    opgeslagen = Signal()

    def __init__(self, session: Session, soort: str, rij: Rij | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.soort, self.rij = session, soort, rij
        label = personen.SOORTEN[soort][0].lower()
        self.setWindowTitle(f"{'Wijzigen' if rij else 'Nieuw'}: {label} van het instituut")
        velden: dict[str, Any] = dict(rij["velden"]) if rij else {}
        conn = session.store.conn
        self.widgets: dict[str, QWidget] = {}
        form = QFormLayout()

        def tekst(naam: str, label: str) -> None:
            edit = QLineEdit(str(velden.get(naam) or ""))
            edit.setAccessibleName(label.strip("&:"))
            self.widgets[naam] = edit
            form.addRow(label, edit)

        def keuze(naam: str, label: str, soort_keuze: str) -> None:
            combo = QComboBox()
            combo.addItem("— kies —", None)
            for tekst_, ident in personen.keuzes(conn, soort_keuze):
                combo.addItem(tekst_, ident)
            combo.setCurrentIndex(max(combo.findData(velden.get(naam)), 0))
            combo.setAccessibleName(label.strip("&:"))
            self.widgets[naam] = combo
            form.addRow(label, combo)

        def datum(naam: str, label: str) -> None:
            waarde = velden.get(naam)
            edit = date_edit(dt.date.fromisoformat(waarde) if waarde else dt.date.today())
            edit.setAccessibleName(label.strip("&:"))
            self.widgets[naam] = edit
            form.addRow(label, edit)

        if soort in ("aios", "opleider"):
            tekst("voornaam", "&Voornaam:")
            tekst("tussenvoegsel", "&Tussenvoegsel:")
            tekst("achternaam", "&Achternaam:")
        if soort == "aios":
            jaar = QSpinBox()
            jaar.setRange(1, 3)
            jaar.setValue(int(velden.get("opleidingsjaar") or 1))
            jaar.setAccessibleName("Opleidingsjaar")
            self.widgets["opleidingsjaar"] = jaar
            form.addRow("&Opleidingsjaar:", jaar)
            datum("startdatum_opleiding", "&Start opleiding:")
            deeltijd = QSpinBox()
            deeltijd.setRange(50, 100)
            deeltijd.setSuffix(" %")
            deeltijd.setValue(int(velden.get("deeltijdpercentage") or 100))
            deeltijd.setAccessibleName("Deeltijdpercentage")
            self.widgets["deeltijdpercentage"] = deeltijd
            form.addRow("&Deeltijd:", deeltijd)
            keuze("groep", "&Groep:", "groep")
        elif soort == "opleider":
            keuze("praktijk", "&Praktijk:", "praktijk")
        elif soort == "praktijk":
            tekst("naam", "&Naam:")
            tekst("plaats", "&Plaats:")
        else:
            keuze("aios", "&Aios:", "aios")
            keuze("opleider", "&Opleider:", "opleider")
            datum("startdatum", "&Start:")
            einde = QLineEdit(str(velden.get("einddatum") or ""))
            einde.setPlaceholderText("leeg: loopt nog (anders JJJJ-MM-DD)")
            einde.setAccessibleName("Einde")
            self.widgets["einddatum"] = einde
            form.addRow("&Einde:", einde)
        self.melding = QLabel()
        self.melding.setWordWrap(True)
        self.melding.setStyleSheet("color: #a4000f;")
        self.melding.hide()
        self.knoppen = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.opslaan = self.knoppen.addButton("Op&slaan bij het instituut", QDialogButtonBox.ButtonRole.AcceptRole)
        self.knoppen.accepted.connect(self.verstuur)
        self.knoppen.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.melding)
        layout.addWidget(self.knoppen)

    def velden(self) -> dict[str, Any]:
        uit: dict[str, Any] = {}
        for naam, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                waarde = widget.text().strip()
                uit[naam] = (waarde or None) if naam == "einddatum" else waarde
            elif isinstance(widget, QComboBox):
                uit[naam] = widget.currentData()
            elif isinstance(widget, QSpinBox):
                uit[naam] = widget.value()
            else:
                uit[naam] = pydate(widget.date()).isoformat()  # type: ignore[attr-defined]
        return uit

    def toon(self, tekst: str) -> None:
        self.melding.setText(tekst)
        self.melding.show()
        self.opslaan.setEnabled(True)

    def verstuur(self) -> None:
        verbinding = outbox.verbinding(self.session.store.conn)
        if verbinding is None:
            self.toon("Deze opslag is niet verbonden met het instituut; wijzigen kan alleen verbonden.")
            return
        client = sync.client_van(verbinding)
        wijziging = {"soort": self.soort, "id": self.rij["id"] if self.rij else None, "velden": self.velden()}
        self.opslaan.setEnabled(False)
        self.melding.setText("Versturen…")
        self.melding.show()

        def klaar(resultaten: list[dict[str, Any]]) -> None:
            if not isValid(self):
                return
            [r] = resultaten
            if r.get("status") != "aanvaard":
                self.toon(str(r.get("melding") or "Het instituut weigerde de wijziging."))
                return
            self.opgeslagen.emit()
            self.accept()

        def fout(exc: BaseException) -> None:
            if isValid(self):
                self.toon(str(exc) if isinstance(exc, InstituutFout) else f"Versturen is mislukt: {exc}")

        run_in_background(self.parent() or self, lambda: client.wijzig_personen([wijziging]), klaar, fout)


class InstituutPersonen(QWidget):
    """The copy, one kind at a time, searchable; Nieuw… and Wijzigen… where the user's role may."""

    gewijzigd = Signal()  # a change accepted: the window synchronises

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rollen: frozenset[str] = frozenset()
        self.soort = QComboBox()
        for soort, (label, _) in personen.SOORTEN.items():
            self.soort.addItem(label, soort)
        self.soort.setAccessibleName("Soort")
        self.soort.currentIndexChanged.connect(lambda _: self.ververs())
        self.zoek = SearchField("Zoek op naam")
        self.zoek.setAccessibleName("Zoeken in de personen van het instituut")
        self.zoek.textChanged.connect(lambda t: self.model.set_search(t))
        self.nieuw = QPushButton("&Nieuw…")
        self.nieuw.clicked.connect(lambda: self.open_formulier(None))
        self.wijzig = QPushButton("Wij&zigen…")
        self.wijzig.clicked.connect(lambda: self.open_formulier(self.gekozen()))
        balk = QHBoxLayout()
        balk.addWidget(self.soort)
        balk.addWidget(self.zoek, 1)
        balk.addWidget(self.nieuw)
        balk.addWidget(self.wijzig)
        self.uitleg = QLabel()
        self.uitleg.setWordWrap(True)
        self.uitleg.setStyleSheet("color: #555;")
        self.model: RecordTableModel[Rij] = RecordTableModel(KOLOMMEN["aios"], lambda r: int(r["id"]))
        self.tabel = QTableView()
        self.tabel.setAccessibleName("Personen van het instituut")
        self.tabel.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabel.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tabel.verticalHeader().hide()
        self.tabel.doubleClicked.connect(lambda _: self.wijzig.isEnabled() and self.open_formulier(self.gekozen()))
        layout = QVBoxLayout(self)
        layout.addLayout(balk)
        layout.addWidget(self.uitleg)
        layout.addWidget(self.tabel, 1)
        session.changed.connect(self._changed)
        session.locked.connect(lambda: self.model.clear())  # the model of the moment (ververs makes a new one)
        session.unlocked.connect(self.ververs)
        self.ververs()

    def _changed(self, changes: c.Changes, _initiator: object) -> None:
        if changes.touches_any(c.GEDEELD):
            self.ververs()

    def _soort(self) -> str:
        return str(self.soort.currentData())

    def ververs(self) -> None:
        if self.session.is_locked:
            return
        conn = self.session.store.conn
        verbinding = outbox.verbinding(conn)
        self.rollen = frozenset(str(r.get("rol")) for r in (verbinding.rollen if verbinding else []))
        soort = self._soort()
        model = RecordTableModel(KOLOMMEN[soort], lambda r: int(r["id"]))
        model.set_rows(personen.rijen(conn, soort), lambda r: " ".join(str(v) for v in r.values()
                                                                       if isinstance(v, str)))
        model.set_search(self.zoek.text())
        self.model = model
        self.tabel.setModel(model)
        self.tabel.selectionModel().currentRowChanged.connect(lambda *_: self._knoppen())
        ColumnFit(self.tabel, model.columns)
        mag = personen.mag_wijzigen(soort, self.rollen)
        wie = ", ".join(r.replace("_", " ") for r in sorted(personen.SOORTEN[soort][1]))
        self.uitleg.setText(
            "Alleen-lezen kopie van wat uw rol nodig heeft, bijgewerkt bij elke synchronisatie."
            + (" U kunt deze wijzigen; het instituut controleert of uw rol dat mag." if mag
               else f" Wijzigen doet de {wie}." if wie else " Accounts en hun rollen beheert IT van het instituut."))
        self.nieuw.setEnabled(mag)
        self._knoppen()

    def _knoppen(self) -> None:
        self.wijzig.setEnabled(personen.mag_wijzigen(self._soort(), self.rollen) and self.gekozen() is not None)

    def gekozen(self) -> Rij | None:
        index = self.tabel.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def open_formulier(self, rij: Rij | None) -> PersoonFormulier:
        formulier = PersoonFormulier(self.session, self._soort(), rij, self.window())
        formulier.opgeslagen.connect(self.gewijzigd)
        formulier.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        formulier.open()
        return formulier


__all__ = ["InstituutPersonen", "PersoonFormulier"]
