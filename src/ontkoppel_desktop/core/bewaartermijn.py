"""Bewaartermijnen (AVG): how long each kind of record is kept after it is done with, what has passed its term, and
deleting that for good.

The AVG (art. 5 lid 1 onder e) keeps personal data no longer than its purpose needs. Everywhere else the store is
append-only: events are never rewritten, a definitief verslag is sealed, every correction keeps what it corrects. That
protects a record while it is in use; it is no reason to keep it afterwards. Deleting a record once its term has passed
is part of the design, not an exception to it: it goes whole (events, verslagen in every version, bijlagen, search
words, derived rows), through one door (`BewaartermijnService.verwijder`), in one transaction, after the user confirmed
the list this module computed.

What is listed, and from which day its term counts:
- a **traject** that is closed, from the day it was closed (its last effective `traject_gesloten`); an open traject is
  never listed, whatever its age;
- a **koppelronde**, from its startdatum (the day its koppelingen begin: its choices and scores have served);
- an **aios** or **opleider** that is archived, from the day of archiving or the end of the last koppeling, whichever
  is later; only when nothing that stays names them: no traject (as its aios or opleider, or in an event), no ronde
  (by id or by name), and no koppeling with someone who is not archived. Their koppelingen go with them.

Pure: the store gives the facts (`Feiten`), `verlopen` answers for a given `today`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.kalender import add_months, dutch_date
from ontkoppel_desktop.core.transactions import Transactions

TRAJECT = "traject"
RONDE = "ronde"
AIOS = "aios"
OPLEIDER = "opleider"
PERSONEN = (AIOS, OPLEIDER)

# (soort, id): a record in the list.
Sleutel = tuple[str, int]

MIN_JAREN = 1
MAX_JAREN = 30


@dataclass(frozen=True, slots=True)
class Bewaartermijnen:
    """The term per kind of record, in whole years. The defaults are a proposal for a Dutch huisartsopleiding; the
    institute sets its own (Instellingen), with its functionaris gegevensbescherming."""

    # Closed during the training, which takes 3 years full-time and up to 6 part-time (plus a verlenging): 7 years
    # covers the rest of the training, its eindbeoordeling and a bezwaar, and the opleider's next erkenning (every 5
    # years), for which the verslagen in the opleidersdossier are used.
    trajecten: int = 7
    # Choices and scores serve the koppeling and a question or bezwaar about it; the koppeling itself stays in
    # Personen. 2 years covers the aios's next ronde (year 3 after year 1).
    rondes: int = 2
    # Someone who left (archived) and is named by nothing that stays: kept a little while for a late question or an
    # archiving by mistake.
    personen: int = 2

    def jaren(self, soort: str) -> int:
        return {TRAJECT: self.trajecten, RONDE: self.rondes}.get(soort, self.personen)

    def geldig(self) -> Bewaartermijnen:
        """The terms within MIN_JAREN..MAX_JAREN (a settings file edited by hand may hold anything)."""
        def binnen(jaren: int) -> int:
            return min(MAX_JAREN, max(MIN_JAREN, int(jaren)))

        return Bewaartermijnen(binnen(self.trajecten), binnen(self.rondes), binnen(self.personen))


# Why each term, in the words shown beside the setting (Dutch, for the user): what the record still serves, and why
# the proposed number of years.
REDEN: Mapping[str, str] = {
    TRAJECT: ("Een traject wordt meestal tijdens de opleiding gesloten. De opleiding duurt voltijds 3 jaar en in "
              "deeltijd tot 6 jaar (plus een eventuele verlenging). Voorstel 7 jaar na het sluiten: dat dekt de rest "
              "van de opleiding, de eindbeoordeling en een bezwaar, en de volgende erkenning van de opleider (elke 5 "
              "jaar), waarvoor de verslagen in het opleidersdossier worden gebruikt."),
    RONDE: ("Keuzes en scores van een koppelronde dienen de koppeling en een vraag of bezwaar daarover; de koppeling "
            "zelf blijft in Personen. Voorstel 2 jaar na de start: dat dekt ook de volgende ronde van de aios (jaar 3 "
            "na jaar 1)."),
    AIOS: ("Wie vertrokken is (gearchiveerd) en nergens meer in voorkomt, blijft nog even bewaard voor een late vraag "
           "of een archivering per vergissing. Voorstel 2 jaar na het archiveren of het einde van de laatste "
           "koppeling."),
}
# What a record past its term served, in a few words for the list.
DOEL: Mapping[str, str] = {
    TRAJECT: "rest van de opleiding, eindbeoordeling, bezwaar; erkenning van de opleider",
    RONDE: "de koppeling en een vraag of bezwaar daarover",
    AIOS: "een late vraag of een archivering per vergissing",
}


def reden(soort: str) -> str:
    return REDEN.get(soort, REDEN[AIOS])


def na_jaren(dag: dt.date, jaren: int) -> dt.date:
    """`dag` plus whole years (29 February to 28 February); the last day there is when that is past the calendar."""
    try:
        return add_months(dag, 12 * jaren)
    except (ValueError, OverflowError):
        return dt.date.max


# ---- the facts the store gives ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrajectFeiten:
    id: int
    aios: str  # names, for the list
    opleider: str
    gesloten_op: dt.date | None  # None: open
    # Every aios and opleider the traject names: its own, and those its events name (a kandidaat, a new opleider).
    personen: frozenset[Sleutel] = frozenset()
    gebeurtenissen: int = 0
    verslagen: int = 0  # rows: every version, concept or definitief
    bijlagen: int = 0


@dataclass(frozen=True, slots=True)
class RondeFeiten:
    id: int
    naam: str
    startdatum: dt.date
    # Who the ronde names, per soort: its ids (the store's, as text, when made from Personen) and names (folded).
    ids: Mapping[str, frozenset[str]] = field(default_factory=dict)
    namen: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def noemt(self, soort: str, persoon_id: int, naam: str) -> bool:
        return str(persoon_id) in self.ids.get(soort, frozenset()) or vouw(naam) in self.namen.get(soort, frozenset())


@dataclass(frozen=True, slots=True)
class KoppelingFeit:
    id: int
    ander: Sleutel  # the other person of the koppeling
    ander_gearchiveerd: bool
    einde: dt.date | None


@dataclass(frozen=True, slots=True)
class PersoonFeiten:
    soort: str  # AIOS or OPLEIDER
    id: int
    naam: str
    gearchiveerd_op: dt.date | None  # None: not archived
    koppelingen: tuple[KoppelingFeit, ...] = ()


@dataclass(frozen=True, slots=True)
class Feiten:
    trajecten: tuple[TrajectFeiten, ...] = ()
    rondes: tuple[RondeFeiten, ...] = ()
    personen: tuple[PersoonFeiten, ...] = ()


def vouw(naam: str) -> str:
    """A name as a ronde's names are compared: case and runs of spaces do not count."""
    return " ".join(naam.split()).casefold()


