"""The Verslagen list: every verslag with its traject's people, its state, and the term it serves.

A verslag serves one step of the procedure at a time, read from the definition: the gesprek's own step while
the gesprek is not recorded; then the step that sends its verslag (to the jaarassistent, or to the assistent
manager opleiders) until it is sent; then the step(s) that archive it. The term and whether it is late come from
the stored open steps (core.procedure.readmodel, table open_stap), compared with today when the list reads
them; a repeating step's occurrence is the one whose `oorsprong` is the verslag's gesprek. Nothing is derived
per traject here. Only the newest version of a verslag serves a term; an older one is history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition, StepDefinition, VerslagBestemming
from ontkoppel_desktop.core.procedure.events import EventKind
from ontkoppel_desktop.core.procedure.readmodel import OpenStap
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier
from ontkoppel_desktop.core.verslagen.verslag import Status

VERSTUREN = frozenset({EventKind.VERSLAG_NAAR_JAARASSISTENT, EventKind.VERSLAG_NAAR_ASSISTENT_MANAGER_OPLEIDERS})


class Fase(Enum):
    """A verslag's state, as the list filters on it; the labels are Verslag.fase()'s."""

    CONCEPT = "Concept"
    VASTGELEGD = "Concept (gesprek vastgelegd)"
    DEFINITIEF = "Definitief"
    VERSTUURD = "Verstuurd"
    GEARCHIVEERD = "Gearchiveerd"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class VerslagKop:
    """A verslag as the list reads it from the store: everything but its answers (and the gesprek's date, which
    the store keeps beside them), with its traject's people."""

    id: int
    traject_id: int
    gesprek: str
    procedure: tuple[str, str]
    auteur: str
    status: Status
    gebeurtenis_id: str | None
    versie: int
    vorige_id: int | None
    aangemaakt: dt.datetime
    datum: dt.date | None  # of the gesprek, as answered
    verstuurd_op: dt.date | None
    gearchiveerd_op: Mapping[VerslagBestemming, dt.date]
    aios_id: int
    opleider_id: int
    aios_naam: Naam
    opleider_naam: Naam

    @property
    def voltooid(self) -> bool:
        return self.gebeurtenis_id is not None

    @property
    def fase(self) -> Fase:
        """As Verslag.fase()."""
        if self.status is not Status.DEFINITIEF:
            return Fase.VASTGELEGD if self.voltooid else Fase.CONCEPT
        if self.gearchiveerd_op:
            return Fase.GEARCHIVEERD
        if self.verstuurd_op is not None:
            return Fase.VERSTUURD
        return Fase.DEFINITIEF


@dataclass(frozen=True, slots=True)
class Termijn:
    """The step a verslag serves now, and its term as of today."""

    stap: str
    titel: str  # the step's short name
    termijn: dt.date | None  # the last day; None: the step has no term
    termijn_vanaf: dt.date | None  # the start of an "ongeveer" window
    uitleg: str  # the term in words, as the procedure writes it
    te_laat: bool


@dataclass(frozen=True, slots=True)
class VerslagRegel:
    """A row of the Verslagen list."""

    kop: VerslagKop
    titel: str  # the gesprek, as the procedure names it
    heeft_verslag: bool  # False for a gesprek the procedure records without a verslag
    nieuwer: int | None  # the version that replaces this one, if there is one
    termijn: Termijn | None
    bestemmingen: frozenset[VerslagBestemming] = frozenset()  # where it is archived

    @property
    def id(self) -> int:
        return self.kop.id

    @property
    def traject_id(self) -> int:
        return self.kop.traject_id

    @property
    def fase(self) -> Fase:
        return self.kop.fase

    @property
    def status(self) -> str:
        if self.nieuwer is not None:
            return "Vervangen"
        if not self.heeft_verslag:
            return "Vastgelegd" if self.kop.voltooid else "Concept"
        return self.kop.fase.label

    @property
    def te_laat(self) -> bool:
        return self.termijn is not None and self.termijn.te_laat

    @property
    def gearchiveerd(self) -> bool:  # read by the list model: an older version is shown greyed
        return self.nieuwer is not None


@dataclass(frozen=True, slots=True)
class VerslagStappen:
    """The steps a gesprek's verslag serves, in the order it serves them."""

    gesprek: tuple[str, ...]  # the gesprek's own step (none if the procedure has no step of that id)
    versturen: tuple[str, ...]
    archiveren: tuple[str, ...]
    herhalend: frozenset[str] = field(default_factory=frozenset)  # of these, the steps that repeat

    @property
    def alle(self) -> frozenset[str]:
        return frozenset(self.gesprek + self.versturen + self.archiveren)


def _voor(step: StepDefinition, gesprek: str) -> bool:
    """The step is done by an event about this gesprek's verslag (its data names the gesprek)."""
    return any(name == "gesprek" and gesprek in values for name, values in step.done_by.data)


