"""The term engine: from (definition, traject, aios facts, today) to the state, term and roles of every step.

Pure and linear in the number of events and steps: the events are grouped by kind once, then every step is
evaluated once, in an order where the steps it depends on come first (computed when the definition is loaded).

Generic rules, none of them about Utrecht in particular:
- A step is triggered by its trigger (the earliest occurrence; every occurrence for a repeating step).
- A step is done by the first event its `done_by` matches (for a repeating step: one per occurrence, by the
  event's `bij` reference if given, else first come first served). An `afwijking` on the step finishes it too,
  as "anders gedaan" or "overgeslagen"; a finished step, whichever way, triggers the steps that wait for it.
- The term counts calendar days (and calendar months) from its anchor; "earliest" takes the earliest of the
  parts whose anchor is known. An approximate term with a window ("ongeveer een week": 5 to 10 days) is due
  from the window's first day (`due_from`) to its last (`due`); the step is late only after the last.
- Once the traject is closed, steps never triggered are "niet van toepassing" and open ones "vervallen".
- The events read are the effective ones (`Traject.effective_events`: after intrekkingen and correcties).
- No stored value stops a derivation: a term that falls outside the calendar (a stored year 9999) is unknown
  (None), and so is one whose anchor is not a date.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ontkoppel_desktop.core.kalender import dutch_date, shift
from ontkoppel_desktop.core.procedure.definition import (
    AnchorKind,
    EventMatcher,
    ProcedureDefinition,
    StepDefinition,
    Term,
    Trigger,
    TriggerKind,
)
from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent
from ontkoppel_desktop.core.procedure.feestdagen import day_warning
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
        return self in OPEN_STATES

    @property
    def is_finished(self) -> bool:
        return self in FINISHED_STATES


OPEN_STATES = frozenset({StepState.OPEN, StepState.DUE, StepState.OVERDUE})
FINISHED_STATES = frozenset({StepState.DONE, StepState.DEVIATED, StepState.SKIPPED})

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


@dataclass(slots=True)
class StepStatus:
    """One step (one occurrence of a repeating step) of one traject, as of `today`.

    Read-only by contract: not frozen only because a frozen dataclass takes three times as long to build
    (tens of thousands are built for a task list), and untouched statuses are shared between trajecten.
    """

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
    due_from: dt.date | None = None  # the first day of the window of an approximate term; None without one

    @property
    def key(self) -> str:
        """Stable within a traject: the step id, with '#2', '#3'... for later occurrences of a repeating
        step."""
        return self.step.id if self.occurrence == 0 else f"{self.step.id}#{self.occurrence + 1}"

    @property
    def roles(self) -> tuple[Rol, ...]:
        return self.step.roles

    @property
    def days_left(self) -> int | None:
        """Days until the term, or the last day of its window (0 on the day itself, negative when overdue);
        None without a running term."""
        if self.due is None or not self.state.is_open:
            return None
        return (self.due - self.today).days

    @property
    def days_to_window(self) -> int | None:
        """Days until the window of an approximate term opens (0 or less once it has); None without one."""
        if self.due_from is None or self.due is None or not self.state.is_open:
            return None
        return (self.due_from - self.today).days

    @property
    def days_text(self) -> str:
        """'nog 3 dagen', 'vandaag', '1 dag te laat', 'geen termijn'; with a window 'over 4 tot 9 dagen',
        'nu (nog 3 dagen)', 'vandaag (laatste dag)': readable without colour."""
        days_left = self.days_left
        if days_left is None:
            return "geen termijn"
        if days_left < 0:
            late = -days_left
            return f"{late} dag{'en' if late != 1 else ''} te laat"
        to_window = self.days_to_window
        if to_window is None:
            return "vandaag" if days_left == 0 else f"nog {days_left} dag" + ("en" if days_left != 1 else "")
        if to_window > 0:
            return f"over {to_window} tot {days_left} dagen"
        if days_left == 0:
            return "vandaag (laatste dag)"
        return f"nu (nog {days_left} dag" + ("en)" if days_left != 1 else ")")

    @property
    def due_warning(self) -> str | None:
        """'zaterdag', 'zondag' or a holiday name when the term falls on such a day (never moved)."""
        return day_warning(self.due) if self.due is not None else None

    @property
    def term_label(self) -> str:
        """The term in words, with its window where it has one: 'ongeveer een week na het driehoeksgesprek
        (tussen 5 en 10 dagen)'."""
        return self.step.term.text if self.step.term is not None else ""

    @property
    def window_text(self) -> str:
        """'tussen 17 maart 2025 en 22 maart 2025' for a term with a window; '' otherwise."""
        if self.due_from is None or self.due is None:
            return ""
        return f"tussen {dutch_date(self.due_from)} en {dutch_date(self.due)}"

    @property
    def done_late(self) -> bool:
        return self.due is not None and self.done_on is not None and self.done_on > self.due


