"""The ledger as Excel: one row per quota, allocated and headroom summed in the database (figures.ledger)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from touzi.factors.figures import LedgerRow
from touzi.lib.xlsx import SheetSpec, write_workbook


def ledger_workbook(rows: list[LedgerRow], year: int) -> bytes:
    sheet = SheetSpec(title=_("要素指标"), headers=[
        _("年度"), _("要素类别"), _("县区(园区)"), _("单位"), _("下达指标"), _("已配置"), _("余量"), _("待批申请"),
        _("待批项目数"), _("下达文件")], rows=[
        [r.year, r.kind_label, r.county, r.unit, r.quota, r.allocated, r.headroom, r.pending, r.waiting, r.document]
        for r in rows], number_formats={4: "#,##0.0000", 5: "#,##0.0000", 6: "#,##0.0000", 7: "#,##0.0000"})
    return write_workbook([sheet], notes=[_("%(year)s年要素保障台账:余量=下达指标-已批准配置(已收回的不计入)。")
                                          % {"year": year}])
