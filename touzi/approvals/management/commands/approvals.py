"""`touzi approvals --period YYYY-MM [--overdue] [--plan KEY] [--format json|text]`: the approvals running at
the end of the month (or today while it runs), with their due dates; --overdue keeps those past their time
limit, with the working days they are overdue by."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from touzi.approvals.choices import RUNNING
from touzi.approvals.models import Approval
from touzi.approvals.selectors import as_of, overdue
from touzi.approvals.workdays import workdays_between
from touzi.core.actor import System
from touzi.lib.periods import month_of
from touzi.monitoring.sets import plan_projects
from touzi.plans.models import Plan


def month_and_plan(options: dict[str, Any]) -> tuple[Any, Plan]:
    try:
        month = month_of(options["period"])
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    key = options["plan_key"] or settings.DEFAULT_PLAN_KEY
    plan = Plan.objects.filter(key=key).first()
    if plan is None:
        raise CommandError(f"没有方案 {key}")
    return month, plan


class Command(BaseCommand):
    help = "输出某月末在办的审批事项及其办理期限;--overdue 只列超过办理时限的(按工作日计)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--overdue", action="store_true", help="只列超过办理时限的审批事项")
        parser.add_argument("--plan", dest="plan_key", default=None)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        month, plan = month_and_plan(options)
        on = as_of(month)
        approvals = Approval.objects.filter(project__in=plan_projects(System("command: touzi approvals"), plan).values("id"))
        if options["overdue"]:
            rows = [{"project": o.project, "kind": o.kind, "unit": o.unit, "due": o.due.isoformat(),
                     "days_overdue": o.days_overdue} for o in overdue(approvals, on)]
        else:
            rows = [{"project": code, "kind": kind, "unit": short or name or "", "due": due.isoformat(),
                     "days_overdue": workdays_between(due, on)}
                    for code, kind, short, name, due in approvals.filter(state__in=RUNNING, due_on__isnull=False)
                    .order_by("due_on", "pk").values_list("project__code", "kind__key", "approving_unit__short_name",
                                                          "approving_unit__name", "due_on")
                    if due is not None]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"approvals": rows}, ensure_ascii=False, indent=2))
            return
        for r in rows:
            late = f",超期 {r['days_overdue']} 个工作日" if r["days_overdue"] else ""
            self.stdout.write(f"{r['project'] or '—'} {r['kind']}({r['unit']}):{r['due']} 到期{late}")
