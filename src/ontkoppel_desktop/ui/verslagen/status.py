"""Verstuurd and gearchiveerd: the dates a definitief verslag went to its receiver and into the e-portfolio and the
dossier opleider. Each date completes a step of the procedure (the service records its event), and a save is one
undoable change on the screen's undo stack: Ctrl+Z puts the earlier dates back (an empty one withdraws the event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.verslagen import ARCHIEFPLEKKEN
from ontkoppel_desktop.core.verslagen.service import UNCHANGED
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui import operations
from ontkoppel_desktop.ui.dutch import datum, pydate, qdate
from ontkoppel_desktop.ui.form_dialog import FormDialog
from ontkoppel_desktop.ui.naam import ask_user_name
from ontkoppel_desktop.ui.session import Session
from ontkoppel_desktop.ui.undo import StoreCommand
from ontkoppel_desktop.ui.widgets import date_edit

# What a save sets: "verstuurd", or an archive place, each with its date (None: not, or no longer).
Datums = Mapping[str | VerslagBestemming, dt.date | None]
VERSTUURD = "verstuurd"


def zet_datums(store: Store, verslag_id: int, datums: Datums, user: str) -> Changes:
    """Set these dates of one verslag as one change (the service's zet_status): all of them, or none."""
    verstuurd = datums.get(VERSTUURD, UNCHANGED)
    archief = {k: v for k, v in datums.items() if isinstance(k, VerslagBestemming)}
    return store.verslagen.zet_status(verslag_id, verstuurd=verstuurd, gearchiveerd=archief, user=user)


class _DatumRij:
    """A checkbox that says what happened, and the day it happened (only when checked)."""

    def __init__(self, text: str, day: dt.date | None, name: str) -> None:
        self.check = QCheckBox(text)
        self.check.setChecked(day is not None)
        self.edit: QDateEdit = date_edit(day or dt.date.today())
        self.edit.setAccessibleName(name)
        self.edit.setEnabled(day is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(lambda on: self.edit.setFocus() if on else None)

    @property
    def value(self) -> dt.date | None:
        return pydate(self.edit.date()) if self.check.isChecked() else None

    def set(self, day: dt.date | None) -> None:
        self.check.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(qdate(day))


class VerslagStatusDialog(FormDialog):
    """The dates verstuurd and gearchiveerd of one definitief verslag. Saving goes through the gateway and onto
    `undo_stack` when one is given."""

    def __init__(self, session: Session, verslag_id: int, parent: QWidget | None = None, *,
                 undo_stack: QUndoStack | None = None, initiator: object = None) -> None:
        super().__init__(parent, session=session, initiator=initiator)
        self.verslag_id = verslag_id
        self.undo_stack = undo_stack
        service = session.store.verslagen
        verslag = service.get(verslag_id)
        formulier = service.formulier(verslag)
        self.titel = formulier.titel
        gesprek = verslag.datum(formulier)
        self.setWindowTitle(f"Verstuurd en gearchiveerd: {formulier.titel.lower()}")
        ontvanger = formulier.ontvanger.label.lower()
        uitleg = QLabel(
            f"<b>{escape(formulier.titel)}</b>, versie {verslag.versie}"
            + (f" (gesprek van {datum(gesprek)})" if gesprek else "")
            + "<br>Vink aan wat er met het verslag is gebeurd, met de datum. Elke datum rondt een stap van de "
            "procedure af; een vinkje weghalen zet die stap weer open.")
        uitleg.setWordWrap(True)
        uitleg.setTextFormat(Qt.TextFormat.RichText)
        self.rijen: dict[str | VerslagBestemming, _DatumRij] = {
            VERSTUURD: _DatumRij(f"Ve&rstuurd naar de {ontvanger} op", verslag.verstuurd_op,
                                 f"Datum verstuurd naar de {ontvanger}"),
        }
        letters = {VerslagBestemming.E_PORTFOLIO: "&e-portfolio aios", VerslagBestemming.DOSSIER_OPLEIDER:
                   "&dossier opleider"}
        for plek in ARCHIEFPLEKKEN:
            if plek in formulier.bestemmingen:
                self.rijen[plek] = _DatumRij(f"Gearchiveerd in het {letters[plek]} op",
                                             verslag.gearchiveerd_op.get(plek), f"Datum gearchiveerd in {plek.label}")
        self.begin: dict[str | VerslagBestemming, dt.date | None] = {k: r.value for k, r in self.rijen.items()}
        grid = QGridLayout()
        for row, (key, rij) in enumerate(self.rijen.items()):
            grid.addWidget(rij.check, row, 0)
            grid.addWidget(rij.edit, row, 1)
            # With two verslagen (Utrecht 5.3.2) each place gets its own one: say which.
            delen = [d for d in formulier.delen if isinstance(key, VerslagBestemming)
                     and d.bestemming in (key, VerslagBestemming.BEIDE)]
            if len(formulier.delen) > 1 and delen:
                welk = QLabel(", ".join(d.titel.split(" (")[0].lower() for d in delen))
                welk.setStyleSheet("color: #555;")
                grid.addWidget(welk, row, 2)
        grid.setColumnStretch(3, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(uitleg)
        layout.addLayout(grid)
        layout.addWidget(self.fout)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        next(iter(self.rijen.values())).check.setFocus()

    def values(self) -> dict[str | VerslagBestemming, dt.date | None]:
        return {k: r.value for k, r in self.rijen.items()}

    @property
    def dirty(self) -> bool:
        return self.values() != self.begin

    def accept(self) -> None:
        self.fout.setText("")
        session = self.session
        assert session is not None
        nieuw = {k: v for k, v in self.values().items() if v != self.begin[k]}
        if not nieuw:
            QDialog.accept(self)
            return
        user = ask_user_name(self, session, "wat je invulde")
        if not user:
            return
        oud = {k: self.begin[k] for k in nieuw}
        verslag_id = self.verslag_id
        changes = operations.change(self, session, lambda: zet_datums(session.store, verslag_id, nieuw, user),
                                    initiator=self.initiator, on_error=self.fout.setText)
        if changes is None:
            return
        if self.undo_stack is not None:
            self.undo_stack.push(StoreCommand(
                session, f"Datums verstuurd/gearchiveerd van het verslag {self.titel.lower()}",
                undo=lambda store: zet_datums(store, verslag_id, oud, user),
                redo=lambda store: zet_datums(store, verslag_id, nieuw, user),
                initiator=self.initiator))
        self.saved.emit(changes)
        QDialog.accept(self)
