"""The PDF renderer: a `Document` of the content model as an A4 PDF, with reportlab.

The look is that of an institute's letterhead document: a title block on the first page, the document's name
in a running header, "Vertrouwelijk" and "pagina N van M" in the footer with a small detail line under it (a
definitief verslag's version and seal), headings in one dark blue, tables with a light header row and hairlines,
text that wraps inside its column. "Van M" needs the page count before the pages are drawn, so the story is built
twice from the (immutable) document: once to count, once to keep.

Every text is drawn in the bundled DejaVu Sans, embedded, after `fonts.visual` (right-to-left script in visual
order, Arabic joined): nothing refers to reportlab's built-in Helvetica, which is not embedded and knows only
Latin-1. Bad input still renders: a text of thirty pages, in a paragraph or a table cell, flows over the pages; a
word longer than its column is broken.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as RlPageBreak
from reportlab.platypus import Paragraph as RlParagraph

from ontkoppel_desktop.documents import model
from ontkoppel_desktop.documents.bestand import write_document
from ontkoppel_desktop.documents.fonts import BOLD, REGULAR, register_pdf_fonts, visual
from ontkoppel_desktop.documents.profiel import logo_afmeting

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5b6875")
PRIMARY = colors.HexColor("#1b3a5c")
RULE = colors.HexColor("#d3d9e0")
HEADER_BG = colors.HexColor("#edf1f5")
TRACK = colors.HexColor("#e6eaee")


@dataclass(frozen=True, slots=True)
class _ToneColours:
    text: colors.Color
    fill: colors.Color
    border: colors.Color


_TONES: dict[str, _ToneColours] = {
    "neutral": _ToneColours(colors.HexColor("#39434d"), colors.HexColor("#eef1f4"), colors.HexColor("#c5ced7")),
    "accent": _ToneColours(colors.HexColor("#1b4f8a"), colors.HexColor("#e4eef9"), colors.HexColor("#9fbfe6")),
    "positive": _ToneColours(colors.HexColor("#1d6a39"), colors.HexColor("#e4f3e8"), colors.HexColor("#9fd3ae")),
    "warning": _ToneColours(colors.HexColor("#855600"), colors.HexColor("#fcf1d9"), colors.HexColor("#e9c77f")),
    "negative": _ToneColours(colors.HexColor("#a12222"), colors.HexColor("#fbe7e7"), colors.HexColor("#e6a9a9")),
}


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": REGULAR, "fontSize": 9, "leading": 12.4, "textColor": INK}
    base.update(kwargs)
    return ParagraphStyle(name, **base)


_BODY = _style("body", spaceAfter=5)
_SMALL = _style("small", fontSize=8, leading=10.6, spaceAfter=3)
_CELL = _style("cell", fontSize=8.2, leading=10.6)
_CELL_SMALL = _style("cell-small", fontSize=7.6, leading=9.8)
_TH = _style("th", fontName=BOLD, fontSize=7.6, leading=9.6, textColor=MUTED)
_KEY = _style("key", fontSize=8.4, leading=11.4, textColor=MUTED)
_VALUE = _style("value", fontSize=9, leading=11.8)
_HEADINGS = {
    1: _style("h1", fontName=BOLD, fontSize=14.5, leading=18.5, textColor=PRIMARY, spaceBefore=14, spaceAfter=6,
              keepWithNext=1),
    2: _style("h2", fontName=BOLD, fontSize=11.5, leading=15, textColor=PRIMARY, spaceBefore=10, spaceAfter=4,
              keepWithNext=1),
    3: _style("h3", fontName=BOLD, fontSize=9.5, leading=12.6, textColor=INK, spaceBefore=7, spaceAfter=3,
              keepWithNext=1),
}
_KICKER = _style("kicker", fontName=BOLD, fontSize=8, leading=10, textColor=MUTED, spaceAfter=4)
_TITLE = _style("title", fontName=BOLD, fontSize=21, leading=26, textColor=PRIMARY, spaceAfter=3)
_SUBTITLE = _style("subtitle", fontSize=11.5, leading=15, textColor=MUTED, spaceAfter=8)
_SECTION_TITLE = _style("section-title", fontName=BOLD, fontSize=10.5, leading=13.5, textColor=PRIMARY)
_SECTION_SUB = _style("section-sub", fontSize=8.2, leading=10.8, textColor=MUTED, spaceAfter=4)
_FIGURE_VALUE = _style("figure-value", fontName=BOLD, fontSize=17, leading=20)
_FIGURE_LABEL = _style("figure-label", fontName=BOLD, fontSize=7.8, leading=9.8, textColor=INK)
_FIGURE_DETAIL = _style("figure-detail", fontSize=7.4, leading=9.4, textColor=MUTED)

_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}
_BADGE_SIZE = 6.9
_BADGE_PAD = 3.6
_BADGE_HEIGHT = 11.5
_BADGE_GAP = 3.5


def _hex(colour: colors.Color) -> str:
    return "#" + str(colour.hexval())[2:]


def _escape(text: str) -> str:
    """Paragraph markup for plain text: escaped, right-to-left runs in visual order, a line feed a line break."""
    return escape(visual(text)).replace("\n", "<br/>")


def _markup(text: model.Inline) -> str:
    """Paragraph markup for an Inline, the text escaped."""
    if isinstance(text, str):
        return _escape(text)
    parts: list[str] = []
    # Each run is put in visual order by itself: a right-to-left phrase split over two runs of different
    # emphasis would be turned around per run (builders emphasise labels, not parts of names).
    for run in text:
        piece = _escape(run.text)
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.muted:
            piece = f'<font color="{_hex(MUTED)}">{piece}</font>'
        parts.append(piece)
    return "".join(parts)


def _aligned(style: ParagraphStyle, align: model.Align) -> ParagraphStyle:
    if align == "left":
        return style
    return ParagraphStyle(f"{style.name}-{align}", parent=style, alignment=_ALIGN[align])


class _Badges(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Badges in rounded frames, wrapped onto more lines when they do not fit."""

    def __init__(self, badges: Sequence[model.Badge], align: model.Align = "left") -> None:
        super().__init__()
        self.badges = list(badges)
        self.align = align
        self._lines: list[list[tuple[model.Badge, float]]] = []

    @staticmethod
    def badge_width(badge: model.Badge) -> float:
        return float(stringWidth(visual(badge.text), BOLD, _BADGE_SIZE)) + 2 * _BADGE_PAD

    def natural_width(self) -> float:
        return sum(self.badge_width(b) for b in self.badges) + _BADGE_GAP * max(len(self.badges) - 1, 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._lines = [[]]
        used = 0.0
        for badge in self.badges:
            width = self.badge_width(badge)
            if self._lines[-1] and used + _BADGE_GAP + width > avail_width:
                self._lines.append([])
                used = 0.0
            used += (_BADGE_GAP if self._lines[-1] else 0.0) + width
            self._lines[-1].append((badge, width))
        self.width = avail_width if self.align != "left" else min(avail_width, self.natural_width())
        self.height = len(self._lines) * _BADGE_HEIGHT + (len(self._lines) - 1) * _BADGE_GAP
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        y = self.height - _BADGE_HEIGHT
        for line in self._lines:
            line_width = sum(w for _, w in line) + _BADGE_GAP * (len(line) - 1)
            x = {"left": 0.0, "right": self.width - line_width, "center": (self.width - line_width) / 2}[self.align]
            for badge, width in line:
                tone = _TONES[badge.tone]
                canvas.setFillColor(tone.fill)
                canvas.setStrokeColor(tone.border)
                canvas.setLineWidth(0.6)
                canvas.roundRect(x, y, width, _BADGE_HEIGHT, 3, stroke=1, fill=1)
                canvas.setFillColor(tone.text)
                canvas.setFont(BOLD, _BADGE_SIZE)
                canvas.drawString(x + _BADGE_PAD, y + (_BADGE_HEIGHT - _BADGE_SIZE) / 2 + 1.1, visual(badge.text))
                x += width + _BADGE_GAP
            y -= _BADGE_HEIGHT + _BADGE_GAP


class _Meter(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A share as a bar on a light track."""

    HEIGHT = 6.5

    def __init__(self, meter: model.Meter) -> None:
        super().__init__()
        self.meter = meter

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.HEIGHT + 2.5
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        y = 1.2
        canvas.setFillColor(TRACK)
        canvas.roundRect(0, y, self.width, self.HEIGHT, 1.5, stroke=0, fill=1)
        share = self.meter.value / self.meter.maximum if self.meter.maximum > 0 else 0.0
        if share > 0:
            canvas.setFillColor(_TONES[self.meter.tone].text)
            canvas.roundRect(0, y, max(self.width * min(share, 1.0), 2.5), self.HEIGHT, 1.5, stroke=0, fill=1)


class _Table(Table):  # type: ignore[misc]  # reportlab is untyped
    """A table whose row may be split inside when it is taller than a whole page: a key-value row or a note holding
    a thirty-page answer, which reportlab would otherwise refuse with a LayoutError. Any other row moves to the next
    page whole, as in a plain table, so a short note is never cut in two at the foot of a page."""

    frame_height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        # reportlab reads splitInRow as the least height of either piece of a split row. Any: a piece of the row
        # that only just does not fit on a page may be one line; refused, it could not be laid out at all.
        self.splitInRow = 1 if max(self._rowHeights, default=0) > self.frame_height else 0
        return size

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        for part in parts:  # reportlab makes the pieces with this class, but not with our attribute
            if isinstance(part, _Table):
                part.frame_height = self.frame_height
        return parts


def _table(data: list[list[Any]], frame_height: float, **kwargs: Any) -> _Table:
    table = _Table(data, **kwargs)
    table.frame_height = frame_height
    return table


# reportlab's FrameBreak is an instance that makes more of its class when called.
_FRAME_BREAK = type(FrameBreak)


class _KeepWithNext(KeepTogether):  # type: ignore[misc]  # reportlab is untyped
    """A heading with the block after it (reportlab groups them so that a heading never ends a page). When the
    two are taller than a whole page (a heading over a thirty-page answer) they cannot be kept together anyway:
    they start where they are, rather than after the rest of the page is left empty."""

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._height < self._H and parts and isinstance(parts[0], _FRAME_BREAK):
            return parts[1:]
        return parts


def _table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table's style with its cells' font set: reportlab sets a cell's font before drawing it, a cell holding
    paragraphs too, and left alone that is Helvetica, which is not embedded."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


def _lines(content: model.Inline) -> list[model.Inline]:
    """An Inline cut at its line feeds."""
    if isinstance(content, str):
        return list(content.split("\n"))
    lines: list[list[model.Run]] = [[]]
    for run in content:
        for number, piece in enumerate(run.text.split("\n")):
            if number:
                lines.append([])
            if piece:
                lines[-1].append(model.Run(piece, run.bold, run.muted))
    return [tuple(line) for line in lines]


class _Line(RlParagraph):  # type: ignore[misc]  # reportlab is untyped
    """A line of a long text that keeps its layout for the width it was laid out in. reportlab lays out every
    paragraph of a table cell again each time it splits the cell over a page, which made a thirty-page answer in a
    key-value row take time growing with the square of its length. The layout depends on the width only."""

    _laid_out_for: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # (reportlab drops blPara, the layout, when it declines to split the paragraph.)
        if avail_width != self._laid_out_for or not hasattr(self, "blPara"):
            super().wrap(avail_width, avail_height)
            self._laid_out_for = avail_width
        return self.width, self.height


def _text(content: model.Inline, style: ParagraphStyle) -> list[Flowable]:
    """A text as flowables, one paragraph per line. A text of many lines (a verslag's answer of thirty pages)
    is laid out line by line then, not as one paragraph that reportlab wraps again on every page it splits it
    over; it looks the same as line breaks inside one paragraph."""
    lines = _lines(content)
    if len(lines) == 1:
        return [_Line(_markup(content), style)]
    inner = ParagraphStyle(f"{style.name}-line", parent=style, spaceBefore=0, spaceAfter=0)
    flowables: list[Flowable] = []
    for number, line in enumerate(lines):
        line_style = inner
        if number == 0:
            line_style = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0)
        elif number == len(lines) - 1:
            line_style = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0)
        if model.plain(line):
            flowables.append(_Line(_markup(line), line_style))
        else:  # an empty line keeps its height, as a line break would
            flowables.append(Spacer(1, line_style.leading))
    return flowables


class _Renderer:
    """Turns blocks into flowables for a given width; `frame_height` is the height of a page's text."""

    def __init__(self, frame_height: float) -> None:
        self.frame_height = frame_height

    def blocks(self, blocks: Sequence[model.Block], width: float) -> list[Flowable]:
        flowables: list[Flowable] = []
        for block in blocks:
            flowables += self.block(block, width)
        return flowables

    def block(self, block: model.Block, width: float) -> list[Flowable]:
        if isinstance(block, model.Heading):
            return [RlParagraph(_escape(block.text), _HEADINGS[block.level])]
        if isinstance(block, model.Paragraph):
            style = _SMALL if block.small else _BODY
            if block.muted:
                style = ParagraphStyle(f"{style.name}-muted", parent=style, textColor=MUTED)
            return _text(block.content, style)
        if isinstance(block, model.Table):
            return self.table(block, width)
        if isinstance(block, model.KeyValues):
            return self.key_values(block, width)
        if isinstance(block, model.Figures):
            return self.figures(block, width)
        if isinstance(block, model.Note):
            return [self.note(block, width)]
        if isinstance(block, model.PageBreak):
            return [RlPageBreak()]
        return [self.section(block, width)]

    def table(self, table: model.Table, width: float) -> list[Flowable]:
        if not table.rows:
            return [RlParagraph(_escape(table.empty), ParagraphStyle("empty", parent=_SMALL, textColor=MUTED))]
        if not table.columns:  # rows of no cells: nothing to show
            return []
        text_style = _CELL_SMALL if table.small else _CELL
        total = sum(c.width for c in table.columns)
        widths = [width * (c.width / total if total > 0 else 1 / len(table.columns)) for c in table.columns]
        header = [RlParagraph(_escape(c.title), _aligned(_TH, c.align)) for c in table.columns]
        data: list[list[Any]] = [header]
        for row in table.rows:
            data.append([
                self.cell(cell, _aligned(text_style, column.align), column.align)
                for cell, column in zip(row.cells, table.columns, strict=True)
            ])
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2.4 if table.small else 3.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.0 if table.small else 3.6),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, PRIMARY),
            ("LINEBELOW", (0, 1), (-1, -1), 0.35, RULE),
        ]
        for number, row in enumerate(table.rows, start=1):
            if row.tone is not None:
                commands.append(("BACKGROUND", (0, number), (-1, number), _TONES[row.tone].fill))
        rl_table = _table(data, self.frame_height, colWidths=widths, repeatRows=1, hAlign="LEFT")
        rl_table.setStyle(_table_style(commands))
        return [rl_table, Spacer(1, 6)]

    def cell(self, cell: model.Cell, style: ParagraphStyle, align: model.Align) -> Flowable | list[Flowable]:
        if isinstance(cell, model.Badge):
            return _Badges([cell], align)
        if isinstance(cell, model.Meter):
            return _Meter(cell)
        return _text(cell, style)

    def key_values(self, block: model.KeyValues, width: float) -> list[Flowable]:
        if not block.rows:
            return []
        key_width = min(48 * mm, width * 0.34)
        data = [[RlParagraph(_escape(key), _KEY), _text(value, _VALUE)] for key, value in block.rows]
        table = _table(data, self.frame_height, colWidths=[key_width, width - key_width], hAlign="LEFT")
        table.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ]))
        table.spaceAfter = 6
        return [table]

    def figures(self, block: model.Figures, width: float) -> list[Flowable]:
        if not block.items:
            return []
        gap = 6.0
        count = max(len(block.items), 1)
        box = (width - gap * (count - 1)) / count
        row: list[Any] = []
        widths: list[float] = []
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]
        for number, item in enumerate(block.items):
            if number:
                row.append("")
                widths.append(gap)
            tone = _TONES[item.tone]
            column = len(row)
            cell: list[Flowable] = [
                RlParagraph(_escape(item.value), ParagraphStyle("fv", parent=_FIGURE_VALUE, textColor=tone.text)),
                RlParagraph(_escape(item.label), _FIGURE_LABEL),
            ]
            if item.detail:
                cell.append(RlParagraph(_escape(item.detail), _FIGURE_DETAIL))
            row.append(cell)
            widths.append(box)
            commands += [
                ("BACKGROUND", (column, 0), (column, 0), tone.fill),
                ("LINEABOVE", (column, 0), (column, 0), 2, tone.border),
            ]
        table = Table([row], colWidths=widths, hAlign="LEFT")
        table.setStyle(_table_style(commands))
        table.spaceAfter = 8
        return [table]

    def note(self, block: model.Note, width: float) -> Flowable:
        tone = _TONES[block.tone]
        table = _table([[_text(block.content, _CELL)]], self.frame_height, colWidths=[width], hAlign="LEFT")
        table.setStyle(_table_style([
            ("BACKGROUND", (0, 0), (-1, -1), tone.fill),
            ("LINEBEFORE", (0, 0), (0, -1), 2.4, tone.border),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 4.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5.5),
        ]))
        table.spaceAfter = 6
        return table

    def section(self, section: model.Section, width: float) -> Flowable:
        title = _escape(section.title)
        if section.aside:
            title += f'<font name="{REGULAR}" size="8" color="{_hex(MUTED)}">\u2002{_escape(section.aside)}</font>'
        head: Flowable = RlParagraph(title, _SECTION_TITLE)
        if section.badges:
            badges = _Badges(section.badges, "right")
            badge_width = min(badges.natural_width() + 1, width * 0.5)
            head = Table([[head, badges]], colWidths=[width - badge_width, badge_width], hAlign="LEFT")
            head.setStyle(_table_style([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]))
        parts: list[Flowable] = [
            HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=4, spaceAfter=7),
            head,
            Spacer(1, 2),
        ]
        if model.plain(section.subtitle):
            parts.append(RlParagraph(_markup(section.subtitle), _SECTION_SUB))
        else:
            parts.append(Spacer(1, 3))
        parts += self.blocks(section.blocks, width)
        return KeepTogether(parts)


