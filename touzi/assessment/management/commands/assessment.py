"""`touzi assessment --year YYYY [--month MM] --format json`: the units' assessment scores from the shell.

JSON: {"units": [{"unit", "rank", "score", "bonus", "deduction", "parts": [{"indicator", "weight", "raw",
"score"}], …}], "scheme", "year", "month", "ppp_rewards"} with score = Σ weight × s / 100 + bonus − deduction
(to 0.01) and ranks following scores (ties share a rank). `--adjust UNIT --points P --reason R` adds a manual
adjustment (audited; the plan office's act).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandError

from touzi.assessment.engine import assess, schemes_for
from touzi.assessment.period import Period
from touzi.assessment.scoping import visible_unit_ids
from touzi.assessment.services import add_adjustment
from touzi.audit.commands import AuditedCommand
from touzi.lib.errors import BusinessError
from touzi.plans.commands import plan_for
from touzi.units.models import Unit


class Command(AuditedCommand):
    help = "考核:按考核方案计算各单位得分、排名(--month 为1月至该月),或用 --adjust 添加人工调整。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, default=12, help="截至月份 1—12(默认全年)")
        parser.add_argument("--plan", default=None, help="行动方案标识(默认:默认方案)")
        parser.add_argument("--scheme", default=None, help="考核方案标识(默认:该年第一个)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--adjust", default=None, metavar="UNIT", help="人工调整的单位标识")
        parser.add_argument("--points", default=None, help="调整分值(负数为扣分)")
        parser.add_argument("--reason", default="", help="调整理由")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["month"] <= 12:
            raise CommandError("--month 应为 1—12")
        plan = plan_for(options["plan"])
        schemes = schemes_for(plan, options["year"])
        if options["scheme"]:
            schemes = [s for s in schemes if s.key == options["scheme"]]
        if not schemes:
            raise CommandError(f"{plan.key} 没有 {options['year']} 年的考核方案")
        scheme = schemes[0]
        actor = self.actor(options)
        if options["adjust"]:
            self.adjust(scheme, options, actor)
        result = assess(scheme, Period(options["year"], options["month"]))
        payload = result.as_json(visible_unit_ids(actor, set(result.units)))
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{payload['name']} {payload['year']}年1—{payload['month']}月")
        self.stdout.write("名次\t单位\t得分\t加分\t扣分")
        for unit in payload["units"]:
            self.stdout.write(f"{unit['rank']}\t{unit['unit']}\t{unit['score']:.2f}\t{unit['bonus']:.2f}\t"
                              f"{unit['deduction']:.2f}")

    def adjust(self, scheme: Any, options: dict[str, Any], actor: Any) -> None:
        unit = Unit.objects.filter(key=options["adjust"]).first()
        if unit is None:
            raise CommandError(f"没有单位 {options['adjust']}")
        try:
            points = Decimal(options["points"] or "")
        except InvalidOperation as exc:
            raise CommandError("--points 应为数字") from exc
        try:
            add_adjustment(scheme, unit, year=options["year"], points=points, reason=options["reason"],
                           actor=actor)
        except BusinessError as exc:
            raise CommandError(exc.message) from exc
