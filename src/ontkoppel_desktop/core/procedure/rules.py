"""Recording events on a traject, and the rules that refuse an event (RuleError, with a Dutch message that says
what to change).

The one gateway for changes to a traject: `record` (an event built by the caller) or `record_new` (built
here). Both return a new Traject; nothing is changed in place. The rules are about the event vocabulary and the
definition's triggers, not about one institute's procedure:
- events record what happened: never in the future (`plausibel.GEBEURTENIS`), never before the traject began;
- an event that completes a step is not dated before that step was triggered (a verslag before its
  driehoeksgesprek, an evaluatie before the formal ontkoppeling);
- a step of a phase that has not begun cannot be completed: a step whose every trigger waits, directly or through
  other steps, for what starts a phase (for Utrecht the formal besluit tot ontkoppeling, and the start with the
  new opleider) needs that to be recorded first, and is not dated before it;
- dates inside an event are plausible too (the planned startdatum at the new opleider, the aios's last day in
  the old practice), and the new start lies after the old practice and the end of the old koppeling;
- a koppeling is ended (ontkoppeld) only after the formal besluit tot ontkoppeling is recorded;
- a nieuwe koppeling is confirmed only if aios and opleider both said yes in the kennismakingsgesprek;
- an afwijking needs a motivatie; a closed traject takes no more events;
- a traject closes after "geen ontkoppeling" (or a besluit not to ontkoppel), otherwise only without open
  steps;
- an intrekking or correctie names an event that is not itself an intrekking or correctie and not withdrawn,
  never withdraws the first event, reopens a closed traject only by withdrawing its closing, and leaves a
  record the rules accept: every later event is checked again against what precedes it.

Every rule reads the traject's effective events (after intrekkingen and correcties). `today` (default: the
real today) is a keyword everywhere, so that tests and the demo can say which day it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace

from ontkoppel_desktop.core import plausibel
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.correcties import corrected, withdrawn_ids
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition, StepDefinition, Trigger, TriggerKind
from ontkoppel_desktop.core.procedure.engine import StepStatus, TrajectOverview, derive
from ontkoppel_desktop.core.procedure.errors import RuleError
from ontkoppel_desktop.core.procedure.events import (
    EventKind,
    FieldType,
    TrajectEvent,
    citeer,
    new_event,
    validate_event_data,
)
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject
from ontkoppel_desktop.core.procedure.voortgang import check_voortgang_besluit, voortgang_advies
from ontkoppel_desktop.core.procedure.wachttijd import laatste_dag_oude_praktijk, wachttijd


def besluit_ontkoppeling(traject: Traject) -> TrajectEvent | None:
    """The recorded formal decision to ontkoppel, if any."""
    for event in traject.effective_events:
        if event.kind is EventKind.BESLUIT_ONTKOPPELING and event.text("besluit") == "ontkoppelen":
            return event
    return None


def is_ontkoppeld(traject: Traject) -> bool:
    return besluit_ontkoppeling(traject) is not None


def require_ontkoppeld(traject: Traject) -> None:
    """For every place that would mark the koppeling as ended (ontkoppeld): refuse before the besluit."""
    if not is_ontkoppeld(traject):
        raise RuleError(
            "De koppeling kan pas als ontkoppeld worden vastgelegd nadat het formele besluit tot "
            "ontkoppeling is vastgelegd."
        )


def _latest(traject: Traject, kind: EventKind) -> TrajectEvent | None:
    found = None
    for event in traject.effective_events:
        if event.kind is kind and (found is None or event.date >= found.date):
            found = event
    return found


def event_label(definition: ProcedureDefinition, event: TrajectEvent) -> str:
    """What the event is, in a few words: its kind's label, or the step it names ('Besluit communiceren')."""
    step_id = event.text("stap")
    if event.kind in (EventKind.STAP_UITGEVOERD, EventKind.AFWIJKING) and definition.has_step(step_id):
        short = definition.step(step_id).short
        return short if event.kind is EventKind.STAP_UITGEVOERD else f"Afwijking bij {short.lower()}"
    return event.kind.label


