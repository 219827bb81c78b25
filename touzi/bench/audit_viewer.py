"""Benchmark: the audit viewer's pages on a trail of millions of records.

    python -m touzi.bench.audit_viewer [--rows 2000000] [--database-url URL]

Builds a scratch database (a temporary SQLite file, or the PostgreSQL database given, which must be
empty), fills audit_auditrecord with synthetic rows in bulk (the hashes are placeholders: this measures
reading, not verifying), then times what the viewer runs: the first page, a page deep in the trail,
each filter, and COUNT(*) for comparison. Prints milliseconds, median of 5.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def _fill(rows: int) -> None:
    from django.db import connection

    events = ["update", "create", "sign_in", "update", "update", "sign_out", "create", "sign_in_failed"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO audit_auditrecord (at, actor_name, source, ip, request_id, event, object_type, object_id,"
                " object_repr, subject, before, after, success, message, prev_hash, hash)"
                " SELECT now() - (%s - g) * interval '10 seconds', 'user' || (g %% 500), 'web', '10.0.0.1', '',"
                " (ARRAY['update','create','sign_in','update','update','sign_out','create','sign_in_failed'])[g %% 8 + 1],"
                " 'projects.project', (g %% 20000)::text, '项目' || g, 'project:' || (g %% 20000),"
                " '{\"a\": 1}'::jsonb, '{\"a\": 2}'::jsonb, g %% 8 <> 7, '', 'x', 'y' FROM generate_series(1, %s) g",
                [rows, rows])
            cursor.execute("ANALYZE audit_auditrecord")
            return
        batch = []
        import datetime as dt

        start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        sql = ("INSERT INTO audit_auditrecord (at, actor_name, source, ip, request_id, event, object_type, object_id,"
               " object_repr, subject, before, after, success, message, prev_hash, hash)"
               " VALUES (?, ?, 'web', '10.0.0.1', '', ?, 'projects.project', ?, ?, ?, '{\"a\": 1}', '{\"a\": 2}', ?,"
               " '', 'x', 'y')")
        raw = connection.connection
        raw.execute("BEGIN")  # Django keeps SQLite in autocommit: one transaction, not one per row
        for g in range(1, rows + 1):
            at = (start + dt.timedelta(seconds=10 * g)).isoformat(sep=" ")
            batch.append((at, f"user{g % 500}", events[g % 8], str(g % 20000), f"项目{g}", f"project:{g % 20000}",
                          g % 8 != 7))
            if len(batch) == 50_000:
                raw.executemany(sql, batch)
                batch.clear()
        raw.executemany(sql, batch)
        raw.execute("COMMIT")
        cursor.execute("ANALYZE")


def _time(label: str, run) -> None:
    times = []
    for _ in range(5):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    print(f"| {label} | {statistics.median(times):,.1f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="touzi-audit-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{work}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touzi.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection

    from touzi.audit.models import AuditRecord
    from touzi.audit.selectors import filtered, keyset_page

    call_command("migrate", "audit", verbosity=0)
    began = time.perf_counter()
    _fill(args.rows)
    print(f"{connection.vendor}: {args.rows:,} audit records written in {time.perf_counter() - began:.0f} s\n")
    records = AuditRecord.objects.all()
    middle = args.rows // 2
    print("| query | time |\n|---|---|")
    _time("first page (50, newest first)", lambda: keyset_page(records))
    _time("page deep in the trail (before = middle id)", lambda: keyset_page(records, before=middle))
    _time("going back a page (after = middle id)", lambda: keyset_page(records, after=middle))
    _time("filter: one account", lambda: keyset_page(filtered(records, {"actor": "user7"})))
    _time("filter: failed sign-ins", lambda: keyset_page(filtered(records, {"event": "sign_in_failed"})))
    _time("filter: failures (success = false)", lambda: keyset_page(filtered(records, {"success": "false"})))
    _time("filter: one object", lambda: keyset_page(filtered(records, {"object_type": "projects.project",
                                                                          "object_id": "4242"})))
    day = AuditRecord.objects.filter(id=middle).values_list("at", flat=True).get().date()
    _time("filter: one day", lambda: keyset_page(filtered(records, {"date_from": day, "date_to": day})))
    _time("filter: one day, deep in it", lambda: keyset_page(filtered(records, {"date_from": day, "date_to": day}),
                                                             before=middle))
    _time("free text, common (项目1)", lambda: keyset_page(filtered(records, {"q": "项目1"})))
    _time("free text, rare (项目1999999)", lambda: keyset_page(filtered(records, {"q": f"项目{args.rows - 1}"})))
    _time("free text, absent", lambda: keyset_page(filtered(records, {"q": "没有这个"})))
    _time("COUNT(*) of the whole trail (not run by the viewer)", lambda: records.count())
    _time("COUNT(*) of one account (not run by the viewer)", lambda: filtered(records, {"actor": "user7"}).count())
    del dt


if __name__ == "__main__":
    main()