@dataclass(frozen=True, slots=True)
class TrajectOverview:
    traject: Traject
    definition: ProcedureDefinition
    today: dt.date
    statuses: tuple[StepStatus, ...]  # in the order of the definition file (the stappenplan)
    phase: int | None  # the highest phase whose start has happened; None once the traject is closed

    @property
    def closed(self) -> bool:
        return self.traject.closed

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

    __slots__ = (
        "_index",
        "_matched",
        "agenda",
        "by_kind",
        "definition",
        "deviations",
        "events",
        "facts",
        "finished",
        "today",
        "traject",
    )

    def __init__(
        self,
        definition: ProcedureDefinition,
        traject: Traject,
        facts: AiosFacts | None,
        today: dt.date,
        agenda: Agenda | None,
    ) -> None:
        self.definition = definition
        self.traject = traject
        self.facts = facts
        self.today = today
        self.agenda = agenda or {}
        by_kind: dict[EventKind, list[TrajectEvent]] = {}
        self.events = sorted(traject.effective_events, key=_event_day)
        for event in self.events:
            by_kind.setdefault(event.kind, []).append(event)
        self.by_kind = by_kind
        deviations: dict[str, list[TrajectEvent]] = {}
        for event in by_kind.get(EventKind.AFWIJKING, ()):
            deviations.setdefault(event.text("stap"), []).append(event)
        self.deviations = deviations
        # step id -> (day finished, origin event id) per finished occurrence, in day order
        self.finished: dict[str, list[tuple[dt.date, str | None]]] = {}
        self._matched: dict[int, list[TrajectEvent]] = {}
        self._index: dict[tuple[EventKind, str], dict[object, list[TrajectEvent]]] = {}

    def matched(self, matcher: EventMatcher) -> list[TrajectEvent]:
        """The events `matcher` matches, in day order; looked up through an index on the first data field and
        remembered, since many steps share a matcher (e.g. the moment of the ontkoppeling)."""
        if not matcher.data:
            return self.by_kind.get(matcher.kind) or _NO_EVENTS
        hit = self._matched.get(id(matcher))
        if hit is not None:
            return hit
        events = self.by_kind.get(matcher.kind)
        if not events:
            hit = []
        else:
            field, values = matcher.data[0]
            index = self._index.get((matcher.kind, field))
            if index is None:
                index = {}
                for event in events:
                    value = event.data.get(field)
                    if not isinstance(value, (list, dict)):
                        index.setdefault(value, []).append(event)
                self._index[(matcher.kind, field)] = index
            if len(values) == 1:
                candidates = index.get(values[0], [])
            else:
                candidates = sorted((e for v in values for e in index.get(v, ())), key=_event_day)
            hit = candidates if len(matcher.data) == 1 else [e for e in candidates if matcher.matches(e)]
        self._matched[id(matcher)] = hit
        return hit


_NO_EVENTS: list[TrajectEvent] = []  # shared and never mutated


def _event_day(event: TrajectEvent) -> dt.date:
    return event.date


def _day_of(occurrence: tuple[dt.date, str | None]) -> dt.date:
    return occurrence[0]


def _triggers(
    triggers: tuple[Trigger, ...], ctx: _Context, first_only: bool = False
) -> list[tuple[dt.date, str | None]]:
    """The occurrences of any of `triggers`, in day order (only the earliest of each with `first_only`)."""
    found: list[tuple[dt.date, str | None]] = []
    for trigger in triggers:
        kind = trigger.kind
        if kind is TriggerKind.EVENT or kind is TriggerKind.MOMENT:
            matcher = trigger.matcher
            assert matcher is not None
            events = ctx.matched(matcher)
            if events:
                if first_only:
                    found.append((events[0].date, events[0].id))
                else:
                    found.extend((e.date, e.id) for e in events)
        elif kind is TriggerKind.STEP:
            done = ctx.finished.get(trigger.name)
            if done:
                found.extend(done[:1] if first_only else done)
        elif kind is TriggerKind.START:
            if ctx.events:
                found.append((ctx.events[0].date, ctx.events[0].id))
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
                at_events = ctx.matched(moment)
                if at_events:
                    at = at_events[0]
                    advies = advise(rule_v, at.date, ctx.facts)
                    if advies is not None and advies.besluit_nodig:
                        found.append((at.date, at.id))
    if len(triggers) > 1:
        found.sort(key=_day_of)
    return found


