"""Year-end forecast of a year-to-date (YTD) investment series from its seasonal shape.

Chinese investment is reported year to date: month 2 is January–February combined (there is no
month 1) and month 12 is the year's total. For a past year y the *share* of month m is
``s_y(m) = YTD_y(m) / YTD_y(12)``; knowing this year's YTD at month m, the December value is
``observed / share``. Everything here is about estimating that share and how wrong it may be.

The chosen method (``drift-all``, chosen by the leave-future-out backtest in
:mod:`touzi.monitoring.backtest`, see docs/forecasting.md) takes last year's share and moves it by
the average yearly change of the log share over all past years: the national shape has drifted
steadily towards the earlier months (December ever lighter), and a share that only looks backwards
(last year's, or an average of several years) is then systematically too low, the forecast too high.

The forecast distribution is lognormal: log(December) ~ Normal(log(point), sigma²), censored at
the value already observed (a YTD value does not fall). sigma comes from the size of the yearly
changes of the log share at that month (their root mean square), scaled for the uncertainty of the
estimated drift, and widened so that its 80% interval equals a Student-t one with as many degrees of
freedom as there were yearly changes. With fewer than ``min_years`` usable past years the
forecast falls back on :data:`DEFAULT_SHARES`, the national shape, with the wide spread
:data:`DEFAULT_LOG_SD`.

Standard library only (no numpy/scipy).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

FORECAST_MONTHS = range(2, 12)
"""Months from which a year-end forecast is made: 2 (January–February) to 11."""

DEFAULT_SHARES: dict[int, float] = {
    2: 0.0621, 3: 0.1403, 4: 0.2186, 5: 0.3115, 6: 0.4300, 7: 0.5218,
    8: 0.6140, 9: 0.7182, 10: 0.8150, 11: 0.9068, 12: 1.0,
}
"""Share of the year's total reached by the end of each month: the arithmetic mean of the shares of
China's national fixed-asset investment (不含农户), 2011–2018 (touzi/monitoring/data)."""

DEFAULT_LOG_SD: dict[int, float] = {
    2: 0.13, 3: 0.13, 4: 0.10, 5: 0.085, 6: 0.08, 7: 0.065, 8: 0.055, 9: 0.05, 10: 0.045, 11: 0.045,
}
"""Log-scale spread used with :data:`DEFAULT_SHARES`: twice the root mean square deviation of the
national 2011–2018 log shares from their mean (0.063 at month 2 … 0.022 at month 11). Doubled as a
judgement, not an estimate: a local ledger's shape is not the nation's and nothing of the ledger's
own shape has been seen yet."""

CHOSEN_METHOD = "drift-all"
FALLBACK_METHOD = "default-shape"

Z_90 = 1.2815515655446004
"""Standard normal 90th percentile: the 80% interval is point · exp(±Z_90 · sigma)."""

_T_90 = {
    1: 3.0777, 2: 1.8856, 3: 1.6377, 4: 1.5332, 5: 1.4759, 6: 1.4398, 7: 1.4149, 8: 1.3968,
    9: 1.3830, 10: 1.3722, 11: 1.3634, 12: 1.3562, 13: 1.3502, 14: 1.3450, 15: 1.3406, 16: 1.3368,
    17: 1.3334, 18: 1.3304, 19: 1.3277, 20: 1.3253, 21: 1.3232, 22: 1.3212, 23: 1.3195, 24: 1.3178,
    25: 1.3163, 26: 1.3150, 27: 1.3137, 28: 1.3125, 29: 1.3114, 30: 1.3104,
}


