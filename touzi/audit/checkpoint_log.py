"""Where checkpoints are kept: an append-only file outside the database, and the system log.

`TOUZI_AUDIT_CHECKPOINT_FILE` gets one signed line per checkpoint, and every checkpoint is also logged
(logger `touzi.audit.checkpoint`, INFO) so the journal carries it to the central log host. In production
the file is made append-only (`chattr +a`): the application can add lines but nobody short of root
can rewrite or shorten it, and whoever can only reach the database cannot touch it at all
(docs/deploy.md).

Automatic checkpoints are written after an audit record's transaction commits, when
`TOUZI_AUDIT_CHECKPOINT_RECORDS` records were written since the last one or the last one is older
than `TOUZI_AUDIT_CHECKPOINT_MINUTES` (and hourly by `touzi audit checkpoint` from a timer, for the
quiet hours). Several processes append to the one file: each line is one `write` on an O_APPEND
descriptor under an exclusive `flock`, and is fsynced. A process that finds another writing one
skips its own. Nothing here can fail or slow a business write beyond the occasional checkpoint: it
runs after the commit, outside the chain's lock, and any error is logged as a warning.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from touzi.audit.checkpoints import Checkpoint, CheckpointError, database_label, parse, take

log = logging.getLogger("touzi.audit.checkpoint")

# On a process's first look it reads only this much of the file's end: enough for thousands of
# checkpoints; if its database's newest one is further back, it just writes a new one early.
_TAIL_BYTES = 256 * 1024
_RETRY_SECONDS = 60  # after a failed write, before this process tries again (one warning, not one per write)


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


@dataclass
class _Seen:
    """What this process knows of the file: how far it has read and its database's newest checkpoint."""

    offset: int = -1  # -1: not read yet
    newest: Checkpoint | None = None  # the one reaching furthest
    at: dt.datetime | None = None  # when the latest was taken
    ends_with_newline: bool = True

    @property
    def last_id(self) -> int:
        return self.newest.last_id if self.newest else 0

    def note(self, checkpoint: Checkpoint) -> None:
        if self.newest is None or (checkpoint.last_id, checkpoint.at) >= (self.newest.last_id, self.newest.at):
            self.newest = checkpoint
        self.at = checkpoint.at if self.at is None else max(self.at, checkpoint.at)


@dataclass
class _State:
    seen: dict[tuple[str, str], _Seen] = field(default_factory=dict)  # by (file, database)
    retry_after: float = 0.0


_state = _State()


def _catch_up(fd: int, seen: _Seen, db: str) -> None:
    """Read the lines appended since this process last looked (other processes' checkpoints)."""
    size = os.fstat(fd).st_size
    if seen.offset < 0 or size < seen.offset:  # first look, or the file was replaced
        seen.offset = max(0, size - _TAIL_BYTES)
        skip_partial = seen.offset > 0
    else:
        skip_partial = False
    chunk = os.pread(fd, size - seen.offset, seen.offset) if size > seen.offset else b""
    complete = chunk[:chunk.rfind(b"\n") + 1]
    lines = complete.split(b"\n")[:-1]
    if skip_partial and lines:
        lines = lines[1:]  # started mid-line
    for raw in lines:
        try:
            checkpoint = parse(raw.decode("utf-8", "replace"))
        except CheckpointError:
            continue  # not ours to judge here: `touzi audit verify` reports bad lines
        if checkpoint.db == db:
            seen.note(checkpoint)
    seen.offset += len(complete)
    seen.ends_with_newline = size == 0 or os.pread(fd, 1, size - 1) == b"\n"


def _due(seen: _Seen, newest_id: int, now: dt.datetime) -> str | None:
    every, minutes = settings.AUDIT_CHECKPOINT_RECORDS, settings.AUDIT_CHECKPOINT_MINUTES
    if every and newest_id - seen.last_id >= every:
        return "records"
    if minutes and (seen.at is None or now - seen.at >= dt.timedelta(minutes=minutes)):
        return "time"
    return None