# ---- what has passed its term ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verlopen:
    """One record past its term, as the list shows it."""

    soort: str
    id: int
    wie: str  # the names it is about
    sinds: dt.date
    sinds_wat: str  # "gesloten", "gestart", "gearchiveerd", "laatste koppeling beëindigd"
    jaren: int
    verlopen_op: dt.date
    inhoud: str  # what goes with it
    # For a person: the trajecten and rondes that name them; the person goes only together with those.
    vereist: frozenset[Sleutel] = frozenset()

    @property
    def sleutel(self) -> Sleutel:
        return (self.soort, self.id)

    @property
    def soort_label(self) -> str:
        return {TRAJECT: "Traject", RONDE: "Koppelronde", AIOS: "Aios", OPLEIDER: "Opleider"}[self.soort]

    @property
    def reden(self) -> str:
        return reden(self.soort)

    @property
    def doel(self) -> str:
        return DOEL.get(self.soort, DOEL[AIOS])

    @property
    def termijn(self) -> str:
        """"7 jaar na het sluiten (gesloten op 3 maart 2019)"."""
        na = {TRAJECT: "het sluiten", RONDE: "de start"}.get(self.soort, "het vertrek")
        return f"{self.jaren} jaar na {na} ({self.sinds_wat} op {dutch_date(self.sinds)})"


def _meervoud(aantal: int, enkel: str, meer: str) -> str:
    return f"{aantal} {enkel if aantal == 1 else meer}"


