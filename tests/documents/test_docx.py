"""The Word renderer: every block of the content model in a .docx, read back with python-docx and as raw XML — the
text in order, Word's heading styles, a header row that repeats, PAGE and NUMPAGES in every footer, Dutch as the
language, right-to-left runs, a write that fails leaving nothing behind — and the koppeluitslag in Word too."""

from __future__ import annotations

import errno
import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ontkoppel_desktop import atomic
from ontkoppel_desktop.documents import (
    Badge,
    Block,
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
    render_pdf,
    write_docx,
)
from ontkoppel_desktop.documents.docx import FONT, FONT_COMPLEX, METER, DocumentNietOpgeslagen, rtl_pieces
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


def as_rendered(document: Document) -> Document:
    """The document as both renderers print it: an empty table says its `empty` text instead of its column titles
    (model.all_text lists the titles; reported)."""

    def fix(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        fixed: list[Block] = []
        for block in blocks:
            if isinstance(block, Table) and not block.rows:
                fixed.append(Paragraph(block.empty))
            elif isinstance(block, Section):
                fixed.append(Section(block.title, fix(block.blocks), block.aside, block.subtitle, block.badges))
            else:
                fixed.append(block)
        return tuple(fixed)

    return Document(document.title, fix(document.blocks), document.subtitle, document.kicker)


@pytest.fixture(scope="module")
def tricky() -> tuple[Document, bytes]:
    document = tricky_document()
    return document, render_docx(document)


# --- the tricky document -------------------------------------------------------------------------------------------


def test_the_text_of_every_paragraph_and_cell_in_order_is_the_content(tricky: tuple[Document, bytes]) -> None:
    document, data = tricky
    assert words("\n".join(docx_texts(data))) == words(all_text(document))


def test_names_and_line_breaks_survive_as_typed(tricky: tuple[Document, bytes]) -> None:
    _, data = tricky
    texts = docx_texts(data)
    joined = "\n".join(texts)
    for name in ("Emre Yılmaz", "İlker Şahin", f"Ayşe Ağaoğlu-{ARABIC}", "De Ĳssel", "👋🏽", "naïef, reünie"):
        assert name in joined, name
    # "\n" is a line break inside one paragraph; a Windows line end and a lone CR are one break too.
    assert "Afspraak: eerste regel\ntweede regel\ngrijze toelichting" in texts
    assert "Plaktekst uit een e-mail\nvolgende regel\nderde regel." in texts
    assert LONG in texts


def test_the_package_is_well_formed_and_holds_no_character_xml_forbids(tricky: tuple[Document, bytes]) -> None:
    _, data = tricky
    for name, content in parts(data).items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(content)  # raises on anything malformed
            assert not FORBIDDEN.search(content.decode("utf-8")), name
    assert "docProps/thumbnail.jpeg" not in parts(data)  # python-docx's template carries another document's


def test_headings_use_words_heading_styles(tricky: tuple[Document, bytes]) -> None:
    document, data = tricky
    read = docx.Document(io.BytesIO(data))
    found = [(p.style.name, p.text) for p in read.paragraphs
             if p.style is not None and p.style.name.startswith("Heading")]
    expected = [(f"Heading {b.level}", b.text) for b in walk(document.blocks) if isinstance(b, Heading)]
    assert found == expected
    styles = xml(data, "word/styles.xml")
    for level in (1, 2, 3):
        style = styles.find(f"w:style[@w:styleId='Heading{level}']", NS)
        # Built in ("heading 1", "Kop 1" in a Dutch Word) with its outline level: the navigation pane lists it.
        assert style.find("w:name", NS).get(_w("val")) == f"heading {level}"
        assert style.find("w:pPr/w:outlineLvl", NS).get(_w("val")) == str(level - 1)


def test_every_table_header_row_repeats_and_columns_keep_their_widths(tricky: tuple[Document, bytes]) -> None:
    document, data = tricky
    body = xml(data, "word/document.xml")
    headed = [t for t in body.iter(_w("tbl")) if t.find("w:tr/w:trPr/w:tblHeader", NS) is not None]
    tables = [b for b in walk(document.blocks) if isinstance(b, Table) and b.rows]
    assert len(headed) == len(tables) == 3
    for element, table in zip(headed, tables, strict=True):
        rows = element.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])
        widths = [int(col.get(_w("w"))) for col in element.findall("w:tblGrid/w:gridCol", NS)]
        total = sum(c.width for c in table.columns)
        for width, column in zip(widths, table.columns, strict=True):
            assert width / sum(widths) == pytest.approx(column.width / total, abs=0.001)
        assert element.find("w:tblPr/w:tblLayout", NS).get(_w("type")) == "fixed"


