"""Monitoring settings belong to their plan: read and changed through the plan, never listed by `scope`."""

from __future__ import annotations

from touzi.core import scoping
from touzi.monitoring.models import MonitoringSettings


def register() -> None:
    scoping.exempt(MonitoringSettings, "one row per plan, reached through the scoped plan")
