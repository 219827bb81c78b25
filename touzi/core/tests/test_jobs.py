"""Background jobs: only registered functions run, on every backend, and a Celery worker really runs them."""

from __future__ import annotations

import contextlib
import os
import time
import uuid

import pytest
from django.core.cache import cache
from django.db import transaction

from touzi.core import jobs
from touzi.core.checks import celery_needs_a_shared_cache
from touzi.core.choices import JobKind


@jobs.job
def remember(key: str, value: int) -> None:
    cache.set(key, value, 60)


@jobs.job
def count_job_rows(key: str, job_id: int) -> None:
    from touzi.core.models import BackgroundJob

    cache.set(key, BackgroundJob.objects.filter(pk=job_id).count(), 60)


def not_registered(key: str) -> None:
    cache.set(key, "ran", 60)


def _wait_for(key: str, seconds: float = 20) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = cache.get(key)
        if value is not None:
            return value
        time.sleep(0.05)
    return None


def test_an_unregistered_function_cannot_be_started(settings):
    settings.JOBS_BACKEND = "inline"
    with pytest.raises(LookupError):
        jobs.start(not_registered, "k")


def test_a_worker_refuses_a_name_that_is_not_a_registered_job():
    with pytest.raises(LookupError):
        jobs.run("os.system", ["true"], {})
    with pytest.raises(LookupError):
        jobs.run("touzi.core.tests.test_jobs.not_registered", ["k"], {})


def test_the_inline_backend_runs_the_job_before_returning(settings):
    settings.JOBS_BACKEND = "inline"
    key = f"inline-{uuid.uuid4()}"
    jobs.start(remember, key, 7)
    assert cache.get(key) == 7


@pytest.mark.django_db(transaction=True)
def test_the_thread_backend_runs_the_job_beside_the_request(settings):
    settings.JOBS_BACKEND = "thread"
    key = f"thread-{uuid.uuid4()}"
    jobs.start(remember, key, 8)
    assert _wait_for(key) == 8


@pytest.mark.django_db(transaction=True)
def test_a_job_started_inside_a_transaction_runs_after_the_commit_and_sees_its_rows(settings):
    """The thread reads through its own connection: launched at the commit, it finds what the caller wrote."""
    from touzi.core.models import BackgroundJob

    settings.JOBS_BACKEND = "thread"
    key = f"atomic-{uuid.uuid4()}"
    with transaction.atomic():
        job = BackgroundJob.objects.create(kind=JobKind.BACKUP, params={"key": key})
        jobs.start(count_job_rows, key, job.pk)
        time.sleep(0.2)
        assert cache.get(key) is None  # not launched before the commit
    assert _wait_for(key) == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_started_in_a_transaction_that_rolls_back_never_runs(settings):
    settings.JOBS_BACKEND = "thread"
    key = f"rollback-{uuid.uuid4()}"
    with contextlib.suppress(RuntimeError), transaction.atomic():
        jobs.start(remember, key, 5)
        raise RuntimeError("the caller fails")
    assert _wait_for(key, seconds=1) is None


def test_a_job_module_that_fails_to_import_is_an_error_not_an_unknown_job(monkeypatch):
    def broken(name: str):
        raise ModuleNotFoundError("No module named 'some_dependency'", name="some_dependency")

    monkeypatch.setattr(jobs.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        jobs.registered("touzi.somewhere.job")


def test_a_name_of_no_module_is_not_a_registered_job():
    with pytest.raises(LookupError):
        jobs.registered("touzi.no_such_module.job")


def test_celery_with_a_per_process_cache_is_refused_by_the_checks(settings):
    settings.JOBS_BACKEND = "celery"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [m.id for m in celery_needs_a_shared_cache()] == ["touzi.E001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/1"}}
    assert celery_needs_a_shared_cache() == []


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


_QUEUE = f"touzi-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def celery_worker(settings):
    """A real Celery worker (in a thread of this process) consuming from Redis on a queue of its own."""
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is required in CI at 127.0.0.1:6379")
        pytest.skip("Redis not reachable at 127.0.0.1:6379")
    from celery.contrib.testing.worker import start_worker

    from touzi.celery import app

    settings.JOBS_BACKEND = "celery"
    # One queue per test process (Celery caches the queue list once read), apart from any other run's.
    app.conf.update(broker_url="redis://127.0.0.1:6379/15", task_default_queue=_QUEUE, task_ignore_result=True)
    import touzi.core.tasks  # noqa: F401  (registers touzi.run_job with the app)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
        yield app


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_runs_a_job_sent_through_redis(celery_worker):
    key = f"celery-{uuid.uuid4()}"
    jobs.start(remember, key, 9)
    assert _wait_for(key) == 9


@pytest.mark.django_db(transaction=True)
def test_a_large_import_confirmed_is_written_by_the_celery_worker(celery_worker, settings, projects, oscar):
    from touzi.imports.choices import ImportStatus
    from touzi.imports.models import ImportBatch
    from touzi.imports.services import confirm_import, stage_import
    from touzi.imports.tests.sheets import workbook
    from touzi.reports.models import MonthlyReport

    settings.IMPORT_BACKGROUND_ROWS = 0  # every confirmed batch goes to the worker
    content = workbook([["2021-450521-26-03-000001", "", "2023-03", 100, "", ""]])
    batch = stage_import("reports", "reports.xlsx", content, actor=oscar)
    assert batch.status == ImportStatus.PREVIEWED, batch.message or batch.errors
    before = MonthlyReport.objects.count()
    confirm_import(batch, actor=oscar)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status not in (ImportStatus.RUNNING, ImportStatus.PREVIEWED):
            break
        time.sleep(0.1)
    assert batch.status == ImportStatus.COMMITTED, batch.message
    assert MonthlyReport.objects.count() > before
    assert ImportBatch.objects.get(pk=batch.pk).committed_at is not None


def test_an_import_job_delivered_twice_writes_once(settings, projects, oscar):
    """A worker that dies after committing but before acknowledging gets the job again: nothing is doubled."""
    from touzi.imports.choices import ImportStatus
    from touzi.imports.services import _commit, confirm_import, stage_import
    from touzi.imports.tests.sheets import workbook
    from touzi.reports.models import MonthlyReport

    settings.JOBS_BACKEND = "inline"
    content = workbook([["2021-450521-26-03-000001", "", "2023-03", 100, "", ""]])
    batch = stage_import("reports", "reports.xlsx", content, actor=oscar)
    batch = confirm_import(batch, actor=oscar)
    assert batch.status == ImportStatus.COMMITTED
    count = MonthlyReport.objects.count()
    _commit(batch.pk, oscar.pk, None, oscar.username)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and MonthlyReport.objects.count() == count
