"""Taken & termijnen: the open steps of many trajecten as tasks per role, overdue first.

`open_tasks` derives every open traject once (linear in its events and steps); closed trajecten are skipped
without deriving. The definitions come from a registry by (id, version), so each traject follows its own version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ontkoppel_desktop.core.procedure.dates import day_warning
from ontkoppel_desktop.core.procedure.engine import Agenda, StepState, StepStatus, TrajectOverview, derive
from ontkoppel_desktop.core.procedure.loader import ProcedureRegistry
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject
from ontkoppel_desktop.core.rollen import Rol


@dataclass(frozen=True, slots=True)
class Task:
    """One open step of one traject: who, what, by when."""

    traject_id: int | None
    koppeling_id: int
    aios_id: int
    opleider_id: int
    step_id: str
    key: str  # step id, or 'step#2' for a later occurrence of a repeating step; unique within the traject
    title: str
    phase: int
    section: str
    roles: tuple[Rol, ...]
    state: StepState
    triggered_on: dt.date | None
    due: dt.date | None
    days_left: int | None  # negative when overdue
    term_label: str
    approx: bool  # "ongeveer"/"circa" in the procedure
    order: int  # position in the stappenplan

    @property
    def overdue(self) -> bool:
        return self.state is StepState.OVERDUE

    @property
    def due_warning(self) -> str | None:
        """'zaterdag', 'zondag' or the holiday's name when the term falls on it; the term itself is not moved."""
        return day_warning(self.due) if self.due is not None else None

    @property
    def days_text(self) -> str:
        """'nog 3 dagen', 'vandaag', '1 dag te laat', 'geen termijn': readable without colour."""
        if self.days_left is None:
            return "geen termijn"
        if self.days_left == 0:
            return "vandaag"
        if self.days_left > 0:
            return f"nog {self.days_left} dag" + ("en" if self.days_left != 1 else "")
        late = -self.days_left
        return f"{late} dag{'en' if late != 1 else ''} te laat"

    @property
    def uid(self) -> str:
        """Stable across runs: the same traject and step occurrence always give the same uid."""
        return f"traject-{self.traject_id}-{self.key}"


def task_of(traject: Traject, status: StepStatus) -> Task:
    step = status.step
    return Task(
        traject_id=traject.id,
        koppeling_id=traject.koppeling_id,
        aios_id=traject.aios_id,
        opleider_id=traject.opleider_id,
        step_id=step.id,
        key=status.key,
        title=step.title,
        phase=step.phase,
        section=step.section,
        roles=step.roles,
        state=status.state,
        triggered_on=status.triggered_on,
        due=status.due,
        days_left=status.days_left,
        term_label=step.term.label if step.term is not None else "",
        approx=step.term.approx if step.term is not None else False,
        order=step.order,
    )


def tasks_of(overview: TrajectOverview, rol: Rol | None = None) -> list[Task]:
    """The open steps of one traject as tasks (optionally only those of `rol`)."""
    return [
        task_of(overview.traject, s)
        for s in overview.statuses
        if s.state.is_open and (rol is None or rol in s.step.roles)
    ]


def task_sort_key(task: Task) -> tuple[int, dt.date, int, int]:
    """Overdue first (longest overdue first), then by term, then tasks without a term; then traject and order."""
    rank = 0 if task.overdue else (1 if task.due is not None else 2)
    return (rank, task.due or dt.date.max, task.traject_id or 0, task.order)


def open_tasks(
    trajecten: Iterable[Traject],
    registry: ProcedureRegistry,
    today: dt.date,
    *,
    facts: Mapping[int, AiosFacts] | Callable[[int], AiosFacts | None] | None = None,
    agenda: Agenda | None = None,
    rol: Rol | None = None,
) -> list[Task]:
    """All open tasks of the given trajecten on `today`, sorted overdue first. `facts` gives AiosFacts by aios id
    (needed for the voortgang decision task); `rol` keeps only that role's tasks ("ik ben jaarassistent")."""
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
        overview = derive(definition, traject, lookup(traject.aios_id), today, agenda)
        tasks.extend(tasks_of(overview, rol))
    tasks.sort(key=task_sort_key)
    return tasks


def _no_facts(_aios_id: int) -> AiosFacts | None:
    return None
