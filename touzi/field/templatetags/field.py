"""Template filters of the field app (the report page's photo section, registered into reports' page)."""

from __future__ import annotations

from typing import Any

from django import template

from touzi.field import scoping

register = template.Library()


@register.filter
def report_photos(report: Any, user: Any) -> list[Any]:
    from touzi.field.selectors import visible_photos

    return list(visible_photos(user).filter(report=report).order_by("taken_at", "pk"))


@register.filter
def sees_gps(user: Any) -> bool:
    return scoping.sees_gps(user)
