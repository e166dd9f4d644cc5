"""A traject as the institute shares it: its header (the `kop`, plain JSON values) and its events, read back into
the core's Traject and AiosFacts. The server checks arriving events with these (ontkoppel_server); a laptop
derives the terms of a traject another laptop shares with them (instituut/gedeeld.py). One reading, so that the
rules and terms are the same on both sides.

The header carries the starting laptop's own ids of koppeling, aios and opleider (until Personen come from the
server), the procedure version, startreden and categorie, and what the terms need of the aios: opleidingsjaar,
startdatum_opleiding and deeltijdpercentage. No free text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.core.procedure import AiosFacts, Categorie, Startreden, Traject, TrajectEvent
from ontkoppel_desktop.core.trajecten import aios_facts


def facts_uit_kop(opleidingsjaar: int, kop: Mapping[str, Any]) -> AiosFacts:
    """What the engine needs of the aios, from the header's plain values."""
    start = kop.get("startdatum_opleiding")
    try:
        startdatum = dt.date.fromisoformat(start) if isinstance(start, str) and start else None
    except ValueError:
        startdatum = None
    aios = Aios(Naam(), opleidingsjaar=opleidingsjaar, startdatum_opleiding=startdatum,
                deeltijdpercentage=int(kop.get("deeltijdpercentage") or 100))
    return aios_facts(aios)


def traject_uit_kop(kop: Mapping[str, Any], procedure_id: str, procedure_version: str,
                    events: Iterable[TrajectEvent]) -> Traject:
    """The core's Traject (no store id) for a shared header and its events, in the server's order."""
    return Traject(
        id=None,
        koppeling_id=int(kop.get("koppeling_id") or 0),
        aios_id=int(kop.get("aios_id") or 0),
        opleider_id=int(kop.get("opleider_id") or 0),
        procedure_id=procedure_id,
        procedure_version=procedure_version,
        startreden=Startreden(kop["startreden"]),
        categorie=Categorie(kop["categorie"]),
        events=tuple(events),
    )
