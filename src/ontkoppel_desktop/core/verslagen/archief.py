"""The archive export: which definitief verslagen leave the store as files for the e-portfolio of the aios and the
dossier of the opleider, and under which names. A plan only; documents/archief.py writes it.

- What: the newest definitief version of each gesprek's verslag, of one traject or afgerond in a period. An older
  version that a newer definitief one replaces is history and stays in the store.
- Where: one folder per place ("e-portfolio aios", "dossier opleider"), each verslag of the gesprek in the folder
  of every place it goes (Utrecht 4 and 5); the jaarassistent uploads a folder's files into the one system.
- Names that sort and say what they are (see `_stam`), safe on Windows: no forbidden characters or reserved names,
  no trailing dot or space, and the whole path within Windows' 260 characters (the middle of a name is shortened),
  one name per file in its folder.
- The bijlagen of a verslag (the reflectieverslagen) are copied beside its document, by the same rule as the
  document itself: the aios's reflectieverslag goes into the e-portfolio only when the aios chose so (5.3.1).

No Qt, no files written here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ontkoppel_desktop.core.bestandsnamen import VERBODEN, gereserveerd
from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.verslagen.bijlagen import soort_van_naam, verwijzingen
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier, Veld, VeldSoort, VerslagDeel
from ontkoppel_desktop.core.verslagen.overzicht import VerslagRegel
from ontkoppel_desktop.core.verslagen.service import VerslagService
from ontkoppel_desktop.core.verslagen.verslag import ARCHIEFPLEKKEN, Verslag, inhoud

# The copies a verslag gets, per place its verslag of the gesprek goes (as documents/verslag.py makes them).
PLEKKEN: Mapping[VerslagBestemming, tuple[VerslagBestemming, ...]] = {
    VerslagBestemming.E_PORTFOLIO: (VerslagBestemming.E_PORTFOLIO,),
    VerslagBestemming.DOSSIER_OPLEIDER: (VerslagBestemming.DOSSIER_OPLEIDER,),
    VerslagBestemming.BEIDE: ARCHIEFPLEKKEN,
    VerslagBestemming.GEEN: (),
}

# Windows' MAX_PATH is 260 characters with the closing NUL; Explorer, Word and most upload dialogs still keep to it.
MAX_PAD = 259
# atomic.write_atomic writes to ".~<name>.<8 hex>.tmp" beside the target first: that path must fit as well.
TIJDELIJK_EXTRA = len(".~") + len(".12345678.tmp")
# A name stays readable in a list and in an upload form, however much room the folder leaves.
MAX_NAAM = 150
# The longest extension a document gets (".docx").
_MAX_EXTENSIE = 5
# What a name needs at least: its date, 12 characters of what it is, " versie 2", 8 of whose, a "(2)", the extension,
# and for a bijlage beside it " - bijlage " and a little of its own name. Less room: the folder is too deep.
_MIN_NAAM = 80
# The room a document with bijlagen leaves after its name for theirs.
_BIJLAGE_RUIMTE = len(" - bijlage ") + 16

# Hidden characters that change how a name reads (a right-to-left override shows "fdp.exe" as "exe.pdf").
_ONZICHTBAAR = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_WIT = re.compile(r"\s+")


class ArchiefFout(OntkoppelError):
    """The export cannot be planned or written; the message is Dutch and says what to do."""


class Formaat(StrEnum):
    """A format a document is written in; the value is its extension."""

    PDF = "pdf"
    WORD = "docx"

    @property
    def label(self) -> str:
        return "PDF" if self is Formaat.PDF else "Word"


def map_naam(plek: VerslagBestemming) -> str:
    """The folder of a place: "e-portfolio aios", "dossier opleider"."""
    return plek.label


# ---- which verslagen ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArchiefVerslag:
    """A verslag chosen for the export, with what its names need: its questions and its traject's people."""

    verslag: Verslag
    formulier: GesprekFormulier
    aios: Naam
    opleider: Naam  # the traject's opleider: the one whose dossier the verslag goes into

    @property
    def datum(self) -> dt.date | None:
        return self.verslag.datum(self.formulier)

    @property
    def geexporteerd(self) -> bool:
        """An earlier export wrote it for every place it goes."""
        return self.formulier.bestemmingen <= self.verslag.geexporteerd_op.keys()


def kies_traject(service: VerslagService, traject_id: int, today: dt.date | None = None) -> list[ArchiefVerslag]:
    """Every definitief verslag of this traject (the newest version of each gesprek), in the order of its
    gesprekken."""
    return _kies(service, frozenset({traject_id}), None, None, today)


