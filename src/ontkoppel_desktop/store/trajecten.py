"""Trajecten in the store, and the service the UI calls to change them.

Every change goes through TrajectService.record(): the core checks it against the traject's own procedure
version, and the store writes the event (and what it implies for koppelingen) in one transaction.
The service keeps the trajecten it has read in memory (one app per store, so nothing else writes them);
Store.lock() drops it with the connection.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import Aios, Koppeling
from ontkoppel_desktop.core.procedure import (
    AiosFacts,
    Blokkade,
    Categorie,
    EventKind,
    ProcedureDefinition,
    ProcedureRegistry,
    RuleError,
    Startreden,
    Task,
    Traject,
    TrajectEvent,
    add_months,
    blokkades,
    event_for_step,
    open_tasks,
    record,
    require_ontkoppeld,
    start_traject,
    verwachte_einddatum_traject,
)
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.database import transaction
from ontkoppel_desktop.store.personen import PersonenRepository

Connection = Any

# The GP training takes three years full-time; part-time stretches it in proportion.
OPLEIDINGSDUUR_MAANDEN = 36
OPLEIDERSTERUGKOMDAG = "opleidersterugkomdagen"


def aios_facts(aios: Aios) -> AiosFacts:
    einde = None
    if aios.startdatum_opleiding is not None:
        maanden = round(OPLEIDINGSDUUR_MAANDEN * 100 / max(aios.deeltijdpercentage, 1))
        einde = add_months(aios.startdatum_opleiding, maanden)
    return AiosFacts(aios.opleidingsjaar, aios.startdatum_opleiding, einde, aios.deeltijdpercentage)


class TrajectService:
    def __init__(self, conn: Connection, personen: PersonenRepository, registry: ProcedureRegistry) -> None:
        self._conn = conn
        self._personen = personen
        self.registry = registry
        self._cache: dict[int, Traject] | None = None
        self._facts: dict[int, AiosFacts] | None = None
        # All open tasks for one day; every write through this service drops it.
        self._tasks: tuple[date, list[Task]] | None = None

    # ---- reading -------------------------------------------------------------------------------------

    def all(self) -> list[Traject]:
        if self._cache is None:
            # One JSON array per traject, built by SQLite: far fewer parser calls than one per event.
            # Events were validated when they were recorded; the file authenticates every page since.
            events: dict[int, list[TrajectEvent]] = {}
            for traject_id, payloads in self._conn.execute(
                "SELECT traject_id, json_group_array(json(payload)) FROM "
                "(SELECT traject_id, payload FROM traject_event ORDER BY traject_id, seq) GROUP BY traject_id"
            ):
                events[traject_id] = [TrajectEvent.from_dict(raw, validate=False) for raw in json.loads(payloads)]
            rows = self._conn.execute(
                "SELECT id, koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, startreden, "
                "categorie FROM traject ORDER BY id"
            )
            self._cache = {
                r[0]: Traject(r[0], r[1], r[2], r[3], r[4], r[5], Startreden(r[6]), Categorie(r[7]),
                              tuple(events.get(r[0], ())))
                for r in rows
            }
        return list(self._cache.values())

    def get(self, traject_id: int) -> Traject:
        self.all()
        assert self._cache is not None
        try:
            return self._cache[traject_id]
        except KeyError:
            raise ValidatieFout([f"Traject {traject_id} bestaat niet."]) from None

    def definition(self, traject: Traject) -> ProcedureDefinition:
        return self.registry.get(traject.procedure_id, traject.procedure_version)

    def facts(self) -> dict[int, AiosFacts]:
        if self._facts is None:
            self._facts = {a.id: aios_facts(a) for a in self._personen.aios(archief=True) if a.id is not None}
        return self._facts

    def forget(self) -> None:
        """Drop everything read or computed; the next call reads the store again."""
        self._cache = None
        self._facts = None
        self._tasks = None

    def forget_facts(self) -> None:
        """Aios data changed (e.g. deeltijd): recompute the facts the engine uses."""
        self._facts = None
        self._tasks = None

    def agenda(self) -> dict[str, list[date]]:
        out: dict[str, list[date]] = {}
        for soort, datum in self._conn.execute("SELECT soort, datum FROM agenda ORDER BY datum"):
            out.setdefault(soort, []).append(date.fromisoformat(datum))
        return out

    def agenda_rows(self, soort: str = OPLEIDERSTERUGKOMDAG) -> list[tuple[int, date, str]]:
        rows = self._conn.execute("SELECT id, datum, omschrijving FROM agenda WHERE soort = ? ORDER BY datum", (soort,))
        return [(r[0], date.fromisoformat(r[1]), r[2]) for r in rows]

    def add_agenda(self, datum: date, omschrijving: str = "", soort: str = OPLEIDERSTERUGKOMDAG) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO agenda (soort, datum, omschrijving) VALUES (?, ?, ?)",
                (soort, datum.isoformat(), omschrijving.strip()),
            )
        self._tasks = None

    def remove_agenda(self, agenda_id: int) -> None:
        with transaction(self._conn):
            self._conn.execute("DELETE FROM agenda WHERE id = ?", (agenda_id,))
        self._tasks = None

    def tasks(self, today: date, rol: Rol | None = None) -> list[Task]:
        if self._tasks is None or self._tasks[0] != today:
            tasks = open_tasks(self.all(), self.registry, today, facts=self.facts(), agenda=self.agenda())
            self._tasks = (today, tasks)
        tasks = self._tasks[1]
        return list(tasks) if rol is None else [t for t in tasks if rol in t.roles]

    def blokkades(self) -> dict[int, list[Blokkade]]:
        return blokkades(self.all(), self.registry)

    def blokkade(self, opleider_id: int) -> Blokkade | None:
        found = self.blokkades().get(opleider_id)
        return found[0] if found else None

    def verwachte_einddatum(self, aios_id: int, today: date) -> date | None:
        facts = self.facts().get(aios_id)
        if facts is None:
            return None
        einde = facts.einddatum_opleiding
        for traject in self.all():
            if traject.aios_id == aios_id:
                einde = verwachte_einddatum_traject(traject, replace(facts, einddatum_opleiding=einde), today) or einde
        return einde

    # ---- changing ------------------------------------------------------------------------------------

    def start(
        self,
        koppeling_id: int,
        startreden: Startreden,
        categorie: Categorie,
        datum: date,
        *,
        user: str,
        omschrijving: str = "",
    ) -> Traject:
        koppeling = next((k for k in self._personen.koppelingen() if k.id == koppeling_id), None)
        if koppeling is None:
            raise ValidatieFout(["Kies een bestaande koppeling om het traject op te starten."])
        lopend = [t for t in self.all() if t.koppeling_id == koppeling_id and not t.closed]
        if lopend:
            raise ValidatieFout(["Op deze koppeling loopt al een traject; leg het signaal daar vast."])
        definition = self.registry.latest("utrecht-ontkoppeling")
        traject = start_traject(
            definition,
            koppeling_id=koppeling_id,
            aios_id=koppeling.aios_id,
            opleider_id=koppeling.opleider_id,
            startreden=startreden,
            categorie=categorie,
            datum=datum,
            user=user,
            omschrijving=omschrijving,
        )
        return self.replay(traject)

    def replay(self, traject: Traject) -> Traject:
        """Store a traject built elsewhere (demo, import): its first event as a start, every later one
        through record_event(), so koppelingen change exactly as if the events were entered by hand."""
        first, *rest = traject.events
        with transaction(self._conn):
            cur = self._conn.execute(
                "INSERT INTO traject (koppeling_id, aios_id, opleider_id, procedure_id, procedure_version, "
                "startreden, categorie) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (traject.koppeling_id, traject.aios_id, traject.opleider_id, traject.procedure_id,
                 traject.procedure_version, traject.startreden.value, traject.categorie.value),
            )
            stored = replace(traject, id=int(cur.lastrowid), events=(first,))
            self._insert_event(stored, first)
            self._remember(stored)
            if self._cache is None:
                self.all()
            for event in rest:
                stored = self.record_event(int(cur.lastrowid), event)
        return stored

    def record(
        self, traject_id: int, kind: EventKind | str, day: date, data: Mapping[str, object] | None = None, *,
        user: str,
    ) -> Traject:
        from ontkoppel_desktop.core.procedure import new_event

        return self.record_event(traject_id, new_event(kind, day, dict(data or {}), user=user))

    def record_step(
        self, traject_id: int, step_id: str, day: date, data: Mapping[str, object] | None = None, *, user: str
    ) -> Traject:
        traject = self.get(traject_id)
        event = event_for_step(self.definition(traject), step_id, day, dict(data or {}), user=user)
        return self.record_event(traject_id, event)

    def record_event(self, traject_id: int, event: TrajectEvent) -> Traject:
        traject = self.get(traject_id)
        definition = self.definition(traject)
        with transaction(self._conn):
            event = self._apply_to_koppelingen(traject, event)
            updated = record(definition, traject, event, facts=self.facts().get(traject.aios_id))
            self._insert_event(updated, event)
        self._remember(updated)
        return updated

    def _apply_to_koppelingen(self, traject: Traject, event: TrajectEvent) -> TrajectEvent:
        """What an event means for the koppelingen in Personen; returns the event as it will be stored."""
        if event.kind is EventKind.KOPPELING_BEEINDIGD:
            # Utrecht 5.1: the formal ontkoppeling exists only after the plv. hoofd's decision.
            require_ontkoppeld(traject)
            oud = self._koppeling(traject.koppeling_id)
            oud.einddatum = event.date
            self._personen.save_koppeling(oud)
        elif event.kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD:
            opleider_id = int(event.data["opleider_id"])  # type: ignore[arg-type]
            self.check_opleider_vrij(opleider_id)
            if not event.data.get("koppeling_id"):
                start = date.fromisoformat(str(event.data["startdatum"]))
                nieuw = self._personen.save_koppeling(Koppeling(traject.aios_id, opleider_id, start))
                event = replace(event, data={**event.data, "koppeling_id": nieuw.id})
        elif event.kind is EventKind.NIEUWE_KOPPELING_GESTART:
            bevestigd = [e for e in traject.events if e.kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD]
            koppeling_id = event.data.get("koppeling_id") or (
                bevestigd[-1].data.get("koppeling_id") if bevestigd else None
            )
            if koppeling_id:
                nieuw = self._koppeling(int(koppeling_id))  # type: ignore[arg-type]
                nieuw.startdatum = event.date
                self._personen.save_koppeling(nieuw)
                event = replace(event, data={**event.data, "koppeling_id": nieuw.id})
        return event

    def check_opleider_vrij(self, opleider_id: int) -> None:
        """Utrecht 5.2.1: no new aios with an ontkoppelde opleider before the manager opleiders' contact."""
        blokkade = self.blokkade(opleider_id)
        if blokkade is not None:
            naam = next((o.naam.volledig for o in self._personen.opleiders(archief=True) if o.id == opleider_id),
                        f"opleider {opleider_id}")
            raise RuleError(f"{naam} krijgt nu geen nieuwe aios. {blokkade.reden}")

    def _koppeling(self, koppeling_id: int) -> Koppeling:
        found = [k for k in self._personen.koppelingen(archief=True) if k.id == koppeling_id]
        if not found:
            raise ValidatieFout([f"Koppeling {koppeling_id} bestaat niet."])
        return found[0]

    def _insert_event(self, traject: Traject, event: TrajectEvent) -> None:
        self._conn.execute(
            "INSERT INTO traject_event (traject_id, event_id, payload) VALUES (?, ?, ?)",
            (traject.id, event.id, json.dumps(event.to_dict(), ensure_ascii=False)),
        )

    def _remember(self, traject: Traject) -> None:
        self._tasks = None
        if self._cache is not None and traject.id is not None:
            self._cache[traject.id] = traject


def ids_of(trajecten: Sequence[Traject]) -> list[int]:
    return [t.id for t in trajecten if t.id is not None]
