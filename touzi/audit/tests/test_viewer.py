"""The audit administrator reads, filters, pages and exports the audit trail; nobody changes it."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.db import connection, transaction
from django.urls import reverse

from touzi.audit.choices import Event, Source
from touzi.audit.context import audit_context
from touzi.audit.models import AuditRecord
from touzi.audit.services import record
from touzi.testing import client_for

pytestmark = pytest.mark.django_db

PAGES = ["audit-list", "audit-export-xlsx", "audit-export-csv"]


def _write(n: int, **fields) -> list[AuditRecord]:
    with audit_context(fields.pop("source", Source.WEB), ip=fields.pop("ip", "10.1.2.3")), transaction.atomic():
        return [record(fields.get("event", Event.UPDATE), object_type=fields.get("object_type", "projects.project"),
                       object_id=str(fields.get("object_id", i)), object_repr=fields.get("object_repr", f"项目{i}"),
                       before={"name": f"旧{i}", "total": "100"}, after={"name": f"新{i}", "total": "100"},
                       success=fields.get("success", True), actor_name=fields.get("actor_name", "olive"),
                       message=fields.get("message", ""))
                for i in range(n)]


def _ids(response) -> list[int]:
    return [int(chunk.split('"')[0]) for chunk in response.content.decode().split('data-record="')[1:]]


# --- who may see it ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_sign_in(name, mini_plan) -> None:
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_anonymous_record_page_and_api_are_refused(mini_plan) -> None:
    item = _write(1)[0]
    assert client_for(None).get(reverse("audit-detail", args=[item.pk])).status_code == 302
    assert client_for(None).get("/api/v1/audit/records").status_code == 401


@pytest.mark.parametrize("name", PAGES)
def test_business_users_and_the_system_administrator_are_refused(name, aaron, sam) -> None:
    assert client_for(aaron).get(reverse(name)).status_code == 403
    assert client_for(sam).get(reverse(name)).status_code == 403


def test_business_users_get_no_record_page_and_no_api(aaron) -> None:
    item = _write(1)[0]
    assert client_for(aaron).get(reverse("audit-detail", args=[item.pk])).status_code == 403
    response = client_for(aaron).get("/api/v1/audit/records")
    assert response.status_code == 403 and "审计" in response.json()["detail"]


@pytest.mark.parametrize("name", PAGES)
def test_the_audit_administrator_reads_and_exports(name, ada) -> None:
    _write(2)
    assert client_for(ada).get(reverse(name)).status_code == 200


def test_the_audit_administrator_sees_a_record_and_the_api(ada) -> None:
    item = _write(1)[0]
    assert client_for(ada).get(reverse("audit-detail", args=[item.pk])).status_code == 200
    assert client_for(ada).get("/api/v1/audit/records").status_code == 200


def test_only_audit_readers_see_the_menu_entry(ada, aaron) -> None:
    assert reverse("audit-list") in client_for(ada).get(reverse("unit-list")).content.decode()
    assert reverse("audit-list") not in client_for(aaron).get(reverse("unit-list")).content.decode()


# --- nobody changes it ------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_page_accepts_a_change(method, ada) -> None:
    item = _write(1)[0]
    client = client_for(ada)
    count = AuditRecord.objects.count()
    for url in [*(reverse(name) for name in PAGES), reverse("audit-detail", args=[item.pk])]:
        assert getattr(client, method)(url).status_code == 405, url
    for url in ["/api/v1/audit/records", f"/api/v1/audit/records/{item.pk}"]:
        assert getattr(client, method)(url).status_code in (404, 405), url
    item.refresh_from_db()
    assert AuditRecord.objects.count() == count and item.after == {"name": "新0", "total": "100"}


def test_the_audit_urls_are_only_the_read_only_ones() -> None:
    from touzi.audit.urls import urlpatterns

    assert sorted(p.name for p in urlpatterns) == sorted([*PAGES, "audit-detail"])
    from touzi.api import api

    methods = {(path, method) for path, view in api.get_openapi_schema()["paths"].items()
               if path.startswith("/api/v1/audit") for method in view}
    assert methods == {("/api/v1/audit/records", "get")}


# --- filters and paging -----------------------------------------------------------------------------

def test_records_are_listed_newest_first(ada) -> None:
    items = _write(3)
    assert _ids(client_for(ada).get(reverse("audit-list"), {"actor": "olive"})) == [i.pk for i in reversed(items)]


def test_filters_narrow_the_list(ada) -> None:
    _write(2)
    failed = _write(1, event=Event.SIGN_IN_FAILED, success=False, actor_name="mallory", object_type="accounts.user",
                    object_repr="mallory", source=Source.API, message="用户名或密码错误")[0]
    other = _write(1, object_id=77, object_repr="北海港铁山港区码头")[0]
    client = client_for(ada)

    def ids(**query) -> list[int]:
        return _ids(client.get(reverse("audit-list"), query))

    assert ids(actor="mallory") == [failed.pk]
    assert ids(event="sign_in_failed") == [failed.pk]
    assert ids(source="api") == [failed.pk]
    assert ids(success="false") == [failed.pk]
    assert ids(object_type="projects.project", object_id="77") == [other.pk]
    assert ids(q="铁山港") == [other.pk]
    assert ids(q="密码错误") == [failed.pk]
    assert ids(date_from="2000-01-01", actor="mallory") == [failed.pk]
    assert ids(date_to="2000-01-01", actor="mallory") == []


def test_the_object_filter_finds_the_batch_record_that_wrote_a_row_in_bulk(ada) -> None:
    from touzi.audit.services import record_batch

    with audit_context(Source.IMPORT), transaction.atomic():
        batch = record_batch(Event.CREATE, actor=None, object_type="reports.batch", object_repr="2024-04 ×2",
                             rows=[["12:2024-04", "5", "", "", [], "submitted"],
                                   ["7:2024-04", "3", "", "", [], "submitted"]], message="导入月报 april.xlsx")
    single = _write(1, object_type="reports.monthlyreport", object_id="7:2024-04")[0]
    client = client_for(ada)

    def ids(**query) -> list[int]:
        return _ids(client.get(reverse("audit-list"), query))

    assert ids(object_id="7:2024-04") == [single.pk, batch.pk]
    assert ids(object_id="12:2024-04") == [batch.pk]
    assert ids(object_id="2:2024-04") == []  # a key is matched whole, not as the end of another
    assert batch.after["rows"] == 2 and len(batch.after["sha256"]) == 64


def test_date_filters_mean_days_in_china(ada) -> None:
    import datetime as dt

    from touzi.audit.forms import day_start
    from touzi.audit.selectors import filtered

    start = day_start(dt.date(2024, 3, 1))
    assert start.isoformat() == "2024-03-01T00:00:00+08:00"
    item = _write(1)[0]
    day = item.at.astimezone(start.tzinfo).date()
    assert filtered(AuditRecord.objects.all(), {"date_from": day, "date_to": day, "actor": "olive"}).get() == item
    assert not filtered(AuditRecord.objects.all(), {"date_to": day - dt.timedelta(days=1), "actor": "olive"})


def test_a_bad_filter_is_a_message_not_an_error(ada) -> None:
    response = client_for(ada).get(reverse("audit-list"), {"date_from": "2024-05-02", "date_to": "2024-05-01"})
    assert response.status_code == 200 and "起始日期不能晚于截止日期" in response.content.decode()
    api = client_for(ada).get("/api/v1/audit/records", {"date_from": "not-a-date"})
    assert api.status_code == 400 and api.json()["field"] == "date_from"


def test_keyset_pages_cover_every_record_once_in_both_directions(ada) -> None:
    from touzi.audit.selectors import PAGE_SIZE

    items = _write(PAGE_SIZE * 2 + 7)
    client, seen, pages = client_for(ada), [], []
    query: dict[str, str | int] = {"actor": "olive"}
    while True:
        response = client.get(reverse("audit-list"), query)
        pages.append(_ids(response))
        seen += pages[-1]
        older = response.context["page"].older
        if older is None:
            break
        query = {"actor": "olive", "before": older}
    assert seen == [i.pk for i in reversed(items)] and [len(p) for p in pages] == [50, 50, 7]
    back = client.get(reverse("audit-list"), {"actor": "olive", "after": str(pages[-1][0])})
    assert _ids(back) == pages[1] and back.context["page"].newer == pages[1][0]


def test_a_page_costs_the_same_queries_however_deep(ada, django_assert_max_num_queries) -> None:
    _write(230)
    client = client_for(ada)
    client.get(reverse("audit-list"))
    deepest = AuditRecord.objects.order_by("id").values_list("id", flat=True)[60]
    with django_assert_max_num_queries(8):
        client.get(reverse("audit-list"), {"before": deepest})


def test_the_api_pages_with_the_same_filters(ada) -> None:
    _write(5)
    failed = _write(1, success=False, event=Event.SIGN_IN_FAILED)[0]
    client = client_for(ada)
    first = client.get("/api/v1/audit/records", {"limit": "2", "actor": "olive"}).json()
    assert [r["id"] for r in first["records"]] == [failed.pk, failed.pk - 1]
    second = client.get("/api/v1/audit/records", {"limit": 2, "actor": "olive", "before": first["next_before"]}).json()
    assert [r["id"] for r in second["records"]] == [failed.pk - 2, failed.pk - 3]
    only = client.get("/api/v1/audit/records", {"success": "false"}).json()
    assert [r["id"] for r in only["records"]] == [failed.pk] and only["next_before"] is None
    assert only["records"][0]["at"].endswith("Z") or "+" in only["records"][0]["at"]


def test_a_token_client_reads_the_api(ada) -> None:
    from django.test import Client

    from touzi.accounts.services import issue_token

    _write(1)
    _token, token = issue_token(ada, "审计抽查", actor=ada)
    response = Client().get("/api/v1/audit/records", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and len(response.json()["records"]) >= 1


# --- detail -----------------------------------------------------------------------------------------

def test_a_record_shows_before_and_after_side_by_side_and_its_chain_status(ada) -> None:
    item = _write(2)[1]
    page = client_for(ada).get(reverse("audit-detail", args=[item.pk]))
    html = page.content.decode()
    changed = [(c.field, c.key, c.before, c.after) for c in page.context["changes"] if c.changed]
    assert changed == [("项目名称", "name", "旧1", "新1")]  # the field by its name, its stored key beside it
    assert item.hash in html and item.prev_hash in html and "内容与哈希相符" in html and "链接相符" in html


def test_a_tampered_record_shows_as_broken(ada) -> None:
    item = _write(2)[1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET message = %s WHERE id = %s", ["改过", item.pk])
    html = client_for(ada).get(reverse("audit-detail", args=[item.pk])).content.decode()
    assert "内容与哈希不符" in html


# --- exports ----------------------------------------------------------------------------------------

def test_the_excel_export_holds_the_filtered_records_as_text_never_formulas(ada) -> None:
    _write(3)
    evil = _write(1, object_repr="=HYPERLINK(\"http://evil\",\"x\")", actor_name="eve")[0]
    response = client_for(ada).get(reverse("audit-export-xlsx"), {"actor": "eve"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 2 and rows[1][0] == evil.pk
    cell = sheet.cell(row=2, column=10)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix
    assert rows[1][1].endswith("+08:00")


def test_the_csv_export_is_filtered_and_formula_safe(ada) -> None:
    _write(2)
    _write(1, object_repr="+cmd|' /C calc'!A0", actor_name="eve")
    response = client_for(ada).get(reverse("audit-export-csv"), {"actor": "eve"})
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and rows[1][9] == "'+cmd|' /C calc'!A0" and rows[1][2] == "eve"


def test_an_export_is_itself_audited_with_its_filters(ada) -> None:
    _write(1)
    client_for(ada).get(reverse("audit-export-csv"), {"event": "update"})
    export = AuditRecord.objects.get(event=Event.EXPORT)
    assert export.actor_name == "ada" and export.after == {"format": "csv", "filters": {"event": "update"}}
    assert json.dumps(export.after)  # stored as data, searchable by the auditor later


def test_an_export_with_a_bad_filter_goes_back_to_the_list_and_exports_nothing(ada) -> None:
    query = {"date_from": "2024-05-02", "date_to": "2024-05-01"}
    response = client_for(ada).get(reverse("audit-export-csv"), query)
    assert response.status_code == 302 and response["Location"].startswith(reverse("audit-list"))
    assert not AuditRecord.objects.filter(event=Event.EXPORT).exists()


# --- in words ---------------------------------------------------------------------------------------

def _command_correction(month: str = "2023-02") -> AuditRecord:
    """What `touzi import reports` run as root records on a report: the internal keys the page must translate."""
    with audit_context(Source.COMMAND, actor_name="cli:root"), transaction.atomic():
        return record(Event.UPDATE, object_type="reports.monthlyreport", object_id="32171",
                      object_repr=f"铁山港区殡仪馆改扩建项目 {month}", subject="project:1990",
                      before={"status": "submitted", "amount": "157.87"}, after={"status": "accepted"})


def test_the_trail_names_actors_records_and_fields_in_words_not_keys(ada, mini_plan) -> None:
    item = _command_correction()
    client = client_for(ada)
    listing = client.get(reverse("audit-list")).content.decode()
    detail = client.get(reverse("audit-detail", args=[item.pk])).content.decode()
    for html in (listing, detail):
        assert "命令行 root" in html and "cli:root" not in html
        assert "月报 #32171(铁山港区殡仪馆改扩建项目 2023年1—2月)" in html  # the plan reports 1—2月 together
        assert "reports.monthlyreport" not in html.replace('value="reports.monthlyreport"', "")
    assert "项目 #1990" in detail and "project:1990" not in detail
    assert "本月完成投资(万元)" in detail and "已报送" in detail and "已审核" in detail


def test_the_exports_and_the_api_keep_the_stored_keys(ada, mini_plan) -> None:
    item = _command_correction()
    client = client_for(ada)
    text = client.get(reverse("audit-export-csv")).getvalue().decode("utf-8-sig")
    assert "cli:root" in text and "reports.monthlyreport" in text and "project:1990" in text
    api = client.get("/api/v1/audit/records", {"limit": "1", "actor": "cli:root"}).json()["records"][0]
    assert api["id"] == item.pk and api["actor"] == "cli:root" and api["object_type"] == "reports.monthlyreport"


def test_the_object_type_filter_offers_record_kinds_by_name(ada) -> None:
    html = client_for(ada).get(reverse("audit-list")).content.decode()
    assert '<option value="reports.monthlyreport">月报</option>' in html


def test_a_value_noted_beside_a_change_is_not_read_as_emptied() -> None:
    from touzi.audit.presenters import changes

    returned = changes("reports.monthlyreport", {"status": "submitted", "amount": "157.87"}, {"status": "returned"})
    by_key = {c.key: c for c in returned}
    assert (by_key["status"].before, by_key["status"].after) == ("已报送", "已退回")
    assert by_key["amount"].in_before and not by_key["amount"].in_after
