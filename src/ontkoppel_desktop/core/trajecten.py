"""The one door for changes to trajecten: every gebeurtenis goes through `TrajectService.record_event`.

One transaction per call, and the core decides: the rules of the traject's own procedure version accept or
refuse the event, its effect on the koppelingen goes through the PersonenService (so the koppeling rules hold
here too), and the traject's derived rows (summary, open steps: procedure/readmodel.py) are rewritten with it.
Every call returns what it changed.

The service keeps two caches, both its own: the AiosFacts the engine needs (dropped by `aios_changed`, which
the PersonenService calls inside every aios write) and the agenda (dropped by its own agenda writes). Both are
dropped too when another connection to the file (a second process) committed since they were filled. Nothing
else is held between calls; a traject is read from its repository when it is needed.

One open traject per koppeling: checked here inside the write's transaction, and held by the file itself (schema
v9), so that a second process cannot start a second one either; the repository says a refusal of the file in
the same words (AL_EEN_TRAJECT, HEROPENEN).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core import plausibel
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.personen import Aios, Koppeling, is_id
from ontkoppel_desktop.core.personen_service import PersonenService
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
    TrajectOverview,
    add_months,
    derive,
    event_for_step,
    is_ontkoppeld,
    new_event,
    record,
    require_ontkoppeld,
    start_traject,
    verwachte_einddatum_traject,
)
from ontkoppel_desktop.core.procedure.checklist import Checklist, afgevinkt, bundled_checklist
from ontkoppel_desktop.core.procedure.correcties import new_correctie, new_intrekking
from ontkoppel_desktop.core.procedure.events import FieldType
from ontkoppel_desktop.core.procedure.koppeling_gevolgen import KoppelingActie, koppeling_wijzigingen
from ontkoppel_desktop.core.procedure.readmodel import (
    OpenStap,
    OpenStapRij,
    TaakRij,
    TrajectOverzicht,
    TrajectRij,
    afleiden,
    fingerprint,
)
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.core.transactions import Transactions

# The GP training takes three years full-time; part-time stretches it in proportion.
OPLEIDINGSDUUR_MAANDEN = 36
OPLEIDERSTERUGKOMDAG = "opleidersterugkomdagen"

AL_EEN_TRAJECT = "Op deze koppeling loopt al een traject; leg het signaal daar vast."
HEROPENEN = ("Dit traject kan niet weer open: op dezelfde koppeling loopt intussen een ander traject. Leg het daar "
             "vast, of sluit dat traject eerst.")
# The rows an event's id fields name (core.procedure.events, FieldType.ID), by field.
_ID_VELDEN = {"opleider_id": c.OPLEIDER, "koppeling_id": c.KOPPELING, "aios_id": c.AIOS, "praktijk_id": c.PRAKTIJK}


def aios_facts(aios: Aios) -> AiosFacts:
    """What the engine needs of the aios. A stored date too far out to compute an end date gives none."""
    einde = None
    if aios.startdatum_opleiding is not None:
        maanden = round(OPLEIDINGSDUUR_MAANDEN * 100 / max(aios.deeltijdpercentage, 1))
        try:
            einde = add_months(aios.startdatum_opleiding, maanden)
        except (ValueError, OverflowError):
            einde = None
    return AiosFacts(aios.opleidingsjaar, aios.startdatum_opleiding, einde, aios.deeltijdpercentage)


class TrajectRepository(Protocol):
    """Trajecten, their events (append-only), the agenda and the derived rows. No rules."""

    def load(self, traject_id: int) -> Traject | None: ...

    def load_all(self, ids: Collection[int] | None = None) -> list[Traject]: ...

    def ids_for_aios(self, aios_id: int) -> list[int]: ...

    def open_ids(self) -> list[int]:
        """The trajecten not closed."""
        ...

    def insert(self, traject: Traject) -> int:
        """The header of a new traject (its events follow through append_event); returns its id. Refused
        (ValidatieFout, AL_EEN_TRAJECT) while an open traject runs on its koppeling, unless `traject` is closed."""
        ...

    def append_event(self, traject_id: int, event: TrajectEvent) -> None: ...

    def set_gesloten(self, traject_id: int, gesloten: bool) -> None:
        """Whether the traject is closed (Traject.closed), written with the event that changed it. Reopening is
        refused (RuleError, HEROPENEN) while another traject is open on its koppeling."""
        ...

    def data_version(self) -> int:
        """A number that changes when another connection (another process) commits to the file."""
        ...

    def agenda(self) -> dict[str, list[dt.date]]: ...

    def agenda_rows(self, soort: str) -> list[tuple[int, dt.date, str]]: ...

    def add_agenda(self, soort: str, datum: dt.date, omschrijving: str) -> int: ...

    def remove_agenda(self, agenda_id: int) -> None: ...

    # ---- derived rows --------------------------------------------------------------------------------

    def write_derived(self, overzicht: TrajectOverzicht, stappen: Sequence[OpenStap]) -> None:
        """Replace the traject's summary and open steps."""
        ...

    def derived(self, traject_id: int) -> tuple[TrajectOverzicht | None, list[OpenStap]]: ...

    def clear_derived(self) -> None: ...

    def derived_fingerprint(self) -> str | None: ...

    def set_derived_fingerprint(self, value: str) -> None: ...

    def rows(self, today: dt.date, ids: Collection[int] | None = None) -> list[TrajectRij]:
        """The Trajecten list (closed ones included), with the open steps' state on `today`."""
        ...

    def open_steps(self, today: dt.date, traject_ids: Collection[int] | None = None) -> list[OpenStapRij]:
        """The open steps due on `today` (`vanaf` not after it)."""
        ...

    def blokkades(self) -> list[tuple[int, int, dt.date, str]]:
        """(opleider_id, traject_id, sinds, wacht_op) for every blocking traject."""
        ...

    def waiting_for_opleider(self) -> list[int]:
        """Trajecten whose aios is ontkoppeld and has no new koppeling confirmed yet."""
        ...