def test_every_footer_computes_pagina_x_van_y_and_says_vertrouwelijk(tricky: tuple[Document, bytes]) -> None:
    document, data = tricky
    kinds = []
    for kind, footer in footers(data):
        kinds.append(kind)
        text = "".join(t.text or "" for t in footer.iter(_w("t")))
        assert field_codes(footer) == ["PAGE", "NUMPAGES"]
        assert "Vertrouwelijk" in text and "pagina" in text and " van " in text
        assert document.footer_centre in text and document.footer_detail in text
    # The first page has its own header (the title block instead of the running header), so its own footer too.
    assert sorted(kinds) == ["default", "first"]
    read = docx.Document(io.BytesIO(data))
    section = read.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "Verslag evaluatiegesprek\tEmre Yılmaz"
    assert not "".join(p.text for p in section.first_page_header.paragraphs)
    assert section.page_width is not None and section.page_height is not None
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)


def test_a_document_without_a_header_still_numbers_its_pages() -> None:
    data = render_docx(Document("Kaal", (Paragraph("Alleen tekst."),), footer=""))
    found = list(footers(data))
    assert found and all(field_codes(footer) == ["PAGE", "NUMPAGES"] for _, footer in found)


def test_dutch_is_the_language_and_the_fonts_are_words_own(tricky: tuple[Document, bytes]) -> None:
    document, data = tricky
    styles = xml(data, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:lang", NS).get(_w("val")) == "nl-NL"
    fonts = defaults.find("w:rFonts", NS)
    assert (fonts.get(_w("ascii")), fonts.get(_w("hAnsi")), fonts.get(_w("cs"))) == (FONT, FONT, FONT_COMPLEX)
    # No style names a theme font for Latin or complex script (it would win over the document's font).
    for element in styles.iter(_w("rFonts")):
        assert element.get(_w("asciiTheme")) is None and element.get(_w("cstheme")) is None
    settings = xml(data, "word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(_w("val")) == "nl-NL"
    assert settings.find("w:proofState", NS) is None  # would tell Word the spelling had been checked
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.title == f"{document.title} \u2013 {document.subtitle}"
    assert properties.author == "Ontkoppel Desktop"
    assert properties.language == "nl-NL"
    assert properties.keywords == "verslag, evaluatie"
    assert properties.comments == ""


def test_right_to_left_runs_are_marked_and_nothing_else(tricky: tuple[Document, bytes]) -> None:
    _, data = tricky
    body = xml(data, "word/document.xml")
    for run in body.iter(_w("r")):
        text = "".join(t.text or "" for t in run.iter(_w("t")))
        rtl = run.find("w:rPr/w:rtl", NS) is not None
        assert rtl == (ARABIC in text), text[:40]
    assert list(rtl_pieces(f"Naam: {ARABIC} بك (Utrecht)")) == [
        ("Naam: ", False), (f"{ARABIC} بك", True), (" (Utrecht)", False),
    ]
    assert list(rtl_pieces("Yılmaz")) == [("Yılmaz", False)]
    assert list(rtl_pieces("")) == []


def test_runs_keep_bold_and_muted_and_badges_their_tone(tricky: tuple[Document, bytes]) -> None:
    _, data = tricky
    read = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in read.paragraphs if p.text.startswith("Afspraak"))
    runs = [(r.text, r.bold, str(r.font.color.rgb) if r.font.color.type else None) for r in paragraph.runs]
    assert runs[0] == ("Afspraak: ", True, None)
    assert ("grijze toelichting", None, "5B6875") in runs
    body = xml(data, "word/document.xml")
    badge = next(r for r in body.iter(_w("r")) if "te laat" in "".join(t.text or "" for t in r.iter(_w("t"))))
    assert badge.find("w:rPr/w:b", NS) is not None
    assert badge.find("w:rPr/w:color", NS).get(_w("val")) == "A12222"  # the negative tone's text colour
    meters = ["".join(t.text for t in r.iter(_w("t"))) for r in body.iter(_w("r"))
              if r.find(f"w:rPr/w:rStyle[@w:val='{METER}']", NS) is not None]
    assert meters == ["3 / 4", "0 / 0", "1 / 4"]


def test_a_page_break_starts_the_next_block_on_a_new_page(tricky: tuple[Document, bytes]) -> None:
    _, data = tricky
    body = xml(data, "word/document.xml")
    broken = [p for p in body.iter(_w("p")) if p.find("w:pPr/w:pageBreakBefore", NS) is not None]
    assert len(broken) == 1
    # The section's rule: the section that follows the break starts the page.
    assert broken[0].find("w:pPr/w:pStyle", NS).get(_w("val")) == "Scheidingslijn"
    assert not list(body.iter(_w("br"))) or all(br.get(_w("type")) is None for br in body.iter(_w("br")))


def test_a_short_section_keeps_together_and_a_note_is_a_shaded_cell(tricky: tuple[Document, bytes]) -> None:
    _, data = tricky
    body = xml(data, "word/document.xml")
    paragraphs = list(body.iter(_w("p")))
    start = next(i for i, p in enumerate(paragraphs) if "Emre Yılmaz" in "".join(t.text or "" for t in p.iter(_w("t")))
                 and p.find("w:pPr/w:pStyle[@w:val='Sectietitel']", NS) is not None)
    end = next(i for i, p in enumerate(paragraphs) if "Oefenen" in "".join(t.text or "" for t in p.iter(_w("t"))))
    for paragraph in paragraphs[start:end + 1]:
        style = paragraph.find("w:pPr/w:pStyle", NS)
        keeps = paragraph.find("w:pPr/w:keepNext", NS) is not None or (
            style is not None and style.get(_w("val")) in ("Sectietitel", "Sectie-ondertitel"))
        assert keeps, "".join(t.text or "" for t in paragraph.iter(_w("t")))
    note = next(t for t in body.iter(_w("tbl")) if "Let op" in "".join(x.text or "" for x in t.iter(_w("t"))))
    cell = note.find("w:tr/w:tc", NS)
    assert cell.find("w:tcPr/w:shd", NS).get(_w("fill")) == "FCF1D9"
    assert cell.find("w:tcPr/w:tcBorders/w:left", NS).get(_w("color")) == "E9C77F"


def test_an_empty_table_says_so() -> None:
    data = render_docx(Document("Leeg", (Table((Column("Naam"), Column("Datum")), (), empty="Niets te melden."),)))
    assert docx_texts(data)[-1] == "Niets te melden."
    assert not list(xml(data, "word/document.xml").iter(_w("tbl")))


# --- writing -------------------------------------------------------------------------------------------------------


def test_write_docx_writes_a_document_word_opens(tmp_path: Path, tricky: tuple[Document, bytes]) -> None:
    document, _ = tricky
    path = tmp_path / "verslag.docx"
    write_docx(path, document)
    assert words("\n".join(docx_texts(path.read_bytes()))) == words(all_text(document))
    assert [p.name for p in tmp_path.iterdir()] == ["verslag.docx"]


def test_a_disk_that_fills_up_halfway_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "verslag.docx"
    path.write_bytes(b"de vorige versie")
    real_open = open

    class HalfFull:
        def __init__(self, handle: io.BufferedWriter) -> None:
            self.handle = handle

        def __enter__(self) -> HalfFull:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    def fake_open(file: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        handle = real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]
        return HalfFull(handle) if "w" in mode else handle

    monkeypatch.setattr(atomic, "open", fake_open, raising=False)
    with pytest.raises(DocumentNietOpgeslagen) as raised:
        write_docx(path, Document("Vol", (Paragraph("tekst"),)))
    assert str(raised.value).startswith("verslag.docx is niet opgeslagen: de schijf is vol.")
    assert [p.name for p in tmp_path.iterdir()] == ["verslag.docx"]
    assert path.read_bytes() == b"de vorige versie"


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "in de map {folder} mag niet worden geschreven"),
        (OSError(errno.EROFS, "Read-only file system"), "in de map {folder} mag niet worden geschreven"),
        (OSError(errno.ENAMETOOLONG, "File name too long"), "de naam of het pad is te lang"),
        (OSError(errno.EIO, "Input/output error"), "(Input/output error). Probeer het opnieuw"),
    ],
)
def test_a_failed_write_is_said_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, says: str
) -> None:
    def fail(path: Path, data: bytes) -> None:
        raise error

    monkeypatch.setattr("ontkoppel_desktop.documents.docx.write_atomic", fail)
    with pytest.raises(DocumentNietOpgeslagen, match=re.escape(says.format(folder=tmp_path))):
        write_docx(tmp_path / "verslag.docx", Document("X", ()))