def _first_trigger(triggers: tuple[Trigger, ...], ctx: _Context) -> tuple[dt.date, str | None] | None:
    """The earliest occurrence of any of `triggers` (the hot path of a step that does not repeat)."""
    best: tuple[dt.date, str | None] | None = None
    for trigger in triggers:
        kind = trigger.kind
        candidate: tuple[dt.date, str | None] | None = None
        if trigger.matcher is not None:
            events = ctx.matched(trigger.matcher)
            if events:
                candidate = (events[0].date, events[0].id)
        elif kind is TriggerKind.STEP:
            done = ctx.finished.get(trigger.name)
            if done:
                candidate = done[0]
        else:
            found = _triggers((trigger,), ctx, first_only=True)
            if found:
                candidate = found[0]
        if candidate is not None and (best is None or candidate[0] < best[0]):
            best = candidate
    return best


def _first_finish(step: StepDefinition, ctx: _Context) -> _Finish | None:
    """The earliest finishing event: done_by or an afwijking (on the same day, done_by wins)."""
    if step.collect is not None:
        finishes = _finishes(step, ctx, first_only=True)
        return finishes[0] if finishes else None
    matched = ctx.matched(step.done_by)
    deviations = ctx.deviations.get(step.id)
    if deviations:
        dev = deviations[0]
        if not matched or dev.date < matched[0].date:
            state = StepState.SKIPPED if dev.text("wijze") == "overgeslagen" else StepState.DEVIATED
            return _Finish(dev.date, dev, state)
    if matched:
        return _Finish(matched[0].date, matched[0], StepState.DONE)
    return None


def _finishes(step: StepDefinition, ctx: _Context, first_only: bool = False) -> list[_Finish]:
    """The events that finish the step (done or afwijking), in day order (the earliest only with
    `first_only`)."""
    matched = ctx.matched(step.done_by)
    deviations = ctx.deviations.get(step.id)
    if not matched and not deviations:
        return []
    if first_only and step.collect is None:
        matched = matched[:1]
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
    if deviations:
        for event in deviations:
            state = StepState.SKIPPED if event.text("wijze") == "overgeslagen" else StepState.DEVIATED
            result.append(_Finish(event.date, event, state))
        result.sort(key=lambda f: f.day)
    return result


def _due(term: Term, triggered_on: dt.date, ctx: _Context) -> tuple[dt.date | None, dt.date | None]:
    """(first day of the window or None, the due day or None); None where it cannot be computed."""
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
            events = ctx.matched(matcher)
            if events:
                event = events[-1] if part.occurrence == "last" else events[0]
                anchor = event.day(part.field) if part.field else event.date
        if anchor is None:
            continue
        window = term.window
        if window is not None:  # one part, counted after its anchor (the loader checks)
            return (
                shift(anchor, months=window.from_months, days=window.from_days),
                shift(anchor, months=window.until_months, days=window.until_days),
            )
        day: dt.date | None
        if part.next_in is not None:
            days = ctx.agenda.get(part.next_in, ())
            i = bisect_right(days, anchor)
            if i == len(days):
                continue
            day = days[i]
        elif part.before:
            day = shift(anchor, months=-part.months, days=-part.days)
        else:
            day = shift(anchor, months=part.months, days=part.days)
        if day is not None and (best is None or day < best):
            best = day
    return None, best


def _status(
    step: StepDefinition,
    occurrence: int,
    trigger: tuple[dt.date, str | None] | None,
    finish: _Finish | None,
    ctx: _Context,
    closed: bool,
) -> StepStatus:
    triggered_on = trigger[0] if trigger is not None else None
    due_from = due = None
    if triggered_on is not None and step.term is not None:
        due_from, due = _due(step.term, triggered_on, ctx)
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
        motivatie=finish.event.text("motivatie")
        if finish is not None and finish.state is not StepState.DONE
        else "",
        origin_event_id=trigger[1] if trigger is not None else None,
        due_from=due_from if due is not None else None,
    )


@dataclass(frozen=True, slots=True)
class _Listens:
    """What can touch a step: these event kinds, these steps finishing, or always (start, wachttijd)."""

    kinds: frozenset[EventKind]
    steps: frozenset[str]
    always: bool
    needs_origin: bool  # a repeating step waits for this one and follows its occurrences


