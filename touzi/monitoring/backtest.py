"""Leave-future-out backtest of the year-end forecast on a monthly year-to-date series.

For each year with at least ``min_years`` earlier complete years, and each month m = 2..11 it has,
the December value is forecast from what was known then: the earlier years, and this year's YTD
value at m. Nothing from later years or later months is used. The forecast is compared with the
year's actual December value, next to the naive forecast (this year's value at m divided by last
year's share at m), and the 80% interval's coverage is counted.

How the method is chosen (on early years) and scored (on later ones) is in
:mod:`touzi.monitoring.selection`; the national results are in docs/forecasting.md.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from touzi.monitoring.forecast import (
    BREAK_PROBABILITY,
    CHOSEN_INTERVAL,
    CHOSEN_METHOD,
    FORECAST_MONTHS,
    METHODS,
    ShapeBook,
    forecast_from_book,
)

REQUIRED_COLUMNS = ("year", "month", "ytd_value_100m_yuan")

Series = dict[int, dict[int, float]]


def _read_source(source: str | os.PathLike[str] | bytes) -> str:
    """Text of the CSV: a path (str without a line break, or PathLike), CSV text, or bytes."""
    if isinstance(source, bytes):
        return source.decode("utf-8-sig")
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return source.removeprefix("\ufeff")
    return Path(source).read_text(encoding="utf-8-sig")


def load_series(path_or_text: str | os.PathLike[str] | bytes) -> Series:
    """Read a CSV with columns year, month, ytd_value_100m_yuan (others are ignored) into {year: {month: value}}.

    Month 2 is January–February combined; month 1 is refused, as are months outside 2..12,
    values that are not positive numbers, and a (year, month) given twice. Each error raises
    ValueError naming the line (line 1 is the header). A missing file raises FileNotFoundError.
    """
    text = _read_source(path_or_text)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise ValueError("第1行:文件为空,应有表头 year,month,ytd_value_100m_yuan")
    names = [cell.strip().lower() for cell in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise ValueError(f"第1行:表头缺少列 {', '.join(missing)}(应有 {', '.join(REQUIRED_COLUMNS)})")
    index = {column: names.index(column) for column in REQUIRED_COLUMNS}
    series: Series = {}
    seen: dict[tuple[int, int], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = {}
        for column, position in index.items():
            if position >= len(row) or not row[position].strip():
                raise ValueError(f"第{line}行:缺少 {column}")
            cells[column] = row[position].strip()
        try:
            year = int(cells["year"])
        except ValueError:
            raise ValueError(f"第{line}行:year「{cells['year']}」不是整数年份") from None
        try:
            month = int(cells["month"])
        except ValueError:
            raise ValueError(f"第{line}行:month「{cells['month']}」不是整数月份") from None
        if month == 1:
            raise ValueError(f"第{line}行:不应有 1 月(month 1);1–2 月合并为 month 2")
        if not 2 <= month <= 12:
            raise ValueError(f"第{line}行:month 应为 2–12,不是 {month}")
        try:
            value = float(cells["ytd_value_100m_yuan"])
        except ValueError:
            raise ValueError(f"第{line}行:ytd_value_100m_yuan「{cells['ytd_value_100m_yuan']}」不是数字") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"第{line}行:ytd_value_100m_yuan 应为正数,不是 {cells['ytd_value_100m_yuan']}")
        if (year, month) in seen:
            raise ValueError(f"第{line}行:{year} 年 {month} 月重复(第{seen[year, month]}行已有)")
        seen[year, month] = line
        series.setdefault(year, {})[month] = value
    if not series:
        raise ValueError("第2行:没有数据行")
    return {year: dict(sorted(months.items())) for year, months in sorted(series.items())}


def _naive(series: Mapping[int, Mapping[int, float]], year: int, month: int, observed: float) -> float | None:
    """This year's value at ``month`` divided by the latest earlier year's share at ``month``."""
    for y in sorted((y for y in series if y < year), reverse=True):
        at_month, total = series[y].get(month), series[y].get(12)
        if at_month and total:
            return observed * total / at_month
    return None


def _mape(rows: list[dict[str, Any]], key: str) -> float | None:
    errors = [abs(row[key] / row["actual"] - 1) for row in rows if row[key] is not None]
    return round(100 * math.fsum(errors) / len(errors), 4) if errors else None


def _coverage(rows: list[dict[str, Any]]) -> float | None:
    if not rows:
        return None
    return round(sum(row["low"] <= row["actual"] <= row["high"] for row in rows) / len(rows), 4)


def _forecast_rows(series: Mapping[int, Mapping[int, float]], min_years: int, method: str, after: int | None,
                   break_probability: float, books: dict[int, ShapeBook],
                   interval: str = CHOSEN_INTERVAL) -> list[dict[str, Any]]:
    """One row per forecast; ``books`` caches each year's ShapeBook so the candidates share their errors."""
    rows = []
    complete = [y for y in sorted(series) if 12 in series[y]]
    for year in complete:
        if after is not None and year <= after:
            continue
        if sum(1 for y in complete if y < year) < min_years:
            continue
        if year not in books:
            books[year] = ShapeBook(series, year)  # only what was known then: the years before `year`
        book = books[year]
        actual = series[year][12]
        for month in FORECAST_MONTHS:
            observed = series[year].get(month)
            if observed is None:
                continue
            f = forecast_from_book(book, month, observed, min_years=min_years, method=method,
                                   break_probability=break_probability, interval=interval)
            rows.append({
                "year": year, "month": month, "observed": observed,
                "forecast": round(f.point, 4), "low": round(f.low, 4), "high": round(f.high, 4),
                "naive": _round(_naive(series, year, month, observed)), "actual": actual,
                "method": f.method,
            })
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _per_month(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    per_month = []
    for month in FORECAST_MONTHS:
        at_month = [row for row in rows if row["month"] == month]
        if at_month:
            per_month.append({"month": month, "n": len(at_month), "mape": _mape(at_month, "forecast"),
                              "naive_mape": _mape(at_month, "naive"), "coverage_80": _coverage(at_month)})
    return per_month


def _summary(rows: list[dict[str, Any]], per_month: list[dict[str, Any]], method: str) -> dict[str, Any]:
    beats = [m["month"] for m in per_month if m["naive_mape"] is not None and m["mape"] < m["naive_mape"]]
    loses = [m["month"] for m in per_month if m["naive_mape"] is not None and m["mape"] > m["naive_mape"]]
    return {
        "method": method, "n": len(rows), "years": sorted({row["year"] for row in rows}),
        "mape": _mape(rows, "forecast"), "naive_mape": _mape(rows, "naive"), "coverage_80": _coverage(rows),
        "beats_naive_months": beats, "loses_to_naive_months": loses,
    }


def backtest(series: Mapping[int, Mapping[int, float]], *, min_years: int = 3, method: str = CHOSEN_METHOD,
             after: int | None = None, break_probability: float = BREAK_PROBABILITY,
             with_candidates: bool = True, interval: str = CHOSEN_INTERVAL) -> dict[str, Any]:
    """Backtest the forecaster on ``series`` ({year: {month: YTD value}}); a JSON-ready dict.

    Every forecast of a year uses the years before it only (leave-future-out). With ``after`` only
    the years after it are forecast and scored (they still learn from every earlier year): the
    scoring half of the protocol in :mod:`touzi.monitoring.selection`. ``interval`` is the interval
    rule (:data:`~touzi.monitoring.forecast.INTERVAL_RULES`) of every method's forecasts.

    Keys: ``per_month`` (a list, one entry per forecast month with ``month``, ``n``, ``mape`` and
    ``naive_mape`` in percent, ``coverage_80`` as a fraction), ``forecasts`` (one row per year and
    month: year, month, observed, forecast, low, high, naive, actual, method), ``overall`` (mape,
    naive_mape, coverage_80, n, method, min_years, after, years, beats_naive_months,
    loses_to_naive_months) and, unless ``with_candidates`` is False, ``candidates`` (every method of
    :data:`~touzi.monitoring.forecast.METHODS` on the same forecasts: mape, naive_mape, coverage_80,
    beats_naive_months and per_month [{month, mape, naive_mape, coverage_80}]).
    """
    if min_years < 3:
        raise ValueError("min_years must be at least 3")
    books: dict[int, ShapeBook] = {}
    rows = _forecast_rows(series, min_years, method, after, break_probability, books, interval)
    per_month = _per_month(rows)
    overall = {**_summary(rows, per_month, method), "min_years": min_years, "after": after}
    result: dict[str, Any] = {"overall": overall, "per_month": per_month, "forecasts": rows}
    if with_candidates:
        result["candidates"] = []
        for name in METHODS:
            candidate_rows = rows if name == method else _forecast_rows(series, min_years, name, after,
                                                                        break_probability, books, interval)
            months = _per_month(candidate_rows)
            summary = _summary(candidate_rows, months, name)
            result["candidates"].append({
                "method": name, "mape": summary["mape"], "naive_mape": summary["naive_mape"],
                "coverage_80": summary["coverage_80"], "beats_naive_months": summary["beats_naive_months"],
                "per_month": [{k: m[k] for k in ("month", "mape", "naive_mape", "coverage_80")} for m in months],
            })
    return result


def interval_hits(series: Mapping[int, Mapping[int, float]], rules: tuple[str, ...], *, min_years: int = 3,
                  method: str = CHOSEN_METHOD, after: int | None = None,
                  break_probability: float = BREAK_PROBABILITY) -> dict[str, tuple[int, int]]:
    """For each interval rule: (forecasts whose actual fell inside the 80% interval, forecasts), of
    ``method`` on the same backtest as :func:`backtest`. The rules share one ShapeBook per year."""
    books: dict[int, ShapeBook] = {}
    hits = {}
    for rule in rules:
        rows = _forecast_rows(series, min_years, method, after, break_probability, books, rule)
        hits[rule] = (sum(row["low"] <= row["actual"] <= row["high"] for row in rows), len(rows))
    return hits
