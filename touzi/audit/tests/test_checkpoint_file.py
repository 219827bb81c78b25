"""Automatic checkpoints: appended after commits to an append-only file and the log, never at a write's expense."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import logging
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from touzi.audit import checkpoint_log
from touzi.audit.checkpoint_log import append, read
from touzi.audit.checkpoints import take
from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord
from touzi.audit.services import record, record_many

pytestmark = pytest.mark.django_db


def _commit(n: int, capture) -> int:
    """Write n records in one transaction and run its after-commit hooks; the newest id."""
    with capture(execute=True), transaction.atomic():
        record_many([{"event": Event.CREATE, "object_type": "y", "object_id": i} for i in range(n)])
    return AuditRecord.objects.order_by("-id").values_list("id", flat=True).first()


def _lines(settings) -> list[dict]:
    path = settings.AUDIT_CHECKPOINT_FILE
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_checkpoint_is_written_every_n_records(settings, django_capture_on_commit_callbacks) -> None:
    settings.AUDIT_CHECKPOINT_RECORDS, settings.AUDIT_CHECKPOINT_MINUTES = 10, 60
    first = _commit(4, django_capture_on_commit_callbacks)  # none yet: the first commit writes one
    _commit(9, django_capture_on_commit_callbacks)  # 9 since
    assert [line["last_id"] for line in _lines(settings)] == [first]
    newest = _commit(1, django_capture_on_commit_callbacks)  # 10 since
    assert [(line["last_id"], line["reason"]) for line in _lines(settings)] == [(first, "time"), (newest, "records")]
    # The second is counted on from the first (not the whole trail again) and still exact.
    assert [line["count"] for line in _lines(settings)] == [4, 14] and AuditRecord.objects.count() == 14


def test_a_checkpoint_older_than_the_interval_is_followed_by_a_new_one(settings,
                                                                        django_capture_on_commit_callbacks) -> None:
    settings.AUDIT_CHECKPOINT_RECORDS, settings.AUDIT_CHECKPOINT_MINUTES = 1000, 60
    _commit(1, django_capture_on_commit_callbacks)
    _commit(1, django_capture_on_commit_callbacks)
    assert len(_lines(settings)) == 1
    later = timezone.now() + dt.timedelta(minutes=61)
    with mock.patch("touzi.audit.checkpoint_log.timezone.now", return_value=later):
        newest = _commit(1, django_capture_on_commit_callbacks)
    assert [(line["last_id"], line["reason"]) for line in _lines(settings)][1:] == [(newest, "time")]


def test_no_automatic_checkpoints_when_both_intervals_are_off(settings, django_capture_on_commit_callbacks) -> None:
    settings.AUDIT_CHECKPOINT_RECORDS, settings.AUDIT_CHECKPOINT_MINUTES = 0, 0
    _commit(5, django_capture_on_commit_callbacks)
    assert not settings.AUDIT_CHECKPOINT_FILE.exists()


def test_checkpoints_another_process_appended_are_taken_into_account(settings,
                                                                     django_capture_on_commit_callbacks) -> None:
    settings.AUDIT_CHECKPOINT_RECORDS, settings.AUDIT_CHECKPOINT_MINUTES = 10, 60
    first = _commit(1, django_capture_on_commit_callbacks)
    # Another worker wrote a newer one meanwhile (simulated: appended behind this process's back).
    other = dataclasses.replace(take("records"), last_id=first + 8)
    with settings.AUDIT_CHECKPOINT_FILE.open("a") as file:
        file.write(other.line())
    _commit(10, django_capture_on_commit_callbacks)  # 10 since this process's own, 2 since the other's
    assert [line["last_id"] for line in _lines(settings)] == [first, first + 8]


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_that_cannot_be_written_never_fails_the_change(settings, tmp_path, caplog) -> None:
    settings.AUDIT_CHECKPOINT_FILE = tmp_path  # a directory: opening it for writing fails
    with caplog.at_level(logging.WARNING, logger="touzi.audit.checkpoint"):
        for i in range(2):
            with transaction.atomic():
                record(Event.UPDATE, object_type="x", object_id=str(i))
    assert AuditRecord.objects.count() == 2
    warnings = [r for r in caplog.records if "审计检查点未能写入" in r.getMessage()]
    assert len(warnings) == 1  # then it waits a minute before trying again, not a warning per write


def test_the_command_appends_a_checkpoint_and_logs_it(settings, caplog) -> None:
    with transaction.atomic():
        item = record(Event.UPDATE, object_type="x", object_id="1")
    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="touzi.audit.checkpoint"):
        call_command("audit", "checkpoint", stdout=out)
    assert f"截至记录 #{item.pk},共 1 条" in out.getvalue()
    (line,) = _lines(settings)
    assert (line["last_id"], line["last_hash"], line["count"], line["reason"]) == (item.pk, item.hash, 1, "command")
    logged = [r.getMessage() for r in caplog.records if r.name == "touzi.audit.checkpoint"]
    assert logged == [f"audit checkpoint {settings.AUDIT_CHECKPOINT_FILE.read_text().strip()}"]


def test_writers_appending_at_once_never_mix_their_lines(settings) -> None:
    """Every append is one write under an exclusive lock: concurrent writers give whole lines only."""
    base = take("command")
    counter = iter(range(1, 10**6))
    lock = threading.Lock()

    def numbered(reason: str, _previous: object = None):
        with lock:
            return dataclasses.replace(base, last_id=next(counter), reason=reason)

    def writer() -> None:
        for _ in range(25):
            append("command")

    with mock.patch("touzi.audit.checkpoint_log.take", side_effect=numbered):
        threads = [threading.Thread(target=writer) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    contents = read(settings.AUDIT_CHECKPOINT_FILE)
    assert contents.problems == [] and not contents.torn_last_line
    assert sorted(c.last_id for c in contents.checkpoints) == list(range(1, 201))


def test_a_torn_line_does_not_swallow_the_next_checkpoint(settings) -> None:
    """A write cut short by a power cut leaves a line without its end: the next one starts on a new line,
    `verify` reports the torn line and still uses the good ones; a file named on the command line is held
    to every line."""
    with transaction.atomic():
        item = record(Event.UPDATE, object_type="x", object_id="1")
    settings.AUDIT_CHECKPOINT_FILE.write_text('{"at":"2026-')
    checkpoint_log.forget()
    append("command")
    contents = read(settings.AUDIT_CHECKPOINT_FILE)
    assert [c.last_id for c in contents.checkpoints] == [item.pk] and len(contents.problems) == 1
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    assert "第 1 行" in out.getvalue() and "相符" in out.getvalue()
    with pytest.raises(SystemExit) as exit_code:
        call_command("audit", "verify", "--checkpoint", str(settings.AUDIT_CHECKPOINT_FILE), stdout=out, stderr=err)
    assert exit_code.value.code == 1 and "第 1 行" in err.getvalue()
