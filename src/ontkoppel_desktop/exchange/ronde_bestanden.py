"""The files a ronde comes in, read into plain tables: an .xlsx workbook, or one CSV file per sheet.

An .xlsx is read with python-calamine (Rust): it loads in a millisecond and reads a workbook about ten times faster
than openpyxl, which on a large ronde was most of the koppel command's time. Calamine gives the values but no
number formats, and one matters: Excel keeps "40%" as 0.4, shown as a percentage by the cell's format. So the
workbook's styles are looked at first (a small part of the file); only when a style shows numbers as a percentage
are the cells that carry one found with openpyxl, which reads formats, as the import always did.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from ontkoppel_desktop.exchange.ronde_problemen import Importprobleem
from ontkoppel_desktop.exchange.ronde_schema import BLADEN, norm

# The number formats Excel has built in that show a percentage: 0% and 0.00% (ECMA-376 part 1, 18.8.30).
_BUILTIN_PERCENT = {9, 10}

# Limits far above any ronde (an institute's round has hundreds of rows and a few dozen columns) and far below what
# would exhaust a laptop: a workbook can hold a "zip bomb" (1 MB that unpacks to 300 MB of XML) or a sheet whose
# used range runs to XFD1048576. Each is refused before it is parsed, with a Dutch message.
MAX_DEEL = 64 * 2**20  # one part of the workbook, unpacked
MAX_UITGEPAKT = 256 * 2**20  # the whole workbook, unpacked
MAX_RIJEN = 50_000
MAX_CELLEN = 2_000_000


class Onleesbaar(Exception):
    """The file cannot be read as a workbook; the message is Dutch."""


@dataclass(slots=True)
class Tabel:
    """One sheet as read: its title, header texts and rows (spreadsheet row number, cells)."""

    titel: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    # (spreadsheet row, column index) of every cell whose number is shown as a percentage; empty for CSV.
    procent: set[tuple[int, int]] = field(default_factory=set)


def read_xlsx(path: Path) -> dict[str, Tabel]:
    """The sheets of the ronde's schema in a workbook, by normalised title (the first of a title wins; other
    sheets are not read). Raises Onleesbaar."""
    try:
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "xl/workbook.xml" not in package.namelist():
                raise Onleesbaar(f"Het bestand {path.name} is geen Excel-werkmap (.xlsx): er staan geen werkbladen in.")
            _check_uitgepakt(path.name, package)
            afmetingen = _afmetingen(package)
            percent = _styles_show_percent(package)
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            wanted = {norm(b.naam) for b in BLADEN}
            rows: dict[str, tuple[str, list[list[Any]]]] = {}
            for sheet in workbook.sheets_metadata:
                key = norm(sheet.name)
                if sheet.typ == SheetTypeEnum.WorkSheet and key in wanted and key not in rows:
                    # Before calamine reads it: it lays out the whole used range in memory.
                    _check_afmeting(path.name, sheet.name, *afmetingen.get(sheet.name, (0, 0)))
                    blad = workbook.get_sheet_by_name(sheet.name)
                    rows[key] = (sheet.name, blad.to_python(skip_empty_area=False))
        finally:
            workbook.close()
        procent = _percent_cells(data, {titel for titel, _ in rows.values()}) if percent else {}
    # A damaged file shows as a bad zip (a garbled header reads as an unknown zip version or method:
    # NotImplementedError), a part that does not inflate (zlib, EOFError) or is missing (KeyError), or malformed
    # XML (SyntaxError, as ElementTree and lxml under openpyxl report it).
    except (CalamineError, zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, KeyError, OSError,
            ValueError, SyntaxError) as error:
        raise Onleesbaar(
            f"Het bestand {path.name} kan niet als Excel-werkmap (.xlsx) worden gelezen ({error})."
        ) from None
    return {key: _tabel(titel, values, procent.get(titel, set())) for key, (titel, values) in rows.items()}


def _tabel(titel: str, values: list[list[Any]], procent: set[tuple[int, int]]) -> Tabel:
    header = [_header_text(v) for v in values[0]] if values else []
    rows = [
        (number, cells)
        for number, cells in enumerate(values[1:], start=2)
        if not all(v is None or (isinstance(v, str) and not v.strip()) for v in cells)
    ]
    return Tabel(titel, header, rows, procent)


def _header_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _styles_show_percent(package: zipfile.ZipFile) -> bool:
    """Does any cell style of the workbook show numbers as a percentage? Without a stylesheet every cell is
    General, as openpyxl reads it too."""
    try:
        styles = ElementTree.fromstring(package.read("xl/styles.xml"))
    except KeyError:
        return False
    custom: dict[str, str] = {}
    for element in styles.iter():
        if _local(element.tag) == "numFmt":
            custom[element.get("numFmtId", "")] = element.get("formatCode", "")
    for element in styles.iter():
        if _local(element.tag) != "cellXfs":
            continue
        for xf in element:
            number_format = xf.get("numFmtId", "0")
            if number_format in custom:
                if "%" in custom[number_format]:
                    return True
            elif number_format.isdigit() and int(number_format) in _BUILTIN_PERCENT:
                return True
    return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_uitgepakt(naam: str, package: zipfile.ZipFile) -> None:
    """Refuse a workbook that unpacks to far more than a ronde can be, before any of it is parsed."""
    infos = package.infolist()
    groot = max(infos, key=lambda i: i.file_size, default=None)
    if groot is not None and groot.file_size > MAX_DEEL or sum(i.file_size for i in infos) > MAX_UITGEPAKT:
        raise Onleesbaar(
            f"Het bestand {naam} is uitgepakt veel groter dan een ronde kan zijn (meer dan "
            f"{MAX_UITGEPAKT // 2**20} MB, of een werkblad van meer dan {MAX_DEEL // 2**20} MB). Is het de goede "
            "werkmap? Sla alleen de bladen van de ronde op in een nieuwe werkmap."
        )


_REF = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?name="([^"]*)"[^>]*?(?:r:)?id="([^"]*)"')
_REL = re.compile(rb'<Relationship\s[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')


def _afmetingen(package: zipfile.ZipFile) -> dict[str, tuple[int, int]]:
    """Per sheet name its used range (rows, columns) as the sheet's own <dimension> says, read from the start of
    its XML without parsing the rest; a sheet without one is left out (its part's size was checked already)."""
    try:
        workbook = package.read("xl/workbook.xml")
        rels = dict(_REL.findall(package.read("xl/_rels/workbook.xml.rels")))
    except KeyError:
        return {}
    result: dict[str, tuple[int, int]] = {}
    for name, rel_id in _SHEET.findall(workbook):
        target = rels.get(rel_id)
        if target is None:
            continue
        part = target.decode().lstrip("/")
        part = part if part.startswith("xl/") else f"xl/{part}"
        try:
            with package.open(part) as stream:
                head = stream.read(8192)
        except KeyError:
            continue
        found = _REF.search(head)
        if found is not None:
            letters, row = found.group(1).decode(), int(found.group(2))
            column = 0
            for letter in letters:
                column = column * 26 + ord(letter) - 64
            result[name.decode("utf-8", "replace").replace("&amp;", "&")] = (row, column)
    return result


def _check_afmeting(naam: str, blad: str, hoogte: int, breedte: int) -> None:
    """Refuse a sheet whose used range is far beyond a ronde (e.g. a cell at XFD1048576) before it is read."""
    if hoogte > MAX_RIJEN or hoogte * breedte > MAX_CELLEN:
        raise Onleesbaar(
            f"Het werkblad {blad} in {naam} loopt tot rij {hoogte} en kolom {breedte}: veel groter dan een ronde "
            f"(hoogstens {MAX_RIJEN} rijen). Wis de lege rijen en kolommen onderaan en rechts, of kopieer de "
            "gegevens naar een nieuw blad."
        )


def _percent_cells(data: bytes, titels: set[str]) -> dict[str, set[tuple[int, int]]]:
    """Per sheet title (only the sheets read), the cells shown as a percentage (row, column index), as openpyxl
    reads the formats."""
    from openpyxl import load_workbook  # only here: it takes a tenth of a second to load

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {
            ws.title: {
                (cell.row, cell.column - 1)
                for row in ws.iter_rows()
                for cell in row
                if "%" in (getattr(cell, "number_format", "") or "")
            }
            for ws in workbook.worksheets
            if ws.title in titels
        }
    finally:
        workbook.close()


def read_csv(path: Path, naam: str) -> Tabel:
    """One sheet from a CSV file: ";" (Excel with Dutch settings), "," or tab; UTF-8 with or without BOM, or
    Windows-1252. Raises OSError, or Onleesbaar for a field longer than csv's limit (131 072 characters; no
    cell of a ronde comes near) or text csv cannot split."""
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
    try:
        for values in reader:
            _add_row(values, reader.line_num, header, rows)
    except csv.Error:
        grens = f"{csv.field_size_limit():,}".replace(",", ".")
        raise Onleesbaar(
            f"Het bestand {path.name} kan niet worden gelezen: rij {reader.line_num} heeft een veld van meer dan "
            f"{grens} tekens, of is geen geldige CSV."
        ) from None
    return Tabel(naam, header, rows)


def _add_row(values: list[str], number: int, header: list[str], rows: list[tuple[int, list[Any]]]) -> None:
    """The first non-empty row is the header (filled in place); later non-empty rows are kept with their number."""
    if not header:
        if any(v.strip() for v in values):
            header.extend(values)
        return
    cells: list[Any] = [v if v.strip() else None for v in values]
    if all(v is None for v in cells):
        return
    rows.append((number, cells))


def csv_set(folder: Path) -> tuple[dict[str, Path], list[Importprobleem]]:
    """The CSV file per sheet in a folder: "Aios.csv", or with a prefix, "ronde-maart_Aios.csv"."""
    found: dict[str, Path] = {}
    problemen: list[Importprobleem] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv":
            continue
        stem = norm(path.stem)
        for blad in BLADEN:
            naam = norm(blad.naam)
            if stem == naam or any(stem.endswith(sep + naam) for sep in ("_", "-", " ", ".")):
                if blad.naam in found:
                    problemen.append(Importprobleem(
                        blad.naam, None, None,
                        f"Twee bestanden voor het blad {blad.naam}: {found[blad.naam].name} en {path.name}.",
                    ))
                found[blad.naam] = path
                break
    return found, problemen
