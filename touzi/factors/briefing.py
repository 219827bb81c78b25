"""The factor part of the monthly 通报 (要素保障情况): headroom by kind and county, and the projects waiting
for quotas.

`sections` gives the figure tables (the annex holds them in full); `part` writes the body's paragraphs from
them. A region without quotas for the month's year gets neither.
"""

from __future__ import annotations

from typing import Any

from touzi.briefings.content import Section, Table
from touzi.core.scoping import scope
from touzi.factors.choices import UNIT_OF, AllocationStatus, QuotaKind
from touzi.factors.figures import exact, ledger
from touzi.factors.models import Allocation, Quota
from touzi.lib.numbers import plain

HEADING = "要素保障情况"
HEADROOM_HEADERS = ["要素类别", "县区（园区）", "单位", "下达指标", "已配置", "余量", "待批申请"]
WAITING_HEADERS = ["项目", "县区", "要素类别", "申请量", "单位", "申请日期"]


def sections(board: Any, user: Any, label: str) -> list[Section]:
    year = board.month.year
    rows = ledger(scope(user, Quota.objects.filter(year=year)))
    if not rows:
        return []
    waiting = (scope(user, Allocation.objects.filter(status=AllocationStatus.REQUESTED, quota__year=year))
               .order_by("quota__kind", "requested_on", "id")
               .values_list("project__name", "quota__county__short_name", "quota__kind", "requested",
                            "requested_on"))
    section = Section(heading=HEADING)
    section.tables += [
        Table(title=f"{year}年分县区要素指标余量", headers=HEADROOM_HEADERS, key="factors",
              rows=[[r.kind_label, r.county, r.unit, r.quota, r.allocated, r.headroom, r.pending] for r in rows],
              note="余量＝下达指标－已批准配置；已收回的配置退回指标池，不计入已配置。"),
        Table(title=f"{year}年等待要素指标的项目", headers=WAITING_HEADERS, key="factors_waiting",
              rows=[[name, county, str(QuotaKind(kind).label), exact(amount), UNIT_OF[kind], on.isoformat()]
                    for name, county, kind, amount, on in waiting]),
    ]
    return [section]


def part(f: Any) -> Section:
    """The body's part: what is left of each kind, the counties whose requests exceed what they have left."""
    from touzi.briefings.typeset import count, join_names

    section = Section(heading=HEADING)
    rows = f.rows("factors")
    if not rows:
        return section
    kinds: dict[str, list[Any]] = {}
    for row in rows:
        kinds.setdefault(row[0], [row[2], 0, 0])
        kinds[row[0]][1] += row[3]
        kinds[row[0]][2] += row[5]
    words = "；".join(f"{kind}下达{plain(exact(q))}{unit}、余量{plain(exact(left))}{unit}"
                     for kind, (unit, q, left) in kinds.items())
    section.paragraphs.append(f"截至{f.month.month}月底，{f.month.year}年{words}（见{f.ref('factors')}）。")
    over = [f"{r[1]}{r[0]}" for r in rows if r[6] > r[5]]
    if over:
        section.paragraphs.append(f"待批申请超出指标余量的有{join_names(over)}，请主管部门统筹调剂。")
    waiting = f.rows("factors_waiting")
    if waiting:
        section.paragraphs.append(f"等待要素指标的项目{count(len(waiting))}（名单见{f.ref('factors_waiting')}）。")
    return section