def verslag_stappen(definition: ProcedureDefinition, gesprek: str) -> VerslagStappen:
    steps = definition.steps
    eigen = tuple(s.id for s in steps if s.id == gesprek)
    versturen = tuple(s.id for s in steps if s.done_by.kind in VERSTUREN and _voor(s, gesprek))
    archiveren = tuple(s.id for s in steps
                       if s.done_by.kind is EventKind.VERSLAG_GEARCHIVEERD and _voor(s, gesprek))
    ids = set(eigen + versturen + archiveren)
    return VerslagStappen(eigen, versturen, archiveren, frozenset(s.id for s in steps if s.repeats and s.id in ids))


def dient(kop: VerslagKop, stappen: VerslagStappen, definition: ProcedureDefinition,
          open_stappen: Sequence[OpenStap], today: dt.date) -> Termijn | None:
    """The step this verslag serves today and its term: the first of its steps, in the order above, that is
    open in its traject. None when none is (all done, or not yet due)."""
    if not kop.voltooid:
        fases: list[tuple[str, ...]] = [stappen.gesprek]
    elif kop.verstuurd_op is None:
        fases = [stappen.versturen, stappen.archiveren]
    else:
        fases = [stappen.archiveren]
    for ids in fases:
        rows = [
            r for r in open_stappen
            if r.traject_id == kop.traject_id and r.stap in ids and r.visible(today)
            and (r.stap not in stappen.herhalend or not kop.voltooid or r.oorsprong == kop.gebeurtenis_id)
        ]
        if rows:
            first = min(rows, key=lambda r: (r.termijn is None, r.termijn or today, r.volgorde))
            step = definition.step(first.stap)
            return Termijn(
                first.stap, step.short or step.title, first.termijn, first.termijn_vanaf,
                step.term.text if step.term is not None else "geen termijn",
                first.termijn is not None and today > first.termijn,
            )
    return None


class Overzicht:
    """Builds the rows of the list from what the store read; the definitions and questions it needs are looked
    up once per procedure version."""

    def __init__(self, definitie: Callable[[str, str], ProcedureDefinition],
                 formulieren: Callable[[ProcedureDefinition], Mapping[str, GesprekFormulier]]) -> None:
        self._definitie = definitie
        self._formulieren = formulieren
        self._stappen: dict[tuple[tuple[str, str], str], VerslagStappen | None] = {}
        self._defs: dict[tuple[str, str], ProcedureDefinition | None] = {}

    def definitie(self, procedure: tuple[str, str]) -> ProcedureDefinition | None:
        if procedure not in self._defs:
            try:
                self._defs[procedure] = self._definitie(*procedure)
            except LookupError:  # a version this installation does not have: the list shows the rest
                self._defs[procedure] = None
        return self._defs[procedure]

    def stappen(self, procedure: tuple[str, str], gesprek: str) -> VerslagStappen | None:
        key = (procedure, gesprek)
        if key not in self._stappen:
            definition = self.definitie(procedure)
            self._stappen[key] = verslag_stappen(definition, gesprek) if definition is not None else None
        return self._stappen[key]

    def alle_stappen(self, koppen: Iterable[VerslagKop]) -> frozenset[str]:
        """Every step any of these verslagen can serve: what the store reads of the open steps."""
        result: set[str] = set()
        for kop in koppen:
            stappen = self.stappen(kop.procedure, kop.gesprek)
            if stappen is not None:
                result |= stappen.alle
        return frozenset(result)

    def formulier(self, procedure: tuple[str, str], gesprek: str) -> GesprekFormulier | None:
        definition = self.definitie(procedure)
        if definition is None:
            return None
        try:
            return self._formulieren(definition).get(gesprek)
        except Exception:  # noqa: BLE001 - a faulty question file: the list still shows the verslag
            return None

    def regels(self, koppen: Sequence[VerslagKop], open_stappen: Sequence[OpenStap],
               today: dt.date) -> list[VerslagRegel]:
        per_traject: dict[int, list[OpenStap]] = {}
        for row in open_stappen:
            per_traject.setdefault(row.traject_id, []).append(row)
        # A newer version names the one it replaces; versions of one verslag are always in one traject.
        nieuwer: dict[int, int] = {}
        for kop in koppen:
            if kop.vorige_id is not None:
                nieuwer[kop.vorige_id] = max(nieuwer.get(kop.vorige_id, 0), kop.versie)
        result = []
        for kop in koppen:
            formulier = self.formulier(kop.procedure, kop.gesprek)
            definition = self.definitie(kop.procedure)
            stappen = self.stappen(kop.procedure, kop.gesprek)
            vervangen = nieuwer.get(kop.id)
            termijn = (dient(kop, stappen, definition, per_traject.get(kop.traject_id, ()), today)
                       if vervangen is None and stappen is not None and definition is not None else None)
            result.append(VerslagRegel(
                kop,
                formulier.titel if formulier is not None else kop.gesprek.replace("_", " ").capitalize(),
                bool(formulier.delen) if formulier is not None else True,
                vervangen,
                termijn,
                formulier.bestemmingen if formulier is not None else frozenset(),
            ))
        return result


__all__ = [
    "Fase",
    "Overzicht",
    "Termijn",
    "VerslagKop",
    "VerslagRegel",
    "VerslagStappen",
    "dient",
    "verslag_stappen",
]
