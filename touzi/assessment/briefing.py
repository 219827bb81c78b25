"""The assessment's part of the monthly 通报 (三(三): the briefing is "作为各责任单位全年考核的依据"): the year-to-date
scores and ranks of the plan's first scheme of the year, in a table (kept in the annex) and a sentence.

A plan without a scheme for the year gets neither.
"""

from __future__ import annotations

from typing import Any

from touzi.assessment.engine import assess, schemes_for
from touzi.assessment.period import Period
from touzi.briefings.content import Section, Table

HEADING = "考核得分情况"
HEADERS = ["名次", "单位", "得分", "加分", "扣分"]


def sections(board: Any, user: Any, label: str) -> list[Section]:
    schemes = schemes_for(board.plan, board.month.year)
    if not schemes:
        return []
    result = assess(schemes[0], Period(board.month.year, board.month.month))
    rows: list[list[Any]] = [[s.rank, result.units[s.unit].label, s.score, s.bonus, s.deduction]
                             for s in result.scores]
    section = Section(heading=HEADING)
    section.tables.append(Table(
        title=f"{result.scheme.name}得分（{board.month.year}年{label}）", headers=HEADERS, rows=rows,
        key="assessment", note="得分=∑(权重×指标得分/100)+加分−扣分；指标、计分办法见考核方案。"))
    return [section]


def part(f: Any) -> Section:
    section = Section(heading=HEADING)
    rows = f.rows("assessment")
    if not rows:
        return section
    top = "、".join(f"{r[1]}（{r[2]}分）" for r in rows[:3])
    bottom = "、".join(f"{r[1]}（{r[2]}分）" for r in rows[-3:]) if len(rows) > 6 else ""
    section.paragraphs.append(
        f"按考核方案计算，{f.month.year}年{f.label}得分居前的是{top}"
        + (f"；居后的是{bottom}" if bottom else "") + f"（见{f.ref('assessment')}）。本通报作为各责任单位全年考核的依据。")
    return section
