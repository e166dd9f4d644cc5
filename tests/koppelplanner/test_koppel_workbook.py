"""Import of a ronde from .xlsx and .csv (all-or-nothing, every problem with sheet, row and column), the
template, and the export of the uitslag."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import replace
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from ontkoppel_desktop.core.koppelplanner import Koppelplanner, OpleiderStatus
from ontkoppel_desktop.demo.rondes import maak_demo_ronde
from ontkoppel_desktop.exchange.ronde_lezen import read_ronde, read_ronde_csv
from ontkoppel_desktop.exchange.ronde_schema import BLADEN
from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde
from ontkoppel_desktop.exchange.ronde_sjabloon import write_template
from ontkoppel_desktop.exchange.uitslag_schrijven import write_uitslag

AIOS = [["id", "naam", "opleidingsjaar", "deeltijd"], ["A1", "Sanne Visser", 1, 100], ["A2", "Bram Bos", 3, 80]]
OPLEIDERS = [
    ["id", "naam", "praktijk", "status", "coassistent", "blokkade", "capaciteit", "duo-opleider", "aanwezigheid"],
    ["O1", "Eva Kok", "Praktijk De Linde", "curriculum", "nee", "nee", None, None, None],
    ["O2", "Joost Smit", "Praktijk Het Anker", "ervaren", "ja", "nee", 1, "ja", 50],
    ["O3", "Iris Post", "Praktijk De Brink", "Ervaren", "nee", "nee", 2, None, None],
]
VOORKEUREN = [["aios", "opleider", "score"], ["A1", "O1", 1], ["A1", "O2", 2], ["A2", "O2", 1], ["A2", "O3", 2]]


def _workbook(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _basic(**extra):
    sheets = {"Aios": AIOS, "Opleiders": OPLEIDERS, "Voorkeuren": VOORKEUREN}
    sheets.update(extra)
    return sheets


def test_reads_a_valid_workbook(tmp_path):
    result = read_ronde(_workbook(tmp_path / "r.xlsx", _basic(
        Ronde=[["naam", "startdatum"], ["Maart 2027", datetime(2027, 3, 1)]],
        Afwijzingen=[["opleider", "aios", "motivatie"], ["O3", "A1", "Familierelatie."]],
        Vastgezet=[["aios", "opleider", "reden"]],
    )))
    assert result.ok and result.problemen == ()
    r = result.ronde
    assert r.naam == "Maart 2027" and r.startdatum == date(2027, 3, 1)
    assert [a.id for a in r.aios] == ["A1", "A2"] and r.aios[1].deeltijdpercentage == 80
    o1, o2, o3 = r.opleiders
    assert o1.status is OpleiderStatus.CURRICULUM and o1.capaciteit == 1 and not o1.coassistent
    assert o2.coassistent and o2.duo_opleider and o2.aanwezigheidspercentage == 50
    assert o3.status is OpleiderStatus.ERVAREN and o3.capaciteit == 2
    assert len(r.bezoeken) == 4 and r.afwijzingen[0].motivatie == "Familierelatie."


def test_names_are_matched_case_insensitively_and_extra_columns_ignored(tmp_path):
    aios = [["  ID ", "Naam", " OpleidingsJaar", "Opmerking", "Voorkeur fulltime"],
            ["A1", "Sanne Visser", 1, "iets", "ja"], ["A2", "Bram Bos", 3, "", "nee"]]
    opleiders = [[f" {h.upper()} " for h in OPLEIDERS[0]]] + OPLEIDERS[1:]
    voorkeuren = [["Score", "AIOS", "Opleider", "Notitie"]] + [[s, a, o, "x"] for a, o, s in VOORKEUREN[1:]]
    result = read_ronde(_workbook(tmp_path / "r.xlsx", {
        " aios ": aios, "OPLEIDERS": opleiders, "voorkeuren": voorkeuren, "Toelichting": [["wat dan ook"]],
    }))
    assert result.ok, [str(p) for p in result.problemen]
    assert [b.score for b in result.ronde.bezoeken] == [1, 2, 1, 2]


def test_numeric_ids_and_percent_formats(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("Aios")
    for row in [["id", "naam", "opleidingsjaar", "deeltijd"], [101, "Sanne Visser", "1e jaars", 0.8]]:
        ws.append(row)
    ws["D2"].number_format = "0%"
    ws = wb.create_sheet("Opleiders")
    for row in [["id", "naam", "praktijk", "status"], [7.0, "Eva Kok", "De Linde", "curriculum"]]:
        ws.append(row)
    ws = wb.create_sheet("Voorkeuren")
    for row in [["aios", "opleider", "score"], [101, 7, 1]]:
        ws.append(row)
    wb.save(path)
    result = read_ronde(path)
    assert result.ok, [str(p) for p in result.problemen]
    assert result.ronde.aios[0].id == "101" and result.ronde.aios[0].deeltijdpercentage == 80
    assert result.ronde.opleiders[0].id == "7"
    assert result.ronde.bezoeken[0] .opleider_id == "7"


def _problems(result):
    assert result.ronde is None
    return [(p.blad, p.rij, p.kolom) for p in result.problemen], [str(p) for p in result.problemen]


def test_every_problem_with_sheet_row_and_column_and_nothing_half_imported(tmp_path):
    aios = AIOS + [["A3", "Noor Vos", "twee"], ["A4", "Iris Post", 2]]
    opleiders = OPLEIDERS + [["O4", "Bas Bos", "De Kolk", "senior", "misschien"]]
    voorkeuren = VOORKEUREN + [
        ["A1", "O3", 2],  # dubbele score
        ["A3", "O1", 1],  # A3's row is broken: not reported again as unknown
        ["A9", "O1", 1],  # unknown aios
        ["A2", "O1", None],  # missing score
    ]
    afwijzingen = [["opleider", "aios", "motivatie"], ["O2", "A1", ""], ["O2", "A2", "Tweede."]]
    result = read_ronde(_workbook(tmp_path / "r.xlsx", _basic(
        Aios=aios, Opleiders=opleiders, Voorkeuren=voorkeuren, Afwijzingen=afwijzingen,
    )))
    plekken, teksten = _problems(result)
    assert ("Aios", 4, "opleidingsjaar") in plekken  # "twee"
    assert ("Aios", 5, "opleidingsjaar") in plekken  # year 2
    assert ("Opleiders", 5, "status") in plekken
    assert ("Opleiders", 5, "coassistent") in plekken
    assert ("Voorkeuren", 6, "score") in plekken  # dubbele score
    assert ("Voorkeuren", 8, "aios") in plekken  # A9
    assert ("Voorkeuren", 9, "score") in plekken  # ontbrekende score
    assert ("Afwijzingen", 2, "motivatie") in plekken
    assert ("Afwijzingen", 3, None) in plekken  # tweede afwijzing
    assert not any("A3" in t and "niet bij de aios" in t for t in teksten)
    assert any("'twee' is geen opleidingsjaar" in t for t in teksten)
    assert any("Blad Aios, rij 5, kolom opleidingsjaar:" in t and "1e en 3e jaars" in t for t in teksten)
    assert any("'senior' is geen status" in t for t in teksten)
    # Sorted by sheet, then row.
    sheets = [p[0] for p in plekken]
    assert sheets == sorted(sheets, key=["Aios", "Opleiders", "Voorkeuren", "Afwijzingen"].index)


def test_missing_sheets_and_columns(tmp_path):
    result = read_ronde(_workbook(tmp_path / "r.xlsx", {
        "Aios": [["id", "naam"], ["A1", "Sanne"]],
        "Voorkeuren": VOORKEUREN,
    }))
    plekken, teksten = _problems(result)
    assert ("Aios", 1, "opleidingsjaar") in plekken
    assert ("Opleiders", None, None) in plekken
    assert "Het blad Opleiders ontbreekt." in " ".join(teksten)


def test_a_missing_column_in_aios_does_not_flood_the_other_sheets(tmp_path):
    aios = [["id", "naam"], ["A1", "Sanne"], ["A2", "Bram"]]
    plekken, _ = _problems(read_ronde(_workbook(tmp_path / "r.xlsx", _basic(Aios=aios))))
    assert plekken == [("Aios", 1, "opleidingsjaar")]


def test_a_missing_column_in_an_optional_sheet_refuses_the_import(tmp_path):
    afwijzingen = [["opleider", "aios"], ["O1", "A1"]]
    plekken, _ = _problems(read_ronde(_workbook(tmp_path / "r.xlsx", _basic(Afwijzingen=afwijzingen))))
    assert plekken == [("Afwijzingen", 1, "motivatie")]


def test_a_duplicated_column_is_a_problem(tmp_path):
    aios = [["id", "naam", "opleidingsjaar", "jaar"], ["A1", "Sanne", 1, 1]]
    plekken, _ = _problems(read_ronde(_workbook(tmp_path / "r.xlsx", _basic(Aios=aios))))
    assert ("Aios", 1, "jaar") in plekken


def test_duo_under_40_and_empty_required_cells(tmp_path):
    opleiders = OPLEIDERS + [["O4", "Bas Bos", "De Kolk", "ervaren", "nee", "nee", 1, "ja", "30%"]]
    aios = AIOS + [[None, "Zonder Id", 1]]
    plekken, teksten = _problems(read_ronde(_workbook(tmp_path / "r.xlsx", _basic(Opleiders=opleiders,
                                                                                   Aios=aios))))
    assert ("Opleiders", 5, "aanwezigheid") in plekken
    assert any("minimaal 40%" in t for t in teksten)
    assert ("Aios", 4, "id") in plekken


def test_not_an_excel_file(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_text("geen excel")
    result = read_ronde(path)
    assert not result.ok and "kan niet als Excel-werkmap" in str(result.problemen[0])
    assert "bestaat niet" in str(read_ronde(tmp_path / "weg.xlsx").problemen[0])


# --- CSV -------------------------------------------------------------------------------------------------------


def _csv(path, rows, delimiter=";", encoding="utf-8-sig"):
    text = "\r\n".join(delimiter.join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1252")])
def test_csv_folder(tmp_path, delimiter, encoding):
    aios = AIOS[:1] + [["A1", "Sanne Visser", 1, "80,0"], ["A2", "Noël Bos", 3, None]]
    _csv(tmp_path / "Aios.csv", aios, delimiter, encoding)
    _csv(tmp_path / "opleiders.CSV", OPLEIDERS, delimiter, encoding)
    _csv(tmp_path / "ronde-maart_Voorkeuren.csv", VOORKEUREN, delimiter, encoding)
    _csv(tmp_path / "Afwijzingen.csv", [["opleider", "aios", "motivatie"], ["O3", "A1", "Café-eigenaar; familie"]],
         delimiter, encoding)
    for target in (tmp_path, tmp_path / "Aios.csv"):
        result = read_ronde(target)
        assert result.ok, [str(p) for p in result.problemen]
        assert result.ronde.aios[1].naam == "Noël Bos"
        assert result.ronde.aios[0].deeltijdpercentage == 80
        assert result.ronde.afwijzingen[0].motivatie == "Café-eigenaar; familie" or delimiter == ";"


def test_csv_chosen_per_sheet_and_problem_rows(tmp_path):
    bestanden = {
        "aios": _csv(tmp_path / "a.csv", AIOS + [["A3", "Noor Vos", 2]]),
        "Opleiders": _csv(tmp_path / "o.csv", OPLEIDERS),
        "VOORKEUREN": _csv(tmp_path / "v.csv", VOORKEUREN),
    }
    plekken, _ = _problems(read_ronde_csv(bestanden))
    assert plekken == [("aios", 4, "opleidingsjaar")]


def test_two_csv_files_for_one_sheet(tmp_path):
    _csv(tmp_path / "Aios.csv", AIOS)
    _csv(tmp_path / "oud_Aios.csv", AIOS)
    _, teksten = _problems(read_ronde(tmp_path))
    assert any("Twee bestanden voor het blad Aios" in t for t in teksten)


# --- template, round trip, export ----------------------------------------------------------------------------


def test_template_has_every_sheet_with_its_header_and_a_toelichting(tmp_path):
    path = tmp_path / "sjabloon.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Toelichting"] + [b.naam for b in BLADEN]
    for blad in BLADEN:
        assert [c.value for c in wb[blad.naam][1]] == [k.naam for k in blad.kolommen]
    toelichting = " ".join(str(c.value) for row in wb["Toelichting"].iter_rows() for c in row if c.value)
    assert "fulltime of parttime" in toelichting and "groepsbelang" in toelichting
    # Empty template: refused with a clear message, not a crash.
    result = read_ronde(path)
    assert not result.ok and any("geen aios" in str(p) for p in result.problemen)


def test_round_trip_of_a_demo_ronde(tmp_path):
    r = maak_demo_ronde(60, 80, seed=9)
    write_ronde(tmp_path / "r.xlsx", r)
    assert read_ronde(tmp_path / "r.xlsx").ronde == r


def test_uitslag_export(tmp_path):
    r = maak_demo_ronde(30, 24, seed=4)
    planner = Koppelplanner(r)
    uitslag = planner.solve()
    assert uitslag.ongekoppeld, "the ronde should leave someone out for this test"
    path = tmp_path / "uitslag.xlsx"
    write_uitslag(path, r, uitslag)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Uitslag", "Per opleider", "Niet gekoppeld", "Samenvatting"]
    rows = list(wb["Uitslag"].iter_rows(values_only=True))
    assert rows[0][:3] == ("aios", "opleider", "score")
    assert {(a, o) for a, o, *_ in rows[1:]} == set(uitslag.toewijzing.items())
    assert all(row[9] for row in rows[1:])  # toelichting
    niet = list(wb["Niet gekoppeld"].iter_rows(values_only=True))
    assert [row[0] for row in niet[1:]] == list(uitslag.ongekoppeld)
    per = list(wb["Per opleider"].iter_rows(values_only=True))
    assert len(per) == len(r.opleiders) + 1
    samenvatting = dict(wb["Samenvatting"].iter_rows(values_only=True))
    assert samenvatting["Gekoppeld"] == uitslag.doelwaarde.gekoppeld
    assert samenvatting["Voorrangsopleiders gevuld"].endswith(f"van {len(planner.index.voorrang_ids)}")
    assert not list(tmp_path.glob(".~*"))  # no temporary file left behind


@pytest.mark.parametrize(("startdatum", "waar"), [
    (datetime(9999, 3, 1), "ligt te ver in de toekomst"),
    (datetime(2017, 3, 1), "ligt te ver in het verleden"),
])
def test_an_implausible_startdatum_is_a_problem_in_the_ronde_sheet(tmp_path, startdatum, waar):
    """Issue 7, defect 4: a startdatum in year 9999 was accepted and then broke the app."""
    result = read_ronde(_workbook(tmp_path / "r.xlsx", _basic(
        Ronde=[["naam", "startdatum"], ["Maart", startdatum]],
        Voorkeuren=VOORKEUREN + [["A1", "O3", 2]],  # and a dubbele score: every problem is listed together
    )), today=date(2026, 12, 1))
    plekken, teksten = _problems(result)
    assert ("Ronde", 2, "startdatum") in plekken and ("Voorkeuren", 6, "score") in plekken
    tekst = next(t for t in teksten if t.startswith("Blad Ronde, rij 2, kolom startdatum:"))
    assert waar in tekst and "Controleer het jaartal" in tekst and f"{startdatum.year}" in tekst


def test_a_plausible_startdatum_is_read(tmp_path):
    result = read_ronde(_workbook(tmp_path / "r.xlsx", _basic(
        Ronde=[["naam", "startdatum"], ["Maart", datetime(2029, 12, 1)]],
    )), today=date(2026, 12, 1))
    assert result.ok and result.ronde.startdatum == date(2029, 12, 1)


# --- how the workbook is read and written (issue 8) ------------------------------------------------------------


def test_a_workbook_without_a_percentage_style_is_read_without_openpyxl(tmp_path):
    """The fast path: calamine alone. openpyxl (a tenth of a second to load) only for percentage formats."""
    write_ronde(tmp_path / "r.xlsx", maak_demo_ronde(20, 24, seed=1))
    code = (
        "import sys\nfrom ontkoppel_desktop.exchange.ronde_lezen import read_ronde\n"
        f"assert read_ronde({str(tmp_path / 'r.xlsx')!r}).ok\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_percentages_by_their_cell_format_wherever_the_style_is(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in _basic().items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb["Aios"]["D2"] = 0.855
    wb["Aios"]["D2"].number_format = "0.0%"  # a format of the workbook's own, not one built in
    wb["Opleiders"]["I3"] = 40  # plain 40 beside a percentage elsewhere in the workbook stays 40
    wb["Opleiders"]["I2"] = 0.75
    wb["Opleiders"]["I2"].number_format = "0%"
    wb.save(path)
    result = read_ronde(path)
    assert result.ok, [str(p) for p in result.problemen]
    assert result.ronde.aios[0].deeltijdpercentage == 86 and result.ronde.aios[1].deeltijdpercentage == 80
    assert [o.aanwezigheidspercentage for o in result.ronde.opleiders] == [75, 40, 100]


def test_the_built_in_percentage_formats_are_those_of_openpyxl():
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    from ontkoppel_desktop.exchange.ronde_bestanden import _BUILTIN_PERCENT

    assert {i for i, code in BUILTIN_FORMATS.items() if "%" in code} == _BUILTIN_PERCENT


def _damaged(tmp_path, kind):
    good = tmp_path / "goed.xlsx"
    write_ronde(good, maak_demo_ronde(10, 12, seed=1))
    data = good.read_bytes()
    path = tmp_path / f"{kind}.xlsx"
    if kind == "half":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "zonder-werkmap":
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("word/document.xml", "<document/>")
    elif kind == "kapotte-xml":
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as package:
            for name in source.namelist():
                part = source.read(name)
                package.writestr(name, part[: len(part) // 2] if name.startswith("xl/worksheets/") else part)
    else:
        # Bytes changed at random: whatever breaks, the user reads a sentence, never a traceback.
        rng = random.Random(kind)
        changed = bytearray(data)
        for _ in range(4):
            changed[rng.randrange(len(changed))] = rng.randrange(256)
        path.write_bytes(bytes(changed))
    return path


@pytest.mark.parametrize("kind", ["half", "zonder-werkmap", "kapotte-xml", *[f"ruis-{i}" for i in range(40)]])
def test_a_damaged_workbook_is_a_problem_never_a_crash(tmp_path, kind):
    result = read_ronde(_damaged(tmp_path, kind))
    if kind.startswith("ruis") and result.ok:
        return  # the noise hit bytes nothing reads
    assert not result.ok and result.problemen
    if not kind.startswith("ruis"):
        assert len(result.problemen) == 1 and "Excel-werkmap (.xlsx)" in str(result.problemen[0])


def test_text_that_looks_like_a_formula_or_a_link_stays_text(tmp_path):
    r = maak_demo_ronde(6, 8, seed=1)
    r = replace(r, aios=(replace(r.aios[0], naam="=HYPERLINK(\"http://x\")"), *r.aios[1:]),
                opleiders=(replace(r.opleiders[0], praktijk="www.voorbeeld.nl"), *r.opleiders[1:]))
    write_ronde(tmp_path / "r.xlsx", r)
    assert read_ronde(tmp_path / "r.xlsx").ronde == r
    wb = load_workbook(tmp_path / "r.xlsx")
    assert all(c.data_type != "f" and not c.hyperlink for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_workbooks_are_written_beside_the_target_only(tmp_path, monkeypatch):
    """Through atomic.write_atomic_with, and never via the system's temp folder (the sheets hold names)."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    target = tmp_path / "uit"
    target.mkdir()
    r = maak_demo_ronde(8, 10, seed=1)
    write_template(target / "sjabloon.xlsx")
    write_ronde(target / "ronde.xlsx", r)
    planner = Koppelplanner(r)
    write_uitslag(target / "uitslag.xlsx", r, planner.solve(), index=planner.index)
    assert sorted(p.name for p in target.iterdir()) == ["ronde.xlsx", "sjabloon.xlsx", "uitslag.xlsx"]
    assert list(temp.iterdir()) == []
    with pytest.raises(ValueError):
        write_uitslag(target / "x.xlsx", maak_demo_ronde(8, 10, seed=2), planner.solve(), index=planner.index)


