"""Kinds of import that apps above imports add (the approvals' 审批事项): how a file of the kind is checked,
written and what its blank template is. Registered from the app's ready(); imports only looks them up, so it
imports none of those apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from touzi.core.actor import Actor
from touzi.imports.common import Checked, Progress


class Check(Protocol):
    def __call__(self, content: bytes, user: Actor, progress: Progress | None = None) -> Checked: ...


class Write(Protocol):
    def __call__(self, content: bytes, user: Actor, *, file_name: str = "",
                 progress: Progress | None = None) -> Checked: ...


@dataclass(frozen=True)
class ImportKindHooks:
    check: Check
    write: Write
    template: Callable[[], bytes]
    template_name: str


_kinds: dict[str, ImportKindHooks] = {}


def register(kind: str, hooks: ImportKindHooks) -> None:
    _kinds[kind] = hooks


def hooks_for(kind: str) -> ImportKindHooks | None:
    return _kinds.get(kind)
