"""Issue 12, the bad-input corpus of the import and the koppel command: every file a ronde can come in (a workbook,
a folder of CSV files, one CSV file) and every place an uitslag can be asked for, bent in every way we could think
of, and arbitrary text, bytes and row orders from hypothesis. Each ends in a correct uitslag or a Dutch message:
never a traceback, a hang, a crash of the process, English from a library, a name repeated where it has no
business, or anything half-written (the uitslag is whole, or the one before is byte-identical; no temporary file
is left beside it; the ronde itself is never touched).

The Koppelplanner's "Ronde importeren" reads with the same `read_ronde` as the command: an expected exit code 1
(not 4, the command's last line of defence) proves the import returned its problems instead of raising. The
other files the app writes from exchange (template, ronde, .ics) are covered at the end.

The command runs in-process through `run(argv)`; the cases that could hang or take the process down if they
regressed (a pipe for a ronde, a workbook that makes calamine allocate terabytes) run only as the installed
command, in a subprocess with a generous timeout that exists to catch a hang, not to time anything.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bad_input_bestanden import (
    GOED,
    Formule,
    Opgemaakt,
    bladen,
    cel,
    csv_map,
    csv_tekst,
    inline_tekst,
    verander_xml,
    werkmap,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from ontkoppel_desktop.cli_koppel import EXIT_GEBRUIK, EXIT_OK, EXIT_ONGELDIG, EXIT_ONVERWACHT, EXIT_SCHRIJVEN, run
from ontkoppel_desktop.exchange.ronde_bestanden import MAX_DEEL, MAX_RIJEN
from ontkoppel_desktop.exchange.ronde_cellen import as_text
from ontkoppel_desktop.exchange.ronde_lezen import read_ronde

# --- what every case is held to ----------------------------------------------------------------------------------

# English from Python or a library: an exception's name, a traceback, the system's error texts, a Rust panic.
ENGELS = re.compile(
    r"Traceback|\b\w*(?:Error|Exception|Warning)\b|\bErrno\b|Permission denied|No such file|Is a directory|"
    r"not a zip|[Cc]annot |[Ii]nvalid |codec|panicked|stack backtrace|\bline \d"
)
NEDERLANDS = re.compile(r"\b(?:niet|geen|het|een|is|kan|blad|rij|kolom|bestand|map)\b")
# The lines the command writes to stderr, and nothing else.
FOUTREGEL = re.compile(r"(?:Fout: |De ronde .* is niet ingelezen; \d+ proble|- |gebruik: |\s{2,})")
VORIGE = b"de uitslag van vorige week"


def koppel(argv: list[str], out: io.StringIO | None = None) -> tuple[int, str, str]:
    out = out if out is not None else io.StringIO()
    err = io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def inhoud(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with a digest of its bytes (a pipe or a folder by its kind)."""
    result: dict[str, bytes] = {}
    for pad in sorted(folder.rglob("*")):
        naam = str(pad.relative_to(folder))
        if pad.is_fifo():
            result[naam] = b"fifo"
        elif pad.is_file():
            with open(pad, "rb") as handle:
                result[naam] = hashlib.file_digest(handle, "sha256").digest()
        else:
            result[naam] = b"map"
    return result


def controleer_uitvoer(code: int, out: str, err: str, *, verwacht: int, zegt: tuple[str, ...] = (),
                       geheim: tuple[str, ...] = (), weg: tuple[str, ...] = ()) -> None:
    """The exit code, and output in Dutch only: no English, no personal data in `geheim`; `weg` (the temporary
    folder) is left out before looking for English words, since pytest names it after the test."""
    tekst = out + err
    schoon = tekst
    for pad in weg:
        schoon = schoon.replace(pad, "")
    assert code == verwacht, tekst
    assert not ENGELS.search(schoon), tekst
    for woorden in zegt:
        assert woorden in tekst, tekst
    for naam in geheim:
        assert naam not in tekst, tekst
    if code != EXIT_OK:
        assert err and NEDERLANDS.search(err), tekst
        for regel in err.splitlines():
            assert FOUTREGEL.match(regel), regel
    if code in (EXIT_ONGELDIG, EXIT_GEBRUIK):
        assert out == "", out


def controleer_uitslag(uit: Path, code: int) -> None:
    """Nothing half-written: after a failure the uitslag of last week is byte-identical; after success the new one
    is a whole workbook; nothing else is left in its folder."""
    assert sorted(p.name for p in uit.iterdir()) == ["uitslag.xlsx"], list(uit.iterdir())
    if code == EXIT_OK:
        workbook = CalamineWorkbook.from_path(str(uit / "uitslag.xlsx"))
        assert workbook.sheet_names == ["Uitslag", "Per opleider", "Niet gekoppeld", "Samenvatting"]
        workbook.close()
    else:
        assert (uit / "uitslag.xlsx").read_bytes() == VORIGE


# --- the fixed cases ---------------------------------------------------------------------------------------------

Maker = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Geval:
    """One bad input: `maak` writes it into an empty folder and returns the command's arguments before --uitslag."""

    id: str
    maak: Maker
    verwacht: int
    zegt: tuple[str, ...] = ()
    # Names in the input that the output must not repeat (the problem is about the file, not about them).
    geheim: tuple[str, ...] = ()


def xlsx(tabellen: dict[str, list[list[Any]]], extra: Callable[[str, Any, Any], None] | None = None) -> Maker:
    return lambda folder: [str(werkmap(folder / "ronde.xlsx", tabellen, extra))]


def xlsx_xml(blad: str, wijzig: Callable[[bytes], bytes], tabellen: dict[str, list[list[Any]]] | None = None) -> Maker:
    def maak(folder: Path) -> list[str]:
        pad = werkmap(folder / "ronde.xlsx", tabellen or GOED)
        return [str(verander_xml(pad, blad, wijzig))]

    return maak


def bytes_als(naam: str, data: bytes) -> Maker:
    def maak(folder: Path) -> list[str]:
        (folder / naam).write_bytes(data)
        return [str(folder / naam)]

    return maak


def csvs(tabellen: dict[str, list[list[Any]]] | None = None, *, los: str | None = None, **opties: Any) -> Maker:
    """A folder of CSV files; `los` passes that one file instead of the folder (the import reads its folder)."""

    def maak(folder: Path) -> list[str]:
        map_ = csv_map(folder / "ronde", tabellen if tabellen is not None else GOED, **opties)
        return [str(map_ / los if los else map_)]

    return maak


def csv_ruw(naam: str, data: bytes) -> Maker:
    """The valid ronde as CSV, with one file's bytes replaced."""
    return csvs(ruw={naam: data})


