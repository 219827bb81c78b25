"""Load test (security issue): many project owners submit and correct monthly reports at once; nothing is lost.

    python -m touzi.bench.load_owners [--owners 50] [--seconds 60] [--port 8150] \
        [--database-url postgres://postgres@127.0.0.1:5432/touzi_e_load] [--json]

Builds a fresh database (PostgreSQL by default; a sqlite:/// URL works too) with the Beihai plan, N owner
units each with one account and three projects under construction, and one statistics-bureau account;
starts gunicorn (4 workers × 4 threads) in a child process; then N virtual owners sign in through the
sign-in page once and, for the given seconds, use the session API the way a browser does:

- create a month's report (`POST /api/v1/reports`), sometimes from two connections at once (two tabs):
  exactly one may win, the other must get 409;
- correct a report (`PUT /api/v1/reports/{id}` with `If-Match: "version"`), sometimes twice at once on the
  same version: exactly one may win, the other must get 412;
- a reviewer returns submitted reports (`POST /api/v1/reports/{id}/return`), which moves the version too, so
  owners also meet 412s they did not race for; they re-read the report and correct again.

Each client keeps a ledger of every acknowledged write (report, version, amount). Afterwards the database
is checked: no duplicate (project, month); each report's version is 1 + its acknowledged corrections and
returns, and its amount is the last acknowledged one (no lost update); every 409 and 412 had a winner
(a genuine conflict); no 5xx; one audit record per acknowledged write; `touzi audit verify` passes.
Prints requests/s, latency percentiles and counts per answer. A benchmark, not a test (the suite has a
small version: touzi/reports/tests/test_concurrent_submissions.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from decimal import Decimal

from touzi.bench import touzi_command
from touzi.bench.loadlib import PASSWORD, Recorder, Server, VirtualUser, recreate_postgres, setup_django
from touzi.core.actor import System

PERIODS = [f"2025-{m:02d}" for m in range(3, 13)]  # no January (1—2月 combined), all in the past, none locked


def build_data(owners: int, per_owner: int) -> dict[str, list[int]]:
    """Plan, owners with their projects, a reviewer. Returns {username: [project ids]}."""
    from django.core.management import call_command

    from touzi.accounts.choices import Role
    from touzi.accounts.services import create_user
    from touzi.plans.models import Domain
    from touzi.projects.services import ProjectInput, create_project
    from touzi.testing import load_file
    from touzi.units.choices import UnitKind
    from touzi.units.models import Unit

    call_command("migrate", verbosity=0)
    from django.conf import settings

    load_file(settings.DEFAULT_PLAN_FILE)
    counties = list(Unit.objects.filter(kind=UnitKind.COUNTY).order_by("division_code"))
    domain = Domain.objects.filter(children__isnull=True).order_by("id").first()
    users: dict[str, list[int]] = {}
    for i in range(owners):
        unit = Unit.objects.create(key=f"load-owner-{i}", name=f"压测业主{i}", kind=UnitKind.ENTERPRISE)
        name = f"load-owner-{i}"
        create_user(name, PASSWORD, role=Role.OWNER, unit=unit, actor=System("bench"))
        ids = []
        for j in range(per_owner):
            county = counties[(i + j) % len(counties)]
            values = {"name": f"压测项目{i}-{j}", "code": f"2025-{county.division_code}-00-01-{i * 10 + j:06d}",
                      "domain": domain, "county": county, "owner": unit, "total_investment": Decimal(10_000_000),
                      "planned_start": dt.date(2025, 1, 1), "planned_completion": dt.date(2027, 12, 1)}
            ids.append(create_project(ProjectInput(values=values, extra={"stage": "continuing"}),
                                      actor=System("bench")).pk)
        users[name] = ids
    create_user("load-stats", PASSWORD, role=Role.STATISTICS, unit=Unit.objects.get(key="stats"), actor=System("bench"))
    from django.db import connections

    connections.close_all()
    return users


class Ledger:
    """What the server acknowledged, per report: the versions it reached and the amount of each owner write."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.writes: dict[int, list[tuple[int, str, str | None]]] = defaultdict(list)  # id → (version, kind, amount)
        self.creates: dict[tuple[int, str], list[int]] = defaultdict(list)  # (project, period) → report ids
        self.conflicts_409: list[tuple[int, str]] = []
        self.conflicts_412: list[tuple[int, int]] = []  # (report, version sent)
        self.other: Counter = Counter()
        self.races: Counter[str] = Counter()

    def acked(self, report: int, version: int, kind: str, amount: str | None) -> None:
        with self.lock:
            self.writes[report].append((version, kind, amount))


