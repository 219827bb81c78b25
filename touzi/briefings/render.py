"""Render a `Briefing` as a GB/T 9704-2012 style Word document, an Excel annex and a PDF.

Pure functions from content to bytes: no database, no Django, no files left
behind.

- `render_docx`: A4, the standard's margins, fonts and sizes defined in the
  document's styles (Normal, Title, Heading 1-4 and a few custom ones), so
  Word, WPS or LibreOffice users who edit the document keep the layout.
- `render_annex`: every table of the briefing on its own sheet, written
  through `touzi.lib.xlsx.write_workbook` (no cell can turn into a formula).
- `render_pdf`: the .docx through LibreOffice headless. The official fonts
  (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体) are rarely installed on a
  server; fonts.conf beside this module maps them to Noto CJK for that run.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

from touzi.lib.xlsx import SheetSpec, write_workbook

from .charts import chart_png
from .content import Briefing, Cell, Chart, Section, Table

__all__ = [
    "FONTS_CONF",
    "RenderError",
    "chinese_number",
    "format_cell",
    "format_date",
    "render_annex",
    "render_docx",
    "render_pdf",
]

FONTS_CONF = Path(__file__).with_name("fonts.conf")

# Fonts named in the document (GB/T 9704-2012, 7.1 and 7.3).
LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_S4 = Pt(12)  # 小四
LINE = Pt(28)  # fixed line spacing of the body
TITLE_LINE = Pt(36)  # 二号 needs more than 28 pt, or the glyphs are clipped
INDENT = Pt(32)  # two characters of 三号
ZERO = Pt(0)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# The page number's dash sits 7 mm below the text block (GB/T 9704, 7.5):
# 35 - 7 mm, less the height of one 四号 line.
FOOTER_DISTANCE = Mm(21)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
CHART_WIDTH = Cm(15)

# Custom style names (paragraph styles, based on Normal unless said otherwise).
STYLE_NUMBER = "发文字号"
STYLE_CHANGE = "更正说明"
STYLE_RECIPIENTS = "主送机关"
STYLE_ANNEX = "附件说明"
STYLE_ISSUER = "发文机关署名"
STYLE_DATE = "成文日期"
STYLE_TABLE_TITLE = "表题"
STYLE_TABLE_HEADER = "表头"
STYLE_TABLE_TEXT = "表格文字"
STYLE_TABLE_NOTE = "表注"
STYLE_FIGURE = "图"
STYLE_FIGURE_TITLE = "图题"
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")

EMPTY_CELL = "—"
MSG_NO_OFFICE = "未安装 LibreOffice,无法生成 PDF"
MSG_TIMEOUT = "生成 PDF 超时(超过 {seconds} 秒),请稍后重试"
MSG_FAILED = "LibreOffice 未能生成 PDF(退出码 {code}){detail}"
MSG_NOT_DOCX = "待转换的文件不是有效的 Word(.docx)文档"
MSG_NOT_PDF = "LibreOffice 生成的文件不是有效的 PDF"
MSG_NO_TABLES = "本通报没有统计表"
PDF_TIMEOUT = 120

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMERIC_TEXT = re.compile(r"[+\-−]?[0-9][0-9,]*(?:\.[0-9]+)?%?")
_DIGITS = "零一二三四五六七八九"


class RenderError(Exception):
    """The document could not be produced; `message` is Chinese and can be shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九; other numbers in Arabic digits."""
    if 0 <= number < 10:
        return _DIGITS[number]
    if 10 <= number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(number)


def heading_number(level: int, index: int) -> str:
    """The prefix GB/T 9704 gives a heading: 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{chinese_number(index)}、"
    if level == 2:
        return f"（{chinese_number(index)}）"
    if level == 3:
        return f"{index}."
    return f"（{index}）"


def format_cell(value: Cell | float | bool) -> str:
    """Table cell text: Decimal and float with 2 decimals and thousands separators, None as —."""
    if value is None:
        return EMPTY_CELL
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal | float):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        return f"{number:,.2f}" if number.is_finite() else EMPTY_CELL
    return _clean(str(value))


def format_date(date: datetime.date) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704, 7.3.5.1): 2023年7月10日."""
    return f"{date.year}年{date.month}月{date.day}日"


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in _clean(text).splitlines() if line.strip()]


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    return isinstance(value, str) and _NUMERIC_TEXT.fullmatch(value.strip()) is not None


def _display_width(text: str) -> int:
    """Width in half-width characters: a Chinese character counts 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _print_width(text: str) -> float:
    """Printed width in half-width characters: capitals and some symbols of Times New Roman are wider."""
    wide = sum(1 for ch in text if ch.isupper() or ch in "%@&=+#~")
    return _display_width(text) + 0.45 * wide


