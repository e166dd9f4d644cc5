"""The uitslag of a koppelingsronde as a workbook: Uitslag (one row per koppeling: the ids, the names, the keuze
and why), Per opleider, Niet gekoppeld (and why) and Samenvatting."""

from __future__ import annotations

import os

from ontkoppel_desktop.core.koppelplanner.paarregels import RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import Ronde, datum_nl
from ontkoppel_desktop.core.koppelplanner.solver import Uitslag
from ontkoppel_desktop.core.koppelplanner.uitleg import Uitleg, explain
from ontkoppel_desktop.exchange.werkmap_schrijven import Werkmap, write_cells, write_workbook


def write_uitslag(
    pad: str | os.PathLike[str],
    ronde: Ronde,
    uitslag: Uitslag,
    uitleg: Uitleg | None = None,
    *,
    index: RondeIndex | None = None,
) -> None:
    """`uitleg` and `index` (the ronde's lookups) when the caller has them already, as a Koppelplanner does."""
    if index is None:
        index = RondeIndex.build(ronde)
    elif index.ronde is not ronde:
        raise ValueError("index holds the lookups of another ronde")
    idx = index
    toelichting = uitleg if uitleg is not None else explain(idx, uitslag)
    write_workbook(pad, lambda werkmap: _fill(werkmap, idx, uitslag, toelichting))


def _fill(werkmap: Werkmap, idx: RondeIndex, uitslag: Uitslag, uitleg: Uitleg) -> None:
    ws = werkmap.sheet("Uitslag", [
        "aios", "opleider", "score", "naam aios", "opleidingsjaar", "naam opleider", "praktijk", "keuze",
        "herkomst", "toelichting", "uitzondering",
    ], [10, 10, 8, 26, 14, 26, 40, 16, 22, 100, 50], wrapped={9})
    for number, koppeling in enumerate(uitslag.koppelingen, start=1):
        aios = idx.aios[koppeling.aios_id]
        opleider = idx.opleiders[koppeling.opleider_id]
        toelichting = uitleg.voor(koppeling.aios_id)
        write_cells(ws, number, (
            aios.id, opleider.id, koppeling.score, aios.naam, aios.opleidingsjaar, opleider.naam,
            opleider.praktijk, toelichting.keuze, koppeling.herkomst.label, toelichting.toelichting,
            f"uitzondering: {toelichting.uitzondering}" if toelichting.uitzondering else None,
        ))
    ws.autofilter(0, 0, len(uitslag.koppelingen), 10)

    per = werkmap.sheet("Per opleider", [
        "opleider", "naam opleider", "praktijk", "status", "voorrang", "coassistent", "blokkade", "capaciteit",
        "gekoppeld", "aios", "naam aios", "keuze",
    ], [10, 26, 40, 20, 10, 12, 10, 11, 11, 14, 40, 24])
    by_opleider: dict[str, list[tuple[str, str]]] = {}
    for koppeling in uitslag.koppelingen:
        by_opleider.setdefault(koppeling.opleider_id, []).append(
            (koppeling.aios_id, uitleg.voor(koppeling.aios_id).keuze)
        )
    for number, opleider_id in enumerate(idx.opleider_ids, start=1):
        opleider = idx.opleiders[opleider_id]
        gekoppeld = by_opleider.get(opleider_id, [])
        write_cells(per, number, (
            opleider.id, opleider.naam, opleider.praktijk, opleider.status.label,
            "ja" if opleider.voorrang else "nee", "ja" if opleider.coassistent else "nee",
            "ja" if opleider.blokkade else "nee", opleider.capaciteit, len(gekoppeld),
            ", ".join(a for a, _ in gekoppeld), ", ".join(idx.aios[a].naam for a, _ in gekoppeld),
            ", ".join(keuze for _, keuze in gekoppeld),
        ))
    per.autofilter(0, 0, len(idx.opleider_ids), 11)

    niet = werkmap.sheet("Niet gekoppeld", ["aios", "naam aios", "opleidingsjaar", "toelichting"], [10, 26, 14, 120],
                         wrapped={3})
    for number, aios_id in enumerate(uitslag.ongekoppeld, start=1):
        aios = idx.aios[aios_id]
        write_cells(niet, number, (aios.id, aios.naam, aios.opleidingsjaar, uitleg.voor(aios_id).toelichting))

    samenvatting = werkmap.book.add_worksheet("Samenvatting")
    samenvatting.set_column(0, 0, 30, werkmap.bold)
    samenvatting.set_column(1, 1, 60)
    for number, row in enumerate(_samenvatting(idx.ronde, uitleg)):
        write_cells(samenvatting, number, row)


def _samenvatting(ronde: Ronde, uitleg: Uitleg) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [("Ronde", ronde.naam)]
    planning = ronde.planning
    if planning is not None:
        rows += [
            ("Startdatum", datum_nl(planning.startdatum)),
            ("Koppelgesprekken", f"{datum_nl(planning.gesprekken_van)} t/m {datum_nl(planning.gesprekken_tot)}"),
            ("Uitslag uiterlijk", datum_nl(planning.uitslag)),
        ]
    rows += [
        ("Aios", uitleg.aantal_aios),
        ("Gekoppeld", uitleg.doelwaarde.gekoppeld),
        ("Niet gekoppeld", uitleg.niet_gekoppeld),
    ]
    rows += [(f"{keuze}e keuze", aantal) for keuze, aantal in uitleg.profiel]
    rows += [
        ("Zonder score (vastgezet of uitzondering)", uitleg.zonder_score),
        ("Voorrangsopleiders gevuld", f"{uitleg.voorrang_gevuld} van {uitleg.voorrang_totaal}"),
        ("Totaalscore", uitleg.doelwaarde.totaalscore),
    ]
    return rows
