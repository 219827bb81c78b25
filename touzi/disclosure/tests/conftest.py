from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache

from touzi.projects.models import Project


@pytest.fixture(autouse=True)
def _clear_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def gov(projects) -> dict[str, Project]:
    """The mini plan's projects made government-invested: the plant (lead unit: industry bureau) and the rail
    line (lead unit: the DRC) with fiscal money above the 1000 万元 threshold, the park below it."""
    Project.objects.filter(pk__in=[projects["plant"].pk, projects["rail"].pk]).update(
        is_government=True, fiscal_contribution=Decimal("5000"))
    Project.objects.filter(pk=projects["park"].pk).update(is_government=True, fiscal_contribution=Decimal("999"))
    for p in projects.values():
        p.refresh_from_db()
    return projects
