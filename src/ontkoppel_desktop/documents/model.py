"""The content model of a document: what it says, not how it looks.

A builder (e.g. `koppeluitslag`) turns domain objects into a `Document`; a renderer (`pdf`, later Word) turns the
`Document` into a file. Everything is plain frozen data, so a builder can be tested without rendering and one
document can be rendered twice the same way.

Text is plain: a renderer escapes it; "\n" breaks a line. Emphasis inside a line is a tuple of `Run`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

# The colour family of a badge, a note, a figure or a table row; the renderer picks the colours.
Tone: TypeAlias = Literal["neutral", "accent", "positive", "warning", "negative"]
Align: TypeAlias = Literal["left", "right", "center"]


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a line with its own emphasis."""

    text: str
    bold: bool = False
    muted: bool = False


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


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: Inline
    small: bool = False
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Badge:
    """A short label in a coloured frame: "voorrang", "1e keuze", "niet gekoppeld"."""

    text: str
    tone: Tone = "neutral"


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


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    # A tinted row, e.g. the koppeling among an aios's visits.
    tone: Tone | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """Rows under a header row that repeats on every page; text wraps within the page width."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # Said instead of an empty table.
    empty: str = "Geen gegevens."
    small: bool = False

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"A row has {len(row.cells)} cells for {len(self.columns)} columns.")


@dataclass(frozen=True, slots=True)
class KeyValues:
    """Labelled facts, one per line: "Startdatum  1 maart 2027"."""

    rows: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """One key figure: a large value with its label."""

    label: str
    value: str
    detail: str = ""
    tone: Tone = "neutral"


@dataclass(frozen=True, slots=True)
class Figures:
    """Key figures side by side."""

    items: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Note:
    """A remark set apart from the text, e.g. why an aios is not gekoppeld."""

    content: Inline
    tone: Tone = "neutral"


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
    author: str = "Ontkoppel Desktop"
    keywords: tuple[str, ...] = field(default_factory=tuple)


def walk(blocks: tuple[Block, ...]) -> list[Block]:
    """Every block, sections opened, in reading order."""
    found: list[Block] = []
    for block in blocks:
        found.append(block)
        if isinstance(block, Section):
            found += walk(block.blocks)
    return found
