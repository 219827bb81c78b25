"""The concepts as Excel: one row per concept with its screening and the reserve project it became."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from touzi.lib.xlsx import SheetSpec, write_workbook
from touzi.pipeline.choices import ConceptStatus
from touzi.pipeline.models import Concept


def concepts_workbook(concepts: QuerySet[Concept]) -> bytes:
    found = (concepts.order_by("proposed_on", "code")
             .values_list("code", "name", "county__short_name", "domain__name", "place", "estimated_investment",
                          "proposer__short_name", "proposed_on", "planned_start", "is_government", "status",
                          "maturity", "screened_on", "screening_note", "project__name"))
    statuses = dict(ConceptStatus.choices)
    rows = []
    for values in found.iterator(chunk_size=2000):
        r: list[Any] = list(values)
        r[9] = _("是") if r[9] else _("否")
        r[10] = str(statuses.get(r[10], r[10]))
        rows.append(["" if v is None else v for v in r])
    sheet = SheetSpec(title=_("谋划项目"), rows=rows, number_formats={5: "#,##0.00"}, headers=[
        _("谋划编号"), _("项目名称"), _("县区"), _("所属领域"), _("建设地点"), _("估算总投资(万元)"), _("提出单位"),
        _("提出日期"), _("设想开工年月"), _("政府投资项目"), _("筛选结果"), _("成熟度"), _("筛选日期"), _("筛选意见"),
        _("储备项目")])
    return write_workbook([sheet], notes=[_("成熟度 = 100 × Σ(权重 × 评分) ÷ (2 × Σ权重),指标与权重见 pipeline.yaml。")])
