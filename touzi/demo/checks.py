"""The demo's system check (tag touzi_security, run by `touzi check` and before migrate, serve …): no demo account
with its public password outside demo mode (a database `touzi demo` did not build, or TOUZI_DEMO=false).

The id stays touzi.accounts.E002, as documented and as operators may have silenced it, although the check now
lives with the demo accounts it knows.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register
from django.db import DatabaseError, connection

from touzi.accounts.models import User
from touzi.demo.accounts import DEMO_PASSWORD, DEMO_USERNAMES
from touzi.demo.mode import demo_mode


def _users_table_ready() -> bool:
    try:
        return "accounts_user" in connection.introspection.table_names()
    except DatabaseError:
        return False  # no database yet (a fresh checkout): nothing to check


@register("touzi_security")
def demo_accounts_outside_demo(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not _users_table_ready() or demo_mode():
        return []
    candidates = User.objects.filter(username__in=sorted(DEMO_USERNAMES), is_active=True)
    names = [user.username for user in candidates if user.check_password(DEMO_PASSWORD)]
    if not names:
        return []
    return [Error(f"demo accounts with the public demo password outside demo mode: {', '.join(names)}",
                  hint="This database was not built by `touzi demo` (or TOUZI_DEMO=false, or production). "
                       "Disable them (the system administrator's account page) or give them new passwords; "
                       "or run with TOUZI_DEMO=true if this really is a demo.",
                  id="touzi.accounts.E002")]
