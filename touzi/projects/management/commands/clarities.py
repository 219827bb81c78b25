"""`touzi clarities [--check]`: the stored five-clarities flags against their source rows, rewritten if asked.

The services keep the flags (touzi/projects/clarities.py); this is for after a bulk load that bypassed them,
or to verify. Without --check it rewrites every project's flags in one UPDATE and prints how many rows;
with --check it writes nothing, prints how many projects' flags differ from their rows, and exits 1 if any.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import System
from touzi.projects.clarities import refresh_clarities, stale_clarities


class Command(BaseCommand):
    help = "核对或重算项目“五明确”中的资金筹措和审批时限标志。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只核对,不改写")

    def handle(self, *args: Any, **options: Any) -> None:
        stale, first = stale_clarities()
        if options["check"]:
            self.stdout.write(json.dumps({"stale": stale, "first": first}))
            if stale:
                raise SystemExit(1)
            return
        with transaction.atomic():
            written = refresh_clarities()
            record(Event.UPDATE, actor=System("command: touzi clarities"), object_type="projects.project",
                   after={"rewritten": written, "stale_before": stale}, message="touzi clarities")
        self.stdout.write(json.dumps({"rewritten": written, "stale_before": stale}))
