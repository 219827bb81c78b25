"""`touzi worker`: run background jobs (large imports) from the Celery broker; needs TOUZI_JOBS=celery."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "运行后台任务处理进程(Celery),处理大批量导入等耗时任务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=2, help="并发处理的任务数(默认 2)")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.JOBS_BACKEND != "celery":
            raise CommandError("后台任务未配置为 Celery:请设置 TOUZI_JOBS=celery 及 TOUZI_CELERY_BROKER_URL")
        from touzi.core.celery_app import app

        app.worker_main(["worker", f"--loglevel={options['loglevel']}",
                         f"--concurrency={options['concurrency']}", "--without-gossip", "--without-mingle"])
