"""Intrekken and corrigeren: how a wrongly recorded gebeurtenis is taken back or put right, without rewriting
anything.

A traject's stored events are append-only. An intrekking (`gebeurtenis_ingetrokken`) or a correctie
(`gebeurtenis_gecorrigeerd`) is appended like any event: it names the event it is about and says why. The
*effective* record is what every derivation reads (terms, tasks, blokkade, wachttijd, voortgang, the rules):
withdrawn events left out, corrections applied in the order they were recorded, the original ids, authors and
record times kept, and the intrekkingen and correcties themselves left out. The history shows both.

Whether an intrekking or correctie is allowed is decided in `rules.py`; what it means for the koppelingen in
Personen is said in `koppeling_gevolgen.py`, for the store to apply in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace

from ontkoppel_desktop.core.procedure.events import (
    CORRECTIE_KINDS,
    EventKind,
    JsonValue,
    TrajectEvent,
    new_event,
)


def withdrawn_ids(events: Iterable[TrajectEvent]) -> set[str]:
    """The ids of the events an intrekking names."""
    return {e.text("gebeurtenis") for e in events if e.kind is EventKind.GEBEURTENIS_INGETROKKEN}


def corrected(event: TrajectEvent, correctie: TrajectEvent) -> TrajectEvent:
    """`event` as a correctie says it should have been: its date and/or the data fields that change (a field set
    to None is cleared). Id, kind, author and record time stay the original's. A stored correctie that is no
    date or no table is ignored, never an error."""
    day = correctie.day("datum") or event.date
    gegevens = correctie.data.get("gegevens")
    data = event.data
    if isinstance(gegevens, dict):
        merged: dict[str, JsonValue] = dict(data)
        for key, value in gegevens.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        data = merged
    return replace(event, date=day, data=data)


def effective_events(events: tuple[TrajectEvent, ...]) -> tuple[TrajectEvent, ...]:
    """The record as it stands after every intrekking and correctie, in the order the events were recorded."""
    for event in events:
        if event.kind in CORRECTIE_KINDS:
            break
    else:
        return events  # the common case: nothing corrected, nothing to copy
    withdrawn = withdrawn_ids(events)
    corrections: dict[str, list[TrajectEvent]] = {}
    for event in events:
        if event.kind is EventKind.GEBEURTENIS_GECORRIGEERD and event.id not in withdrawn:
            corrections.setdefault(event.text("gebeurtenis"), []).append(event)
    result: list[TrajectEvent] = []
    for event in events:
        if event.kind in CORRECTIE_KINDS or event.id in withdrawn:
            continue
        for correctie in corrections.get(event.id, ()):
            event = corrected(event, correctie)
        result.append(event)
    return tuple(result)


def new_intrekking(
    event_id: str, motivatie: str, day: dt.date, *, user: str, now: dt.datetime | None = None
) -> TrajectEvent:
    """An intrekking of event `event_id`, recorded on `day` (today), with its motivatie (required)."""
    return new_event(
        EventKind.GEBEURTENIS_INGETROKKEN, day, {"gebeurtenis": event_id, "motivatie": motivatie}, user=user, now=now
    )


def new_correctie(
    event_id: str,
    motivatie: str,
    day: dt.date,
    *,
    datum: dt.date | None = None,
    gegevens: Mapping[str, object] | None = None,
    user: str,
    now: dt.datetime | None = None,
) -> TrajectEvent:
    """A correctie of event `event_id`, recorded on `day` (today): the right date and/or the data fields that
    change (checked against that event's kind when it is recorded), with its motivatie (required)."""
    data: dict[str, object] = {"gebeurtenis": event_id, "motivatie": motivatie}
    if datum is not None:
        data["datum"] = datum
    if gegevens:
        data["gegevens"] = dict(gegevens)
    return new_event(EventKind.GEBEURTENIS_GECORRIGEERD, day, data, user=user, now=now)
