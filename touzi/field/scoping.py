"""Who sees and changes locations and photos: whoever sees or changes the project (rules for touzi.core.scoping).

Where a photo was taken is shown only to the roles that check it (see `sees_gps`): the project's own people, the
plan office, the statistics bureau that reviews the report, and the auditors.
"""

from __future__ import annotations

from typing import Any

from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import scope_of
from touzi.projects.scoping import project_children

GPS_ROLES = frozenset({Role.PLAN_OFFICE, Role.STATISTICS, Role.AUDITOR, Role.OWNER, Role.COUNTY})


def sees_gps(user: Any) -> bool:
    return scope_of(user).role in GPS_ROLES


def register() -> None:
    from touzi.field.models import ProgressPhoto, ProjectLocation

    scoping.register(ProjectLocation, project_children())
    scoping.register(ProgressPhoto, project_children())