def _op_of_na(day: dt.date) -> str:
    return f" Vul een datum op of na {dutch_date(day)} in."


def _probleem(wat: str, day: dt.date, bereik: plausibel.Bereik, today: dt.date) -> str | None:
    """`plausibel.probleem`, where a range around a stored date at the calendar's edge (year 1) cannot be
    computed: then that range says nothing, and the other rules still speak."""
    try:
        return plausibel.probleem(wat, day, bereik, today)
    except (ValueError, OverflowError):
        return None


def check(
    definition: ProcedureDefinition,
    traject: Traject,
    event: TrajectEvent,
    *,
    facts: AiosFacts | None = None,
    today: dt.date | None = None,
) -> None:
    """Raise RuleError if `event` may not be added to `traject` on `today` (default: the real today)."""
    if definition.key != (traject.procedure_id, traject.procedure_version):
        raise ValueError(
            f"Traject {traject.id} volgt procedure {traject.procedure_id} {traject.procedure_version}, "
            f"niet {definition.id} {definition.version}."
        )
    today = today or dt.date.today()
    if traject.closed and not _reopens(traject, event):
        raise RuleError(
            "Dit traject is gesloten; er kan niets meer aan worden toegevoegd. Trek eerst het sluiten van het "
            "traject in als het heropend moet worden."
        )
    if any(e.id == event.id for e in traject.events):
        raise RuleError("Deze gebeurtenis is al vastgelegd.")
    _check_dates(definition, traject, event, today)
    if event.kind.is_correctie:
        _check_correctie(definition, traject, event, facts, today)
        return
    _check_references(definition, traject, event)
    kind = event.kind
    if kind is EventKind.KOPPELING_BEEINDIGD:
        require_ontkoppeld(traject)
        _check_einde(traject, event)
    elif kind is EventKind.BESLUIT_ONTKOPPELING:
        if event.text("besluit") == "ontkoppelen" and is_ontkoppeld(traject):
            raise RuleError("Het besluit tot ontkoppeling is al vastgelegd.")
    elif kind is EventKind.UITKOMST:
        if event.text("uitkomst") == "geen_ontkoppeling" and not event.text("aandachtspunten"):
            raise RuleError(
                "Bij 'geen ontkoppeling' horen duidelijke aandachtspunten voor de resterende stageperiode."
            )
    elif kind in (EventKind.KANDIDAAT_OPLEIDER, EventKind.KENNISMAKINGSGESPREK):
        if event.number("opleider_id") == traject.opleider_id:
            raise RuleError("De nieuwe opleider kan niet de opleider zijn van wie de aios ontkoppeld wordt.")
    elif kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD:
        _check_bevestiging(traject, event)
    elif kind is EventKind.NIEUWE_KOPPELING_GESTART:
        _check_start(traject, event)
    elif kind is EventKind.WACHTTIJD_BESLUIT:
        _check_wachttijd_besluit(traject, event)
    elif kind is EventKind.VOORTGANG_BESLUIT:
        _check_voortgang(definition, traject, event, facts)
    elif kind is EventKind.AFWIJKING:
        _check_afwijking(definition, traject, event, facts)
    elif kind is EventKind.STAP_UITGEVOERD:
        step = definition.step(event.text("stap"))
        if step.done_by.kind is not EventKind.STAP_UITGEVOERD:
            raise RuleError(f"Stap '{step.title}' wordt vastgelegd als '{step.done_by.kind.label}'.")
    elif kind is EventKind.TRAJECT_GESLOTEN:
        _check_sluiten(definition, traject, event, facts)
    _check_order(definition, traject, event, facts, today)


