"""The year-end report read back with python-docx and openpyxl: the briefing's 公文 form (版头, title, numbered
headings, table with repeated header, 版记) and the annex sheets, checked like touzi/briefings/tests/test_render."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from touzi.assessment.engine import assess
from touzi.assessment.period import Period
from touzi.assessment.report import report_docx, report_xlsx
from touzi.assessment.tests.helpers import annual_plan, make_scheme, report
from touzi.briefings.tests.test_render import east_asia_font, font_size, paragraph_value, starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(mini_plan, projects):
    scheme = make_scheme(mini_plan)
    annual_plan(projects["plant"], 2022, "12000")
    report(projects["plant"], "2022-06", "7200")
    return assess(scheme, Period(2022, 12))


@pytest.fixture
def document(result):
    return Document(io.BytesIO(report_docx(result, on=dt.date(2023, 1, 15))))


def test_the_report_is_a_gbt9704_document_with_masthead_title_and_signature(document, mini_plan) -> None:
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) <= Mm(0.5) and abs(section.top_margin - Mm(37)) <= Mm(0.5)
    mark, number, title = document.paragraphs[:3]
    assert mark.text.endswith("文件") and str(mark.style.font.color.rgb) == "FF0000"
    assert east_asia_font(mark) == "方正小标宋简体"
    assert number.text.endswith("〔草稿〕")  # the office numbers it when it issues it
    assert title.text.replace("\n", "") == "关于2022年度县区考核结果的通报"
    assert font_size(title) == Pt(22) and paragraph_value(title, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert starting(document, "一、考核结果").style.name == "Heading 1"
    assert starting(document, "四、PPP工作绩效奖励").style.name == "Heading 1"
    assert starting(document, "（一）加分").runs[0].style.name == "二级标题文字"
    assert "不可测算" in starting(document, "不可测算").text
    texts = [p.text for p in document.paragraphs]
    closing = texts.index("特此通报。")
    assert texts[closing + 1].startswith("附件：2022年度考核得分明细表")
    assert any(t.startswith("2023年1月15日") for t in texts[closing:])


def test_the_results_table_repeats_its_header_and_sums_the_parts(document) -> None:
    table = document.tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells][:5] == ["名次", "单位", "得分", "加分", "扣分"]
    first = [c.text for c in table.rows[1].cells]
    assert first[:2] == ["1", "甲县"]
    # At the year's end 7200 of 12000 is 60% of 序时进度: no attainment points; supervision (nothing due) and
    # reporting (on time) in full: 0 + 20 + 30.
    assert first[2] == "50.00" and first[3] == "0.00"


def test_the_annex_holds_the_full_scores_and_the_data_quality(result) -> None:
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(result, on=dt.date(2023, 1, 15))))
    names = book.sheetnames
    assert "得分明细" in names and "数据质量" in names
    sheet = book["得分明细"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row and row[1] == "甲县" for row in values)


def test_the_monthly_briefing_has_the_scores_as_the_basis_of_the_years_assessment(result, olive, mini_plan) -> None:
    from touzi.briefings.freeze import from_json
    from touzi.briefings.services import generate

    content = from_json(generate(mini_plan, dt.date(2022, 12, 1), actor=olive).content)
    table = next(t for t in content.annex_tables() if t.key == "assessment")
    assert [row[:3] for row in table.rows] == [[s.rank, result.units[s.unit].label, s.score] for s in result.scores]
    part = next(s for s in content.sections if s.heading == "考核得分情况")
    assert "得分居前的是甲县（50.00分）" in part.paragraphs[0] and "全年考核的依据" in part.paragraphs[0]
