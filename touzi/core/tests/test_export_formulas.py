"""Every export is scanned for formulas: text that looks like a formula leaves as text, never as a formula.

The exports are enumerated from the URL conf: any URL whose route ends in .xlsx or .csv, or whose name or
route says export, file or template, must be in `EXPORTS` (downloaded and scanned) or in `NOT_EXPORTS`
(with the reason), so a new export cannot be missed. The data holds formula-looking text in every text
field that flows into an export: project, owner, county and park names, report progress and problems,
return and adjustment reasons, supervision problems, factor issues, indicator notes, import error values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from touzi.core.actor import System
from touzi.imports.services import stage_import
from touzi.imports.tests.hostile import xlsx
from touzi.indicators.services import enter_value
from touzi.plans.models import Indicator
from touzi.projects.services import raise_factor_issue
from touzi.reports.models import MonthLock
from touzi.reports.services import accept_report, adjust, report_month, return_report
from touzi.supervision.services import raise_task
from touzi.testing import client_for, new_project
from touzi.units.models import Unit

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "＝1+1",
            '=HYPERLINK("http://evil.example","点我")']
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MONTH = "2023-04"

# url name -> (who downloads it, the URL kwargs builder's key, query strings); one download per query.
EXPORTS: dict[str, tuple[str, list[dict], list[str]]] = {
    "export-projects": ("olive", [{}], [f"?month={MONTH}", f"?month={MONTH}&q=%3D"]),
    "export-reports": ("olive", [{}], ["", f"?month={MONTH}"]),
    "monitoring-export": ("olive", [{"table": t} for t in ("targets", "domain", "county", "lead_unit", "collection",
                                                           "warnings")], [f"?month={MONTH}"]),
    "import-template": ("aaron", [{"kind": "reports"}, {"kind": "projects"}, {"kind": "concepts"},
                                  {"kind": "factor_quotas"}, {"kind": "idle_parcels"}], [f"?month={MONTH}"]),
    "import-errors": ("aaron", [{"pk": "batch"}], [""]),
    "briefing-file": ("olive", [{"pk": "briefing", "kind": "xlsx"}], [""]),
    "audit-export-xlsx": ("ada", [{}], [""]),
    "audit-export-csv": ("ada", [{}], [""]),
    "promotion-export": ("olive", [{}], ["", "?year=2023"]),
    "pipeline-export": ("olive", [{}], ["", "?year=2023"]),
    "promotion-import-template": ("aaron", [{"kind": "agreements"}, {"kind": "funds"}], [""]),
    "assessment-file": ("olive", [{"scheme": "counties", "kind": "xlsx"}], ["?year=2023&month=4"]),
    "consulting-export": ("olive", [{}], ["?year=2023"]),
    "factors-export": ("olive", [{}], ["", "?year=2023"]),
    "factors-import-template": ("olive", [{"kind": "quotas"}, {"kind": "allocations"}, {"kind": "parcels"}], [""]),
}
# Download-looking URLs that are not spreadsheet exports, and why.
NOT_EXPORTS = {
    "evidence-download": "returns the PDF/PNG/JPEG evidence a user uploaded, checked by content, as it was uploaded",
    "indicator-evidence": "returns the evidence file uploaded with an indicator value, as it was uploaded",
    "supervision-evidence": "returns the evidence file uploaded with a rectification, as it was uploaded",
    "promotion-funds-evidence": "returns the evidence file uploaded with a funds-arrived report, as it was uploaded",
    "briefing-file/docx": "the briefing's Word document: no cells to evaluate",
    "briefing-file/pdf": "the briefing's PDF: no cells to evaluate",
    "assessment-file/docx": "the year-end assessment report as a Word document: no cells to evaluate",
    "field-photo-file": "a site photo, re-encoded as JPEG on upload: no cells to evaluate",
}


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, str]]:
    """(name, route) of every named URL pattern."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((entry.name, prefix + str(entry.pattern)))
    return found


def _export_looking(name: str, route: str) -> bool:
    words = {"export", "file", "template", "download", "errors", "evidence", "csv", "xlsx"}
    tokens = set(name.split("-")) | set(route.replace(".", "/").replace("-", "/").strip("/").split("/"))
    return route.endswith((".xlsx", ".csv")) or bool(words & tokens)


def test_every_download_looking_url_is_in_the_export_table() -> None:
    known = set(EXPORTS) | {key.split("/")[0] for key in NOT_EXPORTS}
    looking = {name for name, route in _patterns() if _export_looking(name, route)}
    assert looking - known == set(), "a new export: add it to EXPORTS (scanned) or NOT_EXPORTS (with the reason)"
    assert set(EXPORTS) <= {name for name, _ in _patterns()}, "an export in the table no longer exists"