# ---------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


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


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        # w:lang comes after every element python-docx writes in an rPr, except these.
        following = [rpr.find(qn(tag)) for tag in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
        anchor = next((element for element in following if element is not None), None)
        if anchor is None:
            rpr.append(lang)
        else:
            anchor.addprevious(lang)
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
    if keep_ppr:
        ppr = element.find(qn("w:pPr"))
        if ppr is not None:
            for tag in ("w:spacing", "w:ind", "w:jc", "w:pBdr", "w:contextualSpacing"):
                for child in ppr.findall(qn(tag)):
                    ppr.remove(child)


def _paragraph_style(
    document,
    name: str,
    *,
    font: str,
    size: Pt,
    bold: bool = False,
    latin: str = LATIN,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: Pt | None = INDENT,
    line: Pt | None = LINE,
    before: Pt = ZERO,
    after: Pt = ZERO,
    keep_with_next: bool = False,
    base: str | None = "Normal",
    keep_ppr: bool = False,
):
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
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, font, latin)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    _set_lang(rpr)
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
    return style


def _set_defaults(document) -> None:
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


def _define_styles(document) -> None:
    center, left, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
    _set_defaults(document)
    # Body: 仿宋_GB2312 三号, two characters indent, fixed 28 pt lines, justified.
    _paragraph_style(document, "Normal", font=BODY_FONT, size=SIZE_3, base=None)
    _paragraph_style(
        document, "Title", font=TITLE_FONT, size=SIZE_2, align=center, indent=None, line=TITLE_LINE
    )
    _paragraph_style(document, STYLE_NUMBER, font=BODY_FONT, size=SIZE_3, align=center, indent=None)
    _paragraph_style(document, STYLE_CHANGE, font=KAI_FONT, size=SIZE_3)
    _paragraph_style(document, STYLE_RECIPIENTS, font=BODY_FONT, size=SIZE_3, indent=None, before=LINE)
    heading = {"indent": INDENT, "keep_with_next": True, "keep_ppr": True}
    _paragraph_style(document, "Heading 1", font=HEI_FONT, size=SIZE_3, **heading)
    _paragraph_style(document, "Heading 2", font=KAI_FONT, size=SIZE_3, **heading)
    _paragraph_style(document, "Heading 3", font=BODY_FONT, size=SIZE_3, bold=True, **heading)
    _paragraph_style(document, "Heading 4", font=BODY_FONT, size=SIZE_3, **heading)
    # Annex note, issuer and date keep together: a page holding only the date is not allowed.
    _paragraph_style(document, STYLE_ANNEX, font=BODY_FONT, size=SIZE_3, before=LINE, keep_with_next=True)
    _paragraph_style(
        document,
        STYLE_ISSUER,
        font=BODY_FONT,
        size=SIZE_3,
        align=right,
        indent=None,
        before=LINE,
        keep_with_next=True,
    )
    _paragraph_style(document, STYLE_DATE, font=BODY_FONT, size=SIZE_3, align=right, indent=None)
    small = {"font": BODY_FONT, "size": SIZE_S4, "indent": None, "line": None}
    _paragraph_style(
        document,
        STYLE_TABLE_TITLE,
        bold=True,
        align=center,
        before=Pt(6),
        after=Pt(3),
        keep_with_next=True,
        **small,
    )
    _paragraph_style(document, STYLE_TABLE_TEXT, align=left, **small)
    _paragraph_style(document, STYLE_TABLE_HEADER, bold=True, align=center, **small)
    _paragraph_style(document, STYLE_TABLE_NOTE, align=right, before=Pt(3), after=Pt(6), **small)
    _paragraph_style(
        document,
        STYLE_FIGURE,
        font=BODY_FONT,
        size=SIZE_3,
        align=center,
        indent=None,
        line=None,
        before=Pt(6),
        keep_with_next=True,
    )
    _paragraph_style(document, STYLE_FIGURE_TITLE, bold=True, align=center, after=Pt(6), **small)
    # Page numbers: 宋体 四号, the digits too (GB/T 9704, 7.5: 半角宋体阿拉伯数字).
    _paragraph_style(
        document, "Footer", font=SONG_FONT, latin=SONG_FONT, size=SIZE_4, align=center, indent=None, line=None
    )


