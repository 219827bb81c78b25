"""Cell values as clerks type them: text cleaned, numbers exact, months and dates read in their usual forms.

Nothing here knows a domain: a column's unit (万元) and a period's special forms (1—2月) are passed in by
the caller (`Units`, `PeriodRule`), with the caller's messages. Refusals raise `CellError`, a ValueError
carrying a message code (see errors.py).
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Context, Decimal

from touzi.lib.messages import MessageKind
from touzi.lib.xlsx.errors import (
    MSG_DATE,
    MSG_DATE_INVALID,
    MSG_DATE_YEAR,
    MSG_MONTH,
    MSG_MONTH_AMBIGUOUS,
    MSG_NOT_NUMBER,
    MSG_NUMBER_FORMAT,
    MSG_NUMBER_PERCENT,
    MSG_NUMBER_PLACES,
    MSG_NUMBER_SCIENTIFIC,
    CellError,
)

__all__ = [
    "DEFAULT_PERIOD",
    "PeriodRule",
    "Reading",
    "Units",
    "cell_number",
    "compact",
    "decimal_from_cell",
    "normalize_text",
    "parse_date",
    "parse_decimal",
    "parse_period",
    "plain_text",
]

# Control, format (zero-width, bidi overrides, BOM) and lone surrogate code
# points: invisible, so a clerk could never see why two codes differ.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def normalize_text(value: object) -> str | None:
    """NFKC (full-width → half-width), invisible characters removed, whitespace collapsed; "" → None.

    Non-text values become the text a clerk would see: numbers without
    exponent or trailing zeros, dates in ISO form, booleans as 是/否.
    """
    if value is None:
        return None
    text = _as_text(value)
    if not text.isprintable():
        # Slow path only for text holding odd whitespace or invisible characters.
        text = "".join(_visible_char(ch) for ch in text)
    text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.split())
    return text or None


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        number = cell_number(value)
        return str(value) if number is None else plain_text(number)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _visible_char(ch: str) -> str:
    if ch.isspace():
        return " "
    return "" if unicodedata.category(ch) in _INVISIBLE_CATEGORIES else ch


def compact(text: str) -> str:
    """Text with every space removed, for comparisons where "合  计" must equal "合计"."""
    return "".join(text.split())



# Enough precision that rounding a float's repr to 10 places is always exact.
_WIDE = Context(prec=400)
_NOISE_PLACES = Decimal("1e-10")
_EMPTY_MARKS = frozenset({"-", "--", "—", "——", "–", "―", "/", "\\"})
_PLAIN_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_SCIENTIFIC = re.compile(r"[0-9.]+e[+-]?[0-9]+", re.IGNORECASE)


def decimal_from_cell(value: object, *, places: int = 4) -> Decimal | None:
    """Exact Decimal for a number cell; float binary noise (1234.5600000000002) is removed.

    Raises ValueError when more than `places` decimals remain, or for
    anything that is not a finite number.
    """
    if value is None:
        return None
    number = cell_number(value)
    if number is None:
        raise CellError(MSG_NOT_NUMBER())
    return _limit_places(number, places)


@dataclass(frozen=True)
class Units:
    """The unit a column is counted in, as its caller knows it: text holding any of `marks` is refused with
    `refusal` (a clerk who typed "100万元" meant a number, and the caller's message says which unit)."""

    marks: frozenset[str]
    refusal: MessageKind


def parse_decimal(value: object, *, places: int = 4, units: Units | None = None) -> Decimal | None:
    """Amount typed by a clerk: number cell or text such as "1,234.5", "１２３．５", "(12.5)".

    Units (`units`), percent signs, scientific notation and European "1.234,56" are
    refused rather than guessed.
    """
    if value is None or isinstance(value, int | float | Decimal):
        return decimal_from_cell(value, places=places)
    if not isinstance(value, str):
        raise CellError(MSG_NOT_NUMBER())
    text = normalize_text(value)
    if text is None or text in _EMPTY_MARKS:
        return None
    if units is not None and units.marks.intersection(text):
        raise CellError(units.refusal())
    number = _number_from_text(text.replace("\u2212", "-"))
    return _limit_places(number, places)


def _number_from_text(text: str) -> Decimal:
    if "%" in text or "‰" in text:
        raise CellError(MSG_NUMBER_PERCENT())
    negative = False
    if text.startswith("(") and text.endswith(")"):
        # Accounting style: (123.4) is -123.4.
        negative, text = True, text[1:-1]
    elif text[0] in "+-":
        negative, text = text[0] == "-", text[1:]
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(MSG_NUMBER_SCIENTIFIC())
    if _PLAIN_NUMBER.fullmatch(text):
        number = Decimal(text)
    elif _GROUPED_NUMBER.fullmatch(text):
        number = Decimal(text.replace(",", ""))
    else:
        raise CellError(MSG_NUMBER_FORMAT())
    return -number if negative else number


def cell_number(value: object) -> Decimal | None:
    """Exact Decimal for a finite int, float or Decimal (float noise removed); None for anything else."""
    # The types a sheet hands over first, by exact type (bool, an int, takes the general path below).
    if type(value) is float:
        return _float_number(value) if math.isfinite(value) else None
    if type(value) is Decimal:
        return value if value.is_finite() else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float) and math.isfinite(value):
        # repr is the shortest text that reads back as this float, so
        # 0.1 stays 0.1 instead of 0.1000000000000000055511151231257827.
        return _strip_noise(Decimal(repr(value)))
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def _float_number(value: float) -> Decimal:
    """cell_number of a finite float, without Decimal arithmetic for the usual cell (62.5, 1200.0).

    repr has no exponent and at most 10 places there, so nothing is rounded; its only trailing zero is that
    of "1200.0", an integer. Everything else (1e-05, 0.30000000000000004) takes `_strip_noise` as before.
    """
    text = repr(value)
    point = text.find(".")
    if point < 0 or "e" in text or len(text) - point - 1 > 10:
        return _strip_noise(Decimal(text))
    if text.endswith(".0"):
        return Decimal(int(value))  # -0.0 becomes 0, as _plain makes it
    return Decimal(text)


