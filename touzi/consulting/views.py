"""Pages of the consulting register: the year's evaluation list (评价结果) and a firm's engagements and deviations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.consulting.choices import Grade, Stage
from touzi.consulting.exports import evaluation_workbook
from touzi.consulting.figures import TOLERANCE, firm_years
from touzi.consulting.models import Engagement, Evaluation, Firm
from touzi.consulting.services import publish_evaluation
from touzi.core.http import TouziRequest
from touzi.core.roles import Role
from touzi.core.scoping import scope, scope_of
from touzi.projects.selectors import visible_projects


def _business(request: TouziRequest) -> None:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("您没有查看工程咨询单位评价的权限"))


def _year(request: TouziRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    return year if 1990 <= year <= 2100 else today.year


@login_required
def evaluation_list(request: TouziRequest) -> HttpResponse:
    _business(request)
    year = _year(request)
    projects = visible_projects(request.user)
    firms = firm_years(year, projects=projects, firms=scope(request.user, Firm.objects.all()))
    published = {e.firm_id: e for e in scope(request.user, Evaluation.objects.filter(year=year))}
    return render(request, "consulting/list.html", {
        "year": year, "firms": [(f, published.get(f.firm.pk)) for f in firms], "tolerance": TOLERANCE,
        "grades": Grade, "may_publish": scope_of(request.user).role == Role.PLAN_OFFICE,
        "years": range(year - 3, year + 2)})


@login_required
def firm_detail(request: TouziRequest, pk: int) -> HttpResponse:
    _business(request)
    firm = get_object_or_404(scope(request.user, Firm.objects.all()), pk=pk)
    year = _year(request)
    projects = visible_projects(request.user)
    entry = next(iter(firm_years(year, projects=projects, firms=Firm.objects.filter(pk=pk))), None)
    engagements = scope(request.user, Engagement.objects.filter(firm=firm)).select_related("project")
    return render(request, "consulting/firm.html", {
        "firm": firm, "year": year, "entry": entry, "engagements": engagements.order_by("-contracted_on")[:300],
        "stages": dict(Stage.choices), "evaluations": firm.evaluations.order_by("-year")})


@login_required
@require_POST
def publish(request: TouziRequest) -> HttpResponse:
    _business(request)
    if scope_of(request.user).role != Role.PLAN_OFFICE:
        raise PermissionDenied(_("只有行动方案办公室可以发布评价结果"))
    year = _year(request)
    found = publish_evaluation(year, actor=request.user)
    messages.success(request, _("已发布 %(n)s 家咨询单位的评价结果") % {"n": len(found)})
    return redirect(f"{reverse('consulting-list')}?year={year}")


@login_required
def export(request: TouziRequest) -> HttpResponse:
    _business(request)
    year = _year(request)
    firms = firm_years(year, projects=visible_projects(request.user), firms=scope(request.user, Firm.objects.all()))
    response = HttpResponse(evaluation_workbook(year, firms),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''consulting-{year}.xlsx"
    return response
