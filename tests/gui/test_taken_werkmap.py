"""Taken & termijnen as a workbook (issue 14): every row the list shows, text as text and never a formula."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from ontkoppel_desktop.core.personen import Naam
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.taken.werkmap import KOLOMMEN, write_taken
from tests.conftest import WACHTWOORD


def test_names_that_look_like_formulas_stay_text(store_path: Path, tmp_path: Path, qapp: Any) -> None:
    store = Store.open(store_path, WACHTWOORD)
    try:
        rows = store.trajecten.taken(dt.date.today())
    finally:
        store.close()
    assert rows
    formule = '=HYPERLINK("http://x";"klik")'
    kwaad = dataclasses.replace(rows[0], aios_naam=Naam("Noor", "", formule), opleider_naam=Naam("", "", "@SUM(1)"))
    target = tmp_path / "taken.xlsx"
    write_taken(target, [kwaad, *rows[1:]], dt.date.today())
    sheet = openpyxl.load_workbook(target)["Taken"]
    assert [c.value for c in sheet[1]] == [t for t, _ in KOLOMMEN]
    assert sheet.max_row == len(rows) + 1
    aios, opleider = sheet.cell(2, 9), sheet.cell(2, 10)
    assert (aios.data_type, aios.value) == ("s", f"'{formule}, Noor")  # neutralised: text, not a formula
    assert (opleider.data_type, opleider.value) == ("s", "'@SUM(1)")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    due = rows[1].task.due
    assert sheet.cell(3, 3).value == (dt.datetime.combine(due, dt.time()) if due else None)
