"""The standaardberichten of the checklist ontkoppeling (Utrecht section 4 and 6): templates as data files, filled
from a traject into a `Bericht` to copy, save as a document or save as an e-mail draft.

A procedure version has its bundled templates in `<version>/berichten/*.toml` beside its definition file; a folder
the institute keeps (the setting `berichten_map`, because an installed program folder is not writable) overrides
them file by file and may add its own. A template with a fault is refused with a Dutch message that names the
file and the fault (an unknown placeholder, bad TOML); the other templates stay usable.

Filling takes plain data (`BerichtGegevens`: names, e-mail addresses, dates, the links of section 3), which the UI
gathers from the store. A placeholder this traject has no value for yet is written as a visible mark ("[nieuwe
opleider nog onbekend]"), so the user sees what to fill in before sending.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from importlib.abc import Traversable
from pathlib import Path
from typing import Protocol

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.personen import Aios, Docent, Groep, Medewerker, Opleider, Praktijk
from ontkoppel_desktop.core.personen_service import Ids
from ontkoppel_desktop.core.procedure.definition import ProcedureDefinition
from ontkoppel_desktop.core.procedure.events import EventKind
from ontkoppel_desktop.core.procedure.loader import procedures_directory
from ontkoppel_desktop.core.procedure.traject import Traject
from ontkoppel_desktop.core.rollen import Rol

BERICHTEN_MAP = "berichten"


@dataclass(frozen=True, slots=True)
class Plaatshouder:
    uitleg: str  # what it stands for, in the README's words
    ontbreekt: str  # the mark written when the traject has no value for it yet


# Every placeholder a template may use. A name not in here is refused when the file is read.
PLAATSHOUDERS: Mapping[str, Plaatshouder] = {
    "aios": Plaatshouder("naam van de aios", "[naam aios onbekend]"),
    "opleider": Plaatshouder("naam van de (ontkoppelde) opleider", "[naam opleider onbekend]"),
    "praktijk": Plaatshouder("praktijk van de ontkoppelde opleider", "[praktijk opleider onbekend]"),
    "nieuwe_opleider": Plaatshouder("naam van de nieuwe opleider", "[nieuwe opleider nog onbekend]"),
    "nieuwe_praktijk": Plaatshouder("praktijk van de nieuwe opleider", "[nieuwe praktijk nog onbekend]"),
    "docenten": Plaatshouder("de docenten van de aiosgroep", "[docenten nog onbekend]"),
    "datum_besluit": Plaatshouder("datum van het formele besluit tot ontkoppeling", "[datum besluit nog onbekend]"),
    "startdatum": Plaatshouder("startdatum bij de nieuwe opleider", "[startdatum nog onbekend]"),
    "opleidersterugkomdag": Plaatshouder("de volgende opleidersterugkomdag (uit de agenda van Trajecten)",
                                         "[datum opleidersterugkomdag nog onbekend]"),
    "termijn": Plaatshouder("de termijn van de stap waar het bericht bij hoort", "[termijn nog onbekend]"),
    "lovah": Plaatshouder("link naar de leidraad ontkoppeling van de LOVAH (Instellingen)",
                          "[link LOVAH-leidraad nog niet ingesteld]"),
    "sboh": Plaatshouder("link naar de coaching van de SBOH (Instellingen)", "[link SBOH-coaching nog niet ingesteld]"),
    "vertrouwenspersoon": Plaatshouder("link naar de contactgegevens van de vertrouwenspersoon (Instellingen)",
                                       "[link vertrouwenspersoon nog niet ingesteld]"),
    "afzender": Plaatshouder("jouw naam (Instellingen)", "[naam afzender]"),
    "opleiding": Plaatshouder("naam van de opleiding (uit het procedurebestand)", "[naam opleiding]"),
}

# Who a bericht can go to: the roles of the procedure, plus the new opleider of the traject.
NIEUWE_OPLEIDER = "nieuwe_opleider"
ROLLEN: Mapping[str, str] = {
    Rol.AIOS.value: "aios",
    Rol.OPLEIDER.value: "opleider",
    NIEUWE_OPLEIDER: "nieuwe opleider",
    Rol.DOCENTEN.value: "docent",
    Rol.MANAGER_OPLEIDING.value: "manager opleiding",
    Rol.JAARASSISTENT.value: "jaarassistent",
    Rol.MANAGER_OPLEIDERS.value: "manager opleiders",
    Rol.ASSISTENT_MANAGER_OPLEIDERS.value: "assistent manager opleiders",
    Rol.PLV_HOOFD.value: "plaatsvervangend hoofd",
}

_SLEUTELS = {"id", "titel", "stap", "volgorde", "aan", "cc", "onderwerp", "tekst", "toelichting"}
_ID = re.compile(r"[a-z0-9_]+")
# "{{" and "}}" are braces in the text; "{naam}" is a placeholder; a lone brace is a fault.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_TOML_PLEK = re.compile(r"at line (\d+), column (\d+)")


class BerichtFout(OntkoppelError, ValueError):
    """A template file is refused. The message (Dutch) names the file and the fault."""

    def __init__(self, bestand: str, fout: str) -> None:
        self.bestand = bestand
        self.fout = fout
        super().__init__(f"Standaardbericht '{bestand}': {fout}")


@dataclass(frozen=True, slots=True)
class Sjabloon:
    """One standaardbericht as its file says it, placeholders unfilled."""

    id: str
    titel: str
    onderwerp: str
    tekst: str
    aan: tuple[str, ...]
    cc: tuple[str, ...] = ()
    stap: str | None = None  # the step of the procedure the bericht belongs to
    volgorde: int = 1000
    toelichting: str = ""
    bestand: str = ""  # where it was read from, as a message names it
    eigen: bool = False  # from the institute's own folder, not the bundled one


@dataclass(frozen=True, slots=True)
class Sjablonen:
    """The templates of a procedure version: the good ones in menu order, and per file the fault of a refused
    one (so a menu can say that the institute's own file for the ontkoppelingsmail is broken)."""

    sjablonen: tuple[Sjabloon, ...]
    fouten: tuple[BerichtFout, ...] = ()
    # Said when the institute's folder cannot be read at all; the bundled templates are used.
    map_fout: str = ""

    def get(self, sjabloon_id: str) -> Sjabloon | None:
        return next((s for s in self.sjablonen if s.id == sjabloon_id), None)


@dataclass(frozen=True, slots=True)
class Persoon:
    naam: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class BerichtGegevens:
    """What a bericht is filled from: plain data of one traject. `personen` holds per role (see ROLLEN) the
    people of this traject: its aios, (ontkoppelde) opleider, new opleider, docenten and the medewerkers."""

    personen: Mapping[str, tuple[Persoon, ...]] = field(default_factory=dict)
    praktijk: str = ""
    nieuwe_praktijk: str = ""
    datum_besluit: dt.date | None = None
    startdatum: dt.date | None = None
    opleidersterugkomdag: dt.date | None = None
    termijnen: Mapping[str, dt.date] = field(default_factory=dict)  # the due date per step id
    afzender: str = ""
    opleiding: str = ""
    lovah: str = ""
    sboh: str = ""
    vertrouwenspersoon: str = ""


@dataclass(frozen=True, slots=True)
class Ontvanger:
    rol: str
    naam: str = ""  # "" when nobody in Personen has this role for the traject
    email: str = ""

    @property
    def weergave(self) -> str:
        """'Noor Visser (aios) <noor@…>', 'Eva Smit (opleider), geen e-mailadres', 'manager opleiding: niet in
        Personen'."""
        rol = ROLLEN.get(self.rol, self.rol)
        if not self.naam:
            return f"{rol}: niet in Personen"
        if not self.email:
            return f"{self.naam} ({rol}), geen e-mailadres"
        return f"{self.naam} ({rol}) <{self.email}>"


@dataclass(frozen=True, slots=True)
class Bericht:
    titel: str
    onderwerp: str
    tekst: str
    aan: tuple[Ontvanger, ...]
    cc: tuple[Ontvanger, ...] = ()
    # The marks of the placeholders this traject had no value for, in the order they appear.
    ontbrekend: tuple[str, ...] = ()


# ---- reading ---------------------------------------------------------------------------------------------


def plaatshouders_in(text: str) -> list[str]:
    """The placeholder names in `text`, in order. ValueError (Dutch) for a lone brace or an empty placeholder."""
    names: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            raise ValueError(f"er staat een losse '{token}'; schrijf '{token}{token}' voor een accolade in de tekst, "
                             "of een plaatshouder als {aios}")
        names.append(match.group(1).strip())
    return names


def _bekende() -> str:
    return ", ".join("{" + name + "}" for name in PLAATSHOUDERS)


def _text(raw: Mapping[str, object], key: str, bestand: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise BerichtFout(bestand, f"'{key}' moet tekst zijn (tussen aanhalingstekens)")
    if required and not value.strip():
        raise BerichtFout(bestand, f"'{key}' ontbreekt of is leeg")
    return value


def _rollen(raw: Mapping[str, object], key: str, bestand: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BerichtFout(bestand, f"'{key}' is een lijst van rollen, bijvoorbeeld [\"aios\", \"opleider\"]")
    for rol in value:
        if rol not in ROLLEN:
            raise BerichtFout(bestand, f"onbekende rol '{rol}' in '{key}'; bekend zijn: {', '.join(ROLLEN)}")
    return tuple(value)


def parse_sjabloon(text: str, bestand: str, definition: ProcedureDefinition | None = None, *,
                   stam: str | None = None, eigen: bool = False) -> Sjabloon:
    """One template file; `stam` is its file name without .toml, which its id must equal (a file overrides the
    bundled one of the same name). BerichtFout names the file and the fault."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        plek = _TOML_PLEK.search(str(exc))
        waar = f" (regel {plek.group(1)}, kolom {plek.group(2)})" if plek else ""
        raise BerichtFout(bestand, f"het bestand is geen geldige TOML{waar}; controleer de aanhalingstekens, de "
                                   "'='-tekens en de drie aanhalingstekens (\"\"\") rond de tekst") from None
    onbekend = sorted(set(raw) - _SLEUTELS)
    if onbekend:
        raise BerichtFout(bestand, f"onbekende sleutel '{onbekend[0]}'; bekend zijn: {', '.join(sorted(_SLEUTELS))}")
    sjabloon_id = _text(raw, "id", bestand)
    if not _ID.fullmatch(sjabloon_id):
        raise BerichtFout(bestand, f"id '{sjabloon_id}' bestaat uit kleine letters, cijfers en _")
    if stam is not None and sjabloon_id != stam:
        raise BerichtFout(bestand, f"id '{sjabloon_id}' moet gelijk zijn aan de bestandsnaam ({stam}.toml)")
    stap = raw.get("stap")
    if stap is not None:
        if not isinstance(stap, str) or not stap:
            raise BerichtFout(bestand, "'stap' moet de id van een stap uit het procedurebestand zijn")
        if definition is not None and not definition.has_step(stap):
            raise BerichtFout(bestand, f"onbekende stap '{stap}' (niet in het procedurebestand {definition.file})")
    volgorde = raw.get("volgorde", 1000)
    if not isinstance(volgorde, int) or isinstance(volgorde, bool):
        raise BerichtFout(bestand, "'volgorde' moet een geheel getal zijn")
    aan = _rollen(raw, "aan", bestand)
    if not aan:
        raise BerichtFout(bestand, "'aan' noemt geen enkele rol")
    onderwerp = _text(raw, "onderwerp", bestand)
    if "\n" in onderwerp.strip():
        raise BerichtFout(bestand, "het onderwerp is één regel")
    tekst = _text(raw, "tekst", bestand)
    for key, value in (("onderwerp", onderwerp), ("tekst", tekst)):
        try:
            names = plaatshouders_in(value)
        except ValueError as exc:
            raise BerichtFout(bestand, f"in '{key}' {exc}") from None
        for name in names:
            if name not in PLAATSHOUDERS:
                raise BerichtFout(bestand, f"onbekende plaatshouder {{{name}}} in '{key}'; bekend zijn: {_bekende()}")
    return Sjabloon(
        id=sjabloon_id,
        titel=_text(raw, "titel", bestand).strip(),
        onderwerp=onderwerp.strip(),
        tekst=tekst.strip("\n").rstrip(),
        aan=aan,
        cc=_rollen(raw, "cc", bestand),
        stap=stap,
        volgorde=volgorde,
        toelichting=_text(raw, "toelichting", bestand, required=False).strip(),
        bestand=bestand,
        eigen=eigen,
    )


def bundled_map(definition: ProcedureDefinition, root: Traversable | Path | None = None) -> Traversable | Path:
    """The bundled templates of a procedure version: beside its definition file."""
    folder = root if root is not None else procedures_directory()
    return folder.joinpath(definition.file.removesuffix(".toml")).joinpath(BERICHTEN_MAP)


def _files(folder: Traversable | Path) -> dict[str, Traversable | Path]:
    if not folder.is_dir():
        return {}
    return {p.name: p for p in folder.iterdir() if p.name.endswith(".toml") and p.is_file()}


def load_sjablonen(definition: ProcedureDefinition, eigen_map: Path | str | None = None, *,
                   root: Traversable | Path | None = None) -> Sjablonen:
    """The templates of this procedure version: the bundled ones, each replaced by a file of the same name in
    `eigen_map` when that has one, plus the other files there. Never raises for a bad file: its fault is in
    `fouten` and its bericht is left out."""
    files: dict[str, tuple[Traversable | Path, bool]] = {name: (p, False) for name, p in
                                                         _files(bundled_map(definition, root)).items()}
    map_fout = ""
    if eigen_map:
        folder = Path(eigen_map)
        if not folder.is_dir():
            map_fout = (f"De map met eigen standaardberichten ({folder}) bestaat niet of is niet bereikbaar; de "
                        "meegeleverde teksten worden gebruikt.")
        else:
            try:
                files.update({name: (p, True) for name, p in _files(folder).items()})
            except OSError:
                map_fout = (f"De map met eigen standaardberichten ({folder}) kan niet worden gelezen; de "
                            "meegeleverde teksten worden gebruikt.")
    sjablonen: list[Sjabloon] = []
    fouten: list[BerichtFout] = []
    for name, (path, eigen) in sorted(files.items()):
        bestand = str(path) if eigen else name
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            fouten.append(BerichtFout(bestand, "het bestand is niet als UTF-8 opgeslagen; sla het op als UTF-8"))
            continue
        except OSError as exc:
            fouten.append(BerichtFout(bestand, f"het bestand kan niet worden gelezen ({exc.strerror or exc})"))
            continue
        try:
            sjablonen.append(parse_sjabloon(text, bestand, definition, stam=name.removesuffix(".toml"), eigen=eigen))
        except BerichtFout as fout:
            fouten.append(fout)
    sjablonen.sort(key=lambda s: (s.volgorde, s.titel.casefold()))
    return Sjablonen(tuple(sjablonen), tuple(fouten), map_fout)


# ---- the traject's facts ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrajectFeiten:
    """What the events of a traject tell a bericht."""

    datum_besluit: dt.date | None  # the formal decision to ontkoppel
    nieuwe_opleider_id: int | None  # the confirmed new opleider, else the candidate not (yet) refused
    startdatum: dt.date | None  # the start with the new opleider: as recorded, else as confirmed


def traject_feiten(traject: Traject) -> TrajectFeiten:
    besluit: dt.date | None = None
    kandidaat: int | None = None
    bevestigd: int | None = None
    startdatum: dt.date | None = None
    gestart: dt.date | None = None
    for event in traject.effective_events:
        if event.kind is EventKind.BESLUIT_ONTKOPPELING and event.text("besluit") == "ontkoppelen":
            besluit = besluit or event.date
        elif event.kind is EventKind.KANDIDAAT_OPLEIDER:
            kandidaat = event.number("opleider_id")
        elif event.kind is EventKind.KENNISMAKINGSGESPREK:
            opleider_id = event.number("opleider_id")
            if event.flag("aios_ja") and event.flag("opleider_ja"):
                kandidaat = opleider_id
            elif opleider_id == kandidaat:
                kandidaat = None  # 5.2.1: either may say no after the kennismaking
        elif event.kind is EventKind.NIEUWE_KOPPELING_BEVESTIGD:
            bevestigd = event.number("opleider_id")
            startdatum = event.day("startdatum") or startdatum
        elif event.kind is EventKind.NIEUWE_KOPPELING_GESTART:
            gestart = event.date
    return TrajectFeiten(besluit, bevestigd if bevestigd is not None else kandidaat, gestart or startdatum)


def volgende_datum(dagen: Iterable[dt.date], na: dt.date) -> dt.date | None:
    """The first of `dagen` after `na` (the next opleidersterugkomdag after today), or None."""
    return min((d for d in dagen if d > na), default=None)


class PersonenLezer(Protocol):
    """The reads of Personen a bericht needs (PersonenService has them)."""

    def praktijken(self, archief: bool = False, ids: Ids = None) -> list[Praktijk]: ...

    def docenten(self, archief: bool = False, ids: Ids = None) -> list[Docent]: ...

    def groepen(self, archief: bool = False, ids: Ids = None) -> list[Groep]: ...

    def aios(self, archief: bool = False, ids: Ids = None) -> list[Aios]: ...

    def opleiders(self, archief: bool = False, ids: Ids = None) -> list[Opleider]: ...

    def medewerkers(self, archief: bool = False, ids: Ids = None) -> list[Medewerker]: ...


def verzamel(traject: Traject, personen: PersonenLezer, *, today: dt.date,
             opleidersterugkomdagen: Iterable[dt.date] = (), termijnen: Mapping[str, dt.date] | None = None,
             afzender: str = "", opleiding: str = "", lovah: str = "", sboh: str = "",
             vertrouwenspersoon: str = "") -> BerichtGegevens:
    """The data of one traject a bericht is filled from: its people (with the e-mail Personen has), the dates its
    events recorded, the next opleidersterugkomdag after `today`, and what the caller adds (the terms the engine
    derived, the settings)."""
    feiten = traject_feiten(traject)
    aios = next(iter(personen.aios(archief=True, ids=[traject.aios_id])), None)
    opleider_ids = {traject.opleider_id} | ({feiten.nieuwe_opleider_id} if feiten.nieuwe_opleider_id else set())
    opleiders = {o.id: o for o in personen.opleiders(archief=True, ids=opleider_ids)}
    praktijk_ids = {o.praktijk_id for o in opleiders.values() if o.praktijk_id is not None}
    praktijken = {p.id: p.weergave for p in personen.praktijken(archief=True, ids=praktijk_ids)}

    def opleider(opleider_id: int | None) -> tuple[tuple[Persoon, ...], str]:
        found = opleiders.get(opleider_id) if opleider_id is not None else None
        if found is None:
            return (), ""
        return (Persoon(found.naam.volledig, found.email),), praktijken.get(found.praktijk_id, "")

    oud, praktijk = opleider(traject.opleider_id)
    nieuw, nieuwe_praktijk = opleider(feiten.nieuwe_opleider_id)
    docenten: tuple[Persoon, ...] = ()
    if aios is not None and aios.groep_id is not None:
        groep = next(iter(personen.groepen(archief=True, ids=[aios.groep_id])), None)
        if groep is not None:
            ids = [i for i in (groep.huisarts_docent_id, groep.gedragswetenschapper_docent_id) if i is not None]
            by_id = {d.id: d for d in personen.docenten(archief=True, ids=ids)}
            docenten = tuple(Persoon(d.naam.volledig, d.email) for i in ids if (d := by_id.get(i)) is not None)
    people: dict[str, tuple[Persoon, ...]] = {
        Rol.AIOS.value: (Persoon(aios.naam.volledig, aios.email),) if aios is not None else (),
        Rol.OPLEIDER.value: oud,
        NIEUWE_OPLEIDER: nieuw,
        Rol.DOCENTEN.value: docenten,
    }
    for medewerker in personen.medewerkers():
        # Section 4: the manager opleiding and the jaarassistent of the aios's own opleidingsjaar.
        if medewerker.rol.per_opleidingsjaar and aios is not None and medewerker.opleidingsjaar != aios.opleidingsjaar:
            continue
        rol = medewerker.rol.value
        people[rol] = (*people.get(rol, ()), Persoon(medewerker.naam.volledig, medewerker.email))
    return BerichtGegevens(
        personen=people,
        praktijk=praktijk,
        nieuwe_praktijk=nieuwe_praktijk,
        datum_besluit=feiten.datum_besluit,
        startdatum=feiten.startdatum,
        opleidersterugkomdag=volgende_datum(opleidersterugkomdagen, today),
        termijnen=dict(termijnen or {}),
        afzender=afzender,
        opleiding=opleiding,
        lovah=lovah,
        sboh=sboh,
        vertrouwenspersoon=vertrouwenspersoon,
    )


# ---- filling ---------------------------------------------------------------------------------------------


def _namen(personen: Sequence[Persoon]) -> str:
    names = [p.naam for p in personen if p.naam]
    return " en ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def waarden(gegevens: BerichtGegevens, sjabloon: Sjabloon | None = None) -> dict[str, str]:
    """The value of every placeholder for this traject; "" where it has none yet."""

    def datum(day: dt.date | None, *, weekday: bool = False) -> str:
        return dutch_date(day, weekday=weekday) if day is not None else ""

    personen = gegevens.personen
    termijn = gegevens.termijnen.get(sjabloon.stap) if sjabloon is not None and sjabloon.stap else None
    values = {
        "aios": _namen(personen.get(Rol.AIOS.value, ())),
        "opleider": _namen(personen.get(Rol.OPLEIDER.value, ())),
        "praktijk": gegevens.praktijk,
        "nieuwe_opleider": _namen(personen.get(NIEUWE_OPLEIDER, ())),
        "nieuwe_praktijk": gegevens.nieuwe_praktijk,
        "docenten": _namen(personen.get(Rol.DOCENTEN.value, ())),
        "datum_besluit": datum(gegevens.datum_besluit),
        "startdatum": datum(gegevens.startdatum),
        "opleidersterugkomdag": datum(gegevens.opleidersterugkomdag, weekday=True),
        "termijn": datum(termijn),
        "lovah": gegevens.lovah,
        "sboh": gegevens.sboh,
        "vertrouwenspersoon": gegevens.vertrouwenspersoon,
        "afzender": gegevens.afzender,
        "opleiding": gegevens.opleiding,
    }
    return {k: v.strip() for k, v in values.items()}


def _vul(text: str, values: Mapping[str, str], ontbrekend: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = (match.group(1) or "").strip()
        value = values.get(name, "")
        if value:
            return value
        mark = PLAATSHOUDERS[name].ontbreekt if name in PLAATSHOUDERS else token
        if mark not in ontbrekend:
            ontbrekend.append(mark)
        return mark

    return _TOKEN.sub(replace, text)


def _ontvangers(rollen: Sequence[str], gegevens: BerichtGegevens) -> tuple[Ontvanger, ...]:
    result: list[Ontvanger] = []
    for rol in rollen:
        personen = gegevens.personen.get(rol, ())
        if not personen:
            result.append(Ontvanger(rol))
        result += [Ontvanger(rol, p.naam, p.email.strip()) for p in personen]
    return tuple(result)


def vul(sjabloon: Sjabloon, gegevens: BerichtGegevens) -> Bericht:
    """The bericht for this traject. A placeholder without a value is written as its mark and listed in
    `ontbrekend`."""
    values = waarden(gegevens, sjabloon)
    ontbrekend: list[str] = []
    onderwerp = _vul(sjabloon.onderwerp, values, ontbrekend)
    tekst = _vul(sjabloon.tekst, values, ontbrekend)
    return Bericht(sjabloon.titel, onderwerp, tekst, _ontvangers(sjabloon.aan, gegevens),
                   _ontvangers(sjabloon.cc, gegevens), tuple(ontbrekend))


def open_plekken(*texts: str) -> list[str]:
    """The marks of missing values still in `texts` (after the user edited them)."""
    return [p.ontbreekt for p in PLAATSHOUDERS.values() if any(p.ontbreekt in t for t in texts)]


# ---- e-mail draft ----------------------------------------------------------------------------------------


def _adressen(ontvangers: Sequence[Ontvanger]) -> list[Address]:
    result: list[Address] = []
    seen: set[str] = set()
    for o in ontvangers:
        if not o.email or o.email.casefold() in seen:
            continue
        try:
            result.append(Address(display_name=o.naam, addr_spec=o.email))
        except (ValueError, IndexError):  # not an address (a typo in Personen): left for the user to fill in
            continue
        seen.add(o.email.casefold())
    return result


def onbruikbare_adressen(bericht: Bericht) -> list[Ontvanger]:
    """Recipients whose e-mail in Personen is not an address an e-mail program takes."""
    good = {a.addr_spec.casefold() for a in _adressen((*bericht.aan, *bericht.cc))}
    return [o for o in (*bericht.aan, *bericht.cc) if o.email and o.email.casefold() not in good]


def eml_bytes(bericht: Bericht, *, onderwerp: str | None = None, tekst: str | None = None) -> bytes:
    """The bericht as an unsent e-mail (`X-Unsent: 1`: Outlook opens it as a draft to send), UTF-8, To and Cc
    with the addresses Personen has (a role without one is left for the user). `onderwerp`/`tekst` as edited."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = (onderwerp if onderwerp is not None else bericht.onderwerp).strip()
    aan = _adressen(bericht.aan)
    cc = [a for a in _adressen(bericht.cc) if a.addr_spec.casefold() not in {b.addr_spec.casefold() for b in aan}]
    if aan:
        message["To"] = aan
    if cc:
        message["Cc"] = cc
    message["X-Unsent"] = "1"
    body = (tekst if tekst is not None else bericht.tekst).replace("\r\n", "\n").rstrip() + "\n"
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


__all__ = [
    "NIEUWE_OPLEIDER",
    "PLAATSHOUDERS",
    "ROLLEN",
    "Bericht",
    "BerichtFout",
    "BerichtGegevens",
    "Ontvanger",
    "Persoon",
    "PersonenLezer",
    "Plaatshouder",
    "Sjabloon",
    "Sjablonen",
    "TrajectFeiten",
    "bundled_map",
    "eml_bytes",
    "load_sjablonen",
    "onbruikbare_adressen",
    "open_plekken",
    "parse_sjabloon",
    "plaatshouders_in",
    "traject_feiten",
    "vul",
    "volgende_datum",
    "verzamel",
    "waarden",
]
