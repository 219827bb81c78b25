"""Celery's one task: run a job registered in touzi.core.jobs by its name."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from touzi.core import jobs


@shared_task(name="touzi.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    jobs.run(name, args, kwargs)
