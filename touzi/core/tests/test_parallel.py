"""Independent reads on a second connection (touzi.core.parallel): where they run, what they see, what they leave.

The second connection is only used on PostgreSQL outside a transaction, so the tests of that path use a
transactional database (committed rows) and are skipped on SQLite, where the inline path is tested instead.
"""

from __future__ import annotations

import threading
import time
from functools import partial

import pytest
from django.db import connection, transaction
from django.utils import translation

from touzi.core import parallel, replicas
from touzi.units.models import Unit


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db
def test_inside_a_transaction_the_work_runs_inline_on_the_callers_connection() -> None:
    # pytest-django's db fixture wraps the test in a transaction: another connection could not see its rows.
    Unit.objects.create(key="seen", name="未提交的单位", short_name="未提交", kind="bureau")
    pending = parallel.concurrently(lambda: (threading.get_ident(), Unit.objects.filter(key="seen").count()))
    assert pending.inline
    assert pending.result() == (threading.get_ident(), 1)


@pytest.mark.django_db
def test_one_connection_when_parallel_reads_are_off(settings) -> None:
    settings.DB_PARALLEL_READS = 1
    assert not parallel.worth_a_thread()
    assert parallel.concurrently(lambda: 7).inline


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_work_reads_committed_rows_on_another_connection_and_closes_it(settings) -> None:
    if connection.vendor != "postgresql":
        assert not parallel.worth_a_thread()  # SQLite: always inline
        return
    settings.DB_PARALLEL_READS = 2
    Unit.objects.create(key="seen", name="已提交的单位", short_name="已提交", kind="bureau")
    mine = _backend_pid()

    def work() -> tuple[int, int, int]:
        return threading.get_ident(), _backend_pid(), Unit.objects.filter(key="seen").count()

    pending = parallel.concurrently(work)
    assert not pending.inline
    thread, pid, seen = pending.result()
    assert thread != threading.get_ident() and pid != mine and seen == 1
    # The worker closed its connection before handing back the result; the backend ends a moment later.
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
    with transaction.atomic():  # and a transaction keeps the work on its own connection again
        assert parallel.concurrently(work).inline


@pytest.mark.django_db(transaction=True)
def test_the_workers_error_reaches_the_caller_and_the_language_goes_with_the_work(settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the second connection is PostgreSQL's")
    settings.DB_PARALLEL_READS = 2

    def fail() -> None:
        Unit.objects.get(key="no-such-unit")

    with pytest.raises(Unit.DoesNotExist):
        parallel.concurrently(fail).result()
    with translation.override("en"):
        assert parallel.concurrently(translation.get_language).result() == "en"
    assert parallel.concurrently(translation.get_language).result() == "zh-hans"


@pytest.mark.django_db(transaction=True)
def test_a_read_only_requests_replica_is_chosen_once_and_shared_with_the_worker(settings, monkeypatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the second connection is PostgreSQL's")
    settings.DB_PARALLEL_READS = 2
    settings.DATABASE_REPLICAS = ["replica1"]
    probes: list[str] = []

    def probe(alias: str, after_lsn: str) -> bool:
        probes.append(alias)
        return True

    monkeypatch.setattr(replicas, "probe", probe)
    token = replicas._state.set(replicas.ReadState(read_only=True))
    try:
        seen = parallel.concurrently(lambda: replicas.current().replica()).result()
    finally:
        replicas._state.reset(token)
    assert seen == "replica1" and probes == ["replica1"]


@pytest.mark.django_db
def test_each_gives_the_results_in_order_and_inline_inside_a_transaction() -> None:
    def piece(i: int) -> tuple[int, int]:
        return i, threading.get_ident()

    assert parallel.each([partial(piece, i) for i in range(5)]) == [(i, threading.get_ident()) for i in range(5)]
    assert parallel.each([]) == []


@pytest.mark.django_db(transaction=True)
def test_each_shares_the_pieces_between_both_connections_in_order(settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the second connection is PostgreSQL's")
    settings.DB_PARALLEL_READS = 2
    started = threading.Event()

    def slow() -> int:
        # Whichever thread takes the first piece waits until the other has taken one: both do work.
        started.wait(5)
        return _backend_pid()

    def quick() -> int:
        started.set()
        return _backend_pid()

    pids = parallel.each([slow] + [quick] * 5)
    assert len(set(pids)) == 2 and _backend_pid() in pids


@pytest.mark.django_db(transaction=True)
def test_work_started_from_a_worker_runs_there_and_does_not_wait_on_itself(settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the second connection is PostgreSQL's")
    settings.DB_PARALLEL_READS = 2  # one worker thread: nested work queued behind it would never run

    def nested() -> tuple[bool, list[int]]:
        inner = parallel.concurrently(_backend_pid)
        return inner.inline, parallel.each([_backend_pid, _backend_pid])

    inline, pids = parallel.concurrently(nested).result()
    assert inline and len(set(pids)) == 1 and pids[0] != _backend_pid()


@pytest.mark.django_db(transaction=True)
def test_a_build_never_queues_behind_another_requests_work(settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the second connection is PostgreSQL's")
    settings.DB_PARALLEL_READS = 2  # one worker thread
    release, holding = threading.Event(), threading.Event()

    def hold() -> int:
        holding.set()
        release.wait(10)
        return 1

    other: list[parallel.Handle[int]] = []
    request = threading.Thread(target=lambda: other.append(parallel.concurrently(hold)))
    request.start()
    request.join()
    assert holding.wait(5) and not other[0].inline  # another request's work holds the worker
    try:
        mine = parallel.concurrently(_backend_pid)
        assert mine.inline and mine.result() == _backend_pid()  # read here, not queued behind it
        assert parallel.each([_backend_pid, _backend_pid]) == [_backend_pid()] * 2
    finally:
        release.set()
    assert other[0].result() == 1
    deadline = time.monotonic() + 5
    while not parallel.worth_a_thread() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not parallel.concurrently(_backend_pid).inline  # the worker is free again