def _listens(definition: ProcedureDefinition) -> tuple[_Listens, ...]:
    plans = definition._engine_cache.get("listens")
    if plans is None:
        built = []
        for step in definition.steps:
            kinds = {step.done_by.kind}
            steps: list[str] = []
            always = False
            for t in step.triggers:
                if t.matcher is not None:
                    kinds.add(t.matcher.kind)
                elif t.kind is TriggerKind.STEP:
                    steps.append(t.name)
                elif (
                    t.kind is TriggerKind.RULE and t.name == "voortgang" and definition.voortgang is not None
                ):
                    kinds.add(definition.moments[definition.voortgang.at_moment].kind)
                else:
                    always = True
            followers = [
                other
                for other in definition.steps
                if other.repeats
                and any(t.name == step.id for t in other.triggers if t.kind is TriggerKind.STEP)
            ]
            built.append(_Listens(frozenset(kinds), frozenset(steps), always, bool(followers)))
        plans = tuple(built)
        definition._engine_cache["listens"] = plans
    result: tuple[_Listens, ...] = plans
    return result


def _finish_index(definition: ProcedureDefinition) -> dict[EventKind, list[tuple[str, EventMatcher]]]:
    """Event kind -> the steps (that do not repeat, collect or lead a repeating step) it may finish."""
    index = definition._engine_cache.get("finish_index")
    if index is None:
        index = {}
        for step, plan in zip(definition.steps, _listens(definition), strict=True):
            simple = not step.repeats and step.collect is None and not plan.needs_origin
            if simple and step.done_by.kind is not EventKind.STAP_UITGEVOERD:
                index.setdefault(step.done_by.kind, []).append((step.id, step.done_by))
        definition._engine_cache["finish_index"] = index
    result: dict[EventKind, list[tuple[str, EventMatcher]]] = index
    return result


_PlanRow = tuple[int, StepDefinition, str, bool, bool, frozenset[EventKind], frozenset[str], bool]


def _walk_plan(definition: ProcedureDefinition) -> list[_PlanRow]:
    """The steps in evaluation order with what `_walk` checks, as flat tuples (it runs for every traject)."""
    rows = definition._engine_cache.get("walk_plan")
    if rows is None:
        listens = _listens(definition)
        rows = []
        for i in definition.eval_order:
            step, plan = definition.steps[i], listens[i]
            simple = not step.repeats and step.collect is None and not plan.needs_origin
            rows.append((i, step, step.id, simple, plan.always, plan.kinds, plan.steps, plan.needs_origin))
        definition._engine_cache["walk_plan"] = rows
    result: list[_PlanRow] = rows
    return result


def _finished_days(definition: ProcedureDefinition, ctx: _Context) -> dict[str, dt.date]:
    """One pass over the events: the day each simple step finished (done or afwijking), for `open_steps`,
    which needs no more than that of a finished step."""
    index = _finish_index(definition)
    days: dict[str, dt.date] = {}
    for event in ctx.events:
        kind = event.kind
        if kind is EventKind.AFWIJKING or kind is EventKind.STAP_UITGEVOERD:
            # both name their step; a step done by stap_uitgevoerd matches on exactly that (see loader)
            step_id = event.text("stap")
            if step_id not in days:
                days[step_id] = event.date
            continue
        for step_id, matcher in index.get(kind, ()):
            if step_id not in days and (not matcher.data or matcher.matches(event)):
                days[step_id] = event.date
    return days


def _untouched(step: StepDefinition, ctx: _Context, closed: bool) -> StepStatus:
    """The status of a step that is neither triggered nor finished. It is the same for every traject on the
    same day, so it is made once per (step, day) and shared: deriving many trajecten stays cheap."""
    key = (step.order, ctx.today, closed)
    cache: dict[tuple[int, dt.date, bool], StepStatus] = ctx.definition._engine_cache.setdefault(
        "untouched", {}
    )
    status = cache.get(key)
    if status is None:
        if len(cache) > 4096:  # one entry per step per day asked for: bounded for a long-running app
            cache.clear()
        status = _status(step, 0, None, None, ctx, closed)
        cache[key] = status
    return status


