"""Who is acting, and through which channel, for the audit records of the current call.

Set once per web request (middleware), API call (authentication), import or
command; read by `touzi.audit.services.record`. A context variable keeps it
correct across threads and async code.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace

from touzi.audit.choices import Source


@dataclass(frozen=True)
class AuditContext:
    source: str = Source.SYSTEM
    ip: str | None = None
    request_id: str = ""
    actor_name: str = ""  # who acts when no account does (a shell user running a command)


_current: ContextVar[AuditContext] = ContextVar("touzi_audit_context", default=AuditContext())  # noqa: B039 (frozen)


def current() -> AuditContext:
    return _current.get()


@contextlib.contextmanager
def audit_context(
    source: str, ip: str | None = None, request_id: str | None = None, actor_name: str = ""
) -> Iterator[AuditContext]:
    ctx = AuditContext(source=source, ip=ip, request_id=request_id or uuid.uuid4().hex[:16], actor_name=actor_name)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def switch_source(source: str) -> None:
    """Re-label the rest of this call (e.g. a web request that turns out to be an API call)."""
    _current.set(replace(_current.get(), source=source))
