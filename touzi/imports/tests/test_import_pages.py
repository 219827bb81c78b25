"""Import in the browser: upload, preview, confirm; the error report; templates; exports never hold formulas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from touzi.imports.models import ImportBatch
from touzi.imports.tests.sheets import cells, workbook
from touzi.reports.models import MonthlyReport
from touzi.reports.services import report_month
from touzi.testing import client_for, new_project

pytestmark = pytest.mark.django_db
PLANT = "2021-450521-26-03-000001"


@pytest.fixture(autouse=True)
def inline_jobs(settings):
    settings.JOBS_BACKEND = "inline"


def _upload(client, content: bytes, kind: str = "reports"):
    return client.post(reverse("import-home"), {"kind": kind, "file": SimpleUploadedFile("m.xlsx", content)})


def test_upload_previews_then_confirm_writes(projects, oscar) -> None:
    client = client_for(oscar)
    response = _upload(client, workbook([[PLANT, "", "2023-03", 100, "", ""]]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "previewed" and not MonthlyReport.objects.exists()
    page = client.get(reverse("import-detail", args=[batch.pk])).content.decode()
    assert "确认导入" in page
    client.post(reverse("import-confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed" and MonthlyReport.objects.count() == 1
    assert client.post(reverse("import-confirm", args=[batch.pk])).status_code == 302
    assert MonthlyReport.objects.count() == 1  # a second confirm writes nothing


def test_a_refused_file_lists_errors_and_offers_the_report(projects, oscar) -> None:
    client = client_for(oscar)
    _upload(client, workbook([[PLANT, "", "2023-03", -1, "", ""], ["bad", "", "2023-03", 1, "", ""]]))
    batch = ImportBatch.objects.get()
    assert batch.status == "refused" and len(batch.errors) == 2
    report = client.get(reverse("import-errors", args=[batch.pk]))
    values = [v for _, v, _ in cells(report.content)]
    assert "本月完成投资(万元)" in values and "项目库中没有这个项目代码" in values


def test_a_malformed_file_is_a_message_not_an_error_page(projects, oscar) -> None:
    client = client_for(oscar)
    response = _upload(client, b"PK\x03\x04garbage")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "refused" and "文件已损坏" in batch.message
    assert batch.message in client.get(reverse("import-detail", args=[batch.pk])).content.decode()


def test_nobody_sees_another_users_import(projects, oscar, aaron) -> None:
    _upload(client_for(oscar), workbook([[PLANT, "", "2023-03", 1, "", ""]]))
    batch = ImportBatch.objects.get()
    for name in ("import-detail", "import-errors", "import-progress"):
        assert client_for(aaron).get(reverse(name, args=[batch.pk])).status_code == 404
    assert client_for(aaron).post(reverse("import-confirm", args=[batch.pk])).status_code == 404


def test_the_report_template_is_prefilled_with_the_users_projects(projects, oscar) -> None:
    content = client_for(oscar).get(reverse("import-template", args=["reports"]) + "?month=2023-04").content
    values = [v for _, v, _ in cells(content)]
    assert "2021-450521-26-03-000001" in values and "2021-450503-54-01-000003" not in values
    assert "2023-04" in values and "本月完成投资(万元)" in values


def test_the_project_template_has_drop_downs(mini_plan, olive) -> None:
    import io

    from openpyxl import load_workbook

    content = client_for(olive).get(reverse("import-template", args=["projects"])).content
    book = load_workbook(io.BytesIO(content))
    assert book.worksheets[0].data_validations.dataValidation


def test_exports_write_risky_text_as_text_never_as_formulas(owners, oscar, olive) -> None:
    project = new_project("=HYPERLINK(\"http://x\",\"点我\")", county="county-a", owner="owner-a",
                          code="2021-450521-26-03-000099", description="@SUM(A1)")
    report_month(project, dt.date(2023, 3, 1), Decimal("1"), progress="+86 138", problems="-1 问题",
                 actor=oscar)
    for url in (reverse("export-projects"), reverse("export-reports")):
        content = client_for(olive).get(url).content
        found = cells(content)
        assert not [c for c in found if c[2] == "f"], url
        assert any(str(v).startswith("=HYPERLINK") and t == "s" for _, v, t in found)


def test_exports_are_scoped(projects, bella) -> None:
    content = client_for(bella).get(reverse("export-projects")).content
    names = {v for _, v, _ in cells(content)}
    assert "乙区铁路专用线" in names and "甲公司新材料工厂" not in names


def test_a_refused_file_shows_its_message_in_the_readers_language_from_the_same_stored_row(projects, oscar,
                                                                                           settings) -> None:
    client = client_for(oscar)
    _upload(client, b"PK\x03\x04garbage")  # uploaded by a Chinese reader
    batch = ImportBatch.objects.get()
    assert batch.message_code == "xlsx.broken" and batch.message_text == ""
    detail, progress = reverse("import-detail", args=[batch.pk]), reverse("import-progress", args=[batch.pk])
    chinese, english = "文件已损坏或不完整", "The file is damaged or incomplete"
    assert chinese in client.get(detail).content.decode()
    assert client.get(progress).json()["message"] == chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(detail).content.decode()
    assert english in page and chinese not in page
    assert client.get(progress).json()["message"] == english


def test_a_message_stored_as_text_before_codes_still_shows_as_it_is(projects, oscar, settings) -> None:
    client = client_for(oscar)
    _upload(client, b"PK\x03\x04garbage")
    ImportBatch.objects.update(message_code="", message_params={}, message_text="旧的错误信息")
    batch = ImportBatch.objects.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "旧的错误信息" in client.get(reverse("import-detail", args=[batch.pk])).content.decode()


def test_a_refused_cell_shows_its_reason_in_the_readers_language(projects, oscar, settings) -> None:
    client = client_for(oscar)
    _upload(client, workbook([[PLANT, "", "2023-03", "1e3", "", ""]]))
    batch = ImportBatch.objects.get()
    assert batch.status == "refused" and batch.errors[0]["message"]["code"] == "xlsx.number_scientific"
    detail = reverse("import-detail", args=[batch.pk])
    assert "不支持科学计数法" in client.get(detail).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Scientific notation (such as 1E+3) is not supported" in client.get(detail).content.decode()


def test_row_errors_and_notes_are_stored_as_codes_and_shown_in_the_readers_language(projects, oscar,
                                                                                   settings) -> None:
    client = client_for(oscar)
    rows = [["2099-450521-26-03-999999", "", "2023-03", "10", "", ""], ["合计", "", "", "10", "", ""]]
    _upload(client, workbook(rows, title_rows=["2023年3月月报"]))
    batch = ImportBatch.objects.get()
    assert batch.status == "refused" and batch.errors[0]["message"] == {"code": "imports.unknown_code", "params": {}}
    assert [note["code"] for note in batch.notes] == ["xlsx.header_below", "imports.skipped_row"]
    assert batch.notes[1]["params"]["reason"]["code"] == "xlsx.subtotal_row"
    detail = reverse("import-detail", args=[batch.pk])
    page = client.get(detail).content.decode()
    assert "项目库中没有这个项目代码" in page and "表头在第2行,已跳过上方1行标题" in page and "第4行:小计/合计行,已跳过" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(detail).content.decode()
    assert "No project in the ledger has this code" in page and "Row 4: Subtotal or total row, skipped" in page
    assert "The header is on row 2; the 1 title rows above it were skipped" in page
    report = cells(client.get(reverse("import-errors", args=[batch.pk])).content)
    assert ("Error list", "No project in the ledger has this code", "s") in [(s, v, t) for s, v, t in report]
