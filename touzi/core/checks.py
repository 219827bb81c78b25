"""System checks of the platform's own settings (run by `touzi check`, and at every start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Cache backends that live inside one process: a worker elsewhere could not report progress through them.
_PROCESS_LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache",
                         "django.core.cache.backends.dummy.DummyCache")


@checks.register()
def celery_needs_a_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.JOBS_BACKEND != "celery":
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in _PROCESS_LOCAL_CACHES:
        return [checks.Error(
            "TOUZI_JOBS=celery runs jobs in other processes, but the cache is local to each process",
            hint="Set TOUZI_CACHE_URL to a Redis server (see docs/configuration.md), so import progress is shared.",
            id="touzi.E001",
        )]
    return []
