"""The sentences of the 通报, written from the annex tables' own cells.

Each writer takes the month's `Facts` (the full tables by key, with their annex numbers) and returns a
`Section`: what a plan office would write by hand — the figures, who is ahead, who is behind and by how
much, named — with a short table where a list helps. Nothing here queries the database: a number in a
sentence is a cell of a table the annex holds. Clauses about nothing (计划开工未开工的0个) are left out,
and so are tables without rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from touzi.briefings.content import Chart, Section, Table
from touzi.briefings.facts import GREEN, RED, TOTAL, YELLOW, column
from touzi.briefings.issuing import LevelWords
from touzi.briefings.typeset import count, join_names, money, percent, points

__all__ = ["Facts", "gap_phrase", "growth_phrase"]

ONE = Decimal("0.1")
BODY_ROWS = 10  # a body table lists at most this many rows; the annex has them all
LAGGING_STATUSES = ("滞后", "严重滞后", "未完成")
UNASSIGNED = "未指定"  # the breakdowns' row of projects in no collection: not a collection to report on


@dataclass
class Facts:
    """What the writers know: the month, the region's words, and every annex table by key."""

    month: dt.date
    label: str  # 1—6月
    words: LevelWords
    elapsed: Decimal  # 序时进度 of the year's plans, %
    floor: Decimal  # the briefing threshold, 亿元 (10)
    tables: dict[str, Table]
    numbers: dict[str, int] = field(default_factory=dict)  # annex number of each table key
    collection: str = ""  # the list the headline counts (市重大项目年度计划清单)
    term: str = "重大项目"  # what the plan calls its listed projects
    chart: Chart | None = None
    requirements: tuple[tuple[str, str], ...] = ()
    body_tables: int = 0

    def ref(self, key: str) -> str:
        return f"附表{self.numbers[key]}" if key in self.numbers else "附件"

    def rows(self, key: str) -> list[list[Any]]:
        table = self.tables.get(key)
        return table.rows if table else []

    def next_table(self, title: str) -> str:
        self.body_tables += 1
        return f"表{self.body_tables} {title}"


def gap_phrase(gap: Decimal | None) -> str:
    """超序时进度2.1个百分点 / 低于序时进度7.1个百分点 / 与序时进度持平 (one decimal)."""
    if gap is None:
        return ""
    shown = gap.quantize(ONE)
    if not shown:
        return "与序时进度持平"
    return f"{'超' if shown > 0 else '低于'}序时进度{points(shown)}"


def growth_phrase(growth: Decimal | None) -> str:
    if growth is None:
        return ""
    shown = growth.quantize(ONE)
    if not shown:
        return "与上年同期持平"
    return f"同比{'增长' if shown > 0 else '下降'}{percent(abs(shown))}"


def _value(rows: list[list[Any]], name: str) -> Any:
    return next((row[1] for row in rows if row[0] == name), None)


def _clauses(*parts: str) -> str:
    return "，".join(p for p in parts if p)


# --- 一、总体情况 -------------------------------------------------------------------------------------------


def overall(f: Facts) -> Section:
    section = Section(heading="总体情况")
    rows = f.rows("overview")
    if not rows or _value(rows, "累计完成投资") is None:
        section.paragraphs.append(f"{f.label}，{f.words.whole}暂无可统计的{f.term}投资数据（尚无审核通过的月报）。")
        return section
    unit = next(row[2] for row in rows if row[0] == "累计完成投资")
    listed = f"列入{f.month.year}年{f.collection}的项目" if f.collection else "纳入统计的项目"
    target = _value(rows, "年度投资目标")
    opening = (f"{listed}共{count(_value(rows, '项目个数'))}，总投资{money(_value(rows, '总投资'))}，"
               f"项目年度投资计划合计{money(_value(rows, '项目年度投资计划合计'))}。")
    progress = _clauses(
        f"{f.label}累计完成投资{money(_value(rows, '累计完成投资'), unit)}",
        f"完成年度目标{target.normalize():f}{unit}的{percent(_value(rows, '完成年度目标'))}"
        if _value(rows, "完成年度目标") is not None else "",
        f"{gap_phrase(_value(rows, '与序时进度差距'))}（序时进度{percent(_value(rows, '序时进度'))}）"
        if _value(rows, "与序时进度差距") is not None else "",
        growth_phrase(_value(rows, "同比增长")),
    )
    section.paragraphs.append(opening + progress + "。")
    if f.chart is not None:
        section.charts.append(f.chart)
    starts = _starts_and_completions(rows, f.label)
    if starts:
        section.children.append(Section(heading="新开工和竣工", run_in=True, paragraphs=[starts]))
    indicators = _figures_sentence(f.rows("indicators"), "")
    if indicators:
        section.children.append(Section(heading="投融资和招商引资", run_in=True, paragraphs=[indicators]))
    return section


