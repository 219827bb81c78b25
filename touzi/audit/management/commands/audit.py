"""`touzi audit verify` checks the audit trail's hash chain (exit 1 naming the first record that does not fit);
`touzi audit purge --before YYYY-MM-DD [--yes]` deletes records older than the retention period allows."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from touzi.audit.chain import anchor_for, verify
from touzi.audit.models import AuditRecord
from touzi.core.commands import AuditedCommand
from touzi.lib.errors import BusinessError


class Command(AuditedCommand):
    help = "审计:verify 校验审计记录的哈希链;purge 清理超过保存期限的审计记录。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验哈希链")
        purge = sub.add_parser("purge", help="删除某日期之前的审计记录(至少保存 TOUZI_AUDIT_RETENTION_DAYS 天)")
        purge.add_argument("--before", required=True, help="YYYY-MM-DD:删除这一天之前的记录")
        purge.add_argument("--yes", action="store_true", help="确认删除(不加则只显示将删除多少条)")
        purge.add_argument("--user", dest="acting_username", default=None, help="记在哪个账号名下(默认为 shell 用户)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "purge":
            self._purge(options)
            return
        broken = next(verify(), None)
        if broken is not None:
            self.stderr.write(f"审计记录 #{broken.record_id} 校验失败:{broken.reason}")
            sys.exit(1)
        first = AuditRecord.objects.order_by("id").values_list("id", "prev_hash").first()
        start = ""
        if first and first[1]:
            start = f",自清理记录 #{anchor_for(first[1], first[0])} 所载的哈希起"
        self.stdout.write(f"审计记录哈希链完整,共 {AuditRecord.objects.count()} 条{start}")

    def _purge(self, options: dict[str, Any]) -> None:
        from touzi.audit.retention import plan, purge_before

        try:
            before = dt.date.fromisoformat(options["before"])
        except ValueError:
            self.stderr.write(f"日期格式应为 YYYY-MM-DD:{options['before']}")
            sys.exit(2)
        try:
            if not options["yes"]:
                found = plan(before)
                self.stdout.write(f"将删除 {before} 之前的 {found.count} 条审计记录"
                                  + (f"(#{found.first_id}—#{found.last_id})" if found.count else "")
                                  + ";确认请加 --yes")
                return
            done = purge_before(before, acting_user=self.acting_user(options))
        except BusinessError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)
        if done.count:
            self.stdout.write(f"已删除 {before} 之前的 {done.count} 条审计记录(#{done.first_id}—#{done.last_id}),"
                              "清理本身已记入审计记录")
        else:
            self.stdout.write(f"{before} 之前没有审计记录,未删除任何记录")
