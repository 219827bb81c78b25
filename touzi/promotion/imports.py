"""Excel template import of agreements (签约登记) and of funds arrived (到位资金月报), in the style of touzi/imports.

All or nothing: every row goes through the same service as the web form (its checks, its rights, its audit
record) inside one transaction; if any row is refused, the transaction is rolled back and the user gets the
row-by-row report (行, 列, 值, 问题) — nothing was written. The templates are downloadable with drop-downs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from touzi.core.actor import Actor
from touzi.imports.common import CellRefused, Checked, error_report, reason_of, run_rows
from touzi.lib.messages import Message, define
from touzi.lib.xlsx import (
    Column,
    SheetSpec,
    parse_date,
    parse_decimal,
    parse_period,
    write_workbook,
)
from touzi.promotion.choices import Currency, InvestorKind, ThreeEnterprises
from touzi.promotion.models import Agreement, PromotionEvent
from touzi.promotion.sectors import section_names
from touzi.promotion.services import create_event, register_agreement, report_funds
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

__all__ = ["AGREEMENT_COLUMNS", "FUNDS_COLUMNS", "agreement_template", "error_report", "funds_template",
           "import_agreements", "import_funds"]

AGREEMENT_COLUMNS = [
    Column("name", ("项目名称", "签约项目名称")),
    Column("investor", ("投资方", "投资主体", "签约企业")),
    Column("investor_kind", ("投资方类型", "企业类型")),
    Column("investor_region", ("来源地区", "来源省份"), required=False),
    Column("investor_country", ("来源国家/地区", "来源国家"), required=False),
    Column("three_enterprises", ("三企入桂",), required=False),
    Column("sector", ("行业(GB/T 4754)", "行业代码", "行业")),
    Column("signed_on", ("签约日期", "签约时间")),
    Column("event", ("签约活动", "签约活动名称"), required=False),
    Column("event_place", ("活动地点",), required=False),
    Column("currency", ("币种",), required=False),
    Column("agreed_investment", ("协议投资(万元)", "协议投资", "签约金额(万元)"), required=False),
    Column("agreed_usd", ("协议投资(万美元)",), required=False),
    Column("exchange_rate", ("汇率",), required=False),
    Column("county", ("县区", "所在县区")),
    Column("park", ("园区", "所在园区"), required=False),
    Column("unit", ("责任单位",), required=False),
    Column("due_registration", ("约定注册日期",), required=False),
    Column("due_land", ("约定供地日期",), required=False),
    Column("due_start", ("约定开工日期",)),
    Column("due_production", ("约定投产日期",)),
]
FUNDS_COLUMNS = [
    Column("code", ("签约编号",)),
    Column("name", ("项目名称",), required=False),
    Column("month", ("报告期", "月份")),
    Column("domestic", ("内资到位(万元)", "内资到位"), required=False),
    Column("foreign_usd", ("外资到位(万美元)", "外资到位"), required=False),
    Column("exchange_rate", ("汇率",), required=False),
    Column("note", ("说明", "备注"), required=False),
]
HEADERS = {c.key: c.headers[0] for c in [*AGREEMENT_COLUMNS, *FUNDS_COLUMNS]}
FIELD_COLUMN = {"on": "month", "reason": "name"}


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# Row errors as codes, shown in the reader's language when the batch is read (touzi.lib.messages).
MSG_CHOICE = define("promotion.choice", _("应为:%(labels)s"))
MSG_REQUIRED = define("promotion.required", _("必填"))
MSG_NO_UNIT = define("promotion.no_unit", _("系统中没有这个单位"))


class _RowRefused(CellRefused):
    def __init__(self, column: str, value: object, message: Message | str) -> None:
        super().__init__(HEADERS.get(column, column), value, message)


def _choice(value: object, choices: Any, column: str, *, blank: str | None = None) -> str:
    text = _text(value)
    if not text and blank is not None:
        return blank
    for v, label in choices:
        if text in (v, str(label)):
            return v
    raise _RowRefused(column, value, MSG_CHOICE(labels="、".join(str(label) for _v, label in choices if label)))


def _date(values: dict, key: str, *, required: bool = False) -> dt.date | None:
    try:
        day = parse_date(values.get(key))
    except ValueError as exc:
        raise _RowRefused(key, values.get(key), reason_of(exc)) from exc
    if day is None and required:
        raise _RowRefused(key, "", MSG_REQUIRED())
    return day


def _required_date(values: dict, key: str) -> dt.date:
    day = _date(values, key, required=True)
    assert day is not None  # _date refuses the row without one
    return day


def _number(values: dict, key: str) -> Decimal | None:
    try:
        return parse_decimal(values.get(key))
    except ValueError as exc:
        raise _RowRefused(key, values.get(key), reason_of(exc)) from exc


def _units() -> Callable[[object, str, tuple[str, ...]], Unit | None]:
    by_name: dict[str, Unit] = {}
    for unit in Unit.objects.filter(kind__in=[UnitKind.COUNTY, UnitKind.PARK, UnitKind.BUREAU, UnitKind.OFFICE]):
        for name in (unit.key, unit.name, unit.short_name):
            if name:
                by_name.setdefault(name, unit)

    def find(value: object, column: str, kinds: tuple[str, ...]) -> Unit | None:
        text = _text(value)
        if not text:
            return None
        unit = by_name.get(text)
        if unit is None or unit.kind not in kinds:
            raise _RowRefused(column, value, MSG_NO_UNIT())
        return unit
    return find




def import_agreements(content: bytes, user: Actor) -> Checked:
    """签约登记 from the template: one agreement per row (a new signing event is added on the way)."""
    unit_of = _units()
    events = {(e.name, e.held_on): e for e in PromotionEvent.objects.all()}

    def one(values: dict, actor: Actor) -> None:
        signed = _required_date(values, "signed_on")
        county = unit_of(values.get("county"), "county", (UnitKind.COUNTY,))
        if county is None:
            raise _RowRefused("county", "", "必填")
        park = unit_of(values.get("park"), "park", (UnitKind.PARK,))
        unit = unit_of(values.get("unit"), "unit", (UnitKind.COUNTY, UnitKind.PARK, UnitKind.BUREAU,
                                                     UnitKind.OFFICE)) or park or county
        event = None
        name = _text(values.get("event"))
        if name:
            event = events.get((name, signed)) or PromotionEvent.objects.filter(name=name).order_by("-held_on").first()
            if event is None:
                event = create_event(name, signed, _text(values.get("event_place")), actor=actor)
        currency = _choice(values.get("currency"), Currency.choices, "currency", blank=Currency.CNY)
        register_agreement(
            name=_text(values.get("name")), investor=_text(values.get("investor")),
            investor_kind=_choice(values.get("investor_kind"), InvestorKind.choices, "investor_kind"),
            investor_region=_text(values.get("investor_region")),
            investor_country=_text(values.get("investor_country")) or "中国",
            three_enterprises=_choice(values.get("three_enterprises"), ThreeEnterprises.choices,
                                      "three_enterprises", blank=""),
            sector=_text(values.get("sector")), signed_on=signed, event=event, county=county, park=park, unit=unit,
            currency=currency, agreed_investment=_number(values, "agreed_investment"),
            agreed_usd=_number(values, "agreed_usd"), exchange_rate=_number(values, "exchange_rate"),
            due_registration=_date(values, "due_registration"), due_land=_date(values, "due_land"),
            due_start=_required_date(values, "due_start"),
            due_production=_required_date(values, "due_production"), actor=actor)

    return run_rows(content, AGREEMENT_COLUMNS, "promotion_agreements", one, user, headers=HEADERS, field_column=FIELD_COLUMN)


def import_funds(content: bytes, user: Actor) -> Checked:
    """到位资金 from the template: one agreement-month per row, submitted for review."""

    def one(values: dict, actor: Actor) -> None:
        code = _text(values.get("code"))
        agreement = Agreement.objects.filter(code=code).first() if code else None
        if agreement is None:
            raise _RowRefused("code", code, "没有这个签约编号" if code else "必填")
        name = _text(values.get("name"))
        if name and name != agreement.name:
            raise _RowRefused("name", name, f"项目名称与签约编号不符(台账中为「{agreement.name}」)")
        try:
            period = parse_period(values.get("month"))
        except ValueError as exc:
            raise _RowRefused("month", values.get("month"), str(exc)) from exc
        if period is None:
            raise _RowRefused("month", "", "必填")
        report_funds(agreement, dt.date(int(period[:4]), int(period[5:7]), 1),
                     domestic=_number(values, "domestic"), foreign_usd=_number(values, "foreign_usd"),
                     exchange_rate=_number(values, "exchange_rate"), note=_text(values.get("note")),
                     actor=actor)

    return run_rows(content, FUNDS_COLUMNS, "promotion_funds", one, user, headers=HEADERS, field_column=FIELD_COLUMN)


def agreement_template() -> bytes:
    headers = [c.headers[0] for c in AGREEMENT_COLUMNS]
    index = {c.key: i for i, c in enumerate(AGREEMENT_COLUMNS)}
    units = Unit.objects.order_by("kind", "division_code", "key")
    choices = {
        index["investor_kind"]: [str(label) for label in InvestorKind.labels],
        index["three_enterprises"]: [str(label) for v, label in ThreeEnterprises.choices if v],
        index["sector"]: list(section_names()),
        index["currency"]: [str(label) for label in Currency.labels],
        index["county"]: [u.short_name or u.name for u in units if u.kind == UnitKind.COUNTY],
        index["park"]: [u.short_name or u.name for u in units if u.kind == UnitKind.PARK],
        index["unit"]: [u.short_name or u.name for u in units.filter(Q(kind=UnitKind.BUREAU) | Q(kind=UnitKind.COUNTY)
                                                                     | Q(kind=UnitKind.PARK))],
    }
    return write_workbook(
        [SheetSpec(title="签约项目", headers=headers, rows=[], choices={k: v for k, v in choices.items() if v},
                   number_formats={index["agreed_investment"]: "#,##0.0000", index["agreed_usd"]: "#,##0.0000"})],
        notes=["每行一个签约项目;日期填 YYYY-MM-DD;金额单位:万元(美元项目填协议投资(万美元),汇率可空,取签约月汇率)。",
               "行业填 GB/T 4754 门类字母,可带大类数字,如 C36。责任单位可空:默认为园区或县区。",
               "签约活动不在系统中的将按签约日期新建。整个文件全部通过检查才会导入,否则不导入任何数据。"])


def funds_template(agreements: Any, month: dt.date) -> bytes:
    rows = [[code, name, f"{month:%Y-%m}", None, None, None, ""]
            for code, name in agreements.order_by("code").values_list("code", "name").iterator()]
    return write_workbook(
        [SheetSpec(title="到位资金", headers=[c.headers[0] for c in FUNDS_COLUMNS], rows=rows,
                   widths=[22, 36, 12, 18, 18, 10, 30], number_formats={3: "#,##0.0000", 4: "#,##0.0000"})],
        notes=["每行一个签约项目一个月的到位资金;内资单位万元,外资单位万美元(汇率可空,取当月汇率)。",
               "已审核的月份不能再改;已锁定的月份不能填报。整个文件全部通过检查才会导入。"])