def _starts_and_completions(rows: list[list[Any]], label: str) -> str:
    clauses = []
    starts, started = _value(rows, "全年计划新开工项目") or 0, _value(rows, "已开工") or 0
    if starts:
        done = f"已开工{count(started)}，开工率{percent(_value(rows, '开工率'))}" if started else "尚无项目开工"
        clauses.append(f"全年计划新开工项目{count(starts)}，{label}{done}")
    completions, completed = _value(rows, "全年计划竣工项目") or 0, _value(rows, "已竣工") or 0
    if completions:
        clauses.append(f"计划竣工项目{count(completions)}，" + (f"已竣工{count(completed)}" if completed else "尚无项目竣工"))
    return "；".join(clauses) + "。" if clauses else ""


def _figures_sentence(rows: list[list[Any]], subject: str) -> str:
    """N项目标中，M项已完成或进度正常；滞后K项：名称（完成目标的x%，低于序时进度y个百分点）、…"""
    measured = [row for row in rows if row[2] is not None]
    if not measured:
        return ""
    behind = [row for row in measured if row[7] in LAGGING_STATUSES]
    if not behind:
        return f"{subject}{len(measured)}项目标均已完成或进度正常。"
    if len(behind) == len(measured):
        text = f"{subject}{len(measured)}项目标均滞后"
    else:
        text = f"{subject}{len(measured)}项目标中，{len(measured) - len(behind)}项已完成或进度正常；滞后{len(behind)}项"
    named = []
    for row in behind:
        detail = _clauses(f"完成目标的{percent(row[3])}" if row[3] is not None else "", gap_phrase(row[5]))
        named.append(f"{row[0]}（{detail}）" if detail else row[0])
    return text + "：" + "、".join(named) + "。"


# --- 二、各县区和牵头单位 ---------------------------------------------------------------------------------


def _behind(rows: list[list[Any]]) -> list[list[Any]]:
    """Ranked rows below 序时进度, the furthest behind first."""
    return sorted((r for r in rows if r[5] is not None and r[5].quantize(ONE) < 0), key=lambda r: r[5])


def _named_gaps(rows: list[list[Any]], limit: int = 6) -> str:
    """甲（低于序时进度18.5个百分点）、乙（13.5个百分点）…等N个."""
    named = [f"{r[1]}（{'低于序时进度' if i == 0 else ''}{points(r[5])}）" for i, r in enumerate(rows[:limit])]
    return "、".join(named) + (f"等{len(rows)}个" if len(rows) > limit else "")


def units(f: Facts) -> Section:
    parks = "、园区" if f.rows("parks") else ""
    section = Section(heading=f"{f.words.parts}{parks}和牵头单位推进情况")
    for key, name in (("counties", f.words.parts), ("parks", "各园区"), ("lead_units", "牵头单位")):
        rows = [r for r in f.rows(key) if r[0] is not None]
        parts = [r for r in f.rows(key) if r[1] != TOTAL]
        total = [r for r in f.rows(key) if r[1] == TOTAL]
        if not rows:
            continue
        singular = name.removeprefix("各")
        child = Section(heading=name, run_in=True, paragraphs=[_ranking_sentence(rows, singular)])
        # A short list is shown whole; a long one only where it is behind 序时进度, the furthest first.
        everyone = len(parts) <= BODY_ROWS
        shown = parts + total if everyone else _behind(rows)[:BODY_ROWS]
        if shown:
            title = f"{name}投资完成情况" if everyone else f"投资完成低于序时进度的{singular}"
            note = f"序时进度{percent(f.elapsed)}。"
            if not everyone:
                note += f"全部{count(len(parts))}{singular}见{f.ref(key)}。"
            child.tables.append(Table(
                title=f.next_table(f"{title}（{f.label}）"),
                headers=["排名", singular, "项目年度投资计划（亿元）", "累计完成（亿元）", "完成率（%）",
                         "与序时进度差距（百分点）", "同比（%）", "预警"],
                rows=[[r[0], r[1], r[2], r[3], r[4], r[5], r[7], r[8]] for r in shown],
                note=note,
            ))
        section.children.append(child)
    return section


