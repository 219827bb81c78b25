"""The audit trail as a hash chain: each record carries HMAC(key, previous hash + its own content).

Changing, deleting or inserting a record anywhere breaks the chain from that record on, and
`touzi audit verify` names the first record that does not fit. Records are chained in id order; a
writer holds a lock (SQLite serialises writers itself, PostgreSQL takes a transaction-level advisory
lock) so two transactions never chain onto the same predecessor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

LOCK_ID = 7_117_2021  # any constant shared by every writer of the audit trail

FIELDS = ("at", "actor_name", "source", "ip", "request_id", "event", "object_type", "object_id", "object_repr",
          "subject", "before", "after", "success", "message")


def _key() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode()


def canonical(record: Any) -> bytes:
    """The fields that are hashed, in a fixed JSON form (the time to the microsecond, in UTC)."""
    values = {name: getattr(record, name) for name in FIELDS}
    values["at"] = values["at"].astimezone(dt.UTC).isoformat(timespec="microseconds")
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def digest(prev_hash: str, record: Any) -> str:
    return hmac.new(_key(), prev_hash.encode() + b"|" + canonical(record), hashlib.sha256).hexdigest()


def lock_and_last_hash() -> str:
    """Serialise audit writers for the rest of the transaction and return the chain's last hash."""
    from touzi.audit.models import AuditRecord

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
    last = AuditRecord.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or ""


@dataclass(frozen=True)
class Break:
    record_id: int
    reason: str


def verify(batch: int = 5000) -> Iterator[Break]:
    """Walk the whole chain in id order; yield the first break (and stop)."""
    from touzi.audit.models import AuditRecord

    expected_prev = ""
    rows = AuditRecord.objects.order_by("id").only("id", "prev_hash", "hash", *FIELDS)
    for record in rows.iterator(chunk_size=batch):
        if record.prev_hash != expected_prev:
            yield Break(record.id, "与前一条记录的链接不符(记录被删除、插入或改动)")
            return
        if not hmac.compare_digest(record.hash, digest(record.prev_hash, record)):
            yield Break(record.id, "内容与其哈希不符(记录被改动)")
            return
        expected_prev = record.hash