def _check_dates(definition: ProcedureDefinition, traject: Traject, event: TrajectEvent, today: dt.date) -> None:
    """Events record what happened: not in the future, and not before the traject began."""
    what = f"'{event_label(definition, event)}'"
    fout = _probleem(f"De datum van {what}", event.date, plausibel.GEBEURTENIS, today)
    if fout is not None:
        raise RuleError(fout)
    if traject.effective_events:
        start = traject.start_date
        fout = plausibel.niet_voor(what, event.date, "het begin van het traject", start)
        if fout is not None:
            raise RuleError(fout + _op_of_na(start))


def _check_references(definition: ProcedureDefinition, traject: Traject, event: TrajectEvent) -> None:
    known = {e.id for e in traject.effective_events}
    for name, spec in event.kind.fields.items():
        value = event.text(name)
        if not value:
            continue
        if spec.type is FieldType.STEP and not definition.has_step(value):
            # Quoted as a message may quote typed text: escaped and cut short (a control character or a page of
            # text must not end up in a message box).
            raise RuleError(f"{event.kind.label}: de procedure kent geen stap {citeer(value)}.")
        if spec.type is FieldType.EVENT and value not in known:
            raise RuleError(f"{event.kind.label}: de gebeurtenis waar naar verwezen wordt bestaat niet.")


def _start_probleem(wat: str, day: dt.date, einde: TrajectEvent) -> str | None:
    """A start with the new opleider lies on or after the end of the old koppeling and after the aios's last day
    in the old practice."""
    fout = plausibel.niet_voor(wat, day, "het einde van de oude koppeling", einde.date)
    if fout is not None:
        return fout + _op_of_na(einde.date)
    laatste = laatste_dag_oude_praktijk(einde)
    if day <= laatste:
        return (
            f"{wat} ({dutch_date(day)}) moet na de laatste dag in de oude praktijk ({dutch_date(laatste)}) "
            f"liggen. Vul een datum na {dutch_date(laatste)} in."
        )
    return None


def _check_einde(traject: Traject, event: TrajectEvent) -> None:
    """The last day in the old practice may lie before the besluit (Utrecht 5.1: the opleider may send the aios
    out at once), but not before the traject began nor after the end it is recorded with."""
    laatste = event.day("laatste_dag_oude_praktijk")
    wat = "De laatste dag in de oude praktijk"
    if laatste is not None:
        if laatste > event.date:
            raise RuleError(
                f"{wat} ({dutch_date(laatste)}) kan niet ná het einde van de oude koppeling "
                f"({dutch_date(event.date)}) liggen. Vul de laatste dag in waarop de aios er werkte, of het "
                "juiste einde van de koppeling."
            )
        fout = plausibel.niet_voor(wat, laatste, "het begin van het traject", traject.start_date)
        if fout is not None:
            raise RuleError(fout + _op_of_na(traject.start_date))
    for other in traject.effective_events:
        if other.kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD and (start := other.day("startdatum")):
            fout = _start_probleem("De startdatum bij de nieuwe opleider", start, event)
        elif other.kind is EventKind.NIEUWE_KOPPELING_GESTART:
            fout = _start_probleem("De start bij de nieuwe opleider", other.date, event)
        else:
            continue
        if fout is not None:
            raise RuleError(fout)


def _check_bevestiging(traject: Traject, event: TrajectEvent) -> None:
    require_ontkoppeld(traject)
    opleider = event.number("opleider_id")
    gesprekken = [
        e
        for e in traject.effective_events
        if e.kind is EventKind.KENNISMAKINGSGESPREK and e.number("opleider_id") == opleider
    ]
    if not gesprekken:
        raise RuleError(
            "Een nieuwe koppeling kan pas worden bevestigd na een kennismakingsgesprek met die opleider."
        )
    last = max(gesprekken, key=lambda e: e.date)
    if not (last.flag("aios_ja") and last.flag("opleider_ja")):
        raise RuleError(
            "Een nieuwe koppeling kan alleen worden bevestigd als zowel de aios als de opleider na het "
            "kennismakingsgesprek ja hebben gezegd."
        )
    start = event.day("startdatum")
    if start is not None:
        wat = "De startdatum bij de nieuwe opleider"
        fout = _probleem(wat, start, plausibel.GEPLANDE_DATUM, event.date)
        einde = _latest(traject, EventKind.KOPPELING_BEEINDIGD)
        if fout is None and einde is not None:
            fout = _start_probleem(wat, start, einde)
        if fout is not None:
            raise RuleError(fout)