def kies_periode(service: VerslagService, van: dt.date | None, tot: dt.date | None,
                 today: dt.date | None = None) -> list[ArchiefVerslag]:
    """Every definitief verslag (the newest version of each gesprek) afgerond from `van` up to and including `tot`
    (either open), by the local day it was afgerond."""
    if van is not None and tot is not None and van > tot:
        raise ArchiefFout(f"De periode loopt terug: 'van' ({van:%d-%m-%Y}) ligt na 'tot' ({tot:%d-%m-%Y}). Kies een "
                          "begindatum op of voor de einddatum.")
    return _kies(service, None, van, tot, today)


def nog_te_exporteren(verslagen: Iterable[ArchiefVerslag]) -> list[ArchiefVerslag]:
    """Those that no earlier export wrote for every place they go."""
    return [a for a in verslagen if not a.geexporteerd]


def _kies(service: VerslagService, traject_ids: frozenset[int] | None, van: dt.date | None, tot: dt.date | None,
          today: dt.date | None) -> list[ArchiefVerslag]:
    # The list's rows read no verslag's text: only the candidates are read whole, for their date afgerond.
    regels = [r for r in service.overzicht(today or dt.date.today(), traject_ids)
              if r.kop.definitief and r.heeft_verslag and r.bestemmingen]
    result = []
    for regel in _nieuwste(regels):
        verslag = service.get(regel.id)
        if verslag.afgerond_op is None or not _binnen(verslag.afgerond_op.astimezone().date(), van, tot):
            continue
        result.append(ArchiefVerslag(verslag, service.formulier(verslag), regel.aios_naam, regel.opleider_naam))
    result.sort(key=lambda a: (a.datum or dt.date.max, a.verslag.traject_id, a.formulier.titel, a.verslag.id))
    return result


def _nieuwste(regels: Iterable[VerslagRegel]) -> list[VerslagRegel]:
    """Of each gesprek the newest definitief version (a newer concept does not replace it until it is afgerond)."""
    best: dict[str, VerslagRegel] = {}
    for r in regels:
        key = r.kop.gebeurtenis_id or f"verslag {r.id}"
        if key not in best or r.kop.versie > best[key].kop.versie:
            best[key] = r
    return list(best.values())


def _binnen(day: dt.date, van: dt.date | None, tot: dt.date | None) -> bool:
    return (van is None or day >= van) and (tot is None or day <= tot)


# ---- the plan ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArchiefBijlage:
    """A bijlage copied beside its verslag's document."""

    bijlage_id: int
    naam: str  # the file's name in the folder
    sha256: str  # as the verslag's answer (and so its seal) names it


@dataclass(frozen=True, slots=True)
class ArchiefDocument:
    """One document of a verslag for one place: its name without extension (one file per format) and the
    bijlagen that go with it."""

    deel: VerslagDeel
    plek: VerslagBestemming
    stam: str
    bijlagen: tuple[ArchiefBijlage, ...] = ()

    def naam(self, formaat: Formaat) -> str:
        return f"{self.stam}.{formaat.value}"


@dataclass(frozen=True, slots=True)
class ArchiefStuk:
    """One verslag in the plan, with its documents for every place."""

    bron: ArchiefVerslag
    documenten: tuple[ArchiefDocument, ...]

    @property
    def verslag(self) -> Verslag:
        return self.bron.verslag

    def plekken(self) -> tuple[VerslagBestemming, ...]:
        return tuple(dict.fromkeys(d.plek for d in self.documenten))


@dataclass(frozen=True, slots=True)
class Bestand:
    """One file the plan writes: a document in a format, or a bijlage's copy."""

    stuk: ArchiefStuk
    document: ArchiefDocument
    pad: Path
    formaat: Formaat | None = None  # None: a bijlage
    bijlage: ArchiefBijlage | None = None


@dataclass(frozen=True, slots=True)
class ArchiefPlan:
    map: Path  # the folder chosen; the places get a folder each inside it
    formaten: tuple[Formaat, ...]
    stukken: tuple[ArchiefStuk, ...]

    def map_van(self, plek: VerslagBestemming) -> Path:
        return self.map / map_naam(plek)

    def mappen(self) -> list[Path]:
        """The folders the plan writes into (only those of places it has a document for)."""
        plekken = {d.plek for s in self.stukken for d in s.documenten}
        return [self.map_van(p) for p in ARCHIEFPLEKKEN if p in plekken]

    def bestanden(self, stuk: ArchiefStuk | None = None) -> Iterator[Bestand]:
        """Every file, per verslag: each document in each format, then its bijlagen."""
        for s in (self.stukken if stuk is None else (stuk,)):
            for document in s.documenten:
                folder = self.map_van(document.plek)
                for formaat in self.formaten:
                    yield Bestand(s, document, folder / document.naam(formaat), formaat=formaat)
                for bijlage in document.bijlagen:
                    yield Bestand(s, document, folder / bijlage.naam, bijlage=bijlage)

    @property
    def aantal_bestanden(self) -> int:
        return sum(len(d.bijlagen) + len(self.formaten) for s in self.stukken for d in s.documenten)

    @property
    def aantal_verslagen(self) -> int:
        return len(self.stukken)


