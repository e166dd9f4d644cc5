"""What the lists read: per traject a summary and its open steps, derived from the events and stored beside
them, so Trajecten and Taken need no derivation of every traject when they open.

Stored rows do not depend on today: the open steps are derived "as of the end of time" (`FAR_DAY`), each with
the day it became due (`vanaf`) and its term. A list compares those with today when it reads them, which gives
exactly what `derive()`/`open_tasks()` give for that day (tests/procedure/test_readmodel.py proves it for
random event sequences). The store rewrites a traject's rows in the same transaction as each of its events,
and all of them when an aios's facts, the agenda or a procedure file change (`fingerprint`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import Enum

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure.blokkade import blokkade_of
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.procedure.engine import Agenda, StepState, StepStatus, derive
from ontkoppel_desktop.core.procedure.events import EventKind
from ontkoppel_desktop.core.procedure.loader import ProcedureRegistry
from ontkoppel_desktop.core.procedure.rules import is_ontkoppeld
from ontkoppel_desktop.core.procedure.tasks import Task
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject

# "The end of time" for derivation: every step a rule makes due later (the wachttijd decision) is in, with
# the day it becomes due; far enough from date.max that term arithmetic cannot overflow.
FAR_DAY = dt.date(9000, 1, 1)
# Raised when the way rows are derived changes, so every store rebuilds them once.
DERIVATION_VERSION = 1

CANNOT_DERIVE = "Dit traject kan niet worden berekend"


@dataclass(frozen=True, slots=True)
class TrajectOverzicht:
    """One traject's summary: what the list shows besides the open steps."""

    traject_id: int
    fase: int | None  # None once closed
    gesloten: bool
    gestart: dt.date
    blokkade_sinds: dt.date | None  # the opleider gets no new aios since (Utrecht 5.2.1)
    blokkade_wacht_op: str  # the step that lifts it
    zoekt_opleider: bool  # ontkoppeld and no new koppeling confirmed yet: the 1-op-1 match is open
    fout: str = ""  # why the traject could not be derived; the rest of the app goes on


@dataclass(frozen=True, slots=True)
class OpenStap:
    """One open step (one occurrence of a repeating one) as stored; `vanaf` is when it became due."""

    traject_id: int
    stap: str
    keer: int  # occurrence, 0 for a step that does not repeat
    volgorde: int  # the step's place in the stappenplan
    vanaf: dt.date | None
    termijn_vanaf: dt.date | None  # the start of an "ongeveer" window, if the term has one
    termijn: dt.date | None  # the last day of the term: late after it
    oorsprong: str | None  # the event this occurrence belongs to

    def visible(self, today: dt.date) -> bool:
        return self.vanaf is None or self.vanaf <= today

    def status(self, definition: ProcedureDefinition, today: dt.date) -> StepStatus:
        """The StepStatus derive() gives on `today` for this open step."""
        step = definition.step(self.stap)
        if self.termijn is None:
            state = StepState.OPEN
        elif today > self.termijn:
            state = StepState.OVERDUE
        else:
            state = StepState.DUE
        return StepStatus(step=step, occurrence=self.keer, state=state, today=today, triggered_on=self.vanaf,
                          due=self.termijn, origin_event_id=self.oorsprong, due_from=self.termijn_vanaf)


@dataclass(frozen=True, slots=True)
class TrajectRij:
    """A row of the Trajecten list: the summary, who, and the open steps' state today."""

    overzicht: TrajectOverzicht
    koppeling_id: int
    aios_id: int
    opleider_id: int
    procedure_id: str
    procedure_version: str
    aios_naam: Naam
    opleider_naam: Naam
    praktijk: str
    praktijk_id: int | None
    volgende_termijn: dt.date | None  # the nearest term of the open steps due today
    volgende_stap: str  # its step id
    te_laat: int  # open steps past their term today

    @property
    def id(self) -> int:
        return self.overzicht.traject_id

    @property
    def gearchiveerd(self) -> bool:  # read by the list model: closed trajecten are shown greyed
        return self.overzicht.gesloten


@dataclass(frozen=True, slots=True)
class OpenStapRij:
    """A row of Taken: an open step with its traject's people."""

    stap: OpenStap
    koppeling_id: int
    aios_id: int
    opleider_id: int
    procedure_id: str
    procedure_version: str
    aios_naam: Naam
    opleider_naam: Naam


@dataclass(frozen=True, slots=True)
class TaakRij:
    """A row of Taken: the task and the names of its traject's people."""

    task: Task
    aios_naam: Naam
    opleider_naam: Naam


def afleiden(
    definition: ProcedureDefinition, traject: Traject, facts: AiosFacts | None, agenda: Agenda | None
) -> tuple[TrajectOverzicht, list[OpenStap]]:
    """The stored rows of one traject. Never raises: a traject that cannot be derived gets a summary that says
    so (and no open steps), and the rest of the app works."""
    assert traject.id is not None
    try:
        overview = derive(definition, traject, facts, FAR_DAY, agenda)
        blokkade = blokkade_of(definition, traject)
        zoekt = (not traject.closed and is_ontkoppeld(traject)
                 and not any(e.kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD for e in traject.effective_events))
        stappen = [
            OpenStap(traject.id, s.step.id, s.occurrence, s.step.order, s.triggered_on, s.due_from, s.due,
                     s.origin_event_id)
            for s in overview.open_statuses()
        ]
        return TrajectOverzicht(
            traject.id, overview.phase, traject.closed, traject.start_date,
            blokkade.sinds if blokkade is not None else None, blokkade.wacht_op if blokkade is not None else "",
            zoekt,
        ), stappen
    except Exception as exc:  # noqa: BLE001 - a stored value must never stop the app (issue 7, defect 4)
        start = min((e.date for e in traject.events), default=dt.date.min)
        return TrajectOverzicht(traject.id, None, traject.closed, start, None, "", False,
                                f"{CANNOT_DERIVE} ({type(exc).__name__})."), []


def fingerprint(registry: ProcedureRegistry) -> str:
    """Changes when any procedure definition or the derivation changes: the stored rows are then rebuilt."""
    digest = hashlib.sha256(f"derivation {DERIVATION_VERSION}".encode())
    for definition in registry.definitions():
        digest.update(repr(_canonical(definition)).encode())
    return digest.hexdigest()


def _canonical(value: object) -> object:
    """A repr that is the same in every process: dataclasses as tuples, sets sorted, private caches left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(
            (f.name, _canonical(getattr(value, f.name)))
            for f in dataclasses.fields(value) if not f.name.startswith("_")
        ))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return tuple(sorted((str(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_canonical(v)) for v in value))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if hasattr(value, "items") and callable(value.items):  # a read-only mapping
        return tuple(sorted((str(k), _canonical(v)) for k, v in value.items()))
    return value



__all__ = [
    "CANNOT_DERIVE", "FAR_DAY", "OpenStap", "OpenStapRij", "TaakRij", "TrajectOverzicht", "TrajectRij", "afleiden",
    "fingerprint",
]