def _check_start(traject: Traject, event: TrajectEvent) -> None:
    if _latest(traject, EventKind.NIEUWE_KOPPELING_BEVESTIGD) is None:
        raise RuleError(
            "De start bij de nieuwe opleider kan pas worden vastgelegd als de nieuwe koppeling bevestigd is."
        )
    einde = _latest(traject, EventKind.KOPPELING_BEEINDIGD)
    if einde is None:
        raise RuleError("Leg eerst het einde van de oude koppeling vast; daarmee begint de wachttijd.")
    fout = _start_probleem("De start bij de nieuwe opleider", event.date, einde)
    if fout is not None:
        raise RuleError(fout)


def _check_wachttijd_besluit(traject: Traject, event: TrajectEvent) -> None:
    w = wachttijd(traject, event.date)
    if w is None or w.start_nieuwe_koppeling is None:
        # Utrecht 5.2.2: "achteraf bepaald welk deel van de wachttijd als opleidingstijd meetelt".
        raise RuleError(
            "Welk deel van de wachttijd als opleidingstijd meetelt, wordt achteraf bepaald: leg eerst de "
            "start bij de nieuwe opleider vast."
        )
    fout = plausibel.niet_voor(
        "Het besluit over de wachttijd", event.date, "de start bij de nieuwe opleider", w.start_nieuwe_koppeling
    )
    if fout is not None:
        raise RuleError(fout + " Het deel dat meetelt wordt achteraf bepaald." + _op_of_na(w.start_nieuwe_koppeling))
    dagen = event.number("dagen_opleidingstijd") or 0
    if not 0 <= dagen <= w.dagen:
        raise RuleError(f"Het aantal dagen opleidingstijd moet tussen 0 en {w.dagen} (de wachttijd) liggen.")


def _check_voortgang(
    definition: ProcedureDefinition, traject: Traject, event: TrajectEvent, facts: AiosFacts | None
) -> None:
    require_ontkoppeld(traject)
    if facts is None:
        raise RuleError(
            "Voor dit besluit zijn de opleidingsgegevens van de aios (startdatum opleiding) nodig."
        )
    verlenging = bool(event.flag("verlenging"))
    if not verlenging and event.number("verlenging_maanden"):
        raise RuleError("Een aantal maanden verlenging hoort alleen bij een besluit tot verlenging.")
    check_voortgang_besluit(
        voortgang_advies(definition, traject, facts), verlenging=verlenging, motivatie=event.text("motivatie")
    )


def _check_afwijking(
    definition: ProcedureDefinition, traject: Traject, event: TrajectEvent, facts: AiosFacts | None
) -> None:
    if not event.text("motivatie"):
        raise RuleError("Een afwijking van de procedure kan alleen met een motivatie worden vastgelegd.")
    step = definition.step(event.text("stap"))
    if step.repeats:
        return
    overview = derive(definition, traject, facts, event.date)
    if any(s.step.id == step.id and s.state.is_finished for s in overview.statuses):
        raise RuleError(f"Stap '{step.title}' is al afgerond.")


def _check_sluiten(
    definition: ProcedureDefinition, traject: Traject, event: TrajectEvent, facts: AiosFacts | None
) -> None:
    uitkomst = _latest(traject, EventKind.UITKOMST)
    besluit = _latest(traject, EventKind.BESLUIT_ONTKOPPELING)
    if not is_ontkoppeld(traject) and (
        (uitkomst is not None and uitkomst.text("uitkomst") == "geen_ontkoppeling")
        or (besluit is not None and besluit.text("besluit") == "niet_ontkoppelen")
    ):
        return
    open_steps = derive(definition, traject, facts, event.date).open_statuses()
    if open_steps:
        names = "; ".join(s.step.title for s in open_steps[:3]) + ("; ..." if len(open_steps) > 3 else "")
        raise RuleError(
            f"Het traject kan nog niet worden gesloten: {len(open_steps)} stap(pen) staan open ({names}). "
            "Rond ze af of leg een afwijking met motivatie vast."
        )


