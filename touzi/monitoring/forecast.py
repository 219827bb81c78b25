"""Year-end forecast of a year-to-date (YTD) investment series from its seasonal shape.

Chinese investment is reported year to date: month 2 is January–February combined (there is no
month 1) and month 12 is the year's total. For a past year y the *share* of month m is
``s_y(m) = YTD_y(m) / YTD_y(12)``; knowing this year's YTD at month m, the December value is
``observed / share``. Everything here is about estimating that share and how wrong it may be.

The method (:data:`CHOSEN_METHOD`) was chosen by the protocol of :mod:`touzi.monitoring.selection`:
on the national series' years up to 2015 only, then scored on 2016–2018 (docs/forecasting.md). It
does not assume the training years' shape goes on: ``combo`` averages four views of the shape
(random walk, fixed, linear trend, drift; :mod:`forecast_book`) with weights learned from their
recent out-of-sample errors, so the weight moves to whichever view has lately been right.

The spread comes from the same out-of-sample errors, of the method itself, widened for the chance of
a break (:mod:`forecast_interval`). The forecast distribution is lognormal, log(December) ~
Normal(log(point), sigma²), censored at the value already observed (a YTD value does not fall);
its 80% interval and the probability of meeting a target both come from it. With fewer than
``min_years`` usable past years the forecast falls back on :data:`DEFAULT_SHARES`, the national
shape, with the wide spread :data:`DEFAULT_LOG_SD`.

Standard library only (no numpy/scipy).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from touzi.monitoring.forecast_book import ADAPTIVE_METHODS, FORECAST_MONTHS, ShapeBook
from touzi.monitoring.forecast_interval import (
    BREAK_PROBABILITY,
    CHOSEN_INTERVAL,
    INTERVAL_RULES,
    Z_90,
    rule_spread,
    t_90,
)
from touzi.monitoring.forecast_methods import SIMPLE_METHODS

__all__ = [
    "BREAK_PROBABILITY", "CHOSEN_INTERVAL", "CHOSEN_METHOD", "DEFAULT_LOG_SD", "DEFAULT_SHARES", "FALLBACK_METHOD",
    "FORECAST_MONTHS", "INTERVAL_RULES", "METHODS", "Z_90", "Forecast", "ShapeBook", "forecast_from_book", "forecast_year_end", "t_90",
]

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

METHODS: tuple[str, ...] = (*SIMPLE_METHODS, *ADAPTIVE_METHODS)
"""Every candidate the backtest and the selection compare; :data:`CHOSEN_METHOD` is one of them."""

CHOSEN_METHOD = "combo"
"""What :func:`touzi.monitoring.selection.select_method` picks on the national series up to 2015
(a test keeps the two in step)."""

FALLBACK_METHOD = "default-shape"


@dataclass(frozen=True)
class Forecast:
    month: int  # the last observed month (2..11); 2 means January–February
    observed: float  # YTD value at that month
    point: float  # forecast of the December YTD value
    low: float  # 10th percentile of the forecast distribution
    high: float  # 90th percentile
    method: str  # short name of the method used
    share: float = 1.0  # estimated share of the year's total reached by `month` (point = observed / share)
    sigma: float = 0.0  # log-scale spread of the forecast distribution (break- and t-widened)
    years: int = 0  # past years the shape was estimated from (0 .. min_years-1 for the fallback)
    backtested: int = 0  # past years the spread was measured on (out-of-sample); 0 for the fallback

    @property
    def from_backtest(self) -> bool:
        """True when the spread comes from the series' own backtest, False for the default seasonal shape."""
        return self.method != FALLBACK_METHOD

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


def _distribution(month: int, observed: float, share: float, sigma: float, method: str, years: int,
                  backtested: int) -> Forecast:
    share = min(share, 1.0)  # the year cannot end below what is already done
    point = observed / share
    low = max(observed, point * math.exp(-Z_90 * sigma))
    high = point * math.exp(Z_90 * sigma)
    return Forecast(month=month, observed=observed, point=point, low=low, high=high, method=method,
                    share=share, sigma=sigma, years=years, backtested=backtested)


def _checked(month: int, observed: float, min_years: int, method: str) -> float:
    if month not in FORECAST_MONTHS:
        raise ValueError(f"month must be 2..11 (2 = January–February), not {month}")
    try:
        value = float(observed)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"observed must be a positive number, not {observed!r}")
    if min_years < 3:
        raise ValueError("min_years must be at least 3: a spread needs a past year backtested on two before it")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    return value


def forecast_from_book(book: ShapeBook, month: int, observed: float, *, min_years: int = 3,
                       method: str = CHOSEN_METHOD, break_probability: float = BREAK_PROBABILITY,
                       interval: str = CHOSEN_INTERVAL) -> Forecast:
    """:func:`forecast_year_end` on a prepared :class:`ShapeBook` (the backtest reuses one per year)."""
    value = _checked(month, observed, min_years, method)
    if interval not in INTERVAL_RULES:
        raise ValueError(f"unknown interval rule {interval!r}; one of {', '.join(INTERVAL_RULES)}")
    years, _ = book.past(book.year, month)
    if len(years) < min_years:
        return _distribution(month, value, DEFAULT_SHARES[month], DEFAULT_LOG_SD[month], FALLBACK_METHOD,
                             len(years), 0)
    share = book.estimate(method, book.year, month)
    assert share is not None  # there are past years
    errors = book.errors_at(method, month)  # at least one: the third past year had two before it
    sigma = rule_spread(
        interval, errors, largest_move=book.largest_move(),
        growth_move=book.largest_growth_move() if interval == "break-growth" else 0.0,
        pool_variance=book.pool_variance(book.year, month) if interval == "pool" and method == "combo" else None,
        break_probability=break_probability,
    )
    return _distribution(month, value, share, sigma, method, len(years), len(errors))


def forecast_year_end(history: Mapping[int, Mapping[int, float]], year: int, month: int, observed: float, *,
                      min_years: int = 3, method: str = CHOSEN_METHOD,
                      break_probability: float = BREAK_PROBABILITY, interval: str = CHOSEN_INTERVAL) -> Forecast:
    """Forecast the December YTD value of ``year`` from its YTD value ``observed`` at ``month``.

    ``history`` maps past years to {month: YTD value} (months 2..12, 12 = the year's total). Only
    years before ``year`` are used (later ones are ignored, so a whole ledger may be passed); a
    year counts at ``month`` when it has positive values at ``month`` and at 12. With fewer than
    ``min_years`` such years the national :data:`DEFAULT_SHARES` are used with the wide
    :data:`DEFAULT_LOG_SD` (method ``default-shape``). ``method`` picks a candidate from
    :data:`METHODS`, ``break_probability`` the break widening and ``interval`` one of
    :data:`INTERVAL_RULES` (for the backtest and the docs); leave them at their defaults.
    """
    return forecast_from_book(ShapeBook(history, year), month, observed, min_years=min_years, method=method,
                              break_probability=break_probability, interval=interval)
