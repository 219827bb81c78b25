"""Past years' shares and every method's out-of-sample errors on them, for one forecast year.

A :class:`ShapeBook` holds the shares of the years before the forecast year (nothing later) and
answers two questions for any method, month and past year t: what share would the method have
estimated for t from the years before t only, and how wrong was it. Those *out-of-sample* errors
drive the two adaptive methods here and the forecast interval (:mod:`forecast_interval`):

- ``combo``: the members :data:`COMBO_MEMBERS` averaged on the log scale with weights inverse to
  their mean squared error over the last :data:`RECENT_YEARS` backtested years, all months pooled;
- ``pick-recent``: at each month, the member with the smallest squared error at that month over the
  same recent years (a per-month choice by rolling backtest).

Errors are ``log(actual share / estimated share)`` = ``log(forecast / actual)`` of the year-end
forecast: positive when the year-end value was over-forecast.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

from touzi.monitoring.forecast_methods import SIMPLE_METHODS

FORECAST_MONTHS = range(2, 12)
"""Months from which a year-end forecast is made: 2 (January–February) to 11."""

MIN_PAST = 2
"""Earlier years a past year needs before its out-of-sample error counts: one yearly change, the
least that tells a drift from a level. With one earlier year every member is last year's share."""

COMBO_MEMBERS = ("naive", "mean-all", "trend-all", "drift-all")
"""One member for each simple view of the shape: it moves like a random walk (naive), it is fixed
and years are noise around it (mean-all), it drifts along a line (trend-all) or at its average past
rate from where it is now (drift-all). The combination lets the recent errors say which holds."""

RECENT_YEARS = 3
"""Backtested years the combination weights look at: a judgement, fixed before any scoring. Three
years follow a change of regime within a few years without chasing one year's luck."""

ADAPTIVE_METHODS = ("combo", "pick-recent")