def _ranking_sentence(rows: list[list[Any]], singular: str) -> str:
    """Who leads, who reached 序时进度, and who is behind by how much, by level (named, the furthest first)."""
    if len(rows) <= 4:
        text = "按年度计划完成率排名，依次为" + "、".join(f"{r[1]}（{percent(r[4])}）" for r in rows)
    else:
        text = "按年度计划完成率排名，前三位是" + "、".join(f"{r[1]}（{percent(r[4])}）" for r in rows[:3])
    behind = _behind(rows)
    if not behind:
        return text + f"，{len(rows)}个{singular}均达到序时进度。"
    ahead = [r[1] for r in rows if r[5] is not None and r[5].quantize(ONE) >= 0]
    if ahead:
        text += f"。{join_names(ahead, limit=6)}达到或超过序时进度，其余{len(behind)}个低于序时进度"
    else:
        text += f"，{len(behind)}个{singular}均低于序时进度"
    by_level = {level: [r for r in behind if r[8] == level] for level in (RED, YELLOW, GREEN)}
    parts = [f"{'其中' if i == 0 else ''}{level}预警{len(found)}个：{_named_gaps(found)}"
             for i, (level, found) in enumerate((lv, fd) for lv, fd in by_level.items() if fd and lv != GREEN)]
    if by_level[GREEN]:
        parts.append(("其余" if parts else "") + f"{len(by_level[GREEN])}个差距在预警线以内")
    return text + "，" + "；".join(parts) + "。"


# --- 三、重点领域和重大项目 ---------------------------------------------------------------------------------


def domains_and_projects(f: Facts) -> Section:
    section = Section(heading=f"重点领域和{f.term}推进情况")
    rows = [r for r in f.rows("domains") if r[2] is not None]
    if rows:
        child = Section(heading="重点领域", run_in=True)
        child.paragraphs.append(_figures_sentence(rows, "重点领域投资"))
        child.tables.append(Table(
            title=f.next_table(f"重点领域目标完成情况（{f.label}）"),
            headers=["目标", "目标值", "完成值", "完成率（%）", "与序时进度差距（百分点）", "同比（%）", "状态"],
            rows=[[r[0], r[1], r[2], r[3], r[5], r[6], r[7]] for r in rows],
            note="完成值的单位与目标值相同；累计目标的序时进度按方案期计算。",
        ))
        section.children.append(child)
    big = _big_projects(f)
    if big is not None:
        section.children.append(big)
    collections = _collections(f)
    if collections is not None:
        section.children.append(collections)
    return section


def _big_projects(f: Facts) -> Section | None:
    """（二）N亿元以上项目: the whole, then 1. progress of the largest, 2. open factor problems, 3. approvals."""
    table = f.tables.get("big_projects")
    if table is None or not table.rows:
        return None
    at = {name: column(table, name) for name in ("项目名称", "县区", "总投资", "本年累计", "形象进度", "要素保障", "审批")}
    rows = table.rows

    def cell(row: list[Any], name: str) -> Any:
        index = at[name]
        return row[index] if index is not None else None

    floor = f"{f.floor.normalize():f}亿元"
    total = sum((cell(r, "总投资") or Decimal(0) for r in rows), Decimal(0))
    ytd = sum((cell(r, "本年累计") or Decimal(0) for r in rows), Decimal(0))
    section = Section(heading=f"{floor}以上项目", paragraphs=[
        f"{f.words.whole}总投资{floor}以上项目{count(len(rows))}，总投资{money(total)}，{f.label}完成投资{money(ytd)}。"])
    headers = ["序号", "项目名称", "县区", "总投资（亿元）", f"{f.label}完成（亿元）"]
    largest = rows[:BODY_ROWS]
    everyone = len(largest) == len(rows)
    idle = [cell(r, "项目名称") for r in largest if not cell(r, "本年累计")]
    idle_clause = f"{join_names(idle)}本年尚未完成投资" if idle else ""
    table = Table(
        title=f.next_table(f"{floor}以上项目（{f.label}）" if everyone
                           else f"总投资前{len(largest)}位的{floor}以上项目（{f.label}）"),
        headers=[*headers, "形象进度", "审批办结"],
        rows=[[i, cell(r, "项目名称"), cell(r, "县区"), cell(r, "总投资"), cell(r, "本年累计"), cell(r, "形象进度"),
               cell(r, "审批")] for i, r in enumerate(largest, start=1)],
        note="审批办结：已办结的重要审批事项数/应办理数。"
             + ("" if everyone else f"全部{count(len(rows))}项目见{f.ref('big_projects')}。"),
    )
    if everyone:  # the table is the whole list: it follows the paragraph
        if idle_clause:
            section.paragraphs[0] = section.paragraphs[0].removesuffix("。") + f"，其中{idle_clause}。"
        section.tables.append(table)
    else:
        done = sum((cell(r, "本年累计") or Decimal(0) for r in largest), Decimal(0))
        text = f"总投资前{len(largest)}位的项目{f.label}完成投资{money(done)}"
        if ytd:
            text += f"，占{floor}以上项目的{percent(done / ytd * 100)}"
        text += f"；其中{idle_clause}。" if idle_clause else "。"
        section.children.append(Section(heading="投资进展", run_in=True, paragraphs=[text], tables=[table]))
    problems = [r for r in rows if str(cell(r, "要素保障") or "无") not in ("无", "—", "")]
    if problems:
        kinds = Counter(part.replace(":", "：").split("：", 1)[0] for r in problems
                        for part in str(cell(r, "要素保障")).replace("；", ";").split(";") if part.strip())
        factors = Section(heading="要素保障", run_in=True, paragraphs=[
            f"{count(len(problems))}项目存在未解决的要素保障问题（"
            + "、".join(f"{kind}{n}个" for kind, n in kinds.most_common()) + "）。"])
        factors.tables.append(Table(
            title=f.next_table(f"存在要素保障问题的{floor}以上项目（{f.label}）"),
            headers=[*headers, "要素保障问题"],
            rows=[[i, cell(r, "项目名称"), cell(r, "县区"), cell(r, "总投资"), cell(r, "本年累计"), cell(r, "要素保障")]
                  for i, r in enumerate(problems[:BODY_ROWS], start=1)],
            note=f"全部{count(len(problems))}项目见{f.ref('big_projects')}。" if len(problems) > BODY_ROWS else "",
        ))
        section.children.append(factors)
    done, required, open_projects = _approvals(rows, at["审批"])
    if required:
        text = (f"{count(len(rows))}项目应办理重要审批事项{count(required, '项')}，已办结{count(done, '项')}，"
                f"办结率{percent(Decimal(done) / required * 100)}")
        text += f"；尚有{count(open_projects)}项目的审批事项未全部办结。" if open_projects else "，已全部办结。"
        section.children.append(Section(heading="审批办理", run_in=True, paragraphs=[text]))
    return section


