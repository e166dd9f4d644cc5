"""The procedure as data: steps, triggers, terms and rules, as read from a versioned definition file.

Objects here are built by `loader.py` and are immutable. Nothing of a particular procedure lives in this
module: titles, roles, terms and where verslagen go all come from the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from ontkoppel_desktop.core.procedure.events import EventKind, TrajectEvent
from ontkoppel_desktop.core.rollen import Rol

Scalar = str | int | bool


class VerslagBestemming(StrEnum):
    """Where the verslag of a step goes (Utrecht section 4 and 5: e-portfolio of the aios, dossier of the
    opleider)."""

    E_PORTFOLIO = "e_portfolio"
    DOSSIER_OPLEIDER = "dossier_opleider"
    BEIDE = "beide"
    GEEN = "geen"

    @property
    def label(self) -> str:
        return {
            VerslagBestemming.E_PORTFOLIO: "e-portfolio aios",
            VerslagBestemming.DOSSIER_OPLEIDER: "dossier opleider",
            VerslagBestemming.BEIDE: "e-portfolio aios en dossier opleider",
            VerslagBestemming.GEEN: "geen verslag",
        }[self]


@dataclass(frozen=True, slots=True)
class EventMatcher:
    """An event kind with optional required data values (`data`: field -> allowed values)."""

    kind: EventKind
    data: tuple[tuple[str, tuple[Scalar, ...]], ...] = ()  # field -> allowed values, in file order

    def matches(self, event: TrajectEvent) -> bool:
        if event.kind is not self.kind:
            return False
        for key, allowed in self.data:
            value = event.data.get(key)
            if isinstance(value, (list, dict)) or value is None or value not in allowed:
                return False
        return True

    def first(self, events: Iterable[TrajectEvent]) -> TrajectEvent | None:
        """The earliest matching event by date (the first recorded one on a tie)."""
        best: TrajectEvent | None = None
        for event in events:
            if self.matches(event) and (best is None or event.date < best.date):
                best = event
        return best


class TriggerKind(StrEnum):
    START = "start"  # the start of the traject (its first event)
    EVENT = "event"  # an event of a kind (with data)
    MOMENT = "moment"  # a named moment from the file ([moment.*]), i.e. an event matcher with a name
    STEP = "step"  # another step is done (or deviated from)
    RULE = "rule"  # a generic rule from [rules.*]: "wachttijd" or "voortgang"


RULE_NAMES: tuple[str, ...] = ("wachttijd", "voortgang")


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: TriggerKind
    name: str = ""  # event kind, moment name, step id or rule name
    matcher: EventMatcher | None = None  # for EVENT and MOMENT


class AnchorKind(StrEnum):
    TRIGGER = "trigger"  # the day the step (this occurrence of it) was triggered
    STEP = "step"  # the day another step was done
    EVENT = "event"  # the day of an event (or a date field in its data)
    MOMENT = "moment"  # the day of a named moment


AGENDA_NAMES: tuple[str, ...] = ("opleidersterugkomdagen",)


@dataclass(frozen=True, slots=True)
class TermPart:
    """One term: an anchor day plus (or, with `before`, minus) an offset; or the next agenda day after the
    anchor."""

    anchor: AnchorKind
    name: str = ""
    matcher: EventMatcher | None = None
    before: bool = False
    days: int = 0
    months: int = 0
    field: str | None = None
    occurrence: Literal["first", "last"] = "first"
    next_in: str | None = None


def amount_text(days: int, months: int) -> str:
    """'5 dagen', '3 weken', '1 maand', '1 maand en 3 dagen': an offset as the procedure writes it."""
    parts = []
    if months:
        parts.append(f"{months} maand" + ("en" if months != 1 else ""))
    if days and days % 7 == 0 and not months:
        weeks = days // 7
        parts.append(f"{weeks} we" + ("ken" if weeks != 1 else "ek"))
    elif days:
        parts.append(f"{days} dag" + ("en" if days != 1 else ""))
    return " en ".join(parts) or "0 dagen"


@dataclass(frozen=True, slots=True)
class Window:
    """Where the procedure says "ongeveer" or "circa", the days (from the term's anchor) in which the step is on
    time: from `from_*` up to and including `until_*`. The file's beleidsmedewerker chooses them."""

    from_days: int = 0
    from_months: int = 0
    until_days: int = 0
    until_months: int = 0

    @property
    def label(self) -> str:
        """'tussen 5 en 10 dagen', 'tussen 3 en 5 weken', 'tussen 7 en 9 weken', 'tussen 1 en 2 maanden'."""
        a, b = (self.from_days, self.from_months), (self.until_days, self.until_months)
        if not a[1] and not b[1]:
            if a[0] % 7 == 0 and b[0] % 7 == 0:
                return f"tussen {a[0] // 7} en {b[0] // 7} weken"
            return f"tussen {a[0]} en {b[0]} dagen"
        if not a[0] and not b[0]:
            return f"tussen {a[1]} en {b[1]} maanden"
        return f"tussen {amount_text(*a)} en {amount_text(*b)}"


@dataclass(frozen=True, slots=True)
class Term:
    """A term; with more than one part it is "the earliest of" them (Utrecht 5.3.1: within 2 weeks AND before
    the start in the new practice). Parts whose anchor has not happened yet are left out until it does.

    An approximate term ("ongeveer", "circa") may have a `window` instead of one due day: the step is late only
    after the window's last day."""

    parts: tuple[TermPart, ...]
    label: str
    approx: bool = False
    window: Window | None = None

    @property
    def text(self) -> str:
        """The term in words, with its window: 'ongeveer een week na het driehoeksgesprek (tussen 5 en 10
        dagen)'."""
        return f"{self.label} ({self.window.label})" if self.window is not None else self.label


@dataclass(frozen=True, slots=True)
class PhaseDefinition:
    """A phase of the procedure (Utrecht 5: vóór, tijdens en na de ontkoppeling); it starts at `starts`
    (any of these triggers; empty = at the start of the traject)."""

    number: int
    title: str
    section: str
    starts: tuple[Trigger, ...] = ()


@dataclass(frozen=True, slots=True)
class Lezer:
    """Who may read the sealed verslag of a gesprek (issue 16): a role, scoped as the role is (a jaarassistent of
    the aios's year, the docenten of the aios's groep, an institute-wide role), optionally only once the traject
    reached a moment (`bij`: the manager opleiding reads a driehoeksgesprek that ends in an advies tot
    ontkoppeling)."""

    rol: Rol
    bij: str | None = None


@dataclass(frozen=True, slots=True)
class StepDefinition:
    id: str
    phase: int
    section: str
    title: str
    roles: tuple[Rol, ...]
    triggers: tuple[Trigger, ...]  # any of these
    done_by: EventMatcher
    verslag: VerslagBestemming
    # Who receives the verslag of this gesprek (the jaarassistent for most; Utrecht 5.3.2: the assistent manager
    # opleiders for the manager opleiders' contact).
    ontvanger: Rol | None = None
    # Who reads the sealed verslag, besides its author, the docenten of the groep and the institute's recovery key
    # (always readers). Without `lezers` in the file: the ontvanger.
    lezers: tuple[Lezer, ...] = ()
    term: Term | None = None
    short: str = ""  # a short name for lists, calendars and the history (the title if the file gives none)
    repeats: bool = False
    collect: tuple[str, frozenset[str]] | None = None  # done once these values are all seen in this field
    note: str = ""
    order: int = 0  # position in the file: the order of the stappenplan


@dataclass(frozen=True, slots=True)
class WachttijdRule:
    """Utrecht 5.2.2: a wachttijd of more than `max_days` needs a decision on invulling and opleidingstijd."""

    max_days: int


@dataclass(frozen=True, slots=True)
class VoortgangRule:
    """Utrecht 5.2.3: for an aios in `opleidingsjaar`, an ontkoppeling after month `after_month` and before
    month `before_month` needs a decision on uitstel/verlenging; after `verlenging_default_after_month`
    verlenging is the default."""

    opleidingsjaar: int
    after_month: int
    before_month: int
    verlenging_default_after_month: int
    at_moment: str


@dataclass(frozen=True, slots=True)
class BlokkadeRule:
    """Utrecht 5.2.1: from `from_moment` until step `until_step` is done, the opleider gets no new aios."""

    from_moment: str
    until_step: str


@dataclass(frozen=True, slots=True)
class ProcedureDefinition:
    id: str
    version: str
    title: str
    institute: str
    source: str
    file: str
    steps: tuple[StepDefinition, ...]
    phases: tuple[PhaseDefinition, ...] = ()
    moments: Mapping[str, EventMatcher] = field(default_factory=dict)
    # How a moment reads in a sentence ("het formele besluit tot ontkoppeling"), where the file gives one.
    moment_labels: Mapping[str, str] = field(default_factory=dict)
    wachttijd: WachttijdRule | None = None
    voortgang: VoortgangRule | None = None
    blokkade: BlokkadeRule | None = None
    valid_from: dt.date | None = None
    # Step indexes in an order where every step comes after the steps its trigger and term depend on.
    eval_order: tuple[int, ...] = ()
    _by_id: Mapping[str, StepDefinition] = field(default_factory=dict, repr=False, compare=False)
    # The engine's per-definition cache (what each step listens to; shared statuses of untouched steps).
    _engine_cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def step(self, step_id: str) -> StepDefinition:
        return self._by_id[step_id]

    def has_step(self, step_id: str) -> bool:
        return step_id in self._by_id

    def phase(self, number: int) -> PhaseDefinition:
        return next(p for p in self.phases if p.number == number)

    def steps_in_phase(self, phase: int) -> tuple[StepDefinition, ...]:
        return tuple(s for s in self.steps if s.phase == phase)

    def steps_for_role(self, rol: Rol) -> tuple[StepDefinition, ...]:
        """The per-role stappenplan of this procedure version."""
        return tuple(s for s in self.steps if rol in s.roles)

    def steps_completed_by(self, kind: EventKind) -> tuple[StepDefinition, ...]:
        return tuple(s for s in self.steps if s.done_by.kind is kind)

    def moment_label(self, name: str) -> str:
        """The moment in a sentence: its label from the file, else the quoted label of its event kind."""
        return self.moment_labels.get(name) or f"'{self.moments[name].kind.label}'"
