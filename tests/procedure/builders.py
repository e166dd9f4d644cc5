"""Building trajecten for the tests through the real gateway (`record_new`), with short event tuples."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ontkoppel_desktop.core.procedure import (
    AiosFacts,
    Categorie,
    ProcedureDefinition,
    Startreden,
    Traject,
    default_registry,
    record_new,
    start_traject,
)

D: ProcedureDefinition = default_registry().get("utrecht-ontkoppeling", "2023-03")
FACTS = AiosFacts(
    opleidingsjaar=3, startdatum_opleiding=dt.date(2023, 9, 1), einddatum_opleiding=dt.date(2026, 9, 1)
)
AIOS, OPLEIDER, NIEUW = 10, 20, 30
START = dt.date(2025, 3, 3)
# The day the rules take as today when building: after every event in the tests and within two years of every
# traject's start, so the tests do not depend on the day they run.
TODAY = dt.date(2026, 9, 1)

Ev = tuple[str, dt.date, Mapping[str, object]]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def build(
    *events: Ev,
    start: dt.date = START,
    reden: Startreden = Startreden.SIGNAAL_AIOS,
    facts: AiosFacts | None = FACTS,
    definition: ProcedureDefinition = D,
    traject_id: int = 1,
    today: dt.date = TODAY,
) -> Traject:
    traject = start_traject(
        definition,
        koppeling_id=5,
        aios_id=AIOS,
        opleider_id=OPLEIDER,
        startreden=reden,
        categorie=Categorie.OPLEIDINGSSITUATIE,
        datum=start,
        user="Test",
        traject_id=traject_id,
        today=today,
    )
    return add(traject, *events, facts=facts, definition=definition, today=today)


def add(
    traject: Traject,
    *events: Ev,
    facts: AiosFacts | None = FACTS,
    definition: ProcedureDefinition = D,
    today: dt.date = TODAY,
) -> Traject:
    for kind, when, data in events:
        traject, _ = record_new(definition, traject, kind, when, data, user="Test", facts=facts, today=today)
    return traject


def ontkoppeld(besluit: str = "2025-04-01", gesprek: str = "2025-03-12") -> tuple[Ev, ...]:
    """The events up to the formal decision: driehoeksgesprek, advies, besluit."""
    return (
        ("driehoeksgesprek", day(gesprek), {}),
        ("uitkomst", day(gesprek), {"uitkomst": "advies_ontkoppeling"}),
        ("besluit_ontkoppeling", day(besluit), {"besluit": "ontkoppelen", "door": "Plv. hoofd"}),
    )


def nieuwe_koppeling(einde: str, bevestigd: str, startdatum: str) -> tuple[Ev, ...]:
    return (
        ("koppeling_beeindigd", day(einde), {}),
        ("kandidaat_opleider", day(bevestigd), {"opleider_id": NIEUW}),
        (
            "kennismakingsgesprek",
            day(bevestigd),
            {"opleider_id": NIEUW, "aios_ja": True, "opleider_ja": True},
        ),
        ("nieuwe_koppeling_bevestigd", day(bevestigd), {"opleider_id": NIEUW, "startdatum": startdatum}),
    )
