"""Render a `Briefing` as a GB/T 9704-2012 Word document, an Excel annex and a PDF.

Pure functions from content to bytes: no database, no files left behind; a refusal (`RenderError`) carries a
message code, rendered in the reader's language when shown.

- `render_docx`: the document through `gbt9704.OfficialDocument` (版头, title, 主送, numbered sections
  with their short tables, 特此通报, 附件说明, 署名 and 日期, 版记, page numbers on the outside corners).
- `render_annex` (annex.py): every table in full on its own sheet.
- `render_pdf` (pdf.py): the .docx through LibreOffice headless, the official font names mapped to
  installed faces by fonts.conf.
"""

from __future__ import annotations

import itertools
import re

from docx.shared import Cm

from .annex import MSG_NO_TABLES, render_annex
from .charts import chart_png
from .content import Briefing, Cell, Section
from .docx_tables import table_xml
from .gbt9704 import OfficialDocument, balanced_title_lines, format_date
from .gbt9704_styles import (
    SIZE_2,
    SIZE_5,
    STYLE_CHANGE,
    STYLE_NUMBER,
    STYLE_TABLE_HEADER,
    STYLE_TABLE_TEXT,
    TEXT_WIDTH,
)
from .pdf import FONTS_CONF, PDF_TIMEOUT, RenderError, fonts_conf, render_pdf
from .typeset import cell_text, chinese_text

__all__ = [
    "FONTS_CONF",
    "MSG_NO_TABLES",
    "PDF_TIMEOUT",
    "RenderError",
    "chinese_number",
    "fonts_conf",
    "format_cell",
    "format_date",
    "heading_number",
    "render_annex",
    "render_docx",
    "render_pdf",
    "title_segments",
]

CHART_WIDTH = Cm(14)
_DIGITS = "零一二三四五六七八九"
# Where a title may break when its words were not given: before 关于's object, the period, the level
# word and 的通报 (关于|2023年1—6月|全市重大项目|建设情况|的通报).
_TITLE_BREAKS = re.compile(r"(?<=关于)|(?=\d{4}年)|(?<=月)|(?=全[市省县区])|(?=建设)|(?=情况的)|(?=的通报)")


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九; other numbers in Arabic digits."""
    if 0 <= number < 10:
        return _DIGITS[number]
    if 10 <= number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(number)


def heading_number(level: int, index: int) -> str:
    """The prefix GB/T 9704 gives a heading (7.3.3): 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{chinese_number(index)}、"
    if level == 2:
        return f"（{chinese_number(index)}）"
    if level == 3:
        return f"{index}."
    return f"（{index}）"


def format_cell(value: Cell | float | bool) -> str:
    """A table cell with two decimals for amounts (percentage columns: see typeset.cell_text)."""
    return cell_text(value)


def title_segments(title: str) -> list[str]:
    """The words of a title where a line may break, found by the usual parts of a briefing's title."""
    cuts = sorted({m.start() for m in _TITLE_BREAKS.finditer(title)} | {0, len(title)})
    return [title[a:b] for a, b in itertools.pairwise(cuts) if title[a:b]]


def _title_lines(b: Briefing) -> list[str]:
    lines = [line.strip() for line in chinese_text(b.title).splitlines() if line.strip()]
    if len(lines) > 1:
        return lines  # broken by hand
    segments = b.title_segments or title_segments(lines[0] if lines else "")
    return balanced_title_lines(segments, max_em=TEXT_WIDTH.pt / SIZE_2.pt)


def _section(doc: OfficialDocument, section: Section, level: int, index: int) -> None:
    number = heading_number(level, index)
    paragraphs = list(section.paragraphs)
    if section.run_in and level > 1 and paragraphs:
        doc.heading(level, number, section.heading.strip(), run_in=paragraphs.pop(0))
    else:
        doc.heading(level, number, section.heading.strip())
    for text in paragraphs:
        for line in text.splitlines():
            if line.strip():
                doc.add(line.strip())
    for chart in section.charts:
        doc.picture(chart_png(chart, title=False), CHART_WIDTH, chart.title)
    width = int(TEXT_WIDTH.pt * 20)
    header = doc.document.styles[STYLE_TABLE_HEADER].style_id
    text = doc.document.styles[STYLE_TABLE_TEXT].style_id
    for table in section.tables:
        if table.title:
            doc.table_title(table.title)
        doc.append_table(table_xml(table, width=width, header_style=header, text_style=text,
                                   char=SIZE_5.pt * 20 / 2))
        if table.note:
            doc.table_note(table.note)
    for child_index, child in enumerate(section.children, start=1):
        _section(doc, child, level + 1, child_index)


def render_docx(b: Briefing) -> bytes:
    """The briefing as a .docx laid out after GB/T 9704-2012."""
    doc = OfficialDocument()
    if b.masthead.strip():
        doc.masthead(b.masthead, b.number)
    doc.title(_title_lines(b), after_masthead=bool(b.masthead.strip()))
    if b.number.strip() and not b.masthead.strip():
        doc.add(b.number.strip(), STYLE_NUMBER)
    if b.version > 1:
        # One paragraph per line of the note: services write one change a line.
        notes = [line.strip() for line in b.change_note.splitlines() if line.strip()]
        notes = notes or ["本版替代此前各版，以本版为准。"]
        doc.add(f"更正说明（第{b.version}版）：{notes[0]}", STYLE_CHANGE)
        for line in notes[1:]:
            doc.add(line, STYLE_CHANGE)
    if b.recipients.strip():
        doc.recipients(b.recipients.strip())
    for text in b.opening:
        for line in text.splitlines():
            if line.strip():
                doc.add(line.strip())
    for index, section in enumerate(b.sections, start=1):
        _section(doc, section, 1, index)
    if b.closing.strip():
        doc.add(b.closing.strip()).paragraph_format.keep_with_next = True
    annexes = b.annex_note.strip()
    if annexes:
        doc.annex_note([line.removeprefix("附件:").removeprefix("附件：") for line in annexes.splitlines()])
    doc.signature(b.issuer, b.date)
    if b.printed_by.strip():
        doc.colophon(b.copy_to, b.printed_by, b.printed_on or b.date)
    doc.set_properties(title=b.title, author=b.issuer, identifier=b.number,
                       comments=b.change_note if b.version > 1 else "", revision=b.version, date=b.date)
    return doc.save()