_GEVAARLIJK = ['=HYPERLINK("http://x","Klik")', "+1", "-2", "@SUM(A1)", "\tTAB", "=1+1"]


def test_text_that_starts_a_formula_is_written_as_neutralised_text_everywhere(tmp_path):
    """Issue 12, defect 1 (OWASP CSV injection): every writer writes text as a string cell with a "'" in front."""
    from python_calamine import CalamineWorkbook

    r = maak_demo_ronde(6, 8, seed=1)
    aios = tuple(replace(a, naam=n) for a, n in zip(r.aios, _GEVAARLIJK, strict=False))
    r = replace(r, aios=aios, opleiders=(replace(r.opleiders[0], praktijk="=cmd|' /C calc'!A0"), *r.opleiders[1:]))
    planner = Koppelplanner(r)
    write_ronde(tmp_path / "ronde.xlsx", r)
    write_uitslag(tmp_path / "uitslag.xlsx", r, planner.solve(), index=planner.index)
    write_template(tmp_path / "sjabloon.xlsx")
    for name in ("ronde.xlsx", "uitslag.xlsx", "sjabloon.xlsx"):
        for c in (c for ws in load_workbook(tmp_path / name).worksheets for row in ws.iter_rows() for c in row):
            assert c.data_type != "f", (name, c.coordinate)
            assert not (isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r")))
        with zipfile.ZipFile(tmp_path / name) as package:
            assert not any(b"<f>" in package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/"))
    for path in (tmp_path / "ronde.xlsx", tmp_path / "uitslag.xlsx"):
        book = CalamineWorkbook.from_path(str(path))
        texts = {v for s in book.sheet_names for row in book.get_sheet_by_name(s).to_python() for v in row}
        assert {"'" + n for n in _GEVAARLIJK} <= texts, path.name
        assert "'=cmd|' /C calc'!A0" in texts
    # The import takes the quote off again: the ronde comes back as it was.
    assert read_ronde(tmp_path / "ronde.xlsx").ronde == r
