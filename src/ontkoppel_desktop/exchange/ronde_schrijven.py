"""A ronde written in its own import format (`ronde_schema`): the template filled in, to hand a ronde on or to
save demo data. `ronde_sjabloon` writes the same sheets empty, with a Toelichting in front.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from ontkoppel_desktop.core.koppelplanner.ronde import Ronde
from ontkoppel_desktop.exchange.ronde_schema import BLADEN
from ontkoppel_desktop.exchange.werkmap_schrijven import Werkmap, write_cells, write_workbook

# Cells offered as a drop-down, up to this spreadsheet row.
_KEUZE_TOT_RIJ = 1000
_KEUZES = {
    "coassistent": ["ja", "nee"],
    "blokkade": ["ja", "nee"],
    "duo-opleider": ["ja", "nee"],
    "status": ["curriculum", "ervaren"],
}
# The last column of these sheets is a reden or motivatie: room to write a sentence.
_TEKSTBLADEN = {"Afwijzingen", "Vastgezet", "Uitzonderingen"}


def write_ronde(pad: str | os.PathLike[str], ronde: Ronde) -> None:
    def ja(value: bool) -> str:
        return "ja" if value else "nee"

    rows: dict[str, list[list[object]]] = {
        "Ronde": [[ronde.naam, ronde.startdatum]] if ronde.naam or ronde.startdatum else [],
        "Aios": [[a.id, a.naam, a.opleidingsjaar, a.deeltijdpercentage] for a in ronde.aios],
        "Opleiders": [
            [o.id, o.naam, o.praktijk, o.status.value, ja(o.coassistent), ja(o.blokkade), o.capaciteit,
             ja(o.duo_opleider), o.aanwezigheidspercentage]
            for o in ronde.opleiders
        ],
        "Voorkeuren": [[b.aios_id, b.opleider_id, b.score] for b in ronde.bezoeken],
        "Afwijzingen": [[a.opleider_id, a.aios_id, a.motivatie] for a in ronde.afwijzingen],
        "Vastgezet": [[v.aios_id, v.opleider_id, v.reden] for v in ronde.vastzettingen],
        "Uitzonderingen": [[u.aios_id, u.opleider_id, u.reden] for u in ronde.uitzonderingen],
    }
    write_workbook(pad, lambda werkmap: ronde_sheets(werkmap, rows))


def ronde_sheets(werkmap: Werkmap, rows: Mapping[str, Sequence[Sequence[object]]]) -> None:
    """One sheet per list of the ronde, in the schema's order, with its header, drop-downs for ja/nee and the
    status, and the `rows` given for it (none for the template)."""
    for blad in BLADEN:
        breedtes = [max(14, len(k.naam) + 6) for k in blad.kolommen]
        if blad.naam in _TEKSTBLADEN:
            breedtes[-1] = 60
        ws = werkmap.sheet(blad.naam, [k.naam for k in blad.kolommen], breedtes)
        for index, kolom in enumerate(blad.kolommen):
            keuzes = _KEUZES.get(kolom.naam)
            if keuzes is not None:
                ws.data_validation(1, index, _KEUZE_TOT_RIJ - 1, index, {"validate": "list", "source": keuzes})
        for number, values in enumerate(rows.get(blad.naam, ()), start=1):
            write_cells(ws, number, values)
