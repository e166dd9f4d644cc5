"""Taken & termijnen: every open task of every traject, overdue first, filtered by role, person, traject."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.procedure import StepState, Task
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.ui.dutch import datum
from ontkoppel_desktop.ui.personen.forms import combo
from ontkoppel_desktop.ui.personen.lookups import Lookups
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import Column, RecordTableModel
from ontkoppel_desktop.ui.trajecten.common import due_text, export_ics, roles_text, state_colour, task_status, today
from ontkoppel_desktop.ui.trajecten.view import PROCEDURE_ROLES


def _due_text(task: Task) -> str:
    return f"{datum(task.due)} — {task.due_warning}" if task.due and task.due_warning else datum(task.due)


class TakenView(QWidget):
    TITLE = "Taken & termijnen"
    open_traject = Signal(int)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.lookups = Lookups()
        self.stale = True
        self.tasks: list[Task] = []
        self.model: RecordTableModel[Task] = RecordTableModel(
            [
                Column("Status", task_status, 95, background=lambda t: state_colour(t.state, t.days_left),
                       bold=lambda t: t.state is StepState.OVERDUE),
                Column("Dagen", lambda t: t.days_text, 120, background=lambda t: state_colour(t.state, t.days_left)),
                Column("Termijn", lambda t: due_text(t.due, t.due_warning), 150, tooltip=_due_text),
                Column("Taak", lambda t: t.short, 290, tooltip=lambda t: f"{t.title}\n(Utrecht {t.section})"),
                Column("Wie", lambda t: roles_text(t.roles), 180),
                Column("Aios", lambda t: self.lookups.aios_sorteernaam(t.aios_id), 170),
                Column("Opleider", lambda t: self.lookups.opleider_sorteernaam(t.opleider_id), 160),
                Column("Traject", lambda t: t.traject_id, 60),
            ],
            lambda t: t.traject_id,
            keep_order=True,  # overdue first, then by term: the service's order is the point
        )
        self.rol = combo([("iedereen", None)] + [(rol.label.lower(), rol) for rol in PROCEDURE_ROLES])
        self.rol.setAccessibleName("Ik ben")
        self.rol.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.traject = QComboBox()
        self.traject.setAccessibleName("Traject")
        self.traject.addItem("alle trajecten", None)
        self.traject.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.zoek = QLineEdit()
        self.zoek.setPlaceholderText("Zoek op naam van aios of opleider, of op taak…")
        self.zoek.setClearButtonEnabled(True)
        self._zoek_timer = QTimer(self, singleShot=True, interval=120)
        self._zoek_timer.timeout.connect(lambda: self._apply_search())
        self.zoek.textChanged.connect(lambda: self._zoek_timer.start())
        self.ics = QPushButton("Naar &agenda (.ics)…")
        self.ics.setToolTip("De getoonde termijnen exporteren, om te importeren in Outlook")
        self.ics.clicked.connect(self.export_ics)
        self.samenvatting = QLabel()
        self.samenvatting.setAccessibleName("Samenvatting")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)  # overdue first, then by term: the order is the point
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, c in enumerate(self.model.columns):
            self.table.setColumnWidth(i, c.width)
        self.table.activated.connect(self._open)
        ik_ben = QLabel("&Ik ben:")
        ik_ben.setBuddy(self.rol)
        top = QHBoxLayout()
        top.addWidget(ik_ben)
        top.addWidget(self.rol)
        top.addWidget(self.traject)
        top.addWidget(self.zoek, 1)
        top.addWidget(self.ics)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        uitleg = QLabel("Dubbelklik of Enter opent het traject. Termijnen zijn kalenderdagen, zoals de procedure "
                        "ze schrijft; valt een termijn in het weekend of op een feestdag, dan staat dat erbij.")
        uitleg.setStyleSheet("color: #555;")
        uitleg.setWordWrap(True)
        layout.addWidget(self.samenvatting)
        layout.addWidget(uitleg)
        session.changed.connect(self._on_changed)
        session.locked.connect(self._on_locked)

    # ---- data ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.session.is_locked:
            return
        store = self.session.store
        self.lookups = Lookups.load(store.personen)
        self.tasks = store.trajecten.tasks(today())
        self.model.set_rows(self.tasks, lambda t: " ".join((
            self.lookups.aios_naam(t.aios_id), self.lookups.opleider_naam(t.opleider_id), t.short)))
        current = self.traject.currentData()
        self.traject.blockSignals(True)
        self.traject.clear()
        self.traject.addItem("alle trajecten", None)
        aios_of = {t.traject_id: t.aios_id for t in self.tasks if t.traject_id is not None}
        for traject_id in sorted(aios_of):
            self.traject.addItem(f"traject {traject_id} — {self.lookups.aios_naam(aios_of[traject_id])}", traject_id)
        self.traject.setCurrentIndex(max(0, self.traject.findData(current)))
        self.traject.blockSignals(False)
        self._apply_filter()
        self.stale = False

    def _apply_filter(self) -> None:
        rol: Rol | None = self.rol.currentData()
        traject_id: int | None = self.traject.currentData()
        if rol is None and traject_id is None:
            self.model.set_predicate(None)
        else:
            self.model.set_predicate(lambda t: (rol is None or rol in t.roles)
                                     and (traject_id is None or t.traject_id == traject_id))
        self._summarise()

    def _apply_search(self) -> None:
        self.model.set_search(self.zoek.text())
        self._summarise()

    def _summarise(self) -> None:
        shown = self.model.visible_rows()
        late = sum(1 for t in shown if t.state is StepState.OVERDUE)
        soon = sum(1 for t in shown if t.state is not StepState.OVERDUE and t.days_left is not None
                   and t.days_left <= 7)
        self.samenvatting.setText(f"{len(shown)} open taken · {late} te laat · {soon} binnen een week")

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        self.stale = True
        if self.isVisible():
            self.refresh()

    def _on_locked(self) -> None:
        self.model.clear()
        self.tasks = []
        self.lookups = Lookups()
        self.stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def _open(self, index: Any) -> None:
        task = self.model.row_at(index.row())
        if task.traject_id is not None:
            self.open_traject.emit(task.traject_id)

    def export_ics(self) -> None:
        export_ics(self, self.model.visible_rows(), self.lookups)
