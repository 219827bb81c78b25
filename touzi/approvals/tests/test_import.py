"""Approvals imported from Excel: all rows or none, with a row report in Chinese."""

import datetime as dt

import pytest

from touzi.approvals.imports import check_approvals, write_approvals
from touzi.approvals.models import Approval
from touzi.imports.services import confirm_import, stage_import
from touzi.imports.tests.hostile import xlsx

pytestmark = pytest.mark.django_db
HEAD = ["项目代码", "项目名称", "审批事项", "审批部门", "申报日期", "受理日期", "承诺时限(工作日)", "容缺材料",
        "承诺补齐日期", "办结日期", "文号"]


def test_a_good_file_writes_each_approval_with_its_working_day_limit(projects, oscar, nrb):
    code = projects["plant"].code
    content = xlsx([HEAD, [code, "", "用地预审与选址意见书", "市自然资源局", "2023-09-25", "2023-09-26", "5", "", "",
                           "2023-10-10", "预审〔2023〕12号"],
                    [code, "", "construction", "市自然资源局", "2023-09-25", "2023-09-26", "", "施工合同",
                     "2023-10-20", "", ""]])
    assert check_approvals(content, oscar).ok and not Approval.objects.exists()  # a check writes nothing
    checked = write_approvals(content, oscar)
    assert checked.ok and checked.counts["create"] == 2
    land = Approval.objects.get(kind__key="land-preexam")
    assert (land.state, land.due_on, land.working_days) == ("done", dt.date(2023, 10, 9), 6)
    permit = Approval.objects.get(kind__key="construction")
    assert (permit.state, permit.missing_papers) == ("deferred", "施工合同")


def test_one_bad_row_refuses_the_whole_file_with_a_row_report(projects, oscar, otto, nrb):
    code = projects["plant"].code
    content = xlsx([HEAD, [code, "", "用地预审与选址意见书", "市自然资源局", "2023-09-25", "2023-09-26", "", "", "",
                           "", ""],
                    [code, "", "施工许可", "市自然资源局", "2023-09-25", "2023-09-26", "", "", "", "2023-09-20",
                     "文号"],
                    [code, "", "不存在的事项", "", "", "", "", "", "", "", ""],
                    [code, "", "节能审查", "", "2023-13-01", "", "", "", "", "", ""]])
    checked = write_approvals(content, oscar)
    assert not Approval.objects.exists()
    problems = {(e.row, e.column): e.message for e in checked.errors}
    assert problems[(3, "办结日期")] == "办结日期不能早于受理日期"
    assert "没有这个审批事项" in problems[(4, "审批事项")]
    assert (5, "申报日期") in problems
    refused = write_approvals(xlsx([HEAD, [code, "", "施工许可", "", "", "", "", "", "", "", ""]]), otto)
    assert "无权" in refused.errors[0].message  # another owner's project


def test_the_import_page_flow_stages_and_confirms_approvals(projects, aaron, nrb):
    code = projects["plant"].code
    content = xlsx([HEAD, [code, "", "节能审查", "市自然资源局", "2023-05-04", "2023-05-05", "", "", "",
                           "2023-05-19", "节能〔2023〕7号"]])
    batch = stage_import("approvals", "审批.xlsx", content, actor=aaron)
    assert batch.status == "previewed" and not Approval.objects.exists()
    confirm_import(batch, actor=aaron)
    assert Approval.objects.get(kind__key="energy").document_number == "节能〔2023〕7号"