def plekken(deel: VerslagDeel) -> tuple[VerslagBestemming, ...]:
    return PLEKKEN[deel.bestemming]


def hoort_in(veld: Veld, plek: VerslagBestemming, antwoorden: Mapping[str, object]) -> bool:
    """Utrecht 5.3.1: a field marked so (the aios's own reflectieverslag) goes into the e-portfolio only when the
    answer says the aios chose it; the dossier's copy is not affected. The same rule as the document's."""
    if plek is not VerslagBestemming.E_PORTFOLIO or veld.eportfolio_alleen_als is None:
        return True
    return veld.eportfolio_alleen_als.geldt(antwoorden)


def maak_plan(verslagen: Sequence[ArchiefVerslag], map_: Path | str,
              formaten: Iterable[Formaat] = (Formaat.PDF,)) -> ArchiefPlan:
    """The files for these verslagen in `map_`: a folder per place, a document per verslag of the gesprek and
    format, and its bijlagen beside it. Raises ArchiefFout (Dutch) when the folder leaves no room for a name."""
    gekozen = tuple(dict.fromkeys(formaten))
    if not gekozen:
        raise ArchiefFout("Kies ten minste één formaat: PDF of Word.")
    root = Path(map_).absolute()
    bezet: dict[VerslagBestemming, set[str]] = {p: set() for p in ARCHIEFPLEKKEN}
    ruimte = {p: _ruimte(root / map_naam(p)) for p in ARCHIEFPLEKKEN}
    for plek, vrij in ruimte.items():
        if vrij < _MIN_NAAM:
            raise ArchiefFout(
                f"De map {root} ligt te diep voor Windows: in '{map_naam(plek)}' blijft er ruimte voor een naam "
                f"van {max(vrij, 0)} tekens, en een pad mag hoogstens {MAX_PAD + 1} tekens lang zijn. Kies een map "
                "dichter bij het begin van de schijf, bijvoorbeeld in Documenten.")
    stukken = []
    # In the order of the names, so that of two equal names the later gesprek gets the "(2)".
    for bron in sorted(verslagen, key=_volgorde):
        documenten = []
        for deel in bron.formulier.delen:
            for plek in plekken(deel):
                documenten.append(_document(bron, deel, plek, min(ruimte[plek], MAX_NAAM), bezet[plek], gekozen))
        if documenten:
            stukken.append(ArchiefStuk(bron, tuple(documenten)))
    return ArchiefPlan(root, gekozen, tuple(stukken))


def _volgorde(a: ArchiefVerslag) -> tuple[dt.date, str, int, int]:
    return (a.datum or dt.date.max, a.formulier.titel, a.verslag.traject_id, a.verslag.id)


def _ruimte(folder: Path) -> int:
    """How long a file's name in `folder` may be: the path, with its separator, and the temporary name written
    first, within MAX_PAD."""
    return MAX_PAD - len(str(folder)) - 1 - TIJDELIJK_EXTRA


def _soort(formulier: GesprekFormulier, deel: VerslagDeel) -> str:
    """What the document is, in a few words: the gesprek ("Driehoeksgesprek"); for a gesprek with more than one
    verslag, the verslag ("Verslag over de aios (evaluatiegesprek opleider)")."""
    return formulier.titel if len(formulier.delen) == 1 else deel.titel


def _persoon(bron: ArchiefVerslag, plek: VerslagBestemming) -> str:
    """Whose file it goes into: the aios for the e-portfolio, the opleider for the dossier, as a list sorts
    them ("Dijk, Jan van")."""
    naam = bron.aios if plek is VerslagBestemming.E_PORTFOLIO else bron.opleider
    return naam.sorteernaam.strip(" ,") or "onbekend"


def _stam(datum: str, soort: str, versie: str, persoon: str, nummer: str, ruimte: int) -> str:
    """"2026-09-08 Driehoeksgesprek - Visser, Noor": the gesprek's date first (ISO, so that every file manager and
    upload dialog sorts by name in time order, and a traject's files read as its procedure), then what it is,
    then whose it is as a list sorts names. Date first rather than the person: the names match those of "Opslaan
    als document" for one verslag, and in a period's export typing a surname in the folder's search box still
    shows one person's files. A new version says so after what it is ("versie 2"); a number that keeps two names
    apart comes last ("(2)"). Too long for `ruimte`, the middle of what it is is shortened first, then the middle
    of the name; the date stays whole."""
    vast = len(datum) + 1 + len(versie) + len(" - ") + len(nummer)
    soort_ruimte = ruimte - vast - len(persoon)
    if soort_ruimte < 12:
        persoon = _kort(persoon, max(ruimte - vast - 12, 8))
        soort_ruimte = ruimte - vast - len(persoon)
    return windows_naam(f"{datum} {_kort(soort, soort_ruimte)}{versie} - {persoon}{nummer}")


