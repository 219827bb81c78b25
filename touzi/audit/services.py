"""Writing audit records. Every service that changes state calls `record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from touzi.audit.chain import HASH_VERSION, chain_key, digest, digest_values, lock_and_last, utc_text
from touzi.audit.checkpoint_log import after_commit
from touzi.audit.context import current
from touzi.audit.models import AuditRecord
from touzi.core.actor import Actor, System
from touzi.lib.bulk import db_value, insert_rows

if TYPE_CHECKING:
    from touzi.accounts.models import User

_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Make a snapshot value JSON-safe without losing exactness (Decimals become strings)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 500.0000 and 500 are the same figure
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of an instance, as stored (foreign keys by id)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: jsonable(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict, dict]:
    """Only the keys that changed, so an audit record shows what moved."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    changed = [k for k in keys if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed if k in before}, {k: after.get(k) for k in changed if k in after}


def who(actor: Actor | None) -> tuple[User | None, str]:
    """The account and the actor_name a record keeps.

    A user is their username. The platform (System) is "system:<reason>", after the person who ran the
    command when there is one ("cli:root|system:command: plan load"): which path acted is in the record.
    None is for the events no one is known for (a failed sign-in names the username tried itself).
    """
    ctx = current()
    if isinstance(actor, System):
        label = str(actor)
        return None, (f"{ctx.actor_name}|{label}" if ctx.actor_name else label)[:150]
    if actor is not None and getattr(actor, "pk", None):
        return actor, actor.get_username()
    return None, ctx.actor_name


def record(
    event: str,
    *,
    actor: Actor | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    success: bool = True,
    message: str = "",
    actor_name: str = "",
    subject: str = "",
) -> AuditRecord:
    """Write one audit record in the caller's transaction.

    A successful change must be recorded in the same transaction as the change
    itself, so that one never exists without the other.
    """
    if success and not connection.in_atomic_block:
        raise RuntimeError("record() of a change must run inside the change's transaction")
    ctx = current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    user, name = who(actor)
    item = AuditRecord(
        actor=user,
        actor_name=actor_name or name,
        source=ctx.source,
        ip=ctx.ip,
        request_id=ctx.request_id,
        event=event,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:255],
        subject=subject,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        success=success,
        message=message,
    )
    return _chain_and_save([item])[0]


def _normal_ip(ip: str | None) -> str | None:
    """The address as the database will keep it, so the hash matches what is read back."""
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def _chain_and_save(items: list[AuditRecord]) -> list[AuditRecord]:
    """Stamp, chain and insert records in order (inside the caller's transaction)."""
    now = timezone.now()
    # A failed sign-in may be recorded outside a transaction: this one then holds the chain's lock from
    # reading the last hash to the insert (no savepoint inside the caller's transaction: nothing to undo).
    with transaction.atomic(savepoint=False):
        last_id, prev = lock_and_last()
        for item in items:
            item.at = now
            item.ip = _normal_ip(item.ip)
            item.hash_version = HASH_VERSION
            item.prev_hash = prev
            item.hash = prev = digest(prev, item)
        if len(items) == 1:
            items[0].save(force_insert=True)
        else:
            items = AuditRecord.objects.bulk_create(items, batch_size=2000)
        _checkpoint_after_commit(last_id + len(items))
    return items


def _checkpoint_after_commit(newest_id: int) -> None:
    """Maybe write a checkpoint of the chain's end once the transaction is committed (checkpoints.py).

    `newest_id` is about the id of the newest record (ids may skip): enough to tell when the next
    checkpoint is due without a query. robust: a failing checkpoint never undoes or fails the change.
    """
    transaction.on_commit(lambda: after_commit(newest_id), robust=True)


