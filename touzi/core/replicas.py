"""Reads on PostgreSQL replicas: a database router and the middleware that decides, per request, where reads go.

Configured by DATABASE_REPLICA_URLS (settings: aliases `replica1` … in DATABASES, listed in
DATABASE_REPLICAS); with none configured neither the router nor the middleware is installed and every
query goes to `default` as before. The rules (docs/scaling.md "Reads on a replica"):

- Only the reads of a **read-only request** (GET, HEAD, OPTIONS) may go to a replica: the pages, lists,
  dashboards, exports and the public portal. Writes, and every read of a POST, go to the primary; so do the
  reads of background jobs and commands (a job reads the rows its request has just written).
- A read **inside a transaction** on the primary stays on the primary (services check and write in one
  transaction; the audit chain reads its last record there).
- A request that **wrote** reads from the primary for the rest of the request.
- **Read your writes across requests by LSN**: a request that wrote answers with the primary's WAL position
  (`pg_current_wal_lsn()`, after its commit) in the `touzi_lsn` cookie; the writer's next requests read from a
  replica only once it has replayed that far (`pg_last_wal_replay_lsn()`, checked once per request), and
  from the primary until then. The redirect after a POST therefore never shows the page without the write,
  however far the replica lags, and reads go back to the replica as soon as it has caught up.
- Sessions, sign-in lockouts and one-time-password devices are always read from the primary (they are read
  on every request and written by the previous one).
- A replica that cannot be reached is **logged and left alone** for TOUZI_DB_REPLICA_BACKOFF_SECONDS (per
  process): its reads go to another replica or to the primary, and no request waits on it in between.
"""

from __future__ import annotations

import contextvars
import logging
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse

logger = logging.getLogger("touzi.replicas")

COOKIE = "touzi_lsn"
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read on every request and written by the previous one: always from the primary, and their writes do not
# pin the request (a session touched on every page would otherwise keep every page off the replicas).
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "otp_totp", "otp_static", "django_otp"})
# Writes that log a read (an export's audit record, a token's last use): the writer's next requests wait for
# them like any write (the cookie), but the request that wrote them goes on reading where it was.
LOG_TABLES = frozenset({"audit_auditrecord", "accounts_apitoken"})
PRIMARY_ONLY_TABLE_PREFIXES = ("django_session", "axes_", "otp_", "django_otp")

# alias → time.monotonic() until which it is not tried (this process).
_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@dataclass
class ReadState:
    """Where this request's reads go; lives in a context variable for the request's duration."""

    read_only: bool
    after_lsn: str = ""  # the writer's last write (its cookie): a replica must have replayed it
    wrote: bool = False  # pinned to the primary for the rest of the request
    logged: bool = False  # wrote only log records (the cookie is still set)
    chosen: str | None = None
    decided: bool = False
    caught_up: bool = False
    tried: list[str] = field(default_factory=list)

    def replica(self) -> str | None:
        """The replica this request reads from, chosen and checked once (None: the primary)."""
        if not self.decided:
            self.decided = True
            self.chosen = choose_replica(self)
        return self.chosen


_state: contextvars.ContextVar[ReadState | None] = contextvars.ContextVar("touzi_read_state", default=None)


def current() -> ReadState | None:
    return _state.get()


