"""`touzi token create USERNAME NAME`: issue an API token from the shell (printed once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from touzi.accounts.models import User
from touzi.accounts.services import issue_token
from touzi.audit.commands import AuditedCommand


class Command(AuditedCommand):
    help = "为用户生成接口令牌(只显示一次)。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有这个用户:{options['username']}")
        _token, raw = issue_token(user, options["name"], actor=self.actor(options))
        self.stdout.write(raw)
