"""`touzi status --period YYYY-MM [--plan KEY] [--format json|text]`: every target's value, attainment and status."""

from __future__ import annotations

from typing import Any

from touzi.monitoring.attainment import target_figures
from touzi.monitoring.choices import Status
from touzi.monitoring.commands import PeriodCommand


class Command(PeriodCommand):
    help = "输出某月每个目标的完成值、完成率、序时进度和状态。"

    def handle(self, *args: Any, **options: Any) -> None:
        month, plan = self.month_and_plan(options)
        figures = [f.as_dict() for f in target_figures(plan, month, plan.targets.order_by("order"))]
        if options["format"] == "json":
            self.emit_json({"plan": plan.key, "period": options["period"], "targets": figures})
            return
        for f in figures:
            self.stdout.write(f"{f['key']:<28} {f['value'] or '—':>12} / {f['target']:>8} {f['unit']:<4} "
                              f"{(f['attainment'] or '—'):>8}%  序时 {(f['elapsed'] or '—'):>6}%  "
                              f"{Status(f['status']).label}")
