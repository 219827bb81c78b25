"""`touzi serve`: the embedded server on 127.0.0.1:8000 (production runs gunicorn, see docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动内置服务(默认 http://127.0.0.1:8000)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        # The embedded server serves static files from the apps (finders), not from STATIC_ROOT, which only
        # `collectstatic` fills for production; WhiteNoise warns at start-up when that folder is missing, which a
        # newcomer's first run should not show.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        call_command("runserver", options["addrport"], use_reloader=False)
