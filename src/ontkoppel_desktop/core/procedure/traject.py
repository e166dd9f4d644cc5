"""A Traject: one ontkoppelingstraject on one koppeling, as its header plus the ordered list of recorded
events.

Everything else (step states, terms, tasks, wachttijd, blokkade) is derived from the events by pure functions,
so a traject is stored as one header row and one row per event. A traject keeps the procedure id and version
it started with. Derivations read `effective_events`: the record after its intrekkingen and correcties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ontkoppel_desktop.core import plausibel
from ontkoppel_desktop.core.procedure.correcties import effective_events
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.procedure.errors import RuleError
from ontkoppel_desktop.core.procedure.events import EventKind, JsonValue, TrajectEvent, new_event


class Startreden(StrEnum):
    """How a traject starts (Utrecht 5.1): a signal of onvrede from someone, or a ziekmelding of the aios."""

    SIGNAAL_AIOS = "signaal_aios"
    SIGNAAL_OPLEIDER = "signaal_opleider"
    SIGNAAL_TERUGKOMDAG = "signaal_terugkomdag"
    SIGNAAL_DOCENTEN = "signaal_docenten"
    ZIEKMELDING = "ziekmelding"

    @property
    def label(self) -> str:
        return {
            Startreden.SIGNAAL_AIOS: "Signaal van de aios",
            Startreden.SIGNAAL_OPLEIDER: "Signaal van de opleider",
            Startreden.SIGNAAL_TERUGKOMDAG: "Signaal tijdens de terugkomdag",
            Startreden.SIGNAAL_DOCENTEN: "Signaal van de docenten zelf",
            Startreden.ZIEKMELDING: "Ziekmelding van de aios",
        }[self]

    @property
    def bron(self) -> str | None:
        """The `bron` of the signaal event this start records; None for a ziekmelding."""
        return None if self is Startreden.ZIEKMELDING else self.value.removeprefix("signaal_")


class Categorie(StrEnum):
    """The reason for a (threatening) ontkoppeling in the three categories of the LOVAH leidraad."""

    ZIEKTE_ZWANGERSCHAP_PRIVE = "ziekte_zwangerschap_prive"
    OPLEIDINGSSITUATIE = "opleidingssituatie"
    OVERIG = "overig"

    @property
    def label(self) -> str:
        return {
            Categorie.ZIEKTE_ZWANGERSCHAP_PRIVE: "Ziekte, zwangerschap of privéomstandigheden",
            Categorie.OPLEIDINGSSITUATIE: "Problemen in de opleidingssituatie",
            Categorie.OVERIG: "Overig",
        }[self]


@dataclass(frozen=True, slots=True)
class AiosFacts:
    """What the engine needs to know about the aios of a traject (the store fills it from its Aios row)."""

    opleidingsjaar: int
    startdatum_opleiding: dt.date | None = None
    einddatum_opleiding: dt.date | None = None  # the expected end of the whole training, before verrekening
    deeltijdpercentage: int = 100


@dataclass(frozen=True, slots=True)
class Traject:
    id: int | None  # the store's id; None until stored
    koppeling_id: int
    aios_id: int
    opleider_id: int  # the opleider of the koppeling that may be ontkoppeld
    procedure_id: str
    procedure_version: str
    startreden: Startreden
    categorie: Categorie
    events: tuple[TrajectEvent, ...] = ()  # as stored: append-only, in the order recorded
    # `effective_events`, made once per Traject (it is immutable): every derivation asks for it.
    _effective: tuple[TrajectEvent, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def effective_events(self) -> tuple[TrajectEvent, ...]:
        """The events as they stand: withdrawn ones left out, corrections applied (ids kept), and the
        intrekkingen and correcties themselves left out; in the order recorded. What every derivation reads."""
        found = self._effective
        if found is None:
            found = effective_events(self.events)
            object.__setattr__(self, "_effective", found)
        return found

    @property
    def start_date(self) -> dt.date:
        """The day of the earliest event (the signaal or ziekmelding, as corrected)."""
        events = self.effective_events
        return min(e.date for e in events) if events else dt.date.min

    @property
    def closed(self) -> bool:
        return any(event.kind is EventKind.TRAJECT_GESLOTEN for event in self.effective_events)

    def with_event(self, event: TrajectEvent) -> Traject:
        """A copy with the event appended, without any check: use `rules.record` to add events."""
        return replace(self, events=(*self.events, event))

    def to_dict(self) -> dict[str, JsonValue]:
        """The header (without events) as JSON-able dict; events are stored one by one with
        `TrajectEvent.to_dict`."""
        return {
            "id": self.id,
            "koppeling_id": self.koppeling_id,
            "aios_id": self.aios_id,
            "opleider_id": self.opleider_id,
            "procedure_id": self.procedure_id,
            "procedure_version": self.procedure_version,
            "startreden": self.startreden.value,
            "categorie": self.categorie.value,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], events: tuple[TrajectEvent, ...] = ()) -> Traject:
        """The inverse of `to_dict`, with the traject's events in the order they were recorded."""
        return cls(
            id=int(raw["id"]) if raw.get("id") is not None else None,
            koppeling_id=int(raw["koppeling_id"]),
            aios_id=int(raw["aios_id"]),
            opleider_id=int(raw["opleider_id"]),
            procedure_id=str(raw["procedure_id"]),
            procedure_version=str(raw["procedure_version"]),
            startreden=Startreden(raw["startreden"]),
            categorie=Categorie(raw["categorie"]),
            events=tuple(events),
        )


def start_traject(
    definition: ProcedureDefinition,
    *,
    koppeling_id: int,
    aios_id: int,
    opleider_id: int,
    startreden: Startreden,
    categorie: Categorie,
    datum: dt.date,
    user: str,
    omschrijving: str = "",
    traject_id: int | None = None,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Traject:
    """A new traject on an existing koppeling, pinned to `definition`'s version, with its first event: a
    signaal (with its bron) or a ziekmelding (Utrecht 5.1: which starts the docenten's 1-week phone term).

    RuleError (Dutch) when `datum` is not plausible for a start (`plausibel.TRAJECT_START`, relative to `today`,
    default the real today)."""
    wat = "De datum van de ziekmelding" if startreden is Startreden.ZIEKMELDING else "De datum van het signaal"
    fout = plausibel.probleem(wat, datum, plausibel.TRAJECT_START, today or dt.date.today())
    if fout is not None:
        raise RuleError(fout)
    if startreden is Startreden.ZIEKMELDING:
        first = new_event(EventKind.ZIEKMELDING, datum, {"omschrijving": omschrijving}, user=user, now=now)
    else:
        data = {"bron": startreden.bron, "omschrijving": omschrijving}
        first = new_event(EventKind.SIGNAAL, datum, data, user=user, now=now)
    return Traject(
        id=traject_id,
        koppeling_id=koppeling_id,
        aios_id=aios_id,
        opleider_id=opleider_id,
        procedure_id=definition.id,
        procedure_version=definition.version,
        startreden=startreden,
        categorie=categorie,
        events=(first,),
    )
