"""`touzi factors --year YYYY --format json`: the factor ledger of a year from the shell.

Prints {"quotas": [{"kind": key, "county": place key, "county_name": …, "unit": 亩/公顷/吨标准煤/吨,
"quota": q, "allocated": a, "headroom": h, "pending": p, "year": YYYY, "document": …}]} with
headroom = quota − allocated exactly (allocated: the approved allocations; taken back ones are not counted),
and "parcels": the idle land put back to use in the year against its goal. `--warnings YYYY-MM` adds the
month's factor warnings.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from touzi.audit.commands import AuditedCommand
from touzi.core.actor import System
from touzi.core.scoping import scope
from touzi.factors.figures import ledger, number, reuse
from touzi.factors.models import IdleParcel, Quota
from touzi.lib.periods import month_of


class Command(AuditedCommand):
    help = "要素保障台账:某年各县区(园区)各类要素指标的下达、已配置和余量;存量土地盘活;预警。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, default=None, help="年度(默认今年)")
        parser.add_argument("--kind", default=None, help="只列出一类要素(键,如 construction_land)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--warnings", default=None, metavar="YYYY-MM", help="同时列出该月的要素保障预警")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or timezone.localdate().year
        system = System("command: touzi factors")
        quotas = scope(system, Quota.objects.filter(year=year))
        if options["kind"]:
            quotas = quotas.filter(kind=options["kind"])
        rows = ledger(quotas)
        land = reuse(scope(system, IdleParcel.objects.all()), year)
        payload: dict[str, Any] = {
            "year": year, "quotas": [r.as_json() for r in rows],
            "parcels": {"parcels": land["parcels"], "idle_pending": land["pending"], "area": number(land["area"]),
                        "reused": number(land["reused"]),
                        "goal": number(land["goal"]) if land["goal"] is not None else None}}
        if options["warnings"]:
            from touzi.factors.warnings import factor_alerts

            try:
                month = month_of(options["warnings"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            payload["warnings"] = [a.as_dict(options["warnings"]) for a in factor_alerts(system, month)]
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write("要素类别\t县区(园区)\t单位\t下达\t已配置\t余量\t待批")
        for r in rows:
            self.stdout.write(f"{r.kind_label}\t{r.county}\t{r.unit}\t{r.quota}\t{r.allocated}\t{r.headroom}\t"
                              f"{r.pending}")
        self.stdout.write(f"存量土地 {land['parcels']} 宗 {land['area']} 亩,{year}年盘活 {land['reused']} 亩"
                          + (f",目标 {land['goal']} 亩" if land["goal"] is not None else ""))
        for a in payload.get("warnings", []):
            self.stdout.write(f"[{a['level']}] {a['kind_label']} {a['name']}:{a['reason']}")
