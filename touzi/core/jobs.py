"""Running long work (large imports) away from the request.

Three backends, chosen by `TOUZI_JOBS` (docs/configuration.md):

- `thread` (the embedded default): a thread of the web process; fine for one server on SQLite.
- `celery`: a Celery task on the broker at `TOUZI_CELERY_BROKER_URL` (Redis), run by `touzi worker`
  processes on any number of machines — what a province or the national platform runs.
- `inline`: in the request itself (tests, tiny installs; `TOUZI_JOBS_INLINE=true` is the old spelling).

Callers don't know which: they `start(job, *args)` with a function registered by `@job` and arguments
that survive JSON (ids, not model instances). Only registered functions can run, so whoever can write to
the broker still cannot make a worker call arbitrary code. Progress goes to Django's cache, which must
then be shared (Redis) — `touzi check` refuses celery with a per-process cache.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)

BACKENDS = ("thread", "celery", "inline")
_REGISTRY: dict[str, Callable[..., Any]] = {}
Progress = Callable[[int, int], None]


def name_of(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def job(func: Callable[..., Any]) -> Callable[..., Any]:
    """Register a module-level function as something a worker may run."""
    _REGISTRY[name_of(func)] = func
    return func


def registered(name: str) -> Callable[..., Any]:
    """The job called `name`; a worker imports Touzi's module of that name first (registration runs there)."""
    if name not in _REGISTRY and name.startswith("touzi."):
        module = name.rsplit(".", 1)[0]
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            # Only a name that is no module of Touzi at all is "not a job"; a module that exists but fails to
            # import (a missing dependency, a broken import inside it) is a real error and surfaces.
            if not _names_missing(exc, module):
                raise
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"not a registered job: {name}") from None


def _names_missing(exc: ModuleNotFoundError, module: str) -> bool:
    """Whether the module that could not be found is `module` itself or one of its parent packages."""
    return exc.name is not None and (module == exc.name or module.startswith(exc.name + "."))


def run(name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Run a registered job by name with fresh database connections (a worker's or a thread's entry point)."""
    func = registered(name)
    close_old_connections()
    try:
        func(*args, **kwargs)
    finally:
        close_old_connections()


def start(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run `func` on the configured backend once the caller's transaction commits.

    A thread or a worker reads the database through its own connection: launched before the commit it
    would not find the rows the caller just wrote (the job's own row first of all), and a rolled-back
    caller must start nothing. So the launch waits for `transaction.on_commit` (at once outside a
    transaction). The inline backend runs in the caller's own connection and transaction, so it runs now:
    what it writes commits or rolls back with the caller.
    """
    name = name_of(func)
    if _REGISTRY.get(name) is not func:
        raise LookupError(f"{name} is not registered with @jobs.job")
    backend = settings.JOBS_BACKEND
    if backend == "inline":
        func(*args, **kwargs)
    else:
        transaction.on_commit(partial(_launch, backend, name, func.__name__, list(args), kwargs))


def _launch(backend: str, name: str, short: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    if backend == "celery":
        from touzi.core.tasks import run_job

        run_job.delay(name, args, kwargs)
    else:
        threading.Thread(target=_in_thread, args=(name, args, kwargs), name=f"touzi-job-{short}", daemon=True).start()


def _in_thread(name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    try:
        run(name, args, kwargs)
    except Exception:  # the job records its own failure; this keeps the thread from dying loudly
        log.exception("background job %s failed", name)


def progress_key(kind: str, pk: int) -> str:
    """Where a job's progress lives in the cache (imports: "import", background jobs: "job")."""
    return f"touzi:{kind}-progress:{pk}"


def cache_progress(key: str) -> Progress:
    """A progress callback writing to the cache, outside the job's transaction, so any request can read it."""

    def report(done: int, total: int) -> None:
        cache.set(key, {"done": done, "total": total}, timeout=3600)

    return report


def progress_of(key: str) -> dict[str, int] | None:
    return cache.get(key)
