"""Audit records as people read them: who (an account, 命令行 root, 系统), what (月报 #32171(项目 2023年12月)), which
fields changed by their names. Presentation only: the record keeps its keys (`cli:root`, `reports.monthlyreport`,
`project:42`) and exports and the API return them as stored, since the hash chain covers them."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touzi.audit.services import BATCH_SUBJECT
from touzi.core.actor import SYSTEM_PREFIX
from touzi.core.reporting_months import combines_jan_feb_shown
from touzi.lib.periods import month_text

COMMAND_PREFIX = "cli:"  # touzi.audit.commands: actor_name of a command run without --user

# Acts recorded on something that is not one row (a whole import, the demo's generated data, a plan roll).
_NAMED_TYPES = {
    "core.demo_portfolio": gettext_lazy("演示项目库"),
    "core.demo_indicators": gettext_lazy("演示指标值"),
    "imports.projects": gettext_lazy("项目导入"),
    "imports.reports": gettext_lazy("月报导入"),
    "projects.plan_roll": gettext_lazy("年度计划滚动"),
    # Reports written in bulk (an import): one record per batch, listing their keys (touzi.reports.keys).
    "reports.batch": gettext_lazy("月报(批量)"),
}
# Records whose text names a month as YYYY-MM (their __str__): shown as the month reads; True: a reporting month
# (1—2月 where the plan combines them).
_MONTH_TYPES = {"reports.monthlyreport": True, "reports.batch": True, "reports.adjustment": True, "reports.monthlock": True,
                "indicators.indicatorvalue": False}
_MONTH_IN_TEXT = re.compile(r"(?<![\d-])(\d{4})-(0[1-9]|1[0-2])(?![\d-])")
# What a record belongs to (`subject`): the prefix names the kind of record.
_SUBJECT_TYPES = {"project": "projects.project", "indicator": "plans.indicator"}


def actor_text(actor_name: str) -> str:
    """An account's username as is; a command as 命令行 root; the platform as 系统 with why it acted
    (touzi.audit.services.who: "system:demo", "cli:root|system:command: plan load"); nobody as 系统."""
    if not actor_name:
        return _("系统")
    person, _bar, system = actor_name.rpartition("|" + SYSTEM_PREFIX)
    if _bar:
        return _("%(person)s(系统:%(reason)s)") % {"person": actor_text(person), "reason": system}
    if actor_name.startswith(SYSTEM_PREFIX):
        return _("系统(%(reason)s)") % {"reason": actor_name[len(SYSTEM_PREFIX):]}
    if actor_name.startswith(COMMAND_PREFIX):
        return _("命令行 %(user)s") % {"user": actor_name[len(COMMAND_PREFIX):]}
    return actor_name


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def kind_text(object_type: str) -> str:
    """What kind of record: 月报, 项目, 用户 … (the model's own name)."""
    if object_type in _NAMED_TYPES:
        return str(_NAMED_TYPES[object_type])
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else _("其他记录")


def _readable_months(text: str, object_type: str) -> str:
    if object_type not in _MONTH_TYPES:
        return text
    reporting = _MONTH_TYPES[object_type]

    def month(match: re.Match[str]) -> str:
        year, number = int(match[1]), int(match[2])
        first = dt.date(year, number, 1)
        return month_text(first, combined=reporting and number == 2 and combines_jan_feb_shown(year))

    return _MONTH_IN_TEXT.sub(month, text)


def object_text(object_type: str, object_id: str, object_repr: str) -> str:
    """月报 #32171(铁山港区殡仪馆改扩建项目 2022年11月); without an id or a name, what there is."""
    if not object_type and not object_repr:
        return ""
    kind = kind_text(object_type) if object_type else ""
    name = _readable_months(object_repr, object_type)
    if object_id and name:
        return _("%(kind)s #%(id)s(%(name)s)") % {"kind": kind, "id": object_id, "name": name}
    if object_id:
        return f"{kind} #{object_id}"
    return f"{kind} {name}".strip() if kind != name else name


def subject_text(subject: str) -> str:
    """project:42 → 项目 #42."""
    if not subject:
        return ""
    if subject == BATCH_SUBJECT:
        return _("批量写入")
    prefix, _sep, number = subject.partition(":")
    model = _model(_SUBJECT_TYPES.get(prefix, ""))
    kind = str(model._meta.verbose_name) if model is not None else _("其他记录")
    return f"{kind} #{number}" if number else kind


@dataclass(frozen=True)
class Change:
    field: str  # the field's name in words (状态, 本月完成投资(万元))
    key: str  # the stored key, kept beside it for whoever compares with an export
    before: str
    after: str
    changed: bool
    # Whether the record names the field on each side: a service may note a value beside a change
    # (the amount of a report it returned) without changing it; that is not "emptied".
    in_before: bool = True
    in_after: bool = True


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    """The model's own field of that name or column (project_id); None for anything else, reverse relations
    included (a snapshot key like `duties` names what the service recorded, not a column)."""
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return field if isinstance(field, models.Field) and not field.auto_created else None
    return None


def _value(field: models.Field | None, value: Any) -> str:
    if value is None:
        return ""
    if field is not None and field.choices and isinstance(value, str | int):
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if str(value) in labels:
            return labels[str(value)]
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def changes(object_type: str, before: Any, after: Any) -> list[Change]:
    """One line per field, named as the model names it, a choice shown by its label (状态: 已报送 → 已审核)."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before is None and after is None:
            return []
        return [Change("", "", _value(None, before), _value(None, after), before != after)]
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    model = _model(object_type)
    rows = []
    for key in sorted(set(before) | set(after)):
        field = _field(model, key)
        label = str(field.verbose_name) if field is not None else key
        rows.append(Change(label, key, _value(field, before.get(key)), _value(field, after.get(key)),
                           before.get(key) != after.get(key), key in before, key in after))
    return rows


def object_type_choices(current: str = "") -> list[tuple[str, str]]:
    """The kinds of record an auditor can filter by, named (the filter still sends the stored key)."""
    found = {model._meta.label_lower: str(model._meta.verbose_name) for model in apps.get_models()
             if model.__module__.startswith("touzi.")}
    found.update({key: str(name) for key, name in _NAMED_TYPES.items()})
    if current and current not in found:
        found[current] = current  # typed into the address: keep it visible rather than silently drop it
    return sorted(found.items(), key=lambda item: item[1])
