"""Demo imports: the county's December monthly-report workbook, refused with its row-by-row report.

An import page with no history shows nothing of what an import does to a bad file. The demo county (合浦县) uploads
its December workbook with the mistakes people make in one (an amount below zero, a code mistyped, a period that
is no month, a project another county reports); the check refuses it whole and keeps every row's error, which the
page lists and offers as a workbook. Nothing of it is written, so the demo's figures do not move. Running it again
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from touzi.accounts.models import User
from touzi.imports.choices import ImportKind
from touzi.imports.models import ImportBatch
from touzi.imports.services import stage_import
from touzi.imports.templates_xlsx import REPORT_HEADERS
from touzi.lib.xlsx import SheetSpec, write_workbook
from touzi.projects.choices import UNDER_CONSTRUCTION
from touzi.projects.models import Project
from touzi.reports.choices import ReportStatus
from touzi.reports.models import MonthlyReport

FILE_NAME = "合浦县2023年12月月报.xlsx"
MONTH = dt.date(2023, 12, 1)


def workbook(own: list[tuple[str | None, str, Decimal]], other: tuple[str | None, str]) -> bytes:
    """Three good rows of the county's own projects (each at its November amount), then one mistake of each
    common kind."""
    month = f"{MONTH:%Y-%m}"
    rows: list[list[object]] = [[code, name, month, str(amount), "按计划推进", ""] for code, name, amount in own[:3]]
    if len(own) > 3:
        rows.append([own[3][0], own[3][1], month, "-300", "主体施工", ""])  # an amount below zero
    if len(own) > 4:
        code = own[4][0] or ""
        mistyped = code[:-1] + ("0" if code[-1:] != "0" else "1")  # the last digit mistyped: no such project
        rows.append([mistyped, own[4][1], month, "500", "", ""])
    if len(own) > 5:
        rows.append([own[5][0], own[5][1], "2023-13", "420", "", ""])  # no such month
    rows.append([other[0], other[1], month, "700", "", ""])  # another county's project
    return write_workbook([SheetSpec(title="月报", headers=REPORT_HEADERS, rows=rows)])


def seed(*, username: str = "county") -> ImportBatch | None:
    """Stage the refused workbook once, as the demo county; None when there is no county account or no projects."""
    if ImportBatch.objects.filter(original_name=FILE_NAME).exists():
        return None
    user = User.objects.filter(username=username).select_related("unit").first()
    if user is None or user.unit is None:
        return None
    # The county's projects whose December is still open (no report submitted or accepted): the good rows are good.
    done = MonthlyReport.objects.filter(month=MONTH).exclude(status=ReportStatus.DRAFT).values("project_id")
    mine = Project.objects.filter(county=user.unit, stage__in=UNDER_CONSTRUCTION).exclude(code="").exclude(pk__in=done)
    own = list(MonthlyReport.objects.filter(month=dt.date(2023, 11, 1), status=ReportStatus.ACCEPTED, amount__gt=0,
                                            project__in=mine)
               .order_by("project__code").values_list("project__code", "project__name", "amount")[:6])
    other = (Project.objects.filter(stage__in=UNDER_CONSTRUCTION).exclude(county=user.unit).exclude(code="")
             .order_by("code").values_list("code", "name").first())
    if len(own) < 6 or other is None:
        return None
    return stage_import(ImportKind.REPORTS, FILE_NAME, workbook(own, other), actor=user)