def _amount(rng: random.Random, avoid: str | None) -> str:
    """A new figure, never the one the report holds (a correction that changes nothing is not a write)."""
    while True:
        value = f"{rng.randint(1, 5000)}.{rng.randint(0, 99):02d}"
        if avoid is None or Decimal(value) != Decimal(avoid):
            return value


class Owner(threading.Thread):
    def __init__(self, username: str, projects: list[int], port: int, recorder: Recorder, ledger: Ledger,
                 until: float, seed: int, race_share: float, ready: threading.Barrier) -> None:
        super().__init__(daemon=True)
        self.ready = ready
        self.username, self.projects, self.ledger, self.until = username, projects, ledger, until
        self.user = VirtualUser(port, recorder)
        self.port, self.recorder = port, recorder
        self.rng = random.Random(seed)
        self.race_share = race_share
        self.known: dict[tuple[int, str], dict] = {}  # (project, period) → last report seen
        self.error: str = ""

    def run(self) -> None:
        try:
            self.user.sign_in(self.username)
            self.twin = VirtualUser(self.port, self.recorder)  # a second tab with the same session
            self.twin.cookies = self.user.cookies
            self.ready.wait(timeout=900)
            while time.time() < self.until:
                self.step()
        except Exception as exc:  # reported with the figures
            self.error = f"{self.username}: {exc!r}"
            self.ready.abort()

    def step(self) -> None:
        slots = [(p, period) for p in self.projects for period in PERIODS]
        free = [s for s in slots if s not in self.known]
        race = self.rng.random() < self.race_share
        if free and (self.rng.random() < 0.3 or not self.known):
            self.create(self.rng.choice(free), race)
        else:
            self.correct(self.rng.choice(list(self.known)), race)

    def _post(self, client: VirtualUser, slot: tuple[int, str], amount: str, out: list) -> None:
        out.append((client.json("POST", "/api/v1/reports", {"project": slot[0], "period": slot[1], "amount": amount,
                                                            "progress": "压测"}, label="create report"), amount))

    def _put(self, client: VirtualUser, report: dict, amount: str, out: list) -> None:
        out.append((client.json("PUT", f"/api/v1/reports/{report['id']}", {"amount": amount, "progress": "压测更正"},
                                label="correct report", headers={"If-Match": f'"{report["version"]}"'}), amount))

    def _both(self, action, target, race: bool) -> list:
        out: list = []
        if race:
            amounts = [_amount(self.rng, None), _amount(self.rng, None)]
            if isinstance(target, dict):
                while Decimal(str(target["amount"])) in {Decimal(a) for a in amounts} or amounts[0] == amounts[1]:
                    amounts = [_amount(self.rng, None), _amount(self.rng, None)]
            threads = [threading.Thread(target=action, args=(c, target, a, out))
                       for c, a in ((self.user, amounts[0]), (self.twin, amounts[1]))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        else:
            action(self.user, target, _amount(self.rng, str(target["amount"]) if isinstance(target, dict) else None), out)
        return out

    def create(self, slot: tuple[int, str], race: bool) -> None:
        results = self._both(self._post, slot, race)
        won = [(body, amount) for (status, body), amount in results if status == 201]
        for (status, body), _ in results:
            if status == 201:
                self.ledger.acked(body["id"], body["version"], "create", body["amount"])
                with self.ledger.lock:
                    self.ledger.creates[slot].append(body["id"])
                self.known[slot] = body
            elif status == 409:
                with self.ledger.lock:
                    self.ledger.conflicts_409.append(slot)
            else:
                with self.ledger.lock:
                    self.ledger.other[f"create {status}"] += 1
        if race:
            with self.ledger.lock:
                self.ledger.races["create: one winner" if len(won) == 1 else f"create: {len(won)} winners"] += 1
        if slot not in self.known:
            self.refresh(slot)

    def correct(self, slot: tuple[int, str], race: bool) -> None:
        report = self.known[slot]
        results = self._both(self._put, report, race)
        won = 0
        for (status, body), amount in results:
            if status == 200:
                won += 1
                self.ledger.acked(body["id"], body["version"], "correct", body["amount"])
                if Decimal(body["amount"]) != Decimal(amount):
                    with self.ledger.lock:
                        self.ledger.other["200 with another amount"] += 1
                if body["version"] > self.known[slot]["version"]:
                    self.known[slot] = body
            elif status == 412:
                with self.ledger.lock:
                    self.ledger.conflicts_412.append((report["id"], report["version"]))
            else:
                with self.ledger.lock:
                    self.ledger.other[f"correct {status}"] += 1
        if race:
            with self.ledger.lock:
                self.ledger.races["correct: one winner" if won == 1 else f"correct: {won} winners"] += 1
        if won != len(results):
            self.refresh(slot)

    def refresh(self, slot: tuple[int, str]) -> None:
        status, rows = self.user.json("GET", f"/api/v1/reports?period={slot[1]}&limit=1000", label="read reports")
        if status == 200:
            for row in rows:
                if row["project"] == slot[0]:
                    self.known[slot] = row


class Reviewer(threading.Thread):
    """The statistics bureau returning submitted reports now and then (each return moves the version)."""

    def __init__(self, port: int, recorder: Recorder, ledger: Ledger, until: float, pause: float,
                 ready: threading.Barrier) -> None:
        super().__init__(daemon=True)
        self.ready = ready
        self.user = VirtualUser(port, recorder)
        self.ledger, self.until, self.pause = ledger, until, pause
        self.rng = random.Random(99)
        self.error = ""

    def run(self) -> None:
        try:
            self.user.sign_in("load-stats")
            self.ready.wait(timeout=900)
            while time.time() < self.until:
                period = self.rng.choice(PERIODS)
                status, rows = self.user.json("GET", f"/api/v1/reports?period={period}&status=submitted&limit=200",
                                              label="review list")
                if status == 200 and rows:
                    row = self.rng.choice(rows)
                    status, body = self.user.json("POST", f"/api/v1/reports/{row['id']}/return",
                                                  {"reason": "压测退回"}, label="return report")
                    if status == 200:
                        self.ledger.acked(body["id"], body["version"], "return", None)
                    elif status != 400:  # 400: corrected or returned meanwhile, not submitted any more
                        with self.ledger.lock:
                            self.ledger.other[f"return {status}"] += 1
                time.sleep(self.pause)
        except Exception as exc:  # reported with the figures
            self.error = f"reviewer: {exc!r}"
            self.ready.abort()


def check(ledger: Ledger, database_url: str, started_audit_id: int) -> dict:
    """Compare the ledger of acknowledged writes with the database."""
    from django.db.models import Count

    from touzi.audit.models import AuditRecord
    from touzi.reports.models import MonthlyReport

    problems: list[str] = []
    duplicates = (MonthlyReport.objects.values("project", "month").annotate(n=Count("id")).filter(n__gt=1).count())
    if duplicates:
        problems.append(f"{duplicates} duplicate (project, month)")
    for slot, ids in ledger.creates.items():
        if len(ids) != 1:
            problems.append(f"{slot}: {len(ids)} acknowledged creations")
    rows = {r.pk: r for r in MonthlyReport.objects.all()}
    lost = 0
    for report_id, writes in ledger.writes.items():
        row = rows.get(report_id)
        if row is None:
            problems.append(f"report {report_id} acknowledged but absent")
            continue
        versions = sorted(v for v, _, _ in writes)
        if versions != list(range(1, len(versions) + 1)) or row.version != versions[-1]:
            lost += 1
            if lost <= 5:
                problems.append(f"report {report_id}: acknowledged versions {versions}, database {row.version}")
        last_amount = max(((v, a) for v, kind, a in writes if a is not None), default=(0, None))[1]
        if last_amount is not None and Decimal(last_amount) != row.amount:
            lost += 1
            problems.append(f"report {report_id}: last acknowledged amount {last_amount}, database {row.amount}")
    unacknowledged = sum(1 for pk in rows if pk not in ledger.writes)
    if unacknowledged:
        problems.append(f"{unacknowledged} reports in the database no client was told about")
    # A 409 is genuine when the (project, month) had a report; a 412 when its version had been superseded.
    fake_409 = sum(1 for slot in ledger.conflicts_409 if len(ledger.creates.get(slot, [])) != 1)
    fake_412 = sum(1 for rid, sent in ledger.conflicts_412
                   if not any(v == sent + 1 for v, _, _ in ledger.writes.get(rid, [])))
    if fake_409 or fake_412:
        problems.append(f"conflicts without a winner: {fake_409} × 409, {fake_412} × 412")
    acked = sum(len(w) for w in ledger.writes.values())
    audited = AuditRecord.objects.filter(id__gt=started_audit_id, object_type="reports.monthlyreport").count()
    if audited != acked:
        problems.append(f"{audited} audit records of reports for {acked} acknowledged writes")
    verify = subprocess.run(touzi_command("audit", "verify"), capture_output=True,
                            text=True, env={**__import__("os").environ, "DATABASE_URL": database_url})
    if verify.returncode:
        problems.append(f"touzi audit verify failed: {verify.stdout.strip()} {verify.stderr.strip()[-300:]}")
    if ledger.other:
        problems.append(f"unexpected answers: {dict(ledger.other)}")
    return {"reports": len(rows), "acknowledged_writes": acked, "audit_records": audited,
            "conflicts_409": len(ledger.conflicts_409), "conflicts_412": len(ledger.conflicts_412),
            "races": dict(ledger.races), "audit_verify": verify.returncode == 0, "problems": problems}


def _threads(owners: list[Owner], reviewer: Reviewer) -> list[Owner | Reviewer]:
    return [*owners, reviewer]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=50)
    parser.add_argument("--projects-per-owner", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--race-share", type=float, default=0.15, help="share of acts sent twice at once")
    parser.add_argument("--review-pause", type=float, default=0.2)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/touzi_e_load")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.database_url.startswith("postgres"):
        recreate_postgres(args.database_url)
    setup_django(args.database_url)
    t0 = time.time()
    users = build_data(args.owners, args.projects_per_owner)
    setup_seconds = time.time() - t0
    from touzi.audit.models import AuditRecord

    started_audit_id = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    from django.db import connections

    connections.close_all()
    recorder, ledger = Recorder(), Ledger()
    with Server(args.port, args.database_url, workers=args.workers, threads=args.threads):
        owners: list[Owner] = []
        reviewer: Reviewer

        def start_window() -> None:  # once everybody has signed in (argon2 for 51 users): the measured time
            until = time.time() + args.seconds
            for thread in _threads(owners, reviewer):
                thread.until = until

        ready = threading.Barrier(args.owners + 1, action=start_window)
        owners += [Owner(name, ids, args.port, recorder, ledger, 0, seed, args.race_share, ready)
                   for seed, (name, ids) in enumerate(users.items())]
        reviewer = Reviewer(args.port, recorder, ledger, 0, args.review_pause, ready)
        for thread in _threads(owners, reviewer):
            thread.start()
        for thread in _threads(owners, reviewer):
            thread.join(timeout=args.seconds + 1500)
        measured_from = reviewer.until - args.seconds
    result = check(ledger, args.database_url, started_audit_id)
    errors = [t.error for t in _threads(owners, reviewer) if t.error]
    writes = [s for s in recorder.samples if s.label in ("create report", "correct report", "return report")]
    out = {"database": "postgresql" if args.database_url.startswith("postgres") else "sqlite",
           "owners": args.owners, "seconds": args.seconds, "setup_seconds": round(setup_seconds, 1),
           "all": recorder.summary(since=measured_from),
           "writes": {"requests": len(writes), "statuses": dict(Counter(s.status for s in writes))},
           **{label: recorder.summary(label, since=measured_from)
              for label in ("create report", "correct report", "read reports", "return report")},
           "check": result, "client_errors": errors}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        a = out["all"]
        print(f"{args.owners} owners + 1 reviewer, {args.seconds:.0f} s, {out['database']}, gunicorn "
              f"{args.workers}×{args.threads}")
        print(f"requests {a['requests']}  {a['per_second']}/s  p50 {a['p50_ms']} ms  p95 {a['p95_ms']} ms  "
              f"p99 {a['p99_ms']} ms  answers {a['statuses']}")
        for label in ("create report", "correct report", "read reports", "return report"):
            s = out[label]
            print(f"  {label:<16} {s['requests']:>6}  p50 {s['p50_ms']:>7} ms  p95 {s['p95_ms']:>7} ms  "
                  f"p99 {s['p99_ms']:>7} ms  {s['statuses']}")
        c = out["check"]
        print(f"database: {c['reports']} reports, {c['acknowledged_writes']} acknowledged writes, "
              f"{c['audit_records']} audit records, 409 × {c['conflicts_409']}, 412 × {c['conflicts_412']}, "
              f"races {c['races']}, audit verify {'ok' if c['audit_verify'] else 'FAILED'}")
        print("problems: " + ("none" if not c["problems"] and not errors else "; ".join(c["problems"] + errors)))
    sys.exit(1 if out["check"]["problems"] or errors or out["all"]["errors"] else 0)


if __name__ == "__main__":
    main()
