"""What the project pages and API show of the ledger — reported totals, the month in view, the project's reports
and adjustments — supplied by the reports app.

Reports sits above projects (a report belongs to a project), so projects may not import it. Reports registers
its functions here from its `ready()`, as core's hooks do (touzi.core.reporting_months); projects asks through
`ledger()`. Without reports installed the pages cannot show figures, so asking before registration is a
configuration error, not an empty answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import DecimalField, QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:
    from touzi.core.actor import Actor
    from touzi.projects.models import Project

# The money type of summed figures (万元 with four places: sums of two-place amounts and shares).
MONEY_FIELD = DecimalField(max_digits=20, decimal_places=4)


@dataclass(frozen=True)
class Ledger:
    with_totals: Callable[[QuerySet, dt.date], QuerySet]  # annotate month_amount, ytd, since_start (万元)
    default_month: Callable[[], dt.date]  # the latest month with figures
    month_from: Callable[[HttpRequest], dt.date]  # ?month=YYYY-MM, else the default month
    reports_of: Callable[[Actor, Project], QuerySet]  # the reports of a project the user may see
    adjustments_of: Callable[[Actor, Project], QuerySet]  # the adjustments of a project the user may see


_registered: list[Ledger] = []


def register(ledger: Ledger) -> None:
    _registered[:] = [ledger]


def ledger() -> Ledger:
    if not _registered:
        raise ImproperlyConfigured("touzi.reports must be installed: it supplies the projects' ledger figures")
    return _registered[0]
