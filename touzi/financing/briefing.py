"""The financing part of the monthly 通报 (投融资情况): the year's money by source, special bonds and the
matchmaking with banks, in one table and one paragraph. A region without financing records gets neither."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from touzi.briefings.content import Section, Table
from touzi.core.scoping import scope
from touzi.financing.figures import bonds, needs, plan_projects, sources, yi
from touzi.financing.models import FinancingNeed

HEADING = "投融资情况"
HEADERS = ["资金来源", "计划（亿元）", "已落实（亿元）", "已到位（亿元）"]


def sections(board: Any, user: Any, label: str) -> list[Section]:
    year = board.month.year
    projects = scope(user, plan_projects(board.plan))
    rows = [r for r in sources(projects, year) if r["planned"] or r["secured"] or r["arrived"]]
    b = bonds(projects, year)
    n = needs(scope(user, FinancingNeed.objects.filter(project__in=projects.values("pk"))), year)
    if not rows and not b["allocated"] and not n["published"]:
        return []
    section = Section(heading=HEADING)
    section.tables += [
        Table(title=f"{year}年项目资金来源与到位情况", headers=HEADERS, key="financing",
              rows=[[str(r["label"]), yi(r["planned"]), yi(r["secured"]), yi(r["arrived"])] for r in rows]),
        Table(title=f"{year}年专项债券与政金企对接", headers=["指标", "数值"], key="financing_bonds",
              rows=[["专项债券分配额度（亿元）", yi(b["allocated"])], ["已拨付（亿元）", yi(b["disbursed"])],
                    ["已支出（亿元）", yi(b["spent"])], ["发布融资需求（个）", n["published"]],
                    ["获得贷款的需求（个）", n["granted"]], ["放款金额（亿元）", yi(n["amount_granted"])]]),
    ]
    return [section]


def part(f: Any) -> Section:
    from touzi.briefings.typeset import money

    section = Section(heading=HEADING)
    rows = f.rows("financing_bonds")
    if not rows:
        return section
    v = dict(rows)
    section.paragraphs.append(
        f"{f.month.year}年全市重大项目获分配专项债券额度{money(Decimal(str(v['专项债券分配额度（亿元）'])))}，已拨付"
        f"{money(Decimal(str(v['已拨付（亿元）'])))}，已支出{money(Decimal(str(v['已支出（亿元）'])))}；发布融资需求{v['发布融资需求（个）']}个，"
        f"其中{v['获得贷款的需求（个）']}个获得贷款，放款{money(Decimal(str(v['放款金额（亿元）'])))}（见{f.ref('financing')}）。")
    return section
