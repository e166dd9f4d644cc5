"""The empty workbook to fill in for a koppelingsronde: a Toelichting that explains every sheet, column and rule
of the kaders, then one empty sheet per list of the ronde (`ronde_schrijven.ronde_sheets`)."""

from __future__ import annotations

import os

from ontkoppel_desktop.exchange.ronde_schema import BLADEN
from ontkoppel_desktop.exchange.ronde_schrijven import ronde_sheets
from ontkoppel_desktop.exchange.werkmap_schrijven import Werkmap, write_cells, write_workbook


def write_template(pad: str | os.PathLike[str]) -> None:
    write_workbook(pad, _fill)


def _fill(werkmap: Werkmap) -> None:
    toelichting = werkmap.book.add_worksheet("Toelichting")
    toelichting.set_column(0, 0, 22, werkmap.bold)
    toelichting.set_column(1, 1, 100)
    for number, line in enumerate(_toelichting()):
        write_cells(toelichting, number, line)
    ronde_sheets(werkmap, {})


def _toelichting() -> list[tuple[str, str]]:
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
    return lines
