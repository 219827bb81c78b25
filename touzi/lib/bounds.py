"""The ranges a figure, a year, a month or a day may take, one definition for the forms, the API and the services.

The web forms, the API's schemas (and so its OpenAPI) and the services all read these numbers: a bound changed
here changes everywhere, and a value the form refuses is refused by the API too. The services check again
because imports and the command line reach them without either.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import NotRequired, TypedDict

from django.utils.translation import gettext as _


class Digits(TypedDict):
    """The size of a decimal column or form field, passed as `**MONEY_COLUMN` and the like: typed so that a
    checker sees which keyword arguments the fields receive."""

    max_digits: int
    decimal_places: int


class FormDigits(Digits):
    min_value: NotRequired[int]


YEAR_MIN, YEAR_MAX = 2000, 2100
FIRST_DAY, LAST_DAY = dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX, 12, 31)
# YYYY-MM within YEAR_MIN..YEAR_MAX; the API's schemas carry it, so a client sees it in the OpenAPI.
PERIOD_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"

# 万元 to four places. The columns hold 16 digits (MONEY_COLUMN), but a value is accepted only up to 15 significant
# digits, eleven before the point: SQLite keeps a decimal as a float, and Django reads it back through a 15-digit
# context, so 10^11 万元 or more is stored and then fails to load (a server error on every page showing it). 10^11
# 万元 is a thousand trillion yuan, far above any project.
MONEY_COLUMN = Digits(max_digits=16, decimal_places=4)
MONEY_PLACES = 4
ACCEPTED_DIGITS = 15
MONEY_LIMIT = Decimal(10) ** (ACCEPTED_DIGITS - MONEY_PLACES)  # exclusive
MONEY_FORM = FormDigits(max_digits=ACCEPTED_DIGITS, decimal_places=MONEY_PLACES)
# An indicator's value (a count, a rate, 亿元…): a wider column (plans.Target, indicators.IndicatorValue), the same
# accepted range for the same reason.
MEASURE_COLUMN = Digits(max_digits=20, decimal_places=4)
MEASURE_PLACES = 4
MEASURE_LIMIT = Decimal(10) ** (ACCEPTED_DIGITS - MEASURE_PLACES)
MEASURE_FORM = FormDigits(max_digits=ACCEPTED_DIGITS, decimal_places=MEASURE_PLACES)

# Paging of list endpoints. SQL's OFFSET is a signed 64-bit integer on both databases; a billion rows is far more
# than any ledger holds and far below the point where SQLite or PostgreSQL fail with a server error.
OFFSET_MAX = 1_000_000_000
LIMIT_MAX = 1000


def decimal_problem(value: Decimal, *, limit: Decimal, places: int, negative: bool) -> str | None:
    """Why a number does not fit its column (None when it does): finite, |value| < limit, at most `places`."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return _("应为数字")
    if not value.is_finite():
        return _("应为数字")
    if value < 0 and not negative:
        return _("不能为负数")
    if abs(value) >= limit:
        return _("超出范围(整数部分最多 %(digits)s 位)") % {"digits": len(str(limit)) - 1}
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places and value != value.quantize(Decimal(1).scaleb(-places)):
        return _("最多 %(places)s 位小数") % {"places": places}
    return None


def money_problem(value: Decimal, *, negative: bool = False) -> str | None:
    """万元 in a MONEY column: non-negative unless `negative`, below 10^12, four places."""
    return decimal_problem(value, limit=MONEY_LIMIT, places=MONEY_PLACES, negative=negative)


def year_problem(year: int) -> str | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return _("年度应在 %(min)s 到 %(max)s 之间") % {"min": YEAR_MIN, "max": YEAR_MAX}
    return None


def day_problem(day: dt.date) -> str | None:
    """A month or a day outside the years the platform plans for."""
    if not FIRST_DAY <= day <= LAST_DAY:
        return _("日期应在 %(min)s 年到 %(max)s 年之间") % {"min": YEAR_MIN, "max": YEAR_MAX}
    return None


def order_problem(start: dt.date | None, completion: dt.date | None) -> str | None:
    """A planned completion before the planned start (either may be missing)."""
    if start and completion and completion < start:
        return _("计划竣工不能早于计划开工")
    return None


def validate_day(value: dt.date) -> None:
    """Django validator for the web forms' month and day fields: the same bound as the API's and the services'."""
    from django.core.exceptions import ValidationError

    problem = day_problem(value)
    if problem:
        raise ValidationError(problem, code="out_of_range")
