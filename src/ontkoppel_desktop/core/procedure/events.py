"""What can happen in a traject: the event kinds the engine knows, their data fields, and one recorded event.

The kinds are the engine's vocabulary (generic, not Utrecht-specific): which step an event completes, what it
triggers and by when is said by the definition file. Every event serializes to a JSON-able dict
(`TrajectEvent.to_dict` / `TrajectEvent.from_dict`), so the store can keep it as one row with a JSON payload.

Two kinds are about the record itself, not about the traject: an intrekking and a correctie name an earlier
event and say why. They are appended like any event; nothing stored is ever rewritten (see `correcties.py`).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias

from ontkoppel_desktop.core.procedure.errors import RuleError

JsonValue: TypeAlias = "str | int | float | bool | None | list[JsonValue] | dict[str, JsonValue]"


class EventKind(StrEnum):
    """A kind of recorded event. The value is the stable identifier in definition files and in the store."""

    SIGNAAL = "signaal"
    ZIEKMELDING = "ziekmelding"
    TELEFONISCH_CONTACT = "telefonisch_contact"
    DRIEHOEKSGESPREK = "driehoeksgesprek"
    VERSLAG_NAAR_JAARASSISTENT = "verslag_naar_jaarassistent"
    VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS = "verslag_naar_assistent_manager_opleiders"
    VERSLAG_GEARCHIVEERD = "verslag_gearchiveerd"
    CHECK_UP = "check_up"
    UITKOMST = "uitkomst"
    MANAGER_OPLEIDERS_GEINFORMEERD = "manager_opleiders_geinformeerd"
    BESLUIT_ONTKOPPELING = "besluit_ontkoppeling"
    KOPPELING_BEEINDIGD = "koppeling_beeindigd"
    KANDIDAAT_OPLEIDER = "kandidaat_opleider"
    KENNISMAKINGSGESPREK = "kennismakingsgesprek"
    NIEUWE_KOPPELING_BEVESTIGD = "nieuwe_koppeling_bevestigd"
    NIEUWE_KOPPELING_GESTART = "nieuwe_koppeling_gestart"
    EVALUATIEGESPREK_AIOS = "evaluatiegesprek_aios"
    EVALUATIEGESPREK_OPLEIDER = "evaluatiegesprek_opleider"
    EVALUATIEGESPREK_NIEUWE_OPLEIDER = "evaluatiegesprek_nieuwe_opleider"
    CONTACT_MANAGER_OPLEIDERS = "contact_manager_opleiders"
    WACHTTIJD_BESLUIT = "wachttijd_besluit"
    VOORTGANG_BESLUIT = "voortgang_besluit"
    STAP_UITGEVOERD = "stap_uitgevoerd"
    CHECKLIST_PUNT = "checklist_punt"
    AFWIJKING = "afwijking"
    TRAJECT_GESLOTEN = "traject_gesloten"
    GEBEURTENIS_INGETROKKEN = "gebeurtenis_ingetrokken"
    GEBEURTENIS_GECORRIGEERD = "gebeurtenis_gecorrigeerd"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_correctie(self) -> bool:
        """An intrekking or correctie of an earlier event: about the record, not about the traject. A form for
        "what happened" does not offer these; they belong to an action on the event they correct."""
        return self in CORRECTIE_KINDS

    @property
    def fields(self) -> Mapping[str, FieldSpec]:
        """The data fields this kind carries (for forms in the UI and for validation)."""
        return SCHEMAS[self]


class FieldType(StrEnum):
    TEXT = "text"
    BOOL = "bool"
    INT = "int"
    DATE = "date"  # ISO string "2025-03-01" in the JSON payload
    CHOICE = "choice"  # one of `choices`
    CHOICES = "choices"  # a non-empty list, each one of `choices`
    STEP = "step"  # the id of a step in the traject's definition
    EVENT = "event"  # the id of an earlier event in the same traject
    ID = "id"  # the (integer) id of a person or koppeling in the store
    DATA = "data"  # data fields of the event a correctie refers to (checked against that event's kind)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One data field of an event kind."""

    label: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()


