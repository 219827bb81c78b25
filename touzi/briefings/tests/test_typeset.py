"""The text rules of the document: Chinese punctuation, how numbers print, how headings and titles break."""

from __future__ import annotations

from decimal import Decimal

import pytest

from touzi.briefings.charts import nice_ticks
from touzi.briefings.gbt9704 import balanced_title_lines
from touzi.briefings.render import chinese_number, heading_number, title_segments
from touzi.briefings.typeset import (
    cell_text,
    chinese_text,
    is_percent_column,
    join_names,
    money,
    percent,
    points,
)


@pytest.mark.parametrize(("written", "printed"), [
    ("1—6月,全市完成投资338.79亿元,同比增长46.8%;", "1—6月，全市完成投资338.79亿元，同比增长46.8%；"),
    ("主要问题:征地拆迁", "主要问题：征地拆迁"),
    ("完成率(%)", "完成率（%）"),
    ("(80%区间711—873),完成", "（80%区间711—873），完成"),
    ("完成投资 3,380 万元,为年度计划的 67.6%", "完成投资3,380万元，为年度计划的67.6%"),
    ("用地:征地;资金:到位慢", "用地：征地；资金：到位慢"),
])
def test_half_width_punctuation_next_to_chinese_becomes_full_width(written, printed):
    assert chinese_text(written) == printed


@pytest.mark.parametrize("text", ["1,234.56", "12:30", "=SUM(A1)", "Hello, world: x", "+86 0779"])
def test_numbers_formulas_and_latin_text_keep_their_punctuation(text):
    assert chinese_text(text) == text


def test_numbers_print_with_their_units_and_fixed_decimals():
    assert money(Decimal("1234.5")) == "1,234.50亿元"
    assert percent(Decimal("42.8947")) == "42.9%"
    assert points(Decimal("-7.11")) == "7.1个百分点"
    assert join_names(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert join_names(["甲", "乙", "丙"], limit=2, total_word="个单位") == "甲、乙等3个单位"


def test_percentage_columns_print_one_decimal_and_amounts_two():
    assert is_percent_column("完成率（%）") and is_percent_column("与序时进度差距（百分点）")
    assert not is_percent_column("累计完成（亿元）")
    assert cell_text(Decimal("42.8947"), percent=True) == "42.9"
    assert cell_text(Decimal("1234567.891")) == "1,234,567.89"
    assert cell_text(12345) == "12,345"
    assert cell_text(None) == "—"


@pytest.mark.parametrize(("number", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")])
def test_chinese_numbers(number, text):
    assert chinese_number(number) == text


def test_heading_numbers_by_level():
    assert [heading_number(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]


def test_a_long_title_breaks_between_words_into_a_balanced_trapezoid():
    lines = balanced_title_lines(["关于", "2023年1—6月", "全市重大项目", "建设情况的通报"], max_em=20)
    assert "".join(lines) == "关于2023年1—6月全市重大项目建设情况的通报"
    assert len(lines) == 2
    assert all(len(line) >= 4 for line in lines)  # never a word alone on a line


def test_a_short_title_stays_on_one_line_and_an_unsegmented_one_finds_its_words():
    assert balanced_title_lines(["关于", "6月", "通报"], max_em=20) == ["关于6月通报"]
    assert title_segments("关于2023年1—6月全市重大项目建设情况的通报")[:2] == ["关于", "2023年1—6月"]


def test_chart_ticks_are_round_steps_covering_the_values():
    assert nice_ticks(338.79 * 1.12) == [0, 100, 200, 300, 400]
    assert nice_ticks(60, -5)[0] < 0