def _approvals(rows: list[list[Any]], index: int | None) -> tuple[int, int, int]:
    """Approvals done and required over the rows ("5/6" cells), and how many rows have some not done."""
    done = required = open_projects = 0
    for row in rows:
        cell = str(row[index]) if index is not None else ""
        a, _, b = cell.partition("/")
        if a.isdigit() and b.isdigit():
            done, required = done + int(a), required + int(b)
            open_projects += int(a) < int(b)
    return done, required, open_projects


def _collections(f: Facts) -> Section | None:
    rows = [r for r in f.rows("collections") if r[0] and r[0] != UNASSIGNED]
    if not rows:
        return None
    parts = []
    for name, ytd, _planned, completion, growth in (r[:5] for r in rows):
        detail = _clauses(f"完成投资{money(ytd)}" if ytd is not None else "",
                          f"完成年度计划的{percent(completion)}" if completion is not None else "",
                          growth_phrase(growth))
        parts.append(f"{name}{detail}")
    text = f"{f.label}，" + "；".join(parts) + "。"
    return Section(heading="专项项目", run_in=True, paragraphs=[text])


# --- 四、存在问题 ------------------------------------------------------------------------------------------


def problems(f: Facts) -> Section:
    section = Section(heading="存在问题")
    items: list[tuple[str, str]] = []
    lagging = f.rows("lagging")
    kinds = Counter(r[0] for r in lagging)
    counties = Counter(r[2] for r in lagging if r[0] == "投资进度滞后于年度计划" and r[2])
    by_county = f.rows("lagging_counties")  # a large portfolio lists a first page: its numbers are counted here
    if by_county:
        kinds = Counter({kind: sum(r[i + 1] for r in by_county)
                         for i, kind in enumerate(("投资进度滞后于年度计划", "计划开工时间已过仍未开工",
                                                   "计划竣工时间已过仍未竣工"))})
        counties = Counter({r[0]: r[1] for r in by_county if r[1]})
    behind = kinds.get("投资进度滞后于年度计划", 0)
    if behind:
        where = "、".join(f"{c}{n}个" for c, n in counties.most_common(4)) + ("等" if len(counties) > 4 else "")
        items.append(("部分项目投资进度滞后", f"{count(behind)}项目{f.label}完成投资低于年度计划的序时进度，"
                      f"其中{where}（名单见{f.ref('lagging')}）。"))
    late_start, late_end = kinds.get("计划开工时间已过仍未开工", 0), kinds.get("计划竣工时间已过仍未竣工", 0)
    if late_start or late_end:
        clauses = [f"计划开工时间已过仍未开工的{count(late_start)}" if late_start else "",
                   f"计划竣工时间已过仍未竣工的{count(late_end)}" if late_end else ""]
        units_ = Counter(r[3] for r in lagging if r[0] != "投资进度滞后于年度计划" and r[3])
        who = join_names([u for u, _ in units_.most_common(3)])
        items.append(("部分项目未按计划开工竣工", "；".join(c for c in clauses if c)
                      + (f"，较多的牵头推进单位是{who}" if who else "") + "。"))
    issues = f.rows("factor_issues")
    if issues:
        kinds_ = Counter(r[0] for r in issues)
        overdue = sum(1 for r in issues if r[6] == "是")
        text = (f"未解决的要素保障问题{count(len(issues))}（" + "、".join(f"{k}{n}个" for k, n in kinds_.most_common())
                + "）" + (f"，其中{count(overdue)}已超过解决时限" if overdue else "") + f"（见{f.ref('factor_issues')}）。")
        items.append(("要素保障问题有待解决", text))
    reported = f.rows("report_problems")
    if reported:
        common = Counter(r[3] for r in reported).most_common(5)
        text = (f"{f.month.month}月月报中，{count(len(reported))}项目填报了存在问题，较多的有："
                + "；".join(f"{problem}（{count(n)}项目）" for problem, n in common)
                + f"。各项目所报问题见{f.ref('report_problems')}。")
        items.append(("项目单位反映的困难", text))
    tasks = f.rows("supervision")
    overdue_tasks = [r for r in tasks if r[4] == "是"]
    if overdue_tasks:
        who = join_names(sorted({r[1] for r in overdue_tasks}), limit=5, total_word="个单位")
        items.append(("督办事项整改不到位", f"逾期未整改的督办事项{count(len(overdue_tasks), '项')}，涉及{who}。"))
    for heading, text in items:
        section.children.append(Section(heading=heading, run_in=True, paragraphs=[text]))
    if not items:
        section.paragraphs.append("本月未发现投资进度滞后、未按计划开工竣工或要素保障未解决的项目。")
    return section


