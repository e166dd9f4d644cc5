"""A gespreksverslag and its life: concept, voltooid (the gesprek is recorded), definitief (sealed), then
verstuurd and gearchiveerd. What each of its verslagen says (the split by field) and the seal over it.

A concept holds every answer of the wizard; at Afronden each verslag of the gesprek (one, or for the
evaluatiegesprek opleider two) is sealed on its own: a SHA-256 over a canonical form of only its own fields, with
author and time, so that an archived copy can be matched to the record and nothing of the one is in the other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier, Veld, VeldSoort


class Status(StrEnum):
    CONCEPT = "concept"
    DEFINITIEF = "definitief"


# The places a verslag is archived, each with its own date (Utrecht 4 and 5).
ARCHIEFPLEKKEN: tuple[VerslagBestemming, ...] = (VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER)


@dataclass(frozen=True, slots=True)
class Verslag:
    """One version of the verslag(en) of one gesprek. `antwoorden` maps field ids to answers (JSON)."""

    id: int
    traject_id: int
    gesprek: str  # the formulier's id: the step the gesprek completes
    procedure: tuple[str, str]  # the procedure version whose questions it answers
    auteur: str
    antwoorden: Mapping[str, JsonValue]
    status: Status = Status.CONCEPT
    pagina: int = 0
    open: bool = False  # a wizard had it open when the app last stopped (or locked)
    gebeurtenis_id: str | None = None  # set by Voltooien: the gesprek as an event of the traject
    versie: int = 1
    vorige_id: int | None = None
    reden: str = ""  # why this version replaces the previous one
    aangemaakt: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    opgeslagen: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    afgerond_op: dt.datetime | None = None
    zegels: Mapping[str, str] = field(default_factory=dict)  # verslag part id -> SHA-256 (hex)
    verstuurd_op: dt.date | None = None
    gearchiveerd_op: Mapping[VerslagBestemming, dt.date] = field(default_factory=dict)
    # The events that recorded verstuurd/gearchiveerd on the traject, so that a change can withdraw them.
    status_events: Mapping[str, str] = field(default_factory=dict)
    # The day the archive export wrote its documents, per place: a note, not a step (gearchiveerd is confirmed).
    geexporteerd_op: Mapping[VerslagBestemming, dt.date] = field(default_factory=dict)

    @property
    def definitief(self) -> bool:
        return self.status is Status.DEFINITIEF

    @property
    def voltooid(self) -> bool:
        return self.gebeurtenis_id is not None

    def antwoord(self, veld_id: str) -> JsonValue:
        return self.antwoorden.get(veld_id)

    def datum(self, formulier: GesprekFormulier) -> dt.date | None:
        return as_date(self.antwoorden.get(formulier.datum_veld.id))

    def fase(self, heeft_verslag: bool = True) -> str:
        """The state in words, for lists (a gesprek without a verslag is only ever a concept, then vastgelegd)."""
        if not heeft_verslag:
            return "Vastgelegd" if self.voltooid else "Concept"
        if not self.definitief:
            return "Concept (gesprek vastgelegd)" if self.voltooid else "Concept"
        if self.gearchiveerd_op:
            return "Gearchiveerd"
        if self.verstuurd_op is not None:
            return "Verstuurd"
        return "Definitief"


def as_date(value: object) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def is_leeg(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def gevraagde_velden(formulier: GesprekFormulier, antwoorden: Mapping[str, object]) -> tuple[Veld, ...]:
    """The fields this gesprek asks, given the answers (a field under `alleen_als` only when it applies)."""
    return tuple(v for v in formulier.velden if v.gevraagd(antwoorden))


def ontbrekend(formulier: GesprekFormulier, antwoorden: Mapping[str, object]) -> list[Veld]:
    """The required fields still empty, in wizard order."""
    return [v for v in gevraagde_velden(formulier, antwoorden) if v.verplicht and is_leeg(antwoorden.get(v.id))]


def inhoud(formulier: GesprekFormulier, antwoorden: Mapping[str, JsonValue], deel_id: str) -> list[tuple[Veld,
                                                                                                          JsonValue]]:
    """What one verslag of the gesprek says: its own fields that are asked and answered, in wizard order. The
    only way a verslag's text is composed, so nothing written for one verslag can reach another."""
    return [
        (v, antwoorden[v.id])
        for v in gevraagde_velden(formulier, antwoorden)
        if deel_id in v.verslagen and not is_leeg(antwoorden.get(v.id))
    ]


def weergave(veld: Veld, value: JsonValue) -> str:
    """An answer as a reader sees it: a date in Dutch, a choice by its label, text exactly as typed."""
    if veld.soort is VeldSoort.DATUM:
        day = as_date(value)
        return dutch_date(day) if day is not None else ""
    if veld.soort in (VeldSoort.KEUZE, VeldSoort.KEUZES, VeldSoort.JA_NEE):
        return veld.keuze_label(value)
    if veld.soort is VeldSoort.BIJLAGE:
        items = value if isinstance(value, list) else []
        return ", ".join(str(i.get("naam", "")) for i in items if isinstance(i, dict))
    return value if isinstance(value, str) else ""


def canonical(formulier: GesprekFormulier, verslag: Verslag, deel_id: str, afgerond_op: dt.datetime) -> bytes:
    """The canonical form a seal is computed over: one JSON text with sorted keys and no free whitespace,
    UTF-8, the answers exactly as stored. It names the gesprek, the version, the author and the time."""
    doc = {
        "procedure": list(formulier.procedure),
        "gesprek": formulier.id,
        "verslag": deel_id,
        "traject": verslag.traject_id,
        "gebeurtenis": verslag.gebeurtenis_id,
        "versie": verslag.versie,
        "auteur": verslag.auteur,
        "afgerond_op": afgerond_op.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "velden": [[v.id, value] for v, value in inhoud(formulier, verslag.antwoorden, deel_id)],
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def zegel(formulier: GesprekFormulier, verslag: Verslag, deel_id: str, afgerond_op: dt.datetime) -> str:
    return hashlib.sha256(canonical(formulier, verslag, deel_id, afgerond_op)).hexdigest()


def zegels(formulier: GesprekFormulier, verslag: Verslag, afgerond_op: dt.datetime) -> dict[str, str]:
    return {d.id: zegel(formulier, verslag, d.id, afgerond_op) for d in formulier.delen}


def klopt(formulier: GesprekFormulier, verslag: Verslag) -> bool:
    """True if a definitief verslag still matches its seals."""
    if not verslag.definitief or verslag.afgerond_op is None:
        return False
    return dict(verslag.zegels) == zegels(formulier, verslag, verslag.afgerond_op)


__all__ = [
    "ARCHIEFPLEKKEN",
    "Status",
    "Verslag",
    "as_date",
    "canonical",
    "gevraagde_velden",
    "inhoud",
    "is_leeg",
    "klopt",
    "ontbrekend",
    "weergave",
    "zegel",
    "zegels",
]
