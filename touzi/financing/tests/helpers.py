"""Hand-made financing data for the tests: a bank, and acts done as the platform."""

from __future__ import annotations

from decimal import Decimal

from touzi.core.actor import System
from touzi.plans.models import Plan
from touzi.testing import bank_unit
from touzi.units.models import Unit

TEST = System("test")
W = Decimal


def make_bank(plan: Plan, key: str = "bank-a", name: str = "甲银行北海分行") -> Unit:
    return bank_unit(plan, key, name)
