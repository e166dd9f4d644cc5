"""The Verslagen list: every verslag with its traject's people, its state, and the term it serves.

A verslag serves one step of the procedure at a time, read from the definition: the gesprek's own step while
the gesprek is not recorded; then the step that sends its verslag (to the jaarassistent, or to the assistent
manager opleiders) until it is sent; then the step(s) that archive it. The term and whether it is late come from
the stored open steps (core.procedure.readmodel, table open_stap), compared with today when the list reads
them; a repeating step's occurrence is the one whose `oorsprong` is the verslag's gesprek. Nothing is derived
per traject here. Only the newest version of a verslag serves a term; an older one is history.

A list holds 20 000 of these rows (10× an institute), made each time it opens: they are named tuples, the store
gives the traject's people and procedure version once per traject (a verslag answers the questions of its
traject's version), and only the verslagen of a traject with an open step of their gesprek look for their term.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition, StepDefinition, VerslagBestemming
from ontkoppel_desktop.core.procedure.events import EventKind
from ontkoppel_desktop.core.procedure.readmodel import OpenStap
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier

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


# The flags of VerslagKop.staat, as the store computes them.
STAAT_DEFINITIEF = 1
STAAT_VERSTUURD = 2  # it has a date verstuurd
STAAT_GEARCHIVEERD = 4  # it has a date gearchiveerd, in at least one place


class VerslagKop(NamedTuple):
    """What the list needs of a verslag, read from the store without its answers: who wrote it, its state, its
    version, and the gesprek's date (which the store keeps beside the answers)."""

    id: int
    traject_id: int
    gesprek: str
    auteur: str
    staat: int  # the STAAT_ flags that hold (the dates themselves are read when they are shown)
    gebeurtenis_id: str | None
    versie: int
    vorige_id: int | None
    datum: dt.date | None  # of the gesprek, as answered
    begonnen: dt.date | None  # the day it was begun (UTC); read only for a verslag without a date

    @property
    def voltooid(self) -> bool:
        return self.gebeurtenis_id is not None

    @property
    def definitief(self) -> bool:
        return bool(self.staat & STAAT_DEFINITIEF)

    @property
    def verstuurd(self) -> bool:
        return bool(self.staat & STAAT_VERSTUURD)

    @property
    def fase(self) -> Fase:
        """As Verslag.fase()."""
        if not self.staat & STAAT_DEFINITIEF:
            return Fase.VASTGELEGD if self.voltooid else Fase.CONCEPT
        if self.staat & STAAT_GEARCHIVEERD:
            return Fase.GEARCHIVEERD
        if self.staat & STAAT_VERSTUURD:
            return Fase.VERSTUURD
        return Fase.DEFINITIEF


class LijstTraject(NamedTuple):
    """A traject as the list needs it: its procedure version, its people, and its open steps that a verslag can
    serve (due by today)."""

    traject_id: int
    procedure: tuple[str, str]
    aios_id: int
    opleider_id: int
    aios_naam: Naam
    opleider_naam: Naam
    open_stappen: tuple[OpenStap, ...]


@dataclass(frozen=True, slots=True)
class Termijn:
    """The step a verslag serves now, and its term as of today."""

    stap: str
    titel: str  # the step's short name
    termijn: dt.date | None  # the last day; None: the step has no term
    termijn_vanaf: dt.date | None  # the start of an "ongeveer" window
    uitleg: str  # the term in words, as the procedure writes it
    te_laat: bool


class Gespreksoort(NamedTuple):
    """What the rows of one gesprek of one procedure version share."""

    titel: str
    heeft_verslag: bool
    bestemmingen: frozenset[VerslagBestemming]
    definitie: ProcedureDefinition | None
    stappen: VerslagStappen | None


