from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touzi.approvals import services
from touzi.approvals.choices import RUNNING, ApprovalState
from touzi.approvals.compliance import violations
from touzi.approvals.forms import ActForm, AddForm, FollowUpForm, OpinionForm, ProfileForm, SessionForm
from touzi.approvals.minutes import minutes_docx
from touzi.approvals.models import ApprovalProfile, ComplianceRule, FollowUp
from touzi.approvals.selectors import (
    applicant_queue,
    as_of,
    figures,
    kinds,
    overdue,
    unit_queue,
    visible_approvals,
    visible_sessions,
)
from touzi.core.http import TouziRequest
from touzi.core.roles import Role
from touzi.core.scoping import Action, can, scope_of
from touzi.lib.errors import BusinessError
from touzi.lib.regions import projects_in
from touzi.monitoring.sets import plan_projects
from touzi.projects.selectors import visible_projects
from touzi.reports.selectors import month_from


def _plan_approvals(request: TouziRequest):
    """The approvals of the current plan's region the user sees (an approving unit: all it handles)."""
    approvals = visible_approvals(request.user)
    if request.plan is not None and scope_of(request.user).role != Role.APPROVER:
        approvals = approvals.filter(projects_in(request.plan.region_code, "project__"))
    return approvals


@login_required
def approval_list(request: TouziRequest) -> HttpResponse:
    if not scope_of(request.user).business:
        raise PermissionDenied
    approvals = _plan_approvals(request)
    state, kind, q = request.GET.get("state", ""), request.GET.get("kind", ""), request.GET.get("q", "").strip()
    today = timezone.localdate()
    if state == "overdue":
        approvals = approvals.filter(state__in=RUNNING, due_on__lt=today)
    elif state in ApprovalState.values:
        approvals = approvals.filter(state=state)
    if kind:
        approvals = approvals.filter(kind__key=kind)
    if q:
        approvals = approvals.filter(Q(project__name__icontains=q) | Q(project__code__icontains=q))
    page = Paginator(approvals.order_by("project__name", "kind__order", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "approvals/list.html", {
        "page": page, "state": state, "kind": kind, "q": q, "states": ApprovalState.choices, "kinds": kinds(),
        "today": today})


@login_required
def queue(request: TouziRequest) -> HttpResponse:
    """待办: the approving unit's queue, and what the owner or agent has to submit or supply."""
    who = scope_of(request.user)
    if not who.business:
        raise PermissionDenied
    return render(request, "approvals/queue.html", {
        "unit_queue": unit_queue(request.user), "applicant_queue": [] if who.role == "approver" else
        applicant_queue(request.user), "today": timezone.localdate()})


def _project(request: TouziRequest, pk: int):
    project = visible_projects(request.user).filter(pk=pk).first()
    if project is None:
        # The agent and the approving unit reach a project through its approvals, not the project list.
        found = visible_approvals(request.user).filter(project_id=pk).select_related("project").first()
        if found is None:
            raise Http404
        project = found.project
    return project


@login_required
def project_approvals(request: TouziRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    profile = ApprovalProfile.objects.filter(project=project).select_related("agent_unit").first()
    changes = can(request.user, project, Action.CHANGE) or scope_of(request.user).is_office
    initial = {"route": profile.route, "eia": profile.eia, "uses_sea": profile.uses_sea,
               "uses_forest": profile.uses_forest, "agent_unit": profile.agent_unit_id,
               "agent_person": profile.agent_person, "agent_phone": profile.agent_phone} if profile else {}
    return render(request, "approvals/project.html", {
        "project": project, "profile": profile, "approvals": visible_approvals(request.user).filter(project=project),
        "can_change": changes, "profile_form": ProfileForm(initial=initial), "add_form": AddForm(),
        "today": timezone.localdate()})


@login_required
@require_POST
def project_setup(request: TouziRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    try:
        if request.POST.get("kind"):
            form = AddForm(request.POST)
            if not form.is_valid():
                raise BusinessError(_("请选择审批事项"))
            services.add_approval(project, form.cleaned_data["kind"],
                                  approving_unit=form.cleaned_data["approving_unit"], actor=request.user)
            messages.success(request, _("已添加审批事项"))
        else:
            created = services.set_up(project, actor=request.user)
            messages.success(request, _("已按规则生成 %(n)s 项审批事项") % {"n": len(created)})
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("approvals-project", pk=project.pk)


@login_required
@require_POST
def project_profile(request: TouziRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容"))
        return redirect("approvals-project", pk=project.pk)
    try:
        services.save_profile(project, actor=request.user, **form.cleaned_data)
        messages.success(request, _("已保存审批设置和代办员"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    return redirect("approvals-project", pk=project.pk)


@login_required
def approval_detail(request: TouziRequest, pk: int) -> HttpResponse:
    approval = get_object_or_404(visible_approvals(request.user), pk=pk)
    return render(request, "approvals/detail.html", {
        "a": approval, "form": ActForm(initial={"on": timezone.localdate(), "version": approval.version,
                                                "approving_unit": approval.approving_unit_id}),
        "is_applicant": services.is_applicant(request.user, approval),
        "is_unit": services.is_approving_unit(request.user, approval),
        "is_office": scope_of(request.user).is_office, "sessions": approval.sessions.all(),
        "today": timezone.localdate()})


@login_required
@require_POST
def approval_act(request: TouziRequest, pk: int) -> HttpResponse:
    approval = get_object_or_404(visible_approvals(request.user), pk=pk)
    form = ActForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("approvals-detail", pk=approval.pk)
    d: dict[str, Any] = form.cleaned_data
    act, on, user, version = d["act"], d["on"], request.user, d["version"]
    try:
        if act == "assign":
            if d["approving_unit"] is None:
                raise BusinessError(_("请选择审批部门"), field="approving_unit")
            services.assign_unit(approval, d["approving_unit"], actor=user, expected_version=version)
        elif act == "submit":
            services.submit(approval, on, actor=user, expected_version=version)
        elif act == "accept":
            services.accept(approval, on, promised_days=d["promised_days"], missing_papers=d["missing_papers"],
                            papers_due_on=d["papers_due_on"], commitment=d["commitment"],
                            commitment_due_on=d["commitment_due_on"], actor=user, expected_version=version)
        elif act == "papers":
            services.supply_papers(approval, on, actor=user, expected_version=version)
        elif act == "decide":
            services.decide(approval, on, d["document_number"], actor=user, expected_version=version)
        elif act == "refuse":
            services.refuse(approval, on, d["reason"], actor=user, expected_version=version)
        elif act == "return":
            services.send_back(approval, d["reason"], actor=user, expected_version=version)
        elif act == "verify":
            services.verify_commitment(approval, on, actor=user, expected_version=version)
        elif act == "exempt":
            services.grant_exemption(approval, d["reason"], actor=user, expected_version=version)
        else:
            raise BusinessError(_("未知操作"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已办理"))
    if request.POST.get("next") == "queue":
        return redirect("approvals-queue")
    return redirect("approvals-detail", pk=approval.pk)


@login_required
def figures_page(request: TouziRequest) -> HttpResponse:
    if not scope_of(request.user).business:
        raise PermissionDenied
    approvals = _plan_approvals(request)
    return render(request, "approvals/figures.html", {
        "by_unit": figures(approvals), "city": figures(approvals, by_unit=False),
        "overdue": overdue(approvals, timezone.localdate())[:200]})


@login_required
def compliance_page(request: TouziRequest) -> HttpResponse:
    if not scope_of(request.user).business or request.plan is None:
        raise Http404
    month = month_from(request)
    found = violations(plan_projects(request.user, request.plan), as_of(month))
    return render(request, "approvals/compliance.html", {
        "violations": found, "rules": ComplianceRule.objects.filter(active=True), "month": month,
        "kinds": kinds()})


# --- sessions ------------------------------------------------------------------------------------------

@login_required
def session_list(request: TouziRequest) -> HttpResponse:
    if not scope_of(request.user).business:
        raise PermissionDenied
    page = Paginator(visible_sessions(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "approvals/sessions.html", {"page": page})


@login_required
def session_new(request: TouziRequest) -> HttpResponse:
    who = scope_of(request.user)
    if not who.business or who.role not in ("plan_office", "approver", "lead_unit", "county"):
        raise PermissionDenied(_("只有领导小组办公室或召集单位可以登记联评联审会议"))
    approvals = visible_approvals(request.user).exclude(state__in=[ApprovalState.DONE, ApprovalState.REFUSED])
    form = SessionForm(request.POST or None, approvals=approvals,
                       initial={"held_on": timezone.localdate(), "kind": "joint"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = services.record_session(kind=d["kind"], title=d["title"], held_on=d["held_on"],
                                              convened_by=d["convened_by"], units=list(d["units"]),
                                              approvals=list(d["approvals"]), decisions=d["decisions"],
                                              actor=request.user)
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("会议已登记"))
            return redirect("approvals-session-detail", pk=session.pk)
    return render(request, "approvals/session_new.html", {"form": form})


@login_required
def session_detail(request: TouziRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(visible_sessions(request.user), pk=pk)
    reviewed = session.approvals.select_related("project", "kind", "approving_unit")
    projects = {a.project_id: a.project for a in reviewed}.values()
    who = scope_of(request.user)
    return render(request, "approvals/session.html", {
        "session": session, "reviewed": reviewed, "opinions": session.opinions.select_related("unit", "project"),
        "follow_ups": session.follow_ups.select_related("owner"), "units": session.units.all(),
        "keeps": who.is_office or session.convened_by_id in who.unit_ids,
        "opinion_form": OpinionForm(projects=projects), "follow_up_form": FollowUpForm(),
        "my_units": who.unit_ids, "today": timezone.localdate()})


@login_required
@require_POST
def session_act(request: TouziRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(visible_sessions(request.user), pk=pk)
    act = request.POST.get("act")
    try:
        if act == "opinion":
            projects = [a.project for a in session.approvals.select_related("project")]
            form = OpinionForm(request.POST, projects=projects)
            if not form.is_valid():
                raise BusinessError(_("请填写单位和意见"))
            project = next((p for p in projects if p.pk == form.cleaned_data["project"]), None)
            services.add_opinion(session, form.cleaned_data["unit"], form.cleaned_data["opinion"], project=project,
                                 actor=request.user)
        elif act == "follow_up":
            follow_up = FollowUpForm(request.POST)
            if not follow_up.is_valid():
                raise BusinessError(_("请填写跟进事项、责任单位和完成时限"))
            services.add_follow_up(session, follow_up.cleaned_data["text"], follow_up.cleaned_data["owner"],
                                   follow_up.cleaned_data["due_on"], actor=request.user)
        elif act == "done":
            item = get_object_or_404(FollowUp, session=session, pk=request.POST.get("item") or 0)
            services.complete_follow_up(item, timezone.localdate(), actor=request.user)
        else:
            raise BusinessError(_("未知操作"))
    except BusinessError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存"))
    return redirect("approvals-session-detail", pk=session.pk)


@login_required
def session_minutes(request: TouziRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(visible_sessions(request.user), pk=pk)
    content = minutes_docx(session)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument."
                                                  "wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename=\"session-{session.pk}.docx\"; " \
                                      f"filename*=UTF-8''{_quote(session.title)}.docx"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text[:60])

