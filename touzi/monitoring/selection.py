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
4. *Interval rule* (:func:`select_interval`): every rule of
   :data:`~touzi.monitoring.forecast.INTERVAL_RULES` widens the chosen method's interval for breaks
   in its own way. Each is backtested in three worlds: the selection years, the fixed-shape synthetic
   series, and a *break world* — :func:`~touzi.monitoring.synthetic.level_break` series whose break
   is sized from the selection years alone (the year's total moves by the largest change of the
   year's log growth seen up to ``until``), selected up to 2015 and scored on 2016–2019 with the break
   in 2016. The issue's band, 70–90% coverage of the 80% interval, is asked of every world: the rule
   with the smallest largest distance of its coverage from the band is chosen (ties: the earlier in
   INTERVAL_RULES; ``calm``, which does not widen for breaks, is reported but not eligible).
5. *Scoring*: the chosen method with the chosen interval rule is backtested on the years after
   ``until`` only, each year still learning from all years before it
   (:func:`~touzi.monitoring.backtest.backtest` with ``after``).

Nothing after ``until`` is read by steps 1–4: :func:`select_method` is given the cut series.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

from touzi.monitoring.backtest import backtest, interval_hits
from touzi.monitoring.forecast import DEFAULT_SHARES, INTERVAL_RULES, METHODS, ShapeBook
from touzi.monitoring.synthetic import fixed_shape, level_break

SYNTHETIC_SEEDS = range(20)

RULE = ("min over candidates of max(MAPE / naive MAPE on the selection years, "
        "MAPE / naive MAPE on fixed-shape synthetic series)")


INTERVAL_RULE = ("min over the interval rules that widen for breaks of the largest distance of the 80% "
                 "coverage from 70–90% on the selection years, the fixed-shape series and the break world")

COVERAGE_BAND = (0.7, 0.9)
"""The issue's band for the coverage of an 80% interval."""

BREAK_WORLD_SPLIT = 2015
"""The break world is selected up to this year and scored on the later ones; its break comes the year after."""


def break_world_factor(series: Mapping[int, Mapping[int, float]], until: int) -> float:
    """The break world's December factor, from the years up to ``until`` only.

    g = the largest change of the year's log growth between consecutive years seen so far; a break
    moves the year's total by e^−g through December alone: December's flow (≈ 1 − share at 11 of the
    year) is multiplied by 1 − (1 − e^−g) / (1 − share at 11), at least 0.05. The national years up to
    2015 give g = 4.6% (growth fell from 15.0% in 2014 to 9.9% in 2015) and a factor of 0.52.
    """
    growth_move = ShapeBook({y: v for y, v in series.items() if y <= until}, until + 1).largest_growth_move()
    return round(max(0.05, 1 - (1 - math.exp(-growth_move)) / (1 - DEFAULT_SHARES[11])), 4)


@functools.lru_cache(maxsize=16)
def world_coverages(world: str, method: str, december_factor: float = 1.0, min_years: int = 3) -> dict[str, float]:
    """Coverage of the 80% interval of ``method`` under each rule of INTERVAL_RULES, pooled over the
    :data:`SYNTHETIC_SEEDS` series of the ``world``: ``fixed-shape`` (every year scored) or ``break``
    (``level_break`` with ``december_factor``, scored after :data:`BREAK_WORLD_SPLIT`)."""
    totals = dict.fromkeys(INTERVAL_RULES, (0, 0))
    for seed in SYNTHETIC_SEEDS:
        if world == "fixed-shape":
            hits = interval_hits(fixed_shape(seed=seed), INTERVAL_RULES, min_years=min_years, method=method)
        elif world == "break":
            series = level_break(seed=seed, break_year=BREAK_WORLD_SPLIT + 1, december_factor=december_factor)
            hits = interval_hits(series, INTERVAL_RULES, min_years=min_years, method=method, after=BREAK_WORLD_SPLIT)
        else:
            raise ValueError(f"unknown world {world!r}")
        totals = {rule: (totals[rule][0] + hits[rule][0], totals[rule][1] + hits[rule][1]) for rule in INTERVAL_RULES}
    return {rule: round(inside / n, 4) if n else 0.0 for rule, (inside, n) in totals.items()}


def _band_distance(coverage: float) -> float:
    low, high = COVERAGE_BAND
    return round(max(low - coverage, coverage - high, 0.0), 4)


def select_interval(series: Mapping[int, Mapping[int, float]], until: int, method: str, *,
                    min_years: int = 3) -> dict[str, Any]:
    """Step 4 of the protocol on the years of ``series`` up to ``until``; a JSON-ready dict.

    Keys: ``rule``, ``band``, ``december_factor`` (the break world's), ``chosen`` and ``candidates``
    (per interval rule: selection_coverage_80, fixed_shape_coverage_80, break_world_coverage_80,
    distance from the band, eligible).
    """
    early = {year: values for year, values in series.items() if year <= until}
    factor = break_world_factor(early, until)
    selection = interval_hits(early, INTERVAL_RULES, min_years=min_years, method=method)
    fixed = world_coverages("fixed-shape", method, 1.0, min_years)
    broken = world_coverages("break", method, factor, min_years)
    candidates = []
    for rule in INTERVAL_RULES:
        inside, n = selection[rule]
        coverages = {
            "selection_coverage_80": round(inside / n, 4) if n else None,
            "fixed_shape_coverage_80": fixed[rule],
            "break_world_coverage_80": broken[rule],
        }
        distance = max(_band_distance(c) for c in coverages.values() if c is not None)
        candidates.append({"interval": rule, **coverages, "distance": distance, "eligible": rule != "calm"})
    chosen = min((c for c in candidates if c["eligible"]),
                 key=lambda c: (c["distance"], INTERVAL_RULES.index(c["interval"])))["interval"]
    return {"rule": INTERVAL_RULE, "band": list(COVERAGE_BAND), "december_factor": factor, "chosen": chosen,
            "candidates": candidates}


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
    selection years, series_ratio, synthetic_ratio, score), ``intervals`` (step 4,
    :func:`select_interval`) and the chosen method's selection-year backtest with the chosen interval
    rule: ``overall``, ``per_month``, ``forecasts``. ValueError when no year up to ``until`` has
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
    intervals = select_interval(early, until, chosen, min_years=min_years)
    chosen_run = backtest(early, min_years=min_years, method=chosen, interval=intervals["chosen"],
                          with_candidates=False)
    return {"until": until, "rule": RULE, "chosen": chosen, "candidates": candidates, "intervals": intervals,
            "overall": chosen_run["overall"], "per_month": chosen_run["per_month"],
            "forecasts": chosen_run["forecasts"]}


def select_and_score(series: Mapping[int, Mapping[int, float]], until: int, *, min_years: int = 3) -> dict[str, Any]:
    """The whole protocol: choose on the years up to ``until``, score on the later ones.

    The backtest result of the chosen method and interval rule on the scoring years (same keys as
    :func:`~touzi.monitoring.backtest.backtest`, candidates included for the record only) with the
    selection under ``selection``; each interval rule there gets its ``scoring_coverage_80``, for the
    record only.
    """
    selection = select_method(series, until, min_years=min_years)
    chosen_interval = selection["intervals"]["chosen"]
    scored = backtest(series, min_years=min_years, method=selection["chosen"], after=until, interval=chosen_interval)
    for candidate in selection["intervals"]["candidates"]:  # for the record only: the choice is made above
        rule = candidate["interval"]
        run = scored if rule == chosen_interval else backtest(series, min_years=min_years, method=selection["chosen"],
                                                             after=until, interval=rule, with_candidates=False)
        candidate["scoring_coverage_80"] = run["overall"]["coverage_80"]
    return {**scored, "selection": selection}
