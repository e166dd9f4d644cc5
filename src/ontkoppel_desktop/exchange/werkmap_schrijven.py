"""How the app writes a workbook: with XlsxWriter, a header row that looks alike on every sheet, and saved whole
or not at all through `bestand_schrijven.schrijf_export` (a temporary file beside the target, then a rename).

Every cell goes through `write_cells`: text is written as text (`write_string`, never XlsxWriter's guessing
`write`), and text that a spreadsheet would take for a formula is neutralised (`neutraal`), so that a naam like
`=HYPERLINK(...)` stays harmless also after the user saves the sheet again as CSV.

XlsxWriter only writes, which is all these workbooks need; it loads in a hundredth of a second where openpyxl
takes a tenth, and writes a cell in a fraction of openpyxl's time (the uitslag of a large ronde has 25 000).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ontkoppel_desktop.exchange.bestand_schrijven import NietGeschreven, schrijf_export
from ontkoppel_desktop.exchange.ronde_cellen import neutraal

_OPTIONS: dict[str, Any] = {
    # The workbook is built in memory: XlsxWriter's default puts each sheet in a temporary file in the system's
    # temp folder, and these sheets hold names of aios and opleiders.
    "in_memory": True,
    # Text stays text: a naam or reden that starts with "=" or looks like a web address is not made a formula or
    # a link.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    # Dates as the Dutch write them; without a format Excel would show a date as a number.
    "default_date_format": "d-m-yyyy",
}


# What Excel holds in one cell. XlsxWriter cuts a longer text without a word; the app refuses to write it instead,
# so no cell of a workbook it wrote says less than it should.
MAX_CEL = 32_767


def write_cells(ws: Worksheet, rij: int, values: Iterable[object], cell_format: Format | None = None) -> None:
    """One row from column 0: text as neutralised text, numbers and dates as such, None and "" as an empty cell. The
    only way the app's workbooks write cells. Raises NietGeschreven for a text longer than a cell holds."""
    for kolom, value in enumerate(values):
        if isinstance(value, str) and value:
            tekst = neutraal(value)
            if len(tekst) > MAX_CEL:
                lengte, grens = (f"{n:,}".replace(",", ".") for n in (len(tekst), MAX_CEL))
                raise NietGeschreven(
                    f"Blad {ws.name}, rij {rij + 1}, kolom {kolom + 1}: de tekst is {lengte} tekens lang en een cel "
                    f"van Excel houdt er hoogstens {grens}; de werkmap is niet geschreven. Maak de namen of redenen "
                    "korter."
                )
            ws.write_string(rij, kolom, tekst, cell_format)
        elif value is None or value == "":
            ws.write_blank(rij, kolom, None, cell_format)
        elif isinstance(value, bool | int | float | date):
            ws.write(rij, kolom, value, cell_format)
        else:
            raise TypeError(f"cannot write a {type(value).__name__} to a cell")


class Werkmap:
    """A workbook being written, with the few cell formats the app's workbooks use."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self._header = book.add_format({"bold": True, "pattern": 1, "bg_color": "#DDEBF7"})

    def sheet(
        self, naam: str, titels: Sequence[str], breedtes: Sequence[float], wrapped: Collection[int] = ()
    ) -> Worksheet:
        """A sheet with a header row (bold on a light fill, stays in view when scrolling) and the columns' widths;
        the text in the `wrapped` columns (by index) wraps."""
        ws = self.book.add_worksheet(naam)
        write_cells(ws, 0, titels, self._header)
        for index, breedte in enumerate(breedtes):
            ws.set_column(index, index, breedte, self.wrap if index in wrapped else None)
        ws.freeze_panes(1, 0)
        return ws


def write_workbook(pad: str | os.PathLike[str], fill: Callable[[Werkmap], None]) -> None:
    """Let `fill` write the sheets, then put the workbook at `pad` whole or not at all. Raises NietGeschreven, or
    BestandBezet when another program holds the target (both Dutch)."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            book = Workbook(handle, _OPTIONS)
            fill(Werkmap(book))
            book.close()

    schrijf_export(pad, write)
