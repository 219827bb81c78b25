"""`touzi supervision list|raise-red|remind`: supervision tasks from the shell (audited as the command line)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TypedDict

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from touzi.audit.commands import AuditedCommand
from touzi.core.actor import System
from touzi.lib.errors import AlreadyExists
from touzi.lib.periods import month_of
from touzi.monitoring.alerts import alerts
from touzi.monitoring.choices import Level
from touzi.monitoring.extensions import other_alerts
from touzi.plans.models import Plan
from touzi.projects.models import Project
from touzi.supervision.models import SupervisionTask
from touzi.supervision.services import raise_task, remind_overdue, units_for_warning


class _TaskRow(TypedDict):
    """One task as `supervision list` prints it (and writes it as JSON)."""

    id: int
    status: str
    unit: str
    deadline: str
    overdue: bool
    problem: str


class Command(AuditedCommand):
    help = "督办:list 列出任务;raise-red 把某月全部红色预警下发为督办任务;remind 提醒逾期任务。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list")
        listing.add_argument("--status", default="")
        listing.add_argument("--format", choices=["json", "text"], default="text")
        red = sub.add_parser("raise-red")
        red.add_argument("--period", required=True)
        red.add_argument("--plan", dest="plan_key", default=None)
        red.add_argument("--days", type=int, default=15, help="整改时限(天)")
        sub.add_parser("remind")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, options["action"].replace("-", "_"))(options)

    def list(self, options: dict[str, Any]) -> None:
        tasks = SupervisionTask.objects.select_related("responsible_unit").order_by("status", "deadline")
        if options["status"]:
            tasks = tasks.filter(status=options["status"])
        rows: list[_TaskRow] = [
            {"id": t.pk, "status": t.status, "unit": t.responsible_unit.key, "deadline": f"{t.deadline}",
             "overdue": t.is_overdue, "problem": t.problem} for t in tasks]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            self.stdout.write(f"#{r['id']} [{r['status']}]{' 逾期' if r['overdue'] else ''} {r['unit']} "
                              f"{r['deadline']} {r['problem'][:60]}")

    def raise_red(self, options: dict[str, Any]) -> None:
        try:
            month = month_of(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        key = options["plan_key"] or settings.DEFAULT_PLAN_KEY
        plan = Plan.objects.filter(key=key).first()
        if plan is None:
            raise CommandError(f"没有方案 {key}")
        user = self.actor(options)
        deadline = timezone.localdate() + dt.timedelta(days=options["days"])
        raised = skipped = 0
        system = System("command: touzi supervision")
        # Beside the project warnings, those other apps register (promotion agreements): monitoring.extensions.
        for alert in [*alerts(system, plan, month), *other_alerts(system, month, plan)]:
            if alert.level != Level.RED:
                continue
            project = Project.objects.get(pk=alert.project_id) if alert.project_id else None
            unit, co_unit = units_for_warning(alert)
            try:
                raise_task(plan, problem=f"{alert.project_name}:{alert.reason}",
                           required_action="请于时限内整改到位并报送整改情况和佐证材料",
                           responsible_unit=unit, co_responsible_unit=co_unit, deadline=deadline, project=project,
                           warning_key=f"{alert.key}:{options['period']}", actor=user)
                raised += 1
            except AlreadyExists:
                skipped += 1
        self.stdout.write(f"已下发 {raised} 项督办任务,{skipped} 项已有未核销任务")

    def remind(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"已提醒 {remind_overdue()} 项逾期任务")
