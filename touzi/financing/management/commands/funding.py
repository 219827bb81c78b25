"""`touzi funding --year YYYY [--format json|text]`: the year's money by source, special bonds and needs.

JSON (亿元 as decimal strings with four places, like `touzi promotion growth`):
{"sources": [{"source": key, "planned": 亿元, "secured": 亿元, "arrived": 亿元}],
 "bonds": {"allocated": 亿元, "disbursed": 亿元, "spent": 亿元},
 "needs": {"published": n, "granted": n, "amount_granted": 亿元}}
"""

from __future__ import annotations

import json
from typing import Any

from touzi.audit.commands import AuditedCommand
from touzi.core.actor import System
from touzi.core.scoping import scope
from touzi.financing.figures import funding_summary
from touzi.financing.models import FinancingNeed
from touzi.projects.choices import FundingSource
from touzi.projects.models import Project


class Command(AuditedCommand):
    help = "投融资:某年各资金来源的计划、已落实、已到位,专项债券分配、拨付、支出,融资需求发布与放款(亿元)。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        system = System("command: touzi funding")
        found = funding_summary(scope(system, Project.objects.all()), scope(system, FinancingNeed.objects.all()),
                                options["year"])
        payload = {"sources": found["sources"], "bonds": found["bonds"], "needs": found["needs"]}
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        labels = dict(FundingSource.choices)
        self.stdout.write(f"{options['year']}年\t计划(亿元)\t已落实(亿元)\t已到位(亿元)")
        for row in payload["sources"]:
            self.stdout.write(f"{labels[row['source']]}\t{row['planned']}\t{row['secured']}\t{row['arrived']}")
        b, n = payload["bonds"], payload["needs"]
        self.stdout.write(f"专项债券:分配 {b['allocated']} 亿元,拨付 {b['disbursed']} 亿元,支出 {b['spent']} 亿元")
        self.stdout.write(f"融资需求:发布 {n['published']} 个,获贷 {n['granted']} 个,放款 {n['amount_granted']} 亿元")
