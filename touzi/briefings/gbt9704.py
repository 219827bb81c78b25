"""The form of a Chinese official document (GB/T 9704-2012, 党政机关公文格式) as a python-docx document.

`OfficialDocument` owns the page and the styles and writes the parts the standard places: the 版头
(发文机关标志 in red, 发文字号, the red separator), the title, 主送机关, body paragraphs and headings,
附件说明, 发文机关署名 and 成文日期, the 版记 (抄送, 印发机关 and 印发日期 between their rules) and page
numbers on the outside corners. Every layout decision is in a style (gbt9704_styles.py), so a clerk who edits
the .docx in Word or WPS keeps the layout; the official font names stay in the file (the PDF maps them to
installed faces, see fonts.conf).

Section numbers of the standard are cited as (7.x).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Length, Mm, Pt
from docx.text.paragraph import Paragraph

from .gbt9704_styles import (
    FOOTER_DISTANCE,
    HEADING_STYLES,
    INDENT,
    LINE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MASTHEAD_GAP,
    MASTHEAD_MIN_SCALE,
    MASTHEAD_SIZE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RED,
    RUN_IN_STYLES,
    SIZE_3,
    SIZE_4,
    STYLE_ANNEX,
    STYLE_COLOPHON,
    STYLE_DATE,
    STYLE_FIGURE,
    STYLE_FIGURE_TITLE,
    STYLE_ISSUER,
    STYLE_MASTHEAD,
    STYLE_NUMBER,
    STYLE_RECIPIENTS,
    STYLE_TABLE_NOTE,
    STYLE_TABLE_TITLE,
    TEXT_WIDTH,
    ZERO,
    define_styles,
    put_run_property,
)
from .typeset import chinese_text, display_width

__all__ = ["OfficialDocument", "balanced_title_lines", "format_date"]


def format_date(date: datetime.date) -> str:
    """成文日期 in Arabic numerals without leading zeros (7.3.5.1): 2023年7月10日."""
    return f"{date.year}年{date.month}月{date.day}日"


def _em(text: str) -> float:
    """Printed width in ems of a Chinese font: Chinese characters 1, digits and Latin (Times) about ½."""
    return display_width(text) / 2


def balanced_title_lines(segments: Sequence[str], *, max_em: float) -> list[str]:
    """The title on one line if it fits, else broken between segments (words) into a balanced 梯形.

    Two lines when they fit: of the breaks that keep both lines within `max_em`, the one with the most
    even lengths, never leaving a last line of fewer than four characters (one word alone). Three
    lines (a 菱形, the middle longest) only when two cannot hold the title.
    """
    parts = [s for s in segments if s]
    whole = "".join(parts)
    if _em(whole) <= max_em or len(parts) < 2:
        return [whole]
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(parts)):
        first, second = "".join(parts[:cut]), "".join(parts[cut:])
        if max(_em(first), _em(second)) > max_em or _em(second) < 4:
            continue
        score = abs(_em(first) - _em(second))
        if best is None or score < best[0]:
            best = (score, [first, second])
    if best is not None:
        return best[1]
    for a in range(1, len(parts) - 1):
        for b in range(a + 1, len(parts)):
            lines = ["".join(parts[:a]), "".join(parts[a:b]), "".join(parts[b:])]
            widths = [_em(line) for line in lines]
            if max(widths) > max_em or min(widths) < 4:
                continue
            # A 菱形: the middle line the longest, the outer two alike.
            score = abs(widths[0] - widths[2]) + max(0.0, max(widths[0], widths[2]) - widths[1]) * 2
            if best is None or score < best[0]:
                best = (score, lines)
    return best[1] if best else [whole]


class OfficialDocument:
    """One GB/T 9704 document being written, top to bottom."""

    def __init__(self) -> None:
        self.document = Document()
        define_styles(self.document)
        self._set_up_page()
        body = self.document.element.body
        for paragraph in list(body.iterchildren(qn("w:p"))):
            body.remove(paragraph)  # the template's empty first paragraph
        self._after_table = False

    # --- page ---------------------------------------------------------------------------------------

    def _set_up_page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.gutter = Emu(0)
        section.header_distance = Mm(15)
        section.footer_distance = FOOTER_DISTANCE
        # Page numbers on the outside corners (7.5): odd pages right, even pages left, one character in.
        self.document.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
        """— N — with a PAGE field, one 四号 character from the outer edge of the text block."""
        paragraph.style = self.document.styles["Footer"]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = SIZE_4
        else:
            paragraph.paragraph_format.left_indent = SIZE_4
        runs = ('<w:t xml:space="preserve">— </w:t>', '<w:fldChar w:fldCharType="begin"/>',
                '<w:instrText xml:space="preserve"> PAGE </w:instrText>', '<w:fldChar w:fldCharType="separate"/>',
                "<w:t>1</w:t>", '<w:fldChar w:fldCharType="end"/>', '<w:t xml:space="preserve"> —</w:t>')
        for run in runs:  # "1" shows until the field is updated
            paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}>{run}</w:r>'))

    # --- parts --------------------------------------------------------------------------------------

    def add(self, text: str, style: str = "Normal") -> Paragraph:
        paragraph = self.document.add_paragraph(chinese_text(text), style=style)
        if self._after_table and style == "Normal":
            paragraph.paragraph_format.space_before = Pt(6)
        self._after_table = False
        return paragraph

    def masthead(self, mark: str, number: str) -> None:
        """版头 (7.2): the 发文机关标志 in red, the number two lines below it, the red line 4 mm under that."""
        mark = chinese_text(mark).strip()
        if mark:
            size, scale = _masthead_size(mark)
            paragraph = self.document.add_paragraph(style=STYLE_MASTHEAD)
            run = paragraph.add_run(mark)
            run.font.size = size
            if scale != 100:
                put_run_property(run._r.get_or_add_rPr(), parse_xml(f'<w:w {nsdecls("w")} w:val="{scale}"/>'))
            # The top of the glyphs 35 mm below the top of the text block: the line adds about a fifth.
            paragraph.paragraph_format.space_before = Emu(int(MASTHEAD_GAP - size * 0.2))
        line = self.document.add_paragraph(chinese_text(number).strip(), style=STYLE_NUMBER)
        line.paragraph_format.space_before = LINE * 2 if mark else ZERO
        ppr = line._p.get_or_add_pPr()
        # The red separator as the number's bottom border: the text block's width, 4 mm (11 pt) below.
        border = parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="12" w:space="11" w:color="{RED}"/></w:pBdr>')
        ppr.insert_element_before(border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                                  "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                                  "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
                                  "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

    def title(self, lines: Sequence[str], *, after_masthead: bool) -> None:
        """标题 (7.3.1): 二号 小标宋, centred, lines broken inside one paragraph; two lines below the red line."""
        paragraph = self.document.add_paragraph(style="Title")
        for index, line in enumerate(lines):
            run = paragraph.add_run()
            if index:
                run.add_break()
            run.add_text(chinese_text(line))
        if after_masthead:
            paragraph.paragraph_format.space_before = LINE * 2

    def recipients(self, text: str) -> Paragraph:
        return self.add(text, STYLE_RECIPIENTS)

    def heading(self, level: int, number: str, text: str, *, run_in: str | None = None) -> Paragraph:
        """A numbered heading on its own line, or run in: "（一）各县区。" followed by the paragraph's text."""
        level = min(level, len(HEADING_STYLES))
        heading = chinese_text(number + text)
        if run_in is None:
            return self.add(heading, HEADING_STYLES[level - 1])
        paragraph = self.add("", "Normal")
        if heading[-1] not in "。：！？":
            heading += "。"
        paragraph.add_run(heading, style=self.document.styles[RUN_IN_STYLES[level - 1]])
        paragraph.add_run(chinese_text(run_in))
        return paragraph

    def picture(self, png: bytes, width: Length, caption: str) -> None:
        picture = self.document.add_paragraph(style=STYLE_FIGURE)
        picture.add_run().add_picture(io.BytesIO(png), width=width)
        if caption:
            self.document.add_paragraph(chinese_text(caption), style=STYLE_FIGURE_TITLE)
        self._after_table = True

    def table_title(self, text: str) -> None:
        self.document.add_paragraph(chinese_text(text), style=STYLE_TABLE_TITLE)

    def table_note(self, text: str) -> None:
        self.document.add_paragraph(chinese_text(text), style=STYLE_TABLE_NOTE)

    def append_table(self, element) -> None:
        """A table built as XML (see docx_tables), placed before the body's final section properties."""
        body = self.document.element.body
        body.sectPr.addprevious(element)
        self._after_table = True

    def annex_note(self, names: Sequence[str]) -> None:
        """附件说明 (7.3.4): 附件：name, or 附件：1.name with the later ones aligned under the first name."""
        names = [chinese_text(name).strip() for name in names if name.strip()]
        if not names:
            return
        if len(names) == 1:
            self.add(f"附件：{names[0]}", STYLE_ANNEX)
            return
        for index, name in enumerate(names, start=1):
            paragraph = self.add(("附件：" if index == 1 else "") + f"{index}.{name}", STYLE_ANNEX)
            if index > 1:
                paragraph.paragraph_format.first_line_indent = INDENT + SIZE_3 * 3  # under the first name
                paragraph.paragraph_format.space_before = ZERO

    def signature(self, issuer: str, date: datetime.date) -> None:
        """署名 and 成文日期 without a seal (7.3.5.2): one line below the body, the issuer two characters from
        the right; the date on the next line, its first character two characters right of the issuer's.
        When the date is the longer, the date stands two characters from the right and the issuer is
        centred above it."""
        issuer, when = chinese_text(issuer).strip(), format_date(date)
        char = SIZE_3.pt / 2  # a half-width character
        issuer_width, date_width = display_width(issuer) * char, display_width(when) * char
        two = INDENT.pt
        if issuer_width >= date_width:
            issuer_right, date_right = two, issuer_width - date_width
        else:
            issuer_right, date_right = two + (date_width - issuer_width) / 2, two
        if issuer:
            self.add(issuer, STYLE_ISSUER).paragraph_format.right_indent = Pt(issuer_right)
        dated = self.add(when, STYLE_DATE)
        dated.paragraph_format.right_indent = Pt(date_right)
        if not issuer:
            dated.paragraph_format.space_before = LINE

    def colophon(self, copy_to: Sequence[str], printed_by: str, printed_on: datetime.date) -> None:
        """版记 (7.4) at the foot of the last page: 抄送 over 印发机关 and 印发日期, between a thick first and last
        rule with a thin rule between them, the last rule on the bottom edge of the text block.

        A one-column table floating at the bottom of the text block, so Word and LibreOffice place it
        there on whatever page its anchor (the paragraph after it) falls, and the body keeps clear of it.
        It is anchored to the page's left edge at the left margin, not centred in the margins:
        LibreOffice keeps a full-width table centred in the margins inline, at the end of the text.
        The one-character insets are paragraph indents, not cell margins, so the rules run the full
        width in both programs (they measure a table's position to its border, or to its text).
        """
        style_id = self.document.styles[STYLE_COLOPHON].style_id
        rows = []
        if copy_to:
            names = "，".join(chinese_text(name).strip() for name in copy_to)
            rows.append(_colophon_paragraph(f"抄送：{names}。", style_id, hanging=True))
        rows.append(_colophon_paragraph(f"{chinese_text(printed_by).strip()}\t{format_date(printed_on)}印发",
                                        style_id, hanging=False))
        width = _twips(TEXT_WIDTH)
        table = parse_xml(
            f'<w:tbl {nsdecls("w")}><w:tblPr>'
            '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0" '
            f'w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="{_twips(MARGIN_LEFT)}" w:tblpYSpec="bottom"/>'
            '<w:tblOverlap w:val="never"/>'
            f'<w:tblW w:w="{width}" w:type="dxa"/>'
            '<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
            '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
            '<w:right w:val="nil"/><w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            '<w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
            '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>'
            + "".join(f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                      f"</w:tcPr>{row}</w:tc></w:tr>" for row in rows)
            + "</w:tbl>"
        )
        self.append_table(table)
        # A floating table needs a paragraph after it to anchor to; an empty, one-point line takes no room.
        anchor = self.document.add_paragraph(style="Normal")
        anchor.paragraph_format.line_spacing = Pt(1)
        anchor.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        anchor.paragraph_format.first_line_indent = ZERO

    def set_properties(self, *, title: str, author: str, identifier: str, comments: str, revision: int,
                       date: datetime.date) -> None:
        properties = self.document.core_properties
        properties.title = chinese_text(title).replace("\n", "")
        properties.author = chinese_text(author)
        properties.last_modified_by = chinese_text(author)
        properties.identifier = chinese_text(identifier)
        properties.subject = ""
        properties.keywords = ""
        properties.comments = chinese_text(comments)
        properties.category = "通报"
        properties.language = "zh-CN"
        properties.revision = max(revision, 1)
        moment = datetime.datetime.combine(date, datetime.time())
        properties.created = moment
        properties.modified = moment

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _masthead_size(mark: str) -> tuple[Length, int]:
    """The mark's size and horizontal scale: 36 pt, narrowed to fit the text block's width, and smaller
    than 36 pt only when it would have to be narrowed below 60 %."""
    room = TEXT_WIDTH.pt * 0.98
    natural = _em(mark) * MASTHEAD_SIZE.pt
    if natural <= room:
        return MASTHEAD_SIZE, 100
    scale = int(room / natural * 100)
    if scale >= MASTHEAD_MIN_SCALE:
        return MASTHEAD_SIZE, scale
    return Pt(int(room / (_em(mark) * MASTHEAD_MIN_SCALE / 100))), MASTHEAD_MIN_SCALE


def _twips(length: Length) -> int:
    return round(Length(length).pt * 20)


def _colophon_paragraph(text: str, style_id: str, *, hanging: bool) -> str:
    """One line of the 版记, one 四号 character in from both rules' ends (7.4.2, 7.4.3): 抄送 with its
    continuation lines under the first name after the colon; 印发机关 left, the date against a right tab."""
    char = _twips(SIZE_4)
    width = _twips(TEXT_WIDTH)
    spacing = f'<w:spacing w:line="{_twips(LINE)}" w:lineRule="exact"/>'
    if hanging:
        layout = f'{spacing}<w:ind w:left="{char * 4}" w:right="{char}" w:hanging="{char * 3}"/>'
    else:
        layout = (f'<w:tabs><w:tab w:val="right" w:pos="{width - char}"/></w:tabs>{spacing}'
                  f'<w:ind w:left="{char}" w:right="{char}"/>')
    parts = text.split("\t")
    runs = f'<w:r><w:t xml:space="preserve">{escape(parts[0])}</w:t></w:r>'
    for part in parts[1:]:
        runs += f'<w:r><w:tab/><w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{layout}</w:pPr>{runs}</w:p>'
