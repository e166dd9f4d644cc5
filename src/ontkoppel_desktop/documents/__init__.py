"""Documents: a small content model (`model`) rendered to PDF with reportlab (`pdf`) and to Word with python-docx
(`docx`), and builders that turn domain objects into documents, one module each (`koppeluitslag`: the uitslag of a
koppelingsronde). No Qt: the UI and the headless commands both call these.

The package exports the model and the renderers only; import a builder from its module, so that a document that
needs no solver does not load scipy. The renderers (reportlab, python-docx with lxml, the Arabic shaping) load on
first use: a screen that only builds a `Document` imports the model alone, and the warm-up thread that imports the
screens while the user types the wachtwoord never loads those C extensions beside the main thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ontkoppel_desktop.documents.bestand import DocumentNietOpgeslagen
from ontkoppel_desktop.documents.model import (
    Badge,
    Block,
    Cell,
    Column,
    Document,
    Figure,
    Figures,
    Heading,
    Inline,
    KeyValues,
    Meter,
    Note,
    PageBreak,
    Paragraph,
    Row,
    Run,
    Section,
    Table,
    Tone,
)

if TYPE_CHECKING:
    from ontkoppel_desktop.documents.docx import render_docx, write_docx
    from ontkoppel_desktop.documents.pdf import render_pdf, write_pdf

_RENDERERS = {"render_docx": "docx", "write_docx": "docx", "render_pdf": "pdf", "write_pdf": "pdf"}


def __getattr__(name: str) -> Any:
    module = _RENDERERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "Badge", "Block", "Cell", "Column", "Document", "DocumentNietOpgeslagen", "Figure", "Figures", "Heading", "Inline",
    "KeyValues", "Meter", "Note", "PageBreak", "Paragraph", "Row", "Run", "Section", "Table", "Tone", "render_docx",
    "render_pdf", "write_docx", "write_pdf",
]
