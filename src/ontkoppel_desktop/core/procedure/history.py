"""The history of a traject: one readable Dutch line per recorded event (when, by whom, what)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ontkoppel_desktop.core.procedure.dates import dutch_date
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition, VerslagBestemming
from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent
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

    @property
    def line(self) -> str:
        stamp = self.recorded_at.astimezone().strftime("%d-%m-%Y %H:%M")
        who = f" door {self.user}" if self.user else ""
        return f"{dutch_date(self.day)}: {self.text} (vastgelegd{who} op {stamp})"


def _ja(value: bool | None) -> str:
    return "ja" if value else "nee"


def describe(
    definition: ProcedureDefinition, event: TrajectEvent, name_of: Callable[[int], str] | None = None
) -> str:
    """What the event says, as one Dutch sentence. `name_of` turns person ids into names."""

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
        waar = f" in {VerslagBestemming(bestemming).label}" if bestemming else ""
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
    elif k is EventKind.AFWIJKING:
        wijze = "overgeslagen" if event.text("wijze") == "overgeslagen" else "anders gedaan"
        text = (
            f"Afwijking van de procedure, {wijze}: {step_short('stap')}. Motivatie: {event.text('motivatie')}"
        )
    else:
        reden = event.text("reden")
        text = "Traject gesloten" + (f": {reden}" if reden else ".")
    notitie = event.text("notitie") or event.text("omschrijving") or event.text("toelichting")
    if notitie:
        text += f" Notitie: {notitie}"
    return text


def history(
    definition: ProcedureDefinition, traject: Traject, names: Mapping[int, str] | None = None
) -> list[HistoryLine]:
    """Every change to the traject, in the order it was recorded."""
    name_of = (lambda i: names.get(i, f"#{i}")) if names is not None else None
    return [
        HistoryLine(e.id, e.kind, e.date, e.recorded_at, e.user, describe(definition, e, name_of))
        for e in sorted(traject.events, key=lambda e: e.recorded_at)
    ]
