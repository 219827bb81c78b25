"""The simple share estimators: each looks at one month's past shares only.

Each takes the past years (ascending, at least one), their shares at the month, and the forecast
year, and returns the estimated share for that year. They are the candidates of the backtest and
the members of the combinations in :mod:`touzi.monitoring.forecast_book`, which look across
months and years. See docs/forecasting.md for what each assumes about the shape.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence

ShareEstimator = Callable[[Sequence[int], Sequence[float], int], float]


def naive(years: Sequence[int], shares: Sequence[float], year: int) -> float:
    """Last year's share: the shape moves like a random walk (no drift, no return)."""
    return shares[-1]


def mean_last(k: int | None) -> ShareEstimator:
    """Arithmetic mean of the last ``k`` (None: all) past shares: the shape is fixed, years are noise around it."""

    def estimate(years: Sequence[int], shares: Sequence[float], year: int) -> float:
        window = shares[-k:] if k else shares
        return math.fsum(window) / len(window)

    return estimate


def geomean_all(years: Sequence[int], shares: Sequence[float], year: int) -> float:
    return math.exp(math.fsum(math.log(s) for s in shares) / len(shares))


def trend_all(years: Sequence[int], shares: Sequence[float], year: int) -> float:
    """Least-squares line through log share against year, extrapolated (last share with one year)."""
    if len(years) < 2:
        return shares[-1]
    logs = [math.log(s) for s in shares]
    x_mean = math.fsum(years) / len(years)
    y_mean = math.fsum(logs) / len(logs)
    sxx = math.fsum((x - x_mean) ** 2 for x in years)
    slope = math.fsum((x - x_mean) * (y - y_mean) for x, y in zip(years, logs, strict=True)) / sxx
    return math.exp(y_mean + slope * (year - x_mean))


def _changes(years: Sequence[int], shares: Sequence[float]) -> list[float]:
    """Yearly changes of the log share between consecutive past years (per year across a gap)."""
    return [math.log(shares[i] / shares[i - 1]) / (years[i] - years[i - 1]) for i in range(1, len(years))]


def drift(changes: int | None) -> ShareEstimator:
    """Last year's share moved by the average yearly change of the log share.

    ``changes`` limits the average to the last 1, 2 … yearly changes; None uses all past years.
    Written as ``share * exp(...)`` so an unchanging shape gives exactly last year's share; with a
    single past year there is no change to average and it is last year's share.
    """

    def estimate(years: Sequence[int], shares: Sequence[float], year: int) -> float:
        if len(years) < 2:
            return shares[-1]
        first = 0 if changes is None else max(0, len(years) - 1 - changes)
        span = years[-1] - years[first]
        rate = (math.log(shares[-1]) - math.log(shares[first])) / span
        return shares[-1] * math.exp(rate * (year - years[-1]))

    return estimate


def drift_shrunk(years: Sequence[int], shares: Sequence[float], year: int) -> float:
    """``drift-all`` with its drift shrunk toward zero by how uncertain it is.

    The drift d is the mean of the k yearly changes, its standard error se = sd / √k. The factor
    max(0, 1 − se² / d²) (positive-part James–Stein) keeps a drift that stands out of its own
    noise and drops one that does not; with fewer than two changes nothing can be judged and the
    drift is dropped (last year's share).
    """
    changes = _changes(years, shares)
    if len(changes) < 2:
        return shares[-1]
    rate = math.fsum(changes) / len(changes)
    if rate == 0:
        return shares[-1]
    se2 = statistics.variance(changes) / len(changes)
    factor = max(0.0, 1.0 - se2 / rate**2)
    return shares[-1] * math.exp(factor * rate * (year - years[-1]))


SIMPLE_METHODS: dict[str, ShareEstimator] = {
    "naive": naive,
    "mean-3": mean_last(3),
    "mean-all": mean_last(None),
    "geomean-all": geomean_all,
    "trend-all": trend_all,
    "drift-1": drift(1),
    "drift-2": drift(2),
    "drift-all": drift(None),
    "drift-shrunk": drift_shrunk,
}
"""Candidates that estimate a month's share from that month's past shares alone."""
