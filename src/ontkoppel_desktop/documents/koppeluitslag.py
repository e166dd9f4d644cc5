"""The uitslag of a koppelingsronde as a document, for one kind of reader (DECISIONS 2026-12-01).

- `managers`: the whole story for the (assistent) managers opleiders, as the xlsx export tells it: a summary page
  (the ronde and its calendar, how many aios are gekoppeld, the keuzeprofiel, the voorrangsopleiders filled, who
  is left ongekoppeld and why), an overview per opleider with each koppeling's keuze and herkomst, then per aios
  the explanation of `core.koppelplanner.uitleg`, afwijzingen and uitzonderingen with their reden included.
- `opleider`: one page per opleider that names only that opleider's own koppeling(en): the aios, the start date
  and what to prepare. Never the aios's other choices, scores, herkomst, or that another opleider rejected the
  aios (Utrecht 5.2.1: prevent a negative image of an aios).
- `aios`: one page per aios: which of their choices they got (with the reden of their own uitzondering or
  vastzetting and how the koppeling came about); a higher choice that was not possible says only "niet mogelijk
  in deze ronde", never who rejected them or why.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeAlias

from ontkoppel_desktop.core.koppelplanner.paarregels import RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import Aios, Opleider, OpleiderStatus, Ronde, datum_nl
from ontkoppel_desktop.core.koppelplanner.solver import Herkomst, Koppeling, Uitslag
from ontkoppel_desktop.core.koppelplanner.uitleg import AiosUitleg, Uitleg, explain, keuze_label
from ontkoppel_desktop.documents.model import (
    Badge,
    Block,
    Cell,
    Column,
    Document,
    Figure,
    Figures,
    Heading,
    Inline,
    KeyValues,
    Meter,
    Note,
    PageBreak,
    Paragraph,
    Row,
    Run,
    Section,
    Table,
    Tone,
)
from ontkoppel_desktop.documents.pdf import write_pdf

Lezer: TypeAlias = Literal["managers", "opleider", "aios"]
LEZERS: tuple[Lezer, ...] = ("managers", "opleider", "aios")

KICKER = "Huisartsopleiding \u00b7 koppelingsprocedure"
GEEN_AIOS = "Geen aios in deze ronde."
# What an aios reads about a better-scored practice that was not possible, whatever the reason: an afwijzing, a
# blokkade, another aios in the place (DECISIONS: never who rejected them).
NIET_MOGELIJK = "niet mogelijk in deze ronde"
# A better-scored practice that was possible but not given (core.uitleg's kinds "groepsbelang" and "vrij").
_NIET_GEKREGEN = {
    "groepsbelang": "niet gekozen: de beste koppeling voor de hele groep gaat voor",
    "vrij": "niet gekozen in deze ronde",
}

# Per reader: the subtitle's first words and the running header of the later pages.
_VOOR = {
    "managers": ("Overzicht voor de managers opleiders", "Overzicht voor de managers opleiders"),
    "opleider": ("Per opleider", "Uitslag per opleider"),
    "aios": ("Per aios", "Uitslag per aios"),
}
ALLEEN_MANAGERS = (
    "Alleen voor de (assistent) managers opleiders: dit overzicht noemt de keuzes van alle aios en de "
    "afwijzingen. Geef een opleider of een aios alleen de eigen pagina (PDF per opleider of per aios)."
)


@dataclass(frozen=True, slots=True)
class _Context:
    ronde: Ronde
    idx: RondeIndex
    uitslag: Uitslag
    uitleg: Uitleg
    per_opleider: dict[str, list[Koppeling]]


def uitslag_document(
    ronde: Ronde,
    uitslag: Uitslag,
    uitleg: Uitleg | None = None,
    *,
    voor: Lezer,
    opgesteld: date | None = None,
) -> Document:
    """The uitslag as a document for the managers, or one page per opleider or per aios (module docstring).

    `uitleg` defaults to explain(uitslag); `opgesteld` (the date printed on it) to today."""
    if voor not in LEZERS:
        raise ValueError(f"Onbekende lezer {voor!r}: kies 'managers', 'opleider' of 'aios'.")
    idx = RondeIndex.build(ronde)
    uitleg = uitleg if uitleg is not None else explain(idx, uitslag)
    per_opleider: dict[str, list[Koppeling]] = defaultdict(list)
    for koppeling in uitslag.koppelingen:
        per_opleider[koppeling.opleider_id].append(koppeling)
    ctx = _Context(ronde, idx, uitslag, uitleg, dict(per_opleider))
    opgesteld = opgesteld or date.today()

    titel = f"Uitslag koppelingsronde {ronde.naam}".strip()
    indeling, kop = _VOOR[voor]
    subtitle = indeling
    if ronde.startdatum is not None:
        subtitle += f" \u00b7 start opleiding {datum_nl(ronde.startdatum)}"
    blocks: list[Block]
    if voor == "managers":
        blocks = [Note(ALLEEN_MANAGERS, "warning"), *_summary(ctx, opgesteld)]
        blocks += [PageBreak(), Heading("Overzicht per opleider"), _opleider_overview(ctx), PageBreak()]
        blocks += [Heading("Toelichting per aios")]
        blocks += [_aios_section(ctx, a) for a in idx.aios_ids]
    elif voor == "opleider":
        blocks = _one_per_page([_opleider_brief(ctx, o) for o in idx.opleider_ids])
    else:
        blocks = _one_per_page([_aios_brief(ctx, a) for a in idx.aios_ids])
    return Document(
        title=titel,
        subtitle=subtitle,
        kicker=KICKER,
        header=titel,
        header_right=kop,
        footer="Vertrouwelijk",
        footer_centre=f"Opgesteld op {datum_nl(opgesteld)}",
        blocks=tuple(blocks),
        keywords=("koppelingsprocedure", "uitslag", indeling.lower()),
    )


def write_uitslag_pdf(
    path: str | os.PathLike[str],
    ronde: Ronde,
    uitslag: Uitslag,
    uitleg: Uitleg | None = None,
    *,
    voor: Lezer,
    opgesteld: date | None = None,
) -> None:
    """Write the uitslag as an A4 PDF (atomically: a temporary file beside `path`, then renamed)."""
    write_pdf(path, uitslag_document(ronde, uitslag, uitleg, voor=voor, opgesteld=opgesteld))


def _one_per_page(sections: list[Section]) -> list[Block]:
    """Each reader's section on its own page(s), so a page can be handed to that reader alone."""
    blocks: list[Block] = []
    for number, section in enumerate(sections):
        if number:
            blocks.append(PageBreak())
        blocks.append(section)
    return blocks


