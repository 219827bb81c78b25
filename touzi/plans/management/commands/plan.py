"""`touzi plan load FILE` and `touzi plan show [--plan KEY] --format json|text`; other apps add subcommands
(`touzi plan roll YEAR` comes from projects, see touzi.plans.commands)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder

from touzi.audit.commands import AuditedCommand
from touzi.plans.api import target_out, task_out
from touzi.plans.commands import SUBCOMMANDS
from touzi.plans.loader import PlanFileInvalid, check_plan_file
from touzi.plans.models import Plan
from touzi.plans.services import known_unit_keys, load_plan


class Command(AuditedCommand):
    help = "行动方案:load 校验并载入方案文件;show 输出方案。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="校验并载入(或更新)方案文件")
        load.add_argument("file")
        load.add_argument("--check", action="store_true", help="只校验,不写入")
        show = sub.add_parser("show", help="输出方案及全部目标")
        show.add_argument("--plan", dest="plan_key", default=None)
        show.add_argument("--format", choices=["json", "text"], default="text")
        for name, extra in SUBCOMMANDS.items():  # `roll`, added by projects (touzi.plans.commands)
            extra.add_arguments(sub.add_parser(name, help=extra.help))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self.load(options)
        elif options["action"] in SUBCOMMANDS:
            SUBCOMMANDS[options["action"]].handle(self, options)
        else:
            self.show(options)

    def load(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}:{exc.strerror}") from exc
        try:
            checked = check_plan_file(content, str(path), known_unit_keys())
        except PlanFileInvalid as exc:
            for line in exc.lines():
                self.stderr.write(line)
            raise CommandError(f"方案文件有 {len(exc.problems)} 处错误,未写入任何内容") from exc
        if options["check"]:
            self.stdout.write(f"{path}: 校验通过(方案 {checked.spec.plan.key},{len(checked.spec.targets)} 项目标)")
            return
        summary = load_plan(checked, actor=self.actor(options))
        if summary.changed:
            self.stdout.write(f"已载入方案 {summary.plan_key}:新增 {summary.created},修改 {summary.updated},"
                              f"删除 {summary.deleted}")
            if options["verbosity"] > 1:
                for change in summary.changes:
                    self.stdout.write(f"  {change}")
        else:
            self.stdout.write(f"方案 {summary.plan_key} 与文件一致,未作改动")

    def show(self, options: dict[str, Any]) -> None:

        key = options["plan_key"] or settings.DEFAULT_PLAN_KEY
        plan = Plan.objects.filter(key=key).first() or (None if options["plan_key"] else Plan.objects.first())
        if plan is None:
            raise CommandError(f"没有方案 {key}(先运行 touzi plan load FILE)")
        targets = plan.targets.select_related(
            "task", "scope_domain", "scope_collection", "scope_unit", "scope_group"
        ).prefetch_related("duties__unit", "duties__group").order_by("order")
        tasks = plan.tasks.prefetch_related("duties__unit", "duties__group").order_by("order")
        targets_out = [target_out(t) for t in targets]
        data = {
            "key": plan.key, "name": plan.name, "name_en": plan.name_en,
            "region": {"code": plan.region_code, "name": plan.region_name},
            "start_year": plan.start_year, "end_year": plan.end_year, "issuer": plan.issuer,
            "combine_jan_feb": plan.combine_jan_feb,
            "targets": targets_out,
            "tasks": [task_out(t) for t in tasks],
            "groups": [{"key": g.key, "kind": g.kind, "name": g.name,
                        "host_units": [u.key for u in g.host_units.all()],
                        "domains": [d.key for d in g.domains.all()]}
                       for g in plan.work_groups.prefetch_related("host_units", "domains").order_by("order")],
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{plan.name} ({plan.key}) {plan.start_year}—{plan.end_year}")
        for t in targets_out:
            self.stdout.write(f"  [{t['area']}] {t['key']}: {t['name']} {t['comparator']} {t['value']} {t['unit']}"
                              f" ({t['period']})")
