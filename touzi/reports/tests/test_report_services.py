"""The monthly ledger: owners report, the statistics bureau reviews, the office locks, corrections are adjustments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from touzi.audit.models import AuditRecord
from touzi.lib.errors import BusinessError, Forbidden
from touzi.lib.tests.evidence_files import png
from touzi.projects.models import Project
from touzi.reports.choices import Flag, ReportStatus
from touzi.reports.keys import audit_ids
from touzi.reports.services import (
    accept_report,
    add_evidence,
    adjust,
    lock_month,
    report_month,
    return_report,
)
from touzi.reports.totals import with_totals

pytestmark = pytest.mark.django_db
MAR, APR = dt.date(2023, 3, 1), dt.date(2023, 4, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _accepted(project, month, amount, owner, stan):
    report = report_month(project, month, Decimal(amount), actor=owner)
    return accept_report(report, actor=stan)


def test_the_owner_reports_a_month_and_it_awaits_review(projects, oscar) -> None:
    report = report_month(projects["plant"], MAR, Decimal("1200.5"), progress="主体结构完成60%",
                          actor=oscar)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == oscar
    # Named as the import names it ("<project>:<YYYY-MM>"), so a report's history is one series of records.
    record = AuditRecord.objects.get(object_type="reports.monthlyreport",
                                     object_id=f"{projects['plant'].pk}:2023-03")
    assert record.subject == f"project:{projects['plant'].pk}" and record.after["amount"] == "1200.5"
    assert record.object_id in audit_ids(report) and str(report.pk) in audit_ids(report)  # older records


def test_a_second_report_for_the_same_month_is_refused(projects, oscar) -> None:
    report_month(projects["plant"], MAR, Decimal("100"), actor=oscar)
    with pytest.raises(BusinessError, match="不重复填报"):
        report_month(projects["plant"], MAR, Decimal("100"), actor=oscar, must_be_new=True)


def test_another_owner_cannot_report_for_the_project(projects, otto) -> None:
    with pytest.raises(Forbidden):
        report_month(projects["plant"], MAR, Decimal("100"), actor=otto)


def test_the_statistics_bureau_can_never_change_a_figure(projects, oscar, stan) -> None:
    report = report_month(projects["plant"], MAR, Decimal("100"), actor=oscar)
    with pytest.raises(Forbidden):
        report_month(projects["plant"], MAR, Decimal("90"), actor=stan)
    report.refresh_from_db()
    assert report.amount == 100


def test_a_negative_month_is_refused(projects, oscar) -> None:
    with pytest.raises(BusinessError, match="不能为负数"):
        report_month(projects["plant"], MAR, Decimal("-5"), actor=oscar)


def test_cumulative_above_total_investment_is_refused(projects, oscar, stan) -> None:
    _accepted(projects["park"], MAR, "7000", oscar, stan)
    with pytest.raises(BusinessError, match="超过总投资 8000 万元"):
        report_month(projects["park"], APR, Decimal("1000.01"), actor=oscar)


def test_january_is_reported_with_february_when_the_plan_combines_them(projects, oscar) -> None:
    with pytest.raises(BusinessError, match="1—2月合并报送"):
        report_month(projects["plant"], dt.date(2023, 1, 1), Decimal("1"), actor=oscar)
    assert report_month(projects["plant"], dt.date(2023, 2, 1), Decimal("1"), actor=oscar)


def test_a_future_month_is_refused(projects, oscar) -> None:
    future = (dt.date.today().replace(day=1) + dt.timedelta(days=40)).replace(day=1)
    with pytest.raises(BusinessError, match="未来月份"):
        report_month(projects["plant"], future, Decimal("1"), actor=oscar)


def test_a_month_far_above_the_projects_trend_is_flagged_not_refused(projects, oscar, stan) -> None:
    for month in (dt.date(2023, 2, 1), MAR):
        _accepted(projects["plant"], month, "100", oscar, stan)
    report = report_month(projects["plant"], APR, Decimal("900"), actor=oscar)
    assert report.flags == [Flag.SPIKE] and report.status == ReportStatus.SUBMITTED


def test_return_correct_resubmit_accept_lock_then_adjust(projects, oscar, stan, olive) -> None:
    plant = projects["plant"]
    report = report_month(plant, MAR, Decimal("1500"), actor=oscar)
    with pytest.raises(BusinessError, match="说明原因"):
        return_report(report, " ", actor=stan)
    report = return_report(report, "与佐证材料不符", actor=stan)
    assert report.status == ReportStatus.RETURNED and report.return_reason == "与佐证材料不符"
    report = report_month(plant, MAR, Decimal("1450"), actor=oscar)
    assert report.status == ReportStatus.SUBMITTED and report.return_reason == ""
    with pytest.raises(BusinessError, match="待审核"):
        lock_month(MAR, actor=olive)
    accept_report(report, actor=stan)
    lock_month(MAR, actor=olive)
    with pytest.raises(BusinessError, match="已锁定"):
        report_month(plant, MAR, Decimal("1400"), actor=oscar)
    with pytest.raises(BusinessError, match="调整原因"):
        adjust(plant, MAR, Decimal("-50"), "", actor=oscar)
    adjust(plant, MAR, Decimal("-50"), "重复计入设备款", actor=oscar)
    totals = with_totals(Project.objects.filter(pk=plant.pk), MAR).get()
    assert (totals.month_amount, totals.ytd, totals.since_start) == (Decimal("1400"), Decimal("1400"),
                                                                     Decimal("1400"))
    history = AuditRecord.objects.filter(subject=f"project:{plant.pk}").values_list("object_type", flat=True)
    assert "reports.adjustment" in set(history)


def test_only_the_office_or_the_statistics_bureau_locks_a_month(projects, oscar, aaron) -> None:
    for user in (oscar, aaron):
        with pytest.raises(Forbidden):
            lock_month(MAR, actor=user)


def test_adjusting_an_open_month_is_refused(projects, oscar) -> None:
    with pytest.raises(BusinessError, match="尚未锁定"):
        adjust(projects["plant"], MAR, Decimal("10"), "x", actor=oscar)


def test_only_accepted_figures_and_adjustments_count(projects, oscar, stan) -> None:
    plant = projects["plant"]
    _accepted(plant, dt.date(2023, 2, 1), "300", oscar, stan)
    report_month(plant, MAR, Decimal("500"), actor=oscar)  # submitted, not yet accepted
    _accepted(plant, dt.date(2022, 12, 1), "1000", oscar, stan)
    totals = with_totals(Project.objects.filter(pk=plant.pk), MAR).get()
    assert (totals.month_amount, totals.ytd, totals.since_start) == (0, Decimal("300"), Decimal("1300"))


def test_evidence_is_accepted_by_content_and_refused_otherwise(projects, oscar) -> None:
    report = report_month(projects["plant"], MAR, Decimal("10"), actor=oscar)
    item = add_evidence(report, SimpleUploadedFile("现场照片.pdf", PDF), actor=oscar)
    assert item.content_type == "application/pdf" and item.size == len(PDF)
    with pytest.raises(BusinessError, match="不是 PDF"):
        add_evidence(report, SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf"), actor=oscar)
    png_named_jpg = SimpleUploadedFile("photo.jpg", png())
    assert add_evidence(report, png_named_jpg, actor=oscar).content_type == "image/png"


def test_evidence_above_the_size_limit_is_refused(projects, oscar, settings) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    report = report_month(projects["plant"], MAR, Decimal("10"), actor=oscar)
    with pytest.raises(BusinessError, match="上限"):
        add_evidence(report, SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), actor=oscar)


def test_a_county_may_report_for_projects_in_its_area(projects, aaron, bella) -> None:
    assert report_month(projects["park"], MAR, Decimal("10"), actor=aaron)
    with pytest.raises(Forbidden):
        report_month(projects["park"], APR, Decimal("10"), actor=bella)
