"""The audit trail as a hash chain: each record carries HMAC(key, previous hash + its own content).

Changing, deleting or inserting a record anywhere breaks the chain from that record on, and
`touzi audit verify` names the first record that does not fit. Records are chained in id order; a
writer holds a lock (SQLite serialises writers itself, PostgreSQL takes a transaction-level advisory
lock) so two transactions never chain onto the same predecessor.

A chain can prove its middle, never its end: deleting the newest records leaves a shorter chain that
still fits. Its end is vouched for by signed checkpoints kept outside the database (checkpoints.py).

Which fields are hashed is versioned per record (`hash_version`): version 1 (records written before
the actor's id was hashed) keeps verifying as written, version 2 also covers `actor_id`. Rewriting
the old records under the new version would have needed the key to re-sign, and so launder, the
whole existing trail; a version per record keeps the original evidence untouched (docs/security.md).
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

FIELDS_V1 = ("at", "actor_name", "source", "ip", "request_id", "event", "object_type", "object_id", "object_repr",
             "subject", "before", "after", "success", "message")
# Version 2 adds the actor's id, and the version itself: a record changed to read as version 1 no longer
# matches its hash. (No check that versions only rise: a worker still on the old code during an upgrade
# writes version 1 records after new ones, and a downgrade is caught by the hash anyway.)
FIELDS = (*FIELDS_V1, "actor_id", "hash_version")
HASH_VERSION = 2


def hashed_fields(version: int) -> tuple[str, ...]:
    return FIELDS if version >= 2 else FIELDS_V1


def _key() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode()


def _version(record: Any) -> int:
    # Historical models of migrations before 0007 have no hash_version: their records are version 1.
    return getattr(record, "hash_version", 1)


def _values(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in hashed_fields(_version(record))}


def canonical(record: Any) -> bytes:
    """The fields that are hashed, in a fixed JSON form (the time to the microsecond, in UTC)."""
    return canonical_values(_values(record))


def canonical_values(values: dict[str, Any]) -> bytes:
    """`canonical` of a record given as a dict of its version's fields (`at` a datetime, or its UTC text)."""
    if isinstance(values["at"], dt.datetime):
        values["at"] = utc_text(values["at"])
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def utc_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def digest(prev_hash: str, record: Any) -> str:
    return digest_values(prev_hash, _values(record))


def digest_values(prev_hash: str, values: dict[str, Any], key: bytes | None = None) -> str:
    """`digest` of a record given as a dict of its version's fields (FIELDS for a new record); pass `key`
    (the chain's key) when hashing many."""
    return hmac.new(key or _key(), prev_hash.encode() + b"|" + canonical_values(values), hashlib.sha256).hexdigest()


def chain_key() -> bytes:
    return _key()


def lock_and_last() -> tuple[int, str]:
    """Serialise audit writers for the rest of the transaction; the chain's last id and hash (0, "" if empty)."""
    from touzi.audit.models import AuditRecord

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
    last = AuditRecord.objects.order_by("-id").values_list("id", "hash").first()
    return last or (0, "")


def lock_and_last_hash() -> str:
    """Serialise audit writers for the rest of the transaction and return the chain's last hash."""
    return lock_and_last()[1]


@dataclass(frozen=True)
class Break:
    record_id: int
    reason: str


def anchor_for(first_prev_hash: str, first_id: int) -> int | None:
    """The purge record that vouches for where the trail now starts (its id), if any.

    `touzi audit purge` deletes the oldest records and then appends a purge record carrying the id
    and hash of the last record it deleted; the first remaining record must link to exactly that
    hash. The purge record is itself in the chain, so it cannot be forged without the key.
    """
    from touzi.audit.choices import Event
    from touzi.audit.models import AuditRecord

    for record_id, after in AuditRecord.objects.filter(event=Event.PURGE, success=True, id__gt=first_id).values_list(
            "id", "after"):
        if isinstance(after, dict) and after.get("last_hash") == first_prev_hash and \
                isinstance(after.get("last_id"), int) and after["last_id"] < first_id:
            return record_id
    return None


def verify(batch: int = 5000) -> Iterator[Break]:
    """Walk the whole chain in id order; yield the first break (and stop).

    The chain starts at "" or, after a purge, at the hash its purge record names.
    """
    from touzi.audit.models import AuditRecord

    expected_prev: str | None = None
    rows = AuditRecord.objects.order_by("id").only("id", "prev_hash", "hash", *FIELDS)
    for record in rows.iterator(chunk_size=batch):
        if expected_prev is None:  # the first record left
            anchored = record.prev_hash == "" or anchor_for(record.prev_hash, record.id) is not None
            expected_prev = record.prev_hash if anchored else ""
        if record.prev_hash != expected_prev:
            yield Break(record.id, "与前一条记录的链接不符(记录被删除、插入或改动)")
            return
        if not hmac.compare_digest(record.hash, digest(record.prev_hash, record)):
            yield Break(record.id, "内容与其哈希不符(记录被改动)")
            return
        expected_prev = record.hash


@dataclass(frozen=True)
class RecordStatus:
    """One record's place in the chain, for its detail page (the whole chain is `touzi audit verify`)."""

    hash_ok: bool  # its content still gives its hash
    link_ok: bool  # it links to the record before it (or to the start or a purge anchor)
    anchor_id: int | None  # the purge record it starts from, when the older records were purged

    @property
    def ok(self) -> bool:
        return self.hash_ok and self.link_ok


def record_status(record: Any) -> RecordStatus:
    from touzi.audit.models import AuditRecord

    hash_ok = hmac.compare_digest(record.hash, digest(record.prev_hash, record))
    previous = AuditRecord.objects.filter(id__lt=record.id).order_by("-id").values_list("hash", flat=True).first()
    if previous is not None:
        return RecordStatus(hash_ok, previous == record.prev_hash, None)
    if record.prev_hash == "":
        return RecordStatus(hash_ok, True, None)
    anchor = anchor_for(record.prev_hash, record.id)
    return RecordStatus(hash_ok, anchor is not None, anchor)
