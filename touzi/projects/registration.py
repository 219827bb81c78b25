"""Checks a higher app adds to a project's registration (the disclosure app's 楼堂馆所 check).

Projects cannot import the apps above it; they register a check here from their `ready()`. Each check runs
inside `create_project`'s transaction after the project is saved, and refuses by raising BusinessError (the
whole registration is rolled back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from touzi.projects.models import Project

RegistrationCheck = Callable[["Project", dict[str, Any], Any], None]  # (project, extra, actor)

_checks: list[RegistrationCheck] = []


def register(check: RegistrationCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def run(project: Project, extra: dict[str, Any], actor: Any) -> None:
    for check in _checks:
        check(project, extra, actor)
