"""`touzi briefing YYYY-MM --out DIR [--plan KEY] [--publish] [--new] [--user NAME]`.

Writes the month's briefing as .docx, .xlsx (annex) and .pdf into DIR. The latest published version is
rendered from its frozen figures; without one (or with --new) a draft is generated from today's data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from touzi.audit.commands import AuditedCommand
from touzi.briefings.models import BriefingRecord, BriefingStatus
from touzi.briefings.render import RenderError
from touzi.briefings.services import documents, generate, publish
from touzi.lib.periods import month_of
from touzi.plans.models import Plan


class Command(AuditedCommand):
    help = "生成月度通报(Word、Excel 附件、PDF)。"
    # The system checks import every URLconf and view (a second of start-up); `touzi check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("period", help="YYYY-MM")
        parser.add_argument("--out", required=True, help="输出目录")
        parser.add_argument("--plan", dest="plan_key", default=None)
        parser.add_argument("--new", action="store_true", help="按当前数据重新生成(已印发则为更正版本)")
        parser.add_argument("--publish", action="store_true", help="生成后印发(冻结数据)")
        parser.add_argument("--no-pdf", action="store_true", help="不生成 PDF")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = month_of(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        key = options["plan_key"] or settings.DEFAULT_PLAN_KEY
        plan = Plan.objects.filter(key=key).first()
        if plan is None:
            raise CommandError(f"没有方案 {key}")
        user = self.actor(options)
        item = (
            BriefingRecord.objects.filter(plan=plan, month=month, status=BriefingStatus.PUBLISHED)
            .order_by("-version")
            .first()
        )
        if item is None or options["new"]:
            item = generate(plan, month, actor=user)
        if options["publish"] and item.status == BriefingStatus.DRAFT:
            item = publish(item, actor=user)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        try:
            files = documents(item, pdf=not options["no_pdf"])
        except RenderError as exc:
            raise CommandError(str(exc)) from exc
        for kind, content in files.items():
            path = out / f"briefing-{month:%Y-%m}-v{item.version}.{kind}"
            path.write_bytes(content)
            self.stdout.write(str(path))
        self.stdout.write(f"{item.title}(第{item.version}版,{item.get_status_display()})")
