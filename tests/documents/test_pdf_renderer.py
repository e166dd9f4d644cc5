"""The content model and its PDF renderer, apart from any domain: escaping, wrapping, headings kept with what
follows, the header row repeated, the bundled fonts."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

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
