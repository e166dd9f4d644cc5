"""The verslagen of one traject, as a tab of the traject: every version of every gesprek with its state, and the
actions that move a verslag along (write a new one, go on writing, afronden, a new version, verstuurd and
gearchiveerd). Each action is enabled only where it applies, and says why not in its tooltip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.procedure import Traject
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.verslagen import GesprekFormulier, Verslag, VerslagFout
from ontkoppel_desktop.ui import operations, vraag
from ontkoppel_desktop.ui.naam import ask_user_name
from ontkoppel_desktop.ui.reden_dialog import RedenDialog
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import DATUM_BREEDTE, Column, ColumnFit, RecordTableModel
from ontkoppel_desktop.ui.verslagen.lezen import moment_tekst
from ontkoppel_desktop.ui.widgets import context_menu, knop_in_menu, widget_shortcut

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class VerslagRij:
    """One version of one gesprek's verslag, as the list shows it."""

    verslag: Verslag
    formulier: GesprekFormulier
    datum: dt.date | None  # of the gesprek
    nieuwer: int | None  # the version that replaces it, if there is one

    @property
    def id(self) -> int:
        return self.verslag.id

    @property
    def status(self) -> str:
        return "Vervangen" if self.nieuwer is not None else self.verslag.fase(self.formulier.heeft_verslag)

    @property
    def uitleg(self) -> str:
        v = self.verslag
        if self.nieuwer is not None:
            return f"Vervangen door versie {self.nieuwer}; deze versie blijft leesbaar"
        if v.definitief:
            return f"Afgerond op {moment_tekst(v.afgerond_op)} door {v.auteur}; verzegeld"
        if not self.formulier.heeft_verslag:
            return ("Vastgelegd in het traject; de procedure vraagt hier geen verslag" if v.voltooid else
                    "Concept: nog niet vastgelegd in het traject")
        if v.voltooid:
            return "Het gesprek is vastgelegd in het traject; het verslag is nog een concept"
        return "Concept: nog niet afgerond"

    def archief(self, plek: VerslagBestemming) -> dt.date | str | None:
        if plek not in self.formulier.bestemmingen:
            return "n.v.t."
        return self.verslag.gearchiveerd_op.get(plek)


def _opgeslagen(r: VerslagRij) -> str:
    local = r.verslag.opgeslagen.astimezone()
    return f"{local:%d-%m-%Y %H:%M}"


def _gesprek_uitleg(r: VerslagRij) -> str:
    return (f"{r.formulier.titel} (paragraaf {r.formulier.sectie} van de procedure)\n"
            f"Geschreven door {r.verslag.auteur}, laatst opgeslagen op {_opgeslagen(r)}")


_TOOLTIPS = [
    "Het gesprek waar het verslag over gaat",
    "De datum van het gesprek",
    "Een correctie van een afgerond verslag is een nieuwe versie, met een reden",
    "Concept, definitief (afgerond en verzegeld), verstuurd of gearchiveerd",
    "Wanneer het verslag naar de ontvanger (de jaarassistent) is gestuurd",
    "Wanneer het verslag in het e-portfolio van de aios is gearchiveerd",
    "Wanneer het verslag in het dossier van de opleider is gearchiveerd",
    "Wie het verslag schreef",
    "Wanneer het verslag het laatst is opgeslagen",
]


class VerslagenModel(RecordTableModel[VerslagRij]):
    """An older version stays listed (it stays readable) but greyed: the newest version is the one that counts."""

    def __init__(self) -> None:
        super().__init__(
            [
                # What a user acts on first; on a narrow screen the later columns scroll into view.
                Column("Gesprek", lambda r: r.formulier.titel, 166, tooltip=_gesprek_uitleg),
                Column("Datum", lambda r: r.datum, 80, fits=DATUM_BREEDTE),
                Column("Versie", lambda r: r.verslag.versie, 48,
                       tooltip=lambda r: f"Reden: {r.verslag.reden}" if r.verslag.reden else ""),
                Column("Status", lambda r: r.status, 190, tooltip=lambda r: r.uitleg,
                       bold=lambda r: r.nieuwer is None and r.verslag.definitief),
                Column("Verstuurd", lambda r: r.verslag.verstuurd_op, 80, fits=DATUM_BREEDTE),
                Column("E-portfolio", lambda r: r.archief(VerslagBestemming.E_PORTFOLIO), 80, fits=DATUM_BREEDTE),
                Column("Dossier", lambda r: r.archief(VerslagBestemming.DOSSIER_OPLEIDER), 90,
                       fits=DATUM_BREEDTE),
                # On a narrow screen these two go; the tooltip of the gesprek says them too.
                Column("Auteur", lambda r: r.verslag.auteur, 110, optional=True),
                Column("Opgeslagen", _opgeslagen, 115, fits=DATUM_BREEDTE, optional=True),
            ],
            lambda r: r.id,
            keep_order=True,  # by gesprek, the newest version of each first
        )
        self._archived = lambda r: r.nieuwer is not None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return _TOOLTIPS[section] if 0 <= section < len(_TOOLTIPS) else None
        return super().headerData(section, orientation, role)


