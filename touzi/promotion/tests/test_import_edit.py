"""Excel import of agreements and funds arrived (all or nothing, row report) and editing an agreement."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from touzi.audit.models import AuditRecord
from touzi.lib.xlsx import SheetSpec, write_workbook
from touzi.promotion.imports import AGREEMENT_COLUMNS, FUNDS_COLUMNS, import_agreements, import_funds
from touzi.promotion.models import Agreement, FundsReport, PromotionEvent
from touzi.promotion.tests.helpers import sign
from touzi.testing import client_for

pytestmark = pytest.mark.django_db
A_HEADERS = [c.headers[0] for c in AGREEMENT_COLUMNS]
F_HEADERS = [c.headers[0] for c in FUNDS_COLUMNS]


def agreement_row(name: str, **over: object) -> list[object]:
    values = {"项目名称": name, "投资方": f"{name}公司", "投资方类型": "民企", "来源地区": "广东",
              "来源国家/地区": "中国", "三企入桂": "民企入桂", "行业(GB/T 4754)": "C36", "签约日期": "2022-03-18",
              "签约活动": "集中签约活动", "活动地点": "北海", "币种": "人民币", "协议投资(万元)": "12000",
              "协议投资(万美元)": None, "汇率": None, "县区": "county-a", "园区": None, "责任单位": None,
              "约定注册日期": "2022-05-01", "约定供地日期": None, "约定开工日期": "2022-09-01",
              "约定投产日期": "2023-09-01", **over}
    return [values[h] for h in A_HEADERS]


def workbook(headers: list[str], rows: Sequence[Sequence[object]]) -> bytes:
    return write_workbook([SheetSpec(title="导入", headers=headers, rows=rows)])


def test_a_county_imports_its_agreements_with_a_new_event_and_an_audit_record(aaron) -> None:
    dollars = agreement_row("外资项目", **{"投资方类型": "外企", "币种": "美元", "协议投资(万元)": None,
                                          "协议投资(万美元)": "500", "汇率": "6.5", "三企入桂": "外企入桂"})
    result = import_agreements(workbook(A_HEADERS, [agreement_row("导入项目"), dollars]), aaron)
    assert result.ok and result.counts["create"] == 2
    imported = Agreement.objects.get(name="导入项目")
    assert imported.county.key == "county-a" and imported.unit.key == "county-a"
    assert imported.event.name == "集中签约活动" and PromotionEvent.objects.count() == 1
    assert Agreement.objects.get(name="外资项目").agreed_investment == Decimal("3250.0000")
    assert AuditRecord.objects.filter(subject=f"agreement:{imported.pk}").exists()


def test_one_bad_row_imports_nothing_and_every_problem_is_reported_by_row(aaron) -> None:
    rows = [agreement_row("好项目"), agreement_row("坏类型", **{"投资方类型": "个体户"}),
            agreement_row("别县项目", **{"县区": "county-b"}),
            agreement_row("倒挂日期", **{"约定投产日期": "2022-06-01"})]
    result = import_agreements(workbook(A_HEADERS, rows), aaron)
    assert not result.ok and Agreement.objects.count() == 0 and PromotionEvent.objects.count() == 0
    by_row = {e.row: e for e in result.errors}
    assert sorted(by_row) == [3, 4, 5]
    assert by_row[3].column == "投资方类型" and by_row[3].value == "个体户"
    assert "不能为该县区" in by_row[4].message
    assert by_row[5].column == "约定投产日期" and "不能早于约定开工日期" in by_row[5].message


def test_funds_arrived_are_imported_for_review_all_or_nothing(aaron, bella) -> None:
    mine = sign("甲县项目")
    theirs = sign("乙区项目", county="county-b")
    good = [mine.code, mine.name, "2022-03", "800", None, None, "首笔资金"]
    result = import_funds(workbook(F_HEADERS, [good]), aaron)
    assert result.ok and FundsReport.objects.get().total == Decimal("800")
    assert FundsReport.objects.get().status == "submitted"
    bad = [[mine.code, mine.name, "2022-04", "100", None, None, ""],
           [theirs.code, theirs.name, "2022-04", "100", None, None, ""],
           ["ZS-没有", "", "2022-04", "100", None, None, ""],
           [mine.code, "名称不符", "2022-05", "100", None, None, ""]]
    result = import_funds(workbook(F_HEADERS, bad), aaron)
    assert not result.ok and FundsReport.objects.count() == 1
    assert [(e.row, e.column) for e in result.errors] == [(3, ""), (4, "签约编号"), (5, "项目名称")]


def test_the_import_page_reports_the_rows_and_the_templates_download(aaron, bella) -> None:
    client = client_for(aaron)
    assert client.get(reverse("promotion-import")).status_code == 200
    for kind in ("agreements", "funds"):
        response = client.get(reverse("promotion-import-template", args=[kind]))
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    upload = SimpleUploadedFile("a.xlsx", workbook(A_HEADERS, [agreement_row("坏", **{"县区": "county-b"})]))
    html = client.post(reverse("promotion-import"), {"kind": "agreements", "file": upload}).content.decode()
    assert "未导入" in html and "不能为该县区" in html and Agreement.objects.count() == 0
    upload = SimpleUploadedFile("a.xlsx", workbook(A_HEADERS, [agreement_row("网页导入")]))
    response = client.post(reverse("promotion-import"), {"kind": "agreements", "file": upload})
    assert response.status_code == 302 and Agreement.objects.filter(name="网页导入").exists()


def test_the_import_api_returns_the_row_report(aaron) -> None:
    client = client_for(aaron)
    upload = SimpleUploadedFile("a.xlsx", workbook(A_HEADERS, [agreement_row("接口导入", **{"行业(GB/T 4754)": "Z9"})]))
    response = client.post("/api/v1/promotion/import/agreements", {"file": upload})
    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["row"] == 2
    upload = SimpleUploadedFile("a.xlsx", workbook(A_HEADERS, [agreement_row("接口导入")]))
    response = client.post("/api/v1/promotion/import/agreements", {"file": upload})
    assert response.status_code == 200 and json.loads(response.content)["imported"] == 1


def test_a_county_edits_its_agreement_on_the_web_and_another_county_cannot(aaron, bella) -> None:
    agreement = sign("待修改项目")
    url = reverse("promotion-edit", args=[agreement.pk])
    assert client_for(bella).get(url).status_code == 404
    client = client_for(aaron)
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(investor="更正后的投资方", sector="c39", unit=agreement.unit_id)
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data.pop("event", None)
    data.pop("park", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement.refresh_from_db()
    assert agreement.investor == "更正后的投资方" and agreement.sector == "C39" and agreement.version == 2
    assert AuditRecord.objects.filter(subject=f"agreement:{agreement.pk}", event="update").exists()
    data.update(due_production="2022-03-01")  # before the start: refused in words, nothing changes
    html = client.post(url, {**data, "version": 2}).content.decode()
    assert "约定投产日期不能早于约定开工日期" in html


def test_the_api_patches_an_agreement_with_its_version(aaron, bella) -> None:
    agreement = sign("接口修改项目")
    url = f"/api/v1/promotion/agreements/{agreement.pk}"
    body = json.dumps({"investor": "新投资方", "due_start": "2022-07-01"})
    response = client_for(aaron).patch(url, body, content_type="application/json", headers={"If-Match": '"1"'})
    assert response.status_code == 200 and json.loads(response.content)["investor"] == "新投资方"
    stale = client_for(aaron).patch(url, body, content_type="application/json", headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert client_for(bella).patch(url, body, content_type="application/json").status_code == 404
    assert client_for(aaron).patch(url, json.dumps({"state": "started"}),
                                   content_type="application/json").status_code == 422


AGREEMENT = {"name": "行业代码项目", "investor": "某公司", "investor_kind": "private", "signed_on": "2023-02-01",
             "county": "county-a", "unit": "county-a", "agreed_investment": "800", "due_start": "2023-09-01",
             "due_production": "2024-09-01"}


@pytest.mark.parametrize("sector", ["Z", "c9", "C36123", "行业", ""])
def test_a_bad_sector_code_is_a_422_in_chinese_and_nothing_is_registered(aaron, sector) -> None:
    response = client_for(aaron).post("/api/v1/promotion/agreements", json.dumps({**AGREEMENT, "sector": sector}),
                                      content_type="application/json")
    assert response.status_code == 422
    (error,) = json.loads(response.content)["detail"]
    assert error["loc"][-1] == "sector" and "行业代码" in error["msg"] and "GB/T 4754" in error["msg"]
    assert not Agreement.objects.filter(name="行业代码项目").exists()
    patched = client_for(aaron).patch(f"/api/v1/promotion/agreements/{sign('改行业项目').pk}",
                                      json.dumps({"sector": sector}), content_type="application/json")
    assert patched.status_code == 422


def test_a_good_sector_code_is_kept_in_capitals(aaron) -> None:
    response = client_for(aaron).post("/api/v1/promotion/agreements", json.dumps({**AGREEMENT, "sector": "c36"}),
                                      content_type="application/json")
    assert response.status_code == 201 and json.loads(response.content)["sector"] == "C36"