# --- the summary page ---------------------------------------------------------------------------------------


def _summary(ctx: _Context, opgesteld: date) -> list[Block]:
    ronde, uitleg = ctx.ronde, ctx.uitleg
    feiten: list[tuple[str, Inline]] = [("Ronde", ronde.naam or "(zonder naam)")]
    planning = ronde.planning
    if planning is not None:
        feiten += [
            ("Start opleiding", datum_nl(planning.startdatum)),
            ("Koppelgesprekken", f"{datum_nl(planning.gesprekken_van)} t/m {datum_nl(planning.gesprekken_tot)}"),
            ("Uitslag uiterlijk", datum_nl(planning.uitslag)),
            ("Volgens de kaders", planning.omschrijving[0].upper() + planning.omschrijving[1:]),
        ]
    elif ronde.startdatum is not None:
        feiten.append(("Start opleiding", datum_nl(ronde.startdatum)))
    feiten += [
        ("Aios in de ronde", _aantal(uitleg.aantal_aios, "aios", "aios")),
        ("Opleiders in de ronde", _aantal(len(ctx.idx.opleider_ids), "opleider", "opleiders")),
        ("Opgesteld op", datum_nl(opgesteld)),
    ]
    blocks: list[Block] = [KeyValues(tuple(feiten)), Heading("Resultaat", 2), _figures(ctx), Heading("Keuzeprofiel", 2)]
    blocks += _profile(ctx)
    blocks += _voorrang(ctx)
    if ctx.uitslag.ongekoppeld:
        blocks += [
            Heading("Niet gekoppeld", 2),
            Table(
                (Column("Aios", 2.2), Column("Jaar", 0.6, "center"), Column("Reden", 5.2)),
                tuple(
                    Row((_naam_id(ctx.idx.aios[a].naam, a), str(ctx.idx.aios[a].opleidingsjaar),
                         _sentence(_reden_niet_gekoppeld(ctx.idx.aios[a], uitleg.voor(a)))))
                    for a in ctx.uitslag.ongekoppeld
                ),
            ),
        ]
    blocks += [
        Heading("Werkwijze", 2),
        Paragraph(
            "De koppeling is berekend als het beste resultaat voor de hele groep; volgens de kaders gaat het "
            "groepsbelang vóór het individuele belang. Eerst worden zoveel mogelijk aios gekoppeld, daarna "
            "zoveel mogelijk voorrangsopleiders gevuld, en daarna is de som van de keuzes zo laag mogelijk. "
            "Een aios wordt alleen gekoppeld aan een bezochte praktijk (of een vooraf overlegde uitzondering), "
            "nooit aan een opleider die de aios heeft afgewezen; vastgezette koppelingen blijven staan.",
            small=True,
            muted=True,
        ),
    ]
    return blocks


