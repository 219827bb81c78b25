"""The spread of the year-end forecast, from the method's own out-of-sample errors, widened for breaks.

``sigma`` is the log-scale spread of log(December) around log(point):

1. *Calm*: s = root mean square of the method's out-of-sample errors at the month over the
   backtested past years (about zero, not about their mean: a bias is an error too).
2. *Break*: with probability :data:`BREAK_PROBABILITY` a year breaks, and a break is taken to be as
   large as the largest yearly move of the shape seen at any month so far (B). A level break (a
   revised base, a December that does not come) moves the year's total, so it moves the forecast
   at every month by the same amount, however calm that month's own history: B is therefore pooled
   over the months. The two are combined as a mixture's variance: (1 − p)·s² + p·B².
3. *Few years*: widened by t₀.₉(n) / z₀.₉ with n the backtested years, so the 80% interval
   point·exp(±z₀.₉·sigma) is the Student-t one.

That is the rule ``break-mix``. :data:`INTERVAL_RULES` are its rivals, each one of the ways to widen
for breaks: ``pool`` reads the combination as the mixture of its members' distributions,
``break-growth`` sizes the break by the largest change of the year's growth as well,
``tolerance`` bounds the quantile from above given only n errors, and ``calm`` (no break part) is the
reference. Which one the product uses (:data:`CHOSEN_INTERVAL`) is step 5 of the protocol in
:mod:`touzi.monitoring.selection`.

Standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Z_90 = 1.2815515655446004
"""Standard normal 90th percentile: the 80% interval is point · exp(±Z_90 · sigma)."""

BREAK_PROBABILITY = 0.2
"""Chance that a year breaks the shape: an a priori judgement, fixed before any scoring, not fitted.
One year in five: the base of China's investment statistics is revised after each five-yearly
economic census (years ending in 3 and 8), and a ledger's own breaks (a large project reporting
late, a reorganised list) are not rarer. docs/forecasting.md shows what other values would give."""

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


_CHI2_10 = {
    1: 0.01579, 2: 0.2107, 3: 0.5844, 4: 1.0636, 5: 1.6103, 6: 2.2041, 7: 2.8331, 8: 3.4895, 9: 4.1682,
    10: 4.8652, 11: 5.5778, 12: 6.3038, 13: 7.0415, 14: 7.7895, 15: 8.5468, 16: 9.3122, 17: 10.0852,
    18: 10.8649, 19: 11.6509, 20: 12.4426,
}

INTERVAL_RULES: tuple[str, ...] = ("break-mix", "pool", "break-growth", "tolerance", "calm")
"""The candidate interval rules, in the order that breaks ties (the simplest break widening first).
``calm`` has no break part: it is reported as the reference and cannot be chosen, as the issue asks
for an interval widened for the chance of a break."""

CHOSEN_INTERVAL = "break-mix"
"""What step 5 of the protocol picks on the national series up to 2015 (a test keeps the two in step)."""


def chi2_10(df: int) -> float:
    """10th percentile of the chi-square distribution with ``df`` degrees of freedom (table to 20, then
    Wilson–Hilferty)."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df in _CHI2_10:
        return _CHI2_10[df]
    a = 2 / (9 * df)
    return df * (1 - a - Z_90 * math.sqrt(a)) ** 3


def tolerance_factor(n: int) -> float:
    """How much wider than z₀.₉·s an interval must be to hold 80% of the distribution with 90% confidence,
    given only the root mean square s of ``n`` errors (Howe's normal tolerance factor, divided by z₀.₉):
    an upper bound on the quantile instead of its estimate."""
    return math.sqrt((n + 1) / chi2_10(n))


def rule_spread(rule: str, errors: Sequence[float], *, largest_move: float, growth_move: float = 0.0,
                pool_variance: float | None = None, break_probability: float = BREAK_PROBABILITY) -> float:
    """Log-scale sigma under the interval ``rule`` (one of :data:`INTERVAL_RULES`).

    ``errors`` are the method's out-of-sample errors at the month, ``largest_move`` the largest
    whole-shape yearly move, ``growth_move`` the largest change of the year's log growth and
    ``pool_variance`` the combination's variance read as a pool of its members (None when the method
    is not a combination: the rule ``pool`` then uses the method's own errors).
    """
    if not errors:
        raise ValueError("at least one out-of-sample error is needed")
    if not 0 <= break_probability < 1:
        raise ValueError("break_probability must be in [0, 1)")
    if rule not in INTERVAL_RULES:
        raise ValueError(f"unknown interval rule {rule!r}; one of {', '.join(INTERVAL_RULES)}")
    calm = math.fsum(e * e for e in errors) / len(errors)
    if rule == "pool" and pool_variance is not None:
        calm = pool_variance
    p = 0.0 if rule == "calm" else break_probability
    move = max(largest_move, growth_move) if rule == "break-growth" else largest_move
    variance = (1 - p) * calm + p * move**2
    factor = tolerance_factor(len(errors)) if rule == "tolerance" else t_90(len(errors)) / Z_90
    return math.sqrt(variance) * factor


def spread(errors: Sequence[float], largest_move: float, *, break_probability: float = BREAK_PROBABILITY) -> float:
    """Log-scale sigma from the out-of-sample ``errors`` at a month and the largest yearly move of the shape."""
    if not errors:
        raise ValueError("at least one out-of-sample error is needed")
    if not 0 <= break_probability < 1:
        raise ValueError("break_probability must be in [0, 1)")
    calm = math.fsum(e * e for e in errors) / len(errors)
    variance = (1 - break_probability) * calm + break_probability * largest_move**2
    return math.sqrt(variance) * t_90(len(errors)) / Z_90