# The note of the step the checklist completes when its last point is ticked (so that unticking withdraws it).
CHECKLIST_AF = "Alle punten van de checklist ontkoppeling afgevinkt."


def _checklist_stap(traject: Traject, checklist: Checklist) -> TrajectEvent | None:
    """The recorded event that did the checklist's step, if any."""
    return next((e for e in traject.effective_events
                 if e.kind is EventKind.STAP_UITGEVOERD and e.text("stap") == checklist.stap), None)


class TrajectService:
    def __init__(
        self, tx: Transactions, repo: TrajectRepository, personen: PersonenService, registry: ProcedureRegistry
    ) -> None:
        self._tx = tx
        self.repo = repo
        self.personen = personen
        self.registry = registry
        self._facts: dict[int, AiosFacts | None] = {}
        self._agenda: dict[str, list[dt.date]] | None = None
        self._data_version: int | None = None

    # ---- reading -------------------------------------------------------------------------------------

    def _vers(self) -> None:
        """Drop the caches when another process committed to the file since they were filled: its change of an
        aios or of the agenda is not announced to this one, and a traject derived with stale facts here would be
        written back for both."""
        version = self.repo.data_version()
        if version != self._data_version:
            self._data_version = version
            self._facts.clear()
            self._agenda = None

    def get(self, traject_id: int) -> Traject:
        traject = self.repo.load(traject_id) if is_id(traject_id) else None
        if traject is None:
            raise ValidatieFout([f"Dit traject bestaat niet (meer) (nummer {traject_id})."])
        return traject

    def all(self) -> list[Traject]:
        """Every traject with its events: for exports and checks, not for lists (those read `rows`)."""
        return self.repo.load_all()

    def definition(self, traject: Traject) -> ProcedureDefinition:
        return self.registry.get(traject.procedure_id, traject.procedure_version)

    def facts(self, aios_id: int) -> AiosFacts | None:
        self._vers()
        if aios_id not in self._facts:
            found = self.personen.repo.aios(archief=True, ids=[aios_id])
            self._facts[aios_id] = aios_facts(found[0]) if found else None
        return self._facts[aios_id]

    def agenda(self) -> dict[str, list[dt.date]]:
        self._vers()
        if self._agenda is None:
            self._agenda = self.repo.agenda()
        return self._agenda

    def agenda_rows(self, soort: str = OPLEIDERSTERUGKOMDAG) -> list[tuple[int, dt.date, str]]:
        return self.repo.agenda_rows(soort)

    def overview(self, traject: Traject, today: dt.date) -> TrajectOverview:
        """Every step of one traject on `today`, derived in full (the selected traject)."""
        return derive(self.definition(traject), traject, self.facts(traject.aios_id), today, self.agenda())

    def rows(self, today: dt.date, ids: Collection[int] | None = None) -> list[TrajectRij]:
        return self.repo.rows(today, ids)

    def taken(
        self, today: dt.date, traject_ids: Collection[int] | None = None, rol: Rol | None = None
    ) -> list[TaakRij]:
        """Open tasks on `today` with their people's names, overdue first (the repository's order is
        task_sort_key's), from the stored rows: no traject is derived."""
        rows = []
        definitions: dict[tuple[str, str], ProcedureDefinition] = {}
        for rij in self.repo.open_steps(today, traject_ids):
            key = (rij.procedure_id, rij.procedure_version)
            definition = definitions.get(key) or definitions.setdefault(key, self.registry.get(*key))
            if rol is not None and rol not in definition.step(rij.stap.stap).roles:
                continue
            status = rij.stap.status(definition, today)
            task = Task(rij.stap.traject_id, rij.koppeling_id, rij.aios_id, rij.opleider_id, status)
            rows.append(TaakRij(task, rij.aios_naam, rij.opleider_naam))
        return rows

    def tasks(self, today: dt.date, rol: Rol | None = None, traject_ids: Collection[int] | None = None) -> list[Task]:
        return [r.task for r in self.taken(today, traject_ids, rol)]

    def blokkades(self) -> dict[int, list[Blokkade]]:
        found: dict[int, list[Blokkade]] = {}
        for opleider_id, traject_id, sinds, wacht_op in self.repo.blokkades():
            found.setdefault(opleider_id, []).append(Blokkade(opleider_id, traject_id, sinds, wacht_op))
        return found

    def blokkade(self, opleider_id: int) -> Blokkade | None:
        found = self.blokkades().get(opleider_id)
        return found[0] if found else None

    def waiting_for_opleider(self) -> list[Traject]:
        return self.repo.load_all(self.repo.waiting_for_opleider())

    def verwachte_einddatum(self, aios_id: int, today: dt.date) -> dt.date | None:
        facts = self.facts(aios_id)
        if facts is None:
            return None
        einde = facts.einddatum_opleiding
        for traject in self.repo.load_all(self.repo.ids_for_aios(aios_id)):
            try:
                einde = verwachte_einddatum_traject(traject, replace(facts, einddatum_opleiding=einde), today) or einde
            except (ValueError, OverflowError):
                return None
        return einde

    def check_opleider_vrij(self, opleider_id: int) -> None:
        """Utrecht 5.2.1: no new aios with an ontkoppelde opleider before the manager opleiders' contact."""
        blokkade = self.blokkade(opleider_id)
        if blokkade is not None:
            found = self.personen.repo.opleiders(archief=True, ids=[opleider_id])
            naam = found[0].naam.volledig if found else "Deze opleider"
            raise RuleError(f"{naam} krijgt nu geen nieuwe aios. {blokkade.reden}")

    # ---- changing ------------------------------------------------------------------------------------

    def start(
        self,
        koppeling_id: int,
        startreden: Startreden,
        categorie: Categorie,
        datum: dt.date,
        *,
        user: str,
        omschrijving: str = "",
        today: dt.date | None = None,
    ) -> Changes:
        """A new traject on a running koppeling; `Changes.created` is its id. Whether the date can be a start
        is checked by `start_traject` (plausibel.TRAJECT_START). Checked and written in one transaction: a
        traject another process started on this koppeling a moment ago is seen (and the file refuses a second
        one anyway)."""
        with self._tx.transaction():
            found = self.personen.repo.koppelingen(ids=[koppeling_id]) if is_id(koppeling_id) else []
            if not found:
                raise ValidatieFout(["Kies een bestaande koppeling om het traject op te starten."])
            koppeling = found[0]
            if koppeling.startdatum > datum:
                raise ValidatieFout([plausibel.niet_voor("Het signaal", datum, "de start van de koppeling",
                                                         koppeling.startdatum) or ""])
            if self._open_op(koppeling_id, koppeling.aios_id):
                raise ValidatieFout([AL_EEN_TRAJECT])
            traject = start_traject(
                self.registry.current(),
                koppeling_id=koppeling_id,
                aios_id=koppeling.aios_id,
                opleider_id=koppeling.opleider_id,
                startreden=startreden,
                categorie=categorie,
                datum=datum,
                user=user,
                omschrijving=omschrijving,
                today=today,
            )
            return self.replay(traject, today=today)

    def _open_op(self, koppeling_id: int, aios_id: int, behalve: int | None = None) -> list[int]:
        """The open trajecten on this koppeling (but `behalve`)."""
        return [t.id for t in self.repo.load_all(self.repo.ids_for_aios(aios_id))
                if t.koppeling_id == koppeling_id and not t.closed and t.id is not None and t.id != behalve]

    def replay(self, traject: Traject, *, today: dt.date | None = None) -> Changes:
        """Store a traject built elsewhere (demo, import): its first event as a start, every later one through
        record_event(), so koppelingen change exactly as if the events were entered by hand."""
        first, *rest = traject.events
        with self._tx.transaction():
            traject_id = self.repo.insert(traject)
            self.repo.append_event(traject_id, first)
            changes = self._store_derived(replace(traject, id=traject_id, events=(first,)))
            for event in rest:
                changes = changes | self.record_event(traject_id, event, today=today)
        return changes | Changes.of(c.TRAJECT, traject_id, created=traject_id)

    def record(
        self, traject_id: int, kind: EventKind | str, day: dt.date, data: Mapping[str, object] | None = None, *,
        user: str, today: dt.date | None = None,
    ) -> Changes:
        return self.record_event(traject_id, new_event(kind, day, dict(data or {}), user=user), today=today)

    def record_step(
        self, traject_id: int, step_id: str, day: dt.date, data: Mapping[str, object] | None = None, *, user: str,
        today: dt.date | None = None,
    ) -> Changes:
        traject = self.get(traject_id)
        event = event_for_step(self.definition(traject), step_id, day, dict(data or {}), user=user)
        return self.record_event(traject_id, event, today=today)

    # ---- the checklist ontkoppeling (core.procedure.checklist) -------------------------------------------

    def checklist(self, traject: Traject) -> Checklist | None:
        return bundled_checklist(self.definition(traject))

    def vink(self, traject_id: int, punt: str, datum: dt.date, *, user: str, today: dt.date | None = None) -> Changes:
        """Tick a point of the checklist ontkoppeling; with the last one the administratieve afhandeling is done."""
        with self._tx.transaction():
            traject = self.get(traject_id)
            checklist = self.checklist(traject)
            if checklist is None or checklist.punt(punt) is None:
                raise RuleError("Deze procedureversie kent dit punt van de checklist ontkoppeling niet.")
            if not is_ontkoppeld(traject):
                raise RuleError("De checklist ontkoppeling hoort bij een ontkoppeling: leg eerst het formele besluit "
                                "tot ontkoppeling vast.")
            ticked = afgevinkt(traject, checklist)
            if punt in ticked:
                return Changes.of(c.TRAJECT, traject_id)
            changes = self.record_event(traject_id, new_event(EventKind.CHECKLIST_PUNT, datum, {"punt": punt},
                                                              user=user), today=today)
            if len(ticked) + 1 == len(checklist.punten) and _checklist_stap(self.get(traject_id), checklist) is None:
                changes = changes | self.record_event(traject_id, new_event(
                    EventKind.STAP_UITGEVOERD, datum, {"stap": checklist.stap, "notitie": CHECKLIST_AF}, user=user),
                    today=today)
        return changes

    def ontvink(self, traject_id: int, punt: str, *, user: str, today: dt.date | None = None) -> Changes:
        """Untick a point (a slip): its tick is withdrawn, and so is the step the full checklist completed."""
        with self._tx.transaction():
            traject = self.get(traject_id)
            checklist = self.checklist(traject)
            tick = afgevinkt(traject, checklist).get(punt) if checklist is not None else None
            if checklist is None or tick is None:
                return Changes.of(c.TRAJECT, traject_id)
            changes = Changes()
            stap = _checklist_stap(traject, checklist)
            if stap is not None and stap.text("notitie") == CHECKLIST_AF:
                changes = self.intrekken(traject_id, stap.id, "Niet meer alle punten van de checklist afgevinkt.",
                                         user=user, today=today)
            changes = changes | self.intrekken(traject_id, tick.id, "Punt van de checklist weer open gezet.",
                                               user=user, today=today)
        return changes

    def intrekken(
        self, traject_id: int, event_id: str, motivatie: str, *, user: str, today: dt.date | None = None
    ) -> Changes:
        """Withdraw a wrongly recorded gebeurtenis: appended as an intrekking with its motivatie; nothing is
        rewritten, the history shows both."""
        event = new_intrekking(event_id, motivatie, today or dt.date.today(), user=user)
        return self.record_event(traject_id, event, today=today)

    def corrigeren(
        self, traject_id: int, event_id: str, motivatie: str, *, datum: dt.date | None = None,
        gegevens: Mapping[str, object] | None = None, user: str, today: dt.date | None = None,
    ) -> Changes:
        """Correct a gebeurtenis's date and/or data (only the fields that change), appended as a correctie."""
        event = new_correctie(event_id, motivatie, today or dt.date.today(), datum=datum, gegevens=gegevens,
                              user=user)
        return self.record_event(traject_id, event, today=today)

    def record_event(self, traject_id: int, event: TrajectEvent, *, today: dt.date | None = None) -> Changes:
        """The one door: the rules decide, the koppelingen follow, the derived rows are rewritten."""
        with self._tx.transaction():
            traject = self.get(traject_id)
            definition = self.definition(traject)
            self._check_verwijzingen(traject, event)
            gesloten = record(definition, traject, event, facts=self.facts(traject.aios_id), today=today).closed
            if traject.closed and not gesloten and self._open_op(traject.koppeling_id, traject.aios_id, traject_id):
                raise RuleError(HEROPENEN)
            if event.kind.is_correctie:
                changes = self._apply_correctie(traject, event, today)
            else:
                event, changes = self._apply_to_koppelingen(traject, event, today)
            self.repo.append_event(traject_id, event)
            if gesloten != traject.closed:
                self.repo.set_gesloten(traject_id, gesloten)
            changes = changes | self._store_derived(traject.with_event(event))
        return changes | Changes.of(c.TRAJECT, traject_id)

    def _check_verwijzingen(self, traject: Traject, event: TrajectEvent) -> None:
        """The people and koppelingen an event names (its id fields, or those a correctie gives) exist, and a
        koppeling is one of this traject's aios: RuleError (Dutch) before anything is written. An archived
        opleider is not offered as a new one (PersonenService.check_verwijzing)."""
        kind, data = event.kind, event.data
        if kind.is_correctie:
            target = next((e for e in traject.events if e.id == event.text("gebeurtenis")), None)
            gegevens = data.get("gegevens")
            if target is None or not isinstance(gegevens, Mapping):
                return
            kind, data = target.kind, gegevens
        for name, spec in kind.fields.items():
            table = _ID_VELDEN.get(name)
            value = data.get(name)
            if spec.type is not FieldType.ID or table is None or value is None:
                continue
            fout = self.personen.check_verwijzing(kind.label, table, value)
            if fout is not None:
                raise RuleError(fout)
            koppeling = self.personen.rij(table, value) if table == c.KOPPELING else None
            if koppeling is not None and koppeling.aios_id != traject.aios_id:
                raise RuleError(f"{kind.label}: die koppeling is van een andere aios; kies een koppeling van de aios "
                                "van dit traject.")

    def _apply_correctie(self, traject: Traject, event: TrajectEvent, today: dt.date | None) -> Changes:
        """What an intrekking or correctie means for the koppelingen, through the PersonenService (a new
        opleider on the new koppeling meets the blokkade rule there)."""
        changes = c.NONE
        for wijziging in koppeling_wijzigingen(traject, event):
            if wijziging.actie is KoppelingActie.VERWIJDEREN:
                # The bevestiging is withdrawn: the koppeling it made no longer counts (archived, not deleted).
                changes = changes | self.personen.set_gearchiveerd(c.KOPPELING, [wijziging.koppeling_id], True,
                                                                    today=today)
                continue
            koppeling = self.personen.get_koppeling(wijziging.koppeling_id)
            if wijziging.actie is KoppelingActie.EINDDATUM:
                koppeling.einddatum = wijziging.datum
            elif wijziging.actie is KoppelingActie.STARTDATUM and wijziging.datum is not None:
                koppeling.startdatum = wijziging.datum
            elif wijziging.actie is KoppelingActie.OPLEIDER and wijziging.opleider_id is not None:
                koppeling.opleider_id = wijziging.opleider_id
            changes = changes | self.personen.save_koppeling(koppeling, today=today)
        return changes

    def _apply_to_koppelingen(
        self, traject: Traject, event: TrajectEvent, today: dt.date | None
    ) -> tuple[TrajectEvent, Changes]:
        """What an event means for the koppelingen in Personen, written through the PersonenService (whose
        rules hold here too); returns the event as it will be stored."""
        changes = c.NONE
        if event.kind is EventKind.KOPPELING_BEEINDIGD:
            # Utrecht 5.1: the formal ontkoppeling exists only after the plv. hoofd's decision.
            require_ontkoppeld(traject)
            oud = self.personen.get_koppeling(traject.koppeling_id)
            oud.einddatum = event.date
            changes = self.personen.save_koppeling(oud, today=today)
        elif event.kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD and not event.data.get("koppeling_id"):
            opleider_id = event.number("opleider_id")
            start = event.day("startdatum")
            assert opleider_id is not None and start is not None  # required fields, validated
            nieuw = Koppeling(traject.aios_id, opleider_id, start)
            changes = self.personen.save_koppeling(nieuw, today=today)
            event = replace(event, data={**event.data, "koppeling_id": nieuw.id})
        elif event.kind is EventKind.NIEUWE_KOPPELING_GESTART:
            bevestigd = [e for e in traject.effective_events if e.kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD]
            koppeling_id = event.number("koppeling_id") or (
                bevestigd[-1].number("koppeling_id") if bevestigd else None
            )
            if koppeling_id:
                nieuw = self.personen.get_koppeling(koppeling_id)
                nieuw.startdatum = event.date
                changes = self.personen.save_koppeling(nieuw, today=today)
                event = replace(event, data={**event.data, "koppeling_id": nieuw.id})
        return event, changes

    def add_agenda(self, datum: dt.date, omschrijving: str = "", soort: str = OPLEIDERSTERUGKOMDAG, *,
                   today: dt.date | None = None) -> Changes:
        fout = plausibel.probleem("De datum", datum, plausibel.AGENDA, today)
        if fout:
            raise ValidatieFout([fout])
        with self._tx.transaction():
            agenda_id = self.repo.add_agenda(soort, datum, omschrijving.strip())
            self._agenda = None
            # "De volgende opleidersterugkomdag" is a term of every open traject after an ontkoppeling.
            changes = self._rederive(self.repo.open_ids())
        return changes | Changes.of(c.AGENDA, agenda_id, created=agenda_id)

    def remove_agenda(self, agenda_id: int) -> Changes:
        with self._tx.transaction():
            self.repo.remove_agenda(agenda_id)
            self._agenda = None
            changes = self._rederive(self.repo.open_ids())
        return changes | Changes.of(c.AGENDA, agenda_id)

    def aios_changed(self, aios_id: int) -> Changes:
        """Called by the PersonenService inside every aios write: the facts may have changed."""
        self._facts.pop(aios_id, None)
        return self._rederive(self.repo.ids_for_aios(aios_id))

    # ---- derived rows --------------------------------------------------------------------------------

    def ensure_derived(self) -> Changes:
        """Rebuild every traject's derived rows when a procedure file or the derivation changed since they were
        written (or were never written: a store from before they existed)."""
        wanted = fingerprint(self.registry)
        if self.repo.derived_fingerprint() == wanted:
            return c.NONE
        with self._tx.transaction():
            self.repo.clear_derived()
            self._facts.clear()
            changes = self._rederive(None)
            self.repo.set_derived_fingerprint(wanted)
        return changes

    def _rederive(self, ids: Collection[int] | None) -> Changes:
        changes = c.NONE
        for traject in self.repo.load_all(ids):
            changes = changes | self._store_derived(traject)
        return changes

    def _store_derived(self, traject: Traject) -> Changes:
        """Rewrite one traject's summary and open steps; the change names a blokkade that came or went."""
        assert traject.id is not None
        try:
            definition = self.definition(traject)
        except Exception:  # noqa: BLE001 - an unknown procedure version must not stop the store
            start = min((e.date for e in traject.events), default=dt.date.min)
            overzicht = TrajectOverzicht(traject.id, None, traject.closed, start, None, "", False,
                                         f"De procedure {traject.procedure_id} {traject.procedure_version} van "
                                         "dit traject is niet bekend in deze versie van de app.")
            stappen: list[OpenStap] = []
        else:
            overzicht, stappen = afleiden(definition, traject, self.facts(traject.aios_id), self.agenda())
        before, _ = self.repo.derived(traject.id)
        self.repo.write_derived(overzicht, stappen)
        changes = Changes.of(c.TRAJECT, traject.id)
        if (before.blokkade_sinds if before else None) != overzicht.blokkade_sinds:
            # Personen, koppelingen and the board show whether the opleider may get a new aios.
            changes = changes | Changes.of(c.BLOKKADE, traject.opleider_id)
        return changes


__all__ = ["AL_EEN_TRAJECT", "HEROPENEN", "OPLEIDERSTERUGKOMDAG", "TrajectRepository", "TrajectService", "aios_facts"]
