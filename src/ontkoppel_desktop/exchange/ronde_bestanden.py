"""The files a ronde comes in, read into plain tables: an .xlsx workbook, or one CSV file per sheet.

An .xlsx is read with python-calamine (Rust): it loads in a millisecond and reads a workbook about ten times faster
than openpyxl, which on a large ronde was most of the koppel command's time. Calamine gives the values but no
number formats, and one matters: Excel keeps "40%" as 0.4, shown as a percentage by the cell's format. So the
workbook's styles are looked at first (a small part of the file); only when a style shows numbers as a percentage
are the cells that carry one found with openpyxl, which reads formats, as the import always did.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook, SheetTypeEnum

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
    data = _read_bytes(path)
    _check_soort(path.name, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "xl/workbook.xml" not in package.namelist():
                raise Onleesbaar(f"Het bestand {path.name} is geen Excel-werkmap (.xlsx): er staan geen werkbladen in.")
            _check_uitgepakt(path.name, package)
            delen = _sheet_parts(package)
            percent = _styles_show_percent(package)
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            try:
                wanted = {norm(b.naam) for b in BLADEN}
                rows: dict[str, tuple[str, list[list[Any]]]] = {}
                omvang: dict[str, tuple[int, int]] = {}
                for sheet in workbook.sheets_metadata:
                    key = norm(sheet.name)
                    if sheet.typ == SheetTypeEnum.WorkSheet and key in wanted and key not in rows:
                        # Before calamine reads it: it lays out in memory every cell from A1 to the last one that
                        # holds a value, and aborts the process when that does not fit.
                        omvang[sheet.name] = _omvang_van(package, delen, sheet.name)
                        _check_afmeting(path.name, sheet.name, *omvang[sheet.name])
                        blad = workbook.get_sheet_by_name(sheet.name)
                        rows[key] = (sheet.name, blad.to_python(skip_empty_area=False))
            finally:
                workbook.close()
        procent = _percent_cells(data, omvang) if percent and omvang else {}
    except Onleesbaar:
        raise
    # A damaged file shows as a bad zip, a part that does not inflate (zlib, EOFError) or is missing (KeyError),
    # malformed XML (SyntaxError, as ElementTree and lxml under openpyxl report it), or whatever calamine and
    # openpyxl raise on a file they did not expect: all of it is the same to the user, and their English says
    # nothing they can act on.
    except Exception:  # noqa: BLE001 - parsers of a file from anywhere
        raise Onleesbaar(
            f"Het bestand {path.name} kan niet als Excel-werkmap (.xlsx) worden gelezen: het is beschadigd of "
            "onvolledig. Open het in Excel en sla het opnieuw op als Excel-werkmap (.xlsx)."
        ) from None
    return {key: _tabel(titel, values, procent.get(titel, set())) for key, (titel, values) in rows.items()}


# An OLE compound file: an Excel 97-2003 workbook (.xls), or an .xlsx that Excel encrypted with a wachtwoord.
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def _read_bytes(path: Path) -> bytes:
    """The whole file; a folder, a device or a pipe is refused before it is opened (a pipe would wait forever)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise Onleesbaar(
                f"{path.name} is geen gewoon bestand (een map of apparaat); kies het bestand van de ronde."
            )
        return path.read_bytes()
    except OSError as error:
        raise Onleesbaar(f"Het bestand {path.name} kan niet worden gelezen: {leesreden(error)}") from None


def leesreden(error: OSError) -> str:
    """Why a file cannot be read, in Dutch, with what to do (the system's own text may be English)."""
    if isinstance(error, PermissionError):
        return "geen toegang. Vraag leesrechten, of kopieer het naar een map van jezelf."
    if isinstance(error, FileNotFoundError):
        return "het bestaat niet (meer). Is een USB-stick of netwerkschijf losgekoppeld?"
    if isinstance(error, IsADirectoryError):
        return "het is een map. Kies het bestand van de ronde."
    if error.errno == errno.ENAMETOOLONG:
        return "het pad is te lang. Zet het in een map dichter bij het begin van de schijf."
    return (f"de schijf of het netwerk gaf een fout (code {error.errno}). Probeer het opnieuw, of kopieer het naar "
            "een andere map.")


