"""Month-end load (issue 25): a province's deadline day, owners submitting with evidence, counties reviewing.

    python -m touzi.bench.p5_monthend --size province \
        --database-url postgres://postgres@127.0.0.1:5432/touzi_bench_p5m \
        [--users 200] [--seconds 300] [--think-min 2] [--think-max 5] [--workers 4] [--threads 4] [--json]

    touzi bench --size province --database-url … --only MONTHEND      (the same, with the defaults)

On the province data set (touzi/bench/data.py: 20,000 projects, accepted reports for every month through
2023-12), gunicorn on PostgreSQL with the dashboard cache in Redis, `--users` people sign in through the
sign-in page once each and, for `--seconds`, work as they do on the last day, pausing `--think-min` to
`--think-max` seconds (uniform) after every page:

- ~70 % project owners (the generated owners whose projects are under way): the to-do page 本月待填报
  (`/field/`) or their project list, then the report form of the next month they owe
  (`/reports/new/?project=…&month=…`), then the form sent as a browser sends it — multipart, with a PNG
  of ~100 kB as 佐证材料 — and the report's page the answer redirects to;
- ~20 % county statistics bureaus (a statistics account per county whose unit's region is the county, so
  it reviews that county's reports only): the review queue (`/reports/?review=1`), a report's page, then
  accept (4 in 5) or return with a reason through the API (`POST /api/v1/reports/{id}/accept|return`);
- ~10 % the plan office and the statistics bureau: the dashboard, the project list and filtered pages of
  the month (as P4).

The owners owe the data set's last two months (2023-11 and 2023-12, inside the plan, so 本月待填报 lists
them): before each run the bench deletes the generated reports of those two months of its owners'
projects (and whatever an earlier run wrote there) and recounts those projects' counted years — the
generated data set has no audit trail of its own, and every write of the run is the product's, audited.
Amounts stay within each project's remaining total investment.

Every acknowledged write goes in a ledger (a submission: the 302 to the new report's page; a review: the
API's 200 with the new status) and is checked against the database afterwards: every acknowledged
submission is there with its amount and its evidence (same SHA-256, file in storage), every acknowledged
review moved the report to its status, no (project, month) twice, no report nobody was told about, one
audit record per acknowledged act, no 5xx, and `touzi audit verify` passes. Reported per page kind:
requests, p50/p95/p99, errors; and the server's CPU (gunicorn and its PostgreSQL backends, /proc) over the
window divided by the pages served — the figure docs/scaling.md turns into capacity.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import struct
import subprocess
import threading
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from touzi.bench import touzi_command, work_dir
from touzi.bench.loadlib import Recorder, Server, VirtualUser
from touzi.core.actor import System

GOAL_MS = 300
GOAL_PAGES = ("dashboard", "project list", "report submission")
PAGES = ("owner to-do", "project list", "report form", "report submission", "report page",
         "review queue", "review act", "dashboard", "project list filtered")
REDIS_DB = 13  # a Redis database of this benchmark's own (P4 uses 11)
RETURN_REASON = "压测退回:佐证材料与形象进度不符,请补充"
BOUNDARY = "----touzi-bench-p5m"


def png(seed: int, width: int = 190, height: int = 180) -> bytes:
    """A valid PNG of random pixels (~100 kB: noise does not compress), different for every seed."""
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """The body a browser sends for a form with files, and its Content-Type."""
    parts = []
    for name, value in fields.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for name, (filename, content_type, data) in files.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}"


# --- the data: accounts, owed months, room for the amounts -------------------------------------------------


@dataclass
class Cast:
    """Who takes part: owners with their owed slots, county reviewers, the office."""

    months: list[dt.date]
    owners: dict[str, list[tuple[int, dt.date, Decimal]]] = field(default_factory=dict)  # name → (project, month, room)
    reviewers: dict[str, str] = field(default_factory=dict)  # name → county key
    office: list[str] = field(default_factory=list)
    projects: list[int] = field(default_factory=list)


def _mix(users: int) -> tuple[int, int, int]:
    reviewers = max(1, round(users * 0.2))
    office = max(1, round(users * 0.1))
    return users - reviewers - office, reviewers, office


def prepare(size: str, users: int) -> Cast:
    """Accounts (created once, through the service), the owed months emptied, each slot's amount room."""
    from django.db import transaction
    from django.db.models import Count, Sum

    from touzi.accounts.choices import Role
    from touzi.accounts.models import User
    from touzi.accounts.services import create_user
    from touzi.bench.data import SIZES, months_of
    from touzi.bench.loadlib import PASSWORD
    from touzi.projects.models import Project
    from touzi.reports import counted
    from touzi.reports.models import Adjustment, MonthlyReport
    from touzi.units.choices import UnitKind
    from touzi.units.models import Unit

    months = months_of(SIZES[size])[-2:]
    n_owners, n_reviewers, n_office = _mix(users)
    under_way = ["new_start", "continuing"]
    # Counties whose code names one county (not ending in 00, which would read as a city's region), each with
    # the owners of projects under way in it.
    by_county: dict[int, list[int]] = defaultdict(list)
    rows = (Project.objects.filter(stage__in=under_way, county__kind=UnitKind.COUNTY)
            .exclude(county__division_code__endswith="00").exclude(county__division_code="")
            .values("county", "owner").annotate(n=Count("id"))
            .filter(n__gte=len(months)).order_by("county", "owner"))
    for row in rows:
        by_county[row["county"]].append(row["owner"])
    counties = sorted(by_county)[:n_reviewers]
    if not counties:
        raise RuntimeError("no county with owners of projects under way: is the data set there?")
    owners: list[int] = []
    depth = 0
    while len(owners) < n_owners and depth < max(len(v) for v in by_county.values()):
        owners += [by_county[c][depth] for c in counties if depth < len(by_county[c])]
        depth += 1
    owners = owners[:n_owners]
    if len(owners) < n_owners:
        raise RuntimeError(f"only {len(owners)} owners in {len(counties)} counties for {n_owners} owner accounts")

    cast = Cast(months=months)
    bench = System("bench")
    plan: list[tuple[str, str, Unit]] = []
    # Accounts are named after their unit, so a run with another number of users finds each one's own unit.
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[*owners, *counties])}
    names = {owner: f"p5m-owner-{units[owner].key}" for owner in owners}
    for owner in owners:
        plan.append((names[owner], Role.OWNER, units[owner]))
    for county_id in counties:
        county = units[county_id]
        bureau, _ = Unit.objects.get_or_create(key=f"p5m-stats-{county.key}", defaults={
            "name": f"{county.name}统计局", "kind": UnitKind.BUREAU, "region_code": county.division_code})
        plan.append((f"p5m-county-{county.key}", Role.STATISTICS, bureau))
        cast.reviewers[f"p5m-county-{county.key}"] = county.key
    for i in range(n_office):
        role, key = (Role.PLAN_OFFICE, "drc") if i % 2 == 0 else (Role.STATISTICS, "stats")
        plan.append((f"p5m-office-{i}", role, Unit.objects.get(key=key)))
        cast.office.append(f"p5m-office-{i}")
    for username, kind, unit in plan:
        if not User.objects.filter(username=username).exists():
            create_user(username, PASSWORD, role=kind, unit=unit, actor=bench)

    projects = list(Project.objects.filter(owner__in=owners, stage__in=under_way).order_by("owner", "id")
                    .values_list("id", "owner"))
    ids = [pk for pk, _ in projects]
    with transaction.atomic():
        # The owed months: the generated figures and whatever an earlier run wrote there (with another cast,
        # e.g. fewer users) go; the counted years of those projects follow.
        earlier = MonthlyReport.objects.filter(month__in=months, submitted_by__username__startswith="p5m-")
        touched = set(ids) | set(earlier.values_list("project", flat=True))
        MonthlyReport.objects.filter(project__in=touched, month__in=months).delete()
        counted.refresh(sorted(touched))
    # Room left under each project's total investment (reports of every status and adjustments, as the cap counts).
    spent = dict(MonthlyReport.objects.filter(project__in=ids).values("project").annotate(s=Sum("amount"))
                 .values_list("project", "s"))
    adjusted = dict(Adjustment.objects.filter(project__in=ids).values("project").annotate(s=Sum("delta"))
                    .values_list("project", "s"))
    totals = dict(Project.objects.filter(pk__in=ids).values_list("id", "total_investment"))
    for name in names.values():
        cast.owners[name] = []
    for pk, owner in projects:
        room = totals[pk] - (spent.get(pk) or 0) - (adjusted.get(pk) or 0)
        for month in months:  # the older owed month first, as the to-do lists them
            cast.owners[names[owner]].append((pk, month, room / len(months)))
    for name in cast.owners:
        cast.owners[name].sort(key=lambda slot: (slot[1], slot[0]))
    cast.projects = ids
    return cast


