"""Reading the question files of the gesprekken, checked against the procedure version they belong to.

A procedure file `utrecht-2023-03.toml` has its gesprekken in `utrecht-2023-03/gesprekken/<stap>.toml`. A file
with a fault is refused as a whole, and the message names the file and the field (a FormulierFout, Dutch).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition, VerslagBestemming
from ontkoppel_desktop.core.procedure.events import SCHEMAS, EventKind, FieldType
from ontkoppel_desktop.core.procedure.loader import procedures_directory
from ontkoppel_desktop.core.verslagen.formulier import (
    VOORAF_WAARDEN,
    Eerder,
    GesprekFormulier,
    Handvat,
    Keuze,
    Onderwerp,
    Pagina,
    Veld,
    VeldSoort,
    VerslagDeel,
    Voorwaarde,
)


class FormulierFout(OntkoppelError, ValueError):
    """A question file is refused. The message (Dutch) names the file, the field and the fault."""

    def __init__(self, file: str, veld: str | None, fault: str) -> None:
        self.file = file
        self.veld = veld
        self.fault = fault
        where = f"Gespreksbestand '{file}'"
        if veld is not None:
            where += f", veld '{veld}'"
        super().__init__(f"{where}: {fault}")


_TOP = {"gesprek", "verslag", "handvat", "pagina", "lijst"}
_GESPREK = {"stap", "titel", "sectie", "gebeurtenissen"}
_VERSLAG = {"id", "titel", "bestemming"}
_HANDVAT = {"titel", "inleiding", "voorbeeld", "onderwerp"}
_ONDERWERP = {"titel", "vragen"}
_PAGINA = {"id", "titel", "uitleg", "veld", "eerder", "herhaal"}
_VELD = {"id", "soort", "label", "hulp", "verplicht", "verslag", "keuzes", "gebeurtenis", "alleen_als", "vooraf",
         "voorbeeld", "eportfolio_alleen_als"}
# Which field types of an event an answer of each soort can fill.
_PAST: dict[VeldSoort, frozenset[FieldType]] = {
    VeldSoort.DATUM: frozenset({FieldType.DATE}),
    VeldSoort.REGEL: frozenset({FieldType.TEXT}),
    VeldSoort.TEKST: frozenset({FieldType.TEXT}),
    VeldSoort.KEUZE: frozenset({FieldType.CHOICE}),
    VeldSoort.KEUZES: frozenset({FieldType.CHOICES}),
    VeldSoort.JA_NEE: frozenset({FieldType.BOOL}),
    VeldSoort.OPLEIDER: frozenset({FieldType.ID}),
    VeldSoort.BIJLAGE: frozenset(),
}


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, veld: str | None, fault: str) -> FormulierFout:
        return FormulierFout(self.file, veld, fault)

    def table(self, raw: object, veld: str | None, what: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(veld, f"{what} moet een tabel zijn")
        return raw

    def tables(self, raw: object, veld: str | None, what: str) -> list[dict[str, Any]]:
        if not isinstance(raw, list) or not raw:
            raise self.fail(veld, f"{what} moet een niet-lege lijst van tabellen zijn")
        return [self.table(item, veld, what) for item in raw]

    def keys(self, raw: Mapping[str, Any], allowed: set[str], veld: str | None, what: str) -> None:
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise self.fail(veld, f"onbekend gegeven '{unknown[0]}' in {what}")

    def text(self, raw: Mapping[str, Any], key: str, veld: str | None, what: str, *, required: bool = True) -> str:
        value = raw.get(key)
        if value is None:
            if required:
                raise self.fail(veld, f"verplicht gegeven '{key}' ontbreekt in {what}")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(veld, f"'{key}' in {what} moet een (niet-lege) tekst zijn")
        return value.strip()

    def texts(self, raw: Mapping[str, Any], key: str, veld: str | None, what: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(veld, f"'{key}' in {what} moet een tekst of een lijst van teksten zijn")
        return tuple(v.strip() for v in value)

    def boolean(self, raw: Mapping[str, Any], key: str, veld: str | None, what: str, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(veld, f"'{key}' in {what} moet true of false zijn")
        return value


def parse_formulier(text: str, file: str, definition: ProcedureDefinition) -> GesprekFormulier:
    """Parse and check one question file (TOML text) against the procedure version it belongs to."""
    r = _Reader(file)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise r.fail(None, f"geen geldige TOML ({exc})") from None
    r.keys(raw, _TOP, None, "het bestand")
    head = r.table(raw.get("gesprek"), None, "[gesprek]")
    r.keys(head, _GESPREK, None, "[gesprek]")
    stap_id = r.text(head, "stap", None, "[gesprek]")
    if not definition.has_step(stap_id):
        raise r.fail(None, f"de procedure {definition.version} kent geen stap '{stap_id}'")
    stap = definition.step(stap_id)
    if stap.verslag is not VerslagBestemming.GEEN and stap.ontvanger is None:
        raise r.fail(None, f"stap '{stap_id}' heeft in de procedure een verslag maar geen 'ontvanger'")
    kinds: list[EventKind] = []
    for value in r.texts(head, "gebeurtenissen", None, "[gesprek]") or (stap.done_by.kind.value,):
        try:
            kinds.append(EventKind(value))
        except ValueError:
            raise r.fail(None, f"onbekende gebeurtenis '{value}' in [gesprek]") from None
    if kinds[0] is not stap.done_by.kind:
        raise r.fail(None, f"de eerste gebeurtenis moet '{stap.done_by.kind.value}' zijn (die rondt de stap af)")
    titel = r.text(head, "titel", None, "[gesprek]")
    if stap.verslag is VerslagBestemming.GEEN:
        if "verslag" in raw:
            raise r.fail(None, f"stap '{stap_id}' heeft in de procedure geen verslag; [[verslag]] hoort er niet bij")
        delen: tuple[VerslagDeel, ...] = ()
    else:
        delen = _delen(r, raw.get("verslag"), stap.verslag, stap.ontvanger, titel)
    deel_ids = {d.id for d in delen}
    lijsten = _lijsten(r, raw.get("lijst", {}))
    paginas: list[Pagina] = []
    velden: dict[str, Veld] = {}
    for p in r.tables(raw.get("pagina"), None, "[[pagina]]"):
        r.keys(p, _PAGINA, None, "[[pagina]]")
        pagina_id = r.text(p, "id", None, "[[pagina]]")
        page_fields: list[Veld] = []
        for item in _herhaald(r, p, pagina_id, lijsten):
            veld = velden[item.get("id", "")] = _veld(r, item, deel_ids, kinds, velden)
            page_fields.append(veld)
        eerder = []
        for ref in r.texts(p, "eerder", None, f"pagina '{pagina_id}'"):
            gesprek, _, veld_id = ref.partition(".")
            if not gesprek or not veld_id:
                raise r.fail(None, f"'eerder' in pagina '{pagina_id}': '{ref}' is geen \"<gesprek>.<veld>\"")
            eerder.append(Eerder(gesprek, veld_id))
        paginas.append(Pagina(pagina_id, r.text(p, "titel", None, "[[pagina]]"),
                              r.text(p, "uitleg", None, "[[pagina]]", required=False), tuple(page_fields),
                              tuple(eerder)))
    for veld in velden.values():
        if veld.eportfolio_alleen_als is not None:
            _check_voorwaarde(r, "eportfolio_alleen_als", veld.id, veld.eportfolio_alleen_als,
                              velden.get(veld.eportfolio_alleen_als.veld))
    datum = [v for v in velden.values() if v.gebeurtenis == ("datum", "")]
    if len(datum) != 1 or not datum[0].verplicht or datum[0].alleen_als is not None:
        raise r.fail(None, "er hoort precies één verplicht datumveld met gebeurtenis = \"datum\" te zijn")
    for kind in kinds:
        for name, spec in SCHEMAS[kind].items():
            if not spec.required:
                continue
            if not any(v.gebeurtenis == (kind.value, name) and v.verplicht and v.alleen_als is None
                       for v in velden.values()):
                raise r.fail(None, f"'{kind.value}.{name}' is verplicht bij de gebeurtenis; geen verplicht veld "
                                   "vult het")
    for deel in delen:
        if not any(deel.id in v.verslagen for v in velden.values()):
            raise r.fail(None, f"verslag '{deel.id}' krijgt geen enkel veld")
    return GesprekFormulier(
        id=stap_id,
        titel=titel,
        sectie=r.text(head, "sectie", None, "[gesprek]", required=False) or stap.section,
        file=file,
        procedure=definition.key,
        gebeurtenissen=tuple(kinds),
        paginas=tuple(paginas),
        delen=delen,
        handvat=_handvat(r, raw["handvat"]) if "handvat" in raw else None,
        _velden=velden,
    )


def _lijsten(r: _Reader, raw: object) -> dict[str, list[dict[str, str]]]:
    """[[lijst.<naam>]] tables: data a page repeats its fields for (the competentiegebieden of an overdracht)."""
    table = r.table(raw, None, "[lijst]")
    result: dict[str, list[dict[str, str]]] = {}
    for naam, items in table.items():
        rows = []
        for item in r.tables(items, None, f"[[lijst.{naam}]]"):
            if not all(isinstance(v, str) for v in item.values()) or "id" not in item:
                raise r.fail(None, f"[[lijst.{naam}]]: elk item heeft een 'id' en alleen teksten")
            rows.append({k: v.strip() for k, v in item.items()})
        if len({row["id"] for row in rows}) != len(rows):
            raise r.fail(None, f"[[lijst.{naam}]]: een 'id' staat er twee keer in")
        result[naam] = rows
    return result


def _herhaald(r: _Reader, pagina: dict[str, Any], pagina_id: str,
              lijsten: dict[str, list[dict[str, str]]]) -> list[dict[str, Any]]:
    """The page's fields; with `herhaal = "<lijst>"` each field once per item of that list, its texts filled in
    with the item's values ("{id}", "{naam}", ...)."""
    items = r.tables(pagina.get("veld"), None, f"pagina '{pagina_id}'")
    if "herhaal" not in pagina:
        return items
    naam = r.text(pagina, "herhaal", None, f"pagina '{pagina_id}'")
    if naam not in lijsten:
        raise r.fail(None, f"pagina '{pagina_id}' herhaalt onbekende lijst '{naam}' (geen [[lijst.{naam}]])")
    result = []
    for row in lijsten[naam]:
        for item in items:
            try:
                result.append({k: v.format(**row) if isinstance(v, str) else v for k, v in item.items()})
            except (KeyError, IndexError, ValueError) as exc:
                raise r.fail(item.get("id"), f"pagina '{pagina_id}': onbekend gegeven {exc} in de lijst "
                                             f"'{naam}'") from None
    return result


