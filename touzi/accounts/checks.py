"""System checks of 等保 2.0 level 3 for accounts, run by `touzi check` (and before migrate, serve …):
no superuser in production, no demo account with its public password outside demo mode (a database `touzi demo`
did not build, or TOUZI_DEMO=false), known roles only."""

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
def demo_accounts_outside_demo(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not _users_table_ready():
        return []
    from touzi.demo.mode import demo_mode

    if demo_mode():
        return []
    from touzi.accounts.models import User
    from touzi.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD

    candidates = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS], is_active=True)
    names = [user.username for user in candidates if user.check_password(DEMO_PASSWORD)]
    if not names:
        return []
    return [Error(f"demo accounts with the public demo password outside demo mode: {', '.join(names)}",
                  hint="This database was not built by `touzi demo` (or TOUZI_DEMO=false, or production). "
                       "Disable them (the system administrator's account page) or give them new passwords; "
                       "or run with TOUZI_DEMO=true if this really is a demo.",
                  id="touzi.accounts.E002")]


@register("touzi_security")
def otp_roles_are_roles(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from touzi.accounts.choices import Role

    unknown = sorted(set(settings.OTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [Error(f"TOUZI_OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
                  hint=f"Use some of: {', '.join(Role.values)}", id="touzi.accounts.E003")]
