"""What apps above monitoring add to it, registered from their AppConfig.ready(): monitoring imports none of them.

- a measure source: how a plan target with `measure: {source: <name>}` is measured (the promotion register's
  funds arrived), called with (plan, target, window, month) and answering (value, detail);
- a project alert source: more warnings on the projects themselves (the approvals' late approvals, papers and
  commitments), called with (projects, month, today) and returning monitoring's pending warnings, which then
  go through the same resolution, ordering and keys as monitoring's own;
- a warning source: warnings on the app's own records (agreements), listed beside the project warnings and
  raised as supervision tasks the same way. Its keys start with `prefix` (`promo_…:<id>:<YYYY-MM>`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from touzi.core.actor import Actor

Measure = Callable[[Any, Any, Any, dt.date], tuple[Decimal | None, dict[str, Any]]]

_MEASURES: dict[str, Measure] = {}


def register_measure(source: str, measure: Measure) -> None:
    _MEASURES[source] = measure


def measure_for(source: str) -> Measure | None:
    return _MEASURES.get(source)


ProjectAlertSource = Callable[[Any, dt.date, dt.date], list[Any]]

_PROJECT_ALERTS: list[ProjectAlertSource] = []


def register_alert_source(source: ProjectAlertSource) -> None:
    """Join `source`'s project warnings to every list of warnings (once, however often it is registered)."""
    if source not in _PROJECT_ALERTS:
        _PROJECT_ALERTS.append(source)


def project_alert_sources() -> list[ProjectAlertSource]:
    return list(_PROJECT_ALERTS)


# Kinds of project warning that can be counted and paged in the database (touzi.monitoring.alerts.AlertKind):
# a queryset with its level in SQL and a builder for the rows listed. What a kind needs at a nation's scale,
# where a source's full list would be 10^5 rows (the pipeline's 未统计入库).
_PROJECT_KINDS: list[Callable[[], Sequence[Any]]] = []


def register_alert_kinds(factory: Callable[[], Sequence[Any]]) -> None:
    """Join the kinds `factory()` returns to every list of warnings (once, however often it is registered)."""
    if factory not in _PROJECT_KINDS:
        _PROJECT_KINDS.append(factory)


def project_alert_kinds() -> list[Any]:
    return [kind for factory in _PROJECT_KINDS for kind in factory()]


@dataclass(frozen=True)
class WarningSource:
    prefix: str  # the kinds' common prefix ("promo_")
    choices: Sequence[tuple[str, Any]]  # (kind, label) of its warning kinds
    alerts: Callable[..., list[Any]]  # alerts(actor, month, *, plan=None): alerts shaped like monitoring's
    find: Callable[..., Any]  # find(user, key, *, plan=None): the alert of that key, or None
    # The template listing its alerts on the warnings page (included with `alerts` and `period`); "": the
    # promotion register's list (promotion/_alerts.html).
    template: str = ""


_WARNINGS: list[WarningSource] = []


def register_warnings(source: WarningSource) -> None:
    if all(s.prefix != source.prefix for s in _WARNINGS):
        _WARNINGS.append(source)


def warning_sources() -> list[WarningSource]:
    return list(_WARNINGS)


def other_alerts(actor: Actor, month: dt.date, plan: Any = None) -> list[Any]:
    """The registered sources' warnings of the month (none when no app registered one)."""
    return [alert for source in _WARNINGS for alert in source.alerts(actor, month, plan=plan)]


def alerts_by_source(actor: Any, month: dt.date, plan: Any = None) -> list[tuple[WarningSource, list[Any]]]:
    """The registered sources' warnings of the month, source by source (the warnings page lists them apart)."""
    return [(source, source.alerts(actor, month, plan=plan)) for source in _WARNINGS]


def other_choices() -> list[tuple[str, Any]]:
    return [choice for source in _WARNINGS for choice in source.choices]


def find_other(user: Actor, key: str, plan: Any = None) -> tuple[bool, Any]:
    """(whether a registered source owns the key, its alert or None)."""
    for source in _WARNINGS:
        if key.split(":")[0].startswith(source.prefix):
            return True, source.find(user, key, plan=plan)
    return False, None


# The supervision tasks already raised on warnings: supervision answers, for warning keys ("<key>:<YYYY-MM>"),
# the open task of each, so that a warning shows 已督办 with a link instead of the button that raises one.
Supervised = Callable[[list[str]], dict[str, int]]

_SUPERVISED: list[Supervised] = []


def register_supervised(source: Supervised) -> None:
    if source not in _SUPERVISED:
        _SUPERVISED.append(source)


def supervised(keys: list[str]) -> dict[str, int]:
    """{warning key: its open task's id} for the keys with one (empty when no app registered the source)."""
    found: dict[str, int] = {}
    for source in _SUPERVISED:
        found.update(source(keys))
    return found
