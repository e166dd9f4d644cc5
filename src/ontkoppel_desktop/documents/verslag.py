"""A gespreksverslag as a document, for the place it is archived: the e-portfolio of the aios or the dossier of the
opleider. One builder for Word and PDF (the renderers take the same `Document`), so the two never drift apart.

- Each verslag of a gesprek is its own document with only its own fields (`core.verslagen.inhoud`): the two
  verslagen of the evaluatiegesprek opleider never share a word.
- A verslag that goes to both places has a copy per place; a field that may go into the e-portfolio only when an
  answer says so (the aios's own reflectieverslag, Utrecht 5.3.1) is left out of the e-portfolio's copy otherwise.
- A definitief verslag carries its version and seal (SHA-256) in the footer of every page, so an archived copy can
  be matched to the record; a concept says on every page that it is a concept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.verslagen.bijlagen import verwijzingen
from ontkoppel_desktop.core.verslagen.formulier import GesprekFormulier, Veld, VeldSoort, VerslagDeel
from ontkoppel_desktop.core.verslagen.service import GesprekContext
from ontkoppel_desktop.core.verslagen.verslag import Verslag, inhoud, weergave
from ontkoppel_desktop.documents.model import Block, Document, Heading, KeyValues, Note, Paragraph, Run

# The places a copy is made for: a verslag for both places has one per place.
PLEKKEN: dict[VerslagBestemming, tuple[VerslagBestemming, ...]] = {
    VerslagBestemming.E_PORTFOLIO: (VerslagBestemming.E_PORTFOLIO,),
    VerslagBestemming.DOSSIER_OPLEIDER: (VerslagBestemming.DOSSIER_OPLEIDER,),
    VerslagBestemming.BEIDE: (VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER),
    VerslagBestemming.GEEN: (),
}


@dataclass(frozen=True, slots=True)
class VerslagDocument:
    """One document: which verslag of the gesprek, for which place, and what it says."""

    deel: VerslagDeel
    plek: VerslagBestemming
    document: Document

    @property
    def naam(self) -> str:
        """What the copy is, in a few words: "Gespreksverslag driehoeksgesprek, e-portfolio aios"."""
        return f"{self.deel.titel}, {self.plek.label}"


def seal_text(zegel: str) -> str:
    """A SHA-256 in groups of eight, as the footer prints it."""
    return " ".join(zegel[i:i + 8] for i in range(0, len(zegel), 8))


def verslag_documenten(
    verslag: Verslag,
    formulier: GesprekFormulier,
    context: GesprekContext,
    *,
    opleiding: str,
    opleider_namen: dict[int, str] | None = None,
    today: dt.date | None = None,
) -> list[VerslagDocument]:
    """Every document of this verslag: per verslag of the gesprek, per place it goes. None for a gesprek without
    a verslag. `opleiding` heads each page (the procedure file's institute); `opleider_namen` names an opleider
    an answer holds by id."""
    result = []
    for deel in formulier.delen:
        for plek in PLEKKEN[deel.bestemming]:
            document = _document(verslag, formulier, context, deel, plek, opleiding, opleider_namen or {},
                                 today or dt.date.today())
            result.append(VerslagDocument(deel, plek, document))
    return result


def _document(verslag: Verslag, formulier: GesprekFormulier, context: GesprekContext, deel: VerslagDeel,
              plek: VerslagBestemming, opleiding: str, namen: dict[int, str], today: dt.date) -> Document:
    datum = verslag.datum(formulier)
    feiten: list[tuple[str, str]] = [
        ("Aios", context.aios or "onbekend"),
        ("Opleider", context.opleider or "onbekend"),
        ("Gesprek", f"{formulier.titel} (paragraaf {formulier.sectie} van de procedure)"),
        ("Datum gesprek", dutch_date(datum) if datum is not None else "nog niet ingevuld"),
        ("Voor", f"het {plek.label}"),
        ("Auteur", verslag.auteur),
        ("Versie", str(verslag.versie)),
    ]
    if verslag.definitief and verslag.afgerond_op is not None:
        afgerond = verslag.afgerond_op.astimezone()
        feiten.append(("Afgerond", f"{dutch_date(afgerond.date())} om {afgerond:%H:%M}"))
    if verslag.vorige_id is not None and verslag.reden:
        feiten.append(("Reden nieuwe versie", verslag.reden))
    blocks: list[Block] = [KeyValues(tuple(feiten))]
    if not verslag.definitief:
        blocks.append(Note("Concept: dit verslag is nog niet afgerond en kan nog veranderen. Alleen een afgerond "
                           "verslag is verzegeld en hoort in het " + plek.label + ".", "warning"))
    velden = [(v, value) for v, value in inhoud(formulier, verslag.antwoorden, deel.id)
              if v.id != formulier.datum_veld.id and _hoort_bij(v, plek, verslag)]
    for veld, value in velden:
        blocks.append(Heading(veld.label, 2))
        blocks += _antwoord(veld, value, namen)
    if not velden:
        blocks.append(Paragraph("Nog niets ingevuld.", muted=True))
    if verslag.definitief:
        zegel = verslag.zegels.get(deel.id, "")
        detail = f"Versie {verslag.versie} · definitief · SHA-256 {seal_text(zegel)}"
    else:
        detail = f"Versie {verslag.versie} · CONCEPT, niet afgerond"
    return Document(
        title=deel.titel,
        subtitle=f"{context.aios}, {dutch_date(datum)}" if datum is not None and context.aios else context.aios,
        kicker=opleiding,
        header=f"{deel.titel} — {context.aios}" if context.aios else deel.titel,
        header_right=plek.label,
        footer="Vertrouwelijk",
        footer_centre=f"Afgedrukt op {dutch_date(today)}",
        footer_detail=detail,
        author=verslag.auteur,
        keywords=(formulier.id, plek.value),
        blocks=tuple(blocks),
    )


def _hoort_bij(veld: Veld, plek: VerslagBestemming, verslag: Verslag) -> bool:
    """Utrecht 5.3.1: the aios's own reflectieverslag goes into the e-portfolio only when the aios chose so."""
    if plek is not VerslagBestemming.E_PORTFOLIO or veld.eportfolio_alleen_als is None:
        return True
    return veld.eportfolio_alleen_als.geldt(verslag.antwoorden)


def _antwoord(veld: Veld, value: JsonValue, namen: dict[int, str]) -> list[Block]:
    if veld.soort is VeldSoort.BIJLAGE:
        return [Paragraph((Run("Bijlage: ", bold=True), Run(v.naam), Run(f"  (SHA-256 {seal_text(v.sha256)})",
                                                                          muted=True)))
                for v in verwijzingen(value)]
    if veld.soort is VeldSoort.OPLEIDER and isinstance(value, int):
        return [Paragraph(namen.get(value, "(opleider onbekend)"))]
    return [Paragraph(weergave(veld, value))]


__all__ = ["PLEKKEN", "VerslagDocument", "seal_text", "verslag_documenten"]
