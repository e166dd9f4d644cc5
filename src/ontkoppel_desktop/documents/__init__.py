"""Documents: a small content model (`model`) rendered to PDF with reportlab (`pdf`) and to Word with python-docx
(`docx`), and builders that turn domain objects into documents, one module each (`koppeluitslag`: the uitslag of a
koppelingsronde). No Qt: the UI and the headless commands both call these.

The package exports the model and the renderers only; import a builder from its module, so that a document that
needs no solver does not load scipy."""

from __future__ import annotations

from ontkoppel_desktop.documents.bestand import DocumentNietOpgeslagen
from ontkoppel_desktop.documents.docx import render_docx, write_docx
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
from ontkoppel_desktop.documents.pdf import render_pdf, write_pdf

__all__ = [
    "Badge", "Block", "Cell", "Column", "Document", "DocumentNietOpgeslagen", "Figure", "Figures", "Heading", "Inline",
    "KeyValues", "Meter", "Note", "PageBreak", "Paragraph", "Row", "Run", "Section", "Table", "Tone", "render_docx",
    "render_pdf", "write_docx", "write_pdf",
]
