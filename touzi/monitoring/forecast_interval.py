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


def spread(errors: Sequence[float], largest_move: float, *, break_probability: float = BREAK_PROBABILITY) -> float:
    """Log-scale sigma from the out-of-sample ``errors`` at a month and the largest yearly move of the shape."""
    if not errors:
        raise ValueError("at least one out-of-sample error is needed")
    if not 0 <= break_probability < 1:
        raise ValueError("break_probability must be in [0, 1)")
    calm = math.fsum(e * e for e in errors) / len(errors)
    variance = (1 - break_probability) * calm + break_probability * largest_move**2
    return math.sqrt(variance) * t_90(len(errors)) / Z_90
