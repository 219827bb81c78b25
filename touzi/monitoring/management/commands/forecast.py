"""`touzi forecast backtest --series FILE.csv [--format json|text] [--min-years N] [--method NAME | --select-until YEAR]`.

Backtests the year-end forecast on a monthly year-to-date CSV (year, month, ytd_value_100m_yuan;
month 2 = January–February) and prints the result. With ``--select-until YEAR`` the method is
chosen on the years up to YEAR only and scored on the later years only (touzi.monitoring.selection);
the output then also has the selection under ``selection``. Reads only the file; writes nothing.
A bad or missing file, or a cut that leaves nothing to select on or to score, is a CommandError (exit 1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from touzi.lib.text import pad
from touzi.monitoring.backtest import backtest, load_series
from touzi.monitoring.forecast import CHOSEN_METHOD, METHODS
from touzi.monitoring.selection import select_and_score


def month_label(month: int) -> str:
    return "1–2月" if month == 2 else f"{month}月"


def _left(text: str, width: int) -> str:
    return pad(text, width)


def _right(text: str, width: int) -> str:
    return pad(text, width, right=True)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _month_table(per_month: list[dict[str, Any]], overall: dict[str, Any]) -> list[str]:
    lines = [_left("月份 month", 12) + _right("n", 4) + _right("MAPE %", 10) + _right("朴素 naive %", 15)
             + _right("80%覆盖 coverage", 19)]
    for row in [*per_month, {**overall, "month": None}]:
        label = "合计 all" if row["month"] is None else month_label(row["month"])
        lines.append(_left(label, 12) + _right(str(row["n"]), 4) + _right(_pct(row["mape"]), 10)
                     + _right(_pct(row["naive_mape"]), 15) + _right(_share(row["coverage_80"]), 19))
    return lines


def _interval_text(intervals: dict[str, Any] | None) -> list[str]:
    if not intervals:
        return []
    lines = [
        "",
        f"区间规则 interval rule: {intervals['rule']}"
        f"(断点世界 12 月系数 break world's December factor {intervals['december_factor']:.2f})",
        _left("  规则 rule", 16) + _right("选择年份 sel.", 15) + _right("固定 fixed", 12) + _right("断点 break", 12)
        + _right("距离 distance", 15) + _right("评分 score*", 13),
    ]
    for c in intervals["candidates"]:
        marker = " ←" if c["interval"] == intervals["chosen"] else ("" if c["eligible"] else " (参照 reference)")
        score = c.get("scoring_coverage_80")
        lines.append(_left(f"  {c['interval']}", 16) + _right(_share(c["selection_coverage_80"]), 15)
                     + _right(_share(c["fixed_shape_coverage_80"]), 12)
                     + _right(_share(c["break_world_coverage_80"]), 12) + _right(f"{c['distance']:.3f}", 15)
                     + _right(_share(score), 13) + marker)
    lines.append("  * 评分年份覆盖率仅供记录,不用于选择 scoring-year coverage for the record, not used to choose")
    return lines


def _selection_text(selection: dict[str, Any]) -> list[str]:
    overall = selection["overall"]
    years = overall["years"]
    lines = [
        f"选择 selection — 只用 {selection['until']} 年及以前 years ≤ {selection['until']} only "
        f"(回测年份 backtested {years[0]}–{years[-1]}, {overall['n']} 个预测 forecasts)",
        f"规则 rule: {selection['rule']}",
        _left("  候选 candidate", 16) + _right("MAPE %", 9) + _right("/朴素 naive", 13) + _right("合成 synthetic", 16)
        + _right("得分 score", 12),
    ]
    for c in selection["candidates"]:
        marker = " ←" if c["method"] == selection["chosen"] else ""
        lines.append(_left(f"  {c['method']}", 16) + _right(_pct(c["mape"]), 9) + _right(f"{c['series_ratio']:.3f}", 13)
                     + _right(f"{c['synthetic_ratio']:.3f}", 16) + _right(f"{c['score']:.3f}", 12) + marker)
    lines += _interval_text(selection.get("intervals"))
    lines += ["", f"选定 chosen: {selection['chosen']};选择年份上 on the selection years:"]
    lines += _month_table(selection["per_month"], overall)
    lines += ["", f"评分 scoring — {selection['until']} 年以后 years after {selection['until']} only:", ""]
    return lines


def render_text(result: dict[str, Any]) -> str:
    overall = result["overall"]
    selection = result.get("selection")
    if not overall["n"]:
        return (f"没有可回测的年份:需要至少 {overall['min_years'] + 1} 个有 12 月数据的年份"
                f"(前 {overall['min_years']} 年只作历史)。\n")
    years = overall["years"]
    lines = _selection_text(selection) if selection else []
    lines += [
        f"年末预测回测 backtest — 方法 method: {overall['method']}, min_years={overall['min_years']}, "
        f"年份 years {years[0]}–{years[-1]}, {overall['n']} 个预测 forecasts",
        "",
        *_month_table(result["per_month"], overall),
    ]
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
    title = "候选方法 candidates" + (" (仅供记录,不用于选择 for the record, not used to choose)" if selection else "")
    lines.append(title)
    lines.append(_left("  method", 16) + _right("MAPE %", 9) + _right("80%覆盖 coverage", 19) + "  优于朴素的月份 beats naive")
    for candidate in result["candidates"]:
        marker = " ←" if candidate["method"] == overall["method"] else ""
        beats = ",".join(str(m) for m in candidate["beats_naive_months"]) or "—"
        lines.append(_left(f"  {candidate['method']}", 16) + _right(_pct(candidate["mape"]), 9)
                     + _right(_share(candidate["coverage_80"]), 19) + f"  {beats}{marker}")
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
        choice = run.add_mutually_exclusive_group()
        choice.add_argument("--method", choices=list(METHODS), default=None,
                            help=f"候选方法(默认 {CHOSEN_METHOD})")
        choice.add_argument("--select-until", dest="select_until", type=int, default=None, metavar="YEAR",
                            help="只用 YEAR 年及以前的年份选择方法,只在以后的年份上评分")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["min_years"] < 3:
            raise CommandError("--min-years 至少为 3")
        series = self._ledger(options) if options["target"] else self._file(options["series"])
        if options["select_until"] is not None:
            result = self._select_and_score(series, options["select_until"], options["min_years"])
        else:
            result = backtest(series, min_years=options["min_years"], method=options["method"] or CHOSEN_METHOD)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(result), ending="")

    @staticmethod
    def _select_and_score(series: dict[int, dict[int, float]], until: int, min_years: int) -> dict[str, Any]:
        try:
            result = select_and_score(series, until, min_years=min_years)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not result["overall"]["n"]:
            raise CommandError(f"{until} 年以后没有可评分的年份(需要有 12 月数据的年份)")
        return result

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
