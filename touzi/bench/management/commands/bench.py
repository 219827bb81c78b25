"""`touzi bench --size city|province|nation [--database-url URL] [--only P1,P2] --format json|table`.

Runs the benchmark modules of touzi.bench (each in a child process on its own database) and prints each
figure with its reference and their ratio. Benchmarks are measurements, never tests; see
docs/performance.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from touzi.bench import runner


class Command(BaseCommand):
    help = "运行性能基准(touzi.bench 各模块),输出各项指标、参照值及其比值。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", choices=("city", "province", "nation"), default="city")
        parser.add_argument("--database-url", default="",
                            help="the benchmark database (default: a SQLite file under var/bench/)")
        parser.add_argument("--only", default="", help="comma-separated figure ids, e.g. P1,P2")
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument("--module", action="append", default=[],
                            help="run these modules instead (touzi.bench.<name> or an importable name)")
        parser.add_argument("--list", action="store_true", help="list the benchmarks and what each measures")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self.stdout.write(runner.listing())
            return
        only = [i.strip().upper() for i in options["only"].split(",") if i.strip()] or None
        url = options["database_url"] or None
        figures = runner.run(options["size"], url, only, options["module"] or None)
        self.stdout.write(runner.output(figures, [url], options["format"]))
