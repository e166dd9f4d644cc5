"""Taken & termijnen: the open steps of many trajecten as tasks per role, overdue first.

`open_tasks` derives every open traject once (linear in its events and steps); closed trajecten are skipped
without deriving. The definitions come from a registry by (id, version), so each traject follows its own
version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ontkoppel_desktop.core.procedure.engine import (
    OPEN_STATES,
    Agenda,
    StepState,
    StepStatus,
    TrajectOverview,
    open_steps,
)
from ontkoppel_desktop.core.procedure.loader import ProcedureRegistry
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject
from ontkoppel_desktop.core.rollen import Rol


@dataclass(frozen=True, slots=True)
class Task:
    """One open step of one traject: who, what, by when. The ids of its traject, koppeling, aios and opleider and
    the step's status, nothing more: a task list can be built from stored rows without loading trajecten. The
    other fields are read through properties, so building thousands of tasks stays cheap."""

    traject_id: int | None
    koppeling_id: int
    aios_id: int
    opleider_id: int
    status: StepStatus

    @property
    def step_id(self) -> str:
        return self.status.step.id

    @property
    def key(self) -> str:
        """The step id, or 'step#2' for a later occurrence of a repeating step; unique within the traject."""
        return self.status.key

    @property
    def title(self) -> str:
        return self.status.step.title

    @property
    def short(self) -> str:
        return self.status.step.short

    @property
    def phase(self) -> int:
        return self.status.step.phase

    @property
    def section(self) -> str:
        return self.status.step.section

    @property
    def roles(self) -> tuple[Rol, ...]:
        return self.status.step.roles

    @property
    def state(self) -> StepState:
        return self.status.state

    @property
    def triggered_on(self) -> dt.date | None:
        return self.status.triggered_on

    @property
    def due(self) -> dt.date | None:
        """The due day; for an approximate term the last day of its window."""
        return self.status.due

    @property
    def due_from(self) -> dt.date | None:
        """The first day of the window of an approximate term; None without a window."""
        return self.status.due_from

    @property
    def days_left(self) -> int | None:
        """Days until the term; 0 on the day itself, negative when overdue, None without a term."""
        return self.status.days_left

    @property
    def term_label(self) -> str:
        return self.status.term_label

    @property
    def approx(self) -> bool:
        """The procedure says "ongeveer"/"circa" for this term."""
        term = self.status.step.term
        return term.approx if term is not None else False

    @property
    def order(self) -> int:
        """Position in the stappenplan."""
        return self.status.step.order

    @property
    def overdue(self) -> bool:
        return self.status.state is StepState.OVERDUE

    @property
    def due_warning(self) -> str | None:
        """'zaterdag', 'zondag' or the holiday's name when the term falls on it; the term is not moved."""
        return self.status.due_warning

    @property
    def days_text(self) -> str:
        """'nog 3 dagen', 'vandaag', '1 dag te laat', 'geen termijn', or for a window 'over 4 tot 9 dagen',
        'nu (nog 3 dagen)': readable without colour."""
        return self.status.days_text

    @property
    def uid(self) -> str:
        """Stable across runs: the same traject and step occurrence always give the same uid."""
        return f"traject-{self.traject_id}-{self.status.key}"


def task_of(traject: Traject, status: StepStatus) -> Task:
    """The task of `status`, one of `traject`'s open steps."""
    return Task(traject.id, traject.koppeling_id, traject.aios_id, traject.opleider_id, status)


def tasks_of(overview: TrajectOverview, rol: Rol | None = None) -> list[Task]:
    """The open steps of one traject as tasks (optionally only those of `rol`)."""
    return [
        task_of(overview.traject, s)
        for s in overview.statuses
        if s.state in OPEN_STATES and (rol is None or rol in s.step.roles)
    ]


def task_sort_key(task: Task) -> tuple[int, dt.date, int, int]:
    """Overdue first (longest overdue first), then by term, then without a term; then traject and order."""
    status = task.status
    due = status.due
    rank = 0 if status.state is StepState.OVERDUE else (1 if due is not None else 2)
    return (rank, due or dt.date.max, task.traject_id or 0, status.step.order)


def open_tasks(
    trajecten: Iterable[Traject],
    registry: ProcedureRegistry,
    today: dt.date,
    *,
    facts: Mapping[int, AiosFacts] | Callable[[int], AiosFacts | None] | None = None,
    agenda: Agenda | None = None,
    rol: Rol | None = None,
) -> list[Task]:
    """All open tasks of the given trajecten on `today`, sorted overdue first. `facts` gives AiosFacts by aios
    id (needed for the voortgang decision task); `rol` keeps only that role's tasks ("ik ben jaarassistent").
    """
    lookup: Callable[[int], AiosFacts | None]
    if facts is None:
        lookup = _no_facts
    elif callable(facts):
        lookup = facts
    else:
        lookup = facts.get
    tasks: list[Task] = []
    for traject in trajecten:
        if traject.closed:
            continue
        definition = registry.get(traject.procedure_id, traject.procedure_version)
        ids = (traject.id, traject.koppeling_id, traject.aios_id, traject.opleider_id)
        for status in open_steps(definition, traject, lookup(traject.aios_id), today, agenda):
            if rol is None or rol in status.step.roles:
                tasks.append(Task(*ids, status))
    tasks.sort(key=task_sort_key)
    return tasks


def _no_facts(_aios_id: int) -> AiosFacts | None:
    return None