def record_many(records: Iterable[dict[str, Any]], *, actor: Actor | None = None) -> int:
    """Write many audit records (imports): the same fields and chain as `record`, in the same transaction.

    Inserted as rows, not model instances (an import writes tens of thousands), in batches as
    `records` is consumed (it may be a generator); each row is hashed from exactly the values stored,
    as `record` does.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("record_many() must run inside the change's transaction")
    ctx = current()
    user, name = who(actor)
    now = timezone.now()
    ip = _normal_ip(ctx.ip)
    last_id, prev = lock_and_last()
    at, ip_value = db_value(AuditRecord, "at", now), db_value(AuditRecord, "ip", ip)
    at_text, key, actor_id = utc_text(now), chain_key(), user.pk if user else None
    rows: list[tuple[Any, ...]] = []
    count = 0
    for item in records:
        values = {"at": at_text, "actor_name": name, "source": ctx.source, "ip": ip, "request_id": ctx.request_id,
                  "event": item["event"], "object_type": item.get("object_type", ""),
                  "object_id": str(item.get("object_id", "")), "object_repr": str(item.get("object_repr", ""))[:255],
                  "subject": item.get("subject", ""), "before": jsonable(item.get("before")),
                  "after": jsonable(item.get("after")), "success": True, "message": item.get("message", ""),
                  "actor_id": actor_id, "hash_version": HASH_VERSION}
        hashed = digest_values(prev, values, key)
        rows.append((at, actor_id, name, ctx.source, ip_value, ctx.request_id, values["event"], values["object_type"],
                     values["object_id"], values["object_repr"], values["subject"],
                     db_value(AuditRecord, "before", values["before"]), db_value(AuditRecord, "after", values["after"]),
                     True, values["message"], prev, hashed, HASH_VERSION))
        prev = hashed
        if len(rows) >= _BATCH:
            count += insert_rows(AuditRecord, _COLUMNS, rows)
            rows = []
    count += insert_rows(AuditRecord, _COLUMNS, rows) if rows else 0
    if count:
        _checkpoint_after_commit(last_id + count)
    return count


_BATCH = 5000


def content_sha256(rows: Sequence[Sequence[Any]]) -> str:
    """SHA-256 over rows of plain JSON values (the first a row's key, then its content, Decimals as `jsonable`
    writes them), in a canonical form: a JSON array of arrays in the order given, no spaces, UTF-8. Anyone
    holding the rows (the ledger, the imported file) recomputes it without the chain's key."""
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


BATCH_SUBJECT = "batch"  # the subject of every batch record (indexed): what `batch_with_key` searches among


def record_batch(event: str, *, actor: Actor | None, object_type: str, rows: Sequence[Sequence[Any]],
                 object_repr: str = "", message: str = "") -> AuditRecord:
    """One audit record for many rows written together (a bulk import): their keys (each row's first value)
    and a SHA-256 of the rows (`content_sha256`), chained like every record (`record`) in the caller's
    transaction; its subject is BATCH_SUBJECT.

    For writes of thousands of rows, where a record per row would cost more than the write itself; which
    batch wrote a row is found by its key (`batch_with_key`). See docs/security.md.
    """
    return record(event, actor=actor, object_type=object_type, object_repr=object_repr, subject=BATCH_SUBJECT,
                  after={"rows": len(rows), "keys": [str(row[0]) for row in rows], "sha256": content_sha256(rows)},
                  message=message)


def batch_with_key(key: str) -> models.Q:
    """A filter for the batch records (`record_batch`) that list `key` — or, for a key ending in ":", any key
    starting with it ("42:" for project 42's reports). A text search of their `after`, among the batch records
    only (the indexed subject), never the whole trail."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    text = f'"{key}' if key.endswith(":") else f'"{key}"'
    ids = AuditRecord.objects.filter(subject=BATCH_SUBJECT).annotate(
        after_text=Cast("after", output_field=TextField())).filter(after_text__contains=text).values("id")
    return models.Q(id__in=ids)


_COLUMNS = ("at", "actor", "actor_name", "source", "ip", "request_id", "event", "object_type", "object_id",
            "object_repr", "subject", "before", "after", "success", "message", "prev_hash", "hash", "hash_version")

