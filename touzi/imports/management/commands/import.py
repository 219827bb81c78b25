"""`touzi import projects|reports FILE [--dry-run] [--user NAME] [--errors OUT.xlsx]`.

Exit 0: written (or, with --dry-run, would be written). Exit 1: refused with errors; nothing written.
Exit 2: usage (no such file, wrong kind).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from touzi.audit.choices import Source
from touzi.audit.commands import AuditedCommand
from touzi.audit.context import audit_context, current
from touzi.imports.choices import ImportKind
from touzi.imports.common import error_report
from touzi.imports.services import check, write
from touzi.lib.xlsx import SheetError


class Command(AuditedCommand):
    help = "从 Excel 导入项目或月报:整体检查,全部通过才写入。"
    # The system checks import every URLconf and view (seconds of start-up); `touzi check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("kind", choices=[k.value for k in ImportKind])
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查,不写入")
        parser.add_argument("--errors", help="把逐行错误清单写入这个 .xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            self.stderr.write(f"没有这个文件:{path}")
            sys.exit(2)
        user = self.actor(options)
        content = path.read_bytes()
        with audit_context(Source.IMPORT, actor_name=current().actor_name):
            try:
                if options["dry_run"]:
                    checked = check(options["kind"], content, user)
                else:
                    checked = write(options["kind"], content, user, file_name=path.name)
            except SheetError as exc:
                self.stderr.write(f"{path}: {exc.message}")
                sys.exit(1)
        for note in checked.notes:
            self.stdout.write(f"说明:{note}")
        if not checked.ok:
            for error in checked.errors[:200]:
                self.stderr.write(f"第{error.row}行 {error.column}「{error.value}」:{error.message}")
            if len(checked.errors) > 200:
                self.stderr.write(f"……共 {len(checked.errors)} 处错误")
            if options["errors"]:
                Path(options["errors"]).write_bytes(error_report(checked.errors))
            self.stderr.write(f"有 {len(checked.errors)} 处错误,未写入任何数据")
            sys.exit(1)
        counts = checked.counts
        verb = "检查通过,将" if options["dry_run"] else "已"
        self.stdout.write(f"{verb}新增 {counts['create']},更新 {counts['update']},无变化 {counts['unchanged']}"
                          f"(跳过 {len(checked.skipped)} 行)")
