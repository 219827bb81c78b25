"""The month's briefing as content: the dashboard's own figures put into the order a 通报 reads.

Every number here comes from `touzi.monitoring.dashboard.build` for the plan office's scope, so the
documents and the dashboard agree by construction (a test compares them cell by cell).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from touzi.approvals.selectors import done_and_required
from touzi.briefings.content import Briefing, Cell, Chart, Section, Table
from touzi.briefings.extensions import extra_sections
from touzi.core.actor import Actor
from touzi.core.parallel import concurrently
from touzi.monitoring.attainment import TargetFigure
from touzi.monitoring.choices import Status, WarningKind
from touzi.monitoring.dashboard import Dashboard
from touzi.monitoring.sets import big_projects, plan_projects
from touzi.plans.choices import Area, MeasureSource
from touzi.projects.choices import FactorKind
from touzi.projects.models import FactorIssue, KeyApproval
from touzi.reports.models import MonthlyReport
from touzi.reports.rules import combines_jan_feb
from touzi.reports.totals import with_totals
from touzi.supervision.choices import OPEN, TaskStatus
from touzi.supervision.models import SupervisionTask
from touzi.units.models import unit_labels

YI = Decimal(10000)


def _q(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _yi(wan: Decimal | None) -> Decimal | None:
    return None if wan is None else _q(Decimal(wan) / YI)


def months_label(month: dt.date) -> str:
    """1—6月, or 1—2月; 1月 alone only where January is reported by itself."""
    if month.month == 1 or (month.month == 2 and not combines_jan_feb(month.year)):
        return f"{month.month}月" if month.month == 1 else "1—2月"
    return f"1—{month.month}月"


def _compare(gap: Decimal | None) -> str:
    if gap is None:
        return ""
    if gap >= 0:
        return f",快于序时进度{_q(gap)}个百分点"
    return f",低于序时进度{_q(-gap)}个百分点"


def _overall(board: Dashboard, label: str) -> Section:
    section = Section(heading="全市重大项目投资完成情况")
    headline = board.headline
    if headline is None or headline.figure.value is None:
        section.paragraphs.append(f"{label},暂无可统计的重大项目投资数据。")
        return section
    f = headline.figure
    listed, totals = board.sets["list"], board.totals["list"]
    unit = f.target.unit_of_measure
    # Two different plans for the year: the plan's target (e.g. 790 亿元) and the sum of the listed projects'
    # own annual plans; both are named, never one for the other.
    text = (
        f"{board.month.year}年{listed.name}共{totals.count}个项目,总投资{_yi(totals.total_investment)}亿元,"
        f"项目年度投资计划合计{_yi(totals.planned)}亿元。"
        f"{label},{listed.name}项目累计完成投资{_q(f.value)}{unit},"
        f"完成年度目标{f.target.value_display}{unit}的{_q(f.attainment)}%{_compare(f.gap)}"
    )
    if totals.completion is not None:
        text += f",完成项目年度投资计划的{_q(totals.completion)}%"
    if f.growth is not None:
        text += (f";同比{'增长' if f.growth >= 0 else '下降'}{_q(abs(f.growth))}%"
                 f"(上年同期按上年清单项目为{_q(f.previous)}{unit})")
    text += "。"
    if headline.forecast is not None and headline.probability is not None:  # set together
        fc = headline.forecast
        text += (
            f"按历年投资进度测算,预计全年完成{fc.point:.0f}{unit}"
            f"(80%区间{fc.low:.0f}—{fc.high:.0f}),完成年度目标的概率约{headline.probability * 100:.0f}%。"
        )
    section.paragraphs.append(text)
    months = sorted(headline.current)
    section.charts.append(
        Chart(
            title=f"{f.target.name}累计进度",
            labels=[f"{m}月" if m != 2 else "1—2月" for m in months],
            series=[
                ("本年累计", [float(headline.current[m]) for m in months]),
                ("上年同期", [float(headline.last_year.get(m, 0)) for m in months]),
            ],
            unit=f.target.unit_of_measure,
        )
    )
    return section


def _figure_row(f: TargetFigure) -> list[Any]:
    return [
        f.target.name,
        f"{f.target.get_comparator_display()}{f.target.value_display}{f.target.unit_of_measure}",
        _q(f.value),
        _q(f.attainment),
        _q(f.elapsed),
        _q(f.gap),
        _q(f.growth),
        str(Status(f.status).label),
    ]


FIGURE_HEADERS = ["目标", "目标值", "完成值", "完成率(%)", "序时进度(%)", "差距(百分点)", "同比(%)", "状态"]


def _domains(board: Dashboard, label: str) -> Section:
    figures = [
        f
        for f in board.figures
        if f.target.area == Area.DOMAIN and f.target.measure_source == MeasureSource.LEDGER
    ]
    section = Section(heading="重点领域投资完成情况")
    lagging = [f.target.name for f in figures if f.status in (Status.BEHIND, Status.AT_RISK, Status.MISSED)]
    met = [f.target.name for f in figures if f.status in (Status.MET, Status.ON_TRACK)]
    section.paragraphs.append(
        f"{label},{len(figures)}项重点领域目标中,{len(met)}项进度正常或已完成"
        + (f";{len(lagging)}项滞后:{'、'.join(lagging)}。" if lagging else "。")
    )
    section.tables.append(
        Table(
            title=f"表1 重点领域目标完成情况({label})",
            headers=FIGURE_HEADERS,
            rows=[_figure_row(f) for f in figures],
            note="金额单位:亿元",
            key="domains",
        )
    )
    rows = board.breakdowns["domain"]
    totals = board.totals["list"]
    section.tables.append(
        Table(
            title=f"表2 分领域投资完成情况({board.sets['list'].name},{label})",
            headers=["排名", "领域", "本年累计完成(亿元)", "项目年度投资计划(亿元)", "计划完成率(%)", "同比(%)"],
            rows=[
                [r.rank, r.label, _yi(r.ytd), _yi(r.planned), _q(r.completion), _q(r.growth)] for r in rows
            ] + ([["", "合计", _yi(totals.ytd), _yi(totals.planned), _q(totals.completion), _q(totals.growth)]]
                 if rows else []),
            key="domain_breakdown",
        )
    )
    return section


def _counties(board: Dashboard, label: str) -> Section:
    rows = board.breakdowns[board.area]
    name = "市" if board.area == "city" else "县区"
    section = Section(heading="各县区(园区)投资完成情况")
    if rows:
        first, last = rows[0], rows[-1]
        section.paragraphs.append(
            f"{label},各县区(园区)年度计划完成率排名第一的是{first.label}({_q(first.completion)}%),"
            f"排名末位的是{last.label}({_q(last.completion)}%)。"
        )
    totals = board.totals["list"]
    section.tables.append(
        Table(
            title=f"表3 各{name}投资完成情况排名({board.sets['list'].name},{label})",
            headers=[
                "排名",
                name,
                "本年累计完成(亿元)",
                "项目年度投资计划(亿元)",
                "计划完成率(%)",
                "上年同期(亿元)",
                "同比(%)",
            ],
            rows=[
                [r.rank, r.label, _yi(r.ytd), _yi(r.planned), _q(r.completion), _yi(r.previous), _q(r.growth)]
                for r in rows
            ] + ([["", "合计", _yi(totals.ytd), _yi(totals.planned), _q(totals.completion), _yi(totals.previous),
                   _q(totals.growth)]] if rows else []),
            key="counties",
        )
    )
    section.charts.append(
        Chart(
            title="各县区年度计划完成率",
            labels=[r.label for r in rows],
            series=[("计划完成率", [float(r.completion or 0) for r in rows])],
            unit="%",
        )
    )
    return section


def _big_projects(board: Dashboard, user: Actor, label: str) -> Section:
    big = big_projects(board.plan, board.month.year)
    floor = big.floor or Decimal(0)
    # Rows, not model instances (a nation has ~10^4 such projects); each total a subquery of the counted
    # years, the approvals counted in one grouped query, the units' names looked up once.
    projects = (with_totals(plan_projects(user, board.plan).filter(big.members(board.month.year)), board.month)
                .order_by("-total_investment", "pk")
                .values_list("pk", "name", "county_id", "lead_unit_id", "total_investment", "ytd", "since_start"))
    ids = projects.values("pk")
    approvals = {
        row["project_id"]: (row["done"], row["total"])
        for row in KeyApproval.objects.filter(project__in=ids).order_by().values("project_id").annotate(
            done=Count("id", filter=Q(done_on__isnull=False)), total=Count("id"))}
    approvals.update(done_and_required(ids))  # 审批办结/应办 from the approval records, where a project has them
    progress = dict(
        MonthlyReport.objects.filter(project__in=ids, month=board.month).values_list("project_id", "progress")
    )
    issues: dict[int, list[str]] = {}
    for project_id, kind, description in FactorIssue.objects.filter(project__in=ids, resolved_at__isnull=True) \
            .order_by("pk").values_list("project_id", "kind", "description"):
        issues.setdefault(project_id, []).append(f"{FactorKind(kind).label}:{description[:20]}")
    found = list(projects)
    exact_ytd = sum((r[5] or Decimal(0) for r in found), Decimal(0))  # exact values; only the text rounds
    labels = unit_labels({r[2] for r in found} | {r[3] for r in found if r[3]})
    rows = []
    for pk, name, county, lead_unit, total, ytd, since_start in found:
        done, count = approvals.get(pk, (0, 0))
        rows.append([
            name,
            labels.get(county, ""),
            labels.get(lead_unit, "") if lead_unit else "",
            _yi(total),
            _yi(ytd),
            _yi(since_start),
            progress.get(pk, "") or "—",
            ";".join(issues.get(pk, [])) or "无",
            f"{done}/{count}" if count else "—",
        ])
    section = Section(heading=f"{_q(floor / YI, '1')}亿元以上项目进展情况")
    section.paragraphs.append(
        f"{big.name}{len(rows)}个,{label}累计完成投资{_yi(exact_ytd)}亿元。"
    )
    section.tables.append(
        Table(
            title=f"表4 {big.name}进展情况({label})",
            headers=[
                "项目名称",
                "县区",
                "牵头单位",
                "总投资(亿元)",
                "本年累计(亿元)",
                "自开工累计(亿元)",
                "形象进度",
                "要素保障问题",
                "审批办结",
            ],
            rows=rows,
            key="big_projects",
        )
    )
    return section


def _collections(board: Dashboard, label: str) -> Section:
    rows = [r for r in board.breakdowns["collection"] if r.label]
    section = Section(heading="专项项目推进情况")
    section.paragraphs.append(
        f"{label},自治区统筹推进重大项目、基础设施补短板“五网”、“双百双新”、“三企入桂”等专项项目"
        "推进情况见表5。"
    )
    section.tables.append(
        Table(
            title=f"表5 专项项目投资完成情况(各专项的当年项目,专项之间有交叉,{label})",
            headers=["专项", "本年累计完成(亿元)", "项目年度投资计划(亿元)", "计划完成率(%)", "同比(%)"],
            rows=[[r.label, _yi(r.ytd), _yi(r.planned), _q(r.completion), _q(r.growth)] for r in rows],
            key="collections",
        )
    )
    return section


def _lagging(board: Dashboard, user: Actor, label: str) -> Section:
    kinds = (WarningKind.BEHIND_PLAN, WarningKind.START_LATE, WarningKind.COMPLETION_LATE)
    if board.alerts_complete:
        found = [a for a in board.alerts if a.kind in kinds]
        counts = {k: sum(1 for a in found if a.kind == k) for k in kinds}
    else:
        # A large portfolio (a nation's): the counts from the database, the first page listed, and the counts by
        # county in a table of their own; the warnings page lists every one.
        from touzi.monitoring.alerts import FIRST_PAGE, alert_page

        summary = board.alert_summary
        assert summary is not None
        every = summary.kinds()
        counts = {k: every.get(k, 0) for k in kinds}
        # The board holds the first page of every kind, in the list's order: its warnings of these kinds are the
        # first of theirs (a nation's red 进度滞后 alone fill it). Only the rest of the page is read.
        found = [a for a in board.alerts if a.kind in kinds]
        wanted = min(FIRST_PAGE, sum(counts.values()))
        if len(found) < wanted:
            found += alert_page(user, board.plan, board.month, summary, len(found), wanted - len(found),
                                kinds=set(kinds))
    section = Section(heading="未按计划推进的项目")
    kind_labels: dict[str, str] = {k: str(WarningKind(k).label) for k in kinds}  # translated once, not once per row
    section.paragraphs.append(
        f"截至{board.month.month}月底,投资进度滞后于年度计划的项目{counts[WarningKind.BEHIND_PLAN]}个,"
        f"计划开工未开工的{counts[WarningKind.START_LATE]}个,计划竣工未竣工的{counts[WarningKind.COMPLETION_LATE]}个,"
        "请各牵头推进单位加快推进。"
    )
    total = sum(counts.values())
    if len(found) < total:
        section.paragraphs.append(f"表6列出其中{len(found)}个(先列红色预警),全部{total}个见平台预警页面;"
                                  "各县区的个数见表6-1。")
    section.tables.append(
        Table(
            title=f"表6 未按计划推进的项目({label})",
            headers=["类别", "项目名称", "县区", "牵头推进单位", "情况"],
            rows=[
                [kind_labels[a.kind], a.project_name, a.county, a.unit, a.reason] for a in found
            ],
            key="lagging",
        )
    )
    if len(found) < total:
        section.tables.append(_lagging_counties(board, kinds, label))
    return section


def _lagging_counties(board: Dashboard, kinds: tuple[str, ...], label: str) -> Table:
    """表6-1: the lagging projects of each county by kind, most first (a large portfolio's briefing)."""

    summary = board.alert_summary
    assert summary is not None
    per: dict[int, list[int]] = {}
    for (kind, county), n in summary.by_county.items():
        if kind in kinds:
            per.setdefault(county, [0] * len(kinds))[kinds.index(kind)] += n
    names = unit_labels(sorted(per))
    ordered = sorted(per.items(), key=lambda item: (-sum(item[1]), names.get(item[0], "")))
    return Table(
        title=f"表6-1 各县区未按计划推进的项目个数({label})",
        headers=["县区", *(str(WarningKind(k).label) for k in kinds), "合计"],
        rows=[[names.get(county, ""), *row, sum(row)] for county, row in ordered],
        key="lagging_counties",
    )


def _supervision(board: Dashboard) -> Section:
    today = timezone.localdate()
    tasks = (
        SupervisionTask.objects.filter(plan=board.plan)
        .select_related("responsible_unit")
        .filter(Q(status__in=OPEN) | Q(closed_at__year=board.month.year, closed_at__month=board.month.month))
        .order_by("status", "deadline")
    )
    rows: list[list[Cell]] = [
        [
            t.problem[:60],
            t.responsible_unit.label,
            f"{t.deadline}",
            str(TaskStatus(t.status).label),
            "是" if t.is_overdue else "否",
        ]
        for t in tasks
    ]
    open_count = sum(1 for t in tasks if t.status in OPEN)
    overdue = sum(1 for t in tasks if t.status in OPEN and t.deadline < today)
    section = Section(heading="督办事项落实情况")
    section.paragraphs.append(f"目前未核销督办事项{open_count}项,其中逾期未整改{overdue}项。")
    section.tables.append(
        Table(
            title="表7 督办事项落实情况",
            headers=["问题", "责任单位", "整改时限", "状态", "逾期"],
            rows=rows,
            key="supervision",
        )
    )
    return section


def _indicators(board: Dashboard, label: str) -> Section:
    figures = [
        f
        for f in board.figures
        if f.target.measure_source == MeasureSource.INDICATOR
        and f.target.area in (Area.FINANCING, Area.PROMOTION, Area.OVERALL)
    ]
    section = Section(heading="投融资和招商引资指标")
    section.tables.append(
        Table(
            title=f"表8 投融资和招商引资指标完成情况({label})",
            headers=FIGURE_HEADERS,
            rows=[_figure_row(f) for f in figures],
            key="indicators",
        )
    )
    return section


def figure_sections(board: Dashboard, user: Actor, label: str) -> list[Section]:
    """The figure tables (and the headline's chart) in the order a 通报 reads; compose.py writes the
    document from them, and the annex holds them in full."""
    return [
        _overall(board, label),
        _domains(board, label),
        _counties(board, label),
        _big_projects(board, user, label),
        _collections(board, label),
        _lagging(board, user, label),
        _supervision(board),
        _indicators(board, label),
        *extra_sections(board, user, label),  # registered by apps above (the promotion register's): extensions.py
    ]


def build_content(
    board: Dashboard,
    user: Actor,
    *,
    number: str | None = None,
    version: int = 1,
    change_note: str = "",
    date: dt.date | None = None,
) -> Briefing:
    """The briefing of the dashboard's month: a draft shows 〔草稿〕 where the number will be."""
    from touzi.briefings.compose import compose
    from touzi.briefings.facts import list_overview
    from touzi.briefings.issuing import draft_number, issuing

    label = months_label(board.month)
    settings_ = issuing(board.plan)
    # The list's overview counts the annual plans' starts and completions over the list (a grouped statement of
    # its own): read on the second connection while the sections are built (touzi.core.parallel).
    overview = concurrently(partial(list_overview, board, user))
    sections = figure_sections(board, user, label)
    return compose(board, user, sections, issuing=settings_, label=label, overview=overview.result(),
                   floor=(big_projects(board.plan, board.month.year).floor or Decimal(0)) / YI, version=version,
                   change_note=change_note, date=date,
                   number=number if number is not None else draft_number(settings_.number_pattern))
