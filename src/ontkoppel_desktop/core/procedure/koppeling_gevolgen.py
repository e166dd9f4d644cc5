"""What an intrekking or correctie means for the koppelingen in Personen (see correcties.py for the record
itself): a pure comparison of the effective record before and after, for the store to apply in the same
transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent
from ontkoppel_desktop.core.procedure.traject import Traject


class KoppelingActie(StrEnum):
    EINDDATUM = "einddatum"  # the old koppeling ends on `datum` (None: it no longer ends)
    STARTDATUM = "startdatum"  # the new koppeling starts on `datum`
    OPLEIDER = "opleider"  # the new koppeling is with `opleider_id`
    VERWIJDEREN = "verwijderen"  # the new koppeling was never confirmed: it goes


@dataclass(frozen=True, slots=True)
class KoppelingWijziging:
    """One change the store makes to a koppeling in Personen after an intrekking or correctie."""

    actie: KoppelingActie
    koppeling_id: int
    datum: dt.date | None = None
    opleider_id: int | None = None

    @property
    def uitleg(self) -> str:
        k = f"koppeling {self.koppeling_id}"
        if self.actie is KoppelingActie.EINDDATUM:
            if self.datum is None:
                return f"De einddatum van {k} vervalt."
            return f"De einddatum van {k} wordt {dutch_date(self.datum)}."
        if self.actie is KoppelingActie.STARTDATUM:
            return f"De startdatum van {k} wordt {dutch_date(self.datum)}." if self.datum else ""
        if self.actie is KoppelingActie.OPLEIDER:
            return f"De opleider van {k} wordt opleider {self.opleider_id}."
        return f"{k[0].upper()}{k[1:]} vervalt: de bevestiging is ingetrokken."


@dataclass(frozen=True, slots=True)
class _Stand:
    """What a traject's effective record implies for the koppelingen: the old one's einddatum, and per new
    koppeling (by id, as the store wrote it into the bevestiging) its opleider and startdatum."""

    einddatum: dt.date | None
    nieuw: dict[int, tuple[int | None, dt.date | None]]


def _stand(events: tuple[TrajectEvent, ...]) -> _Stand:
    # The same reading as the store's when it records: the latest end, each bevestiging's koppeling, and each
    # start on the koppeling it names (else on the latest bevestiging's).
    einde: TrajectEvent | None = None
    nieuw: dict[int, tuple[int | None, dt.date | None]] = {}
    laatste: int | None = None
    for event in events:
        if event.kind is EventKind.KOPPELING_BEEINDIGD:
            if einde is None or event.date >= einde.date:
                einde = event
        elif event.kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD:
            koppeling_id = event.number("koppeling_id")
            if koppeling_id is not None:
                nieuw[koppeling_id] = (event.number("opleider_id"), event.day("startdatum"))
                laatste = koppeling_id
    for event in events:
        if event.kind is EventKind.NIEUWE_KOPPELING_GESTART:
            koppeling_id = event.number("koppeling_id") or laatste
            if koppeling_id is not None and koppeling_id in nieuw:
                nieuw[koppeling_id] = (nieuw[koppeling_id][0], event.date)
    return _Stand(einde.date if einde is not None else None, nieuw)


def koppeling_wijzigingen(traject: Traject, correctie: TrajectEvent) -> tuple[KoppelingWijziging, ...]:
    """What recording `correctie` (an intrekking or correctie) on `traject` changes in the koppelingen, for the
    store to apply: withdrawing the end of the old koppeling clears its einddatum, correcting its date moves it;
    withdrawing a bevestiging removes the new koppeling; withdrawing the start puts the planned start back. Empty
    when nothing changes. Pure: the rules decide separately whether the correctie is allowed."""
    voor = _stand(traject.effective_events)
    na = _stand(traject.with_event(correctie).effective_events)
    changes: list[KoppelingWijziging] = []
    if voor.einddatum != na.einddatum:
        changes.append(KoppelingWijziging(KoppelingActie.EINDDATUM, traject.koppeling_id, datum=na.einddatum))
    for koppeling_id, (opleider, start) in voor.nieuw.items():
        if koppeling_id not in na.nieuw:
            changes.append(KoppelingWijziging(KoppelingActie.VERWIJDEREN, koppeling_id))
            continue
        nieuwe_opleider, nieuwe_start = na.nieuw[koppeling_id]
        if nieuwe_opleider != opleider and nieuwe_opleider is not None:
            changes.append(KoppelingWijziging(KoppelingActie.OPLEIDER, koppeling_id, opleider_id=nieuwe_opleider))
        if nieuwe_start != start and nieuwe_start is not None:
            changes.append(KoppelingWijziging(KoppelingActie.STARTDATUM, koppeling_id, datum=nieuwe_start))
    return tuple(changes)
