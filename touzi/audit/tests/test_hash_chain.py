"""The audit trail is a keyed hash chain: `touzi audit verify` finds a changed, deleted or inserted record."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from touzi.audit.chain import verify
from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord
from touzi.audit.services import record, record_many

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[int]:
    with transaction.atomic():
        for i in range(n):
            record(Event.UPDATE, object_type="x", object_id=str(i), after={"v": i}, message=f"第{i}条")
        record_many([{"event": Event.CREATE, "object_type": "y", "object_id": i, "after": {"n": i}}
                     for i in range(3)])
    return list(AuditRecord.objects.order_by("id").values_list("id", flat=True))


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_trail_verifies(db) -> None:
    _write(4)
    assert next(verify(), None) is None
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "完整" in out.getvalue()


def test_each_record_links_to_the_one_before(db) -> None:
    ids = _write(3)
    rows = list(AuditRecord.objects.order_by("id").values_list("prev_hash", "hash"))
    assert rows[0][0] == "" and all(rows[i][0] == rows[i - 1][1] for i in range(1, len(rows)))
    assert len(ids) == 6


def test_a_changed_record_is_named(db) -> None:
    ids = _write(4)
    _raw("UPDATE audit_auditrecord SET message = %s WHERE id = %s", ["篡改", ids[2]])
    broken = next(verify())
    assert broken.record_id == ids[2] and "改动" in broken.reason
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("audit", "verify", stderr=err)
    assert exit_code.value.code == 1 and f"#{ids[2]}" in err.getvalue()


def test_a_deleted_record_breaks_the_link_of_the_next(db) -> None:
    ids = _write(4)
    _raw("DELETE FROM audit_auditrecord WHERE id = %s", [ids[1]])
    assert next(verify()).record_id == ids[2]