def _title_block(document: model.Document) -> list[Flowable]:
    parts: list[Flowable] = []
    if document.kicker:
        parts.append(RlParagraph(_escape(document.kicker.upper()), _KICKER))
    parts.append(RlParagraph(_escape(document.title), _TITLE))
    if document.subtitle:
        parts.append(RlParagraph(_escape(document.subtitle), _SUBTITLE))
    parts.append(HRFlowable(width="100%", thickness=1.6, color=PRIMARY, spaceBefore=2, spaceAfter=12))
    return parts


# Header and footer text.
_RUNNING_SIZE = 7.6
_FOOTER_MOVED = _style("footer-moved", fontName=BOLD, fontSize=_RUNNING_SIZE, leading=9.4, textColor=MUTED)
_FOOTER_CENTRE = _style("footer-centre", fontSize=_RUNNING_SIZE, leading=9.4, textColor=MUTED)
_FOOTER_DETAIL = _style("footer-detail", fontSize=6.4, leading=8.2, textColor=MUTED)
# Between two texts on one line of the header or the footer.
_RUNNING_GAP = 4 * mm
_FOOTER_BASELINE = 12 * mm
# Nothing lower: the edge a printer cannot print on.
_FOOTER_FLOOR = 6 * mm
# The widest page number the footer makes room for. The layout may not depend on the real count: the first pass,
# which counts, must lay out the pages exactly as the second.
_WIDEST_PAGE_NUMBER = "pagina 9999 van 9999"


