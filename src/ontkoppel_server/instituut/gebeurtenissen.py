"""Trajecten as events: receiving a laptop's outbox, and handing each laptop what is new for it.

Receiving (`ontvang`). A laptop sends its outbox in the order it recorded: each event with its UUID, its traject's
UUID, and with the first event of a traject new to the server the traject's header. Each event is checked again
with the same core rules (`core.procedure.rules.check`) against the traject's events as the server has them,
including those accepted earlier in the same batch; and, except the first event of a traject (its start, limited
to the groepen the account's roles cover), against the account's roles: an account that is not docent of the
traject's groep records only its own steps and takes back only its own events (schrijfrecht.py). An accepted event
gets the next volgnummer; a refused one comes back with a Dutch message that says what happened (and what others
recorded meanwhile). After a refusal, the later events of the same traject are not checked (status "wacht": they
build on the refused one and go again once the user has dealt with it); the events of other trajecten go on,
since they do not depend on it. Sending an event again is harmless: a UUID the server has returns the volgnummer
it got the first time.

Personen (issue 17). A traject whose header says `"personen": "instituut"` is kept on the institute's Personen:
its koppeling, aios and opleider are the server's, checked when it starts (the koppeling is one the account sees,
of that aios with that opleider, the aios in the header's groep and opleidingsjaar), and the opleider's name is the
server's. Every event on it may name only the institute's opleiders, and koppelingen of its aios (`opleider_id`,
`koppeling_id`, also in a correctie). A header without it names the starting laptop's own ids, checked against
nothing, as before.

Free text (issue 16). The server holds no free text in plain: in each event every free-text field
(core/gedeeld.py, `vrije_velden`) is absent or the placeholder `VERZEGELD`, also in a correctie's corrected values,
and a new traject's header has the placeholder categorie and no aios's name; anything else is refused (a laptop
from before issue 16). The real values may come along sealed to the traject's readers: `verzegeld` with the event
(metadata: traject and gebeurtenis), `traject_kop_verzegeld` with a new traject's header (metadata: traject). The
server keeps such an envelope only when it is in the account's name, signed by a key the institute bound to it and
sealed to the recovery key (zegels.py), and hands it out with the event or the header. No rule reads a free text or
the categorie, so the server checks the same rules on what it holds.

Order. Events are checked under a row lock on their traject, so two laptops cannot both record the besluit. The
volgnummers are then assigned under one transaction-scoped advisory lock that is held until commit: volgnummers
become visible in the order they were given, so a laptop that has seen number n never misses a smaller one that
commits later. In the same transaction, the blokkade the traject puts on its opleider is brought in line with its
accepted events (blokkades.py), for every role to read.

Handing out (`haal_op`). Everything with a volgnummer above the laptop's last one, on the trajecten its account
may see, a page at a time. A traject that became visible through an event (the advies tot ontkoppeling, for the
roles that see it from then on) comes with all its earlier events; when IT changed the account's roles, the
laptop gets everything from the start (`scope_versie`). Every traject handed out is logged in the same transaction
(toegangslog.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from ontkoppel_desktop.core.gedeeld import (
    VERZEGELD,
    VERZEGELDE_CATEGORIE,
    facts_uit_kop,
    traject_uit_kop,
    vrije_velden,
)
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.personen import OPLEIDINGSJAREN, is_id
from ontkoppel_desktop.core.procedure import (
    AiosFacts,
    Categorie,
    EventKind,
    FieldType,
    ProcedureDefinition,
    RuleError,
    Startreden,
    TrajectEvent,
    UnknownProcedureError,
    check,
    default_registry,
    event_label,
    start_traject,
)
from ontkoppel_desktop.core.procedure import Traject as CoreTraject
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut import blokkades, personen, toegang, zegels
from ontkoppel_server.instituut.fouten import Onleesbaar as Onleesbaar  # re-exported: api.py and others read it here
from ontkoppel_server.instituut.models import PERSONEN_INSTITUUT, Account, Gebeurtenis, Groep, Laptop, Traject
from ontkoppel_server.instituut.schrijfrecht import RolBereik, weigering
from ontkoppel_server.instituut.toegangslog import Gelezen, Lezer, schrijf

MAX_BATCH = 500
PAGINA = 500
# pg_advisory_xact_lock key under which volgnummers are given ("OKvn").
VOLGNUMMER_SLOT = 0x4F4B766E

ONBEKEND_TRAJECT = (
    "Dit traject is niet bekend op de server, of u mag het niet zien. Het wordt aangemaakt met de eerste "
    "gebeurtenis (het signaal of de ziekmelding) en de gegevens van het traject."
)
WACHT = "Nog niet verwerkt: een eerdere gebeurtenis van dit traject is geweigerd. Los die eerst op."
VRIJE_TEKST = "Vrije tekst in een gebeurtenis gaat alleen verzegeld naar het instituut. Werk de app bij."
KOP_VRIJE_TEKST = (
    "De categorie van het traject en de naam van de aios gaan alleen verzegeld naar het instituut. Werk de app bij."
)
KOPPELING_ONBEKEND = "Deze koppeling is niet bekend bij het instituut, of u mag die niet zien."
ANDERE_AIOS = "Deze koppeling is bij het instituut van een andere aios dan die van dit traject."

Status = Literal["aanvaard", "geweigerd", "wacht"]


@dataclass(slots=True)
class Resultaat:
    id: str
    status: Status
    volgnummer: int | None = None
    nieuw: bool = False
    melding: str = ""

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "status": self.status}
        if self.status == "aanvaard":
            out["volgnummer"] = self.volgnummer
            out["nieuw"] = self.nieuw
        else:
            out["melding"] = self.melding
        return out


# ---- the header of a traject ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kop:
    """What the server keeps of a traject's header. The ids of koppeling, aios and opleider are the server's own
    when the header says `"personen": "instituut"` (a laptop whose Personen are the institute's, issue 17): the
    server checks them against its Personen when the traject starts (`_Ontvangst._kop_op_personen`), and the ids of
    opleiders and koppelingen in the traject's events from then on (`_Ontvangst._weigering_personen`). Without it
    they are the starting laptop's own (an older laptop, or a traject started before its Personen were the
    institute's), and the server checks nothing of them. The categorie (LOVAH: illness, pregnancy) and the aios's
    name are personal: they travel sealed (`traject_kop_verzegeld`), and the header holds the placeholder categorie
    and no name (core/gedeeld.py, `kop_scheid`); a header with either in plain is refused."""

    groep_id: int
    opleidingsjaar: int
    procedure_id: str
    procedure_versie: str
    startreden: Startreden
    koppeling_id: int
    aios_id: int
    opleider_id: int
    startdatum_opleiding: dt.date | None
    deeltijdpercentage: int
    # The opleider's name, so that other laptops can show the traject (read-only) and every role the blokkade: as
    # the starting laptop knows it (optional; at most 200 characters), or on the institute's Personen the server's.
    opleider_naam: str = ""
    # PERSONEN_INSTITUUT when the traject is kept on the institute's Personen; None for a header without it.
    personen: Literal["instituut"] | None = None

    @classmethod
    def lees(cls, raw: object) -> Kop:
        if not isinstance(raw, Mapping):
            raise Onleesbaar("De gegevens van het traject ontbreken of zijn onleesbaar.")

        def getal(name: str, default: int | None = None) -> int:
            value = raw.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int):
                raise Onleesbaar(f"Traject: '{name}' moet een geheel getal zijn.")
            return value

        def tekst(name: str) -> str:
            value = raw.get(name)
            if not isinstance(value, str) or not value:
                raise Onleesbaar(f"Traject: '{name}' ontbreekt.")
            return value

        def naam(name: str) -> str:
            value = raw.get(name) or ""
            if not isinstance(value, str):
                raise Onleesbaar(f"Traject: '{name}' moet tekst zijn.")
            return " ".join(value.split())[:200]

        # A real categorie or a name in plain: sent by a laptop from before issue 16.
        categorie = raw.get("categorie")
        if (isinstance(categorie, str) and categorie in Categorie._value2member_map_) or raw.get("aios_naam"):
            raise Onleesbaar(KOP_VRIJE_TEKST)
        try:
            startreden = Startreden(str(raw.get("startreden")))
            if categorie != VERZEGELDE_CATEGORIE:
                raise ValueError(categorie)
        except ValueError:
            raise Onleesbaar("Traject: onbekende startreden of categorie.") from None
        start = raw.get("startdatum_opleiding")
        try:
            startdatum = dt.date.fromisoformat(start) if isinstance(start, str) else None
        except ValueError:
            raise Onleesbaar("Traject: de startdatum van de opleiding is geen datum.") from None
        op_personen = raw.get("personen")  # absent (or null): the laptop's own ids, as before issue 17
        if op_personen is not None and op_personen != PERSONEN_INSTITUUT:
            raise Onleesbaar("Traject: 'personen' is 'instituut' (de Personen van het instituut) of ontbreekt.")
        kop = cls(
            groep_id=getal("groep"),
            opleidingsjaar=getal("opleidingsjaar"),
            procedure_id=tekst("procedure_id"),
            procedure_versie=tekst("procedure_version"),
            startreden=startreden,
            koppeling_id=getal("koppeling_id"),
            aios_id=getal("aios_id"),
            opleider_id=getal("opleider_id"),
            startdatum_opleiding=startdatum,
            deeltijdpercentage=getal("deeltijdpercentage", 100),
            opleider_naam=naam("opleider_naam"),
            personen=PERSONEN_INSTITUUT if op_personen is not None else None,
        )
        if kop.opleidingsjaar not in OPLEIDINGSJAREN:
            raise Onleesbaar("Traject: het opleidingsjaar is 1, 2 of 3.")
        if not 50 <= kop.deeltijdpercentage <= 100:
            raise Onleesbaar("Traject: het deeltijdpercentage ligt tussen 50 en 100 %.")
        return kop

    def opslag(self) -> dict[str, Any]:
        """Traject.kop: what is not a column of its own; `personen` only when set, as the header had it."""
        opslag: dict[str, Any] = {
            "startreden": self.startreden.value,
            "categorie": VERZEGELDE_CATEGORIE,
            "koppeling_id": self.koppeling_id,
            "aios_id": self.aios_id,
            "opleider_id": self.opleider_id,
            "startdatum_opleiding": self.startdatum_opleiding.isoformat() if self.startdatum_opleiding else None,
            "deeltijdpercentage": self.deeltijdpercentage,
            "aios_naam": "",
            "opleider_naam": self.opleider_naam,
        }
        if self.personen is not None:
            opslag["personen"] = self.personen
        return opslag


def _facts(opleidingsjaar: int, kop: Mapping[str, Any]) -> AiosFacts:
    return facts_uit_kop(opleidingsjaar, kop)


def core_traject(row: Traject, events: Sequence[Gebeurtenis]) -> CoreTraject:
    """The core's Traject for a stored one, with its events in volgnummer order (read as the laptops read a
    shared traject: core/gedeeld.py)."""
    return traject_uit_kop(row.kop, row.procedure_id, row.procedure_versie, (core_event(g) for g in events))


def core_event(g: Gebeurtenis) -> TrajectEvent:
    # Stored after the core validated it: not validated again (TrajectEvent.from_dict, validate=False).
    return TrajectEvent(
        id=g.uuid.hex, kind=EventKind(g.soort), date=g.datum, data=dict(g.gegevens), recorded_at=g.vastgelegd_op,
        user=g.auteur.naam,
    )


def opent_voor_instituut(definition: ProcedureDefinition, event: TrajectEvent) -> bool:
    """Whether this event brings the traject to the institute-wide roles: the advies tot ontkoppeling or the
    formal besluit as the procedure's moments name them, informing the manager opleiders, or any besluit."""
    for moment in ("advies_ontkoppeling", "ontkoppeling"):
        matcher = definition.moments.get(moment)
        if matcher is not None and matcher.matches(event):
            return True
    return event.kind in (EventKind.MANAGER_OPLEIDERS_GEINFORMEERD, EventKind.BESLUIT_ONTKOPPELING)