def _evaluate(
    step: StepDefinition, ctx: _Context, closed: bool, only_open: bool, needs_origin: bool = True
) -> list[StepStatus]:
    """The statuses of one step (one per occurrence); with `only_open` just the open ones. Either way the
    step's finished occurrences are noted in `ctx.finished` for the steps that wait for it."""
    pairs: list[tuple[tuple[dt.date, str | None] | None, _Finish | None]]
    if not step.repeats:
        finish = _first_finish(step, ctx)
        if finish is not None and only_open and not needs_origin:
            # A finished step is no task; steps waiting for it need only the day it finished.
            ctx.finished[step.id] = [(finish.day, None)]
            return []
        trigger = _first_trigger(step.triggers, ctx)
        if finish is not None:
            ctx.finished[step.id] = [(finish.day, trigger[1] if trigger is not None else finish.event.id)]
            if only_open:
                return []
        elif trigger is None:
            return [] if only_open else [_untouched(step, ctx, closed)]
        elif only_open and closed:
            return []
        return [_status(step, 0, trigger, finish, ctx, closed)]
    else:
        # One occurrence per trigger. A finishing event goes to the occurrence it names in `bij` (the id of
        # the event the occurrence belongs to), otherwise to the earliest occurrence still open.
        triggers = _triggers(step.triggers, ctx)
        finishes = _finishes(step, ctx)
        if not triggers and not finishes:
            return [] if only_open else [_untouched(step, ctx, closed)]
        assigned: list[_Finish | None] = [None] * len(triggers)
        loose: list[_Finish] = []
        origins = {t[1]: i for i, t in enumerate(triggers) if t[1] is not None}
        for finish in finishes:
            i = origins.get(finish.event.text("bij"))
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
        done = [(f.day, t[1]) for t, f in zip(triggers, assigned, strict=True) if f is not None]
        if done:
            ctx.finished[step.id] = sorted(done, key=_day_of)
        pairs = list(zip(triggers, assigned, strict=True))
    if only_open:
        return [
            _status(step, i, t, f, ctx, closed)
            for i, (t, f) in enumerate(pairs)
            if f is None and t is not None and not closed
        ]
    return [_status(step, i, t, f, ctx, closed) for i, (t, f) in enumerate(pairs)]


def _walk(
    definition: ProcedureDefinition,
    traject: Traject,
    facts: AiosFacts | None,
    today: dt.date,
    agenda: Agenda | None,
    only_open: bool,
) -> tuple[_Context, bool, list[list[StepStatus]]]:
    ctx = _Context(definition, traject, facts, today, agenda)
    closed = EventKind.TRAJECT_GESLOTEN in ctx.by_kind
    per_step: list[list[StepStatus]] = [[] for _ in definition.steps]
    present = ctx.by_kind.keys()
    deviations = ctx.deviations
    finished = ctx.finished
    done_days = _finished_days(definition, ctx) if only_open else {}
    for i, step, step_id, simple, always, kinds, waits, needs_origin in _walk_plan(definition):
        if simple and step_id in done_days:
            # Finished, so no task; the day is all that the steps waiting for it need.
            finished[step_id] = [(done_days[step_id], None)]
        elif (
            always
            or not present.isdisjoint(kinds)
            or step_id in deviations
            or (waits and not finished.keys().isdisjoint(waits))
        ):
            per_step[i] = _evaluate(step, ctx, closed, only_open, needs_origin)
        elif not only_open:
            per_step[i] = [_untouched(step, ctx, closed)]
    return ctx, closed, per_step


def open_steps(
    definition: ProcedureDefinition,
    traject: Traject,
    facts: AiosFacts | None,
    today: dt.date,
    agenda: Agenda | None = None,
) -> list[StepStatus]:
    """Only the open steps (what `derive(...).open_statuses()` gives), in stappenplan order; faster, for
    task lists over many trajecten."""
    _, _, per_step = _walk(definition, traject, facts, today, agenda, only_open=True)
    return [s for group in per_step for s in group]


def derive(
    definition: ProcedureDefinition,
    traject: Traject,
    facts: AiosFacts | None,
    today: dt.date,
    agenda: Agenda | None = None,
) -> TrajectOverview:
    """The state of every step of `traject` on `today`. `facts` is needed for the voortgang rule (5.2.3);
    without it that rule is not evaluated. `agenda` gives the dates of opleidersterugkomdagen for "de
    volgende"."""
    ctx, closed, per_step = _walk(definition, traject, facts, today, agenda, only_open=False)
    phase = None
    if not closed:
        started = [p.number for p in definition.phases if not p.starts or _triggers(p.starts, ctx)]
        phase = max(started, default=None)
    return TrajectOverview(
        traject=traject,
        definition=definition,
        today=today,
        statuses=tuple(s for group in per_step for s in group),
        phase=phase,
    )
