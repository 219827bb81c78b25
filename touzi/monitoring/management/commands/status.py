"""`touzi status --period YYYY-MM [--plan KEY] [--target KEY [--rows]] [--format json|text]`.

Every target's value, attainment, 序时进度, gap, growth and status for the month; with `--target` one target,
and with `--rows` the rows behind it (the projects and what each counted, or the indicator values), which add
up to the target's value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.management.base import CommandError

from touzi.lib.text import table
from touzi.monitoring.attainment import TargetFigure, target_figures
from touzi.monitoring.choices import Status
from touzi.monitoring.commands import PeriodCommand
from touzi.monitoring.rows import target_rows

HEADERS = ["目标", "名称", "期间", "目标值", "完成值", "单位", "完成率", "序时进度", "差距(百分点)", "同比", "状态"]
NUMERIC = {3, 4, 6, 7, 8, 9}


def _two(value: Any) -> str:
    """Two decimals for reading (the JSON keeps every digit)."""
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _percent(value: Any) -> str:
    return "—" if value is None else f"{_two(value)}%"


def _line(f: TargetFigure) -> list[str]:
    d = f.as_dict()
    window = d["window"]
    return [d["key"], f.target.name, f"{window[0]}—{window[1]}" if window[0] != window[1] else window[0],
            f"{f.target.get_comparator_display()}{_two(d['target'])}", _two(d["value"]), d["unit"],
            _percent(d["attainment"]), _percent(d["elapsed"]), _two(d["gap"]), _percent(d["growth"]),
            str(Status(d["status"]).label)]


class Command(PeriodCommand):
    help = "输出某月每个目标的完成值、完成率、序时进度和状态;--target 只看一个目标,--rows 列出其明细。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--target", help="只输出这个目标(目标代码,见 touzi plan show)")
        parser.add_argument("--rows", action="store_true", help="同时列出构成该目标完成值的明细(须与 --target 同用)")

    def handle(self, *args: Any, **options: Any) -> None:
        month, plan = self.month_and_plan(options)
        if options["rows"] and not options["target"]:
            raise CommandError("--rows 须与 --target 一起使用")
        if options["target"]:
            target = plan.targets.filter(key=options["target"]).first()
            if target is None:
                raise CommandError(f"方案 {plan.key} 没有目标 {options['target']}")
            self._one(plan, month, target, options)
            return
        figures = target_figures(plan, month, plan.targets.order_by("order"))
        if options["format"] == "json":
            self.emit_json({"plan": plan.key, "period": f"{month:%Y-%m}", "targets": [f.as_dict() for f in figures]})
            return
        self.stdout.write(f"{plan.name}  {month:%Y-%m}")
        for text in table(HEADERS, [_line(f) for f in figures], numeric=NUMERIC):
            self.stdout.write(text)

    def _one(self, plan: Any, month: Any, target: Any, options: dict[str, Any]) -> None:
        found = target_rows(plan, month, target)
        if options["format"] == "json":
            payload = found.as_dict() if options["rows"] else {"target": found.figure.as_dict()}
            self.emit_json({"plan": plan.key, "period": f"{month:%Y-%m}", **payload})
            return
        for text in table(HEADERS, [_line(found.figure)], numeric=NUMERIC):
            self.stdout.write(text)
        if not options["rows"]:
            return
        self.stdout.write("")
        if found.kind == "indicator":
            rows = [[r["month"], _two(r["value"]), r["source"], r["entered_by"]] for r in found.rows]
            lines = table(["月份", "数值", "来源", "填报人"], rows, numeric={1})
        elif found.kind == "growth":
            rows = [[r["project"] or "—", r["name"], r["county"], _two(r["value"]), _two(r["previous"])]
                    for r in found.rows]
            lines = table(["项目代码", "项目名称", "县区", "本年(万元)", "上年同期(万元)"], rows, numeric={3, 4})
        elif found.kind == "projects":
            unit = found.figure.target.unit_of_measure
            rows = [[r["project"] or "—", r["name"], r["county"], _two(r["value"])] for r in found.rows]
            total = sum((Decimal(r["value"]) for r in found.rows), Decimal(0))
            rows.append(["", f"合计 {len(found.rows)} 个项目", "", _two(total)])
            lines = table(["项目代码", "项目名称", "县区", f"完成值({unit})"], rows, numeric={3})
        else:
            lines = ["该目标没有明细(规则类目标或期间尚未开始)"]
        for text in lines:
            self.stdout.write(text)
