"""The sheets and columns of a koppelingsronde in a spreadsheet: what the template holds, what an import reads
and what `write_ronde` writes.

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
or let the user pick a file per sheet and pass them to `read_ronde_csv` (both in `ronde_lezen`). The delimiters
";" (what Excel writes with Dutch settings), "," and tab are accepted, or what a first line "sep=;" names, as are
UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode-tekst") and Windows-1252 (Excel's plain "CSV").
Decimal commas in percentages are accepted.

Import is all-or-nothing: the result holds either a valid Ronde or every problem found, each with its sheet,
row and column, in Dutch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ontkoppel_desktop.core.koppelplanner.validatie import Onderdeel


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


def blad_van(onderdeel: Onderdeel) -> Blad:
    """The sheet that lists this part of a ronde."""
    return next(b for b in BLADEN if b.onderdeel is onderdeel)


# Characters that take no room: a byte-order mark that a CSV export or a copy from a web page leaves in front of
# the first header, a zero-width space, a soft hyphen, direction marks.
_ONZICHTBAAR = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def norm(text: object) -> str:
    """A sheet, column or file name as it is matched: case, surrounding or repeated whitespace and invisible
    characters do not count."""
    return re.sub(r"\s+", " ", _ONZICHTBAAR.sub("", str(text))).strip().casefold()