def _delen(r: _Reader, raw: object, stap_bestemming: VerslagBestemming, ontvanger: Any,
           titel: str) -> tuple[VerslagDeel, ...]:
    if raw is None:
        return (VerslagDeel("verslag", f"Gespreksverslag {titel.lower()}", stap_bestemming, ontvanger),)
    items = r.tables(raw, None, "[[verslag]]")
    delen: list[VerslagDeel] = []
    for item in items:
        r.keys(item, _VERSLAG, None, "[[verslag]]")
        deel_id = r.text(item, "id", None, "[[verslag]]")
        if any(d.id == deel_id for d in delen):
            raise r.fail(None, f"verslag '{deel_id}' staat twee keer in [[verslag]]")
        if "bestemming" in item:
            try:
                bestemming = VerslagBestemming(str(item["bestemming"]))
            except ValueError:
                raise r.fail(None, f"verslag '{deel_id}': onbekende bestemming '{item['bestemming']}'") from None
        elif len(items) == 1:
            bestemming = stap_bestemming
        else:
            raise r.fail(None, f"verslag '{deel_id}': bij meer verslagen noemt elk zijn 'bestemming'")
        if bestemming is VerslagBestemming.GEEN:
            raise r.fail(None, f"verslag '{deel_id}' heeft geen bestemming")
        delen.append(VerslagDeel(deel_id, r.text(item, "titel", None, "[[verslag]]"), bestemming, ontvanger))
    wanted = _plekken(stap_bestemming)
    got: set[VerslagBestemming] = set()
    for d in delen:
        got |= _plekken(d.bestemming)
    if got != wanted:
        raise r.fail(None, f"de verslagen gaan samen naar {', '.join(sorted(got))}, maar de procedure zegt "
                           f"'{stap_bestemming.value}'")
    return tuple(delen)