@pytest.fixture
def poisoned(projects, owners, olive, aaron, oscar, stan, mini_plan):
    """Formula-looking text in every text field that reaches an export."""
    Unit.objects.filter(key="owner-a").update(name="=HYPERLINK(\"http://evil.example\",\"甲公司\")")
    Unit.objects.filter(key="park-a").update(name="@SUM(A1)园区", short_name="@SUM(A1)园区")
    Unit.objects.filter(key="county-b").update(name="-2+3乙区", short_name="-2+3乙区")
    plant, park = projects["plant"], projects["park"]
    made = [new_project(f"{text}项目{i}", county="county-a", owner="owner-a", code=f"2021-450521-26-03-{900 + i:06d}",
                        total="9000", description=text, leader=text[:20])
            for i, text in enumerate(FORMULAS)]
    for i, project in enumerate([plant, park, *made]):
        text = FORMULAS[i % len(FORMULAS)]
        for month in (dt.date(2023, 3, 1), dt.date(2023, 4, 1)):
            report = report_month(project, month, Decimal(10 + i), progress=text, problems=FORMULAS[-1 - i % 8],
                                  actor=oscar)
            if month.month == 3:
                accept_report(report, actor=stan)
            elif i % 2:
                return_report(report, FORMULAS[(i + 3) % 8], actor=stan)
    MonthLock.objects.create(month=dt.date(2023, 3, 1))
    adjust(plant, dt.date(2023, 3, 1), Decimal("1"), "@SUM(A1) 更正", actor=oscar)
    raise_task(mini_plan, problem="=1+1 进度滞后", required_action="+cmd 加快", responsible_unit=Unit.objects.get(
        key="county-a"), deadline=dt.date(2030, 1, 1), project=plant, actor=olive)
    raise_factor_issue(plant, "land", "-2+3 用地未落实", owed_by=Unit.objects.get(key="county-a"), due=None,
                       actor=oscar)
    indicator = Indicator.objects.filter(plan=mini_plan).first()
    enter_value(indicator, dt.date(2023, 4, 1), Decimal("6.5"), source="=1+1", note="@SUM(A1)", actor=System("test"))
    batch = stage_import("reports", "=bad.xlsx", xlsx([["项目代码", "项目名称", "报告期", "本月完成投资(万元)"],
                                                       ["=1+1", "+cmd", "@2023-03", "-2+3"]]), actor=aaron)
    assert batch.errors, "the import must refuse the row so that its values reach the error report"
    from touzi.pipeline.services import propose_concept
    from touzi.plans.models import Domain

    propose_concept(name="=1+1谋划项目", domain=Domain.objects.get(key="industry"), place="@SUM(A1)",
                    county=Unit.objects.get(key="county-a"), proposer=Unit.objects.get(key="county-a"),
                    estimated_investment=Decimal("5000"), proposed_on=dt.date(2023, 2, 1), actor=aaron)
    from touzi.briefings.services import generate

    briefing = generate(mini_plan, dt.date(2023, 4, 1), actor=olive)
    from touzi.assessment.tests.helpers import make_scheme
    from touzi.consulting.services import add_firm, set_stage_figure

    make_scheme(mini_plan)  # the assessment's report names the counties (county B's name is poisoned)
    firm = add_firm("=1+1咨询公司", actor=olive)
    set_stage_figure(plant, "estimate", Decimal("9000"), dated=dt.date(2023, 1, 5), firm=firm, actor=olive)
    set_stage_figure(plant, "budget_estimate", Decimal("9900"), dated=dt.date(2023, 6, 5), actor=olive)
    return {"batch": batch.pk, "briefing": briefing.pk, "names": [p.name for p in made]}


def _scan_xlsx(content: bytes, where: str) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: {sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(DANGEROUS):
                        assert cell.quotePrefix, f"{where}: {sheet.title}!{cell.coordinate} {cell.value!r} unquoted"
    return texts


def _scan_csv(content: bytes, where: str) -> list[str]:
    texts = []
    for line in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        for field in line:
            assert not field.startswith(DANGEROUS), f"{where}: CSV field {field!r} would run as a formula"
            texts.append(field)
    return texts


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_export_has_no_formula_cell_and_keeps_the_text(poisoned, olive, aaron, ada) -> None:
    people = {"olive": olive, "aaron": aaron, "ada": ada}
    seen: list[str] = []
    scanned = 0
    for name, (who, kwargs_list, queries) in EXPORTS.items():
        client = client_for(people[who])
        for kwargs in kwargs_list:
            kwargs = {k: poisoned.get(v, v) for k, v in kwargs.items()}
            for query in queries:
                url = reverse(name, kwargs=kwargs) + query
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                content = _content(response)
                if content[:2] == b"PK":
                    seen += _scan_xlsx(content, url)
                else:
                    assert "csv" in response["Content-Type"], url
                    seen += _scan_csv(content, url)
                scanned += 1
    text = "\n".join(seen)
    # The scan is not vacuous: the poisoned text is really in the exports, unchanged (or quote-escaped in CSV).
    for name in poisoned["names"]:
        assert name in text, f"{name!r} reached no export"
    assert sum(name.startswith(DANGEROUS) for name in poisoned["names"]) >= 5
    assert "@SUM(A1)园区" in text and "-2+3乙区" in text and '=HYPERLINK("http://evil.example","甲公司")' in text
    assert scanned >= 16
