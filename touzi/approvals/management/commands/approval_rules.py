"""`touzi approval_rules [--kinds FILE] [--compliance FILE] [--show]`: load a region's list of approval kinds
(with legal time limits) and procedure rules; without a file, the shipped defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from touzi.approvals.models import ApprovalKind, ComplianceRule
from touzi.approvals.rules import DEFAULT_KINDS, DEFAULT_RULES, load_kinds, load_rules
from touzi.audit.commands import AuditedCommand
from touzi.lib.errors import BusinessError


class Command(AuditedCommand):
    help = "载入审批事项清单(含法定时限)和基本建设程序规则;不指定文件时载入默认清单。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--kinds", type=Path, default=None, help="审批事项清单 YAML")
        parser.add_argument("--compliance", type=Path, default=None, help="程序规则 YAML")
        parser.add_argument("--show", action="store_true", help="只列出当前清单和规则")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["show"]:
            actor = self.actor(options)
            try:
                kinds = (options["kinds"] or DEFAULT_KINDS).read_text(encoding="utf-8")
                rules = (options["compliance"] or DEFAULT_RULES).read_text(encoding="utf-8")
                n = load_kinds(kinds, actor=actor)
                m = load_rules(rules, actor=actor)
            except (OSError, BusinessError) as exc:
                raise CommandError(getattr(exc, "message", str(exc))) from exc
            self.stdout.write(f"已载入审批事项 {n} 项、程序规则 {m} 条")
        for k in ApprovalKind.objects.all():
            self.stdout.write(f"  {k.key}  {k.name}  {k.legal_days} 个工作日")
        for r in ComplianceRule.objects.filter(active=True):
            self.stdout.write(f"  [{r.key}] {r.text}")
