"""The register as Excel: one row per agreement, funds arrived summed in the database."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from touzi.lib.xlsx import SheetSpec, write_workbook
from touzi.promotion.choices import AgreementState, FundsStatus, InvestorKind, ThreeEnterprises
from touzi.promotion.models import Agreement


def register_workbook(agreements: QuerySet[Agreement]) -> bytes:
    rows_qs = (agreements.order_by("signed_on", "code")
               .annotate(arrived=Sum("funds__total", filter=Q(funds__status=FundsStatus.ACCEPTED)))
               .values_list("code", "name", "investor", "investor_kind", "investor_region", "investor_country",
                            "three_enterprises", "sector", "signed_on", "event__name", "currency", "agreed_usd",
                            "agreed_investment", "county__short_name", "park__short_name", "unit__short_name",
                            "due_start", "due_production", "state", "project__code", "arrived",
                            "termination_reason"))
    kinds, states, three = dict(InvestorKind.choices), dict(AgreementState.choices), dict(ThreeEnterprises.choices)
    rows = []
    for found in rows_qs.iterator(chunk_size=2000):
        r: list[Any] = list(found)
        r[3], r[6], r[18] = str(kinds.get(r[3], r[3])), str(three.get(r[6], "")) if r[6] else "", str(states[r[18]])
        rows.append(["" if v is None else v for v in r])
    sheet = SheetSpec(title=_("招商签约项目"), rows=rows, number_formats={11: "#,##0.00", 12: "#,##0.00",
                                                                          20: "#,##0.00"}, headers=[
        _("签约编号"), _("项目名称"), _("投资方"), _("投资方类型"), _("来源地区"), _("来源国家/地区"), _("三企入桂"),
        _("行业(GB/T 4754)"), _("签约日期"), _("签约活动"), _("币种"), _("协议投资(万美元)"), _("协议投资(万元)"),
        _("县区"), _("园区"), _("责任单位"), _("约定开工日期"), _("约定投产日期"), _("状态"), _("落地项目代码"),
        _("已审核到位资金(万元)"), _("终止原因")])
    return write_workbook([sheet], notes=[_("到位资金为已审核的月报合计;落地项目的完成投资另见项目库,二者不相加。")])
