"""Who prepares, approves and reads the disclosure records inside the platform (rules for touzi.core.scoping).

Items, their versions, consultations and opinions hang off a project: whoever may see or change the project
may see or change them (the owner prepares, the county or lead unit too). Approving a version is a further
check in the service: the item's responsible unit, or the plan office. The public portal does not go through
these rules — it reads approved rows only (touzi/disclosure/public.py). Exemptions from the 楼堂馆所 ban are
read by the roles that read everything (the auditor among them) and recorded by the plan office.
"""

from __future__ import annotations

from django.db.models import QuerySet

from touzi.core import scoping
from touzi.core.scoping import Action, Scope
from touzi.disclosure.models import Consultation, DisclosureItem, ItemVersion, OfficeExemption, Opinion
from touzi.projects.scoping import project_children


def exemptions(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if scope.is_office or (action == Action.VIEW and scope.everything):
        return qs
    return qs.none()


def register() -> None:
    scoping.register(DisclosureItem, project_children("project__"))
    scoping.register(ItemVersion, project_children("item__project__"))
    scoping.register(Consultation, project_children("project__"))
    scoping.register(Opinion, project_children("consultation__project__"))
    scoping.register(OfficeExemption, exemptions)
