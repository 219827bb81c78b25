"""The styles of a GB/T 9704-2012 document: its fonts, sizes and page geometry, and every paragraph and
character style, defined once on a python-docx document (see gbt9704.py for the parts that use them).

Section numbers of the standard are cited as (7.x).
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt

# Fonts named in the document (7.1, 7.2, 7.3).
LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"

SIZE_2 = Pt(22)  # 二号: the title
SIZE_3 = Pt(16)  # 三号: body and headings
SIZE_4 = Pt(14)  # 四号: 版记 and page numbers
SIZE_S4 = Pt(12)  # 小四: table titles
SIZE_5 = Pt(10.5)  # 五号: table text
LINE = Pt(28)  # the body's fixed line: 22 lines in the 225 mm text block
TITLE_LINE = Pt(35)  # 二号 needs more than 28 pt, or the glyphs are clipped
TABLE_LINE = Pt(15)
INDENT = Pt(32)  # two characters of 三号
# 28 characters a line (5.2): 156 mm hold 27.6 characters of 16 pt, so each is drawn 0.25 pt narrower.
CHARACTER_SPACING = -5  # twentieths of a point
ZERO = Pt(0)
RED = "FF0000"

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 156 mm
# The page number's dash sits 7 mm below the text block (7.5): 35 − 7 mm, less one 四号 line.
FOOTER_DISTANCE = Mm(21)
MASTHEAD_GAP = Mm(35)  # from the top of the text block to the top of the 发文机关标志 (7.2.4)
MASTHEAD_SIZE = Pt(36)
MASTHEAD_MIN_SCALE = 60  # % width: below that the mark is set smaller instead of narrower

# Paragraph styles (based on Normal unless said otherwise) and character styles of run-in headings.
STYLE_MASTHEAD = "发文机关标志"
STYLE_NUMBER = "发文字号"
STYLE_CHANGE = "更正说明"
STYLE_RECIPIENTS = "主送机关"
STYLE_ANNEX = "附件说明"
STYLE_ISSUER = "发文机关署名"
STYLE_DATE = "成文日期"
STYLE_COLOPHON = "版记"
STYLE_TABLE_TITLE = "表题"
STYLE_TABLE_HEADER = "表头"
STYLE_TABLE_TEXT = "表格文字"
STYLE_TABLE_NOTE = "表注"
STYLE_FIGURE = "图"
STYLE_FIGURE_TITLE = "图题"
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
RUN_IN_STYLES = ("一级标题文字", "二级标题文字", "三级标题文字", "四级标题文字")

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# ---------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------


def _set_fonts(rpr, east_asia: str, latin: str = LATIN) -> None:
    """Explicit fonts on an rPr: Latin for ascii/hAnsi/cs, the Chinese font for eastAsia.

    Theme attributes are removed: where both are given, Word uses the theme font.
    """
    rfonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    # Quotes, dashes and ellipses take the Chinese font (full width) in Word.
    rfonts.set(qn("w:hint"), "eastAsia")


# The order of w:rPr's children (ECMA-376 CT_RPr): Word refuses a file whose elements are out of order.
_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
              "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
              "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
              "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
              "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def put_run_property(rpr, element) -> None:
    """`element` in its place among rPr's children, replacing one of the same name."""
    tag = element.tag
    for old in rpr.findall(tag):
        rpr.remove(old)
    name = next(n for n in _RPR_ORDER if qn(n) == tag)
    rpr.insert_element_before(element, *_RPR_ORDER[_RPR_ORDER.index(name) + 1:])


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        put_run_property(rpr, lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _reset(style, *, keep_ppr: bool = False) -> None:
    """Drop the template's formatting (theme fonts, colours, borders, spacing) from a style."""
    element = style.element
    # The linked character style (Heading 1 Char...) still carries the template's theme fonts and colour.
    for tag in ("w:link", *(("w:rPr",) if keep_ppr else ("w:rPr", "w:pPr"))):
        for child in element.findall(qn(tag)):
            element.remove(child)
    if keep_ppr:  # headings keep their outline level (the navigation pane), nothing else
        ppr = element.find(qn("w:pPr"))
        if ppr is not None:
            for tag in ("w:spacing", "w:ind", "w:jc", "w:pBdr", "w:contextualSpacing"):
                for child in ppr.findall(qn(tag)):
                    ppr.remove(child)


def _character_format(style, *, font: str, size: Length, bold: bool, latin: str, color: str | None,
                      spacing: int | None, scale: int | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, font, latin)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    if color:
        element = OxmlElement("w:color")
        element.set(qn("w:val"), color)
        put_run_property(rpr, element)
    if spacing:
        element = OxmlElement("w:spacing")
        element.set(qn("w:val"), str(spacing))
        put_run_property(rpr, element)
    if scale:
        element = OxmlElement("w:w")
        element.set(qn("w:val"), str(scale))
        put_run_property(rpr, element)
    _set_lang(rpr)


# --- styles -------------------------------------------------------------------------------------

def _paragraph_style(document: Any, name: str, *, font: str = BODY_FONT, size: Length = SIZE_3, bold: bool = False,
                     latin: str = LATIN, align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY,
                     indent: Length | None = INDENT, line: Length | None = LINE, before: Length = ZERO,
                     after: Length = ZERO, keep_with_next: bool = False, base: str | None = "Normal",
                     keep_ppr: bool = False, color: str | None = None, spacing: int | None = None,
                     scale: int | None = None):
    styles = document.styles
    try:
        style = styles[name]
        _reset(style, keep_ppr=keep_ppr)
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    if base is not None and style.name != base:
        style.base_style = styles[base]
    style.hidden = False
    style.unhide_when_used = False
    _character_format(style, font=font, size=size, bold=bold, latin=latin, color=color, spacing=spacing,
                      scale=scale)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = indent if indent is not None else Pt(0)
    fmt.left_indent = Pt(0)
    fmt.right_indent = Pt(0)
    fmt.space_before = before
    fmt.space_after = after
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = line
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True
    return style

def _character_style(document: Any, name: str, *, font: str, bold: bool = False) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.quick_style = True
    _character_format(style, font=font, size=SIZE_3, bold=bold, latin=LATIN, color=None, spacing=None)

def _set_defaults(document: Any) -> None:
    """docDefaults: no theme fonts, Chinese as the East Asian language, no spacing after."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    _set_lang(rpr)
    for tag in ("w:sz", "w:szCs"):
        size = rpr.find(qn(tag))
        if size is not None:
            size.set(qn("w:val"), str(int(SIZE_3.pt * 2)))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")

def define_styles(document: Any) -> None:
    """Every style of the document, defined once: Word, WPS and LibreOffice keep the layout when it is edited."""
    center, left, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT

    def style(name: str, **options: Any) -> Any:
        return _paragraph_style(document, name, **options)

    _set_defaults(document)
    # Body (7.3.3): 仿宋 三号, two characters indent, fixed 28 pt lines, 28 characters a line.
    style("Normal", base=None, spacing=CHARACTER_SPACING)
    style(STYLE_MASTHEAD, font=TITLE_FONT, size=MASTHEAD_SIZE, align=center, indent=None, line=None,
          color=RED, spacing=0)
    style(STYLE_NUMBER, align=center, indent=None, spacing=0)
    style("Title", font=TITLE_FONT, size=SIZE_2, align=center, indent=None, line=TITLE_LINE, spacing=0)
    style(STYLE_CHANGE, font=KAI_FONT)
    style(STYLE_RECIPIENTS, indent=None, before=LINE)
    heading = {"keep_with_next": True, "keep_ppr": True}
    style("Heading 1", font=HEI_FONT, **heading)
    style("Heading 2", font=KAI_FONT, **heading)
    style("Heading 3", bold=True, **heading)
    style("Heading 4", **heading)
    for name, font, bold in zip(RUN_IN_STYLES, (HEI_FONT, KAI_FONT, BODY_FONT, BODY_FONT),
                                (False, False, True, False), strict=True):
        _character_style(document, name, font=font, bold=bold)
    # 附件说明 (7.3.4): one line below the body, two characters in.
    style(STYLE_ANNEX, before=LINE, keep_with_next=True)
    # 署名 and 成文日期 keep together with what precedes them: a page holding only the date is not allowed.
    style(STYLE_ISSUER, align=right, indent=None, before=LINE, keep_with_next=True, spacing=0)
    style(STYLE_DATE, align=right, indent=None, spacing=0)
    style(STYLE_COLOPHON, size=SIZE_4, align=left, indent=None, spacing=0)
    table = {"indent": None, "line": TABLE_LINE, "spacing": 0}
    style(STYLE_TABLE_TITLE, font=HEI_FONT, size=SIZE_S4, align=center, before=Pt(8), after=Pt(4),
          keep_with_next=True, **table)
    style(STYLE_TABLE_TEXT, size=SIZE_5, align=left, **table)
    style(STYLE_TABLE_HEADER, font=HEI_FONT, size=SIZE_5, align=center, **table)
    style(STYLE_TABLE_NOTE, size=SIZE_5, align=right, before=Pt(2), after=Pt(4), **table)
    style(STYLE_FIGURE, align=center, indent=None, line=None, before=Pt(6), keep_with_next=True, spacing=0)
    style(STYLE_FIGURE_TITLE, font=HEI_FONT, size=SIZE_S4, align=center, after=Pt(6), **table)
    # Page numbers (7.5): 四号 半角 宋体 Arabic digits between two dashes.
    style("Footer", font=SONG_FONT, latin=SONG_FONT, size=SIZE_4, align=right, indent=None, line=None,
          spacing=0)
