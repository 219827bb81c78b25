"""Synthetic year-to-date series with a known shape, for the selection protocol and the tests.

``fixed_shape`` is the ledger-like world where nothing drifts: a fixed monthly shape, steady growth
and noise on every month's flow. ``level_break`` adds, from one year on, a lasting change of the
December flow — what a revised statistical base or a year-end that does not come looks like. Both
are deterministic for a given seed (``random.Random``), standard library only.
"""

from __future__ import annotations

import random

from touzi.monitoring.forecast import DEFAULT_SHARES

Series = dict[int, dict[int, float]]


def _series(years: int, noise: float, growth: float, seed: int, first_year: int,
            december: dict[int, float]) -> Series:
    rng = random.Random(seed)
    series: Series = {}
    total = 1000.0
    for i in range(years):
        year = first_year + i
        ytd, previous, values = 0.0, 0.0, {}
        for month in range(2, 13):
            flow = total * (DEFAULT_SHARES[month] - previous) * (1 + rng.gauss(0, noise))
            if month == 12:
                flow *= december.get(year, 1.0)
            ytd += flow
            previous = DEFAULT_SHARES[month]
            values[month] = ytd
        series[year] = values
        total *= 1 + growth
    return series


def fixed_shape(years: int = 10, noise: float = 0.03, growth: float = 0.08, seed: int = 7,
                first_year: int = 2010) -> Series:
    """Fixed monthly shape (DEFAULT_SHARES), ``growth`` a year, each month's flow off by ~``noise`` (normal)."""
    return _series(years, noise, growth, seed, first_year, {})


def level_break(years: int = 10, break_year: int = 2016, december_factor: float = 0.5, noise: float = 0.01,
                growth: float = 0.08, seed: int = 7, first_year: int = 2010) -> Series:
    """:func:`fixed_shape` whose December flow is multiplied by ``december_factor`` from ``break_year`` on.

    With the default 0.5 the December share falls from 9.3% to about 4.9%: every month's share jumps
    up by some 4.6% in ``break_year`` and stays there, as the national shape did in 2018.
    """
    december = {first_year + i: december_factor for i in range(years) if first_year + i >= break_year}
    return _series(years, noise, growth, seed, first_year, december)
