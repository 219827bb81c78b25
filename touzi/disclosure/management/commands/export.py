"""`touzi export oc4ids --out FILE [--published-only] [--base-url URL]`: the disclosed projects as an OC4IDS 0.9.4
project package (touzi/disclosure/oc4ids.py; the mapping in docs/oc4ids.md).

Without --published-only the package holds every disclosable project (government-invested, fiscal funding at
or above the plan's threshold) with what of it is approved; with it, only the projects the portal shows (at
least one approved item) — the package the portal serves at /open/oc4ids.json. Only approved content is ever
written. Prints one JSON line: {"out": FILE, "projects": n, "valid": true|false|null, "errors": [...]}
(valid is null when jsonschema is not installed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from touzi.audit.commands import AuditedCommand
from touzi.disclosure import oc4ids


class Command(AuditedCommand):
    help = "导出开放数据:oc4ids 将公开的政府投资项目导出为 OC4IDS 0.9.4 项目包(JSON)。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="kind", required=True)
        o = sub.add_parser("oc4ids", help="OC4IDS 0.9.4 项目包")
        o.add_argument("--out", required=True, help="输出文件(JSON)")
        o.add_argument("--published-only", dest="published_only", action="store_true",
                       help="只导出已公开(至少一项已批准公开)的项目,即公开网站提供的数据包")
        o.add_argument("--base-url", dest="base_url", default="", help="公开网站地址,如 https://touzi.example.gov.cn")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] != "oc4ids":  # pragma: no cover - argparse refuses other kinds
            raise CommandError(f"unknown export: {options['kind']}")
        data = oc4ids.package(published_only=options["published_only"], base_url=options["base_url"].rstrip("/"))
        if not data["projects"]:
            raise CommandError("没有可导出的项目(OC4IDS 项目包至少需要一个项目)")
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        try:
            errors: list[str] | None = oc4ids.validate(data)
        except ImportError:
            errors = None
        self.stdout.write(json.dumps({"out": str(out), "projects": len(data["projects"]),
                                      "valid": None if errors is None else not errors,
                                      "errors": (errors or [])[:20]}, ensure_ascii=False))
        if errors:
            raise CommandError(f"OC4IDS 校验未通过:{len(errors)} 处错误")
