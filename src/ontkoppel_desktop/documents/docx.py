"""The Word renderer: a `Document` of the content model as an A4 .docx, with python-docx.

It says what the PDF says (`pdf`), in the shapes a Word user expects to edit: Word's own heading styles (shown as
"Kop 1".."Kop 3" in a Dutch Word, so the navigation pane lists them), tables whose header row repeats on every
page, key-values and notes as borderless or shaded tables, the running header and footer in Word's header and
footer with "pagina X van Y" as PAGE and NUMPAGES fields that Word computes itself. The document's language is
Dutch, so Word checks its spelling in Dutch.

python-docx builds the package (styles, sections, header and footer parts, core properties); the body is written
as WordprocessingML directly, element by element, because python-docx's table API re-reads the grid on every
cell and a 30-page verslag would take seconds.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeAlias

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ontkoppel_desktop.documents import model
from ontkoppel_desktop.documents.bestand import DocumentNietOpgeslagen, write_document
from ontkoppel_desktop.documents.profiel import logo_afmeting

# An lxml element (lxml has no type information).
Element: TypeAlias = Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Calibri: Word's body font from 2007 until Aptos (2023, a cloud font that only Microsoft 365 downloads), installed
# with every Office on Windows and Mac, so the jaarassistent and the opleider see the same lines; it covers Latin
# Extended-A (ĳ, ı İ ş ğ). It has no Arabic: Word sets complex-script text (Arabic, Hebrew: runs marked right-to-
# left) in the `cs` font, Arial, which has Arabic on Windows and macOS. East-Asian text keeps the theme's font.
FONT = "Calibri"
FONT_COMPLEX = "Arial"

# The page of the PDF (pdf.py): A4, the same margins, so both formats break lines alike.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_LEFT_MM = MARGIN_RIGHT_MM = 20
MARGIN_TOP_MM = 24
MARGIN_BOTTOM_MM = 22


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


CONTENT_WIDTH = _twips(PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM)

# The PDF's colours (pdf.py), as Word writes them.
INK = "1F2933"
MUTED = "5B6875"
PRIMARY = "1B3A5C"
RULE = "D3D9E0"
HEADER_BG = "EDF1F5"


@dataclass(frozen=True, slots=True)
class _ToneColours:
    text: str
    fill: str
    border: str


_TONES: dict[str, _ToneColours] = {
    "neutral": _ToneColours("39434D", "EEF1F4", "C5CED7"),
    "accent": _ToneColours("1B4F8A", "E4EEF9", "9FBFE6"),
    "positive": _ToneColours("1D6A39", "E4F3E8", "9FD3AE"),
    "warning": _ToneColours("855600", "FCF1D9", "E9C77F"),
    "negative": _ToneColours("A12222", "FBE7E7", "E6A9A9"),
}

_ALIGN = {"left": "left", "right": "right", "center": "center"}

# Style names; a style's id is its name without spaces. Word's own styles are named in English in the file and shown
# in the user's language ("Kop 1", "Titel", "Voettekst"); ours are Dutch, as a Word user sees them in the styles pane.
_HEADINGS = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}
TITLE, SUBTITLE, HEADER, FOOTER = "Title", "Subtitle", "Header", "Footer"
KICKER = "Bovenregel"
SMALL = "Kleine tekst"
CELL = "Tabeltekst"
CELL_SMALL = "Tabeltekst klein"
TH = "Tabelkop"
KEY = "Sleutel"
VALUE = "Waarde"
NOTE = "Notitie"
SECTION_TITLE = "Sectietitel"
SECTION_SUB = "Sectie-ondertitel"
FIGURE_VALUE = "Kengetal"
FIGURE_LABEL = "Kengetal-label"
FIGURE_DETAIL = "Kengetal-toelichting"
FOOTER_DETAIL = "Voettekst klein"
RULE_STYLE = "Scheidingslijn"
# A meter's "value / maximum": a character style of its own, so a Word user can restyle every meter at once (and a
# test can tell it from text the PDF prints).
METER = "Aandeel"

# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ..., the Arabic presentation forms, and
# the right-to-left blocks beyond the BMP). A run of them, with the spaces between them, is marked w:rtl.
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
_RTL_RUN = re.compile(f"[{_RTL}](?:[{_RTL}\\s\u200c\u200d]*[{_RTL}])?")


def rtl_pieces(text: str) -> Iterator[tuple[str, bool]]:
    """`text` cut into pieces of one direction: (piece, right_to_left), in logical order."""
    start = 0
    for match in _RTL_RUN.finditer(text):
        if match.start() > start:
            yield text[start:match.start()], False
        yield match.group(), True
        start = match.end()
    if start < len(text):
        yield text[start:], False


# --- the template: styles and settings, prepared once per process --------------------------------------------


def _style(
    doc: Any,
    name: str,
    *,
    base: str = "Normal",
    kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH,
    size: float | None = None,
    bold: bool | None = None,
    colour: str | None = None,
    caps: bool = False,
    before: float | None = None,
    after: float | None = None,
    keep_next: bool = False,
) -> Any:
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        style.base_style = styles[base] if base else None
        fmt = style.paragraph_format
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if keep_next:
            fmt.keep_with_next = True
    font = style.font
    if size is not None:
        font.size = Pt(size)
        _set(style.element.get_or_add_rPr(), "szCs", val=str(round(size * 2)))
    if bold is not None:
        font.bold = bold
        _set(style.element.get_or_add_rPr(), "bCs", val="1" if bold else "0")
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour)
    if caps:
        font.all_caps = True
    return style


# The order WordprocessingML prescribes for the children of w:rPr and w:pPr (Word refuses a file otherwise).
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath",
)
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
    "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
    "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
    "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)


def _set(parent: Element, tag: str, **attrs: str) -> Element:
    """The child `tag` of a w:rPr or w:pPr (made in its place if missing) with `attrs` set."""
    order = _RPR_ORDER if parent.tag == _w("rPr") else _PPR_ORDER
    child = parent.find(_w(tag))
    if child is None:
        child = etree.Element(_w(tag))
        rank = order.index(tag)
        position = 0
        for index, sibling in enumerate(parent):
            name = etree.QName(sibling).localname
            if name in order and order.index(name) < rank:
                position = index + 1
        parent.insert(position, child)
    for key, value in attrs.items():
        child.set(_w(key), value)
    return child


def _restyle_built_in(doc: Any) -> None:
    """Word's own styles in the look of the PDF; their fonts from the document defaults (not the theme)."""
    root = doc.styles.element
    defaults = root.find(_w("docDefaults"))
    rpr = defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}")
    fonts = rpr.find(_w("rFonts"))
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for key, value in (("ascii", FONT), ("hAnsi", FONT), ("cs", FONT_COMPLEX), ("eastAsiaTheme", "minorEastAsia")):
        fonts.set(_w(key), value)
    _set(rpr, "sz", val="20")
    _set(rpr, "szCs", val="20")
    # Dutch, so Word checks the spelling in Dutch (right-to-left runs are checked as Arabic).
    _set(rpr, "lang", val="nl-NL", bidi="ar-SA")
    spacing = defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}/{_w('spacing')}")
    spacing.set(_w("after"), "0")
    spacing.set(_w("line"), "252")
    # Styles that name the theme's fonts (Cambria, Calibri Light) would not follow the document's font.
    for element in root.iter(_w("rFonts")):
        theme_only = all("theme" in etree.QName(key).localname.lower() for key in element.attrib)
        if element.getparent() is not rpr and theme_only:
            element.getparent().remove(element)
    for element in root.iter(_w("color")):
        for key in ("themeColor", "themeShade", "themeTint"):
            element.attrib.pop(_w(key), None)
    # Word ships some 150 table styles itself; the template's copies only make the file larger.
    for style in list(root.iter(_w("style"))):
        if style.get(_w("type")) == "table" and style.get(_w("styleId")) not in ("TableNormal", "TableGrid"):
            root.remove(style)

    _style(doc, "Normal", base="", colour=INK, after=5)
    heading_looks = {1: (16, PRIMARY, 14, 6), 2: (13, PRIMARY, 11, 4), 3: (11, INK, 8, 3)}
    for level, (size, colour, before, after) in heading_looks.items():
        style = _style(doc, f"Heading {level}", size=size, bold=True, colour=colour, before=before, after=after)
        style.font.italic = False
    title = _style(doc, "Title", size=24, bold=True, colour=PRIMARY, after=3)
    ppr = title.element.get_or_add_pPr()
    for tag in ("pBdr", "contextualSpacing"):
        if (child := ppr.find(_w(tag))) is not None:
            ppr.remove(child)
    subtitle = _style(doc, "Subtitle", size=13, colour=MUTED, after=8)
    subtitle.font.italic = False
    subtitle_ppr = subtitle.element.get_or_add_pPr()
    if (numbering := subtitle_ppr.find(_w("numPr"))) is not None:
        subtitle_ppr.remove(numbering)
    # The template spaces the title's and subtitle's letters apart; the PDF does not.
    for style in (title, subtitle):
        for tag in ("spacing", "kern"):
            if (child := style.element.rPr.find(_w(tag))) is not None:
                style.element.rPr.remove(child)
    for name in ("Header", "Footer"):
        style = _style(doc, name, size=8, colour=MUTED)
        tabs = style.element.get_or_add_pPr().find(_w("tabs"))
        for tab in list(tabs):
            tabs.remove(tab)
        for kind, position in (("center", CONTENT_WIDTH // 2), ("right", CONTENT_WIDTH)):
            etree.SubElement(tabs, _w("tab"), {_w("val"): kind, _w("pos"): str(position)})

    _style(doc, KICKER, size=8.5, bold=True, colour=MUTED, caps=True, after=4)
    _style(doc, SMALL, size=9, after=3)
    _style(doc, CELL, size=9.5, after=0)
    _style(doc, CELL_SMALL, base=CELL, size=8.5)
    _style(doc, TH, base=CELL, size=8.5, bold=True, colour=MUTED)
    _style(doc, KEY, size=9.5, colour=MUTED, after=0)
    _style(doc, VALUE, size=10, after=0)
    _style(doc, NOTE, size=9.5, after=0)
    section_title = _style(doc, SECTION_TITLE, size=12, bold=True, colour=PRIMARY, after=1, keep_next=True)
    # Level 2 in the navigation pane: each aios or opleider of a long document can be found there.
    _set(section_title.element.get_or_add_pPr(), "outlineLvl", val="1")
    _style(doc, SECTION_SUB, size=9, colour=MUTED, after=4, keep_next=True)
    _style(doc, FIGURE_VALUE, size=18, bold=True, after=0)
    _style(doc, FIGURE_LABEL, size=8.5, bold=True, after=1)
    _style(doc, FIGURE_DETAIL, size=8, colour=MUTED, after=0)
    _style(doc, FOOTER_DETAIL, base="Footer", size=7)
    rule = _style(doc, RULE_STYLE, size=2, before=4, after=7, keep_next=True)
    _set(rule.element.get_or_add_pPr(), "pBdr")
    etree.SubElement(rule.element.pPr.find(_w("pBdr")), _w("bottom"),
                     {_w("val"): "single", _w("sz"): "5", _w("space"): "0", _w("color"): RULE})
    _style(doc, METER, kind=WD_STYLE_TYPE.CHARACTER)


def _settings(doc: Any) -> None:
    settings = doc.settings.element
    # "clean" would tell Word the spelling was checked already.
    if (proof := settings.find(_w("proofState"))) is not None:
        settings.remove(proof)
    settings.find(_w("themeFontLang")).set(_w("val"), "nl-NL")
    settings.find(_w("decimalSymbol")).set(_w("val"), ",")
    settings.find(_w("listSeparator")).set(_w("val"), ";")
    # Word 2013 and later: a table's indent is measured to its edge, so a table lines up with the text.
    for setting in settings.iter(_w("compatSetting")):
        if setting.get(_w("name")) == "compatibilityMode":
            setting.set(_w("val"), "15")


def _drop_template_extras(doc: Any) -> None:
    """Leave out what python-docx's template carries but this document is not: a stale thumbnail of another
    document (shown by Explorer and Finder), a bibliography store, and Word 2010's second copy of the styles,
    which Word 2010 would read instead of ours."""
    for rels, kinds in (
        (doc.part.package.rels, {RT.THUMBNAIL}),
        (doc.part.rels, {RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}),
    ):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in kinds]:
            del rels[rid]


@cache
def _template() -> bytes:
    doc = docx.Document()
    _restyle_built_in(doc)
    _settings(doc)
    _drop_template_extras(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.header_distance, section.footer_distance = Mm(11), Mm(9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- the body ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Look:
    """How a run looks beyond its paragraph's style."""

    style: str = ""
    # None: as the paragraph's style says; False: not bold even in a bold style.
    bold: bool | None = None
    colour: str = ""
    size: float = 0.0
    fill: str = ""
    frame: str = ""


def _run(paragraph: Element, look: _Look, rtl: bool = False) -> Element:
    run = etree.SubElement(paragraph, _w("r"))
    if look == _Look() and not rtl:
        return run
    rpr = etree.SubElement(run, _w("rPr"))
    if look.style:
        etree.SubElement(rpr, _w("rStyle"), {_w("val"): look.style.replace(" ", "")})
    if look.bold is not None:
        value = {_w("val"): "1" if look.bold else "0"}
        etree.SubElement(rpr, _w("b"), value)
        etree.SubElement(rpr, _w("bCs"), value)
    if look.colour:
        etree.SubElement(rpr, _w("color"), {_w("val"): look.colour})
    if look.size:
        half_points = str(round(look.size * 2))
        etree.SubElement(rpr, _w("sz"), {_w("val"): half_points})
        etree.SubElement(rpr, _w("szCs"), {_w("val"): half_points})
    if look.frame:
        etree.SubElement(rpr, _w("bdr"), {_w("val"): "single", _w("sz"): "4", _w("space"): "0",
                                          _w("color"): look.frame})
    if look.fill:
        etree.SubElement(rpr, _w("shd"), {_w("val"): "clear", _w("color"): "auto", _w("fill"): look.fill})
    if rtl:
        etree.SubElement(rpr, _w("rtl"))
    return run


def _text(paragraph: Element, text: str, look: _Look = _Look()) -> None:
    """`text` as runs: "\n" a line break, tabs as tabs, right-to-left pieces marked so."""
    for number, line in enumerate(text.split("\n")):
        if number:
            etree.SubElement(_run(paragraph, look), _w("br"))
        for piece, rtl in rtl_pieces(line):
            run = _run(paragraph, look, rtl)
            for index, chunk in enumerate(piece.split("\t")):
                if index:
                    etree.SubElement(run, _w("tab"))
                if chunk:
                    element = etree.SubElement(run, _w("t"))
                    element.text = chunk
                    element.set(_XML_SPACE, "preserve")


def _inline(paragraph: Element, content: model.Inline, look: _Look = _Look()) -> None:
    if isinstance(content, str):
        _text(paragraph, content, look)
        return
    for piece in content:
        _text(paragraph, piece.text, replace(look, bold=True if piece.bold else look.bold,
                                             colour=MUTED if piece.muted else look.colour))


def _field(paragraph: Element, instruction: str, shown: str) -> None:
    """A field Word computes itself (PAGE, NUMPAGES); `shown` until it does."""
    etree.SubElement(etree.SubElement(paragraph, _w("r")), _w("fldChar"), {_w("fldCharType"): "begin"})
    code = etree.SubElement(etree.SubElement(paragraph, _w("r")), _w("instrText"))
    code.text = f" {instruction} "
    code.set(_XML_SPACE, "preserve")
    etree.SubElement(etree.SubElement(paragraph, _w("r")), _w("fldChar"), {_w("fldCharType"): "separate"})
    etree.SubElement(etree.SubElement(paragraph, _w("r")), _w("t")).text = shown
    etree.SubElement(etree.SubElement(paragraph, _w("r")), _w("fldChar"), {_w("fldCharType"): "end"})


def _border(parent: Element, side: str, colour: str, eighths: int, space: int = 0) -> None:
    if not colour:
        etree.SubElement(parent, _w(side), {_w("val"): "nil"})
        return
    etree.SubElement(parent, _w(side), {_w("val"): "single", _w("sz"): str(eighths), _w("space"): str(space),
                                        _w("color"): colour})


def _badge_look(badge: model.Badge) -> _Look:
    tone = _TONES[badge.tone]
    return _Look(bold=True, colour=tone.text, size=8, fill=tone.fill, frame=tone.border)


# Padding inside a badge's frame: no-break spaces, so the frame never hugs the letters or wraps inside.
_PAD = "\u00a0"


class _Body:
    """Writes blocks as WordprocessingML into a parent (the body or a table cell)."""

    def __init__(self) -> None:
        # A PageBreak puts "page break before" on the next paragraph: a paragraph holding only a break would leave
        # an empty line at the top of the new page.
        self.break_pending = False

    def paragraph(self, parent: Element, style: str = "", align: str = "") -> Element:
        paragraph = etree.SubElement(parent, _w("p"))
        if not (style or align or self.break_pending):
            return paragraph
        ppr = etree.SubElement(paragraph, _w("pPr"))
        if style:
            etree.SubElement(ppr, _w("pStyle"), {_w("val"): style.replace(" ", "")})
        if self.break_pending:
            etree.SubElement(ppr, _w("pageBreakBefore"))
            self.break_pending = False
        if align and align != "left":
            etree.SubElement(ppr, _w("jc"), {_w("val"): _ALIGN[align]})
        return paragraph

    def blocks(self, parent: Element, blocks: tuple[model.Block, ...], width: int) -> None:
        for block in blocks:
            self.block(parent, block, width)

    def block(self, parent: Element, block: model.Block, width: int) -> None:
        if isinstance(block, model.Heading):
            _text(self.paragraph(parent, _HEADINGS[block.level]), block.text)
        elif isinstance(block, model.Paragraph):
            look = _Look(colour=MUTED) if block.muted else _Look()
            _inline(self.paragraph(parent, SMALL if block.small else ""), block.content, look)
        elif isinstance(block, model.Table):
            self.table(parent, block, width)
        elif isinstance(block, model.KeyValues):
            self.key_values(parent, block, width)
        elif isinstance(block, model.Figures):
            self.figures(parent, block, width)
        elif isinstance(block, model.Note):
            self.note(parent, block, width)
        elif isinstance(block, model.PageBreak):
            self.break_pending = True
        else:
            self.section(parent, block, width)

    # Tables --------------------------------------------------------------------------------------------------

    def grid(
        self,
        parent: Element,
        widths: list[int],
        *,
        margins: tuple[int, int, int, int] = (50, 80, 60, 80),
        lines: str = "",
    ) -> Element:
        """A table of fixed column widths (twips) across `sum(widths)`; `lines`: the colour of the rules between
        rows and under the table, or no lines at all. `margins`: top, left, bottom, right of each cell."""
        table = etree.SubElement(parent, _w("tbl"))
        tpr = etree.SubElement(table, _w("tblPr"))
        etree.SubElement(tpr, _w("tblW"), {_w("w"): str(sum(widths)), _w("type"): "dxa"})
        etree.SubElement(tpr, _w("tblInd"), {_w("w"): "0", _w("type"): "dxa"})
        borders = etree.SubElement(tpr, _w("tblBorders"))
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _border(borders, side, lines if side in ("bottom", "insideH") else "", 3)
        etree.SubElement(tpr, _w("tblLayout"), {_w("type"): "fixed"})
        cell_margins = etree.SubElement(tpr, _w("tblCellMar"))
        for side, value in zip(("top", "left", "bottom", "right"), margins, strict=True):
            etree.SubElement(cell_margins, _w(side), {_w("w"): str(value), _w("type"): "dxa"})
        etree.SubElement(tpr, _w("tblLook"), {_w("val"): "0000", _w("firstRow"): "0", _w("lastRow"): "0",
                                              _w("firstColumn"): "0", _w("lastColumn"): "0", _w("noHBand"): "1",
                                              _w("noVBand"): "1"})
        grid = etree.SubElement(table, _w("tblGrid"))
        for width in widths:
            etree.SubElement(grid, _w("gridCol"), {_w("w"): str(width)})
        return table

    @staticmethod
    def row(table: Element, *, header: bool = False, keep: bool = True) -> Element:
        row = etree.SubElement(table, _w("tr"))
        if header or keep:
            trpr = etree.SubElement(row, _w("trPr"))
            if keep:
                etree.SubElement(trpr, _w("cantSplit"))
            if header:
                etree.SubElement(trpr, _w("tblHeader"))
        return row

    @staticmethod
    def cell(row: Element, width: int, *, fill: str = "", borders: dict[str, tuple[str, int]] | None = None) -> Element:
        cell = etree.SubElement(row, _w("tc"))
        tcpr = etree.SubElement(cell, _w("tcPr"))
        etree.SubElement(tcpr, _w("tcW"), {_w("w"): str(width), _w("type"): "dxa"})
        if borders:
            element = etree.SubElement(tcpr, _w("tcBorders"))
            for side in ("top", "left", "bottom", "right"):
                if side in borders:
                    _border(element, side, *borders[side])
        if fill:
            etree.SubElement(tcpr, _w("shd"), {_w("val"): "clear", _w("color"): "auto", _w("fill"): fill})
        return cell

    def spacer(self, parent: Element, points: float = 6) -> None:
        """A small empty paragraph after a table: space below it, and two tables in a row are not merged by Word
        into one."""
        paragraph = self.paragraph(parent)
        ppr = etree.SubElement(paragraph, _w("pPr"))
        etree.SubElement(ppr, _w("spacing"), {_w("before"): "0", _w("after"): "0", _w("line"): str(round(points * 20)),
                                              _w("lineRule"): "exact"})
        rpr = etree.SubElement(ppr, _w("rPr"))
        etree.SubElement(rpr, _w("sz"), {_w("val"): "2"})

    def table(self, parent: Element, table: model.Table, width: int) -> None:
        if not table.rows:
            _text(self.paragraph(parent, SMALL), table.empty, _Look(colour=MUTED))
            return
        total = sum(c.width for c in table.columns) or 1.0
        widths = [round(width * c.width / total) for c in table.columns]
        widths[-1] += width - sum(widths)
        grid = self.grid(parent, widths, margins=(48 if table.small else 64, 80, 56 if table.small else 72, 80),
                         lines=RULE)
        header = self.row(grid, header=True)
        for column, column_width in zip(table.columns, widths, strict=True):
            cell = self.cell(header, column_width, fill=HEADER_BG, borders={"bottom": (PRIMARY, 6)})
            _text(self.paragraph(cell, TH, column.align), column.title)
        style = CELL_SMALL if table.small else CELL
        for row in table.rows:
            # A row of a few lines stays whole on its page; a long one may continue on the next.
            long = sum(len(model.plain(c)) for c in row.cells if not isinstance(c, (model.Badge, model.Meter))) > 800
            element = self.row(grid, keep=not long)
            fill = _TONES[row.tone].fill if row.tone is not None else ""
            for value, column, column_width in zip(row.cells, table.columns, widths, strict=True):
                paragraph = self.paragraph(self.cell(element, column_width, fill=fill), style, column.align)
                if isinstance(value, model.Badge):
                    _text(paragraph, f"{_PAD}{value.text}{_PAD}", _badge_look(value))
                elif isinstance(value, model.Meter):
                    tone = _TONES[value.tone]
                    _text(paragraph, f"{value.value} / {value.maximum}", _Look(style=METER, colour=tone.text))
                else:
                    _inline(paragraph, value)
        self.spacer(parent)

    def key_values(self, parent: Element, block: model.KeyValues, width: int) -> None:
        key_width = min(_twips(48), round(width * 0.34))
        grid = self.grid(parent, [key_width, width - key_width], margins=(24, 0, 32, 120))
        for key, value in block.rows:
            row = self.row(grid)
            _text(self.paragraph(self.cell(row, key_width), KEY), key)
            _inline(self.paragraph(self.cell(row, width - key_width), VALUE), value)
        self.spacer(parent)

    def figures(self, parent: Element, block: model.Figures, width: int) -> None:
        if not block.items:
            return
        gap = 120
        count = len(block.items)
        box = (width - gap * (count - 1)) // count
        widths: list[int] = []
        for number in range(count):
            widths += [gap, box] if number else [box]
        widths[-1] += width - sum(widths)
        grid = self.grid(parent, widths, margins=(120, 160, 140, 120))
        row = self.row(grid)
        for number, item in enumerate(block.items):
            if number:
                self.paragraph(self.cell(row, gap))
            tone = _TONES[item.tone]
            cell = self.cell(row, widths[2 * number], fill=tone.fill, borders={"top": (tone.border, 16)})
            # Label first, then the figure: the order in which the content model reads them.
            _text(self.paragraph(cell, FIGURE_LABEL), item.label)
            _text(self.paragraph(cell, FIGURE_VALUE), item.value, _Look(colour=tone.text))
            if item.detail:
                _text(self.paragraph(cell, FIGURE_DETAIL), item.detail)
        self.spacer(parent, 8)

    def note(self, parent: Element, block: model.Note, width: int) -> None:
        tone = _TONES[block.tone]
        grid = self.grid(parent, [width], margins=(90, 160, 110, 160))
        cell = self.cell(self.row(grid, keep=len(model.plain(block.content)) < 800), width, fill=tone.fill,
                         borders={"left": (tone.border, 19)})
        _inline(self.paragraph(cell, NOTE), block.content)
        self.spacer(parent)

    # Sections ------------------------------------------------------------------------------------------------

    def section(self, parent: Element, section: model.Section, width: int) -> None:
        first = len(parent)
        self.paragraph(parent, RULE_STYLE)
        if section.badges:
            # Title and subtitle left, the badges right, as in the PDF; read in that order.
            badge_width = min(sum(len(b.text) * 95 + 260 for b in section.badges) + 120, width // 2)
            grid = self.grid(parent, [width - badge_width, badge_width], margins=(0, 0, 0, 0))
            row = self.row(grid)
            self.section_head(self.cell(row, width - badge_width), section)
            badges = self.paragraph(self.cell(row, badge_width), SECTION_TITLE, "right")
            for number, badge in enumerate(section.badges):
                if number:
                    _text(badges, " ")
                _text(badges, f"{_PAD}{badge.text}{_PAD}", _badge_look(badge))
            self.spacer(parent, 2)
        else:
            self.section_head(parent, section)
        self.blocks(parent, section.blocks, width)
        # Kept on one page where it fits, as the PDF keeps a section together: every paragraph of a section that
        # fits on a page keeps with the next. A longer one only keeps its head with its first lines.
        text = sum(len(line) for line in model.all_text(model.Document("", section.blocks)).splitlines())
        if text < 2500 and len(parent) - first < 60:
            paragraphs = [p for element in parent[first:] for p in element.iter(_w("p"))]
            for paragraph in paragraphs[:-1]:
                _set(_properties_of(paragraph), "keepNext")

    def section_head(self, parent: Element, section: model.Section) -> None:
        title = self.paragraph(parent, SECTION_TITLE)
        _text(title, section.title)
        if section.aside:
            _text(title, "\u2002")
            _text(title, section.aside, _Look(bold=False, colour=MUTED, size=8.5))
        if model.plain(section.subtitle):
            _inline(self.paragraph(parent, SECTION_SUB), section.subtitle)


def _properties_of(paragraph: Element) -> Element:
    """The w:pPr of a paragraph, made if it has none."""
    ppr = paragraph.find(_w("pPr"))
    if ppr is None:
        ppr = etree.Element(_w("pPr"))
        paragraph.insert(0, ppr)
    return ppr


def _title_block(body: _Body, parent: Element, document: model.Document) -> None:
    if document.kicker:
        _text(body.paragraph(parent, KICKER), document.kicker)
    paragraphs = [body.paragraph(parent, TITLE)]
    _text(paragraphs[0], document.title)
    if document.subtitle:
        paragraphs.append(body.paragraph(parent, SUBTITLE))
        _text(paragraphs[-1], document.subtitle)
    # The rule under the title block, as in the PDF.
    ppr = paragraphs[-1].find(_w("pPr"))
    _border(_set(ppr, "pBdr"), "bottom", PRIMARY, 12, 6)
    _set(ppr, "spacing", after="240")


# --- header and footer ------------------------------------------------------------------------------------------


def _clear(container: Any) -> Element:
    element = container._element
    for child in list(element):
        element.remove(child)
    return element


def _running_text(doc: Any, document: model.Document) -> None:
    section = doc.sections[0]
    body = _Body()
    # The first page shows the title block instead of the running header (as the PDF does); its footer is the same.
    section.different_first_page_header_footer = True
    if document.header or document.header_right:
        header = _clear(section.header)
        paragraph = body.paragraph(header, HEADER)
        ppr = paragraph.find(_w("pPr"))
        _border(_set(ppr, "pBdr"), "bottom", RULE, 4, 4)
        # Only the right tab stop: a long name on the left never pushes the right part onto a line of its own.
        etree.SubElement(_set(ppr, "tabs"), _w("tab"), {_w("val"): "clear", _w("pos"): str(CONTENT_WIDTH // 2)})
        _text(paragraph, document.header, _Look(bold=True))
        _text(paragraph, "\t" + document.header_right if document.header_right else "")
        body.paragraph(_clear(section.first_page_header), HEADER)
    for footer in (section.footer, section.first_page_footer):
        element = _clear(footer)
        paragraph = body.paragraph(element, FOOTER)
        _border(_set(paragraph.find(_w("pPr")), "pBdr"), "top", RULE, 4, 4)
        _text(paragraph, document.footer, _Look(bold=True))
        _text(paragraph, "\t")
        _text(paragraph, document.footer_centre)
        _text(paragraph, "\tpagina ")
        _field(paragraph, "PAGE", "1")
        _text(paragraph, " van ")
        _field(paragraph, "NUMPAGES", "1")
        if document.adres:
            _text(body.paragraph(element, FOOTER_DETAIL), document.adres)
        if document.footer_detail:
            _text(body.paragraph(element, FOOTER_DETAIL), document.footer_detail)


# The logo as in the PDF: 1.5 cm high (at most 6 cm wide), aspect kept, at the right of the first page's header.
LOGO_HEIGHT_MM = 15
LOGO_MAX_WIDTH_MM = 60


def _logo(doc: Any, document: model.Document) -> None:
    """The institute's logo in the first page's header, right-aligned; left out when unfit (documents/profiel.py
    checked it; a document is never refused for its logo)."""
    size = logo_afmeting(document.logo) if document.logo else None
    if document.logo is None or size is None:
        return
    header = doc.sections[0].first_page_header
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    width_px, height_px = size
    if LOGO_HEIGHT_MM * width_px / height_px > LOGO_MAX_WIDTH_MM:
        paragraph.add_run().add_picture(io.BytesIO(document.logo), width=Mm(LOGO_MAX_WIDTH_MM))
    else:
        paragraph.add_run().add_picture(io.BytesIO(document.logo), height=Mm(LOGO_HEIGHT_MM))


def _properties(doc: Any, document: model.Document) -> None:
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    core = doc.core_properties
    core.title = document.title + (f" \u2013 {document.subtitle}" if document.subtitle else "")
    core.author = document.author
    core.last_modified_by = document.author
    core.subject = document.header
    core.keywords = ", ".join(document.keywords)
    core.comments = ""
    core.language = "nl-NL"
    core.created = core.modified = now
    core.revision = 1


def render_docx(document: model.Document) -> bytes:
    """The document as .docx bytes."""
    doc = docx.Document(io.BytesIO(_template()))
    _properties(doc, document)
    _running_text(doc, document)
    _logo(doc, document)
    element = doc.element.body
    section_properties = element.find(_w("sectPr"))
    element.remove(section_properties)
    body = _Body()
    _title_block(body, element, document)
    body.blocks(element, document.blocks, CONTENT_WIDTH)
    element.append(section_properties)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_docx(path: str | os.PathLike[str], document: model.Document) -> None:
    """Render and write the document, whole or not at all (documents/bestand.py)."""
    write_document(Path(path), render_docx(document))





__all__ = ["DocumentNietOpgeslagen", "render_docx", "rtl_pieces", "write_docx"]
