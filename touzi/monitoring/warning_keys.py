"""A supervision task's source warning in words. The task stores the warning's key (`behind_plan:1478:2023-12`:
kind, project, month; see alerts.Alert.key), which links it to the warning for good; people read
"2023年12月预警:投资进度滞后于年度计划"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from touzi.lib.periods import month_of, month_text
from touzi.monitoring.choices import WarningKind


def warning_source_text(key: str) -> str:
    if not key:
        return "—"
    kind, _project, period = [*key.split(":"), "", ""][:3]
    from touzi.monitoring.extensions import other_choices

    others = dict(other_choices())  # kinds other apps register (promotion agreements)
    if kind in others:
        label = str(others[kind])
    elif kind not in WarningKind.values:
        return _("来自预警")
    else:
        label = str(WarningKind(kind).label)
    try:
        month = month_of(period)
    except ValueError:
        return label
    return _("%(month)s预警:%(kind)s") % {"month": month_text(month), "kind": label}


def warning_source(key: str | None) -> str:
    """Template filter `warning_source` (added to core's `touzi` library in MonitoringConfig.ready): a
    supervision task's source warning (`behind_plan:1478:2023-12`) in words."""
    return warning_source_text(key or "")
