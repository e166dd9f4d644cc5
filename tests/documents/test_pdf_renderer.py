"""The content model and its PDF renderer, apart from any domain: escaping, wrapping, headings kept with what
follows, the header row repeated, the bundled fonts, the footer with its detail line, and bad input (a text of
thirty pages, words longer than a line, nothing at all)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree

import pytest
from reportlab.lib.units import mm

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
    write_pdf,
)
from ontkoppel_desktop.documents.fonts import BOLD, REGULAR, font_bytes
from tests.documents.conftest import pdf_pages

FILLER = "Dit is een regel opvultekst om de pagina te vullen, lang genoeg om over twee regels door te lopen."


def _render(tmp_path: Path, *blocks: Block) -> list[str]:
    path = tmp_path / "doc.pdf"
    write_pdf(path, Document(title="Proefdocument", header="Proef", header_right="rechts", blocks=blocks))
    return pdf_pages(path)


def test_markup_characters_are_text_and_a_newline_breaks_the_line(tmp_path: Path) -> None:
    pages = _render(
        tmp_path,
        Paragraph("Score <1> & <b>geen opmaak</b>"),
        Paragraph((Run("Vet", bold=True), Run(" en grijs\nnieuwe regel", muted=True))),
    )
    assert "Score <1> & <b>geen opmaak</b>" in pages[0]
    assert "Vet en grijs nieuwe regel" in pages[0]


def test_every_block_kind_renders(tmp_path: Path) -> None:
    pages = _render(
        tmp_path,
        Heading("Kop één"),
        KeyValues((("Sleutel", "Waarde"), ("Met opmaak", (Run("vet", bold=True),)))),
        Figures((Figure("Gekoppeld", "3 van 4", "75%", "positive"), Figure("Open", "1", tone="negative"))),
        Note("Een opmerking", "warning"),
        Table((Column("Naam"), Column("Badge"), Column("Aandeel", 2)),
              (Row(("Çelik", Badge("1e keuze", "positive"), Meter(1, 4))), Row(("Yılmaz", "", Meter(0, 0)), "accent"))),
        Table((Column("Leeg"),), (), empty="Niets te melden."),
        PageBreak(),
        Section("Sectie", (Paragraph("Inhoud"),), aside="X1", subtitle="onder", badges=(Badge("a"), Badge("b"))),
    )
    assert len(pages) == 2
    for text in ("Kop één", "Sleutel Waarde", "3 van 4", "Een opmerking", "Çelik", "Yılmaz", "1e keuze",
                 "Niets te melden."):
        assert text in pages[0], text
    assert "Sectie X1" in pages[1] and "Inhoud" in pages[1]


def test_a_row_must_fill_every_column() -> None:
    with pytest.raises(ValueError):
        Table((Column("a"), Column("b")), (Row(("alleen a",)),))


def test_a_long_table_repeats_its_header_row_and_wraps_long_cells(tmp_path: Path) -> None:
    rows = tuple(Row((f"rij {i}", FILLER * 2)) for i in range(80))
    pages = _render(tmp_path, Table((Column("Eerste kolom"), Column("Tweede kolom", 4)), rows))
    assert len(pages) > 2
    for page in pages:
        assert "Eerste kolom Tweede kolom" in page
    assert all(f"rij {i} " in " ".join(pages) for i in range(80))


@pytest.mark.parametrize("filler", range(30, 46))
def test_a_heading_never_ends_a_page(tmp_path: Path, filler: int) -> None:
    """Whatever the text above it, a heading lands on the page of its first row."""
    blocks: list[Block] = [Paragraph(f"{i} {FILLER}") for i in range(filler)]
    blocks += [Heading("Kop boven de tabel", 2), Table((Column("Kolom"),), (Row(("eerste rij",)),))]
    pages = _render(tmp_path, *blocks)
    heading_page = next(i for i, page in enumerate(pages) if "Kop boven de tabel" in page)
    assert "eerste rij" in pages[heading_page]


@pytest.mark.parametrize("filler", range(30, 46, 2))
def test_a_section_is_kept_together(tmp_path: Path, filler: int) -> None:
    blocks: list[Block] = [Paragraph(f"{i} {FILLER}") for i in range(filler)]
    blocks.append(Section("Blok", tuple(Paragraph(f"regel {i} van het blok") for i in range(8)), aside="B1"))
    pages = _render(tmp_path, *blocks)
    page = next(i for i, text in enumerate(pages) if "Blok B1" in text)
    assert all(f"regel {i} van het blok" in pages[page] for i in range(8))


def test_the_fonts_are_bundled_with_their_licence() -> None:
    for name in (REGULAR, BOLD):
        assert font_bytes(name)[:4] == b"\x00\x01\x00\x00"  # a TrueType file
    licence = resources.files("ontkoppel_desktop.resources").joinpath("fonts/DejaVu-LICENSE.txt").read_text("utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence


# ---- the footer ------------------------------------------------------------------------------------------

SEAL = "3f1a9c0e7b2d4f6a8c9e1b3d5f7a9c0e2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f0a"
DETAIL = f"Versie 3, definitief op 23 november 2026 · zegel (SHA-256) {SEAL}"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float

    def overlaps(self, other: Word) -> bool:
        slack = 0.3  # pdftotext's boxes are as tall as the font; lines may touch
        return (self.x0 + slack < other.x1 and other.x0 + slack < self.x1
                and self.y0 + slack < other.y1 and other.y0 + slack < self.y1)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


def _layout(path: Path) -> list[Page]:
    """Every word of every page with its box, from `pdftotext -bbox`."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read back")
    html = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True, encoding="utf-8").stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in ElementTree.fromstring(html).iterfind(".//h:page", ns):
        words = [Word(w.text or "", *(float(w.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax")))
                 for w in page.iterfind("h:word", ns)]
        pages.append(Page(float(page.attrib["width"]), float(page.attrib["height"]), words))
    return pages


def _assert_no_overlap_and_inside(pages: list[Page]) -> None:
    """No two words on a page overlap, and every word is inside the page's margins (18 mm left and right, a
    little less than the 20 mm of the text, and 5 mm from the bottom edge)."""
    for number, page in enumerate(pages, start=1):
        words = sorted(page.words, key=lambda w: w.y0)
        for i, word in enumerate(words):
            assert 18 * mm <= word.x0 and word.x1 <= page.width - 18 * mm, (number, word)
            assert word.y1 <= page.height - 5 * mm, (number, word)
            for other in words[i + 1:]:
                if other.y0 >= word.y1:
                    break
                assert not word.overlaps(other), (number, word, other)


def _long_document(footer_detail: str, **fields: str) -> Document:
    running = {"header": "Verslag evaluatiegesprek", "header_right": "Aylin Öztürk",
               "footer_centre": "Afgedrukt op 23 november 2026", **fields}
    return Document(title="Verslag evaluatiegesprek", footer_detail=footer_detail,
                    blocks=tuple(Paragraph(f"{i} {FILLER}") for i in range(120)), **running)


def test_every_page_has_the_page_number_and_the_detail_line(tmp_path: Path) -> None:
    path = tmp_path / "verslag.pdf"
    write_pdf(path, _long_document(DETAIL))
    pages = pdf_pages(path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Vertrouwelijk Afgedrukt op 23 november 2026 pagina {number} van {len(pages)}" in page
        assert DETAIL in page, number  # on one line: the seal is not broken
    _assert_no_overlap_and_inside(_layout(path))


def test_a_long_detail_line_wraps_and_the_text_makes_room(tmp_path: Path) -> None:
    detail = f"{DETAIL} · vorige versie {SEAL} ·" + " het zegel controleren" * 14
    path = tmp_path / "verslag.pdf"
    write_pdf(path, _long_document(detail))
    layout = _layout(path)
    _assert_no_overlap_and_inside(layout)
    pages = pdf_pages(path)
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
        assert detail in page, number
    # Three lines of detail under the footer line: the text of a full page ends above them.
    last_body_line = max(w.y1 for w in layout[0].words if w.text == "opvultekst")
    footer_line = min(w.y0 for w in layout[0].words if w.text == "Vertrouwelijk")
    assert last_body_line < footer_line - 3 * mm


def test_what_does_not_fit_beside_the_page_number_goes_under_it(tmp_path: Path) -> None:
    path = tmp_path / "verslag.pdf"
    write_pdf(path, _long_document(
        DETAIL, footer="Vertrouwelijk: alleen voor de aios, de opleider en de jaarassistent van het instituut",
        footer_centre="Afgedrukt op 23 november 2026 door de jaarassistent huisartsopleiding, locatie Utrecht",
        header="Verslag evaluatiegesprek " * 8, header_right="Aylin Öztürk en Emre Yılmaz, " * 4,
    ))
    _assert_no_overlap_and_inside(_layout(path))
    pages = pdf_pages(path)
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
        assert "alleen voor de aios, de opleider en de jaarassistent van het instituut" in page
        assert "door de jaarassistent huisartsopleiding, locatie Utrecht" in page and DETAIL in page
    assert "\u2026" in pages[1]  # the running header shortened; the title page says it whole


# ---- bad input -------------------------------------------------------------------------------------------

# Numbered words, so that the text read back can be checked word for word and in order: 100 000 characters.
LONG_WORDS = [f"w{i:05d}" for i in range(100_000 // 7 + 1)]


def _long_text(line_breaks: bool) -> str:
    if not line_breaks:
        return " ".join(LONG_WORDS)
    return "\n".join(" ".join(LONG_WORDS[i:i + 9]) for i in range(0, len(LONG_WORDS), 9))


def _holding(kind: str, text: str) -> Block:
    if kind == "alinea":
        return Paragraph(text)
    if kind == "gegevens":
        return KeyValues((("Toelichting", text),))
    if kind == "opmerking":
        return Note(text)
    return Table((Column("Vraag"), Column("Antwoord", 4)), (Row(("Toelichting", text)),))


@pytest.mark.parametrize("line_breaks", [False, True], ids=["een-regel", "regels"])
@pytest.mark.parametrize("kind", ["alinea", "gegevens", "opmerking", "tabel"])
def test_a_text_of_thirty_pages_flows_over_the_pages(tmp_path: Path, kind: str, line_breaks: bool) -> None:
    """One field of 100 000 characters, in a paragraph or in a table row (which reportlab cannot split unless
    told): every word printed once, in order, the first page used, every page numbered."""
    text = _long_text(line_breaks)
    assert len(text) >= 100_000
    path = tmp_path / "lang.pdf"
    write_pdf(path, Document(title="Lang verslag", blocks=(Heading("Antwoord"), _holding(kind, text),
                                                           Paragraph("Einde van het verslag."))))
    pages = pdf_pages(path)
    assert len(pages) >= 15
    assert re.findall(r"w\d{5}", " ".join(pages)) == LONG_WORDS
    assert "w00000" in pages[0]  # not moved whole to a page of its own
    assert "Einde van het verslag." in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page


def test_a_word_longer_than_its_column_is_broken_inside_the_page(tmp_path: Path) -> None:
    url = "https://e-portfolio.example.org/aios/" + "dossier-opleider/" * 20 + "verslag.pdf"
    word = "Opleidingsrelatieproblematiek" * 12
    path = tmp_path / "lang.pdf"
    write_pdf(path, Document(title=word, blocks=(
        Heading(word),
        Paragraph(f"Zie {url} voor het verslag."),
        KeyValues(((word, url),)),
        Note(url),
        Table((Column("Smal"), Column("Breed", 5)), (Row((word, url)),)),
        Section(word, (Paragraph(url),), aside="X1", subtitle=word),
    )))
    _assert_no_overlap_and_inside(_layout(path))
    read = "".join(" ".join(pdf_pages(path)).split())
    assert read.count(url) == 5 and read.count(word) >= 5


def test_an_empty_document_renders(tmp_path: Path) -> None:
    path = tmp_path / "leeg.pdf"
    write_pdf(path, Document(title="", blocks=()))
    assert pdf_pages(path) == ["Vertrouwelijk pagina 1 van 1"]


def test_empty_blocks_render_as_nothing(tmp_path: Path) -> None:
    pages = _render(tmp_path, Paragraph(""), KeyValues(()), Figures(()), Table((), (Row(()),)),
                    Table((Column("Leeg"),), ()), Note(""), Section(""), Paragraph("\n\n"))
    assert pages == ["Proefdocument Geen gegevens. Vertrouwelijk pagina 1 van 1"]