def _strip_noise(number: Decimal) -> Decimal:
    """Round to 10 places: a sum such as 0.1+0.2 arrives as 0.30000000000000004."""
    if _decimal_places(number) > 10:
        number = number.quantize(_NOISE_PLACES, context=_WIDE)
    return _plain(number)


def _limit_places(number: Decimal, places: int) -> Decimal:
    _sign, digits, exponent = number.as_tuple()
    # Already plain (what _plain returns unchanged): judge its places from the same tuple.
    if (exponent == 0 and digits != (0,)) or (isinstance(exponent, int) and exponent < 0 and digits[-1] != 0):
        if isinstance(exponent, int) and -exponent > places:
            raise CellError(MSG_NUMBER_PLACES(places=places))
        return number
    number = _plain(number)
    if _decimal_places(number) > places:
        raise CellError(MSG_NUMBER_PLACES(places=places))
    return number


def _decimal_places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _plain(number: Decimal) -> Decimal:
    """500.0000 → 500, 1E+3 → 1000, exactly (Decimal.normalize would round to 28 digits)."""
    if number.is_zero():
        return Decimal(0)
    _sign, digits, exponent = number.as_tuple()
    if exponent == 0 or (isinstance(exponent, int) and exponent < 0 and digits[-1] != 0):
        return number  # already plain (312.5, 1200): what the text round trip would give, without it
    return Decimal(plain_text(number))


