"""Importing concepts (谋划项目) from a workbook, as the counties and bureaus keep them in Excel: every row
checked, then all written in one transaction or none, with a row-by-row report (行, 列, 值, 问题) in Chinese.

Each row is one new concept, written through the same service as the page (services.propose_concept), so the
rights and the audit are the same: a county imports for its own area, a bureau for its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from touzi.core.actor import Actor
from touzi.imports.common import Checked, Progress, RowError, import_limits, shown
from touzi.lib.errors import BusinessError
from touzi.lib.xlsx import CellError, Column, SheetSpec, iter_table, parse_date, parse_decimal, write_workbook
from touzi.pipeline.services import propose_concept
from touzi.plans.models import Domain
from touzi.units.choices import UnitKind
from touzi.units.models import Unit

COLUMNS = [
    Column("name", ("项目名称", "名称")),
    Column("domain", ("所属领域", "领域")),
    Column("county", ("县区", "所在县区")),
    Column("investment", ("估算总投资(万元)", "估算总投资", "总投资(万元)")),
    Column("proposer", ("提出单位", "谋划单位"), required=False),
    Column("place", ("建设地点", "地点"), required=False),
    Column("scale", ("建设规模及内容", "建设内容"), required=False),
    Column("rationale", ("谋划依据", "依据"), required=False),
    Column("government", ("政府投资项目", "是否政府投资"), required=False),
    Column("planned_start", ("设想开工年月", "计划开工"), required=False),
    Column("proposed_on", ("提出日期",), required=False),
]
HEADERS = {c.key: c.headers[0] for c in COLUMNS}
YES = {"是", "Y", "y", "yes", "1", "TRUE", "true"}


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _parse(content: bytes, checked: Checked) -> list[_Row]:
    rows = []
    with iter_table(content, COLUMNS, limits=import_limits()) as stream:
        for row in stream:
            values: dict[str, Any] = {k: _text(row.values.get(k)) for k in (
                "name", "domain", "county", "proposer", "place", "scale", "rationale", "government")}
            bad = False
            try:
                values["investment"] = parse_decimal(row.values.get("investment"))
            except CellError as exc:
                checked.errors.append(RowError(row.number, HEADERS["investment"], shown(row.values.get("investment")),
                                               str(exc)))
                bad = True
            for key in ("planned_start", "proposed_on"):
                try:
                    values[key] = parse_date(row.values.get(key))
                except (ValueError, CellError) as exc:
                    checked.errors.append(RowError(row.number, HEADERS[key], shown(row.values.get(key)), str(exc)))
                    bad = True
            for key, message in (("name", "缺少项目名称"), ("domain", "缺少所属领域"), ("county", "缺少县区")):
                if not values[key]:
                    checked.errors.append(RowError(row.number, HEADERS[key], "", message))
                    bad = True
            if not bad:
                rows.append(_Row(row.number, values))
        checked.notes, checked.skipped = list(stream.notes), list(stream.skipped)
    return rows


def _lookups(rows: list[_Row]) -> tuple[dict[str, Domain], dict[str, Unit]]:
    names = sorted({r.values[k] for r in rows for k in ("county", "proposer") if r.values[k]})
    units: dict[str, Unit] = {}
    for u in Unit.objects.filter(Q(key__in=names) | Q(name__in=names) | Q(short_name__in=names)):
        units[u.key], units[u.name] = u, u
        if u.short_name:
            units[u.short_name] = u
    domains: dict[str, Domain] = {}
    for d in Domain.objects.all():
        domains[d.key], domains[d.name] = d, d
    return domains, units


def _user_unit(user: Actor) -> Unit | None:
    return getattr(user, "unit", None)


def _apply(rows: list[_Row], user: Actor, checked: Checked, progress: Progress | None) -> None:
    domains, units = _lookups(rows)
    for i, row in enumerate(rows, start=1):
        v = row.values
        domain, county = domains.get(v["domain"]), units.get(v["county"])
        proposer = units.get(v["proposer"]) if v["proposer"] else (_user_unit(user) or county)
        problems = []
        if domain is None:
            problems.append(("domain", v["domain"], "没有这个领域"))
        if county is None or county.kind != UnitKind.COUNTY:
            problems.append(("county", v["county"], "没有这个县区"))
        if v["proposer"] and proposer is None:
            problems.append(("proposer", v["proposer"], "没有这个单位"))
        if problems:
            checked.errors += [RowError(row.number, HEADERS[k], value, msg) for k, value, msg in problems]
            continue
        assert domain is not None and county is not None and proposer is not None
        try:
            with transaction.atomic():
                propose_concept(name=v["name"], domain=domain, county=county, estimated_investment=v["investment"],
                                proposer=proposer, proposed_on=v["proposed_on"], place=v["place"],
                                scale=v["scale"], rationale=v["rationale"], is_government=v["government"] in YES,
                                planned_start=v["planned_start"], actor=user)
        except BusinessError as exc:
            key = exc.field if exc.field in HEADERS else ("investment" if exc.field == "estimated_investment"
                                                          else "name")
            checked.errors.append(RowError(row.number, HEADERS[key], shown(v.get(key)), exc.message))
            continue
        checked.counts["create"] += 1
        checked.rows.append(row.number)
        if progress and i % 50 == 0:
            progress(i, len(rows))


def check_concepts(content: bytes, user: Actor, progress: Progress | None = None) -> Checked:
    """Every row checked by writing it inside a transaction that is always rolled back."""
    checked = Checked(kind="concepts")
    rows = _parse(content, checked)
    with transaction.atomic():
        _apply(rows, user, checked, progress)
        transaction.set_rollback(True)
    return checked


def write_concepts(content: bytes, user: Actor, *, file_name: str = "", progress: Progress | None = None) -> Checked:
    """All rows or none."""
    checked = Checked(kind="concepts")
    rows = _parse(content, checked)
    with transaction.atomic():
        _apply(rows, user, checked, progress)
        if checked.errors:
            transaction.set_rollback(True)
    return checked


def concept_template() -> bytes:
    counties = list(Unit.objects.filter(kind=UnitKind.COUNTY).values_list("short_name", flat=True))
    domains = list(Domain.objects.values_list("name", flat=True))
    return write_workbook(
        [SheetSpec(title="谋划项目", headers=[c.headers[0] for c in COLUMNS], rows=[],
                   widths=[36, 16, 14, 18, 24, 24, 36, 36, 14, 14, 14],
                   choices={k: v for k, v in ((1, domains), (2, [c for c in counties if c])) if v})],
        notes=["每行一个谋划项目(尚未进入项目库的项目设想);导入后为“待筛选”,由项目办评定成熟度后入库、退回或储备观察。",
               "估算总投资以万元填写;县区、提出单位填单位全称或简称;设想开工年月、提出日期格式 YYYY-MM-DD。",
               "县区只能为本县区提出,市直部门为本部门提出;提出单位留空时为导入人所在单位。"])