def verlopen(feiten: Feiten, termijnen: Bewaartermijnen, today: dt.date) -> list[Verlopen]:
    """Every record whose term has passed on `today`: trajecten, rondes, then people; within a kind, longest past
    first."""
    termijnen = termijnen.geldig()
    items: list[Verlopen] = []
    for t in feiten.trajecten:
        if t.gesloten_op is None:
            continue  # in use: never listed
        op = na_jaren(t.gesloten_op, termijnen.trajecten)
        if op <= today:
            inhoud = ", ".join([
                _meervoud(t.gebeurtenissen, "gebeurtenis", "gebeurtenissen"),
                _meervoud(t.verslagen, "verslag(versie)", "verslagen (alle versies)"),
                _meervoud(t.bijlagen, "bijlage", "bijlagen"),
            ])
            items.append(Verlopen(TRAJECT, t.id, f"{t.aios} met {t.opleider}", t.gesloten_op, "gesloten",
                                  termijnen.trajecten, op, inhoud))
    for r in feiten.rondes:
        op = na_jaren(r.startdatum, termijnen.rondes)
        if op <= today:
            aantal_aios = len(r.ids.get(AIOS, frozenset()))
            aantal_opleiders = len(r.ids.get(OPLEIDER, frozenset()))
            items.append(Verlopen(RONDE, r.id, r.naam, r.startdatum, "gestart", termijnen.rondes, op,
                                  f"{_meervoud(aantal_aios, 'aios', 'aios')} en "
                                  f"{_meervoud(aantal_opleiders, 'opleider', 'opleiders')} met keuzes en scores"))
    weg = {i.sleutel for i in items}
    gearchiveerd = {(p.soort, p.id) for p in feiten.personen if p.gearchiveerd_op is not None}
    for p in feiten.personen:
        item = _persoon(p, feiten, termijnen.personen, today, weg, gearchiveerd)
        if item is not None:
            items.append(item)
    volgorde = {TRAJECT: 0, RONDE: 1, AIOS: 2, OPLEIDER: 3}
    return sorted(items, key=lambda i: (volgorde[i.soort], i.verlopen_op, i.id))


def _persoon(p: PersoonFeiten, feiten: Feiten, jaren: int, today: dt.date, weg: set[Sleutel],
             gearchiveerd: set[Sleutel]) -> Verlopen | None:
    if p.gearchiveerd_op is None:
        return None
    sleutel = (p.soort, p.id)
    # A koppeling is the record of both: it goes only when the other one left too.
    if any(k.ander not in gearchiveerd for k in p.koppelingen):
        return None
    einden = [k.einde for k in p.koppelingen if k.einde is not None]
    sinds, wat = p.gearchiveerd_op, "gearchiveerd"
    if einden and max(einden) > sinds:
        sinds, wat = max(einden), "laatste koppeling beëindigd"
    op = na_jaren(sinds, jaren)
    if op > today:
        return None
    vereist = {(TRAJECT, t.id) for t in feiten.trajecten if sleutel in t.personen}
    vereist |= {(RONDE, r.id) for r in feiten.rondes if r.noemt(p.soort, p.id, p.naam)}
    if not vereist <= weg:
        return None  # something that stays names them
    inhoud = "persoonsgegevens"
    if p.koppelingen:
        inhoud += f" en {_meervoud(len(p.koppelingen), 'koppeling', 'koppelingen')}"
    return Verlopen(p.soort, p.id, p.naam, sinds, wat, jaren, op, inhoud, frozenset(vereist))


def samen(items: Iterable[Verlopen], gekozen: Collection[Sleutel]) -> set[Sleutel]:
    """The chosen records that can go together: a person whose trajecten or rondes are kept, is kept too."""
    gekozen = set(gekozen)
    return {i.sleutel for i in items if i.sleutel in gekozen and i.vereist <= gekozen}


