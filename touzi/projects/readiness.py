"""Which reserve and preliminary projects are not ready to start in a year: asked by the roll of annual plans.

Projects keeps no preliminary milestones; an app above it (touzi.pipeline) registers a source from its
AppConfig.ready(). A source takes the year and answers a Q over Project selecting the projects whose
milestones do not allow a start that year. With no source registered every project is ready.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

NotReady = Callable[[int], Q]

_SOURCES: list[NotReady] = []


def register(source: NotReady) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def not_ready(year: int) -> Q | None:
    """The projects some source says cannot start in `year` (None: no source, none held back)."""
    found: Q | None = None
    for source in _SOURCES:
        found = source(year) if found is None else found | source(year)
    return found