def _figures(ctx: _Context) -> Figures:
    uitleg = ctx.uitleg
    gekoppeld = uitleg.doelwaarde.gekoppeld
    eerste = dict(uitleg.profiel).get(1, 0)
    return Figures((
        Figure(
            "Gekoppeld", f"{gekoppeld} van {uitleg.aantal_aios}", _procent_tekst(gekoppeld, uitleg.aantal_aios),
            "positive" if gekoppeld == uitleg.aantal_aios else "accent",
        ),
        Figure(
            "Niet gekoppeld", str(uitleg.niet_gekoppeld),
            "alle aios hebben een opleider" if not uitleg.niet_gekoppeld else "zie de reden per aios",
            "negative" if uitleg.niet_gekoppeld else "neutral",
        ),
        Figure(
            "Voorrangsopleiders gevuld", f"{uitleg.voorrang_gevuld} van {uitleg.voorrang_totaal}",
            "coassistent of opleiderscurriculum", "accent",
        ),
        Figure("1e keuze", str(eerste), _procent_tekst(eerste, gekoppeld, "van de gekoppelde aios"), "positive"),
    ))


def _profile(ctx: _Context) -> list[Block]:
    uitleg = ctx.uitleg
    totaal = uitleg.aantal_aios
    rows = [
        Row((keuze_label(keuze), str(aantal), _procent(aantal, totaal), Meter(aantal, totaal, _keuze_tone(keuze))))
        for keuze, aantal in uitleg.profiel
    ]
    rows.append(Row((
        "Zonder score (vastgezet of uitzondering)", str(uitleg.zonder_score), _procent(uitleg.zonder_score, totaal),
        Meter(uitleg.zonder_score, totaal, "neutral"),
    )))
    rows.append(Row((
        "Niet gekoppeld", str(uitleg.niet_gekoppeld), _procent(uitleg.niet_gekoppeld, totaal),
        Meter(uitleg.niet_gekoppeld, totaal, "negative"),
    )))
    return [
        Table(
            (Column("Keuze", 3.3), Column("Aios", 0.7, "right"), Column("Aandeel", 0.8, "right"), Column("", 3.0)),
            tuple(rows),
        ),
        Paragraph(
            f"Totaalscore {uitleg.doelwaarde.totaalscore}: de som van de keuzes van de gekoppelde aios "
            "(lager is beter; een niet bezochte praktijk telt na alle bezochte).",
            small=True,
            muted=True,
        ),
    ]


