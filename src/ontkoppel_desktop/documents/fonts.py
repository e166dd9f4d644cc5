"""The fonts bundled under resources/fonts and their registration with reportlab.

reportlab's built-in Helvetica knows only Latin-1 (WinAnsi): a Dutch list of names holds "Yılmaz" (dotless ı)
or "Çelik" and Helvetica would print a black box. DejaVu Sans covers them. The files are read through
importlib.resources, so they are found in a wheel, a zip or a PyInstaller bundle alike.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

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
