"""What `touzi status` and `touzi warnings` share: a month, a plan, and json or text output."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from touzi.lib.periods import month_of
from touzi.monitoring.periods import reporting_month
from touzi.plans.models import Plan


class PeriodCommand(BaseCommand):
    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--plan", dest="plan_key", default=None)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def month_and_plan(self, options: dict[str, Any]) -> tuple[dt.date, Plan]:
        try:
            month = month_of(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        shown = reporting_month(month)
        if shown != month:
            self.stderr.write(f"{month:%Y}年1月与2月合并报送,按 {shown:%Y-%m}(1—2月)统计")
            month = shown
        key = options["plan_key"] or settings.DEFAULT_PLAN_KEY
        plan = Plan.objects.filter(key=key).first()
        if plan is None:
            raise CommandError(f"没有方案 {key}")
        return month, plan

    def emit_json(self, payload: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
