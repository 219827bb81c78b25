"""`touzi pipeline --year YYYY [--plan KEY] [--format json|text]`: the project pipeline's figures.

JSON: {"concepts": n, "accepted": n, "reserve_investment": 亿元, "ready_to_start": n}
- concepts: concepts (谋划项目) proposed in the year; accepted: those of them screened 入库;
- reserve_investment: total investment of the projects in 储备 or 前期, in 亿元 (a number);
- ready_to_start: reserve and preliminary projects planned to start in the year whose 前期 milestones allow it
  (those `touzi plan roll YEAR` proposes as new starts).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError

from touzi.audit.commands import AuditedCommand
from touzi.core.actor import System
from touzi.pipeline.figures import summary
from touzi.plans.models import Plan


class Command(AuditedCommand):
    help = "谋划储备与前期:谋划项目数、入库数、储备项目总投资(亿元)、具备开工条件的项目数。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--plan", dest="plan_key", default=None, help="方案标识(省略:全部地区)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = None
        if options["plan_key"]:
            plan = Plan.objects.filter(key=options["plan_key"]).first()
            if plan is None:
                raise CommandError(f"没有方案 {options['plan_key']}")
        found = summary(System("command: touzi pipeline"), options["year"], plan)
        if options["format"] == "json":
            plain = {**found, "reserve_investment": float(found["reserve_investment"])}
            self.stdout.write(json.dumps(plain, ensure_ascii=False))
            return
        self.stdout.write(f"{options['year']}年谋划项目 {found['concepts']} 个,入库 {found['accepted']} 个;"
                          f"储备项目总投资 {found['reserve_investment']} 亿元;具备开工条件 {found['ready_to_start']} 个")
