"""1-op-1 after an ontkoppeling (Utrecht 5.2.1): for the aios of a traject, the opleiders from Personen who may
take them now, with the reason for every one who may not; the kennismakingsgesprek is recorded in the traject."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.koppelplanner import (
    Aios,
    Kandidaat,
    Opleider,
    OpleiderStatus,
    Ronde,
    RondeIndex,
    candidates,
)
from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.ui.lookups import Lookups
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import Column, RecordTableModel
from ontkoppel_desktop.ui.widgets import combo


class EenOpEenPanel(QWidget):
    def __init__(self, session: Session, open_event: Any) -> None:
        super().__init__()
        self.session = session
        self._open_event = open_event
        self.lookups = Lookups()
        self._traject_na_ontgrendelen: int | None = None  # the traject chosen when the store locked
        self.traject = combo([])
        self.traject.setAccessibleName("Aios na ontkoppeling")
        self.traject.currentIndexChanged.connect(lambda _: self._show())
        self.uitleg = QLabel()
        self.uitleg.setWordWrap(True)
        self.uitleg.setAccessibleName("Toelichting bij de 1-op-1")
        self.model: RecordTableModel[Kandidaat] = RecordTableModel(
            [
                # "ja"/"nee" in words and in bold; the green says it once more, never alone.
                Column("Geschikt", lambda k: "ja" if k.geschikt else "nee", 0,
                       background=lambda k: "#e3f2e5" if k.geschikt else None, bold=lambda k: k.geschikt),
                Column("Opleider", lambda k: self.lookups.opleider_sorteernaam(int(k.opleider_id)), 0),
                Column("Praktijk", lambda k: self.lookups.opleider_praktijk(int(k.opleider_id)), 0),
                Column("Voorrang", lambda k: "ja" if k.voorrang else "", 0),
                Column("Waarom niet", lambda k: k.reden_kort, 0),
            ],
            lambda k: int(k.opleider_id),
            keep_order=True,  # geschikt first, priority opleiders first (AMC kaders)
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Opleiders voor de 1-op-1")
        self.table.setAccessibleDescription("Kies een opleider; Enter legt het kennismakingsgesprek vast. "
                                            "Rechtsklik of de menutoets voor meer.")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        # The short columns as wide as their header and text, the reason takes the rest and wraps.
        header = self.table.horizontalHeader()
        for i in range(len(self.model.columns) - 1):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.model.columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.installEventFilter(self)
        # Utrecht 5.2.1: the new opleider is informed in general terms (the overdracht), then both say yes or no.
        self.overdracht = QPushButton("&Overdracht aan de nieuwe opleider…")
        self.overdracht.setToolTip("De gekozen opleider in algemene termen inlichten, per competentiegebied")
        self.overdracht.clicked.connect(self.record_overdracht)
        self.kennismaking = QPushButton("&Kennismakingsgesprek vastleggen…")
        self.kennismaking.clicked.connect(self.record_kennismaking)
        self.table.activated.connect(lambda _: self.record_kennismaking())
        top = QHBoxLayout()
        label = QLabel("&Aios na ontkoppeling:")
        label.setBuddy(self.traject)
        top.addWidget(label)
        top.addWidget(self.traject, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.uitleg)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.overdracht)
        buttons.addWidget(self.kennismaking)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        store = self.session.store
        self.lookups = Lookups.load(store.personen)
        # Ontkoppeld and no new koppeling confirmed yet: read from the trajecten's stored summaries.
        open_trajecten = store.trajecten.waiting_for_opleider()
        current = self.traject.currentData() if self.traject.count() else self._traject_na_ontgrendelen
        self.traject.blockSignals(True)
        self.traject.clear()
        for t in open_trajecten:
            self.traject.add(f"{self.lookups.aios_naam(t.aios_id)} (ontkoppeld van "
                             f"{self.lookups.opleider_naam(t.opleider_id)})", t.id)
        self.traject.setCurrentIndex(max(0, self.traject.findData(current)))
        self.traject.blockSignals(False)
        self._show()

    def forget(self) -> None:
        """The store locks: the aios listed by name, the candidates and what was said about them go; the traject
        chosen is kept by its id and chosen again after unlocking."""
        if self.traject.count():
            self._traject_na_ontgrendelen = self.traject.currentData()
        self.traject.blockSignals(True)
        self.traject.clear()
        self.traject.blockSignals(False)
        self.model.clear()
        self.uitleg.setText("")
        self.lookups = Lookups()

    def _show(self) -> None:
        traject_id = self.traject.currentData()
        if traject_id is None:
            self.uitleg.setText("Er is nu geen ontkoppelde aios die nog een nieuwe opleider nodig heeft.")
            self.model.clear()
            self.kennismaking.setEnabled(False)
            self.overdracht.setEnabled(False)
            return
        store = self.session.store
        traject = store.trajecten.get(traject_id)
        aios = self.lookups.aios[traject.aios_id]
        blocked = store.trajecten.blokkades()
        today = date.today()
        running = [k for k in store.personen.koppelingen() if k.loopt_op(today) and k.aios_id != traject.aios_id]
        opleiders = tuple(
            Opleider(str(o.id), o.naam.volledig, self.lookups.praktijk_naam(o.praktijk_id),
                     OpleiderStatus.ERVAREN if o.ervaren else OpleiderStatus.CURRICULUM,
                     coassistent=o.begeleidt_coassistent, blokkade=o.id in blocked)
            for o in self.lookups.opleiders.values()
            if not o.gearchiveerd and o.id != traject.opleider_id
        )
        ronde = Ronde((Aios(str(aios.id), aios.naam.volledig, aios.opleidingsjaar, aios.deeltijdpercentage),),
                      opleiders)
        index = RondeIndex.build(ronde)
        # A running koppeling fills the opleider's place; keyed by the aios's name so a refusal names them.
        bezet = {self.lookups.aios_naam(k.aios_id): str(k.opleider_id) for k in running}
        kandidaten = candidates(index, str(aios.id), bezet)
        # Unvisited is not a reason here: after an ontkoppeling the match is made 1-op-1, not from visits.
        kandidaten = tuple(
            Kandidaat(k.opleider_id, not [b for b in k.bezwaren if b.blokkerend], k.vrije_plaatsen, k.voorrang,
                      k.score, tuple(b for b in k.bezwaren if b.blokkerend))
            for k in kandidaten
        )
        kandidaten = tuple(sorted(kandidaten, key=lambda k: (not k.geschikt, not k.voorrang)))
        # The opleider chosen stays chosen when the list is read again (after a gesprek was recorded, say).
        current = self.table.currentIndex()
        chosen = int(self.model.row_at(current.row()).opleider_id) if current.isValid() else None
        self.model.set_rows(kandidaten, lambda k: k.opleider_id)
        row = self.model.row_of_id(chosen) if chosen is not None else None
        if row is not None:
            self.table.selectRow(row)
        geschikt = sum(1 for k in kandidaten if k.geschikt)
        kunnen = ("geen opleider kan" if geschikt == 0 else "1 opleider kan" if geschikt == 1
                  else f"{geschikt} opleiders kunnen")
        self.uitleg.setText(
            f"{aios.naam.volledig}, jaar {aios.opleidingsjaar}: {kunnen} nu een aios nemen "
            "(niet geblokkeerd, vrije plaats, passend bij het opleidingsjaar). Licht de nieuwe opleider in "
            "algemene termen in; daarna zeggen aios en opleider elk ja of nee."
        )
        self.kennismaking.setEnabled(geschikt > 0)
        self.overdracht.setEnabled(geschikt > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (watched is self.table and event.type() == QEvent.Type.ContextMenu
                and isinstance(event, QContextMenuEvent) and event.reason() == QContextMenuEvent.Reason.Keyboard):
            self._context_menu(None)  # the menu key: the chosen opleider's menu, wherever the mouse is
            return True
        return False

    def _context_menu(self, pos: QPoint | None) -> None:
        """The actions of the opleider under the mouse at `pos`, or (None: the menu key) of the chosen one."""
        index = self.table.indexAt(pos) if pos is not None else self.table.currentIndex()
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        if pos is None:
            pos = self.table.visualRect(index).center()
        menu = self.menu_for(index.row())
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()  # its items name the opleider: not kept after use

    def menu_for(self, row: int) -> QMenu:
        kandidaat = self.model.row_at(row)
        naam = self.lookups.opleider_naam(int(kandidaat.opleider_id))
        menu = QMenu(self)
        menu.setAccessibleName("Acties")
        for text, action in ((f"Overdracht aan {naam}…", self.record_overdracht),
                             (f"Kennismakingsgesprek met {naam} vastleggen…", self.record_kennismaking)):
            item = menu.addAction(text)
            item.setEnabled(kandidaat.geschikt)
            item.triggered.connect(lambda _checked=False, a=action: a())
        if not kandidaat.geschikt:
            menu.addSeparator()
            menu.addAction("Kan niet: " + kandidaat.reden_kort).setEnabled(False)
        return menu

    def record_kennismaking(self) -> None:
        self._record(EventKind.KENNISMAKINGSGESPREK)

    def record_overdracht(self) -> None:
        self._record(EventKind.KANDIDAAT_OPLEIDER)

    def _record(self, kind: EventKind) -> None:
        """Hand the chosen opleider to the traject: the gesprek's wizard (or form) with the opleider filled in."""
        traject_id = self.traject.currentData()
        index = self.table.currentIndex()
        if traject_id is None or not index.isValid():
            self.uitleg.setText("Kies eerst een opleider in de lijst.")
            return
        kandidaat = self.model.row_at(index.row())
        if not kandidaat.geschikt:
            self.uitleg.setText(kandidaat.reden)
            return
        self._open_event(traject_id, kind, {"opleider_id": int(kandidaat.opleider_id)})