def _f(label: str, type_: FieldType, *, required: bool = False, choices: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(label, type_, required, choices)


_NOTITIE = _f("Notitie", FieldType.TEXT)
_BIJ = _f("Bij gebeurtenis", FieldType.EVENT)
_GESPREK = _f("Verslag van gesprek (stap)", FieldType.STEP, required=True)

BRONNEN_SIGNAAL: tuple[str, ...] = ("aios", "opleider", "terugkomdag", "docenten")
UITKOMSTEN: tuple[str, ...] = ("geen_ontkoppeling", "advies_ontkoppeling")
BESLUITEN: tuple[str, ...] = ("ontkoppelen", "niet_ontkoppelen")
BESTEMMINGEN: tuple[str, ...] = ("e_portfolio", "dossier_opleider", "beide")
AFWIJKINGSWIJZEN: tuple[str, ...] = ("anders_gedaan", "overgeslagen")

SCHEMAS: dict[EventKind, dict[str, FieldSpec]] = {
    EventKind.SIGNAAL: {
        "bron": _f("Bron van het signaal", FieldType.CHOICE, required=True, choices=BRONNEN_SIGNAAL),
        "omschrijving": _f("Omschrijving", FieldType.TEXT),
    },
    EventKind.ZIEKMELDING: {"omschrijving": _f("Omschrijving", FieldType.TEXT)},
    EventKind.TELEFONISCH_CONTACT: {
        "met": _f("Contact met", FieldType.CHOICES, required=True, choices=("aios", "opleider")),
        "notitie": _NOTITIE,
    },
    EventKind.DRIEHOEKSGESPREK: {
        "initiatief": _f("Op initiatief van", FieldType.CHOICE, choices=("aios", "opleider", "docenten")),
        "notitie": _NOTITIE,
    },
    EventKind.VERSLAG_NAAR_JAARASSISTENT: {"gesprek": _GESPREK, "bij": _BIJ},
    EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS: {"gesprek": _GESPREK, "bij": _BIJ},
    EventKind.VERSLAG_GEARCHIVEERD: {
        "gesprek": _GESPREK,
        "bestemming": _f("Gearchiveerd in", FieldType.CHOICE, choices=BESTEMMINGEN),
        "bij": _BIJ,
    },
    EventKind.CHECK_UP: {"notitie": _NOTITIE},
    EventKind.UITKOMST: {
        "uitkomst": _f("Uitkomst", FieldType.CHOICE, required=True, choices=UITKOMSTEN),
        "aandachtspunten": _f("Aandachtspunten", FieldType.TEXT),
    },
    EventKind.MANAGER_OPLEIDERS_GEINFORMEERD: {"notitie": _NOTITIE},
    EventKind.BESLUIT_ONTKOPPELING: {
        "besluit": _f("Besluit", FieldType.CHOICE, required=True, choices=BESLUITEN),
        "door": _f("Besluit genomen door", FieldType.TEXT, required=True),
        "toelichting": _f("Toelichting", FieldType.TEXT),
    },
    EventKind.KOPPELING_BEEINDIGD: {
        # Utrecht 5.1: the opleider may send the aios out of the practice at once, before the besluit; the
        # wachttijd counts from this day (default: the day the koppeling ended). See wachttijd.py.
        "laatste_dag_oude_praktijk": _f("Laatste dag van de aios in de oude praktijk", FieldType.DATE),
        "notitie": _NOTITIE,
    },
    EventKind.KANDIDAAT_OPLEIDER: {
        "opleider_id": _f("Nieuwe opleider", FieldType.ID, required=True),
        "notitie": _NOTITIE,
    },
    EventKind.KENNISMAKINGSGESPREK: {
        "opleider_id": _f("Nieuwe opleider", FieldType.ID, required=True),
        "aios_ja": _f("Aios wil de samenwerking aangaan", FieldType.BOOL, required=True),
        "opleider_ja": _f("Opleider wil de samenwerking aangaan", FieldType.BOOL, required=True),
        "notitie": _NOTITIE,
    },
    EventKind.NIEUWE_KOPPELING_BEVESTIGD: {
        "opleider_id": _f("Nieuwe opleider", FieldType.ID, required=True),
        "startdatum": _f("Startdatum bij de nieuwe opleider", FieldType.DATE, required=True),
        "koppeling_id": _f("Nieuwe koppeling", FieldType.ID),
    },
    EventKind.NIEUWE_KOPPELING_GESTART: {
        "in_oude_praktijk_gebleven": _f(
            "Aios bleef in de wachttijd in de oude praktijk", FieldType.BOOL, required=True
        ),
        "koppeling_id": _f("Nieuwe koppeling", FieldType.ID),
    },
    EventKind.EVALUATIEGESPREK_AIOS: {
        "reflectieverslag_in_eportfolio": _f(
            "Aios plaatst het eigen reflectieverslag in het e-portfolio", FieldType.BOOL
        ),
        "notitie": _NOTITIE,
    },
    EventKind.EVALUATIEGESPREK_OPLEIDER: {"notitie": _NOTITIE},
    EventKind.EVALUATIEGESPREK_NIEUWE_OPLEIDER: {"notitie": _NOTITIE},
    EventKind.CONTACT_MANAGER_OPLEIDERS: {"notitie": _NOTITIE},
    EventKind.WACHTTIJD_BESLUIT: {
        "dagen_opleidingstijd": _f("Dagen die als opleidingstijd meetellen", FieldType.INT, required=True),
        "invulling": _f("Invulling van de wachttijd", FieldType.TEXT),
        "door": _f("Besluit genomen door", FieldType.TEXT),
    },
    EventKind.VOORTGANG_BESLUIT: {
        "uitstel_voortgangsbeoordeling": _f(
            "Uitstel van de voortgangsbeoordeling", FieldType.BOOL, required=True
        ),
        "verlenging": _f("Verlenging van het eerste jaar", FieldType.BOOL, required=True),
        "verlenging_maanden": _f("Verlenging in maanden", FieldType.INT),
        "motivatie": _f("Motivatie", FieldType.TEXT),
        "door": _f("Besluit genomen door", FieldType.TEXT, required=True),
    },
    EventKind.STAP_UITGEVOERD: {
        "stap": _f("Stap", FieldType.STEP, required=True),
        "bij": _BIJ,
        "notitie": _NOTITIE,
    },
    # A point of the checklist ontkoppeling for jaarassistenten ticked (its id in the procedure's checklist file).
    EventKind.CHECKLIST_PUNT: {
        "punt": _f("Punt van de checklist", FieldType.TEXT, required=True),
        "notitie": _NOTITIE,
    },
    EventKind.AFWIJKING: {
        "stap": _f("Stap", FieldType.STEP, required=True),
        "wijze": _f("Afwijking", FieldType.CHOICE, required=True, choices=AFWIJKINGSWIJZEN),
        "motivatie": _f("Motivatie", FieldType.TEXT, required=True),
        "bij": _BIJ,
    },
    EventKind.TRAJECT_GESLOTEN: {"reden": _f("Reden", FieldType.TEXT)},
    EventKind.GEBEURTENIS_INGETROKKEN: {
        "gebeurtenis": _f("Ingetrokken gebeurtenis", FieldType.EVENT, required=True),
        "motivatie": _f("Motivatie", FieldType.TEXT, required=True),
    },
    EventKind.GEBEURTENIS_GECORRIGEERD: {
        "gebeurtenis": _f("Gecorrigeerde gebeurtenis", FieldType.EVENT, required=True),
        "motivatie": _f("Motivatie", FieldType.TEXT, required=True),
        "datum": _f("Juiste datum", FieldType.DATE),
        # Only the fields that change; a field set to None (JSON null) is cleared.
        "gegevens": _f("Juiste gegevens", FieldType.DATA),
    },
}

CORRECTIE_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.GEBEURTENIS_INGETROKKEN, EventKind.GEBEURTENIS_GECORRIGEERD}
)

