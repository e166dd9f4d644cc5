"""A koppelingsronde as plain data: the aios, the opleiders, the bezoeken with their scores, the afwijzingen,
the vastzettingen and the manager's uitzonderingen, plus the calendar the AMC kaders give per start date.

Everything here is input. The rules over it live in `paarregels` and `validatie`, the optimum in `solver`.

Ids are strings (a workbook may say "A01" or 17); the store converts its integer ids with `str()`.
No field lets an opleider prefer a fulltime or a parttime aios: AMC kaders, Kaders opleiders, "Het is niet
mogelijk om een voorkeur door te geven voor alleen een fulltime dan wel parttime aios." The deeltijdpercentage
of an aios is shown on the board and never used by the solver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# AMC kaders, Koppelingsprocedure zelf: "op bezoek ... bij verschillende praktijken (maximaal 5)".
MAX_BEZOEKEN = 5
# AMC kaders: "scoren van 1 t/m 4 (5 indien 5 gesprekken hebben plaatsgevonden)".
MAX_SCORE_NORMAAL = 4
MAX_SCORE = 5
# AMC kaders, Kaders opleiders: "Een duo-opleider dient minimaal 40% aanwezig te zijn."
MIN_AANWEZIGHEID_DUO = 40
# AMC kaders: a round couples 1st-year aios (to curriculum or ervaren opleiders) and 3rd-year aios (ervaren).
KOPPEL_OPLEIDINGSJAREN = (1, 3)
# Part-time training is at least 50 % (same bound as core.personen.Aios).
MIN_DEELTIJD = 50

_MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def datum_nl(dag: date) -> str:
    """A date as a Dutch letter writes it: "15 januari 2027"."""
    return f"{dag.day} {_MAANDEN[dag.month - 1]} {dag.year}"


_LANGSTE_GETAL = 4000


def natural_key(ident: str) -> tuple[tuple[tuple[int, int | str], ...], str]:
    """Sort key for ids that puts "A2" before "A10"; the raw id last, so "A01" and "A1" still differ and the
    order is total (the solver's determinism rests on it)."""
    # isdecimal, not isdigit: "²" is a digit that int() refuses (it is no decimal, so \d leaves it in the text).
    # A run of digits longer than int() converts (4 300) sorts as text.
    parts = tuple(
        (0, int(chunk)) if chunk.isdecimal() and len(chunk) <= _LANGSTE_GETAL else (1, chunk.casefold())
        for chunk in re.findall(r"\d+|\D+", ident)
    )
    return parts, ident


class OpleiderStatus(StrEnum):
    """AMC kaders, Kaders opleiders. The value is the word in the workbook and the store."""

    # "Opleiders die deelnemen aan het 4 jarig opleiderscurriculum ... worden gekoppeld aan een 1e jaars aios."
    CURRICULUM = "curriculum"
    # "Ervaren opleiders ... komen zowel in aanmerking voor een 1e als een 3e jaars aios."
    ERVAREN = "ervaren"

    @property
    def label(self) -> str:
        return "opleiderscurriculum" if self is OpleiderStatus.CURRICULUM else "ervaren opleider"


@dataclass(frozen=True, slots=True)
class Aios:
    id: str
    naam: str
    opleidingsjaar: int
    # Informational only (see the module docstring).
    deeltijdpercentage: int = 100

    @property
    def wie(self) -> str:
        """How a message on screen or in a document names this aios: "Aios Sanne de Vries". The id is an
        internal key of the workbook; it shows only when there is no name."""
        return f"Aios {self.naam}" if self.naam else f"Aios {self.id}"

    @property
    def wie_in_werkmap(self) -> str:
        """How a problem of an imported workbook names this aios: with the id, because the sheets Voorkeuren,
        Afwijzingen, Vastgezet and Uitzonderingen name the aios only by it: "Aios Sanne de Vries (A01)"."""
        return f"Aios {self.naam} ({self.id})" if self.naam else f"Aios {self.id}"


@dataclass(frozen=True, slots=True)
class Opleider:
    """One opleider's place in a practice for this round.

    `capaciteit` is the number of aios the opleider takes this round (the issue: "one aios per round unless set
    otherwise"). `blokkade` is set after an ontkoppeling: no new aios before the 1-month contact (Utrecht, phase 2).
    A duo-opleider shares the role; `aanwezigheidspercentage` is this opleider's presence (at least 40 %).
    """

    id: str
    naam: str
    praktijk: str
    status: OpleiderStatus
    coassistent: bool = False
    blokkade: bool = False
    capaciteit: int = 1
    duo_opleider: bool = False
    aanwezigheidspercentage: int = 100

    @property
    def voorrang(self) -> bool:
        """AMC kaders: priority for opleiders who let their aios supervise a coassistent, and for those in the
        4-year opleiderscurriculum."""
        return self.coassistent or self.status is OpleiderStatus.CURRICULUM

    @property
    def wie(self) -> str:
        """How a message on screen or in a document names this opleider: "Opleider Jan Bakker van
        Huisartsenpraktijk De Linde" (a practice's name often ends in its town between brackets already). The
        id is an internal key of the workbook; it shows only when there is no name."""
        if not self.naam:
            return self.wie_in_werkmap
        return f"Opleider {self.naam} van {self.praktijk}" if self.praktijk else f"Opleider {self.naam}"

    @property
    def wie_in_werkmap(self) -> str:
        """How a problem of an imported workbook names this opleider: with the id, the key the other sheets use:
        "Opleider Jan Bakker (O07, Huisartsenpraktijk De Linde)"."""
        waar = f", {self.praktijk}" if self.praktijk else ""
        return f"Opleider {self.naam} ({self.id}{waar})" if self.naam else f"Opleider {self.id}{waar}"

    @property
    def kort(self) -> str:
        """Name and practice for a sentence: "Jan Bakker (Huisartsenpraktijk De Linde)"."""
        return f"{self.naam} ({self.praktijk})" if self.praktijk else self.naam


@dataclass(frozen=True, slots=True)
class Bezoek:
    """A koppelgesprek of an aios with an opleider in the practice, and the score the aios gave it.

    One Voorkeuren row is one bezoek. `score` 1 is the first choice; None means the aios gave no score (a
    problem `validatie.validate` reports)."""

    aios_id: str
    opleider_id: str
    score: int | None


@dataclass(frozen=True, slots=True)
class Afwijzing:
    """AMC kaders: "Opleiders hebben het recht om één kandidaat af te wijzen met een duidelijke motivatie." """

    opleider_id: str
    aios_id: str
    motivatie: str


@dataclass(frozen=True, slots=True)
class Vastzetting:
    """A pair fixed before solving, e.g. an aios returning to the same practice after pregnancy leave
    (AMC kaders, Zwangerschap). The solver always keeps it."""

    aios_id: str
    opleider_id: str
    reden: str


@dataclass(frozen=True, slots=True)
class Uitzondering:
    """The manager allows a pair the aios did not visit (AMC kaders: not visiting needs prior consultation with
    the secretariaat, for weighty reasons only). The pair then counts as a choice after every visited one."""

    aios_id: str
    opleider_id: str
    reden: str


@dataclass(frozen=True, slots=True)
class Ronde:
    """A matching round. Tuples keep the input order, so a problem can point back at its workbook row."""

    aios: tuple[Aios, ...]
    opleiders: tuple[Opleider, ...]
    bezoeken: tuple[Bezoek, ...] = ()
    afwijzingen: tuple[Afwijzing, ...] = ()
    vastzettingen: tuple[Vastzetting, ...] = ()
    uitzonderingen: tuple[Uitzondering, ...] = ()
    startdatum: date | None = None
    naam: str = ""

    @property
    def planning(self) -> Rondeplanning | None:
        if self.startdatum is None or self.startdatum.month not in _PLANNING:
            return None
        return plan_ronde(self.startdatum)


@dataclass(frozen=True, slots=True)
class Rondeplanning:
    """When the koppelgesprekken take place and when the uitslag is known, for one start date."""

    startdatum: date
    gesprekken_van: date
    gesprekken_tot: date
    uitslag: date
    # The words of the kaders, shown beside the dates because the dates are our reading of them.
    omschrijving: str

    @property
    def tekst(self) -> str:
        return (
            f"Start {datum_nl(self.startdatum)}: koppelgesprekken {datum_nl(self.gesprekken_van)} tot en met "
            f"{datum_nl(self.gesprekken_tot)}, uitslag koppeling uiterlijk {datum_nl(self.uitslag)} "
            f"({self.omschrijving})."
        )


# AMC kaders, Koppelgesprekken, per start month: (gesprekken from (months before start, day),
# gesprekken to (months before start, day), uitslag (months before start, day), the kaders' own words).
# "Half" is read as the 15th; "begin januari" as up to the 10th; "half maart" as the two weeks around the 15th.
_PLANNING: dict[int, tuple[tuple[int, int], tuple[int, int], tuple[int, int], str]] = {
    3: ((3, 1), (2, 10), (2, 15), "gesprekken december tot begin januari, uitslag koppeling half januari bekend"),
    6: ((3, 8), (3, 22), (2, 15), "gesprekken half maart, uitslag koppeling half april bekend"),
    9: ((3, 1), (3, 30), (2, 15), "gesprekken juni, uitslag koppeling half juli bekend"),
    12: ((3, 1), (3, 30), (2, 15), "gesprekken september, uitslag koppeling half oktober bekend"),
}

STARTMAANDEN = tuple(sorted(_PLANNING))


def _months_before(start: date, months: int, day: int) -> date:
    index = start.year * 12 + (start.month - 1) - months
    return date(index // 12, index % 12 + 1, day)


def plan_ronde(startdatum: date) -> Rondeplanning:
    """The period of the koppelgesprekken and the date the uitslag is due, derived from the AMC kaders.

    Start March 2027: gesprekken 1 December 2026 to 10 January 2027, uitslag 15 January 2027.
    Raises ValueError (Dutch message) for a start month the kaders do not know."""
    if startdatum.month not in _PLANNING:
        raise ValueError(
            f"De startdatum {datum_nl(startdatum)} valt niet in maart, juni, september of december; "
            "de kaders van de koppelingsprocedure kennen alleen die startmomenten."
        )
    van, tot, uitslag, omschrijving = _PLANNING[startdatum.month]
    return Rondeplanning(
        startdatum=startdatum,
        gesprekken_van=_months_before(startdatum, *van),
        gesprekken_tot=_months_before(startdatum, *tot),
        uitslag=_months_before(startdatum, *uitslag),
        omschrijving=omschrijving,
    )
