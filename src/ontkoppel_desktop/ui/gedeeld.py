"""Instituut: the trajecten the institute shares with this user (other laptops started them), with their terms and
the steps of the user's roles, and the institute's blocked opleiders. Shown in the navigation while the store is
connected to an institute (instituut/gedeeld.py does the work).

A jaarassistent sees every traject of their year with its terms; a manager opleiding or plv. hoofd records the
besluit, the voortgang and the wachttijd here, on the same traject the docent's laptop started; the step waits in
the outbox and travels with the next synchronisation.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure import StepState, StepStatus, event_for_step, history, new_event
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import gedeeld, outbox
from ontkoppel_desktop.instituut.gedeeld import GedeeldTraject
from ontkoppel_desktop.ui.instituut import Synchronisatie
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import DATUM_BREEDTE, Column, ColumnFit, RecordTableModel
from ontkoppel_desktop.ui.trajecten.common import due_text, roles_text, state_colour, today
from ontkoppel_desktop.ui.trajecten.event_form import EventDialog
from ontkoppel_desktop.ui.widgets import SearchField, context_menu


def _volgende(g: GedeeldTraject, rollen: frozenset[Rol] | None = None) -> StepStatus | None:
    return g.eerstvolgende(rollen)


def _stap_tekst(s: StepStatus | None) -> str:
    return (s.step.short or s.step.title) if s is not None else ""


def _status_tekst(s: StepStatus) -> str:
    if s.state is StepState.OVERDUE:
        return "Te laat"
    return s.state.label


class GedeeldView(QWidget):
    TITLE = "Instituut"
    # A step recorded: the window starts a synchronisation.
    vastgelegd = Signal()

    def __init__(self, session: Session, synchronisatie: Synchronisatie | None = None) -> None:
        super().__init__()
        self.session = session
        self.synchronisatie = synchronisatie
        self.rollen: frozenset[Rol] = frozenset()
        self.dag = today()
        self._gekozen: str | None = None
        self.gedeeld = gedeeld.Gedeeld()  # derives again only what changed

        self.kop = QLabel()
        self.kop.setWordWrap(True)
        self.zoek = SearchField("Zoek op aios, opleider of groep")
        self.zoek.setAccessibleName("Zoeken in gedeelde trajecten")
        self.zoek.textChanged.connect(self._filter)
        self.mijn = QCheckBox("Alleen waar mijn &rol iets moet doen")
        self.mijn.toggled.connect(lambda _: self._filter())
        self.nu = QPushButton("Nu &synchroniseren")
        if synchronisatie is not None:
            self.nu.clicked.connect(synchronisatie.start)
            synchronisatie.bezig_veranderd.connect(lambda bezig: self.nu.setEnabled(not bezig))
            synchronisatie.klaar.connect(lambda _: self.ververs())
        else:
            self.nu.hide()
        balk = QHBoxLayout()
        balk.addWidget(self.zoek, 1)
        balk.addWidget(self.mijn)
        balk.addWidget(self.nu)

        self.model: RecordTableModel[GedeeldTraject] = RecordTableModel(
            [
                Column("Aios", lambda g: g.aios_naam, 150),
                Column("Opleider", lambda g: g.opleider_naam, 150),
                Column("Groep", lambda g: g.groep, 110),
                Column("Jaar", lambda g: g.opleidingsjaar, 50, fits="Jaar"),
                Column("Fase", lambda g: g.fase, 170, optional=True),
                Column("Eerstvolgende stap", lambda g: _stap_tekst(_volgende(g)), 220,
                       tooltip=lambda g: self._volgende_tooltip(g)),
                Column("Termijn", lambda g: self._termijn(_volgende(g)), 110, fits=DATUM_BREEDTE,
                       background=lambda g: self._kleur(_volgende(g))),
                Column("Wie", lambda g: roles_text(s.step.roles) if (s := _volgende(g)) else "", 130),
                Column("Verzending", self._verzending, 120, optional=True),
            ],
            lambda g: None,  # chosen by UUID (_gekozen), not by a store id
            keep_order=True,
        )
        self.tabel = QTableView()
        self.tabel.setAccessibleName("Gedeelde trajecten")
        self.tabel.setModel(self.model)
        self.tabel.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabel.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Not sortable by a header: the order is the point (open ones first, the most urgent term on top).
        self.tabel.verticalHeader().hide()
        self.tabel.selectionModel().currentRowChanged.connect(lambda *_: self._toon_detail())
        ColumnFit(self.tabel, self.model.columns)
        self.leeg = QLabel()
        self.leeg.setWordWrap(True)
        self.leeg.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.leeg.hide()

        # ---- the selected traject: its steps with their terms, and its history -------------------------------
        self.titel = QLabel()
        self.titel.setWordWrap(True)
        self.titel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stappen_model: RecordTableModel[StepStatus] = RecordTableModel(
            [
                Column("Status", _status_tekst, 100, background=lambda s: state_colour(s.state, s.days_left),
                       bold=lambda s: s.state is StepState.OVERDUE),
                Column("Termijn", self._termijn, 110, fits=DATUM_BREEDTE,
                       tooltip=lambda s: f"{s.term_label}\n{s.window_text or s.days_text}"),
                Column("Stap", lambda s: s.step.short or s.step.title, 260,
                       tooltip=lambda s: f"{s.step.title}\n(paragraaf {s.step.section} van de procedure)"),
                Column("Wie", lambda s: roles_text(s.step.roles), 150),
            ],
            lambda s: None,
            keep_order=True,
        )
        self.stappen = QTableView()
        self.stappen.setAccessibleName("Stappen van het gedeelde traject")
        self.stappen.setModel(self.stappen_model)
        self.stappen.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stappen.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stappen.verticalHeader().hide()
        self.stappen.selectionModel().currentRowChanged.connect(lambda *_: self._knoppen())
        self.stappen.doubleClicked.connect(lambda _: self.leg_stap_vast())
        ColumnFit(self.stappen, self.stappen_model.columns, grow=True)
        self.vastleggen = QPushButton("Stap v&astleggen…")
        self.vastleggen.setToolTip("Leg de gekozen stap van uw rol vast; hij gaat met de volgende synchronisatie "
                                   "naar het instituut.")
        self.vastleggen.clicked.connect(self.leg_stap_vast)
        self.waarom = QLabel()
        self.waarom.setWordWrap(True)
        self.waarom.setStyleSheet("color: #555;")
        stappen_tab = QWidget()
        s = QVBoxLayout(stappen_tab)
        s.addWidget(self.stappen, 1)
        knoppen = QHBoxLayout()
        knoppen.addWidget(self.waarom, 1)
        knoppen.addWidget(self.vastleggen, alignment=Qt.AlignmentFlag.AlignTop)
        s.addLayout(knoppen)
        self.geschiedenis = QListWidget()
        self.geschiedenis.setAccessibleName("Geschiedenis van het gedeelde traject")
        self.geschiedenis.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(stappen_tab, "S&tappen en termijnen")
        self.tabs.addTab(self.geschiedenis, "&Geschiedenis")
        detail = QWidget()
        d = QVBoxLayout(detail)
        d.setContentsMargins(0, 0, 0, 0)
        d.addWidget(self.titel)
        d.addWidget(self.tabs, 1)

        # ---- the institute's blocked opleiders -----------------------------------------------------------
        self.blokkades = QListWidget()
        self.blokkades.setAccessibleName("Geblokkeerde opleiders bij het instituut")
        self.blokkades.setWordWrap(True)
        blok = QGroupBox("Geblokkeerde opleiders bij het instituut (geen nieuwe aios)")
        b = QVBoxLayout(blok)
        b.addWidget(self.blokkades)

        boven = QWidget()
        bv = QVBoxLayout(boven)
        bv.setContentsMargins(0, 0, 0, 0)
        bv.addLayout(balk)
        bv.addWidget(self.tabel, 1)
        bv.addWidget(self.leeg, 1)
        onder = QSplitter(Qt.Orientation.Horizontal)
        onder.addWidget(detail)
        onder.addWidget(blok)
        onder.setStretchFactor(0, 3)
        onder.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(boven)
        splitter.addWidget(onder)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # The verslagen sealed to this user, beside the trajecten (ui/ontvangen.py).
        from ontkoppel_desktop.ui.ontvangen import OntvangenVerslagen

        self.ontvangen = OntvangenVerslagen(session)
        self.ontvangen.vastgelegd.connect(self.vastgelegd)
        self.bladen = QTabWidget()
        self.bladen.setDocumentMode(True)
        self.bladen.addTab(splitter, "Ge&deelde trajecten")
        self.bladen.addTab(self.ontvangen, "Ontvangen v&erslagen")
        from ontkoppel_desktop.ui.instituut_personen import InstituutPersonen

        self.personen = InstituutPersonen(session)
        self.personen.gewijzigd.connect(self.vastgelegd)
        self.bladen.addTab(self.personen, "&Personen van het instituut")
        layout = QVBoxLayout(self)
        layout.addWidget(self.kop)
        layout.addWidget(self.bladen, 1)
        context_menu(self.stappen, self._menu)

        session.changed.connect(self._changed)
        session.locked.connect(self.leegmaken)
        session.unlocked.connect(self.ververs)
        self.ververs()

    # ---- reading -----------------------------------------------------------------------------------------

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches_any(c.GEDEELD, c.BLOKKADE, c.AGENDA):
            self.ververs()

    def leegmaken(self) -> None:
        """Locked: nothing of the shared trajecten stays in a widget or model."""
        self.gedeeld.vergeet()
        self.model.clear()
        self.stappen_model.clear()
        self.geschiedenis.clear()
        self.blokkades.clear()
        self.titel.clear()
        self.kop.clear()
        self.waarom.clear()
        self.zoek.clear()

    def ververs(self) -> None:
        if self.session.is_locked:
            return
        conn = self.session.store.conn
        verbinding = outbox.verbinding(conn)
        self.rollen = gedeeld.rollen(verbinding)
        self.dag = today()
        agenda = self.session.store.trajecten.agenda()
        trajecten = self.gedeeld.lijst(conn, self.dag, agenda) if verbinding is not None else []
        rollen = ", ".join(r.label.lower() for r in sorted(self.rollen)) or "geen rol"
        if verbinding is None:
            self.kop.setText("Deze opslag is niet verbonden met een instituut.")
        else:
            wie = verbinding.account_naam or verbinding.account
            self.kop.setText(f"Trajecten die het instituut met u deelt als {rollen} ({wie}): alleen wat uw rol "
                             "nodig heeft. Ze zijn gestart op de laptop van een docent.")
        self.model.set_rows(trajecten, lambda g: f"{g.aios_naam} {g.opleider_naam} {g.groep}")
        self._filter()
        self.blokkades.clear()
        for b in outbox.blokkades(conn) if verbinding is not None else []:
            self.blokkades.addItem(f"{b.opleider_naam or 'Opleider zonder naam'} — sinds {dutch_date(b.sinds)}; "
                                   f"wacht op: {b.wacht_op.lower()}")
        if not self.blokkades.count():
            self.blokkades.addItem("Geen opleiders geblokkeerd.")

    def _filter(self) -> None:
        self.model.set_search(self.zoek.text())
        mijn = self.mijn.isChecked()
        self.model.set_predicate((lambda g: _volgende(g, self.rollen) is not None) if mijn else None)
        leeg = self.model.rowCount() == 0
        self.tabel.setVisible(not leeg)
        self.leeg.setVisible(leeg)
        if leeg:
            if self.model.total:
                self.leeg.setText("Geen gedeeld traject past bij de zoekopdracht of het filter.")
            else:
                self.leeg.setText("Het instituut deelt nog geen trajecten met u. Trajecten verschijnen hier na de "
                                  "synchronisatie zodra een docent ze start in een groep of jaar van uw rol (voor "
                                  "managers opleiders en het plv. hoofd: vanaf het advies tot ontkoppeling).")
        self._herstel_keuze()

    def _herstel_keuze(self) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).uuid == self._gekozen:
                self.tabel.selectRow(row)
                self._toon_detail()
                return
        if self.model.rowCount():
            self.tabel.selectRow(0)
        self._toon_detail()

    def gekozen(self) -> GedeeldTraject | None:
        index = self.tabel.currentIndex()
        if not index.isValid() or not self.tabel.isVisible() and self.model.rowCount() == 0:
            return None
        if index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def _toon_detail(self) -> None:
        g = self.gekozen()
        self.geschiedenis.clear()
        if g is None:
            self.titel.setText("")
            self.stappen_model.set_rows([], lambda s: "")
            self._knoppen()
            return
        self._gekozen = g.uuid
        self.titel.setText(f"<b>{_html(g.aios_naam)}</b> bij {_html(g.opleider_naam)} — {_html(g.groep)}, jaar "
                           f"{g.opleidingsjaar}. {_html(g.fase)}")
        stappen = list(g.overview.statuses) if g.overview is not None else []
        zichtbaar = [s for s in stappen if s.state is not StepState.NOT_YET and s.state is not
                     StepState.NOT_APPLICABLE]
        self.stappen_model.set_rows(zichtbaar, lambda s: s.step.title)
        # The most urgent open step of my roles chosen, so the button does what is due first.
        mijn = g.eerstvolgende(self.rollen)
        for row in range(self.stappen_model.rowCount()):
            if mijn is not None and self.stappen_model.row_at(row).key == mijn.key:
                self.stappen.selectRow(row)
                break
        if g.definition is not None:
            for regel in history(g.definition, g.traject):
                self.geschiedenis.addItem(regel.line)
        for event, melding in g.wachtend:
            if melding is None:
                self.geschiedenis.addItem(f"{dutch_date(event.date)}: {event.kind.label} — wacht op verzending naar "
                                          "het instituut")
            else:
                self.geschiedenis.addItem(f"{dutch_date(event.date)}: {event.kind.label} — geweigerd door het "
                                          f"instituut: {melding}")
        self._knoppen()

    def gekozen_stap(self) -> StepStatus | None:
        index = self.stappen.currentIndex()
        if not index.isValid() or index.row() >= self.stappen_model.rowCount():
            return None
        return self.stappen_model.row_at(index.row())

    def _knoppen(self) -> None:
        g, s = self.gekozen(), self.gekozen_stap()
        reden = self._waarom_niet(g, s)
        self.vastleggen.setEnabled(reden is None)
        self.waarom.setText(reden or "")

    def _waarom_niet(self, g: GedeeldTraject | None, s: StepStatus | None) -> str | None:
        if g is None or s is None:
            return "Kies een stap."
        if g.definition is None:
            return "Deze versie van het programma kent de procedure van dit traject niet."
        if not s.state.is_open:
            return "Deze stap is niet open."
        if not any(r in self.rollen for r in s.step.roles):
            return f"Deze stap is voor {roles_text(s.step.roles).lower()}, niet voor uw rol."
        if g.geweigerd:
            return gedeeld.GEWEIGERD_EERST
        return gedeeld.niet_hier(s, g)

    def _menu(self, menu: QMenu) -> None:
        actie = menu.addAction("Stap &vastleggen…", self.leg_stap_vast)
        actie.setEnabled(self.vastleggen.isEnabled())

    # ---- recording -------------------------------------------------------------------------------------

    def leg_stap_vast(self) -> EventDialog | None:
        g, s = self.gekozen(), self.gekozen_stap()
        if g is None or s is None or g.definition is None or self._waarom_niet(g, s) is not None:
            return None
        definition = g.definition
        matcher = s.step.done_by
        fixed: dict[str, object] = {key: allowed[0] for key, allowed in matcher.data}
        if s.origin_event_id and "bij" in matcher.kind.fields:
            fixed["bij"] = s.origin_event_id
        step_id, traject_uuid = s.step.id, g.uuid
        session = self.session

        def save(kind: object, day: date, data: dict[str, object]) -> Changes:
            conn = session.store.conn  # the store of the moment: the form may outlive a lock
            verbinding = outbox.verbinding(conn)
            user = (verbinding.account_naam or verbinding.account) if verbinding else ""
            event = (event_for_step(definition, step_id, day, data, user=user) if kind is matcher.kind
                     else new_event(kind, day, data, user=user))  # type: ignore[arg-type]
            gedeeld.leg_vast(conn, traject_uuid, event)
            return Changes.of(c.GEDEELD, traject_uuid)

        people = gedeeld.personen(session.store.conn)
        dialog = EventDialog(definition, g.traject, save=save, people=people, kind=matcher.kind, fixed=fixed,
                             title=s.step.title, parent=self.window(), session=session, initiator=self)
        dialog.saved.connect(lambda _: self.vastgelegd.emit())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ---- cells -----------------------------------------------------------------------------------------

    def _termijn(self, s: StepStatus | None) -> str:
        if s is None:
            return ""
        return due_text(s.due, s.due_warning, s.due_from)

    def _kleur(self, s: StepStatus | None) -> str | None:
        return state_colour(s.state, s.days_left) if s is not None else None

    def _volgende_tooltip(self, g: GedeeldTraject) -> str:
        mijn = _volgende(g, self.rollen)
        if mijn is None:
            return "Geen open stap voor uw rol."
        return f"Eerstvolgende stap voor uw rol: {mijn.step.title} ({self._termijn(mijn) or 'geen termijn'})"

    @staticmethod
    def _verzending(g: GedeeldTraject) -> str:
        if g.geweigerd:
            return "Geweigerd"
        if g.wachtend:
            return "Wacht"
        return ""


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["GedeeldView"]
