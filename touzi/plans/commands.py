"""Subcommands other apps add to `touzi plan` (projects adds `roll`): the plan command stays plans' own and
plans imports no app above it. Each is registered from the adding app's AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Subcommand:
    help: str
    add_arguments: Callable[[Any], None]  # receives the subparser
    handle: Callable[[Any, dict[str, Any]], None]  # receives the running command and its options


SUBCOMMANDS: dict[str, Subcommand] = {}


def register(name: str, subcommand: Subcommand) -> None:
    SUBCOMMANDS[name] = subcommand


def plan_for(key: str | None) -> Any:
    """The plan a subcommand works on: the one named, else the default plan, or the only one there is."""
    from django.conf import settings
    from django.core.management.base import CommandError

    from touzi.plans.models import Plan

    if key:
        plan = Plan.objects.filter(key=key).first()
        if plan is None:
            raise CommandError(f"没有方案 {key}")
        return plan
    plans = Plan.objects.all()
    plan = plans.filter(key=settings.DEFAULT_PLAN_KEY).first() or (plans.first() if plans.count() == 1 else None)
    if plan is None:
        raise CommandError("有多个行动方案,请用 --plan 指定要滚动的方案")
    return plan
