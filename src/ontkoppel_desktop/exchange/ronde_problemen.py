"""A problem of an import as the user finds it in the spreadsheet: sheet, row and column, in Dutch.

A cell that cannot be read is placed where it is read. A rule the core finds broken (`validatie.Probleem`) points
into a list of the ronde (`onderdeel`, `index`, `veld`); `Origins` knows from which row each record came and under
which header each field stood, and places it there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ontkoppel_desktop.core.koppelplanner.paarregels import Regel
from ontkoppel_desktop.core.koppelplanner.validatie import Onderdeel, Probleem
from ontkoppel_desktop.exchange.ronde_schema import BLADEN, blad_van, norm


@dataclass(frozen=True, slots=True)
class Importprobleem:
    """One problem, located as a user finds it in the spreadsheet. `rij` is the spreadsheet row (the header
    is row 1); None when the problem is about the whole sheet or file."""

    blad: str | None
    rij: int | None
    kolom: str | None
    bericht: str

    def __str__(self) -> str:
        plek = []
        if self.blad:
            plek.append(f"blad {self.blad}")
        if self.rij is not None:
            plek.append(f"rij {self.rij}")
        if self.kolom:
            plek.append(f"kolom {self.kolom}")
        if not plek:
            return self.bericht
        waar = ", ".join(plek)
        return f"{waar[0].upper()}{waar[1:]}: {self.bericht}"


@dataclass(slots=True)
class SheetOrigin:
    """Where the records of one sheet came from."""

    # The sheet's title as the user wrote it.
    titel: str
    # Per field of the records (Kolom.veld): the header it was read under, as the user wrote it.
    kolomtitels: dict[str, str]
    # The spreadsheet row of each record kept, in the order of the ronde's list.
    rijen: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Origins:
    """Where every record of an import came from, to place the problems the core finds."""

    bladen: dict[Onderdeel, SheetOrigin] = field(default_factory=dict)
    # Ids whose row was dropped for a cell problem: references to them are not reported again.
    weggelaten: dict[Onderdeel, set[str]] = field(
        default_factory=lambda: {Onderdeel.AIOS: set(), Onderdeel.OPLEIDER: set()}
    )

    def locate(self, probleem: Probleem) -> Importprobleem | None:
        """The problem with its sheet, row and column; None when it only follows from a row already reported."""
        if self._follows_from_dropped_row(probleem):
            return None
        onderdeel = probleem.onderdeel
        if probleem.regel is Regel.GEEN_AIOS:
            onderdeel = Onderdeel.AIOS
        elif probleem.regel is Regel.GEEN_OPLEIDERS:
            onderdeel = Onderdeel.OPLEIDER
        origin = self.bladen.get(onderdeel)
        rijen = origin.rijen if origin is not None else []
        rij = rijen[probleem.index] if probleem.index is not None and probleem.index < len(rijen) else None
        if onderdeel is Onderdeel.RONDE and rijen:
            rij = rijen[0]
        kolom = None
        if probleem.veld is not None:
            kolom = origin.kolomtitels.get(probleem.veld, probleem.veld) if origin else probleem.veld
        titel = origin.titel if origin is not None else blad_van(onderdeel).naam
        return Importprobleem(titel, rij, kolom, probleem.bericht)

    def _follows_from_dropped_row(self, probleem: Probleem) -> bool:
        """A reference to an aios or opleider whose own row already has a problem is not reported twice."""
        if probleem.regel is Regel.ONBEKENDE_AIOS:
            return (probleem.aios_id or "") in self.weggelaten[Onderdeel.AIOS]
        if probleem.regel is Regel.ONBEKENDE_OPLEIDER:
            return (probleem.opleider_id or "") in self.weggelaten[Onderdeel.OPLEIDER]
        if probleem.regel is Regel.GEEN_AIOS and self.weggelaten[Onderdeel.AIOS]:
            return True
        return probleem.regel is Regel.GEEN_OPLEIDERS and bool(self.weggelaten[Onderdeel.OPLEIDER])


def ordered(problemen: Iterable[Importprobleem]) -> tuple[Importprobleem, ...]:
    """As the user reads the workbook: sheet by sheet, in the template's order, then row by row."""
    order = {norm(b.naam): i for i, b in enumerate(BLADEN)}
    return tuple(sorted(problemen, key=lambda p: (order.get(norm(p.blad or ""), -1), p.rij or 0)))