# --- the ledger ----------------------------------------------------------------------------------------------


class Ledger:
    """Every write the server acknowledged, and every answer nobody expected."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.submissions: dict[tuple[int, str], list[tuple[int, str, str, str]]] = defaultdict(list)
        self.reviews: list[tuple[int, str, int, str]] = []  # (report, status, version, reviewer)
        self.review_conflicts = 0  # 400: the report was no longer submitted (another reviewer of the county)
        self.refused: Counter[str] = Counter()  # submissions refused by the form (200 with errors)
        self.other: Counter[str] = Counter()

    def submitted(self, slot: tuple[int, str], report: int, amount: str, sha256: str, name: str) -> None:
        with self.lock:
            self.submissions[slot].append((report, amount, sha256, name))

    def reviewed(self, report: int, status: str, version: int, reviewer: str) -> None:
        with self.lock:
            self.reviews.append((report, status, version, reviewer))

    def count(self, what: str, into: Counter[str] | None = None) -> None:
        with self.lock:
            (self.other if into is None else into)[what] += 1


# --- the people ----------------------------------------------------------------------------------------------


class Person(threading.Thread):
    def __init__(self, username: str, port: int, cold: Recorder, recorder: Recorder, ledger: Ledger,
                 ready: threading.Barrier, think: tuple[float, float], seed: int, month: str) -> None:
        super().__init__(daemon=True)
        self.username, self.port, self.ledger, self.ready, self.think = username, port, ledger, ready, think
        self.cold, self.recorder = cold, recorder
        self.rng = random.Random(seed)
        self.month = month  # the month the office looks at (the newest owed)
        self.until = 0.0
        self.error = ""
        self.user: VirtualUser

    def pause(self) -> None:
        time.sleep(self.rng.uniform(*self.think))

    def page(self, path: str, label: str) -> tuple[int, bytes]:
        status, body = self.user.get(path, label=label)
        if status != 200:
            self.ledger.count(f"{label} {status}")
        return status, body

    def warm(self) -> None:
        """Before the window (not measured)."""

    def run(self) -> None:
        try:
            self.user = VirtualUser(self.port, self.cold)
            self.user.sign_in(self.username)
            self.warm()
            self.ready.wait(timeout=1800)
            self.user.recorder = self.recorder
            time.sleep(self.rng.uniform(0, self.think[1]))  # people do not all click at the same second
            while time.time() < self.until:
                self.step()
        except Exception as exc:  # reported with the figures
            self.error = f"{self.username}: {exc!r}"

    def step(self) -> None:
        raise NotImplementedError


class Owner(Person):
    slots: list[tuple[int, dt.date, Decimal]]

    def step(self) -> None:
        if self.rng.random() < 0.5:
            self.page("/field/", "owner to-do")
        else:
            self.page(f"/projects/?month={self.month}", "project list")
        self.pause()
        if not self.slots or time.time() >= self.until:
            return
        project, month, room = self.slots.pop(0)
        period = f"{month:%Y-%m}"
        status, _ = self.page(f"/reports/new/?project={project}&month={period}", "report form")
        self.pause()
        if time.time() >= self.until:
            return
        cap = min(Decimal(30), room)
        amount = (Decimal(self.rng.uniform(0.01, float(cap))) if cap > Decimal("0.01") else Decimal(0)) \
            .quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        picture = png(zlib.crc32(f"{self.username} {project} {period}".encode()))
        name = f"现场{project}-{period}.png"
        body, content_type = multipart(
            {"csrfmiddlewaretoken": self.user.cookies.get("csrftoken", ""), "project": str(project),
             "month": period, "amount": str(amount), "progress": "主体结构施工,按计划推进", "problems": ""},
            {"evidence": (name, "image/png", picture)})
        status, data, headers = self.user.request("POST", "/reports/new/", label="report submission", body=body,
                                                  headers={"Content-Type": content_type})
        location = headers.get("location", "")
        found = re.search(r"/reports/(\d+)/$", location)
        if status == 302 and found:
            self.ledger.submitted((project, period), int(found.group(1)), str(amount),
                                  hashlib.sha256(picture).hexdigest(), name)
            self.page(location, "report page")
        elif status == 200:  # the form again, with its errors: a refusal, not a write
            error = re.search(rb'class="errorlist"[^>]*>\s*(?:<li>)?([^<]+)', data)
            self.ledger.count(error.group(1).decode().strip()[:80] if error else "form shown again", self.ledger.refused)
        else:
            self.ledger.count(f"report submission {status}")
        self.pause()


class Reviewer(Person):
    def step(self) -> None:
        status, body = self.page("/reports/?review=1", "review queue")
        self.pause()
        ids = [int(i) for i in re.findall(rb'data-report="(\d+)"', body)] if status == 200 else []
        if not ids or time.time() >= self.until:
            return
        report = self.rng.choice(ids[:10])
        self.page(f"/reports/{report}/", "report page")
        self.pause()
        accept = self.rng.random() < 0.8
        path = f"/api/v1/reports/{report}/" + ("accept" if accept else "return")
        status, out = self.user.json("POST", path, None if accept else {"reason": RETURN_REASON}, label="review act")
        if status == 200 and isinstance(out, dict):
            self.ledger.reviewed(report, out["status"], out["version"], self.username)
        elif status == 400:
            with self.ledger.lock:
                self.ledger.review_conflicts += 1
        else:
            self.ledger.count(f"review act {status}")
        self.pause()


class Office(Person):
    filtered: list[str]

    def warm(self) -> None:
        self.user.get(f"/?month={self.month}", label="dashboard (first, cold)")

    def step(self) -> None:
        label, url = self.rng.choice([("dashboard", f"/?month={self.month}"), ("dashboard", f"/?month={self.month}"),
                                      ("project list", f"/projects/?month={self.month}"),
                                      ("project list filtered", self.rng.choice(self.filtered))])
        self.page(url, label)
        self.pause()


class Waits(threading.Thread):
    """What the benchmark database's active backends are doing, sampled every second (pg_stat_activity): the
    share waiting for a lock (the audit chain's advisory lock, a report row) beside those running."""

    def __init__(self, database_url: str, database: str) -> None:
        super().__init__(daemon=True)
        self.url, self.database = database_url.replace("postgres://", "postgresql://", 1), database
        self.samples = 0
        self.seen: Counter[str] = Counter()
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(1.0):
                rows = conn.execute(
                    "SELECT coalesce(wait_event_type || ':' || wait_event, 'running'), count(*) FROM pg_stat_activity"
                    " WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1",
                    [self.database]).fetchall()
                self.samples += 1
                for what, n in rows:
                    self.seen[what] += n

    def summary(self) -> dict[str, float]:
        """Mean number of active backends in each state over the samples."""
        return {k: round(v / max(1, self.samples), 2) for k, v in self.seen.most_common(8)}


# --- the check -----------------------------------------------------------------------------------------------


def check(ledger: Ledger, cast: Cast, started_audit_id: int, database_url: str) -> dict[str, Any]:
    from django.db.models import Count

    from touzi.audit.models import AuditRecord
    from touzi.reports.models import Evidence, MonthlyReport

    problems: list[str] = []
    duplicates = MonthlyReport.objects.values("project", "month").annotate(n=Count("id")).filter(n__gt=1).count()
    if duplicates:
        problems.append(f"{duplicates} duplicate (project, month)")
    rows = {r.pk: r for r in MonthlyReport.objects.filter(project__in=cast.projects, month__in=cast.months)}
    reviewed_ids = {r for r, _, _, _ in ledger.reviews}
    rows.update({r.pk: r for r in MonthlyReport.objects.filter(pk__in=reviewed_ids - set(rows))})
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(report__in=list(rows)):
        evidence[item.report_id].append(item)
    acked_ids = set()
    missing_files = lost = 0
    for slot, acks in ledger.submissions.items():
        if len(acks) != 1:
            problems.append(f"{slot}: {len(acks)} acknowledged submissions")
        for report_id, amount, sha256, name in acks:
            acked_ids.add(report_id)
            row = rows.get(report_id)
            if row is None or (row.project_id, f"{row.month:%Y-%m}") != slot or row.amount != Decimal(amount):
                lost += 1
                if lost <= 5:
                    problems.append(f"report {report_id} {slot}: acknowledged {amount}, database "
                                    f"{None if row is None else (row.project_id, row.month, row.amount)}")
                continue
            files = [e for e in evidence[report_id] if e.sha256 == sha256 and e.original_name == name]
            if len(files) != 1:
                lost += 1
                problems.append(f"report {report_id}: {len(files)} evidence files with the acknowledged digest")
            elif not files[0].file.storage.exists(files[0].file.name or "") or files[0].file.size != files[0].size:
                missing_files += 1
    if missing_files:
        problems.append(f"{missing_files} evidence files missing from storage")
    unacknowledged = [pk for pk in rows if pk not in acked_ids]
    if unacknowledged:  # written, but the answer never reached its owner (a lost answer, not a lost write)
        problems.append(f"{len(unacknowledged)} reports in the database no owner was told about")
    review_mismatch = 0
    reviewed: Counter[int] = Counter(r for r, _, _, _ in ledger.reviews)
    for report_id, status, version, _reviewer in ledger.reviews:
        row = rows.get(report_id)
        if row is None or row.status != status or row.version != version or reviewed[report_id] != 1:
            review_mismatch += 1
            if review_mismatch <= 5:
                problems.append(f"review of {report_id}: acknowledged {status} v{version}, database "
                                f"{None if row is None else (row.status, row.version)}")
    submitted_left = sum(1 for r in rows.values() if r.status == "submitted" and r.pk not in reviewed)
    creates = sum(len(a) for a in ledger.submissions.values())
    audit = Counter(AuditRecord.objects.filter(id__gt=started_audit_id)
                    .values_list("object_type", flat=True))
    expected = {"reports.monthlyreport": creates + len(ledger.reviews), "reports.evidence": creates}
    for kind, n in expected.items():
        if audit.get(kind, 0) != n:
            problems.append(f"{audit.get(kind, 0)} audit records of {kind} for {n} acknowledged acts")
    verify = subprocess.run(touzi_command("audit", "verify"), capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": database_url}, check=False)
    if verify.returncode:
        problems.append(f"touzi audit verify failed: {verify.stdout.strip()[-300:]} {verify.stderr.strip()[-300:]}")
    if ledger.other:
        problems.append(f"unexpected answers: {dict(ledger.other)}")
    return {"reports_written": len(rows), "acknowledged_submissions": creates,
            "acknowledged_reviews": len(ledger.reviews),
            "reviews": dict(Counter(s for _, s, _, _ in ledger.reviews)),
            "review_conflicts_400": ledger.review_conflicts, "refused_by_form": dict(ledger.refused),
            "left_submitted": submitted_left, "lost_writes": lost + review_mismatch,
            "audit_records": {k: audit.get(k, 0) for k in expected}, "audit_verify": verify.returncode == 0,
            "problems": problems}


# --- the run -------------------------------------------------------------------------------------------------


def _uptime() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(database_url: str, size: str = "province", *, users: int = 200, seconds: float = 300,
            think: tuple[float, float] = (2.0, 5.0), port: int = 8175, workers: int = 4,
            threads: int = 4) -> dict[str, Any]:
    from touzi.bench.data import create_database, ensure, setup
    from touzi.bench.p4_web import _cpu_seconds, _pages, _server_pids

    load_before = _uptime()
    database = database_url.rsplit("/", 1)[1].split("?")[0]
    # The audit checkpoints of this database in a file of their own: the installation's default file holds
    # another database's checkpoints when the benchmarks run beside development, and `audit verify` would fail.
    checkpoints = work_dir() / f"{database}-audit-checkpoints.jsonl"
    checkpoints.parent.mkdir(parents=True, exist_ok=True)
    os.environ["TOUZI_AUDIT_CHECKPOINT_FILE"] = str(checkpoints)
    create_database(database_url)
    setup(database_url)
    from django.conf import settings

    settings.AUDIT_CHECKPOINT_FILE = checkpoints  # when Django was set up before (touzi bench's child)
    if ensure(size)["generated"]:
        checkpoints.unlink(missing_ok=True)  # a new database: an older one's checkpoints do not apply
    os.environ["TOUZI_MEDIA_ROOT"] = str(settings.MEDIA_ROOT)  # the server stores where the check looks
    # Connections kept for the whole run: a PostgreSQL backend that closes in the window (60 s by default)
    # takes its CPU seconds with it and the server's CPU would be undercounted.
    os.environ.setdefault("TOUZI_DB_CONN_MAX_AGE_SERVER", "3600")
    t0 = time.time()
    cast = prepare(size, users)
    setup_seconds = time.time() - t0
    month = f"{cast.months[-1]:%Y-%m}"
    filtered = [url for label, url in _pages(month) if label == "project list filtered"]
    from touzi.audit.models import AuditRecord

    started_audit_id = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    from django.db import connections

    connections.close_all()
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True, check=False)
    recorder, cold, ledger = Recorder(), Recorder(), Ledger()
    people: list[Person] = []
    window: dict[str, Any] = {}

    def start_window() -> None:  # once everybody has signed in (and the office has seen its dashboard once)
        window["started"] = time.time()
        window["cpu"] = _cpu_seconds(_server_pids(server, database))
        waits.start()
        for person in people:
            person.until = window["started"] + seconds

    waits = Waits(database_url, database)
    ready = threading.Barrier(users + 1, action=start_window)
    with Server(port, database_url, workers=workers, threads=threads,
                cache_url=f"redis://127.0.0.1:6379/{REDIS_DB}") as server:
        seed = 0
        for name, slots in cast.owners.items():
            owner = Owner(name, port, cold, recorder, ledger, ready, think, seed, month)
            owner.slots = list(slots)
            people.append(owner)
            seed += 1
        for name in cast.reviewers:
            people.append(Reviewer(name, port, cold, recorder, ledger, ready, think, seed, month))
            seed += 1
        for name in cast.office:
            office = Office(name, port, cold, recorder, ledger, ready, think, seed, month)
            office.filtered = filtered
            people.append(office)
            seed += 1
        for person in people:
            person.start()
        try:
            ready.wait(timeout=1800)
        except threading.BrokenBarrierError:
            pass
        for person in people:
            person.join(timeout=seconds + 600)
        ended = time.time()
        waits.stop.set()
        used = {pid: cpu - window.get("cpu", {}).get(pid, 0.0)
                for pid, cpu in _cpu_seconds(_server_pids(server, database)).items()}
        web = _server_pids(server, "")  # gunicorn's master and workers only (no database of that name)
        server_cpu = sum(used.values())
        gunicorn_cpu = sum(v for pid, v in used.items() if pid in web)
    load_after = _uptime()
    started = window.get("started", ended)
    figures = {label: recorder.summary(label, since=started) for label in PAGES}
    figures = {k: v for k, v in figures.items() if v["requests"]}
    pages = sum(f["requests"] for f in figures.values())
    from django.db import close_old_connections

    close_old_connections()
    result = check(ledger, cast, started_audit_id, database_url)
    every = recorder.summary()
    return {"size": size, "users": users, "mix": {"owners": len(cast.owners), "county reviewers": len(cast.reviewers),
                                                  "office": len(cast.office)},
            "months_owed": [f"{m:%Y-%m}" for m in cast.months], "seconds": seconds, "think_s": list(think),
            "gunicorn": f"{workers}×{threads}", "setup_seconds": round(setup_seconds, 1),
            "window_seconds": round(ended - started, 1), "figures": figures, "pages": pages,
            "pages_per_second": round(pages / max(1e-9, ended - started), 1),
            "server_cpu_s": round(server_cpu, 1), "server_cpu_ms_per_page": round(server_cpu * 1000 / max(1, pages), 1),
            "server_cores_busy": round(server_cpu / max(1e-9, ended - started), 2),
            "gunicorn_cpu_s": round(gunicorn_cpu, 1), "postgres_cpu_s": round(server_cpu - gunicorn_cpu, 1),
            "postgres_active_backends": waits.summary(),
            "errors_5xx_or_connection": every["errors"], "answers": every["statuses"],
            "sign_in": cold.summary("sign in"), "cold_dashboard": cold.summary("dashboard (first, cold)"),
            "check": result, "client_errors": [p.error for p in people if p.error],
            "load_before": load_before, "load_after": load_after, "cores": os.cpu_count()}


def _met(result: dict[str, Any], label: str) -> bool:
    f = result["figures"].get(label)
    return bool(f) and f["p95_ms"] <= GOAL_MS and f["errors"] == 0 and not result["check"]["problems"] \
        and not result["errors_5xx_or_connection"]


def run(size: str, database_url: str | None) -> list[dict[str, Any]]:
    """The month-end figures for `touzi bench` (province on PostgreSQL; other sizes do not apply)."""
    goal = f"p95 ≤ {GOAL_MS} ms, 0 errors, 0 lost writes"
    if size != "province":
        return []
    url = database_url or "postgres://postgres@127.0.0.1:5432/touzi_bench_p5m"
    if not url.startswith("postgres"):
        return [{"id": "MONTHEND", "name": "month-end load (200 users)", "database": "sqlite", "skipped": True,
                 "met": None, "goal": goal, "notes": "measured with gunicorn on PostgreSQL only"}]
    result = measure(url, size)
    out = []
    for label in GOAL_PAGES:
        f = result["figures"].get(label, {"p95_ms": None, "requests": 0, "p50_ms": None, "p99_ms": None})
        out.append({"id": "MONTHEND", "name": f"{label} p95 (month-end, {result['users']} users)",
                    "value": f["p95_ms"], "unit": "ms", "reference": None, "reference_value": None, "ratio": None,
                    "goal": goal, "met": _met(result, label), "database": "postgresql",
                    "notes": f"{f['requests']} requests, p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms; "
                             f"server CPU {result['server_cpu_ms_per_page']} ms per page over {result['pages']} pages; "
                             f"lost writes {result['check']['lost_writes']}; load {result['load_before']} → "
                             f"{result['load_after']}"})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="province")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/touzi_bench_p5m")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=8175)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.database_url, args.size, users=args.users, seconds=args.seconds,
                     think=(args.think_min, args.think_max), port=args.port, workers=args.workers,
                     threads=args.threads)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    mix = ", ".join(f"{n} {k}" for k, n in result["mix"].items())
    print(f"month-end {args.size}: {result['users']} users ({mix}), owed {', '.join(result['months_owed'])}, "
          f"{args.seconds:.0f} s (window {result['window_seconds']} s), pauses {args.think_min}–{args.think_max} s, "
          f"gunicorn {result['gunicorn']}")
    print(f"{'page':<24}{'requests':>9}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}  answers")
    for label, f in result["figures"].items():
        goal = "  (goal)" if label in GOAL_PAGES else ""
        print(f"{label:<24}{f['requests']:>9}{f['per_second']:>8}{f['p50_ms']:>9}{f['p95_ms']:>9}{f['p99_ms']:>9}"
              f"{f['errors']:>8}  {f['statuses']}{goal}")
    print(f"pages {result['pages']} ({result['pages_per_second']}/s); server CPU (gunicorn + PostgreSQL backends) "
          f"{result['server_cpu_s']} s = {result['server_cpu_ms_per_page']} ms per page, "
          f"{result['server_cores_busy']} cores busy of {result['cores']} (gunicorn {result['gunicorn_cpu_s']} s, "
          f"PostgreSQL {result['postgres_cpu_s']} s)")
    c = result["check"]
    print(f"writes: {c['acknowledged_submissions']} submissions acknowledged ({c['reports_written']} reports in the "
          f"owed months), {c['acknowledged_reviews']} reviews {c['reviews']}, {c['review_conflicts_400']} review "
          f"conflicts; refused by the form {c['refused_by_form']}; lost {c['lost_writes']}; audit "
          f"{c['audit_records']}, verify {'ok' if c['audit_verify'] else 'FAILED'}")
    print(f"PostgreSQL backends active on average, by wait: {result['postgres_active_backends']}")
    print(f"5xx/connection errors: {result['errors_5xx_or_connection']}; sign-in p50 {result['sign_in']['p50_ms']} ms; "
          f"load average {result['load_before']} → {result['load_after']}")
    print("problems: " + ("none" if not c["problems"] and not result["client_errors"]
                          else "; ".join(c["problems"] + result["client_errors"])))


if __name__ == "__main__":
    main()
