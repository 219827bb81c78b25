"""Report pages: submit with evidence, review, lock, adjust; each page scoped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from touzi.lib.tests.evidence_files import png
from touzi.reports.choices import ReportStatus
from touzi.reports.models import Adjustment, MonthLock, MonthlyReport
from touzi.reports.services import report_month
from touzi.testing import client_for

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def test_the_owner_submits_a_month_with_evidence(projects, oscar) -> None:
    response = client_for(oscar).post(reverse("report-create"), {
        "project": projects["plant"].pk, "month": "2023-03", "amount": "1200", "progress": "主体完工",
        "evidence": [SimpleUploadedFile("照片.pdf", PDF), SimpleUploadedFile("发票.png", png())]})
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and report.status == ReportStatus.SUBMITTED
    assert set(report.evidence.values_list("original_name", flat=True)) == {"照片.pdf", "发票.png"}


def test_a_bad_evidence_file_leaves_no_report_behind(projects, oscar) -> None:
    response = client_for(oscar).post(reverse("report-create"), {
        "project": projects["plant"].pk, "month": "2023-03", "amount": "1200",
        "evidence": [SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")]})
    assert response.status_code == 200 and "不是 PDF" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_the_bureau_returns_and_accepts_from_the_page(projects, oscar, stan) -> None:
    report = report_month(projects["plant"], dt.date(2023, 3, 1), Decimal("5"), actor=oscar)
    client = client_for(stan)
    assert "审核通过" in client.get(reverse("report-detail", args=[report.pk])).content.decode()
    client.post(reverse("report-review", args=[report.pk]), {"decision": "return", "reason": "请补充佐证"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "请补充佐证"


def test_the_owner_cannot_review_through_the_page(projects, oscar) -> None:
    report = report_month(projects["plant"], dt.date(2023, 3, 1), Decimal("5"), actor=oscar)
    response = client_for(oscar).post(reverse("report-review", args=[report.pk]), {"decision": "accept"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_review_queue_lists_submitted_reports_for_the_bureau(projects, oscar, stan) -> None:
    report_month(projects["plant"], dt.date(2023, 3, 1), Decimal("5"), actor=oscar)
    html = client_for(stan).get(reverse("report-list") + "?review=1").content.decode()
    assert "甲公司新材料工厂" in html


def test_the_office_locks_a_month_and_the_owner_adjusts_it(projects, oscar, olive) -> None:
    client_for(olive).post(reverse("report-month-lock"), {"month": "2023-03"})
    assert MonthLock.objects.filter(month=dt.date(2023, 3, 1)).exists()
    response = client_for(oscar).post(reverse("adjustment-create", args=[projects["plant"].pk]),
                                      {"month": "2023-03", "delta": "25", "reason": "漏报设备款"})
    assert response.status_code == 302 and Adjustment.objects.get().delta == 25


def test_a_county_cannot_lock_a_month(projects, aaron) -> None:
    assert client_for(aaron).post(reverse("report-month-lock"), {"month": "2023-03"}).status_code == 403


def test_evidence_downloads_only_for_those_who_see_the_report(projects, oscar, bella) -> None:
    from touzi.reports.services import add_evidence

    report = report_month(projects["plant"], dt.date(2023, 3, 1), Decimal("5"), actor=oscar)
    item = add_evidence(report, SimpleUploadedFile("a.pdf", PDF), actor=oscar)
    assert client_for(oscar).get(reverse("evidence-download", args=[item.pk])).status_code == 200
    assert client_for(bella).get(reverse("evidence-download", args=[item.pk])).status_code == 404


def test_a_stale_correction_is_a_conflict_and_keeps_the_newer_figure(projects, oscar, aaron) -> None:
    report = report_month(projects["plant"], dt.date(2023, 3, 1), Decimal("5"), actor=oscar)
    stale = report.version
    url = reverse("report-detail", args=[report.pk])
    assert client_for(aaron).post(url, {"amount": "6", "version": stale}).status_code == 302
    response = client_for(oscar).post(url, {"amount": "7", "version": stale})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.amount == 6


def test_a_bad_correction_is_an_error_on_the_page_not_a_conflict(projects, oscar) -> None:
    report = report_month(projects["plant"], dt.date(2023, 3, 1), Decimal("5"), actor=oscar)
    response = client_for(oscar).post(reverse("report-detail", args=[report.pk]),
                                      {"amount": "-1", "version": report.version})
    assert response.status_code == 200 and "不能为负数" in response.content.decode()


def test_review_flags_read_as_words_with_why_and_the_api_keeps_the_keys(projects, oscar, stan) -> None:
    report = report_month(projects["plant"], dt.date(2023, 2, 1), Decimal("5"), actor=oscar)
    MonthlyReport.objects.filter(pk=report.pk).update(flags=["late", "spike"])
    client = client_for(stan)
    listing = client.get(reverse("report-list") + "?review=1").content.decode()
    detail = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    for html in (listing, detail):
        assert "逾期报送" in html and "本月投资远高于项目以往水平" in html
        assert ">late<" not in html and ">spike<" not in html
    assert "报送时间晚于次月的报送截止日" in detail and "前六个月已审核月报平均值的 3 倍" in detail
    assert "2023年1—2月" in listing and "2023年1—2月" in detail  # the plan reports January and February together
    assert client.get(f"/api/v1/reports/{report.pk}").json()["flags"] == ["late", "spike"]


def test_review_flags_and_periods_read_in_english_for_an_english_user(projects, oscar, stan) -> None:
    report = report_month(projects["plant"], dt.date(2023, 2, 1), Decimal("5"), actor=oscar)
    MonthlyReport.objects.filter(pk=report.pk).update(flags=["late"])
    client = client_for(stan)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Submitted late" in html and "Jan–Feb 2023" in html and "逾期报送" not in html
