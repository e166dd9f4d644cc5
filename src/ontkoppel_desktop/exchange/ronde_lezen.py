"""A koppelingsronde read from a spreadsheet (.xlsx, or .csv per sheet; the format is `ronde_schema`).

Import is all-or-nothing: the result holds either a valid Ronde or every problem found, each with its sheet, row
and column, in Dutch. A cell that cannot be read drops its row; then the core validates what was read, once, and
its problems are placed in the sheet (`ronde_problemen`). The lookups built for that validation go out with the
ronde, so whoever solves it next neither builds them nor validates again.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ontkoppel_desktop.core.koppelplanner.paarregels import RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import (
    Afwijzing,
    Aios,
    Bezoek,
    Opleider,
    OpleiderStatus,
    Ronde,
    Uitzondering,
    Vastzetting,
)
from ontkoppel_desktop.core.koppelplanner.validatie import Onderdeel, startdatum_problemen, validate
from ontkoppel_desktop.exchange.ronde_bestanden import (
    Onleesbaar,
    Tabel,
    csv_set,
    getal,
    leesreden,
    read_csv,
    read_xlsx,
)
from ontkoppel_desktop.exchange.ronde_cellen import (
    CellError,
    as_bool,
    as_date,
    as_id,
    as_int,
    as_percent,
    as_status,
    as_text,
)
from ontkoppel_desktop.exchange.ronde_problemen import Importprobleem, Origins, SheetOrigin, ordered
from ontkoppel_desktop.exchange.ronde_schema import BLADEN, Blad, norm


@dataclass(frozen=True, slots=True)
class Importresultaat:
    """Either a valid ronde (and no problems) or every problem (and no ronde)."""

    ronde: Ronde | None
    problemen: tuple[Importprobleem, ...]
    # The lookups the validation built over the ronde, marked geldig: hand them to Koppelplanner(ronde, index).
    # Derived from the ronde, so not compared (and the result stays hashable).
    index: RondeIndex | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.ronde is not None


def read_ronde(pad: str | os.PathLike[str], *, today: date | None = None) -> Importresultaat:
    """Import from an .xlsx workbook, a folder of CSV files, or one CSV file of such a folder. `today` (default:
    the real today) places the plausible range of the startdatum."""
    path = Path(pad)
    # Not Path.is_dir() or exists(): they raise for a name too long or a folder without access.
    info = _stat(path)
    is_map = not isinstance(info, OSError) and stat.S_ISDIR(info.st_mode)
    if is_map or path.suffix.lower() == ".csv":
        folder = path if is_map else path.parent
        map_info = info if is_map else _stat(folder)
        if isinstance(map_info, FileNotFoundError | NotADirectoryError):
            return _failed(f"De map {folder} bestaat niet.")
        if isinstance(map_info, OSError):
            return _failed(f"De map {folder} kan niet worden gelezen: {leesreden(map_info)}")
        try:
            bestanden, problemen = csv_set(folder)
        except OSError as error:
            return _failed(f"De map {folder} kan niet worden gelezen: {leesreden(error)}")
        if problemen:
            return Importresultaat(None, tuple(problemen))
        if not bestanden:
            verplicht = ", ".join(f"{b.naam}.csv" for b in BLADEN if b.verplicht)
            return _failed(f"In de map {folder} staan geen CSV-bestanden van een ronde ({verplicht}).")
        return read_ronde_csv(bestanden, today=today)
    if isinstance(info, FileNotFoundError | NotADirectoryError):
        return _failed(f"Het bestand {path} bestaat niet.")
    try:
        tabellen = read_xlsx(path)
    except Onleesbaar as error:
        return _failed(str(error))
    return _import(tabellen, today)


def read_ronde_csv(
    bestanden: Mapping[str, str | os.PathLike[str]], *, today: date | None = None
) -> Importresultaat:
    """Import from one CSV file per sheet: {"Aios": path, "Opleiders": path, ...} (keys case-insensitive)."""
    tabellen: dict[str, Tabel] = {}
    problemen: list[Importprobleem] = []
    for naam, pad in bestanden.items():
        try:
            tabellen[norm(naam)] = read_csv(Path(pad), naam)
        except OSError as error:
            problemen.append(Importprobleem(naam, None, None,
                                            f"Het bestand {pad} kan niet worden gelezen: {leesreden(error)}"))
        except Onleesbaar as error:
            problemen.append(Importprobleem(naam, None, None, str(error)))
    if problemen:
        return Importresultaat(None, tuple(problemen))
    return _import(tabellen, today)


def _stat(path: Path) -> os.stat_result | OSError:
    try:
        return path.stat()
    except OSError as error:
        return error


def _failed(bericht: str) -> Importresultaat:
    return Importresultaat(None, (Importprobleem(None, None, None, bericht),))


@dataclass(slots=True)
class _Sheet:
    """A located sheet: which column index holds which Kolom, and its header as the user wrote it."""

    blad: Blad
    tabel: Tabel
    columns: dict[str, int]
    titles: dict[str, str]
    required: dict[str, bool]


class _Reader:
    """Collects rows into records and problems into one list; nothing leaves it half-done."""

    def __init__(self, tabellen: Mapping[str, Tabel]) -> None:
        self.tabellen = tabellen
        self.problemen: list[Importprobleem] = []
        self.sheets: dict[str, _Sheet] = {}
        self.origins = Origins()

    def locate(self) -> None:
        for blad in BLADEN:
            tabel = self.tabellen.get(norm(blad.naam))
            if tabel is None:
                if blad.verplicht:
                    self.problemen.append(Importprobleem(
                        blad.naam, None, None, f"Het blad {blad.naam} ontbreekt."
                    ))
                continue
            columns: dict[str, int] = {}
            names = {norm(k.naam): k for k in blad.kolommen}
            names.update({norm(a): k for k in blad.kolommen for a in k.aliassen})
            for index, title in enumerate(tabel.header):
                kolom = names.get(norm(title))
                if kolom is None:
                    continue
                if kolom.naam in columns:
                    self.problemen.append(Importprobleem(
                        tabel.titel, 1, title.strip(),
                        f"De kolom {kolom.naam} staat er meer dan één keer (ook als "
                        f"'{tabel.header[columns[kolom.naam]].strip()}').",
                    ))
                    continue
                columns[kolom.naam] = index
            missing = [k.naam for k in blad.kolommen if k.verplicht and k.naam not in columns]
            for naam in missing:
                self.problemen.append(Importprobleem(tabel.titel, 1, naam, f"De kolom {naam} ontbreekt."))
            if missing:
                continue
            titles = {
                k.naam: tabel.header[columns[k.naam]].strip() if k.naam in columns else k.naam for k in blad.kolommen
            }
            self.sheets[blad.naam] = _Sheet(blad, tabel, columns, titles, {k.naam: k.verplicht for k in blad.kolommen})
            self.origins.bladen[blad.onderdeel] = SheetOrigin(
                tabel.titel, {k.veld: titles[k.naam] for k in blad.kolommen}
            )

    def records(self, naam: str, build: Callable[[_Row], Any]) -> list[Any]:
        """Run `build(row)` per spreadsheet row; a row with a cell problem is dropped (and reported)."""
        sheet = self.sheets.get(naam)
        if sheet is None:
            return []
        onderdeel = sheet.blad.onderdeel
        rijen = self.origins.bladen[onderdeel].rijen
        weggelaten = self.origins.weggelaten.get(onderdeel)
        records: list[Any] = []
        for number, cells in sheet.tabel.rows:
            row = _Row(self, sheet, number, cells)
            record = build(row)
            if row.failed:
                ident = row.raw("id")
                if ident and weggelaten is not None:
                    weggelaten.add(ident)
                continue
            records.append(record)
            rijen.append(number)
        return records


# Characters XML 1.0 forbids (and DEL and the C1 controls, which no name holds): refused per cell.
_STUURTEKEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# No naam, praktijk, id or reden comes near this; a longer cell is pasted by mistake, and would not fit in a cell
# of the uitslag with the others (Excel holds 32 767 characters in a cell).
MAX_TEKST = 2_000
# A ronde is one institute's round: hundreds of aios. The solver's matrix grows with aios times places, so a
# sheet of tens of thousands would take minutes and gigabytes; it is refused with the other problems.
MAX_AIOS = 2_000
MAX_OPLEIDERS = 3_000

# Empty cells in these columns are left to core validation, whose message names the aios or opleider and the rule.
_CORE_CHECKS = {"naam", "praktijk", "score", "motivatie", "reden"}


@dataclass(slots=True)
class _Row:
    reader: _Reader
    sheet: _Sheet
    number: int
    cells: list[Any]
    failed: bool = False

    def raw(self, kolom: str) -> str:
        index = self.sheet.columns.get(kolom)
        return as_text(self.cells[index]) if index is not None and index < len(self.cells) else ""

    def get(self, kolom: str, parse: Callable[[Any], Any], default: Any = None) -> Any:
        """One cell, parsed; on a problem it is recorded with sheet, row and column, and `default` returned."""
        index = self.sheet.columns.get(kolom)
        value = self.cells[index] if index is not None and index < len(self.cells) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if kolom in _CORE_CHECKS or not self.sheet.required[kolom]:
                return default
            return self._fail(kolom, "is leeg.", default)
        if isinstance(value, str):
            if _STUURTEKEN.search(value):
                # XML cannot hold these, so the uitslag could not be written; the value itself is not repeated.
                return self._fail(kolom, "bevat een onzichtbaar stuurteken (zoals NUL, BEL of ESC); haal het weg.",
                                  default)
            if "\ufffd" in value:
                # What a CSV in an unexpected encoding leaves of a letter it could not read (`ronde_bestanden`).
                return self._fail(kolom, "bevat een teken dat niet te lezen was (\ufffd). Sla het bestand op als "
                                         "'CSV UTF-8' en lees het opnieuw in.", default)
            if len(value) > MAX_TEKST:
                return self._fail(kolom, f"is {getal(len(value))} tekens lang; een cel van een ronde heeft er "
                                         f"hoogstens {getal(MAX_TEKST)}.", default)
        try:
            return parse(value)
        except CellError as error:
            return self._fail(kolom, str(error), default)

    def get_percent(self, kolom: str, default: int) -> int:
        """A percentage; a number shown as "40%" in Excel is stored as 0.4, so its cell format decides."""
        index = self.sheet.columns.get(kolom)
        shown = index is not None and (self.number, index) in self.sheet.tabel.procent
        value: int = self.get(kolom, lambda v: as_percent(v, shown), default)
        return value

    def _fail(self, kolom: str, bericht: str, default: Any) -> Any:
        self.failed = True
        self.reader.problemen.append(
            Importprobleem(self.sheet.tabel.titel, self.number, self.sheet.titles[kolom], bericht)
        )
        return default


def _import(tabellen: Mapping[str, Tabel], today: date | None = None) -> Importresultaat:
    reader = _Reader(tabellen)
    reader.locate()

    def year(v: Any) -> int:
        return as_int(v, "opleidingsjaar")

    def score(v: Any) -> int:
        return as_int(v, "score")

    def capaciteit(v: Any) -> int:
        return as_int(v, "capaciteit")

    aios = reader.records("Aios", lambda row: Aios(
        id=row.get("id", as_id, ""),
        naam=row.get("naam", as_text, ""),
        opleidingsjaar=row.get("opleidingsjaar", year, 0),
        deeltijdpercentage=row.get_percent("deeltijd", 100),
    ))
    opleiders = reader.records("Opleiders", lambda row: Opleider(
        id=row.get("id", as_id, ""),
        naam=row.get("naam", as_text, ""),
        praktijk=row.get("praktijk", as_text, ""),
        status=row.get("status", as_status, OpleiderStatus.ERVAREN),
        coassistent=row.get("coassistent", as_bool, False),
        blokkade=row.get("blokkade", as_bool, False),
        capaciteit=row.get("capaciteit", capaciteit, 1),
        duo_opleider=row.get("duo-opleider", as_bool, False),
        aanwezigheidspercentage=row.get_percent("aanwezigheid", 100),
    ))
    bezoeken = reader.records("Voorkeuren", lambda row: Bezoek(
        aios_id=row.get("aios", as_id, ""),
        opleider_id=row.get("opleider", as_id, ""),
        score=row.get("score", score, None),
    ))
    afwijzingen = reader.records("Afwijzingen", lambda row: Afwijzing(
        opleider_id=row.get("opleider", as_id, ""),
        aios_id=row.get("aios", as_id, ""),
        motivatie=row.get("motivatie", as_text, ""),
    ))
    vastzettingen = reader.records("Vastgezet", lambda row: Vastzetting(
        aios_id=row.get("aios", as_id, ""),
        opleider_id=row.get("opleider", as_id, ""),
        reden=row.get("reden", as_text, ""),
    ))
    uitzonderingen = reader.records("Uitzonderingen", lambda row: Uitzondering(
        aios_id=row.get("aios", as_id, ""),
        opleider_id=row.get("opleider", as_id, ""),
        reden=row.get("reden", as_text, ""),
    ))
    ronde_rows = reader.records(
        "Ronde", lambda row: (row.get("naam", as_text, ""), row.get("startdatum", as_date, None))
    )
    if len(ronde_rows) > 1:
        origin = reader.origins.bladen[Onderdeel.RONDE]
        reader.problemen.append(Importprobleem(origin.titel, origin.rijen[1], None, "Het blad Ronde heeft één rij."))
    naam, startdatum = ronde_rows[0] if ronde_rows else ("", None)

    if "Aios" not in reader.sheets or "Opleiders" not in reader.sheets:
        # Without the people every reference to them would be reported as unknown: first fix the structure.
        return Importresultaat(None, ordered(reader.problemen))
    te_veel = [(naam, len(lijst), grens) for naam, lijst, grens in (
        ("Aios", aios, MAX_AIOS), ("Opleiders", opleiders, MAX_OPLEIDERS)) if len(lijst) > grens]
    if te_veel:
        for naam, aantal, grens in te_veel:
            titel = reader.sheets[naam].tabel.titel
            reader.problemen.append(Importprobleem(
                titel, None, None,
                f"Het blad {titel} heeft {getal(aantal)} rijen; een ronde heeft er hoogstens {getal(grens)}. Is het "
                "de goede werkmap?",
            ))
        return Importresultaat(None, ordered(reader.problemen))
    ronde = Ronde(
        aios=tuple(aios),
        opleiders=tuple(opleiders),
        bezoeken=tuple(bezoeken),
        afwijzingen=tuple(afwijzingen),
        vastzettingen=tuple(vastzettingen),
        uitzonderingen=tuple(uitzonderingen),
        startdatum=startdatum,
        naam=naam,
    )
    index = RondeIndex.build(ronde)
    # The startdatum's plausible range (issue 7: a year 9999 was accepted) is checked with the other rules, so
    # it is listed with every other problem.
    for probleem in [*validate(ronde, index), *startdatum_problemen(ronde, today)]:
        located = reader.origins.locate(probleem)
        if located is not None:
            reader.problemen.append(located)
    if reader.problemen:
        return Importresultaat(None, ordered(reader.problemen))
    return Importresultaat(ronde, (), index)
