"""Upgrading a database whose records were hashed without the actor's id (migration 0007)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from touzi.audit.chain import digest, verify
from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord
from touzi.audit.services import record

BEFORE = ("audit", "0006_alter_auditrecord_event")


@pytest.mark.django_db(transaction=True)
def test_records_written_before_the_upgrade_keep_verifying_and_new_ones_hash_the_actor() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_model = executor.loader.project_state([BEFORE]).apps.get_model("audit", "AuditRecord")
    prev = ""
    for i in range(3):  # as the code before the upgrade wrote them: no hash_version, actor not hashed
        item = old_model(at=timezone.now(), actor_name="cli:ops", source="command", event=Event.UPDATE,
                         object_type="x", object_id=str(i), after={"v": i}, prev_hash=prev)
        item.hash = prev = digest(prev, item)
        item.save()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(AuditRecord.objects.values_list("hash_version", flat=True)) == [1, 1, 1]
    assert next(verify(), None) is None
    with transaction.atomic():
        new = record(Event.UPDATE, object_type="x", object_id="3")
    assert new.hash_version == 2 and new.prev_hash == prev
    assert next(verify(), None) is None
