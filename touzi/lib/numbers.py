"""Exact numbers shown the way the plan writes them."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> Decimal:
    """500.0000 → 500 and 15.50 → 15.5, never 5E+2."""
    return Decimal(format(value.normalize(), "f"))
