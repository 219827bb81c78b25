"""Each dashboard table as .xlsx (through the formula-safe writer)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from touzi.lib.xlsx import SheetSpec, write_workbook
from touzi.monitoring.choices import Level, Status, WarningKind
from touzi.monitoring.dashboard import Dashboard

TABLES = ("targets", "domain", "city", "county", "lead_unit", "collection", "warnings")


def _n(value: object) -> object:
    return "" if value is None else value


def table_sheet(board: Dashboard, table: str) -> SheetSpec:
    if table == "targets":
        rows = [[f.target.label, f.target.period_label, f"{f.target.get_comparator_display()}{f.target.value_display}",
                 f.target.unit_of_measure, _n(f.value), _n(f.attainment), _n(f.elapsed), _n(f.gap), _n(f.previous),
                 _n(f.growth), str(Status(f.status).label)] for f in board.figures]
        return SheetSpec(title=_("目标完成情况"), rows=rows, headers=[
            _("目标"), _("期间"), _("目标值"), _("单位"), _("完成值"), _("完成率(%)"), _("序时进度(%)"),
            _("差距(百分点)"), _("上年同期"), _("同比增长(%)"), _("状态")])
    if table == "warnings":
        rows = [[str(Level(a.level).label), str(WarningKind(a.kind).label), a.project_code or "", a.project_name,
                 a.county, a.unit, a.reason] for a in board.alerts]
        return SheetSpec(title=_("预警"), rows=rows, headers=[
            _("等级"), _("类别"), _("项目代码"), _("项目名称"), _("县区"), _("责任单位"), _("原因")])
    rows = [[r.rank, r.label, r.ytd, r.planned, _n(r.completion), r.previous, _n(r.growth)]
            for r in board.breakdowns.get(table, [])]
    if table != "collection" and rows:  # one set: its rows add up to the set's totals
        t = board.totals["list"]
        rows.append(["", _("合计"), t.ytd, t.planned, _n(t.completion), t.previous, _n(t.growth)])
    title = {"domain": _("分领域"), "city": _("分市"), "county": _("分县区"), "lead_unit": _("分牵头单位"),
             "collection": _("分专项")}[table]
    column = {"domain": _("领域"), "city": _("市"), "county": _("县区"), "lead_unit": _("牵头单位"),
              "collection": _("专项")}[table]
    covers = (_("各专项的当年项目(专项之间有交叉,不可相加)") if table == "collection"
              else _("项目范围:%(set)s(上年同期按上年的清单项目)") % {"set": board.sets["list"].name})
    return SheetSpec(title=title, rows=rows, number_formats={2: "#,##0.00", 3: "#,##0.00", 5: "#,##0.00"}, headers=[
        _("排名"), column, _("本年累计完成(万元)"), _("年度投资计划(万元)"), _("计划完成率(%)"),
        _("上年同期(万元)"), _("同比增长(%)")], notes=[covers])


def export_table(board: Dashboard, table: str) -> bytes:
    return write_workbook([table_sheet(board, table)],
                          notes=[f"{board.plan.name}", _("数据截至 %(period)s") % {"period": f"{board.month:%Y-%m}"}])
