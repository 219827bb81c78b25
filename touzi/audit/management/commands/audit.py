"""`touzi audit verify`: check the audit trail's hash chain; exit 1 naming the first record that does not fit."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from touzi.audit.chain import verify
from touzi.audit.models import AuditRecord


class Command(BaseCommand):
    help = "审计:verify 校验审计记录的哈希链。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验哈希链")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = next(verify(), None)
        if broken is not None:
            self.stderr.write(f"审计记录 #{broken.record_id} 校验失败:{broken.reason}")
            sys.exit(1)
        self.stdout.write(f"审计记录哈希链完整,共 {AuditRecord.objects.count()} 条")
