"""The .docx read back with python-docx and the annex with openpyxl: the GB/T 9704 form is in the file.

No database: the content is sample.py's.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from touzi.briefings.charts import chart_png
from touzi.briefings.content import Briefing, Section
from touzi.briefings.render import render_annex, render_docx

from .sample import COPY_TO, ISSUER, MASTHEAD, NUMBER, TITLE, sample


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def east_asia_font(paragraph) -> str | None:
    """The East Asian font a paragraph's text gets: its runs first, then its style and the styles below."""
    for run in paragraph.runs:
        rpr = run._r.rPr
        if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
            return rpr.rFonts.get(qn("w:eastAsia"))
    for style in _style_chain(paragraph.style):
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
            return rpr.rFonts.get(qn("w:eastAsia"))
    return None


def font_size(paragraph):
    for run in paragraph.runs:
        if run.font.size is not None:
            return run.font.size
    return next((style.font.size for style in _style_chain(paragraph.style) if style.font.size), None)


def paragraph_value(paragraph, name: str):
    value = getattr(paragraph.paragraph_format, name)
    if value is not None:
        return value
    return next((getattr(style.paragraph_format, name) for style in _style_chain(paragraph.style)
                 if getattr(style.paragraph_format, name) is not None), None)


def starting(document, prefix: str):
    return next(paragraph for paragraph in document.paragraphs if paragraph.text.startswith(prefix))


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx(sample())


@pytest.fixture(scope="module")
def document(docx_bytes):
    return Document(io.BytesIO(docx_bytes))


def test_page_is_a4_with_gb_margins(document):
    section = document.sections[0]
    for name, millimetres in {"page_width": 210, "page_height": 297, "top_margin": 37, "bottom_margin": 35,
                              "left_margin": 28, "right_margin": 26}.items():
        assert abs(getattr(section, name) - Mm(millimetres)) <= Mm(0.5), name


