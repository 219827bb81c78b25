"""`touzi consultants --year YYYY --format json`: each consulting firm's deviations and evaluation of a year.

JSON: {"year": y, "firms": [{"firm", "engagements", "late_deliverables", "median", "spread", "beyond_10",
"beyond_10_share", "grade", "deviations": [{"project", "from_stage", "to_stage", "from_amount", "to_amount",
"deviation", "dated"}]}]}; deviations in % of the earlier stage, amounts in 万元. `--publish` publishes the
year's evaluation list (评价结果; audited).
"""

from __future__ import annotations

import json
from typing import Any

from touzi.audit.commands import AuditedCommand
from touzi.consulting.figures import TOLERANCE, firm_years
from touzi.consulting.services import publish_evaluation


class Command(AuditedCommand):
    help = "工程咨询单位评价:各单位估算→概算→预算→决算偏差(中位数、离散度、超±10%占比)、逾期交付和评价等级。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--publish", action="store_true", help="发布该年度评价结果")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["publish"]:
            publish_evaluation(options["year"], actor=self.actor(options))
        firms = [f.as_json() for f in firm_years(options["year"])]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"year": options["year"], "tolerance": float(TOLERANCE), "firms": firms},
                                         ensure_ascii=False, indent=2))
            return
        self.stdout.write("咨询单位\t偏差数\t中位数%\t离散度\t超±10%\t逾期交付\t评价")
        for f in firms:
            self.stdout.write(f"{f['firm']}\t{len(f['deviations'])}\t{f['median']}\t{f['spread']}\t"
                              f"{f['beyond_10_share']}\t{f['late_deliverables']}\t{f['grade_label']}")
