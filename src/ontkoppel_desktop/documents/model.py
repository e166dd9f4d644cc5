"""The content model of a document: what it says, not how it looks.

A builder (e.g. `koppeluitslag`) turns domain objects into a `Document`; a renderer (`pdf`, later Word) turns the
`Document` into a file. Everything is plain frozen data, so a builder can be tested without rendering and one
document can be rendered twice the same way.

Text is plain: a renderer escapes it; "\n" breaks a line. Emphasis inside a line is a tuple of `Run`s. Text is
cleaned once, here, as a block is made (`schoon`): characters XML forbids (control characters from a paste) never
reach a renderer, so Word and PDF say the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

# Characters XML 1.0 does not allow (C0 controls but tab and line feed, lone surrogates, U+FFFE/U+FFFF), and
# carriage returns (a Windows line end is one "\n").
_VERBODEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def schoon(text: str) -> str:
    """`text` as a document may hold it: Windows line ends as "\n", characters XML forbids left out."""
    return _VERBODEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _schoon(value: Any) -> Any:
    if isinstance(value, str):
        return schoon(value)
    if isinstance(value, tuple):
        return tuple(_schoon(v) for v in value)
    return value


def _clean_fields(obj: Any) -> None:
    """Clean every text field of a frozen block in place (once, when it is made)."""
    for name in obj.__slots__:
        value = getattr(obj, name)
        cleaned = _schoon(value)
        if cleaned is not value and cleaned != value:
            object.__setattr__(obj, name, cleaned)

# The colour family of a badge, a note, a figure or a table row; the renderer picks the colours.
Tone: TypeAlias = Literal["neutral", "accent", "positive", "warning", "negative"]
Align: TypeAlias = Literal["left", "right", "center"]


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a line with its own emphasis."""

    text: str
    bold: bool = False
    muted: bool = False

    def __post_init__(self) -> None:
        _clean_fields(self)


# A line of text: plain, or runs with emphasis.
Inline: TypeAlias = str | tuple[Run, ...]


def plain(text: Inline) -> str:
    """The text of an Inline without its emphasis (for a search, a test, a plain-text renderer)."""
    return text if isinstance(text, str) else "".join(run.text for run in text)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; it never ends a page alone (the renderer keeps it with what follows)."""

    text: str
    level: Literal[1, 2, 3] = 1

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: Inline
    small: bool = False
    muted: bool = False

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True, slots=True)
class Badge:
    """A short label in a coloured frame: "voorrang", "1e keuze", "niet gekoppeld"."""

    text: str
    tone: Tone = "neutral"

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True, slots=True)
class Meter:
    """A horizontal bar showing value out of maximum (a share in a profile)."""

    value: int
    maximum: int
    tone: Tone = "accent"


# A table cell: text, a badge, or a bar.
Cell: TypeAlias = Inline | Badge | Meter


@dataclass(frozen=True, slots=True)
class Column:
    """A table column; `width` is relative to the other columns of the table."""

    title: str
    width: float = 1.0
    align: Align = "left"

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    # A tinted row, e.g. the koppeling among an aios's visits.
    tone: Tone | None = None

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True, slots=True)
class Table:
    """Rows under a header row that repeats on every page; text wraps within the page width."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # Said instead of an empty table.
    empty: str = "Geen gegevens."
    small: bool = False

    def __post_init__(self) -> None:
        _clean_fields(self)
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"A row has {len(row.cells)} cells for {len(self.columns)} columns.")


@dataclass(frozen=True, slots=True)
class KeyValues:
    """Labelled facts, one per line: "Startdatum  1 maart 2027"."""

    rows: tuple[tuple[str, Inline], ...]

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True, slots=True)
class Figure:
    """One key figure: a large value with its label."""

    label: str
    value: str
    detail: str = ""
    tone: Tone = "neutral"

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True, slots=True)
class Figures:
    """Key figures side by side."""

    items: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Note:
    """A remark set apart from the text, e.g. why an aios is not gekoppeld."""

    content: Inline
    tone: Tone = "neutral"

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Section:
    """One subject kept together on a page where it fits (an opleider, an aios): a title line with an aside
    (e.g. the id) and badges, a subtitle, and its blocks."""

    title: str
    blocks: tuple[Block, ...] = ()
    aside: str = ""
    subtitle: Inline = ""
    badges: tuple[Badge, ...] = ()

    def __post_init__(self) -> None:
        _clean_fields(self)


Block: TypeAlias = Heading | Paragraph | Table | KeyValues | Figures | Note | PageBreak | Section


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document. `header` and `header_right` run along the top of every page after the first; the footer
    carries `footer` (e.g. "Vertrouwelijk"), `footer_centre` and the page number."""

    title: str
    blocks: tuple[Block, ...]
    subtitle: str = ""
    # A small line above the title, e.g. the programme the document belongs to.
    kicker: str = ""
    header: str = ""
    header_right: str = ""
    footer: str = "Vertrouwelijk"
    # The middle of the footer, e.g. "Opgesteld op 23 november 2026".
    footer_centre: str = ""
    # A second, small line under the footer on every page: a definitief verslag's version and seal (SHA-256), so
    # that an archived copy can be matched to the record.
    footer_detail: str = ""
    author: str = "Ontkoppel Desktop"
    keywords: tuple[str, ...] = field(default_factory=tuple)
    # The institute profile (documents/profiel.py): its address line, small in the footer of every page, and its
    # logo (PNG or JPEG bytes, checked there) at the top right of the first page.
    adres: str = ""
    logo: bytes | None = None

    def __post_init__(self) -> None:
        _clean_fields(self)


def all_text(document: Document) -> str:
    """Every text of a document in reading order, one per line (what a test compares a rendered file with)."""
    parts = [document.kicker, document.title, document.subtitle]

    def inline(value: Any) -> None:
        if isinstance(value, (str, tuple)) and (not isinstance(value, tuple) or all(isinstance(r, Run) for r in value)):
            parts.append(plain(value))

    for block in walk(document.blocks):
        if isinstance(block, Heading):
            parts.append(block.text)
        elif isinstance(block, (Paragraph, Note)):
            inline(block.content)
        elif isinstance(block, KeyValues):
            for label, value in block.rows:
                parts.append(label)
                inline(value)
        elif isinstance(block, Table) and not block.rows:
            parts.append(block.empty)  # what the renderers print instead of an empty table
        elif isinstance(block, Table):
            parts += [c.title for c in block.columns]
            for row in block.rows:
                for cell in row.cells:
                    if isinstance(cell, Badge):
                        parts.append(cell.text)
                    elif not isinstance(cell, Meter):
                        inline(cell)
        elif isinstance(block, Figures):
            for item in block.items:
                parts += [item.label, item.value, item.detail]
        elif isinstance(block, Section):
            parts += [block.title, block.aside]
            inline(block.subtitle)
            parts += [b.text for b in block.badges]
    return "\n".join(p for p in parts if p)


def walk(blocks: tuple[Block, ...]) -> list[Block]:
    """Every block, sections opened, in reading order."""
    found: list[Block] = []
    for block in blocks:
        found.append(block)
        if isinstance(block, Section):
            found += walk(block.blocks)
    return found
