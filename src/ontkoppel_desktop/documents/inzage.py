"""The inzage document (AVG art. 15): everything the store holds about one aios or opleider (core/inzage.py says
what that is), readable for the person who asked. Plain data in, a `Document` out; Word and PDF say the same."""

from __future__ import annotations

from ontkoppel_desktop.core.inzage import Inzage, RondeInzage, TrajectInzage, VerslagInzage, datum, moment
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.verslagen.bijlagen import grootte_tekst
from ontkoppel_desktop.documents.model import (
    Block,
    Column,
    Document,
    Heading,
    KeyValues,
    Note,
    Paragraph,
    Row,
    Run,
    Section,
    Table,
)


def inzage_document(inzage: Inzage, *, bijlagen_mee: bool = False, opleiding: str = "") -> Document:
    """The whole document. `bijlagen_mee`: the bijlagen go along as files (the list says under which name)."""
    naam, wie = inzage.naam, inzage.soort_label
    blocks: list[Block] = [
        Paragraph(f"Dit document bevat alle gegevens die Ontkoppel Desktop op {dutch_date(inzage.gemaakt)} over "
                  f"{naam} ({wie}) bewaart, voor een verzoek om inzage (AVG, artikel 15): de persoonsgegevens, "
                  "koppelingen, trajecten met elke vastgelegde gebeurtenis en de geschiedenis daarvan (wie wat wanneer "
                  "vastlegde), de gespreksverslagen in elke versie, de bijlagen en de koppelrondes."),
        Note("Gegevens van anderen staan er niet in: geen keuzes of scores van andere aios, en van een gesprek met "
             "twee verslagen alleen het verslag over deze persoon. Vrije tekst staat er zoals die is ingevoerd; "
             "controleer vóór het verstrekken of die iets over anderen zegt (AVG, artikel 15 lid 4).", "accent"),
        Heading("Persoonsgegevens", 1),
        KeyValues(tuple((label, waarde or "—") for label, waarde in inzage.gegevens)),
        Heading("Koppelingen", 1),
        Table((Column("Aios" if inzage.soort != "aios" else "Opleider", 2.0), Column("Praktijk", 2.4),
               Column("Start", 1.2), Column("Einde", 1.2), Column("Gearchiveerd", 1.2)),
              tuple(Row((k.met, k.praktijk, datum(k.start), datum(k.einde) or "loopt",
                         "ja" if k.gearchiveerd else "nee")) for k in inzage.koppelingen),
              empty="Geen koppelingen.", small=True),
        Heading("Trajecten", 1),
    ]
    if not inzage.trajecten:
        blocks.append(Paragraph("Geen trajecten.", muted=True))
    for traject in inzage.trajecten:
        blocks += _traject(traject)
    blocks.append(Heading("Koppelrondes", 1))
    if not inzage.rondes:
        blocks.append(Paragraph("Komt in geen koppelronde voor.", muted=True))
    blocks += [_ronde(r) for r in inzage.rondes]
    blocks.append(Heading("Bijlagen", 1))
    bijlagen = inzage.bijlagen
    if bijlagen and bijlagen_mee:
        blocks.append(Paragraph("De bijlagen zijn als bestanden meegestuurd, in de map naast dit document, onder de "
                                "naam in de laatste kolom."))
    elif bijlagen:
        blocks.append(Paragraph("De bestanden zelf zijn op verzoek te verstrekken; de app bewaart ze versleuteld.",
                                muted=True))
    blocks.append(Table(
        (Column("Naam", 2.4), Column("Soort", 1.2), Column("Grootte", 1.0, "right"), Column("Toegevoegd", 1.6),
         Column("Bij verslag", 2.0), *((Column("Meegestuurd als", 1.8),) if bijlagen_mee else ())),
        tuple(Row((b.naam, b.soort, grootte_tekst(b.grootte), moment(b.toegevoegd), f"{v.gesprek}, versie {v.versie}",
                   *((bijlage_bestandsnaam(b.id, b.naam),) if bijlagen_mee else ())))
              for v, b in bijlagen),
        empty="Geen bijlagen.", small=True))
    return Document(
        title="Inzage persoonsgegevens",
        subtitle=f"{naam} ({wie})",
        kicker=opleiding,
        header=f"Inzage persoonsgegevens — {naam}",
        footer="Vertrouwelijk",
        footer_centre=f"Opgesteld op {dutch_date(inzage.gemaakt)}",
        keywords=("inzage", "AVG"),
        blocks=tuple(blocks),
    )


