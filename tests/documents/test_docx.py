"""The Word renderer: every block of the content model in a .docx, read back with python-docx and as raw XML — the
text in order, Word's heading styles, a header row that repeats, PAGE and NUMPAGES in every footer, Dutch as the
language, right-to-left runs, a write that fails leaving nothing behind — and the koppeluitslag in Word too."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import date

import docx
import pytest
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ontkoppel_desktop.documents import (
    Badge,
    Column,
    Document,
    Figure,
    Figures,
    Heading,
    KeyValues,
    Meter,
    Note,
    PageBreak,
    Paragraph,
    Row,
    Run,
    Section,
    Table,
    render_docx,
)
from ontkoppel_desktop.documents.docx import METER
from ontkoppel_desktop.documents.koppeluitslag import LEZERS, uitslag_document
from ontkoppel_desktop.documents.model import all_text, walk
from tests.documents.conftest import Opgelost

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
# What XML 1.0 forbids (and what a paste brings): none of it may reach a part of the package.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

SENTENCE = ("De aios bespreekt met de opleider hoe de samenwerking verloopt, wat goed gaat en wat beter kan; "
            "afspraken worden vastgelegd en over drie maanden geëvalueerd. ")
# About thirty pages: a verslag someone pasted a whole diary into.
LONG = "\n".join(SENTENCE * 12 for _ in range(95))
ARABIC = "مرحبا"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def tricky_document() -> Document:
    """Every block kind, the names our users have, a paste with control characters, a very long paragraph."""
    return Document(
        title="Verslag evaluatiegesprek · ĳverige aios",
        subtitle="Gesprek op 23 november 2026",
        kicker="Huisartsopleiding · ontkoppelingsprocedure",
        header="Verslag evaluatiegesprek",
        header_right="Emre Yılmaz",
        footer_centre="Opgesteld op 23 november 2026",
        footer_detail="Versie 2 · definitief · SHA-256 " + "3f" * 32,
        keywords=("verslag", "evaluatie"),
        blocks=(
            Heading("Gegevens van het traject"),
            KeyValues((
                ("Aios", "Emre Yılmaz"),
                ("Opleider", (Run("İlker Şahin", bold=True), Run(" (nieuw)", muted=True))),
                ("Eerdere opleider", f"Ayşe Ağaoğlu-{ARABIC}"),
                ("Praktijk", "Huisartsenpraktijk De Ĳssel, IJsselstein"),
            )),
            Figures((
                Figure("Gesprekken", "4 van 6", "twee nog te plannen", "accent"),
                Figure("Te laat", "1", tone="negative"),
                Figure("Afgerond", "67%", "", "positive"),
            )),
            Heading("Verloop", 2),
            Paragraph("Café-overleg met één coördinator: naïef, reünie, ĳs en IJmuiden. 👋🏽 Groet: " + ARABIC),
            Paragraph((Run("Afspraak: ", bold=True), Run("eerste regel\ntweede regel"),
                       Run("\ngrijze toelichting", muted=True))),
            Paragraph("Plak\x00tekst\x07 uit\x0b een\x1f e-mail\r\nvolgende regel\rderde regel\ufffe.", small=True),
            Paragraph("Een grijze kleine regel.", small=True, muted=True),
            Heading("Stappen", 3),
            Table(
                (Column("Stap", 3), Column("Termijn", 1.2, "right"), Column("Status", 1.4, "center"),
                 Column("Aandeel", 1.4)),
                (
                    Row(("Driehoeksgesprek", "2 weken", Badge("gedaan", "positive"), Meter(3, 4))),
                    Row(("Verslag naar e-portfolio", "1 week", Badge("te laat", "negative"), Meter(0, 0)), "warning"),
                    Row(((Run("Evaluatie", bold=True), Run(" met de nieuwe opleider")), "3 maanden",
                         Badge("gepland"), Meter(1, 4, "positive"))),
                ),
            ),
            Note((Run("Let op: ", bold=True), Run("het verslag van de aios gaat niet naar de opleider.")), "warning"),
            Table((Column("Klein"), Column("Tabelletje")), (Row(("a", "b")),), small=True),
            PageBreak(),
            Section(
                "Emre Yılmaz",
                (Paragraph("Wat de aios meeneemt naar de nieuwe praktijk."),
                 Table((Column("Competentie"), Column("Afspraak", 2)), (Row(("Communicatie", "Oefenen")),))),
                aside="A-017",
                subtitle=(Run("Gekoppeld aan "), Run("İlker Şahin", bold=True)),
                badges=(Badge("1e keuze", "positive"), Badge("voorrang", "accent")),
            ),
            Section("Zonder badges", (Note("Een notitie in een sectie."),), aside="B-2", subtitle="onder de titel"),
            Heading("Het hele verslag"),
            Paragraph(LONG),
            Paragraph("Slotregel na de lange tekst."),
        ),
    )


# --- reading a .docx back ------------------------------------------------------------------------------------------


def docx_texts(data: bytes) -> list[str]:
    """The text of every paragraph and table cell of the body, in reading order (empty ones left out). A meter's
    "value / maximum" is left out: the PDF draws it as a bar, so the content model's text does not hold it."""
    texts: list[str] = []

    def paragraph(item: DocxParagraph) -> None:
        text = "".join(run.text for run in item.runs if run.style is None or run.style.style_id != METER)
        if text.strip():
            texts.append(text)

    def container(parent: object) -> None:
        for item in parent.iter_inner_content():  # type: ignore[attr-defined]
            if isinstance(item, DocxParagraph):
                paragraph(item)
            else:
                assert isinstance(item, DocxTable)
                for row in item.rows:
                    for cell in row.cells:
                        container(cell)

    container(docx.Document(io.BytesIO(data)))
    return texts


def words(text: str) -> list[str]:
    """Text compared after Unicode NFKC (ĳ is ij, a no-break space a space), as a sequence of words: a title and its
    aside on one line in Word are two lines of the model's text."""
    return unicodedata.normalize("NFKC", text).split()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts(data)[name])


def footers(data: bytes) -> Iterator[tuple[str, etree._Element]]:
    """Every footer that some section of the document refers to, with its type (default, first)."""
    package = parts(data)
    rels = etree.fromstring(package["word/_rels/document.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    body = etree.fromstring(package["word/document.xml"])
    sections = body.findall(".//w:sectPr", NS)
    assert sections
    for section in sections:
        references = section.findall("w:footerReference", NS)
        assert references, "a section without a footer"
        for reference in references:
            rid = reference.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            yield reference.get(_w("type")), etree.fromstring(package["word/" + targets[rid]])


def field_codes(element: etree._Element) -> list[str]:
    codes = [code.text.strip() for code in element.iter(_w("instrText"))]
    codes += [simple.get(_w("instr")).strip() for simple in element.iter(_w("fldSimple"))]
    return codes


# --- the builders in both formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("voor", LEZERS)
def test_the_koppeluitslag_renders_to_word_with_the_same_text(krap: Opgelost, voor: str) -> None:
    document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, voor=voor,  # type: ignore[arg-type]
                                opgesteld=date(2026, 11, 23))
    data = render_docx(document)
    assert words("\n".join(docx_texts(data))) == words(all_text(document))
    assert "Emre Yılmaz" in "\n".join(docx_texts(data)) or voor == "opleider"
    for _, footer in footers(data):
        assert field_codes(footer) == ["PAGE", "NUMPAGES"]
    body = xml(data, "word/document.xml")
    breaks = sum(isinstance(b, PageBreak) for b in walk(document.blocks))
    assert len(body.findall(".//w:pageBreakBefore", NS)) == breaks


