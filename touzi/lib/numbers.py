"""Exact numbers shown the way the plan writes them."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> Decimal:
    """500.0000 → 500 and 15.50 → 15.5, never 5E+2."""
    return Decimal(format(value.normalize(), "f"))


FOUR_PLACES = Decimal("0.0001")


def money(value: object) -> Decimal:
    """A sum of 万元 as exact as the ledger keeps it (four places, i.e. to the yuan).

    SQLite adds DECIMAL columns as REAL; rounding the sum back to the ledger's precision removes the
    float noise without losing anything the ledger ever held.
    """
    return Decimal(str(value or 0)).quantize(FOUR_PLACES)
