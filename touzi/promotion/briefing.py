"""The promotion part of the monthly 通报 (招商引资项目推进情况): the four rates by county, funds arrived, and the
lagging agreements named.

`sections` gives the figure tables (briefings/build.py lists them beside the others; the annex holds them in
full); `part` writes the body's paragraphs from those tables (briefings/compose.py places it before 存在问题).
A region without a register gets neither: no agreement, no section.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from touzi.briefings.content import Section, Table
from touzi.core.actor import Actor
from touzi.core.scoping import scope
from touzi.lib.periods import month_end
from touzi.monitoring.choices import Level
from touzi.promotion.figures import growth, plan_agreements, rates
from touzi.promotion.warnings import agreement_alerts

HEADING = "招商引资项目推进情况"
RATE_NAMES = (("honoured_rate", "履约率"), ("funds_rate", "资金到位率"), ("started_rate", "开工率"),
              ("production_rate", "投产率"))
RATES_HEADERS = ["县区", "签约项目（个）", *[f"{name}（%）" for _f, name in RATE_NAMES], "本年到位资金（亿元）"]
LAGGING_HEADERS = ["类别", "签约项目", "县区", "责任单位", "情况", "预警"]
TOTAL = "合计"


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else (Decimal(value) * 100).quantize(Decimal("0.1"))


def sections(board: Any, user: Actor, label: str) -> list[Section]:
    """The figure tables of the month: rates by county (agreements signed to the month's end), the year's
    funds arrived against the same months before, and every agreement with a warning."""
    agreements = scope(user, plan_agreements(board.plan))
    end = month_end(board.month)
    if not agreements.filter(signed_on__lte=end).exists():
        return []
    cumulative = rates(agreements, as_of=end)
    this_year = {row["label"]: row["funds_arrived"] for row in rates(agreements, as_of=end,
                                                                        year=board.month.year).rows}
    rows = []
    for row in cumulative.rows:
        rows.append([row["label"], row["signed"], *[_pct(row[f]) for f, _n in RATE_NAMES],
                     this_year.get(row["label"], Decimal(0))])
    flows = growth(agreements, board.month.year, end)
    total = cumulative.total
    rows.append([TOTAL, total["signed"], *[_pct(total[f]) for f, _n in RATE_NAMES], flows["funds_arrived"]])
    alerts = agreement_alerts(user, board.month, plan=board.plan)
    section = Section(heading=HEADING)
    section.tables += [
        Table(title=f"分县区招商引资“四个率”（截至{board.month.year}年{board.month.month}月底）",
              headers=RATES_HEADERS, rows=rows, key="promotion",
              note="履约率、资金到位率、开工率、投产率按签约项目合同约定的节点计算，尚未到期的项目不计入；"
                   "终止项目计入应履约项目。"),
        Table(title=f"招商引资到位资金（{board.month.year}年{label}）", headers=["指标", "数值"], key="promotion_funds",
              rows=[["到位资金（亿元）", flows["funds_arrived"]], ["上年同期（亿元）", flows["previous"]],
                    ["同比增长（%）", flows["growth"]], ["直接利用外资（亿美元）", flows["fdi_usd"]]]),
        Table(title=f"履约滞后的招商签约项目（截至{board.month.year}年{board.month.month}月底）",
              headers=LAGGING_HEADERS, key="promotion_lagging",
              rows=[[a.kind_label, a.project_name, a.county, a.unit, a.reason,
                     "红色" if a.level == Level.RED else "黄色"] for a in alerts]),
    ]
    return [section]


def part(f: Any) -> Section:
    """The body's part: the totals in words, the counties behind the whole, the red agreements named."""
    from touzi.briefings.prose import BODY_ROWS
    from touzi.briefings.typeset import count, join_names, money, percent

    section = Section(heading=HEADING)
    rows = f.rows("promotion")
    if not rows:
        return section
    counties, total = rows[:-1], rows[-1]
    funds = dict(f.rows("promotion_funds"))
    rate_words = "、".join(f"{name}{percent(total[2 + i]) if total[2 + i] is not None else '—'}"
                           for i, (_f, name) in enumerate(RATE_NAMES))
    grew = funds.get("同比增长（%）")
    text = (f"截至{f.month.month}月底，累计签约招商项目{count(total[1])}，{rate_words}。"
            f"{f.month.year}年{f.label}招商引资到位资金{money(funds.get('到位资金（亿元）') or Decimal(0))}"
            + (f"，同比增长{percent(grew)}" if grew is not None and grew >= 0 else
               f"，同比下降{percent(-grew)}" if grew is not None else "")
            + f"；直接利用外资{money(funds.get('直接利用外资（亿美元）') or Decimal(0), '亿美元')}（见{f.ref('promotion')}）。")
    section.paragraphs.append(text)
    behind = [r[0] for r in counties if total[2] is not None and r[2] is not None and r[2] < total[2]]
    if behind:
        section.paragraphs.append(f"履约率低于全市平均水平的有{join_names(behind)}。")
    section.tables.append(Table(title=f.next_table(f"分县区招商引资“四个率”（截至{f.month.month}月底）"),
                                headers=RATES_HEADERS, rows=rows[:BODY_ROWS] + ([total] if len(rows) > BODY_ROWS
                                                                               else [])))
    lagging = f.rows("promotion_lagging")
    if lagging:
        kinds = Counter(r[0] for r in lagging)
        red = [r for r in lagging if r[5] == "红色"]
        named = "、".join(f"{r[1]}（{r[2]}）" for r in red[:6]) + ("等" if len(red) > 6 else "")
        section.paragraphs.append(
            "；".join(f"{kind}的签约项目{count(n)}" for kind, n in kinds.most_common())
            + (f"，其中红色预警{count(len(red))}：{named}" if red else "")
            + f"（名单见{f.ref('promotion_lagging')}）。请各县区和市投资促进局督促投资方按合同约定推进。")
    else:
        section.paragraphs.append("签约项目均按合同约定节点推进。")
    return section