# ---- receiving -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    traject: uuid.UUID
    event: TrajectEvent
    kop: object  # the raw header, read only when the traject is new
    verzegeld: object  # the event's free text, sealed (base64), or None
    kop_verzegeld: object  # the new traject's categorie and aios's name, sealed (base64), or None


@dataclass(slots=True)
class _Staat:
    row: Traject
    rows: list[Gebeurtenis]
    core: CoreTraject
    definition: ProcedureDefinition
    facts: AiosFacts
    advies: bool
    eigen: set[str]  # the ids of the traject's events this account recorded (its own to take back)
    kop_volgnummer: int | None = None  # set when an accepted event changes who sees the traject
    nieuw: bool = False  # not stored yet: written with its first event


@dataclass(slots=True)
class _Wachtend:
    index: int
    traject: uuid.UUID
    event: TrajectEvent
    sealed: bytes | None
    dubbel: list[int] = field(default_factory=list)  # the same UUID again later in the batch


def _lees_id(value: object, wat: str) -> uuid.UUID:
    if not isinstance(value, str):
        raise Onleesbaar(f"{wat} ontbreekt.")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Onleesbaar(f"{wat} is geen geldige UUID.") from None


def _lees_event(raw: Mapping[str, Any], auteur: str) -> TrajectEvent:
    """The event as the core reads it; RuleError (Dutch) when its data do not fit its kind."""
    kind = raw.get("kind")
    if kind not in EventKind._value2member_map_:
        raise RuleError(f"De server kent deze soort gebeurtenis niet ({str(kind)[:40]!r}); werk de server bij.")
    try:
        return TrajectEvent.from_dict({
            "id": _lees_id(raw.get("id"), "Het id van de gebeurtenis").hex,
            "kind": kind,
            "date": raw["date"],
            "data": raw.get("data") or {},
            "recorded_at": raw["recorded_at"],
            "user": auteur,
        })
    except RuleError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError):
        raise Onleesbaar("De gebeurtenis is onvolledig of onleesbaar (datum, tijdstip of gegevens).") from None