def t_90(df: int) -> float:
    """90th percentile of Student's t with ``df`` degrees of freedom (table to 30, then Cornish–Fisher)."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df in _T_90:
        return _T_90[df]
    z = Z_90
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


@dataclass(frozen=True)
class Forecast:
    month: int  # the last observed month (2..11); 2 means January–February
    observed: float  # YTD value at that month
    point: float  # forecast of the December YTD value
    low: float  # 10th percentile of the forecast distribution
    high: float  # 90th percentile
    method: str  # short name of the method used
    share: float = 1.0  # estimated share of the year's total reached by `month` (point = observed / share)
    sigma: float = 0.0  # log-scale spread of the forecast distribution (t-widened)
    years: int = 0  # past years the shape was estimated from (0 .. min_years-1 for the fallback)

    def probability_at_least(self, target: float) -> float:
        """P(December value >= target) under the forecast distribution.

        The distribution is lognormal around ``point`` with log-scale spread ``sigma``, censored at
        ``observed``: the year cannot end below what is already done, so any target up to
        ``observed`` is reached with probability 1. ``low`` and ``high`` are its 10th and 90th
        percentiles, so ``probability_at_least(low)`` is 0.9 (unless censored) and
        ``probability_at_least(high)`` 0.1.
        """
        if math.isnan(target):
            raise ValueError("target is not a number")
        if target <= self.observed:
            return 1.0
        if self.sigma <= 0:
            return 1.0 if target <= self.point else 0.0
        z = (math.log(target) - math.log(self.point)) / self.sigma
        return 0.5 * math.erfc(z / math.sqrt(2))


# --- Candidate share estimators -------------------------------------------------------------------
# Each takes the past years (ascending), their shares at the month, and the forecast year, and
# returns the estimated share for that year. Only `drift-all` is used by default; the others are
# kept so the backtest can show why (docs/forecasting.md).

ShareEstimator = Callable[[Sequence[int], Sequence[float], int], float]


def _naive(years: Sequence[int], shares: Sequence[float], year: int) -> float:
    return shares[-1]


def _mean_last(k: int | None) -> ShareEstimator:
    def estimate(years: Sequence[int], shares: Sequence[float], year: int) -> float:
        window = shares[-k:] if k else shares
        return math.fsum(window) / len(window)

    return estimate


def _geomean_all(years: Sequence[int], shares: Sequence[float], year: int) -> float:
    return math.exp(math.fsum(math.log(s) for s in shares) / len(shares))


def _trend_all(years: Sequence[int], shares: Sequence[float], year: int) -> float:
    logs = [math.log(s) for s in shares]
    x_mean = math.fsum(years) / len(years)
    y_mean = math.fsum(logs) / len(logs)
    sxx = math.fsum((x - x_mean) ** 2 for x in years)
    slope = math.fsum((x - x_mean) * (y - y_mean) for x, y in zip(years, logs, strict=True)) / sxx
    return math.exp(y_mean + slope * (year - x_mean))


def _drift(changes: int | None) -> ShareEstimator:
    """Last year's share moved by the average yearly change of the log share.

    ``changes`` limits the average to the last 1, 2 … yearly changes; None uses all past years.
    Written as ``share * exp(...)`` so an unchanging shape gives exactly last year's share.
    """

    def estimate(years: Sequence[int], shares: Sequence[float], year: int) -> float:
        first = 0 if changes is None else max(0, len(years) - 1 - changes)
        span = years[-1] - years[first]
        drift = (math.log(shares[-1]) - math.log(shares[first])) / span
        return shares[-1] * math.exp(drift * (year - years[-1]))

    return estimate


METHODS: dict[str, ShareEstimator] = {
    "naive": _naive,
    "mean-3": _mean_last(3),
    "mean-all": _mean_last(None),
    "geomean-all": _geomean_all,
    "trend-all": _trend_all,
    "drift-1": _drift(1),
    "drift-2": _drift(2),
    "drift-all": _drift(None),
}
"""Candidate share estimators compared by the backtest; ``drift-all`` is the chosen one."""


def past_shares(history: Mapping[int, Mapping[int, float]], year: int, month: int) -> tuple[list[int], list[float]]:
    """Past years (before ``year``, ascending) with a positive value at ``month`` and at 12, and their shares."""
    years: list[int] = []
    shares: list[float] = []
    for y in sorted(history):
        if y >= year:
            continue
        values = history[y]
        at_month, total = values.get(month), values.get(12)
        if at_month is None or total is None or at_month <= 0 or total <= 0:
            continue
        years.append(y)
        shares.append(float(at_month) / float(total))
    return years, shares


def _spread(years: Sequence[int], shares: Sequence[float], year: int) -> float:
    """Log-scale sigma of the forecast error for the drift estimate, t-widened.

    The yearly change of the log share (per year, for gaps: change / sqrt(gap)) is taken as the
    scale of how far a year's shape moves; its root mean square (not demeaned: the past drift is
    not assumed to persist exactly) over the k changes gives s. The forecast `horizon` years ahead
    of the last past year adds the uncertainty of the drift estimated over `span` years:
    s² · (horizon + horizon² / span). Finally the normal is widened by t_90(k) / z_90 so that its
    80% interval equals the Student-t one with k degrees of freedom.
    """
    squares = [math.log(shares[i] / shares[i - 1]) ** 2 / (years[i] - years[i - 1]) for i in range(1, len(years))]
    k = len(squares)
    rms = math.sqrt(math.fsum(squares) / k)
    horizon = year - years[-1]
    span = years[-1] - years[0]
    return rms * math.sqrt(horizon + horizon**2 / span) * t_90(k) / Z_90


def _distribution(month: int, observed: float, share: float, sigma: float, method: str, years: int) -> Forecast:
    share = min(share, 1.0)  # the year cannot end below what is already done
    point = observed / share
    low = max(observed, point * math.exp(-Z_90 * sigma))
    high = point * math.exp(Z_90 * sigma)
    return Forecast(month=month, observed=observed, point=point, low=low, high=high, method=method,
                    share=share, sigma=sigma, years=years)


def forecast_year_end(history: Mapping[int, Mapping[int, float]], year: int, month: int, observed: float, *,
                      min_years: int = 3, method: str = CHOSEN_METHOD) -> Forecast:
    """Forecast the December YTD value of ``year`` from its YTD value ``observed`` at ``month``.

    ``history`` maps past years to {month: YTD value} (months 2..12, 12 = the year's total). Only
    years before ``year`` are used (later ones are ignored, so a whole ledger may be passed); a
    year counts when it has positive values at ``month`` and at 12. With fewer than ``min_years``
    such years the national :data:`DEFAULT_SHARES` are used with the wide :data:`DEFAULT_LOG_SD`
    (method ``default-shape``). ``method`` picks a candidate from :data:`METHODS` (for the
    backtest); leave it at the default.
    """
    if month not in FORECAST_MONTHS:
        raise ValueError(f"month must be 2..11 (2 = January–February), not {month}")
    try:
        value = float(observed)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"observed must be a positive number, not {observed!r}")
    if min_years < 3:
        raise ValueError("min_years must be at least 3: two yearly changes are the least a spread is judged from")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    years, shares = past_shares(history, year, month)
    if len(years) < min_years:
        return _distribution(month, value, DEFAULT_SHARES[month], DEFAULT_LOG_SD[month],
                             FALLBACK_METHOD, len(years))
    share = METHODS[method](years, shares, year)
    return _distribution(month, value, share, _spread(years, shares, year), method, len(years))
