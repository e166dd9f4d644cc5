"""The institute profile: what makes a document look like the institute's own. The opleiding's name comes from the
procedure file (the builders put it in the kicker); the profile in the settings may name the institute instead, and
adds the address line (in the footer) and a logo (top right of the first page).

A logo is checked once, before any document is made (`onderzoek_logo`, cached per file content): a missing, broken
or huge picture is left out with a Dutch warning the UI can show, and never stops a document. The check uses what
the two renderers themselves use, not Pillow directly (it is no dependency of ours): python-docx's image header
parser (the format and the size in pixels, exactly what Word's picture part needs; it knows PNG and JPEG) and
reportlab's ImageReader, decoding the whole picture once, so a truncated file fails here and not halfway through a
PDF.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ontkoppel_desktop.documents.model import Document

if TYPE_CHECKING:
    from ontkoppel_desktop.settings import Settings

# A logo larger than this is refused: it would make every archived document megabytes larger.
MAX_LOGO_BYTES = 2 * 1024 * 1024
# ... and so is a picture wider or higher than this (at 1.5 cm high, 4000 pixels is far more than any printer).
MAX_LOGO_PIXELS = 4000

_SOORTEN = {"image/png": "PNG", "image/jpeg": "JPEG"}


@dataclass(frozen=True, slots=True)
class Profiel:
    """The institute as its documents show it. Empty fields leave a document as its builder made it."""

    naam: str = ""
    adres: str = ""
    # PNG or JPEG bytes, already checked (profiel_uit leaves out a logo that is not fit).
    logo: bytes | None = None


def pas_toe(document: Document, profiel: Profiel) -> Document:
    """The document with the institute's name (when set) as kicker, its address line and its logo."""
    changes: dict[str, object] = {}
    if profiel.naam.strip():
        changes["kicker"] = profiel.naam.strip()
    if profiel.adres.strip():
        changes["adres"] = profiel.adres.strip()
    if profiel.logo is not None and logo_afmeting(profiel.logo) is not None:
        changes["logo"] = profiel.logo
    return replace(document, **changes) if changes else document  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def onderzoek_logo(data: bytes) -> tuple[int, int] | str:
    """(width, height) in pixels of a PNG or JPEG fit for a document, or why it is not (Dutch, to follow
    "het logo ..."). Cached: every document of an export shares the same logo and it is decoded once."""
    if not data:
        return "is een leeg bestand"
    if len(data) > MAX_LOGO_BYTES:
        return _te_groot(len(data))
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image

    try:
        header = Image.from_blob(data)
    except UnrecognizedImageError:
        return "is geen afbeelding (PNG of JPEG)"
    except Exception:  # noqa: BLE001 - a header that lies about its own length, or worse
        return "is beschadigd"
    soort = _SOORTEN.get(header.content_type)
    if soort is None:
        return f"is geen PNG of JPEG maar {header.ext.upper()}; sla het op als PNG"
    width, height = header.px_width, header.px_height
    if width <= 0 or height <= 0:
        return "is beschadigd (geen breedte of hoogte)"
    if max(width, height) > MAX_LOGO_PIXELS:
        return (f"is te groot ({width} × {height} pixels; hoogstens {MAX_LOGO_PIXELS}). Sla het op in een kleiner "
                "formaat")
    from reportlab.lib.utils import ImageReader

    try:
        ImageReader(io.BytesIO(data)).getRGBData()
    except Exception:  # noqa: BLE001 - whatever the decoder says, the picture cannot be printed
        return f"is een beschadigd {soort}-bestand"
    return width, height


def logo_afmeting(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels of a logo fit for a document, or None: a renderer leaves an unfit logo out."""
    result = onderzoek_logo(data)
    return result if isinstance(result, tuple) else None


def lees_logo(pad: str | Path) -> tuple[bytes | None, str | None]:
    """The logo at `pad` (bytes, None) when it is fit for a document, else (None, a Dutch warning)."""
    path = Path(pad)
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:  # not read at all
            return None, _waarschuwing(path, _te_groot(size))
        data = path.read_bytes()
    except FileNotFoundError:
        return None, _waarschuwing(path, "is niet gevonden")
    except IsADirectoryError:
        return None, _waarschuwing(path, "is een map, geen afbeelding")
    except OSError as error:
        return None, _waarschuwing(path, f"kan niet worden gelezen ({error.strerror or error})")
    result = onderzoek_logo(data)
    if isinstance(result, str):
        return None, _waarschuwing(path, result)
    return data, None


def _te_groot(size: int) -> str:
    return (f"is te groot ({size / 1024 / 1024:.1f} MB; hoogstens {MAX_LOGO_BYTES // 1024 // 1024} MB). Sla het op "
            "in een kleiner formaat")


def _waarschuwing(path: Path, reden: str) -> str:
    return f"Het logo {path} {reden}. De documenten worden zonder logo gemaakt."


def profiel_uit(settings: Settings) -> tuple[Profiel, str | None]:
    """The institute profile of the settings, and a Dutch warning when its logo is left out."""
    logo: bytes | None = None
    waarschuwing: str | None = None
    if settings.instituut_logo.strip():
        logo, waarschuwing = lees_logo(settings.instituut_logo.strip())
    return Profiel(settings.instituut_naam.strip(), settings.instituut_adres.strip(), logo), waarschuwing


__all__ = ["Profiel", "lees_logo", "logo_afmeting", "onderzoek_logo", "pas_toe", "profiel_uit"]
