"""Taken & termijnen: every open task of every traject, overdue first, filtered by role, person, traject."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
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
from ontkoppel_desktop.core.procedure import StepState, Task, task_sort_key
from ontkoppel_desktop.core.procedure.readmodel import TaakRij
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.ui import bestandsdialoog, na_export, operations
from ontkoppel_desktop.ui.dutch import collator, datum
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.table_model import DATUM_BREEDTE, Column, ColumnFit, RecordTableModel
from ontkoppel_desktop.ui.trajecten.common import due_text, export_ics, roles_text, state_colour, task_status, today
from ontkoppel_desktop.ui.trajecten.view import PROCEDURE_ROLES
from ontkoppel_desktop.ui.widgets import SearchField, ValueCombo, combo, context_menu, knop_in_menu, widget_shortcut


def _due_text(task: Task) -> str:
    window = task.status.window_text
    text = f"{datum(task.due)} — {task.due_warning}" if task.due and task.due_warning else datum(task.due)
    return f"{task.status.term_label}\n{window or text}"


class TakenView(QWidget):
    """Every open task, read from the stored open steps (core.procedure.readmodel): nothing is derived when
    the list opens, and a change reads again only the tasks of the trajecten it touched."""

    TITLE = "Taken & termijnen"
    # A task's traject at its step (traject id, step key): the wizard of a gesprek, or a verslag's dates.
    open_step = Signal(int, str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.stale = True
        self.day = today()
        self._traject_names: dict[int, str] = {}
        # The traject chosen in the filter when the store locked (the list of names goes; the choice comes back).
        self._traject_na_ontgrendelen: int | None = None
        self.model: RecordTableModel[TaakRij] = RecordTableModel(
            [
                Column("Status", lambda r: task_status(r.task), 90,
                       background=lambda r: state_colour(r.task.state, r.task.days_left),
                       bold=lambda r: r.task.state is StepState.OVERDUE),
                Column("Dagen", lambda r: r.task.days_text, 130,
                       background=lambda r: state_colour(r.task.state, r.task.days_left)),
                Column("Termijn", lambda r: due_text(r.task.due, r.task.due_warning, r.task.status.due_from), 215,
                       tooltip=lambda r: _due_text(r.task), fits=DATUM_BREEDTE),
                Column("Taak", lambda r: r.task.short, 300,
                       tooltip=lambda r: f"{r.task.title}\n(paragraaf {r.task.section} van de procedure)"),
                Column("Wie", lambda r: roles_text(r.task.roles), 150),
                Column("Aios", lambda r: r.aios_naam.sorteernaam, 140),
                Column("Opleider", lambda r: r.opleider_naam.sorteernaam, 140),
            ],
            lambda r: r.task.traject_id,
            keep_order=True,  # overdue first, then by term: the service's order is the point
            order_key=lambda r: task_sort_key(r.task),
        )
        self.rol = combo([("iedereen", None)] + [(rol.label.lower(), rol) for rol in PROCEDURE_ROLES])
        self.rol.setAccessibleName("Ik ben")
        self.rol.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.traject = ValueCombo()
        self.traject.setAccessibleName("Traject")
        self.traject.add("alle trajecten", None)
        self.traject.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.zoek = SearchField("Zoek op naam van aios of opleider, of op taak…", "Zoeken in taken")
        self.zoek.search.connect(lambda _: self._apply_search())
        self.ics = QPushButton("Naar &agenda (.ics)…")
        self.ics.setToolTip("De getoonde termijnen exporteren, om te importeren in Outlook")
        self.ics.clicked.connect(self.export_ics)
        self.excel = QPushButton("Naar &Excel (.xlsx)…")
        self.excel.setToolTip("De getoonde taken als Excel-werkmap, in deze volgorde, met hun termijnen als datums")
        self.excel.clicked.connect(self.export_excel)
        self.samenvatting = QLabel()
        self.samenvatting.setAccessibleName("Samenvatting")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)  # overdue first, then by term: the order is the point
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Open taken")
        self.fit = ColumnFit(self.table, self.model.columns)
        # A double click or Enter, never one click (`activated` is one click where the desktop is set so).
        self.table.doubleClicked.connect(self._open)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            widget_shortcut(QKeySequence(key), self.table, self._open_current)
        context_menu(self.table, self._menu)
        ik_ben = QLabel("&Ik ben:")
        ik_ben.setBuddy(self.rol)
        traject_label = QLabel("&Traject:")  # Alt+T, as Alt+I chooses the role
        traject_label.setBuddy(self.traject)
        top = QHBoxLayout()
        top.addWidget(ik_ben)
        top.addWidget(self.rol)
        top.addWidget(traject_label)
        top.addWidget(self.traject)
        top.addWidget(self.zoek, 1)
        top.addWidget(self.ics)
        top.addWidget(self.excel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        uitleg = QLabel("Dubbelklik of Enter opent het traject bij die taak, en de stap zelf: het formulier om "
                        "hem vast te leggen; bij een gesprek met een verslag het verslag, bij het versturen of "
                        "archiveren van een verslag de datums verstuurd en gearchiveerd. "
                        "Termijnen zijn kalenderdagen, zoals de procedure ze schrijft; valt een termijn in het weekend "
                        "of op een feestdag, dan staat dat erbij.")
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
        self.day = today()
        rows = self.session.store.trajecten.taken(self.day)
        self.model.set_rows(rows, _search_text)
        self._fill_trajecten(_traject_names(rows))
        self._apply_filter()
        self.stale = False

    def update(self, traject_ids: set[int]) -> None:
        """The tasks of these trajecten changed: read just theirs again, in the service's order."""
        rows = self.session.store.trajecten.taken(self.day, traject_ids)
        self.model.update_rows(lambda r: r.task.traject_id in traject_ids, rows)
        names = {i: n for i, n in self._traject_names.items() if i not in traject_ids}
        names.update(_traject_names(rows))
        self._fill_trajecten(names)
        self._summarise()

    def _fill_trajecten(self, names: dict[int, str]) -> None:
        """The traject filter: the trajecten with open tasks, by their people's names (never an id). Filled again
        only when those trajecten or their names changed."""
        if names == self._traject_names:
            return
        self._traject_names = names
        current = self.traject.currentData() if self.traject.count() else self._traject_na_ontgrendelen
        key = collator().sortKey
        self.traject.blockSignals(True)
        self.traject.clear()
        self.traject.add("alle trajecten", None)
        for traject_id, text in sorted(names.items(), key=lambda item: key(item[1])):
            self.traject.add(text, traject_id)
        self.traject.setCurrentIndex(max(0, self.traject.findData(current)))
        self.traject.blockSignals(False)

    def _apply_filter(self) -> None:
        rol: Rol | None = self.rol.currentData()
        traject_id: int | None = self.traject.currentData()
        if rol is None and traject_id is None:
            self.model.set_predicate(None)
        else:
            self.model.set_predicate(lambda r: (rol is None or rol in r.task.roles)
                                     and (traject_id is None or r.task.traject_id == traject_id))
        self._summarise()

    def _apply_search(self) -> None:
        self.model.set_search(self.zoek.text())
        self._summarise()

    def _summarise(self) -> None:
        shown = [r.task for r in self.model.visible_rows()]
        late = sum(1 for t in shown if t.state is StepState.OVERDUE)
        soon = sum(1 for t in shown if t.state is not StepState.OVERDUE and t.days_left is not None
                   and t.days_left <= 7)
        self.samenvatting.setText(f"{len(shown)} open taken · {late} te laat · {soon} binnen een week")

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        if self.stale or changes.everything_of & {c.TRAJECT, c.AIOS, c.OPLEIDER}:
            self.stale = True
            if self.isVisible():
                self.refresh()
            return
        ids = set(changes.int_ids(c.TRAJECT) or ())
        if changes.touches_any(c.AIOS, c.OPLEIDER):
            for row in self.model.all_rows():
                task = row.task
                if task.traject_id is not None and (
                        changes.touches(c.AIOS, task.aios_id) or changes.touches(c.OPLEIDER, task.opleider_id)):
                    ids.add(task.traject_id)
        if ids:
            self.update(ids)

    def _on_locked(self) -> None:
        # Nothing confidential stays: the tasks, the trajecten the filter lists by their people's names, and what
        # was searched. The traject chosen is kept by its id and chosen again when the list is read after unlocking.
        self.model.clear()
        self.zoek.forget()
        if self.traject.count():  # not yet filled again since the last unlock: the choice stands
            self._traject_na_ontgrendelen = self.traject.currentData()
        self.traject.blockSignals(True)
        self.traject.clear()
        self.traject.blockSignals(False)
        self._traject_names = {}
        self.stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale or self.day != today():
            self.refresh()

    def _open(self, index: Any) -> None:
        task = self.model.row_at(index.row()).task
        if task.traject_id is not None:
            self.open_step.emit(task.traject_id, task.key)

    def _menu(self, menu: QMenu) -> None:
        index = self.table.currentIndex()
        task = self.model.row_at(index.row()).task if index.isValid() else None
        openen = menu.addAction("&Openen: traject en stap", self._open_current)
        openen.setEnabled(task is not None)
        if task is not None and task.traject_id is not None and self.traject.currentData() is None:
            traject_id = task.traject_id
            alleen = menu.addAction("Alleen de taken van dit &traject",
                                    lambda: self.traject.setCurrentIndex(self.traject.findData(traject_id)))
            alleen.setEnabled(self.traject.findData(traject_id) > 0)
        elif self.traject.currentData() is not None:
            menu.addAction("Taken van alle &trajecten", lambda: self.traject.setCurrentIndex(0))
        menu.addSeparator()
        knop_in_menu(menu, self.ics)
        knop_in_menu(menu, self.excel)

    def _open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._open(index)

    def export_ics(self) -> Path | None:
        return export_ics(self, self.model.visible_rows())

    def export_excel(self) -> Path | None:
        """The tasks shown (filter and search as they stand) as a workbook; Openen and Toon in map after."""
        from ontkoppel_desktop.ui.documenten import ONVERSLEUTELD
        from ontkoppel_desktop.ui.taken.werkmap import write_taken  # XlsxWriter loads only when someone exports

        rows = self.model.visible_rows()
        if not rows:
            QMessageBox.information(self, "Geen taken", "Er zijn geen taken om te exporteren: pas het filter aan.")
            return None
        path = bestandsdialoog.opslaan(self, "taken", "Taken exporteren naar Excel",
                                       f"{self.day.isoformat()} Taken en termijnen.xlsx", "Excel-werkmap (*.xlsx)",
                                       ".xlsx")
        if path is None:
            return None
        day = self.day
        if not operations.run_ok(self, lambda: write_taken(path, rows, day), title="Taken exporteren"):
            return None
        n = len(rows)
        na_export.klaar(self, "Geëxporteerd", f"{n} {'taak staat' if n == 1 else 'taken staan'} in {path.name}. "
                        f"{ONVERSLEUTELD}", path)
        return path


def _traject_names(rows: list[TaakRij]) -> dict[int, str]:
    names: dict[int, str] = {}
    for r in rows:
        traject_id = r.task.traject_id
        if traject_id is not None and traject_id not in names:
            names[traject_id] = f"{r.aios_naam.sorteernaam} (bij {r.opleider_naam.volledig})"
    return names


def _search_text(r: TaakRij) -> str:
    return f"{r.aios_naam.volledig} {r.opleider_naam.volledig} {r.task.short}"
