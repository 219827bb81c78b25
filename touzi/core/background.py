"""The life of a BackgroundJob row: created queued by a service, claimed by the worker, finished or failed.

A job delivered twice (a Celery worker that died after committing, before acknowledging) finds its row no
longer queued and does nothing. The final status is saved by the job inside its own transaction, together
with what it wrote; `fail` records why nothing was written, after that transaction has rolled back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from touzi.core import jobs
from touzi.core.actor import Actor, System, user_of
from touzi.core.models import BackgroundJob, JobStatus


def queue(kind: str, user: Actor, params: dict[str, Any]) -> BackgroundJob:
    return BackgroundJob.objects.create(kind=kind, user=user_of(user), params=params)


def claim(job_id: int) -> BackgroundJob | None:
    """Mark a queued job running; None when it is not queued any more (delivered twice)."""
    if not BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    ):
        return None
    return BackgroundJob.objects.select_related("user").get(pk=job_id)


def actor_of(job: BackgroundJob) -> Actor:
    """Who the job acts for: the account that queued it, or the platform (a job queued by a command)."""
    if job.user_id:
        return get_user_model().objects.get(pk=job.user_id)
    return System(f"job: {job.kind}")


def done(job: BackgroundJob, *, message: str = "", result_id: int | None = None, result_name: str = "") -> None:
    """Save the job as done: call inside the transaction that wrote its result."""
    job.status, job.message, job.finished_at = JobStatus.DONE, message, timezone.now()
    job.result_id, job.result_name = result_id, result_name
    job.save(update_fields=["status", "message", "finished_at", "result_id", "result_name"])


def active(kind: str) -> QuerySet:
    """The jobs of a kind still queued or running, after giving up on abandoned ones.

    A worker that dies mid-job (killed, machine lost) leaves its row running with nothing to finish it; after
    TOUZI_JOB_STALE_MINUTES it is marked failed with the reason, so it no longer blocks the next backup or
    generation. Its transaction never committed, so nothing of it was written.
    """
    limit = timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES)
    live = (JobStatus.QUEUED, JobStatus.RUNNING)
    BackgroundJob.objects.filter(kind=kind, status__in=live, created_at__lt=limit).update(
        status=JobStatus.FAILED, finished_at=timezone.now(),
        message=_("任务超过 %(n)s 分钟未完成,视为中断(后台进程可能已退出),未写入任何内容;请重新发起")
        % {"n": settings.JOB_STALE_MINUTES})
    return BackgroundJob.objects.filter(kind=kind, status__in=live)


def fail(job_id: int, message: str) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, message=message,
                                                   finished_at=timezone.now())


def progress(job_id: int) -> jobs.Progress:
    return jobs.cache_progress(jobs.progress_key("job", job_id))


def progress_of(job: BackgroundJob) -> dict[str, int]:
    found = jobs.progress_of(jobs.progress_key("job", job.pk))
    if found is None or job.finished:
        return {"done": 1, "total": 1} if job.status == JobStatus.DONE else {"done": 0, "total": 0}
    return found


def percent(job: BackgroundJob) -> int:
    p = progress_of(job)
    return int(100 * p["done"] / p["total"]) if p["total"] else 0
