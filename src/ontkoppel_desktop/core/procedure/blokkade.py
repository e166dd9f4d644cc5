"""Blokkade: an ontkoppelde opleider gets no new aios until the manager opleiders' contact (Utrecht 5.2.1,
5.3.2).

Which moment starts the blokkade and which step lifts it comes from the definition ([rules.blokkade]). A step
finished by an afwijking (done differently or skipped, always with motivatie) lifts it too. The traject's
effective events count: withdrawing the contact puts the blokkade back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.procedure.engine import derive
from ontkoppel_desktop.core.procedure.events import EventKind
from ontkoppel_desktop.core.procedure.loader import ProcedureRegistry
from ontkoppel_desktop.core.procedure.traject import Traject


@dataclass(frozen=True, slots=True)
class Blokkade:
    opleider_id: int
    traject_id: int | None
    sinds: dt.date
    wacht_op: str  # the title of the step that lifts it

    @property
    def reden(self) -> str:
        return f"Geen nieuwe aios: ontkoppeld op {dutch_date(self.sinds)}; wacht op: {self.wacht_op.lower()}."


def blokkade_of(definition: ProcedureDefinition, traject: Traject) -> Blokkade | None:
    """The blokkade this traject puts on its opleider, or None."""
    rule = definition.blokkade
    if rule is None:
        return None
    events = traject.effective_events
    start = definition.moments[rule.from_moment].first(events)
    if start is None:
        return None
    step = definition.step(rule.until_step)
    if step.collect is None:
        lifted = any(
            step.done_by.matches(e) or (e.kind is EventKind.AFWIJKING and e.text("stap") == step.id)
            for e in events
        )
    else:
        overview = derive(definition, traject, None, max(e.date for e in events))
        lifted = any(s.step.id == step.id and s.state.is_finished for s in overview.statuses)
    if lifted:
        return None
    return Blokkade(
        opleider_id=traject.opleider_id, traject_id=traject.id, sinds=start.date, wacht_op=step.title
    )


def blokkades(trajecten: Iterable[Traject], registry: ProcedureRegistry) -> dict[int, list[Blokkade]]:
    """Every blocked opleider with the trajecten that block them (for Personen, koppelingen, planner)."""
    found: dict[int, list[Blokkade]] = {}
    for traject in trajecten:
        b = blokkade_of(registry.get(traject.procedure_id, traject.procedure_version), traject)
        if b is not None:
            found.setdefault(b.opleider_id, []).append(b)
    return found


def opleider_geblokkeerd(
    opleider_id: int, trajecten: Iterable[Traject], registry: ProcedureRegistry
) -> Blokkade | None:
    """The first blokkade on this opleider ("geen nieuwe aios"), or None if they may get a new aios."""
    for traject in trajecten:
        if traject.opleider_id != opleider_id:
            continue
        b = blokkade_of(registry.get(traject.procedure_id, traject.procedure_version), traject)
        if b is not None:
            return b
    return None
