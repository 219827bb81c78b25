"""The approval kinds and the procedure rules as data: loaded from a YAML file (the shipped defaults, or a
region's own), and what a project needs according to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from touzi.approvals.choices import Applies, Condition, EiaLevel, Flag, NeededBy, Route
from touzi.core.actor import Actor
from touzi.lib.errors import BusinessError
from touzi.projects.choices import ApprovalItem, Stage

DATA = Path(__file__).parent / "data"
DEFAULT_KINDS = DATA / "kinds.yaml"
DEFAULT_RULES = DATA / "compliance.yaml"

_KIND_FIELDS = {"key", "name", "group", "legal_days", "applies", "route", "eia", "flag", "needed_by", "key_item"}
_RULE_FIELDS = {"key", "text", "when", "requires_any", "before", "active"}


def _read(text: str, expected: str, listing: str) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BusinessError(_("文件不是有效的 YAML:%(err)s") % {"err": str(exc)[:200]}) from exc
    if not isinstance(data, dict) or data.get("format") != expected:
        raise BusinessError(_("文件格式应为 %(fmt)s") % {"fmt": expected})
    rows = data.get(listing)
    if not isinstance(rows, list) or not rows:
        raise BusinessError(_("文件中没有 %(what)s") % {"what": listing})
    return rows


def _choice(value: Any, choices: Any, where: str, field: str, blank: bool = True) -> str:
    value = "" if value is None else str(value)
    if (blank and value == "") or value in choices.values:
        return value
    raise BusinessError(_("%(where)s:%(field)s 的值 %(value)s 无效") % {"where": where, "field": field, "value": value})


def parse_kinds(text: str) -> list[dict[str, Any]]:
    """The kinds of a file, checked (every problem says which entry), not yet saved."""
    out, seen = [], set()
    for i, row in enumerate(_read(text, "touzi-approval-kinds/1", "kinds"), start=1):
        where = _("第 %(n)s 项") % {"n": i}
        if not isinstance(row, dict) or set(row) - _KIND_FIELDS:
            raise BusinessError(_("%(where)s:字段无效 %(extra)s") % {
                "where": where, "extra": sorted(set(row) - _KIND_FIELDS) if isinstance(row, dict) else row})
        key, name = str(row.get("key", "")).strip(), str(row.get("name", "")).strip()
        if not key or not name or key in seen:
            raise BusinessError(_("%(where)s:缺少编码或名称,或编码重复") % {"where": where})
        seen.add(key)
        days = row.get("legal_days")
        if not isinstance(days, int) or not 0 < days <= 365:
            raise BusinessError(_("%(where)s:法定时限应为 1–365 个工作日") % {"where": where})
        out.append({"key": key, "name": name, "group": str(row.get("group", "")).strip()[:16], "legal_days": days,
                    "applies": _choice(row.get("applies", "all"), Applies, where, "applies", blank=False),
                    "route": _choice(row.get("route"), Route, where, "route"),
                    "eia": _choice(row.get("eia"), EiaLevel, where, "eia"),
                    "flag": _choice(row.get("flag"), Flag, where, "flag"),
                    "needed_by": _choice(row.get("needed_by", "start"), NeededBy, where, "needed_by", blank=False),
                    "key_item": _choice(row.get("key_item"), ApprovalItem, where, "key_item"), "order": i})
    return out


def parse_rules(text: str, kind_keys: set[str]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for i, row in enumerate(_read(text, "touzi-compliance-rules/1", "rules"), start=1):
        where = _("第 %(n)s 条规则") % {"n": i}
        if not isinstance(row, dict) or set(row) - _RULE_FIELDS:
            raise BusinessError(_("%(where)s:字段无效") % {"where": where})
        key, text_ = str(row.get("key", "")).strip(), str(row.get("text", "")).strip()
        if not key or not text_ or key in seen:
            raise BusinessError(_("%(where)s:缺少编码或规则文字,或编码重复") % {"where": where})
        seen.add(key)
        when = row.get("when") or []
        requires = row.get("requires_any") or []
        if not when or any(c not in Condition.values for c in when):
            raise BusinessError(_("%(where)s:适用情形应为 %(values)s 之一") % {
                "where": where, "values": "、".join(Condition.values)})
        unknown = [k for k in requires if k not in kind_keys]
        if not requires or unknown:
            raise BusinessError(_("%(where)s:没有这些审批事项 %(keys)s") % {"where": where, "keys": unknown})
        out.append({"key": key, "text": text_[:255], "conditions": list(when), "requires_any": list(requires),
                    "before": bool(row.get("before", False)), "active": bool(row.get("active", True)), "order": i})
    return out


@transaction.atomic
def load_kinds(text: str, *, actor: Actor) -> int:
    """Create or update the kinds of the file (kinds in use are never deleted: the records keep them)."""
    from touzi.audit.choices import Event
    from touzi.audit.services import record

    rows = _write_kinds(text)
    record(Event.UPDATE, actor=actor, object_type="approvals.approvalkind", object_repr="审批事项清单",
           after={"kinds": [r["key"] for r in rows]})
    return len(rows)


@transaction.atomic
def load_rules(text: str, *, actor: Actor) -> int:
    """Replace the procedure rules by those of the file (rules not in it are switched off, not deleted)."""
    from touzi.audit.choices import Event
    from touzi.audit.services import record

    rows = _write_rules(text)
    record(Event.UPDATE, actor=actor, object_type="approvals.compliancerule", object_repr="基本建设程序规则",
           after={"rules": [r["key"] for r in rows]})
    return len(rows)


def _write_kinds(text: str) -> list[dict[str, Any]]:
    from touzi.approvals.models import ApprovalKind

    rows = parse_kinds(text)
    for row in rows:
        ApprovalKind.objects.update_or_create(key=row["key"], defaults=row)
    return rows


def _write_rules(text: str) -> list[dict[str, Any]]:
    from touzi.approvals.models import ApprovalKind, ComplianceRule

    rows = parse_rules(text, set(ApprovalKind.objects.values_list("key", flat=True)))
    ComplianceRule.objects.exclude(key__in=[r["key"] for r in rows]).update(active=False)
    for row in rows:
        ComplianceRule.objects.update_or_create(key=row["key"], defaults=row)
    return rows


def load_defaults_if_empty(**kwargs: Any) -> None:
    """After migrate: the shipped defaults, once (a region's own list, once loaded, is kept).

    Installed like a data migration, without an audit record: it is the software's own reference data, not an
    act of anyone's (a region's own list, loaded with `touzi approval_rules`, is audited)."""
    from touzi.approvals.models import ApprovalKind, ComplianceRule

    with transaction.atomic():
        if not ApprovalKind.objects.exists():
            _write_kinds(DEFAULT_KINDS.read_text(encoding="utf-8"))
        if not ComplianceRule.objects.exists():
            _write_rules(DEFAULT_RULES.read_text(encoding="utf-8"))


def kinds_for(project: Any, profile: Any = None) -> QuerySet:
    """The approval kinds a project needs, from its type (government / enterprise, 立项 route, 环评 category,
    用海 / 用林) and its stage (the completion acceptance once it is under construction)."""
    from touzi.approvals.models import ApprovalKind

    kinds = ApprovalKind.objects.all()
    if project.stage == Stage.CANCELLED:
        return kinds.none()
    kinds = kinds.filter(applies__in=[Applies.ALL, Applies.GOVERNMENT if project.is_government
                                      else Applies.ENTERPRISE])
    route = (profile.route if profile and profile.route else
             Route.APPROVAL if project.is_government else Route.FILING)
    kinds = kinds.filter(Q(route="") | Q(route=route))
    eia = profile.eia if profile and profile.eia else EiaLevel.TABLE
    kinds = kinds.filter(Q(eia="") | Q(eia=eia))
    flags = [""] + ([Flag.SEA] if profile and profile.uses_sea else []) + (
        [Flag.FOREST] if profile and profile.uses_forest else [])
    kinds = kinds.filter(flag__in=flags)
    if project.stage in (Stage.RESERVE, Stage.PRELIMINARY):
        kinds = kinds.filter(needed_by=NeededBy.START)
    return kinds
