"""The Celery application: `touzi worker` (or `celery -A touzi.celery worker`) runs Touzi's background jobs.

It lives in core (the worker command is core's, and core imports nothing above it); touzi/celery.py
re-exports it for `celery -A touzi.celery`.

Configured from Django settings (the CELERY_* names in touzi/settings.py, all from environment
variables); it has exactly one task, touzi.run_job, which runs only functions registered with
`@touzi.core.jobs.job`.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touzi.settings")

app = Celery("touzi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["touzi.core"])