# --- the order of the procedure: decided from the definition's triggers ----------------------------------------


def _concerned(definition: ProcedureDefinition, event: TrajectEvent) -> list[StepDefinition]:
    """The steps `event` is about: the step it names (stap_uitgevoerd, afwijking), or the steps it may complete
    (its kind, with the data the step asks for; a yes/no the step waits for does not matter here: a
    kennismakingsgesprek with a "nee" is still one of the period after the ontkoppeling)."""
    if event.kind in (EventKind.STAP_UITGEVOERD, EventKind.AFWIJKING):
        step_id = event.text("stap")
        return [definition.step(step_id)] if definition.has_step(step_id) else []
    fields = event.kind.fields
    concerned = []
    for step in definition.steps_completed_by(event.kind):
        for key, allowed in step.done_by.data:
            spec = fields.get(key)
            value = event.data.get(key)
            if (spec is not None and spec.type is FieldType.BOOL) or value is None:
                continue
            if isinstance(value, (list, dict)) or value not in allowed:
                break
        else:
            concerned.append(step)
    return concerned


def _gates(definition: ProcedureDefinition) -> dict[str, tuple[Trigger, ...]]:
    """Per step, what starts a phase that it waits for: the phase-start triggers every one of its triggers leads
    back to, directly or through the steps it follows. Empty for a step that can come up without a phase
    starting (e.g. the phone contact after a ziekmelding, which may also follow a plain signaal)."""
    cached = definition._engine_cache.get("rules_gates")
    if cached is not None:
        result: dict[str, tuple[Trigger, ...]] = cached
        return result
    starts = [t for phase in definition.phases for t in phase.starts]
    gates: dict[str, tuple[Trigger, ...]] = {}

    def gates_of(step: StepDefinition) -> tuple[Trigger, ...]:
        if step.id in gates:
            return gates[step.id]
        found: list[Trigger] = []
        for trigger in step.triggers:
            if trigger in starts:
                found.append(trigger)
            elif trigger.kind is TriggerKind.STEP and (before := gates_of(definition.step(trigger.name))):
                found.extend(before)
            else:
                found = []
                break
        gates[step.id] = tuple(dict.fromkeys(found))
        return gates[step.id]

    for step in definition.steps:  # the loader refuses cycles, so this ends
        gates_of(step)
    definition._engine_cache["rules_gates"] = gates
    return gates


def _gate_text(definition: ProcedureDefinition, trigger: Trigger) -> str:
    if trigger.kind is TriggerKind.MOMENT:
        return definition.moment_label(trigger.name)
    if trigger.kind is TriggerKind.STEP:
        return f"'{definition.step(trigger.name).short}'"
    if trigger.matcher is not None:
        return f"'{trigger.matcher.kind.label}'"
    return "het begin van deze fase"


def _gate_day(
    trigger: Trigger, events: tuple[TrajectEvent, ...], overview: Callable[[], TrajectOverview]
) -> dt.date | None:
    """The day the phase-start `trigger` first happened; None if it has not."""
    if trigger.matcher is not None:
        first = trigger.matcher.first(events)
        return first.date if first is not None else None
    if trigger.kind is TriggerKind.STEP:
        days = [s.done_on for s in overview().statuses if s.step.id == trigger.name and s.done_on is not None]
        return min(days, default=None)
    return None


