"""What apps above briefings add to a 通报, registered from their AppConfig.ready(): briefings imports none of them.

An addition gives figure tables (`sections(board, user, label)`, kept in the annex) and a body part
(`part(facts)`, written before 存在问题); the promotion register's four rates are one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from touzi.briefings.content import Section
from touzi.core.actor import Actor


@dataclass(frozen=True)
class Addition:
    name: str
    sections: Callable[[Any, Actor, str], list[Section]]
    part: Callable[[Any], Section]


_ADDITIONS: dict[str, Addition] = {}


def register(addition: Addition) -> None:
    _ADDITIONS[addition.name] = addition


def extra_sections(board: Any, user: Actor, label: str) -> list[Section]:
    return [section for a in _ADDITIONS.values() for section in a.sections(board, user, label)]


def extra_parts(facts: Any) -> list[Section]:
    return [a.part(facts) for a in _ADDITIONS.values()]
