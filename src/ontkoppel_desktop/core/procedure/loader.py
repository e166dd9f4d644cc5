"""Reading and checking procedure definition files, and the registry of all versions the app knows.

A definition with an error is refused at load with a DefinitionError whose Dutch message names the file, the
step and the fault: an unknown role, a reference to a step/event/moment that does not exist, a cycle, a
duplicate id, a missing or unknown field. Old trajecten keep the version they started with: the registry looks
definitions up by (id, version) and never replaces one.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from ontkoppel_desktop.core.procedure.definition import (
    AGENDA_NAMES,
    RULE_NAMES,
    AnchorKind,
    BlokkadeRule,
    EventMatcher,
    Lezer,
    PhaseDefinition,
    ProcedureDefinition,
    Scalar,
    StepDefinition,
    Term,
    TermPart,
    Trigger,
    TriggerKind,
    VerslagBestemming,
    VoortgangRule,
    WachttijdRule,
    Window,
    amount_text,
)
from ontkoppel_desktop.core.procedure.errors import DefinitionError, UnknownProcedureError
from ontkoppel_desktop.core.procedure.events import SCHEMAS, EventKind, FieldType
from ontkoppel_desktop.core.rollen import Rol

_TOP_KEYS = {"procedure", "moment", "rules", "phase", "step"}
_PHASE_KEYS = {"number", "title", "section", "starts"}
_PROCEDURE_KEYS = {"id", "version", "title", "institute", "source", "valid_from"}
_STEP_REQUIRED = ("id", "phase", "section", "title", "roles", "trigger", "done_by", "verslag")
_STEP_KEYS = set(_STEP_REQUIRED) | {"term", "repeats", "note", "short", "ontvanger", "lezers"}
_ANCHOR_KEYS: dict[str, tuple[AnchorKind, bool]] = {
    "after_trigger": (AnchorKind.TRIGGER, False),
    "after_step": (AnchorKind.STEP, False),
    "after_event": (AnchorKind.EVENT, False),
    "after_moment": (AnchorKind.MOMENT, False),
    "before_step": (AnchorKind.STEP, True),
    "before_event": (AnchorKind.EVENT, True),
    "before_moment": (AnchorKind.MOMENT, True),
}
_PART_KEYS = set(_ANCHOR_KEYS) | {"days", "weeks", "months", "field", "occurrence", "next_in"}
_TERM_KEYS = _PART_KEYS | {"label", "approx", "earliest", "window"}
_WINDOW_KEYS = {f"{end}_{unit}" for end in ("from", "until") for unit in ("days", "weeks", "months")}
_RULE_KEYS: dict[str, set[str]] = {
    "wachttijd": {"max_days"},
    "voortgang": {
        "opleidingsjaar",
        "after_month",
        "before_month",
        "verlenging_default_after_month",
        "at_moment",
    },
    "blokkade": {"from_moment", "until_step"},
}


class _Reader:
    """Parses one file; every fault goes through `fail` so the message always names file and step."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.step_ids: set[str] = set()
        self.phase_numbers: set[int] = set()
        # References that can only be checked once all steps are read: (step or None, what, step id).
        self.step_refs: list[tuple[str | None, str, str]] = []

    def fail(self, step: str | None, fault: str) -> DefinitionError:
        return DefinitionError(self.file, step, fault)

    # -- small typed getters -------------------------------------------------------------------------

    def table(self, raw: object, step: str | None, what: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(step, f"{what} moet een tabel zijn")
        return raw

    def keys(self, raw: Mapping[str, Any], allowed: set[str], step: str | None, what: str) -> None:
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise self.fail(step, f"onbekend veld '{unknown[0]}' in {what}")

    def text(
        self, raw: Mapping[str, Any], key: str, step: str | None, what: str, *, required: bool = True
    ) -> str:
        value = raw.get(key)
        if value is None:
            if required:
                raise self.fail(step, f"verplicht veld '{key}' ontbreekt in {what}")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(step, f"veld '{key}' in {what} moet een (niet-lege) tekst zijn")
        return value.strip()

    def integer(
        self, raw: Mapping[str, Any], key: str, step: str | None, what: str, *, default: int | None = None
    ) -> int:
        value = raw.get(key, default)
        if value is None:
            raise self.fail(step, f"verplicht veld '{key}' ontbreekt in {what}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(step, f"veld '{key}' in {what} moet een geheel getal van 0 of meer zijn")
        return value

    def boolean(self, raw: Mapping[str, Any], key: str, step: str | None, what: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(step, f"veld '{key}' in {what} moet true of false zijn")
        return value

    def event_kind(self, value: object, step: str | None, what: str) -> EventKind:
        try:
            return EventKind(str(value))
        except ValueError:
            raise self.fail(step, f"{what} verwijst naar onbekende gebeurtenis '{value}'") from None

    # -- parts -----------------------------------------------------------------------------------------

    def matcher(
        self, raw: Mapping[str, Any], step: str | None, what: str, *, allow: set[str]
    ) -> EventMatcher:
        self.keys(raw, {"event", "data"} | allow, step, what)
        if "event" not in raw:
            raise self.fail(step, f"verplicht veld 'event' ontbreekt in {what}")
        kind = self.event_kind(raw["event"], step, what)
        data_raw = self.table(raw.get("data", {}), step, f"'data' van {what}")
        schema = SCHEMAS[kind]
        data: list[tuple[str, tuple[Scalar, ...]]] = []
        for key, value in data_raw.items():
            spec = schema.get(key)
            if spec is None:
                raise self.fail(step, f"{what}: gebeurtenis '{kind}' heeft geen gegeven '{key}'")
            values = value if isinstance(value, list) else [value]
            for item in values:
                ok = {
                    FieldType.BOOL: isinstance(item, bool),
                    FieldType.CHOICE: item in spec.choices,
                    FieldType.STEP: isinstance(item, str),
                    FieldType.TEXT: isinstance(item, str),
                    FieldType.ID: isinstance(item, int) and not isinstance(item, bool),
                    FieldType.INT: isinstance(item, int) and not isinstance(item, bool),
                }.get(spec.type, False)
                if not ok:
                    raise self.fail(step, f"{what}: ongeldige waarde {item!r} voor '{key}' van '{kind}'")
                if spec.type is FieldType.STEP:
                    self.step_refs.append((step, f"{what} ('{key}')", item))
            data.append((key, tuple(values)))
        return EventMatcher(kind, tuple(data))

    def trigger(
        self, raw: object, step: str | None, moments: Mapping[str, EventMatcher]
    ) -> tuple[Trigger, ...]:
        items = raw if isinstance(raw, list) else [raw]
        if not items:
            raise self.fail(step, "'trigger' is leeg")
        triggers: list[Trigger] = []
        for item in items:
            table = self.table(item, step, "'trigger'")
            kinds = [k for k in ("start", "event", "moment", "step", "rule") if k in table]
            if len(kinds) != 1:
                raise self.fail(
                    step, "'trigger' moet precies één van start, event, moment, step of rule hebben"
                )
            kind = kinds[0]
            if kind == "start":
                self.keys(table, {"start"}, step, "'trigger'")
                if table["start"] is not True:
                    raise self.fail(step, "'trigger': start moet true zijn")
                triggers.append(Trigger(TriggerKind.START))
            elif kind == "event":
                matcher = self.matcher(table, step, "'trigger'", allow=set())
                triggers.append(Trigger(TriggerKind.EVENT, matcher.kind.value, matcher))
            elif kind == "moment":
                self.keys(table, {"moment"}, step, "'trigger'")
                name = str(table["moment"])
                if name not in moments:
                    raise self.fail(step, f"'trigger' verwijst naar onbekend moment '{name}'")
                triggers.append(Trigger(TriggerKind.MOMENT, name, moments[name]))
            elif kind == "step":
                self.keys(table, {"step"}, step, "'trigger'")
                name = str(table["step"])
                self.step_refs.append((step, "'trigger'", name))
                triggers.append(Trigger(TriggerKind.STEP, name))
            else:
                self.keys(table, {"rule"}, step, "'trigger'")
                name = str(table["rule"])
                if name not in RULE_NAMES:
                    raise self.fail(step, f"'trigger' verwijst naar onbekende regel '{name}'")
                triggers.append(Trigger(TriggerKind.RULE, name))
        return tuple(triggers)

    def term_part(self, raw: Mapping[str, Any], step: str, moments: Mapping[str, EventMatcher]) -> TermPart:
        self.keys(raw, _PART_KEYS, step, "'term'")
        anchors = [k for k in _ANCHOR_KEYS if k in raw]
        if len(anchors) != 1:
            raise self.fail(
                step,
                "'term' moet precies één ankerpunt hebben (after_trigger, after_step, "
                "after_event, after_moment, before_step, before_event of before_moment)",
            )
        key = anchors[0]
        anchor, before = _ANCHOR_KEYS[key]
        value = raw[key]
        name = ""
        matcher: EventMatcher | None = None
        if anchor is AnchorKind.TRIGGER:
            if value is not True:
                raise self.fail(step, "'term': after_trigger moet true zijn")
        elif anchor is AnchorKind.STEP:
            name = str(value)
            self.step_refs.append((step, "'term'", name))
        elif anchor is AnchorKind.EVENT:
            kind = self.event_kind(value, step, "'term'")
            name = kind.value
            matcher = EventMatcher(kind)
        else:
            name = str(value)
            if name not in moments:
                raise self.fail(step, f"'term' verwijst naar onbekend moment '{name}'")
            matcher = moments[name]
        field_name = raw.get("field")
        if field_name is not None:
            if matcher is None:
                raise self.fail(step, "'term': 'field' kan alleen bij een gebeurtenis of moment")
            spec = SCHEMAS[matcher.kind].get(str(field_name))
            if spec is None or spec.type is not FieldType.DATE:
                raise self.fail(
                    step, f"'term': gebeurtenis '{matcher.kind}' heeft geen datumveld '{field_name}'"
                )
        occurrence = raw.get("occurrence", "first")
        if occurrence not in ("first", "last"):
            raise self.fail(step, '\'term\': occurrence moet "first" of "last" zijn')
        next_in = raw.get("next_in")
        if next_in is not None and (next_in not in AGENDA_NAMES or before):
            raise self.fail(step, f"'term': onbekende of ongeldige agenda '{next_in}' in next_in")
        days = self.integer(raw, "days", step, "'term'", default=0)
        weeks = self.integer(raw, "weeks", step, "'term'", default=0)
        months = self.integer(raw, "months", step, "'term'", default=0)
        occ: Literal["first", "last"] = "last" if occurrence == "last" else "first"
        return TermPart(
            anchor=anchor,
            name=name,
            matcher=matcher,
            before=before,
            days=days + 7 * weeks,
            months=months,
            field=str(field_name) if field_name is not None else None,
            occurrence=occ,
            next_in=str(next_in) if next_in is not None else None,
        )

    def term(self, raw: object, step: str, moments: Mapping[str, EventMatcher]) -> Term:
        table = self.table(raw, step, "'term'")
        self.keys(table, _TERM_KEYS, step, "'term'")
        if "earliest" in table and "window" in table:
            raise self.fail(step, "'window' kan niet samen met 'earliest'")
        if "earliest" in table:
            if set(table) - {"earliest", "label", "approx"}:
                raise self.fail(
                    step, "'term' met 'earliest' mag alleen 'label' en 'approx' naast zich hebben"
                )
            items = table["earliest"]
            if not isinstance(items, list) or len(items) < 2:
                raise self.fail(step, "'term': 'earliest' moet een lijst van minstens twee termijnen zijn")
            parts = tuple(self.term_part(self.table(i, step, "'term'"), step, moments) for i in items)
        else:
            parts = (
                self.term_part(
                    {k: v for k, v in table.items() if k not in ("label", "approx", "window")}, step, moments
                ),
            )
        approx = self.boolean(table, "approx", step, "'term'")
        label = self.text(table, "label", step, "'term'", required=False) or _term_label(parts, approx)
        window = self.window(table["window"], step, parts[0], approx) if "window" in table else None
        return Term(parts=parts, label=label, approx=approx, window=window)

    def window(self, raw: object, step: str, part: TermPart, approx: bool) -> Window:
        """A window for "ongeveer"/"circa": from_* and until_* (days, weeks, months) after the term's anchor."""
        table = self.table(raw, step, "'window'")
        self.keys(table, _WINDOW_KEYS, step, "'window'")
        if not approx:
            raise self.fail(step, "'window' hoort bij een termijn met approx = true (ongeveer, circa)")
        if not any(k.startswith("from_") for k in table) or not any(k.startswith("until_") for k in table):
            raise self.fail(step, "'window' moet een begin (from_*) en een einde (until_*) hebben")
        if part.before or part.next_in is not None:
            raise self.fail(step, "'window' kan alleen bij een termijn een aantal dagen, weken of maanden ná iets")

        def offset(end: str) -> tuple[int, int]:
            days = self.integer(table, f"{end}_days", step, "'window'", default=0)
            weeks = self.integer(table, f"{end}_weeks", step, "'window'", default=0)
            return days + 7 * weeks, self.integer(table, f"{end}_months", step, "'window'", default=0)

        start, end, term = offset("from"), offset("until"), (part.days, part.months)
        window = Window(from_days=start[0], from_months=start[1], until_days=end[0], until_months=end[1])

        # A calendar month has 28 to 31 days: compare the shortest and the longest each offset can be.
        def shortest(o: tuple[int, int]) -> int:
            return o[0] + 28 * o[1]

        def longest(o: tuple[int, int]) -> int:
            return o[0] + 31 * o[1]

        if longest(start) >= shortest(end):
            raise self.fail(
                step, f"'window': het begin ({amount_text(*start)}) moet vóór het einde ({amount_text(*end)}) liggen"
            )
        if longest(start) > shortest(term) or longest(term) > shortest(end):
            raise self.fail(
                step, f"'window' ({window.label}) moet de termijn zelf ({amount_text(*term)}) bevatten"
            )
        return window

    def lezers(self, table: Mapping[str, Any], step_id: str, verslag: VerslagBestemming, ontvanger: Rol | None,
               moments: Mapping[str, EventMatcher]) -> tuple[Lezer, ...]:
        """`lezers = ["jaarassistent", { rol = "manager_opleiding", bij = "advies_ontkoppeling" }]`: who reads the
        sealed verslag; the ontvanger when not given."""
        if "lezers" not in table:
            return (Lezer(ontvanger),) if ontvanger is not None else ()
        if verslag is VerslagBestemming.GEEN or ontvanger is None:
            raise self.fail(step_id, "'lezers' hoort bij een gesprek met een verslag en een 'ontvanger'")
        raw = table["lezers"]
        if not isinstance(raw, list) or not raw:
            raise self.fail(step_id, "'lezers' is een lijst van rollen")
        lezers = []
        for item in raw:
            rol_raw, bij = (item, None) if isinstance(item, str) else (
                (item.get("rol"), item.get("bij")) if isinstance(item, dict) else (None, None))
            if isinstance(item, dict) and set(item) - {"rol", "bij"}:
                raise self.fail(step_id, f"'lezers': onbekende sleutel(s) {sorted(set(item) - {'rol', 'bij'})}")
            try:
                rol = Rol(str(rol_raw))
            except ValueError:
                raise self.fail(step_id, f"'lezers': onbekende rol {rol_raw!r}") from None
            if rol in (Rol.AIOS, Rol.OPLEIDER):
                raise self.fail(step_id, f"'lezers': {rol.label.lower()} heeft geen account bij het instituut")
            if bij is not None and bij not in moments:
                raise self.fail(step_id, f"'lezers': onbekend moment {bij!r} (niet in [moment.*])")
            lezers.append(Lezer(rol, bij))
        if not any(lezer.rol is ontvanger and lezer.bij is None for lezer in lezers):
            raise self.fail(step_id, f"'lezers' moet de ontvanger ({ontvanger.value}) bevatten")
        return tuple(lezers)

    def step(self, raw: object, index: int, moments: Mapping[str, EventMatcher]) -> StepDefinition:
        table = self.table(raw, None, f"stap nummer {index + 1}")
        step_id = table.get("id")
        if not isinstance(step_id, str) or not step_id.strip():
            raise self.fail(None, f"stap nummer {index + 1} heeft geen 'id'")
        step_id = step_id.strip()
        if step_id in self.step_ids:
            raise self.fail(step_id, "dubbele stap-id")
        self.step_ids.add(step_id)
        for key in _STEP_REQUIRED:
            if key not in table:
                raise self.fail(step_id, f"verplicht veld '{key}' ontbreekt")
        self.keys(table, _STEP_KEYS, step_id, "de stap")
        phase = table["phase"]
        if phase not in self.phase_numbers or isinstance(phase, bool):
            raise self.fail(step_id, f"onbekende fase {phase!r} (niet in [[phase]])")
        roles_raw = table["roles"]
        if not isinstance(roles_raw, list) or not roles_raw:
            raise self.fail(step_id, "'roles' moet een niet-lege lijst zijn")
        roles: list[Rol] = []
        for role in roles_raw:
            try:
                roles.append(Rol(str(role)))
            except ValueError:
                raise self.fail(step_id, f"onbekende rol '{role}'") from None
        try:
            verslag = VerslagBestemming(str(table["verslag"]))
        except ValueError:
            raise self.fail(
                step_id,
                f"onbekende bestemming voor het verslag '{table['verslag']}' "
                "(e_portfolio, dossier_opleider, beide of geen)",
            ) from None
        ontvanger: Rol | None = None
        if "ontvanger" in table:
            try:
                ontvanger = Rol(str(table["ontvanger"]))
            except ValueError:
                raise self.fail(
                    step_id, f"onbekende rol '{table['ontvanger']}' als ontvanger van het verslag"
                ) from None
            if verslag is VerslagBestemming.GEEN:
                raise self.fail(step_id, "'ontvanger' hoort bij een stap met een verslag (verslag = \"geen\")")
        lezers = self.lezers(table, step_id, verslag, ontvanger, moments)
        done_raw = self.table(table["done_by"], step_id, "'done_by'")
        done_by = self.matcher(done_raw, step_id, "'done_by'", allow={"collect"})
        if done_by.kind is EventKind.AFWIJKING:
            raise self.fail(step_id, "'done_by' kan geen afwijking zijn; een afwijking geldt voor elke stap")
        if done_by.kind is EventKind.STAP_UITGEVOERD:
            if any(key == "stap" for key, _ in done_by.data):
                raise self.fail(step_id, "'done_by': 'stap' wordt vanzelf op deze stap gezet")
            done_by = EventMatcher(done_by.kind, (*done_by.data, ("stap", (step_id,))))
        collect: tuple[str, frozenset[str]] | None = None
        if "collect" in done_raw:
            collect = self.collect(done_raw["collect"], done_by.kind, step_id)
        term = self.term(table["term"], step_id, moments) if "term" in table else None
        return StepDefinition(
            id=step_id,
            phase=phase,
            section=self.text(table, "section", step_id, "de stap"),
            title=(title := self.text(table, "title", step_id, "de stap")),
            short=self.text(table, "short", step_id, "de stap", required=False) or title,
            roles=tuple(roles),
            triggers=self.trigger(table["trigger"], step_id, moments),
            done_by=done_by,
            verslag=verslag,
            ontvanger=ontvanger,
            lezers=lezers,
            term=term,
            repeats=self.boolean(table, "repeats", step_id, "de stap"),
            collect=collect,
            note=self.text(table, "note", step_id, "de stap", required=False),
            order=index,
        )

    def collect(self, raw: object, kind: EventKind, step: str) -> tuple[str, frozenset[str]]:
        table = self.table(raw, step, "'collect'")
        if len(table) != 1:
            raise self.fail(step, "'collect' moet precies één gegeven noemen")
        key, values = next(iter(table.items()))
        spec = SCHEMAS[kind].get(key)
        if spec is None or spec.type is not FieldType.CHOICES:
            raise self.fail(step, f"'collect': gebeurtenis '{kind}' heeft geen keuzelijst '{key}'")
        if not isinstance(values, list) or not values or any(v not in spec.choices for v in values):
            raise self.fail(step, f"'collect': ongeldige waarden voor '{key}'")
        return (key, frozenset(str(v) for v in values))

    def phases(self, raw: object, moments: Mapping[str, EventMatcher]) -> tuple[PhaseDefinition, ...]:
        if not isinstance(raw, list) or not raw:
            raise self.fail(None, "de fasen ([[phase]]) ontbreken")
        phases: list[PhaseDefinition] = []
        for item in raw:
            table = self.table(item, None, "[[phase]]")
            self.keys(table, _PHASE_KEYS, None, "[[phase]]")
            number = table.get("number")
            if isinstance(number, bool) or not isinstance(number, int) or number in self.phase_numbers:
                raise self.fail(None, f"[[phase]] heeft geen of een dubbel 'number' ({number!r})")
            self.phase_numbers.add(number)
            starts = self.trigger(table["starts"], None, moments) if "starts" in table else ()
            phases.append(
                PhaseDefinition(
                    number=number,
                    title=self.text(table, "title", None, f"fase {number}"),
                    section=self.text(table, "section", None, f"fase {number}"),
                    starts=starts,
                )
            )
        return tuple(sorted(phases, key=lambda p: p.number))

    def moments(self, raw: object) -> tuple[dict[str, EventMatcher], dict[str, str]]:
        """The named moments, and how each reads in a sentence where the file says so (`label`)."""
        table = self.table(raw, None, "[moment]")
        moments: dict[str, EventMatcher] = {}
        labels: dict[str, str] = {}
        for name, value in table.items():
            what = f"moment '{name}'"
            item = self.table(value, None, what)
            moments[name] = self.matcher(item, None, what, allow={"label"})
            label = self.text(item, "label", None, what, required=False)
            if label:
                labels[name] = label
        return moments, labels

    def rules(
        self, raw: object, moments: Mapping[str, EventMatcher]
    ) -> tuple[WachttijdRule | None, VoortgangRule | None, BlokkadeRule | None]:
        table = self.table(raw, None, "[rules]")
        self.keys(table, set(_RULE_KEYS), None, "[rules]")
        for name, value in table.items():
            self.keys(self.table(value, None, f"[rules.{name}]"), _RULE_KEYS[name], None, f"[rules.{name}]")
        wachttijd = voortgang = blokkade = None
        if "wachttijd" in table:
            wachttijd = WachttijdRule(self.integer(table["wachttijd"], "max_days", None, "[rules.wachttijd]"))
        if "voortgang" in table:
            raw_v = table["voortgang"]
            what = "[rules.voortgang]"
            at_moment = self.text(raw_v, "at_moment", None, what)
            if at_moment not in moments:
                raise self.fail(None, f"{what} verwijst naar onbekend moment '{at_moment}'")
            voortgang = VoortgangRule(
                opleidingsjaar=self.integer(raw_v, "opleidingsjaar", None, what),
                after_month=self.integer(raw_v, "after_month", None, what),
                before_month=self.integer(raw_v, "before_month", None, what),
                verlenging_default_after_month=self.integer(
                    raw_v, "verlenging_default_after_month", None, what
                ),
                at_moment=at_moment,
            )
        if "blokkade" in table:
            raw_b = table["blokkade"]
            what = "[rules.blokkade]"
            from_moment = self.text(raw_b, "from_moment", None, what)
            if from_moment not in moments:
                raise self.fail(None, f"{what} verwijst naar onbekend moment '{from_moment}'")
            until_step = self.text(raw_b, "until_step", None, what)
            self.step_refs.append((None, what, until_step))
            blokkade = BlokkadeRule(from_moment=from_moment, until_step=until_step)
        return wachttijd, voortgang, blokkade


def _term_label(parts: tuple[TermPart, ...], approx: bool) -> str:
    texts = []
    for part in parts:
        amount = []
        if part.months:
            amount.append(f"{part.months} maand" + ("en" if part.months != 1 else ""))
        if part.days:
            amount.append(f"{part.days} dag" + ("en" if part.days != 1 else ""))
        anchor = "de trigger" if part.anchor is AnchorKind.TRIGGER else part.name.replace("_", " ")
        if part.next_in:
            texts.append(f"de eerstvolgende {part.next_in.rstrip('n')} na {anchor}")
        else:
            texts.append(f"{' en '.join(amount) or 'op de dag'} {'vóór' if part.before else 'na'} {anchor}")
    return ("ongeveer " if approx else "") + " en uiterlijk ".join(texts)


def _check_cycles(reader: _Reader, steps: tuple[StepDefinition, ...]) -> tuple[int, ...]:
    """A topological order of the steps over trigger and term references; a cycle is refused."""
    index = {s.id: i for i, s in enumerate(steps)}
    deps: list[list[int]] = []
    for s in steps:
        refs = [t.name for t in s.triggers if t.kind is TriggerKind.STEP]
        if s.term is not None:
            refs += [p.name for p in s.term.parts if p.anchor is AnchorKind.STEP]
        deps.append([index[r] for r in refs])
    order: list[int] = []
    state = [0] * len(steps)  # 0 new, 1 on the path, 2 done
    path: list[int] = []

    def visit(i: int) -> None:
        state[i] = 1
        path.append(i)
        for j in deps[i]:
            if state[j] == 1:
                cycle = [*path[path.index(j) :], j]
                raise reader.fail(
                    steps[j].id,
                    "kringverwijzing in triggers/termijnen: " + " wacht op ".join(steps[k].id for k in cycle),
                )
            if state[j] == 0:
                visit(j)
        path.pop()
        state[i] = 2
        order.append(i)

    for i in range(len(steps)):
        if state[i] == 0:
            visit(i)
    return tuple(order)


def parse_definition(text: str, file: str) -> ProcedureDefinition:
    """Parse and check one definition (TOML text). `file` is the name used in messages."""
    reader = _Reader(file)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise reader.fail(None, f"geen geldige TOML ({exc})") from None
    reader.keys(raw, _TOP_KEYS, None, "het bestand")
    if "procedure" not in raw:
        raise reader.fail(None, "de tabel [procedure] ontbreekt")
    head = reader.table(raw["procedure"], None, "[procedure]")
    reader.keys(head, _PROCEDURE_KEYS, None, "[procedure]")
    valid_from = head.get("valid_from")
    if valid_from is not None and not isinstance(valid_from, dt.date):
        raise reader.fail(None, "'valid_from' in [procedure] moet een datum zijn (2023-03-01)")
    moments, moment_labels = reader.moments(raw.get("moment", {}))
    wachttijd, voortgang, blokkade = reader.rules(raw.get("rules", {}), moments)
    phases = reader.phases(raw.get("phase"), moments)
    steps_raw = raw.get("step")
    if not isinstance(steps_raw, list) or not steps_raw:
        raise reader.fail(None, "er zijn geen stappen ([[step]])")
    steps = tuple(reader.step(item, i, moments) for i, item in enumerate(steps_raw))
    for step_id, what, ref in reader.step_refs:
        if ref not in reader.step_ids:
            raise reader.fail(step_id, f"{what} verwijst naar onbekende stap '{ref}'")
    for s in steps:
        for t in s.triggers:
            if (
                t.kind is TriggerKind.RULE
                and {"wachttijd": wachttijd, "voortgang": voortgang}[t.name] is None
            ):
                raise reader.fail(
                    s.id, f"'trigger' gebruikt regel '{t.name}', maar [rules.{t.name}] ontbreekt"
                )
    eval_order = _check_cycles(reader, steps)
    return ProcedureDefinition(
        id=reader.text(head, "id", None, "[procedure]"),
        version=reader.text(head, "version", None, "[procedure]"),
        title=reader.text(head, "title", None, "[procedure]"),
        institute=reader.text(head, "institute", None, "[procedure]", required=False),
        source=reader.text(head, "source", None, "[procedure]"),
        file=file,
        steps=steps,
        phases=phases,
        moments=moments,
        moment_labels=moment_labels,
        wachttijd=wachttijd,
        voortgang=voortgang,
        blokkade=blokkade,
        valid_from=valid_from,
        eval_order=eval_order,
        _by_id={s.id: s for s in steps},
    )


def load_definition(path: Traversable | Path) -> ProcedureDefinition:
    return parse_definition(path.read_text(encoding="utf-8"), path.name)


def procedures_directory() -> Traversable:
    return files("ontkoppel_desktop.resources").joinpath("procedures")


class ProcedureRegistry:
    """All procedure definitions by (id, version). Adding a version never changes another one."""

    def __init__(self, definitions: Iterable[ProcedureDefinition] = ()) -> None:
        self._by_key: dict[tuple[str, str], ProcedureDefinition] = {}
        for definition in definitions:
            self.add(definition)

    def add(self, definition: ProcedureDefinition) -> None:
        existing = self._by_key.get(definition.key)
        if existing is not None:
            raise DefinitionError(
                definition.file,
                None,
                f"procedure '{definition.id}' versie '{definition.version}' staat al in '{existing.file}'",
            )
        self._by_key[definition.key] = definition

    def get(self, procedure_id: str, version: str) -> ProcedureDefinition:
        try:
            return self._by_key[(procedure_id, version)]
        except KeyError:
            raise UnknownProcedureError(procedure_id, version) from None

    def latest(self, procedure_id: str) -> ProcedureDefinition:
        """The newest version (by valid_from, then version text): the one a new traject starts with."""
        candidates = [d for d in self._by_key.values() if d.id == procedure_id]
        if not candidates:
            raise UnknownProcedureError(procedure_id, "(nieuwste)")
        return max(candidates, key=lambda d: (d.valid_from or dt.date.min, d.version))

    def current(self) -> ProcedureDefinition:
        """The definition a new traject starts with: the newest of the procedure(s) this installation holds
        (the procedures folder holds the institute's own). Which institute, and its words, come from the file."""
        if not self._by_key:
            raise UnknownProcedureError("(geen procedure)", "(nieuwste)")
        return max(self._by_key.values(), key=lambda d: (d.valid_from or dt.date.min, d.version))

    def definitions(self) -> tuple[ProcedureDefinition, ...]:
        return tuple(sorted(self._by_key.values(), key=lambda d: d.key))

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)


def load_registry(directory: Traversable | Path | None = None) -> ProcedureRegistry:
    """Load every *.toml in `directory` (default: resources/procedures of the installed package)."""
    folder = directory if directory is not None else procedures_directory()
    paths = sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    return ProcedureRegistry(load_definition(p) for p in paths)


@cache
def default_registry() -> ProcedureRegistry:
    """The registry of the bundled definitions, parsed once per process."""
    return load_registry()
