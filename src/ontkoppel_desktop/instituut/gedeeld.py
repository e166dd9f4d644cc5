"""Trajecten another laptop shares with this one through the institute, as this laptop's user works with them:
their terms (the same engine as for local trajecten), the steps of the user's roles, and recording those steps.

A shared traject is the server's record (`gedeeld_traject`, `gedeeld_event`, pulled) plus what this laptop
recorded on it that the server has not accepted yet (the outbox, with its own payload). A step is checked here
with the core rules against both, then queued; the server checks it again on arrival against what others recorded
meanwhile, and a refusal comes back with its message (outbox.weigeringen), the step's data kept.

A traject kept on the institute's Personen (its header says `personen: instituut`) names its aios, opleider and
koppeling, and the persons in its events, by the institute's ids; this laptop mirrors those Personen
(spiegel.py), so here they are read with this laptop's ids, and a step that names a person (a kandidaat opleider)
is recorded with one of the institute's opleiders and travels with the institute's id. A traject started before
(its header carries the starting laptop's own ids) cannot take such a step here, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ontkoppel_desktop.core.gedeeld import facts_uit_kop, traject_uit_kop, vertaal_ids
from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure import (
    EventKind,
    ProcedureDefinition,
    RuleError,
    Traject,
    TrajectEvent,
    UnknownProcedureError,
    check,
    default_registry,
)
from ontkoppel_desktop.core.procedure.engine import Agenda, StepStatus, TrajectOverview, derive
from ontkoppel_desktop.core.procedure.events import FieldType
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import outbox, spiegel
from ontkoppel_desktop.store.connection import Connection

GEWEIGERD_EERST = ("Op dit traject is eerder iets van u geweigerd door het instituut. Los dat eerst op (Bestand › "
                   "Instituut…): wat u nu vastlegt, bouwt erop voort.")


@dataclass(frozen=True, slots=True)
class GedeeldTraject:
    """One shared traject as this laptop sees it."""

    uuid: str
    kop: dict[str, Any]
    traject: Traject  # the server's events, then ours that wait
    definition: ProcedureDefinition | None  # None: this version of the app does not know its procedure
    overview: TrajectOverview | None
    wachtend: tuple[tuple[TrajectEvent, str | None], ...]  # ours, not accepted yet; with the refusal if refused
    namen: tuple[str, str] = ("", "")  # the aios's and opleider's names in this laptop's Personen, if it keeps them

    @property
    def op_instituut(self) -> bool:
        """Kept on the institute's Personen: its persons are this laptop's mirrored ones."""
        return self.kop.get("personen") == "instituut"

    @property
    def aios_naam(self) -> str:
        return str(self.kop.get("aios_naam") or "") or self.namen[0] or "(naam niet gedeeld)"

    @property
    def opleider_naam(self) -> str:
        return self.namen[1] or str(self.kop.get("opleider_naam") or "") or "(naam niet gedeeld)"

    @property
    def groep(self) -> str:
        return str(self.kop.get("groep_naam") or "") or f"groep {self.kop.get('groep', '?')}"

    @property
    def opleidingsjaar(self) -> int:
        return int(self.kop.get("opleidingsjaar") or 0)

    @property
    def gesloten(self) -> bool:
        return self.overview is not None and self.overview.closed

    @property
    def fase(self) -> str:
        if self.definition is None or self.overview is None:
            return "Procedure onbekend in deze versie"
        if self.overview.closed:
            return "Afgesloten"
        if self.overview.phase is None:
            return ""
        return self.definition.phase(self.overview.phase).title

    def open_stappen(self, rollen: frozenset[Rol] | None = None) -> list[StepStatus]:
        """The open steps (of these roles, or all), the most urgent first."""
        if self.overview is None:
            return []
        found = [s for s in self.overview.open_statuses()
                 if rollen is None or any(r in rollen for r in s.step.roles)]
        return sorted(found, key=lambda s: (s.due or dt.date.max, s.step.order))

    def eerstvolgende(self, rollen: frozenset[Rol] | None = None) -> StepStatus | None:
        stappen = self.open_stappen(rollen)
        return stappen[0] if stappen else None

    @property
    def geweigerd(self) -> bool:
        return any(melding is not None for _, melding in self.wachtend)


def rollen(verbinding: outbox.Verbinding | None) -> frozenset[Rol]:
    """The account's roles at the institute, as the server last said."""
    if verbinding is None:
        return frozenset()
    return frozenset(Rol(r["rol"]) for r in verbinding.rollen if r.get("rol") in Rol._value2member_map_)


