"""Excel template import of quotas (下达指标), allocation requests (指标申请) and idle parcels (存量土地).

All or nothing, in the style of touzi/promotion/imports.py: every row goes through the same service as the
web form (its checks, its rights, its audit record) inside one transaction; if any row is refused, nothing is
written and the user gets the row-by-row report (行, 列, 值, 问题).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from touzi.core.actor import Actor
from touzi.factors.choices import BalanceSource, ParcelKind, QuotaKind
from touzi.factors.models import Quota
from touzi.factors.services import enter_quota, record_parcel, request_allocation
from touzi.imports.common import CellRefused, Checked, run_rows
from touzi.lib.xlsx import Column, SheetSpec, parse_date, parse_decimal, write_workbook
from touzi.projects.models import Project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

QUOTA_COLUMNS = [
    Column("year", ("年度",)),
    Column("kind", ("要素类别",)),
    Column("county", ("县区",)),
    Column("park", ("园区",), required=False),
    Column("amount", ("指标量", "下达指标")),
    Column("document", ("下达文件", "文件")),
    Column("granted_on", ("下达日期",), required=False),
    Column("balance_source", ("占补平衡来源",), required=False),
    Column("intensity_limit", ("能耗强度上限(吨标准煤/万元)", "能耗强度上限"), required=False),
    Column("note", ("说明", "备注"), required=False),
]
ALLOCATION_COLUMNS = [
    Column("code", ("项目代码",)),
    Column("year", ("年度",)),
    Column("kind", ("要素类别",)),
    Column("park", ("园区",), required=False),
    Column("requested", ("申请量",)),
    Column("requested_on", ("申请日期",), required=False),
    Column("intensity", ("项目能耗强度(吨标准煤/万元)", "项目能耗强度"), required=False),
    Column("note", ("说明", "备注"), required=False),
]
PARCEL_COLUMNS = [
    Column("code", ("地块编号",)),
    Column("location", ("坐落",)),
    Column("kind", ("类型",)),
    Column("county", ("县区",)),
    Column("park", ("园区",), required=False),
    Column("area", ("面积(亩)", "面积")),
    Column("reason", ("闲置原因",), required=False),
    Column("holder", ("土地使用权人/责任主体", "土地使用权人"), required=False),
    Column("approved_year", ("批准(供地)年度", "批准年度"), required=False),
]
HEADERS = {c.key: c.headers[0] for c in [*QUOTA_COLUMNS, *ALLOCATION_COLUMNS, *PARCEL_COLUMNS]}


class _Refused(CellRefused):
    def __init__(self, column: str, value: object, message: str) -> None:
        super().__init__(HEADERS.get(column, column), value, message)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _choice(value: object, choices: Any, column: str, *, blank: str | None = None) -> str:
    text = _text(value)
    if not text and blank is not None:
        return blank
    for v, label in choices:
        if v and text in (v, str(label)):
            return v
    raise _Refused(column, value, "应为:" + "、".join(str(label) for v, label in choices if v))


def _number(values: dict, key: str, *, required: bool = False) -> Decimal | None:
    try:
        found = parse_decimal(values.get(key))
    except ValueError as exc:
        raise _Refused(key, values.get(key), str(exc)) from exc
    if found is None and required:
        raise _Refused(key, "", "必填")
    return found


def _int(values: dict, key: str, *, required: bool = False) -> int | None:
    found = _number(values, key, required=required)
    if found is None:
        return None
    if found != found.to_integral_value():
        raise _Refused(key, values.get(key), "应为整数")
    return int(found)


def _date(values: dict, key: str) -> Any:
    try:
        return parse_date(values.get(key))
    except ValueError as exc:
        raise _Refused(key, values.get(key), str(exc)) from exc


def _unit(value: object, column: str, kind: str, *, required: bool = True) -> Unit | None:
    text = _text(value)
    if not text:
        if required:
            raise _Refused(column, "", "必填")
        return None
    found = Unit.objects.filter(kind=kind).filter(key=text).first() or \
        Unit.objects.filter(kind=kind, short_name=text).first() or Unit.objects.filter(kind=kind, name=text).first()
    if found is None:
        raise _Refused(column, value, "系统中没有这个单位")
    return found




def import_quotas(content: bytes, user: Actor, *, keep: bool = True) -> Checked:
    def one(values: dict, actor: Actor) -> None:
        county = _unit(values.get("county"), "county", UnitKind.COUNTY)
        assert county is not None
        enter_quota(year=_int(values, "year", required=True) or 0,
                    kind=_choice(values.get("kind"), QuotaKind.choices, "kind"), county=county,
                    park=_unit(values.get("park"), "park", UnitKind.PARK, required=False),
                    amount=_number(values, "amount", required=True) or Decimal(0),
                    document=_text(values.get("document")), granted_on=_date(values, "granted_on"),
                    balance_source=_choice(values.get("balance_source"), BalanceSource.choices, "balance_source",
                                           blank=""),
                    intensity_limit=_number(values, "intensity_limit"), note=_text(values.get("note")),
                    actor=actor)

    return run_rows(content, QUOTA_COLUMNS, "factor_quotas", one, user, headers=HEADERS, keep=keep)


def import_allocations(content: bytes, user: Actor, *, keep: bool = True) -> Checked:
    def one(values: dict, actor: Actor) -> None:
        code = _text(values.get("code"))
        project = Project.objects.filter(code=code).first() if code else None
        if project is None:
            raise _Refused("code", code, "没有这个项目代码")
        year, kind = _int(values, "year", required=True) or 0, _choice(values.get("kind"), QuotaKind.choices, "kind")
        park = _unit(values.get("park"), "park", UnitKind.PARK, required=False)
        quota = Quota.objects.filter(year=year, kind=kind, county_id=project.county_id, park=park).first()
        if quota is None:
            raise _Refused("kind", values.get("kind"), "该项目所在县区(园区)没有这一年度的这类指标")
        request_allocation(quota, project, _number(values, "requested", required=True) or Decimal(0),
                           requested_on=_date(values, "requested_on"), intensity=_number(values, "intensity"),
                           note=_text(values.get("note")), actor=actor)

    return run_rows(content, ALLOCATION_COLUMNS, "factor_requests", one, user, headers=HEADERS, keep=keep)


def import_parcels(content: bytes, user: Actor, *, keep: bool = True) -> Checked:
    def one(values: dict, actor: Actor) -> None:
        county = _unit(values.get("county"), "county", UnitKind.COUNTY)
        assert county is not None
        record_parcel(code=_text(values.get("code")), location=_text(values.get("location")),
                      kind=_choice(values.get("kind"), ParcelKind.choices, "kind"), county=county,
                      park=_unit(values.get("park"), "park", UnitKind.PARK, required=False),
                      area=_number(values, "area", required=True) or Decimal(0), reason=_text(values.get("reason")),
                      holder=_text(values.get("holder")), approved_year=_int(values, "approved_year"), actor=actor)

    return run_rows(content, PARCEL_COLUMNS, "idle_parcels", one, user, headers=HEADERS, keep=keep)


def _template(title: str, columns: list[Column], choices: dict[str, list[str]], notes: list[str]) -> bytes:
    index = {c.key: i for i, c in enumerate(columns)}
    return write_workbook([SheetSpec(title=title, headers=[c.headers[0] for c in columns], rows=[],
                                     choices={index[k]: v for k, v in choices.items() if v})], notes=notes)


def _counties() -> list[str]:
    return [u.short_name or u.name for u in Unit.objects.filter(kind=UnitKind.COUNTY).order_by("division_code")]


def _parks() -> list[str]:
    return [u.short_name or u.name for u in Unit.objects.filter(kind=UnitKind.PARK).order_by("key")]


def quota_template() -> bytes:
    return _template("要素指标", QUOTA_COLUMNS, {
        "kind": [str(label) for label in QuotaKind.labels], "county": _counties(), "park": _parks(),
        "balance_source": [str(label) for v, label in BalanceSource.choices if v]},
        ["每行一个县区(或园区)一个年度一类要素的指标;单位:建设用地和耕地为亩,用海、用林为公顷,能耗为吨标准煤,"
         "污染物为吨。", "补充耕地须填占补平衡来源;能耗指标可填能耗强度上限。已有的指标再次导入即更正。",
         "整个文件全部通过检查才会导入,否则不导入任何数据。"])


def allocation_template() -> bytes:
    return _template("指标申请", ALLOCATION_COLUMNS, {"kind": [str(label) for label in QuotaKind.labels],
                                                   "park": _parks()},
                     ["每行一个项目对一类要素指标的申请;项目按项目代码查找,申请其所在县区(园区)该年度的指标。",
                      "整个文件全部通过检查才会导入,否则不导入任何数据。"])


def parcel_template() -> bytes:
    return _template("存量土地", PARCEL_COLUMNS, {"kind": [str(label) for label in ParcelKind.labels],
                                               "county": _counties(), "park": _parks()},
                     ["每行一宗批而未供、供而未用或低效用地;面积单位:亩。已有的地块编号再次导入即更正。",
                      "整个文件全部通过检查才会导入,否则不导入任何数据。"])


IMPORTS: dict[str, Callable[..., Checked]] = {
    "quotas": import_quotas, "allocations": import_allocations, "parcels": import_parcels}
TEMPLATES: dict[str, Callable[[], bytes]] = {
    "quotas": quota_template, "allocations": allocation_template, "parcels": parcel_template}


def hooks(kind: str) -> Any:
    """The hooks of touzi.imports (its 导入 page and `touzi import`): check = run and roll back, write = all or
    nothing, and the blank template."""
    from touzi.imports.kinds import ImportKindHooks

    run, template = IMPORTS[kind], TEMPLATES[kind]

    def check(content: bytes, user: Actor, progress: Any = None) -> Checked:
        return run(content, user, keep=False)

    def write(content: bytes, user: Actor, *, file_name: str = "", progress: Any = None) -> Checked:
        return run(content, user)

    return ImportKindHooks(check=check, write=write, template=template,
                           template_name=f"touzi-factors-{kind}-template.xlsx")
