"""Running long work (large imports) away from the request.

The embedded default runs a job in a thread of the web process and keeps its
progress in Django's cache; `TOUZI_JOBS_INLINE=true` runs it in the request
(tests, small installs). A job queue (Celery with Redis) replaces `start` in
production without changing callers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)


def start(job: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    if settings.JOBS_INLINE:
        job(*args, **kwargs)
        return

    def run() -> None:
        close_old_connections()
        try:
            job(*args, **kwargs)
        except Exception:  # the job records its own failure; this keeps the thread from dying loudly
            log.exception("background job failed")
        finally:
            close_old_connections()

    threading.Thread(target=run, name=f"touzi-job-{job.__name__}", daemon=True).start()
