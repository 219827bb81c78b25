"""The demo city's 2023-06 通报 as a plan office would send it: rendered to PDF and read back.

The whole demo portfolio (2,000 projects, monthly reports 2021–2023) is built once for the module and
rolled back at its end; then the briefing is generated and converted exactly as `touzi briefing` does.
Needs LibreOffice, poppler-utils and the Fandol fonts (skipped without them, except on CI).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import transaction

from touzi.briefings.freeze import from_json
from touzi.briefings.services import generate, render_all
from touzi.core.actor import System
from touzi.demo.portfolio import ensure_demo_portfolio
from touzi.testing import load_file

from .pdftools import HALF_WIDTH_NEXT_TO_CHINESE, HAN, dark_rows, read_pdf, red_rows, tools_or_skip

pytestmark = pytest.mark.django_db
MM = 72 / 25.4
TEXT_BOTTOM = 297 - 35  # mm from the page's top edge to the bottom of the text block


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's 2023-06 briefing: its content, and its PDF read back."""
    tools_or_skip()
    with django_db_blocker.unblock(), transaction.atomic():
        plan = load_file(settings.DEFAULT_PLAN_FILE)
        ensure_demo_portfolio()
        content = from_json(generate(plan, dt.date(2023, 6, 1), actor=System("test")).content)
        files = render_all(content)
        transaction.set_rollback(True)
    return content, read_pdf(files["pdf"], tmp_path_factory.mktemp("demo"))


def test_the_demo_briefing_fits_on_twelve_pages(demo):
    _, pdf = demo
    assert pdf.pages <= 12


def test_it_opens_with_the_red_masthead_and_the_red_rule(demo):
    _, pdf = demo
    mark = next(f for f in pdf.on(1) if f.text == "北海市投资工作领导小组办公室文件")
    assert mark.colour.lower() == "#ff0000"
    assert any(line[2] == "北投办〔草稿〕" for line in pdf.lines(1))
    assert red_rows(pdf.picture(1), min_share=0.6)


def test_it_closes_with_te_ci_tong_bao_and_the_colophon_at_the_foot_of_the_last_page(demo):
    _, pdf = demo
    assert "特此通报。" in "".join(pdf.text().split())
    lines = pdf.lines(pdf.pages)
    copy = next(line for line in lines if line[2].startswith("抄送："))
    printed = next(line for line in lines if line[2].endswith("印发"))
    assert copy[2].startswith("抄送：市委办公室，市人大常委会办公室")
    assert printed[2].startswith("北海市投资工作领导小组办公室")
    assert TEXT_BOTTOM - 12 < printed[1] / MM <= TEXT_BOTTOM + 1
    rules = dark_rows(pdf.picture(pdf.pages), min_share=0.6)
    assert len([row for i, row in enumerate(rules) if i == 0 or row - rules[i - 1] > 1]) == 3


def test_no_half_width_comma_colon_or_semicolon_stands_next_to_chinese(demo):
    _, pdf = demo
    found = HALF_WIDTH_NEXT_TO_CHINESE.findall(pdf.text())
    assert found == []


def test_the_body_is_set_in_a_fangsong_face_without_fallback(demo):
    _, pdf = demo
    body = [f for f in pdf.fragments if abs(f.size - 16) < 0.5 and HAN.search(f.text)]
    fang = [f for f in body if f.family.startswith("FandolFang")]
    assert sum(len(f.text) for f in fang) > 0.8 * sum(len(f.text) for f in body)  # headings are 黑体 and 楷体
    # Noto Serif CJK stands in for 仿宋 only where FandolFang lacks a character: nowhere in the body.
    assert [f.text for f in body if f.family.startswith("NotoSerif")] == []


def test_page_numbers_stand_on_the_outside_corners(demo):
    _, pdf = demo
    for page in range(1, pdf.pages + 1):
        numbers = [f for f in pdf.on(page) if f.top > TEXT_BOTTOM * MM and f.text.strip("— ").isdigit()]
        assert numbers and int(numbers[0].text.strip("— ")) == page
        middle = numbers[0].left + numbers[0].width / 2
        assert (middle > pdf.page_width * 0.75) if page % 2 else (middle < pdf.page_width * 0.25), page


def test_the_body_names_the_laggards_and_reports_no_zeros(demo):
    content, _ = demo
    text = "".join(p for top in content.sections for s in top.walk() for p in s.paragraphs)
    assert "个百分点" in text and "黄色预警" in text
    assert "的0个" not in text and "见表" not in text
    assert all(table.rows and len(table.rows) <= 21 for table in content.tables())
    assert len(content.annex) >= 8
