"""`touzi restore FILE [--force]`: restore a backup into an empty database and MEDIA_ROOT, then compare.

Exit 0: restored and every table's row count and checksum and every file match the manifest;
1: refused (target not empty, wrong vendor, bad archive) or a difference was found (each is printed).
"""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db.migrations.loader import MigrationLoader

from touzi.backup.archive import restore
from touzi.backup.vendors import BackupError


class Command(BaseCommand):
    help = "恢复:把备份恢复到空数据库和上传文件目录,再逐表核对行数和校验和"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="touzi backup 写出的 .tar.gz 文件")
        parser.add_argument("--force", action="store_true", help="目标数据库或上传文件目录不空时仍然恢复(覆盖)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        try:
            outcome = restore(source, force=options["force"])
        except (BackupError, OSError, tarfile.TarError, KeyError, ValueError) as exc:
            self.stderr.write(f"恢复失败:{exc}")
            sys.exit(1)
        manifest = outcome.manifest
        if outcome.differences:
            self.stderr.write("恢复后的数据与备份清单不符:")
            for line in outcome.differences:
                self.stderr.write(f"  {line}")
            sys.exit(1)
        self.stdout.write(f"已恢复 {source}(备份于 {manifest['created_at']},Touzi {manifest['touzi_version']}):"
                          f"{len(manifest['tables'])} 张表的行数和校验和、{len(manifest['media'])} 个上传文件全部与清单一致")
        newer = self._unapplied()
        if newer:
            self.stdout.write(f"本版本还有 {len(newer)} 个迁移未应用,请运行 touzi migrate")

    def _unapplied(self) -> list[str]:
        from django.db import connection

        loader = MigrationLoader(connection)
        return [f"{app}.{name}" for app, name in loader.graph.leaf_nodes() if (app, name) not in loader.applied_migrations]
