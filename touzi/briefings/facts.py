"""Figures the briefing's prose needs beyond the dashboard's tables, each as a full annex table.

The opening's project count, total investment, annual plan, new starts and completions of the year's
list; the lead units against 序时进度; what project owners wrote under 存在问题 this month; the open
要素保障 problems. Each is one or two grouped queries whatever the portfolio's size, and each comes back
as a `Table`: the prose quotes its cells, and the .xlsx annex holds it whole, so every number in the
text can be found in the annex.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from touzi.briefings.content import Table
from touzi.briefings.typeset import chinese_text
from touzi.core.actor import Actor
from touzi.lib.periods import judged_on, month_end
from touzi.monitoring.attainment import domain_subtrees, project_filter
from touzi.monitoring.breakdowns import Row, breakdown
from touzi.monitoring.dashboard import Dashboard
from touzi.monitoring.sets import plan_projects
from touzi.monitoring.settings import thresholds
from touzi.projects.choices import FactorKind, Stage
from touzi.projects.models import AnnualPlan, FactorIssue
from touzi.reports.choices import ReportStatus
from touzi.reports.models import MonthlyReport
from touzi.units.models import unit_labels

__all__ = [
    "GREEN",
    "RED",
    "YELLOW",
    "Level",
    "Standing",
    "column",
    "elapsed_percent",
    "factor_issues",
    "level_of",
    "list_overview",
    "park_rows",
    "progress_table",
    "report_problems",
    "standings_from_rows",
    "standings_from_table",
]

YI = Decimal(10000)
CENT = Decimal("0.01")
TOTAL = "合计"
GREEN, YELLOW, RED = "绿色", "黄色", "红色"
Level = str
PROGRESS_HEADERS = ["排名", "名称", "项目年度投资计划（亿元）", "累计完成（亿元）", "完成率（%）", "与序时进度差距（百分点）",
                    "上年同期（亿元）", "同比（%）", "预警"]


def _yi(wan: Decimal | None) -> Decimal | None:
    return None if wan is None else (Decimal(wan) / YI).quantize(CENT)


def elapsed_percent(month: dt.date) -> Decimal:
    """序时进度 of an annual plan at the end of `month`: the share of the year's months gone, in %."""
    return (Decimal(month.month) / 12 * 100).quantize(CENT)


def level_of(completion: Decimal | None, elapsed: Decimal, yellow: Decimal, red: Decimal) -> Level | None:
    """红/黄/绿 by the plan's thresholds: completion against 序时进度 at or above `yellow` of it is green,
    at or above `red` yellow, below that red."""
    if completion is None or not elapsed:
        return None
    ratio = completion / elapsed
    return GREEN if ratio >= yellow else YELLOW if ratio >= red else RED


@dataclass(frozen=True)
class Standing:
    """One county's or unit's year so far, in 亿元 and %, as a table prints it."""

    label: str
    planned: Decimal | None
    ytd: Decimal | None
    completion: Decimal | None
    previous: Decimal | None
    growth: Decimal | None


def park_rows(board: Dashboard, user: Actor) -> list[Row]:
    """Each park's year so far, planned and same months last year, of the same set as the county table (the
    year's list; last year's list for 上年同期), over the projects the user may see."""
    return breakdown(plan_projects(user, board.plan).filter(park__isnull=False), "park", board.month, board.sets["list"])


def standings_from_rows(rows: list[Row]) -> list[Standing]:
    return [Standing(r.label, _yi(r.planned), _yi(r.ytd), r.completion, _yi(r.previous), r.growth) for r in rows]


def column(table: Table, *prefixes: str) -> int | None:
    """The index of the first header starting with one of `prefixes` (punctuation either width)."""
    headers = [chinese_text(h) for h in table.headers]
    for prefix in prefixes:
        for index, header in enumerate(headers):
            if header.startswith(prefix):
                return index
    return None


def standings_from_table(table: Table, *, name: str) -> list[Standing]:
    """The standings a breakdown table of build.py holds, read by its column headers (so the prose and
    the body table say what the dashboard's table says, whatever set of projects it covers)."""
    at = {key: column(table, *prefixes) for key, prefixes in {
        "label": (name,), "planned": ("年度计划", "项目年度投资计划"), "ytd": ("本年累计", "累计完成"),
        "completion": ("计划完成率", "完成率"), "previous": ("上年同期",), "growth": ("同比",)}.items()}

    def cell(row: list[Any], key: str) -> Any:
        index = at[key]
        return row[index] if index is not None and index < len(row) else None

    # A table's 合计 row is the set's total, not one of its parts.
    return [Standing(str(cell(row, "label") or ""), cell(row, "planned"), cell(row, "ytd"), cell(row, "completion"),
                     cell(row, "previous"), cell(row, "growth")) for row in table.rows if cell(row, "label") != TOTAL]


def total_standing(board: Dashboard) -> Standing:
    """The year's list as one line (what a county or lead-unit table of the list adds up to)."""
    t = board.totals["list"]
    return Standing(TOTAL, _yi(t.planned), _yi(t.ytd), t.completion, _yi(t.previous), t.growth)


