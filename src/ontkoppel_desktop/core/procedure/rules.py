"""Recording events on a traject, and the rules that refuse an event (RuleError, with a Dutch message).

The one gateway for changes to a traject: `record` (an event built by the caller) or `record_new` (built
here). Both return a new Traject; nothing is changed in place. The rules are about the event vocabulary, not
about one institute's procedure:
- a koppeling is ended (ontkoppeld) only after the formal besluit tot ontkoppeling is recorded;
- a nieuwe koppeling is confirmed only if aios and opleider both said yes in the kennismakingsgesprek;
- an afwijking needs a motivatie; a closed traject takes no more events;
- a traject closes after "geen ontkoppeling" (or a besluit not to ontkoppel), otherwise only without open
  steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.procedure.engine import derive
from ontkoppel_desktop.core.procedure.errors import RuleError
from ontkoppel_desktop.core.procedure.events import EventKind, FieldType, TrajectEvent, new_event
from ontkoppel_desktop.core.procedure.traject import AiosFacts, Traject
from ontkoppel_desktop.core.procedure.voortgang import check_voortgang_besluit, voortgang_advies
from ontkoppel_desktop.core.procedure.wachttijd import wachttijd


def besluit_ontkoppeling(traject: Traject) -> TrajectEvent | None:
    """The recorded formal decision to ontkoppel, if any."""
    for event in traject.events:
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
    for event in traject.events:
        if event.kind is kind and (found is None or event.date >= found.date):
            found = event
    return found


def check(
    definition: ProcedureDefinition, traject: Traject, event: TrajectEvent, *, facts: AiosFacts | None = None
) -> None:
    """Raise RuleError if `event` may not be added to `traject`."""
    if definition.key != (traject.procedure_id, traject.procedure_version):
        raise ValueError(
            f"Traject {traject.id} volgt procedure {traject.procedure_id} {traject.procedure_version}, "
            f"niet {definition.id} {definition.version}."
        )
    if traject.closed:
        raise RuleError("Dit traject is gesloten; er kan niets meer aan worden toegevoegd.")
    if any(e.id == event.id for e in traject.events):
        raise RuleError("Deze gebeurtenis is al vastgelegd.")
    _check_references(definition, traject, event)
    kind = event.kind
    if kind is EventKind.KOPPELING_BEEINDIGD:
        require_ontkoppeld(traject)
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


def _check_references(definition: ProcedureDefinition, traject: Traject, event: TrajectEvent) -> None:
    for name, spec in event.kind.fields.items():
        value = event.text(name)
        if not value:
            continue
        if spec.type is FieldType.STEP and not definition.has_step(value):
            raise RuleError(f"{event.kind.label}: de procedure kent geen stap '{value}'.")
        if spec.type is FieldType.EVENT and not any(e.id == value for e in traject.events):
            raise RuleError(f"{event.kind.label}: de gebeurtenis waar naar verwezen wordt bestaat niet.")


def _check_bevestiging(traject: Traject, event: TrajectEvent) -> None:
    require_ontkoppeld(traject)
    opleider = event.number("opleider_id")
    gesprekken = [
        e
        for e in traject.events
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


def _check_start(traject: Traject, event: TrajectEvent) -> None:
    if _latest(traject, EventKind.NIEUWE_KOPPELING_BEVESTIGD) is None:
        raise RuleError(
            "De start bij de nieuwe opleider kan pas worden vastgelegd als de nieuwe koppeling bevestigd is."
        )
    einde = _latest(traject, EventKind.KOPPELING_BEEINDIGD)
    if einde is None:
        raise RuleError("Leg eerst het einde van de oude koppeling vast; daarmee begint de wachttijd.")
    if event.date < einde.date:
        raise RuleError(
            "De start bij de nieuwe opleider kan niet vóór het einde van de oude koppeling liggen."
        )


def _check_wachttijd_besluit(traject: Traject, event: TrajectEvent) -> None:
    w = wachttijd(traject, event.date)
    if w is None or w.lopend:
        # Utrecht 5.2.2: "achteraf bepaald welk deel van de wachttijd als opleidingstijd meetelt".
        raise RuleError(
            "Welk deel van de wachttijd als opleidingstijd meetelt, wordt achteraf bepaald: leg eerst de "
            "start bij de nieuwe opleider vast."
        )
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


def record(
    definition: ProcedureDefinition, traject: Traject, event: TrajectEvent, *, facts: AiosFacts | None = None,
    today: dt.date | None = None,
) -> Traject:
    """`traject` with `event` added, or RuleError (Dutch) if the rules refuse it."""
    check(definition, traject, event, facts=facts)
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
) -> tuple[Traject, TrajectEvent]:
    """Build the event (data validated) and record it; returns the new traject and the event to store."""
    event = new_event(kind, day, data, user=user, now=now)
    return record(definition, traject, event, facts=facts), event


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