class ShapeBook:
    """The shares of ``history``'s years before ``year`` and, on demand, every method's estimates and errors."""

    def __init__(self, history: Mapping[int, Mapping[int, float]], year: int) -> None:
        self.year = year
        self.shares: dict[int, dict[int, float]] = {}
        self.totals: dict[int, float] = {}
        for y in sorted(history):
            if y >= year:
                continue
            values = history[y]
            total = values.get(12)
            if total is None or total <= 0:
                continue
            months = {m: float(values[m]) / float(total) for m in FORECAST_MONTHS
                      if values.get(m) is not None and values[m] > 0}
            if months:
                self.shares[y] = months
                self.totals[y] = float(total)
        # Caches: a backtest asks the same questions for every month and every candidate.
        self._past: dict[tuple[int, int], tuple[list[int], list[float]]] = {}
        self._estimates: dict[tuple[str, int, int], float | None] = {}
        self._errors: dict[tuple[str, int, int], float | None] = {}
        self._recent: dict[int, list[int]] = {}
        self._weights: dict[int, dict[str, float]] = {}
        self._largest_move: float | None = None
        self._largest_growth_move: float | None = None

    # --- Shares --------------------------------------------------------------------------------

    def past(self, year: int, month: int) -> tuple[list[int], list[float]]:
        """Years before ``year`` with a share at ``month`` (ascending), and those shares."""
        key = (year, month)
        if key not in self._past:
            years = [y for y in self.shares if y < year and month in self.shares[y]]
            self._past[key] = (years, [self.shares[y][month] for y in years])
        years, shares = self._past[key]
        return list(years), list(shares)

    def estimate(self, method: str, year: int, month: int) -> float | None:
        """The share ``method`` estimates for ``year`` at ``month`` from the years before it; None without any."""
        key = (method, year, month)
        if key not in self._estimates:
            self._estimates[key] = self._estimate(method, year, month)
        return self._estimates[key]

    def _estimate(self, method: str, year: int, month: int) -> float | None:
        years, shares = self.past(year, month)
        if not years:
            return None
        if method in SIMPLE_METHODS:
            return SIMPLE_METHODS[method](years, shares, year)
        if method == "combo":
            return self._combine(year, month)
        if method == "pick-recent":
            return self.estimate(self._pick(year, month), year, month)
        raise ValueError(f"unknown method {method!r}")

    # --- Out-of-sample errors -----------------------------------------------------------------

    def error(self, method: str, year: int, month: int) -> float | None:
        """log(actual / estimated share) of a past ``year`` at ``month``, if it had :data:`MIN_PAST` earlier years."""
        key = (method, year, month)
        if key not in self._errors:
            actual = self.shares.get(year, {}).get(month)
            if actual is None or len(self.past(year, month)[0]) < MIN_PAST:
                self._errors[key] = None
            else:
                estimated = self.estimate(method, year, month)
                self._errors[key] = None if estimated is None else math.log(actual / estimated)
        return self._errors[key]

    def errors_at(self, method: str, month: int) -> list[float]:
        """The method's out-of-sample errors at ``month``, one per backtested past year."""
        found = (self.error(method, y, month) for y in self.shares)
        return [e for e in found if e is not None]

    def largest_move(self) -> float:
        """The largest yearly move of the whole shape between consecutive past years (0 if none).

        A year's move is the mean over the months both years have of the change of the log share:
        the part of the move that every month shares, as a change of the year's total (a level
        break) moves them all alike, while a single month's jolt averages out.
        """
        if self._largest_move is None:
            moves = [0.0]
            years = list(self.shares)
            for before, after in itertools.pairwise(years):
                months = [m for m in self.shares[after] if m in self.shares[before]]
                if months:
                    changes = [math.log(self.shares[after][m] / self.shares[before][m]) for m in months]
                    moves.append(abs(math.fsum(changes) / len(changes)))
            self._largest_move = max(moves)
        return self._largest_move

    def largest_growth_move(self) -> float:
        """The largest change of the year's growth between consecutive past years, on the log scale (0 if none).

        log(total_t / total_t-1) − log(total_t-1 / total_t-2), largest in absolute value over the past
        years that follow each other: how far a year's total has ever strayed from the growth the year
        before it set. A break of the year's total of that size moves the forecast at every month alike.
        """
        if self._largest_growth_move is None:
            years = list(self.totals)
            growth = {after: math.log(self.totals[after] / self.totals[before])
                      for before, after in itertools.pairwise(years) if after == before + 1}
            moves = [abs(growth[y] - growth[y - 1]) for y in growth if y - 1 in growth]
            self._largest_growth_move = max(moves, default=0.0)
        return self._largest_growth_move

    def pool_variance(self, year: int, month: int) -> float | None:
        """The variance of the combination read as a pool of its members (law of total variance).

        Each member's forecast distribution has its mean at the member's log share and its spread
        from the member's own out-of-sample errors at ``month``; the combination is their mixture
        with the combination weights: Σ w·(mean squared error) + Σ w·(member − combination)².
        None when a member has no error at the month.
        """
        weights = self.weights(year)
        combined = self.estimate("combo", year, month)
        if combined is None:
            return None
        within = between = 0.0
        for member in COMBO_MEMBERS:
            errors = self.errors_at(member, month)
            estimate = self.estimate(member, year, month)
            if not errors or estimate is None:
                return None
            within += weights[member] * math.fsum(e * e for e in errors) / len(errors)
            between += weights[member] * math.log(estimate / combined) ** 2
        return within + between

    # --- The adaptive methods -------------------------------------------------------------------

    def _recent_years(self, year: int) -> list[int]:
        """The last :data:`RECENT_YEARS` years before ``year`` on which every member was backtested at some month."""
        if year not in self._recent:
            scored = [y for y in self.shares if y < year
                      and any(all(self.error(c, y, m) is not None for c in COMBO_MEMBERS) for m in FORECAST_MONTHS)]
            self._recent[year] = scored[-RECENT_YEARS:]
        return self._recent[year]

    def _squared_errors(self, year: int, months: range | list[int]) -> dict[str, float] | None:
        """Each member's mean squared error over the recent years before ``year`` at ``months``; None if none."""
        pairs = [(y, m) for y in self._recent_years(year) for m in months
                 if all(self.error(c, y, m) is not None for c in COMBO_MEMBERS)]
        if not pairs:
            return None
        return {c: math.fsum(self.error(c, y, m) ** 2 for y, m in pairs) / len(pairs)  # type: ignore[operator]
                for c in COMBO_MEMBERS}

    def weights(self, year: int) -> dict[str, float]:
        """The combination weights for ``year``: inverse mean squared error of the recent years, all months pooled.

        Pooled because a year's errors at different months are mostly one error (how the year's last
        months turned out): a month on its own has two or three numbers, too few to weigh anything.
        Equal weights before any member has been backtested; a member that never erred takes it all.
        """
        if year not in self._weights:
            mse = self._squared_errors(year, FORECAST_MONTHS)
            if mse is None:
                raw = dict.fromkeys(COMBO_MEMBERS, 1.0)
            elif any(v == 0 for v in mse.values()):
                raw = {c: 1.0 if v == 0 else 0.0 for c, v in mse.items()}
            else:
                raw = {c: 1.0 / v for c, v in mse.items()}
            total = math.fsum(raw.values())
            self._weights[year] = {c: w / total for c, w in raw.items()}
        return self._weights[year]

    def _combine(self, year: int, month: int) -> float:
        """The weighted mean of the members' log shares, written as last year's share times a factor
        so that an unchanging shape (every member at last year's share) gives it back exactly."""
        anchor = self.estimate("naive", year, month)
        assert anchor is not None
        weights = self.weights(year)
        shift = math.fsum(weights[c] * math.log(self.estimate(c, year, month) / anchor)  # type: ignore[operator]
                          for c in COMBO_MEMBERS)
        return anchor * math.exp(shift)

    def _pick(self, year: int, month: int) -> str:
        """The member with the smallest recent squared error at ``month``; naive before any backtest."""
        mse = self._squared_errors(year, [month])
        if mse is None:
            return "naive"
        return min(COMBO_MEMBERS, key=lambda c: mse[c])  # ties: the first, the simplest