def _voorrang(ctx: _Context) -> list[Block]:
    uitleg, idx = ctx.uitleg, ctx.idx
    blocks: list[Block] = [
        Heading("Voorrangsopleiders", 2),
        Paragraph(
            f"{uitleg.voorrang_gevuld} van de {uitleg.voorrang_totaal} voorrangsopleiders hebben een aios. "
            "Voorrang hebben opleiders die hun aios een coassistent laten begeleiden en opleiders in het "
            "4-jarig opleiderscurriculum (zij krijgen een 1e jaars aios)."
        ),
    ]
    open_ids = [o for o in idx.voorrang_ids if o not in ctx.per_opleider]
    if open_ids:
        blocks += [
            Heading("Niet gevulde voorrangsopleiders", 3),
            Table(
                (Column("Opleider", 2.2), Column("Praktijk", 3.4), Column("Voorrang", 2.4)),
                tuple(
                    Row((_naam_id(idx.opleiders[o].naam, o), idx.opleiders[o].praktijk,
                         ", ".join(_voorrang_woorden(idx.opleiders[o]))))
                    for o in open_ids
                ),
                small=True,
            ),
        ]
    return blocks


# --- the managers' overview per opleider -------------------------------------------------------------------


def _opleider_overview(ctx: _Context) -> Table:
    idx = ctx.idx
    rows: list[Row] = []
    for opleider_id in idx.opleider_ids:
        opleider = idx.opleiders[opleider_id]
        head: tuple[Cell, Cell, Cell] = (
            _naam_id(opleider.naam, opleider.id), opleider.praktijk, "\n".join(_voorrang_woorden(opleider, kort=True)),
        )
        koppelingen = ctx.per_opleider.get(opleider_id, [])
        if not koppelingen:
            leeg = "geblokkeerd" if opleider.blokkade else "geen aios"
            rows.append(Row((*head, (Run(leeg, muted=True),), "", "")))
        for number, koppeling in enumerate(koppelingen):
            aios = idx.aios[koppeling.aios_id]
            cells = head if number == 0 else ("", "", "")
            rows.append(Row((*cells, _naam_id(aios.naam, aios.id), _keuze_badge(ctx.uitleg.voor(aios.id)),
                             koppeling.herkomst.label)))
    return Table(
        (Column("Opleider", 2.0), Column("Praktijk", 2.5), Column("Voorrang", 1.3), Column("Aios", 2.0),
         Column("Keuze", 1.3), Column("Herkomst", 1.6)),
        tuple(rows),
        small=True,
    )


# --- one page per opleider ----------------------------------------------------------------------------------


def _opleider_brief(ctx: _Context, opleider_id: str) -> Section:
    """Only this opleider's own koppeling(en): the aios, the start and what to prepare (DECISIONS)."""
    idx = ctx.idx
    opleider = idx.opleiders[opleider_id]
    koppelingen = ctx.per_opleider.get(opleider_id, [])
    start = ctx.ronde.startdatum
    blocks: list[Block]
    if koppelingen:
        blocks = [
            Paragraph("In deze koppelingsronde is aan deze opleider gekoppeld:"),
            Table(
                (Column("Aios", 2.6), Column("Opleidingsjaar", 1.2, "center"), Column("Deeltijd", 1.1),
                 Column("Start in de praktijk", 2.0)),
                tuple(
                    Row((_naam_id(idx.aios[k.aios_id].naam, k.aios_id), f"{idx.aios[k.aios_id].opleidingsjaar}e jaar",
                         _deeltijd(idx.aios[k.aios_id]), datum_nl(start) if start else "volgt"))
                    for k in koppelingen
                ),
            ),
            Heading("Voorbereiden", 3),
            *(Paragraph(f"\u2022 {punt}") for punt in _voorbereiden(ctx, opleider, koppelingen)),
        ]
    elif opleider.blokkade:
        blocks = [Note(
            f"{GEEN_AIOS} Na een ontkoppeling krijgt een opleider pas weer een aios na het contact met de manager "
            "opleiders.", "neutral",
        )]
    else:
        blocks = [Note(GEEN_AIOS)]
    return Section(
        title=opleider.naam or opleider.id,
        subtitle=(Run(opleider.praktijk, bold=True),),
        blocks=tuple(blocks),
    )


