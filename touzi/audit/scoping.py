"""The audit trail is read whole by the roles that hold audit.view_auditrecord; nobody changes it."""

from __future__ import annotations

from django.db.models import QuerySet

from touzi.audit.models import AuditRecord
from touzi.core import scoping
from touzi.core.roles import Role
from touzi.core.scoping import Action, Scope

# The roles given audit.view_auditrecord in touzi.accounts.roles (a test there keeps the two in step; audit
# sits below accounts, so it cannot read that table).
AUDIT_READERS = frozenset({Role.AUDITOR, Role.AUDIT_ADMIN})


def audit_records(scope: Scope, qs: QuerySet, action: Action) -> QuerySet:
    if action != Action.VIEW or scope.role not in AUDIT_READERS:
        return qs.none()
    return qs


def register() -> None:
    scoping.register(AuditRecord, audit_records, administrative=True)
