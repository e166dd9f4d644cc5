"""Every font embedded and every name printed: `pdffonts` on the PDF of every builder and of a document with every
block kind; the names of our users (accents, ĳ, Turkish, Arabic joined and right to left) read back with
pdftotext; `fonts.visual`, which puts right-to-left text in the order reportlab must draw it."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from arabic_reshaper import ArabicReshaper

from ontkoppel_desktop.core.rollen import Rol
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
    write_pdf,
)
from ontkoppel_desktop.documents.fonts import covered, visual
from ontkoppel_desktop.documents.koppeluitslag import LEZERS, write_uitslag_pdf
from ontkoppel_desktop.documents.traject import overzicht_document, stappenplan_document
from ontkoppel_desktop.documents.verslag import verslag_documenten
from ontkoppel_desktop.store.store import Store
from tests.documents.conftest import Opgelost
from tests.verslagen.conftest import TODAY, schrijf_driehoek
from tests.verslagen.conftest import traject_id as traject_id  # noqa: F401 (the fixture)

LATIN = ("Emre Yılmaz", "Aylin Öztürk", "Şükrü Çelik", "Ĳsbrand van der Ĳssel", "Zoë Brontë-Müller", "Łukasz Żółć",
         "İlkay Güneş", "Ağça Doğan")
ARABIC = ("محمد العلي", "فاطمة الزهراء", "عبد الله بن عمر", "سلام الأحمد", "نور الهدى")
SEAL = "3f1a9c0e7b2d4f6a8c9e1b3d5f7a9c0e2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f0a"


def _fonts(path: Path) -> list[dict[str, str]]:
    """The rows of `pdffonts` for a PDF, by column."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed: the PDF's fonts cannot be listed")
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout.splitlines()
    header, rule, *rows = lines
    # The columns are as wide as the dashes under their names (a font's name has no spaces; its type may).
    spans = [match.span() for match in re.finditer(r"-+", rule)]
    names = [header[start:end].strip() for start, end in spans]
    return [{name: row[start:end].strip() for name, (start, end) in zip(names, spans, strict=True)} for row in rows]


def _assert_every_font_embedded(path: Path) -> None:
    fonts = _fonts(path)
    assert fonts, f"{path.name}: no fonts at all"
    for font in fonts:
        assert font["emb"] == "yes", f"{path.name}: {font['name']} ({font['type']}) is not embedded"
        assert font["sub"] == "yes", f"{path.name}: {font['name']} is embedded whole, not as a subset"
        assert "DejaVuSans" in font["name"], f"{path.name}: {font['name']} is not one of the bundled fonts"


def _every_block(names: tuple[str, ...]) -> Document:
    return Document(
        title="Alle blokken", kicker="Proef", subtitle=names[0], header="Alle blokken", header_right=names[-1],
        footer_centre="Afgedrukt op 23 november 2026", footer_detail=f"Versie 1 · zegel SHA-256 {SEAL}",
        blocks=(
            Heading("Kop één"),
            KeyValues(tuple((f"Naam {number}", name) for number, name in enumerate(names))),
            Paragraph((Run("Vet", bold=True), Run(" en grijs", muted=True))),
            Paragraph("Klein en grijs", small=True, muted=True),
            Figures((Figure("Gekoppeld", "3 van 4", "75%", "positive"), Figure("Open", "1", tone="negative"))),
            Note("Een opmerking", "warning"),
            Table((Column("Naam"), Column("Badge"), Column("Aandeel", 2)),
                  tuple(Row((name, Badge(name), Meter(1, 4))) for name in names), small=True),
            Table((Column("Leeg"),), ()),
            PageBreak(),
            Section("Sectie", (Paragraph("Inhoud"),), aside="X1", subtitle="onder", badges=(Badge("a"),)),
        ),
    )


def test_every_koppeluitslag_embeds_every_font(krap: Opgelost, tmp_path: Path) -> None:
    for voor in LEZERS:
        path = tmp_path / f"{voor}.pdf"
        write_uitslag_pdf(path, krap.ronde, krap.uitslag, krap.uitleg, voor=voor, opgesteld=date(2026, 11, 23))
        _assert_every_font_embedded(path)


def test_every_verslag_and_traject_document_embeds_every_font(store: Store, traject_id: int,
                                                              tmp_path: Path) -> None:
    svc = store.verslagen
    vid = schrijf_driehoek(store, traject_id, date(2026, 9, 8), afronden=True,
                           aanleiding=f"Gesprek met {LATIN[0]} en {ARABIC[0]}")
    verslag = svc.get(vid)
    documents = [d.document for d in verslag_documenten(
        verslag, svc.formulier(verslag), svc.context(traject_id), opleiding="Huisartsopleiding Utrecht", today=TODAY
    )]
    traject = store.trajecten.get(traject_id)
    overview = store.trajecten.overview(traject, TODAY)
    documents.append(overzicht_document(overview, aios=ARABIC[1], opleider=LATIN[1],
                                        verslagen=svc.van_traject(traject_id), today=TODAY))
    definition = store.trajecten.definition(traject)
    documents += [stappenplan_document(definition, Rol.JAARASSISTENT, today=TODAY),
                  stappenplan_document(definition, Rol.AIOS, overview=overview, aios=ARABIC[1], today=TODAY)]
    assert documents[0].footer_detail  # the seal's line
    for number, document in enumerate(documents):
        path = tmp_path / f"{number}.pdf"
        write_pdf(path, document)
        _assert_every_font_embedded(path)


