"""Exports of any list a user can see, to .xlsx. Every text cell that could start a formula is written as text."""

from __future__ import annotations

import datetime as dt

from touzi.core.actor import Actor
from touzi.lib.xlsx import SheetSpec, write_workbook
from touzi.projects.selectors import ProjectFilters, project_list
from touzi.reports.selectors import report_list

MONEY_FORMAT = "#,##0.0000"


def _month(value: dt.date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def export_projects(user: Actor, filters: ProjectFilters, month: dt.date) -> bytes:
    projects = project_list(user, filters, month).prefetch_related("memberships__collection")
    headers = ["项目代码", "项目名称", "所属领域", "县区", "园区", "项目业主", "牵头单位", "责任市领导", "项目阶段",
               "总投资(万元)", f"{month:%Y-%m}完成投资(万元)", "本年累计(万元)", "自开工累计(万元)", "计划开工",
               "计划竣工", "专项归属", "政府投资", "财政出资(万元)", "房地产项目", "行业代码", "五明确"]
    rows = (
        [p.code or "", p.name, p.domain.name, p.county.name, p.park.name if p.park else "", p.owner.name,
         p.lead_unit.name if p.lead_unit else "", p.leader, p.get_stage_display(), p.total_investment,
         p.month_amount, p.ytd, p.since_start, _month(p.planned_start), _month(p.planned_completion),
         "、".join(f"{m.collection.name}{m.year or ''}" for m in p.memberships.all()),
         "是" if p.is_government else "否", p.fiscal_contribution, "是" if p.is_real_estate else "否", p.industry,
         "豁免" if p.is_real_estate else sum(bool(getattr(p, f)) for f in (
             "clear_funding", "clear_farmland", "clear_progress", "clear_investment", "clear_approvals"))]
        for p in projects.iterator(chunk_size=2000)
    )
    money = {i: MONEY_FORMAT for i in (9, 10, 11, 12, 17)}
    return write_workbook([SheetSpec(title="项目", headers=headers, rows=rows, number_formats=money)],
                          notes=[f"导出时间:{dt.datetime.now():%Y-%m-%d %H:%M}", "金额单位:万元",
                                 "累计数为统计局审核通过的月报数加调整数"])


def export_reports(user: Actor, *, month: dt.date | None, status: str, county: str, q: str) -> bytes:
    reports = report_list(user, month=month, status=status, county=county, q=q)
    headers = ["项目代码", "项目名称", "县区", "报告期", "本月完成投资(万元)", "形象进度", "存在问题", "状态",
               "退回原因", "报送时间"]
    rows = (
        [r.project.code or "", r.project.name, r.project.county.name, r.period, r.amount, r.progress, r.problems,
         r.get_status_display(), r.return_reason,
         f"{r.submitted_at:%Y-%m-%d %H:%M}" if r.submitted_at else ""]
        for r in reports.iterator(chunk_size=2000)
    )
    return write_workbook([SheetSpec(title="月报", headers=headers, rows=rows, number_formats={4: MONEY_FORMAT})],
                          notes=["金额单位:万元"])
