"""Reads on a replica (touzi.core.replicas, docs/scaling.md "Reads on a replica").

The first tests need no replica: the settings and the router's decisions. The others run against a real
PostgreSQL streaming replica of the test server (scripts/pg-replica; `.ci/run` starts one on port 5433 and
sets TOUZI_TEST_REPLICA_URL). pytest-django's test database is created on the primary and streams to the
replica with the rest of the cluster, so the replica alias uses the same database name and creates nothing.
Without TOUZI_TEST_REPLICA_URL they are skipped on a workstation and fail in CI (TOUZI_REQUIRE_REPLICA).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from touzi import testing
from touzi.core import replicas
from touzi.lib.env import database_from_url, database_replicas
from touzi.projects.models import Project
from touzi.units.models import Unit

PG = {"ENGINE": "django.db.backends.postgresql", "NAME": "touzi"}


# -- settings -----------------------------------------------------------------------------------------------


def test_replica_urls_become_aliases_that_mirror_the_primary_in_tests(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "postgres://ro@10.0.0.2/touzi, postgres://ro@10.0.0.3:6432/touzi")
    found = database_replicas("DATABASE_REPLICA_URLS", PG)
    assert list(found) == ["replica1", "replica2"]
    assert found["replica2"]["HOST"] == "10.0.0.3" and found["replica2"]["PORT"] == "6432"
    assert found["replica1"]["TEST"] == {"MIRROR": "default"}
    assert found["replica1"]["OPTIONS"]["connect_timeout"] == 2


def test_no_replica_urls_change_nothing(monkeypatch, settings) -> None:
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    assert database_replicas("DATABASE_REPLICA_URLS", PG) == {}
    assert database_replicas("DATABASE_REPLICA_URLS", {"ENGINE": "django.db.backends.sqlite3"}) == {}
    if not os.environ.get("DATABASE_REPLICA_URLS"):
        assert settings.DATABASE_REPLICAS == []
        assert "touzi.core.replicas.ReplicaRouter" not in settings.DATABASE_ROUTERS
        assert "touzi.core.replicas.ReplicaReadsMiddleware" not in settings.MIDDLEWARE


@pytest.mark.parametrize(("primary", "urls"), [
    ({"ENGINE": "django.db.backends.sqlite3"}, "postgres://ro@10.0.0.2/touzi"),
    (PG, "sqlite:///replica.sqlite3"),
    (PG, "mysql://ro@10.0.0.2/touzi"),
])
def test_a_replica_needs_postgresql_on_both_sides(monkeypatch, primary, urls) -> None:
    monkeypatch.setenv("DATABASE_REPLICA_URLS", urls)
    with pytest.raises(ImproperlyConfigured):
        database_replicas("DATABASE_REPLICA_URLS", primary)


def test_only_a_wellformed_lsn_is_taken_from_the_cookie() -> None:
    assert replicas._valid_lsn("0/B000060") == "0/B000060"
    assert replicas._valid_lsn("16/3002D50") == "16/3002D50"
    for bad in ["", "0", "x/1", "0/", "/1", "123456789/0", "0/1; drop table"]:
        assert replicas._valid_lsn(bad) == ""


# -- the router's decisions (a stand-in replica: where queries would go, none sent) ---------------------------


@pytest.fixture
def fake_replica(settings, monkeypatch) -> list[str]:
    settings.DATABASE_REPLICAS = ["replica1"]
    probes: list[str] = []

    def probe(alias: str, after_lsn: str) -> bool:
        probes.append(after_lsn)
        return after_lsn != "9/0"  # the stand-in has replayed everything before 9/0

    monkeypatch.setattr(replicas, "probe", probe)
    replicas.forget_failures()
    return probes


def _route(state: replicas.ReadState | None, model: Any = Project) -> str | None:
    token = replicas._state.set(state)
    try:
        return replicas.ReplicaRouter().db_for_read(model)
    finally:
        replicas._state.reset(token)


def test_read_only_requests_read_from_the_replica_once_checked(fake_replica) -> None:
    state = replicas.ReadState(read_only=True)
    assert _route(state) == "replica1"
    assert _route(state) == "replica1"
    assert fake_replica == [""], "one check per request"
    assert _route(None) is None, "outside a request (commands, jobs): the primary"
    assert _route(replicas.ReadState(read_only=False)) is None, "a POST reads from the primary"
    from django.contrib.sessions.models import Session

    assert _route(replicas.ReadState(read_only=True), Session) is None, "sessions: always the primary"


def test_a_write_pins_the_request_to_the_primary(fake_replica) -> None:
    state = replicas.ReadState(read_only=True)
    watch = replicas._watch_writes(state)

    def send(sql: str) -> None:
        watch(lambda *args: None, sql, None, False, {})

    token = replicas._state.set(state)
    try:
        router = replicas.ReplicaRouter()
        assert router.db_for_read(Project) == "replica1"
        send('SELECT "projects_project"."id" FROM "projects_project"')
        send('UPDATE "django_session" SET "expire_date" = now()')
        send('INSERT INTO "audit_auditrecord" ("event") VALUES (%s)')
        assert router.db_for_read(Project) == "replica1", "a session's write or a log record does not pin"
        assert state.logged and not state.wrote
        assert router.db_for_write(Project) == DEFAULT_DB_ALIAS
        assert not state.wrote, "asking where a write would go is not writing"
        send('INSERT INTO "projects_project" ("name") VALUES (%s)')
        assert state.wrote and router.db_for_read(Project) is None
        assert router.allow_migrate("replica1", "projects") is False
    finally:
        replicas._state.reset(token)


@pytest.mark.parametrize(("sql", "kind"), [
    ('INSERT INTO "reports_monthlyreport" ("amount") VALUES (1)', "write"),
    ('  update "projects_project" set "name" = %s', "write"),
    ('DELETE FROM "reports_countedyear" WHERE "project_id" IN (1)', "write"),
    ('WITH gone AS (DELETE FROM "x" RETURNING 1) INSERT INTO "reports_countedyear" SELECT 1', "write"),
    ('COPY "reports_monthlyreport" FROM STDIN', "write"),
    ('UPDATE "accounts_apitoken" SET "last_used_at" = now()', "log"),
    ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', ""),
    ('SELECT * FROM "projects_project" FOR UPDATE', ""),
    ("SAVEPOINT s1", ""),
    ("SELECT pg_current_wal_lsn()", ""),
])
def test_what_counts_as_a_write(sql, kind) -> None:
    assert replicas.classify(sql) == kind


def test_a_writer_waits_for_the_replica_to_replay_its_write(fake_replica) -> None:
    assert _route(replicas.ReadState(read_only=True, after_lsn="9/0")) is None
    state = replicas.ReadState(read_only=True, after_lsn="8/0")
    assert _route(state) == "replica1" and state.caught_up


@pytest.mark.django_db
def test_reads_in_a_transaction_stay_on_the_primary(fake_replica) -> None:
    # pytest-django's test is itself a transaction: exactly the case of a service checking before it writes.
    assert connection.in_atomic_block
    assert _route(replicas.ReadState(read_only=True)) is None


# -- against a real streaming replica ----------------------------------------------------------------------

REPLICA_URL = os.environ.get("TOUZI_TEST_REPLICA_URL", "")
REAL = "replica_real"


def _register(alias: str, entry: dict[str, Any]) -> None:
    """A connection made for the test and kept out of settings.DATABASES: Django's test case neither creates a
    database for it nor flushes it (a replica is read-only), and allows it as a dynamically created one."""
    from django.db.utils import load_backend

    configured = connections.configure_settings({DEFAULT_DB_ALIAS: {}, alias: entry})[alias]
    connections[alias] = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)


def _unregister(alias: str) -> None:
    try:
        connections[alias].close()
    finally:
        del connections[alias]


def _replica_entry(url: str) -> dict[str, Any]:
    entry = database_from_url(url)
    # The test database of this run, streamed from the primary (nothing is created on a replica).
    entry["NAME"] = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    entry["OPTIONS"]["connect_timeout"] = 2
    entry["CONN_MAX_AGE"] = 0
    return entry


def _routed(settings, alias: str) -> None:
    settings.DATABASE_REPLICAS = [alias]
    # The test's replica connection exists in this thread only (made by _register, not in settings.DATABASES):
    # builds read on one connection here. A second connection reading from the request's replica is tested in
    # touzi/core/tests/test_parallel.py.
    settings.DB_PARALLEL_READS = 1
    settings.DATABASE_ROUTERS = ["touzi.core.replicas.ReplicaRouter"]
    settings.MIDDLEWARE = ["touzi.core.replicas.ReplicaReadsMiddleware", *settings.MIDDLEWARE]
    replicas.forget_failures()


@pytest.fixture
def real_replica(transactional_db, settings) -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("the replica tests run on PostgreSQL")
    if not REPLICA_URL:
        message = "no streaming replica to test against: run scripts/pg-replica and set TOUZI_TEST_REPLICA_URL"
        if os.environ.get("TOUZI_REQUIRE_REPLICA"):
            pytest.fail(message)
        pytest.skip(message)
    _register(REAL, _replica_entry(REPLICA_URL))
    _routed(settings, REAL)
    try:
        yield REAL
    finally:
        _unregister(REAL)
        replicas.forget_failures()


def _replayed(alias: str, timeout: float = 20.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    lsn = replicas.primary_lsn()
    deadline = time.monotonic() + timeout
    while not replicas.probe(alias, lsn):
        assert time.monotonic() < deadline, f"the replica did not replay {lsn} in {timeout} s"
        time.sleep(0.05)


def _tables(queries: list[dict[str, str]]) -> str:
    return " ".join(query["sql"] for query in queries)


def test_a_page_reads_from_the_replica(real_replica, client) -> None:
    testing.load_mini_plan()
    client.force_login(testing.persona("olive"))
    _replayed(real_replica)
    with CaptureQueriesContext(connections[real_replica]) as on_replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary:
        response = client.get("/")
        projects = client.get("/projects/")
    assert response.status_code == 200 and projects.status_code == 200
    assert '"projects_project"' in _tables(on_replica.captured_queries), "the figures came from the replica"
    assert '"projects_project"' not in _tables(on_primary.captured_queries)
    assert '"django_session"' in _tables(on_primary.captured_queries), "sessions stay on the primary"
    # An export: its rows come from the replica too.
    with CaptureQueriesContext(connections[real_replica]) as on_replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary:
        export = client.get("/imports/export/projects.xlsx")
    assert export.status_code == 200
    assert '"projects_project"' in _tables(on_replica.captured_queries)
    assert '"projects_project"' not in _tables(on_primary.captured_queries)
    # The replica really is a standby of the primary (not a second name for it).
    with connections[real_replica].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)


def _paused(alias: str, paused: bool) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")


def _unit_view(request: HttpRequest) -> HttpResponse:
    """Writes a unit on POST (and, asked to, on GET); answers which database its reads used and what they saw."""
    name = request.GET.get("name") or request.POST.get("name", "")
    if request.method == "POST" or request.GET.get("write"):
        Unit.objects.create(key=name, name=name, kind="office")
    found = Unit.objects.filter(name=name)
    return JsonResponse({"db": found.db, "seen": found.exists()})


def _call(request: HttpRequest) -> tuple[dict[str, Any], HttpResponse]:
    response = replicas.ReplicaReadsMiddleware(_unit_view)(request)
    assert isinstance(response, JsonResponse)
    import json

    return json.loads(response.content), response


def test_a_writer_never_reads_its_write_stale(real_replica) -> None:
    factory = RequestFactory()
    _replayed(real_replica)
    # Write then read in one request: the read goes to the primary and sees the write.
    seen, _ = _call(factory.get("/", {"name": "same-request", "write": "1"}))
    assert seen == {"db": DEFAULT_DB_ALIAS, "seen": True}
    _paused(real_replica, True)  # the replica stops replaying: as far behind as it will ever be
    try:
        seen, response = _call(factory.post("/", {"name": "after-redirect"}))
        lsn = response.cookies[replicas.COOKIE].value
        assert replicas._valid_lsn(lsn) == lsn
        # The redirect after the POST: the replica has not replayed the write, so the writer reads the primary.
        follow = factory.get("/", {"name": "after-redirect"})
        follow.COOKIES[replicas.COOKIE] = lsn
        seen, _ = _call(follow)
        assert seen == {"db": DEFAULT_DB_ALIAS, "seen": True}
        # Someone else (no cookie) reads from the replica, which does not have the row yet.
        other, _ = _call(factory.get("/", {"name": "after-redirect"}))
        assert other == {"db": real_replica, "seen": False}
    finally:
        _paused(real_replica, False)
    deadline = time.monotonic() + 20
    while True:  # once replayed, the writer is back on the replica and its cookie is dropped
        again = factory.get("/", {"name": "after-redirect"})
        again.COOKIES[replicas.COOKIE] = lsn
        seen, response = _call(again)
        if seen["db"] == real_replica or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert seen == {"db": real_replica, "seen": True}
    assert response.cookies[replicas.COOKIE].value == ""


def test_a_replica_down_sends_reads_to_the_primary_logged_once(real_replica, settings, client, caplog,
                                                                 monkeypatch) -> None:
    down = "replica_down"
    entry = _replica_entry(REPLICA_URL)
    entry["PORT"] = "1"  # nothing listens there: as a replica whose server stopped
    _register(down, entry)
    try:
        _routed(settings, down)
        testing.load_mini_plan()
        client.force_login(testing.persona("olive"))
        tries: list[str] = []
        real_probe = replicas.probe

        def counting_probe(alias: str, lsn: str) -> bool:
            tries.append(alias)
            return real_probe(alias, lsn)

        monkeypatch.setattr(replicas, "probe", counting_probe)
        with caplog.at_level(logging.WARNING, logger="touzi.replicas"):
            first = client.get("/")
            second = client.get("/projects/")
        assert first.status_code == 200 and second.status_code == 200
        assert tries == [down], "tried once, then left alone for the back-off"
        warnings = [r for r in caplog.records if r.name == "touzi.replicas"]
        assert len(warnings) == 1 and "replica_down" in warnings[0].getMessage()
        assert "30 s" in warnings[0].getMessage()
        # After the back-off it is tried again (here: made to expire).
        replicas._down_until[down] = 0.0
        client.get("/")
        assert tries == [down, down]
        # `touzi replicas --json` says which one is down and how far the other lags.
        import io
        import json

        from django.core.management import CommandError, call_command

        settings.DATABASE_REPLICAS = [real_replica, down]
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("replicas", "--json", stdout=out)
        status = {entry["alias"]: entry for entry in json.loads(out.getvalue())["replicas"]}
        assert status[real_replica]["reachable"] and status[real_replica]["in_recovery"]
        assert status[real_replica]["lag_bytes"] >= 0
        assert not status[down]["reachable"] and status[down]["error"]
    finally:
        _unregister(down)


def test_a_streamed_body_reads_where_its_request_did(fake_replica) -> None:
    from django.http import StreamingHttpResponse

    seen: list[str | None] = []

    def rows() -> Iterator[bytes]:
        for number in range(2):
            seen.append(_route(replicas.current()))
            yield f"{number}\n".encode()

    def export(request: HttpRequest) -> StreamingHttpResponse:
        return StreamingHttpResponse(rows())

    response = replicas.ReplicaReadsMiddleware(export)(RequestFactory().get("/export.csv"))
    assert seen == [], "nothing is read before the body is sent"
    assert isinstance(response, StreamingHttpResponse)
    assert b"".join(response.streaming_content) == b"0\n1\n"  # type: ignore[arg-type]
    assert seen == ["replica1", "replica1"]
    assert replicas.current() is None
