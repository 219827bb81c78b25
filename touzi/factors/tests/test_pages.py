"""The pages, the API and the Excel import, end to end as the people who use them."""

import json
from decimal import Decimal

from touzi.factors.choices import AllocationStatus, QuotaKind
from touzi.factors.imports import QUOTA_COLUMNS
from touzi.factors.models import Allocation, IdleParcel, Quota
from touzi.lib.xlsx import SheetSpec, write_workbook
from touzi.projects.models import FactorIssue
from touzi.testing import client_for
from touzi.units.models import Unit


def test_a_county_asks_and_the_keeper_approves_through_the_pages(land_a, projects, aaron, abe) -> None:
    county = client_for(aaron)
    page = county.get(f"/factors/quotas/{land_a.pk}/")
    assert page.status_code == 200 and "申请指标" in page.content.decode()
    response = county.post(f"/factors/quotas/{land_a.pk}/request/", {
        "project": projects["plant"].pk, "requested": "40", "requested_on": "2023-03-01"})
    assert response.status_code == 302
    allocation = Allocation.objects.get()
    keeper = client_for(abe)
    ledger = keeper.get("/factors/?year=2023").content.decode()
    assert "待审批申请 1 项" in ledger and "甲县" in ledger
    keeper.post(f"/factors/allocations/{allocation.pk}/decide/", {
        "decision": "approve", "approved": "35", "document": "北自然资批〔2023〕9号", "version": "1"})
    allocation.refresh_from_db()
    assert (allocation.status, allocation.approved) == (AllocationStatus.APPROVED, Decimal("35"))
    assert "265.0000" in keeper.get(f"/factors/quotas/{land_a.pk}/").content.decode()
    assert county.post(f"/factors/allocations/{allocation.pk}/decide/", {
        "decision": "take_back", "reason": "x"}).status_code == 302
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.APPROVED  # the county may not take it back


def test_a_blocked_project_points_to_its_countys_headroom(land_a, projects, aaron, oscar) -> None:
    FactorIssue.objects.create(project=projects["plant"], kind="land", description="缺新增建设用地指标 60 亩",
                               owed_by=Unit.objects.get(key="nrb"))
    html = client_for(aaron).get("/factors/blocked/?year=2023").content.decode()
    assert "缺新增建设用地指标" in html and f"/factors/quotas/{land_a.pk}/" in html and "300.00 亩" in html
    owner = client_for(oscar).get("/factors/blocked/?year=2023").content.decode()
    assert "缺新增建设用地指标" in owner and f"/factors/quotas/{land_a.pk}/" not in owner


def test_the_keeper_imports_quotas_all_or_nothing(keepers, abe) -> None:
    headers = [c.headers[0] for c in QUOTA_COLUMNS]
    good = ["2023", "新增建设用地指标", "甲县", "", "500", "北自然资发〔2023〕5号", "2023-01-20", "", "", ""]
    bad = ["2023", "用林(林地定额)", "乙区", "", "20", "北林发", "", "", "", ""]  # not Abe's kind
    content = write_workbook([SheetSpec(title="要素指标", headers=headers, rows=[good, bad])])
    response = client_for(abe).post("/factors/import/", {"kind": "quotas", "file": _upload(content)})
    assert response.status_code == 200 and "未导入" in response.content.decode()
    assert not Quota.objects.exists()
    content = write_workbook([SheetSpec(title="要素指标", headers=headers, rows=[good])])
    assert client_for(abe).post("/factors/import/", {"kind": "quotas", "file": _upload(content)}).status_code == 302
    assert Quota.objects.get().amount == Decimal("500")


def test_the_api_gives_the_ledger_and_takes_a_parcel(land_a, aaron, abe, bella) -> None:
    rows = client_for(aaron).get("/api/v1/factors/quotas?year=2023").json()
    assert [(r["kind"], r["county"], r["unit"], Decimal(r["headroom"])) for r in rows] == [
        (QuotaKind.CONSTRUCTION_LAND, "county-a", "亩", Decimal("300"))]
    assert client_for(bella).get("/api/v1/factors/quotas").json() == []
    body = {"code": "A-9", "location": "甲县滨海", "kind": "not_used", "county": "county-a", "area": "12.5"}
    assert client_for(bella).post("/api/v1/factors/parcels", json.dumps(body),
                                  content_type="application/json").status_code == 403
    assert client_for(abe).post("/api/v1/factors/parcels", json.dumps(body),
                                content_type="application/json").status_code == 201
    assert IdleParcel.objects.get().area == Decimal("12.5")


def test_every_page_renders_for_the_office(land_a, olive, projects) -> None:
    client = client_for(olive)
    for url in ("/factors/", "/factors/quotas/new/", "/factors/parcels/", "/factors/blocked/", "/factors/keepers/",
                "/factors/import/", "/factors/export/", "/factors/import/template/quotas/",
                "/factors/import/template/allocations/", "/factors/import/template/parcels/",
                "/monitoring/warnings/"):
        assert client.get(url).status_code == 200, url


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("f.xlsx", content)


def test_the_import_page_of_imports_stages_and_confirms_idle_parcels(keepers, aaron) -> None:
    from touzi.factors.imports import PARCEL_COLUMNS
    from touzi.imports.choices import ImportStatus
    from touzi.imports.services import confirm_import, stage_import

    content = write_workbook([SheetSpec(title="存量土地", headers=[c.headers[0] for c in PARCEL_COLUMNS], rows=[
        ["JX-7", "甲县工业大道西", "批而未供", "甲县", "", "18.5", "征地未完成", "", "2020"]])])
    batch = stage_import("idle_parcels", "存量土地.xlsx", content, actor=aaron)
    assert batch.status == ImportStatus.PREVIEWED and not IdleParcel.objects.exists()
    confirm_import(batch, actor=aaron)
    assert IdleParcel.objects.get().area == Decimal("18.5")


def test_the_ledger_page_s_queries_do_not_grow_with_the_ledger(keepers, projects, olive, aaron) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from touzi.factors.services import request_allocation
    from touzi.factors.tests.conftest import quota

    client = client_for(olive)
    first = quota(QuotaKind.CONSTRUCTION_LAND, "county-a", "100")
    request_allocation(first, projects["plant"], Decimal("10"), actor=aaron)
    client.get("/factors/?year=2023")
    with CaptureQueriesContext(connection) as few:
        client.get("/factors/?year=2023")
    for kind in (QuotaKind.FOREST, QuotaKind.SEA, QuotaKind.POLLUTANT):
        for county in ("county-a", "county-b"):
            request_allocation(quota(kind, county, "50"), projects["plant" if county == "county-a" else "rail"],
                               Decimal("5"), actor=aaron if county == "county-a" else olive)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/factors/?year=2023").content.decode()
    assert len(many) == len(few) and html.count("data-quota=") == 7


def test_the_ledger_opens_on_the_last_reported_year_not_todays(land_a, projects, abe) -> None:
    """A plan whose figures end before today (a finished plan, the demo) opens on its last year, not an empty one;
    the financing and pipeline pages take the same default (touzi.reports.selectors.default_year)."""
    import datetime as dt

    from touzi.reports.models import MonthlyReport

    MonthlyReport.objects.create(project=projects["plant"], month=dt.date(2023, 11, 1), amount=Decimal(5),
                                 status="accepted")
    html = client_for(abe).get("/factors/").content.decode()
    assert '<option value="2023" selected>' in html and "甲县" in html
    finance = client_for(abe).get("/financing/").content.decode()
    assert '<option value="2023" selected>' in finance