def _running_width(text: str, font: str) -> float:
    return float(stringWidth(text, font, _RUNNING_SIZE))


def _shortened(text: str, font: str, width: float) -> str:
    """`text` as it is when it fits `width`, or its longest start that does with "…"."""
    if _running_width(text, font) <= width:
        return text
    low, high = 0, len(text)  # the longest start that fits is text[:low]
    while low < high:
        middle = (low + high + 1) // 2
        if _running_width(text[:middle].rstrip() + "\u2026", font) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "\u2026" if low else ""


@dataclass(frozen=True, slots=True)
class _Running:
    """Where the header and the footer go on every page of one document, decided once, before either pass."""

    header: str
    header_right: str
    footer: str
    footer_centre: str
    # Paragraphs under the footer line, top down, wrapped to the text width, with their heights.
    below: tuple[tuple[RlParagraph, float], ...]
    baseline: float
    bottom_margin: float
    # The institute's logo on the first page: (ImageReader, width, height in points), or None.
    logo: tuple[Any, float, float] | None = None

    @property
    def frame_height(self) -> float:
        return float(PAGE_HEIGHT - MARGIN_TOP - self.bottom_margin)


def _running(document: model.Document) -> _Running:
    """The header on one line: the document's name shortened with "…" when it and the right-hand text do not fit
    (the title page says it in full). The footer's first line: `footer` left, `footer_centre` centred, the page
    number right; what does not fit beside the others goes on a line of its own below, with `footer_detail`,
    which wraps. The footer moves up as far as those lines need and the text ends above it, so nothing overlaps."""
    width = CONTENT_WIDTH
    header, header_right = visual(document.header), visual(document.header_right)
    if _running_width(header, BOLD) + _RUNNING_GAP + _running_width(header_right, REGULAR) > width:
        header_right = _shortened(
            header_right, REGULAR, max(width - _running_width(header, BOLD) - _RUNNING_GAP, width / 2)
        )
        header = _shortened(header, BOLD, width - _running_width(header_right, REGULAR) - _RUNNING_GAP)

    below: list[tuple[str, ParagraphStyle]] = []
    footer, centre = document.footer, document.footer_centre
    number_width = _running_width(_WIDEST_PAGE_NUMBER, REGULAR)
    if _running_width(visual(footer), BOLD) + _RUNNING_GAP + number_width > width:
        below.append((footer, _FOOTER_MOVED))
        footer = ""
    side = max(_running_width(visual(footer), BOLD), number_width)
    if centre and _running_width(visual(centre), REGULAR) / 2 + _RUNNING_GAP + side > width / 2:
        below.append((centre, _FOOTER_CENTRE))
        centre = ""
    if document.adres:
        below.append((document.adres, _FOOTER_DETAIL))
    if document.footer_detail:
        below.append((document.footer_detail, _FOOTER_DETAIL))

    paragraphs: list[tuple[RlParagraph, float]] = []
    for text, style in below:
        paragraph = RlParagraph(_escape(text), style)
        paragraphs.append((paragraph, float(paragraph.wrap(width, PAGE_HEIGHT)[1])))
    baseline = max(_FOOTER_BASELINE, _FOOTER_FLOOR + sum(h for _, h in paragraphs) + 3 * mm)
    return _Running(
        header=header,
        header_right=header_right,
        footer=visual(footer),
        footer_centre=visual(centre),
        below=tuple(paragraphs),
        baseline=baseline,
        bottom_margin=max(MARGIN_BOTTOM, baseline + 10 * mm),
        logo=_logo(document.logo),
    )


