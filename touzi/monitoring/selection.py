"""Choose the forecast method on early years only; score it on later years only.

The protocol (docs/forecasting.md):

1. *Selection years*: the series is cut at ``until``; every candidate of
   :data:`~touzi.monitoring.forecast.METHODS` is backtested leave-future-out on what is left.
   Its *series ratio* is its MAPE there divided by the naive forecast's.
2. *Ledger-like world*: the same on :data:`SYNTHETIC_SEEDS` synthetic series with a fixed shape and
   noisy months (:func:`~touzi.monitoring.synthetic.fixed_shape`), where no drift exists to be
   learned. Its *synthetic ratio* is the MAPE summed over them divided by naive's.
3. *Rule*: the candidate with the smallest worse ratio of the two — the method that loses least to
   the naive forecast in whichever world it finds itself (ties: the earlier in METHODS). The rule
   and both worlds were fixed before any year after ``until`` was scored.
4. *Scoring*: the chosen method is backtested on the years after ``until`` only, each year still
   learning from all years before it (:func:`~touzi.monitoring.backtest.backtest` with ``after``).

Nothing after ``until`` is read by steps 1–3: :func:`select_method` is given the cut series.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

from touzi.monitoring.backtest import backtest
from touzi.monitoring.forecast import METHODS
from touzi.monitoring.synthetic import fixed_shape

SYNTHETIC_SEEDS = range(20)

RULE = ("min over candidates of max(MAPE / naive MAPE on the selection years, "
        "MAPE / naive MAPE on fixed-shape synthetic series)")


@functools.lru_cache(maxsize=8)
def synthetic_ratios(min_years: int = 3) -> dict[str, float]:
    """Each candidate's MAPE over the :data:`SYNTHETIC_SEEDS` fixed-shape series, divided by naive's."""
    sums = dict.fromkeys(METHODS, 0.0)
    for seed in SYNTHETIC_SEEDS:
        result = backtest(fixed_shape(seed=seed), min_years=min_years, method="naive")
        for candidate in result["candidates"]:
            sums[candidate["method"]] += candidate["mape"]
    return {name: round(total / sums["naive"], 4) for name, total in sums.items()}


def select_method(series: Mapping[int, Mapping[int, float]], until: int, *, min_years: int = 3) -> dict[str, Any]:
    """Apply steps 1–3 of the protocol to the years of ``series`` up to ``until``; a JSON-ready dict.

    Keys: ``until``, ``rule``, ``chosen``, ``candidates`` (per method: mape, naive_mape on the
    selection years, series_ratio, synthetic_ratio, score) and the chosen method's selection-year
    backtest: ``overall``, ``per_month``, ``forecasts``. ValueError when no year up to ``until`` has
    ``min_years`` complete years before it.
    """
    early = {year: values for year, values in series.items() if year <= until}
    result = backtest(early, min_years=min_years, method="naive")
    if not result["overall"]["n"]:
        raise ValueError(f"{until} 年及以前没有可回测的年份:需要至少 {min_years + 1} 个有 12 月数据的年份")
    synthetic = synthetic_ratios(min_years)
    candidates = []
    for candidate in result["candidates"]:
        name = candidate["method"]
        naive_mape = candidate["naive_mape"]
        series_ratio = round(candidate["mape"] / naive_mape, 4) if naive_mape else math.inf
        candidates.append({"method": name, "mape": candidate["mape"], "naive_mape": naive_mape,
                           "coverage_80": candidate["coverage_80"], "series_ratio": series_ratio,
                           "synthetic_ratio": synthetic[name], "score": max(series_ratio, synthetic[name])})
    chosen = min(candidates, key=lambda c: (c["score"], METHODS.index(c["method"])))["method"]
    chosen_run = backtest(early, min_years=min_years, method=chosen, with_candidates=False)
    return {"until": until, "rule": RULE, "chosen": chosen, "candidates": candidates,
            "overall": chosen_run["overall"], "per_month": chosen_run["per_month"],
            "forecasts": chosen_run["forecasts"]}


def select_and_score(series: Mapping[int, Mapping[int, float]], until: int, *, min_years: int = 3) -> dict[str, Any]:
    """The whole protocol: choose on the years up to ``until``, score on the later ones.

    The backtest result of the chosen method on the scoring years (same keys as
    :func:`~touzi.monitoring.backtest.backtest`, candidates included for the record only) with the
    selection under ``selection``.
    """
    selection = select_method(series, until, min_years=min_years)
    scored = backtest(series, min_years=min_years, method=selection["chosen"], after=until)
    return {**scored, "selection": selection}