def _zonder_vrije_tekst(event: TrajectEvent, eerder: Sequence[TrajectEvent]) -> bool:
    """Whether the event holds no free text in plain: each free-text field absent, empty or the placeholder (the
    text travels sealed, in `verzegeld`). A correctie's corrected values are the corrected event's kind of data;
    a correctie of an event the traject does not have is refused by the rules."""
    if not _geen_tekst(event.kind, event.data):
        return False
    gegevens = event.data.get("gegevens")
    if event.kind is EventKind.GEBEURTENIS_GECORRIGEERD and isinstance(gegevens, Mapping):
        doel = event.text("gebeurtenis")
        for e in eerder:
            if e.id == doel:
                return _geen_tekst(e.kind, gegevens)
    return True


def _geen_tekst(kind: EventKind, data: Mapping[str, object]) -> bool:
    return all(data.get(name) in (None, "", VERZEGELD) for name in vrije_velden(kind))


def _persoon_ids(event: TrajectEvent, eerder: Sequence[TrajectEvent]) -> list[tuple[str, object]]:
    """The ids of persons and koppelingen (FieldType.ID: `opleider_id`, `koppeling_id`) the event names, each with
    its field's name; also in a correctie's corrected values, which are the corrected event's kind of data."""
    ids = _ids_in(event.kind, event.data)
    gegevens = event.data.get("gegevens")
    if event.kind is EventKind.GEBEURTENIS_GECORRIGEERD and isinstance(gegevens, Mapping):
        doel = event.text("gebeurtenis")
        ids += [i for e in eerder if e.id == doel for i in _ids_in(e.kind, gegevens)]
    return ids