def plain_text(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text



_PERIOD_PATTERNS = (
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月份?"),
    re.compile(r"([0-9]{4})([0-9]{2})"),
)
_DATE_PATTERNS = (
    re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"),
    re.compile(r"([0-9]{4})()年([0-9]{1,2})月([0-9]{1,2})[日号]"),
    re.compile(r"([0-9]{4})()([0-9]{2})([0-9]{2})"),
)
_MONTH_PATTERNS = (
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月份?"),
)
# Text exported by other systems often carries a midnight time.
_TIME_SUFFIX = re.compile(r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?")


# A reading of period text the caller knows and this module does not (a statistics office's "1-2月", say):
# (year, month) for text it recognises, None to let the usual patterns try.
Reading = Callable[[str], "tuple[int, int] | None"]


@dataclass(frozen=True)
class PeriodRule:
    """What a caller accepts as a period: its years, extra readings tried first, and its own messages."""

    first_year: int = 1900
    last_year: int = 2100
    readings: tuple[Reading, ...] = ()
    invalid: MessageKind = MSG_MONTH
    ambiguous: MessageKind = MSG_MONTH_AMBIGUOUS


DEFAULT_PERIOD = PeriodRule()


def parse_period(value: object, rule: PeriodRule = DEFAULT_PERIOD) -> str | None:
    """A month "YYYY-MM" from "2023-03", "2023年3月", "202303", a date cell... (and the rule's readings)."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return _period(value.year, value.month, rule)
    if isinstance(value, bool):
        raise CellError(rule.invalid())
    if isinstance(value, int | float | Decimal):
        return _period_from_number(value, rule)
    if not isinstance(value, str):
        raise CellError(rule.invalid())
    text = normalize_text(value)
    if text is None:
        return None
    return _period_from_text(compact(text), rule)


def _period_from_number(value: int | float | Decimal, rule: PeriodRule) -> str:
    number = cell_number(value)
    if number is None:
        raise CellError(rule.invalid())
    if number != number.to_integral_value():
        # 2023.1 could be January or October (2023.10 loses its zero).
        raise CellError(rule.ambiguous())
    match = _PERIOD_PATTERNS[2].fullmatch(plain_text(number))
    if match is None:
        raise CellError(rule.invalid())
    return _period(int(match.group(1)), int(match.group(2)), rule)


def _period_from_text(text: str, rule: PeriodRule) -> str:
    for reading in rule.readings:
        found = reading(text)
        if found is not None:
            return _period(*found, rule)
    for pattern in _PERIOD_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            return _period(int(match.group(1)), int(match.group(2)), rule)
    raise CellError(rule.invalid())


def _period(year: int, month: int, rule: PeriodRule) -> str:
    if not (rule.first_year <= year <= rule.last_year and 1 <= month <= 12):
        raise CellError(rule.invalid())
    return f"{year:04d}-{month:02d}"


def parse_date(value: object) -> datetime.date | None:
    """Date from a date cell or text "2023-03-15", "2023/3/15", "2023年3月15日", "2023-03" (day 1)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(MSG_DATE())
    if isinstance(value, int | float | Decimal):
        # Only 20230315 typed as a number; an Excel serial like 45000 is not guessed.
        number = cell_number(value)
        if number is None or number != number.to_integral_value():
            raise CellError(MSG_DATE())
        value = plain_text(number)
    if not isinstance(value, str):
        raise CellError(MSG_DATE())
    text = normalize_text(value)
    if text is None:
        return None
    return _date_from_text(text)


def _date_from_text(text: str) -> datetime.date:
    squeezed = compact(text) if "年" in text else text
    for pattern in _DATE_PATTERNS:
        match = pattern.match(squeezed)
        if match is not None and _TIME_SUFFIX.fullmatch(squeezed, match.end()):
            return _date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(squeezed)
        if match is not None:
            return _date(int(match.group(1)), int(match.group(2)), 1)
    raise CellError(MSG_DATE())


def _date(year: int, month: int, day: int) -> datetime.date:
    if not 1900 <= year <= 2100:
        raise CellError(MSG_DATE_YEAR())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(MSG_DATE_INVALID()) from None
