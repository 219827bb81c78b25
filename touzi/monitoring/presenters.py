"""The dashboard as plain data: for the page's charts (JSON), the API and the .xlsx exports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from touzi.lib.labels import measure
from touzi.monitoring.attainment import average_growth
from touzi.monitoring.breakdowns import Row
from touzi.monitoring.choices import Level, Status
from touzi.monitoring.dashboard import Dashboard
from touzi.monitoring.forecast import Forecast
from touzi.plans.choices import MeasureSource, Metric, PeriodKind


def _f(value: Decimal | None, places: int = 2) -> float | None:
    return None if value is None else round(float(value), places)


def forecast_basis(forecast: Forecast, *, short: bool = False) -> str:
    """What the interval and the probability rest on: the ledger's own backtest, or the national seasonal shape.

    With enough past years the spread is measured on how the method did on the ledger's past years
    (out of sample); without, it is the national shape with a deliberately wide spread. The page
    says which, because the second is an assumption about the ledger, not a measurement of it.
    """
    n = forecast.backtested
    if forecast.from_backtest:
        if short:
            return ngettext("回测 %(n)s 年", "回测 %(n)s 年", n) % {"n": n}
        return ngettext("依据台账过去 %(n)s 年的回测", "依据台账过去 %(n)s 年的回测", n) % {"n": n}
    return _("季节性形态") if short else _("依据季节性形态,区间较宽")


def chart_data(board: Dashboard) -> dict[str, Any]:
    """What dashboard.js draws."""
    data: dict[str, Any] = {
        "targets": [
            {"key": f.target.key, "name": f.target.label, "attainment": _f(f.attainment), "elapsed": _f(f.elapsed),
             "status": f.status}
            for f in board.figures if f.attainment is not None and not f.is_rate
        ],
        "counties": [_row(r) for r in board.breakdowns[board.area]],
        "domains": [_row(r) for r in board.breakdowns["domain"]],
        "labels": {"wan": _("万元"), "attainment": _("完成率"), "elapsed": _("序时进度"), "current": _("本年累计"),
                   "last_year": _("上年同期"), "plan": _("目标序时(季节性)"), "forecast": _("年底预测"),
                   "interval": _("80%区间"), "ytd": _("本年累计完成(万元)"), "planned": _("年度计划(万元)"),
                   "completion": _("计划完成率(%)")},
    }
    headline = board.headline
    if headline is not None:
        months = list(range(2 if 2 in headline.plan_path and 1 not in headline.current else 1, 13))
        data["headline"] = {
            "name": headline.figure.target.label, "unit": measure(headline.figure.target.unit_of_measure),
            "target": _f(headline.figure.target.value),
            "months": [_("%(m)s月") % {"m": m} if m != 2 or 1 in headline.current else _("1—2月") for m in months],
            "current": [_f(headline.current.get(m)) for m in months],
            "last_year": [_f(headline.last_year.get(m)) for m in months],
            "plan": [_f(headline.plan_path.get(m)) for m in months],
        }
        if headline.forecast is not None:
            fc = headline.forecast
            data["headline"]["forecast"] = {"month": fc.month, "observed": round(fc.observed, 2),
                                            "point": round(fc.point, 2), "low": round(fc.low, 2),
                                            "high": round(fc.high, 2), "probability": round(headline.probability or 0, 3),
                                            "from_backtest": fc.from_backtest, "backtested_years": fc.backtested,
                                            "basis": forecast_basis(fc)}
    return data


def _row(row: Row) -> dict[str, Any]:
    return {"label": row.label, "ytd": _f(row.ytd), "planned": _f(row.planned), "completion": _f(row.completion),
            "growth": _f(row.growth), "rank": row.rank}


STATUS_CLASS = {Status.MET: "ok", Status.ON_TRACK: "ok", Status.BEHIND: "warn", Status.AT_RISK: "bad",
                Status.MISSED: "bad",
                Status.NO_DATA: "muted", Status.NOT_MEASURED: "muted"}
LEVEL_CLASS = {Level.YELLOW: "warn", Level.RED: "bad"}


def api_data(board: Dashboard) -> dict[str, Any]:
    """The dashboard's figures through the API (strings for exact decimals)."""
    return {
        "plan": board.plan.key, "period": f"{board.month:%Y-%m}",
        "cards": {k: str(v) if isinstance(v, Decimal) else v for k, v in board.cards.items()},
        "targets": [f.as_dict() for f in board.figures],
        "forecasts": {key: {"point": round(fc.point, 4), "low": round(fc.low, 4), "high": round(fc.high, 4),
                            "probability": round(p, 4), "method": fc.method,
                            "basis": "backtest" if fc.from_backtest else "seasonal-shape",
                            "backtested_years": fc.backtested}
                      for key, (fc, p) in board.forecasts.items()},
        "breakdowns": {dim: [r.as_dict() for r in rows] for dim, rows in board.breakdowns.items()},
        # What the breakdowns are of: domain, county and lead-unit rows add up to sets["list"]["totals"].
        "sets": {key: {"name": pset.name, "totals": board.totals[key].as_dict()} for key, pset in board.sets.items()},
        "warnings": [a.as_dict(f"{board.month:%Y-%m}") for a in board.alerts],
        "warning_counts": board.alert_counts,
        # A portfolio of more than 100,000 projects lists the first page of its warnings only: the total says how
        # many there are (the warnings page reads them a page at a time).
        "warning_total": board.alert_total,
    }


def computation(figure: Any) -> str:
    """How the figure is computed, in words, for the target's page."""
    target = figure.target
    span = {"start": f"{figure.window.start.year}年{figure.window.start.month}月",
            "end": f"{figure.window.end.year}年{figure.window.end.month}月"}
    if target.measure_source == MeasureSource.RULE:
        return _("规则类目标,不作测算。")
    if target.measure_source == MeasureSource.INDICATOR:
        if average_growth(target):
            return _("年均增长:取统计期内各年最新填报的累计增速,按几何平均计算:"
                     "[(1+各年增速)连乘]开年数次方 − 1。")
        if target.metric in (Metric.GROWTH, Metric.SHARE) or target.period_kind == PeriodKind.END:
            return _("取统计期内最新一期填报值。")
        if target.period_kind == PeriodKind.RANGE:
            return _("跨年累计:统计期内各年最新一期(年内累计)填报值相加。")
        return _("取本年最新一期(年内累计)填报值。")
    if average_growth(target):
        return _("年均增长:统计期内每年的完成额(当年清单项目,%(start)s起)与上年同期(上年清单项目)相比得出各年增速,"
                 "再按几何平均计算:[(1+各年增速)连乘]开年数次方 − 1。首年无上年台账时,全年数与基期数相比。") % span
    if target.metric == Metric.GROWTH:
        return _("本年1—%(m)s月完成额与上年同期相比;上年同期为上年同月份、上年清单项目的完成额。") % {
            "m": figure.window.end.month}
    note = _("%(start)s—%(end)s 统计局审核通过的月报数加调整数之和。") % span
    if target.measure_collection_id and target.period_kind == PeriodKind.RANGE:
        note += _("年度清单项目只计入其列入清单年份的月份。")
    return note