def _ids_in(kind: EventKind, data: Mapping[str, object]) -> list[tuple[str, object]]:
    return [(name, data[name]) for name, spec in kind.fields.items()
            if spec.type is FieldType.ID and data.get(name) is not None]


def lees_batch(body: object) -> tuple[list[object], int | None]:
    """The items of a POST and the volgnummer up to which the laptop had pulled (for the messages)."""
    if not isinstance(body, Mapping) or not isinstance(body.get("gebeurtenissen"), list):
        raise Onleesbaar("Verwacht: een JSON-object met een lijst 'gebeurtenissen'.")
    items: list[object] = body["gebeurtenissen"]
    if len(items) > MAX_BATCH:
        raise Onleesbaar(f"Stuur ten hoogste {MAX_BATCH} gebeurtenissen tegelijk.")
    cursor = body.get("laatst_opgehaald")
    if cursor is not None and (isinstance(cursor, bool) or not isinstance(cursor, int)):
        raise Onleesbaar("'laatst_opgehaald' moet een volgnummer zijn.")
    return items, cursor


class _Ontvangst:
    def __init__(self, laptop: Laptop, cursor: int | None, today: dt.date) -> None:
        self.laptop = laptop
        self.account: Account = laptop.account
        self.scope = toegang.Scope.van(self.account)
        self.rollen = tuple(
            RolBereik(Rol(r.rol), r.groep_id, r.opleidingsjaar) for r in self.account.rollen.all()
        ) if self.account.is_active else ()
        self.cursor = cursor
        self.today = today
        self.staat: dict[uuid.UUID, _Staat] = {}
        self.gestopt: set[uuid.UUID] = set()
        self.wachtend: dict[str, _Wachtend] = {}
        self.onbekende_procedure: dict[uuid.UUID, Traject] = {}
        self.zegels = zegels.Zegels(self.account)

    @cached_property
    def bereik(self) -> personen.Bereik:
        """What the account sees of the institute's Personen (for trajecten kept on them)."""
        return personen.Bereik.van(self.account)

    def run(self, raw_items: list[object]) -> list[Resultaat]:
        items = [self._lees(raw) for raw in raw_items]
        gelezen = [item for item in items if isinstance(item, _Item)]
        self._laad({item.traject for item in gelezen})
        # Looked up after the trajecten are locked: a resend that overtook its own first try (a timeout) waits
        # for it here, and then finds its events stored.
        bestaand = {
            g.uuid.hex: g
            for g in toegang.gebeurtenissen(self.account).filter(uuid__in=[i.event.id for i in gelezen])
        }
        results: list[Resultaat] = []
        for index, item in enumerate(items):
            if isinstance(item, _Item):
                results.append(self._verwerk(index, item, bestaand.get(item.event.id)))
            else:
                traject, resultaat = item
                if traject is not None:
                    self.gestopt.add(traject)  # what follows on this traject may build on the unreadable one
                results.append(resultaat)
        self._schrijf(results)
        return results

    def _lees(self, raw: object) -> _Item | tuple[uuid.UUID | None, Resultaat]:
        if not isinstance(raw, Mapping):
            return None, Resultaat("", "geweigerd", melding="Een gebeurtenis moet een JSON-object zijn.")
        event_id = str(raw.get("id", ""))[:64]
        try:
            traject = _lees_id(raw.get("traject"), "Het traject van de gebeurtenis")
        except Onleesbaar as fout:
            return None, Resultaat(event_id, "geweigerd", melding=str(fout))
        try:
            event = _lees_event(raw, self.account.naam)
        except (RuleError, Onleesbaar) as fout:
            return traject, Resultaat(event_id, "geweigerd", melding=str(fout))
        return _Item(traject, event, raw.get("traject_kop"), raw.get("verzegeld"), raw.get("traject_kop_verzegeld"))

    def _laad(self, ids: set[uuid.UUID]) -> None:
        """Lock the known trajecten of the batch (in one order, so two batches cannot deadlock) and read them."""
        if not ids:
            return
        rows = list(toegang.trajecten(self.account).filter(id__in=ids).select_for_update().order_by("id"))
        events: dict[uuid.UUID, list[Gebeurtenis]] = {row.id: [] for row in rows}
        for g in (Gebeurtenis.objects.filter(traject_id__in=events).select_related("auteur").order_by("volgnummer")):
            events[g.traject_id].append(g)
        registry = default_registry()
        for row in rows:
            try:
                definition = registry.get(row.procedure_id, row.procedure_versie)
            except UnknownProcedureError:
                continue  # refused per event below, with the reason
            self.staat[row.id] = _Staat(
                row, events[row.id], core_traject(row, events[row.id]), definition,
                _facts(row.opleidingsjaar, row.kop), row.advies_ontkoppeling,
                {g.uuid.hex for g in events[row.id] if g.auteur_id == self.account.pk},
            )
        self.onbekende_procedure = {row.id: row for row in rows if row.id not in self.staat}

    def _weiger(self, item: _Item, melding: str) -> Resultaat:
        self.gestopt.add(item.traject)
        return Resultaat(item.event.id, "geweigerd", melding=melding)

    def _verwerk(self, index: int, item: _Item, bestaand: Gebeurtenis | None) -> Resultaat:
        event = item.event
        if bestaand is not None:
            if bestaand.traject_id != item.traject:
                return self._weiger(item, "Deze gebeurtenis is op de server al vastgelegd bij een ander traject.")
            return Resultaat(event.id, "aanvaard", volgnummer=bestaand.volgnummer, nieuw=False)
        if item.traject in self.gestopt:
            return Resultaat(event.id, "wacht", melding=WACHT)
        eerder = self.wachtend.get(event.id)
        if eerder is not None:
            if eerder.traject != item.traject:
                return self._weiger(item, "Deze gebeurtenis staat twee keer in de zending, bij twee trajecten.")
            eerder.dubbel.append(index)
            return Resultaat(event.id, "aanvaard", nieuw=False)
        if item.traject in self.onbekende_procedure:
            row = self.onbekende_procedure[item.traject]
            return self._weiger(item, f"De server kent procedure {row.procedure_id} {row.procedure_versie} van dit "
                                      "traject niet; de server moet worden bijgewerkt.")
        staat = self.staat.get(item.traject)
        if staat is None and item.kop is None:
            return self._weiger(item, ONBEKEND_TRAJECT)
        if not _zonder_vrije_tekst(event, staat.core.events if staat is not None else ()):
            return self._weiger(item, VRIJE_TEKST)
        try:
            sealed = self._verzegeld(item.verzegeld, {"traject": item.traject, "gebeurtenis": uuid.UUID(event.id)})
            kop_sealed = self._verzegeld(item.kop_verzegeld, {"traject": item.traject}) if staat is None else None
        except zegels.Afgewezen as fout:
            return self._weiger(item, str(fout))
        if staat is None:
            try:
                staat = self._start(item)
            except (Onleesbaar, RuleError) as fout:
                return self._weiger(item, str(fout))
            staat.row.sealed = kop_sealed
            self.staat[item.traject] = staat
        else:
            niet = weigering(staat.definition, self.rollen, staat.row.groep_id, staat.row.opleidingsjaar, staat.eigen,
                             event)
            if niet is not None:
                return self._weiger(item, self._melding(staat, event, niet))
            try:
                check(staat.definition, staat.core, event, facts=staat.facts, today=self.today)
            except RuleError as fout:
                return self._weiger(item, self._melding(staat, event, str(fout)))
            niet = self._weigering_personen(staat, event)
            if niet is not None:
                return self._weiger(item, self._melding(staat, event, niet))
            staat.core = staat.core.with_event(event)
            staat.eigen.add(event.id)
        self.wachtend[event.id] = _Wachtend(index, item.traject, event, sealed)
        return Resultaat(event.id, "aanvaard", nieuw=True)

    def _verzegeld(self, raw: object, metadata: Mapping[str, uuid.UUID]) -> bytes | None:
        """A sealed envelope sent with the item, checked (zegels.py); None when none was sent: a laptop whose keys
        are not confirmed yet shares the steps without their text."""
        envelop = self.zegels.lees(raw)
        if envelop is not None:
            self.zegels.controleer(envelop, metadata)
        return envelop

    def _start(self, item: _Item) -> _Staat:
        """A new traject: its header read, the account's right to start it in that groep, the core's own check
        of a start (`start_traject`: a plausible date, the first event a signaal or ziekmelding), then stored."""
        kop = Kop.lees(item.kop)
        groep = Groep.objects.filter(pk=kop.groep_id).first()
        if groep is None:
            raise Onleesbaar("De groep van dit traject bestaat niet op de server.")
        if not self.scope.ziet(groep.pk, kop.opleidingsjaar, False):
            raise RuleError(f"U kunt geen traject starten in groep {groep.naam} (opleidingsjaar "
                            f"{kop.opleidingsjaar}): uw rol bij het instituut omvat die niet.")
        if kop.personen is not None:
            kop = replace(kop, opleider_naam=self._kop_op_personen(kop))
        try:
            definition = default_registry().get(kop.procedure_id, kop.procedure_versie)
        except UnknownProcedureError:
            raise RuleError(f"De server kent procedure {kop.procedure_id} {kop.procedure_versie} niet; de server "
                            "moet worden bijgewerkt.") from None
        event = item.event
        gebouwd = start_traject(
            definition, koppeling_id=kop.koppeling_id, aios_id=kop.aios_id, opleider_id=kop.opleider_id,
            # A stand-in: no rule reads the categorie, which travels sealed (core/gedeeld.py).
            startreden=kop.startreden, categorie=Categorie.OVERIG, datum=event.date, user=event.user,
            omschrijving=event.text("omschrijving"), today=self.today,
        )
        eerste = gebouwd.events[0]
        if event.kind is not eerste.kind or event.text("bron") != eerste.text("bron"):
            raise RuleError(f"Een traject met startreden '{kop.startreden.label}' begint met een gebeurtenis "
                            f"'{eerste.kind.label}' die daarbij past.")
        row = Traject(
            id=item.traject, groep=groep, opleidingsjaar=kop.opleidingsjaar, procedure_id=definition.id,
            procedure_versie=definition.version, kop=kop.opslag(), aangemaakt_door=self.account,
        )
        facts = _facts(kop.opleidingsjaar, row.kop)
        return _Staat(row, [], replace(gebouwd, events=(event,)), definition, facts, False, {event.id}, nieuw=True)

    def _kop_op_personen(self, kop: Kop) -> str:
        """A header on the institute's Personen checked against them as this account sees them (the service's
        filter, and row-level security): its koppeling exists, of its aios with its opleider, and that aios is in
        its groep and opleidingsjaar. RuleError (Dutch) otherwise. Returns the opleider's full name as the server
        has it: the traject and its blokkade show that, not what the laptop sent."""
        koppeling = None
        if is_id(kop.koppeling_id):
            koppeling = (self.bereik.koppelingen().filter(pk=kop.koppeling_id)
                         .select_related("aios__groep", "opleider").first())
        if koppeling is None:
            raise RuleError(KOPPELING_ONBEKEND)
        if koppeling.aios_id != kop.aios_id:
            raise RuleError(ANDERE_AIOS)
        if koppeling.opleider_id != kop.opleider_id:
            raise RuleError("Deze koppeling is bij het instituut met een andere opleider dan die van dit traject.")
        aios = koppeling.aios
        if aios.groep_id != kop.groep_id:
            raise RuleError(f"De aios van dit traject staat bij het instituut in een andere groep ({aios.groep.naam}).")
        if aios.opleidingsjaar != kop.opleidingsjaar:
            raise RuleError("De aios van dit traject staat bij het instituut in een ander opleidingsjaar (jaar "
                            f"{aios.opleidingsjaar}).")
        naam: str = koppeling.opleider.naam.volledig
        return naam[:200]

    def _weigering_personen(self, staat: _Staat, event: TrajectEvent) -> str | None:
        """On a traject kept on the institute's Personen: None when every opleider and koppeling the event names is
        the institute's, as this account sees them (the service's filter, and row-level security: every role that
        records on a traject sees every opleider); otherwise why not (Dutch). An opleider must exist; a koppeling
        must be one of the traject's aios. On another traject the ids are a laptop's own: None."""
        if staat.row.kop.get("personen") != PERSONEN_INSTITUUT:
            return None
        for naam, waarde in _persoon_ids(event, staat.core.events):
            if naam == "opleider_id":
                if not (is_id(waarde) and self.bereik.opleiders_qs().filter(pk=waarde).exists()):
                    return ("De opleider in deze gebeurtenis is niet bekend bij het instituut; kies een opleider uit "
                            "de Personen van het instituut.")
            elif naam == "koppeling_id":
                aios = (self.bereik.koppelingen().filter(pk=waarde).values_list("aios_id", flat=True).first()
                        if is_id(waarde) else None)
                if aios is None:
                    return KOPPELING_ONBEKEND
                if aios != staat.row.kop.get("aios_id"):
                    return ANDERE_AIOS
        return None

    def _melding(self, staat: _Staat, event: TrajectEvent, fout: str) -> str:
        """A refusal in words: what was not recorded, why, and what others recorded on the traject meanwhile."""
        wat = f"'{event_label(staat.definition, event)}' van {dutch_date(event.date)}"
        tekst = f"{wat} is niet vastgelegd: {fout}"
        if self.cursor is not None:
            intussen = [g for g in staat.rows if g.volgnummer > self.cursor and g.auteur_id != self.account.pk]
        else:
            intussen = [g for g in staat.rows if g.ontvangen_op > event.recorded_at and g.auteur_id != self.account.pk]
        if intussen:
            namen = "; ".join(
                f"'{event_label(staat.definition, core_event(g))}' van {dutch_date(g.datum)} door {g.auteur.naam}"
                for g in intussen[-5:]
            )
            tekst += f" Intussen is op de server vastgelegd: {namen}."
        return tekst

    def _schrijf(self, results: list[Resultaat]) -> None:
        """Give the accepted events their volgnummers, in batch order, under the volgnummer lock (see above)."""
        if not self.wachtend:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VOLGNUMMER_SLOT])
        nu = timezone.now()
        mislukt: set[uuid.UUID] = set()
        geschreven: set[uuid.UUID] = set()
        for wachtend in sorted(self.wachtend.values(), key=lambda w: w.index):
            staat = self.staat[wachtend.traject]
            event = wachtend.event
            if wachtend.traject in mislukt:
                self._vervang(results, wachtend, Resultaat(event.id, "wacht", melding=WACHT))
                continue
            row = Gebeurtenis(
                uuid=uuid.UUID(event.id), traject_id=wachtend.traject, soort=event.kind.value, datum=event.date,
                gegevens=event.data, sealed=wachtend.sealed, vastgelegd_op=event.recorded_at, auteur=self.account,
                laptop=self.laptop, ontvangen_op=nu,
            )
            try:
                with transaction.atomic():
                    if staat.nieuw:
                        staat.row.save(force_insert=True)
                    row.save(force_insert=True)
            except IntegrityError:
                # The traject's or the event's UUID is on the server already: the same traject sent at the same
                # moment by a resend of this outbox (then this event has its volgnummer), or where this account
                # does not see it. The rest of this traject was checked against another record: it waits.
                mislukt.add(wachtend.traject)
                zelfde = toegang.gebeurtenissen(self.account).filter(uuid=row.uuid, traject_id=wachtend.traject).first()
                if zelfde is not None:
                    resultaat = Resultaat(event.id, "aanvaard", volgnummer=zelfde.volgnummer, nieuw=False)
                else:
                    resultaat = Resultaat(event.id, "geweigerd", melding=ONBEKEND_TRAJECT if staat.nieuw else (
                        "Deze gebeurtenis is op de server al vastgelegd bij een ander traject."))
                self._vervang(results, wachtend, resultaat)
                continue
            staat.nieuw = False
            results[wachtend.index].volgnummer = row.volgnummer
            for index in wachtend.dubbel:
                results[index].volgnummer = row.volgnummer
            if not staat.rows:
                staat.kop_volgnummer = row.volgnummer  # a new traject: its first event
            if not staat.advies and opent_voor_instituut(staat.definition, event):
                staat.advies = True
                staat.kop_volgnummer = row.volgnummer
            staat.rows.append(row)
            geschreven.add(wachtend.traject)
        for traject_id, staat in self.staat.items():
            if staat.kop_volgnummer is not None:
                Traject.objects.filter(pk=traject_id).update(
                    advies_ontkoppeling=staat.advies, kop_volgnummer=staat.kop_volgnummer
                )
        # From the events as stored (an event refused at writing is not in them), not from the batch's checks.
        blokkades.werk_bij(
            (staat.row, staat.definition, core_traject(staat.row, staat.rows))
            for traject_id, staat in self.staat.items() if traject_id in geschreven
        )

    @staticmethod
    def _vervang(results: list[Resultaat], wachtend: _Wachtend, resultaat: Resultaat) -> None:
        for index in (wachtend.index, *wachtend.dubbel):
            results[index] = resultaat


