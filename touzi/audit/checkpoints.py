"""Signed checkpoints of the audit chain's end: what `touzi audit verify` needs to see a cut-off tail.

The hash chain proves its middle only: deleting the newest records (or all of them) leaves a shorter
chain that still fits. A checkpoint says how far the chain went at one moment — the newest record's id
and hash, how many records there were and the oldest id — signed with the audit key, and is kept
where whoever can write the database cannot rewrite it (checkpoint_log.py: an append-only file and
the system log). A later `verify` demands of every checkpoint that the record it names is still there
with that hash (or was purged); since that hash commits to every record before it, the whole prefix
is vouched for.

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
from collections.abc import Sequence
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


def take(reason: str, previous: Checkpoint | None = None) -> Checkpoint:
    """The chain's end as committed now.

    One statement, so the newest record, the count up to it and the oldest id come from one snapshot
    even while others write or a purge runs; no lock, so writers are never held up by a checkpoint.
    Counting a trail of millions takes a noticeable fraction of a second, too long for the request
    whose commit triggers an automatic checkpoint: given the `previous` checkpoint (automatic ones
    are), only the records since it are counted, and its count added — when no purge has moved the
    trail's start since. Ids rise in commit order (every writer holds the chain's lock), so nothing
    can turn up later below the previous checkpoint. If the tail was cut since, this count exceeds
    what is there, and `verify` says so.
    """
    table = connection.ops.quote_name(AuditRecord._meta.db_table)  # from the model, not from input
    since = previous.last_id if previous is not None and previous.first_id is not None else 0
    sql = (f"SELECT h.id, h.hash, (SELECT COUNT(*) FROM {table} c WHERE c.id > %s AND c.id <= h.id), "
           f"(SELECT MIN(m.id) FROM {table} m) FROM {table} h ORDER BY h.id DESC LIMIT 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [since])
        row = cursor.fetchone()
        if row and since and previous is not None and row[3] != previous.first_id:  # a purge moved the start: count it all
            since = 0
            cursor.execute(sql, [since])
            row = cursor.fetchone()
    last_id, last_hash, count, first_id = row if row else (0, "", 0, None)
    if since and previous is not None:
        count += previous.count
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


def check_all(checkpoints: Sequence[Checkpoint]) -> Finding:
    """Hold the trail against every checkpoint given (one database's).

    Not the newest alone: after a cut, the application goes on writing onto the shortened trail and
    the next checkpoint vouches for that; only the checkpoints taken before the cut can see it. Each
    one's newest record must still be there with its hash, or have been purged. The finding names the
    failing checkpoint that reaches furthest (the widest gap); with none failing, the newest is held
    to its count as well.
    """
    unique = sorted({(c.last_id, c.last_hash): c for c in checkpoints if c.last_id}.values(),
                    key=lambda c: (c.last_id, c.at))
    if not unique:
        return check(max(checkpoints, key=lambda c: c.at))
    hashes: dict[int, str] = {}
    ids = sorted({c.last_id for c in unique})
    for start in range(0, len(ids), 500):
        hashes.update(AuditRecord.objects.filter(id__in=ids[start:start + 500]).values_list("id", "hash"))
    purges = _purges()
    failing = [c for c in unique if not _vouched(c, hashes.get(c.last_id), purges)]
    if failing:
        finding = check(failing[-1])
        more = f"(另有 {len(failing) - 1} 个更早的检查点也不符)" if len(failing) > 1 else ""
        return Finding(False, finding.message + more)
    finding = check(unique[-1])
    if finding.ok and len(unique) > 1:
        return Finding(True, f"{finding.message}(共核对 {len(unique)} 个检查点)")
    return finding


def _vouched(checkpoint: Checkpoint, last_hash: str | None, purges: list[tuple[int, int, str]]) -> bool:
    if last_hash is not None:
        return hmac.compare_digest(last_hash, checkpoint.last_hash)
    purge = _covering_purge(checkpoint.last_id, purges)
    return purge is not None and (purge[1] != checkpoint.last_id or hmac.compare_digest(purge[2], checkpoint.last_hash))


def check(checkpoint: Checkpoint) -> Finding:
    """Are the records one checkpoint vouches for still there, as they were?

    Run after the chain itself verified: then the checkpoint's newest record still having its hash
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
    purge = _covering_purge(checkpoint.last_id, _purges())
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


def _purges() -> list[tuple[int, int, str]]:
    """Every successful purge record: (its id, the last id it deleted, that record's hash), oldest first."""
    found = []
    for purge_id, after in (AuditRecord.objects.filter(event=Event.PURGE, success=True)
                            .order_by("id").values_list("id", "after")):
        if isinstance(after, dict) and isinstance(after.get("last_id"), int):
            found.append((purge_id, after["last_id"], str(after.get("last_hash", ""))))
    return found


def _covering_purge(last_id: int, purges: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    """The first purge whose deletion reached `last_id` (written after that record, so with a higher id)."""
    return next((p for p in purges if p[0] > last_id and p[1] >= last_id), None)
