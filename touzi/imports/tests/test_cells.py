"""touzi.imports.cells: the domain's amounts (万元) and report periods (1—2月 is February) on lib's parsers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from touzi.imports.cells import parse_amount, parse_report_period


@pytest.mark.parametrize(("text", "message"), [("100万元", "请只填写数字,单位为万元"),
                                               ("3亿元", "请只填写数字,单位为万元"),
                                               ("50元", "请只填写数字,单位为万元"),
                                               ("abc", "无法识别的数字格式")])
def test_an_amount_with_a_unit_is_refused_naming_the_unit(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_amount(text)
    assert str(caught.value) == message


def test_an_amount_reads_like_any_number() -> None:
    assert parse_amount("1,234.5") == Decimal("1234.5")
    assert parse_amount(None) is None


@pytest.mark.parametrize("value", ["2023-03", "2023年3月", "202303", 202303, datetime.date(2023, 3, 31)])
def test_report_period_accepts(value: object) -> None:
    assert parse_report_period(value) == "2023-03"


@pytest.mark.parametrize("value", ["2023年1-2月", "2023年1—2月", "2023年01-02月", "2023年1~2月"])
def test_report_period_january_february_is_february(value: str) -> None:
    assert parse_report_period(value) == "2023-02"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2023.1, "报告期格式有歧义,请填写为 2023-10 这样的文本"),
        (Decimal("2023.1"), "报告期格式有歧义,请填写为 2023-10 这样的文本"),
        ("2023-13", "报告期应为 YYYY-MM,例如 2023-03"),
        ("2023-00", "报告期应为 YYYY-MM,例如 2023-03"),
        ("1999-12", "报告期应为 YYYY-MM,例如 2023-03"),
        ("2023-01-02", "报告期应为 YYYY-MM,例如 2023-03"),
        ("2023年3-5月", "报告期应为 YYYY-MM,例如 2023-03"),
        ("三月", "报告期应为 YYYY-MM,例如 2023-03"),
        (2023, "报告期应为 YYYY-MM,例如 2023-03"),
    ],
)
def test_report_period_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_report_period(value)
    assert str(caught.value) == message
