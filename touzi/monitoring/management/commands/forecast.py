"""`touzi forecast backtest --series FILE.csv [--format json|text] [--min-years N] [--method NAME]`.

Backtests the year-end forecast on a monthly year-to-date CSV (year, month, ytd_value_100m_yuan;
month 2 = January–February) and prints the result. Reads only the file; writes nothing.
A bad or missing file is a CommandError (exit 1).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from touzi.monitoring.backtest import backtest, load_series
from touzi.monitoring.forecast import CHOSEN_METHOD, METHODS


def month_label(month: int) -> str:
    return "1–2月" if month == 2 else f"{month}月"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _left(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _right(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def render_text(result: dict[str, Any]) -> str:
    overall = result["overall"]
    if not overall["n"]:
        return (f"没有可回测的年份:需要至少 {overall['min_years'] + 1} 个有 12 月数据的年份"
                f"(前 {overall['min_years']} 年只作历史)。\n")
    years = overall["years"]
    lines = [
        f"年末预测回测 backtest — 方法 method: {overall['method']}, min_years={overall['min_years']}, "
        f"年份 years {years[0]}–{years[-1]}, {overall['n']} 个预测 forecasts",
        "",
        _left("月份 month", 12) + _right("n", 4) + _right("MAPE %", 10) + _right("朴素 naive %", 15)
        + _right("80%覆盖 coverage", 19),
    ]
    for row in [*result["per_month"], {**overall, "month": None}]:
        label = "合计 all" if row["month"] is None else month_label(row["month"])
        lines.append(_left(label, 12) + _right(str(row["n"]), 4) + _right(_pct(row["mape"]), 10)
                     + _right(_pct(row["naive_mape"]), 15) + _right(_share(row["coverage_80"]), 19))
    lines.append("")
    beats = ", ".join(month_label(m) for m in overall["beats_naive_months"]) or "无 none"
    loses = ", ".join(month_label(m) for m in overall["loses_to_naive_months"]) or "无 none"
    lines.append(f"优于朴素预测 beats naive: {beats}")
    lines.append(f"不如朴素预测 loses to naive: {loses}")
    lines.append("")
    lines.append("逐年误差 errors by year: forecast / actual − 1, % (* = actual outside the 80% interval)")
    months = [row["month"] for row in result["per_month"]]
    lines.append(_left("", 6) + "".join(_right(month_label(m), 9) for m in months))
    for year in years:
        cells = []
        for month in months:
            row = next((r for r in result["forecasts"] if r["year"] == year and r["month"] == month), None)
            if row is None:
                cells.append(_right("—", 9))
                continue
            outside = "" if row["low"] <= row["actual"] <= row["high"] else "*"
            cells.append(_right(f"{100 * (row['forecast'] / row['actual'] - 1):+.2f}{outside or ' '}", 9))
        lines.append(_left(str(year), 6) + "".join(cells))
    lines.append("")
    lines.append("候选方法 candidates (MAPE %):")
    for candidate in result["candidates"]:
        marker = " ←" if candidate["method"] == overall["method"] else ""
        lines.append(f"  {candidate['method']:<12}{_pct(candidate['mape']):>8}{marker}")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "年末预测:backtest 在月度累计序列上回测年末预测(逐月 MAPE、朴素预测对比、80% 区间覆盖率)。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("backtest", help="回测年末预测")
        source = run.add_mutually_exclusive_group(required=True)
        source.add_argument("--series", help="CSV: year,month,ytd_value_100m_yuan(month 2 为 1–2 月合计)")
        source.add_argument("--target", help="在项目台账上回测:该目标所统计项目的逐年月度累计")
        run.add_argument("--plan", dest="plan_key", default=None, help="与 --target 一起使用,默认方案")
        run.add_argument("--format", choices=["json", "text"], default="text")
        run.add_argument("--min-years", dest="min_years", type=int, default=3,
                         help="预测前至少需要的完整年份数(至少 3)")
        run.add_argument("--method", choices=list(METHODS), default=CHOSEN_METHOD,
                         help=f"候选方法(默认 {CHOSEN_METHOD})")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["min_years"] < 3:
            raise CommandError("--min-years 至少为 3")
        series = self._ledger(options) if options["target"] else self._file(options["series"])
        result = backtest(series, min_years=options["min_years"], method=options["method"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(result), ending="")

    def _file(self, name: str) -> dict[int, dict[int, float]]:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"没有这个文件:{path}")
        try:
            return load_series(path)
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}:{exc.strerror}") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}:{exc}") from exc

    def _ledger(self, options: dict[str, Any]) -> dict[int, dict[int, float]]:
        """The target's slice of the ledger as a year-to-date series, each year with its own yearly list."""
        from django.conf import settings

        from touzi.monitoring.attainment import TO_WAN, domain_subtrees, project_filter
        from touzi.monitoring.series import monthly_totals, year_to_date
        from touzi.plans.models import Target
        from touzi.reports.models import MonthlyReport
        from touzi.reports.rules import combines_jan_feb

        key = options["plan_key"] or settings.DEFAULT_PLAN_KEY
        target = Target.objects.filter(plan__key=key, key=options["target"]).first()
        if target is None:
            raise CommandError(f"方案 {key} 没有目标 {options['target']}")
        if target.unit_of_measure not in TO_WAN:
            raise CommandError(f"目标 {target.key} 不是金额目标,无法用台账回测")
        months = MonthlyReport.objects.dates("month", "year")
        subtrees = domain_subtrees([target.measure_domain_id] if target.measure_domain_id else [])
        series: dict[int, dict[int, float]] = {}
        for first_day in months:
            year = first_day.year
            totals = monthly_totals(project_filter(target, (year, year), subtrees), year, year).get(year, {})
            path = year_to_date(totals, combine_jan_feb=combines_jan_feb(year))
            if path.get(12):  # only complete years can be backtested
                factor = TO_WAN[target.unit_of_measure]
                series[year] = {m: float(v / factor) for m, v in path.items() if m >= 2 and v > 0}
        return series