def _trigger_text(definition: ProcedureDefinition, status: StepStatus, traject: Traject) -> str:
    """What triggered this occurrence of a step, in a few words ('Driehoeksgesprek', 'het formele besluit tot
    ontkoppeling')."""
    day = status.triggered_on
    events = traject.effective_events
    for trigger in status.step.triggers:
        if trigger.matcher is not None:
            if any(e.date == day and trigger.matcher.matches(e) for e in events):
                if trigger.kind is TriggerKind.MOMENT:
                    return definition.moment_label(trigger.name)
                return f"'{trigger.matcher.kind.label}'"
        elif trigger.kind is TriggerKind.STEP:
            return f"'{definition.step(trigger.name).short}'"
        elif trigger.kind is TriggerKind.START:
            return "het begin van het traject"
        elif trigger.name == "wachttijd" and definition.wachttijd is not None:
            return f"een wachttijd van meer dan {definition.wachttijd.max_days} dagen"
        elif trigger.name == "voortgang" and definition.voortgang is not None:
            return definition.moment_label(definition.voortgang.at_moment)
    return "het begin van deze stap"


def _check_order(
    definition: ProcedureDefinition, traject: Traject, event: TrajectEvent, facts: AiosFacts | None, today: dt.date
) -> None:
    """The event comes in the procedure's order: after what starts the phase its steps belong to, and not
    before the step it completes was triggered. Decided from the definition's triggers, for every kind alike."""
    concerned = _concerned(definition, event)
    if not concerned:
        return
    after = traject.with_event(event)
    events = after.effective_events
    later = any(e.date > event.date for e in traject.effective_events)
    overview: TrajectOverview | None = None

    def derived() -> TrajectOverview:
        nonlocal overview
        if overview is None:
            overview = derive(definition, after, facts, today)
        return overview

    what = f"'{event_label(definition, event)}'"
    gates = _gates(definition)
    if all(gates[step.id] for step in concerned):
        opened: list[tuple[dt.date, Trigger]] = []
        for step in concerned:
            for gate in gates[step.id]:
                day = _gate_day(gate, events, derived)
                if day is not None:
                    opened.append((day, gate))
        if not opened:
            gate = gates[concerned[0].id][0]
            raise RuleError(f"{what} kan pas worden vastgelegd na {_gate_text(definition, gate)}; leg dat eerst vast.")
        day, gate = min(opened, key=lambda o: o[0])
        fout = plausibel.niet_voor(what, event.date, _gate_text(definition, gate), day)
        if fout is not None:
            raise RuleError(fout + _op_of_na(day))
    if not later:
        return  # every trigger is an event's day (or follows from one): none can lie after this event
    for status in derived().statuses:
        if status.done_event_id != event.id or status.triggered_on is None or event.date >= status.triggered_on:
            continue
        fout = plausibel.niet_voor(what, event.date, _trigger_text(definition, status, after), status.triggered_on)
        raise RuleError(f"{fout}{_op_of_na(status.triggered_on)}")


# --- intrekken and corrigeren ---------------------------------------------------------------------------------


def _reopens(traject: Traject, event: TrajectEvent) -> bool:
    """Withdrawing the closing event: the one change a closed traject accepts."""
    if event.kind is not EventKind.GEBEURTENIS_INGETROKKEN:
        return False
    target = event.text("gebeurtenis")
    return any(e.id == target and e.kind is EventKind.TRAJECT_GESLOTEN for e in traject.effective_events)


