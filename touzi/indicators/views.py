from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from touzi.core.http import TouziRequest
from touzi.core.scoping import Action, can, scope
from touzi.indicators.forms import ValueForm
from touzi.indicators.models import IndicatorValue
from touzi.indicators.services import enter_value
from touzi.lib.errors import BusinessError
from touzi.lib.evidence import evidence_response
from touzi.plans.models import Indicator


def _indicators(request: TouziRequest):
    qs = scope(request.user, Indicator.objects.all())
    return qs.filter(plan=request.plan) if request.plan is not None else qs.none()


@login_required
def indicator_list(request: TouziRequest) -> HttpResponse:
    indicators = list(_indicators(request).select_related("reported_by").order_by("order"))
    # The latest value of each indicator: a handful of indicators, each with a few dozen months at most.
    latest: dict[int, IndicatorValue] = {}
    whole = IndicatorValue.objects.filter(indicator__in=indicators, county__isnull=True, domain__isnull=True)
    for value in scope(request.user, whole).order_by(
            "indicator_id", "-month"):
        latest.setdefault(value.indicator_id, value)
    mine = set(scope(request.user, Indicator.objects.filter(pk__in=[i.pk for i in indicators]), Action.CHANGE)
               .values_list("pk", flat=True))
    rows = [(i, latest.get(i.pk), i.pk in mine) for i in indicators]
    return render(request, "indicators/list.html", {"rows": rows})


@login_required
def indicator_detail(request: TouziRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(_indicators(request).select_related("reported_by"), pk=pk)
    can_enter = can(request.user, indicator, Action.CHANGE)
    form = ValueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and can_enter and form.is_valid():
        data = form.cleaned_data
        try:
            enter_value(indicator, data["month"].replace(day=1), data["value"], source=data["source"],
                        note=data["note"], evidence=data["evidence"], reason=data["reason"], actor=request.user,
                        county=data.get("county"))
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已保存"))
            return redirect("indicator-detail", pk=indicator.pk)
    values = scope(request.user, IndicatorValue.objects.filter(indicator=indicator)).select_related(
        "entered_by", "county", "domain").order_by("-month", "county__division_code")
    return render(request, "indicators/detail.html", {"indicator": indicator, "values": values, "form": form,
                                                      "can_enter": can_enter})


@login_required
def evidence(request: TouziRequest, pk: int) -> FileResponse:
    item = get_object_or_404(scope(request.user, IndicatorValue.objects.exclude(evidence="")), pk=pk)
    return evidence_response(item.evidence, content_type=item.evidence_type, name=item.evidence_name)
