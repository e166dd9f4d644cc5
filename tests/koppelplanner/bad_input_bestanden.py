"""The files of the bad-input corpus (test_bad_input_koppel.py): a small valid ronde as tables, written as a
workbook (with cells of every kind a spreadsheet holds: text, numbers, percentages, dates, formulas) or as a folder
of CSV files in any delimiter, encoding and line ending, and a way to change the XML of a written workbook where
XlsxWriter would not write what a damaged or foreign file holds."""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

# Three aios, three opleiders, every aios visited two practices and scored them 1 and 2: one valid ronde, solved
# to three koppelingen. The names are the personal data a message must not repeat where it has no need to.
GOED: dict[str, list[list[Any]]] = {
    "Aios": [
        ["id", "naam", "opleidingsjaar", "deeltijd"],
        ["A1", "Sanne Visser", 1, 100],
        ["A2", "Noor de Vries", 3, 80],
        ["A3", "Bram Jansen", 1, None],
    ],
    "Opleiders": [
        ["id", "naam", "praktijk", "status", "capaciteit"],
        ["O1", "Eva Kok", "Praktijk De Linde", "curriculum", 1],
        ["O2", "Jan Bos", "Praktijk Het Anker", "ervaren", 1],
        ["O3", "Iris Post", "Praktijk De Brink", "ervaren", 2],
    ],
    "Voorkeuren": [
        ["aios", "opleider", "score"],
        ["A1", "O1", 1], ["A1", "O2", 2],
        ["A2", "O2", 1], ["A2", "O3", 2],
        ["A3", "O3", 1], ["A3", "O1", 2],
    ],
}


def bladen(**wijzigingen: Callable[[list[list[Any]]], None]) -> dict[str, list[list[Any]]]:
    """A copy of GOED with each named sheet changed in place by its function."""
    tabellen = copy.deepcopy(GOED)
    for naam, wijzig in wijzigingen.items():
        tabellen.setdefault(naam, [])
        wijzig(tabellen[naam])
    return tabellen


def cel(blad: str, rij: int, kolom: int, waarde: Any) -> dict[str, list[list[Any]]]:
    """GOED with one cell replaced (row and column counted from 0, the header is row 0)."""

    def zet(rows: list[list[Any]]) -> None:
        while len(rows[rij]) <= kolom:
            rows[rij].append(None)
        rows[rij][kolom] = waarde

    return bladen(**{blad: zet})


@dataclass(frozen=True)
class Formule:
    """A formula cell with the value Excel saved with it (None: as XlsxWriter leaves it, 0)."""

    formule: str
    waarde: Any = None


@dataclass(frozen=True)
class Opgemaakt:
    """A number with a number format: 0.8 shown as 80%, or a date's serial shown as a date."""

    getal: float
    formaat: str


def werkmap(pad: Path, tabellen: Mapping[str, Sequence[Sequence[Any]]],
            extra: Callable[[str, Any, Any], None] | None = None) -> Path:
    """Write the tables as a workbook, each value as the kind of cell it is. `extra(sheet, worksheet, book)` may
    add what a table cannot say (merged cells)."""
    book = xlsxwriter.Workbook(str(pad))
    for titel, rows in tabellen.items():
        ws = book.add_worksheet(titel)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, Formule):
                    ws.write_formula(r, c, value.formule, None, value.waarde)
                elif isinstance(value, Opgemaakt):
                    ws.write_number(r, c, value.getal, book.add_format({"num_format": value.formaat}))
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, date):
                    ws.write_datetime(r, c, value, book.add_format({"num_format": "d-m-yyyy"}))
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
        if extra is not None:
            extra(titel, ws, book)
    book.close()
    return pad


def verander_xml(pad: Path, blad: str, wijzig: Callable[[bytes], bytes]) -> Path:
    """Rewrite the XML of one sheet of a workbook written by `werkmap` (XlsxWriter numbers the parts in the order of
    the sheets), or of another part when `blad` is a part's name."""
    with zipfile.ZipFile(pad) as package:
        delen = {info.filename: package.read(info.filename) for info in package.infolist()}
    if blad.startswith(("xl/", "[", "_", "docProps")):
        deel = blad
    else:
        workbook = delen["xl/workbook.xml"].decode()
        titels = re.findall(r'<sheet name="([^"]*)"', workbook)
        deel = f"xl/worksheets/sheet{titels.index(blad) + 1}.xml"
    delen[deel] = wijzig(delen[deel])
    with zipfile.ZipFile(pad, "w", zipfile.ZIP_DEFLATED) as package:
        for naam, data in delen.items():
            package.writestr(naam, data)
    return pad


def inline_tekst(ref: str, tekst: bytes) -> Callable[[bytes], bytes]:
    """A change for `verander_xml`: the cell `ref` (e.g. "B2") becomes an inline string holding `tekst` as raw XML
    (a character reference, or bytes no UTF-8 encoder would write)."""

    def wijzig(xml: bytes) -> bytes:
        cel_xml = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)')
        nieuw = b'<c r="' + ref.encode() + b'" t="inlineStr"><is><t>' + tekst + b"</t></is></c>"
        result, n = cel_xml.subn(nieuw, xml, count=1)
        assert n == 1, ref
        return result

    return wijzig


def csv_map(map_: Path, tabellen: Mapping[str, Sequence[Sequence[Any]]], *, scheiding: str = ";",
            codering: str = "utf-8", regeleinde: str = "\n", ruw: Mapping[str, bytes] | None = None) -> Path:
    """Write one CSV file per table into `map_`; `ruw` gives a file's bytes as they are."""
    map_.mkdir(parents=True, exist_ok=True)
    for titel, rows in tabellen.items():
        tekst = "".join(scheiding.join("" if v is None else str(v) for v in row) + regeleinde for row in rows)
        (map_ / f"{titel}.csv").write_bytes(tekst.encode(codering, errors="surrogatepass"))
    for naam, data in (ruw or {}).items():
        (map_ / naam).write_bytes(data)
    return map_


def csv_tekst(tabel: Sequence[Sequence[Any]], scheiding: str = ";") -> str:
    return "".join(scheiding.join("" if v is None else str(v) for v in row) + "\n" for row in tabel)
