"""Importing approvals from a workbook in the style of the other imports: every row checked, then all written in
one transaction or none, with a row-by-row report (行, 列, 值, 问题) in Chinese.

Each row is one approval of one project as it stands (申报, 受理, 容缺, 办结 …); it is written through the same
service as the pages (services.record_history), so the rules and the audit are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from touzi.approvals.models import ApprovalKind
from touzi.approvals.services import record_history
from touzi.core.actor import Actor, is_system
from touzi.core.scoping import Action, scope, scope_of
from touzi.imports.common import Checked, Progress, RowError, import_limits, reason_of, shown
from touzi.lib.errors import BusinessError
from touzi.lib.messages import define
from touzi.lib.xlsx import Column, SheetSpec, iter_table, parse_date, write_workbook
from touzi.projects.models import Project
from touzi.units.models import Unit

COLUMNS = [
    Column("code", ("项目代码", "项目编码", "统一项目代码")),
    Column("name", ("项目名称", "名称"), required=False),
    Column("kind", ("审批事项", "审批事项名称", "事项")),
    Column("unit", ("审批部门", "审批单位", "办理部门"), required=False),
    Column("submitted_on", ("申报日期", "申报时间"), required=False),
    Column("accepted_on", ("受理日期", "受理时间"), required=False),
    Column("promised_days", ("承诺时限(工作日)", "承诺时限", "承诺办理时限"), required=False),
    Column("missing_papers", ("容缺材料", "容缺后补材料"), required=False),
    Column("papers_due_on", ("承诺补齐日期", "容缺材料承诺补齐日期"), required=False),
    Column("done_on", ("办结日期", "办结时间", "批复日期"), required=False),
    Column("document_number", ("文号", "批复文号", "批准文号"), required=False),
]
HEADERS = {c.key: c.headers[0] for c in COLUMNS}
DATES = ("submitted_on", "accepted_on", "papers_due_on", "done_on")

# Row errors as codes, shown in the reader's language when the batch is read (touzi.lib.messages).
MSG_DAYS = define("approvals.promised_days", _("承诺时限应为工作日天数(正整数)"))
MSG_NO_CODE = define("approvals.no_code", _("缺少项目代码"))
MSG_NO_KIND = define("approvals.no_kind", _("缺少审批事项"))
MSG_UNKNOWN_PROJECT = define("approvals.unknown_project", _("没有这个项目代码,或您无权登记该项目的审批事项"))
MSG_UNKNOWN_KIND = define("approvals.unknown_kind", _("没有这个审批事项(请按模板下拉列表填写)"))
MSG_UNKNOWN_UNIT = define("approvals.unknown_unit", _("没有这个审批部门"))


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
            values: dict[str, Any] = {k: _text(row.values.get(k)) for k in ("code", "kind", "unit",
                                                                           "missing_papers", "document_number")}
            bad = False
            for key in DATES:
                try:
                    values[key] = parse_date(row.values.get(key))
                except ValueError as exc:
                    checked.errors.append(RowError(row.number, HEADERS[key], shown(row.values.get(key)),
                                                   reason_of(exc)))
                    bad = True
            days = _text(row.values.get("promised_days"))
            values["promised_days"] = None
            if days:
                if not days.removesuffix(".0").isdigit():
                    checked.errors.append(RowError(row.number, HEADERS["promised_days"], days, MSG_DAYS()))
                    bad = True
                else:
                    values["promised_days"] = int(days.removesuffix(".0"))
            for key, message in (("code", MSG_NO_CODE()), ("kind", MSG_NO_KIND())):
                if not values[key]:
                    checked.errors.append(RowError(row.number, HEADERS[key], "", message))
                    bad = True
            if not bad:
                rows.append(_Row(row.number, values))
        checked.notes, checked.skipped = list(stream.notes), list(stream.skipped)
    return rows


def _lookups(rows: list[_Row], user: Actor) -> tuple[dict, dict, dict]:
    """Projects the user may change, kinds and units, each looked up once for the whole file."""
    codes = sorted({r.values["code"] for r in rows})
    projects = Project.objects.filter(code__in=codes)
    if not is_system(user) and not scope_of(user).is_office:
        projects = scope(user, projects, Action.CHANGE)
    by_code = {p.code: p for p in projects}
    kinds: dict[str, ApprovalKind] = {}
    for k in ApprovalKind.objects.all():
        kinds[k.key], kinds[k.name] = k, k
    names = sorted({r.values["unit"] for r in rows if r.values["unit"]})
    units: dict[str, Unit] = {}
    for u in Unit.objects.filter(Q(key__in=names) | Q(name__in=names) | Q(short_name__in=names)):
        units[u.key], units[u.name] = u, u
        if u.short_name:
            units[u.short_name] = u
    return by_code, kinds, units


def _apply(rows: list[_Row], user: Actor, checked: Checked, progress: Progress | None) -> None:
    by_code, kinds, units = _lookups(rows, user)
    for i, row in enumerate(rows, start=1):
        v = row.values
        project, kind = by_code.get(v["code"]), kinds.get(v["kind"])
        unit = units.get(v["unit"]) if v["unit"] else None
        problems = []
        if project is None:
            problems.append(("code", v["code"], MSG_UNKNOWN_PROJECT()))
        if kind is None:
            problems.append(("kind", v["kind"], MSG_UNKNOWN_KIND()))
        if v["unit"] and unit is None:
            problems.append(("unit", v["unit"], MSG_UNKNOWN_UNIT()))
        if problems:
            checked.errors += [RowError(row.number, HEADERS[k], value, msg) for k, value, msg in problems]
            continue
        assert project is not None and kind is not None
        try:
            with transaction.atomic():
                existed = project.approval_records.filter(kind=kind).exists()
                record_history(project, kind, approving_unit=unit, submitted_on=v["submitted_on"],
                               accepted_on=v["accepted_on"], done_on=v["done_on"],
                               document_number=v["document_number"], promised_days=v["promised_days"],
                               missing_papers=v["missing_papers"], papers_due_on=v["papers_due_on"],
                               actor=user)
        except BusinessError as exc:
            column = HEADERS.get(exc.field or "", HEADERS["kind"])
            checked.errors.append(RowError(row.number, column, shown(v.get(exc.field or "kind")), exc.message))
            continue
        checked.counts["update" if existed else "create"] += 1
        checked.rows.append(row.number)
        if progress and i % 50 == 0:
            progress(i, len(rows))


def check_approvals(content: bytes, user: Actor, progress: Progress | None = None) -> Checked:
    """Every row checked by writing it inside a transaction that is always rolled back."""
    checked = Checked(kind="approvals")
    rows = _parse(content, checked)
    with transaction.atomic():
        _apply(rows, user, checked, progress)
        transaction.set_rollback(True)
    return checked


def write_approvals(content: bytes, user: Actor, *, file_name: str = "", progress: Progress | None = None) -> Checked:
    """All rows or none."""
    checked = Checked(kind="approvals")
    rows = _parse(content, checked)
    with transaction.atomic():
        _apply(rows, user, checked, progress)
        if checked.errors:
            transaction.set_rollback(True)
    return checked


def approval_template() -> bytes:
    kinds = [k.name for k in ApprovalKind.objects.all()]
    return write_workbook(
        [SheetSpec(title="审批事项", headers=[c.headers[0] for c in COLUMNS], rows=[],
                   widths=[28, 36, 26, 20, 14, 14, 16, 30, 16, 14, 28], choices={2: kinds} if kinds else {})],
        notes=["每行一个项目的一项审批事项的办理情况;同一项目同一审批事项再次导入时按最新情况更新。",
               "日期格式 YYYY-MM-DD;承诺时限填工作日天数,应不超过法定时限;容缺受理须填写容缺材料和承诺补齐日期。",
               "已办结的须填写办结日期和文号;办理期限按国务院公布的节假日安排(含调休)以工作日计算。",
               "审批部门填单位全称或简称,例如 市自然资源局。"])