def _check_soort(naam: str, data: bytes) -> None:
    """Say what the file is when it is no .xlsx at all: empty, an old .xls or an encrypted one, or something else."""
    if not data:
        raise Onleesbaar(f"Het bestand {naam} is leeg (0 bytes). Kies de werkmap met de ronde, of sla die opnieuw op.")
    if data.startswith(_OLE):
        raise Onleesbaar(
            f"Het bestand {naam} is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord. Open het in "
            "Excel en sla het op als Excel-werkmap (.xlsx), zonder wachtwoord."
        )
    if not data.startswith(b"PK"):
        raise Onleesbaar(
            f"Het bestand {naam} kan niet als Excel-werkmap (.xlsx) worden gelezen: het is een ander soort bestand. "
            "Een ronde is een .xlsx-werkmap, of een map met CSV-bestanden (.csv)."
        )


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


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Per sheet name the part of the package that holds it, as the workbook and its relationships say."""
    try:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter() if _local(rel.tag) == "Relationship"}
    parts: dict[str, str] = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rel_id)
        if target:
            part = target.lstrip("/")
            parts.setdefault(sheet.get("name", ""), part if part.startswith("xl/") else f"xl/{part}")
    return parts


def _omvang_van(package: zipfile.ZipFile, delen: dict[str, str], blad: str) -> tuple[int, int]:
    """The rows and columns calamine will lay out for this sheet. When the workbook does not say which part holds
    it, the largest of every worksheet part counts."""
    deel = delen.get(blad)
    kandidaten = [deel] if deel in package.namelist() else [
        n for n in package.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
    ]
    hoogte = breedte = 0
    for naam in kandidaten:
        h, b = _omvang(package.read(naam))
        hoogte, breedte = max(hoogte, h), max(breedte, b)
    return hoogte, breedte


_TAG = re.compile(rb"<(?:\w+:)?(row|c)(\s[^>]*?)?(/?)>")
_RIJ_REF = re.compile(rb'\sr="([0-9]{1,10})"')
_CEL_REF = re.compile(rb'\sr="([A-Z]{1,4})([0-9]{1,10})"')


def _omvang(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the last cell with content, reading every <row> and <c> the way calamine places
    them: by their reference, or else right after the one before. The sheet's own <dimension> is not trusted: it
    may be missing, or say less than the sheet holds."""
    rij = kolom = hoogte = breedte = 0
    for tag in _TAG.finditer(xml):
        attributen = tag.group(2) or b""
        if tag.group(1) == b"row":
            ref = _RIJ_REF.search(attributen)
            rij = int(ref.group(1)) if ref else rij + 1
            kolom = 0
            continue
        cel = _CEL_REF.search(attributen)
        cel_rij = rij
        if cel is not None:
            kolom = 0
            for letter in cel.group(1):
                kolom = kolom * 26 + letter - 64
            cel_rij = int(cel.group(2))
        else:
            kolom += 1
        if not tag.group(3):  # <c .../> holds nothing, and calamine leaves it out
            hoogte, breedte = max(hoogte, cel_rij), max(breedte, kolom)
    return hoogte, breedte


def _check_afmeting(naam: str, blad: str, hoogte: int, breedte: int) -> None:
    """Refuse a sheet whose cells run far beyond a ronde (e.g. a cell at XFD1048576) before it is read."""
    if hoogte > MAX_RIJEN or hoogte * breedte > MAX_CELLEN:
        raise Onleesbaar(
            f"Het werkblad {blad} in {naam} loopt tot rij {hoogte} en kolom {breedte}: veel groter dan een ronde "
            f"(hoogstens {getal(MAX_RIJEN)} rijen). Wis wat onder en rechts van de gegevens staat, of kopieer de "
            "gegevens naar een nieuw blad."
        )