def _plekken(b: VerslagBestemming) -> set[VerslagBestemming]:
    if b is VerslagBestemming.BEIDE:
        return {VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER}
    return set() if b is VerslagBestemming.GEEN else {b}


def _veld(r: _Reader, raw: dict[str, Any], deel_ids: set[str], kinds: list[EventKind],
          eerder: Mapping[str, Veld]) -> Veld:
    veld_id = r.text(raw, "id", None, "[[pagina.veld]]")
    if veld_id in eerder:
        raise r.fail(veld_id, "dit veld staat twee keer in het bestand")
    r.keys(raw, _VELD, veld_id, "het veld")
    try:
        soort = VeldSoort(r.text(raw, "soort", veld_id, "het veld"))
    except ValueError:
        raise r.fail(veld_id, f"onbekende soort '{raw['soort']}' ({', '.join(s.value for s in VeldSoort)})") from None
    if "verslag" not in raw and deel_ids:
        raise r.fail(veld_id, "'verslag' ontbreekt: zeg bij welk verslag het veld hoort (of \"alle\" of \"geen\")")
    verslagen = r.texts(raw, "verslag", veld_id, "het veld") if "verslag" in raw else ("geen",)
    if verslagen == ("alle",):
        verslagen = tuple(sorted(deel_ids))
    elif verslagen == ("geen",):
        verslagen = ()
    for v in verslagen:
        if v not in deel_ids:
            raise r.fail(veld_id, f"'verslag' noemt onbekend verslag '{v}'")
    keuzes: list[Keuze] = []
    if soort in (VeldSoort.KEUZE, VeldSoort.KEUZES):
        for k in r.tables(raw.get("keuzes"), veld_id, "'keuzes'"):
            r.keys(k, {"waarde", "label"}, veld_id, "'keuzes'")
            keuze = Keuze(r.text(k, "waarde", veld_id, "'keuzes'"), r.text(k, "label", veld_id, "'keuzes'"))
            if any(x.waarde == keuze.waarde for x in keuzes):
                raise r.fail(veld_id, f"keuze '{keuze.waarde}' staat twee keer in 'keuzes'")
            keuzes.append(keuze)
    elif "keuzes" in raw:
        raise r.fail(veld_id, "'keuzes' hoort alleen bij soort = \"keuze\" of \"keuzes\"")
    gebeurtenis = _gebeurtenis(r, raw.get("gebeurtenis"), veld_id, soort, tuple(keuzes), kinds)
    alleen_als = _voorwaarde(r, raw, "alleen_als", veld_id, eerder) if "alleen_als" in raw else None
    eportfolio_als = None
    if "eportfolio_alleen_als" in raw:
        # The answer that decides may come later in the wizard (the aios's choice on the last page).
        eportfolio_als = _voorwaarde(r, raw, "eportfolio_alleen_als", veld_id, None)
    vooraf = r.texts(raw, "vooraf", veld_id, "het veld")
    for value in vooraf:
        past = (soort is VeldSoort.DATUM and value == "vandaag") or (soort.is_tekst and value != "vandaag") or (
            soort is VeldSoort.OPLEIDER and value in ("opleider", "nieuwe_opleider"))
        if value not in VOORAF_WAARDEN or not past:
            raise r.fail(veld_id, f"'vooraf' kan hier niet '{value}' zijn")
    return Veld(
        id=veld_id,
        soort=soort,
        label=r.text(raw, "label", veld_id, "het veld"),
        verslagen=verslagen,
        hulp=r.text(raw, "hulp", veld_id, "het veld", required=False),
        verplicht=r.boolean(raw, "verplicht", veld_id, "het veld", False),
        keuzes=tuple(keuzes),
        gebeurtenis=gebeurtenis,
        alleen_als=alleen_als,
        vooraf=vooraf,
        voorbeeld=r.text(raw, "voorbeeld", veld_id, "het veld", required=False),
        eportfolio_alleen_als=eportfolio_als,
    )


