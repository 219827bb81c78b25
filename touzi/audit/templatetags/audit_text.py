"""Audit records in words on a page: `{{ r.actor_name|actor }}`, `{{ r|audit_object }}`, `{{ r.subject|subject }}`."""

from __future__ import annotations

from typing import Any

from django import template

from touzi.audit import presenters

register = template.Library()


@register.filter
def actor(actor_name: str) -> str:
    return presenters.actor_text(actor_name or "")


@register.filter
def audit_object(record: Any) -> str:
    return presenters.object_text(record.object_type, record.object_id, record.object_repr)


@register.filter
def subject(value: str) -> str:
    return presenters.subject_text(value or "")


@register.filter
def audit_changes(record: Any) -> list[presenters.Change]:
    return presenters.changes(record.object_type, record.before, record.after)
