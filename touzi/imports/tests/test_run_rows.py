"""The row-by-row runner every service-per-row import shares (touzi.imports.common.run_rows): all rows or none,
every refused row reported against its cell, whichever way it was refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord
from touzi.audit.services import record
from touzi.core.actor import Actor, System
from touzi.imports.common import CellRefused, run_rows
from touzi.lib.errors import BusinessError
from touzi.lib.xlsx import Column, SheetSpec, write_workbook

pytestmark = pytest.mark.django_db

COLUMNS = [Column("name", ("名称",)), Column("amount", ("金额(万元)", "金额"))]
HEADERS = {"name": "名称", "amount": "金额(万元)"}


def _file(*rows: tuple[str, str]) -> bytes:
    return write_workbook([SheetSpec(title="数据", headers=list(HEADERS.values()), rows=list(rows))])


def _one(values: dict, actor: Actor) -> None:
    """Writes an audit record (a stand-in for a service's write), then refuses as the row's name says."""
    record(Event.CREATE, actor=actor, object_id=str(values["name"]))
    match values["name"]:
        case "cell":
            raise CellRefused(HEADERS["amount"], values["amount"], "金额不是数字")
        case "service":
            raise BusinessError("金额超出计划", field="sum")
        case "model":
            raise ValidationError({"amount": ["不能为负数"]})


def test_a_clean_file_is_written_and_a_check_writes_nothing() -> None:
    content = _file(("甲", "1"), ("乙", "2"))
    checked = run_rows(content, COLUMNS, "test", _one, System("test"), headers=HEADERS, keep=False)
    assert (checked.ok, checked.rows, checked.counts["create"]) == (True, [2, 3], 2)
    assert not AuditRecord.objects.filter(object_id__in=["甲", "乙"]).exists()  # a check rolls back
    checked = run_rows(content, COLUMNS, "test", _one, System("test"), headers=HEADERS)
    assert AuditRecord.objects.filter(object_id__in=["甲", "乙"]).count() == 2


def test_every_refused_row_is_named_against_its_cell_and_nothing_is_kept() -> None:
    content = _file(("甲", "1"), ("cell", "x"), ("service", "9"), ("model", "-1"), ("乙", "2"))
    checked = run_rows(content, COLUMNS, "test", _one, System("test"), headers=HEADERS,
                       field_column={"sum": "amount"})
    assert [(e.row, e.column, e.value, str(e.message)) for e in checked.errors] == [
        (3, "金额(万元)", "x", "金额不是数字"),
        (4, "金额(万元)", "9", "金额超出计划"),  # the service's field, mapped to its column
        (5, "金额(万元)", "-1", "不能为负数"),
    ]
    assert (checked.rows, checked.counts["create"]) == ([2, 6], 0)
    assert not AuditRecord.objects.filter(object_id__in=["甲", "乙", "cell", "service", "model"]).exists()