def test_a_folder_that_is_gone_is_said_in_dutch(tmp_path: Path) -> None:
    folder = tmp_path / "weg"
    with pytest.raises(DocumentNietOpgeslagen, match=re.escape(f"de map {folder} bestaat niet (meer)")):
        write_docx(folder / "verslag.docx", Document("X", ()))
    assert list(tmp_path.iterdir()) == []


# --- the builders in both formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("voor", LEZERS)
def test_the_koppeluitslag_renders_to_word_with_the_same_text(krap: Opgelost, voor: str) -> None:
    document = uitslag_document(krap.ronde, krap.uitslag, krap.uitleg, voor=voor,  # type: ignore[arg-type]
                                opgesteld=date(2026, 11, 23))
    data = render_docx(document)
    assert words("\n".join(docx_texts(data))) == words(all_text(as_rendered(document)))
    assert "Emre Yılmaz" in "\n".join(docx_texts(data)) or voor == "opleider"
    for _, footer in footers(data):
        assert field_codes(footer) == ["PAGE", "NUMPAGES"]
    body = xml(data, "word/document.xml")
    breaks = sum(isinstance(b, PageBreak) for b in walk(document.blocks))
    assert len(body.findall(".//w:pageBreakBefore", NS)) == breaks


def test_a_three_page_verslag_renders_in_both_formats_quickly() -> None:
    """The issue's target is < 150 ms for Word and PDF together; the test allows slow CI machines three times that."""
    document = Document(
        title="Verslag evaluatiegesprek",
        subtitle="Gesprek op 23 november 2026",
        header="Verslag",
        header_right="Emre Yılmaz",
        blocks=(
            KeyValues(tuple((f"Veld {i}", f"Waarde {i}") for i in range(8))),
            *(block for i in range(6) for block in (Heading(f"Vraag {i}", 2), Paragraph(SENTENCE * 7))),
            Table((Column("Stap", 3), Column("Datum")), tuple(Row((f"Stap {i}", "1 maart 2027")) for i in range(12))),
        ),
    )
    render_docx(document), render_pdf(document)  # warm: the template and the fonts are loaded once per process
    best = min(_timed(lambda: (render_docx(document), render_pdf(document))) for _ in range(3))
    assert best < 0.45, f"{best * 1000:.0f} ms"


def _timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start