# --- 五、下一步工作要求 -------------------------------------------------------------------------------------


def requirements(f: Facts) -> Section:
    section = Section(heading="下一步工作要求")
    named = []
    for key, word in (("counties", f.words.parts.removeprefix("各")), ("parks", "园区"), ("lead_units", "牵头单位")):
        warned = sorted((r for r in f.rows(key) if r[8] in (RED, YELLOW)), key=lambda r: r[5])
        if warned:
            names = [r[1] for r in warned]
            listed = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
            named.append(f"{listed}{len(names)}个{word}")
    if named:
        section.children.append(Section(heading="加快滞后地区和单位投资进度", run_in=True, paragraphs=[
            f"{'，'.join(named)}投资完成率低于序时进度较多（黄色及以上预警），要对照年度计划逐个项目倒排工期，"
            "找准制约因素，确保下月缩小与序时进度的差距。"]))
    lagging = f.rows("lagging")
    late = [r for r in lagging if r[0] != "投资进度滞后于年度计划"]
    late_count = (sum(r[2] + r[3] for r in f.rows("lagging_counties")) if f.rows("lagging_counties")
                  else len(late))
    if late:
        units_ = Counter(r[3] for r in late if r[3])
        who = join_names([u for u, _ in units_.most_common(4)])
        section.children.append(Section(heading="推动逾期项目尽快开工竣工", run_in=True, paragraphs=[
            f"对{count(late_count)}逾期未开工或未竣工的项目，{who}等牵头推进单位要逐个明确开工、竣工时间，"
            f"协调解决存在问题，{f.month.month + 1 if f.month.month < 12 else 1}月底前报送推进情况。"]))
    overdue_tasks = [r for r in f.rows("supervision") if r[4] == "是"]
    if overdue_tasks:
        section.children.append(Section(heading="抓好督办事项整改", run_in=True, paragraphs=[
            f"逾期未整改的{count(len(overdue_tasks), '项')}督办事项，责任单位要限期整改到位并报送整改情况。"]))
    for heading, text in f.requirements:
        section.children.append(Section(heading=heading, run_in=True, paragraphs=[text]))
    if not section.children:
        section.paragraphs.append(f"{f.words.parts}、各有关单位要对照年度目标，加快项目建设，确保完成全年任务。")
    return section
