"""Pages of the assessment: the monthly scoreboard, a unit's breakdown with the records behind each point, the
data quality by unit and month, the office's manual adjustment, and the year-end report (.docx / .xlsx)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.assessment.choices import DeductionSource, Source
from touzi.assessment.engine import Assessment, assess
from touzi.assessment.forms import AdjustmentForm
from touzi.assessment.models import AssessmentScheme
from touzi.assessment.period import Period
from touzi.assessment.quality import PER_CORRECTION, WEIGHTS, quality_by_month, quality_pooled
from touzi.assessment.report import report_docx, report_xlsx
from touzi.assessment.scoping import visible_unit_ids
from touzi.assessment.selectors import may_adjust, visible_adjustments, visible_schemes
from touzi.assessment.services import add_adjustment
from touzi.assessment.sources import records
from touzi.core.http import TouziRequest
from touzi.core.scoping import scope_of
from touzi.lib.errors import BusinessError
from touzi.plans.models import Plan
from touzi.units.models import Unit

LABELS = {**dict(Source.choices), **dict(DeductionSource.choices)}


def _business(request: TouziRequest) -> Plan:
    if not scope_of(request.user).business or request.plan is None:
        raise PermissionDenied(_("您没有查看考核结果的权限"))
    return request.plan


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return number if low <= number <= high else default


def _period(request: TouziRequest) -> Period:
    plan = _business(request)
    today = timezone.localdate()
    default_year = min(max(today.year, plan.start_year), plan.end_year)
    year = _int(request.GET.get("year"), default_year, plan.start_year, plan.end_year)
    default_month = today.month if year == today.year else 12
    return Period(year, _int(request.GET.get("month"), default_month, 1, 12))


def _scheme(request: TouziRequest, key: str | None, period: Period) -> AssessmentScheme:
    schemes = [s for s in visible_schemes(request.user, _business(request)) if period.year in s.years]
    found = next((s for s in schemes if s.key == key), None) if key else (schemes[0] if schemes else None)
    if found is None:
        raise Http404(_("没有这个考核方案"))
    return found


def _visible(request: TouziRequest, result: Assessment) -> set[int]:
    return visible_unit_ids(request.user, set(result.units))


@login_required
def scoreboard(request: TouziRequest) -> HttpResponse:
    plan = _business(request)
    period = _period(request)
    schemes = [s for s in visible_schemes(request.user, plan) if period.year in s.years]
    context: dict[str, Any] = {"period": period, "schemes": schemes, "years": list(plan.years),
                               "months": range(1, 13)}
    if schemes:
        scheme = _scheme(request, request.GET.get("scheme"), period)
        result = assess(scheme, period)
        visible = _visible(request, result)
        names = result.names()
        context.update(scheme=scheme, result=result, ppp=result.ppp(),
                       headers=[(names[i.key], i.weight) for i in result.spec.indicators],
                       rows=[(s, result.units[s.unit]) for s in result.scores if s.unit in visible],
                       sees_all=visible == set(result.units), may_adjust=may_adjust(request.user, scheme),
                       form=AdjustmentForm())
        context["form"].fields["unit"].choices = [(u.pk, u.label) for u in result.units.values()]
    return render(request, "assessment/scoreboard.html", context)


def _unit(request: TouziRequest, result: Assessment, unit_key: str) -> Unit:
    unit = next((u for u in result.units.values() if u.key == unit_key), None)
    if unit is None or unit.pk not in _visible(request, result):
        raise Http404(_("没有这个考核对象"))
    return unit


@login_required
def unit_breakdown(request: TouziRequest, scheme: str, unit: str) -> HttpResponse:
    _business(request)
    period = _period(request)
    result = assess(_scheme(request, scheme, period), period)
    found = _unit(request, result, unit)
    score = next(s for s in result.scores if s.unit == found.pk)
    indicators = {i.key: i for i in result.spec.indicators}
    names = result.names()
    parts = [(p, indicators[p.indicator], LABELS[str(indicators[p.indicator].source)], names[p.indicator])
             for p in score.parts]
    return render(request, "assessment/unit.html", {
        "period": period, "scheme": result.scheme, "result": result, "unit": found, "score": score,
        "parts": parts, "count": len(result.scores),
        "bonus": [(names[b["indicator"]], b) for b in score.bonus_items],
        "deductions": [(LABELS[d["source"]], d) for d in score.deduction_items],
        "adjustments": visible_adjustments(request.user, result.scheme, period.year).filter(unit=found)})


@login_required
def unit_records(request: TouziRequest, scheme: str, unit: str, source: str) -> HttpResponse:
    _business(request)
    if source not in LABELS:
        raise Http404(_("没有这项指标"))
    period = _period(request)
    found_scheme = _scheme(request, scheme, period)
    result_units = {u.pk for u in found_scheme.units.all()}
    found = Unit.objects.filter(key=unit, pk__in=visible_unit_ids(request.user, result_units)).first()
    if found is None:
        raise Http404(_("没有这个考核对象"))
    rows = records(source, found_scheme.plan, found, period)
    return render(request, "assessment/records.html", {
        "period": period, "scheme": found_scheme, "unit": found, "source": source, "label": LABELS[source],
        "rows": rows})


@login_required
def quality(request: TouziRequest) -> HttpResponse:
    plan = _business(request)
    period = _period(request)
    schemes = [s for s in visible_schemes(request.user, plan) if period.year in s.years]
    unit_ids: set[int] = set()
    for s in schemes:
        unit_ids |= set(s.units.values_list("pk", flat=True))
    units = list(Unit.objects.filter(pk__in=visible_unit_ids(request.user, unit_ids)).order_by("pk"))
    months = quality_by_month(plan, units, period)
    pooled = quality_pooled(plan, units, period)
    rows = [(u, pooled[u.pk], [months.get((u.pk, m)) for m in range(1, period.month + 1)]) for u in units]
    return render(request, "assessment/quality.html", {
        "period": period, "rows": rows, "months": range(1, period.month + 1), "years": list(plan.years),
        "weights": WEIGHTS, "per_correction": PER_CORRECTION})


@login_required
@require_POST
def adjust(request: TouziRequest, scheme: str) -> HttpResponse:
    _business(request)
    period = _period(request)
    found = _scheme(request, scheme, period)
    if not may_adjust(request.user, found):
        raise PermissionDenied(_("只有行动方案办公室可以调整考核得分"))
    form = AdjustmentForm(request.POST)
    unit_field = form.fields["unit"]
    assert isinstance(unit_field, forms.ChoiceField)
    unit_field.choices = [(u.pk, u.label) for u in found.units.all()]
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_adjustment(found, Unit.objects.get(pk=data["unit"]), year=period.year, points=data["points"],
                           reason=data["reason"], month=data["month"], document=data["document"],
                           actor=request.user)
            messages.success(request, _("人工调整已记录"))
        except BusinessError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(f"{reverse('assessment-scoreboard')}?scheme={found.key}&year={period.year}&month={period.month}")


@login_required
def report_file(request: TouziRequest, scheme: str, kind: str) -> HttpResponse:
    _business(request)
    period = _period(request)
    result = assess(_scheme(request, scheme, period), period)
    if _visible(request, result) != set(result.units):
        raise PermissionDenied(_("考核通报由行动方案办公室等可查看全部单位的角色导出"))
    name = f"assessment-{result.scheme.key}-{period.year}"
    if kind == "docx":
        response = HttpResponse(report_docx(result), content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    elif kind == "xlsx":
        response = HttpResponse(report_xlsx(result),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404(_("没有这种格式"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}.{kind}"
    return response