_LABELS: dict[EventKind, str] = {
    EventKind.SIGNAAL: "Signaal van onvrede",
    EventKind.ZIEKMELDING: "Ziekmelding van de aios",
    EventKind.TELEFONISCH_CONTACT: "Telefonisch contact",
    EventKind.DRIEHOEKSGESPREK: "Driehoeksgesprek",
    EventKind.VERSLAG_NAAR_JAARASSISTENT: "Verslag naar de jaarassistent",
    EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS: "Verslag naar de assistent manager opleiders",
    EventKind.VERSLAG_GEARCHIVEERD: "Verslag gearchiveerd",
    EventKind.CHECK_UP: "Check-up met de opleider",
    EventKind.UITKOMST: "Uitkomst driehoeksgesprek",
    EventKind.MANAGER_OPLEIDERS_GEINFORMEERD: "Manager opleiders geïnformeerd",
    EventKind.BESLUIT_ONTKOPPELING: "Formeel besluit over ontkoppeling",
    EventKind.KOPPELING_BEEINDIGD: "Oude koppeling beëindigd",
    EventKind.KANDIDAAT_OPLEIDER: "Kandidaat nieuwe opleider",
    EventKind.KENNISMAKINGSGESPREK: "Kennismakingsgesprek",
    EventKind.NIEUWE_KOPPELING_BEVESTIGD: "Nieuwe koppeling bevestigd",
    EventKind.NIEUWE_KOPPELING_GESTART: "Start bij de nieuwe opleider",
    EventKind.EVALUATIEGESPREK_AIOS: "Evaluatiegesprek aios",
    EventKind.EVALUATIEGESPREK_OPLEIDER: "Evaluatiegesprek opleider",
    EventKind.EVALUATIEGESPREK_NIEUWE_OPLEIDER: "Evaluatiegesprek met de nieuwe opleider",
    EventKind.CONTACT_MANAGER_OPLEIDERS: "Contact manager opleiders met de opleider",
    EventKind.WACHTTIJD_BESLUIT: "Besluit over de wachttijd",
    EventKind.VOORTGANG_BESLUIT: "Besluit over voortgangsbeoordeling en verlenging",
    EventKind.STAP_UITGEVOERD: "Stap uitgevoerd",
    EventKind.CHECKLIST_PUNT: "Punt van de checklist afgevinkt",
    EventKind.AFWIJKING: "Afwijking van de procedure",
    EventKind.TRAJECT_GESLOTEN: "Traject gesloten",
    EventKind.GEBEURTENIS_INGETROKKEN: "Gebeurtenis ingetrokken",
    EventKind.GEBEURTENIS_GECORRIGEERD: "Gebeurtenis gecorrigeerd",
}


