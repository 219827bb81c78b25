"""`touzi status --period YYYY-MM [--plan KEY] [--format json|text]`: every target's value, attainment and status."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from touzi.lib.periods import month_of
from touzi.monitoring.attainment import target_figures
from touzi.monitoring.choices import Status
from touzi.plans.models import Plan


class Command(BaseCommand):
    help = "输出某月每个目标的完成值、完成率、序时进度和状态。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--plan", dest="plan_key", default=None)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = month_of(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        key = options["plan_key"] or settings.DEFAULT_PLAN_KEY
        plan = Plan.objects.filter(key=key).first()
        if plan is None:
            raise CommandError(f"没有方案 {key}")
        figures = [f.as_dict() for f in target_figures(plan, month, plan.targets.order_by("order"))]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"plan": plan.key, "period": options["period"], "targets": figures}, ensure_ascii=False, indent=2))
            return
        for f in figures:
            self.stdout.write(f"{f['key']:<28} {f['value'] or '—':>12} / {f['target']:>8} {f['unit']:<4} "
                              f"{(f['attainment'] or '—'):>8}%  序时 {(f['elapsed'] or '—'):>6}%  "
                              f"{Status(f['status']).label}")
