"""The year's evaluation of consulting firms as Excel: one sheet of firms, one of the deviations behind them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from touzi.consulting.choices import Grade, Stage
from touzi.consulting.figures import FirmYear
from touzi.lib.xlsx import SheetSpec, write_workbook


def evaluation_workbook(year: int, firms: list[FirmYear]) -> bytes:
    stages = dict(Stage.choices)
    summary = SheetSpec(title=_("评价结果"), headers=[
        _("咨询单位"), _("偏差个数"), _("偏差中位数(%)"), _("离散度(百分点)"), _("超±10%占比(%)"), _("到期委托"),
        _("逾期交付"), _("评价等级")], rows=[
        [f.firm.name, len(f.values), f.median, f.spread, f.beyond_share, f.engagements, f.late,
         str(Grade(f.grade).label)] for f in firms])
    detail = SheetSpec(title=_("偏差明细"), headers=[
        _("咨询单位"), _("项目"), _("前一阶段"), _("前一阶段总投资(万元)"), _("后一阶段"), _("后一阶段总投资(万元)"),
        _("偏差(%)"), _("日期")], rows=[
        [f.firm.name, r["project"], str(stages[r["from"]]), r["from_amount"], str(stages[r["to"]]), r["to_amount"],
         r["deviation"], r["dated"]] for f in firms for r in f.rows])
    return write_workbook([summary, detail], notes=[
        _("%(year)s年度。偏差=(后一阶段总投资−前一阶段总投资)/前一阶段总投资,计入编制前一阶段的咨询单位。") % {"year": year}])
