from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.core.http import TouziRequest
from touzi.core.scoping import Action, can, scope
from touzi.lib.errors import BusinessError, Conflict
from touzi.lib.evidence import evidence_response
from touzi.lib.periods import month_of, month_text
from touzi.projects.selectors import visible_projects
from touzi.reports.choices import EDITABLE, ReportStatus, ReturnReason
from touzi.reports.extensions import upload_handlers
from touzi.reports.forms import AdjustmentForm, BulkAcceptForm, CorrectionForm, ReportForm, ReturnForm
from touzi.reports.models import Evidence, MonthlyReport
from touzi.reports.rules import combines_jan_feb_shown
from touzi.reports.selectors import (
    month_from,
    month_overview,
    report_list,
    visible_reports,
    with_review_context,
)
from touzi.reports.services import (
    accept_clean,
    accept_report,
    add_evidence,
    adjust,
    is_locked,
    lock_month,
    report_month,
    return_report,
)
from touzi.units.choices import UnitKind
from touzi.units.models import Unit


@login_required
def report_list_view(request: TouziRequest) -> HttpResponse:
    review = request.GET.get("review") == "1"
    month = month_from(request) if request.GET.get("month") or not review else None
    status = request.GET.get("status", ReportStatus.SUBMITTED if review else "")
    reports = report_list(request.user, month=month, status=status, county=request.GET.get("county", ""),
                          q=(request.GET.get("q") or "").strip(), review_queue=review)
    if review:
        reports = with_review_context(reports)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "reports/list.html", {
        "return_reasons": ReturnReason.choices,
        "page": page, "month": month, "status": status, "review": review, "statuses": ReportStatus.choices,
        "county": request.GET.get("county", ""), "q": request.GET.get("q", ""),
        "counties": Unit.objects.filter(kind__in=[UnitKind.COUNTY, UnitKind.PARK]).order_by("kind", "division_code"),
        "can_review": request.user.has_perm("reports.review_monthlyreport"),
    })


def _save_evidence(request: TouziRequest, report: MonthlyReport, files: list, data: dict | None = None) -> None:
    for upload in files:
        add_evidence(report, upload, actor=request.user)
    for handler in upload_handlers():  # the progress photos (touzi.reports.extensions)
        handler.save(report, (data or {}).get(handler.field) or [], request.user)  # also re-checks its flags


@login_required
@permission_required("reports.add_monthlyreport", raise_exception=True)
def report_create(request: TouziRequest) -> HttpResponse:
    projects = visible_projects(request.user, Action.CHANGE).exclude(stage__in=["reserve", "cancelled"]).order_by(
        "name")
    initial = {"project": request.GET.get("project"), "month": month_from(request)}
    form = ReportForm(request.POST or None, request.FILES or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = get_object_or_404(projects, pk=data["project"])
        try:
            with transaction.atomic():  # the figure and its evidence stand or fall together
                report = report_month(project, data["month"].replace(day=1), data["amount"],
                                      progress=data["progress"], problems=data["problems"],
                                      actor=request.user, must_be_new=True)
                _save_evidence(request, report, data["evidence"], data)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("月报已报送,等待统计局审核"))
            return redirect("report-detail", pk=report.pk)
    return render(request, "reports/form.html", {"form": form})


