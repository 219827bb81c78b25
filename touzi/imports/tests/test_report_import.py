"""Monthly reports from Excel: all-or-nothing, row-by-row errors, messy sheets accepted where unambiguous."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from touzi.audit.models import AuditRecord
from touzi.imports.services import check, write
from touzi.imports.tests.sheets import workbook
from touzi.lib.xlsx import SheetError
from touzi.reports.choices import ReportStatus
from touzi.reports.models import MonthLock, MonthlyReport
from touzi.reports.services import accept_report, report_month

pytestmark = pytest.mark.django_db
PLANT, PARK, RAIL = "2021-450521-26-03-000001", "2021-450521-26-03-000002", "2021-450503-54-01-000003"


def _messages(checked) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in checked.errors]


def test_a_clean_file_is_written_as_submitted_reports_and_audited_as_an_import(projects, aaron) -> None:
    content = workbook([[PLANT, "甲公司新材料工厂", "2023-03", 1200.5, "主体完工", ""],
                        [PARK, "甲公司园区标准厂房", "2023-03", "300", "", "用地指标未落实"]])
    checked = write("reports", content, aaron, file_name="march.xlsx")
    assert checked.ok and checked.counts == {"create": 2, "update": 0, "unchanged": 0}
    report = MonthlyReport.objects.get(project=projects["plant"], month=dt.date(2023, 3, 1))
    assert report.amount == Decimal("1200.5") and report.status == ReportStatus.SUBMITTED
    # One record for the batch of new reports, listing their keys, and one for the import itself.
    batch = AuditRecord.objects.get(object_type="reports.batch", actor_name="aaron")
    assert batch.after["keys"] == [f"{projects['plant'].pk}:2023-03", f"{projects['park'].pk}:2023-03"]
    assert batch.after["rows"] == 2 and batch.message == "导入月报 march.xlsx"
    assert not AuditRecord.objects.filter(object_type="reports.monthlyreport").exists()
    assert AuditRecord.objects.filter(object_type="imports.reports").count() == 1


def test_a_messy_sheet_is_read_where_it_is_unambiguous(projects, aaron) -> None:
    content = workbook([
        [PLANT, "甲公司新材料工厂", "2023年3月", "1,200.50", "", ""],
        [None, None, None, None, None, None],
        [PARK, "甲公司 园区标准厂房", "2023/03", "３００", "", ""],
        ["合计", None, None, "1500.5", None, None],
    ], header=["项目代码", "项目名称", "报告期\n(YYYY-MM)", "本月完成投资（万元）", "形象进度", "存在问题"],
        title_rows=["2023年3月重大项目月报", "填报单位:甲县"])
    checked = check("reports", content, aaron)
    assert checked.ok, checked.errors
    assert sorted(r.amount for r in checked.rows) == [Decimal("300"), Decimal("1200.5")]
    reasons = {str(reason) for _, reason in checked.skipped}
    assert reasons >= {"空行"} or checked.skipped
    assert any("合计" in reason or "小计" in reason for reason in reasons)
    assert not MonthlyReport.objects.exists()  # check never writes


def test_every_bad_row_is_reported_and_nothing_is_written(projects, aaron, olive) -> None:
    MonthLock.objects.create(month=dt.date(2023, 2, 1))
    content = workbook([
        [PLANT, "甲公司新材料工厂", "2023-03", 100, "", ""],            # row 2: fine
        ["2021-450521-26-03-999999", "", "2023-03", 1, "", ""],        # 3: unknown code
        [RAIL, "乙区铁路专用线", "2023-03", 1, "", ""],                  # 4: another county's project
        [PARK, "甲公司园区标准厂房", "2023-13", 1, "", ""],               # 5: bad period
        [PARK, "甲公司园区标准厂房", "2023-04", -3, "", ""],              # 6: negative
        [PLANT, "甲公司新材料工厂", "2023-03", 5, "", ""],               # 7: same project and month again
        [PARK, "甲公司园区标准厂房", "2023-02", 1, "", ""],               # 8: locked month
        [PARK, "别的名字", "2023-05", 1, "", ""],                        # 9: name does not match code
        [PARK, "甲公司园区标准厂房", "2023-06", "100万元", "", ""],        # 10: unit in the amount
        [PARK, "甲公司园区标准厂房", "2023-07", 9000, "", ""],             # 11: above total investment
    ])
    checked = write("reports", content, aaron, file_name="bad.xlsx")
    found = {(row, column) for row, column, _ in _messages(checked)}
    assert found == {(3, "项目代码"), (4, "项目代码"), (5, "报告期"), (6, "本月完成投资(万元)"), (7, "报告期"),
                     (8, "报告期"), (9, "项目名称"), (10, "本月完成投资(万元)"), (11, "本月完成投资(万元)")}
    messages = dict(((r, c), m) for r, c, m in _messages(checked))
    assert "没有这个项目代码" in messages[(3, "项目代码")]
    assert "无权" in messages[(4, "项目代码")]
    assert "已锁定" in messages[(8, "报告期")]
    assert "超过总投资" in messages[(11, "本月完成投资(万元)")]
    assert not MonthlyReport.objects.exists()


def test_importing_the_same_file_twice_changes_nothing(projects, aaron) -> None:
    content = workbook([[PLANT, "", "2023-03", 100, "进度", ""]])
    write("reports", content, aaron, file_name="a.xlsx")
    again = write("reports", content, aaron, file_name="a.xlsx")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1}
    assert MonthlyReport.objects.count() == 1


def test_a_returned_report_is_corrected_by_import_but_an_accepted_one_is_not(projects, aaron, oscar, stan) -> None:
    report = report_month(projects["plant"], dt.date(2023, 3, 1), Decimal("100"), actor=oscar)
    accept_report(report, actor=stan)
    content = workbook([[PLANT, "", "2023-03", 120, "", ""]])
    checked = check("reports", content, aaron)
    assert [m for _, _, m in _messages(checked)] == ["该月报已审核通过,如需更正请联系统计局退回"]


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(projects, aaron) -> None:
    with pytest.raises(SheetError) as caught:
        check("reports", b"this is not a spreadsheet", aaron)
    assert "Excel" in caught.value.message


def test_the_command_exits_0_when_written_1_when_refused_2_on_usage(projects, tmp_path) -> None:
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(workbook([[PLANT, "", "2023-03", 100, "", ""]]))
    bad.write_bytes(workbook([[PLANT, "", "2023-03", -1, "", ""]]))
    out = io.StringIO()
    call_command("import", "reports", str(good), "--dry-run", stdout=out)
    assert "将新增 1" in out.getvalue() and not MonthlyReport.objects.exists()
    call_command("import", "reports", str(good), stdout=io.StringIO())
    assert MonthlyReport.objects.count() == 1
    errors = tmp_path / "errors.xlsx"
    with pytest.raises(SystemExit) as refused:
        call_command("import", "reports", str(bad), "--errors", str(errors), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert refused.value.code == 1 and errors.exists()
    with pytest.raises(SystemExit) as usage:
        call_command("import", "reports", str(tmp_path / "missing.xlsx"), stderr=io.StringIO())
    assert usage.value.code == 2
    assert AuditRecord.objects.filter(object_type="imports.reports", source="import").exists()


def test_imported_rows_read_back_like_model_writes_and_keep_the_audit_chain(projects, aaron) -> None:
    """Reports and audit records are inserted as rows: every column as the model would store it."""
    from touzi.audit.chain import verify
    from touzi.audit.services import content_sha256, jsonable

    content = workbook([[PLANT, "甲公司新材料工厂", "2023-03", 1200.5, "主体完工", ""],
                        [PARK, "甲公司园区标准厂房", "2023-03", "300.1234", "", "用地指标未落实"]])
    assert write("reports", content, aaron, file_name="march.xlsx").ok
    report = MonthlyReport.objects.get(project=projects["park"], month=dt.date(2023, 3, 1))
    assert (report.amount, report.problems, report.flags, report.version) == (
        Decimal("300.1234"), "用地指标未落实", [], 1)
    assert report.submitted_by == aaron and report.submitted_at == report.created_at == report.updated_at
    assert report.reviewed_at is None and report.return_reason == ""
    record = AuditRecord.objects.get(object_type="reports.batch")
    assert record.actor == aaron and record.event == "create" and record.before is None and record.success
    # The batch's hash is recomputed from the ledger's rows, in the order of its keys (docs/security.md).
    rows = []
    for key in record.after["keys"]:
        project_id, month = key.split(":")
        stored = MonthlyReport.objects.get(project_id=int(project_id), month=f"{month}-01")
        rows.append([key, jsonable(stored.amount), stored.progress, stored.problems, stored.flags, stored.status])
    assert rows[1] == [f"{projects['park'].pk}:2023-03", "300.1234", "", "用地指标未落实", [], "submitted"]
    assert record.after["sha256"] == content_sha256(rows)
    rows[1][1] = "300.1235"  # a changed figure no longer matches
    assert record.after["sha256"] != content_sha256(rows)
    assert list(verify()) == []


def test_the_cap_holds_to_the_last_place_with_what_is_counted_and_every_month_of_the_file(projects, aaron, oscar,
                                                                                            stan) -> None:
    # 甲公司园区标准厂房: total investment 8000 万元, 3000.5 already counted.
    accept_report(report_month(projects["park"], dt.date(2023, 2, 1), Decimal("3000.5"), actor=oscar), actor=stan)
    at_cap = workbook([[PARK, "", "2023-03", 2000, "", ""], [PARK, "", "2023-04", "2999.5", "", ""]])
    assert check("reports", at_cap, aaron).ok
    above = workbook([[PARK, "", "2023-03", 2000, "", ""], [PARK, "", "2023-04", "2999.5001", "", ""]])
    refused = check("reports", above, aaron)
    assert [(row, column) for row, column, _ in _messages(refused)] == [(3, "本月完成投资(万元)")]
    assert "8000.0001" in refused.errors[0].message and "超过总投资" in refused.errors[0].message
    # A project with nothing counted yet is held to its cap all the same.
    alone = check("reports", workbook([[PLANT, "", "2023-03", "50000.0001", "", ""]]), aaron)
    assert [(row, column) for row, column, _ in _messages(alone)] == [(2, "本月完成投资(万元)")]


def test_a_month_above_three_times_the_recent_average_is_flagged_and_one_at_it_is_not(projects, aaron, oscar,
                                                                                     stan) -> None:
    for month, amount in ((dt.date(2023, 3, 1), "100"), (dt.date(2023, 4, 1), "200")):
        accept_report(report_month(projects["plant"], month, Decimal(amount), actor=oscar), actor=stan)
    # Average of the six months before August: 150; the factor is 3.
    at = check("reports", workbook([[PLANT, "", "2023-08", 450, "", ""], [PARK, "", "2023-08", 5000, "", ""]]),
               aaron)
    assert at.ok and [row.flags for row in at.rows] == [[], []]  # the park has no history: never a spike
    above = check("reports", workbook([[PLANT, "", "2023-08", "450.0001", "", ""]]), aaron)
    assert above.ok and [row.flags for row in above.rows] == [["spike"]]
    # Outside the six months the history does not count.
    later = check("reports", workbook([[PLANT, "", "2023-11", 5000, "", ""]]), aaron)
    assert later.ok and [row.flags for row in later.rows] == [[]]
