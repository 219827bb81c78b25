"""Units are a shared directory: every government user reads it (the 三员 too), the plan office keeps it."""

from __future__ import annotations

from touzi.core import scoping
from touzi.units.models import Unit


def register() -> None:
    scoping.register(Unit, scoping.directory, administrative=True)
