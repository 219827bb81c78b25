"""Excel import of arrived funds (到位资金) and of special-bond allocations (专项债券额度), registered with
touzi/imports/kinds.py: the same upload, preview and confirm pages as the other imports.

Every row goes through the same service as the pages (its checks, its rights, its audit record); the file is
checked whole inside a transaction that is rolled back, and written all or nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from touzi.core.actor import Actor, is_system
from touzi.core.scoping import Action, scope, scope_of
from touzi.financing.services import allocate_bond, report_arrival
from touzi.imports.common import CellRefused, Checked, Progress, run_rows
from touzi.lib.xlsx import Column, SheetSpec, parse_decimal, parse_period, write_workbook
from touzi.projects.choices import FundingSource
from touzi.projects.models import Project
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

ARRIVAL_COLUMNS = [
    Column("code", ("项目代码", "统一项目代码")),
    Column("name", ("项目名称",), required=False),
    Column("source", ("资金来源",)),
    Column("month", ("到位月份", "报告期", "月份")),
    Column("amount", ("到位金额(万元)", "到位金额")),
    Column("bank", ("金融机构", "贷款银行"), required=False),
    Column("note", ("说明", "备注"), required=False),
]
BOND_COLUMNS = [
    Column("code", ("项目代码", "统一项目代码")),
    Column("name", ("项目名称",), required=False),
    Column("batch", ("批次", "债券批次")),
    Column("year", ("年度",)),
    Column("amount", ("分配额度(万元)", "额度(万元)")),
    Column("capital", ("用作资本金(万元)",), required=False),
]
HEADERS = {c.key: c.headers[0] for c in [*ARRIVAL_COLUMNS, *BOND_COLUMNS]}


class _Refused(CellRefused):
    def __init__(self, column: str, value: object, message: str) -> None:
        super().__init__(HEADERS.get(column, column), value, message)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _project(values: dict, user: Actor) -> Project:
    code = _text(values.get("code"))
    qs = Project.objects.filter(code=code)
    if not is_system(user) and not scope_of(user).is_office:
        qs = scope(user, qs, Action.CHANGE)
    project = qs.first() if code else None
    if project is None:
        raise _Refused("code", code, "没有这个项目代码,或您无权填报该项目" if code else "必填")
    return project


def _number(values: dict, key: str) -> Any:
    try:
        return parse_decimal(values.get(key))
    except ValueError as exc:
        raise _Refused(key, values.get(key), str(exc)) from exc




def _arrival(values: dict, actor: Actor) -> None:
    project = _project(values, actor)
    text = _text(values.get("source"))
    source = next((v for v, label in FundingSource.choices if text in (v, str(label))), None)
    if source is None:
        raise _Refused("source", text, "应为:" + "、".join(str(label) for label in FundingSource.labels))
    try:
        period = parse_period(values.get("month"))
    except ValueError as exc:
        raise _Refused("month", values.get("month"), str(exc)) from exc
    if period is None:
        raise _Refused("month", "", "必填")
    bank = None
    name = _text(values.get("bank"))
    if name:
        bank = Unit.objects.filter(kind=UnitKind.BANK).filter(name=name).first() or \
            Unit.objects.filter(kind=UnitKind.BANK, key=name).first()
        if bank is None:
            raise _Refused("bank", name, "系统中没有这个金融机构")
    report_arrival(project, source, dt.date(int(period[:4]), int(period[5:7]), 1), _number(values, "amount"),
                   note=_text(values.get("note")), bank=bank, actor=actor)


def _bond(values: dict, actor: Actor) -> None:
    project = _project(values, actor)
    year = _text(values.get("year")).removesuffix(".0")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        raise _Refused("year", year, "年度应为四位数字")
    allocate_bond(project, batch=_text(values.get("batch")), year=int(year), amount=_number(values, "amount"),
                  capital=_number(values, "capital") or Decimal(0), actor=actor)


def check_arrivals(content: bytes, user: Actor, progress: Progress | None = None) -> Checked:
    return run_rows(content, ARRIVAL_COLUMNS, "fin_arrivals", _arrival, user, headers=HEADERS, keep=False)


def write_arrivals(content: bytes, user: Actor, *, file_name: str = "", progress: Progress | None = None) -> Checked:
    return run_rows(content, ARRIVAL_COLUMNS, "fin_arrivals", _arrival, user, headers=HEADERS, keep=True)


def check_bonds(content: bytes, user: Actor, progress: Progress | None = None) -> Checked:
    return run_rows(content, BOND_COLUMNS, "fin_bonds", _bond, user, headers=HEADERS, keep=False)


def write_bonds(content: bytes, user: Actor, *, file_name: str = "", progress: Progress | None = None) -> Checked:
    return run_rows(content, BOND_COLUMNS, "fin_bonds", _bond, user, headers=HEADERS, keep=True)


def arrivals_template() -> bytes:
    return write_workbook(
        [SheetSpec(title="到位资金", headers=[c.headers[0] for c in ARRIVAL_COLUMNS], rows=[],
                   widths=[28, 36, 20, 12, 16, 24, 30],
                   choices={2: [str(label) for label in FundingSource.labels]})],
        notes=["每行一个项目一个资金来源一个月的到位资金;金额单位万元;月份填 YYYY-MM。",
               "银行贷款可填写金融机构全称;到位资金报送后由统计局或领导小组办公室审核。整个文件全部通过检查才会导入。"])


def bonds_template() -> bytes:
    return write_workbook(
        [SheetSpec(title="专项债券额度", headers=[c.headers[0] for c in BOND_COLUMNS], rows=[],
                   widths=[28, 36, 20, 8, 16, 16])],
        notes=["每行一个项目一个批次的专项债券额度;金额单位万元。",
               "用作资本金的部分不超过分配额度的25%。整个文件全部通过检查才会导入。"])
