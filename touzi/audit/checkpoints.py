"""Signed checkpoints of the audit chain's end: what `touzi audit verify` needs to see a cut-off tail.

The hash chain proves its middle only: deleting the newest records (or all of them) leaves a shorter
chain that still fits. A checkpoint says how far the chain went at one moment — the newest record's id
and hash, how many records there were and the oldest id — signed with the audit key, and is kept
where whoever can write the database cannot rewrite it (checkpoint_log.py: an append-only file and
the system log). A later `verify` demands that the record the checkpoint names is still there with
that hash; since that hash commits to every record before it, the whole prefix is vouched for.

One checkpoint is one JSON object on one line:

    {"at": "2026-11-27T12:00:00.000000+00:00", "count": 1500, "db": "postgresql:touzi", "first_id": 1,
     "key_id": "3f0c…", "last_hash": "ab12…", "last_id": 1500, "reason": "records", "v": 1, "sig": "…"}

`sig` is HMAC-SHA256(audit key, "touzi-audit-checkpoint|" + the other fields as sorted, compact
JSON); the prefix keeps a checkpoint's signature from ever passing for a record's hash. `db` names
the database (vendor and name) so checkpoints of a benchmark or a restore drill sharing the file are
not taken for the production database's; `key_id` tells a checkpoint signed with another key from
a tampered one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min
from django.utils import timezone

from touzi.audit.chain import chain_key, utc_text
from touzi.audit.choices import Event
from touzi.audit.models import AuditRecord

FORMAT_VERSION = 1
_SIG_CONTEXT = b"touzi-audit-checkpoint|"
_KEYS = ("at", "count", "db", "first_id", "key_id", "last_hash", "last_id", "reason", "v")


class CheckpointError(Exception):
    """A checkpoint that cannot be used (not one, or not signed with this installation's audit key)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checkpoint:
    db: str
    last_id: int  # 0: the trail was empty
    last_hash: str
    count: int  # records with id ≤ last_id at that moment
    first_id: int | None  # the oldest record then (records before it had been purged)
    at: dt.datetime
    reason: str  # records, time, command, purge
    key_id: str

    def fields(self) -> dict[str, Any]:
        return {"at": utc_text(self.at), "count": self.count, "db": self.db, "first_id": self.first_id,
                "key_id": self.key_id, "last_hash": self.last_hash, "last_id": self.last_id,
                "reason": self.reason, "v": FORMAT_VERSION}

    def line(self) -> str:
        """The signed checkpoint as one line of JSON, newline included."""
        fields = self.fields()
        return json.dumps({**fields, "sig": _sign(fields)}, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")) + "\n"

    def describe(self) -> str:
        at = timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M:%S")
        if not self.last_id:
            return f"检查点({at},审计记录为空)"
        return f"检查点({at},截至记录 #{self.last_id},共 {self.count} 条)"


def key_id(key: bytes | None = None) -> str:
    """A short fingerprint of the audit key (it reveals nothing usable of the key)."""
    return hashlib.sha256(b"touzi-audit-key-id|" + (key or chain_key())).hexdigest()[:12]


def database_label() -> str:
    """The database a checkpoint belongs to, from this installation's settings (not from the database,
    whose writer could otherwise make the checkpoints of its real trail look foreign)."""
    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def _sign(fields: dict[str, Any]) -> str:
    body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(chain_key(), _SIG_CONTEXT + body, hashlib.sha256).hexdigest()


def take(reason: str) -> Checkpoint:
    """The chain's end as committed now.

    One statement, so the newest record, the count up to it and the oldest id come from one snapshot
    even while others write or a purge runs; no lock, so writers are never held up by a checkpoint.
    """
    quote = connection.ops.quote_name
    table = quote(AuditRecord._meta.db_table)
    sql = (f"SELECT h.id, h.hash, (SELECT COUNT(*) FROM {table} c WHERE c.id <= h.id), "
           f"(SELECT MIN(m.id) FROM {table} m) FROM {table} h ORDER BY h.id DESC LIMIT 1")
    with connection.cursor() as cursor:
        cursor.execute(sql)  # the table name comes from the model
        row = cursor.fetchone()
    last_id, last_hash, count, first_id = row if row else (0, "", 0, None)
    return Checkpoint(database_label(), last_id, last_hash, count, first_id, timezone.now(), reason, key_id())


def parse(text: str) -> Checkpoint:
    """A checkpoint from its JSON; refused unless its signature is this installation's."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CheckpointError(f"不是检查点(JSON 无法解析:{exc})") from exc
    if not isinstance(data, dict) or set(data) != {*_KEYS, "sig"} or data["v"] != FORMAT_VERSION:
        raise CheckpointError("不是本系统的检查点(字段不符)")
    fields = {name: data[name] for name in _KEYS}
    if not isinstance(data["sig"], str) or not hmac.compare_digest(data["sig"], _sign(fields)):
        if data["key_id"] != key_id():
            raise CheckpointError(f"签名不符:检查点用的是另一把审计密钥(密钥指纹 {data['key_id']},"
                                  f"本系统为 {key_id()})")
        raise CheckpointError("签名不符:检查点被改动过")
    try:
        return Checkpoint(str(fields["db"]), int(fields["last_id"]), str(fields["last_hash"]), int(fields["count"]),
                          None if fields["first_id"] is None else int(fields["first_id"]),
                          dt.datetime.fromisoformat(fields["at"]), str(fields["reason"]), str(fields["key_id"]))
    except (TypeError, ValueError) as exc:  # signed but malformed: only a bug of ours could write it
        raise CheckpointError(f"检查点的字段无法读取:{exc}") from exc


@dataclass(frozen=True)
class Finding:
    ok: bool
    message: str


def check(checkpoint: Checkpoint) -> Finding:
    """Are the records the checkpoint vouches for still there, as they were?

    Run after the chain itself verified: then the newest vouched-for record still having its hash
    proves every record before it. That record being gone is allowed only when a purge record (part
    of the verified chain) says the retention purge deleted it; otherwise the tail was cut off.
    """
    if not checkpoint.last_id:
        return Finding(True, f"与{checkpoint.describe()}相符")
    name = checkpoint.describe()
    last_hash = AuditRecord.objects.filter(id=checkpoint.last_id).values_list("hash", flat=True).first()
    present = AuditRecord.objects.filter(id__lte=checkpoint.last_id).aggregate(
        n=Count("id"), first=Min("id"), last=Max("id"))
    # No purge since the checkpoint (the oldest record is the same): the count must match exactly.
    same_start = present["first"] == checkpoint.first_id
    if last_hash is not None:
        if not hmac.compare_digest(last_hash, checkpoint.last_hash):
            return Finding(False, f"记录 #{checkpoint.last_id} 与{name}所记的哈希不符:"
                                  "审计记录被改写,或数据库已不是检查点时的那一个")
        if same_start and present["n"] != checkpoint.count:
            return Finding(False, f"截至记录 #{checkpoint.last_id} 的审计记录数与{name}不符:"
                                  f"检查点记有 {checkpoint.count} 条,现存 {present['n']} 条")
        return Finding(True, f"与{name}相符")
    purge = _covering_purge(checkpoint.last_id)
    if purge is not None:
        purge_id, purged_through, purged_hash = purge
        if purged_through == checkpoint.last_id and not hmac.compare_digest(purged_hash, checkpoint.last_hash):
            return Finding(False, f"清理记录 #{purge_id} 所载的哈希与{name}不符")
        return Finding(True, f"{name}所记的记录已由清理记录 #{purge_id} 按保存期限删除")
    first_missing = (present["last"] + 1) if present["last"] else (checkpoint.first_id or 1)
    gap = f"#{first_missing}" if first_missing == checkpoint.last_id else f"#{first_missing}—#{checkpoint.last_id}"
    lost = ""
    if same_start or not present["n"]:
        lost = f"(检查点记有 {checkpoint.count} 条,现存 {present['n']} 条,少了 {checkpoint.count - present['n']} 条)"
    return Finding(False, f"审计记录末尾被删除:{name}之后,记录 {gap} 已不在数据库中{lost};"
                          f"该检查点保证存在的最后一条记录是 #{checkpoint.last_id}")


def _covering_purge(last_id: int) -> tuple[int, int, str] | None:
    """The purge record (id, last id it deleted, that record's hash) whose deletion reached `last_id`."""
    purges = AuditRecord.objects.filter(event=Event.PURGE, success=True, id__gt=last_id).values_list("id", "after")
    for purge_id, after in purges.order_by("id"):
        if isinstance(after, dict) and isinstance(after.get("last_id"), int) and after["last_id"] >= last_id:
            return purge_id, after["last_id"], str(after.get("last_hash", ""))
    return None