def _voorbereiden(ctx: _Context, opleider: Opleider, koppelingen: list[Koppeling]) -> list[str]:
    """What the opleider prepares, from the kaders; nothing about how the koppeling was reached."""
    punten: list[str] = []
    for koppeling in koppelingen:
        aios = ctx.idx.aios[koppeling.aios_id]
        naam = aios.naam or aios.id
        if koppeling.score is None and koppeling.herkomst is not Herkomst.VASTGEZET:
            # The reden of the uitzondering is the aios's own; the opleider only needs to know to meet first.
            punten.append(
                f"{naam} heeft de praktijk niet bezocht (na overleg met de manager opleiders): plan vóór de start "
                "een kennismakingsgesprek."
            )
        if aios.deeltijdpercentage < 100:
            punten.append(
                f"{naam} werkt in deeltijd ({aios.deeltijdpercentage}%): spreek samen af hoe de deeltijd in de "
                "praktijk wordt ingevuld."
            )
    if opleider.duo_opleider:
        punten.append(
            "Duo-opleiderschap: maak concrete afspraken over de begeleiding en de beoordeling; de hoofdopleider "
            "beoordeelt."
        )
    if ctx.ronde.startdatum is not None:
        punten.append(f"De aios begint op {datum_nl(ctx.ronde.startdatum)}.")
    return punten


# --- one page per aios --------------------------------------------------------------------------------------


def _aios_brief(ctx: _Context, aios_id: str) -> Section:
    """Which of their choices the aios got; a higher choice that was not possible says only that (DECISIONS)."""
    idx = ctx.idx
    aios = idx.aios[aios_id]
    uitleg = ctx.uitleg.voor(aios_id)
    koppeling = ctx.uitslag.koppeling_van(aios_id)
    blocks: list[Block] = []
    if koppeling is None:
        blocks.append(Note(
            (Run("Niet gekoppeld in deze ronde. ", bold=True),
             Run("Neem contact op met de manager opleiders over het vervolg.")),
            "negative",
        ))
    else:
        opleider = idx.opleiders[koppeling.opleider_id]
        feiten: list[tuple[str, Inline]] = [
            ("Gekoppeld aan", (Run(opleider.naam or opleider.id, bold=True), Run(f"  \u00b7  {opleider.praktijk}"))),
        ]
        if ctx.ronde.startdatum is not None:
            feiten.append(("Start", datum_nl(ctx.ronde.startdatum)))
        feiten.append(("Keuze", _eigen_keuze(ctx, koppeling, uitleg)))
        if koppeling.herkomst is not Herkomst.VASTGEZET:
            feiten.append(("Tot stand gekomen", koppeling.herkomst.label))
        blocks.append(KeyValues(tuple(feiten)))
    soorten = {r.opleider_id: r.soort for r in uitleg.redenen}
    rows: list[Row] = []
    for opleider_id in _keuzes_van(ctx, aios_id, koppeling):
        opleider = idx.opleiders[opleider_id]
        score = idx.scores.get((aios_id, opleider_id))
        uitkomst: Cell
        tone: Tone | None = None
        if koppeling is not None and koppeling.opleider_id == opleider_id:
            uitkomst, tone = (Run("gekoppeld", bold=True),), "positive"
        elif opleider_id in soorten:
            uitkomst = _NIET_GEKREGEN.get(soorten[opleider_id], NIET_MOGELIJK)
        else:
            uitkomst = (Run("lager gescoord dan de koppeling", muted=True),)
        keuze = keuze_label(score) if score is not None else "uitzondering"
        rows.append(Row((keuze, opleider.naam or opleider.id, opleider.praktijk, uitkomst), tone))
    blocks.append(Table(
        (Column("Keuze", 1.1), Column("Opleider", 1.8), Column("Praktijk", 2.8), Column("Uitkomst", 2.6)),
        tuple(rows),
        empty="Geen bezochte praktijken.",
        small=True,
    ))
    return Section(
        title=aios.naam or aios.id,
        subtitle=f"{aios.opleidingsjaar}e jaars aios \u00b7 {_deeltijd(aios)}",
        badges=(_keuze_badge(uitleg),),
        blocks=tuple(blocks),
    )