def ontvang(laptop: Laptop, body: object, *, today: dt.date | None = None) -> list[Resultaat]:
    """Check and store a laptop's outbox (see the module's docstring); one transaction."""
    raw_items, cursor = lees_batch(body)
    with toegang.als_account(laptop.account):
        return _Ontvangst(laptop, cursor, today or timezone.localdate()).run(raw_items)


# ---- handing out ---------------------------------------------------------------------------------------------


def event_json(g: Gebeurtenis) -> dict[str, object]:
    """An event as the laptop reads it back: `TrajectEvent.to_dict` plus where it stands on the server."""
    return {
        **core_event(g).to_dict(),
        "traject": str(g.traject_id),
        "volgnummer": g.volgnummer,
        "ontvangen_op": g.ontvangen_op.isoformat(),
        "verzegeld": _b64(g.sealed),
    }


def traject_json(row: Traject) -> dict[str, object]:
    return {
        "id": str(row.id),
        "groep": row.groep_id,
        "groep_naam": row.groep.naam,
        "opleidingsjaar": row.opleidingsjaar,
        "procedure_id": row.procedure_id,
        "procedure_version": row.procedure_versie,
        **row.kop,
        "advies_ontkoppeling": row.advies_ontkoppeling,
        "kop_volgnummer": row.kop_volgnummer,
        "kop_verzegeld": _b64(row.sealed),
    }