def niet_hier(status: StepStatus, gedeeld: GedeeldTraject) -> str | None:
    """Why this step cannot be recorded on a shared traject from this laptop, or None."""
    kind = status.step.done_by.kind
    if not gedeeld.op_instituut and any(spec.type is FieldType.ID for spec in kind.fields.values()):
        return (f"'{status.step.short or status.step.title}' noemt een persoon uit Personen, en dit traject is "
                "begonnen voordat trajecten op de Personen van het instituut werden bijgehouden. Vraag de docent van "
                "de groep het vast te leggen.")
    return None


def personen(conn: Connection) -> dict[int, str]:
    """The opleiders a step on a shared traject may name: the institute's, as this laptop mirrors them (local id:
    name)."""
    return {int(i): Naam(v, t, a).volledig for i, v, t, a in conn.execute(
        "SELECT id, voornaam, tussenvoegsel, achternaam FROM opleider WHERE instituut_id IS NOT NULL "
        "AND gearchiveerd = 0")}


def _lokaal(ids: spiegel.Ids, tabel: str, instituut_id: int) -> int:
    """This laptop's id of the institute's row; one this laptop does not keep reads as the negative institute id
    (never one of this laptop's own)."""
    local = ids.van_instituut(tabel, instituut_id)
    return local if local is not None else -instituut_id


def _naar_lokaal(ids: spiegel.Ids, event: TrajectEvent, doel: EventKind | None) -> TrajectEvent:
    data, _ = vertaal_ids(event.kind, event.data, lambda t, i: _lokaal(ids, t, i), doel)
    return TrajectEvent.from_dict({**event.to_dict(), "data": data}, validate=False)


def _maak(conn: Connection, ids: spiegel.Ids, uuid: str, kop: dict[str, Any], events: list[TrajectEvent],
          wachtend: list[tuple[TrajectEvent, str | None]], today: dt.date, agenda: Agenda | None) -> GedeeldTraject:
    procedure_id = str(kop.get("procedure_id") or "")
    versie = str(kop.get("procedure_version") or "")
    try:
        definition: ProcedureDefinition | None = default_registry().get(procedure_id, versie)
    except UnknownProcedureError:
        definition = None
    kop_hier, namen = kop, ("", "")
    if kop.get("personen") == "instituut":
        kinds = {e.id: e.kind for e in events}
        kinds.update((e.id, e.kind) for e, _ in wachtend)

        def doel(e: TrajectEvent) -> EventKind | None:
            return kinds.get(str(e.data.get("gebeurtenis") or ""))

        events = [_naar_lokaal(ids, e, doel(e)) for e in events]
        wachtend = [(_naar_lokaal(ids, e, doel(e)), m) for e, m in wachtend]
        kop_hier = {**kop, **{f"{t}_id": _lokaal(ids, t, int(kop.get(f"{t}_id") or 0))
                              for t in ("koppeling", "aios", "opleider")}}
        namen = _namen(conn, int(kop_hier["aios_id"]), int(kop_hier["opleider_id"]))
    alle = [*events, *(e for e, melding in wachtend if melding is None)]
    traject = traject_uit_kop(kop_hier, procedure_id, versie, alle)
    overview = None
    if definition is not None and alle:
        overview = derive(definition, traject, facts_uit_kop(int(kop.get("opleidingsjaar") or 1), kop), today,
                          agenda)
    return GedeeldTraject(uuid, kop, traject, definition, overview, tuple(wachtend), namen)


def _namen(conn: Connection, aios_id: int, opleider_id: int) -> tuple[str, str]:
    def naam(tabel: str, row_id: int) -> str:
        row = conn.execute(f"SELECT voornaam, tussenvoegsel, achternaam FROM {tabel} WHERE id = ?",  # noqa: S608
                           (row_id,)).fetchone() if row_id > 0 else None
        return Naam(*row).volledig if row else ""

    return naam("aios", aios_id), naam("opleider", opleider_id)


def lijst(conn: Connection, today: dt.date | None = None, agenda: Agenda | None = None) -> list[GedeeldTraject]:
    """Every shared traject with its terms as of `today`: open ones first, by their most urgent term. `agenda`:
    the institute's dates (opleidersterugkomdagen) as this laptop keeps them (TrajectService.agenda), for the
    terms that count to "the next one"."""
    today = today or dt.date.today()
    wachtend = outbox.wachtend_gedeeld(conn)
    ids = spiegel.Ids(conn)
    out = [_maak(conn, ids, g.uuid, g.kop, g.events, wachtend.get(g.uuid, []), today, agenda)
           for g in outbox.gedeelde_trajecten(conn) if "startreden" in g.kop]
    return sorted(out, key=_urgentie)