def zip_zonder_werkmap(folder: Path) -> list[str]:
    with zipfile.ZipFile(folder / "ronde.xlsx", "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
    return [str(folder / "ronde.xlsx")]


def afgekapt(folder: Path) -> list[str]:
    pad = werkmap(folder / "ronde.xlsx", GOED)
    pad.write_bytes(pad.read_bytes()[:1500])
    return [str(pad)]


def rijen(aantal: int) -> list[list[Any]]:
    return [["id", "naam", "opleidingsjaar"], *([f"A{i}", f"Naam {i}", 1] for i in range(aantal))]


def veel_rijen_zonder_dimension(folder: Path) -> list[str]:
    """60 000 rows in a workbook whose sheets have no <dimension> (the size check went by it)."""
    pad = werkmap(folder / "ronde.xlsx", bladen(Aios=lambda rows: rows.extend(rijen(60_000)[1:])))
    return [str(verander_xml(pad, "Aios", lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml)))]


def te_veel_aios(folder: Path) -> list[str]:
    """More aios than a ronde holds, well within the row limit: the solver's matrix would run to gigabytes."""
    from ontkoppel_desktop.exchange.ronde_lezen import MAX_AIOS

    aios = rijen(MAX_AIOS + 1)
    voorkeuren = [["aios", "opleider", "score"], *([f"A{i}", "O1", 1] for i in range(MAX_AIOS + 1))]
    tabellen = {"Aios": aios, "Opleiders": GOED["Opleiders"], "Voorkeuren": voorkeuren}
    return [str(csv_map(folder / "ronde", tabellen))]


def samengevoegd(titel: str, ws: Any, book: Any) -> None:
    """One praktijk merged over two rows, as Excel keeps it: the value in the first cell, the second empty."""
    if titel == "Opleiders":
        ws.merge_range(1, 2, 2, 2, "Praktijk De Linde")


def lege_map(folder: Path) -> list[str]:
    (folder / "ronde").mkdir()
    (folder / "ronde" / "lees mij.txt").write_text("de ronde komt later")
    return [str(folder / "ronde")]


def map_als_csv(folder: Path) -> list[str]:
    map_ = csv_map(folder / "ronde", {k: v for k, v in GOED.items() if k != "Aios"})
    (map_ / "Aios.csv").mkdir()
    return [str(map_)]


def te_groot_csv(folder: Path) -> list[str]:
    map_ = csv_map(folder / "ronde", GOED)
    with open(map_ / "Voorkeuren.csv", "r+b") as handle:
        handle.truncate(MAX_DEEL + 1)  # sparse: no 64 MB written
    return [str(map_)]


def lege_naam(folder: Path) -> list[str]:
    return [""]


def bestaat_niet(folder: Path) -> list[str]:
    return [str(folder / "weg.xlsx")]


def map_bestaat_niet(folder: Path) -> list[str]:
    return [str(folder / "weg" / "Aios.csv")]


def quote_open(kolom: str) -> Maker:
    """An opening quote that is never closed: in the naam (the row falls short) or in the last column, where the
    rest of the file would vanish into one reden without a word."""
    if kolom == "naam":
        return csv_ruw("Aios.csv",
                       b'id;naam;opleidingsjaar\nA1;"Sanne Visser;1\nA2;Noor de Vries;3\nA3;Bram Jansen;1\n')
    return csvs({**GOED, "Vastgezet": [["aios", "opleider", "reden"], ["A1", "O1", '"terug na verlof'],
                                       ["A2", "O2", "zelfde praktijk"]]})


# A long name is pasted by mistake; 100 000 characters fit a CSV field but no cell of the uitslag.
LANG = "Sanne " + "x" * 100_000
SERIE_1_MAART_2027 = (date(2027, 3, 1) - date(1899, 12, 30)).days
STUURTEKENS = {"NUL": "\x00", "BEL": "\x07", "ESC": "\x1b", "DEL": "\x7f", "C1-NEL": "\x85", "VT": "\x0b"}

