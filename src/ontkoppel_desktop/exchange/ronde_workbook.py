"""A koppelingsronde in and out of a spreadsheet: import from .xlsx or .csv, the empty template, and the
uitslag as .xlsx.

The workbook (sheet and column names are matched case-insensitively, surrounding whitespace ignored; extra
sheets and columns are ignored; * = required):

- Ronde (optional): naam, startdatum — one row. The startdatum falls in March, June, September or December,
  within three years from today (core.plausibel.RONDE_START).
- Aios*: id*, naam*, opleidingsjaar* (1 or 3), deeltijd (percentage, 50-100, default 100; shown only).
- Opleiders*: id*, naam*, praktijk*, status* (curriculum/ervaren), coassistent (ja/nee), blokkade (ja/nee),
  capaciteit (default 1), duo-opleider (ja/nee), aanwezigheid (percentage; a duo-opleider at least 40).
- Voorkeuren*: aios*, opleider*, score — one row per bezoek; scores 1..n per aios for n bezoeken (at most 5).
- Afwijzingen (optional): opleider*, aios*, motivatie — at most one per opleider, motivatie required.
- Vastgezet (optional): aios*, opleider*, reden.
- Uitzonderingen (optional): aios*, opleider*, reden — the manager allows an unvisited practice.

aios and opleider in the last four sheets are the ids of the first two. There is deliberately no column for a
preference for fulltime or parttime aios (AMC kaders); such a column is ignored like any extra one.

CSV: one file per sheet, named after the sheet (Aios.csv, Opleiders.csv, Voorkeuren.csv, ...; a prefix is
allowed: "ronde-maart_Aios.csv"), all in one folder. Pass the folder, or any one of the files, to `read_ronde`;
or let the user pick a file per sheet and pass them to `read_ronde_csv`. Both delimiters ";" (what Excel writes
with Dutch settings) and "," are accepted, as are UTF-8 with or without BOM and Windows-1252 (Excel's plain
"CSV"). Decimal commas in percentages are accepted.

Import is all-or-nothing: the result holds either a valid Ronde or every problem found, each with its sheet,
row and column, in Dutch.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ontkoppel_desktop.core.koppelplanner.paarregels import Regel, RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import (
    Afwijzing,
    Aios,
    Bezoek,
    Opleider,
    OpleiderStatus,
    Ronde,
    Uitzondering,
    Vastzetting,
    datum_nl,
)
from ontkoppel_desktop.core.koppelplanner.solver import Uitslag
from ontkoppel_desktop.core.koppelplanner.uitleg import Uitleg, explain
from ontkoppel_desktop.core.koppelplanner.validatie import Onderdeel, Probleem, startdatum_problemen, validate


class _CellError(ValueError):
    """A cell that cannot be read; the message is Dutch."""


@dataclass(frozen=True, slots=True)
class Kolom:
    naam: str
    verplicht: bool
    uitleg: str
    # The Ronde/record attribute it fills (also the `veld` of a core Probleem).
    veld: str
    aliassen: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Blad:
    naam: str
    verplicht: bool
    uitleg: str
    kolommen: tuple[Kolom, ...]
    onderdeel: Onderdeel


BLADEN: tuple[Blad, ...] = (
    Blad("Ronde", False, "Eén rij: de naam en de startdatum van de ronde.", (
        Kolom("naam", False, "bijvoorbeeld 'Maart 2027'", "naam"),
        Kolom("startdatum", False, "in maart, juni, september of december", "startdatum"),
    ), Onderdeel.RONDE),
    Blad("Aios", True, "De aios die deze ronde gekoppeld worden.", (
        Kolom("id", True, "uniek, bijvoorbeeld A01", "id", ("aios", "aios id", "aios-id")),
        Kolom("naam", True, "voornaam en achternaam", "naam"),
        Kolom("opleidingsjaar", True, "1 of 3", "opleidingsjaar", ("jaar",)),
        Kolom("deeltijd", False, "percentage 50-100, leeg is 100; alleen ter informatie", "deeltijdpercentage",
              ("deeltijdpercentage", "deeltijd %", "deeltijd (%)")),
    ), Onderdeel.AIOS),
    Blad("Opleiders", True, "De opleiders die deze ronde een aios kunnen krijgen.", (
        Kolom("id", True, "uniek, bijvoorbeeld O01", "id", ("opleider", "opleider id", "opleider-id")),
        Kolom("naam", True, "voornaam en achternaam", "naam"),
        Kolom("praktijk", True, "naam (en plaats) van de opleidingspraktijk", "praktijk"),
        Kolom("status", True, "curriculum (4-jarig opleiderscurriculum, alleen 1e jaars) of ervaren", "status"),
        Kolom("coassistent", False, "ja/nee: de aios begeleidt een coassistent (voorrang)", "coassistent",
              ("co-assistent",)),
        Kolom("blokkade", False, "ja/nee: geen aios deze ronde (na een ontkoppeling)", "blokkade"),
        Kolom("capaciteit", False, "aantal aios deze ronde, leeg is 1", "capaciteit"),
        Kolom("duo-opleider", False, "ja/nee", "duo_opleider", ("duo", "duo opleider", "duoopleider")),
        Kolom("aanwezigheid", False, "percentage; een duo-opleider is minimaal 40% aanwezig",
              "aanwezigheidspercentage", ("aanwezigheid %", "aanwezigheid (%)", "aanwezigheidspercentage")),
    ), Onderdeel.OPLEIDER),
    Blad("Voorkeuren", True, "Eén rij per bezoek (maximaal 5 per aios) met de score van de aios.", (
        Kolom("aios", True, "id van de aios", "aios_id", ("aios id", "aios-id")),
        Kolom("opleider", True, "id van de opleider", "opleider_id", ("opleider id", "opleider-id")),
        Kolom("score", True, "1 = 1e keuze; bij n bezoeken de scores 1 t/m n, elk één keer (5 alleen na 5 "
              "gesprekken)", "score"),
    ), Onderdeel.BEZOEK),
    Blad("Afwijzingen", False, "Een opleider mag één kandidaat afwijzen, met een duidelijke motivatie.", (
        Kolom("opleider", True, "id van de opleider", "opleider_id", ("opleider id", "opleider-id")),
        Kolom("aios", True, "id van de afgewezen aios", "aios_id", ("aios id", "aios-id")),
        Kolom("motivatie", True, "verplicht", "motivatie"),
    ), Onderdeel.AFWIJZING),
    Blad("Vastgezet", False, "Vaste koppelingen, bijvoorbeeld terug naar dezelfde praktijk na verlof.", (
        Kolom("aios", True, "id van de aios", "aios_id", ("aios id", "aios-id")),
        Kolom("opleider", True, "id van de opleider", "opleider_id", ("opleider id", "opleider-id")),
        Kolom("reden", True, "verplicht", "reden"),
    ), Onderdeel.VASTZETTING),
    Blad("Uitzonderingen", False, "De manager opleiders staat een niet bezochte praktijk toe.", (
        Kolom("aios", True, "id van de aios", "aios_id", ("aios id", "aios-id")),
        Kolom("opleider", True, "id van de opleider", "opleider_id", ("opleider id", "opleider-id")),
        Kolom("reden", True, "verplicht; alleen zwaarwegende redenen, na overleg", "reden"),
    ), Onderdeel.UITZONDERING),
)
_BLAD = {b.naam: b for b in BLADEN}


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


@dataclass(frozen=True, slots=True)
class Importresultaat:
    """Either a valid ronde (and no problems) or every problem (and no ronde)."""

    ronde: Ronde | None
    problemen: tuple[Importprobleem, ...]

    @property
    def ok(self) -> bool:
        return self.ronde is not None


@dataclass(slots=True)
class _Tabel:
    """One sheet as read: its title, header texts and rows (spreadsheet row number, cells)."""

    titel: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    # Per row, per cell: the Excel number format (to read 40% stored as 0.4); empty for CSV.
    formats: list[list[str]] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------------------------------


def read_ronde(pad: str | os.PathLike[str], *, today: date | None = None) -> Importresultaat:
    """Import from an .xlsx workbook, a folder of CSV files, or one CSV file of such a folder. `today` (default:
    the real today) places the plausible range of the startdatum."""
    path = Path(pad)
    if path.is_dir() or path.suffix.lower() == ".csv":
        folder = path if path.is_dir() else path.parent
        if not folder.exists():
            return _failed(f"De map {folder} bestaat niet.")
        bestanden, problemen = csv_set(folder)
        if problemen:
            return Importresultaat(None, tuple(problemen))
        return read_ronde_csv(bestanden, today=today)
    return read_ronde_xlsx(path, today=today)


def read_ronde_xlsx(pad: str | os.PathLike[str], *, today: date | None = None) -> Importresultaat:
    path = Path(pad)
    if not path.exists():
        return _failed(f"Het bestand {path} bestaat niet.")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        return _failed(
            f"Het bestand {path.name} kan niet als Excel-werkmap (.xlsx) worden gelezen ({error})."
        )
    try:
        tabellen: dict[str, _Tabel] = {}
        for ws in workbook.worksheets:
            tabellen.setdefault(_norm(ws.title), _read_sheet(ws))
    finally:
        workbook.close()
    return _import(tabellen, today)


def read_ronde_csv(
    bestanden: Mapping[str, str | os.PathLike[str]], *, today: date | None = None
) -> Importresultaat:
    """Import from one CSV file per sheet: {"Aios": path, "Opleiders": path, ...} (keys case-insensitive)."""
    tabellen: dict[str, _Tabel] = {}
    problemen: list[Importprobleem] = []
    for naam, pad in bestanden.items():
        try:
            tabellen[_norm(naam)] = _read_csv(Path(pad), naam)
        except OSError as error:
            problemen.append(Importprobleem(naam, None, None, f"Het bestand {pad} kan niet worden gelezen ({error})."))
    if problemen:
        return Importresultaat(None, tuple(problemen))
    return _import(tabellen, today)


def csv_set(folder: Path) -> tuple[dict[str, Path], list[Importprobleem]]:
    """The CSV file per sheet in a folder: "Aios.csv", or with a prefix, "ronde-maart_Aios.csv"."""
    found: dict[str, Path] = {}
    problemen: list[Importprobleem] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv":
            continue
        stem = _norm(path.stem)
        for blad in BLADEN:
            naam = _norm(blad.naam)
            if stem == naam or any(stem.endswith(sep + naam) for sep in ("_", "-", " ", ".")):
                if blad.naam in found:
                    problemen.append(Importprobleem(
                        blad.naam, None, None,
                        f"Twee bestanden voor het blad {blad.naam}: {found[blad.naam].name} en {path.name}.",
                    ))
                found[blad.naam] = path
                break
    return found, problemen


def _failed(bericht: str) -> Importresultaat:
    return Importresultaat(None, (Importprobleem(None, None, None, bericht),))


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _read_sheet(ws: Any) -> _Tabel:
    rows_iter = ws.iter_rows()
    header: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    formats: list[list[str]] = []
    for number, row in enumerate(rows_iter, start=1):
        values = [cell.value for cell in row]
        if number == 1:
            header = ["" if v is None else str(v) for v in values]
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append((number, values))
        formats.append([getattr(cell, "number_format", "") or "" for cell in row])
    return _Tabel(ws.title, header, rows, formats)


def _read_csv(path: Path, naam: str) -> _Tabel:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Dutch Windows writes Windows-1252.
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    for values in reader:
        if not header:
            if any(v.strip() for v in values):
                header = values
            continue
        cells: list[Any] = [v if v.strip() else None for v in values]
        if all(v is None for v in cells):
            continue
        rows.append((reader.line_num, cells))
    return _Tabel(naam, header, rows, [])


# --- cells --------------------------------------------------------------------------------------------------

_TRUE = {"ja", "j", "yes", "y", "waar", "true", "1", "x"}
_FALSE = {"nee", "n", "no", "onwaar", "false", "0", ""}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _ident(value: Any) -> str:
    text = _text(value)
    if not text:
        raise _CellError("is leeg; vul het id in.")
    return text


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise _CellError(f"'{value}' is geen {what}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = re.fullmatch(r"\s*(\d+)\s*(e|ste|de)?(\s*jaars)?\s*", str(value))
    if match is None:
        raise _CellError(f"'{_text(value)}' is geen {what}; vul een geheel getal in.")
    return int(match.group(1))


def _percent(value: Any, number_format: str) -> int:
    if isinstance(value, bool):
        raise _CellError(f"'{value}' is geen percentage.")
    if isinstance(value, int | float):
        number = float(value) * (100 if "%" in number_format else 1)
    else:
        text = str(value).strip().rstrip("%").strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise _CellError(f"'{_text(value)}' is geen percentage; vul bijvoorbeeld 50 of 50% in.") from None
    return round(number)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _norm(_text(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _CellError(f"'{_text(value)}' is geen ja of nee.")


def _status(value: Any) -> OpleiderStatus:
    text = _norm(_text(value))
    if text in ("curriculum", "opleiderscurriculum", "in curriculum"):
        return OpleiderStatus.CURRICULUM
    if text in ("ervaren", "ervaren opleider"):
        return OpleiderStatus.ERVAREN
    if not text:
        raise _CellError("is leeg; vul curriculum of ervaren in.")
    raise _CellError(f"'{_text(value)}' is geen status; vul curriculum of ervaren in.")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _CellError(f"'{text}' is geen datum; schrijf bijvoorbeeld 1-3-2027.")


# --- import -------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Sheet:
    """A located sheet: which column index holds which Kolom."""

    blad: Blad
    tabel: _Tabel
    columns: dict[str, int]

    def kolomtitel(self, veld: str) -> str:
        for kolom in self.blad.kolommen:
            if kolom.veld == veld:
                index = self.columns.get(kolom.naam)
                return self.tabel.header[index].strip() if index is not None else kolom.naam
        return veld


class _Reader:
    """Collects rows into records and problems into one list; nothing leaves it half-done."""

    def __init__(self, tabellen: Mapping[str, _Tabel]) -> None:
        self.tabellen = tabellen
        self.problemen: list[Importprobleem] = []
        self.sheets: dict[str, _Sheet] = {}
        # Per Onderdeel, the spreadsheet row of each record kept, in order.
        self.rows: dict[Onderdeel, list[int]] = {o: [] for o in Onderdeel}
        # Ids whose row was dropped for a cell problem: references to them are not reported again.
        self.dropped_ids: dict[Onderdeel, set[str]] = {Onderdeel.AIOS: set(), Onderdeel.OPLEIDER: set()}

    def locate(self) -> None:
        for blad in BLADEN:
            tabel = self.tabellen.get(_norm(blad.naam))
            if tabel is None:
                if blad.verplicht:
                    self.problemen.append(Importprobleem(
                        blad.naam, None, None, f"Het blad {blad.naam} ontbreekt."
                    ))
                continue
            columns: dict[str, int] = {}
            names = {_norm(k.naam): k for k in blad.kolommen}
            names.update({_norm(a): k for k in blad.kolommen for a in k.aliassen})
            for index, title in enumerate(tabel.header):
                kolom = names.get(_norm(title))
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
            if not missing:
                self.sheets[blad.naam] = _Sheet(blad, tabel, columns)

    def records(self, naam: str, build: Callable[[_Row], Any]) -> list[Any]:
        """Run `build(row)` per spreadsheet row; a row with a cell problem is dropped (and reported)."""
        sheet = self.sheets.get(naam)
        if sheet is None:
            return []
        records: list[Any] = []
        for position, (number, cells) in enumerate(sheet.tabel.rows):
            formats = sheet.tabel.formats[position] if sheet.tabel.formats else []
            row = _Row(self, sheet, number, cells, formats)
            record = build(row)
            if row.failed:
                ident = row.raw("id")
                if ident and sheet.blad.onderdeel in self.dropped_ids:
                    self.dropped_ids[sheet.blad.onderdeel].add(ident)
                continue
            records.append(record)
            self.rows[sheet.blad.onderdeel].append(number)
        return records


# Empty cells in these columns are left to core validation, whose message names the aios or opleider and the rule.
_CORE_CHECKS = {"naam", "praktijk", "score", "motivatie", "reden"}


@dataclass(slots=True)
class _Row:
    reader: _Reader
    sheet: _Sheet
    number: int
    cells: list[Any]
    formats: list[str]
    failed: bool = False

    def raw(self, kolom: str) -> str:
        index = self.sheet.columns.get(kolom)
        return _text(self.cells[index]) if index is not None and index < len(self.cells) else ""

    def get(self, kolom: str, parse: Callable[[Any], Any], default: Any = None) -> Any:
        """One cell, parsed; on a problem it is recorded with sheet, row and column, and `default` returned."""
        index = self.sheet.columns.get(kolom)
        value = self.cells[index] if index is not None and index < len(self.cells) else None
        titel = self.sheet.tabel.header[index].strip() if index is not None else kolom
        if value is None or (isinstance(value, str) and not value.strip()):
            required = next(k.verplicht for k in self.sheet.blad.kolommen if k.naam == kolom)
            if kolom in _CORE_CHECKS or not required:
                return default
            return self._fail(titel, "is leeg.", default)
        try:
            return parse(value)
        except _CellError as error:
            return self._fail(titel, str(error), default)

    def get_percent(self, kolom: str, default: int) -> int:
        """A percentage; a number shown as "40%" in Excel is stored as 0.4, so its cell format decides."""
        index = self.sheet.columns.get(kolom)
        fmt = self.formats[index] if index is not None and index < len(self.formats) else ""
        value: int = self.get(kolom, lambda v: _percent(v, fmt), default)
        return value

    def _fail(self, titel: str, bericht: str, default: Any) -> Any:
        self.failed = True
        self.reader.problemen.append(Importprobleem(self.sheet.tabel.titel, self.number, titel, bericht))
        return default


def _import(tabellen: Mapping[str, _Tabel], today: date | None = None) -> Importresultaat:
    reader = _Reader(tabellen)
    reader.locate()

    def year(v: Any) -> int:
        return _int(v, "opleidingsjaar")

    def score(v: Any) -> int:
        return _int(v, "score")

    def capaciteit(v: Any) -> int:
        return _int(v, "capaciteit")

    aios = reader.records("Aios", lambda row: Aios(
        id=row.get("id", _ident, ""),
        naam=row.get("naam", _text, ""),
        opleidingsjaar=row.get("opleidingsjaar", year, 0),
        deeltijdpercentage=row.get_percent("deeltijd", 100),
    ))
    opleiders = reader.records("Opleiders", lambda row: Opleider(
        id=row.get("id", _ident, ""),
        naam=row.get("naam", _text, ""),
        praktijk=row.get("praktijk", _text, ""),
        status=row.get("status", _status, OpleiderStatus.ERVAREN),
        coassistent=row.get("coassistent", _bool, False),
        blokkade=row.get("blokkade", _bool, False),
        capaciteit=row.get("capaciteit", capaciteit, 1),
        duo_opleider=row.get("duo-opleider", _bool, False),
        aanwezigheidspercentage=row.get_percent("aanwezigheid", 100),
    ))
    bezoeken = reader.records("Voorkeuren", lambda row: Bezoek(
        aios_id=row.get("aios", _ident, ""),
        opleider_id=row.get("opleider", _ident, ""),
        score=row.get("score", score, None),
    ))
    afwijzingen = reader.records("Afwijzingen", lambda row: Afwijzing(
        opleider_id=row.get("opleider", _ident, ""),
        aios_id=row.get("aios", _ident, ""),
        motivatie=row.get("motivatie", _text, ""),
    ))
    vastzettingen = reader.records("Vastgezet", lambda row: Vastzetting(
        aios_id=row.get("aios", _ident, ""),
        opleider_id=row.get("opleider", _ident, ""),
        reden=row.get("reden", _text, ""),
    ))
    uitzonderingen = reader.records("Uitzonderingen", lambda row: Uitzondering(
        aios_id=row.get("aios", _ident, ""),
        opleider_id=row.get("opleider", _ident, ""),
        reden=row.get("reden", _text, ""),
    ))
    ronde_rows = reader.records(
        "Ronde", lambda row: (row.get("naam", _text, ""), row.get("startdatum", _date, None))
    )
    if len(ronde_rows) > 1:
        sheet = reader.sheets["Ronde"]
        reader.problemen.append(Importprobleem(
            sheet.tabel.titel, reader.rows[Onderdeel.RONDE][1], None, "Het blad Ronde heeft één rij."
        ))
    naam, startdatum = ronde_rows[0] if ronde_rows else ("", None)

    if "Aios" not in reader.sheets or "Opleiders" not in reader.sheets:
        # Without the people every reference to them would be reported as unknown: first fix the structure.
        return Importresultaat(None, tuple(_ordered(reader.problemen)))
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
    # The startdatum's plausible range (issue 7: a year 9999 was accepted) is checked with the other rules, so
    # it is listed with every other problem.
    for probleem in [*validate(ronde), *startdatum_problemen(ronde, today)]:
        if _cascade(reader, probleem):
            continue
        reader.problemen.append(_locate(reader, probleem))
    if reader.problemen:
        return Importresultaat(None, tuple(_ordered(reader.problemen)))
    return Importresultaat(ronde, ())


def _cascade(reader: _Reader, probleem: Probleem) -> bool:
    """A reference to an aios or opleider whose own row already has a problem is not reported twice."""
    if probleem.regel is Regel.ONBEKENDE_AIOS:
        return (probleem.aios_id or "") in reader.dropped_ids[Onderdeel.AIOS]
    if probleem.regel is Regel.ONBEKENDE_OPLEIDER:
        return (probleem.opleider_id or "") in reader.dropped_ids[Onderdeel.OPLEIDER]
    if probleem.regel is Regel.GEEN_AIOS and reader.dropped_ids[Onderdeel.AIOS]:
        return True
    return probleem.regel is Regel.GEEN_OPLEIDERS and bool(reader.dropped_ids[Onderdeel.OPLEIDER])


def _locate(reader: _Reader, probleem: Probleem) -> Importprobleem:
    onderdeel = probleem.onderdeel
    if probleem.regel is Regel.GEEN_AIOS:
        onderdeel = Onderdeel.AIOS
    elif probleem.regel is Regel.GEEN_OPLEIDERS:
        onderdeel = Onderdeel.OPLEIDER
    blad = next(b for b in BLADEN if b.onderdeel is onderdeel)
    sheet = reader.sheets.get(blad.naam)
    titel = sheet.tabel.titel if sheet else blad.naam
    rows = reader.rows[onderdeel]
    rij = rows[probleem.index] if probleem.index is not None and probleem.index < len(rows) else None
    if onderdeel is Onderdeel.RONDE and rows:
        rij = rows[0]
    kolom = None
    if probleem.veld is not None:
        kolom = sheet.kolomtitel(probleem.veld) if sheet else probleem.veld
    return Importprobleem(titel, rij, kolom, probleem.bericht)


def _ordered(problemen: Iterable[Importprobleem]) -> list[Importprobleem]:
    order = {_norm(b.naam): i for i, b in enumerate(BLADEN)}
    return sorted(problemen, key=lambda p: (order.get(_norm(p.blad or ""), -1), p.rij or 0))


# --- writing ------------------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(ws: Worksheet, titles: Sequence[str], widths: Sequence[int] | None = None) -> None:
    ws.append(list(titles))
    for index, _title in enumerate(titles, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        width = widths[index - 1] if widths else max(12, len(titles[index - 1]) + 4)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def _save(workbook: Workbook, pad: str | os.PathLike[str]) -> None:
    """Write beside the target and rename, so a failure never leaves half a file under the real name."""
    path = Path(pad)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        workbook.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_template(pad: str | os.PathLike[str]) -> None:
    """The empty workbook to fill in: a Toelichting and one sheet per list, each with its header row."""
    wb = Workbook()
    toelichting = wb.active
    assert toelichting is not None
    toelichting.title = "Toelichting"
    toelichting.column_dimensions["A"].width = 22
    toelichting.column_dimensions["B"].width = 100
    lines: list[tuple[str, str]] = [
        ("Koppelingsronde", "Vul de bladen in en lees de werkmap in bij Koppelplanner > Ronde inlezen."),
        ("", "Bladnamen en kolomnamen mogen in hoofd- of kleine letters; extra kolommen worden genegeerd."),
        ("", "aios en opleider op de bladen Voorkeuren, Afwijzingen, Vastgezet en Uitzonderingen zijn de id's "
             "van de bladen Aios en Opleiders."),
        ("", "Er is bewust geen kolom voor een voorkeur voor een fulltime of parttime aios (kaders)."),
        ("", "Kolommen met * zijn verplicht."),
        ("", ""),
    ]
    for blad in BLADEN:
        lines.append((blad.naam + ("" if blad.verplicht else " (mag ontbreken)"), blad.uitleg))
        lines += [(f"  {k.naam}{' *' if k.verplicht else ''}", k.uitleg) for k in blad.kolommen]
        lines.append(("", ""))
    lines += [
        ("Regels (kaders)", "Een aios bezoekt maximaal 5 praktijken en scoort ze 1 t/m 4 (5 indien 5 gesprekken)."),
        ("", "Een opleider in het opleiderscurriculum krijgt een 1e jaars aios; een ervaren opleider een 1e of "
             "3e jaars aios."),
        ("", "Voorrang: opleiders met een coassistent en opleiders in het opleiderscurriculum."),
        ("", "Doel: de beste koppeling voor de hele groep; groepsbelang gaat vóór het individuele belang."),
    ]
    for key, text in lines:
        toelichting.append([key, text])
        toelichting.cell(row=toelichting.max_row, column=1).font = _BOLD
    yes_no = DataValidation(type="list", formula1='"ja,nee"', allow_blank=True)
    status = DataValidation(type="list", formula1='"curriculum,ervaren"', allow_blank=True)
    for blad in BLADEN:
        ws = wb.create_sheet(blad.naam)
        _header(ws, [k.naam for k in blad.kolommen], [max(14, len(k.naam) + 6) for k in blad.kolommen])
        for index, kolom in enumerate(blad.kolommen, start=1):
            letter = get_column_letter(index)
            if kolom.naam in ("coassistent", "blokkade", "duo-opleider"):
                ws.add_data_validation(yes_no)
                yes_no.add(f"{letter}2:{letter}1000")
            if kolom.naam == "status":
                ws.add_data_validation(status)
                status.add(f"{letter}2:{letter}1000")
        if blad.naam in ("Afwijzingen", "Vastgezet", "Uitzonderingen"):
            ws.column_dimensions[get_column_letter(len(blad.kolommen))].width = 60
    _save(wb, pad)


def write_ronde(pad: str | os.PathLike[str], ronde: Ronde) -> None:
    """A ronde in the import format (the template filled in): to hand a ronde on, or to save demo data."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)

    def ja(value: bool) -> str:
        return "ja" if value else "nee"

    data: dict[str, list[list[object]]] = {
        "Ronde": [[ronde.naam, ronde.startdatum]] if ronde.naam or ronde.startdatum else [],
        "Aios": [[a.id, a.naam, a.opleidingsjaar, a.deeltijdpercentage] for a in ronde.aios],
        "Opleiders": [
            [o.id, o.naam, o.praktijk, o.status.value, ja(o.coassistent), ja(o.blokkade), o.capaciteit,
             ja(o.duo_opleider), o.aanwezigheidspercentage]
            for o in ronde.opleiders
        ],
        "Voorkeuren": [[b.aios_id, b.opleider_id, b.score] for b in ronde.bezoeken],
        "Afwijzingen": [[a.opleider_id, a.aios_id, a.motivatie] for a in ronde.afwijzingen],
        "Vastgezet": [[v.aios_id, v.opleider_id, v.reden] for v in ronde.vastzettingen],
        "Uitzonderingen": [[u.aios_id, u.opleider_id, u.reden] for u in ronde.uitzonderingen],
    }
    for blad in BLADEN:
        ws = wb.create_sheet(blad.naam)
        _header(ws, [k.naam for k in blad.kolommen], [max(14, len(k.naam) + 6) for k in blad.kolommen])
        for values in data[blad.naam]:
            ws.append(values)
        if blad.naam == "Ronde" and ronde.startdatum is not None:
            ws.cell(row=2, column=2).number_format = "d-m-yyyy"
    _save(wb, pad)