# The logo: 1.5 cm high at the top right of the first page, in the top margin above the title block (which has
# the page to itself: the running header starts on page 2), so it never overlaps the kicker or a long title.
LOGO_HEIGHT = 15 * mm
LOGO_MAX_WIDTH = 60 * mm
LOGO_TOP = 8 * mm


def _logo(data: bytes | None) -> tuple[Any, float, float] | None:
    """The logo as reportlab draws it, scaled with its aspect kept; None when there is none or it is unfit
    (documents/profiel.py checked it; a document is never refused for its logo)."""
    size = logo_afmeting(data) if data else None
    if data is None or size is None:
        return None
    width_px, height_px = size
    width, height = LOGO_HEIGHT * width_px / height_px, LOGO_HEIGHT
    if width > LOGO_MAX_WIDTH:  # a wide logo: as wide as allowed, less high
        width, height = LOGO_MAX_WIDTH, LOGO_MAX_WIDTH * height_px / width_px
    return ImageReader(io.BytesIO(data)), width, height


def _page_decorator(running: _Running, total: int, pages: list[int]) -> Callable[[Any, Any], None]:
    def decorate(canvas: Any, doc: Any) -> None:
        page = int(canvas.getPageNumber())
        pages.append(page)
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        left, right = MARGIN_LEFT, PAGE_WIDTH - MARGIN_RIGHT
        if page == 1 and running.logo is not None:
            image, width, height = running.logo
            canvas.drawImage(image, right - width, PAGE_HEIGHT - LOGO_TOP - height, width, height, mask="auto")
        if page > 1 and running.header:
            y = PAGE_HEIGHT - 14 * mm
            canvas.setFont(BOLD, _RUNNING_SIZE)
            canvas.drawString(left, y, running.header)
            canvas.setFont(REGULAR, _RUNNING_SIZE)
            canvas.drawRightString(right, y, running.header_right)
            canvas.line(left, y - 2.6 * mm, right, y - 2.6 * mm)
        y = running.baseline
        canvas.line(left, y + 3.6 * mm, right, y + 3.6 * mm)
        canvas.setFont(BOLD, _RUNNING_SIZE)
        canvas.drawString(left, y, running.footer)
        canvas.setFont(REGULAR, _RUNNING_SIZE)
        if running.footer_centre:
            canvas.drawCentredString(PAGE_WIDTH / 2, y, running.footer_centre)
        canvas.drawRightString(right, y, f"pagina {page} van {total}" if total else f"pagina {page}")
        top = y - 3 * mm
        for paragraph, height in running.below:
            top -= height
            paragraph.drawOn(canvas, left, top)
        canvas.restoreState()

    return decorate


