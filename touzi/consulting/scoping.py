"""Who sees and keeps the consulting register (rules for touzi.core.scoping, registered from ready()).

Firms and the published evaluations are a directory every government user reads and the plan office keeps.
Engagements and stage figures belong to a project: whoever may see the project sees them; the office keeps them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from touzi.consulting.models import Engagement, Evaluation, Firm, StageFigure
from touzi.core import scoping
from touzi.core.scoping import Action, Scope, directory
from touzi.projects.scoping import project_children

_of_project = project_children("project__")


def project_rows(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action == Action.CHANGE:
        return qs if scope.is_office else qs.none()
    return _of_project(scope, qs, Action.VIEW)


def register() -> None:
    scoping.register(Firm, directory)
    scoping.register(Evaluation, directory)
    scoping.register(Engagement, project_rows)
    scoping.register(StageFigure, project_rows)
