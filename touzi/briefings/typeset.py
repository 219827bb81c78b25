"""The text rules of a Chinese official document: full-width punctuation, how numbers are written.

Everything the renderer prints passes `chinese_text`, so a clause written with half-width commas anywhere
upstream (a warning's reason, a unit's report) still prints as Chinese text. Numbers keep their own
punctuation: 1,234.56 and 12:30 are not touched.

Numbers in prose and tables follow one convention: amounts with two decimals and thousands separators,
percentages and percentage points with one decimal, counts as integers with thousands separators — and
every number with its unit (亿元, %, 个百分点, 个).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from touzi.lib.text import display_width  # one definition; re-exported for the briefing modules

__all__ = [
    "EMPTY_CELL",
    "cell_text",
    "chinese_text",
    "count",
    "display_width",
    "is_cjk",
    "is_number",
    "is_percent_column",
    "join_names",
    "money",
    "percent",
    "points",
]

# Han ideographs, CJK punctuation and full-width forms: the "Chinese" on either side of a mark.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2026\u201c\u201d"
_CJK_CLASS = f"[{_CJK}]"
_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
# In Chinese text, a mark anywhere but between two digits (1,234 and 12:30 stay), with its spaces.
_MARK = re.compile(r"(?<![0-9])\s*([,:;?!])\s*|\s*([,:;?!])\s*(?![0-9])")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_PAREN = re.compile(r"\(([^()]*)\)")
_SPACE = re.compile(rf"(?<={_CJK_CLASS}) +(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%]) +(?={_CJK_CLASS})")
_LABEL = re.compile(r"^(?:附表|表|图)\d+ ")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ONE = Decimal("0.1")
CENT = Decimal("0.01")


def is_cjk(ch: str) -> bool:
    return re.fullmatch(_CJK_CLASS, ch) is not None


def _paren(match: re.Match[str]) -> str:
    inner = match.group(1)
    string, start, end = match.string, match.start(), match.end()
    before = string[start - 1] if start else ""
    after = string[end] if end < len(string) else ""
    if any(is_cjk(ch) for ch in inner) or (before and is_cjk(before)) or (after and is_cjk(after)):
        return f"（{inner}）"
    return match.group(0)


def chinese_text(text: str, *, spaces: bool = True) -> str:
    """In text with Chinese in it, half-width , : ; ? ! made full-width (not between digits) and ( )
    around or next to Chinese made full-width; with `spaces`, no space between Chinese and a number
    ("完成 338 万元" → "完成338万元"). Text without Chinese is left as it is (=SUM(A1,B1), a URL).
    Characters XML cannot hold are dropped."""
    text = _XML_ILLEGAL.sub("", text)
    if not _HAN.search(text):
        return text
    previous = None
    while previous != text:  # nested parentheses: the inner pair first
        previous, text = text, _PAREN.sub(_paren, text)
    text = _MARK.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)
    if spaces:
        # A caption's number keeps its space: 表1 各县区…, 附表2 未按计划推进的项目.
        label = _LABEL.match(text)
        head = label.group(0) if label else ""
        text = head + _SPACE.sub("", text[len(head):])
    return text


def _quantize(value: Decimal, step: Decimal) -> Decimal:
    return Decimal(value).quantize(step, rounding=ROUND_HALF_UP)


def money(value: Decimal, unit: str = "亿元") -> str:
    """338.79亿元, 1,234.50亿元: two decimals, thousands separated."""
    return f"{_quantize(value, CENT):,}{unit}"


def percent(value: Decimal) -> str:
    """42.9%: one decimal."""
    return f"{_quantize(value, ONE)}%"


def points(value: Decimal) -> str:
    """7.1个百分点 (the size of a gap; the caller says 高于 or 低于)."""
    return f"{_quantize(abs(value), ONE)}个百分点"


def count(value: int, unit: str = "个") -> str:
    return f"{value:,}{unit}"


def join_names(names: list[str], *, limit: int = 0, total_word: str = "") -> str:
    """甲、乙和丙; with `limit`, the first ones then 等N个 (total_word: the counter, e.g. 个县区)."""
    names = [n for n in names if n]
    if limit and len(names) > limit:
        return "、".join(names[:limit]) + f"等{len(names)}{total_word or '个'}"
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


_PERCENT_HEADER = re.compile(r"%|％|率|百分点|同比|增速|增长")
_NUMERIC_TEXT = re.compile(r"[+\-−]?[0-9][0-9,]*(?:\.[0-9]+)?%?")
EMPTY_CELL = "—"


def is_percent_column(header: str) -> bool:
    """A column of percentages or percentage points, printed with one decimal: 完成率（%）, 差距（百分点）."""
    return _PERCENT_HEADER.search(header) is not None


def is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    return isinstance(value, str) and _NUMERIC_TEXT.fullmatch(value.strip()) is not None


def cell_text(value: object, *, percent: bool = False) -> str:
    """A table cell as printed: amounts with two decimals, percentages with one, thousands separated;
    None as —; text with Chinese punctuation."""
    if value is None:
        return EMPTY_CELL
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal | float):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            return EMPTY_CELL
        return f"{_quantize(number, ONE if percent else CENT):,}"
    return chinese_text(str(value))
