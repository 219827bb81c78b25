"""Whether a year's February is shown as 1—2月: the plan in force decides, core only asks.

Core's template filters and the audit trail's descriptions print reporting months, but the rule lives with
the reports (touzi.reports.rules, from the plan in force); the reports app registers it at start-up. Without
it, January and February are shown combined, as the rule itself answers when no plan covers a year.
"""

from __future__ import annotations

from collections.abc import Callable

_rule: Callable[[int], bool] | None = None


def register(rule: Callable[[int], bool]) -> None:
    global _rule
    _rule = rule


def combines_jan_feb_shown(year: int) -> bool:
    return True if _rule is None else _rule(year)