@pytest.mark.parametrize("names", [LATIN, ARABIC], ids=["latin", "arabic"])
def test_a_document_with_every_block_kind_embeds_every_font(tmp_path: Path, names: tuple[str, ...]) -> None:
    path = tmp_path / "alles.pdf"
    write_pdf(path, _every_block(names))
    _assert_every_font_embedded(path)


def test_an_empty_document_embeds_every_font(tmp_path: Path) -> None:
    path = tmp_path / "leeg.pdf"
    write_pdf(path, Document(title="", blocks=()))
    _assert_every_font_embedded(path)


# ---- names read back ---------------------------------------------------------------------------------------


def _pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read back")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True, encoding="utf-8"
    ).stdout


# pdftotext puts right-to-left text back in reading order itself (its own bidi reordering), marking each run with
# embedding controls, and sometimes loses the space where a run ends.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _key(text: str) -> str:
    """Text as compared: the bidi controls dropped, NFKC (joined Arabic letter forms to their letters, ĳ to ij,
    a no-break space to a space), without whitespace."""
    return "".join(unicodedata.normalize("NFKC", _BIDI_CONTROLS.sub("", text)).split())


def test_every_name_is_printed_and_arabic_joined_in_reading_order(tmp_path: Path) -> None:
    names = LATIN + ARABIC
    path = tmp_path / "namen.pdf"
    sentence = f"De aios {ARABIC[0]} sprak met opleider {LATIN[0]} en {ARABIC[1]} over de begeleiding."
    write_pdf(path, Document(title="Namen", header="Namen", header_right=ARABIC[2], blocks=(
        KeyValues(tuple((f"Naam {number}", name) for number, name in enumerate(names))),
        Paragraph(sentence),
        Table((Column("Naam"), Column("Rol")), tuple(Row((name, Badge("aios"))) for name in names)),
        PageBreak(),
        Heading(ARABIC[3]),
    )))
    text = _pdftotext(path)
    read = _key(text)
    for name in names:
        assert read.count(_key(name)) >= 2, name  # in the key-values and in the table
    assert _key(sentence) in read
    assert _key(ARABIC[3]) in read and _key(ARABIC[2]) in read  # a heading, the running header
    # Joined: pdftotext reads the presentation forms the reshaper chose (initial, medial, final), not the
    # isolated letters reportlab would print without shaping. In reading order, so drawn in visual order.
    # (The reshaper's ligature of the word Allah is not in DejaVu Sans and is left out.)
    reshape = ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": False}).reshape
    plain = "".join(_BIDI_CONTROLS.sub("", text).replace("\u00a0", " ").split())
    for name in ARABIC:
        assert "".join(reshape(name).split()) in plain, name


# ---- visual ------------------------------------------------------------------------------------------------


def test_text_without_right_to_left_script_is_left_as_it_is() -> None:
    for text in LATIN + ("", "regel één\nregel twee", "Score <1> & «citaat»"):
        assert visual(text) is text


def test_arabic_is_joined_and_turned_around_and_the_rest_stays() -> None:
    # محمد: meem initial, hah medial, meem medial, dal final; drawn from the left: dal first.
    assert visual("محمد") == "\ufeaa\ufee4\ufea4\ufee3"
    assert visual("Aios محمد (2e jaar)") == "Aios \ufeaa\ufee4\ufea4\ufee3 (2e jaar)"
    # Two words: the second is drawn left of the first, joined by a no-break space so that the name is never
    # wrapped in two (reportlab wraps after this, and would show its end first).
    assert visual("محمد علي") == "\ufef2\ufee0\ufecb\u00a0\ufeaa\ufee4\ufea4\ufee3"
    # Lam-alef is one ligature (here its final form).
    assert visual("سلام") == "\ufee1\ufefc\ufeb3"
    # Each line by itself; Hebrew turned around too (no joining there).
    assert visual("עברית\nNederlands") == "תירבע\nNederlands"
    # Brackets inside a right-to-left run are mirrored by the bidi algorithm, Latin around it untouched.
    assert visual("Noor (نور) El Amrani") == "Noor (\ufead\ufeee\ufee7) El Amrani"


def test_a_long_right_to_left_passage_may_wrap() -> None:
    passage = " ".join(["محمد"] * 30)
    assert "\u00a0" not in visual(passage)


def test_every_letter_of_arabic_persian_and_urdu_names_has_a_glyph() -> None:
    """No box for any letter of the Arabic block an Arabic or Persian name uses, nor for the Urdu letters DejaVu Sans
    has: a joined form the font lacks is drawn as its plain letter (ۀ as ە with a hamza). DejaVu Sans has no yeh
    barree (ے) and no heh goal (ہ) at all; those would still print a box."""
    letters = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيپچژکگیۀٹڈڑںھ"
    words = [letters[i:i + 4] for i in range(len(letters))] + [c * 3 for c in letters]
    for word in words:
        drawn = visual(word)
        missing = [f"U+{ord(c):04X}" for c in drawn if ord(c) not in covered()]
        assert not missing, (word, missing)
