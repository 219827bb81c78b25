"""`touzi promotion rates|growth|exchange-rate`: the promotion register from the shell.

`touzi promotion rates --year 2022 --format json` prints the four rates by county (rates as fractions 0–1,
funds arrived in 亿元): {"rows": [{"county": …, "signed": n, "honoured_rate": r, "funds_rate": r,
"started_rate": r, "production_rate": r, "funds_arrived": 亿元}], "total": {…}}.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from touzi.audit.commands import AuditedCommand
from touzi.core.actor import System
from touzi.core.scoping import scope
from touzi.lib.errors import BusinessError
from touzi.lib.periods import month_of
from touzi.promotion.choices import GroupBy
from touzi.promotion.figures import growth, rates
from touzi.promotion.models import Agreement
from touzi.promotion.services import set_exchange_rate


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期应为 YYYY-MM-DD:{value}") from exc


def _as_of(options: dict[str, Any]) -> dt.date:
    if options.get("as_of"):
        return _day(options["as_of"])
    today = timezone.localdate()
    return today


class Command(AuditedCommand):
    help = "招商引资:rates 四个率(按县区等);growth 到位资金增长与外资;warnings 签约项目预警;exchange-rate 设置月度美元汇率。"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True)
        r = sub.add_parser("rates", help="四个率:履约率、资金到位率、开工率、投产率")
        r.add_argument("--year", type=int, default=None, help="签约年份(省略:全部)")
        r.add_argument("--as-of", dest="as_of", default=None, help="截至日期 YYYY-MM-DD(默认今天)")
        r.add_argument("--by", choices=GroupBy.values, default=GroupBy.COUNTY)
        r.add_argument("--format", choices=["json", "text"], default="text")
        g = sub.add_parser("growth", help="到位资金同比增长、直接利用外资(美元)")
        g.add_argument("--year", type=int, required=True)
        g.add_argument("--as-of", dest="as_of", default=None)
        g.add_argument("--format", choices=["json", "text"], default="text")
        w = sub.add_parser("warnings", help="签约项目预警(节点逾期、长期无到位资金、长期停滞)")
        w.add_argument("--period", required=True, help="YYYY-MM")
        w.add_argument("--format", choices=["json", "text"], default="text")
        x = sub.add_parser("exchange-rate", help="设置某月美元兑人民币汇率")
        x.add_argument("--month", required=True, help="YYYY-MM")
        x.add_argument("--rate", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, options["action"].replace("-", "_"))(options)

    def rates(self, options: dict[str, Any]) -> None:
        found = rates(scope(System("command: touzi promotion"), Agreement.objects.all()), as_of=_as_of(options), year=options["year"],
                      by=options["by"])
        payload = found.as_json(options["by"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return

        def pct(value: float | None) -> str:
            return "—" if value is None else f"{value * 100:.1f}%"

        self.stdout.write("单位\t签约\t履约率\t资金到位率\t开工率\t投产率\t到位资金(亿元)")
        for row in [*payload["rows"], payload["total"]]:
            self.stdout.write(f"{row[options['by']]}\t{row['signed']}\t{pct(row['honoured_rate'])}\t"
                              f"{pct(row['funds_rate'])}\t{pct(row['started_rate'])}\t"
                              f"{pct(row['production_rate'])}\t{row['funds_arrived']}")

    def growth(self, options: dict[str, Any]) -> None:
        found = growth(scope(System("command: touzi promotion"), Agreement.objects.all()), options["year"], _as_of(options))
        plain = {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in found.items()}
        if options["format"] == "json":
            self.stdout.write(json.dumps(plain, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{plain['year']}年1—{plain['through'][5:]}月到位资金 {plain['funds_arrived']} 亿元,"
                          f"同比 {plain['growth'] or '—'}%;直接利用外资 {plain['fdi_usd']} 亿美元")

    def warnings(self, options: dict[str, Any]) -> None:
        from touzi.promotion.warnings import agreement_alerts

        try:
            month = month_of(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        found = [a.as_dict(options["period"]) for a in agreement_alerts(System("command: touzi promotion"), month)]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"period": options["period"], "warnings": found}, ensure_ascii=False,
                                         indent=2))
            return
        for a in found:
            self.stdout.write(f"[{a['level']}] {a['kind_label']} {a['agreement_name']}({a['unit']}):{a['reason']}")

    def exchange_rate(self, options: dict[str, Any]) -> None:
        try:
            month, rate = month_of(options["month"]), Decimal(options["rate"])
        except (ValueError, InvalidOperation) as exc:
            raise CommandError(f"月份应为 YYYY-MM,汇率应为数字:{exc}") from exc
        try:
            set_exchange_rate(month, rate, actor=self.actor(options))
        except BusinessError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{month:%Y-%m} 美元汇率 {rate}")
