"""The audit trail is a keyed hash chain: `touzi audit verify` finds a changed, deleted or inserted record."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import ProtectedError

from touzi.accounts.models import User
from touzi.audit.chain import digest, verify
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


def _users() -> tuple[User, User]:
    from touzi.accounts.choices import Role
    from touzi.testing import make_user

    return make_user("ada", Role.AUDIT_ADMIN), make_user("sam", Role.SYSTEM_ADMIN)


@pytest.mark.parametrize("writer", ["record", "record_many"])
def test_a_changed_actor_is_named(db, writer: str) -> None:
    """The actor's id is hashed, by the single writer and by the bulk (import) writer alike."""
    ada, sam = _users()
    with transaction.atomic():
        if writer == "record":
            record(Event.UPDATE, actor=ada, object_type="x", object_id="1")
        else:
            record_many([{"event": Event.CREATE, "object_type": "y", "object_id": 1}], actor=ada)
        record(Event.UPDATE, object_type="x", object_id="2")
    item = AuditRecord.objects.get(actor=ada)
    assert item.hash_version == 2 and next(verify(), None) is None
    _raw("UPDATE audit_auditrecord SET actor_id = %s WHERE id = %s", [sam.pk, item.pk])
    broken = next(verify())
    assert broken.record_id == item.pk and "改动" in broken.reason


def _as_version_1() -> None:
    """Rewrite the whole trail as it was before the actor was hashed (hash version 1), as the key holder."""
    prev = ""
    for item in AuditRecord.objects.order_by("id"):
        item.hash_version, item.prev_hash = 1, prev
        prev = digest(prev, item)
        _raw("UPDATE audit_auditrecord SET hash_version = 1, prev_hash = %s, hash = %s WHERE id = %s",
             [item.prev_hash, prev, item.pk])


def test_records_from_before_the_actor_was_hashed_still_verify_and_the_chain_goes_on(db) -> None:
    ada, sam = _users()
    with transaction.atomic():
        old = record(Event.UPDATE, actor=ada, object_type="x", object_id="1")
    _as_version_1()
    with transaction.atomic():
        new = record(Event.UPDATE, actor=ada, object_type="x", object_id="2")
    assert new.hash_version == 2 and next(verify(), None) is None
    # A version 1 record's actor id is not covered (its actor_name is): the known limit of old records.
    _raw("UPDATE audit_auditrecord SET actor_id = %s WHERE id = %s", [sam.pk, old.pk])
    assert next(verify(), None) is None
    # Passing a new record off as an old one (to change its actor unseen) breaks it.
    _raw("UPDATE audit_auditrecord SET hash_version = 1, actor_id = %s WHERE id = %s", [sam.pk, new.pk])
    assert next(verify()).record_id == new.pk


def test_an_account_with_audit_records_cannot_be_deleted(db) -> None:
    """Deleting it would rewrite its records' actor (SET_NULL) and so break the chain: it is refused."""
    ada, _sam = _users()
    with transaction.atomic():
        record(Event.UPDATE, actor=ada, object_type="x", object_id="1")
    with pytest.raises(ProtectedError):
        ada.delete()
    assert next(verify(), None) is None
