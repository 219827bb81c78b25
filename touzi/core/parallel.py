"""Independent reads of one computation on a second database connection, so that PostgreSQL uses two cores.

A dashboard or briefing build is a few big grouped statements (the one pass over the projects, the targets'
ledger sums, the warnings' counts) that do not depend on each other. PostgreSQL runs each statement in one
backend, on one core; DuckDB, the benchmark's reference, scans on every core. `concurrently(fn)` starts `fn`
on a worker thread — Django gives a thread its own connection, so its statements run in a second backend at
the same time as the caller's — and returns a handle whose `result()` waits for it (and re-raises what it
raised). docs/performance.md, sixth round, measures it.

`fn` runs inline instead (the handle then holds its result at once) when a second connection cannot help or
could be wrong:

- on SQLite (one file, one core's worth of work; and a test's in-memory database is per connection);
- inside a transaction: another connection would not see its uncommitted writes (services, tests);
- with TOUZI_DB_PARALLEL_READS=1;
- while the workers are busy with another thread's work (another request of the same process): a build then
  reads as it did before, never waiting behind someone else's statements.

The worker runs `fn` with the caller's language and time zone, in a copy of the caller's context: the
request's read state of `touzi.core.replicas` (a read-only request's worker reads from the same replica; a
request that wrote reads from the primary in both). Each statement still takes its own snapshot, as the
caller's consecutive statements always have: a build was never one snapshot, and figures that must agree come
from one statement. The worker closes its connections when `fn` returns, so no connection outlives the build.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import tzinfo
from typing import Generic, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone, translation

from touzi.core.replicas import current

T = TypeVar("T")

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            # Threads beyond the first connection: TOUZI_DB_PARALLEL_READS connections per build in all.
            _executor = ThreadPoolExecutor(max_workers=_workers(), thread_name_prefix="touzi-read")
        return _executor


# Set in the workers: work they run reads on their own connection (a worker waiting for work queued behind
# itself would wait for ever).
_worker = threading.local()
# Work started and not finished, by the thread that started it. A web process serves several requests at once:
# a build never queues behind another request's work (it would wait for it), it reads on its own connection then.
_started: dict[int, int] = {}


def _workers() -> int:
    return max(1, settings.DB_PARALLEL_READS - 1)


def _others_busy(me: int) -> bool:
    """Whether other threads' work fills the workers (call with _lock held)."""
    return sum(n for caller, n in _started.items() if caller != me) >= _workers()


def worth_a_thread(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether reads may go to a second connection now (see the module's docstring)."""
    if settings.DB_PARALLEL_READS < 2 or getattr(_worker, "busy", False):
        return False
    with _lock:
        if _others_busy(threading.get_ident()):
            return False
    connection = connections[using]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class Handle(Generic[T]):
    """The result of `concurrently`: `result()` waits for the worker (at once when `fn` ran inline)."""

    def __init__(self, future: Future[T] | None = None, value: T | None = None, *, inline: bool) -> None:
        self._future, self._value, self.inline = future, value, inline

    def result(self) -> T:
        if self._future is not None:
            return self._future.result()
        return self._value  # type: ignore[return-value]


def _with(language: str | None, zone: tzinfo, fn: Callable[[], T]) -> T:
    with translation.override(language), timezone.override(zone):
        return fn()


def _run_closing(context: contextvars.Context, language: str | None, zone: tzinfo, fn: Callable[[], T]) -> T:
    _worker.busy = True
    try:
        # Inside the copied context: asgiref's Local keeps what is set in it, per thread, within that context.
        return context.run(_with, language, zone, fn)
    finally:
        _worker.busy = False
        connections.close_all()  # this thread's connections only


def concurrently(fn: Callable[[], T]) -> Handle[T]:
    """Start `fn` (reads only) on another connection, or run it now when that cannot help (module docstring)."""
    started = _start(fn) if worth_a_thread() else None
    return started if started is not None else Handle(value=fn(), inline=True)


def each(fns: Sequence[Callable[[], T]]) -> list[T]:
    """Every one of `fns` (reads only), in order, shared out between this connection and the workers': each
    thread takes the next from one queue when it is free, so that unequal pieces (whose cost is not known
    beforehand) keep both busy. A worker still busy with earlier work joins when it is done."""
    if len(fns) < 2 or not worth_a_thread():
        return [fn() for fn in fns]
    results: dict[int, T] = {}
    queue = iter(range(len(fns)))
    lock = threading.Lock()

    def drain() -> None:
        while True:
            with lock:
                i = next(queue, None)
            if i is None:
                return
            results[i] = fns[i]()

    helpers = [helper for helper in (_start(drain) for _ in range(_workers())) if helper is not None]
    drain()
    for helper in helpers:
        helper.result()
    return [results[i] for i in range(len(fns))]


def _start(fn: Callable[[], T]) -> Handle[T] | None:
    """`fn` submitted to the workers; None when another thread's work took them meanwhile (checked and counted
    under one lock, so two requests never both queue)."""
    # A read-only request chooses (and probes) its replica once, here, rather than in both threads at once.
    state = current()
    if state is not None and state.read_only and not state.wrote:
        state.replica()
    caller = threading.get_ident()
    with _lock:
        if _others_busy(caller):
            return None
        _started[caller] = _started.get(caller, 0) + 1
    # Django keeps the active language and time zone per thread (asgiref's Local does not follow the context
    # into another thread): they are handed over explicitly.
    future = _pool().submit(_run_closing, contextvars.copy_context(), translation.get_language(),
                            timezone.get_current_timezone(), fn)
    future.add_done_callback(lambda _future: _finished(caller))
    return Handle(future, inline=False)


def _finished(caller: int) -> None:
    with _lock:
        left = _started.get(caller, 0) - 1
        if left > 0:
            _started[caller] = left
        else:
            _started.pop(caller, None)
