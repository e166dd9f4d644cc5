"""The history of a traject: one readable Dutch line per recorded event (when, by whom, what).

Nothing is left out: a withdrawn or corrected event keeps its line, as it was recorded, marked with who withdrew or
corrected it, when, and why; the intrekking or correctie has a line of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.correcties import corrected
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition, VerslagBestemming
from ontkoppel_desktop.core.procedure.events import EventKind, FieldSpec, FieldType, JsonValue, TrajectEvent
from ontkoppel_desktop.core.procedure.traject import Traject

_BRON = {
    "aios": "van de aios",
    "opleider": "van de opleider",
    "terugkomdag": "tijdens de terugkomdag",
    "docenten": "van de docenten zelf",
}


@dataclass(frozen=True, slots=True)
class HistoryLine:
    event_id: str
    kind: EventKind
    day: dt.date  # when it happened
    recorded_at: dt.datetime  # when it was entered
    user: str
    text: str  # what, in Dutch
    status: str = ""  # "ingetrokken" or "gecorrigeerd" when a later event withdrew or corrected this one
    opmerking: str = ""  # who withdrew or corrected it, when, what changed and why

    @property
    def line(self) -> str:
        who = f" door {self.user}" if self.user else ""
        line = f"{dutch_date(self.day)}: {self.text} (vastgelegd{who} op {_stamp(self.recorded_at)})"
        return f"{line} — {self.opmerking}" if self.opmerking else line


def _stamp(moment: dt.datetime) -> str:
    try:
        return moment.astimezone().strftime("%d-%m-%Y %H:%M")
    except (OverflowError, ValueError, OSError):  # a stored time at the edge of the calendar: shown as stored
        return moment.strftime("%d-%m-%Y %H:%M")


def _ja(value: bool | None) -> str:
    return "ja" if value else "nee"


def describe(
    definition: ProcedureDefinition,
    event: TrajectEvent,
    name_of: Callable[[int], str] | None = None,
    *,
    events: Mapping[str, TrajectEvent] | None = None,
) -> str:
    """What the event says, as one Dutch sentence. `name_of` turns person ids into names; `events` (by id, as
    they stood just before `event`) lets an intrekking or correctie name what it is about."""

    def person(key: str) -> str:
        value = event.number(key)
        if value is None:
            return "onbekend"
        return name_of(value) if name_of is not None else f"#{value}"

    def step_title(key: str) -> str:
        step_id = event.text(key)
        return definition.step(step_id).title if definition.has_step(step_id) else step_id

    def step_short(key: str) -> str:
        step_id = event.text(key)
        return definition.step(step_id).short if definition.has_step(step_id) else step_id

    k = event.kind
    text: str
    if k is EventKind.SIGNAAL:
        text = f"Signaal van onvrede {_BRON.get(event.text('bron'), '')}".rstrip() + "."
    elif k is EventKind.ZIEKMELDING:
        text = "Ziekmelding van de aios in verband met moeilijkheden in de opleidingsrelatie."
    elif k is EventKind.TELEFONISCH_CONTACT:
        met = event.data.get("met")
        wie = " en ".join(f"de {m}" for m in met if isinstance(m, str)) if isinstance(met, list) else ""
        text = f"Telefonisch contact met {wie}."
    elif k is EventKind.DRIEHOEKSGESPREK:
        initiatief = event.text("initiatief")
        text = (
            "Driehoeksgesprek gehouden" + (f" op initiatief van de {initiatief}" if initiatief else "") + "."
        )
    elif k is EventKind.VERSLAG_NAAR_JAARASSISTENT:
        text = f"Verslag ({step_short('gesprek')}) naar de jaarassistent gestuurd."
    elif k is EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS:
        text = f"Verslag ({step_short('gesprek')}) naar de assistent manager opleiders gestuurd."
    elif k is EventKind.VERSLAG_GEARCHIVEERD:
        bestemming = event.text("bestemming")
        labels = {b.value: b.label for b in VerslagBestemming}
        waar = f" in {labels.get(bestemming, bestemming)}" if bestemming else ""
        text = f"Verslag ({step_short('gesprek')}) gearchiveerd{waar}."
    elif k is EventKind.CHECK_UP:
        text = "Korte check-up met de opleider."
    elif k is EventKind.UITKOMST:
        if event.text("uitkomst") == "geen_ontkoppeling":
            text = f"Uitkomst: geen ontkoppeling. Aandachtspunten: {event.text('aandachtspunten')}"
        else:
            text = "Uitkomst: advies tot ontkoppeling, gemeld bij de manager opleiding."
    elif k is EventKind.MANAGER_OPLEIDERS_GEINFORMEERD:
        text = "Manager opleiders geïnformeerd over de mogelijke ontkoppeling."
    elif k is EventKind.BESLUIT_ONTKOPPELING:
        besluit = "ontkoppelen" if event.text("besluit") == "ontkoppelen" else "niet ontkoppelen"
        text = f"Formeel besluit: {besluit} (door {event.text('door')})."
    elif k is EventKind.KOPPELING_BEEINDIGD:
        text = f"Oude koppeling beëindigd per {dutch_date(event.date)}."
    elif k is EventKind.KANDIDAAT_OPLEIDER:
        text = f"Kandidaat nieuwe opleider: {person('opleider_id')}."
    elif k is EventKind.KENNISMAKINGSGESPREK:
        text = (
            f"Kennismakingsgesprek met {person('opleider_id')}: aios {_ja(event.flag('aios_ja'))}, "
            f"opleider {_ja(event.flag('opleider_ja'))}."
        )
    elif k is EventKind.NIEUWE_KOPPELING_BEVESTIGD:
        start = event.day("startdatum")
        text = f"Nieuwe koppeling met {person('opleider_id')} bevestigd" + (
            f", start {dutch_date(start)}." if start else "."
        )
    elif k is EventKind.NIEUWE_KOPPELING_GESTART:
        gebleven = "wel" if event.flag("in_oude_praktijk_gebleven") else "niet"
        text = (
            f"Gestart bij de nieuwe opleider; de aios bleef in de wachttijd {gebleven} in de oude praktijk."
        )
    elif k is EventKind.EVALUATIEGESPREK_AIOS:
        keuze = event.flag("reflectieverslag_in_eportfolio")
        extra = "" if keuze is None else f" Eigen reflectieverslag in het e-portfolio: {_ja(keuze)}."
        text = "Evaluatiegesprek met de aios en de docenten gehouden." + extra
    elif k is EventKind.EVALUATIEGESPREK_OPLEIDER:
        text = "Evaluatiegesprek met de ontkoppelde opleider en de docenten gehouden."
    elif k is EventKind.EVALUATIEGESPREK_NIEUWE_OPLEIDER:
        text = "Evaluatiegesprek met aios, docenten en nieuwe opleider gehouden."
    elif k is EventKind.CONTACT_MANAGER_OPLEIDERS:
        text = "Contact van de manager opleiders met de ontkoppelde opleider."
    elif k is EventKind.WACHTTIJD_BESLUIT:
        dagen = event.number("dagen_opleidingstijd") or 0
        text = f"Besluit wachttijd: {dagen} dag{'en' if dagen != 1 else ''} tellen mee als opleidingstijd."
        if event.text("invulling"):
            text += f" Invulling: {event.text('invulling')}"
    elif k is EventKind.VOORTGANG_BESLUIT:
        maanden = event.number("verlenging_maanden")
        verlenging = _ja(event.flag("verlenging")) + (f" ({maanden} maanden)" if maanden else "")
        text = (
            "Besluit voortgang: uitstel voortgangsbeoordeling "
            f"{_ja(event.flag('uitstel_voortgangsbeoordeling'))}, "
            f"verlenging {verlenging} (door {event.text('door')})."
        )
        if event.text("motivatie"):
            text += f" Motivatie: {event.text('motivatie')}"
    elif k is EventKind.STAP_UITGEVOERD:
        text = f"Uitgevoerd: {step_title('stap')}."
    elif k is EventKind.CHECKLIST_PUNT:
        text = f"Checklist ontkoppeling afgevinkt: {event.text('punt')}."
    elif k is EventKind.AFWIJKING:
        wijze = "overgeslagen" if event.text("wijze") == "overgeslagen" else "anders gedaan"
        text = (
            f"Afwijking van de procedure, {wijze}: {step_short('stap')}. Motivatie: {event.text('motivatie')}"
        )
    elif k is EventKind.TRAJECT_GESLOTEN:
        reden = event.text("reden")
        text = "Traject gesloten" + (f": {reden}" if reden else ".")
    else:
        return _describe_correctie(event, (events or {}).get(event.text("gebeurtenis")), name_of)
    notitie = event.text("notitie") or event.text("omschrijving") or event.text("toelichting")
    if notitie:
        text += f" Notitie: {notitie}"
    return text


def _what(event: TrajectEvent) -> str:
    return f"'{event.kind.label}' van {dutch_date(event.date)}"


def _value_text(spec: FieldSpec | None, value: JsonValue, name_of: Callable[[int], str] | None) -> str:
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return _ja(value)
    if spec is not None and spec.type is FieldType.DATE and isinstance(value, str):
        try:
            return dutch_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if spec is not None and spec.type is FieldType.ID and isinstance(value, int) and name_of is not None:
        return name_of(value)
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return str(value).replace("_", " ")


def wijziging(before: TrajectEvent, after: TrajectEvent, name_of: Callable[[int], str] | None = None) -> str:
    """What a correctie changed, in Dutch: 'datum 13 maart 2025 (was 12 maart 2025)', 'Uitkomst: advies tot
    ontkoppeling (was geen ontkoppeling)'."""
    parts = []
    if after.date != before.date:
        parts.append(f"datum {dutch_date(after.date)} (was {dutch_date(before.date)})")
    fields = before.kind.fields
    for key in [*before.data, *(k for k in after.data if k not in before.data)]:
        old, new = before.data.get(key), after.data.get(key)
        if old != new:
            spec = fields.get(key)
            label = spec.label if spec is not None else key
            parts.append(f"{label}: {_value_text(spec, new, name_of)} (was {_value_text(spec, old, name_of)})")
    return "; ".join(parts) or "niets veranderd"


