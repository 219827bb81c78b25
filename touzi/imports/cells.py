"""The domain's rules for the cells of an import, on top of lib.xlsx's generic parsers.

Amounts are in 万元: a clerk who types "100万元" or "3亿元" meant a number, and is told the unit. Report
periods are months from 2000 on; statistics offices report January and February together as "1-2月",
and that report is filed as the February period.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from touzi.lib.messages import define
from touzi.lib.xlsx import PeriodRule, Units, parse_decimal, parse_period

MSG_NUMBER_UNIT = define("imports.amount_unit", _("请只填写数字,单位为万元"))
MSG_PERIOD = define("imports.period", _("报告期应为 YYYY-MM,例如 2023-03"))
MSG_PERIOD_AMBIGUOUS = define("imports.period_ambiguous", _("报告期格式有歧义,请填写为 2023-10 这样的文本"))

WAN_YUAN = Units(marks=frozenset("万亿元"), refusal=MSG_NUMBER_UNIT)

_JAN_FEB = re.compile(r"([0-9]{4})年0?1月?[-—–―~至到]0?2月份?")


def _january_february(text: str) -> tuple[int, int] | None:
    """"2023年1-2月" (spaces already removed) is the February period."""
    match = _JAN_FEB.fullmatch(text)
    return (int(match.group(1)), 2) if match else None


REPORT_PERIOD = PeriodRule(first_year=2000, last_year=2100, readings=(_january_february,),
                           invalid=MSG_PERIOD, ambiguous=MSG_PERIOD_AMBIGUOUS)


def parse_amount(value: object, *, places: int = 4) -> Decimal | None:
    """An amount in 万元, as parse_decimal reads it; text naming a unit is refused with the unit named."""
    return parse_decimal(value, places=places, units=WAN_YUAN)


def parse_report_period(value: object) -> str | None:
    """A report period "YYYY-MM" (2023-03, 2023年3月, 202303, 2023年1-2月 as February...)."""
    return parse_period(value, REPORT_PERIOD)