def _build(document: model.Document, running: _Running, total: int) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=running.bottom_margin,
        title=document.title + (f" \u2013 {document.subtitle}" if document.subtitle else ""),
        author=document.author,
        subject=document.header,
        creator="Ontkoppel Desktop",
        keywords=", ".join(document.keywords),
        lang="nl-NL",
        # The canvas starts every page in this font; left at reportlab's default, each page would name
        # Helvetica, which is not embedded, even though no text is set in it.
        initialFontName=REGULAR,
        keepTogetherClass=_KeepWithNext,
    )
    pages: list[int] = []
    # No frame padding: tables, rules, the running header and the footer share the same left and right edge.
    frame = Frame(
        MARGIN_LEFT, running.bottom_margin, CONTENT_WIDTH, running.frame_height,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="tekst",
    )
    doc.addPageTemplates([PageTemplate("pagina", [frame], onPage=_page_decorator(running, total, pages))])
    story = _title_block(document) + _Renderer(running.frame_height).blocks(document.blocks, CONTENT_WIDTH)
    doc.build(story)
    return buffer.getvalue(), max(pages, default=0)


def render_pdf(document: model.Document) -> bytes:
    """The document as PDF bytes."""
    register_pdf_fonts()
    running = _running(document)
    _, pages = _build(document, running, 0)
    data, final = _build(document, running, pages)
    if final != pages:  # the footer never changes the layout; guard the "van M" all the same
        data, _ = _build(document, running, final)
    return data


def write_pdf(path: str | os.PathLike[str], document: model.Document) -> None:
    """Render and write the document, whole or not at all, with a Dutch message on failure (documents/bestand.py)."""
    write_document(Path(path), render_pdf(document))
