"""The fonts bundled under resources/fonts, their registration with reportlab, and text made ready for them.

reportlab's built-in Helvetica knows only Latin-1 (WinAnsi) and is not embedded: a Dutch list of names holds
"Yılmaz" (dotless ı) or "Çelik" and Helvetica would print a black box. DejaVu Sans covers Latin with every accent,
ĳ, Turkish, and basic Arabic with its presentation forms. The files are read through importlib.resources, so they
are found in a wheel, a zip or a PyInstaller bundle alike.

reportlab draws one glyph per character, left to right, and shapes nothing. Arabic written that way comes out as
loose letters in the wrong order, so `visual` puts a line's right-to-left text into the order and the joined
letter forms a reader sees (the Word renderer needs none of this: Word shapes by itself).
"""

from __future__ import annotations

import io
import re
import unicodedata
from functools import cache
from importlib import resources

# Shaping with arabic-reshaper (pure Python: each letter to its joined presentation form, the lam-alef ligatures)
# and python-bidi (the Unicode bidirectional algorithm, a small compiled wheel for every platform), rather than
# HarfBuzz: reportlab's own right-to-left path needs uharfbuzz *and* rlbidi, which ReportLab publishes outside
# PyPI, and switches every paragraph onto its experimental shaped-text code. What we print in Arabic is names
# and short phrases inside Dutch text; the presentation forms, which DejaVu Sans has, draw those correctly.
from arabic_reshaper import ArabicReshaper
from bidi import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = REGULAR

_FILES = {REGULAR: "fonts/DejaVuSans.ttf", BOLD: "fonts/DejaVuSans-Bold.ttf"}


def font_bytes(name: str) -> bytes:
    """The TrueType file of a bundled font (REGULAR or BOLD)."""
    return resources.files("ontkoppel_desktop.resources").joinpath(_FILES[name]).read_bytes()


@cache
def register_pdf_fonts() -> str:
    """Register the bundled family with reportlab once per process; returns the family name.

    There is no italic: <i> falls back to the regular face rather than failing."""
    for name in _FILES:
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(font_bytes(name))))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, REGULAR)
    addMapping(FAMILY, 1, 1, BOLD)
    return FAMILY


@cache
def covered() -> frozenset[int]:
    """The characters both faces have a glyph for."""
    register_pdf_fonts()
    faces = [frozenset(pdfmetrics.getFont(name).face.charToGlyph) for name in _FILES]
    return faces[0] & faces[1]


# The scripts written right to left: Hebrew, Arabic with its supplements, Syriac, Thaana, N'Ko, Samaritan,
# Mandaic, and the presentation forms of Hebrew and Arabic.
_RTL_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFE))
_RTL = "".join(f"{chr(low)}-{chr(high)}" for low, high in _RTL_RANGES)
_HAS_RTL = re.compile(f"[{_RTL}]")
# Words of right-to-left script with the spaces between them (a name, a place), and a zero-width joiner, which
# asks for a joined form.
_RTL_PHRASE = re.compile(f"[{_RTL}\u200d]+(?: +[{_RTL}\u200d]+)*")
# Up to this length a right-to-left phrase is kept on one line. reportlab wraps after the text is in visual order,
# so a phrase broken over two lines would show its end on the first; a longer passage (a paragraph in Arabic) is
# rare in these Dutch documents and may wrap with its lines in the wrong order, but every word stays readable.
_UNBROKEN = 60

# Ligatures: only the lam-alef ones, which Arabic writing requires and DejaVu Sans has; the decorative ones
# (the word Allah, BISMILLAH) are not in the font and would print a box.
_RESHAPER = ArabicReshaper(configuration={
    "support_ligatures": True,
    "ARABIC LIGATURE ALLAH": False,
    "ARABIC LIGATURE LAM WITH ALEF": True,
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE": True,
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW": True,
    "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE": True,
    # Vowel marks are dropped: reportlab cannot place a mark over a joined letter form, so it would float
    # beside it. Names in Dutch records are written without them.
    "delete_harakat": True,
})


@cache
def _fallbacks() -> dict[int, str]:
    """For each right-to-left character the font lacks (a joined form of some Urdu letters): its plain letter, or
    that letter as a letter and its mark, when the font has those. Unjoined, but not a box."""
    table: dict[int, str] = {}
    for low, high in _RTL_RANGES:
        for code in range(low, high + 1):
            if code in covered():
                continue
            for form in ("NFKC", "NFKD"):
                plain = unicodedata.normalize(form, chr(code))
                if plain != chr(code) and all(ord(c) in covered() for c in plain):
                    table[code] = plain
                    break
    return table


def _reshaped(match: re.Match[str]) -> str:
    phrase: str = _RESHAPER.reshape(match.group(0))
    return phrase.replace(" ", "\u00a0") if len(phrase) <= _UNBROKEN else phrase


def _visual_line(line: str) -> str:
    # Only the right-to-left phrases are reshaped (the reshaper reads every character; a paragraph is long).
    line = _RTL_PHRASE.sub(_reshaped, line)
    # The documents are Dutch: each line runs left to right and only its right-to-left runs are turned around.
    shown = str(get_display(line, base_dir="L"))
    # After turning around, so that a mark a letter is split into still follows it and is drawn over it.
    return shown.translate(_fallbacks())


def visual(text: str) -> str:
    """`text` as reportlab must draw it: every line's right-to-left runs in visual order, their Arabic letters
    joined. Text without right-to-left script is returned as it is."""
    if not _HAS_RTL.search(text):
        return text
    return "\n".join(_visual_line(line) if _HAS_RTL.search(line) else line for line in text.split("\n"))