def _voorwaarde(r: _Reader, raw: dict[str, Any], key: str, veld_id: str,
                eerder: Mapping[str, Veld] | None) -> Voorwaarde:
    """A condition on the answer of a choice or ja/nee field: an earlier one (`eerder`), or any (checked once
    the whole file is read)."""
    cond = r.table(raw[key], veld_id, f"'{key}'")
    r.keys(cond, {"veld", "is"}, veld_id, f"'{key}'")
    other_id = r.text(cond, "veld", veld_id, f"'{key}'")
    waarden = r.texts(cond, "is", veld_id, f"'{key}'")
    if not waarden:
        raise r.fail(veld_id, f"'{key}': 'is' noemt geen waarde")
    if eerder is not None:
        _check_voorwaarde(r, key, veld_id, Voorwaarde(other_id, waarden), eerder.get(other_id))
    return Voorwaarde(other_id, waarden)


def _check_voorwaarde(r: _Reader, key: str, veld_id: str, cond: Voorwaarde, other: Veld | None) -> None:
    if other is None or other.soort not in (VeldSoort.KEUZE, VeldSoort.JA_NEE):
        what = "een eerder" if key == "alleen_als" else "een"
        raise r.fail(veld_id, f"'{key}' moet verwijzen naar {what} keuze- of ja/nee-veld, niet '{cond.veld}'")
    allowed = {k.waarde for k in other.keuzes} if other.soort is VeldSoort.KEUZE else {"ja", "nee"}
    if not set(cond.waarden) <= allowed:
        raise r.fail(veld_id, f"'{key}': '{cond.veld}' kent niet elk van {list(cond.waarden)}")


