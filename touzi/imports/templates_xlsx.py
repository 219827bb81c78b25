"""Downloadable templates: Chinese headers, amounts in 万元, drop-downs for every coded field."""

from __future__ import annotations

import datetime as dt

from touzi.core.actor import Actor
from touzi.core.scoping import Action
from touzi.imports.columns import FUNDING_HEADERS, PROJECT_COLUMNS
from touzi.lib.xlsx import SheetSpec, write_workbook
from touzi.plans.models import Domain
from touzi.projects.choices import UNDER_CONSTRUCTION, Stage
from touzi.projects.codes import industry_divisions
from touzi.projects.selectors import visible_projects
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

REPORT_HEADERS = ["项目代码", "项目名称", "报告期", "本月完成投资(万元)", "形象进度", "存在问题"]
YES_NO = ["是", "否"]


def report_template(user: Actor, month: dt.date) -> bytes:
    """The monthly template, pre-filled with the projects this user reports for."""
    projects = (visible_projects(user, Action.CHANGE).filter(stage__in=UNDER_CONSTRUCTION)
                .order_by("code").values_list("code", "name"))
    rows = [[code or "", name, f"{month:%Y-%m}", None, "", ""] for code, name in projects.iterator()]
    codes = [r[0] for r in rows if r[0]]
    return write_workbook(
        [SheetSpec(title="月报", headers=REPORT_HEADERS, rows=rows, widths=[28, 40, 12, 20, 40, 30],
                   choices={0: codes} if codes else {}, number_formats={3: "#,##0.0000"},
                   validation_rows=max(len(rows), 200))],
        notes=["每行填报一个项目一个月的完成投资,金额单位:万元,最多4位小数。",
               "报告期格式 YYYY-MM;1—2月合并报送时填 YYYY-02。",
               "同一项目同一报告期只填一行;已审核通过的月报如需更正请联系统计局退回,已锁定月份请提交调整。",
               "项目代码请从下拉列表选择;项目名称仅用于核对。"])


def project_template() -> bytes:
    headers = [c.headers[0] for c in PROJECT_COLUMNS]
    index = {c.key: i for i, c in enumerate(PROJECT_COLUMNS)}
    money_header = {f"funding_{s.value}": f"{h[0]}(万元)" for s, h in FUNDING_HEADERS.items()}
    headers = [money_header.get(c.key, h) for c, h in zip(PROJECT_COLUMNS, headers, strict=True)]
    headers[index["total_investment"]] = "总投资(万元)"
    headers[index["fiscal_contribution"]] = "财政出资(万元)"
    units = Unit.objects.order_by("kind", "division_code", "key")
    choices = {
        index["domain"]: [d.name for d in Domain.objects.order_by("order")],
        index["county"]: [u.short_name or u.name for u in units if u.kind == UnitKind.COUNTY],
        index["park"]: [u.short_name or u.name for u in units if u.kind == UnitKind.PARK],
        index["lead_unit"]: [u.short_name or u.name for u in units if u.kind in (UnitKind.BUREAU, UnitKind.OFFICE)],
        index["stage"]: [str(label) for label in Stage.labels],
        index["is_government"]: YES_NO, index["is_real_estate"]: YES_NO, index["occupies_farmland"]: YES_NO,
        index["industry"]: list(industry_divisions()),
    }
    money = {index[k]: "#,##0.0000" for k in ("total_investment", "fiscal_contribution", *money_header)}
    return write_workbook(
        [SheetSpec(title="项目", headers=headers, rows=[], choices={k: v for k, v in choices.items() if v},
                   number_formats=money)],
        notes=["每行一个项目;金额单位:万元。有项目代码的按代码更新,没有代码的按“项目业主+项目名称”匹配或新建。",
               "项目代码为24位:YYYY-RRRRRR-DD-TT-NNNNNC;储备项目可暂缺。",
               "专项归属可填多个,用“、”分隔;年度重大项目清单写成“名称+年份”,例如 市重大项目年度计划清单2023。",
               "行业代码填 GB/T 4754-2017 大类两位代码。计划开工、计划竣工填 YYYY-MM。",
               "项目业主不在系统中的,将作为新的业主单位登记。"])