def progress_table(standings: list[Standing], board: Dashboard, *, name: str, key: str,
                   total: Standing | None = None) -> Table:
    """Counties or lead units ranked by completion of the year's plan, with their gap to 序时进度 and
    level; those without a plan are listed last, unranked; `total`, when the rows add up to it, last."""
    elapsed = elapsed_percent(board.month)
    yellow, red = thresholds(board.plan)
    ranked = sorted(((s, s.completion) for s in standings if s.completion is not None),
                    key=lambda pair: (-pair[1], -(pair[0].ytd or 0)))
    rows: list[list[Any]] = [
        [rank, s.label, s.planned, s.ytd, completion, completion - elapsed, s.previous, s.growth,
         level_of(completion, elapsed, yellow, red)]
        for rank, (s, completion) in enumerate(ranked, start=1)
    ]
    rows += [[None, s.label, s.planned, s.ytd, None, None, s.previous, s.growth, None]
             for s in standings if s.completion is None]
    if total is not None and rows:
        gap = None if total.completion is None else total.completion - elapsed
        rows.append([None, TOTAL, total.planned, total.ytd, total.completion, gap, total.previous, total.growth,
                     None])
    headers = list(PROGRESS_HEADERS)
    headers[1] = name
    return Table(title="", headers=headers, rows=rows, key=key,
                 note=f"序时进度{elapsed.quantize(Decimal('0.1'))}%。预警：完成率达到序时进度的"
                      f"{yellow * 100:.0f}%及以上为绿色，{red * 100:.0f}%至{yellow * 100:.0f}%为黄色，"
                      f"低于{red * 100:.0f}%为红色。")


def list_overview(board: Dashboard, user: Actor) -> Table | None:
    """The year's list (the projects the headline target counts): how many, their total investment and
    annual plan, the new starts and completions the annual plans call for and how many happened."""
    if board.headline is None:
        return None
    target = board.headline.figure.target
    year, end = board.month.year, month_end(board.month)
    subtrees = domain_subtrees({target.measure_domain_id} if target.measure_domain_id else set())
    projects = plan_projects(user, board.plan).filter(project_filter(target, (year, year), subtrees))
    totals = board.totals["list"]  # the same set as the headline and the county table (one definition)
    plans = AnnualPlan.objects.filter(project__in=projects.values("id"), year=year).aggregate(
        starts=Count("id", filter=Q(category=Stage.NEW_START)),
        started=Count("id", filter=Q(category=Stage.NEW_START, project__actual_start__lte=end)),
        completions=Count("id", filter=Q(planned_completion__year=year)),
        completed=Count("id", filter=Q(planned_completion__year=year, project__actual_completion__lte=end)),
    )
    figure = board.headline.figure
    rate = (Decimal(plans["started"]) / plans["starts"] * 100).quantize(CENT) if plans["starts"] else None
    rows: list[list[Any]] = [
        ["项目个数", totals.count, "个"],
        ["总投资", _yi(totals.total_investment), "亿元"],
        ["项目年度投资计划合计", _yi(totals.planned), "亿元"],
        ["年度投资目标", Decimal(figure.target.value).quantize(CENT), figure.target.unit_of_measure],
        ["累计完成投资", None if figure.value is None else Decimal(figure.value).quantize(CENT),
         figure.target.unit_of_measure],
        ["完成年度目标", figure.attainment, "%"],
        ["序时进度", figure.elapsed, "%"],
        ["与序时进度差距", figure.gap, "个百分点"],
        ["同比增长", figure.growth, "%"],
        ["全年计划新开工项目", plans["starts"], "个"],
        ["已开工", plans["started"], "个"],
        ["开工率", rate, "%"],
        ["全年计划竣工项目", plans["completions"], "个"],
        ["已竣工", plans["completed"], "个"],
    ]
    return Table(title="", headers=["指标", "数值", "单位"], rows=rows, key="overview")


def report_problems(board: Dashboard, user: Actor) -> Table:
    """What owners wrote under 存在问题 in the month's reports (submitted or accepted), one row a project."""
    rows = (MonthlyReport.objects.filter(project__in=plan_projects(user, board.plan).values("id"), month=board.month,
                                         status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED))
            .exclude(problems="").order_by("project__county_id", "project__name")
            .values_list("project__name", "project__county_id", "project__lead_unit_id", "problems"))
    found = list(rows)
    labels = unit_labels({r[1] for r in found} | {r[2] for r in found if r[2]})
    return Table(title="", headers=["项目名称", "县区", "牵头单位", "存在问题"], key="report_problems",
                 rows=[[name, labels.get(county, ""), labels.get(lead, "") if lead else "", text.strip()]
                       for name, county, lead, text in found])


def factor_issues(board: Dashboard, user: Actor) -> Table:
    """The open 要素保障 problems raised by the end of the month, with their deadline and whether it passed."""
    today = timezone.localdate()
    as_of = judged_on(board.month, today)
    issues = (FactorIssue.objects.filter(project__in=plan_projects(user, board.plan).values("id"), resolved_at__isnull=True,
                                         raised_at__date__lte=as_of)
              .order_by("kind", "due", "pk")
              .values_list("kind", "project__name", "project__county_id", "owed_by_id", "description", "due"))
    found = list(issues)
    labels = unit_labels({r[2] for r in found} | {r[3] for r in found})
    kinds = {k: str(FactorKind(k).label) for k in {r[0] for r in found}}
    return Table(title="", headers=["类别", "项目名称", "县区", "责任单位", "问题", "解决时限", "逾期"],
                 key="factor_issues",
                 rows=[[kinds[kind], name, labels.get(county, ""), labels.get(owed, ""), text.strip(),
                        due.isoformat() if due else None, "是" if due is not None and due < as_of else "否"]
                       for kind, name, county, owed, text, due in found])
