"""touzi.briefings.render: the .docx read back with python-docx, the annex with openpyxl, the PDF with poppler.

No database: the content model is plain dataclasses built here.
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from touzi.briefings.charts import chart_png
from touzi.briefings.content import Briefing, Chart, Section, Table
from touzi.briefings.render import (
    RenderError,
    chinese_number,
    fonts_conf,
    format_cell,
    heading_number,
    render_annex,
    render_docx,
    render_pdf,
)

TITLE = "2023年1—6月全市重大项目建设情况通报"
ISSUER = "北海市投资工作领导小组办公室"
BIG = Decimal("1234567.891")


def sample(version: int = 1) -> Briefing:
    county = Table(
        title="表1 2023年1—6月分县区重大项目投资完成情况",
        headers=["县区", "项目数(个)", "年度计划投资", "1—6月完成投资", "完成率(%)"],
        rows=[
            ["海城区", 25, Decimal("245.60"), BIG, "52.3"],
            ["银海区", 18, Decimal("198.10"), Decimal("95.28"), "48.1"],
            ["铁山港区", 12, Decimal("310.00"), None, None],
            ["合计", 55, Decimal("753.70"), Decimal("1234663.17"), "50.6"],
        ],
        note="单位:亿元",
        key="county",
    )
    lagging = Table(
        title="表2 投资进度滞后项目",
        headers=["项目名称", "责任单位", "完成投资", "备注"],
        rows=[
            ["北海港铁山港西港区北暮作业区南4号5号泊位", "铁山港区", Decimal("3.5"), "=SUM(A1)"],
            ["银海区滨海大道改造", "银海区", Decimal("-1.25"), "+86 0779"],
        ],
        note="单位:亿元",
        key="lagging",
    )
    chart = Chart(
        title="图1 各县区重大项目投资完成率",
        labels=["海城区", "银海区", "铁山港区", "合浦县"],
        series=[("完成率", [52.3, 48.1, None, 61.0]), ("去年同期", [50.0, 45.0, 40.0, 58.5])],
        unit="%",
        reference=("序时进度", 50.0),
    )
    sections = [
        Section(
            heading="总体情况",
            paragraphs=[
                "1—6月，全市重大项目完成投资1234567.89亿元，完成年度计划的50.6%，超序时进度0.6个百分点。"
            ],
            charts=[chart],
            tables=[county],
            children=[
                Section(
                    heading="分县区情况",
                    paragraphs=["海城区、合浦县完成率高于序时进度，银海区、铁山港区低于序时进度。"],
                    tables=[lagging],
                    children=[Section(heading="海城区", paragraphs=["海城区完成投资进度较快。"])],
                ),
                Section(heading="分领域情况", paragraphs=["产业项目完成投资占比过半。"]),
            ],
        ),
        Section(
            heading="存在问题",
            paragraphs=["部分项目前期工作推进缓慢。", "个别县区入库项目不足。"],
        ),
        Section(heading="下一步工作", paragraphs=["各县区要对照年度目标，倒排工期，确保完成全年任务。"]),
    ]
    return Briefing(
        title=TITLE,
        number="北投办〔2023〕6号",
        recipients="各县区人民政府，市直各有关单位：",
        opening=["现将2023年1—6月全市重大项目建设情况通报如下："],
        sections=sections,
        issuer=ISSUER,
        date=datetime.date(2023, 7, 10),
        annex_note="附件：2023年1—6月重大项目建设情况统计表",
        version=version,
        change_note="表1铁山港区完成投资更正为待核实。\n合计数相应调整。" if version > 1 else "",
    )


# ---------------------------------------------------------------------------
# Helpers reading styles back
# ---------------------------------------------------------------------------


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


def is_bold(paragraph) -> bool:
    if any(run.bold for run in paragraph.runs):
        return True
    return next(
        (style.font.bold for style in _style_chain(paragraph.style) if style.font.bold is not None), False
    )


def paragraph_value(paragraph, name: str):
    value = getattr(paragraph.paragraph_format, name)
    if value is not None:
        return value
    return next(
        (
            getattr(style.paragraph_format, name)
            for style in _style_chain(paragraph.style)
            if getattr(style.paragraph_format, name) is not None
        ),
        None,
    )


def starting(document, prefix: str):
    return next(paragraph for paragraph in document.paragraphs if paragraph.text.startswith(prefix))


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx(sample())


@pytest.fixture(scope="module")
def document(docx_bytes):
    return Document(io.BytesIO(docx_bytes))


# ---------------------------------------------------------------------------
# Content model and small helpers
# ---------------------------------------------------------------------------


def test_tables_are_listed_depth_first_in_document_order():
    assert [table.key for table in sample().tables()] == ["county", "lagging"]


@pytest.mark.parametrize(
    ("number", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")]
)
def test_chinese_numbers(number, text):
    assert chinese_number(number) == text


def test_heading_numbers_by_level():
    assert [heading_number(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]
    assert heading_number(1, 11) == "十一、"


def test_cells_are_formatted_for_print():
    assert format_cell(BIG) == "1,234,567.89"
    assert format_cell(Decimal("-1.5")) == "-1.50"
    assert format_cell(12345) == "12,345"
    assert format_cell(None) == "—"
    assert format_cell("=SUM(A1)") == "=SUM(A1)"


# ---------------------------------------------------------------------------
# The Word document
# ---------------------------------------------------------------------------


def test_page_is_a4_with_gb_margins(document):
    section = document.sections[0]
    expected = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    for name, millimetres in expected.items():
        assert abs(getattr(section, name) - Mm(millimetres)) <= Mm(0.5), name


def test_title_in_xiaobiaosong_22pt_centred(document):
    title = document.paragraphs[0]
    assert title.text == TITLE
    assert title.style.name == "Title"
    assert east_asia_font(title) == "方正小标宋简体"
    assert title.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.style.font.name == "Times New Roman"
    assert font_size(title) == Pt(22)
    assert paragraph_value(title, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_number_under_the_title_and_recipients_flush_left(document):
    number = document.paragraphs[1]
    assert number.text == "北投办〔2023〕6号"
    assert paragraph_value(number, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia_font(number) == "仿宋_GB2312"
    assert font_size(number) == Pt(16)
    recipients = document.paragraphs[2]
    assert recipients.text == "各县区人民政府，市直各有关单位："
    assert paragraph_value(recipients, "first_line_indent") == 0


def test_body_in_fangsong_16pt_fixed_28pt(document):
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(16)
    body = [starting(document, "现将"), starting(document, "1—6月，全市"), starting(document, "个别县区")]
    for paragraph in body:
        assert paragraph.style.name == "Normal"
        assert east_asia_font(paragraph) == "仿宋_GB2312"
        assert font_size(paragraph) == Pt(16)
        assert paragraph_value(paragraph, "line_spacing_rule") == WD_LINE_SPACING.EXACTLY
        assert paragraph_value(paragraph, "line_spacing") == Pt(28)
        assert paragraph_value(paragraph, "first_line_indent") == Pt(32)


def test_headings_are_numbered_with_their_fonts(document):
    texts = [paragraph.text for paragraph in document.paragraphs]
    for heading in (
        "一、总体情况",
        "（一）分县区情况",
        "1.海城区",
        "（二）分领域情况",
        "二、存在问题",
        "三、下一步工作",
    ):
        assert heading in texts
    level1, level2, level3 = (
        starting(document, "一、"),
        starting(document, "（一）"),
        starting(document, "1.海城区"),
    )
    assert level1.style.name == "Heading 1"
    assert east_asia_font(level1) == "黑体"
    assert not is_bold(level1)
    assert level2.style.name == "Heading 2"
    assert east_asia_font(level2) == "楷体_GB2312"
    assert level3.style.name == "Heading 3"
    assert east_asia_font(level3) == "仿宋_GB2312"
    assert is_bold(level3)
    for heading in (level1, level2, level3):
        assert font_size(heading) == Pt(16)
        assert heading.style.font.color.rgb is None  # the template's blue is gone
        assert heading.style.element.rPr.rFonts.get(qn("w:asciiTheme")) is None


def test_tables_with_titles_headers_and_formatted_numbers(document):
    assert len(document.tables) == 2
    county, lagging = document.tables
    assert county.style.name == "Table Grid"
    assert [cell.text for cell in county.rows[0].cells] == [
        "县区",
        "项目数(个)",
        "年度计划投资",
        "1—6月完成投资",
        "完成率(%)",
    ]
    first = county.rows[1].cells
    assert [cell.text for cell in first] == ["海城区", "25", "245.60", "1,234,567.89", "52.3"]
    assert first[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert county.rows[3].cells[3].text == "—"
    header = county.rows[0].cells[0].paragraphs[0]
    assert is_bold(header)
    for row in county.rows:
        for cell in row.cells:
            assert east_asia_font(cell.paragraphs[0]) == "仿宋_GB2312"
            assert font_size(cell.paragraphs[0]) == Pt(12)
    assert county.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert lagging.rows[1].cells[3].text == "=SUM(A1)"
    assert lagging.rows[2].cells[2].text == "-1.25"

    title = starting(document, "表1 ")
    assert paragraph_value(title, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert is_bold(title)
    assert font_size(title) == Pt(12)
    # Table title, table, note: in that order in the body.
    body = list(document.element.body.iterchildren())
    position = body.index(title._p)
    assert body[position + 1] is county._tbl
    note = next(paragraph for paragraph in document.paragraphs if paragraph._p is body[position + 2])
    assert note.text == "单位:亿元"
    assert paragraph_value(note, "alignment") == WD_ALIGN_PARAGRAPH.RIGHT


def test_chart_is_a_centred_picture_with_caption(document, docx_bytes):
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 1
    assert images[0].blob.startswith(b"\x89PNG")
    caption = starting(document, "图1 ")
    body = list(document.element.body.iterchildren())
    picture = body[body.index(caption._p) - 1]
    assert picture.findall(".//" + qn("w:drawing"))
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        assert any(name.startswith("word/media/") for name in package.namelist())


def test_footer_has_a_page_field_between_dashes(document):
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    xml = paragraph._p.xml
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    instructions = [element.text.strip() for element in paragraph._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
    assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia_font(paragraph) == "宋体"
    assert font_size(paragraph) == Pt(14)


def test_annex_note_then_issuer_and_date_right_aligned_at_the_end(document):
    *_, annex, issuer, date = document.paragraphs
    assert annex.text == "附件：2023年1—6月重大项目建设情况统计表"
    assert issuer.text == ISSUER
    assert date.text == "2023年7月10日"
    for paragraph in (issuer, date):
        assert paragraph_value(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.RIGHT
        assert east_asia_font(paragraph) == "仿宋_GB2312"
    # GB/T 9704: issuer two characters from the right, date starting two characters right of it.
    assert issuer.paragraph_format.right_indent == Pt(32)
    assert date.paragraph_format.right_indent > 0


def test_core_properties(document):
    assert document.core_properties.title == TITLE
    assert document.core_properties.author == ISSUER


def test_corrected_version_prints_the_change_note():
    document = Document(io.BytesIO(render_docx(sample(version=2))))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[2] == "更正说明（第2版）：表1铁山港区完成投资更正为待核实。"
    assert texts[3] == "合计数相应调整。"
    assert texts[4].startswith("各县区人民政府")
    assert "更正说明" not in " ".join(
        paragraph.text for paragraph in Document(io.BytesIO(render_docx(sample()))).paragraphs
    )


def test_minimal_briefing_renders():
    briefing = Briefing(
        title="通报",
        number="",
        recipients="",
        opening=[],
        sections=[Section(heading=f"第{index}部分") for index in range(1, 12)],
        issuer=ISSUER,
        date=datetime.date(2024, 1, 5),
    )
    document = Document(io.BytesIO(render_docx(briefing)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[1] == "一、第1部分"
    assert "十一、第11部分" in texts
    assert texts[-1] == "2024年1月5日"
    workbook = openpyxl.load_workbook(io.BytesIO(render_annex(briefing)))
    assert workbook.sheetnames == ["附件"]


def test_chart_png_is_deterministic():
    chart = sample().sections[0].charts[0]
    first, second = chart_png(chart), chart_png(chart)
    assert first.startswith(b"\x89PNG")
    assert first == second
    assert b"Software" not in first


# ---------------------------------------------------------------------------
# The Excel annex
# ---------------------------------------------------------------------------


def test_annex_has_one_sheet_per_table_with_the_same_values():
    briefing = sample()
    workbook = openpyxl.load_workbook(io.BytesIO(render_annex(briefing)))
    assert workbook.sheetnames == ["county", "lagging"]
    for table, sheet in zip(briefing.tables(), workbook.worksheets, strict=True):
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert rows[0][0] == table.title
        assert rows[1][: len(table.headers)] == table.headers
        for expected, got in zip(table.rows, rows[2:], strict=False):
            for want, have in zip(expected, got, strict=False):
                if isinstance(want, Decimal):
                    assert isinstance(have, int | float)
                    assert Decimal(str(have)) == want
                else:
                    assert have == want
        assert rows[2 + len(table.rows)][0] == table.note
    county = workbook["county"]
    assert county["D3"].number_format == "#,##0.00"
    lagging = workbook["lagging"]
    assert lagging["D3"].value == "=SUM(A1)"
    assert lagging["D3"].data_type == "s"
    assert lagging["D4"].value == "+86 0779"


def test_annex_has_no_formula_cells():
    workbook = openpyxl.load_workbook(io.BytesIO(render_annex(sample())))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate


# ---------------------------------------------------------------------------
# The PDF
# ---------------------------------------------------------------------------


def _tools_or_skip() -> None:
    missing = [tool for tool in ("pdffonts", "pdftotext") if shutil.which(tool) is None]
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        missing.append("soffice")
    if missing and not os.environ.get("CI"):
        pytest.skip(f"not installed: {', '.join(missing)}")


@pytest.fixture(scope="module")
def pdf(docx_bytes) -> bytes:
    _tools_or_skip()
    return render_pdf(docx_bytes)


def test_pdf_starts_as_a_pdf(pdf):
    assert pdf.startswith(b"%PDF")


def test_pdf_embeds_noto_cjk(pdf, tmp_path):
    path = tmp_path / "briefing.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in output.splitlines()[2:]:
        columns = line.split()
        # name type [encoding words...] emb sub uni object-id generation: emb is the 5th from the end.
        fonts.append((columns[0], columns[-5]))
    assert fonts
    assert all(embedded == "yes" for _, embedded in fonts), output
    names = [name for name, _ in fonts]
    assert any("NotoSerifCJK" in name for name in names), output
    assert any("NotoSansCJK" in name for name in names), output  # 黑体 headings


def test_pdf_text_has_title_and_figures(pdf, tmp_path):
    path = tmp_path / "briefing.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert TITLE in compact
    assert "1,234,567.89" in compact
    assert "北投办〔2023〕6号" in compact
    assert "— 1 —" in text or "—1—" in compact


def test_pdf_fonts_conf_includes_the_stand_ins_and_the_system():
    generated = fonts_conf("/etc/fonts/fonts.conf")
    assert "touzi/briefings/fonts.conf" in generated
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in generated


def test_pdf_without_libreoffice_says_so(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RenderError) as raised:
        render_pdf(b"not used")
    assert raised.value.message == "未安装 LibreOffice,无法生成 PDF"


def test_pdf_of_a_broken_file_raises_render_error():
    _tools_or_skip()
    with pytest.raises(RenderError):
        render_pdf(b"this is not a docx")


def test_pdf_timeout_raises_render_error(docx_bytes):
    _tools_or_skip()
    with pytest.raises(RenderError) as raised:
        render_pdf(docx_bytes, timeout=0.2)
    assert raised.value.message == "生成 PDF 超时(超过 0.2 秒),请稍后重试"


def test_title_lines_break_inside_one_paragraph():
    briefing = sample()
    briefing.title = "2023年1—6月全市重大项目\n建设情况通报"
    document = Document(io.BytesIO(render_docx(briefing)))
    title = document.paragraphs[0]
    assert title.text == "2023年1—6月全市重大项目\n建设情况通报"
    assert all(br.getparent().tag == qn("w:r") for br in title._p.iter(qn("w:br")))
    assert document.core_properties.title == "2023年1—6月全市重大项目建设情况通报"