def _eigen_keuze(ctx: _Context, koppeling: Koppeling, uitleg: AiosUitleg) -> str:
    """"2e keuze", "uitzondering: <reden>", "vastgezet: <reden>": the aios's own choice and its reden."""
    if koppeling.herkomst is Herkomst.VASTGEZET:
        vast = ctx.idx.vastzettingen.get(koppeling.aios_id)
        return f"vastgezet: {_sentence(vast.reden)}" if vast else "vastgezet"
    if uitleg.uitzondering is not None:
        return f"uitzondering: {_sentence(uitleg.uitzondering)}"
    return uitleg.keuze


def _keuzes_van(ctx: _Context, aios_id: str, koppeling: Koppeling | None) -> list[str]:
    """The practices the aios visited (best first), then any uitzondering, then the koppeling if not among them."""
    idx = ctx.idx
    visited = list(idx.bezocht.get(aios_id, []))
    opleider_ids = visited + [o for o in idx.uitzondering_van.get(aios_id, []) if o not in visited]
    if koppeling is not None and koppeling.opleider_id not in opleider_ids:
        opleider_ids.append(koppeling.opleider_id)
    return opleider_ids


# --- the managers' explanation per aios --------------------------------------------------------------------


def _aios_section(ctx: _Context, aios_id: str) -> Section:
    idx = ctx.idx
    aios = idx.aios[aios_id]
    uitleg = ctx.uitleg.voor(aios_id)
    koppeling = ctx.uitslag.koppeling_van(aios_id)
    blocks: list[Block] = []
    if koppeling is None:
        blocks.append(Note(
            (Run("Niet gekoppeld. ", bold=True), Run(_sentence(_reden_niet_gekoppeld(aios, uitleg)))), "negative"
        ))
    else:
        opleider = idx.opleiders[koppeling.opleider_id]
        feiten: list[tuple[str, Inline]] = [
            ("Gekoppeld aan", (Run(opleider.naam or opleider.id, bold=True),
                               Run(f"  \u00b7  {opleider.praktijk}"))),
            ("Keuze", _keuze_tekst(uitleg, koppeling)),
        ]
        if koppeling.herkomst is Herkomst.VASTGEZET or koppeling.score is None:
            # The table of bezoeken does not say why a vastzetting or an uitzondering was made.
            feiten.append(("Toelichting", _waarom(ctx, koppeling)))
        blocks.append(KeyValues(tuple(feiten)))
    blocks.append(_bezoeken(ctx, aios_id, koppeling, uitleg))
    jaar = f"{aios.opleidingsjaar}e jaars aios"
    return Section(
        title=aios.naam or aios.id,
        subtitle=f"{jaar} \u00b7 {_deeltijd(aios)}",
        badges=(_keuze_badge(uitleg),),
        blocks=tuple(blocks),
    )


def _bezoeken(ctx: _Context, aios_id: str, koppeling: Koppeling | None, uitleg: AiosUitleg) -> Table:
    """The practices the aios visited (and any uitzondering), best score first, each with what became of it."""
    idx = ctx.idx
    visited = list(idx.bezocht.get(aios_id, []))
    opleider_ids = visited + [o for o in idx.uitzondering_van.get(aios_id, []) if o not in visited]
    if koppeling is not None and koppeling.opleider_id not in opleider_ids:
        opleider_ids.append(koppeling.opleider_id)
    redenen = {r.opleider_id: r for r in uitleg.redenen}
    rows: list[Row] = []
    for opleider_id in opleider_ids:
        opleider = idx.opleiders[opleider_id]
        score = idx.scores.get((aios_id, opleider_id))
        if opleider_id in visited:
            keuze = keuze_label(score)
        elif (aios_id, opleider_id) in idx.uitzonderingen:
            keuze = "uitzondering"
        elif koppeling is not None and koppeling.herkomst is Herkomst.VASTGEZET:
            keuze = "vastgezet"
        else:
            keuze = "niet bezocht"
        naam: Cell = (Run(opleider.naam or opleider.id, bold=True),)
        tone: Tone | None = None
        uitkomst: Cell
        if koppeling is not None and koppeling.opleider_id == opleider_id:
            uitkomst, tone = (Run("gekoppeld", bold=True),), "positive"
        elif opleider_id in redenen:
            uitkomst = _sentence(redenen[opleider_id].reden)
        elif koppeling is not None and koppeling.herkomst is Herkomst.VASTGEZET:
            uitkomst = (Run("niet van toepassing: de aios is vastgezet", muted=True),)
        else:
            uitkomst = (Run("lager gescoord dan de koppeling", muted=True),)
        rows.append(Row((keuze, naam, opleider.praktijk, uitkomst), tone))
    return Table(
        (Column("Keuze", 1.1), Column("Opleider", 1.7), Column("Bezochte praktijk", 2.75), Column("Uitkomst", 3.0)),
        tuple(rows),
        empty="Geen bezochte praktijken.",
        small=True,
    )


