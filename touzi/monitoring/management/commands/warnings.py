"""`touzi warnings --period YYYY-MM [--plan KEY] [--format json|text]`: every early warning of the month."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from touzi.lib.periods import month_of
from touzi.monitoring.alerts import alerts
from touzi.plans.models import Plan


class Command(BaseCommand):
    help = "输出某月的全部预警。"

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
        found = [a.as_dict(options["period"]) for a in alerts(None, plan, month)]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"plan": plan.key, "period": options["period"], "warnings": found}, ensure_ascii=False, indent=2))
            return
        for a in found:
            self.stdout.write(f"[{a['level']}] {a['kind_label']} {a['project_name']}({a['unit']}):{a['reason']}")
