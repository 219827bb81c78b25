"""Sections other apps add to the plan file (assessment adds `assessment:`): plans reads and stores the file but
imports no app above it. Each section is registered from the adding app's AppConfig.ready().

A section names how to check its part of the file (`check`: the parsed YAML value, the checked file (PlanFile) and
the unit keys the file and the database know → a list of (location inside the section, message)) and how to store it once the plan is written
(`store`: the plan, the value — None when the file has no such section — and the actor; returns whether anything
changed). The loader reports each problem with its line like its own; `load_plan` calls `store` in its transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    check: Callable[[Any, Any, set[str]], list[tuple[tuple[Any, ...], str]]]
    store: Callable[[Any, Any, Any], bool]  # (plan, value or None, actor) → changed


SECTIONS: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    SECTIONS[name] = section