def append(reason: str, *, newest_id: int | None = None) -> Checkpoint | None:
    """Take a checkpoint and append it to the file (and the log).

    With `newest_id` (automatic) only when one is due and no other process is writing one right now;
    without it (`touzi audit checkpoint`), always, waiting for the file's lock.
    """
    path, db = checkpoint_file(), database_label()
    seen = _state.seen.setdefault((str(path), db), _Seen())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if newest_id is not None else 0))
        except BlockingIOError:
            return None  # another process is writing a checkpoint this very moment
        _catch_up(fd, seen, db)
        if newest_id is not None:
            due = _due(seen, newest_id, timezone.now())
            if due is None:
                return None
            reason = due
        # Automatic ones count on from the previous checkpoint: a full count would hold up the request.
        checkpoint = take(reason, seen.newest if newest_id is not None else None)
        line = checkpoint.line()
        # A line torn by a crash would swallow the next one: start on a fresh line.
        data = (b"" if seen.ends_with_newline else b"\n") + line.encode()
        if os.write(fd, data) != len(data):
            raise OSError(f"short write to {path}")
        os.fsync(fd)
        seen.offset = os.fstat(fd).st_size
        seen.ends_with_newline = True
        seen.note(checkpoint)
    finally:
        os.close(fd)  # releases the lock
    log.info("audit checkpoint %s", line.strip())
    return checkpoint


def write_to(path: Path, reason: str) -> Checkpoint:
    """Take a checkpoint and write it alone to `path` (`touzi audit checkpoint --out FILE`), and log it."""
    checkpoint = take(reason)
    line = checkpoint.line()
    data = line.encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o640)
    try:
        if os.write(fd, data) != len(data):
            raise OSError(f"short write to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)
    log.info("audit checkpoint %s", line.strip())
    return checkpoint


def after_commit(newest_id: int, *, reason: str = "records", force: bool = False) -> None:
    """Called once an audit record's transaction has committed; writes a checkpoint when one is due
    (with `force`, unless this process has one reaching `newest_id` already).

    Cheap when none is due (no query, no file access once this process has read the file). Never
    raises: the change is committed, and a checkpoint that cannot be written is a warning for the
    operator, not an error for the user.
    """
    if not (settings.AUDIT_CHECKPOINT_RECORDS or settings.AUDIT_CHECKPOINT_MINUTES):
        return  # automatic checkpoints are off (both settings 0): the file is written by the command only
    seen = _state.seen.get((str(checkpoint_file()), database_label()))
    if seen is not None and seen.offset >= 0:
        if force and seen.last_id >= newest_id:
            return  # this process has just written one that covers it
        if not force and _due(seen, newest_id, timezone.now()) is None:
            return
    if time.monotonic() < _state.retry_after:
        return
    try:
        if force:
            append(reason)
        else:
            append(reason, newest_id=newest_id)
    except Exception as exc:  # any failure here must stay a warning (see the docstring)
        _state.retry_after = time.monotonic() + _RETRY_SECONDS
        log.warning("审计检查点未能写入 %s(业务操作不受影响,%s 秒后再试):%s",
                    checkpoint_file(), _RETRY_SECONDS, exc, exc_info=True)


@dataclass(frozen=True)
class FileContents:
    checkpoints: list[Checkpoint]
    problems: list[str]  # lines that are not valid checkpoints, by line number
    torn_last_line: bool  # the last line has no newline: a write cut short by a crash


def read(path: Path) -> FileContents:
    """Every checkpoint in a file (the automatic file, a `--out` file, or lines copied from the log:
    each line's checkpoint starts at its first "{"). Raises OSError when the file cannot be read."""
    text = path.read_bytes().decode("utf-8", "replace")
    checkpoints, problems, torn = [], [], False
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        start = line.find("{")
        try:
            if start < 0:
                raise CheckpointError("不是检查点")
            checkpoints.append(parse(line[start:]))
        except CheckpointError as exc:
            if number == len(lines):  # no newline after it: cut short by a crash, not tampered with
                torn = True
            else:
                problems.append(f"第 {number} 行:{exc.message}")
    return FileContents(checkpoints, problems, torn)


def forget() -> None:
    """Forget what this process has read of checkpoint files (tests switch files and databases)."""
    _state.seen.clear()
    _state.retry_after = 0.0