def test_masthead_is_the_issuers_mark_in_red_then_the_number_over_a_red_rule(document):
    mark, number = document.paragraphs[:2]
    assert mark.text == MASTHEAD
    assert east_asia_font(mark) == "方正小标宋简体"
    assert mark.style.font.color.rgb is not None and str(mark.style.font.color.rgb) == "FF0000"
    assert paragraph_value(mark, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert number.text == NUMBER
    border = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000" and border.get(qn("w:val")) == "single"


def test_title_in_xiaobiaosong_22pt_broken_between_words(document):
    title = document.paragraphs[2]
    assert title.text.replace("\n", "") == TITLE
    assert title.text.count("\n") == 1
    assert all(len(line) >= 4 for line in title.text.split("\n"))
    assert east_asia_font(title) == "方正小标宋简体"
    assert font_size(title) == Pt(22)
    assert paragraph_value(title, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_body_in_fangsong_16pt_on_fixed_28pt_lines_of_28_characters(document):
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(16)
    # 28 characters of 16 pt less 0.25 pt each fit the 156 mm text block.
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    for paragraph in (starting(document, "现将"), starting(document, "1—6月，全市"), starting(document, "个别县区")):
        assert east_asia_font(paragraph) == "仿宋_GB2312"
        assert paragraph_value(paragraph, "line_spacing_rule") == WD_LINE_SPACING.EXACTLY
        assert paragraph_value(paragraph, "line_spacing") == Pt(28)
        assert paragraph_value(paragraph, "first_line_indent") == Pt(32)


def test_text_is_printed_with_chinese_punctuation(document):
    assert starting(document, "1—6月").text.startswith("1—6月，全市重大项目完成投资")
    assert "，倒排工期，" in starting(document, "各县区要").text


def test_headings_are_numbered_with_their_fonts_and_run_in_where_asked(document):
    level1 = starting(document, "一、总体情况")
    assert level1.style.name == "Heading 1" and east_asia_font(level1) == "黑体"
    assert starting(document, "（二）分领域情况").style.name == "Heading 2"
    run_in = starting(document, "（一）各县区。")
    assert run_in.runs[0].text == "（一）各县区。"
    assert run_in.runs[0].style.name == "二级标题文字"
    assert run_in.runs[1].text.startswith("海城区完成率高于序时进度")
    level3 = starting(document, "1.海城区。")
    assert level3.runs[0].style.name == "三级标题文字"
    assert level3.runs[0].style.font.bold
    kai = document.styles["二级标题文字"].element.rPr.rFonts.get(qn("w:eastAsia"))
    assert kai == "楷体_GB2312"


def test_tables_have_a_repeated_header_and_figures_with_fixed_decimals(document):
    (county,) = document.tables[:1]
    assert [cell.text for cell in county.rows[0].cells][:5] == ["排名", "县区", "年度计划（亿元）", "累计完成（亿元）",
                                                                 "完成率（%）"]
    first = county.rows[1].cells
    assert [cell.text for cell in first] == ["1", "海城区", "245.60", "1,234,567.89", "52.3", "2.3", "绿色"]
    assert first[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert county.rows[3].cells[3].text == "—"
    assert county.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in county.rows)
    header = county.rows[0].cells[0].paragraphs[0]
    assert east_asia_font(header) == "黑体"
    assert east_asia_font(first[1].paragraphs[0]) == "仿宋_GB2312"


def test_only_the_body_tables_are_in_the_document(document):
    assert len(document.tables) == 2  # the county table and the 版记; the annex's lagging list is not printed
    texts = "".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "滨海大道" not in texts


def test_chart_is_a_centred_picture_with_its_caption(document):
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 1 and images[0].blob.startswith(b"\x89PNG")
    caption = starting(document, "图1 ")
    body = list(document.element.body.iterchildren())
    assert body[body.index(caption._p) - 1].findall(".//" + qn("w:drawing"))


def test_page_numbers_stand_on_the_outside_corners(document):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        assert [i.text.strip() for i in paragraph._p.iter(qn("w:instrText"))] == ["PAGE"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert east_asia_font(paragraph) == "宋体" and font_size(paragraph) == Pt(14)
    assert paragraph_value(odd, "alignment") == WD_ALIGN_PARAGRAPH.RIGHT
    assert odd.paragraph_format.right_indent == Pt(14)  # one character in
    assert paragraph_value(even, "alignment") == WD_ALIGN_PARAGRAPH.LEFT
    assert even.paragraph_format.left_indent == Pt(14)


def test_closing_annex_note_issuer_and_date_in_their_places(document):
    texts = [paragraph.text for paragraph in document.paragraphs]
    closing = texts.index("特此通报。")
    assert texts[closing + 1] == "附件：2023年1—6月全市重大项目建设情况统计表"
    issuer = next(paragraph for paragraph in document.paragraphs if paragraph.text == ISSUER)
    date = starting(document, "2023年7月10日")
    assert texts.index(issuer.text) == closing + 2
    for paragraph in (issuer, date):
        assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.RIGHT
    # The issuer two characters from the right; the date's first character two right of the issuer's.
    assert issuer.paragraph_format.right_indent == Pt(32)
    # 14 characters of 16 pt, less the date's 13 half-width characters of 8 pt: 224 − 104.
    assert date.paragraph_format.right_indent == Pt(120)


def test_colophon_floats_at_the_foot_of_the_page_with_copy_to_and_printed_by(document):
    colophon = document.tables[-1]
    position = colophon._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom" and position.get(qn("w:vertAnchor")) == "margin"
    copy, printed = (row.cells[0].text for row in colophon.rows)
    assert copy == "抄送：" + "，".join(COPY_TO) + "。"
    assert printed == f"{ISSUER}\t2023年7月11日印发"
    borders = colophon._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "insideH", "bottom")}
    assert sizes == {"top": "8", "insideH": "6", "bottom": "8"}  # thick first and last rules, thin between


def test_corrected_version_prints_the_change_note():
    document = Document(io.BytesIO(render_docx(sample(version=2))))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[3] == "更正说明（第2版）：附表2铁山港区完成投资更正为待核实。"
    assert texts[4] == "合计数相应调整。"


def test_a_briefing_without_masthead_or_colophon_still_renders():
    briefing = Briefing(title="通报", number="", recipients="", opening=[], issuer=ISSUER,
                        sections=[Section(heading=f"第{index}部分") for index in range(1, 12)],
                        date=datetime.date(2024, 1, 5))
    document = Document(io.BytesIO(render_docx(briefing)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:2] == ["通报", "一、第1部分"]
    assert "十一、第11部分" in texts and texts[-1] == "2024年1月5日"
    assert not document.tables
    assert openpyxl.load_workbook(io.BytesIO(render_annex(briefing))).sheetnames == ["附件"]


def test_chart_png_is_deterministic():
    chart = sample().sections[0].charts[0]
    first, second = chart_png(chart), chart_png(chart)
    assert first.startswith(b"\x89PNG") and first == second


# --- the Excel annex -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook():
    return openpyxl.load_workbook(io.BytesIO(render_annex(sample())))


def test_annex_has_one_chinese_named_sheet_per_table_with_its_title_and_frozen_headers(workbook):
    briefing = sample()
    assert workbook.sheetnames == ["表1", "附表2 未按计划推进的项目"]
    for table, sheet in zip(briefing.annex, workbook.worksheets, strict=True):
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert rows[0][0] == table.title
        assert sheet.freeze_panes == "A3"  # the title and the header row stay in view
        assert rows[1][: len(table.headers)] == [h.replace("(", "（").replace(")", "）") for h in table.headers]
        for expected, got in zip(table.rows, rows[2:], strict=False):
            for want, have in zip(expected, got, strict=False):
                if isinstance(want, Decimal):
                    assert isinstance(have, int | float) and Decimal(str(have)) == want
                elif want is not None:
                    assert have == want


def test_annex_numbers_are_numbers_with_formats_by_kind(workbook):
    county = workbook["表1"]
    assert county["D3"].number_format == "#,##0.00"  # an amount
    assert county["E3"].number_format == "0.0"  # a percentage: one decimal, as the body prints it
    assert county["A3"].number_format == "#,##0"


def test_annex_cells_never_become_formulas(workbook):
    lagging = workbook["附表2 未按计划推进的项目"]
    assert lagging["D3"].value == "=SUM(A1)" and lagging["D3"].data_type == "s"
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