def _describe_correctie(
    event: TrajectEvent, target: TrajectEvent | None, name_of: Callable[[int], str] | None
) -> str:
    motivatie = f" Motivatie: {event.text('motivatie')}"
    if event.kind is EventKind.GEBEURTENIS_INGETROKKEN:
        what = _what(target) if target is not None else "een onbekende gebeurtenis"
        return f"Intrekking van {what}.{motivatie}"
    if target is None:
        return f"Correctie van een onbekende gebeurtenis.{motivatie}"
    return f"Correctie van {_what(target)}: {wijziging(target, corrected(target, event), name_of)}.{motivatie}"


def history(
    definition: ProcedureDefinition, traject: Traject, names: Mapping[int, str] | None = None
) -> list[HistoryLine]:
    """Every change to the traject, in the order it was recorded: each event as it was recorded, a withdrawn or
    corrected one marked with who did it, when, what changed and why, and the intrekking or correctie itself."""
    name_of = (lambda i: names.get(i, f"#{i}")) if names is not None else None
    current: dict[str, TrajectEvent] = {}  # each event as it stands so far, in the order recorded
    remarks: dict[str, tuple[str, str]] = {}
    texts: dict[str, str] = {}
    for e in traject.events:
        texts[e.id] = describe(definition, e, name_of, events=current)
        target = current.get(e.text("gebeurtenis")) if e.kind.is_correctie else None
        if target is not None:
            who = f" door {e.user}" if e.user else ""
            stamp = f"{who} op {_stamp(e.recorded_at)}"
            earlier = remarks.get(target.id, ("", ""))[1]
            if e.kind is EventKind.GEBEURTENIS_INGETROKKEN:
                remark, status = f"Ingetrokken{stamp}. Motivatie: {e.text('motivatie')}", "ingetrokken"
            else:
                after = corrected(target, e)
                change = wijziging(target, after, name_of)
                remark, status = f"Gecorrigeerd{stamp}: {change}. Motivatie: {e.text('motivatie')}", "gecorrigeerd"
                current[target.id] = after
            remarks[target.id] = (status, f"{earlier} {remark}".strip())
        current.setdefault(e.id, e)
    ordered = sorted(traject.events, key=lambda e: e.recorded_at)
    return [
        HistoryLine(e.id, e.kind, e.date, e.recorded_at, e.user, texts[e.id], *remarks.get(e.id, ("", "")))
        for e in ordered
    ]
