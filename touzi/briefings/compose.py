"""The month's 通报 put together: the figure tables of build.py and facts.py numbered as the annex, the
prose of prose.py as the body, and the plan's issuing settings as 版头, 主送 and 版记.

The body is short — five numbered parts, a chart and a few tables of ten rows at most — and every
number in it is a cell of an annex table (附表N), which the .xlsx holds in full.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from touzi.briefings import facts as figures
from touzi.briefings.content import Briefing, Section, Table
from touzi.briefings.extensions import extra_parts
from touzi.briefings.issuing import Issuing
from touzi.briefings.prose import Facts, domains_and_projects, overall, problems, requirements, units
from touzi.core.actor import Actor
from touzi.monitoring.dashboard import Dashboard

__all__ = ["ANNEX_ORDER", "compose", "title_of"]

# The annex, in this order; a table without rows is left out (and the others keep consecutive numbers).
ANNEX_ORDER = (
    ("overview", "总体情况"),
    ("counties", "{parts}投资完成情况"),
    ("parks", "各园区投资完成情况"),
    ("lead_units", "牵头单位投资完成情况"),
    ("domains", "重点领域目标完成情况"),
    ("domain_breakdown", "分领域投资完成情况"),
    ("big_projects", "{floor}亿元以上项目进展情况"),
    ("collections", "专项项目投资完成情况"),
    ("lagging", "未按计划推进的项目"),
    ("lagging_counties", "各县区未按计划推进的项目个数"),
    ("factor_issues", "未解决的要素保障问题"),
    ("report_problems", "项目单位反映的问题"),
    ("supervision", "督办事项落实情况"),
    ("indicators", "投融资和招商引资指标完成情况"),
    ("promotion", "分县区招商引资“四个率”"),
    ("promotion_funds", "招商引资到位资金"),
    ("promotion_lagging", "履约滞后的招商签约项目"),
    ("assessment", "考核得分情况"),  # touzi/assessment/briefing.py
    ("factors", "分县区要素指标余量"),
    ("factors_waiting", "等待要素指标的项目"),
)


def title_of(month: dt.date, label: str, whole: str, term: str = "重大项目") -> tuple[str, list[str]]:
    """The title and its words (where a line may break): 关于|2023年1—6月|全市重大项目|建设情况的通报."""
    segments = ["关于", f"{month.year}年{label}", f"{whole}{term}", "建设情况的通报"]
    return "".join(segments), segments


def _tables(board: Dashboard, user: Actor, sections: list[Section], words_parts: str,
            overview: Table | None) -> dict[str, Table]:
    """Every full table by key: build.py's, the list's overview (figures.list_overview), the counties and lead
    units with their gap and level, and the facts the prose needs."""
    found = {table.key: table for top in sections for section in top.walk() for table in section.tables}
    tables = dict(found)
    if overview is not None:
        tables["overview"] = overview
    if "counties" in found:
        tables["counties"] = figures.progress_table(
            figures.standings_from_table(found["counties"], name="市" if board.area == "city" else "县区"), board,
            name=words_parts.removeprefix("各"),
            key="counties", total=figures.total_standing(board))
    tables["parks"] = figures.progress_table(
        figures.standings_from_rows(figures.park_rows(board, user)), board, name="园区", key="parks")
    tables["lead_units"] = figures.progress_table(
        figures.standings_from_rows(board.breakdowns.get("lead_unit", [])), board, name="牵头单位", key="lead_units",
        total=figures.total_standing(board))
    tables["factor_issues"] = figures.factor_issues(board, user)
    tables["report_problems"] = figures.report_problems(board, user)
    return tables


def _annex(tables: dict[str, Table], label: str, parts: str, floor: Decimal) -> tuple[list[Table], dict[str, int]]:
    annex: list[Table] = []
    numbers: dict[str, int] = {}
    for key, name in ANNEX_ORDER:
        table = tables.get(key)
        if table is None or not table.rows:
            continue
        numbers[key] = len(annex) + 1
        name = name.format(parts=parts, floor=f"{floor.normalize():f}")
        annex.append(dataclasses.replace(
            table, title=f"附表{numbers[key]} {name}（{label}）", sheet=f"附表{numbers[key]} {name}"[:31]))
    return annex, numbers


def compose(board: Dashboard, user: Actor, sections: list[Section], *, issuing: Issuing, label: str,
            floor: Decimal, number: str, overview: Table | None, version: int = 1, change_note: str = "",
            date: dt.date | None = None) -> Briefing:
    """The briefing from build.py's figure sections (their tables; their charts' first one is the
    headline's path), the list's overview (figures.list_overview) and the plan's issuing settings."""
    words = issuing.words
    tables = _tables(board, user, sections, words.parts, overview)
    annex, numbers = _annex(tables, label, words.parts, floor)
    chart = next((chart for top in sections for section in top.walk() for chart in section.charts), None)
    if chart is not None:
        chart = dataclasses.replace(chart, title=f"图1 {chart.title}（{board.month.year}年）"
                                    if str(board.month.year) not in chart.title else f"图1 {chart.title}")
    headline = board.headline.figure.target if board.headline else None
    collection = headline.measure_collection.name if headline and headline.measure_collection is not None else ""
    facts = Facts(month=board.month, label=label, words=words, elapsed=figures.elapsed_percent(board.month),
                  floor=floor, tables=tables, numbers=numbers, collection=collection, chart=chart,
                  requirements=issuing.requirements, term=issuing.term)
    body = [overall(facts), units(facts), domains_and_projects(facts), *extra_parts(facts), problems(facts),
            requirements(facts)]
    title, segments = title_of(board.month, label, words.whole, issuing.term)
    return Briefing(
        title=title,
        title_segments=segments,
        number=number,
        recipients=issuing.recipients_line,
        opening=[f"现将{board.month.year}年{label}{words.whole}{issuing.term}建设情况通报如下："],
        sections=[s for s in body if s.paragraphs or s.children or s.tables],
        issuer=issuing.issuer,
        date=date or timezone.localdate(),
        annex_note=f"附件：{board.month.year}年{label}{words.whole}{issuing.term}建设情况统计表",
        version=version,
        change_note=change_note,
        masthead=issuing.masthead,
        closing="特此通报。",
        copy_to=list(issuing.copy_to),
        printed_by=issuing.printed_by,
        annex=annex,
    )