def _document(bron: ArchiefVerslag, deel: VerslagDeel, plek: VerslagBestemming, ruimte: int, bezet: set[str],
              formaten: tuple[Formaat, ...]) -> ArchiefDocument:
    verslag, formulier = bron.verslag, bron.formulier
    datum = bron.datum.isoformat() if bron.datum is not None else "zonder datum"
    soort, persoon = _schoon(_soort(formulier, deel)), _schoon(_persoon(bron, plek))
    versie = f" versie {verslag.versie}" if verslag.versie > 1 else ""
    bijlagen = [v for veld, value in inhoud(formulier, verslag.antwoorden, deel.id)
                if veld.soort is VeldSoort.BIJLAGE and hoort_in(veld, plek, verslag.antwoorden)
                for v in verwijzingen(value)]
    # A document with bijlagen leaves room after its name for theirs: " - bijlage " and a part of the file's name.
    doc_ruimte = ruimte - _MAX_EXTENSIE - 1 - (_BIJLAGE_RUIMTE if bijlagen else 0)
    nummer = 1
    while True:
        stam = _stam(datum, soort, versie, persoon, f" ({nummer})" if nummer > 1 else "", doc_ruimte)
        namen = [_sleutel(f"{stam}.{f.value}") for f in formaten]
        if not any(n in bezet for n in namen):
            break
        nummer += 1
    bezet.update(namen)
    kopieen = []
    for v in bijlagen:
        kopieen.append(ArchiefBijlage(v.bijlage, _bijlage_naam(stam, v.naam, ruimte, bezet), v.sha256))
    return ArchiefDocument(deel, plek, stam, tuple(kopieen))


def _bijlage_naam(stam: str, naam: str, ruimte: int, bezet: set[str]) -> str:
    """"<the document's name> - bijlage Reflectie Noor.docx": it begins with its document's name, so the two stay
    together however the folder is sorted. The extension is the bijlage's own (its content was checked to be
    that kind when it was added)."""
    soort = soort_van_naam(naam)
    ext = f".{soort.value}" if soort is not None else ""
    eigen = _schoon(naam[: len(naam) - len(ext)] if ext else naam) or "bijlage"
    nummer = 1
    while True:
        extra = f" ({nummer})" if nummer > 1 else ""
        vrij = ruimte - len(stam) - len(" - bijlage ") - len(extra) - len(ext)
        kandidaat = windows_naam(f"{stam} - bijlage {_kort(eigen, max(vrij, 1))}{extra}") + ext
        if _sleutel(kandidaat) not in bezet:
            bezet.add(_sleutel(kandidaat))
            return kandidaat
        nummer += 1


def _sleutel(naam: str) -> str:
    """Windows compares names without regard to case (and a Mac in its own normal form)."""
    return unicodedata.normalize("NFC", naam).casefold()


def _schoon(text: str) -> str:
    """One line of visible text, in NFC."""
    text = unicodedata.normalize("NFC", _ONZICHTBAAR.sub("", text))
    return _WIT.sub(" ", text).strip()


def _kort(text: str, lengte: int) -> str:
    """`text` at most `lengte` characters, shortened in the middle with "…": its beginning and end stay."""
    if len(text) <= lengte:
        return text
    if lengte <= 1:
        return "…"[:lengte]
    voor = lengte // 2
    na = lengte - 1 - voor
    return text[:voor].rstrip() + "…" + (text[len(text) - na:].lstrip() if na else "")


def windows_naam(naam: str) -> str:
    """`naam` as a file name every system accepts, Windows included: forbidden characters and control characters
    become "_", hidden direction marks go, no leading or trailing space and no trailing dot, and a name Windows
    reserves (CON, NUL, COM1…, also with an extension) gets a "_" before it."""
    naam = VERBODEN.sub("_", _schoon(naam)).strip().rstrip(". ")
    if not naam:
        return "_"
    if gereserveerd(naam):
        naam = "_" + naam
    return naam


__all__ = [
    "MAX_NAAM",
    "MAX_PAD",
    "PLEKKEN",
    "TIJDELIJK_EXTRA",
    "ArchiefBijlage",
    "ArchiefDocument",
    "ArchiefFout",
    "ArchiefPlan",
    "ArchiefStuk",
    "ArchiefVerslag",
    "Bestand",
    "Formaat",
    "hoort_in",
    "kies_periode",
    "kies_traject",
    "maak_plan",
    "nog_te_exporteren",
    "map_naam",
    "plekken",
    "windows_naam",
]
