from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from touzi.accounts.choices import Role
from touzi.core.http import TouziRequest
from touzi.core.scoping import scope_of
from touzi.imports.views_export import xlsx_response
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.monitoring.bank import bank_home
from touzi.monitoring.cache import dashboard_for, dashboard_page, rendered_figures
from touzi.monitoring.exports import TABLES, export_table
from touzi.monitoring.models import MonitoringSettings
from touzi.monitoring.periods import reporting_month, step
from touzi.monitoring.presenters import LEVEL_CLASS, STATUS_CLASS, chart_data
from touzi.monitoring.rows import indicator_values, target_rows
from touzi.monitoring.services import save_settings
from touzi.plans.models import Plan
from touzi.plans.selectors import targets_for
from touzi.reports.selectors import default_month


def _month(request: TouziRequest) -> dt.date:
    try:
        return reporting_month(month_of(request.GET.get("month", "")))
    except ValueError:
        return reporting_month(default_month())


def _plan(request: TouziRequest) -> Plan:
    if not scope_of(request.user).business:
        raise PermissionDenied(_("系统管理员、安全管理员和审计管理员不查看业务数据"))
    if request.plan is None:
        raise Http404(_("没有可查看的行动方案"))
    return request.plan


@login_required
def dashboard(request: TouziRequest) -> HttpResponse:
    """The first page after sign-in: the plan's figures for the user's scope, for a month."""
    if not scope_of(request.user).business:
        return render(request, "monitoring/admin_home.html")
    plan = request.plan
    if plan is None:
        return render(request, "core/home.html", {"plan": None})
    month = _month(request)
    if request.user.role == Role.BANK:
        return bank_home(request, plan, month)
    key, board, alert_total, alert_counts = dashboard_page(request.user, plan, month)
    context = {
        "board": board, "month": month, "status_class": STATUS_CLASS,
        "level_class": LEVEL_CLASS, "alerts": board.alerts[:30], "alert_total": alert_total,
        "alert_counts": alert_counts,
        "previous_month": step(month, -1), "next_month": step(month, 1),
        "can_supervise": scope_of(request.user).is_office, "supervised": _supervised(board.alerts[:30], month),
    }
    # The figures (cards, charts, tables) are the same for everyone of the scope: rendered once per version,
    # from the full board (the page's entry leaves them out). The warnings table stays per request (its 督办
    # forms carry the user's CSRF token).
    def figures() -> str:
        full = dashboard_for(request.user, plan, month) if key else board
        return render_to_string("monitoring/_dashboard_figures.html",
                                {**context, "board": full, "charts": chart_data(full)}, request)

    context["figures_html"] = rendered_figures(key, figures)
    return render(request, "monitoring/dashboard.html", context)


@login_required
def export(request: TouziRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    plan = _plan(request)
    month = _month(request)
    board = dashboard_for(request.user, plan, month, with_alerts=table == "warnings")
    if table == "city" and board.area != "city":
        raise Http404  # only a province's plan has its cities
    return xlsx_response(export_table(board, table), f"{table}-{month:%Y-%m}.xlsx")


@login_required
def target_detail(request: TouziRequest, key: str) -> HttpResponse:
    """数出有据: a target's figure opened down to the rows behind it, which add up to it (see monitoring/rows.py)."""
    plan = _plan(request)
    target = get_object_or_404(targets_for(request.user, plan), key=key)
    month = _month(request)
    found = target_rows(plan, month, target, request.user)
    figure = found.figure
    context = {"target": target, "figure": figure, "month": month, "status_class": STATUS_CLASS, "found": found}
    if found.kind in ("projects", "growth"):
        context["page"] = Paginator(found.rows, 50).get_page(request.GET.get("page"))
        context["shown_total"] = sum((Decimal(r["value"]) for r in found.rows), Decimal(0))
        if found.kind == "growth":
            context["shown_previous"] = sum((Decimal(r["previous"]) for r in found.rows), Decimal(0))
    elif found.kind == "indicator":
        context["values"] = indicator_values(target, figure.window, request.user)
    return render(request, "monitoring/target.html", context)


@login_required
def warnings(request: TouziRequest) -> HttpResponse:
    plan = _plan(request)
    month = _month(request)
    board = dashboard_for(request.user, plan, month)
    kind, level = request.GET.get("kind", ""), request.GET.get("level", "")
    found: Any
    if board.alerts_complete:
        found = board.alerts
        if kind:
            found = [a for a in found if a.kind == kind]
        if level:
            found = [a for a in found if a.level == level]
    else:  # a large portfolio's warnings: counted in the database, each page read from it
        found = _AlertPages(request.user, plan, month, board.alert_summary, kind, level)
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    from touzi.monitoring.choices import Level, WarningKind
    from touzi.monitoring.extensions import alerts_by_source, other_choices

    # Beside the project warnings: those other apps register (promotion agreements: touzi/promotion/warnings.py;
    # the factor ledgers: touzi/factors/warnings.py), each listed by its own template.
    on_agreements, other_sections = [], []
    for source, found_there in alerts_by_source(request.user, month, plan=plan):
        kept = [a for a in found_there if (not kind or a.kind == kind) and (not level or a.level == level)]
        if source.template:
            other_sections.append((source.template, kept))
        else:
            on_agreements += kept
    return render(request, "monitoring/warnings.html", {
        "agreement_alerts": on_agreements, "other_sections": other_sections, "kinds": WarningKind.choices + other_choices(),
        "page": page, "month": month, "levels": Level.choices, "kind": kind,
        "level": level, "level_class": LEVEL_CLASS, "counts": board.alert_counts, "total": board.alert_total,
        "can_supervise": scope_of(request.user).is_office,
        "supervised": _supervised([*page, *on_agreements], month)})


class _AlertPages:
    """The warnings of a large portfolio as the paginator sees a list: its length from the counts, each slice
    read from the database (touzi.monitoring.alerts.alert_page)."""

    def __init__(self, user: Any, plan: Any, month: dt.date, counts: Any, kind: str, level: str) -> None:
        self.args, self.counts, self.kind, self.level = (user, plan, month), counts, kind, level

    def __len__(self) -> int:
        return sum(n for (lvl, k), n in self.counts.by_group.items()
                   if (not self.kind or k == self.kind) and (not self.level or lvl == self.level))

    def __getitem__(self, window: slice) -> list[Any]:
        from touzi.monitoring.alerts import alert_page

        start, stop = window.start or 0, window.stop if window.stop is not None else len(self)
        return alert_page(*self.args, self.counts, start, max(0, stop - start),
                          kinds={self.kind} if self.kind else None, level=self.level)


def _supervised(alerts: list[Any], month: dt.date) -> dict[str, int]:
    """The open supervision task of each warning that has one (touzi.monitoring.extensions)."""
    from touzi.monitoring.extensions import supervised

    return supervised([f"{a.key}:{month:%Y-%m}" for a in alerts])


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MonitoringSettings
        fields = ["yellow_ratio", "red_ratio", "project_yellow_ratio", "project_red_ratio", "report_deadline_day",
                  "late_red_months"]


@login_required
def monitoring_settings(request: TouziRequest) -> HttpResponse:
    plan = _plan(request)
    can_change = scope_of(request.user).is_office
    current = MonitoringSettings.objects.filter(plan=plan).first() or MonitoringSettings(plan=plan)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("只有领导小组办公室可以设置监测参数"))
        if form.is_valid():
            try:
                save_settings(plan, form.cleaned_data, actor=request.user)
            except BusinessError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("监测参数已保存"))
                return redirect("monitoring-settings")
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "monitoring/settings.html", {"form": form, "can_change": can_change, "plan": plan})


