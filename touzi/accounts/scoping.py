"""What a signed-in user answers for (their units, a subgroup's domains, their plans), for core's scoping.

Accounts holds the role, the unit and the work group of a user, so it is the app that works the scope out;
core only caches it and hands it to the rules (touzi.core.scoping). Accounts' own models are never listed
through `scope`: user administration is guarded by Django permissions (the 三员's), not by business scope.
"""

from __future__ import annotations

from touzi.accounts.models import ApiToken, PasswordHistory, User, UserSession
from touzi.core import scoping
from touzi.core.roles import NO_BUSINESS, SEE_EVERYTHING, Role
from touzi.core.scoping import NOBODY, Scope, descendants
from touzi.lib.regions import prefix
from touzi.plans.models import Domain
from touzi.units.models import Unit


def user_scope(user: User) -> Scope:
    """The scope of a signed-in, active account (core adds the user id and caches it on the user)."""
    role, unit_id = user.role, user.unit_id
    if role in NO_BUSINESS:  # the 三员, and an account still waiting for its role
        return Scope(role, False, False, frozenset(), frozenset(), frozenset())
    if role in SEE_EVERYTHING:
        unit_ids = frozenset(descendants(Unit, {unit_id})) if unit_id else frozenset()
        code = (Unit.objects.filter(pk=unit_id).values_list("region_code", flat=True).first() if unit_id else None) or ""
        return Scope(role, True, True, unit_ids, frozenset(), None, region=prefix(code) if code else None)
    if role == Role.SUBGROUP and user.work_group_id and (group := user.work_group) is not None:
        units = set(group.host_units.values_list("id", flat=True))
        domains = descendants(Domain, set(group.domains.values_list("id", flat=True)))
        return Scope(role, False, True, frozenset(units), frozenset(domains), frozenset({group.plan_id}))
    if user.unit_id:
        units = descendants(Unit, {user.unit_id})
        plans = frozenset(Unit.objects.filter(id=user.unit_id).values_list("plans__id", flat=True)) - {None}
        return Scope(role, False, True, frozenset(units), frozenset(), plans)
    return NOBODY


def register() -> None:
    scoping.register_user_scope(user_scope)
    for model in (User, ApiToken, PasswordHistory, UserSession):
        scoping.exempt(model, "accounts are kept by the 三员 under Django permissions, not listed by scope")