def probe(alias: str, after_lsn: str) -> bool:
    """Whether `alias` answers and has replayed the WAL up to `after_lsn` (raises DatabaseError when down)."""
    with connections[alias].cursor() as cursor:
        if after_lsn:
            cursor.execute("SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                           [after_lsn])
        else:
            cursor.execute("SELECT true")
        row = cursor.fetchone()
    return bool(row and row[0])


def choose_replica(state: ReadState) -> str | None:
    aliases = replica_aliases()
    start = random.randrange(len(aliases)) if aliases else 0
    now = time.monotonic()
    for alias in aliases[start:] + aliases[:start]:
        if _down_until.get(alias, 0.0) > now:
            continue
        state.tried.append(alias)
        try:
            caught_up = probe(alias, state.after_lsn)
        except DatabaseError as exc:
            backoff = settings.DATABASE_REPLICA_BACKOFF_SECONDS
            _down_until[alias] = time.monotonic() + backoff
            logger.warning("replica %s cannot be reached (%s); its reads go to the primary for %s s",
                           alias, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                           backoff)
            try:
                connections[alias].close()
            except DatabaseError:
                pass
            continue
        if caught_up:
            state.caught_up = True
            return alias
        logger.info("replica %s has not replayed %s yet; this request reads from the primary", alias,
                    state.after_lsn)
    return None


def forget_failures() -> None:
    """Try every replica again at once (tests, and `touzi check` after a replica came back)."""
    _down_until.clear()


class ReplicaRouter:
    """Django database router: reads of read-only requests to a replica, everything else to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        state = _state.get()
        if state is None or not state.read_only or state.wrote:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return state.replica()

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        # Not a sign of a write: Django also asks this when a related object is assigned to an unsaved
        # instance. The writes themselves are seen as they are sent (_watch_writes).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        same_data = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db in replica_aliases() else None


_WRITE = re.compile(
    r"""^\s*(?:WITH\b.*?\)\s*)?(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|COPY|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)""",
    re.IGNORECASE | re.DOTALL)


def classify(sql: str) -> str:
    """'write', 'log' (LOG_TABLES), or '' (a read, a transaction statement, a session's or lockout's write)."""
    match = _WRITE.match(sql)
    if match is None:
        return ""
    table = match.group(1).lower()
    if table.startswith(PRIMARY_ONLY_TABLE_PREFIXES):
        return ""
    return "log" if table in LOG_TABLES else "write"


def _watch_writes(state: ReadState) -> Callable[..., Any]:
    """An execute wrapper on the primary's connection: marks the request as having written."""

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        kind = classify(sql) if isinstance(sql, str) else "write"
        if kind == "write":
            state.wrote = True
        elif kind == "log":
            state.logged = True
        return execute(sql, params, many, context)

    return wrapper


def primary_lsn() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def _within(state: ReadState, chunks: Iterable[Any]) -> Iterator[Any]:
    """A streamed body (an export) reads as its request does: the rows are fetched while it is sent."""
    iterator = iter(chunks)
    while True:
        token = _state.set(state)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _state.reset(token)
        yield chunk


class ReplicaReadsMiddleware:
    """Marks the request read-only or not, and keeps the writer's LSN cookie (first in MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replica_aliases():
            return self.get_response(request)
        lsn = request.COOKIES.get(COOKIE, "")
        state = ReadState(read_only=request.method in READ_ONLY_METHODS, after_lsn=_valid_lsn(lsn))
        token = _state.set(state)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_watch_writes(state)):
                response = self.get_response(request)
        finally:
            _state.reset(token)
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            response.streaming_content = _within(state, cast(Iterator[bytes], response.streaming_content))
        if state.wrote or state.logged or not state.read_only:
            try:
                written = primary_lsn()
            except DatabaseError:  # the primary is gone: the response says so by itself
                written = ""

            if written and written != lsn:
                response.set_cookie(COOKIE, written, max_age=settings.DATABASE_REPLICA_COOKIE_SECONDS,
                                    httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        elif lsn and state.caught_up:
            response.delete_cookie(COOKIE, samesite="Lax")
        return response


def _valid_lsn(value: str) -> str:
    """An LSN is two hexadecimal numbers joined by '/'; anything else in the cookie is ignored."""
    high, sep, low = value.partition("/")
    if sep and 0 < len(high) <= 8 and 0 < len(low) <= 8:
        try:
            int(high, 16), int(low, 16)
        except ValueError:
            return ""
        return value
    return ""


def routed_alias(model: type[Model]) -> str:
    """The alias a read of `model` would use now (for tests and diagnostics)."""
    from django.db import router

    return router.db_for_read(model)


__all__ = ["COOKIE", "ReadState", "ReplicaReadsMiddleware", "ReplicaRouter", "current", "forget_failures",
           "primary_lsn", "probe", "replica_aliases", "routed_alias"]