GEVALLEN: list[Geval] = [
    # What the file is
    Geval("leeg-xlsx-0-bytes", bytes_als("ronde.xlsx", b""), EXIT_ONGELDIG, ("is leeg (0 bytes)",)),
    Geval("tekst-als-xlsx", bytes_als("ronde.xlsx", b"id;naam\nA1;Sanne Visser\n"), EXIT_ONGELDIG,
          ("ander soort bestand",), ("Sanne",)),
    Geval("zip-zonder-werkmap", zip_zonder_werkmap, EXIT_ONGELDIG, ("er staan geen werkbladen in",)),
    Geval("oud-xls-of-wachtwoord", bytes_als("ronde.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1000)),
          EXIT_ONGELDIG, ("oud Excel-bestand (.xls) of een werkmap met een wachtwoord",)),
    Geval("xls-extensie", bytes_als("ronde.xls", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1000)), EXIT_ONGELDIG,
          ("sla het op als Excel-werkmap (.xlsx)",)),
    Geval("afgekapte-werkmap", afgekapt, EXIT_ONGELDIG, ("kan niet als Excel-werkmap (.xlsx) worden gelezen",)),
    Geval("gedeelde-tekst-ontbreekt", xlsx_xml("Aios", lambda x: x.replace(b"<v>1</v>", b"<v>9999</v>", 1)),
          EXIT_ONGELDIG, ("beschadigd of onvolledig",)),
    Geval("xml-afgebroken", xlsx_xml("Aios", lambda x: x[:-40]), EXIT_ONGELDIG, ("beschadigd",)),
    Geval("workbook-xml-kapot", xlsx_xml("xl/workbook.xml", lambda x: x[:200]), EXIT_ONGELDIG, ("beschadigd",)),
    Geval("stijlen-kapot", xlsx_xml("xl/styles.xml", lambda x: x[:120]), EXIT_ONGELDIG, ("beschadigd",)),
    Geval("onbekende-booleaanse-waarde",
          xlsx_xml("Aios", lambda x: x.replace(b'<c r="C2"><v>1</v></c>', b'<c r="C2" t="b"><v>7</v></c>')),
          EXIT_ONGELDIG, ("beschadigd",)),
    Geval("ongepaard-surrogaat-als-tekenverwijzing", xlsx_xml("Aios", inline_tekst("B2", b"Sanne&#xD800;Visser")),
          EXIT_ONGELDIG, ("beschadigd",), ("Sanne",)),
    Geval("ongepaard-surrogaat-als-bytes",
          xlsx_xml("Aios", inline_tekst("B2", "Sanne\udcffVisser".encode("utf-8", "surrogatepass"))),
          EXIT_ONGELDIG, ("beschadigd",), ("Sanne",)),
    Geval("nul-als-tekenverwijzing", xlsx_xml("Aios", inline_tekst("B2", b"Sanne&#x0;Visser")), EXIT_ONGELDIG,
          ("beschadigd",), ("Sanne",)),
    Geval("bel-als-tekenverwijzing", xlsx_xml("Aios", inline_tekst("B2", b"Sanne&#x7;Visser")), EXIT_ONGELDIG,
          ("Blad Aios, rij 2, kolom naam: bevat een onzichtbaar stuurteken",), ("Sanne",)),
    Geval("esc-als-excel-escape", xlsx_xml("Aios", inline_tekst("B2", b"Sanne_x001B_Visser")), EXIT_ONGELDIG,
          ("rij 2, kolom naam: bevat een onzichtbaar stuurteken",), ("Sanne",)),
    # Sheets and columns
    Geval("blad-ontbreekt", xlsx({k: v for k, v in GOED.items() if k != "Voorkeuren"}), EXIT_ONGELDIG,
          ("Het blad Voorkeuren ontbreekt",), ("Sanne",)),
    Geval("alleen-een-leeg-blad", xlsx({"Blad1": []}), EXIT_ONGELDIG, ("Het blad Aios ontbreekt",)),
    Geval("kolom-ontbreekt", xlsx(bladen(Aios=lambda rows: [r.pop(2) for r in rows])), EXIT_ONGELDIG,
          ("Blad Aios, rij 1, kolom opleidingsjaar: De kolom opleidingsjaar ontbreekt",), ("Sanne",)),
    Geval("kolom-dubbel", xlsx(cel("Aios", 0, 3, "Naam")), EXIT_ONGELDIG, ("De kolom naam staat er meer dan",)),
    Geval("alleen-koppen", xlsx({k: v[:1] for k, v in GOED.items()}), EXIT_ONGELDIG, ("geen aios",)),
    Geval("extra-kolommen-en-blad", xlsx(bladen(
        Aios=lambda rows: [r.append(v) for r, v in zip(rows, ["opmerking", "x", "y", "z"], strict=True)],
        Notities=lambda rows: rows.extend([["wat"], ["niets"]]))), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("koppen-in-hoofdletters-en-spaties", xlsx(bladen(
        Aios=lambda rows: rows[0].__setitem__(slice(None), ["  ID ", "NAAM", "JAAR ", "Deeltijd  %"]))), EXIT_OK,
          ("Gekoppeld: 3 van 3",)),
    Geval("kop-met-bom", xlsx(cel("Aios", 0, 0, "\ufeffid")), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("kop-met-nulbreedte-spatie", xlsx(cel("Opleiders", 0, 2, "praktijk\u200b")), EXIT_OK, ("Gekoppeld",)),
    Geval("bladnaam-in-kleine-letters", xlsx({k.lower(): v for k, v in GOED.items()}), EXIT_OK, ("Gekoppeld",)),
    # Ids
    Geval("dubbel-id", xlsx(bladen(Aios=lambda rows: rows.append(["A1", "Tweede Sanne", 1]))), EXIT_ONGELDIG,
          ("Het id A1 komt meer dan één keer voor",)),
    Geval("id-verwezen-maar-onbekend", xlsx(bladen(Voorkeuren=lambda rows: rows.append(["A9", "O9", 1]))),
          EXIT_ONGELDIG, ("noemt aios A9, maar die staat niet bij de aios",)),
    Geval("id-leeg", xlsx(cel("Aios", 1, 0, "   ")), EXIT_ONGELDIG, ("Blad Aios, rij 2, kolom id: is leeg",)),
    Geval("id-als-getal", xlsx(bladen(
        Aios=lambda rows: rows[1].__setitem__(0, 7.0),
        Voorkeuren=lambda rows: [r.__setitem__(0, 7) for r in rows if r[0] == "A1"])), EXIT_OK, ("Gekoppeld",)),
    # "²" counts as a digit to str.isdigit but not to int(): the ids are sorted before solving.
    Geval("id-met-superscript-cijfer", xlsx(bladen(
        Aios=lambda rows: rows[1].__setitem__(0, "A1²"),
        Voorkeuren=lambda rows: [r.__setitem__(0, "A1²") for r in rows if r[0] == "A1"])), EXIT_OK, ("Gekoppeld",)),
    Geval("regelovergang-in-een-cel-met-een-probleem", xlsx(cel("Aios", 1, 2, "1\n2")), EXIT_ONGELDIG,
          ("'1 2' is geen opleidingsjaar",)),
    # Numbers
    Geval("score-buiten-bereik", xlsx(cel("Voorkeuren", 1, 2, 7)), EXIT_ONGELDIG, ("score 7; de scores lopen",)),
    Geval("score-nul", xlsx(cel("Voorkeuren", 1, 2, 0)), EXIT_ONGELDIG, ("score 0",)),
    Geval("score-negatief", xlsx(cel("Voorkeuren", 1, 2, -1)), EXIT_ONGELDIG, ("score -1",)),
    Geval("score-als-breuk", xlsx(cel("Voorkeuren", 1, 2, 1.5)), EXIT_ONGELDIG, ("'1.5' is geen score",)),
    Geval("score-als-tekst", xlsx(cel("Voorkeuren", 1, 2, "eerste")), EXIT_ONGELDIG, ("'eerste' is geen score",)),
    Geval("score-als-waar", xlsx(cel("Voorkeuren", 1, 2, True)), EXIT_ONGELDIG, ("'True' is geen score",)),
    Geval("score-als-datum", xlsx(cel("Voorkeuren", 1, 2, date(2027, 3, 1))), EXIT_ONGELDIG, ("is geen score",)),
    Geval("procent-als-tekst", xlsx(cel("Aios", 2, 3, "80%")), EXIT_OK, ("Gekoppeld",)),
    Geval("procent-met-komma", csvs(cel("Aios", 2, 3, "80,0")), EXIT_OK, ("Gekoppeld",)),
    Geval("procent-als-opmaak", xlsx(cel("Aios", 2, 3, Opgemaakt(0.8, "0%"))), EXIT_OK, ("Gekoppeld",)),
    Geval("procent-nan", csvs(cel("Aios", 2, 3, "nan")), EXIT_ONGELDIG, ("'nan' is geen percentage",)),
    Geval("procent-inf", csvs(cel("Aios", 2, 3, "-inf")), EXIT_ONGELDIG, ("'-inf' is geen percentage",)),
    Geval("procent-1e400-in-xml",
          xlsx_xml("Aios", lambda x: x.replace(b'<c r="D3"><v>80</v></c>', b'<c r="D3"><v>1e400</v></c>')),
          EXIT_ONGELDIG, ("is geen percentage",)),
    Geval("procent-400-cijfers", csvs(cel("Aios", 2, 3, "9" * 400)), EXIT_ONGELDIG, ("is geen percentage",)),
    Geval("procent-negatief", xlsx(cel("Aios", 2, 3, -80)), EXIT_ONGELDIG, ("deeltijdpercentage -80",)),
    Geval("jaar-1e300", xlsx(cel("Aios", 1, 2, 1e300)), EXIT_ONGELDIG, ("veel te groot voor een opleidingsjaar",)),
    Geval("jaar-5000-cijfers", csvs(cel("Aios", 1, 2, "7" * 5000)), EXIT_ONGELDIG, ("kolom opleidingsjaar",),
          ("7777777777",)),
    Geval("jaar-20-cijfers", csvs(cel("Aios", 1, 2, "7" * 20)), EXIT_ONGELDIG,
          ("veel te groot voor een opleidingsjaar",)),
    Geval("capaciteit-30-cijfers", csvs(cel("Opleiders", 3, 4, "9" * 30)), EXIT_ONGELDIG,
          ("veel te groot voor een capaciteit",)),
    Geval("capaciteit-arabische-cijfers", csvs(cel("Opleiders", 3, 4, "٢")), EXIT_OK, ("Gekoppeld",)),
    Geval("capaciteit-superscript", csvs(cel("Opleiders", 3, 4, "²")), EXIT_ONGELDIG, ("'²' is geen capaciteit",)),
    Geval("foutwaarde-div0-als-score", xlsx(cel("Voorkeuren", 1, 2, Formule("=1/0", "#DIV/0!"))), EXIT_ONGELDIG,
          ("kolom score",)),
    # Dates
    Geval("datum-als-tekst", xlsx({**GOED, "Ronde": [["naam", "startdatum"], ["Maart", "1-3-2027"]]}), EXIT_OK,
          ("Gekoppeld",)),
    Geval("datum-als-serienummer", xlsx({**GOED, "Ronde": [["naam", "startdatum"], ["Maart", SERIE_1_MAART_2027]]}),
          EXIT_ONGELDIG, (f"'{SERIE_1_MAART_2027}' is geen datum",)),
    Geval("datum-jaar-9999", xlsx({**GOED, "Ronde": [["naam", "startdatum"], ["Maart", "1-3-9999"]]}), EXIT_ONGELDIG,
          ("ligt te ver in de toekomst",)),
    Geval("datum-31-februari", csvs({**GOED, "Ronde": [["naam", "startdatum"], ["Maart", "31-2-2027"]]}),
          EXIT_ONGELDIG, ("'31-2-2027' is geen datum",)),
    Geval("datum-negatief-serienummer",
          xlsx({**GOED, "Ronde": [["naam", "startdatum"], ["Maart", Opgemaakt(-5, "d-m-yyyy")]]}), EXIT_ONGELDIG,
          ("kolom startdatum",)),
    Geval("datum-voorbij-9999",
          xlsx({**GOED, "Ronde": [["naam", "startdatum"], ["Maart", Opgemaakt(3_000_000, "d-m-yyyy")]]}),
          EXIT_ONGELDIG, ("is geen datum",)),
    Geval("tijd-in-plaats-van-datum",
          xlsx({**GOED, "Ronde": [["naam", "startdatum"], ["Maart", Opgemaakt(0.5, "hh:mm")]]}), EXIT_ONGELDIG,
          ("is geen datum",)),
    Geval("ronde-twee-rijen",
          xlsx({**GOED, "Ronde": [["naam", "startdatum"], ["Maart", "1-3-2027"], ["Juni", "1-6-2027"]]}),
          EXIT_ONGELDIG, ("Het blad Ronde heeft één rij",)),
    # Cells of other kinds
    Geval("samengevoegde-cellen", xlsx(cel("Opleiders", 2, 2, None), samengevoegd), EXIT_ONGELDIG,
          ("Blad Opleiders, rij 3, kolom praktijk: Opleider Jan Bos (O2) heeft geen praktijk",)),
    Geval("formule-hyperlink-in-naam", xlsx(cel("Aios", 1, 1, Formule('=HYPERLINK("http://x.example","Klik")',
                                                                     "Sanne Visser"))), EXIT_OK, ("Gekoppeld",)),
    # The value Excel saved with the formula is what the import reads: here XlsxWriter's 0.
    Geval("formule-zonder-opgeslagen-waarde", xlsx(cel("Aios", 1, 1, Formule("=A1"))), EXIT_OK, ("Gekoppeld",)),
    Geval("tekst-die-op-een-formule-lijkt", xlsx(cel("Aios", 1, 1, "=1+1")), EXIT_OK, ("Gekoppeld",)),
    *(Geval(f"stuurteken-{naam}-in-naam", csvs(cel("Aios", 1, 1, f"Sanne{teken}Visser")), EXIT_ONGELDIG,
            ("Blad Aios, rij 2, kolom naam: bevat een onzichtbaar stuurteken",), ("Sanne", "Visser"))
      for naam, teken in STUURTEKENS.items()),
    Geval("stuurteken-in-xlsx-praktijk", xlsx(cel("Opleiders", 1, 2, "De\x1bLinde")), EXIT_ONGELDIG,
          ("Blad Opleiders, rij 2, kolom praktijk: bevat een onzichtbaar stuurteken",), ("Linde",)),
    Geval("naam-100000-tekens", csvs(cel("Aios", 1, 1, LANG)), EXIT_ONGELDIG,
          ("rij 2, kolom naam: is 100.006 tekens lang",), ("xxxxxxxxxx",)),
    Geval("motivatie-100000-tekens", csvs({**GOED, "Afwijzingen": [["opleider", "aios", "motivatie"],
                                                                   ["O1", "A3", LANG]]}), EXIT_ONGELDIG,
          ("kolom motivatie: is 100.006 tekens lang",), ("xxxxxxxxxx",)),
    Geval("rtl-namen", xlsx(bladen(Aios=lambda rows: [rows[1].__setitem__(1, "سارة الحسيني"),
                                                      rows[2].__setitem__(1, "\u202eנועה כהן\u202c")])),
          EXIT_OK, ("Gekoppeld",)),
    # CSV: delimiters, encodings, line endings, quotes
    Geval("csv-puntkomma", csvs(), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-komma", csvs(scheiding=","), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-tab", csvs(scheiding="\t"), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-een-bestand-gegeven", csvs(los="Voorkeuren.csv"), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-kop-puntkomma-rijen-komma", csv_ruw("Aios.csv", b"id;naam;opleidingsjaar\n" + csv_tekst(
        GOED["Aios"][1:], ",").encode()), EXIT_ONGELDIG, ("Blad Aios, rij 2, kolom opleidingsjaar: is leeg",)),
    Geval("csv-kop-komma-rijen-puntkomma", csv_ruw("Aios.csv", b"id,naam,opleidingsjaar\n" + csv_tekst(
        GOED["Aios"][1:], ";").encode()), EXIT_ONGELDIG, ("Blad Aios, rij 2, kolom opleidingsjaar: is leeg",)),
    Geval("csv-eerste-regel-leeg", csv_ruw("Aios.csv", b"\n" + csv_tekst(GOED["Aios"], ",").encode()), EXIT_OK,
          ("Gekoppeld",)),
    Geval("csv-sep-regel", csv_ruw("Aios.csv", b"sep=,\n" + csv_tekst(GOED["Aios"], ",").encode()), EXIT_OK,
          ("Gekoppeld",)),
    Geval("csv-cp1252", csvs(cel("Aios", 1, 1, "Renée Müller-Çelik"), codering="cp1252"), EXIT_OK, ("Gekoppeld",)),
    Geval("csv-utf8-bom", csvs(codering="utf-8-sig"), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-utf16-unicode-tekst", csvs(scheiding="\t", codering="utf-16"), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-utf16-afgebroken", csv_ruw("Aios.csv", csv_tekst(GOED["Aios"]).encode("utf-16")[:-1]), EXIT_ONGELDIG,
          ("begint als Unicode-tekst (UTF-16)",)),
    Geval("csv-onleesbaar-byte-cp1252", csv_ruw("Aios.csv", csv_tekst(GOED["Aios"]).replace("Sanne", "S\x81nne")
                                               .encode("latin-1")), EXIT_ONGELDIG,
          ("rij 2, kolom naam: bevat een teken dat niet te lezen was",)),
    Geval("csv-crlf", csvs(regeleinde="\r\n"), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-alleen-cr", csvs(regeleinde="\r"), EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-lege-rijen-onderaan", csv_ruw("Aios.csv", (csv_tekst(GOED["Aios"]) + ";;;\n\n;;\n" * 20).encode()),
          EXIT_OK, ("Gekoppeld: 3 van 3",)),
    Geval("csv-quote-niet-gesloten-in-naam", quote_open("naam"), EXIT_ONGELDIG,
          ("Aios.csv kan niet worden gelezen: in rij 2 opent een aanhalingsteken",), ("Noor",)),
    Geval("csv-quote-niet-gesloten-in-laatste-kolom", quote_open("reden"), EXIT_ONGELDIG,
          ("Vastgezet.csv kan niet worden gelezen: in rij 2 opent een aanhalingsteken",)),
    Geval("csv-reden-over-twee-regels", csv_ruw("Vastgezet.csv", b'aios;opleider;reden\nA1;O1;"terug na\nverlof"\n'),
          EXIT_OK, ("Gekoppeld",)),
    Geval("csv-veld-boven-131072", csv_ruw("Voorkeuren.csv", b'aios;opleider;score\nA1;O1;"' + b"x" * 200_000 + b'"\n'),
          EXIT_ONGELDIG, ("rij 2 heeft een veld van meer dan 131.072 tekens",), ("xxxx",)),
    Geval("csv-60000-rijen", csvs({**GOED, "Aios": rijen(60_000)}), EXIT_ONGELDIG,
          (f"Aios.csv heeft meer dan {MAX_RIJEN:,} rijen".replace(",", "."),), ("Naam 1",)),
    Geval("csv-groter-dan-64-mb", te_groot_csv, EXIT_ONGELDIG, ("groter dan 64 MB",)),
    Geval("xlsx-60000-rijen-zonder-dimension", veel_rijen_zonder_dimension, EXIT_ONGELDIG,
          ("Het werkblad Aios in ronde.xlsx loopt tot rij 60004",)),
    Geval("meer-aios-dan-een-ronde", te_veel_aios, EXIT_ONGELDIG, ("een ronde heeft er hoogstens 2.000",)),
    # Where the ronde is not
    Geval("map-zonder-csv", lege_map, EXIT_ONGELDIG, ("staan geen CSV-bestanden van een ronde",)),
    Geval("map-als-csv-bestand", map_als_csv, EXIT_ONGELDIG, ("is geen gewoon bestand",)),
    Geval("bestand-bestaat-niet", bestaat_niet, EXIT_ONGELDIG, ("bestaat niet",)),
    Geval("map-bestaat-niet", map_bestaat_niet, EXIT_ONGELDIG, ("bestaat niet",)),
    Geval("naam-langer-dan-het-systeem-toelaat", lambda folder: [str(folder / ("r" * 300 + ".xlsx"))],
          EXIT_ONGELDIG, ("het pad is te lang",)),
    Geval("csv-in-map-met-te-lange-naam", lambda folder: [str(folder / ("m" * 300) / "Aios.csv")], EXIT_ONGELDIG,
          ("het pad is te lang",)),
    Geval("lege-ronde-naam", lege_naam, EXIT_GEBRUIK, ("geef de ronde",)),
]


@pytest.fixture
def mappen(tmp_path: Path) -> tuple[Path, Path]:
    invoer, uit = tmp_path / "invoer", tmp_path / "uit"
    invoer.mkdir()
    uit.mkdir()
    (uit / "uitslag.xlsx").write_bytes(VORIGE)
    return invoer, uit


@pytest.mark.parametrize("geval", GEVALLEN, ids=[g.id for g in GEVALLEN])
def test_slechte_invoer(geval: Geval, mappen: tuple[Path, Path], tmp_path: Path) -> None:
    invoer, uit = mappen
    argv = geval.maak(invoer)
    voor = inhoud(invoer)
    code, out, err = koppel([*argv, "--uitslag", str(uit / "uitslag.xlsx")])
    controleer_uitvoer(code, out, err, verwacht=geval.verwacht, zegt=geval.zegt, geheim=geval.geheim,
                       weg=(str(tmp_path),))
    controleer_uitslag(uit, code)
    assert inhoud(invoer) == voor, "the ronde is only read"


def test_the_corpus_is_large_enough() -> None:
    assert len(GEVALLEN) + len(UITSLAG_GEVALLEN) + len(LOS_PROCES) >= 100


# --- what the uitslag holds for the cases that succeed -----------------------------------------------------------


def uitslag_rijen(pad: Path) -> list[list[Any]]:
    workbook = CalamineWorkbook.from_path(str(pad))
    try:
        return workbook.get_sheet_by_name("Uitslag").to_python()
    finally:
        workbook.close()


def test_a_formula_in_a_name_reaches_the_uitslag_as_text(mappen: tuple[Path, Path]) -> None:
    invoer, uit = mappen
    pad = werkmap(invoer / "ronde.xlsx", bladen(Aios=lambda rows: [
        rows[1].__setitem__(1, Formule('=HYPERLINK("http://x.example","Klik")', "Klik hier")),
        rows[2].__setitem__(1, "=1+1"),
        rows[3].__setitem__(1, "@SUM(A1)"),
    ]))
    code, _, err = koppel([str(pad), "--uitslag", str(uit / "uitslag.xlsx")])
    assert code == EXIT_OK, err
    with zipfile.ZipFile(uit / "uitslag.xlsx") as package:
        sheets = b"".join(package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets, "no cell of the uitslag is a formula"
    namen = {r[0]: r[3] for r in uitslag_rijen(uit / "uitslag.xlsx")[1:]}
    assert namen == {"A1": "Klik hier", "A2": "'=1+1", "A3": "'@SUM(A1)"}


def test_rtl_and_cp1252_names_arrive_letter_for_letter(mappen: tuple[Path, Path]) -> None:
    invoer, uit = mappen
    namen = {"A1": "Renée Müller-Çelik", "A2": "سارة الحسيني", "A3": "\u202eנועה כהן\u202c"}
    tabellen = bladen(Aios=lambda rows: [r.__setitem__(1, namen[r[0]]) for r in rows[1:]])
    csv_map(invoer / "ronde", {"Aios": tabellen["Aios"]}, codering="utf-16", scheiding="\t")
    csv_map(invoer / "ronde", {k: v for k, v in tabellen.items() if k != "Aios"}, codering="cp1252")
    code, _, err = koppel([str(invoer / "ronde"), "--uitslag", str(uit / "uitslag.xlsx")])
    assert code == EXIT_OK, err
    assert {r[0]: r[3] for r in uitslag_rijen(uit / "uitslag.xlsx")[1:]} == namen


# --- where the uitslag goes --------------------------------------------------------------------------------------


@pytest.fixture
def alleen_lezen(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write in. As root (CI) a chmod stops nothing, so a read-only bind mount."""
    bron = tmp_path / "bron"
    bron.mkdir()
    (bron / "uitslag.xlsx").write_bytes(VORIGE)
    if os.geteuid() != 0:
        bron.chmod(0o555)
        yield bron
        bron.chmod(0o755)
        return
    zicht = tmp_path / "alleen-lezen"
    zicht.mkdir()
    subprocess.run(["mount", "--bind", str(bron), str(zicht)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(zicht)], check=True)
        yield zicht
    finally:
        subprocess.run(["umount", "-l", str(zicht)], check=True)


def goede_ronde(folder: Path) -> Path:
    return werkmap(folder / "ronde.xlsx", GOED)


@dataclass(frozen=True)
class UitslagGeval:
    id: str
    # The uitslag's path, made in the test's folder.
    pad: Callable[[Path], str]
    verwacht: int
    zegt: tuple[str, ...]


def _bestaande_map(folder: Path) -> str:
    (folder / "uitslag-map.xlsx").mkdir()
    return str(folder / "uitslag-map.xlsx")


UITSLAG_GEVALLEN = [
    UitslagGeval("uitslag-is-een-map", _bestaande_map, EXIT_GEBRUIK, ("is een map",)),
    UitslagGeval("uitslag-windows-CON", lambda f: str(f / "CON.xlsx"), EXIT_GEBRUIK, ("Windows niet toestaat",)),
    UitslagGeval("uitslag-windows-com1", lambda f: str(f / "com1.uitslag.xlsx"), EXIT_GEBRUIK, ("COM1",)),
    UitslagGeval("uitslag-teken-vraagteken", lambda f: str(f / "uitslag?.xlsx"), EXIT_GEBRUIK, ("teken",)),
    UitslagGeval("uitslag-teken-dubbele-punt", lambda f: str(f / "maart:2027.xlsx"), EXIT_GEBRUIK, ("teken",)),
    UitslagGeval("uitslag-map-bestaat-niet", lambda f: str(f / "weg" / "uitslag.xlsx"), EXIT_SCHRIJVEN,
                 ("de map", "bestaat niet")),
    UitslagGeval("uitslag-verkeerde-extensie", lambda f: str(f / "uitslag.csv"), EXIT_GEBRUIK, (".xlsx",)),
    UitslagGeval("uitslag-is-de-ronde", lambda f: str(f / "ronde.xlsx"), EXIT_GEBRUIK, ("overschrijven",)),
    UitslagGeval("uitslag-leeg", lambda f: "", EXIT_GEBRUIK, (".xlsx",)),
    UitslagGeval("uitslag-naam-te-lang", lambda f: str(f / ("u" * 300 + ".xlsx")), EXIT_SCHRIJVEN,
                 ("te lang",)),
]


@pytest.mark.parametrize("geval", UITSLAG_GEVALLEN, ids=[g.id for g in UITSLAG_GEVALLEN])
def test_uitslag_waar_het_niet_kan(geval: UitslagGeval, tmp_path: Path) -> None:
    ronde = goede_ronde(tmp_path)
    pad = geval.pad(tmp_path)
    voor = inhoud(tmp_path)
    code, out, err = koppel([str(ronde), "--uitslag", pad])
    controleer_uitvoer(code, out, err, verwacht=geval.verwacht, zegt=geval.zegt, weg=(str(tmp_path),))
    assert inhoud(tmp_path) == voor, "nothing written, nothing left"


def test_uitslag_in_a_read_only_folder(tmp_path: Path, alleen_lezen: Path) -> None:
    ronde = goede_ronde(tmp_path)
    code, out, err = koppel([str(ronde), "--uitslag", str(alleen_lezen / "uitslag.xlsx")])
    controleer_uitvoer(code, out, err, verwacht=EXIT_SCHRIJVEN, zegt=("mag niet worden geschreven",),
                       weg=(str(tmp_path),))
    controleer_uitslag(alleen_lezen, code)


def test_uitslag_held_open_keeps_last_weeks_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel holds the uitslag open (Windows refuses the rename): said in Dutch, last week's file untouched."""
    from ontkoppel_desktop import atomic

    def bezet(*_: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    ronde = goede_ronde(tmp_path)
    uit = tmp_path / "uit"
    uit.mkdir()
    (uit / "uitslag.xlsx").write_bytes(VORIGE)
    monkeypatch.setattr(atomic.os, "replace", bezet)
    monkeypatch.setattr(atomic, "_PAUSE_S", 0)
    code, out, err = koppel([str(ronde), "--uitslag", str(uit / "uitslag.xlsx")])
    controleer_uitvoer(code, out, err, verwacht=EXIT_SCHRIJVEN, zegt=("geopend in een ander programma",),
                       weg=(str(tmp_path),))
    controleer_uitslag(uit, code)


def test_uitslag_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ontkoppel_desktop import atomic

    def vol(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    ronde = goede_ronde(tmp_path)
    uit = tmp_path / "uit"
    uit.mkdir()
    (uit / "uitslag.xlsx").write_bytes(VORIGE)
    monkeypatch.setattr(atomic.os, "fsync", vol)
    code, out, err = koppel([str(ronde), "--uitslag", str(uit / "uitslag.xlsx")])
    controleer_uitvoer(code, out, err, verwacht=EXIT_SCHRIJVEN, zegt=("de schijf is vol",), weg=(str(tmp_path),))
    controleer_uitslag(uit, code)


def test_a_fault_after_writing_says_the_uitslag_is_there(tmp_path: Path) -> None:
    """The last line of defence tells the truth: a fault after the uitslag was written does not say it was not."""

    class Console(io.StringIO):
        def write(self, text: str) -> int:
            if "Uitslag geschreven" in text:
                raise UnicodeEncodeError("cp1252", text, 0, 1, "no letter for it")
            return super().write(text)

    ronde = goede_ronde(tmp_path)
    code, _, err = koppel([str(ronde), "--uitslag", str(tmp_path / "uitslag.xlsx")], out=Console())
    assert code == EXIT_ONVERWACHT
    assert "de uitslag staat in" in err and "geen uitslag geschreven" not in err
    assert CalamineWorkbook.from_path(str(tmp_path / "uitslag.xlsx")).sheet_names[0] == "Uitslag"


# --- the other files exchange writes -----------------------------------------------------------------------------


def _schrijvers() -> dict[str, Callable[[Path], None]]:
    from ontkoppel_desktop.exchange.ics import write_ics
    from ontkoppel_desktop.exchange.ronde_schrijven import write_ronde
    from ontkoppel_desktop.exchange.ronde_sjabloon import write_template

    ronde = read_ronde_goed()
    return {
        "sjabloon": write_template,
        "ronde": lambda pad: write_ronde(pad, ronde),
        "ics": lambda pad: write_ics(pad, []),
    }


def read_ronde_goed() -> Any:
    with tempfile.TemporaryDirectory() as folder:
        resultaat = read_ronde(werkmap(Path(folder) / "ronde.xlsx", GOED))
    assert resultaat.ronde is not None
    return resultaat.ronde


@pytest.mark.parametrize("schrijver", ["sjabloon", "ronde", "ics"])
@pytest.mark.parametrize("plek", ["map", "CON", "map-weg", "alleen-lezen"])
def test_exports_say_why_they_cannot_be_written(schrijver: str, plek: str, tmp_path: Path,
                                                 request: pytest.FixtureRequest) -> None:
    from ontkoppel_desktop.exchange.bestand_schrijven import NietGeschreven

    schrijf = _schrijvers()[schrijver]
    if plek == "alleen-lezen":
        folder: Path = request.getfixturevalue("alleen_lezen")
        pad = folder / "uitslag.xlsx"
    else:
        folder = tmp_path
        pad = {"map": tmp_path / "bestaande-map", "CON": tmp_path / "con.xlsx",
               "map-weg": tmp_path / "weg" / "x.xlsx"}[plek]
        if plek == "map":
            pad.mkdir()
    voor = inhoud(folder)
    with pytest.raises(NietGeschreven) as fout:
        schrijf(pad)
    assert not ENGELS.search(str(fout.value).replace(str(tmp_path), "")), fout.value
    assert "niet" in str(fout.value)
    assert inhoud(folder) == voor


def test_a_cell_longer_than_excel_holds_is_refused_not_cut(tmp_path: Path) -> None:
    """XlsxWriter cuts a text over 32 767 characters without a word; the app refuses and writes nothing."""
    from ontkoppel_desktop.exchange.bestand_schrijven import NietGeschreven
    from ontkoppel_desktop.exchange.werkmap_schrijven import write_cells, write_workbook

    with pytest.raises(NietGeschreven, match="32.767"):
        write_workbook(tmp_path / "lang.xlsx", lambda werkmap: write_cells(
            werkmap.book.add_worksheet("Blad"), 0, ["kort", "x" * 40_000]))
    assert list(tmp_path.iterdir()) == []


# --- as the installed command, in a process of its own -----------------------------------------------------------


def _installed(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    omgeving = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    omgeving.update(env)
    # Sixty seconds only to catch a hang: each of these takes well under a second.
    return subprocess.run([sys.executable, "-m", "ontkoppel_desktop", "koppel", *argv], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", env=omgeving, timeout=60)


def pijp(folder: Path) -> list[str]:
    """A named pipe where the workbook should be: reading it would wait for a writer forever."""
    os.mkfifo(folder / "ronde.xlsx")
    return [str(folder / "ronde.xlsx")]


def csv_pijp(folder: Path) -> list[str]:
    map_ = csv_map(folder / "ronde", {k: v for k, v in GOED.items() if k != "Aios"})
    os.mkfifo(map_ / "Aios.csv")
    return [str(map_)]


def valse_dimension(folder: Path) -> list[str]:
    """A value at XFD1048576 while <dimension> says A1:D4: calamine would lay out 17 billion cells and abort the
    process with a Rust backtrace (the size check trusted <dimension>)."""
    pad = werkmap(folder / "ronde.xlsx", GOED)
    return [str(verander_xml(pad, "Aios", lambda x: x.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576">'
                                                               b"<v>1</v></c></row></sheetData>")))]


def impliciete_kolommen(folder: Path) -> list[str]:
    """Cells without a reference, 20 000 in one row far down: placed one after the other, as calamine does."""
    pad = werkmap(folder / "ronde.xlsx", GOED)
    rij = b'<row r="49000">' + b"<c><v>1</v></c>" * 20_000 + b"</row>"
    return [str(verander_xml(pad, "Aios", lambda x: x.replace(b"</sheetData>", rij + b"</sheetData>")))]


LOS_PROCES = [
    Geval("pijp-als-werkmap", pijp, EXIT_ONGELDIG, ("is geen gewoon bestand",)),
    Geval("pijp-als-csv", csv_pijp, EXIT_ONGELDIG, ("is geen gewoon bestand",)),
    Geval("cel-op-XFD1048576-met-valse-dimension", valse_dimension, EXIT_ONGELDIG,
          ("loopt tot rij 1048576 en kolom 16384",)),
    Geval("20000-cellen-zonder-verwijzing", impliciete_kolommen, EXIT_ONGELDIG, ("loopt tot rij 49000",)),
    *(g for g in GEVALLEN if g.id in {"leeg-xlsx-0-bytes", "csv-veld-boven-131072", "stuurteken-NUL-in-naam",
                                      "csv-60000-rijen", "formule-hyperlink-in-naam", "afgekapte-werkmap"}),
]


@pytest.mark.parametrize("geval", LOS_PROCES, ids=[g.id for g in LOS_PROCES])
def test_als_geinstalleerd_commando(geval: Geval, mappen: tuple[Path, Path], tmp_path: Path) -> None:
    invoer, uit = mappen
    argv = geval.maak(invoer)
    result = _installed([*argv, "--uitslag", str(uit / "uitslag.xlsx")])
    controleer_uitvoer(result.returncode, result.stdout, result.stderr, verwacht=geval.verwacht, zegt=geval.zegt,
                       geheim=geval.geheim, weg=(str(tmp_path),))
    controleer_uitslag(uit, result.returncode)


@pytest.mark.parametrize("omgeving", [{"PYTHONIOENCODING": "cp1252"}, {"PYTHONIOENCODING": "ascii", "LC_ALL": "C"}],
                         ids=["windows-pijp-cp1252", "ascii-console"])
def test_a_console_without_the_letters_does_not_fail_the_command(omgeving: dict[str, str], mappen: tuple[Path, Path],
                                                                 tmp_path: Path) -> None:
    """A ronde named in Arabic script, printed in the summary, to a console that has no letters for it (a Windows
    pipe writes cp1252): the command did its work and then failed on the print."""
    invoer, uit = mappen
    pad = werkmap(invoer / "ronde-عربي.xlsx", {**GOED, "Ronde": [["naam", "startdatum"], ["ronde مارس", None]]})
    result = _installed([str(pad), "--uitslag", str(uit / "uitslag.xlsx")], **omgeving)
    controleer_uitvoer(result.returncode, result.stdout, result.stderr, verwacht=EXIT_OK, zegt=("Gekoppeld",),
                       weg=(str(tmp_path),))
    controleer_uitslag(uit, result.returncode)


# --- hypothesis: arbitrary text, bytes and row orders ------------------------------------------------------------

SNEL = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
DATA_CELLEN = [(blad, r, k) for blad, rows in GOED.items() for r in range(1, len(rows)) for k in range(len(rows[r]))]
KOP_CELLEN = [(blad, 0, k) for blad, rows in GOED.items() for k in range(len(rows[0]))]
# Text a workbook can hold (no lone surrogates: no UTF-8 encoder writes them), from every script and category.
TEKST = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def draai(invoer: Path, uit: Path, argv: list[str]) -> tuple[int, str, str]:
    """The command with the usual checks that need no expectation: exit 0 or 1, Dutch, nothing half-written."""
    (uit / "uitslag.xlsx").write_bytes(VORIGE)
    voor = inhoud(invoer)
    code, out, err = koppel([*argv, "--uitslag", str(uit / "uitslag.xlsx")])
    assert code in (EXIT_OK, EXIT_ONGELDIG), out + err
    controleer_uitvoer(code, out, err, verwacht=code, weg=(str(invoer.parent),))
    controleer_uitslag(uit, code)
    assert inhoud(invoer) == voor
    return code, out, err


@pytest.fixture
def tijdelijk() -> Callable[[], tempfile.TemporaryDirectory[str]]:
    return lambda: tempfile.TemporaryDirectory(prefix="koppel-")


def _mappen(folder: str) -> tuple[Path, Path]:
    invoer, uit = Path(folder) / "invoer", Path(folder) / "uit"
    invoer.mkdir()
    uit.mkdir()
    return invoer, uit


@SNEL
@given(st.lists(st.tuples(st.sampled_from(DATA_CELLEN + KOP_CELLEN), TEKST), min_size=1, max_size=4))
def test_arbitrary_text_in_any_cell_of_a_workbook(tijdelijk: Any, wijzigingen: list[tuple[Any, str]]) -> None:
    tabellen = bladen()
    for (blad, r, k), tekst in wijzigingen:
        tabellen[blad][r][k] = tekst
    with tijdelijk() as folder:
        invoer, uit = _mappen(folder)
        pad = werkmap(invoer / "ronde.xlsx", tabellen)
        code, _, _ = draai(invoer, uit, [str(pad)])
        if code == EXIT_OK:
            # Whatever the names are, they reach the uitslag letter for letter.
            ronde = read_ronde(pad).ronde
            assert ronde is not None
            namen = {a.id: a.naam for a in ronde.aios}
            for row in uitslag_rijen(uit / "uitslag.xlsx")[1:]:
                assert as_text(row[3]) == namen[as_text(row[0])]


@SNEL
@given(st.lists(st.tuples(st.sampled_from(DATA_CELLEN), st.text(max_size=30)), min_size=1, max_size=4),
       st.sampled_from([";", ",", "\t"]))
def test_arbitrary_text_in_any_cell_of_a_csv_folder(tijdelijk: Any, wijzigingen: list[tuple[Any, str]],
                                                    scheiding: str) -> None:
    """Any text, lone surrogates too (written as the bytes a careless encoder makes), delimiters and quotes in
    it included: the CSV may fall apart in any way."""
    tabellen = bladen()
    for (blad, r, k), tekst in wijzigingen:
        tabellen[blad][r][k] = tekst
    with tijdelijk() as folder:
        invoer, uit = _mappen(folder)
        draai(invoer, uit, [str(csv_map(invoer / "ronde", tabellen, scheiding=scheiding))])


@SNEL
@given(st.sampled_from(["Aios.csv", "Opleiders.csv", "Voorkeuren.csv", "Vastgezet.csv"]),
       st.one_of(st.binary(max_size=3000),
                 st.builds(lambda kop, staart: kop + staart, st.sampled_from(
                     [b"id;naam;opleidingsjaar\n", b"\xff\xfe", b"\xef\xbb\xbf", b"sep=", b'"']),
                     st.binary(max_size=500))))
def test_arbitrary_bytes_as_a_csv_file(tijdelijk: Any, naam: str, data: bytes) -> None:
    with tijdelijk() as folder:
        invoer, uit = _mappen(folder)
        draai(invoer, uit, [str(csv_map(invoer / "ronde", GOED, ruw={naam: data}))])


@SNEL
@given(st.data())
def test_arbitrary_bytes_and_byte_flips_as_a_workbook(tijdelijk: Any, data: st.DataObject) -> None:
    with tijdelijk() as folder:
        invoer, uit = _mappen(folder)
        pad = invoer / "ronde.xlsx"
        inhoud_ = bytearray(goede_werkmap())
        if data.draw(st.booleans(), label="bytes in plaats van een werkmap"):
            inhoud_ = bytearray(data.draw(st.binary(max_size=2000)))
        else:
            for _ in range(data.draw(st.integers(1, 8), label="flips")):
                plek = data.draw(st.integers(0, len(inhoud_) - 1))
                inhoud_[plek] ^= data.draw(st.integers(1, 255))
        pad.write_bytes(bytes(inhoud_))
        draai(invoer, uit, [str(pad)])


@functools.cache
def goede_werkmap() -> bytes:
    """The valid ronde as a workbook, once: XlsxWriter stamps the time in it, and hypothesis wants the same bytes
    each time it draws from them."""
    with tempfile.TemporaryDirectory() as folder:
        return werkmap(Path(folder) / "ronde.xlsx", GOED).read_bytes()


def _koppelingen(pad: Path) -> set[tuple[str, str]]:
    return {(row[0], row[1]) for row in uitslag_rijen(pad)[1:]}


@SNEL
@given(st.data())
def test_any_order_of_rows_and_sheets_gives_the_same_uitslag(tijdelijk: Any, data: st.DataObject) -> None:
    with tijdelijk() as folder:
        invoer, uit = _mappen(folder)
        draai(invoer, uit, [str(werkmap(invoer / "gewoon.xlsx", GOED))])
        verwacht = _koppelingen(uit / "uitslag.xlsx")
        volgorde = data.draw(st.permutations(list(GOED)), label="bladen")
        geschud = {blad: [GOED[blad][0], *data.draw(st.permutations(GOED[blad][1:]), label=blad)]
                   for blad in volgorde}
        code, _, _ = draai(invoer, uit, [str(werkmap(invoer / "geschud.xlsx", geschud))])
        assert code == EXIT_OK
        assert _koppelingen(uit / "uitslag.xlsx") == verwacht
