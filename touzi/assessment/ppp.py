"""The plan's PPP performance rewards (每年对获得自治区PPP工作绩效考评通报表扬的县区 … 奖励40万元 … 300万元额度),
computed from the financing module's PPP records and the region's list of commended counties in the plan file.

Per assessed unit, from `touzi.financing.models.PPPProject` (one conditional aggregate, like the indicators): the
PPP projects added to the pipeline in the year and the year before (count and size, 新入库数量和入库规模), the
joint reviews (联审) held January to the month, and the projects in 执行 or 移交 by then. The reward: each unit on
the region's list for the year (`ppp_rewards.commended`) gets `fiscal` 万元 and `bond_quota` 万元 of bond quota.
Whatever is absent is named in `missing`; the reward is measurable only when the list for the year is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from touzi.assessment.period import Period
from touzi.assessment.schema import PppRewards
from touzi.assessment.sources import _per_unit, plan_projects, project_units
from touzi.financing.choices import PPPStage
from touzi.financing.models import PPPProject
from touzi.plans.models import Plan
from touzi.units.models import Unit


def _money(value: Decimal | int) -> float:
    return float(Decimal(value))


def ppp_figures(plan: Plan, units: Sequence[Unit], period: Period) -> dict[int, dict[str, Any]]:
    """{unit id: figures} from the PPP records of the plan's projects."""
    year = period.year
    qs = PPPProject.objects.filter(project__in=plan_projects(plan))
    return _per_unit(
        qs, units, project_units("project__"),
        records=(Count, "pk", Q(added_year__lte=year)),
        added=(Count, "pk", Q(added_year=year)),
        added_investment=(Sum, "investment", Q(added_year=year)),
        added_before=(Count, "pk", Q(added_year=year - 1)),
        added_investment_before=(Sum, "investment", Q(added_year=year - 1)),
        joint_reviews=(Count, "pk", Q(joint_review_on__gte=period.first, joint_review_on__lte=period.as_of)),
        executing=(Count, "pk", Q(added_year__lte=year, stage__in=[PPPStage.EXECUTE, PPPStage.HANDOVER])),
    )


def ppp_rewards(plan: Plan, rules: PppRewards | None, units: Sequence[Unit], period: Period) -> dict[str, Any]:
    """The rewards section of an assessment (JSON-ready); docs/assessment.md#ppp-performance-rewards."""
    if rules is None:
        return {"measurable": False, "rules": None, "missing": [_("考核方案中的PPP工作绩效奖励规则(ppp_rewards)")],
                "note": _("不可测算:本考核方案未规定PPP工作绩效奖励"), "units": [], "total": None}
    figures = ppp_figures(plan, units, period)
    missing: list[str] = []
    if not any(f["records"] for f in figures.values()):
        missing.append(_("考核对象的PPP项目记录(投融资模块:入库、阶段、联审)"))
    commended = rules.commended.get(period.year)
    if commended is None:
        missing.append(_("%(year)s年度自治区PPP工作绩效考评通报表扬的县区名单(行动方案文件 ppp_rewards.commended)")
                       % {"year": period.year})
    rows = []
    for unit in units:
        f = figures[unit.pk]
        added, before = f["added"], f["added_before"]
        size, size_before = Decimal(f["added_investment"]), Decimal(f["added_investment_before"])
        on_list = None if commended is None else unit.key in commended
        rows.append({
            "unit": unit.label, "unit_key": unit.key, "ppp_projects": f["records"],
            "added": added, "added_investment": _money(size),
            "added_previous": before, "added_investment_previous": _money(size_before),
            "growing": added > before and size > size_before,
            "joint_reviews": f["joint_reviews"], "executing": f["executing"],
            "commended": on_list,
            "fiscal": None if on_list is None else _money(rules.fiscal if on_list else 0),
            "bond_quota": None if on_list is None else _money(rules.bond_quota if on_list else 0),
        })
    measurable = commended is not None
    total = None
    if measurable:
        count = sum(1 for r in rows if r["commended"])
        total = {"commended": count, "fiscal": _money(rules.fiscal * count),
                 "bond_quota": _money(rules.bond_quota * count)}
        note = _("%(n)s个县区获自治区通报表扬,市级财政奖励共%(fiscal)s万元,专项债券额度倾斜共%(quota)s万元") % {
            "n": count, "fiscal": f"{rules.fiscal * count:f}", "quota": f"{rules.bond_quota * count:f}"}
    else:
        note = _("不可测算:奖励按自治区通报表扬名单发放,所缺数据见下")
    return {"measurable": measurable,
            "rules": {"fiscal": _money(rules.fiscal), "bond_quota": _money(rules.bond_quota), "quote": rules.quote},
            "missing": missing, "note": note, "units": rows, "total": total}
