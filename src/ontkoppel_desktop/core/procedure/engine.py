"""The term engine: from (definition, traject, aios facts, today) to the state, term and roles of every step.

Pure and linear in the number of events and steps: the events are grouped by kind once, then every step is
evaluated once, in an order where the steps it depends on come first (computed when the definition is loaded).

Generic rules, none of them about Utrecht in particular:
- A step is triggered by its trigger (the earliest occurrence; every occurrence for a repeating step).
- A step is done by the first event its `done_by` matches (for a repeating step: one per occurrence, by the
  event's `bij` reference if given, else first come first served). An `afwijking` on the step finishes it too,
  as "anders gedaan" or "overgeslagen"; a finished step, whichever way, triggers the steps that wait for it.
- The term counts calendar days (and calendar months) from its anchor; "earliest" takes the earliest of the
  parts whose anchor is known.
- Once the traject is closed, steps never triggered are "niet van toepassing" and open ones "vervallen".
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ontkoppel_desktop.core.procedure.dates import add_months, day_warning
from ontkoppel_desktop.core.procedure.definition import (
    AnchorKind,
    ProcedureDefinition,
    StepDefinition,
    Term,
    TriggerKind,
)
from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject
from ontkoppel_desktop.core.procedure.voortgang import advise
from ontkoppel_desktop.core.procedure.wachttijd import wachttijd_decision_day
from ontkoppel_desktop.core.rollen import Rol

# Named lists of dates the engine may look terms up in; today only "opleidersterugkomdagen" (Utrecht 5.3.2).
Agenda = Mapping[str, Sequence[dt.date]]


class StepState(StrEnum):
    NOT_YET = "nog_niet"  # not triggered (yet)
    OPEN = "open"  # triggered, no term
    DUE = "lopend"  # triggered, term not passed
    OVERDUE = "te_laat"  # triggered, term passed
    DONE = "gedaan"
    DEVIATED = "anders_gedaan"  # afwijking: done differently, with motivatie
    SKIPPED = "overgeslagen"  # afwijking: skipped, with motivatie
    LAPSED = "vervallen"  # open when the traject was closed
    NOT_APPLICABLE = "niet_van_toepassing"  # never triggered in a closed traject

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Waiting for someone: these become tasks."""
        return self in (StepState.OPEN, StepState.DUE, StepState.OVERDUE)

    @property
    def is_finished(self) -> bool:
        return self in (StepState.DONE, StepState.DEVIATED, StepState.SKIPPED)


_STATE_LABELS: dict[StepState, str] = {
    StepState.NOT_YET: "Nog niet aan de orde",
    StepState.OPEN: "Open",
    StepState.DUE: "Termijn loopt",
    StepState.OVERDUE: "Termijn verstreken",
    StepState.DONE: "Gedaan",
    StepState.DEVIATED: "Anders gedaan",
    StepState.SKIPPED: "Overgeslagen",
    StepState.LAPSED: "Vervallen",
    StepState.NOT_APPLICABLE: "Niet van toepassing",
}


@dataclass(frozen=True, slots=True)
class StepStatus:
    """One step (one occurrence of a repeating step) of one traject, as of `today`."""

    step: StepDefinition
    occurrence: int  # 0 for a step that does not repeat
    state: StepState
    today: dt.date
    triggered_on: dt.date | None = None
    due: dt.date | None = None
    done_on: dt.date | None = None
    done_event_id: str | None = None
    motivatie: str = ""  # the motivatie of an afwijking
    origin_event_id: str | None = None  # the event this occurrence belongs to (e.g. which driehoeksgesprek)

    @property
    def key(self) -> str:
        """Stable within a traject: the step id, with '#2', '#3'... for later occurrences of a repeating step."""
        return self.step.id if self.occurrence == 0 else f"{self.step.id}#{self.occurrence + 1}"

    @property
    def roles(self) -> tuple[Rol, ...]:
        return self.step.roles

    @property
    def days_left(self) -> int | None:
        """Days until the term (0 on the day itself, negative when overdue); None without a running term."""
        if self.due is None or not self.state.is_open:
            return None
        return (self.due - self.today).days

    @property
    def due_warning(self) -> str | None:
        """'zaterdag', 'zondag' or a holiday name when the term falls on such a day (never moved)."""
        return day_warning(self.due) if self.due is not None else None

    @property
    def term_label(self) -> str:
        return self.step.term.label if self.step.term is not None else ""

    @property
    def done_late(self) -> bool:
        return self.due is not None and self.done_on is not None and self.done_on > self.due


