"""The pipeline's early warnings, joined to the monitoring warnings (touzi.monitoring.alerts), as of the end
of a month M:

- 前期工作节点逾期 (prelim_late): a reserve or preliminary project with a milestone planned on or before the
  end of M and not done by then; red when the oldest is RED_AFTER_MONTHS months late or more. Who answers:
  the oldest late milestone's responsible unit.
- 开工后逾期未统计入库 (not_registered): a started project (新开工 / 续建 / 竣工 / 投产) whose start month is
  `register_within_months` (data/pipeline.yaml) or more months before M and which is not 入库 by the end of M;
  red at twice that. Who answers: the county (the statistics bureau registers, the county must bring it in).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from touzi.lib.periods import add_months, date_text, month_end, month_text, months_between
from touzi.pipeline.choices import RegisterStatus
from touzi.pipeline.models import Milestone, Registration
from touzi.pipeline.rules import rules
from touzi.projects.choices import Stage

RED_AFTER_MONTHS = 3
PRELIMINARY = [Stage.RESERVE, Stage.PRELIMINARY]
STARTED = [Stage.NEW_START, Stage.CONTINUING, Stage.COMPLETED, Stage.IN_OPERATION]


def pipeline_alerts(base: Any, month: dt.date, today: dt.date) -> list[Any]:
    """前期工作节点逾期 on the projects in `base` (开工后逾期未统计入库 is `pipeline_kinds`, counted in the database)."""
    from touzi.monitoring.alerts import _Pending, _rows
    from touzi.monitoring.choices import Level, WarningKind

    end = month_end(month)
    out = []
    late = (Milestone.objects.filter(project__in=base.filter(stage__in=PRELIMINARY).values("id"),
                                     planned_on__lte=end)
            .filter(Q(actual_on__isnull=True) | Q(actual_on__gt=end)))
    detail: dict[int, list[tuple[str, Any, int | None]]] = {}
    for project_id, name, planned, unit in late.order_by("project_id", "planned_on", "order").values_list(
            "project_id", "name", "planned_on", "responsible_id"):
        detail.setdefault(project_id, []).append((name, planned, unit))
    if detail:
        text = _("%(names)s计划于 %(date)s 前完成,截至%(month)s仍未完成")
        for (p,) in _rows(base.filter(id__in=list(detail))):
            items = detail[p.id]
            _first, planned, answerer = items[0]
            level = Level.RED if months_between(planned, end) >= RED_AFTER_MONTHS else Level.YELLOW
            names = "、".join(n for n, _d, _u in items[:4]) + ("等" if len(items) > 4 else "")
            out.append(_Pending(WarningKind.PRELIM_LATE, level, text % {
                "names": names, "date": date_text(planned), "month": month_text(month)}, p, answerer))
    return out


def _not_registered_rows(ask: Any) -> Any:
    """Started N full months ago or more and not 入库 by the end of the month; red at twice that."""
    from touzi.monitoring.alerts import level_case

    months = rules().register_within_months
    end = month_end(ask.month)
    since = add_months(ask.month.replace(day=1), -months)  # started in that month or before: N full months ago
    registered = Registration.objects.filter(project=OuterRef("pk"), status=RegisterStatus.REGISTERED,
                                             registered_on__lte=end)
    # months_between(started, end) >= 2N, as a date comparison.
    red = Q(actual_start__lt=add_months(ask.month.replace(day=1), 1 - 2 * months))
    return (ask.base.filter(stage__in=STARTED, actual_start__lte=month_end(since)).exclude(Exists(registered))
            .annotate(lvl=level_case(red)))


def _not_registered(ask: Any) -> Any:
    from touzi.monitoring.alerts import Pending
    from touzi.monitoring.choices import Level, WarningKind

    months = rules().register_within_months
    end = month_end(ask.month)
    text = _("%(date)s 开工,已 %(months)s 个月仍未统计入库(纳统)")

    def make(p: Any, started: dt.date) -> Any:
        gone = months_between(started, end)
        level = Level.RED if gone >= 2 * months else Level.YELLOW
        return Pending(WarningKind.NOT_REGISTERED, level, text % {"date": date_text(started), "months": gone},
                       p, p.county_id)
    return make


def pipeline_kinds() -> list[Any]:
    """开工后逾期未统计入库, counted and paged in the database (a nation's started projects are 10^5)."""
    from touzi.monitoring.alerts import AlertKind
    from touzi.monitoring.choices import WarningKind

    return [AlertKind(WarningKind.NOT_REGISTERED, _not_registered_rows, ("actual_start",), _not_registered)]
