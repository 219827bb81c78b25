"""The year-end assessment report: a 公文 in the briefing's form (.docx, GB/T 9704 版头 and 版记 from the plan's
`briefing:` settings) and its annex (.xlsx), through touzi.briefings' renderer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from touzi.assessment.choices import DeductionSource, Rule, Source
from touzi.assessment.engine import Assessment
from touzi.assessment.quality import PER_CORRECTION, WEIGHTS, quality_pooled
from touzi.assessment.schema import IndicatorSpec
from touzi.briefings.content import Briefing, Cell, Section, Table
from touzi.briefings.issuing import draft_number, issuing
from touzi.briefings.render import render_annex, render_docx


def _rule_text(indicator: IndicatorSpec) -> str:
    if indicator.rule == Rule.LINEAR:
        return f"{indicator.low}及以下得0分,{indicator.high}及以上得满分,其间按比例计分"
    if indicator.rule == Rule.PASS:
        return f"达到{indicator.threshold}得满分,否则不得分"
    return f"按名次计分,第一名满分,每低一名减{indicator.step}分,最低{indicator.floor}分"


def _results_table(result: Assessment, *, full: bool) -> Table:
    names = result.names()
    headers = ["名次", "单位", "得分", "加分", "扣分"]
    if full:
        for i in result.spec.indicators:
            headers += [f"{names[i.key]}(原始值)", f"{names[i.key]}(得分)"]
    else:
        headers += [f"{names[i.key]}({i.weight}分)" for i in result.spec.indicators]
    rows: list[list[Cell]] = []
    for score in result.scores:
        row: list[Cell] = [score.rank, result.units[score.unit].label, score.score, score.bonus, score.deduction]
        for part in score.parts:
            row += [part.raw, part.score] if full else [(part.weight * part.score / 100).quantize(Decimal("0.01"))]
        rows.append(row)
    title = f"表1 {result.period.year}年度{result.scheme.name}结果"
    note = "得分=∑(权重×指标得分/100)+加分−扣分;指标得分0—100。" if not full else "原始值为百分比(%),无记录者为空。"
    return Table(title=title if not full else f"附表1 {result.period.year}年度考核得分明细", headers=headers,
                 rows=rows, note=note, key="results" if not full else "results-full",
                 sheet="考核结果" if not full else "得分明细")


def _quality_table(result: Assessment) -> Table:
    found = quality_pooled(result.scheme.plan, list(result.units.values()), result.period)
    rows: list[list[Cell]] = []
    for score in result.scores:
        q = found[score.unit]
        rows.append([result.units[score.unit].label, q.submitted, q.on_time, q.returned, q.corrections, q.spikes,
                     q.evidence_missing, q.score])
    return Table(title=f"附表2 {result.period.year}年度各单位数据质量", headers=[
        "单位", "报送月报", "按时报送", "被退回", "锁定后更正", "异常波动", "缺佐证材料", "质量得分"],
        rows=rows, key="quality", sheet="数据质量",
        note=(f"质量得分=100×({WEIGHTS['on_time']}×按时率+{WEIGHTS['not_returned']}×(1−退回率)+"
              f"{WEIGHTS['no_spike']}×(1−异常率)+{WEIGHTS['evidence']}×(1−缺佐证率))−{PER_CORRECTION}×锁定后更正次数。"))


def content(result: Assessment, *, on: dt.date | None = None) -> Briefing:
    plan, year = result.scheme.plan, result.period.year
    issue = issuing(plan)
    names = result.names()
    results = _results_table(result, full=False)
    first = result.scores[:3]
    summary = "、".join(f"{result.units[s.unit].label}({s.score}分)" for s in first)
    sections = [
        Section("考核结果", paragraphs=[
            f"{year}年度参加考核单位{len(result.scores)}个,得分前三名依次为{summary}。" if first
            else "本年度无考核对象。"], tables=[results]),
        Section("考核指标及计分办法", paragraphs=[
            f"{names[i.key]}(权重{i.weight}):{Source(i.source).label},{_rule_text(i)}。"
            for i in result.spec.indicators]),
    ]
    adjustments = [f"{result.units[s.unit].label}:" + "、".join(f"{a['reason']}({a['points']:+}分)"
                                                                 for a in s.adjustments)
                   for s in result.scores if s.adjustments]
    deductions = [f"{result.units[s.unit].label}:" + "、".join(
        f"{DeductionSource(i['source']).label}{i['records']}项扣{i['points']}分" for i in s.deduction_items)
        for s in result.scores if s.deduction_items]
    bonus = [f"{result.units[s.unit].label}:" + "、".join(f"{names[i['indicator']]}加{i['points']}分"
                                                           for i in s.bonus_items)
             for s in result.scores if s.bonus_items]
    sections.append(Section("加分、扣分和调整情况", children=[
        Section("加分", paragraphs=["。".join(bonus) + "。" if bonus else "无。"], run_in=True),
        Section("扣分", paragraphs=["。".join(deductions) + "。" if deductions else "无。"], run_in=True),
        Section("人工调整", paragraphs=["。".join(adjustments) + "。" if adjustments else "无。"], run_in=True),
    ]))
    ppp = result.ppp()
    ppp_text = f"{ppp['note']}。"
    if ppp["total"] is not None and ppp["total"]["commended"]:
        ppp_text += "获表扬的县区:" + "、".join(r["unit"] for r in ppp["units"] if r["commended"]) + "。"
    if ppp["missing"]:
        ppp_text += f"所缺数据:{'、'.join(ppp['missing'])}。"
    sections.append(Section("PPP工作绩效奖励", paragraphs=[ppp_text]))
    full = _results_table(result, full=True)
    quality = _quality_table(result)
    on = on or timezone.localdate()
    return Briefing(
        title=f"关于{year}年度{result.scheme.name}结果的通报",
        title_segments=["关于", f"{year}年度", result.scheme.name, "结果的通报"],
        number=draft_number(issue.number_pattern), recipients=issue.recipients_line,
        opening=[f"根据《{plan.name}》“将投资和重大项目建设工作成效纳入全市各级各部门绩效考核”的要求,"
                 f"依据平台记录的项目月报、审批、督办和招商引资等数据,对各单位{year}年度工作进行了考核。"
                 "现将考核结果通报如下:"],
        sections=sections, issuer=issue.issuer, date=on, masthead=issue.masthead, closing="特此通报。",
        annex_note=f"附件:{year}年度考核得分明细表", copy_to=list(issue.copy_to), printed_by=issue.printed_by,
        annex=[full, quality])


def report_docx(result: Assessment, *, on: dt.date | None = None) -> bytes:
    return render_docx(content(result, on=on))


def report_xlsx(result: Assessment, *, on: dt.date | None = None) -> bytes:
    return render_annex(content(result, on=on))
