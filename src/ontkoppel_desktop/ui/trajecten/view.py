"""Trajecten: the list, and per traject its timeline of steps, the stappenplan per role and its history.
Every change is a gebeurtenis recorded through the store's TrajectService."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.procedure import (
    EventKind,
    StepState,
    StepStatus,
    Traject,
    TrajectEvent,
    TrajectOverview,
    describe,
    history,
    wachttijd,
)
from ontkoppel_desktop.core.procedure.definition import StepDefinition
from ontkoppel_desktop.core.procedure.readmodel import TrajectRij
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.verslagen import GesprekFormulier, Verslag
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.dutch import datum
from ontkoppel_desktop.ui.lookups import Lookups
from ontkoppel_desktop.ui.naam import ask_user_name
from ontkoppel_desktop.ui.reden_dialog import RedenDialog
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import DATUM_BREEDTE, ID_ROLE, Column, ColumnFit, RecordTableModel
from ontkoppel_desktop.ui.trajecten.berichten import BerichtenKnop
from ontkoppel_desktop.ui.trajecten.checklist import ChecklistTab
from ontkoppel_desktop.ui.trajecten.common import due_text, export_ics, roles_text, state_colour, today
from ontkoppel_desktop.ui.trajecten.event_form import EventDialog
from ontkoppel_desktop.ui.trajecten.new_traject import NewTrajectDialog
from ontkoppel_desktop.ui.verslagen.panel import VerslagenPanel, open_status, open_verslag
from ontkoppel_desktop.ui.widgets import SearchField, context_menu, knop_in_menu, widget_shortcut

if TYPE_CHECKING:
    from ontkoppel_desktop.documents.model import Document

log = logging.getLogger(__name__)
OVERZICHT = "Overzicht van gesprekken en verslagen"
PROCEDURE_ROLES = (Rol.DOCENTEN, Rol.JAARASSISTENT, Rol.MANAGER_OPLEIDING, Rol.MANAGER_OPLEIDERS,
                   Rol.ASSISTENT_MANAGER_OPLEIDERS, Rol.PLV_HOOFD, Rol.AIOS, Rol.OPLEIDER)
# The events that send or archive a gespreksverslag; their step names its gesprek in `data` (gesprek = <step id>).
VERSLAG_STATUS_EVENTS = frozenset({EventKind.VERSLAG_NAAR_JAARASSISTENT,
                                   EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS,
                                   EventKind.VERSLAG_GEARCHIVEERD})


def verslag_gesprek(step: StepDefinition) -> str | None:
    """The gesprek whose verslag this step sends or archives, or None for any other step."""
    matcher = step.done_by
    if matcher.kind not in VERSLAG_STATUS_EVENTS:
        return None
    allowed = dict(matcher.data).get("gesprek", ())
    return str(allowed[0]) if allowed else None


class StepTable(QTableView):
    def __init__(self) -> None:
        super().__init__()
        self.model_: RecordTableModel[StepStatus] = RecordTableModel(
            [
                Column("Fase", lambda s: s.step.phase, 40),
                Column("Stap", lambda s: s.step.short or s.step.title, 240,
                       tooltip=lambda s: f"{s.step.title}\n(paragraaf {s.step.section} van de procedure)"),
                Column("Status", lambda s: _state_text(s), 135,
                       background=lambda s: state_colour(s.state, s.days_left),
                       bold=lambda s: s.state is StepState.OVERDUE),
                Column("Termijn", lambda s: due_text(s.due, s.due_warning, s.due_from), 190,
                       tooltip=lambda s: "\n".join(t for t in (s.term_label, s.window_text) if t)),
                Column("Wie", lambda s: roles_text(s.roles), 140),
                Column("Gedaan", lambda s: s.done_on, 90, fits=DATUM_BREEDTE),
                # Beside the table too (the step chosen), so it may go on a narrow screen.
                Column("Toelichting", lambda s: s.motivatie or s.step.note, 260, optional=True, elide=True,
                       tooltip=lambda s: s.motivatie or s.step.note),
            ],
            lambda s: None,
            keep_order=True,  # the stappenplan's order
        )
        self.setModel(self.model_)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        # A traject has a few dozen steps: each row as high as its text, a step's name never cut.
        self.fit = ColumnFit(self, self.model_.columns, lines=3, grow=True)

    def show_statuses(self, statuses: list[StepStatus]) -> None:
        self.model_.set_rows(statuses, lambda s: s.step.title)

    def current_status(self) -> StepStatus | None:
        index = self.currentIndex()
        return self.model_.row_at(index.row()) if index.isValid() else None

    def select_key(self, key: str) -> bool:
        """Choose the step with this key (a step id, 'id#2' for a later occurrence) and scroll it into view."""
        model = self.model_
        row = next((i for i in range(model.rowCount()) if model.row_at(i).key == key), None)
        if row is None:
            return False
        self.selectRow(row)
        self.scrollTo(model.index(row, 0))
        return True


def _state_text(s: StepStatus) -> str:
    if s.state is StepState.OVERDUE and s.days_left is not None:
        return f"Te laat ({-s.days_left}\u00a0d)"  # a no-break space: "39 d" stays on one line
    if s.state is StepState.DUE and s.days_left is not None:
        return f"Lopend ({s.days_text})"
    return s.state.label


class TrajectDetail(QWidget):
    def __init__(self, view: TrajectenView) -> None:
        super().__init__()
        self.view = view
        self.traject: Traject | None = None
        self.overview: TrajectOverview | None = None
        self.kop = QLabel()
        self.kop.setWordWrap(True)
        self.kop.setTextFormat(Qt.TextFormat.RichText)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.tijdlijn = StepTable()
        self.tijdlijn.setAccessibleName("Tijdlijn van de stappen")
        self.tijdlijn.doubleClicked.connect(lambda _: self.record_selected())
        # The chosen step in full: its whole title, who, the term in words and the toelichting (which has no
        # column of its own on a narrow screen).
        self.stap_uitleg = QLabel()
        self.stap_uitleg.setWordWrap(True)
        self.stap_uitleg.setTextFormat(Qt.TextFormat.RichText)
        self.stap_uitleg.setAccessibleName("De gekozen stap")
        self.stap_uitleg.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tijdlijn.selectionModel().currentRowChanged.connect(lambda *_: self._show_step_uitleg())
        tijdlijn_box = QWidget()
        tijdlijn_layout = QVBoxLayout(tijdlijn_box)
        tijdlijn_layout.setContentsMargins(0, 0, 0, 0)
        tijdlijn_layout.addWidget(self.tijdlijn, 1)
        tijdlijn_layout.addWidget(self.stap_uitleg)
        self.rol = QListWidget()
        self.rol.setAccessibleName("Rol")
        self.rol.setMaximumWidth(180)
        for rol in PROCEDURE_ROLES:
            self.rol.addItem(rol.label)
        self.rol.currentRowChanged.connect(lambda _: self._show_role())
        self.stappenplan = StepTable()
        self.stappenplan.setAccessibleName("Stappenplan van de gekozen rol")
        self.stappenplan.fit.set_hidden(4, True)  # "Wie": the role chosen on the left
        rol_box = QWidget()
        rol_row = QHBoxLayout(rol_box)
        rol_row.setContentsMargins(0, 0, 0, 0)
        rol_row.addWidget(self.rol)
        rol_row.addWidget(self.stappenplan, 1)
        self.geschiedenis = QListWidget()
        self.geschiedenis.setWordWrap(True)
        self.geschiedenis.setAccessibleName("Geschiedenis")
        self.geschiedenis.currentRowChanged.connect(lambda _: self._update_history_buttons())
        self.corrigeren = QPushButton("&Corrigeren…")
        self.corrigeren.setToolTip("De datum of gegevens van de gekozen gebeurtenis rechtzetten, met motivatie; "
                                   "het origineel blijft in de geschiedenis")
        self.corrigeren.clicked.connect(self.correct_selected)
        self.intrekken = QPushButton("&Intrekken…")
        self.intrekken.setToolTip("De gekozen gebeurtenis intrekken, met motivatie; zij blijft zichtbaar als "
                                  "ingetrokken")
        self.intrekken.clicked.connect(self.withdraw_selected)
        self.verslag_schrijven = QPushButton("Verslag sc&hrijven…")
        self.verslag_schrijven.setToolTip("Het verslag schrijven van het gekozen gesprek, dat al is vastgelegd")
        self.verslag_schrijven.clicked.connect(self.write_verslag_of_selected)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.geschiedenis, 1)
        history_buttons = QHBoxLayout()
        history_buttons.addWidget(self.corrigeren)
        history_buttons.addWidget(self.intrekken)
        history_buttons.addWidget(self.verslag_schrijven)
        history_buttons.addStretch(1)
        history_layout.addLayout(history_buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(tijdlijn_box, "&Tijdlijn")
        self.tabs.addTab(rol_box, "Stappenplan per &rol")
        self.tabs.addTab(history_box, "&Geschiedenis")
        # V is "Stap vastleggen" on this screen already.
        self.verslagen = VerslagenPanel(view.session, view.undo_stack, initiator=view)
        self.verslagen.verslagen_changed.connect(self._update_history_buttons)  # "Verslag schrijven" once written
        self.tabs.addTab(self.verslagen, "V&erslagen")
        self.checklist = ChecklistTab(view.session, view)
        self.tabs.addTab(self.checklist, "Chec&klist")
        self.vastleggen = QPushButton("Stap &vastleggen…")
        self.vastleggen.setToolTip("De geselecteerde stap als gedaan vastleggen (Enter of dubbelklik); bij een gesprek "
                                   "met een verslag opent het verslag")
        self.vastleggen.clicked.connect(self.record_selected)
        self.afwijking = QPushButton("&Afwijking…")
        self.afwijking.setToolTip("De geselecteerde stap anders doen of overslaan, met motivatie")
        self.afwijking.clicked.connect(self.deviate_selected)
        self.gebeurtenis = QPushButton("Andere &gebeurtenis…")
        self.gebeurtenis.clicked.connect(lambda: self.open_event())
        self.sluiten = QPushButton("Traject &sluiten…")
        self.sluiten.clicked.connect(lambda: self.open_event(EventKind.TRAJECT_GESLOTEN))
        buttons = QHBoxLayout()
        for b in (self.vastleggen, self.afwijking, self.gebeurtenis):
            buttons.addWidget(b)
        buttons.addStretch(1)
        # Section 6 and 7: the overzicht van gesprekken en verslagen, and the stappenplan per rol (also blank).
        self.documenten = QPushButton("Docu&menten")
        self.documenten.setToolTip("Het overzicht van gesprekken en verslagen of een stappenplan bekijken, opslaan "
                                   "als Word of PDF, of afdrukken")
        self.documenten_menu = QMenu(self.documenten)
        self.documenten_menu.aboutToShow.connect(self._fill_documenten)
        self.documenten.setMenu(self.documenten_menu)
        # Documents, berichten and closing concern the whole traject: beside its name, so the row of step
        # actions stays short enough for a 1366-pixel screen.
        traject_buttons = QHBoxLayout()
        traject_buttons.addWidget(self.documenten)
        # The standaardberichten of the checklist ontkoppeling (section 4), filled from this traject.
        self.berichten = BerichtenKnop(view.session, self)
        traject_buttons.addWidget(self.berichten)
        traject_buttons.addWidget(self.sluiten)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)  # beside the list, which has none: width for the tijdlijn's columns
        kop_row = QHBoxLayout()
        kop_row.addWidget(self.kop, 1)
        kop_row.addLayout(traject_buttons)
        kop_row.setAlignment(traject_buttons, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(kop_row)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # while the tijdlijn has the focus, not the search field
            widget_shortcut(QKeySequence(key), self.tijdlijn, self.record_selected)
        # Outlook's habit: the actions of a list on its right click (and the menu key, Shift+F10).
        for table in (self.tijdlijn, self.stappenplan):
            context_menu(table, self._step_menu)
        context_menu(self.geschiedenis, self._history_menu)
        self.show_traject(None)

    # ---- showing -------------------------------------------------------------------------------------

    def show_traject(self, traject: Traject | None) -> None:
        """The selected traject, derived in full (the only one the list derives). The same traject again (after a
        change) keeps the step chosen and where its lists were scrolled; another starts them at the top."""
        same = traject is not None and self.traject is not None and traject.id == self.traject.id
        chosen = self.tijdlijn.current_status() if same else None
        self.traject = traject
        self.verslagen.set_traject(traject)
        self.checklist.show_traject(traject)
        enabled = traject is not None and not traject.closed
        for b in (self.vastleggen, self.afwijking, self.gebeurtenis, self.sluiten):
            b.setEnabled(enabled)
        if traject is None:
            self.overview = None
            self.kop.setText("<p style='color:#555'>Kies links een traject, of start een nieuw traject.</p>")
            self.info.setText("")
            self.tijdlijn.show_statuses([])
            self.stappenplan.show_statuses([])
            self.geschiedenis.clear()
            self._update_history_buttons()
            self._show_step_uitleg()
            return
        service = self.view.session.store.trajecten
        names = self._names(traject)
        try:
            self.overview = service.overview(traject, today())
        except Exception:  # noqa: BLE001 - a stored value must never take the window down: say so, show the rest
            log.exception("traject %s cannot be derived", traject.id)
            self.overview = None
        fase = ("gesloten" if traject.closed else
                f"fase {self.overview.phase}" if self.overview is not None else "kan niet berekend worden")
        self.kop.setText(
            f"<h2 style='margin:0'>{escape(names.aios)}</h2>"
            f"<p style='margin:2px 0'>bij {escape(names.opleider)}, {escape(names.praktijk)} · "
            f"{traject.categorie.label} · <b>{fase}</b> · {escape(self._procedure_text(traject))}</p>"
        )
        if self.overview is None:
            self.info.setText("<span style='color:#b3261e'>De stappen van dit traject kunnen niet berekend worden; "
                              "controleer de data in de geschiedenis.</span>")
            self.tijdlijn.show_statuses([])
        else:
            self.info.setText(self._info(traject, names.opleider))
            self.tijdlijn.show_statuses(list(self.overview.statuses))
        if chosen is not None:
            self.tijdlijn.select_key(chosen.key)
        else:
            for table in (self.tijdlijn, self.stappenplan):
                table.scrollToTop()
        self._show_step_uitleg()
        self._show_role()
        self.geschiedenis.clear()
        for line in reversed(history(service.definition(traject), traject, names.people)):
            item = QListWidgetItem(line.line)
            item.setData(Qt.ItemDataRole.UserRole, line.event_id)
            if line.status == "ingetrokken":
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(Qt.GlobalColor.darkGray)
            self.geschiedenis.addItem(item)
        if not same:
            self.geschiedenis.scrollToTop()
        self._update_history_buttons()

    def _show_step_uitleg(self) -> None:
        status = self.tijdlijn.current_status()
        if status is None:
            self.stap_uitleg.setText("<span style='color:#555'>Kies een stap voor wat hij inhoudt; Enter of "
                                     "dubbelklik legt hem vast.</span>" if self.traject is not None else "")
            return
        step = status.step
        delen = [f"<b>{escape(step.title)}</b> (paragraaf {escape(step.section)})"]
        if status.roles:
            delen.append(f"Wie: {escape(roles_text(status.roles))}")
        termijn = " — ".join(t for t in (status.term_label, status.window_text) if t)
        if termijn:
            delen.append(f"Termijn: {escape(termijn)}")
        toelichting = status.motivatie or step.note
        if toelichting:
            delen.append(f"Toelichting: {escape(toelichting)}")
        self.stap_uitleg.setText(" · ".join(delen))

    def _overzicht(self) -> tuple[Callable[[], Document], str] | None:
        """How to make the overzicht van gesprekken en verslagen of the traject shown, and its file name; None
        without a traject (or one whose steps cannot be derived)."""
        from ontkoppel_desktop.documents.traject import overzicht_document

        traject, overview = self.traject, self.overview
        if traject is None or overview is None or traject.id is None:
            return None
        session = self.view.session
        names = self._names(traject)
        traject_id = traject.id

        def maak() -> Document:
            return overzicht_document(overview, aios=names.aios, opleider=names.opleider,
                                      verslagen=session.store.verslagen.van_traject(traject_id), today=today())

        return maak, f"{today().isoformat()} Overzicht gesprekken en verslagen {names.aios}"

    def print_overzicht(self) -> bool:
        """The overzicht van gesprekken en verslagen on paper (the printer dialog first); True when printed."""
        from ontkoppel_desktop.ui.documenten import druk_document_af

        overzicht = self._overzicht()
        return overzicht is not None and druk_document_af(self, overzicht[0], OVERZICHT)

    def _fill_documenten(self) -> None:
        from ontkoppel_desktop.documents.traject import stappenplan_document
        from ontkoppel_desktop.ui.documenten import voeg_toe

        menu = self.documenten_menu
        menu.clear()
        traject, overview, overzicht = self.traject, self.overview, self._overzicht()
        if traject is None or overview is None or overzicht is None:
            menu.addAction("Kies eerst een traject").setEnabled(False)
            return
        session = self.view.session
        names = self._names(traject)
        definition = session.store.trajecten.definition(traject)
        maak, stam = overzicht
        voeg_toe(menu, self, OVERZICHT, maak, lambda: stam)
        rol = PROCEDURE_ROLES[max(0, self.rol.currentRow())]
        menu.addSeparator()
        voeg_toe(menu, self, f"Stappenplan {rol.label.lower()}",
                 lambda: stappenplan_document(definition, rol, overview=overview, aios=names.aios, today=today()),
                 lambda: f"{today().isoformat()} Stappenplan {rol.label.lower()} {names.aios}")
        voeg_toe(menu, self, f"Stappenplan {rol.label.lower()}, zonder persoonsgegevens",
                 lambda: stappenplan_document(definition, rol, today=today()),
                 lambda: f"Stappenplan {rol.label.lower()} {definition.version}")

    def _step_menu(self, menu: QMenu) -> None:
        for button in (self.vastleggen, self.afwijking, self.gebeurtenis):
            knop_in_menu(menu, button)

    def _history_menu(self, menu: QMenu) -> None:
        for button in (self.corrigeren, self.intrekken, self.verslag_schrijven):
            knop_in_menu(menu, button)

    def _procedure_text(self, traject: Traject) -> str:
        """The procedure version the traject follows, in the words of its file ("Procedure ontkoppeling 2023-03")."""
        try:
            definition = self.view.session.store.trajecten.definition(traject)
        except Exception:  # noqa: BLE001 - an unknown version is said, not fatal
            return f"procedure {traject.procedure_id} {traject.procedure_version} (onbekend in deze versie)"
        return f"{definition.title} {definition.version}"

    def _names(self, traject: Traject) -> _Names:
        """The names this traject shows: its aios and opleider, and every opleider its events name."""
        personen = self.view.session.store.personen
        opleider_ids = {traject.opleider_id} | {
            n for e in traject.events if (n := e.number("opleider_id")) is not None
        }
        opleiders = {o.id: o for o in personen.opleiders(archief=True, ids=opleider_ids) if o.id is not None}
        aios = personen.aios(archief=True, ids=[traject.aios_id])
        opleider = opleiders.get(traject.opleider_id)
        praktijk = ""
        if opleider is not None and opleider.praktijk_id is not None:
            found = personen.praktijken(archief=True, ids=[opleider.praktijk_id])
            praktijk = found[0].weergave if found else ""
        return _Names(
            aios[0].naam.volledig if aios else "(aios onbekend)",
            opleider.naam.volledig if opleider else "(opleider onbekend)",
            praktijk,
            {i: o.naam.volledig for i, o in opleiders.items()},
        )

    def _info(self, traject: Traject, opleider_naam: str) -> str:
        service = self.view.session.store.trajecten
        parts = []
        try:
            w = wachttijd(traject, today())
        except Exception:  # noqa: BLE001
            w = None
        if w is not None:
            # Utrecht 5.2.2, counted as the screen says: the days after the last day in the old practice.
            text = f"Wachttijd {w.uitleg}"
            if w.dagen_opleidingstijd is not None:
                text += f" Daarvan tellen {w.dagen_opleidingstijd} dagen als opleidingstijd."
            parts.append(escape(text))
        einde = service.verwachte_einddatum(traject.aios_id, today())
        if einde is not None:
            parts.append(f"Verwachte einddatum opleiding: {datum(einde)}")
        blokkade = service.blokkade(traject.opleider_id)
        if blokkade is not None:
            parts.append(f"<span style='color:#b3261e'><b>Blokkade</b> {escape(opleider_naam)}: "
                         f"{escape(blokkade.reden)}</span>")
        return " · ".join(parts)

    def _show_role(self) -> None:
        if self.overview is None or self.rol.currentRow() < 0:
            self.stappenplan.show_statuses([])
            return
        self.stappenplan.show_statuses(list(self.overview.for_role(PROCEDURE_ROLES[self.rol.currentRow()])))

    # ---- actions -------------------------------------------------------------------------------------

    def _selected(self) -> StepStatus | None:
        table = self.stappenplan if self.tabs.currentIndex() == 1 else self.tijdlijn
        status = table.current_status()
        if status is None:
            QMessageBox.information(self, "Kies een stap", "Kies eerst een stap in de tijdlijn.")
        return status

    def record_selected(self) -> None:
        status = self._selected()
        if status is None or self.traject is None:
            return
        if status.state.is_finished:
            QMessageBox.information(self, "Al gedaan", f"'{status.step.short or status.step.title}' is al "
                                    "vastgelegd. Een tweede gesprek leg je vast met 'Andere gebeurtenis…'.")
            return
        self._open_status(status)

    def _open_status(self, status: StepStatus) -> bool:
        """What Stap vastleggen does for an open step; True when something opened."""
        if self._verslag_step(status):
            return True
        if self.checklist.checklist is not None and status.step.id == self.checklist.checklist.stap:
            # The administratieve afhandeling is done by ticking the checklist ontkoppeling, point by point.
            self.tabs.setCurrentWidget(self.checklist)
            return True
        return self._step_form(status) is not None

    def _step_form(self, status: StepStatus) -> EventDialog | None:
        """The small form of the event that completes this step, its fixed data filled in."""
        matcher = status.step.done_by
        fixed: dict[str, object] = {key: allowed[0] for key, allowed in matcher.data}
        if status.origin_event_id and "bij" in matcher.kind.fields:
            fixed["bij"] = status.origin_event_id
        return self.open_event(matcher.kind, fixed, title=status.step.title, step_id=status.step.id)

    def open_step(self, key: str) -> bool:
        """The hand-off from a task: select the step with this key (a step id, 'id#2' for a later occurrence) in
        the Tijdlijn and open it as Stap vastleggen does (the step's form; for a gesprek with a verslag its wizard,
        for sending or archiving one its dates verstuurd and gearchiveerd; the checklist for the administratieve
        afhandeling). True if such an action was started."""
        if self.traject is None:
            return False
        self.tabs.setCurrentIndex(0)
        if not self.tijdlijn.select_key(key):
            return False
        self.tijdlijn.setFocus()
        status = self.tijdlijn.current_status()
        if status is None or status.state.is_finished or self.traject.closed:
            return False
        return self._open_status(status)

    def formulieren(self) -> dict[str, GesprekFormulier]:
        """The gesprekken with a verslag in this traject's procedure version (none for an unknown version)."""
        if self.traject is None:
            return {}
        try:
            return dict(self.view.session.store.verslagen.formulieren(self.traject))
        except Exception:  # noqa: BLE001 - an unknown procedure version has no wizards; the old form still works
            log.exception("no formulieren for traject %s", self.traject.id)
            return {}

    def _verslag_step(self, status: StepStatus) -> bool:
        """A gesprek with a verslag opens its wizard; a step that sends or archives a verslag opens the verslag's
        dates. True when handled so; False for every other step (the event form)."""
        traject = self.traject
        if traject is None or traject.id is None:
            return False
        formulieren = self.formulieren()
        if status.step.id in formulieren:
            self.write_verslag(status.step.id)
            return True
        gesprek = verslag_gesprek(status.step)
        if gesprek is not None and gesprek in formulieren:
            self.open_verslag_status(formulieren[gesprek], status.origin_event_id)
            return True
        return False

    def write_verslag(self, gesprek: str, gebeurtenis_id: str | None = None) -> QWidget | None:
        """The wizard of a gesprek: the user's own concept of it that is not yet recorded, else a new one."""
        traject = self.traject
        if traject is None or traject.id is None:
            return None
        session = self.view.session
        user = session.settings.gebruikersnaam.strip()
        if gebeurtenis_id is None and user:
            own = [v for v in session.store.verslagen.van_traject(traject.id)
                   if v.gesprek == gesprek and not v.voltooid and not v.definitief and v.auteur == user]
            if own:
                return open_verslag(self.window(), session, max(own, key=lambda v: v.id).id)
        from ontkoppel_desktop.ui.verslagen import wizard

        return wizard.start_gesprek(self.window(), session, traject.id, gesprek, gebeurtenis_id=gebeurtenis_id)

    def open_verslag_status(self, formulier: GesprekFormulier, origin_event_id: str | None) -> QWidget | None:
        """The dates verstuurd and gearchiveerd of the newest definitief verslag of this gesprek (the one the
        step belongs to), or why there is none yet, with the way on."""
        traject = self.traject
        if traject is None or traject.id is None:
            return None
        session = self.view.session
        verslagen = [v for v in session.store.verslagen.van_traject(traject.id) if v.gesprek == formulier.id]
        same = [v for v in verslagen if origin_event_id is not None and v.gebeurtenis_id == origin_event_id]
        verslagen = same or verslagen
        definitief = [v for v in verslagen if v.definitief]
        if definitief:
            newest = max(definitief, key=lambda v: (v.versie, v.id))
            return open_status(self.window(), session, newest.id, undo_stack=self.view.undo_stack,
                               initiator=self.view)
        return self._geen_definitief_verslag(formulier, verslagen, origin_event_id)

    def _geen_definitief_verslag(self, formulier: GesprekFormulier, concepten: list[Verslag],
                                 origin_event_id: str | None) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, "Verslag nog niet afgerond", "", parent=self.window())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextFormat(Qt.TextFormat.RichText)
        titel = formulier.titel.lower()
        if concepten:
            concept = max(concepten, key=lambda v: (v.versie, v.id))
            box.setText(f"Het verslag van het {escape(titel)} is nog een concept (van {escape(concept.auteur)}). "
                        "Alleen een afgerond verslag wordt verstuurd en gearchiveerd: rond het eerst af.")
            box.setInformativeText("Open het verslag om het af te maken en af te ronden, of rond het af op het "
                                   "tabblad Verslagen.")
            openen = box.addButton("Verslag &openen", QMessageBox.ButtonRole.AcceptRole)
            openen.clicked.connect(lambda: open_verslag(self.window(), self.view.session, concept.id))
        else:
            gebeurtenis = self._gesprek_event(formulier, origin_event_id)
            box.setText(f"Van het {escape(titel)} is nog geen verslag geschreven. Alleen een afgerond verslag wordt "
                        "verstuurd en gearchiveerd.")
            box.setInformativeText("Schrijf het verslag en rond het af; of leg de stap vast zonder verslag in de "
                                   "app, als het verslag elders is gemaakt.")
            schrijven = box.addButton("Verslag &schrijven…", QMessageBox.ButtonRole.AcceptRole)
            schrijven.clicked.connect(lambda: self.write_verslag(
                formulier.id, gebeurtenis.id if gebeurtenis is not None else None))
            zonder = box.addButton("&Zonder verslag vastleggen…", QMessageBox.ButtonRole.ActionRole)
            zonder.clicked.connect(self._record_selected_with_form)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.open()
        return box

    def _gesprek_event(self, formulier: GesprekFormulier, origin_event_id: str | None) -> TrajectEvent | None:
        """The recorded gesprek a send or archive step belongs to: its origin, else the last one recorded."""
        if self.traject is None or not formulier.gebeurtenissen:
            return None
        kind = formulier.gebeurtenissen[0]
        events = [e for e in self.traject.effective_events if e.kind is kind]
        return next((e for e in events if e.id == origin_event_id), events[-1] if events else None)

    def _record_selected_with_form(self) -> None:
        status = self._selected()
        if status is not None:
            self._step_form(status)

    def write_verslag_of_selected(self) -> QWidget | None:
        """The verslag of a gesprek recorded without one (from the history)."""
        event = self._selected_event()
        formulier = self._formulier_of_event(event)
        if event is None or formulier is None:
            return None
        return self.write_verslag(formulier.id, event.id)

    def _formulier_of_event(self, event: TrajectEvent | None) -> GesprekFormulier | None:
        if event is None:
            return None
        return next((f for f in self.formulieren().values() if f.gebeurtenissen and f.gebeurtenissen[0] is event.kind),
                    None)

    def _selected_event(self) -> TrajectEvent | None:
        """The gebeurtenis chosen in the history, as it stands now; None for a correctie or a withdrawn one."""
        item = self.geschiedenis.currentItem()
        if item is None or self.traject is None:
            return None
        event_id = item.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.traject.effective_events if e.id == event_id), None)

    def _update_history_buttons(self) -> None:
        event = self._selected_event()
        first = self.traject.effective_events[0].id if self.traject and self.traject.effective_events else None
        ordinary = event is not None and not event.kind.is_correctie
        closed = self.traject is not None and self.traject.closed
        self.corrigeren.setEnabled(ordinary and not closed)
        # The first event (the signaal or ziekmelding) starts the traject: it can be corrected, not withdrawn; a
        # closed traject takes only the withdrawal of its closing.
        self.intrekken.setEnabled(ordinary and event is not None and event.id != first
                                  and (not closed or event.kind is EventKind.TRAJECT_GESLOTEN))
        formulier = self._formulier_of_event(event) if ordinary and not closed else None
        heeft = (formulier is not None and event is not None
                 and bool(self.view.session.store.verslagen.bij_gebeurtenis(event.id)))
        self.verslag_schrijven.setEnabled(formulier is not None and not heeft)
        self.verslag_schrijven.setToolTip(
            "Dit gesprek heeft al een verslag: zie het tabblad Verslagen" if heeft else
            "Het verslag schrijven van het gekozen gesprek, dat al is vastgelegd" if formulier is not None else
            "Kies in de geschiedenis een vastgelegd gesprek met een verslag (driehoeksgesprek, evaluatiegesprek)")

    def _correction_target(self) -> tuple[TrajectEvent, Traject, int, str] | None:
        """The gebeurtenis chosen in the history, its traject and id, and the user's name; None if any lacks."""
        event = self._selected_event()
        traject = self.traject
        if event is None or traject is None or traject.id is None:
            return None
        user = ask_user_name(self, self.view.session, "de correctie")
        return (event, traject, traject.id, user) if user else None

    def correct_selected(self) -> EventDialog | None:
        target = self._correction_target()
        if target is None:
            return None
        event, traject, traject_id, user = target
        session = self.view.session
        dialog: EventDialog

        def save(_kind: EventKind, day: date, data: dict[str, object]) -> Changes:
            gegevens = {k: v for k, v in data.items() if event.data.get(k) != v and k != "koppeling_id"}
            gegevens.update({k: None for k in event.data if k not in data and k in event.kind.fields
                             and k != "koppeling_id"})
            if day == event.date and not gegevens:
                raise ValidatieFout(["Er is niets veranderd: pas de datum of een gegeven aan, of kies Annuleren."])
            return session.store.trajecten.corrigeren(
                traject_id, event.id, dialog.correctie_motivatie, user=user,
                datum=day if day != event.date else None, gegevens=gegevens or None)

        service = session.store.trajecten
        people = {o.id: o.naam.volledig for o in session.store.personen.opleiders(archief=True) if o.id is not None}
        dialog = EventDialog(service.definition(traject), traject, save=save, people=people,
                             title=f"Corrigeren: {event.kind.label}", parent=self.window(), session=session,
                             initiator=self.view, correcting=event)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def withdraw_selected(self) -> RedenDialog | None:
        target = self._correction_target()
        if target is None:
            return None
        event, traject, traject_id, user = target
        session = self.view.session
        errors: list[str] = []

        def intrekken(motivatie: str) -> str | None:
            errors.clear()
            done = operations.change(
                self, session, lambda: session.store.trajecten.intrekken(traject_id, event.id, motivatie, user=user),
                initiator=self.view, on_error=errors.append)
            return None if done is not None else (errors[0] if errors else "Niet gelukt.")

        beschrijving = describe(session.store.trajecten.definition(traject), event)
        dialog = RedenDialog(
            "Gebeurtenis intrekken",
            f"<b>{escape(datum(event.date))}: {escape(beschrijving)}</b><br>Deze gebeurtenis telt na het intrekken "
            "niet meer mee voor de stappen en termijnen. Zij blijft in de geschiedenis staan, doorgestreept, met wie "
            "haar introk, wanneer en waarom.",
            "&Waarom intrekken *:",
            doe=intrekken,
            ok_text="&Intrekken",
            leeg="Vul in waarom de gebeurtenis wordt ingetrokken.",
            veld_naam="Motivatie",
            meerregelig=True,
            weggooien="Je hebt een motivatie getypt; de gebeurtenis is nog niet ingetrokken. Weggooien?",
            parent=self.window(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def deviate_selected(self) -> None:
        status = self._selected()
        if status is None:
            return
        fixed: dict[str, object] = {"stap": status.step.id}
        if status.origin_event_id:
            fixed["bij"] = status.origin_event_id
        self.open_event(EventKind.AFWIJKING, fixed, title=f"Afwijking: {status.step.short or status.step.title}")

    def open_event(self, kind: EventKind | None = None, fixed: dict[str, object] | None = None, *,
                   title: str = "", step_id: str | None = None) -> EventDialog | None:
        traject = self.traject
        if traject is None or traject.id is None:
            return None
        session = self.view.session
        traject_id = traject.id
        user = ask_user_name(self, session, "de stap" if step_id is not None else "de gebeurtenis")
        if not user:
            return None

        def save(k: EventKind, day: date, data: dict[str, object]) -> Changes:
            service = session.store.trajecten  # the store of the moment: the form may outlive a lock
            if step_id is not None and k is kind and fixed is not None:
                return service.record_step(traject_id, step_id, day, data, user=user)
            return service.record(traject_id, k, day, data, user=user)

        service = session.store.trajecten
        blocked = service.blokkades()
        people = {
            o.id: o.naam.volledig + (" — geblokkeerd, geen nieuwe aios" if o.id in blocked else "")
            for o in session.store.personen.opleiders() if o.id is not None
        }
        dialog = EventDialog(service.definition(traject), traject, save=save, people=people, kind=kind,
                             fixed=fixed, title=title, parent=self.window(), session=session, initiator=self.view)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


class TrajectenView(QWidget):
    """The list reads the stored summaries (core.procedure.readmodel) with SQL; only the selected traject is
    derived in full. A change refreshes the rows it touched."""

    TITLE = "Trajecten"

    def __init__(self, session: Session, undo_stack: QUndoStack | None = None) -> None:
        super().__init__()
        self.session = session
        self.stale = True
        self.day = today()
        # Setting a verslag's dates verstuurd/gearchiveerd is undone on this screen's stack (the main window's).
        self.undo_stack: QUndoStack = undo_stack if undo_stack is not None else session.undo_stack()
        self.model: RecordTableModel[TrajectRij] = RecordTableModel(
            [
                Column("Aios", lambda r: r.aios_naam.sorteernaam, 130,
                       tooltip=lambda r: f"bij {r.opleider_naam.volledig}"),
                Column("Fase", _fase_text, 60, tooltip=lambda r: r.overzicht.fout),
                Column("Te laat", lambda r: r.te_laat or None, 55,
                       background=lambda r: "#f9d6d2" if r.te_laat else None, bold=lambda r: r.te_laat > 0),
                Column("Termijn", lambda r: r.volgende_termijn, 90, tooltip=self._next_step_title,
                       fits=DATUM_BREEDTE),
                Column("Opleider", lambda r: r.opleider_naam.sorteernaam, 130),
                Column("Gestart", lambda r: r.overzicht.gestart, 90, fits=DATUM_BREEDTE),
            ],
            lambda r: r.id,
        )
        self.zoek = SearchField("Zoek op aios, opleider of praktijk…", "Zoeken in trajecten")
        self.zoek.search.connect(self.model.set_search)
        self.gesloten = QCheckBox("Toon &gesloten")
        self.gesloten.toggled.connect(lambda: self._apply_filter())
        self.nieuw = QPushButton("&Nieuw traject…")
        self.nieuw.clicked.connect(self.new_traject)
        self.ics = QPushButton("Naar &agenda (.ics)…")
        self.ics.setToolTip("De termijnen van de getoonde trajecten exporteren, om te importeren in Outlook")
        self.ics.clicked.connect(self.export_ics)
        self.terugkomdagen = QPushButton("&Opleidersterugkomdagen…")
        self.terugkomdagen.clicked.connect(self.edit_agenda)
        self.lijst = QTableView()
        self.lijst.setModel(self.model)
        self.lijst.setSortingEnabled(True)
        self.lijst.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.lijst.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lijst.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lijst.verticalHeader().setVisible(False)
        self.lijst.setAccessibleName("Trajecten")
        self.lijst_fit = ColumnFit(self.lijst, self.model.columns, hold=560)
        self.lijst.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.detail = TrajectDetail(self)
        context_menu(self.lijst, self._lijst_menu)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.zoek, 1)
        top.addWidget(self.gesloten)
        left_layout.addLayout(top)
        left_layout.addWidget(self.lijst, 1)
        knoppen = QHBoxLayout()
        knoppen.addWidget(self.nieuw)
        knoppen.addWidget(self.ics)
        knoppen.addWidget(self.terugkomdagen)
        knoppen.addStretch(1)
        left_layout.addLayout(knoppen)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([420, 870])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        session.changed.connect(self._on_changed)
        session.locked.connect(self._on_locked)
        self._pending_select: int | None = None
        self._apply_filter()

    def _lijst_menu(self, menu: QMenu) -> None:
        """The traject's own actions first (it is the one right-clicked: a right click chooses the row), then the
        list's."""
        detail = self.detail
        gekozen = detail.traject is not None
        afdrukken = menu.addAction("Overzicht &afdrukken…", detail.print_overzicht)
        afdrukken.setEnabled(gekozen and detail.overview is not None)
        afdrukken.setStatusTip(f"{OVERZICHT} van dit traject afdrukken")
        knop_in_menu(menu, detail.documenten)
        knop_in_menu(menu, detail.berichten)
        knop_in_menu(menu, detail.sluiten)
        menu.addSeparator()
        for button in (self.nieuw, self.ics, self.terugkomdagen):
            knop_in_menu(menu, button)

    def _next_step_title(self, r: TrajectRij) -> str:
        if not r.volgende_stap:
            return ""
        try:
            return self.session.store.trajecten.registry.get(r.procedure_id, r.procedure_version).step(
                r.volgende_stap).title
        except Exception:  # noqa: BLE001 - only a tooltip
            return ""

    # ---- data ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.session.is_locked:
            return
        self.day = today()
        rows = self.session.store.trajecten.rows(self.day)
        current = self._pending_select or self.current_id()
        self.model.set_rows(rows, _search_text)
        self.stale = False
        self._pending_select = None
        if current is None and self.model.rowCount():
            current = self.model.data(self.model.index(0, 0), ID_ROLE)  # the most urgent, at the top
        if current is not None:
            self.select(current)
        else:
            self._show_current()

    def update(self, ids: set[int]) -> None:
        """These trajecten changed: read their rows again, and the detail if it shows one of them."""
        rows = self.session.store.trajecten.rows(self.day, ids)
        current = self._pending_select or self.current_id()
        self.model.update_rows(lambda r: r.id in ids, rows)
        self._pending_select = None
        if current is not None:
            self.select(current)

    def _apply_filter(self) -> None:
        show_closed = self.gesloten.isChecked()
        self.model.set_predicate(None if show_closed else (lambda r: not r.overzicht.gesloten))

    def current_id(self) -> int | None:
        index = self.lijst.currentIndex()
        return self.model.data(index, ID_ROLE) if index.isValid() else None

    def select(self, traject_id: int) -> None:
        if self.stale:
            self._pending_select = traject_id
            return
        row = self.model.row_of_id(traject_id)
        if row is None and not self.gesloten.isChecked() and any(r.id == traject_id for r in self.model.all_rows()):
            self.gesloten.setChecked(True)
            row = self.model.row_of_id(traject_id)
        if row is not None and row != self.lijst.currentIndex().row():
            self.lijst.selectRow(row)
            self.lijst.scrollTo(self.model.index(row, 0))
            return  # currentRowChanged shows it
        self._show_current()

    def _show_current(self) -> None:
        traject_id = self.current_id()
        traject = None
        if traject_id is not None and not self.session.is_locked:
            traject = self.session.store.trajecten.repo.load(traject_id)
        self.detail.show_traject(traject)

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        if isinstance(changes.created, int) and changes.touches(c.TRAJECT, changes.created) and initiator is self:
            self._pending_select = changes.created
        if self.stale or changes.everything_of & {c.TRAJECT, c.AIOS, c.OPLEIDER, c.PRAKTIJK}:
            self.stale = True
            if self.isVisible():
                self.refresh()
            return
        ids = set(changes.int_ids(c.TRAJECT) or ())
        if changes.touches_any(c.AIOS, c.OPLEIDER, c.BLOKKADE, c.PRAKTIJK):
            # A renamed aios, opleider or praktijk shows in the rows of their trajecten.
            for row in self.model.all_rows():
                if (changes.touches(c.AIOS, row.aios_id) or changes.touches(c.OPLEIDER, row.opleider_id)
                        or changes.touches(c.BLOKKADE, row.opleider_id)
                        or (row.praktijk_id is not None and changes.touches(c.PRAKTIJK, row.praktijk_id))):
                    ids.add(row.id)
        if ids:
            self.update(ids)
        elif self._pending_select is not None:
            self.select(self._pending_select)
            self._pending_select = None

    def _on_locked(self) -> None:
        # Nothing confidential stays (the list, the traject shown, a name searched); the traject shown is kept by
        # its id and shown again when the list is read after unlocking.
        shown = self.detail.traject.id if self.detail.traject is not None else None
        self._pending_select = self._pending_select or shown or self.current_id()
        self.model.clear()
        self.zoek.forget()
        self.detail.show_traject(None)
        self.stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale or self.day != today():
            self.refresh()

    # ---- actions -------------------------------------------------------------------------------------

    def new_traject(self) -> NewTrajectDialog | None:
        store = self.session.store
        alle = store.personen.koppelingen()
        lopend = [k for k in alle if k.loopt_op(today())]
        if not lopend:
            self._geen_koppeling(bool(alle))
            return None
        user = ask_user_name(self, self.session, "het nieuwe traject")
        if not user:
            return None
        session = self.session
        dialog = NewTrajectDialog(
            lopend, Lookups.load(store.personen),
            lambda k, reden, cat, day, omschrijving: session.store.trajecten.start(
                k, reden, cat, day, user=user, omschrijving=omschrijving),
            self.window(), session=session, initiator=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _geen_koppeling(self, ooit: bool) -> None:
        """A traject starts on a running koppeling: say where one is added, with the way there."""
        from ontkoppel_desktop.ui.vraag import kies

        waarom = ("Geen van de koppelingen loopt vandaag" if ooit else "Er is nog geen koppeling")
        if kies(self, "Nieuw traject",
                f"{waarom}. Een traject start op de koppeling van een aios met een opleider die nu loopt.\n\n"
                "Voeg de koppeling toe in Personen → Koppelingen (Nieuw…), of pas daar de begin- of einddatum aan; "
                "start daarna het traject.", ["Naar &Personen → Koppelingen"], standaard=0) == 0:
            self.naar_koppelingen()

    def naar_koppelingen(self) -> bool:
        """Personen, on its tab Koppelingen (through the main window; False where there is none)."""
        window = self.window()
        show_section = getattr(window, "show_section", None)
        if show_section is None or not hasattr(window, "personen"):
            return False
        personen = window.personen
        show_section(personen)
        personen.show_kind("koppeling")
        return True

    def edit_agenda(self) -> None:
        from ontkoppel_desktop.ui.trajecten.agenda import AgendaDialog

        dialog = AgendaDialog(self.session, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def export_ics(self) -> None:
        ids = {r.id for r in self.model.visible_rows()}
        export_ics(self, self.session.store.trajecten.taken(today(), ids))


@dataclass(frozen=True)
class _Names:
    aios: str
    opleider: str
    praktijk: str
    people: dict[int, str]  # opleider id -> name, for the history


def _fase_text(r: TrajectRij) -> str:
    if r.overzicht.fout:
        return "onbekend"
    return "gesloten" if r.overzicht.gesloten else f"fase {r.overzicht.fase}"


def _search_text(r: TrajectRij) -> str:
    return f"{r.aios_naam.volledig} {r.opleider_naam.volledig} {r.praktijk}"