def _b64(sealed: bytes | memoryview | None) -> str | None:
    return base64.b64encode(bytes(sealed)).decode("ascii") if sealed is not None else None


def haal_op(lezer: Lezer, na: int, scope_versie: int | None, *, pagina: int = PAGINA) -> dict[str, object]:
    """What is new for this account since volgnummer `na` (see the module's docstring)."""
    account = lezer.account
    vanaf_begin = scope_versie is not None and scope_versie != account.scope_versie
    if vanaf_begin:
        na = 0
    with toegang.als_account(account):
        zichtbaar = toegang.trajecten(account)
        rows = list(
            toegang.gebeurtenissen(account).filter(volgnummer__gt=na).select_related("auteur", "traject__groep")
            .order_by("volgnummer")[: pagina + 1]
        )
        meer = len(rows) > pagina
        rows = rows[:pagina]
        tot = rows[-1].volgnummer if rows else na
        trajecten = {g.traject_id: g.traject for g in rows}
        # Trajecten that became visible in this range: their earlier events too.
        opnieuw = [t for t in trajecten.values() if na < t.kop_volgnummer <= tot and na > 0]
        if opnieuw:
            rows += list(
                Gebeurtenis.objects.filter(Q(traject__in=zichtbaar), Q(traject__in=[t.id for t in opnieuw]),
                                           volgnummer__lte=na).select_related("auteur")
            )
            rows.sort(key=lambda g: g.volgnummer)
        per_traject: dict[uuid.UUID, int] = {}
        for g in rows:
            per_traject[g.traject_id] = per_traject.get(g.traject_id, 0) + 1
        schrijf(lezer, "gebeurtenissen", [Gelezen(t, n) for t, n in per_traject.items()], na=na, tot=tot)
        return {
            "gebeurtenissen": [event_json(g) for g in rows],
            "trajecten": [traject_json(t) for t in trajecten.values()],
            "tot": tot,
            "meer": meer,
            "scope_versie": account.scope_versie,
            "vanaf_begin": vanaf_begin,
            "reeks": toegang.reeks(),
        }


def traject(lezer: Lezer, traject_id: uuid.UUID) -> dict[str, object] | None:
    """One traject with all its events, or None when it does not exist for this account (then nothing is logged)."""
    with toegang.als_account(lezer.account):
        row = toegang.trajecten(lezer.account).filter(pk=traject_id).first()
        if row is None:
            return None
        events = list(Gebeurtenis.objects.filter(traject=row).select_related("auteur", "traject")
                      .order_by("volgnummer"))
        schrijf(lezer, "traject", [Gelezen(row.id, len(events))])
        return {**traject_json(row), "gebeurtenissen": [event_json(g) for g in events]}
