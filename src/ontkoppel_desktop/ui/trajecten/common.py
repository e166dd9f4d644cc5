"""What the Trajecten and Taken views share: state colours and words, names of people, today."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure import StepState, Task
from ontkoppel_desktop.core.procedure.readmodel import TaakRij
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.ui import bestandsdialoog, na_export, operations
from ontkoppel_desktop.ui.dutch import datum_kort

# Colour is a second signal only: every row also says its state in words.
STATE_COLOURS: dict[StepState, str] = {
    StepState.OVERDUE: "#f9d6d2",
    StepState.DONE: "#e3f2e5",
    StepState.DEVIATED: "#e8e1f5",
    StepState.SKIPPED: "#e8e1f5",
}
SOON_COLOUR = "#fff1c2"
SOON_DAYS = 7


def state_colour(state: StepState, days_left: int | None) -> str | None:
    if state in STATE_COLOURS:
        return STATE_COLOURS[state]
    if state is StepState.DUE and days_left is not None and days_left <= SOON_DAYS:
        return SOON_COLOUR
    return None


def task_status(task: Task) -> str:
    if task.state is StepState.OVERDUE:
        return "Te laat"
    if task.days_left == 0:
        return "Vandaag"
    if task.days_left is not None and task.days_left <= SOON_DAYS:
        return "Binnenkort"
    return "Open" if task.due is None else "Lopend"


def roles_text(roles: tuple[Rol, ...]) -> str:
    return ", ".join(r.label.lower() if i else r.label for i, r in enumerate(roles))


def today() -> date:
    return date.today()


def due_text(due: date | None, warning: str | None, due_from: date | None = None) -> str:
    """A term as a date (an "ongeveer" term as its window, first to last day), with the weekend or holiday its
    last day falls on (Utrecht terms are calendar days: shown, never moved)."""
    if due is None:
        return ""
    text = datum_kort(due) if due_from is None else f"{datum_kort(due_from)} – {datum_kort(due)}"
    return f"{text} ({warning})" if warning else text


def _initialen(naam: Naam) -> str:
    return "".join(f"{p[0].upper()}." for p in (naam.voornaam, naam.achternaam) if p) or "?"


def ics_label(rij: TaakRij) -> str:
    """Who a term is about, as an agenda item says it: "F.B. bij L.H.", the initials of the aios and the opleider.
    Initials only: a calendar travels further than the store (Outlook, phones); and never the traject's number,
    which means nothing to a user."""
    return f"{_initialen(rij.aios_naam)} bij {_initialen(rij.opleider_naam)}"


def export_ics(parent: QWidget, rows: Sequence[TaakRij]) -> Path | None:
    """The explicit export of terms to an .ics file for Outlook; the path written, or None."""
    from ontkoppel_desktop.exchange.ics import write_ics  # icalendar loads only when someone exports

    labels = {id(r.task): ics_label(r) for r in rows}
    tasks = [r.task for r in rows if r.task.due is not None]
    if not tasks:
        QMessageBox.information(parent, "Geen termijnen", "Er zijn geen open termijnen om te exporteren.")
        return None
    path = bestandsdialoog.opslaan(parent, "taken", "Termijnen exporteren", "termijnen.ics", "Agenda (*.ics)", ".ics")
    if path is None:
        return None
    if not operations.run_ok(parent, lambda: write_ics(path, tasks, label_of=lambda t: labels[id(t)])):
        return None
    na_export.klaar(parent, "Geëxporteerd", f"{len(tasks)} termijnen staan in {path.name}. Openen zet ze in Outlook "
                    "of een andere agenda.", path)
    return path
