"""Importing monthly reports from a workbook: checked whole, then written in one transaction or not at all.

Built for a province: every lookup is a handful of set-based queries over the
file's projects and months, and the write is bulk inserts and updates; no
query runs per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from touzi.audit.choices import Event
from touzi.audit.services import record
from touzi.core.actor import Actor
from touzi.core.scoping import Action, scope
from touzi.imports.cells import parse_amount, parse_report_period
from touzi.imports.columns import REPORT_COLUMNS
from touzi.imports.common import Checked, Progress, RowError, import_limits, reason_of, shown
from touzi.imports.messages import (
    MSG_NAME_MISMATCH,
    MSG_NO_CODE,
    MSG_NO_PERIOD,
    MSG_NOT_YOURS,
    MSG_STAGE_CLOSED,
    MSG_UNKNOWN_CODE,
    stage_label,
)
from touzi.lib.bulk import Listed, listed_numbers
from touzi.lib.messages import Message
from touzi.lib.periods import add_months, month_of
from touzi.lib.xlsx import Row, iter_table
from touzi.projects.choices import Stage
from touzi.projects.models import Project
from touzi.projects.services import normalized_name
from touzi.reports.bulk import Submission, submit_many
from touzi.reports.checks import (
    already_accepted,
    amount_problem,
    cap_problem,
    duplicate_in_file,
    is_spike,
    month_problem,
)
from touzi.reports.choices import COUNTED, EDITABLE, Flag, ReportStatus
from touzi.reports.counted import totals_of
from touzi.reports.models import CountedYear, MonthLock, MonthlyReport
from touzi.reports.rules import combines_jan_feb, spike_factor

HEADERS = {c.key: c.headers[0] for c in REPORT_COLUMNS}
_CLOSED_STAGES = frozenset({Stage.RESERVE.value, Stage.CANCELLED.value})  # plain text: a set lookup per row
HEADERS["amount"] = "本月完成投资(万元)"


@dataclass(slots=True)
class ReportRow:
    number: int
    project_id: int
    month: dt.date
    amount: Decimal
    progress: str
    problems: str
    existing_id: int | None = None
    action: str = "create"
    flags: list[str] = field(default_factory=list)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


@dataclass(slots=True)
class _Parsed:
    number: int
    code: str
    name: str
    month: dt.date | None
    amount: Decimal | None
    progress: str
    problems: str


def _month(value: object, seen: dict[tuple[type, object], dt.date | ValueError | None]) -> dt.date | None:
    """parse_period then month_of, once per distinct cell value (a file repeats its month on every row)."""
    key = (type(value), value)
    if key not in seen:
        try:
            period = parse_report_period(value)
            seen[key] = None if period is None else month_of(period)
        except ValueError as exc:
            seen[key] = exc
    result = seen[key]
    if isinstance(result, ValueError):
        raise result
    return result


@dataclass(slots=True)
class _Project:
    id: int
    name: str
    total_investment: Decimal
    stage: str


class _Existing(TypedDict):
    """A report already in the ledger for a (project, month) of the file."""

    id: int
    project_id: int
    month: dt.date
    amount: Decimal
    progress: str
    problems: str
    status: str


def _parse_rows(rows: Iterable[Row], errors: list[RowError]) -> list[_Parsed]:
    """Parsed as the sheet streams: only the parsed values are kept, not the rows."""
    parsed = []
    months: dict[tuple[type, object], dt.date | ValueError | None] = {}
    for row in rows:
        values = row.values
        code = _text(values.get("code"))
        if not code:
            errors.append(RowError(row.number, HEADERS["code"], "", MSG_NO_CODE()))
        month = amount = None
        try:
            month = _month(values.get("period"), months)
            if month is None:
                errors.append(RowError(row.number, HEADERS["period"], "", MSG_NO_PERIOD()))
        except ValueError as exc:
            errors.append(RowError(row.number, HEADERS["period"], shown(values.get("period")), reason_of(exc)))
        try:
            amount = parse_amount(values.get("amount"))
            problem = amount_problem(amount)
            if problem:
                errors.append(RowError(row.number, HEADERS["amount"], shown(values.get("amount")), problem))
        except ValueError as exc:
            errors.append(RowError(row.number, HEADERS["amount"], shown(values.get("amount")), reason_of(exc)))
        parsed.append(_Parsed(row.number, code, _text(values.get("name")), month, amount,
                              _text(values.get("progress")), _text(values.get("problems"))))
    return parsed


def check_reports(content: bytes, user: Actor, *, progress: Progress | None = None) -> Checked:
    """Read and check the whole file; nothing is written. Raises SheetError for a file-level problem."""
    checked = Checked(kind="reports")
    errors = checked.errors
    with iter_table(content, REPORT_COLUMNS, limits=import_limits()) as stream:
        parsed = _parse_rows(stream, errors)
    checked.notes, checked.skipped = list(stream.notes), list(stream.skipped)
    if progress:
        progress(0, len(parsed))

    # One query per check for the whole file: the file's ids and codes go in as one parameter (lib.bulk.Listed).
    codes = sorted({p.code for p in parsed if p.code})
    projects: dict[str, _Project] = {}
    for pid, code, name, total, stage in Project.objects.filter(code__in=Listed(codes, "text")).values_list(
            "id", "code", "name", "total_investment", "stage"):
        if code is not None:  # always: filtered by code
            projects[code] = _Project(pid, name, total, stage)
    ids = sorted(p.id for p in projects.values())
    # A command without --user acts as System, which may report for every project.
    allowed = set(scope(user, Project.objects.filter(id__in=Listed(ids, "bigint")), Action.CHANGE)
                  .values_list("id", flat=True))

    months = sorted({p.month for p in parsed if p.month})
    locked = set(MonthLock.objects.filter(month__in=months).values_list("month", flat=True))
    combined = {year: combines_jan_feb(year) for year in {m.year for m in months}}
    current = timezone.localdate().replace(day=1)

    existing: dict[tuple[int, dt.date], _Existing] = {}
    for report in MonthlyReport.objects.filter(project_id__in=Listed(ids, "bigint"), month__in=months).values(
            "id", "project_id", "month", "amount", "progress", "problems", "status"):
        existing[(report["project_id"], report["month"])] = report

    seen: set[tuple[int, dt.date]] = set()
    rows: list[ReportRow] = []
    month_problems: dict[dt.date, Message | None] = {}
    for item in parsed:
        project = projects.get(item.code) if item.code else None
        if item.code and project is None:
            errors.append(RowError(item.number, HEADERS["code"], item.code, MSG_UNKNOWN_CODE()))
            continue
        if project is None:
            continue
        if project.id not in allowed:
            errors.append(RowError(item.number, HEADERS["code"], item.code, MSG_NOT_YOURS()))
            continue
        if item.name and item.name != project.name and normalized_name(item.name) != normalized_name(project.name):
            errors.append(RowError(item.number, HEADERS["name"], item.name,
                                   MSG_NAME_MISMATCH(name=project.name)))
        if project.stage in _CLOSED_STAGES:
            errors.append(RowError(item.number, HEADERS["code"], item.code,
                                   MSG_STAGE_CLOSED(stage=stage_label(project.stage))))
        if item.month is None or item.amount is None:
            continue
        # The month's verdict depends on the month alone: judged once per month of the file, not per row.
        if item.month not in month_problems:
            month_problems[item.month] = month_problem(item.month, current_month=current,
                                                       combined=combined[item.month.year], locked=item.month in locked)
        problem = month_problems[item.month]
        if problem:
            errors.append(RowError(item.number, HEADERS["period"], f"{item.month:%Y-%m}", problem))
            continue
        key = (project.id, item.month)
        if key in seen:
            errors.append(RowError(item.number, HEADERS["period"], f"{item.month:%Y-%m}", duplicate_in_file()))
            continue
        seen.add(key)
        row = ReportRow(item.number, project.id, item.month, item.amount, item.progress, item.problems)
        old = existing.get(key)
        if old is not None:
            row.existing_id = old["id"]
            same = (old["amount"] == item.amount and old["progress"] == item.progress
                    and old["problems"] == item.problems)
            if old["status"] not in EDITABLE:
                if not same:
                    errors.append(RowError(item.number, HEADERS["amount"], shown(item.amount), already_accepted()))
                    continue
                row.action = "unchanged"
            elif same and old["status"] == ReportStatus.SUBMITTED:
                row.action = "unchanged"
            else:
                row.action = "update"
        rows.append(row)

    _check_caps(rows, projects, existing, errors)
    _flag_spikes(rows)
    checked.rows = rows
    for row in checked.rows:
        checked.counts[row.action] += 1
    checked.errors.sort(key=lambda e: (e.row, e.column))
    return checked


# How far below a cap or a spike's threshold a figure still goes to the exact check (万元): the SQL pre-filter
# compares in REAL on SQLite, whose rounding is far below this at amounts under 10^12.
_SLACK = 1
# Rows per pre-filter query: a province's file in one, a 200,000-row file in ten, so that the parameters' text
# (a threshold per project) stays a few MB whatever the file (the 500 MB ceiling of docs/performance.md).
_QUERY_ROWS = 20_000


def _check_caps(rows: list[ReportRow], projects: dict[str, _Project],
                existing: dict[tuple[int, dt.date], _Existing], errors: list[RowError]) -> None:
    """不超总投资: what is counted so far, less what this file replaces, plus the file's figures.

    The database finds the projects that come near their cap (counted so far > cap − what the file adds − _SLACK),
    from the counted years and a threshold per project computed here exactly; only those are then checked as
    before, from their counted totals (`totals_of`), so that 20,000 projects far below their caps cost one
    query that returns nothing instead of 20,000 totals converted in Python.
    """
    caps = {p.id: p.total_investment for p in projects.values()}
    by_project: dict[int, list[ReportRow]] = defaultdict(list)
    for row in rows:
        by_project[row.project_id].append(row)
    found: set[int] = set()
    ordered = list(by_project.items())
    for start in range(0, len(ordered), _QUERY_ROWS):
        thresholds = []
        for project_id, items in ordered[start:start + _QUERY_ROWS]:
            added = Decimal(0)
            for row in items:
                old = existing.get((row.project_id, row.month))
                if old is not None and old["status"] in COUNTED:
                    added -= old["amount"]
                added += row.amount
            thresholds.append((project_id, caps[project_id] - added))
        pairs, pair_params = listed_numbers(thresholds)
        # A correlated sum per project (one index range each): joining the pairs to a grouped subquery is
        # hashed on PostgreSQL but nested, pair by pair over the whole group, on SQLite.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.id FROM {pairs} WHERE COALESCE((SELECT SUM(c.ytd12) FROM {CountedYear._meta.db_table} c "
                f"WHERE c.project_id = f.id), 0) > f.value - %s", [*pair_params, _SLACK])
            found.update(int(project_id) for (project_id,) in cursor.fetchall())
    near = sorted(found)
    counted = totals_of(near)
    for project_id in near:
        items = by_project[project_id]
        total = counted.get(project_id, Decimal(0))
        for row in items:
            old = existing.get((row.project_id, row.month))
            if old is not None and old["status"] in COUNTED:
                total -= old["amount"]
            total += row.amount
        problem = cap_problem(total, caps[project_id])
        if problem:
            last = max(items, key=lambda r: r.month)
            errors.append(RowError(last.number, HEADERS["amount"], shown(last.amount), problem))


def _flag_spikes(rows: list[ReportRow]) -> None:
    """Each row against the average of its project's counted reports of the six months before it.

    Per month of the file, the database sums each project's six months and keeps the rows that come near a
    spike (amount > average × factor − _SLACK); only their sums are read back and judged as before (the
    database sums, Python divides), so a month without spikes returns nothing.
    """
    by_month: dict[dt.date, list[ReportRow]] = defaultdict(list)
    for row in rows:
        by_month[row.month].append(row)
    factor = spike_factor()
    statuses = ", ".join(["%s"] * len(COUNTED))
    table = MonthlyReport._meta.db_table
    for month, month_items in by_month.items():
        first, until = (connection.ops.adapt_datefield_value(m) for m in (add_months(month, -6), month))
        found: set[int] = set()
        for start in range(0, len(month_items), _QUERY_ROWS):
            chunk = month_items[start:start + _QUERY_ROWS]
            pairs, pair_params = listed_numbers([(r.project_id, r.amount) for r in chunk])
            # The file's rows joined to their projects' reports of the six months (hashed on PostgreSQL, an index
            # range per row on SQLite), grouped per row. A positive sum only: amounts are never negative (the
            # table's CHECK), so a REAL sum is positive exactly when the exact one is, and is_spike needs a
            # positive average.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT f.id FROM {pairs} JOIN {table} r ON r.project_id = f.id AND r.status IN ({statuses}) "
                    f"AND r.month >= %s AND r.month < %s GROUP BY f.id, f.value "
                    f"HAVING SUM(r.amount) > 0 AND f.value > AVG(r.amount) * %s - %s",
                    [*pair_params, *COUNTED, first, until, factor, _SLACK])
                found.update(int(project_id) for (project_id,) in cursor.fetchall())
        near = sorted(found)
        items = month_items
        if not near:
            continue
        sums = (MonthlyReport.objects.filter(project_id__in=Listed(near, "bigint"), status__in=COUNTED,
                                             month__gte=add_months(month, -6), month__lt=month)
                .order_by().values("project_id").annotate(total=Sum("amount"), n=Count("id"))
                .values_list("project_id", "total", "n"))
        recent: dict[int, tuple[Decimal, int]] = {project_id: (total, n) for project_id, total, n in sums}
        for row in items:
            if row.project_id not in recent:
                continue
            total, n = recent[row.project_id]
            average = Decimal(total) / n if n and total is not None else None
            if is_spike(row.amount, average, factor):
                row.flags = [Flag.SPIKE]


def write_reports(checked: Checked, user: Actor, *, file_name: str, progress: Progress | None = None
                  ) -> dict[str, int]:
    """Write a checked file in one transaction through the reports' bulk service (reports.bulk.submit_many):
    new reports, corrections, their audit records, and a record of the import itself."""
    if not checked.ok:
        raise ValueError("a file with errors is never written")
    rows = [Submission(project_id=r.project_id, month=r.month, amount=r.amount, progress=r.progress,
                       problems=r.problems, flags=tuple(r.flags),
                       existing_id=r.existing_id if r.action == "update" else None)
            for r in checked.rows if r.action in ("create", "update")]  # an unchanged row is not written again
    with transaction.atomic():
        submit_many(rows, actor=user, progress=progress, message=f"导入月报 {file_name}")
        record(Event.CREATE, actor=user, object_type="imports.reports", object_repr=file_name,
               after=checked.summary(), message="导入月报")
        if progress:
            progress(len(checked.rows), len(checked.rows))
    return checked.counts