def _check_correctie(
    definition: ProcedureDefinition, traject: Traject, event: TrajectEvent, facts: AiosFacts | None, today: dt.date
) -> None:
    target_id = event.text("gebeurtenis")
    target = next((e for e in traject.events if e.id == target_id), None)
    if target is None:
        raise RuleError(f"{event.kind.label}: de gebeurtenis waar naar verwezen wordt bestaat niet.")
    if target.kind.is_correctie:
        raise RuleError(
            "Een intrekking of correctie kan zelf niet worden ingetrokken of gecorrigeerd. Corrigeer de "
            "oorspronkelijke gebeurtenis opnieuw, of trek haar in."
        )
    what = f"'{event_label(definition, target)}' van {dutch_date(target.date)}"
    if target_id in withdrawn_ids(traject.events):
        raise RuleError(f"{what} is al ingetrokken.")
    before = traject.effective_events
    index = next(i for i, e in enumerate(before) if e.id == target_id)
    current = before[index]
    first = index == 0 and target is traject.events[0]
    if event.kind is EventKind.GEBEURTENIS_INGETROKKEN:
        if first:
            raise RuleError(
                "De eerste gebeurtenis van het traject kan niet worden ingetrokken: daarmee begon het traject. "
                "Corrigeer haar als de datum of de gegevens niet kloppen."
            )
    else:
        if event.day("datum") is None and not event.data.get("gegevens"):
            raise RuleError(f"Geef de juiste datum of de juiste gegevens van {what}.")
        fixed = corrected(current, event)
        validate_event_data(current.kind, fixed.data)
        if fixed.date == current.date and fixed.data == current.data:
            raise RuleError(f"De correctie verandert niets aan {what}.")
        if first:
            wat = f"De datum van '{current.kind.label}'"
            fout = _probleem(wat, fixed.date, plausibel.TRAJECT_START, today)
            if fout is not None:
                raise RuleError(fout)
    # What remains must be a record the rules accept, replayed in the order recorded.
    after = traject.with_event(event).effective_events
    for i in range(max(index, 1), len(after)):
        later = after[i]
        try:
            check(definition, replace(traject, events=after[:i]), later, facts=facts, today=today)
        except RuleError as refused:
            dep = f"'{event_label(definition, later)}' van {dutch_date(later.date)}"
            if event.kind is EventKind.GEBEURTENIS_INGETROKKEN:
                raise RuleError(
                    f"{what} kan niet worden ingetrokken, want {dep} hangt ervan af: {refused} "
                    f"Trek eerst '{event_label(definition, later)}' in."
                ) from None
            if later.id == target_id:
                raise RuleError(f"De correctie van {what} kan niet: {refused}") from None
            raise RuleError(
                f"Met deze correctie klopt {dep} niet meer: {refused} Corrigeer of trek eerst "
                f"'{event_label(definition, later)}' in."
            ) from None


def record(
    definition: ProcedureDefinition,
    traject: Traject,
    event: TrajectEvent,
    *,
    facts: AiosFacts | None = None,
    today: dt.date | None = None,
) -> Traject:
    """`traject` with `event` added, or RuleError (Dutch) if the rules refuse it on `today` (default: the real
    today). An intrekking or correctie is recorded the same way (`correcties.new_intrekking`/`new_correctie`);
    pass `facts` then too, since every later event is checked again."""
    check(definition, traject, event, facts=facts, today=today)
    return traject.with_event(event)


def record_new(
    definition: ProcedureDefinition,
    traject: Traject,
    kind: EventKind | str,
    day: dt.date,
    data: Mapping[str, object] | None = None,
    *,
    user: str,
    facts: AiosFacts | None = None,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> tuple[Traject, TrajectEvent]:
    """Build the event (data validated) and record it; returns the new traject and the event to store."""
    event = new_event(kind, day, data, user=user, now=now)
    return record(definition, traject, event, facts=facts, today=today), event


def event_for_step(
    definition: ProcedureDefinition,
    step_id: str,
    day: dt.date,
    data: Mapping[str, object] | None = None,
    *,
    user: str,
    now: dt.datetime | None = None,
) -> TrajectEvent:
    """The event that completes step `step_id` (its `done_by`), with the values the definition fixes already
    filled in (e.g. which gesprek a verslag belongs to); `data` adds the rest. For a "mark as done" button."""
    step = definition.step(step_id)
    fixed: dict[str, object] = {}
    for key, allowed in step.done_by.data:
        fixed[key] = allowed[0]  # the first value the file lists
    if step.collect is not None:
        fixed[step.collect[0]] = sorted(step.collect[1])
    fixed.update(data or {})
    return new_event(step.done_by.kind, day, fixed, user=user, now=now)
