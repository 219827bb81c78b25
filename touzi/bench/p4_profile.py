"""Where one signed-in P4 request spends its time: the Django test client in this process, on the P4 data set.

    python -m touzi.bench.p4_profile --database-url postgres://postgres@127.0.0.1:5432/touzi_e_p4 \
        [--user p4-area-0] [--path "/projects/?month=2023-06"] [--repeat 20] [--cprofile 30] [--queries]

Signs the user in through the sign-in page (as touzi/bench/p4_web.py does; the accounts must exist, so run P4 once),
then asks for each path --repeat times and prints the median (wall clock, and this process's CPU time,
which a busy machine disturbs less), the queries of the last request (count and
time) and whether it wrote the session. With --cprofile N the N most expensive functions (cumulative) of
the repeated requests follow. No server, no load: the floor of one request on this machine.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

from touzi.bench.loadlib import PASSWORD, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--user", default="p4-area-0")
    parser.add_argument("--path", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cprofile", type=int, default=0)
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    parser.add_argument("--queries", action="store_true", help="print the last request's queries with times")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    paths = args.path or ["/?month=2023-06", "/projects/?month=2023-06", "/static/touzi/touzi.css"]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.get("/accounts/login/")
    answer = client.post("/accounts/login/", {"username": args.user, "password": PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"{args.user} could not sign in: {answer.status_code}")
    for path in paths:
        client.get(path)  # warm: caches, templates, the connection
        times, cpu = [], []
        profile = cProfile.Profile() if args.cprofile else None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                if profile:
                    profile.enable()
                response = client.get(path)
                if profile:
                    profile.disable()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
        writes = [q["sql"][:90] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
        db_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"{path}: {response.status_code}, median {statistics.median(times):.1f} ms, "
              f"min {min(times):.1f} ms over {args.repeat}; this process's CPU median {statistics.median(cpu):.1f} ms; last request {len(queries.captured_queries)} queries "
              f"({db_ms:.1f} ms in the database), writes: {writes or 'none'}")
        if args.queries:
            for q in queries.captured_queries:
                print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:220]}")
        if profile:
            stats = pstats.Stats(profile)
            stats.sort_stats(args.sort).print_stats(args.cprofile)


if __name__ == "__main__":
    main()
