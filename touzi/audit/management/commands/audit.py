"""`touzi audit verify [--checkpoint FILE]` checks the audit trail's hash chain and, against signed checkpoints
(by default this database's in TOUZI_AUDIT_CHECKPOINT_FILE), that the records they vouch for are still there:
exit 1 naming the first record that does not fit or the records missing;
`touzi audit checkpoint [--out FILE]` writes a signed checkpoint of the chain's end;
`touzi audit purge --before YYYY-MM-DD [--yes]` deletes records older than the retention period allows."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from touzi.audit.chain import anchor_for, verify
from touzi.audit.checkpoint_log import append, checkpoint_file, read, write_to
from touzi.audit.checkpoints import Checkpoint, check_all, database_label
from touzi.audit.commands import AuditedCommand
from touzi.audit.models import AuditRecord
from touzi.lib.errors import BusinessError


class Command(AuditedCommand):
    help = ("审计:verify 校验审计记录的哈希链及其末尾(检查点);checkpoint 记下哈希链的末尾;"
            "purge 清理超过保存期限的审计记录。")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify_cmd = sub.add_parser("verify", help="校验哈希链,并与检查点核对最新的记录是否还在")
        verify_cmd.add_argument("--checkpoint", metavar="FILE", default=None,
                                help="与这个文件中的检查点核对(默认:TOUZI_AUDIT_CHECKPOINT_FILE 中本数据库的检查点)")
        checkpoint = sub.add_parser("checkpoint", help="写一个签名的检查点:最后一条记录的编号和哈希、记录数、时间")
        checkpoint.add_argument("--out", metavar="FILE", default=None,
                                help="写入这个文件(默认:追加到 TOUZI_AUDIT_CHECKPOINT_FILE)")
        purge = sub.add_parser("purge", help="删除某日期之前的审计记录(至少保存 TOUZI_AUDIT_RETENTION_DAYS 天)")
        purge.add_argument("--before", required=True, help="YYYY-MM-DD:删除这一天之前的记录")
        purge.add_argument("--yes", action="store_true", help="确认删除(不加则只显示将删除多少条)")
        purge.add_argument("--user", dest="actorname", default=None, help="记在哪个账号名下(默认为 shell 用户)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "purge":
            self._purge(options)
        elif options["action"] == "checkpoint":
            self._checkpoint(options["out"])
        else:
            self._verify(options["checkpoint"])

    def _verify(self, explicit: str | None) -> None:
        failures: list[str] = []
        notes: list[str] = []
        broken = next(verify(), None)
        if broken is not None:
            failures.append(f"审计记录 #{broken.record_id} 校验失败:{broken.reason}")
        checkpoints = self._checkpoints(explicit, failures, notes)
        if checkpoints:
            finding = check_all(checkpoints)
            (notes if finding.ok else failures).append(finding.message)
        if failures:
            for line in failures + notes:
                self.stderr.write(line)
            sys.exit(1)
        first = AuditRecord.objects.order_by("id").values_list("id", "prev_hash").first()
        start = ""
        if first and first[1]:
            start = f",自清理记录 #{anchor_for(first[1], first[0])} 所载的哈希起"
        self.stdout.write(f"审计记录哈希链完整,共 {AuditRecord.objects.count()} 条{start}")
        for line in notes:
            self.stdout.write(line)

    def _checkpoints(self, explicit: str | None, failures: list[str], notes: list[str]) -> list[Checkpoint]:
        """The checkpoints to hold the trail against: this database's, from FILE or the automatic file.

        A file named on the command line is the operator's deliberate choice: any line in it that is not
        a validly signed checkpoint fails the check. The automatic file is append-only for years, so a
        bad line there (a write cut short by a power cut) is reported but does not fail every later run;
        a forged line could vouch for nothing anyway, lacking the key.
        """
        db = database_label()
        path = Path(explicit) if explicit else checkpoint_file()
        if not explicit and not path.exists():
            notes.append(f"没有检查点文件 {path}:末尾的记录被删除无法发现(touzi audit checkpoint 写一个)")
            return []
        try:
            contents = read(path)
        except OSError as exc:
            if explicit:
                self.stderr.write(f"无法读取检查点文件 {path}:{exc.strerror or exc}")
                sys.exit(2)
            failures.append(f"无法读取检查点文件 {path}:{exc.strerror or exc}")
            return []
        bad = [f"检查点文件 {path} {problem}" for problem in contents.problems]
        if contents.torn_last_line:
            bad.append(f"检查点文件 {path} 的最后一行不完整(写入时中断)")
        (failures if explicit else notes).extend(bad)
        databases = {c.db for c in contents.checkpoints}
        if db in databases:
            pool = [c for c in contents.checkpoints if c.db == db]
        elif explicit and len(databases) == 1:
            pool = contents.checkpoints  # e.g. production's checkpoint held against a restored copy
            notes.append(f"检查点来自数据库 {pool[0].db}(本数据库为 {db})")
        else:
            (failures if explicit else notes).append(f"检查点文件 {path} 中没有本数据库({db})的检查点")
            return []
        return pool

    def _checkpoint(self, out: str | None) -> None:
        try:
            checkpoint = write_to(Path(out), "command") if out else append("command")
        except OSError as exc:
            self.stderr.write(f"无法写入检查点文件 {out or checkpoint_file()}:{exc.strerror or exc}")
            sys.exit(1)
        assert checkpoint is not None  # append without newest_id always writes
        self.stdout.write(f"已写入{checkpoint.describe()}:{out or checkpoint_file()}")

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
            done = purge_before(before, actor=self.actor(options))
        except BusinessError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)
        if done.count:
            self.stdout.write(f"已删除 {before} 之前的 {done.count} 条审计记录(#{done.first_id}—#{done.last_id}),"
                              "清理本身已记入审计记录")
        else:
            self.stdout.write(f"{before} 之前没有审计记录,未删除任何记录")
