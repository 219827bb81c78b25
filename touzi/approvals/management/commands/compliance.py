"""`touzi compliance --period YYYY-MM [--plan KEY] [--format json|text]`: the projects that skipped a procedure
of 基本建设程序 (the rules kept as data), as of the end of the month."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from touzi.approvals.compliance import violations
from touzi.approvals.management.commands.approvals import month_and_plan
from touzi.approvals.selectors import as_of
from touzi.core.actor import System
from touzi.monitoring.sets import plan_projects


class Command(BaseCommand):
    help = "检查项目是否违反基本建设程序(未取得施工许可即开工、立项前报送投资、未经竣工验收报竣工等)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--plan", dest="plan_key", default=None)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        month, plan = month_and_plan(options)
        found = violations(plan_projects(System("command: touzi compliance"), plan), as_of(month))
        if options["format"] == "json":
            self.stdout.write(json.dumps({"violations": [
                {"project": v.project, "rule": v.rule, "detail": v.detail} for v in found]},
                ensure_ascii=False, indent=2))
            return
        for v in found:
            self.stdout.write(f"{v.project or '—'} {v.project_name}[{v.rule}]:{v.detail}")