def _percent_cells(data: bytes, omvang: dict[str, tuple[int, int]]) -> dict[str, set[tuple[int, int]]]:
    """Per sheet title (only the sheets read, with the rows and columns they span), the cells shown as a
    percentage (row, column index), as openpyxl reads the formats. openpyxl is told how far to read: by itself it
    goes by the sheet's <dimension>, which may claim the whole sheet."""
    from openpyxl import load_workbook  # only here: it takes a tenth of a second to load

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {
            ws.title: {
                (cell.row, cell.column - 1)
                for row in ws.iter_rows(min_row=1, min_col=1, max_row=max(1, omvang[ws.title][0]),
                                        max_col=max(1, omvang[ws.title][1]))
                for cell in row
                if "%" in (getattr(cell, "number_format", "") or "")
            }
            for ws in workbook.worksheets
            if ws.title in omvang
        }
    finally:
        workbook.close()


def read_csv(path: Path, naam: str) -> Tabel:
    """One sheet from a CSV file: ";" (Excel with Dutch settings), "," or tab, or what a first line "sep=;" says;
    UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode-tekst"), or Windows-1252. Raises Onleesbaar with
    a Dutch message: the file cannot be read, is far larger than a ronde, has a field longer than csv's limit
    (131 072 characters; no cell of a ronde comes near) or a quote that is never closed."""
    try:
        if path.stat().st_size > MAX_DEEL:
            raise Onleesbaar(
                f"Het bestand {path.name} is groter dan {MAX_DEEL // 2**20} MB: veel groter dan een ronde kan zijn. "
                "Is het het goede bestand?"
            )
    except OSError as error:
        raise Onleesbaar(f"Het bestand {path.name} kan niet worden gelezen: {leesreden(error)}") from None
    text = _decode(path.name, _read_bytes(path))
    lines = text.split("\n", 2)
    sep = re.fullmatch(r"sep=(.)\s*", lines[0])
    if sep is not None:
        # Excel's hint which delimiter follows; an empty line in its place keeps the row numbers.
        delimiter = sep.group(1)
        text = "\n" + text.split("\n", 1)[1] if "\n" in text else ""
    else:
        # The header decides: the first line that is not empty.
        first = next((line for line in lines[:2] if line.strip()), "")
        delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    # The line each record starts on (a quoted field may span lines): where a quote opened.
    begin = volgende = 1
    values: list[str] = []
    try:
        for values in reader:
            begin = volgende
            _add_row(values, reader.line_num, header, rows)
            if len(rows) > MAX_RIJEN:
                raise Onleesbaar(
                    f"Het bestand {path.name} heeft meer dan {getal(MAX_RIJEN)} rijen: veel meer dan een ronde. Is "
                    "het het goede bestand?"
                )
            volgende = reader.line_num + 1
    except csv.Error as error:
        if "field limit" in str(error):
            grens = getal(csv.field_size_limit())
            raise Onleesbaar(
                f"Het bestand {path.name} kan niet worden gelezen: rij {reader.line_num} heeft een veld van meer dan "
                f"{grens} tekens."
            ) from None
        raise Onleesbaar(
            f"Het bestand {path.name} kan niet worden gelezen: rij {volgende} is geen geldige CSV."
        ) from None
    # A quote that opens a field and is never closed takes the rest of the file into that one field: rows would
    # vanish into a naam or a reden without a word.
    if values and any(c in values[-1] for c in "\r\n") and not text.rstrip().endswith('"'):
        raise Onleesbaar(
            f"Het bestand {path.name} kan niet worden gelezen: in rij {begin} opent een aanhalingsteken (\") een veld "
            "dat niet wordt gesloten, zodat de rest van het bestand in dat veld zou komen. Zet een \" aan het eind "
            "van het veld, of haal het weg."
        )
    return Tabel(naam, header, rows)


def _decode(naam: str, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode-tekst"
    else:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel's plain "CSV" on Dutch Windows writes Windows-1252. Its five unused bytes become U+FFFD, which
            # the import refuses in a cell (`ronde_lezen`), so nothing is read wrong without a word.
            return raw.decode("cp1252", errors="replace")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise Onleesbaar(
            f"Het bestand {naam} begint als Unicode-tekst ({encoding.upper()}) maar is dat verderop niet. Sla het "
            "opnieuw op, bij voorkeur als 'CSV UTF-8'."
        ) from None


def getal(n: int) -> str:
    """A number as the Dutch write it: 131.072."""
    return f"{n:,}".replace(",", ".")


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
