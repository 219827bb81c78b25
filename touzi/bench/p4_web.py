"""P4 (scale issue): the dashboard and the project list under 20 concurrent users, gunicorn on PostgreSQL.

    python -m touzi.bench.p4_web --size province \
        --database-url postgres://postgres@127.0.0.1:5432/touzi_e_p4 [--seconds 60] [--json]

    from touzi.bench.p4_web import run; figures = run("province", url)   # for `touzi bench`

The data set is touzi/bench/data.py's (20,000 projects × 33 reporting months at province size, generated once).
Twenty accounts sign in through the sign-in page, once each: plan office, statistics bureau, counties and
owners (the plan's counties and parks, and the owners with the most projects; an owner's unit takes
no part in the plan, so its first page is the plain home page, not the dashboard). gunicorn runs 4 workers × 4 threads with the
dashboard cache in Redis (TOUZI_CACHE_URL, a database of its own, emptied first) so every worker shares it.
Each user then loops for --seconds over: the dashboard, the project list's first page, a filtered page
(stage and domain, or a name search), and — the reference — a static file served by the same gunicorn
under the same load (the floor of the web stack). Before the measured window every user opens the
dashboard once: the first build of each scope is reported apart (cold), the figures are the warm ones.

--client wrk hands the signed-in users' cookies to wrk (touzi/bench/wrklib.py: one connection per user, the same
page mix) instead of looping in Python threads, which eat the same cores as the server; --workers and
--threads set gunicorn's (default 4 × 4).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from touzi.bench.loadlib import PASSWORD, Recorder, Server, VirtualUser
from touzi.core.actor import System

GOAL_MS = 300
STATIC = "/static/touzi/touzi.css"
REDIS_DB = 11  # a Redis database of the benchmark's own


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds each process has used so far (Linux /proc; a process that has gone is left out)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return used


def _server_pids(server: Server, database: str) -> list[int]:
    """gunicorn's master and workers, and the PostgreSQL backends connected to the benchmark's database."""
    pids = [server.process.pid] if server.process else []
    children = Path(f"/proc/{pids[0]}/task/{pids[0]}/children") if pids else None
    if children and children.exists():
        pids += [int(p) for p in children.read_text().split()]
    found = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-At", "-c",
                            f"select pid from pg_stat_activity where datname = '{database}'"],
                           capture_output=True, text=True, check=False).stdout.split()
    return pids + [int(p) for p in found if p.isdigit()]


def _accounts(users: int) -> list[tuple[str, str]]:
    """(username, kind) for the load, created once (audited, through the service) on the data set."""
    from django.db.models import Count

    from touzi.accounts.choices import Role
    from touzi.accounts.models import User
    from touzi.accounts.services import create_user
    from touzi.projects.models import Project
    from touzi.units.models import Unit

    # Counties and parks taking part in the plan (the others have no dashboard), with the most projects first.
    in_plan = set(Unit.objects.filter(plans__isnull=False, kind__in=["county", "park"]).values_list("id", flat=True))
    counties = [row["county"] for row in Project.objects.values("county").annotate(n=Count("id")).order_by("-n")
                if row["county"] in in_plan]
    counties += [pk for pk in in_plan if pk not in counties]
    owners = [row["owner"] for row in Project.objects.values("owner").annotate(n=Count("id")).order_by("-n")]
    plan = [("p4-office-1", Role.PLAN_OFFICE, "drc"), ("p4-office-2", Role.PLAN_OFFICE, "drc"),
            ("p4-stats", Role.STATISTICS, "stats")]
    rest = users - len(plan)
    plan += [(f"p4-area-{i}", Role.COUNTY, Unit.objects.get(pk=counties[i]).key) for i in range((rest + 1) // 2)]
    plan += [(f"p4-owner-{i}", Role.OWNER, Unit.objects.get(pk=owners[i]).key) for i in range(rest // 2)]
    for username, role, unit in plan:
        if not User.objects.filter(username=username).exists():
            create_user(username, PASSWORD, role=role, unit=Unit.objects.get(key=unit), actor=System("bench"))
    return [(u, str(role)) for u, role, _ in plan]


def _pages(month: str) -> list[tuple[str, str]]:
    from touzi.plans.models import Domain

    domains = list(Domain.objects.filter(parent__isnull=True).values_list("key", flat=True))
    filtered = [f"/projects/?month={month}&stage=continuing&domain={d}" for d in domains]
    filtered += [f"/projects/?month={month}&q=%E9%A1%B9%E7%9B%AE1", f"/projects/?month={month}&stage=completed"]
    return [("dashboard", f"/?month={month}"), ("project list", f"/projects/?month={month}")] + \
        [("project list filtered", url) for url in filtered]


class Browser(threading.Thread):
    def __init__(self, username: str, port: int, recorder: Recorder, pages: list[tuple[str, str]], until: float,
                 seed: int, cold: Recorder, ready: threading.Barrier, think: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.username, self.port, self.pages, self.until = username, port, pages, until
        self.think = think  # mean pause between a user's pages (0: ask again at once)
        self.recorder, self.cold, self.ready = recorder, cold, ready
        self.rng = random.Random(seed)
        self.error = ""
        self.cookie = ""
        self.hand_over = False

    def run(self) -> None:
        try:
            user = VirtualUser(self.port, self.cold)
            user.sign_in(self.username)
            user.get(self.pages[0][1], label="dashboard (first, cold)")
            self.cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())
            self.ready.wait(timeout=1800)
            if self.hand_over:  # wrk asks for the pages with this user's cookie
                return
            user.recorder = self.recorder
            dashboard, listing = self.pages[0], self.pages[1]
            filtered = self.pages[2:]
            while time.time() < self.until:
                label, url = self.rng.choice([dashboard, dashboard, listing, self.rng.choice(filtered)])
                status, body = user.get(url, label=label)
                if status != 200:
                    self.error = self.error or f"{self.username} {url}: {status} {body[:200]!r}"
                user.get(STATIC, label="static file")
                if self.think:  # a person reading the page, as locust's wait_time = between(0.5 t, 1.5 t)
                    time.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))
        except Exception as exc:  # reported with the figures
            self.error = f"{self.username}: {exc!r}"


def measure(database_url: str, size: str, *, users: int = 20, seconds: float = 60, port: int = 8160,
            workers: int = 4, threads: int = 4, client: str = "python", think: float = 0.0) -> dict[str, Any]:
    from touzi.bench.data import SIZES, create_database, ensure, setup

    create_database(database_url)
    setup(database_url)
    info = ensure(size)
    month = f"{SIZES[size].briefing_month:%Y-%m}"
    accounts = _accounts(users)
    pages = _pages(month)
    from django.db import connections

    connections.close_all()
    cache_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True, check=False)
    recorder, cold = Recorder(), Recorder()
    browsers: list[Browser] = []

    def start_window() -> None:  # runs once, when every user has signed in and seen the dashboard once
        window["started"] = time.time()
        window["cpu"] = _cpu_seconds(_server_pids(server, database))
        for b in browsers:
            b.until = window["started"] + seconds

    window: dict[str, Any] = {}
    database = database_url.rsplit("/", 1)[1].split("?")[0]
    ready = threading.Barrier(len(accounts) + 1, action=start_window)
    with Server(port, database_url, workers=workers, threads=threads, cache_url=cache_url) as server:
        browsers += [Browser(name, port, recorder, pages, 0, seed, cold, ready, think)
                     for seed, (name, _) in enumerate(accounts)]
        for b in browsers:
            b.hand_over = client == "wrk"
            b.start()
        ready.wait(timeout=1800)
        for b in browsers:
            b.join(timeout=seconds + 600)
        if client == "wrk":
            from touzi.bench.wrklib import run_wrk

            wrk = run_wrk(port, [b.cookie for b in browsers], pages, STATIC, seconds, recorder)
            if wrk["returncode"]:
                browsers[0].error = f"wrk: {wrk['returncode']} {wrk['stderr'][:300]}"
        # The server's CPU in the window (gunicorn and its PostgreSQL backends): what a request costs, which
        # a busy machine disturbs far less than the latency it adds by making requests wait for a core.
        # Backends opened during the window count whole (they started in it).
        server_cpu = sum(cpu - window["cpu"].get(pid, 0.0)
                         for pid, cpu in _cpu_seconds(_server_pids(server, database)).items())
    figures = {label: recorder.summary(label) for label in
               ("dashboard", "project list", "project list filtered", "static file")}
    return {"size": size, "projects": info["projects"], "month": month, "users": len(accounts),
            "kinds": sorted({k for _, k in accounts}), "seconds": seconds, "gunicorn": f"{workers}×{threads}",
            "client": client, "think_s": think,
            "figures": figures, "all": recorder.summary(),
            "server_cpu_s": round(server_cpu, 1),
            "server_cpu_ms_per_page": round(server_cpu * 1000 / max(1, sum(
                figures[k]["requests"] for k in ("dashboard", "project list", "project list filtered"))), 1),
            "cold": cold.summary("dashboard (first, cold)"),
            "sign_in": cold.summary("sign in"), "errors": [b.error for b in browsers if b.error]}


def _figure(name: str, value: float, reference: float, errors: int, notes: str) -> dict[str, Any]:
    return {"id": "P4", "name": name, "value": value, "unit": "ms",
            "reference": "p95 of a static file served by the same gunicorn under the same load",
            "reference_value": reference, "ratio": round(value / reference, 1) if reference else None,
            "goal": f"p95 ≤ {GOAL_MS} ms, no errors", "met": value <= GOAL_MS and errors == 0,
            "database": "postgresql", "notes": notes}


def run(size: str, database_url: str | None) -> list[dict[str, Any]]:
    """The P4 figures for `touzi bench` (PostgreSQL only: P4 is a gunicorn-on-PostgreSQL figure)."""
    url = database_url or f"postgres://postgres@127.0.0.1:5432/touzi_bench_p4_{size}"
    if not url.startswith("postgres"):
        return [{"id": "P4", "name": "dashboard and project list p95 (20 users)", "database": "sqlite",
                 "skipped": True, "met": None, "goal": f"p95 ≤ {GOAL_MS} ms, no errors",
                 "notes": "P4 is measured with gunicorn on PostgreSQL only"}]
    out = []
    # Two load models on the same server settings: users asking again at once (saturation; latency is mostly
    # queueing for the 2 cores) and users pausing about a second between pages, as locust's users do.
    for think, suffix in ((0.0, ""), (1.0, ", 1 s pauses")):
        result = measure(url, size, think=think)
        static = result["figures"]["static file"]["p95_ms"]
        for label, name in (("dashboard", "dashboard p95 (20 users)"), ("project list", "project list p95 (20 users)"),
                            ("project list filtered", "filtered project list p95 (20 users)")):
            f = result["figures"][label]
            notes = (f"{result['projects']:,} projects, month {result['month']}, {f['requests']} requests, "
                     f"{f['per_second']}/s, p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms, answers {f['statuses']}; "
                     f"gunicorn {result['gunicorn']}, dashboard cache in Redis; "
                     + ("each user pauses 0.5–1.5 s between pages" if think else "no pause between pages")
                     + f"; server CPU {result['server_cpu_ms_per_page']} ms per page")
            if label == "dashboard":
                notes += f"; first build per scope (cold, not counted): p50 {result['cold']['p50_ms']} ms, " \
                         f"max {result['cold']['max_ms']} ms"
            errors = f["errors"] + sum(n for s, n in f["statuses"].items() if s != 200)
            figure = _figure(name[:-1] + suffix + ")", f["p95_ms"], static, errors + len(result["errors"]), notes)
            if think:
                figure["id"] = "P4-think"
            out.append(figure)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="province")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--port", type=int, default=8160)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--client", choices=["python", "wrk"], default="python",
                        help="who asks for the pages: Python threads (loadlib) or wrk (wrklib)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="python client: mean seconds a user pauses between pages (default 0: none)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/touzi_bench_p4_{args.size}"
    result = measure(url, args.size, users=args.users, seconds=args.seconds, port=args.port,
                     workers=args.workers, threads=args.threads, client=args.client, think=args.think)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    print(f"P4 {args.size}: {result['projects']:,} projects, month {result['month']}, {result['users']} users "
          f"({', '.join(result['kinds'])}), {args.seconds:.0f} s, gunicorn {result['gunicorn']}, client {result['client']}")
    print(f"{'page':<24}{'requests':>9}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  answers")
    for label, f in result["figures"].items():
        print(f"{label:<24}{f['requests']:>9}{f['per_second']:>8}{f['p50_ms']:>9}{f['p95_ms']:>9}{f['p99_ms']:>9}"
              f"  {f['statuses']}")
    c = result["cold"]
    print(f"first dashboard of each user (cold cache, before the window): p50 {c['p50_ms']} ms, max {c['max_ms']} ms")
    print(f"server CPU in the window (gunicorn + its PostgreSQL backends): {result['server_cpu_s']} s, "
          f"{result['server_cpu_ms_per_page']} ms per page (static files included in the total)")
    print("errors: " + ("none" if not result["errors"] else "; ".join(result["errors"])))


if __name__ == "__main__":
    main()