def bijlage_bestandsnaam(bijlage_id: int, naam: str) -> str:
    """The name a bijlage goes along under: its number first, so two files of the same name stay apart."""
    return f"{bijlage_id:04d} {naam}"


def _traject(traject: TrajectInzage) -> list[Block]:
    feiten = dict(traject.feiten)
    blocks: list[Block] = [
        Heading(f"Traject {traject.id}: {feiten.get('Aios', '')}, gestart {feiten.get('Gestart', '')}", 2),
        KeyValues(traject.feiten),
    ]
    if not traject.volledig:
        blocks.append(Note("Dit traject gaat over een andere koppeling; hier staat alleen wat over deze persoon is "
                           "vastgelegd.", "neutral"))
    blocks.append(Heading("Gebeurtenissen en geschiedenis", 3))
    blocks.append(Table(
        (Column("Datum", 1.1), Column("Wat", 4.2), Column("Vastgelegd", 1.7)),
        tuple(Row((datum(g.datum), _wat(g.soort, g.wat, g.gegevens, g.stand), g.vastgelegd),
                  "warning" if g.stand else None) for g in traject.gebeurtenissen),
        empty="Geen gebeurtenissen.", small=True))
    for verslag in traject.verslagen:
        blocks += _verslag(verslag)
    return blocks


def _wat(soort: str, wat: str, gegevens: str, stand: str) -> tuple[Run, ...]:
    runs = [Run(f"{soort}. ", bold=True), Run(wat)]
    if gegevens:
        runs.append(Run(f"\n{gegevens}", muted=True))
    if stand:
        runs.append(Run(f"\n{stand[0].upper()}{stand[1:]}", bold=True))
    return tuple(runs)


def _verslag(verslag: VerslagInzage) -> list[Block]:
    blocks: list[Block] = [
        Heading(f"Gespreksverslag: {verslag.gesprek}, versie {verslag.versie} ({verslag.status})", 3),
        KeyValues(verslag.feiten),
    ]
    for deel in verslag.delen:
        blocks.append(Paragraph((Run(deel.titel, bold=True),)))
        if not deel.antwoorden:
            blocks.append(Paragraph("Nog niets ingevuld.", small=True, muted=True))
        for label, antwoord in deel.antwoorden:
            blocks.append(Paragraph((Run(f"{label}: ", bold=True), Run(antwoord or "—")), small=True))
    if verslag.bijlagen:
        namen = "; ".join(f"{b.naam} ({grootte_tekst(b.grootte)})" for b in verslag.bijlagen)
        blocks.append(Paragraph((Run("Bijlagen: ", bold=True), Run(namen)), small=True))
    return blocks


def _ronde(ronde: RondeInzage) -> Section:
    blocks: list[Block] = [KeyValues(ronde.feiten)]
    if ronde.keuzes:
        blocks.append(Table((Column("Bezocht: opleider", 2.0), Column("Praktijk", 2.4), Column("Score", 0.8, "right")),
                            tuple(Row(k) for k in ronde.keuzes), small=True))
    blocks.append(Paragraph((Run("Uitslag: ", bold=True), Run(ronde.uitslag))))
    blocks += [Paragraph(o, small=True) for o in ronde.opmerkingen]
    return Section(ronde.naam, tuple(blocks), aside=f"start {datum(ronde.startdatum)}")


__all__ = ["bijlage_bestandsnaam", "inzage_document"]
