"""The end of the audit trail is vouched for by signed checkpoints kept outside the database.

The hash chain alone cannot see its newest records deleted (a shorter chain still fits): `touzi audit
verify` held against a checkpoint exits 1 naming the records that are gone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from touzi.audit.chain import verify
from touzi.audit.checkpoints import take
from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord
from touzi.audit.services import record, record_many

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[int]:
    with transaction.atomic():
        record(Event.UPDATE, object_type="x", object_id="0", after={"v": 0})
        record_many([{"event": Event.CREATE, "object_type": "y", "object_id": i, "after": {"n": i}}
                     for i in range(n - 1)])
    return list(AuditRecord.objects.order_by("id").values_list("id", flat=True))


def _audit(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_code:
        return int(exit_code.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _delete_from(first_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id >= %s", [first_id])


@pytest.fixture
def checkpoint(tmp_path) -> Path:
    return tmp_path / "head.json"


@pytest.mark.parametrize("deleted", [1, 100, "all"])
def test_deleting_the_newest_records_is_caught_by_a_checkpoint(checkpoint, deleted) -> None:
    ids = _write(150)
    assert _audit("checkpoint", "--out", str(checkpoint))[0] == 0
    cut = ids[0] if deleted == "all" else ids[-deleted]
    _delete_from(cut)
    assert next(verify(), None) is None  # the chain alone cannot see it: what remains still fits
    code, _out, err = _audit("verify", "--checkpoint", str(checkpoint))
    gap = f"记录 #{cut} 已不在" if cut == ids[-1] else f"记录 #{cut}—#{ids[-1]} 已不在"
    assert code == 1 and gap in err and f"少了 {len(ids) - ids.index(cut)} 条" in err


def test_a_cut_tail_is_caught_even_after_new_records_chain_onto_it(checkpoint) -> None:
    ids = _write(20)
    _audit("checkpoint", "--out", str(checkpoint))
    _delete_from(ids[-5])
    _write(3)  # the application goes on writing, chaining onto the truncated end
    assert next(verify(), None) is None
    code, _out, err = _audit("verify", "--checkpoint", str(checkpoint))
    assert code == 1 and f"#{ids[-5]}—#{ids[-1]}" in err and f"#{ids[-1]}" in err


def test_a_cut_is_caught_after_a_later_checkpoint_vouched_for_the_shortened_trail(
        settings, django_capture_on_commit_callbacks) -> None:
    """Every checkpoint is held, not the newest alone: the one taken after the cut sees a trail that fits."""
    settings.AUDIT_CHECKPOINT_RECORDS = 10
    with django_capture_on_commit_callbacks(execute=True):
        ids = _write(12)
    _delete_from(ids[-5])
    with django_capture_on_commit_callbacks(execute=True):
        newest = _write(20)[-1]
    assert [json.loads(line)["last_id"] for line in settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()] == [
        ids[-1], newest]
    code, _out, err = _audit("verify")
    assert code == 1 and f"记录 #{ids[-5]}—#{ids[-1]} 已不在" in err


def test_an_intact_trail_matches_its_checkpoint_and_may_grow_past_it(checkpoint) -> None:
    _write(10)
    _audit("checkpoint", "--out", str(checkpoint))
    _write(5)
    code, out, _err = _audit("verify", "--checkpoint", str(checkpoint))
    assert code == 0 and "完整,共 15 条" in out and "相符" in out


def test_a_rewritten_newest_record_does_not_match_the_checkpoint(checkpoint) -> None:
    """A record put back in place of the one the checkpoint names (without the key) is caught."""
    ids = _write(10)
    _audit("checkpoint", "--out", str(checkpoint))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET hash = %s WHERE id = %s", ["0" * 64, ids[-1]])
    code, _out, err = _audit("verify", "--checkpoint", str(checkpoint))
    assert code == 1 and f"#{ids[-1]}" in err and "哈希不符" in err


def test_a_checkpoint_with_a_changed_field_is_refused(checkpoint) -> None:
    ids = _write(10)
    _audit("checkpoint", "--out", str(checkpoint))
    data = json.loads(checkpoint.read_text())
    checkpoint.write_text(json.dumps({**data, "last_id": ids[3]}) + "\n")  # claim less, to hide a cut
    code, _out, err = _audit("verify", "--checkpoint", str(checkpoint))
    assert code == 1 and "签名不符" in err and "第 1 行" in err


def test_a_checkpoint_signed_with_another_key_is_refused(checkpoint, settings) -> None:
    _write(5)
    ours, settings.AUDIT_HMAC_KEY = settings.AUDIT_HMAC_KEY, "another installation's key"
    _audit("checkpoint", "--out", str(checkpoint))
    settings.AUDIT_HMAC_KEY = ours
    code, _out, err = _audit("verify", "--checkpoint", str(checkpoint))
    assert code == 1 and "另一把审计密钥" in err


def test_an_unreadable_checkpoint_file_is_a_usage_error(tmp_path) -> None:
    code, _out, err = _audit("verify", "--checkpoint", str(tmp_path / "missing.json"))
    assert code == 2 and "无法读取检查点文件" in err


def test_verify_uses_the_newest_automatic_checkpoint_by_default(settings, django_capture_on_commit_callbacks) -> None:
    settings.AUDIT_CHECKPOINT_RECORDS = 10
    with django_capture_on_commit_callbacks(execute=True):
        _write(12)
    with django_capture_on_commit_callbacks(execute=True):
        ids = _write(12)
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[-1])["last_id"] == ids[-1]
    assert _audit("verify")[0] == 0
    _delete_from(ids[-1])
    code, _out, err = _audit("verify")
    assert code == 1 and f"记录 #{ids[-1]} 已不在" in err


def test_without_any_checkpoint_verify_says_the_tail_is_unguarded() -> None:
    _write(3)
    code, out, _err = _audit("verify")
    assert code == 0 and "没有检查点文件" in out


def test_checkpoints_of_another_database_in_the_file_are_not_used(settings) -> None:
    """A benchmark or a restore drill may share the file: their checkpoints never vouch for this database."""
    ids = _write(5)
    _audit("checkpoint")
    foreign = dataclasses.replace(take("command"), db="postgresql:touzi_drill", last_id=10**9)
    with settings.AUDIT_CHECKPOINT_FILE.open("a") as file:
        file.write(foreign.line())
    code, out, _err = _audit("verify")
    assert code == 0 and f"截至记录 #{ids[-1]}" in out
    _delete_from(ids[-1])
    assert _audit("verify")[0] == 1


def test_a_purge_after_a_checkpoint_is_not_taken_for_a_cut(checkpoint, django_capture_on_commit_callbacks) -> None:
    """Records a checkpoint vouched for and the retention purge deleted are accounted for by the purge record;
    the purge writes a fresh checkpoint, against which a later cut is caught."""
    with transaction.atomic():
        old = timezone.now() - dt.timedelta(days=400)
        with mock.patch("touzi.audit.services.timezone.now", return_value=old):
            old_ids = [record(Event.UPDATE, object_type="x", object_id=str(i)).pk for i in range(3)]
    _audit("checkpoint", "--out", str(checkpoint))
    with django_capture_on_commit_callbacks(execute=True):
        code, _out, _err = _audit("purge", "--before", (timezone.localdate() - dt.timedelta(days=200)).isoformat(),
                                  "--yes")
    assert code == 0 and not AuditRecord.objects.filter(pk__in=old_ids).exists()
    code, out, _err = _audit("verify", "--checkpoint", str(checkpoint))
    assert code == 0 and "清理记录" in out and "按保存期限删除" in out
    purge = AuditRecord.objects.get(event=Event.PURGE)
    code, out, _err = _audit("verify")  # the checkpoint written after the purge
    assert code == 0 and f"截至记录 #{purge.pk}" in out
    _delete_from(purge.pk)
    code, _out, err = _audit("verify")
    assert code == 1 and f"#{purge.pk}" in err