@dataclass(frozen=True, slots=True)
class TrajectOverview:
    traject: Traject
    definition: ProcedureDefinition
    today: dt.date
    statuses: tuple[StepStatus, ...]  # in the order of the definition file (the stappenplan)

    @property
    def closed(self) -> bool:
        return self.traject.closed

    @property
    def phase(self) -> int | None:
        """The phase the traject is in: the lowest phase with an open step; else the highest phase reached.
        None once closed."""
        if self.closed:
            return None
        open_phases = [s.step.phase for s in self.statuses if s.state.is_open]
        if open_phases:
            return min(open_phases)
        reached = [s.step.phase for s in self.statuses if s.triggered_on is not None or s.state.is_finished]
        return max(reached, default=1)

    def open_statuses(self) -> tuple[StepStatus, ...]:
        return tuple(s for s in self.statuses if s.state.is_open)

    def for_role(self, rol: Rol) -> tuple[StepStatus, ...]:
        """The per-role stappenplan of this traject."""
        return tuple(s for s in self.statuses if rol in s.step.roles)

    def status(self, key: str) -> StepStatus:
        for s in self.statuses:
            if s.key == key:
                return s
        raise KeyError(key)


@dataclass(slots=True)
class _Finish:
    day: dt.date
    event: TrajectEvent
    state: StepState


class _Context:
    """Everything derived once per traject that the steps look up."""

    __slots__ = ("agenda", "by_kind", "definition", "deviations", "facts", "finished", "today", "traject")

    def __init__(
        self, definition: ProcedureDefinition, traject: Traject, facts: AiosFacts | None, today: dt.date,
        agenda: Agenda | None,
    ) -> None:
        self.definition = definition
        self.traject = traject
        self.facts = facts
        self.today = today
        self.agenda = agenda or {}
        by_kind: dict[EventKind, list[TrajectEvent]] = {}
        for event in sorted(traject.events, key=_event_day):
            by_kind.setdefault(event.kind, []).append(event)
        self.by_kind = by_kind
        deviations: dict[str, list[TrajectEvent]] = {}
        for event in by_kind.get(EventKind.AFWIJKING, ()):
            deviations.setdefault(event.text("stap"), []).append(event)
        self.deviations = deviations
        # step id -> (day finished, origin event id) per finished occurrence, in day order
        self.finished: dict[str, list[tuple[dt.date, str | None]]] = {}


def _event_day(event: TrajectEvent) -> dt.date:
    return event.date


def _triggers(step: StepDefinition, ctx: _Context) -> list[tuple[dt.date, str | None]]:
    found: list[tuple[dt.date, str | None]] = []
    for trigger in step.triggers:
        kind = trigger.kind
        if kind is TriggerKind.EVENT or kind is TriggerKind.MOMENT:
            matcher = trigger.matcher
            assert matcher is not None
            for event in ctx.by_kind.get(matcher.kind, ()):
                if matcher.matches(event):
                    found.append((event.date, event.id))
        elif kind is TriggerKind.STEP:
            found.extend(ctx.finished.get(trigger.name, ()))
        elif kind is TriggerKind.START:
            if ctx.traject.events:
                first = min(ctx.traject.events, key=_event_day)
                found.append((first.date, first.id))
        elif trigger.name == "wachttijd":
            rule = ctx.definition.wachttijd
            if rule is not None and EventKind.KOPPELING_BEEINDIGD in ctx.by_kind:
                day = wachttijd_decision_day(rule, ctx.traject, ctx.today)
                if day is not None and day <= ctx.today:
                    found.append((day, None))
        elif trigger.name == "voortgang":
            rule_v = ctx.definition.voortgang
            if rule_v is not None and ctx.facts is not None:
                moment = ctx.definition.moments[rule_v.at_moment]
                event = next((e for e in ctx.by_kind.get(moment.kind, ()) if moment.matches(e)), None)
                if event is not None:
                    advies = advise(rule_v, event.date, ctx.facts)
                    if advies is not None and advies.besluit_nodig:
                        found.append((event.date, event.id))
    if len(step.triggers) > 1:
        found.sort(key=lambda t: t[0])
    return found


def _finishes(step: StepDefinition, ctx: _Context) -> list[_Finish]:
    done_by = step.done_by
    matched = [e for e in ctx.by_kind.get(done_by.kind, ()) if done_by.matches(e)]
    result: list[_Finish] = []
    if step.collect is not None:
        key, wanted = step.collect
        seen: set[str] = set()
        for event in matched:
            values = event.data.get(key)
            if isinstance(values, list):
                seen.update(str(v) for v in values)
            if wanted <= seen:
                result.append(_Finish(event.date, event, StepState.DONE))
                break
    else:
        result = [_Finish(e.date, e, StepState.DONE) for e in matched]
    deviations = ctx.deviations.get(step.id)
    if deviations:
        for event in deviations:
            state = StepState.SKIPPED if event.text("wijze") == "overgeslagen" else StepState.DEVIATED
            result.append(_Finish(event.date, event, state))
        result.sort(key=lambda f: f.day)
    return result


def _anchor_events(matcher_kind: EventKind, ctx: _Context) -> list[TrajectEvent]:
    return ctx.by_kind.get(matcher_kind, [])