class VerslagRegel(NamedTuple):
    """A row of the Verslagen list."""

    kop: VerslagKop
    traject: LijstTraject
    soort: Gespreksoort  # what every verslag of its kind of gesprek shares: the title, where it goes
    nieuwer: int | None  # the version that replaces this one, if there is one
    termijn: Termijn | None
    te_laat: bool  # the term of the step it serves has passed
    # The list's order: late first, then by term, then the rest by the gesprek's date, the newest first.
    volgorde: tuple[bool, bool, int, int, int]

    @property
    def id(self) -> int:
        return self.kop.id

    @property
    def traject_id(self) -> int:
        return self.kop.traject_id

    @property
    def titel(self) -> str:
        """The gesprek, as the procedure names it."""
        return self.soort.titel

    @property
    def heeft_verslag(self) -> bool:
        """False for a gesprek the procedure records without a verslag."""
        return self.soort.heeft_verslag

    @property
    def bestemmingen(self) -> frozenset[VerslagBestemming]:
        """Where it is archived."""
        return self.soort.bestemmingen

    @property
    def aios_naam(self) -> Naam:
        return self.traject.aios_naam

    @property
    def opleider_naam(self) -> Naam:
        return self.traject.opleider_naam

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
    elif not kop.verstuurd:
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
    up once per procedure version and gesprek."""

    def __init__(self, definitie: Callable[[str, str], ProcedureDefinition],
                 formulieren: Callable[[ProcedureDefinition], Mapping[str, GesprekFormulier]]) -> None:
        self._definitie = definitie
        self._formulieren = formulieren
        self._defs: dict[tuple[str, str], ProcedureDefinition | None] = {}
        self._gesprekken: dict[tuple[tuple[str, str], str], Gespreksoort] = {}

    def definitie(self, procedure: tuple[str, str]) -> ProcedureDefinition | None:
        if procedure not in self._defs:
            try:
                self._defs[procedure] = self._definitie(*procedure)
            except LookupError:  # a version this installation does not have: the list shows the rest
                self._defs[procedure] = None
        return self._defs[procedure]

    def _alle_formulieren(self, definition: ProcedureDefinition) -> Mapping[str, GesprekFormulier]:
        try:
            return self._formulieren(definition)
        except Exception:  # noqa: BLE001 - a faulty question file: the list still shows the verslagen
            return {}

    def gesprek(self, procedure: tuple[str, str], gesprek: str) -> Gespreksoort:
        key = (procedure, gesprek)
        found = self._gesprekken.get(key)
        if found is None:
            definition = self.definitie(procedure)
            formulier = self._alle_formulieren(definition).get(gesprek) if definition is not None else None
            found = self._gesprekken[key] = Gespreksoort(
                formulier.titel if formulier is not None else gesprek.replace("_", " ").capitalize(),
                bool(formulier.delen) if formulier is not None else True,
                formulier.bestemmingen if formulier is not None else frozenset(),
                definition,
                verslag_stappen(definition, gesprek) if definition is not None else None,
            )
        return found

    def alle_stappen(self, definitions: Iterable[ProcedureDefinition]) -> frozenset[str]:
        """Every step a verslag of these procedure versions can serve: what the store reads of the open steps."""
        result: set[str] = set()
        for definition in definitions:
            self._defs.setdefault(definition.key, definition)
            for gesprek in self._alle_formulieren(definition):
                stappen = self.gesprek(definition.key, gesprek).stappen
                if stappen is not None:
                    result |= stappen.alle
        return frozenset(result)

    def _per_procedure(self, procedure: tuple[str, str]) -> tuple[dict[str, Gespreksoort], dict[str, frozenset[str]]]:
        """The gesprekken of a procedure version by id, and per step the gesprekken whose verslag serves it."""
        definition = self.definitie(procedure)
        gesprekken = {g: self.gesprek(procedure, g) for g in self._alle_formulieren(definition)} if definition else {}
        serves: dict[str, set[str]] = {}
        for gesprek_id, gesprek in gesprekken.items():
            for stap in gesprek.stappen.alle if gesprek.stappen is not None else ():
                serves.setdefault(stap, set()).add(gesprek_id)
        return gesprekken, {stap: frozenset(g) for stap, g in serves.items()}

    def regels(self, koppen: Sequence[VerslagKop], trajecten: Iterable[LijstTraject],
               today: dt.date) -> list[VerslagRegel]:
        """The rows, in the order of `koppen`; a verslag whose traject is not in `trajecten` is left out. Only the
        verslagen of a gesprek with an open step in their traject look for their term."""
        # A newer version names the one it replaces; versions of one verslag are always in one traject.
        nieuwer: dict[int, int] = {}
        for kop in [k for k in koppen if k.vorige_id is not None]:
            assert kop.vorige_id is not None
            nieuwer[kop.vorige_id] = max(nieuwer.get(kop.vorige_id, 0), kop.versie)
        procedures: dict[tuple[str, str], tuple[dict[str, Gespreksoort], dict[str, frozenset[str]]]] = {}
        per_traject: dict[int, tuple[LijstTraject, dict[str, Gespreksoort], frozenset[str]]] = {}
        for traject in trajecten:
            if traject.procedure not in procedures:
                procedures[traject.procedure] = self._per_procedure(traject.procedure)
            gesprekken, serves = procedures[traject.procedure]
            met_open_stap = frozenset().union(*(serves.get(s.stap, ()) for s in traject.open_stappen))
            per_traject[traject.traject_id] = (traject, gesprekken, met_open_stap)
        result: list[VerslagRegel] = []
        append = result.append
        regel = VerslagRegel
        for kop in koppen:  # 20 000 times: kept to lookups
            found = per_traject.get(kop[1])  # traject_id
            if found is None:
                continue
            traject, gesprekken, met_open_stap = found
            g = gesprekken.get(kop[2]) or self.gesprek(traject.procedure, kop[2])  # gesprek
            vervangen = nieuwer.get(kop[0]) if nieuwer else None
            if kop[2] in met_open_stap and vervangen is None and g.stappen is not None and g.definitie is not None:
                termijn = dient(kop, g.stappen, g.definitie, traject.open_stappen, today)
                if termijn is not None and termijn.termijn is not None:
                    late = termijn.te_laat
                    append(regel(kop, traject, g, vervangen, termijn, late,
                                 (not late, False, termijn.termijn.toordinal(), 0, -kop[0])))
                    continue
            else:
                termijn = None
            day = kop.datum or kop.begonnen
            append(regel(kop, traject, g, vervangen, termijn, False,
                         (True, True, 0, -day.toordinal() if day is not None else 0, -kop[0])))
        return result


__all__ = [
    "STAAT_DEFINITIEF",
    "STAAT_GEARCHIVEERD",
    "STAAT_VERSTUURD",
    "Fase",
    "Gespreksoort",
    "LijstTraject",
    "Overzicht",
    "Termijn",
    "VerslagKop",
    "VerslagRegel",
    "VerslagStappen",
    "dient",
    "verslag_stappen",
]