@login_required
def report_detail(request: TouziRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(visible_reports(request.user).select_related("project", "submitted_by",
                                                                           "reviewed_by"), pk=pk)
    can_correct = (report.status in EDITABLE and not is_locked(report.month)
                   and can(request.user, report, Action.CHANGE))
    form = CorrectionForm(request.POST or None, request.FILES or None, initial={
        "amount": report.amount, "progress": report.progress, "problems": report.problems,
        "version": report.version})
    status = 200
    if request.method == "POST" and can_correct and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                report = report_month(report.project, report.month, data["amount"], progress=data["progress"],
                                      problems=data["problems"], actor=request.user,
                                      expected_version=data["version"])
                _save_evidence(request, report, data["evidence"], data)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 409 if isinstance(exc, Conflict) else 200
        else:
            messages.success(request, _("月报已更正并重新报送"))
            return redirect("report-detail", pk=report.pk)
    return render(request, "reports/detail.html", {
        "report": report, "form": form, "can_correct": can_correct,
        "can_review": report.status == ReportStatus.SUBMITTED and can(request.user, report, Action.REVIEW),
        "return_form": ReturnForm(), "evidence": report.evidence.all(), "return_reasons": ReturnReason.choices,
        "extra_templates": [h.detail_template for h in upload_handlers() if h.detail_template],
    }, status=status)


@login_required
@require_POST
def report_review(request: TouziRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(visible_reports(request.user, Action.REVIEW), pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            accept_report(report, actor=request.user)
            messages.success(request, _("已审核通过"))
        else:
            return_report(report, _return_reason(request), actor=request.user)
            messages.success(request, _("已退回填报单位"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("report-detail", pk=pk)


def _return_reason(request: TouziRequest) -> str:
    """The reason picked from the list (ReturnReason), with the reviewer's own words after it."""
    picked = request.POST.get("reason_code", "")
    words = (request.POST.get("reason") or "").strip()
    if picked in ReturnReason.values and picked != ReturnReason.OTHER:
        label = str(ReturnReason(picked).label)
        return f"{label}:{words}" if words else label
    return words


@login_required
@require_POST
@permission_required("reports.review_monthlyreport", raise_exception=True)
def report_bulk_accept(request: TouziRequest) -> HttpResponse:
    """批量审核: the ticked clean reports accepted at once, after one confirmation; flagged ones are left."""
    reviewable = visible_reports(request.user, Action.REVIEW).filter(status=ReportStatus.SUBMITTED)
    wanted = [int(v) for v in request.POST.getlist("reports") if v.isdigit()]
    ids = list(reviewable.filter(pk__in=wanted).values_list("pk", flat=True))
    form = BulkAcceptForm(request.POST, ids=ids)
    if not form.is_valid() or not ids:
        messages.error(request, _("请勾选要审核通过的月报并确认"))
    else:
        try:
            accepted, skipped = accept_clean(list(reviewable.filter(pk__in=ids)), actor=request.user)
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已批量审核通过 %(n)d 份月报") % {"n": len(accepted)})
            if skipped:
                messages.warning(request, _("%(n)d 份月报有提示或已锁定,未审核,请逐份查看") % {"n": len(skipped)})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(f"{reverse('report-list')}?review=1")


@login_required
def evidence_download(request: TouziRequest, pk: int) -> FileResponse:
    item = get_object_or_404(scope(request.user, Evidence.objects.all()), pk=pk)
    return evidence_response(item.file, content_type=item.content_type, name=item.original_name)


@login_required
def months(request: TouziRequest) -> HttpResponse:
    return render(request, "reports/months.html", {
        "rows": month_overview(request.user, 15), "can_lock": request.user.has_perm("reports.add_monthlock")})


@login_required
@require_POST
@permission_required("reports.add_monthlock", raise_exception=True)
def month_lock(request: TouziRequest) -> HttpResponse:
    try:
        month = month_of(request.POST.get("month", ""))
        lock_month(month, actor=request.user)
        messages.success(request, _("%(month)s 已锁定") % {
            "month": month_text(month, combined=combines_jan_feb_shown(month.year))})
    except ValueError as exc:
        messages.error(request, str(exc))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("report-months")


@login_required
def adjustment_create(request: TouziRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(visible_projects(request.user, Action.CHANGE), pk=project_pk)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            adjust(project, data["month"].replace(day=1), data["delta"], data["reason"], actor=request.user)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("调整已记录"))
            return redirect("project-detail", pk=project.pk)
    return render(request, "reports/adjustment.html", {"form": form, "project": project})