# Free text (a notitie, a motivatie, the answers of a verslag) is kept exactly as typed, control characters
# included (a document leaves out at rendering what XML cannot hold: documents/model.py), with one exception: a
# lone surrogate, half of a UTF-16 pair that came apart in a paste, is no character and UTF-8 (the file's
# encoding) cannot hold it. It is removed, not refused, so that saving what is typed never fails on it.
_NIET_IN_TEKST = re.compile("[\ud800-\udfff]")


def vrije_tekst(tekst: str) -> str:
    """Free text as it is kept (see the comment above)."""
    return _NIET_IN_TEKST.sub("", tekst)


def citeer(value: object) -> str:
    """A value as a message may quote it: its repr (control characters escaped), cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_event_data(kind: EventKind, data: Mapping[str, object]) -> dict[str, JsonValue]:
    """The data checked against the kind's fields and normalized (texts as vrije_tekst keeps them, stripped;
    empty optional texts dropped).

    Raises RuleError (Dutch) on an unknown field, a missing required field or a value of the wrong type.
    References to steps and events are checked later, against the traject and its definition.
    """
    schema = SCHEMAS[kind]
    unknown = sorted(str(k) for k in set(data) - set(schema))
    if unknown:
        raise RuleError(f"{kind.label}: onbekend gegeven {citeer(vrije_tekst(unknown[0]))}.")
    clean: dict[str, JsonValue] = {}
    for name, spec in schema.items():
        value = data.get(name)
        if isinstance(value, str) and spec.type is not FieldType.BOOL:
            value = vrije_tekst(value).strip()
            if value == "":
                value = None
        if value is None:
            if spec.required:
                raise RuleError(f"{kind.label}: '{spec.label}' is verplicht.")
            continue
        clean[name] = _check_value(kind, spec, value)
    return clean


def _check_value(kind: EventKind, spec: FieldSpec, value: object) -> JsonValue:
    wrong = RuleError(f"{kind.label}: '{spec.label}' heeft een ongeldige waarde ({citeer(value)}).")
    if spec.type is FieldType.BOOL:
        if not isinstance(value, bool):
            raise wrong
        return value
    if spec.type is FieldType.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
        return value
    if spec.type is FieldType.DATE:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise wrong from None
        raise wrong
    if spec.type is FieldType.CHOICES:
        if not isinstance(value, (list, tuple)) or not value:
            raise wrong
        items: list[JsonValue] = []
        for item in value:
            if item not in spec.choices:
                raise wrong
            if item not in items:
                items.append(str(item))
        return items
    if spec.type is FieldType.ID:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
        return value
    if spec.type is FieldType.DATA:
        if not isinstance(value, Mapping) or not value or not all(isinstance(k, str) for k in value):
            raise wrong
        return {str(k): _json_scalar(wrong, v) for k, v in value.items()}
    if not isinstance(value, str):
        raise wrong
    if spec.type is FieldType.CHOICE and value not in spec.choices:
        raise wrong
    return value


def _json_scalar(wrong: RuleError, value: object) -> JsonValue:
    """A value inside corrected data, as JSON: dates as ISO text; its meaning is checked against the corrected
    event's kind later."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return vrije_tekst(value)
    if value is None or isinstance(value, (int, bool)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [vrije_tekst(str(v)) for v in value]
    raise wrong


@dataclass(frozen=True, slots=True)
class TrajectEvent:
    """One recorded event: what happened (`kind`, `data`), on which day (`date`), and who recorded it when.

    `date` is the day it happened in the world (terms count from it); `recorded_at` is when it was entered.
    `data` is JSON-able and validated against `kind.fields`; treat it as read-only.
    """

    id: str
    kind: EventKind
    date: dt.date
    data: dict[str, JsonValue] = field(default_factory=dict)
    recorded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    user: str = ""

    def text(self, key: str) -> str:
        value = self.data.get(key)
        return value if isinstance(value, str) else ""

    def flag(self, key: str) -> bool | None:
        value = self.data.get(key)
        return value if isinstance(value, bool) else None

    def number(self, key: str) -> int | None:
        value = self.data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def day(self, key: str) -> dt.date | None:
        """A date field; None when absent or, in a stored row, not a date (a derivation never stops on it)."""
        value = self.data.get(key)
        if not isinstance(value, str):
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None

    def to_dict(self) -> dict[str, JsonValue]:
        """{"id", "kind", "date" (ISO), "data" (dict), "recorded_at" (ISO with offset), "user"}."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "date": self.date.isoformat(),
            "data": dict(self.data),
            "recorded_at": self.recorded_at.isoformat(),
            "user": self.user,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], *, validate: bool = True) -> TrajectEvent:
        """The inverse of `to_dict`. Data is re-validated, so a corrupted row fails loudly (RuleError).

        validate=False is for rows the store wrote itself after validating them, read back from a file whose
        every page is authenticated (SQLCipher's HMAC): checking them again on every start costs time only.
        """
        kind = EventKind(raw["kind"])
        recorded_at = dt.datetime.fromisoformat(raw["recorded_at"])
        if recorded_at.tzinfo is None:
            recorded_at = recorded_at.replace(tzinfo=dt.UTC)
        return cls(
            id=str(raw["id"]),
            kind=kind,
            date=dt.date.fromisoformat(raw["date"]),
            data=validate_event_data(kind, raw.get("data") or {}) if validate else dict(raw.get("data") or {}),
            recorded_at=recorded_at,
            user=str(raw.get("user", "")),
        )


def new_event(
    kind: EventKind | str,
    day: dt.date,
    data: Mapping[str, object] | None = None,
    *,
    user: str,
    now: dt.datetime | None = None,
    event_id: str | None = None,
) -> TrajectEvent:
    """A new event with a fresh id, its data validated against the kind's fields (RuleError if not, and for a
    kind the engine does not know)."""
    try:
        kind = EventKind(kind)
    except ValueError:
        raise RuleError(f"Onbekende soort gebeurtenis ({citeer(kind)}).") from None
    return TrajectEvent(
        id=event_id or uuid.uuid4().hex,
        kind=kind,
        date=day,
        data=validate_event_data(kind, data or {}),
        recorded_at=now or dt.datetime.now(dt.UTC),
        user=vrije_tekst(user),
    )
