"""The institute profile: name, address line and logo in both formats; a broken logo never stops a document."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from ontkoppel_desktop.documents.docx import render_docx
from ontkoppel_desktop.documents.model import Document, Heading, Paragraph
from ontkoppel_desktop.documents.pdf import render_pdf
from ontkoppel_desktop.documents.profiel import Profiel, lees_logo, onderzoek_logo, pas_toe, profiel_uit
from ontkoppel_desktop.settings import Settings

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
                                   reason="poppler-utils not installed")

ADRES = "Universiteitsweg 100 · 3584 CG Utrecht · 088 755 5555"
NAAM = "Huisartsgeneeskunde UMC Utrecht"


def png(width: int = 300, height: int = 100) -> bytes:
    """A small RGB PNG written by hand (Pillow is no dependency of ours)."""
    rows = b"".join(b"\0" + bytes((30, 60, 120 if y < height // 2 else 220)) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def document() -> Document:
    return Document("Verslag driehoeksgesprek", (Heading("Gegevens"), Paragraph("Een korte tekst.")),
                    subtitle="Noor Visser", kicker="Huisartsopleiding (procedure)", header="Verslag")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "d.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_images(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "d.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[2:]


def docx_media(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [n for n in z.namelist() if n.startswith("word/media/")]


def docx_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


def test_pas_toe_puts_the_name_the_address_and_the_logo_in_the_document() -> None:
    logo = png()
    applied = pas_toe(document(), Profiel(NAAM, ADRES, logo))
    assert (applied.kicker, applied.adres, applied.logo) == (NAAM, ADRES, logo)
    # An empty profile leaves the procedure file's opleiding.
    assert pas_toe(document(), Profiel()) == document()


@needs_poppler
def test_pdf_with_and_without_a_logo(tmp_path: Path) -> None:
    met = render_pdf(pas_toe(document(), Profiel(NAAM, ADRES, png())))
    text = pdf_text(met, tmp_path)
    assert NAAM.upper() in text and ADRES in text
    images = pdf_images(met, tmp_path)
    assert len(images) == 1 and images[0].split()[3:5] == ["300", "100"]
    zonder = render_pdf(pas_toe(document(), Profiel(NAAM, ADRES)))
    assert pdf_images(zonder, tmp_path) == [] and ADRES in pdf_text(zonder, tmp_path)


def test_docx_with_and_without_a_logo() -> None:
    met = render_docx(pas_toe(document(), Profiel(NAAM, ADRES, png())))
    assert docx_media(met) == ["word/media/image1.png"]
    xml = docx_xml(met)
    assert NAAM in xml and ADRES in xml
    assert 'cy="540000"' in xml  # 1.5 cm high (EMU)
    zonder = render_docx(pas_toe(document(), Profiel(NAAM, ADRES)))
    assert docx_media(zonder) == [] and ADRES in docx_xml(zonder)


def test_a_wide_logo_is_limited_in_width() -> None:
    data = render_docx(pas_toe(document(), Profiel(logo=png(1200, 100))))
    assert 'cx="2160000"' in docx_xml(data)  # 6 cm wide, less than 1.5 cm high


@pytest.mark.parametrize(("inhoud", "reden"), [
    (bytes(range(256)) * 4, "is geen afbeelding (PNG of JPEG)"),
    (b"Dit is een tekstbestand.", "is geen afbeelding (PNG of JPEG)"),
    (png()[:60], "is beschadigd"),  # cut off in its second chunk
    (png().replace(b"IDATx", b"IDATy"), "is een beschadigd PNG-bestand"),  # a sound header, the picture not
    (b"", "is een leeg bestand"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "is geen PNG of JPEG maar GIF; sla het op als PNG"),
])
def test_a_broken_logo_is_left_out_with_a_dutch_warning(tmp_path: Path, inhoud: bytes, reden: str) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(inhoud)
    settings = Settings(instituut_naam=NAAM, instituut_adres=ADRES, instituut_logo=str(path))
    profiel, waarschuwing = profiel_uit(settings)
    assert profiel.logo is None
    assert waarschuwing == f"Het logo {path} {reden}. De documenten worden zonder logo gemaakt."
    applied = pas_toe(document(), profiel)
    assert docx_media(render_docx(applied)) == []
    assert render_pdf(applied).startswith(b"%PDF")


def test_a_missing_or_huge_logo_file(tmp_path: Path) -> None:
    missing = tmp_path / "weg.png"
    assert lees_logo(missing) == (None, f"Het logo {missing} is niet gevonden. De documenten worden zonder logo "
                                        "gemaakt.")
    huge = tmp_path / "groot.png"
    huge.write_bytes(png() + b"\0" * (3 * 1024 * 1024))
    logo, waarschuwing = lees_logo(huge)
    assert logo is None and waarschuwing is not None and "is te groot (3.0 MB; hoogstens 2 MB)" in waarschuwing
    assert "pixels" in str(onderzoek_logo(png(5000, 1)))
    assert profiel_uit(Settings()) == (Profiel(), None)


def test_bytes_that_never_passed_the_check_do_not_stop_a_document(tmp_path: Path) -> None:
    # A builder could put any bytes in the model: the renderers leave an unfit logo out rather than fail.
    broken = Document("Titel", (), logo=b"\x89PNG\r\n\x1a\nniets")
    assert docx_media(render_docx(broken)) == []
    assert render_pdf(broken).startswith(b"%PDF")


def test_a_good_logo_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(png())
    assert lees_logo(path) == (png(), None)