def rijen(verslagen: list[Verslag], formulier_van: Callable[[Verslag], GesprekFormulier]) -> list[VerslagRij]:
    """The rows in the order a traject reads: by gesprek date (a concept without a date by when it was begun),
    each gesprek's newest version first."""
    newest: dict[str, int] = {}
    for v in verslagen:
        if v.gebeurtenis_id is not None:
            newest[v.gebeurtenis_id] = max(newest.get(v.gebeurtenis_id, 0), v.versie)
    result: list[tuple[tuple[Any, ...], VerslagRij]] = []
    for v in verslagen:
        formulier = formulier_van(v)
        day = v.datum(formulier)
        top = newest.get(v.gebeurtenis_id, v.versie) if v.gebeurtenis_id is not None else v.versie
        group = v.gebeurtenis_id or f"concept {v.id}"
        key = (day or v.aangemaakt.date(), group, -v.versie, v.id)
        result.append((key, VerslagRij(v, formulier, day, top if top > v.versie else None)))
    result.sort(key=lambda item: item[0])
    return [row for _, row in result]


class VerslagenPanel(QWidget):
    """The traject's verslagen. Enter or a double click opens the chosen one: the wizard for your own concept,
    otherwise the verslag to read. `verslagen_changed` follows a change to them (also while the tab is hidden)."""

    verslagen_changed = Signal()

    def __init__(self, session: Session, undo_stack: QUndoStack | None = None,
                 initiator: object = None) -> None:
        super().__init__()
        self.session = session
        self.undo_stack = undo_stack
        self.initiator = initiator if initiator is not None else self
        self.traject: Traject | None = None
        self.stale = True
        self.model = VerslagenModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Verslagen van dit traject")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.fit = ColumnFit(self.table, self.model.columns, lines=4, grow=True)  # a handful of verslagen
        self.table.doubleClicked.connect(lambda _: self.open_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            widget_shortcut(QKeySequence(key), self.table, self.open_selected)

        # Mnemonics: the traject screen already uses V, A, G, S, T, R, N, O around this tab.
        self.nieuw = QPushButton("Nieu&w verslag…")
        self.nieuw.setToolTip("Een verslag schrijven van een gesprek van dit traject")
        self.nieuw_menu = QMenu(self.nieuw)
        self.nieuw_menu.aboutToShow.connect(self._fill_nieuw_menu)
        self.nieuw.setMenu(self.nieuw_menu)
        self.openen = QPushButton("O&penen")
        self.openen.clicked.connect(self.open_selected)
        self.afronden = QPushButton("Afron&den…")
        self.afronden.clicked.connect(self.afronden_selected)
        self.nieuwe_versie = QPushButton("N&ieuwe versie…")
        self.nieuwe_versie.clicked.connect(self.nieuwe_versie_selected)
        self.status = QPushButton("Verstuurd / gear&chiveerd…")
        self.status.clicked.connect(self.status_selected)
        self.archief = QPushButton("Archiefe&xport…")
        self.archief.setToolTip("De definitieve verslagen van dit traject als PDF of Word in een map voor het "
                                "e-portfolio en een voor het dossier opleider")
        self.archief.clicked.connect(self.archief_export)
        self.leeg = QLabel()
        self.leeg.setWordWrap(True)
        self.leeg.setStyleSheet("color: #555;")
        # Two rows: writing a verslag above, what follows a definitief one below (fits a 1366-pixel screen).
        buttons = QVBoxLayout()
        schrijven, daarna = QHBoxLayout(), QHBoxLayout()
        for b in (self.nieuw, self.openen, self.afronden):
            schrijven.addWidget(b)
        schrijven.addStretch(1)
        for b in (self.nieuwe_versie, self.status):
            daarna.addWidget(b)
        daarna.addStretch(1)
        daarna.addWidget(self.archief)
        buttons.addLayout(schrijven)
        buttons.addLayout(daarna)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)  # inside a tab of the traject, which has its own margins
        layout.addWidget(self.table, 1)
        layout.addWidget(self.leeg)
        layout.addLayout(buttons)
        session.changed.connect(self._on_changed)
        session.locked.connect(self._on_locked)
        context_menu(self.table, self._context_menu)
        self._update_buttons()

    # ---- showing -------------------------------------------------------------------------------------

    def set_traject(self, traject: Traject | None) -> None:
        """The traject shown; its verslagen are read when the tab is seen (and again when they change)."""
        same = traject is not None and self.traject is not None and traject.id == self.traject.id
        self.traject = traject
        if not same:
            self.stale = True
            self.model.clear()
        if self.stale and self.isVisible():
            self.refresh()
        else:
            self._update_buttons()

    def refresh(self) -> None:
        current = self.current()
        traject = self.traject
        if traject is None or traject.id is None or self.session.is_locked:
            self.model.clear()
        else:
            service = self.session.store.verslagen
            self.model.set_rows(rijen(service.van_traject(traject.id), service.formulier),
                                lambda r: r.formulier.titel)
        self.stale = False
        if self.model.rowCount():
            row = self.model.row_of_id(current.id) if current is not None else None
            self.table.selectRow(row if row is not None else 0)
        self._update_buttons()

    def select(self, verslag_id: int) -> None:
        if self.stale:
            self.refresh()
        row = self.model.row_of_id(verslag_id)
        if row is not None:
            self.table.selectRow(row)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        traject = self.traject
        if traject is None or traject.id is None:
            return
        ids = changes.int_ids(c.VERSLAG)
        mine = {r.id for r in self.model.all_rows()}
        touched = (
            ids is None
            or bool(ids and ids & mine)
            or changes.touches(c.TRAJECT, traject.id)
            or (isinstance(changes.created, int) and bool(ids) and changes.created in ids
                and self._of_this_traject(changes.created))
        )
        if not touched:
            return
        self.stale = True
        self.verslagen_changed.emit()
        if self.isVisible():
            self.refresh()
            if isinstance(changes.created, int) and ids and changes.created in ids:
                self.select(changes.created)

    def _of_this_traject(self, verslag_id: int) -> bool:
        try:
            verslag = self.session.store.verslagen.get(verslag_id)
        except VerslagFout:
            return False
        return self.traject is not None and verslag.traject_id == self.traject.id

    def _on_locked(self) -> None:
        self.model.clear()
        self.stale = True

    def current(self) -> VerslagRij | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() and index.row() < self.model.rowCount() else None

    def _user(self) -> str:
        return self.session.settings.gebruikersnaam.strip()

    def _eigen_concept(self, verslag: Verslag) -> bool:
        return not verslag.definitief and verslag.auteur == self._user()

    def _update_buttons(self) -> None:
        traject = self.traject
        rij = self.current()
        open_traject = traject is not None and not traject.closed
        self.nieuw.setEnabled(open_traject)
        self.archief.setEnabled(traject is not None)
        if traject is None:
            self.leeg.setText("")
        elif not self.model.total:
            self.leeg.setText("Nog geen verslagen bij dit traject. Schrijf er een met 'Nieuw verslag…', of via "
                              "'Stap vastleggen' bij een gesprek in de tijdlijn.")
        else:
            self.leeg.setText("Enter of dubbelklik opent het gekozen verslag: je eigen concept om verder te "
                              "schrijven, anders om te lezen.")
        verslag = rij.verslag if rij is not None else None
        self.openen.setEnabled(verslag is not None)
        eigen = verslag is not None and self._eigen_concept(verslag)
        self.openen.setText("Verder sc&hrijven" if eigen else "O&penen")
        self.openen.setToolTip("Verder schrijven aan je eigen concept (Enter)" if eigen else
                               "Het gekozen verslag lezen (Enter)")
        newest = rij is not None and rij.nieuwer is None
        # Without a name yet, Afronden asks it (and the service refuses anyone but the author).
        zonder_verslag = rij is not None and not rij.formulier.heeft_verslag
        self.afronden.setEnabled(not zonder_verslag and (
            eigen or (verslag is not None and not verslag.definitief and not self._user())))
        self.afronden.setToolTip(
            "Dit gesprek heeft volgens de procedure geen verslag om af te ronden" if zonder_verslag else
            "Het concept definitief maken: verzegeld en niet meer te bewerken" if eigen else
            "Alleen de auteur rondt een concept af" if verslag is not None and not verslag.definitief else
            "Kies een concept om af te ronden")
        definitief_nieuwste = verslag is not None and verslag.definitief and newest
        self.nieuwe_versie.setEnabled(open_traject and definitief_nieuwste)
        self.nieuwe_versie.setToolTip(
            "Een correctie van dit afgeronde verslag, met een reden; de huidige versie blijft leesbaar"
            if definitief_nieuwste else "Alleen van de nieuwste afgeronde versie wordt een nieuwe versie gemaakt")
        self.status.setEnabled(definitief_nieuwste)
        self.status.setToolTip(
            "Invullen wanneer het verslag verstuurd en gearchiveerd is" if definitief_nieuwste else
            "Rond het verslag eerst af: alleen een definitief verslag wordt verstuurd en gearchiveerd")

    def _context_menu(self, menu: QMenu) -> None:
        for button in (self.openen, self.afronden, self.nieuwe_versie, self.status):
            knop_in_menu(menu, button)
        menu.addSeparator()
        knop_in_menu(menu, self.nieuw)
        knop_in_menu(menu, self.archief)

    # ---- actions -------------------------------------------------------------------------------------

    def _fill_nieuw_menu(self) -> None:
        self.nieuw_menu.clear()
        traject = self.traject
        if traject is None:
            return
        try:
            formulieren = self.session.store.verslagen.formulieren(traject)
        except Exception as exc:  # noqa: BLE001 - a faulty question file or unknown version: say so in the menu
            action = self.nieuw_menu.addAction("De gesprekken van deze procedureversie zijn niet te laden")
            action.setToolTip(operations.user_message(exc))
            action.setStatusTip(operations.user_message(exc))
            action.setEnabled(False)
            return
        if not formulieren:
            action = self.nieuw_menu.addAction("Deze procedureversie heeft geen gesprekken met een verslag")
            action.setEnabled(False)
            return
        for gesprek, formulier in formulieren.items():
            titel = formulier.titel if formulier.heeft_verslag else f"{formulier.titel} (zonder verslag)"
            action = QAction(titel + "…", self.nieuw_menu)
            action.setToolTip(f"Paragraaf {formulier.sectie} van de procedure")
            action.triggered.connect(lambda _=False, g=gesprek: self.start_gesprek(g))
            self.nieuw_menu.addAction(action)

    def start_gesprek(self, gesprek: str, gebeurtenis_id: str | None = None) -> QWidget | None:
        traject = self.traject
        if traject is None or traject.id is None:
            return None
        from ontkoppel_desktop.ui.verslagen import wizard

        return wizard.start_gesprek(self.window(), self.session, traject.id, gesprek, gebeurtenis_id=gebeurtenis_id)

    def open_selected(self) -> QWidget | None:
        rij = self.current()
        if rij is None:
            return None
        return open_verslag(self.window(), self.session, rij.id)

    def afronden_selected(self) -> Changes | None:
        rij = self.current()
        if rij is None or not self.afronden.isEnabled():
            return None
        verslag, formulier = rij.verslag, rij.formulier
        delen = ("Beide verslagen (" + " en ".join(d.titel.split(" (")[0].lower() for d in formulier.delen)
                 + ") worden elk apart verzegeld." if len(formulier.delen) > 1 else "")
        vastleggen = ("" if verslag.voltooid else
                      "<p>Het gesprek is nog niet vastgelegd in het traject; dat gebeurt nu ook.</p>")
        text = (
            f"<p><b>{escape(formulier.titel)}</b>, versie {verslag.versie}</p>"
            "<p>Afronden maakt het verslag <b>definitief</b>:</p><ul>"
            "<li>het wordt verzegeld (SHA-256), met jouw naam en het tijdstip;</li>"
            "<li>daarna kan niemand het meer bewerken;</li>"
            "<li>een correctie wordt een nieuwe versie, met een reden. Deze versie blijft dan leesbaar.</li></ul>"
            + (f"<p>{escape(delen)}</p>" if delen else "") + vastleggen
            + f"<p>Daarna gaat het naar de {escape(formulier.ontvanger.label.lower())}.</p>"
        )
        if not vraag.bevestig(self, "Verslag afronden", text, "Verslag &afronden"):
            return None
        user = ask_user_name(self, self.session, "het afronden")
        if not user:
            return None
        session, verslag_id = self.session, verslag.id
        return operations.change(self, session, lambda: session.store.verslagen.afronden(verslag_id, user=user),
                                 initiator=self.initiator, title="Niet afgerond")

    def nieuwe_versie_selected(self) -> RedenDialog | None:
        rij = self.current()
        if rij is None or not self.nieuwe_versie.isEnabled():
            return None
        user = ask_user_name(self, self.session, "de nieuwe versie")
        if not user:
            return None
        session, verslag_id = self.session, rij.id
        created: list[int] = []

        def maak(reden: str) -> str | None:
            errors: list[str] = []
            changes = operations.change(
                self, session, lambda: session.store.verslagen.nieuwe_versie(verslag_id, reden, auteur=user),
                initiator=self.initiator, on_error=errors.append)
            if changes is None:
                return errors[0] if errors else "Niet gelukt."
            if isinstance(changes.created, int):
                created.append(changes.created)
            return None

        dialog = RedenDialog(
            "Nieuwe versie van het verslag",
            f"<b>{escape(rij.formulier.titel)}</b>, versie {rij.verslag.versie} ({escape(rij.status.lower())})<br>"
            "Een afgerond verslag verandert niet meer. Een correctie wordt een nieuwe versie: een concept met "
            f"dezelfde tekst, dat je aanpast en opnieuw afrondt. Versie {rij.verslag.versie} blijft leesbaar. "
            "Zodra de nieuwe versie is afgerond, wordt zij opnieuw verstuurd en gearchiveerd.",
            "&Reden voor de nieuwe versie *:",
            doe=maak,
            ok_text="Nieuwe versie &maken",
            leeg="Vul de reden voor een nieuwe versie in: die staat bij de nieuwe versie, voor iedereen die haar "
                 "leest.",
            veld_naam="Reden",
            placeholder="Bijvoorbeeld: naam van de opleider verkeerd gespeld",
            meerregelig=True,
            weggooien="Je hebt een reden getypt; er is nog geen nieuwe versie gemaakt. Weggooien?",
            parent=self.window(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._open_created(created))
        dialog.open()
        return dialog

    def _open_created(self, created: list[int]) -> None:
        if created:
            self.select(created[0])
            open_verslag(self.window(), self.session, created[0])

    def archief_export(self) -> QWidget | None:
        if self.traject is None or self.traject.id is None:
            return None
        from ontkoppel_desktop.ui.verslagen.archief_export import open_archief_export

        return open_archief_export(self.window(), self.session, self.traject.id)

    def status_selected(self) -> QWidget | None:
        rij = self.current()
        if rij is None or not self.status.isEnabled():
            return None
        return open_status(self.window(), self.session, rij.id, undo_stack=self.undo_stack,
                           initiator=self.initiator)


def open_verslag(parent: QWidget, session: Session, verslag_id: int) -> QWidget | None:
    """The wizard for the user's own concept, otherwise the verslag to read (the wizard decides)."""
    from ontkoppel_desktop.ui.verslagen import wizard

    return wizard.open_verslag(parent, session, verslag_id)


def open_status(parent: QWidget, session: Session, verslag_id: int, *, undo_stack: QUndoStack | None = None,
                initiator: object = None) -> QWidget | None:
    """The dialog for the dates verstuurd and gearchiveerd of a definitief verslag (window-modal)."""
    from ontkoppel_desktop.ui.verslagen.status import VerslagStatusDialog

    try:
        dialog = VerslagStatusDialog(session, verslag_id, parent, undo_stack=undo_stack, initiator=initiator)
    except VerslagFout as exc:
        QMessageBox.information(parent, "Verslag", str(exc))
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