# ---------------------------------------------------------------------------
# Page set-up and footer
# ---------------------------------------------------------------------------


def _set_up_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.gutter = Emu(0)
    section.header_distance = Mm(15)
    section.footer_distance = FOOTER_DISTANCE
    _add_page_number(document, section.footer.paragraphs[0])


def _field_char(run, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run._r.append(element)


def _add_page_number(document, paragraph) -> None:
    """— N — with a PAGE field, centred."""
    paragraph.style = document.styles["Footer"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    _field_char(paragraph.add_run(), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    _field_char(paragraph.add_run(), "separate")
    paragraph.add_run("1")  # shown until the field is updated
    _field_char(paragraph.add_run(), "end")
    paragraph.add_run(" —")


# ---------------------------------------------------------------------------
# Body
# ---------------------------------------------------------------------------


def _add_lines(document, text: str, style: str) -> None:
    """One paragraph per line of `text`."""
    for line in _lines(text):
        document.add_paragraph(line, style=style)


def _add_title(document, title: str) -> None:
    """The title, centred; a title given with line breaks keeps them (梯形或菱形 layout)."""
    paragraph = document.add_paragraph(style="Title")
    for index, line in enumerate(_lines(title)):
        run = paragraph.add_run()
        if index:
            run.add_break()
        run.add_text(line)


def _add_section(document, section: Section, level: int, index: int) -> None:
    style = HEADING_STYLES[min(level, len(HEADING_STYLES)) - 1]
    document.add_paragraph(heading_number(level, index) + _clean(section.heading).strip(), style=style)
    for text in section.paragraphs:
        _add_lines(document, text, "Normal")
    for chart in section.charts:
        _add_chart(document, chart)
    for table in section.tables:
        _add_table(document, table)
    for number, child in enumerate(section.children, start=1):
        _add_section(document, child, level + 1, number)


def _add_chart(document, chart: Chart) -> None:
    picture = document.add_paragraph(style=STYLE_FIGURE)
    picture.add_run().add_picture(io.BytesIO(chart_png(chart, title=False)), width=CHART_WIDTH)
    if chart.title:
        document.add_paragraph(_clean(chart.title), style=STYLE_FIGURE_TITLE)


def _column_widths(table: Table, columns: int) -> list[int]:
    """Column widths in EMU filling the text width.

    Each column wants its widest cell (headers may wrap onto two lines) plus
    the cell padding. When the table is too wide, only text columns give way
    and wrap; number columns keep their width, so a figure never breaks.
    """
    available = TEXT_WIDTH / (SIZE_S4 / 2)  # half-width characters of 小四 across the text block
    padding = 2.5  # the cell margins, 0.19 cm each side
    data, header, numeric = [], [], []
    for column in range(columns):
        values = [row[column] for row in table.rows if column < len(row)]
        data.append(max((_print_width(format_cell(value)) for value in values), default=0))
        header.append(_print_width(table.headers[column]) if column < len(table.headers) else 0)
        numeric.append(bool(values) and all(value is None or _is_number(value) for value in values))
    shares = [max(width, title, 4) + padding for width, title in zip(data, header, strict=True)]
    total = sum(shares)
    if total > available:
        # Headers wrap first (down to four Chinese characters), then text columns.
        natural = [
            max(width, min(title, max(width, 8)), 4) + padding
            for width, title in zip(data, header, strict=True)
        ]
        total = sum(natural)
        fixed = sum(width for width, number in zip(natural, numeric, strict=True) if number)
        flexible = total - fixed
        room = max(available - fixed, 0)
        shares = [
            width if number or total <= available or not flexible else max(width * room / flexible, 6)
            for width, number in zip(natural, numeric, strict=True)
        ]
    # Scaled to the text width: wider columns when there is room; when even the
    # number columns do not fit, everything gives way a little.
    widths = [int(TEXT_WIDTH * share / sum(shares)) for share in shares]
    widths[-1] += int(TEXT_WIDTH) - sum(widths)
    return widths


def _keep_rows(grid) -> None:
    """No row breaks across pages; the header row repeats at the top of every page the table runs onto."""
    for index, row in enumerate(grid.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            trpr.append(OxmlElement("w:tblHeader"))


def _fill_cell(cell, text: str, style, align: WD_ALIGN_PARAGRAPH, width: int) -> None:
    cell.width = Emu(width)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.alignment = align
    paragraph.add_run(text)


def _add_table(document, table: Table) -> None:
    if table.title:
        document.add_paragraph(_clean(table.title), style=STYLE_TABLE_TITLE)
    columns = max([len(table.headers), *(len(row) for row in table.rows)], default=0)
    if columns == 0:
        return
    widths = _column_widths(table, columns)
    grid = document.add_table(rows=1 + len(table.rows), cols=columns)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Emu(width)
    header_style = document.styles[STYLE_TABLE_HEADER]
    text_style = document.styles[STYLE_TABLE_TEXT]
    header = grid.rows[0]
    _keep_rows(grid)
    for column, cell in enumerate(header.cells):
        text = _clean(table.headers[column]) if column < len(table.headers) else ""
        _fill_cell(cell, text, header_style, WD_ALIGN_PARAGRAPH.CENTER, widths[column])
    for values, row in zip(table.rows, grid.rows[1:], strict=True):
        for column, cell in enumerate(row.cells):
            value = values[column] if column < len(values) else None
            if value is None:
                align = WD_ALIGN_PARAGRAPH.CENTER
            elif _is_number(value):
                align = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT
            _fill_cell(cell, format_cell(value), text_style, align, widths[column])
    if table.note:
        document.add_paragraph(_clean(table.note), style=STYLE_TABLE_NOTE)


def _add_signature(document, issuer: str, date: datetime.date) -> None:
    """署名 and 成文日期, right-aligned (GB/T 9704, 7.3.5.2, without a seal).

    The issuer stands two characters from the right edge; the date is on the
    next line, its first character two characters right of the issuer's first.
    When the date is the longer, the date stands two characters from the right
    and the issuer is centred above it.
    """
    issuer, when = _clean(issuer).strip(), format_date(date)
    char = SIZE_3.pt / 2  # half-width character
    issuer_width, date_width = _display_width(issuer) * char, _display_width(when) * char
    two = INDENT.pt
    if issuer_width >= date_width:
        issuer_right, date_right = two, issuer_width - date_width
    else:
        issuer_right, date_right = two + (date_width - issuer_width) / 2, two
    if issuer:
        document.add_paragraph(issuer, style=STYLE_ISSUER).paragraph_format.right_indent = Pt(issuer_right)
    dated = document.add_paragraph(when, style=STYLE_DATE)
    dated.paragraph_format.right_indent = Pt(date_right)
    if not issuer:
        dated.paragraph_format.space_before = LINE


def _keep_last_with_next(document) -> None:
    """The closing block (annex note, issuer, date) never stands on a page without body text."""
    last = document.element.body.findall(qn("w:p"))
    children = [child for child in document.element.body.iterchildren() if child.tag != qn("w:sectPr")]
    if last and children and children[-1] is last[-1]:
        document.paragraphs[-1].paragraph_format.keep_with_next = True


def _set_properties(document, b: Briefing) -> None:
    properties = document.core_properties
    properties.title = _clean(b.title).replace("\n", "")
    properties.author = _clean(b.issuer)
    properties.last_modified_by = _clean(b.issuer)
    properties.identifier = _clean(b.number)
    properties.subject = ""
    properties.keywords = ""
    properties.comments = _clean(b.change_note) if b.version > 1 else ""
    properties.category = "通报"
    properties.language = "zh-CN"
    properties.revision = max(b.version, 1)
    moment = datetime.datetime.combine(b.date, datetime.time())
    properties.created = moment
    properties.modified = moment


def render_docx(b: Briefing) -> bytes:
    """The briefing as a .docx laid out after GB/T 9704-2012."""
    document = Document()
    _define_styles(document)
    _set_up_page(document)
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)  # the template's empty first paragraph

    _add_title(document, b.title)
    if b.number.strip():
        document.add_paragraph(_clean(b.number).strip(), style=STYLE_NUMBER)
    if b.version > 1:
        # One paragraph per line of the note: services write one change a line.
        notes = _lines(b.change_note) or ["本版替代此前各版,以本版为准。"]
        document.add_paragraph(f"更正说明（第{b.version}版）：{notes[0]}", style=STYLE_CHANGE)
        for line in notes[1:]:
            document.add_paragraph(line, style=STYLE_CHANGE)
    first = None
    if b.recipients.strip():
        first = document.add_paragraph(_clean(b.recipients).strip(), style=STYLE_RECIPIENTS)
    for text in b.opening:
        for line in _lines(text):
            paragraph = document.add_paragraph(line, style="Normal")
            first = first or paragraph
            if first is paragraph:
                paragraph.paragraph_format.space_before = LINE
    for index, section in enumerate(b.sections, start=1):
        _add_section(document, section, 1, index)
    _keep_last_with_next(document)
    if b.annex_note.strip():
        _add_lines(document, b.annex_note, STYLE_ANNEX)
    _add_signature(document, b.issuer, b.date)
    _set_properties(document, b)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Excel annex
# ---------------------------------------------------------------------------


def _annex_sheet(table: Table, number: int) -> SheetSpec:
    """Title row (bold, where write_workbook puts headers), column headers, rows, then the note."""
    columns = max([len(table.headers), *(len(row) for row in table.rows)], default=1) or 1
    formats: dict[int, str] = {}
    widths: list[int] = []
    for column in range(columns):
        values = [row[column] for row in table.rows if column < len(row)]
        if any(isinstance(value, Decimal | float) for value in values):
            formats[column] = "#,##0.00"
        elif any(isinstance(value, int) and not isinstance(value, bool) for value in values):
            formats[column] = "#,##0"
        texts = [table.headers[column] if column < len(table.headers) else ""]
        texts += [format_cell(value) for value in values]
        widths.append(min(max(max(_display_width(text) for text in texts) + 2, 8), 50))
    title = [table.title or table.key or f"表{number}"] + [None] * (columns - 1)
    rows: list[Sequence[object]] = [list(table.headers)]
    rows += [list(row) for row in table.rows]
    if table.note:
        rows.append([table.note])
    return SheetSpec(
        title=(table.key or f"表{number}")[:31],
        headers=title,
        rows=rows,
        widths=widths,
        number_formats=formats,
    )


def render_annex(b: Briefing) -> bytes:
    """An .xlsx with one sheet per table of the briefing, in document order; numbers stay numbers.

    A briefing without tables gets a single sheet saying so.
    """
    tables = b.tables()
    if not tables:
        # Still a workbook, so the annex can be offered for every briefing.
        empty = SheetSpec(title="附件", headers=[_clean(b.title)], rows=[[MSG_NO_TABLES]], widths=[60])
        return write_workbook([empty])
    return write_workbook([_annex_sheet(table, number) for number, table in enumerate(tables, start=1)])


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


def fonts_conf(system: str | None = None) -> str:
    """A fontconfig file: the stand-ins of fonts.conf, then the system's configuration."""
    system = system or os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f'  <include ignore_missing="yes">{escape(str(FONTS_CONF))}</include>\n'
        f'  <include ignore_missing="yes">{escape(system)}</include>\n'
        "</fontconfig>\n"
    )


def _office() -> str:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise RenderError(MSG_NO_OFFICE)
    return binary


def render_pdf(docx: bytes, *, timeout: float = PDF_TIMEOUT) -> bytes:
    """Convert a .docx to PDF with LibreOffice headless, fonts embedded.

    Each call has its own LibreOffice profile and temporary folder, so calls
    may run in parallel; a conversion that takes longer than `timeout`
    seconds is killed with its whole process group.
    """
    binary = _office()
    if not _is_docx(docx):
        raise RenderError(MSG_NOT_DOCX)
    with tempfile.TemporaryDirectory(prefix="touzi-briefing-") as folder:
        work = Path(folder)
        source = work / "briefing.docx"
        source.write_bytes(docx)
        (work / "fonts.conf").write_text(fonts_conf(), encoding="utf-8")
        output = work / "out"
        output.mkdir()
        env = dict(os.environ, FONTCONFIG_FILE=str(work / "fonts.conf"))
        env.setdefault("HOME", str(work))
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nologo",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(output),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: a timeout kills soffice.bin too
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise RenderError(MSG_TIMEOUT.format(seconds=f"{timeout:g}")) from None
        except BaseException:
            _kill_group(process)
            raise
        result = output / "briefing.pdf"
        if process.returncode != 0 or not result.exists():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RenderError(
                MSG_FAILED.format(code=process.returncode, detail=(":" + " ".join(detail)) if detail else "")
            )
        data = result.read_bytes()
    if not data.startswith(b"%PDF"):
        raise RenderError(MSG_NOT_PDF)
    return data


def _is_docx(data: bytes) -> bool:
    """A zip holding word/document.xml; LibreOffice would print anything else as plain text."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()