# ---- deleting ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verwijderd:
    """What the repository deleted, by id where a screen shows it."""

    trajecten: frozenset[int] = frozenset()
    verslagen: frozenset[int] = frozenset()
    rondes: frozenset[int] = frozenset()
    aios: frozenset[int] = frozenset()
    opleiders: frozenset[int] = frozenset()
    koppelingen: frozenset[int] = frozenset()
    # The opleiders of the deleted trajecten (a blokkade they held is gone).
    traject_opleiders: frozenset[int] = frozenset()
    gebeurtenissen: int = 0
    bijlagen: int = 0


class BewaartermijnRepository(Protocol):
    def feiten(self) -> Feiten: ...

    def verwijder(self, trajecten: Collection[int], rondes: Collection[int], aios: Collection[int],
                  opleiders: Collection[int]) -> Verwijderd:
        """Delete these records and everything that hangs from them, inside the caller's transaction."""
        ...

    def ruim_op(self) -> bool:
        """After the commit: let no page or journal of the file hold what was deleted. True when done in full."""
        ...


@dataclass(frozen=True, slots=True)
class Verwijdering:
    """The result of `verwijder`: what changed (for the screens), what went, and whether the file was cleaned up
    at once (else it is at the next lock or close)."""

    changes: Changes
    verwijderd: Verwijderd
    opgeruimd: bool


class BewaartermijnService:
    """The one door for deleting records past their term."""

    def __init__(self, tx: Transactions, repo: BewaartermijnRepository) -> None:
        self._tx = tx
        self.repo = repo

    def verlopen(self, termijnen: Bewaartermijnen, today: dt.date) -> list[Verlopen]:
        return verlopen(self.repo.feiten(), termijnen, today)

    def verwijder(self, sleutels: Collection[Sleutel], termijnen: Bewaartermijnen, today: dt.date) -> Verwijdering:
        """Delete these records for good, in one transaction. Each must still be past its term now (computed again
        inside the transaction: a traject reopened or a person restored since the list was shown is refused), and
        a person only together with the trajecten and rondes that name them."""
        gekozen = set(sleutels)
        with self._tx.transaction():
            nu = {i.sleutel: i for i in verlopen(self.repo.feiten(), termijnen, today)}
            problemen = [f"{soort_label(s)} {i} is niet (meer) over de bewaartermijn, of wordt weer gebruikt; "
                         "het is niet verwijderd." for s, i in sorted(gekozen) if (s, i) not in nu]
            problemen += [f"{nu[k].soort_label} {nu[k].wie} kan alleen weg samen met wat die persoon noemt "
                          "(trajecten of rondes die je bewaart)." for k in sorted(gekozen)
                          if k in nu and not nu[k].vereist <= gekozen]
            if problemen:
                raise ValidatieFout(problemen)

            def ids(soort: str) -> list[int]:
                return sorted(i for s, i in gekozen if s == soort)

            verwijderd = self.repo.verwijder(ids(TRAJECT), ids(RONDE), ids(AIOS), ids(OPLEIDER))
        opgeruimd = self.repo.ruim_op() if gekozen else True
        return Verwijdering(_changes(verwijderd), verwijderd, opgeruimd)


def soort_label(soort: str) -> str:
    return {TRAJECT: "Traject", RONDE: "Koppelronde", AIOS: "Aios", OPLEIDER: "Opleider"}.get(soort, soort)


def _changes(v: Verwijderd) -> Changes:
    changes = Changes()
    for kind, ids in ((c.TRAJECT, v.trajecten), (c.VERSLAG, v.verslagen), (c.RONDE, v.rondes), (c.AIOS, v.aios),
                      (c.OPLEIDER, v.opleiders | v.traject_opleiders), (c.KOPPELING, v.koppelingen),
                      (c.BLOKKADE, v.traject_opleiders)):
        if ids:
            changes = changes | Changes.of_ids(kind, ids)
    return changes


__all__ = [
    "AIOS", "DOEL", "MAX_JAREN", "MIN_JAREN", "OPLEIDER", "PERSONEN", "REDEN", "RONDE", "TRAJECT", "Bewaartermijnen",
    "BewaartermijnRepository", "BewaartermijnService", "Feiten", "KoppelingFeit", "PersoonFeiten", "RondeFeiten",
    "Sleutel", "TrajectFeiten", "Verlopen", "Verwijderd", "Verwijdering", "na_jaren", "reden", "samen",
    "soort_label", "verlopen", "vouw",
]
