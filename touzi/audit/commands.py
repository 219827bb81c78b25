"""Base for Touzi's management commands: each runs as an audited command-line source.

It lives in audit (it sets the audit context), not in core: core imports no app."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from touzi.audit.choices import Source
from touzi.audit.context import audit_context
from touzi.core.actor import Actor, System


class AuditedCommand(BaseCommand):
    """Everything the command changes is audited as coming from the command line."""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", dest="actorname", default=None,
                            help="account the change is recorded under (default: the shell user)")

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            shell_user = getpass.getuser()
        except (KeyError, OSError):
            shell_user = "unknown"
        with audit_context(Source.COMMAND, actor_name=f"cli:{shell_user}"):
            return super().execute(*args, **options)

    def actor(self, options: dict[str, Any]) -> Actor:
        """The account named by --user, or the platform acting for this command (recorded with its name)."""
        username = options.get("actorname")
        if not username:
            return System(f"command: touzi {self.__module__.rsplit('.', 1)[-1]}")
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有这个用户:{username}")
        return user