def _due(term: Term, triggered_on: dt.date, ctx: _Context) -> dt.date | None:
    best: dt.date | None = None
    for part in term.parts:
        anchor: dt.date | None = None
        if part.anchor is AnchorKind.TRIGGER:
            anchor = triggered_on
        elif part.anchor is AnchorKind.STEP:
            done = ctx.finished.get(part.name)
            if done:
                anchor = done[-1][0] if part.occurrence == "last" else done[0][0]
        else:
            matcher = part.matcher
            assert matcher is not None
            events = [e for e in _anchor_events(matcher.kind, ctx) if matcher.matches(e)]
            if events:
                event = events[-1] if part.occurrence == "last" else events[0]
                anchor = event.day(part.field) if part.field else event.date
        if anchor is None:
            continue
        if part.next_in is not None:
            days = ctx.agenda.get(part.next_in, ())
            i = bisect_right(days, anchor)
            if i == len(days):
                continue
            day = days[i]
        else:
            day = add_months(anchor, -part.months if part.before else part.months) if part.months else anchor
            day = day - dt.timedelta(days=part.days) if part.before else day + dt.timedelta(days=part.days)
        if best is None or day < best:
            best = day
    return best


def _status(
    step: StepDefinition, occurrence: int, trigger: tuple[dt.date, str | None] | None, finish: _Finish | None,
    ctx: _Context, closed: bool,
) -> StepStatus:
    triggered_on = trigger[0] if trigger is not None else None
    due = None
    if triggered_on is not None and step.term is not None:
        due = _due(step.term, triggered_on, ctx)
    if finish is not None:
        state = finish.state
    elif triggered_on is None:
        state = StepState.NOT_APPLICABLE if closed else StepState.NOT_YET
    elif closed:
        state = StepState.LAPSED
    elif due is None:
        state = StepState.OPEN
    elif ctx.today > due:
        state = StepState.OVERDUE
    else:
        state = StepState.DUE
    return StepStatus(
        step=step,
        occurrence=occurrence,
        state=state,
        today=ctx.today,
        triggered_on=triggered_on,
        due=due,
        done_on=finish.day if finish is not None else None,
        done_event_id=finish.event.id if finish is not None else None,
        motivatie=finish.event.text("motivatie") if finish is not None and finish.state is not StepState.DONE else "",
        origin_event_id=trigger[1] if trigger is not None else None,
    )


def _evaluate(step: StepDefinition, ctx: _Context, closed: bool) -> list[StepStatus]:
    triggers = _triggers(step, ctx)
    finishes = _finishes(step, ctx)
    statuses: list[StepStatus]
    if not step.repeats:
        trigger = triggers[0] if triggers else None
        finish = finishes[0] if finishes else None
        origin = trigger[1] if trigger is not None else (finish.event.id if finish is not None else None)
        statuses = [_status(step, 0, trigger, finish, ctx, closed)]
        if finish is not None:
            ctx.finished[step.id] = [(finish.day, origin)]
        return statuses
    # A repeating step: one occurrence per trigger. A finishing event goes to the occurrence it names in `bij`
    # (the id of the event the occurrence belongs to), otherwise to the earliest occurrence still open.
    assigned: list[_Finish | None] = [None] * len(triggers)
    loose: list[_Finish] = []
    origins = {t[1]: i for i, t in enumerate(triggers) if t[1] is not None}
    for finish in finishes:
        i = origins.get(finish.event.text("bij") or None)
        if i is not None and assigned[i] is None:
            assigned[i] = finish
        else:
            loose.append(finish)
    for finish in loose:
        i = next((k for k, a in enumerate(assigned) if a is None), None)
        if i is None:
            triggers.append((finish.day, None))
            assigned.append(finish)
        else:
            assigned[i] = finish
    if not triggers:
        return [_status(step, 0, None, None, ctx, closed)]
    statuses = [_status(step, i, t, assigned[i], ctx, closed) for i, t in enumerate(triggers)]
    finished = [(s.done_on, s.origin_event_id) for s in statuses if s.done_on is not None]
    if finished:
        ctx.finished[step.id] = sorted(((d, o) for d, o in finished if d is not None), key=lambda t: t[0])
    return statuses


def derive(
    definition: ProcedureDefinition,
    traject: Traject,
    facts: AiosFacts | None,
    today: dt.date,
    agenda: Agenda | None = None,
) -> TrajectOverview:
    """The state of every step of `traject` on `today`. `facts` is needed for the voortgang rule (5.2.3); without
    it that rule is not evaluated. `agenda` gives the dates of opleidersterugkomdagen for "de volgende"."""
    ctx = _Context(definition, traject, facts, today, agenda)
    closed = EventKind.TRAJECT_GESLOTEN in ctx.by_kind
    per_step: list[list[StepStatus]] = [[] for _ in definition.steps]
    for i in definition.eval_order:
        per_step[i] = _evaluate(definition.steps[i], ctx, closed)
    return TrajectOverview(
        traject=traject,
        definition=definition,
        today=today,
        statuses=tuple(s for group in per_step for s in group),
    )
