"""Compare a value with a member of an app's choices in a template, by name, never by its raw string.

    {% load choices %}
    {% if item.status|is_choice:"briefings.BriefingStatus.DRAFT" %} …
    {% if task.status|in_choices:"supervision.TO_DO" %} …

The name is `<app label>.<Enum>.<MEMBER>` (or `<app label>.<CONSTANT>` for a collection of members),
looked up in the app's `choices` module, then its `models`. A misspelt name raises at render time (a
test renders every page) instead of quietly comparing with a string that no value ever has. The app
is found through Django's app registry, so core imports no app above it.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection
from functools import cache
from typing import Any

from django import template
from django.apps import apps

register = template.Library()


@cache
def _resolve(name: str) -> Any:
    label, _, rest = name.partition(".")
    if not rest:
        raise template.TemplateSyntaxError(f"{name!r}: expected '<app label>.<Enum>.<MEMBER>'")
    package = apps.get_app_config(label).name
    first, *attributes = rest.split(".")
    for module_name in ("choices", "models"):
        try:
            module = importlib.import_module(f"{package}.{module_name}")
        except ModuleNotFoundError:
            continue
        if hasattr(module, first):
            value = getattr(module, first)
            for attribute in attributes:
                if not hasattr(value, attribute):
                    raise template.TemplateSyntaxError(f"{name!r}: {value!r} has no {attribute!r}")
                value = getattr(value, attribute)
            return value
    raise template.TemplateSyntaxError(f"{name!r}: no {first!r} in {package}.choices or {package}.models")


@register.filter
def is_choice(value: Any, name: str) -> bool:
    """Whether the value is that member: `status|is_choice:"imports.ImportStatus.PREVIEWED"`."""
    return value == _resolve(name)


@register.filter
def in_choices(value: Any, name: str) -> bool:
    """Whether the value is one of a collection of members: `status|in_choices:"supervision.TO_DO"`."""
    members = _resolve(name)
    if not isinstance(members, Collection) or isinstance(members, str):
        raise template.TemplateSyntaxError(f"{name!r} is not a collection of choices")
    return value in members