def write_uitslag(
    pad: str | os.PathLike[str], ronde: Ronde, uitslag: Uitslag, uitleg: Uitleg | None = None
) -> None:
    """The uitslag as a workbook: Uitslag (aios, opleider, score — the ids — plus names and the reason),
    Per opleider, Niet gekoppeld and Samenvatting."""
    idx = RondeIndex.build(ronde)
    uitleg = uitleg if uitleg is not None else explain(idx, uitslag)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Uitslag"
    _header(ws, [
        "aios", "opleider", "score", "naam aios", "opleidingsjaar", "naam opleider", "praktijk", "keuze",
        "herkomst", "toelichting", "uitzondering",
    ], [10, 10, 8, 26, 14, 26, 40, 16, 22, 100, 50])
    for koppeling in uitslag.koppelingen:
        aios = idx.aios[koppeling.aios_id]
        opleider = idx.opleiders[koppeling.opleider_id]
        toelichting = uitleg.voor(koppeling.aios_id)
        ws.append([
            aios.id, opleider.id, koppeling.score, aios.naam, aios.opleidingsjaar, opleider.naam,
            opleider.praktijk, toelichting.keuze, koppeling.herkomst.label, toelichting.toelichting,
            f"uitzondering: {toelichting.uitzondering}" if toelichting.uitzondering else None,
        ])
    _wrap(ws, 10)
    ws.auto_filter.ref = ws.dimensions

    per = wb.create_sheet("Per opleider")
    _header(per, [
        "opleider", "naam opleider", "praktijk", "status", "voorrang", "coassistent", "blokkade", "capaciteit",
        "gekoppeld", "aios", "naam aios", "keuze",
    ], [10, 26, 40, 20, 10, 12, 10, 11, 11, 14, 40, 24])
    by_opleider: dict[str, list[tuple[str, str]]] = {}
    for koppeling in uitslag.koppelingen:
        by_opleider.setdefault(koppeling.opleider_id, []).append(
            (koppeling.aios_id, uitleg.voor(koppeling.aios_id).keuze)
        )
    for opleider_id in idx.opleider_ids:
        opleider = idx.opleiders[opleider_id]
        gekoppeld = by_opleider.get(opleider_id, [])
        per.append([
            opleider.id, opleider.naam, opleider.praktijk, opleider.status.label,
            "ja" if opleider.voorrang else "nee", "ja" if opleider.coassistent else "nee",
            "ja" if opleider.blokkade else "nee", opleider.capaciteit, len(gekoppeld),
            ", ".join(a for a, _ in gekoppeld), ", ".join(idx.aios[a].naam for a, _ in gekoppeld),
            ", ".join(keuze for _, keuze in gekoppeld),
        ])
    per.auto_filter.ref = per.dimensions

    niet = wb.create_sheet("Niet gekoppeld")
    _header(niet, ["aios", "naam aios", "opleidingsjaar", "toelichting"], [10, 26, 14, 120])
    for aios_id in uitslag.ongekoppeld:
        aios = idx.aios[aios_id]
        niet.append([aios.id, aios.naam, aios.opleidingsjaar, uitleg.voor(aios_id).toelichting])
    _wrap(niet, 4)

    samenvatting = wb.create_sheet("Samenvatting")
    samenvatting.column_dimensions["A"].width = 30
    samenvatting.column_dimensions["B"].width = 60
    rows: list[tuple[str, object]] = [("Ronde", ronde.naam)]
    planning = ronde.planning
    if planning is not None:
        rows += [
            ("Startdatum", datum_nl(planning.startdatum)),
            ("Koppelgesprekken", f"{datum_nl(planning.gesprekken_van)} t/m {datum_nl(planning.gesprekken_tot)}"),
            ("Uitslag uiterlijk", datum_nl(planning.uitslag)),
        ]
    rows += [
        ("Aios", uitleg.aantal_aios),
        ("Gekoppeld", uitleg.doelwaarde.gekoppeld),
        ("Niet gekoppeld", uitleg.niet_gekoppeld),
    ]
    rows += [(f"{keuze}e keuze", aantal) for keuze, aantal in uitleg.profiel]
    rows += [
        ("Zonder score (vastgezet of uitzondering)", uitleg.zonder_score),
        ("Voorrangsopleiders gevuld", f"{uitleg.voorrang_gevuld} van {uitleg.voorrang_totaal}"),
        ("Totaalscore", uitleg.doelwaarde.totaalscore),
    ]
    for key, value in rows:
        samenvatting.append([key, value])
        samenvatting.cell(row=samenvatting.max_row, column=1).font = _BOLD
    _save(wb, pad)


def _wrap(ws: Worksheet, column: int) -> None:
    for row in ws.iter_rows(min_row=2, min_col=column, max_col=column):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
