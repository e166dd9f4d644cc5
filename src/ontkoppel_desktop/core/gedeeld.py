"""A traject as the institute shares it: its header (the `kop`, plain JSON values) and its events, read back into
the core's Traject and AiosFacts. The server checks arriving events with these (ontkoppel_server); a laptop
derives the terms of a traject another laptop shares with them (instituut/gedeeld.py). One reading, so that the
rules and terms are the same on both sides.

The header carries the starting laptop's own ids of koppeling, aios and opleider (until Personen come from the
server), the procedure version and startreden, and what the terms need of the aios: opleidingsjaar,
startdatum_opleiding and deeltijdpercentage.

Free text is personal (issue 16): a notitie, an omschrijving, a motivatie, and the LOVAH category of the traject
(illness, pregnancy) and the aios's name. What the institute's server holds has them replaced by a placeholder
(`scheid`); the real values travel sealed to the traject's readers, and a reader's laptop puts them back
(`voeg_samen`). No rule reads a free text or the categorie, so the server checks the same rules on what it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ontkoppel_desktop.core.personen import Aios, Naam
from ontkoppel_desktop.core.procedure import (
    AiosFacts,
    Categorie,
    EventKind,
    FieldType,
    Startreden,
    Traject,
    TrajectEvent,
)
from ontkoppel_desktop.core.trajecten import aios_facts

# What the server holds in place of a free text, and of the traject's categorie.
VERZEGELD = "[verzegeld]"
VERZEGELDE_CATEGORIE = "verzegeld"
# The header's fields that travel sealed (the opleider's name stays readable: the blokkade is known institute-wide).
KOP_GEHEIM = ("categorie", "aios_naam")
# A text field that is no free text: a point of the procedure's own checklist.
_GEEN_VRIJE_TEKST = frozenset({"punt"})


def vrije_velden(kind: EventKind) -> tuple[str, ...]:
    """The fields of this kind of event that hold free text."""
    return tuple(name for name, spec in kind.fields.items()
                 if spec.type is FieldType.TEXT and name not in _GEEN_VRIJE_TEKST)


def scheid(kind: EventKind, data: Mapping[str, Any], doel: EventKind | None = None
           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the server may hold, what travels sealed): every non-empty free text replaced by VERZEGELD. For a
    correctie, `doel` is the kind of the event it corrects: its `gegevens` are that kind's data."""
    openbaar = dict(data)
    geheim: dict[str, Any] = {}
    for name in vrije_velden(kind):
        value = openbaar.get(name)
        if isinstance(value, str) and value and value != VERZEGELD:
            geheim[name] = value
            openbaar[name] = VERZEGELD
    gegevens = openbaar.get("gegevens")
    if kind is EventKind.GEBEURTENIS_GECORRIGEERD and doel is not None and isinstance(gegevens, Mapping):
        binnen, binnen_geheim = scheid(doel, gegevens)
        if binnen_geheim:
            openbaar["gegevens"] = binnen
            geheim["gegevens"] = binnen_geheim
    return openbaar, geheim


def voeg_samen(openbaar: Mapping[str, Any], geheim: Mapping[str, Any]) -> dict[str, Any]:
    """The data as recorded: the sealed values back in place of their placeholders."""
    data = dict(openbaar)
    for name, value in geheim.items():
        if name == "gegevens" and isinstance(value, Mapping) and isinstance(data.get("gegevens"), Mapping):
            data["gegevens"] = voeg_samen(data["gegevens"], value)
        else:
            data[name] = value
    return data


def kop_scheid(kop: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A traject's header as the server may hold it, and what of it travels sealed."""
    openbaar = dict(kop)
    geheim = {name: openbaar[name] for name in KOP_GEHEIM if openbaar.get(name)}
    openbaar["categorie"] = VERZEGELDE_CATEGORIE
    openbaar["aios_naam"] = ""
    return openbaar, geheim


def id_velden(kind: EventKind) -> dict[str, str]:
    """The fields of this kind of event that name a row of Personen, each with that row's table (`opleider_id`: an
    opleider, `koppeling_id`: a koppeling)."""
    return {name: name.removesuffix("_id") for name, spec in kind.fields.items() if spec.type is FieldType.ID}


def vertaal_ids(kind: EventKind, data: Mapping[str, Any], vertaal: Callable[[str, int], int | None],
                doel: EventKind | None = None) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    """The data with every id of a person or koppeling put through `vertaal(table, id)` (from one laptop's ids to
    the institute's, or back), and the (table, id) pairs it had no answer for (left as they were). For a correctie,
    `doel` is the kind of the event it corrects: its `gegevens` are that kind's data."""
    out = dict(data)
    onbekend: list[tuple[str, int]] = []
    for name, tabel in id_velden(kind).items():
        value = out.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            nieuw = vertaal(tabel, value)
            if nieuw is None:
                onbekend.append((tabel, value))
            else:
                out[name] = nieuw
    gegevens = out.get("gegevens")
    if kind is EventKind.GEBEURTENIS_GECORRIGEERD and doel is not None and isinstance(gegevens, Mapping):
        out["gegevens"], binnen = vertaal_ids(doel, gegevens, vertaal)
        onbekend += binnen
    return out, onbekend


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
        # A header whose categorie travels sealed: no rule reads it, so any stands in for the rules' sake.
        categorie=Categorie(kop["categorie"]) if kop.get("categorie") in Categorie._value2member_map_
        else Categorie.OVERIG,
        events=tuple(events),
    )
