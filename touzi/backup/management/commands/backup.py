"""`touzi backup FILE`: the database, every uploaded file and a manifest in one .tar.gz (see README, Backup)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from touzi.backup.archive import backup
from touzi.backup.vendors import BackupError


class Command(BaseCommand):
    help = "备份:把数据库、全部上传文件和清单写入一个 .tar.gz 文件"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="备份文件,如 /var/backups/touzi/touzi-2024-05-01.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"])
        try:
            manifest = backup(target)
        except (BackupError, OSError) as exc:
            self.stderr.write(f"备份失败:{exc}")
            sys.exit(1)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"已备份到 {target}:{manifest['vendor']} 数据库 {len(manifest['tables'])} 张表 {rows} 行,"
                          f"上传文件 {len(manifest['media'])} 个")
