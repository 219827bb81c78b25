"""System checks of 等保 2.0 level 3 for accounts, run by `touzi check` (and before migrate, serve …):
no superuser in production, known roles only (the demo checks its own accounts: touzi.demo.checks)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError, connection


def _users_table_ready() -> bool:
    try:
        return "accounts_user" in connection.introspection.table_names()
    except DatabaseError:
        return False  # no database yet (a fresh checkout): nothing to check


@register("touzi_security")
def superusers_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not settings.PRODUCTION or not _users_table_ready():
        return []
    from touzi.accounts.models import User

    names = list(User.objects.filter(is_superuser=True).values_list("username", flat=True)[:10])
    if not names:
        return []
    return [Error(f"superuser accounts in production: {', '.join(names)}",
                  hint="三员分立: no account holds every permission. Give each person one role from the "
                       "security administrator's page and clear is_superuser (touzi shell).",
                  id="touzi.accounts.E001")]


@register("touzi_security")
def otp_roles_are_roles(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from touzi.accounts.choices import Role

    unknown = sorted(set(settings.OTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [Error(f"TOUZI_OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
                  hint=f"Use some of: {', '.join(Role.values)}", id="touzi.accounts.E003")]