def _gebeurtenis(r: _Reader, raw: object, veld_id: str, soort: VeldSoort, keuzes: tuple[Keuze, ...],
                 kinds: list[EventKind]) -> tuple[str, str] | None:
    if raw is None:
        return None
    if raw == "datum":
        if soort is not VeldSoort.DATUM:
            raise r.fail(veld_id, "gebeurtenis = \"datum\" hoort bij een veld van soort \"datum\"")
        return ("datum", "")
    if not isinstance(raw, str) or raw.count(".") != 1:
        raise r.fail(veld_id, "'gebeurtenis' is \"datum\" of \"<gebeurtenis>.<gegeven>\"")
    kind_text, name = raw.split(".")
    kind = next((k for k in kinds if k.value == kind_text), None)
    if kind is None:
        raise r.fail(veld_id, f"'gebeurtenis': '{kind_text}' staat niet in de gebeurtenissen van [gesprek]")
    spec = SCHEMAS[kind].get(name)
    if spec is None or spec.type not in _PAST[soort]:
        raise r.fail(veld_id, f"'gebeurtenis': '{raw}' bestaat niet of past niet bij soort \"{soort.value}\"")
    if spec.type in (FieldType.CHOICE, FieldType.CHOICES) and not {k.waarde for k in keuzes} <= set(spec.choices):
        raise r.fail(veld_id, f"'keuzes' past niet bij '{raw}' ({', '.join(spec.choices)})")
    return (kind.value, name)


def _handvat(r: _Reader, raw: object) -> Handvat:
    table = r.table(raw, None, "[handvat]")
    r.keys(table, _HANDVAT, None, "[handvat]")
    onderwerpen = []
    for item in r.tables(table.get("onderwerp"), None, "[[handvat.onderwerp]]"):
        r.keys(item, _ONDERWERP, None, "[[handvat.onderwerp]]")
        onderwerpen.append(Onderwerp(r.text(item, "titel", None, "[[handvat.onderwerp]]"),
                                     r.texts(item, "vragen", None, "[[handvat.onderwerp]]")))
    return Handvat(
        titel=r.text(table, "titel", None, "[handvat]"),
        inleiding=r.text(table, "inleiding", None, "[handvat]", required=False),
        onderwerpen=tuple(onderwerpen),
        voorbeeld=r.boolean(table, "voorbeeld", None, "[handvat]", True),
    )


def formulier_map(definition: ProcedureDefinition, root: Traversable | Path | None = None) -> Traversable | Path:
    """Where the question files of this procedure version live: beside its definition file."""
    folder = root if root is not None else procedures_directory()
    stem = definition.file.removesuffix(".toml")
    return folder.joinpath(stem).joinpath("gesprekken")


def load_formulieren(definition: ProcedureDefinition,
                     root: Traversable | Path | None = None) -> dict[str, GesprekFormulier]:
    """Every gesprek of this procedure version with a wizard, by step id; empty if the version has none."""
    folder = formulier_map(definition, root)
    if not folder.is_dir():
        return {}
    result: dict[str, GesprekFormulier] = {}
    for path in sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name):
        formulier = parse_formulier(path.read_text(encoding="utf-8"), path.name, definition)
        if formulier.id in result:
            raise FormulierFout(path.name, None, f"stap '{formulier.id}' heeft al een gespreksbestand")
        result[formulier.id] = formulier
    # In the order of the procedure's steps: the order a docent meets the gesprekken in.
    result = dict(sorted(result.items(), key=lambda item: definition.step(item[0]).order))
    for formulier in result.values():
        for pagina in formulier.paginas:
            for ref in pagina.eerder:
                other = result.get(ref.gesprek)
                if other is None or not other.heeft_veld(ref.veld):
                    raise FormulierFout(formulier.file, None, f"pagina '{pagina.id}' toont '{ref.gesprek}.{ref.veld}' "
                                                              "uit een ander gesprek, maar dat bestaat niet")
    return result


_BUNDLED: dict[tuple[str, str], Mapping[str, GesprekFormulier]] = {}


def bundled_formulieren(definition: ProcedureDefinition) -> Mapping[str, GesprekFormulier]:
    """The bundled question files of a bundled procedure version, read once per process."""
    found = _BUNDLED.get(definition.key)
    if found is None:
        found = _BUNDLED[definition.key] = load_formulieren(definition)
    return found


__all__ = ["FormulierFout", "bundled_formulieren", "formulier_map", "load_formulieren", "parse_formulier"]
