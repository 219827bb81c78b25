"""`touzi warnings --period YYYY-MM [--plan KEY] [--format json|text]`: every early warning of the month."""

from __future__ import annotations

from typing import Any

from touzi.core.actor import System
from touzi.monitoring.alerts import alerts
from touzi.monitoring.commands import PeriodCommand


class Command(PeriodCommand):
    help = "输出某月的全部预警。"

    def handle(self, *args: Any, **options: Any) -> None:
        month, plan = self.month_and_plan(options)
        found = [a.as_dict(options["period"]) for a in alerts(System("command: touzi warnings"), plan, month)]
        if options["format"] == "json":
            self.emit_json({"plan": plan.key, "period": options["period"], "warnings": found})
            return
        for a in found:
            self.stdout.write(f"[{a['level']}] {a['kind_label']} {a['project_name']}({a['unit']}):{a['reason']}")