# --- wording ------------------------------------------------------------------------------------------------


def _waarom(ctx: _Context, koppeling: Koppeling) -> str:
    """What the table of bezoeken does not say: why a vastzetting was made, or that the practice was not
    visited."""
    idx = ctx.idx
    if koppeling.herkomst is Herkomst.VASTGEZET:
        vast = idx.vastzettingen.get(koppeling.aios_id)
        return f"Vastgezet: {_sentence(vast.reden)}" if vast else "Vastgezet."
    if (koppeling.aios_id, koppeling.opleider_id) in idx.uitzonderingen:
        return "Praktijk niet bezocht; toegestaan met een uitzondering van de manager opleiders."
    return "Praktijk niet bezocht, zonder vastgelegde uitzondering."


def _reden_niet_gekoppeld(aios: Aios, uitleg: AiosUitleg) -> str:
    """The summary of uitleg's reason ("alle bezochte praktijken zijn bezet door andere aios"), without the
    per-practice list that the table of bezoeken shows."""
    prefix = f"{aios.wie} is niet gekoppeld: "
    if not uitleg.toelichting.startswith(prefix):
        return uitleg.toelichting
    # The summary is built from fixed words (uitleg._all_phrase), so its first ". " ends it.
    return uitleg.toelichting[len(prefix):].partition(". ")[0]


def _keuze_tekst(uitleg: AiosUitleg, koppeling: Koppeling) -> str:
    """"2e keuze · berekend groepsoptimum", "uitzondering: <reden> · handmatig geplaatst", "vastgezet"."""
    if koppeling.herkomst is Herkomst.VASTGEZET:
        return koppeling.herkomst.label
    keuze = f"uitzondering: {_sentence(uitleg.uitzondering)}" if uitleg.uitzondering else uitleg.keuze
    return f"{keuze} \u00b7 {koppeling.herkomst.label}"


def _keuze_badge(uitleg: AiosUitleg) -> Badge:
    if uitleg.opleider_id is None:
        return Badge("niet gekoppeld", "negative")
    if uitleg.score is not None and uitleg.keuze == keuze_label(uitleg.score):
        return Badge(uitleg.keuze, _keuze_tone(uitleg.score))
    return Badge(uitleg.keuze, "warning" if uitleg.keuze == "uitzondering" else "neutral")


def _keuze_tone(score: int) -> Tone:
    if score == 1:
        return "positive"
    return "accent" if score <= 3 else "warning"


def _voorrang_woorden(opleider: Opleider, *, kort: bool = False) -> list[str]:
    woorden = []
    if opleider.coassistent:
        woorden.append("coassistent")
    if opleider.status is OpleiderStatus.CURRICULUM:
        woorden.append("curriculum" if kort else "opleiderscurriculum")
    return woorden


def _deeltijd(aios: Aios, *, kort: bool = False) -> str:
    if aios.deeltijdpercentage >= 100:
        return "fulltime"
    return f"{aios.deeltijdpercentage}%" if kort else f"deeltijd {aios.deeltijdpercentage}%"


def _naam_id(naam: str, ident: str) -> Inline:
    """Users read names, practices and dates; the workbook's id only stands in for a missing name."""
    return naam or ident


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _aantal(n: int, een: str, meer: str) -> str:
    return f"{n} {een if n == 1 else meer}"


def _procent(deel: int, geheel: int) -> str:
    return f"{round(100 * deel / geheel)}%" if geheel else "\u2013"


def _procent_tekst(deel: int, geheel: int, van: str = "van de aios") -> str:
    return f"{_procent(deel, geheel)} {van}" if geheel else ""