class Gedeeld:
    """`lijst` for a screen that asks again after every change: a traject whose events, header and waiting events
    did not change since the last call is not read or derived again (a year of 2 000 shared trajecten takes half a
    second to derive in full; a synchronisation changes a few)."""

    def __init__(self) -> None:
        self._bewaard: dict[str, tuple[object, GedeeldTraject]] = {}

    def lijst(self, conn: Connection, today: dt.date, agenda: Agenda | None = None) -> list[GedeeldTraject]:
        stand = outbox.gedeeld_stand(conn)
        wachtend = outbox.wachtend_gedeeld(conn)
        # The mirrored Personen count too: a traject names its persons through them.
        basis = (today, tuple(sorted((k, tuple(v)) for k, v in (agenda or {}).items())), spiegel.stand(conn))

        def sleutel(uuid: str) -> object:
            return (stand[uuid], tuple((e.id, m) for e, m in wachtend.get(uuid, [])), basis)

        opnieuw = [u for u in stand if self._bewaard.get(u, (None,))[0] != sleutel(u)]
        ids = spiegel.Ids(conn)
        for g in outbox.gedeelde_trajecten(conn, opnieuw):
            if "startreden" in g.kop:
                self._bewaard[g.uuid] = (sleutel(g.uuid), _maak(conn, ids, g.uuid, g.kop, g.events,
                                                                wachtend.get(g.uuid, []), today, agenda))
        self._bewaard = {u: v for u, v in self._bewaard.items() if u in stand}
        return sorted((v[1] for v in self._bewaard.values()), key=_urgentie)

    def vergeet(self) -> None:
        """Locked: nothing of it stays in memory."""
        self._bewaard.clear()


def _urgentie(g: GedeeldTraject) -> tuple[bool, dt.date, str]:
    volgende = g.eerstvolgende()
    return g.gesloten, (volgende.due if volgende and volgende.due else dt.date.max), g.aios_naam


def een(conn: Connection, traject_uuid: str, today: dt.date | None = None, agenda: Agenda | None = None
        ) -> GedeeldTraject | None:
    """One shared traject, read and derived alone."""
    today = today or dt.date.today()
    wachtend = outbox.wachtend_gedeeld(conn).get(traject_uuid, [])
    ids = spiegel.Ids(conn)
    return next((_maak(conn, ids, g.uuid, g.kop, g.events, wachtend, today, agenda)
                 for g in outbox.gedeelde_trajecten(conn, [traject_uuid]) if "startreden" in g.kop), None)


def leg_vast(conn: Connection, traject_uuid: str, event: TrajectEvent, *, today: dt.date | None = None) -> None:
    """Check `event` with the core rules on the shared traject (the server's events and ours that wait) and queue
    it for the institute. RuleError (Dutch) when the rules refuse it; nothing is then written."""
    today = today or dt.date.today()
    gedeeld = een(conn, traject_uuid, today)
    if gedeeld is None:
        raise RuleError("Dit traject is niet (meer) gedeeld met deze laptop. Synchroniseer en probeer het opnieuw.")
    if gedeeld.definition is None:
        raise RuleError("Deze versie van het programma kent de procedure van dit traject niet. Werk het programma "
                        "bij.")
    if gedeeld.geweigerd:
        raise RuleError(GEWEIGERD_EERST)
    if event.kind in (EventKind.SIGNAAL, EventKind.ZIEKMELDING) or event.kind.is_correctie:
        raise RuleError(f"'{event.kind.label}' kan niet op een gedeeld traject worden vastgelegd.")
    check(gedeeld.definition, gedeeld.traject, event,
          facts=facts_uit_kop(gedeeld.opleidingsjaar or 1, gedeeld.kop), today=today)
    if gedeeld.op_instituut:
        # It waits, and travels, as the server keeps the traject: with the institute's ids.
        ids = spiegel.Ids(conn)
        data, onbekend = vertaal_ids(event.kind, event.data, ids.naar_instituut)
        if onbekend:
            raise RuleError(outbox.onbekend_bij_instituut(conn, event.kind.label, onbekend))
        event = TrajectEvent.from_dict({**event.to_dict(), "data": data}, validate=False)
    elif any(spec.type is FieldType.ID for spec in event.kind.fields.values()):
        raise RuleError(f"'{event.kind.label}' noemt een persoon uit Personen; op dit traject, begonnen voordat "
                        "trajecten op de Personen van het instituut werden bijgehouden, kan dat niet vanaf deze "
                        "laptop.")
    outbox.zet_in_wachtrij(conn, traject_uuid, event)
