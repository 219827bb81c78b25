"""Audit records are kept at least 180 days; a purge deletes only older ones and the chain still verifies."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from touzi.audit.chain import record_status, verify
from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord
from touzi.audit.services import record

pytestmark = pytest.mark.django_db


def _write(n: int, days_ago: int = 0) -> list[AuditRecord]:
    at = timezone.now() - dt.timedelta(days=days_ago)
    with mock.patch("touzi.audit.services.timezone.now", return_value=at), transaction.atomic():
        return [record(Event.UPDATE, object_type="x", object_id=str(i), after={"v": i}) for i in range(n)]


def _purge(before: dt.date, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "purge", "--before", before.isoformat(), *extra, stdout=out, stderr=err)
    except SystemExit as exit_code:
        return int(exit_code.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_code:
        return int(exit_code.code), err.getvalue()
    return 0, out.getvalue()


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def trail() -> tuple[list[AuditRecord], list[AuditRecord]]:
    """Three records from 400 days ago, then two of today."""
    return _write(3, days_ago=400), _write(2)


def test_records_inside_the_retention_period_are_never_purged(trail) -> None:
    too_recent = timezone.localdate() - dt.timedelta(days=179)
    code, _out, err = _purge(too_recent, "--yes")
    assert code == 1 and "至少保存 180 天" in err and "未删除任何记录" in err
    assert AuditRecord.objects.count() == 5


def test_a_longer_retention_period_is_honoured(trail, settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 500
    code, _out, err = _purge(timezone.localdate() - dt.timedelta(days=300), "--yes")
    assert code == 1 and "500" in err and AuditRecord.objects.count() == 5


def test_without_yes_it_only_says_what_it_would_delete(trail) -> None:
    old, _young = trail
    code, out, _err = _purge(timezone.localdate() - dt.timedelta(days=200))
    assert code == 0 and "3 条" in out and f"#{old[0].pk}" in out and "--yes" in out
    assert AuditRecord.objects.count() == 5


def test_a_purge_deletes_the_old_records_records_itself_and_the_chain_still_verifies(trail) -> None:
    old, young = trail
    code, out, _err = _purge(timezone.localdate() - dt.timedelta(days=200), "--yes")
    assert code == 0 and "3 条" in out
    assert not AuditRecord.objects.filter(pk__in=[r.pk for r in old]).exists()
    purge = AuditRecord.objects.get(event=Event.PURGE)
    assert purge.after["last_id"] == old[-1].pk and purge.after["last_hash"] == old[-1].hash
    assert purge.after["deleted"] == 3 and purge.source == "command" and purge.actor_name.startswith("cli:")
    assert next(verify(), None) is None
    code, text = _verify()
    assert code == 0 and f"清理记录 #{purge.pk}" in text
    status = record_status(AuditRecord.objects.get(pk=young[0].pk))
    assert status.ok and status.anchor_id == purge.pk


def test_after_a_purge_a_changed_record_is_still_named(trail) -> None:
    _old, young = trail
    _purge(timezone.localdate() - dt.timedelta(days=200), "--yes")
    _raw("UPDATE audit_auditrecord SET message = %s WHERE id = %s", ["篡改", young[1].pk])
    code, err = _verify()
    assert code == 1 and f"#{young[1].pk}" in err


def test_after_a_purge_deleting_the_oldest_remaining_record_is_named(trail) -> None:
    _old, young = trail
    _purge(timezone.localdate() - dt.timedelta(days=200), "--yes")
    _raw("DELETE FROM audit_auditrecord WHERE id = %s", [young[0].pk])
    code, err = _verify()
    assert code == 1 and f"#{young[1].pk}" in err


def test_a_forged_anchor_does_not_verify(trail) -> None:
    _old, young = trail
    _purge(timezone.localdate() - dt.timedelta(days=200), "--yes")
    purge = AuditRecord.objects.get(event=Event.PURGE)
    _raw("UPDATE audit_auditrecord SET after = %s WHERE id = %s",
         [json.dumps({"last_hash": young[0].prev_hash, "last_id": 0}), purge.pk])
    code, err = _verify()
    assert code == 1 and f"#{purge.pk}" in err


def test_a_trail_cut_without_a_purge_does_not_verify(trail) -> None:
    old, young = trail
    _raw("DELETE FROM audit_auditrecord WHERE id <= %s", [old[-1].pk])
    code, err = _verify()
    assert code == 1 and f"#{young[0].pk}" in err


def test_a_broken_chain_is_not_purged(trail) -> None:
    old, _young = trail
    _raw("UPDATE audit_auditrecord SET message = %s WHERE id = %s", ["篡改", old[1].pk])
    code, _out, err = _purge(timezone.localdate() - dt.timedelta(days=200), "--yes")
    assert code == 1 and f"#{old[1].pk}" in err and AuditRecord.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_private_delete_path_needs_the_purge_transaction() -> None:
    from touzi.audit.retention import _delete_oldest_through

    with pytest.raises(RuntimeError):
        _delete_oldest_through(10**9)


def test_nothing_but_the_purge_deletes_audit_records() -> None:
    """The one private path is used by purge_before alone; no other module writes DELETE on the trail."""
    root = Path(__file__).resolve().parents[2]
    users = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "_delete_oldest_through" in text or ("DELETE FROM" in text and "audit" in text):
            users.append(path.relative_to(root).as_posix())
    assert users == ["audit/retention.py"]


def test_a_retention_below_180_days_stops_start_up() -> None:
    env = {**os.environ, "TOUZI_AUDIT_RETENTION_DAYS": "90", "DJANGO_SETTINGS_MODULE": "touzi.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "TOUZI_AUDIT_RETENTION_DAYS" in result.stderr
