"""Issue 12, defect 3: a workbook is checked before it is parsed. A zip bomb (a little file that unpacks to
hundreds of MB), a sheet whose used range runs to XFD1048576, and a big sheet the ronde does not use: each is
refused or left unread quickly, with a Dutch message, instead of minutes and gigabytes."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from ontkoppel_desktop.demo.rondes import maak_demo_ronde
from ontkoppel_desktop.exchange import ronde_bestanden
from ontkoppel_desktop.exchange.ronde_bestanden import MAX_DEEL, Onleesbaar, read_xlsx
from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "ronde.xlsx"
    write_ronde(path, maak_demo_ronde(10, 12, seed=1))
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/groot.xml", row * (MAX_DEEL // len(row) + 1))
    assert path.stat().st_size < 2 * 2**20, "a little file"
    started = time.perf_counter()
    with pytest.raises(Onleesbaar, match="uitgepakt veel groter dan een ronde"):
        read_xlsx(path)
    assert time.perf_counter() - started < 5, "refused before parsing"


def test_a_sheet_that_runs_to_the_last_cell_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ronde.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Aios")
    sheet.write_string(0, 0, "naam")
    sheet.write_string(1_048_575, 16_383, "x")  # XFD1048576
    workbook.close()
    with pytest.raises(Onleesbaar, match="loopt tot rij 1048576"):
        read_xlsx(path)


def test_a_sheet_the_ronde_does_not_use_is_not_read_for_its_formats(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Percent formats are looked up in the ronde's own sheets only (openpyxl would read every sheet)."""
    path = tmp_path / "ronde.xlsx"
    write_ronde(path, maak_demo_ronde(10, 12, seed=1))
    data = path.read_bytes()
    asked: list[set[str]] = []
    original = ronde_bestanden._percent_cells

    def spy(raw: bytes, titels: set[str]) -> dict[str, set[tuple[int, int]]]:
        asked.append(set(titels))
        return original(raw, titels)

    monkeypatch.setattr(ronde_bestanden, "_percent_cells", spy)
    monkeypatch.setattr(ronde_bestanden, "_styles_show_percent", lambda package: True)
    tables = read_xlsx(path)
    assert asked and asked[0] == {t.titel for t in tables.values()}
    assert path.read_bytes() == data
